"""``observatory export opensdg|sdmx`` on a results folder of ``compute``."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from builders import build_project
from click.testing import CliRunner

from observatory.cli.main import cli


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    project = build_project(tmp_path_factory.mktemp("project"))
    folder = tmp_path_factory.mktemp("results")
    result = invoke("compute", project, "-o", folder, "--overwrite")
    assert result.exit_code == 0, result.output
    return folder


def test_opensdg_writes_data_and_metadata_beside_the_repository_files(results, tmp_path):
    (tmp_path / "README.md").write_text("my data repository", encoding="utf-8")
    result = invoke("export", "opensdg", results, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    data = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert "indicator_11-3-1.csv" in data
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "my data repository"
    table = pd.read_csv(tmp_path / "data" / "indicator_11-3-1.csv", dtype={"GeoCode": str})
    assert table.columns[0] == "Year" and table.columns[-1] == "Value"
    assert "04" in set(table["GeoCode"])  # codes keep their leading zero
    meta = yaml.safe_load((tmp_path / "meta" / "11-3-1.yml").read_text(encoding="utf-8"))
    assert meta["indicator_name"].startswith("Ratio du taux")  # the project is in French
    english = invoke("export", "opensdg", results, "-o", tmp_path / "en", "--lang", "en")
    meta = yaml.safe_load((tmp_path / "en" / "meta" / "11-3-1.yml").read_text("utf-8"))
    assert english.exit_code == 0 and meta["indicator_name"].startswith("Ratio of land")


def test_opensdg_keeps_existing_files_without_overwrite(results, tmp_path):
    assert invoke("export", "opensdg", results, "-o", tmp_path).exit_code == 0
    before = (tmp_path / "meta" / "11-3-1.yml").read_bytes()
    again = invoke("export", "opensdg", results, "-o", tmp_path)
    assert again.exit_code == 1 and "--overwrite" in again.output
    assert (tmp_path / "meta" / "11-3-1.yml").read_bytes() == before
    assert invoke("export", "opensdg", results, "-o", tmp_path, "--overwrite").exit_code == 0


def test_sdmx_csv_has_the_sdg_dimensions(results, tmp_path):
    target = tmp_path / "sdg.csv"
    result = invoke("export", "sdmx", results, "-o", target, "--dataflow", "XX:DF_TEST(1.0)")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(target, dtype=str)
    assert table.columns[:5].tolist() == [
        "DATAFLOW",
        "FREQ",
        "REPORTING_TYPE",
        "SERIES",
        "REF_AREA",
    ]
    assert {"URBANISATION", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE"} <= set(table.columns)
    assert set(table["DATAFLOW"]) == {"XX:DF_TEST(1.0)"}
    assert "EN_LND_CNSPOP" in set(table["SERIES"])
    assert "04" in set(table["REF_AREA"])


def test_a_folder_that_is_not_results_is_refused(tmp_path):
    result = invoke("export", "sdmx", tmp_path, "-o", tmp_path / "x.csv")
    assert result.exit_code == 1
    assert "is not a results folder" in result.output
