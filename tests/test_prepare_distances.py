"""Network distances on a project prepared by ``observatory prepare osm``, checked independently.

What is compared
----------------
The small Helsinki project of ``test_cli_prepare`` (real OSM cut of tests/data, ODbL ©
OpenStreetMap contributors, EPSG:3067) is prepared with ``observatory prepare osm``. On its
``roads`` layer, the kernel (``build_network`` with the arguments of
``observatory.indicators.walking.walking_network``, ``snap_points``, ``nearest_distance``) gives
the distance from population-cell centres to the nearest school of the ``schools`` layer.

The reference is a networkx graph built here from the same road LINES, not from the kernel's
edges: motorways dropped, ordinary lines noded with ``shapely.union_all``, grade-separated lines
(bridges, tunnels) kept whole and joined only at their two end points (docs/methods/access.md,
section 1). Every origin and school is inserted at its projection on the nearest edge (bridges
and tunnels are not snap targets) and ``nx.multi_source_dijkstra_path_length`` runs from the
schools. Both must agree to 1e-6 relative; straight-line distances must not.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import rasterio
import shapely
from click.testing import CliRunner
from test_cli_prepare import CUT, write_project

from observatory.cli.main import cli
from observatory.kernels.network import (
    DEFAULT_EXCLUDED_CLASSES,
    build_network,
    grade_separated,
    nearest_distance,
    snap_points,
    straight_line_distance,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Roads, school points and ~20 populated cell centres of the prepared project."""
    folder = write_project(tmp_path_factory.mktemp("distances") / "project")
    result = CliRunner().invoke(cli, ["prepare", "osm", str(CUT), str(folder)])
    assert result.exit_code == 0, result.output
    roads = gpd.read_file(folder / "osm.gpkg", layer="roads").to_crs("EPSG:3067")
    schools = gpd.read_file(folder / "osm.gpkg", layer="schools").to_crs("EPSG:3067")
    units = gpd.read_file(folder / "units.gpkg", layer="districts")
    with rasterio.open(folder / "population.tif") as grid:
        rows, cols = np.mgrid[0 : grid.height, 0 : grid.width]
        x, y = rasterio.transform.xy(grid.transform, rows.ravel(), cols.ravel())
    centres = np.column_stack([x, y])
    inside = shapely.intersects(units.union_all(), shapely.points(centres))
    return roads, shapely.get_coordinates(schools.geometry.values), centres[inside][:20]


def kernel_distances(roads, schools_xy, origins_xy, *, bridges=True, snap_tolerance=1.0):
    """Kernel distances, network built as ``walking_network`` does (default 1 m tolerance)."""
    network = build_network(
        roads.geometry,
        road_classes=roads["class"].astype(str).to_numpy(),
        excluded_classes=DEFAULT_EXCLUDED_CLASSES,
        no_node=grade_separated(roads["grade_separated"]) if bridges else None,
        snap_tolerance=snap_tolerance,
    )
    destinations = snap_points(network, schools_xy)
    return nearest_distance(network, snap_points(network, origins_xy), destinations)


def reference_graph(roads):
    """networkx graph of the straight segments; the set of bridge/tunnel segments."""
    walkable = roads[~roads["class"].isin(DEFAULT_EXCLUDED_CLASSES)]
    flagged = grade_separated(walkable["grade_separated"])
    ordinary = shapely.get_parts(shapely.union_all(walkable.geometry.values[~flagged]))
    graph, bridge_segments = nx.Graph(), set()

    def add_line(line, key_of):
        xy = shapely.get_coordinates(line)
        keys = [key_of(k, tuple(p)) for k, p in enumerate(xy)]
        for a, b, pa, pb in zip(keys[:-1], keys[1:], xy[:-1], xy[1:], strict=True):
            graph.add_edge(a, b, weight=float(np.hypot(*(pb - pa))), xy=(pa, pb), first=a)
            yield a, b

    for line in ordinary:  # noded: lines meet at shared coordinates
        list(add_line(line, lambda k, p: p))
    for i, line in enumerate(shapely.get_parts(walkable.geometry.values[flagged])):
        last = len(shapely.get_coordinates(line)) - 1
        bridge_segments |= set(
            add_line(line, lambda k, p, i=i, n=last: p if k in (0, n) else (i, k))
        )
    return graph, bridge_segments


def insert_points(graph, bridge_segments, points_xy, tags):
    """Join every point to the foot of its projection on the nearest non-bridge segment."""
    edges = [e for e in graph.edges if e not in bridge_segments and e[::-1] not in bridge_segments]
    lines = shapely.linestrings([graph.edges[e]["xy"] for e in edges])
    nearest = shapely.STRtree(lines).nearest(shapely.points(points_xy))
    on_edge: dict[int, list] = {}
    for i, (point, j) in enumerate(zip(shapely.points(points_xy), nearest, strict=True)):
        offset = shapely.line_locate_point(lines[j], point)
        connector = shapely.distance(point, shapely.line_interpolate_point(lines[j], offset))
        on_edge.setdefault(int(j), []).append((offset, tags[i], connector))
    for j, feet in on_edge.items():
        u, v = edges[j]
        if graph.edges[u, v]["first"] != u:
            u, v = v, u  # offsets run from the segment's first coordinate
        length = graph.edges[u, v]["weight"]
        graph.remove_edge(u, v)
        chain, previous, at = sorted(feet), u, 0.0
        for offset, node, connector in chain:
            graph.add_edge(previous, ("foot", node), weight=offset - at)
            graph.add_edge(("foot", node), node, weight=connector)
            previous, at = ("foot", node), offset
        graph.add_edge(previous, v, weight=length - at)


def test_distances_match_an_independent_shortest_path(project):
    roads, schools_xy, origins_xy = project
    assert len(schools_xy) >= 2 and grade_separated(roads["grade_separated"]).sum() > 10
    graph, bridge_segments = reference_graph(roads)
    sources = [("school", i) for i in range(len(schools_xy))]
    origins = [("origin", i) for i in range(len(origins_xy))]
    insert_points(graph, bridge_segments, np.vstack([schools_xy, origins_xy]), sources + origins)
    reached = nx.multi_source_dijkstra_path_length(graph, sources)
    expected = np.array([reached.get(origin, np.inf) for origin in origins])
    assert np.isfinite(expected).sum() >= 15  # one cell centre sits on a detached fragment
    # Without end merging the kernel's graph is the reference's: equal to rounding (~1e-9 m).
    exact = kernel_distances(roads, schools_xy, origins_xy, snap_tolerance=0.0)
    np.testing.assert_allclose(exact, expected, rtol=1e-6)  # inf (unreachable) must match too
    # As the indicators run it, line ends closer than 1 m merge at their mean position: that
    # moves a node by under a millimetre here (0.75 mm on one origin), hence 1 cm absolute.
    indicator = kernel_distances(roads, schools_xy, origins_xy)
    np.testing.assert_allclose(indicator, expected, rtol=0, atol=0.01)
    # A wrong network is told apart: straight lines, or bridges noded like ordinary streets.
    reachable = np.isfinite(expected)
    crow = straight_line_distance(origins_xy, schools_xy)
    assert np.abs(crow[reachable] - expected[reachable]).max() > 50.0
    noded = kernel_distances(roads, schools_xy, origins_xy, bridges=False)
    assert np.abs(noded[reachable] - expected[reachable]).max() > 10.0
