"""Reading back a results folder of ``compute``: the same long table, levels in order."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import build_project

from observatory.engine import run
from observatory.errors import InputDataError, InputFileNotFoundError
from observatory.io.published import read_published
from observatory.project import load_project
from observatory.report.outputs import write_outputs


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    results = run(load_project(build_project(tmp_path_factory.mktemp("project"))))
    folder = tmp_path_factory.mktemp("outputs")
    write_outputs(results, folder, overwrite=False)
    return results, folder


def test_the_long_table_and_the_levels_come_back_as_written(written):
    results, folder = written
    published = read_published(folder)
    expected = results.long_table()
    assert published.levels == results.levels()
    assert list(published.long.columns) == list(expected.columns)
    assert published.long["unit_id"].tolist() == expected["unit_id"].astype(str).tolist()
    pd.testing.assert_series_equal(
        published.long["value"], expected["value"].astype("float64"), check_names=False
    )
    assert published.layers[published.levels[-1]]["unit_id"].tolist() == list(
        results.wide(published.levels[-1])["unit_id"]
    )
    assert published.language == results.project.language


def test_a_folder_that_is_not_a_results_folder_names_the_command(tmp_path):
    with pytest.raises(InputFileNotFoundError, match=r"not a results folder.*observatory compute"):
        read_published(tmp_path)


def test_a_damaged_results_folder_is_an_error_not_a_traceback(written, tmp_path):
    _, folder = written
    for name in ("indicators.csv", "indicators.gpkg"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    (tmp_path / "provenance.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputDataError, match="cannot read the results"):
        read_published(tmp_path)
