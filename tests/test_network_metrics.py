"""Tests of observatory.kernels.network.metrics: street length, land and intersections."""

from __future__ import annotations

import numpy as np
from network_cases import lines
from shapely.geometry import LineString, box

from observatory.kernels.network import (
    build_network,
    clipped_length_by_unit,
    consolidated_intersections,
    count_points_by_unit,
)


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
