"""Tests of observatory.kernels.network.graph: the graph, its neighbour table, the helpers."""

from __future__ import annotations

import numpy as np
import pytest

from observatory.errors import ParameterError
from observatory.kernels.network import network_from_edges
from observatory.kernels.network.graph import (
    concatenated_ranges,
    merge_close_points,
    project_on_segments,
)


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


def test_network_from_edges_drops_self_loops_and_measures_straight_lengths():
    network = network_from_edges([(0, 0), (3, 4), (3, 0)], [(0, 1), (1, 1), (1, 2)])
    # (0,0)-(3,4): 5 m; (3,4)-(3,0): 4 m; the loop (1, 1) is dropped
    assert network.n_edges == 2
    np.testing.assert_allclose(network.edge_length, [5.0, 4.0])
    assert network.n_components == 1


def test_network_from_edges_keeps_the_shortest_of_parallel_edges():
    network = network_from_edges([(0, 0), (100, 0)], [(0, 1), (1, 0)], edge_length=[120.0, 100.0])
    assert network.n_edges == 2
    assert network.graph[0, 1] == network.graph[1, 0] == 100.0


def test_network_from_edges_refuses_unknown_nodes_and_negative_lengths():
    with pytest.raises(ParameterError, match="not in node_xy"):
        network_from_edges([(0, 0), (1, 0)], [(0, 2)])
    with pytest.raises(ParameterError, match="non-negative"):
        network_from_edges([(0, 0), (1, 0)], [(0, 1)], edge_length=[-1.0])


def test_concatenated_ranges():
    # arange(5, 7), arange(9, 9), arange(2, 5)
    assert list(concatenated_ranges(np.array([5, 9, 2]), np.array([2, 0, 3]))) == [5, 6, 2, 3, 4]


def test_project_on_segments_clamps_the_foot_to_the_segment():
    a = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    b = np.array([[10.0, 0.0], [10.0, 0.0], [1.0, 1.0]])
    points = np.array([[4.0, 3.0], [-3.0, 4.0], [4.0, 5.0]])
    t, distance = project_on_segments(points, a, b)
    # foot (4, 0): t = 0.4, 3 m; before the start: foot (0, 0), 5 m; a segment of length 0:
    # t = 0, foot (1, 1), sqrt(3² + 4²) = 5 m
    np.testing.assert_allclose(t, [0.4, 0.0, 0.0])
    np.testing.assert_allclose(distance, [3.0, 5.0, 5.0])


def test_merge_close_points_links_chains_of_close_points():
    # 0-1 and 1-2 are 0.8 m apart: one cluster (single linkage) although 0-2 is 1.6 m apart
    label = merge_close_points(np.array([[0.0, 0.0], [0.8, 0.0], [1.6, 0.0], [10.0, 0.0]]), 1.0)
    assert label[0] == label[1] == label[2] != label[3]
    assert merge_close_points(np.zeros((0, 2)), 1.0).size == 0
