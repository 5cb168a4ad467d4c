"""Tests of observatory.kernels.network: graph building, snapping, distances, 2SFCA, metrics.

Coordinates are metres in UTM 29N (EPSG:32629); every expected distance is worked out by hand
in the comment next to it.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, box

from observatory.errors import CRSError, InputDataError, ParameterError
from observatory.kernels.network import (
    Snapping,
    build_network,
    clipped_length_by_unit,
    consolidated_intersections,
    count_points_by_unit,
    distance_pairs,
    nearest_distance,
    network_from_edges,
    node_distance,
    snap_points,
    straight_line_distance,
    straight_line_pairs,
    two_step_fca,
)

CRS = "EPSG:32629"


def lines(*geometries):
    return gpd.GeoSeries(list(geometries), crs=CRS)


def distance(network, origin_xy, destination_xy):
    origins = snap_points(network, np.atleast_2d(origin_xy))
    destinations = snap_points(network, np.atleast_2d(destination_xy))
    return nearest_distance(network, origins, destinations)


@pytest.fixture
def grid_network():
    """3 x 3 street grid, 100 m blocks, drawn as 6 straight lines that share no vertex at the
    inner crossings: noding must create the 9 nodes and 12 edges of 100 m."""
    horizontal = [LineString([(0, y), (200, y)]) for y in (0, 100, 200)]
    vertical = [LineString([(x, 0), (x, 200)]) for x in (0, 100, 200)]
    return build_network(lines(*horizontal, *vertical))


def test_grid_is_noded_at_crossings_without_shared_vertices(grid_network):
    assert grid_network.n_nodes == 9
    assert grid_network.n_edges == 12
    np.testing.assert_allclose(grid_network.edge_length, 100.0)
    assert grid_network.n_components == 1


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


def test_manhattan_distance_to_corner(grid_network):
    # (150, 10): 10 connector + 50 to (100, 0) + Manhattan 100 + 200 to (0, 200) = 360 m.
    assert distance(grid_network, (150, 10), (0, 200)) == pytest.approx([360.0])


def test_origin_and_destination_on_the_same_edge_use_the_direct_distance():
    network = build_network(lines(LineString([(0, 0), (1000, 0)])))
    # direct: 10 + |100 - 300| + 20 = 230 m (through the ends it would be 10+100+300+20 = 430)
    assert distance(network, (100, 10), (300, -20)) == pytest.approx([230.0])


def bridge_layer():
    road = LineString([(0, 0), (200, 0)])
    below = LineString([(100, -200), (100, -100)])
    bridge = LineString([(100, -100), (100, 100)])  # crosses the road at (100, 0), no vertex
    above = LineString([(100, 100), (100, 200)])
    return lines(road, below, bridge, above)


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


def test_points_do_not_snap_onto_bridges():
    network = build_network(bridge_layer(), no_node=[False, False, True, False])
    # (103, 50) is 3 m from the bridge and 50 m from the road: it snaps to the road
    snapped = snap_points(network, np.array([[103.0, 50.0]]))
    assert snapped.connector[0] == pytest.approx(50.0)


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


def test_unsnapped_points_beyond_max_distance_are_unreachable(grid_network):
    snapped = snap_points(grid_network, np.array([[150.0, 10.0], [150.0, 500.0]]), max_distance=50)
    assert list(snapped.snapped) == [True, False]
    school = snap_points(grid_network, np.array([[0.0, 0.0]]))
    result = nearest_distance(grid_network, snapped, school)
    assert result[0] == pytest.approx(10.0 + 150.0)  # 10 connector + 150 along y = 0
    assert result[1] == np.inf


def test_no_destination_gives_inf(grid_network):
    origins = snap_points(grid_network, np.array([[150.0, 10.0]]))
    nowhere = snap_points(grid_network, np.zeros((0, 2)))
    assert nearest_distance(grid_network, origins, nowhere) == [np.inf]


def test_nearest_of_several_destinations(grid_network):
    origins = snap_points(grid_network, np.array([[0.0, 0.0], [200.0, 200.0]]))
    schools = snap_points(grid_network, np.array([[0.0, 100.0], [200.0, 150.0]]))
    # (0,0) -> (0,100): 100 m; (200,200) -> (200,150): 50 m
    np.testing.assert_allclose(nearest_distance(grid_network, origins, schools), [100.0, 50.0])


def test_sdg_11_2_1_seed_distances():
    network = build_network(lines(LineString([(0, 0), (2000, 0)])))
    person = snap_points(network, np.array([[0.0, 0.0]]))
    bus = snap_points(network, np.array([[700.0, 0.0]]))
    tram = snap_points(network, np.array([[900.0, 0.0]]))
    bus_at_500 = snap_points(network, np.array([[500.0, 0.0]]))
    assert nearest_distance(network, person, bus)[0] == 700.0
    assert nearest_distance(network, person, tram)[0] == 900.0
    assert nearest_distance(network, person, bus_at_500)[0] == 500.0  # exactly, so <= 500


def test_straight_line_distance():
    result = straight_line_distance(np.array([[0.0, 0.0], [10.0, 0.0]]), np.array([[3.0, 4.0]]))
    # sqrt(3² + 4²) = 5; sqrt(7² + 4²) = sqrt(65)
    np.testing.assert_allclose(result, [5.0, np.sqrt(65.0)])
    assert straight_line_distance(np.array([[0.0, 0.0]]), np.zeros((0, 2))) == [np.inf]


def test_two_step_fca_seed():
    demand = np.array([100.0, 200.0])
    supply = np.array([3.0])
    # both sites within d0 = 1000: R = 3 / 300 = 0.01, A = (0.01, 0.01)
    access = two_step_fca(demand, supply, [0, 1], [0, 0], [500.0, 800.0], catchment=1000.0)
    np.testing.assert_allclose(access, [0.01, 0.01])
    # site 2 beyond d0: R = 3 / 100 = 0.03, A = (0.03, 0)
    access = two_step_fca(demand, supply, [0, 1], [0, 0], [500.0, 1500.0], catchment=1000.0)
    np.testing.assert_allclose(access, [0.03, 0.0])


def test_two_step_fca_on_the_network():
    network = build_network(lines(LineString([(0, 0), (3000, 0)])))
    school = snap_points(network, np.array([[400.0, 0.0]]))
    near = snap_points(network, np.array([[0.0, 0.0], [800.0, 0.0]]))  # 400 m and 400 m
    pairs = distance_pairs(network, near, school, limit=1000.0)
    np.testing.assert_allclose(pairs[2], [400.0, 400.0])
    np.testing.assert_allclose(
        two_step_fca([100.0, 200.0], [3.0], *pairs, catchment=1000.0), [0.01, 0.01]
    )
    far = snap_points(network, np.array([[0.0, 0.0], [1500.0, 0.0]]))  # 400 m and 1100 m
    pairs = distance_pairs(network, far, school, limit=1000.0)
    np.testing.assert_allclose(
        two_step_fca([100.0, 200.0], [3.0], *pairs, catchment=1000.0), [0.03, 0.0]
    )


def test_distance_pairs_match_nearest_distance(grid_network):
    rng = np.random.default_rng(7)
    points = rng.uniform(-20, 220, size=(40, 2))
    origins = snap_points(grid_network, points)
    schools = snap_points(grid_network, points[:3])
    o, d, dist = distance_pairs(grid_network, origins, schools, limit=1e6)
    nearest = np.full(40, np.inf)
    np.minimum.at(nearest, o, dist)
    np.testing.assert_allclose(nearest, nearest_distance(grid_network, origins, schools))


def test_straight_line_pairs():
    o, d, dist = straight_line_pairs(
        np.array([[0.0, 0.0], [0.0, 600.0]]), np.array([[0.0, 0.0]]), limit=500.0
    )
    assert list(o) == [0] and list(d) == [0] and list(dist) == [0.0]


def random_street_graph(seed: int):
    """600 nodes: random streets with float lengths, some of length 0, a hub of degree 40 (which
    needs extra rows in the neighbour table) and a detached block of 20 nodes."""
    rng = np.random.default_rng(seed)
    n = 600
    pairs = {tuple(sorted(p)) for p in rng.integers(0, 580, size=(1500, 2)) if p[0] != p[1]}
    pairs |= {(0, int(k)) for k in rng.choice(np.arange(1, 580), size=40, replace=False)}
    pairs |= {(k, k + 1) for k in range(580, 599)}
    edges = np.array(sorted(pairs))
    lengths = rng.uniform(1, 500, size=len(edges))
    lengths[rng.choice(len(edges), size=30, replace=False)] = 0.0
    return network_from_edges(rng.uniform(0, 5000, size=(n, 2)), edges, edge_length=lengths), rng


@pytest.mark.parametrize(
    ("bucket_width", "min_bucket_nodes"),
    [
        (2.0, 0),  # delta-stepping all the way, buckets of 2 mean edges (the default)
        (0.05, 0),  # delta-stepping all the way, thin buckets
        (2.0, 10**9),  # scipy's Dijkstra after one wide bucket: most nodes settled
        (0.05, 10**9),  # scipy's Dijkstra after one thin bucket: few nodes settled
        (0.3, 30),  # thin buckets, then scipy's Dijkstra for the narrow tail (late handoff)
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_node_distances_equal_networkx_bit_for_bit(
    monkeypatch, bucket_width, min_bucket_nodes, seed
):
    monkeypatch.setattr("observatory.kernels.network._BUCKET_WIDTH_IN_EDGES", bucket_width)
    monkeypatch.setattr("observatory.kernels.network._MIN_BUCKET_NODES", min_bucket_nodes)
    network, rng = random_street_graph(seed)
    edge = rng.choice(np.flatnonzero(network.edge_nodes.max(axis=1) < 580), size=12)
    offset = rng.uniform(0, 1, size=12) * network.edge_length[edge]
    connector = rng.uniform(0, 50, size=12)
    result = node_distance(network, Snapping(edge, offset, connector))

    graph = nx.Graph()
    graph.add_nodes_from(range(network.n_nodes))
    graph.add_weighted_edges_from(
        (int(u), int(v), float(w))
        for (u, v), w in zip(network.edge_nodes, network.edge_length, strict=True)
    )
    u, v = network.edge_nodes[edge].T
    starts = np.r_[connector + offset, connector + (network.edge_length[edge] - offset)]
    for node, start in zip(np.r_[u, v], starts, strict=True):
        old = graph.get_edge_data("start", int(node), {"weight": np.inf})["weight"]
        graph.add_edge("start", int(node), weight=min(old, float(start)))
    expected = nx.single_source_dijkstra_path_length(graph, "start")
    expected = np.array([expected.get(node, np.inf) for node in range(network.n_nodes)])
    assert np.array_equal(result, expected)
    assert np.isinf(result[580:]).all()  # the detached block has no destination
    assert np.isfinite(result[:580]).sum() > 500


def test_neighbour_table_puts_the_neighbours_of_a_busy_node_in_extra_rows():
    # node 0 has 5 neighbours, the others 1: width = int(99th percentile) = 4
    network = network_from_edges(
        np.zeros((6, 2)), [(0, k) for k in range(1, 6)], edge_length=[10.0, 20, 30, 40, 50]
    )
    table = network.neighbour_table
    assert table.neighbour.shape == (7, 4)
    assert list(table.extra_start) == [6, 7, 7, 7, 7, 7, 7]
    assert list(table.neighbour[0]) == [1, 2, 3, 4]
    assert list(table.neighbour[6]) == [5, 0, 0, 0]  # unused cells point at the node itself
    assert list(table.length[6]) == [50.0, np.inf, np.inf, np.inf]
    rows, value = table.rows_of(np.array([2, 0]), np.array([7.0, 8.0]))
    assert list(rows) == [2, 0, 6] and list(value) == [7.0, 8.0, 8.0]


def test_intersections_on_a_hand_drawn_network():
    network = build_network(
        lines(
            LineString([(-100, 0), (100, 0)]),  # '+' at (0, 0): 4 ends -> 1
            LineString([(0, -100), (0, 100)]),
            LineString([(200, 0), (400, 0)]),  # 'T' at (300, 0): 3 ends -> 1
            LineString([(300, 0), (300, 100)]),
            LineString([(500, 0), (600, 0), (600, 100)]),  # bend and dead ends -> 0
            LineString([(700, 0), (900, 0)]),  # two T's 5 m apart -> 1 after 12 m merge
            LineString([(800, 0), (800, 100)]),
            LineString([(805, 0), (805, -100)]),
        )
    )
    found = consolidated_intersections(network, tolerance=12.0)
    np.testing.assert_allclose(
        found[np.argsort(found[:, 0])], [[0.0, 0.0], [300.0, 0.0], [802.5, 0.0]]
    )
    assert len(consolidated_intersections(network, tolerance=1.0)) == 4


def test_street_length_and_land_by_unit():
    network = build_network(
        lines(LineString([(-100, 0), (100, 0)]), LineString([(0, -100), (0, 100)]))
    )
    units = np.array([box(-50, -50, 50, 50), box(500, 500, 600, 600), box(-200, -200, 200, 200)])
    # the '+' clipped to the 100 m square: 100 + 100 = 200 m; none in the far square;
    # the whole '+' (4 edges of 100 m, all inside) in the big square: 400 m
    np.testing.assert_allclose(clipped_length_by_unit(network, units), [200.0, 0.0, 400.0])
    widths = np.full(network.n_edges, 10.0)
    np.testing.assert_allclose(
        clipped_length_by_unit(network, units, edge_weight=widths), [2000.0, 0.0, 4000.0]
    )


def test_points_on_a_shared_border_are_counted_once():
    units = np.array([box(0, 0, 10, 10), box(10, 0, 20, 10)])
    counts = count_points_by_unit(np.array([[10.0, 5.0], [15.0, 5.0], [50.0, 50.0]]), units)
    assert counts.sum() == 2
    assert counts[1] >= 1


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


def test_distance_pairs_with_no_pair_within_the_limit():
    # Two separate 100 m streets; the facility is on the other one: no pair at all.
    lines = gpd.GeoSeries(
        [LineString([(0, 0), (100, 0)]), LineString([(0, 500), (100, 500)])], crs="EPSG:32629"
    )
    network = build_network(lines)
    origins = snap_points(network, np.array([[50.0, 1.0]]))
    destinations = snap_points(network, np.array([[50.0, 501.0]]))
    pair_o, pair_d, dist = distance_pairs(network, origins, destinations, limit=300.0)
    assert pair_o.size == pair_d.size == dist.size == 0
