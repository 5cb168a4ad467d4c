"""Tests of observatory.io.osm on the real Helsinki cut and the hand-made XML beside it."""

from __future__ import annotations

from pathlib import Path

import osmium
import pytest
import shapely

from observatory.errors import InputDataError, InputFileNotFoundError
from observatory.io.osm import OsmSelection, read_osm
from observatory.prepare.tags import osm_selection

DATA = Path(__file__).parent / "data"
CUT = DATA / "helsinki_cut.osm.pbf"
EXTRA = DATA / "helsinki_extra.osm"


@pytest.fixture(scope="module")
def features():
    return read_osm(CUT, osm_selection())


def _short_highways(path: Path) -> int:
    """Highway ways with fewer than two distinct located nodes, counted by hand."""
    count = 0
    for way in osmium.FileProcessor(str(path)).with_locations():
        if way.is_way() and "highway" in way.tags:
            located = {(n.lon, n.lat) for n in way.nodes if n.location.valid()}
            count += len(located) < 2
    return count


def test_streets_bridges_and_tunnels_are_read(features):
    lines = features.lines
    assert set(lines["osm_type"]) == {"way"}
    bridge = lines[lines["osm_id"] == 23952344].iloc[0]  # Pitkäsilta
    assert (bridge["highway"], bridge["bridge"], bridge["name"]) == (
        "secondary",
        "yes",
        "Pitkäsilta",
    )
    assert (lines["tunnel"] == "yes").sum() > 0
    assert lines.crs == "EPSG:4326"


def test_one_point_ways_are_skipped_and_counted(features):
    skipped = features.skipped["lines with fewer than two located nodes"]
    assert skipped == _short_highways(CUT) > 0
    assert features.cut_lines > 0  # ways crossing the cut keep their located nodes
    assert shapely.is_valid(features.lines.geometry.values).all()


def test_multipolygon_park_is_assembled(features):
    areas = features.areas
    park = areas[(areas["osm_type"] == "relation") & (areas["osm_id"] == 6627217)]
    assert park["leisure"].tolist() == ["park"]
    geometry = park.geometry.iloc[0]
    assert geometry.geom_type == "MultiPolygon" and geometry.is_valid and geometry.area > 0


def test_points_keep_every_language_of_the_name():
    extra = read_osm(EXTRA, osm_selection())
    school = extra.points[extra.points["osm_id"] == 9900001].iloc[0]
    assert school["name:fr"] == "École (synthétique)"
    assert school["name:ar"] == "مدرسة"
    assert school.geometry.x == pytest.approx(24.945)


def test_bbox_drops_what_lies_outside(features):
    west, south = 24.9400, 60.1715
    box = (west, south, west + 0.004, south + 0.002)
    inside = read_osm(CUT, osm_selection(), bbox=box)
    assert 0 < len(inside.lines) < len(features.lines)
    assert shapely.intersects(inside.lines.geometry.values, shapely.box(*box)).all()
    assert (inside.points.geometry.x <= box[2]).all()


def test_file_based_node_index_gives_the_same_features(features):
    on_disk = read_osm(CUT, osm_selection(), location_store="sparse_file_array")
    assert on_disk.lines["osm_id"].tolist() == features.lines["osm_id"].tolist()
    assert shapely.equals(on_disk.lines.geometry.values, features.lines.geometry.values).all()


def test_selection_by_value():
    selection = OsmSelection(points={"highway": frozenset({"bus_stop"})})
    stops = read_osm(CUT, selection).points
    assert len(stops) > 0 and set(stops["highway"]) == {"bus_stop"}


def test_missing_and_wrong_files(tmp_path):
    with pytest.raises(InputFileNotFoundError, match="geofabrik"):
        read_osm(tmp_path / "nothing.osm.pbf", osm_selection())
    text = tmp_path / "roads.gpkg"
    text.write_text("not osm")
    with pytest.raises(InputDataError, match="not an OSM extract"):
        read_osm(text, osm_selection())
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all")
    with pytest.raises(InputDataError, match="cannot be read"):
        read_osm(broken, osm_selection())
