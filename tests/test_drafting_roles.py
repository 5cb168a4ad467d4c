"""Rasters and vector layers given a role from their names."""

from __future__ import annotations

import pytest
from drafting_files import layer, raster

from observatory.drafting.roles import (
    draft_layers,
    draft_rasters,
    is_open_space,
    raster_role,
)
from observatory.prepare.grids import year_from_name


def where(path):
    return f"data/{path.name}"


def entries(section):
    return {entry.key: entry.value for entry in section.entries}


@pytest.mark.parametrize(
    ("name", "role", "year"),
    [
        ("pop_2020.tif", "population", 2020),
        ("ghsl_1km_belgium_POP.tif", "population", None),
        ("GHS_BUILT_S_E2020_GLOBE_R2023A_54009_100_V1_0.tif", "built_up", 2020),
        ("ghsl_1km_belgium_BUILT_S.tif", "built_up", None),
        ("bu_2014.tif", "built_up", 2014),
        ("ghsl_1km_belgium_LAND.tif", "land", None),
        ("PM2.5_2019.tif", "pm25", 2019),
        ("pm25_2024.tif", "pm25", 2024),
        ("CLC2018_V2020_20u1_flanders.tif", None, None),  # land cover is not the land grid
        ("pop_built_2020.tif", None, 2020),  # two roles: not guessed
    ],
)
def test_raster_role_and_year_from_the_file_name(name, role, year):
    assert (raster_role(raster(name)), year_from_name(raster(name).path)) == (role, year)


def test_rasters_by_role_and_year_the_latest_census_year_standing_in_for_a_missing_one():
    found = [
        raster("ghsl_1km_belgium_POP.tif"),
        raster("ghsl_1km_belgium_LAND.tif"),
        raster("built_2014.tif"),
        raster("built_2020.tif"),
        raster("pop_2020.tif"),
        raster("CLC2018_flanders.tif"),
    ]
    draft = draft_rasters(found, {2018, 2020}, where)
    (section,) = draft.sections
    assert entries(section) == {
        "population": {2020: "data/ghsl_1km_belgium_POP.tif"},
        "built_up": {2014: "data/built_2014.tif", 2020: "data/built_2020.tif"},
        "land": "data/ghsl_1km_belgium_LAND.tif",
    }
    checks = {entry.key: entry.check for entry in section.entries}
    assert "no year in the file name: 2020, the latest census year, is set" in checks["population"]
    assert "built_2014.tif as built_up (year 2014 from the file name)" in checks["built_up"]
    assert dict(draft.unused) == {
        "pop_2020.tif": "another file is already population 2020",
        "CLC2018_flanders.tif": "role not recognised from the file name",
    }
    assert "ghsl_1km_belgium_POP.tif: ESRI:54009, cells of 100 m, 40 × 30 cells" in section.notes


def test_a_raster_in_degrees_or_without_a_year_is_said():
    draft = draft_rasters(
        [raster("worldpop_2020.tif", crs="EPSG:4326"), raster("pop.tif")], set(), where
    )
    (entry,) = draft.sections[0].entries
    assert "is in degrees: validate will ask for a projected grid" in entry.check
    assert draft.unused == [("pop.tif", "no year in the file name: write it")]


@pytest.mark.parametrize(
    ("file", "geometry", "role"),
    [
        ("ecoles_primaires.geojson", "point", "schools"),
        ("Établissements scolaires.shp", "point", "schools"),
        ("centres_sante.gpkg", "point", "health"),
        ("hospitals.geojson", "point", "health"),
        ("arrets_bus.geojson", "point", "transit_stops"),
        ("gtfs_stops.csv.geojson", "point", "transit_stops"),
        ("osm_roads.shp", "line", "roads"),
        ("espaces_verts.geojson", "polygon", "open_spaces"),
        ("parks.gpkg", "polygon", "open_spaces"),
    ],
)
def test_layer_roles_from_their_names(file, geometry, role):
    (section,) = draft_layers([layer(file, {"x": [1]}, geometry=geometry)], where).sections
    assert section.header == f"layers.{role}" and not section.commented


def test_open_spaces_are_told_from_units():
    assert is_open_space(layer("espace vert.shp", {}))
    assert not is_open_space(layer("communes.shp", {}))


def test_field_settings_are_guessed_from_their_names():
    roads = layer(
        "network.gpkg", {"highway": ["primary"], "bridge": ["0"]}, geometry="line", name="roads"
    )
    schools = layer("ecoles.geojson", {"nom": ["A"], "places": [300]}, geometry="point")
    road_section, school_section = draft_layers([roads, schools], where).sections
    assert entries(road_section) == {
        "path": "data/network.gpkg",
        "layer": "roads",
        "class": "highway",
        "bridge": "bridge",
    }
    assert entries(school_section) == {"path": "data/ecoles.geojson", "capacity": "places"}
    assert school_section.check == "role guessed from the name of ecoles (1 point)"


def test_points_of_unknown_role_are_written_commented_out_and_a_second_layer_is_not_used():
    courts = layer("belgica_court_locations.geojson", {"court": ["x", "y"]}, geometry="point")
    first = layer("ecoles.geojson", {"x": [1]}, geometry="point")
    second = layer("schools_private.geojson", {"x": [1]}, geometry="point")
    draft = draft_layers([courts, first, second], where)
    unknown, schools = draft.sections
    assert (unknown.header, unknown.commented) == ("layers.ROLE", True)
    assert unknown.check.startswith("belgica_court_locations holds 2 points whose role is not")
    assert schools.header == "layers.schools"
    assert draft.unused == [("schools_private", "another layer is already the schools")]


def test_an_empty_layer_is_not_used():
    empty = layer("communes.gpkg", {"code": []}, name="communes")
    assert draft_layers([empty], where).unused == [("communes", "holds no feature")]
