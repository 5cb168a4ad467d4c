"""Tests of observatory.kernels.network.paths: nearest distances, pairs and 2SFCA.

Coordinates are metres in UTM 29N (EPSG:32629); every expected distance is worked out by hand
in the comment next to it.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from network_cases import distance, lines, street_grid
from shapely.geometry import LineString

from observatory.kernels.network import (
    Snapping,
    build_network,
    distance_pairs,
    nearest_distance,
    network_from_edges,
    node_distance,
    snap_points,
    straight_line_distance,
    straight_line_pairs,
    two_step_fca,
)


@pytest.fixture
def grid_network():
    return street_grid()


def test_manhattan_distance_to_corner(grid_network):
    # (150, 10): 10 connector + 50 to (100, 0) + Manhattan 100 + 200 to (0, 200) = 360 m.
    assert distance(grid_network, (150, 10), (0, 200)) == pytest.approx([360.0])


def test_origin_and_destination_on_the_same_edge_use_the_direct_distance():
    network = build_network(lines(LineString([(0, 0), (1000, 0)])))
    # direct: 10 + |100 - 300| + 20 = 230 m (through the ends it would be 10+100+300+20 = 430)
    assert distance(network, (100, 10), (300, -20)) == pytest.approx([230.0])


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
    monkeypatch.setattr("observatory.kernels.network.paths._BUCKET_WIDTH_IN_EDGES", bucket_width)
    monkeypatch.setattr("observatory.kernels.network.paths._MIN_BUCKET_NODES", min_bucket_nodes)
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
    o, _d, dist = distance_pairs(grid_network, origins, schools, limit=1e6)
    nearest = np.full(40, np.inf)
    np.minimum.at(nearest, o, dist)
    np.testing.assert_allclose(nearest, nearest_distance(grid_network, origins, schools))


def test_straight_line_pairs():
    o, d, dist = straight_line_pairs(
        np.array([[0.0, 0.0], [0.0, 600.0]]), np.array([[0.0, 0.0]]), limit=500.0
    )
    assert list(o) == [0] and list(d) == [0] and list(dist) == [0.0]


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
