"""The files of a comparison appear all together or not at all."""

from __future__ import annotations

import pandas as pd
import pytest

from observatory.errors import OutputExistsError
from observatory.io.comparison import write_comparison_files
from observatory.io.tables import Sheet


def test_every_file_is_written_and_listed(tmp_path):
    table = pd.DataFrame({"unit_id": ["04"], "value": [1.5]})
    sheet = Sheet(name="s", header=[["Code", "Value"]], data=table, text=("unit_id",))
    written = write_comparison_files(
        tmp_path / "out",
        tables={"a.csv": table},
        workbooks={"a.xlsx": [sheet]},
        texts={"index.html": "<p>é</p>"},
        overwrite=False,
    )
    assert written == [tmp_path / "out" / n for n in ("a.csv", "a.xlsx", "index.html")]
    assert (tmp_path / "out" / "index.html").read_text(encoding="utf-8") == "<p>é</p>"
    assert pd.read_csv(tmp_path / "out" / "a.csv", dtype=str)["unit_id"].tolist() == ["04"]


def test_an_existing_file_stops_everything_before_anything_is_written(tmp_path):
    (tmp_path / "index.html").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError, match=r"index\.html already exists"):
        write_comparison_files(
            tmp_path,
            tables={"a.csv": pd.DataFrame({"x": [1]})},
            workbooks={},
            texts={"index.html": "new"},
            overwrite=False,
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "mine"


def test_a_file_that_fails_half_way_leaves_none_of_them(tmp_path):
    broken = Sheet(name="s", header=[["x"]], data=pd.DataFrame({"x": [object()]}))
    with pytest.raises(TypeError):  # XlsxWriter cannot write an object()
        write_comparison_files(
            tmp_path / "out",
            tables={"a.csv": pd.DataFrame({"x": [1]})},
            workbooks={"a.xlsx": [broken]},
            texts={},
            overwrite=False,
        )
    assert not (tmp_path / "out" / "a.csv").exists()
    assert [p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")] == []
