"""Tests of observatory.prepare.osm and the tag table of observatory.prepare.tags."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, box

from observatory.errors import ProjectFileError
from observatory.io.osm import read_osm
from observatory.prepare.osm import (
    LayerReport,
    prepare_layers,
    roads_layer,
    study_area,
)
from observatory.prepare.tags import DEFAULT_MAPPING, merged_mapping, osm_selection

DATA = Path(__file__).parent / "data"
#: Units inside the cut, in the Finnish national CRS (ETRS-TM35FIN).
UNITS_BOX = (24.9420, 60.1725, 24.9520, 60.1785)


def units(crs="EPSG:3067"):
    frame = gpd.GeoDataFrame(
        {"code": ["W", "E"]},
        geometry=[box(24.9420, 60.1725, 24.9470, 60.1785), box(24.9470, 60.1725, 24.9520, 60.1785)],
        crs="EPSG:4326",
    )
    return frame.to_crs(crs)


@pytest.fixture(scope="module")
def area():
    return study_area(units(), buffer_m=200)


@pytest.fixture(scope="module")
def prepared(area):
    features = read_osm(DATA / "helsinki_cut.osm.pbf", osm_selection(), bbox=area.bbox_lonlat)
    return prepare_layers(features, DEFAULT_MAPPING, area)


@pytest.fixture(scope="module")
def extra(area):
    features = read_osm(DATA / "helsinki_extra.osm", osm_selection())
    return prepare_layers(features, DEFAULT_MAPPING, study_area(units(), buffer_m=1000))


def lines(rows):
    frame = pd.DataFrame(rows)
    geometry = [LineString([(24.945, 60.174 + i * 1e-4), (24.946, 60.174 + i * 1e-4)])
                for i in range(len(frame))]  # fmt: skip
    return gpd.GeoDataFrame(frame.assign(osm_id=range(len(frame))), geometry=geometry, crs=4326)


def test_road_classes_and_what_is_left_out(area):
    frame = lines([
        {"highway": "residential"},
        {"highway": "footway", "tunnel": "building_passage"},
        {"highway": "steps", "bridge": "viaduct"},
        {"highway": "motorway"},
        {"highway": "construction"},
        {"highway": "trail"},
        {"highway": "pedestrian", "area": "yes"},
        {"highway": "service", "access": "private"},
        {"highway": "service", "access": "private", "foot": "yes"},
        {"highway": "trunk", "sidewalk": "no"},
        {"highway": "path", "foot": "no"},
        {"highway": "cycleway", "tunnel": "yes"},
    ])  # fmt: skip
    report = LayerReport()
    roads = roads_layer(frame, DEFAULT_MAPPING, area, report)
    assert roads["osm_id"].tolist() == [0, 1, 2, 3, 8, 11]
    assert roads["class"].tolist() == ["residential", "footway", "steps", "motorway", "service",
                                       "cycleway"]  # fmt: skip
    # a bridge and a tunnel are grade-separated, a building passage is at street level
    assert roads["grade_separated"].tolist() == ["no", "no", "yes", "no", "no", "yes"]
    assert report.dropped == {
        "not a street: highway=construction": 1,
        "highway value not in the table: highway=trail": 1,
        "an area, not a line (area=yes)": 1,
        "no pedestrian access": 2,
        "trunk road without sidewalk": 1,
    }
    assert roads.crs.to_epsg() == 3067
    assert roads["length_m"].tolist() == pytest.approx(roads.length.round(2).tolist())


def test_overrides_keep_a_value_and_drop_another(area):
    mapping = merged_mapping({"road_classes": {"trail": "path", "service": ""}})
    frame = lines([{"highway": "trail"}, {"highway": "service"}])
    roads = roads_layer(frame, mapping, area, LayerReport())
    assert roads["class"].tolist() == ["path"]
    schools = merged_mapping({"schools": {"amenity": ["school", "kindergarten"]}})
    assert schools.facilities["schools"]["amenity"] == ("school", "kindergarten")
    assert "kindergarten" in schools.selection().points["amenity"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"roads": {}}, "unknown key"),
        ({"road_classes": {"trail": 3}}, 'trail = "path"'),
        ({"schools": {"amenity": "school"}}, "lists of values"),
    ],
)
def test_bad_overrides_name_the_key(overrides, message):
    with pytest.raises(ProjectFileError, match=message):
        merged_mapping(overrides, file="p/observatory.toml")


def test_roads_of_the_real_cut(prepared, area):
    roads = prepared.layers["roads"]
    bridge = roads[roads["osm_id"] == 23952344]
    assert bridge["grade_separated"].tolist() == ["yes"] and bridge["name"].iloc[0] == "Pitkäsilta"
    assert (roads[roads["tunnel"] == "yes"]["grade_separated"] == "yes").all()
    assert set(roads.geom_type) == {"LineString"}
    # cut at the study area
    assert shapely.covers(shapely.buffer(area.polygon, 0.01), roads.geometry.values).all()
    assert prepared.reports["roads"].dropped["lines with fewer than two located nodes"] > 0


def test_schools_as_areas_become_points_inside(prepared):
    schools = prepared.layers["schools"]
    assert {"Kruununhaan yläasteen koulu", "Kaisaniemen ala-aste"} <= set(schools["name"])
    assert set(schools.geom_type) == {"Point"}
    assert set(schools["osm_type"]) == {"way"}


def test_school_node_kept_and_node_inside_its_area_dropped(extra):
    schools = extra.layers["schools"]
    assert sorted(schools["osm_id"]) == [9900001, 990000100]
    node = schools[schools["osm_id"] == 9900001].iloc[0]
    assert node["capacity"] == 420 and node["name:ar"] == "مدرسة"
    assert extra.reports["schools"].dropped == {
        "a node inside an area of the same kind (mapped twice)": 1
    }


def test_transit_stops_capacity_and_merging(prepared, extra):
    stops = prepared.layers["transit_stops"]
    modes = dict(zip(stops["mode"], stops["capacity"], strict=False))
    assert modes["tram"] == "high" and modes["bus"] == "low"
    assert set(stops["capacity"]) == {"high", "low"}
    assert stops["merged"].sum() == len(stops) + sum(
        count for reason, count in prepared.reports["transit_stops"].dropped.items()
        if reason.startswith("merged")
    )  # fmt: skip
    pair = extra.layers["transit_stops"]
    assert pair["name"].tolist() == ["Pair"] and pair["merged"].tolist() == [2]


def test_open_spaces_park_relation_and_private_garden(prepared, extra):
    spaces = prepared.layers["open_spaces"]
    park = spaces[spaces["osm_id"] == 6627217].iloc[0]
    assert park["kind"] == "leisure=park" and park["osm_type"] == "relation"
    assert park["area_m2"] == pytest.approx(park.geometry.area, abs=0.1)
    assert extra.layers["open_spaces"].empty
    assert extra.reports["open_spaces"].dropped == {
        "private access (access=private, no, customers)": 1
    }


def test_study_area_in_degrees_uses_the_utm_zone():
    area = study_area(units("EPSG:4326"), buffer_m=100)
    assert area.crs.to_epsg() == 32635
    west, south, east, north = area.bbox_lonlat
    assert west < UNITS_BOX[0] and east > UNITS_BOX[2] and north - south < 0.01
