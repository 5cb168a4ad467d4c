"""Tests of observatory.layers: every input read once; what cannot be read is a problem.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from builders import COMMUNES, build_project, only, problems_of
from shapely.geometry import box

from observatory.checks import validate_project
from observatory.io import vector
from observatory.layers import load_layers
from observatory.project import load_project


def test_missing_shared_file_is_reported_once_with_every_key_using_it(tmp_path):
    build_project(tmp_path)
    (tmp_path / "facilities.gpkg").unlink()
    problems = validate_project(load_project(tmp_path))
    problem = only(problems, "error", "layers.schools")
    assert len(problems) == 1
    assert "layers.schools.path, layers.health.path, layers.transit_stops.path" in problem.message


def test_unreadable_vector_file(tmp_path):
    build_project(tmp_path)
    (tmp_path / "network.gpkg").write_text("not a geopackage", encoding="utf-8")
    problem = only(validate_project(load_project(tmp_path)), "error", "layers.roads")
    assert "network.gpkg cannot be read as a vector file" in problem.message


def test_unreadable_raster_file(tmp_path):
    build_project(tmp_path)
    (tmp_path / "rasters" / "land.tif").write_text("not a tiff", encoding="utf-8")
    problem = only(validate_project(load_project(tmp_path)), "error", "rasters.land")
    assert "cannot be read as a raster" in problem.message


def test_layer_not_found_in_geopackage_lists_the_layers(tmp_path):
    def rename(config):
        config["units"]["levels"][2]["layer"] = "communez"

    problem = only(problems_of(tmp_path, edit_config=rename), "error", "units.commune")
    assert "layer 'communez' not found" in problem.message
    assert "the file has: regions, provinces, communes." in problem.message
    assert "units.levels[3].layer" in problem.fix


def test_units_file_without_geometry(tmp_path):
    def census_as_units(config):
        config["units"]["path"] = "census.csv"
        config["units"]["levels"] = [{"name": "commune", "id": "code"}]

    problem = only(problems_of(tmp_path, edit_config=census_as_units), "error", "units.commune")
    assert "census.csv, layer census is a table without geometry" in problem.message


def test_layers_hold_every_input_as_read(tmp_path):
    layers = load_layers(load_project(build_project(tmp_path)))
    assert list(layers.units) == ["region", "province", "commune"]
    assert layers.units["commune"].source == "units.gpkg, layer communes"
    assert layers.units["commune"].frame["code"].tolist() == list(COMMUNES)
    # the census stays text: the checks and the engine say how it is read as numbers
    assert layers.census["census"]["population_2014"].tolist() == ["400", "1200", "800", "1600"]
    assert sorted(layers.rasters["population"]) == [2014, 2024]
    land = layers.rasters["land"][None]
    assert land.band_count == 1 and land.raster.window(3, 4).data[0, 3] == 500_000
    assert set(layers.layers) == {"roads", "schools", "health", "transit_stops", "open_spaces"}
    assert layers.layers["schools"].frame["seats"].tolist() == [400, 250]
    assert layers.missing_files == [] and layers.unreadable == {}


def test_a_file_that_cannot_be_read_is_a_problem_not_an_exception(tmp_path):
    build_project(tmp_path)
    (tmp_path / "network.gpkg").write_text("not a geopackage", encoding="utf-8")
    (tmp_path / "census.csv").unlink()
    layers = load_layers(load_project(tmp_path))
    assert "roads" not in layers.layers and "schools" in layers.layers
    assert layers.census == {}
    assert list(layers.unreadable) == ["layers.roads"]
    assert "census.csv does not exist" in only(layers.missing_files, "error", "census").message


def test_a_level_without_layer_name_reads_the_first_layer_of_the_file(tmp_path, monkeypatch):
    listed = []
    original = vector.list_layers
    monkeypatch.setattr(vector, "list_layers", lambda path: listed.append(path) or original(path))

    def unnamed(config):
        del config["units"]["levels"][0]["layer"]  # regions, the first layer of units.gpkg
        del config["layers"]["schools"]["layer"]  # schools, the first layer of facilities.gpkg
        del config["layers"]["health"]["layer"]  # the first layer too: schools

    layers = load_layers(load_project(build_project(tmp_path, edit_config=unnamed)))
    assert layers.units["region"].source == "units.gpkg, layer regions"
    assert layers.layers["health"].source == "facilities.gpkg, layer schools"
    # each file's layers are listed once, and only for the inputs without a layer name
    assert [path.name for path in listed] == ["units.gpkg", "facilities.gpkg"]


# -- units as published: each level from its own file ---------------------------------------
def shapefiles_folder(folder, layers=("regions", "provinces", "communes")):
    """Write the unit layers of the project in ``folder`` as shapefiles in boundaries/,
    without their parent code fields (as boundaries are often published)."""
    (folder / "boundaries").mkdir()
    for layer in layers:
        frame = gpd.read_file(folder / "units.gpkg", layer=layer)
        frame = frame.drop(columns=["region_code", "province_code"], errors="ignore")
        frame.to_file(folder / "boundaries" / f"{layer}.shp")


def provinces_from(path: str, layer: str | None = None):
    """An ``edit_config`` reading the provinces from ``path`` (found spatially, no parent)."""

    def edit(config):
        province = config["units"]["levels"][1]
        province["path"] = path
        del province["layer"], province["parent"]
        if layer is not None:
            province["layer"] = layer

    return edit


def test_a_level_from_a_folder_of_shapefiles(tmp_path):
    build_project(tmp_path, edit_config=provinces_from("boundaries", layer="provinces"))
    shapefiles_folder(tmp_path)
    project = load_project(tmp_path)
    layers = load_layers(project)
    assert layers.units["province"].source == "boundaries, layer provinces"
    assert layers.units["province"].frame["code"].tolist() == ["04.01", "04.02"]
    assert validate_project(project) == []


def test_a_folder_without_layer_lists_its_shapefiles(tmp_path):
    build_project(tmp_path, edit_config=provinces_from("boundaries"))
    shapefiles_folder(tmp_path)
    problem = only(validate_project(load_project(tmp_path)), "error", "units.province")
    assert problem.message == (
        f"{tmp_path / 'boundaries'} is a folder of 3 shapefiles (communes, provinces, "
        "regions) and no layer says which one to read."
    )
    assert "set units.levels[2].layer in observatory.toml to the shapefile" in problem.fix
    assert 'e.g. layer = "communes"' in problem.fix


def test_a_folder_layer_that_is_not_there_lists_the_shapefiles(tmp_path):
    build_project(tmp_path, edit_config=provinces_from("boundaries", layer="province"))
    shapefiles_folder(tmp_path, layers=("provinces",))
    problem = only(validate_project(load_project(tmp_path)), "error", "units.province")
    assert "layer 'province' not found in" in problem.message
    assert "the folder has: provinces." in problem.message


def test_a_folder_without_shapefiles_is_an_error(tmp_path):
    build_project(tmp_path, edit_config=provinces_from("boundaries", layer="provinces"))
    (tmp_path / "boundaries").mkdir()
    problem = only(validate_project(load_project(tmp_path)), "error", "units.province")
    assert "is a folder that holds no shapefile (.shp)" in problem.message


def test_a_missing_level_file_names_the_level_key(tmp_path):
    build_project(tmp_path, edit_config=provinces_from("provinces.geojson"))
    problems = validate_project(load_project(tmp_path))
    problem = only(problems, "error", "units.province")
    assert "provinces.geojson does not exist (named by units.levels[2].path in" in problem.message
    assert len(problems) == 1  # the other levels are read and checked as usual


def test_a_folder_is_refused_for_the_other_inputs(tmp_path):
    def census_folder(config):
        config["census"]["path"] = "rasters"

    problem = only(problems_of(tmp_path, edit_config=census_folder), "error", "census")
    assert "rasters is a folder, not a file (named by census.path" in problem.message


def split_first_commune(sample) -> None:
    """Commune 04.001 published as two features with its code: the commune without its
    centre (3/4 of it) and the centre (its top-right quarter), named apart."""
    communes = sample.units["communes"]
    first = communes.iloc[0]
    minx, miny, maxx, maxy = first.geometry.bounds
    midx, midy = (minx + maxx) / 2, (miny + maxy) / 2
    centre = box(midx, midy, maxx, maxy)
    rest = first.geometry.difference(centre)
    parts = gpd.GeoDataFrame(
        [first.to_dict() | {"geometry": rest}, first.to_dict() | {"geometry": centre}],
        crs=communes.crs,
    )
    parts.loc[1, "name"] = f"{first['name']} (Centre)"
    sample.units["communes"] = gpd.GeoDataFrame(
        pd.concat([parts, communes.iloc[1:]], ignore_index=True), crs=communes.crs
    )


def dissolve_communes(config) -> None:
    config["units"]["levels"][-1]["dissolve"] = True


def test_parts_sharing_a_code_are_an_error_whose_fix_names_dissolve(tmp_path):
    problem = only(problems_of(tmp_path, edit=split_first_commune), "error", "units.commune")
    assert "'04.001' (2×)" in problem.message
    assert "set dissolve = true in the [[units.levels]] entry of 'commune'" in problem.fix


def test_dissolve_merges_the_parts_of_a_unit_into_one(tmp_path):
    whole = load_layers(load_project(build_project(tmp_path / "whole")))
    folder = build_project(
        tmp_path / "parts", edit=split_first_commune, edit_config=dissolve_communes
    )
    project = load_project(folder)
    assert validate_project(project) == []
    communes = load_layers(project).units["commune"].frame
    expected = whole.units["commune"].frame
    assert communes["code"].tolist() == expected["code"].tolist()
    # the largest part's fields (the commune's name, not its centre's), the parts' union
    assert communes["name"].tolist() == expected["name"].tolist()
    assert communes.geometry.iloc[0].area == pytest.approx(expected.geometry.iloc[0].area)
    assert communes.geometry.iloc[0].symmetric_difference(expected.geometry.iloc[0]).area < 1e-6
