"""What read_inventory finds in a technician's files: layers, tables, rasters, skipped files."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from drafting_files import write_technician_files
from shapely.geometry import LineString, box

from observatory.errors import InputDataError, InputFileNotFoundError
from observatory.io.inventory import read_inventory


@pytest.fixture
def files(tmp_path):
    return write_technician_files(tmp_path / "data")


def test_a_folder_of_shapefiles_gives_one_layer_per_file(files):
    found = read_inventory([files["boundaries"]])
    assert [layer.name for layer in found.vectors] == ["gemeente2024", "gewest"]
    municipalities, region = found.vectors
    assert municipalities.path == files["municipalities"].absolute()
    assert municipalities.layer is None  # a shapefile is named by its path alone
    assert (municipalities.geometry, municipalities.features) == ("polygon", 4)
    assert municipalities.crs == "EPSG:31370" and not municipalities.geographic
    assert municipalities.fields["gemeente"].kind == "integer"
    assert municipalities.fields["gemeente"].values == ("21001", "21002", "21003", "21004")
    assert region.fields["gewest"].values == ("04000",)  # text keeps its leading zero
    assert region.fields["Shape_Area"].kind == "real"
    assert found.tables == [] and found.rasters == [] and found.skipped == []


def test_tables_keep_every_cell_as_text(files):
    found = read_inventory([files["population"] / "belgian_municipalities_2019.csv"])
    (table,) = found.tables
    assert table.sheet is None and table.rows == 5
    assert list(table.columns) == ["NIS_code", "municipality_FR", "inhabitants", "zip"]
    assert table.columns["inhabitants"].values[:2] == ("14 324", "1 010")


def test_every_sheet_of_a_workbook_is_a_table(tmp_path):
    path = tmp_path / "census.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"code": ["04.001"], "pop_2014": [400]}).to_excel(
            writer, sheet_name="RGPH 2014", index=False
        )
        pd.DataFrame({"code": ["04.001"], "pop_2024": [440]}).to_excel(
            writer, sheet_name="RGPH 2024", index=False
        )
    found = read_inventory([path])
    assert [table.sheet for table in found.tables] == ["RGPH 2014", "RGPH 2024"]
    assert found.tables[0].columns["code"].values == ("04.001",)


def test_a_raster_is_described_without_its_cells(files):
    (raster,) = read_inventory([files["raster"]]).rasters
    assert raster.crs == "EPSG:31370"
    assert raster.resolution == (1000.0, 1000.0) and (raster.width, raster.height) == (4, 4)


def test_a_geopackage_names_its_layers_and_points_and_lines_are_told_apart(files, tmp_path):
    path = tmp_path / "layers.gpkg"
    lines = gpd.GeoDataFrame({"highway": ["primary"]}, geometry=[LineString([(0, 0), (1, 1)])])
    lines.set_crs("EPSG:4326").to_file(path, layer="roads", engine="pyogrio")
    schools = gpd.read_file(files["schools"])
    schools.to_file(path, layer="schools", engine="pyogrio")
    found = read_inventory([path])
    assert [(v.layer, v.geometry, v.geographic) for v in found.vectors] == [
        ("roads", "line", True),
        ("schools", "point", False),
    ]


def test_files_of_a_folder_that_are_no_layer_are_skipped_with_the_reason(files):
    (files["facilities"] / "broken.tif").write_text("not a raster", encoding="utf-8")
    found = read_inventory([files["facilities"]])
    assert [layer.name for layer in found.vectors] == ["ecoles"]
    skipped = {path.name: reason for path, reason in found.skipped}
    assert skipped["readme.txt"] == "not a vector, table or raster file"
    assert skipped["broken.tif"] == "cannot be read as a raster"


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("missing.shp", None, InputFileNotFoundError, "missing.shp does not exist"),
        ("notes.txt", "hello", InputDataError, "'.txt' is not a vector, table or raster file"),
        ("broken.tif", "not a raster", InputDataError, "broken.tif cannot be read as a raster"),
        ("broken.gpkg", "not a geopackage", InputDataError, "broken.gpkg cannot be read"),
    ],
)
def test_a_path_given_that_cannot_be_read_is_an_error_naming_it(
    tmp_path, name, content, error, message
):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as raised:
        read_inventory([path])
    assert message in str(raised.value)


def test_a_folder_holding_nothing_readable_is_an_error_naming_it(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "readme.txt").write_text("nothing here", encoding="utf-8")
    with pytest.raises(InputDataError) as raised:
        read_inventory([folder])
    assert str(folder) in str(raised.value)
    assert "not a vector, table or raster file" in str(raised.value)


def test_a_layer_without_features_is_still_listed(tmp_path):
    path = tmp_path / "empty.gpkg"
    frame = gpd.GeoDataFrame({"code": ["x"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:31370")
    frame.iloc[:0].to_file(path, layer="communes", engine="pyogrio")
    (layer,) = read_inventory([path]).vectors
    assert (layer.layer, layer.features, layer.fields["code"].values) == ("communes", 0, ())
