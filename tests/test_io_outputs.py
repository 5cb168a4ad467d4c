"""Writing the output files: the layers, styles and tables given, all at once or not at all."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from openpyxl import load_workbook
from shapely.geometry import box

from observatory.errors import OutputExistsError
from observatory.io import outputs
from observatory.io.geopackage import GEOMETRY_COLUMN, LayerStyle
from observatory.io.outputs import OUTPUT_NAMES, input_hashes, write_output_files
from observatory.io.tables import Sheet, write_xlsx


def layer(codes):
    return gpd.GeoDataFrame(
        {"unit_id": codes, "value_2024": [1.5] * len(codes)},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(codes))],
        crs="EPSG:3035",
    )


TABLE = pd.DataFrame({"unit_id": ["04", "04.001"], "value": [1.0, 2.0]})
SHEETS = [
    Sheet("indicators", [["unit_id", "value"]], TABLE, text=("unit_id",)),
    Sheet("not computed", [["indicator"]], pd.DataFrame({"indicator": ["x"]})),
]


def write(directory, *, styles=None, overwrite=False):
    return write_output_files(
        directory,
        layers={"region": layer(["04"]), "commune": layer(["04.001", "04.002"])},
        styles={"commune": LayerStyle("commune: value_2024", "<qgis/>")}
        if styles is None
        else styles,
        table=TABLE,
        comma_table=TABLE.assign(value=[1.5, 2.25]),
        sheets=SHEETS,
        provenance={"tool": "observatory", "note": "é"},
        overwrite=overwrite,
    )


def test_every_output_is_written_as_given(tmp_path):
    assert write(tmp_path) == [tmp_path / name for name in OUTPUT_NAMES]
    geopackage = tmp_path / "indicators.gpkg"
    assert [name for name, _ in pyogrio.list_layers(geopackage)] == [
        "region",
        "commune",
        "layer_styles",
    ]
    assert pyogrio.read_dataframe(geopackage, layer="commune")["unit_id"].tolist() == [
        "04.001",
        "04.002",
    ]
    with sqlite3.connect(geopackage) as connection:
        geometry_columns = dict(
            connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
        )
    assert geometry_columns == {"region": GEOMETRY_COLUMN, "commune": GEOMETRY_COLUMN}
    styles = pyogrio.read_dataframe(geopackage, layer="layer_styles")
    assert styles[
        ["f_table_name", "f_geometry_column", "styleName", "styleQML"]
    ].values.tolist() == [["commune", GEOMETRY_COLUMN, "commune: value_2024", "<qgis/>"]]
    assert bool(styles["useAsDefault"].iloc[0])
    csv = (tmp_path / "indicators.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbfunit_id,value")  # BOM: Excel reads it as UTF-8
    assert (
        pd.read_csv(tmp_path / "indicators.csv", dtype=str)["unit_id"].tolist()
        == TABLE["unit_id"].tolist()
    )
    # the comma-decimal CSV: BOM, ';' between fields, ',' as the decimal mark
    assert (tmp_path / "indicators_fr.csv").read_bytes() == (
        b"\xef\xbb\xbfunit_id;value\n04;1,5\n04.001;2,25\n"
    )
    assert list(pd.read_excel(tmp_path / "indicators.xlsx", sheet_name=None)) == [
        "indicators",
        "not computed",
    ]
    assert json.loads((tmp_path / "provenance.json").read_text(encoding="utf-8")) == {
        "tool": "observatory",
        "note": "é",
    }


def test_a_layer_may_have_several_styles_one_of_them_the_default(tmp_path):
    write(
        tmp_path,
        styles={
            "commune": [
                LayerStyle("commune: value_2024", "<qgis/>"),
                LayerStyle("commune: degurba_l1_2024", "<qgis a='1'/>", default=False),
            ]
        },
    )
    styles = pyogrio.read_dataframe(tmp_path / "indicators.gpkg", layer="layer_styles")
    assert styles["styleName"].tolist() == ["commune: value_2024", "commune: degurba_l1_2024"]
    assert [bool(v) for v in styles["useAsDefault"]] == [True, False]


def test_a_workbook_sheet_has_its_header_rows_frozen_filters_formats_and_text(tmp_path):
    data = pd.DataFrame({"code": ["04", "04.001"], "value": [1234.5678, float("nan")], "n": [3, 4]})
    sheet = Sheet(
        "wide",
        [["Code", "Densité", "N"], [None, "2024", None], [None, "hab./km²", None]],
        data,
        formats={"value": ["#,##0.0", "#,##0.00"], "n": "#,##0"},
        text=("code",),
        widths={"code": 12},
        frozen_columns=1,
        right_to_left=True,
    )
    write_xlsx(tmp_path / "t.xlsx", [sheet], overwrite=False)
    worksheet = load_workbook(tmp_path / "t.xlsx")["wide"]
    assert worksheet.freeze_panes == "B4"
    assert worksheet.auto_filter.ref == "A3:C5"
    assert [c.value for c in worksheet[2]] == [None, "2024", None]
    assert [(c.value, c.data_type, c.number_format) for c in worksheet[4]] == [
        ("04", "s", "@"),  # a code stays text with its leading zero
        (1234.5678, "n", "#,##0.0"),  # the value is kept whole; only its display is rounded
        (3, "n", "#,##0"),
    ]
    assert worksheet["B5"].value is None  # NaN: an empty cell
    assert worksheet.column_dimensions["A"].width == pytest.approx(12, abs=1)
    assert worksheet.sheet_view.rightToLeft


def test_text_that_looks_like_a_formula_a_link_or_a_number_stays_text(tmp_path):
    names = ["=SUM(A1:A9)", "https://www.hcp.ma", "1e5", "+212"]
    data = pd.DataFrame({"name": names, "flag": [True, False, True, False]})
    write_xlsx(tmp_path / "t.xlsx", [Sheet("s", [["Name", "Flag"]], data)], overwrite=False)
    worksheet = load_workbook(tmp_path / "t.xlsx")["s"]
    cells = [row[0] for row in worksheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type, c.hyperlink) for c in cells] == [(n, "s", None) for n in names]
    assert [row[1].value for row in worksheet.iter_rows(min_row=2)] == [True, False, True, False]
    assert [c.font.b for c in worksheet[1]] == [True, True]  # the header row is bold


def test_no_style_no_layer_styles_table(tmp_path):
    write(tmp_path, styles={})
    layers = [name for name, _ in pyogrio.list_layers(tmp_path / "indicators.gpkg")]
    assert layers == ["region", "commune"]


def test_existing_outputs_are_kept_without_overwrite(tmp_path):
    (tmp_path / "indicators.csv").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write(tmp_path)
    assert (tmp_path / "indicators.csv").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["indicators.csv"]
    write(tmp_path, overwrite=True)
    assert (tmp_path / "indicators.csv").read_text(encoding="utf-8-sig").startswith("unit_id,")


def test_a_failure_while_writing_leaves_no_partial_output(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(outputs, "write_xlsx", fail)
    with pytest.raises(OSError, match="disk full"):
        write(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_input_hashes_are_sha256_of_the_files_that_exist(tmp_path):
    data = tmp_path / "census.csv"
    data.write_bytes(b"code,population\n04,10\n")
    hashes = input_hashes([data, tmp_path, tmp_path / "missing.aux.xml"])
    assert hashes == {str(data): hashlib.sha256(b"code,population\n04,10\n").hexdigest()}


def test_a_folder_of_shapefiles_is_hashed_file_by_file(tmp_path):
    folder = tmp_path / "boundaries"
    folder.mkdir()
    for name, content in {"gewest.shp": b"s", "gewest.DBF": b"d", "notes.txt": b"n"}.items():
        (folder / name).write_bytes(content)
    hashes = input_hashes([folder])
    assert hashes == {
        str(folder / "gewest.DBF"): hashlib.sha256(b"d").hexdigest(),
        str(folder / "gewest.shp"): hashlib.sha256(b"s").hexdigest(),
    }
