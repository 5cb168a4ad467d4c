"""Tests of observatory.kernels.network.snapping: points onto their nearest edge.

Coordinates are metres in UTM 29N (EPSG:32629); every expected distance is worked out by hand
in the comment next to it.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from network_cases import bridge_layer, distance, street_grid
from shapely.geometry import LineString, MultiPoint, Point, Polygon

from observatory.kernels.network import (
    build_network,
    facility_points,
    nearest_distance,
    network_from_edges,
    snap_points,
)


@pytest.fixture
def grid_network():
    return street_grid()


def test_origin_snapped_to_middle_of_edge_uses_connector_and_partial_edge(grid_network):
    # Origin (150, 10) snaps onto edge (100,0)-(200,0): connector 10, 50 m to node (100, 0).
    # Destination (105, 150) snaps onto edge (100,100)-(100,200): connector 5, 50 m above
    # (100, 100). Path: 10 + 50 + (100,0)->(100,100) 100 + 50 + 5 = 215 m.
    # (A nearest-node snap would give (200,0) or (100,0) and a different answer.)
    assert distance(grid_network, (150, 10), (105, 150)) == pytest.approx([215.0])


def test_snapping_reports_edge_offset_and_connector(grid_network):
    snapped = snap_points(grid_network, np.array([[150.0, 10.0]]))
    u, v = grid_network.node_xy[grid_network.edge_nodes[snapped.edge[0]]]
    assert {tuple(u), tuple(v)} == {(100.0, 0.0), (200.0, 0.0)}
    # the foot (150, 0) is 50 m from either end
    assert snapped.offset[0] == pytest.approx(50.0)
    assert snapped.connector[0] == pytest.approx(10.0)


def test_points_do_not_snap_onto_bridges():
    network = build_network(bridge_layer(), no_node=[False, False, True, False])
    # (103, 50) is 3 m from the bridge and 50 m from the road: it snaps to the road
    snapped = snap_points(network, np.array([[103.0, 50.0]]))
    assert snapped.connector[0] == pytest.approx(50.0)


def test_unsnapped_points_beyond_max_distance_are_unreachable(grid_network):
    snapped = snap_points(grid_network, np.array([[150.0, 10.0], [150.0, 500.0]]), max_distance=50)
    assert list(snapped.snapped) == [True, False]
    school = snap_points(grid_network, np.array([[0.0, 0.0]]))
    result = nearest_distance(grid_network, snapped, school)
    assert result[0] == pytest.approx(10.0 + 150.0)  # 10 connector + 150 along y = 0
    assert result[1] == np.inf


def test_snapping_finds_the_exact_nearest_edge():
    # brute force: the distance from each point to every edge, minimum over edges
    rng = np.random.default_rng(3)
    starts = rng.uniform(0, 3000, size=(150, 2))
    ends = starts + rng.uniform(-300, 300, size=(150, 2))
    node_xy = np.vstack([starts, ends])
    network = network_from_edges(node_xy, np.column_stack([np.arange(150), np.arange(150) + 150]))
    # points near the streets, far away (fallback search) and on a street
    points = np.vstack(
        [rng.uniform(-100, 3100, size=(300, 2)), rng.uniform(-20000, 20000, size=(50, 2))]
    )
    points = np.vstack([points, node_xy[:1] + 0.5 * (node_xy[150:151] - node_xy[:1])])
    snapped = snap_points(network, points)
    brute = shapely.distance(shapely.points(points)[:, None], network.edge_geometry[None, :]).min(
        axis=1
    )
    np.testing.assert_allclose(snapped.connector, brute, atol=1e-9)
    assert snapped.connector[-1] == pytest.approx(0.0, abs=1e-9)


def test_facility_points_of_points_lines_and_polygons():
    square = Polygon([(0, 0), (50, 0), (50, 50), (0, 50)])
    geometries = np.array(
        [
            Point(5, 5),
            None,
            square,
            LineString([(0, 0), (40, 0)]),
            Point(),
            MultiPoint([(1, 1), (2, 2)]),
        ],
        dtype=object,
    )
    xy, owner = facility_points(geometries, spacing=25.0)
    # the point; the square's boundary every 25 m (8 points, the first repeated at the end);
    # the 40 m line in 2 pieces of 20 m; nothing for the missing and the empty geometry
    assert list(owner) == [0] + [2] * 9 + [3] * 3 + [5] * 2
    np.testing.assert_allclose(xy[0], [5.0, 5.0])
    assert shapely.distance(shapely.points(xy[1:10]), square.boundary).max() == 0.0
    np.testing.assert_allclose(np.hypot(*np.diff(xy[1:10], axis=0).T), 25.0)
    np.testing.assert_allclose(xy[10:13], [[0.0, 0.0], [20.0, 0.0], [40.0, 0.0]])
    np.testing.assert_allclose(xy[13:], [[1.0, 1.0], [2.0, 2.0]])


def test_snapping_points_a_chunk_at_a_time_gives_the_same_edges(monkeypatch):
    from observatory.kernels.network import snapping

    rng = np.random.default_rng(5)
    starts = rng.uniform(0, 3000, size=(80, 2))
    node_xy = np.vstack([starts, starts + rng.uniform(-300, 300, size=(80, 2))])
    network = network_from_edges(node_xy, np.column_stack([np.arange(80), np.arange(80) + 80]))
    points = np.vstack(
        [rng.uniform(-100, 3100, size=(500, 2)), rng.uniform(-20000, 20000, size=(40, 2))]
    )
    whole = snap_points(network, points)
    monkeypatch.setattr(snapping, "SNAP_CHUNK_POINTS", 7)  # 78 chunks, fallbacks in many
    chunked = snap_points(network, points)
    np.testing.assert_array_equal(chunked.edge, whole.edge)
    np.testing.assert_array_equal(chunked.offset, whole.offset)
    np.testing.assert_array_equal(chunked.connector, whole.connector)
