"""Tests of observatory.kernels.network.noding: noding, bridges, merging, CRS checks.

Coordinates are metres in UTM 29N (EPSG:32629); every expected distance is worked out by hand
in the comment next to it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from network_cases import bridge_layer, distance, lines, street_grid
from pyproj import CRS
from shapely.geometry import LineString, MultiLineString, Point

from observatory.errors import CRSError, InputDataError, ParameterError
from observatory.kernels.network import (
    build_network,
    distance_crs,
    grade_separated,
    is_metric_crs,
    nearest_distance,
    snap_points,
)


@pytest.fixture
def grid_network():
    return street_grid()


def test_grid_is_noded_at_crossings_without_shared_vertices(grid_network):
    assert grid_network.n_nodes == 9
    assert grid_network.n_edges == 12
    np.testing.assert_allclose(grid_network.edge_length, 100.0)
    assert grid_network.n_components == 1


def test_bridge_is_not_noded_where_it_crosses_a_road():
    network = build_network(bridge_layer(), no_node=[False, False, True, False])
    assert network.n_components == 2
    # the road and the bridge chain do not meet: unreachable, never 0
    assert distance(network, (0, 5), (105, 200)) == [np.inf]
    # along the chain: (105,-150) -> 5 + 50 to (100,-100) + bridge 200 + 100 to (100,200) + 5
    assert distance(network, (105, -150), (105, 200)) == pytest.approx([360.0])


def test_same_crossing_is_noded_when_not_flagged():
    network = build_network(bridge_layer())
    assert network.n_components == 1
    # (0,5): 5 + 100 to (100,0) + 200 up to (100,200) + 5 = 310 m
    assert distance(network, (0, 5), (105, 200)) == pytest.approx([310.0])


def test_bridge_inner_vertex_on_a_road_vertex_does_not_connect():
    road = LineString([(0, 0), (100, 0), (200, 0)])  # has a vertex at (100, 0)
    bridge = LineString([(100, -100), (100, 0), (100, 100)])  # so has the bridge
    network = build_network(lines(road, bridge), no_node=[False, True])
    assert network.n_components == 2


def test_close_line_ends_are_merged():
    network = build_network(
        lines(LineString([(0, 0), (100, 0)]), LineString([(100.5, 0), (200, 0)])),
        snap_tolerance=1.0,
    )
    # the two ends merge at (100.25, 0): edges 100.25 + 99.75 = 200 m
    assert network.n_nodes == 3
    assert network.edge_length.sum() == pytest.approx(200.0)
    assert distance(network, (0, 0), (200, 0)) == pytest.approx([200.0])


def test_ends_farther_than_the_tolerance_stay_apart():
    network = build_network(
        lines(LineString([(0, 0), (100, 0)]), LineString([(102, 0), (200, 0)])),
        snap_tolerance=1.0,
    )
    assert network.n_components == 2


def test_undershooting_end_is_joined_to_the_road():
    network = build_network(
        lines(LineString([(0, 0), (100, 0)]), LineString([(50, 0.5), (50, 100)])),
        snap_tolerance=1.0,
    )
    assert network.n_components == 1
    # road split at the dangling node (50, 0.5): (0,0)->(50,0.5) = sqrt(50² + 0.5²) = 50.0025,
    # then 99.5 up to (50, 100): 149.5025 m
    assert distance(network, (0, 0), (50, 100)) == pytest.approx([149.5025], abs=1e-4)


def test_motorways_are_excluded_by_default():
    layer = lines(LineString([(0, 0), (100, 0)]), LineString([(100, 0), (200, 0)]))
    classes = ["residential", "motorway"]
    assert build_network(layer, road_classes=classes).n_edges == 1
    assert build_network(layer, road_classes=classes, excluded_classes=()).n_edges == 2


def test_multilinestrings_are_split_into_parts():
    layer = lines(MultiLineString([[(0, 0), (100, 0)], [(100, 0), (100, 100)]]))
    network = build_network(layer)
    assert network.n_edges == 2
    assert distance(network, (0, 0), (100, 100)) == pytest.approx([200.0])


def test_island_facility_is_unreachable_from_the_mainland(grid_network):
    horizontal = [LineString([(0, y), (200, y)]) for y in (0, 100, 200)]
    vertical = [LineString([(x, 0), (x, 200)]) for x in (0, 100, 200)]
    island = LineString([(1000, 1000), (1100, 1000)])
    network = build_network(lines(*horizontal, *vertical, island))
    assert network.n_components == 2
    assert sorted(network.component_size) == [2, 9]
    origins = snap_points(network, np.array([[150.0, 10.0], [1050.0, 1010.0]]))
    school = snap_points(network, np.array([[1100.0, 1000.0]]))
    # mainland origin: inf; island origin: 10 connector + 50 along = 60 m
    np.testing.assert_allclose(nearest_distance(network, origins, school), [np.inf, 60.0])


def test_layer_without_crs_is_refused():
    with pytest.raises(CRSError, match="no CRS"):
        build_network(gpd.GeoSeries([LineString([(0, 0), (1, 0)])]))


def test_geographic_layer_is_refused():
    layer = gpd.GeoSeries([LineString([(-6.8, 34.0), (-6.7, 34.0)])], crs="EPSG:4326")
    with pytest.raises(CRSError, match="geographic"):
        build_network(layer)


def test_non_line_geometries_are_refused():
    with pytest.raises(InputDataError, match="not lines"):
        build_network(lines(LineString([(0, 0), (1, 0)]), Point(0, 0)))


def test_classes_must_match_the_layer():
    with pytest.raises(ParameterError, match="road_classes"):
        build_network(lines(LineString([(0, 0), (1, 0)])), road_classes=["a", "b"])


def test_inputs_are_not_mutated():
    layer = lines(LineString([(0, 0), (100, 0)]), LineString([(50, -50), (50, 50)]))
    before = layer.copy()
    build_network(layer)
    assert shapely.equals(layer.values, before.values).all()


def test_layer_measured_in_feet_is_refused():
    layer = gpd.GeoSeries([LineString([(0, 0), (100, 0)])], crs="EPSG:2229")  # US survey feet
    with pytest.raises(CRSError, match="not metres"):
        build_network(layer)


def test_grade_separated_reads_the_bridge_field():
    values = pd.Series(["Bridge", " yes ", "1", "0", None, "no", "TUNNEL", "oui"])
    assert list(grade_separated(values)) == [True, True, True, False, False, False, True, True]


def test_is_metric_crs():
    assert is_metric_crs(CRS.from_epsg(32629))
    assert not is_metric_crs(CRS.from_epsg(4326))  # degrees
    assert not is_metric_crs(CRS.from_epsg(2229))  # US survey feet


def test_distance_crs_keeps_a_metric_crs_and_takes_the_utm_zone_of_degrees():
    assert distance_crs(lines(LineString([(0, 0), (1, 0)]))) == CRS.from_epsg(32629)
    # longitude -6.85: UTM zone floor((-6.85 + 180) / 6) + 1 = 29, north
    rabat = gpd.GeoSeries([LineString([(-6.85, 34.0), (-6.8, 34.0)])], crs="EPSG:4326")
    assert distance_crs(rabat) == CRS.from_epsg(32629)
    with pytest.raises(CRSError, match="no CRS"):
        distance_crs(gpd.GeoSeries([LineString([(0, 0), (1, 0)])]))
