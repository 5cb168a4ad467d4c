"""Benchmark: nearest-facility network distances, Observatory vs networkx.

Run with ``python -m benchmarks.bench_network`` (``--side 1000`` gives the 1,000,000-node
network of the issue; ``--side 300`` is a quick check). It prints a Markdown table.

1. Distance pass. A jittered square street grid of ``side × side`` nodes (4-neighbour streets,
   lengths rounded to whole metres so that both engines add exactly the same numbers) and
   ``--facilities`` facilities on random nodes. Observatory: one multi-source pass
   (:func:`observatory.kernels.network.paths.node_distance`: vectorised delta-stepping, then scipy's
   Dijkstra for the narrow end); scipy alone: ``dijkstra(min_only=True)`` on the same graph, what
   the kernel did before; networkx: ``multi_source_dijkstra_path_length``, the call a user would
   otherwise write. Graph construction (for Observatory with its neighbour table) is timed
   separately. The distances must be identical (exact equality).
   Then the same pass for 1 to 5,000 facilities against scipy alone: few facilities make a
   narrow search front, where the kernel hands over to scipy's Dijkstra early.
2. Graph building from lines: :func:`build_network` on a grid of long lines that are not split
   at crossings (noding, merging, components), the size of a regional road layer.
3. The access and street indicators on the bundled sample (Rabat-Salé-Kénitra), through the
   engine as ``observatory compute`` runs them, with the time of each step and the regional
   values (``--no-sample`` skips it).
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString

import observatory.indicators.access
import observatory.indicators.streets  # noqa: F401  (registers the street indicators)
from observatory.engine import run
from observatory.kernels.network import Snapping, build_network, network_from_edges, node_distance
from observatory.project import load_project
from observatory.sample import bundled_folder

SAMPLE_INDICATORS = (
    "sdg_11_2_1",
    "sdg_11_7_1_access",
    "school_access",
    "school_distance",
    "school_seats_per_child",
    "health_access",
    "street_density",
    "intersection_density",
    "street_land_share",
    "sdg_11_7_1_share",
)


def street_grid(side: int, *, seed: int = 0):
    """Nodes of a jittered ``side × side`` grid (100 m spacing) and its 4-neighbour edges."""
    rng = np.random.default_rng(seed)
    rows, cols = np.divmod(np.arange(side * side), side)
    xy = np.column_stack([cols * 100.0, rows * 100.0]) + rng.uniform(-20, 20, (side * side, 2))
    node = np.arange(side * side).reshape(side, side)
    edges = np.vstack(
        [
            np.column_stack([node[:, :-1].ravel(), node[:, 1:].ravel()]),
            np.column_stack([node[:-1, :].ravel(), node[1:, :].ravel()]),
        ]
    )
    lengths = np.round(np.hypot(*(xy[edges[:, 1]] - xy[edges[:, 0]]).T))
    return xy, edges, lengths


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def bench_distances(
    side: int, n_facilities: int, *, repeat: int = 3, seed: int = 0
) -> list[tuple[str, str]]:
    xy, edges, lengths = street_grid(side, seed=seed)
    rng = np.random.default_rng(seed + 1)
    facility_edges = rng.choice(len(edges), size=n_facilities, replace=False)
    facility_nodes = {int(u) for u in edges[facility_edges, 0]}

    def observatory_network():
        network = network_from_edges(xy, edges, edge_length=lengths)
        network.neighbour_table  # noqa: B018  (built on first use; timed with the graph)
        return network

    network, build_obs = timed(observatory_network)
    at_nodes = Snapping(facility_edges, np.zeros(n_facilities), np.zeros(n_facilities))

    def networkx_graph():
        graph = nx.Graph()
        graph.add_weighted_edges_from(
            zip(edges[:, 0].tolist(), edges[:, 1].tolist(), lengths.tolist(), strict=True)
        )
        return graph

    graph, build_nx = timed(networkx_graph)
    # best of `repeat` runs of each engine, interleaved so that both see the same machine load
    run_obs = run_scipy = run_nx = np.inf
    for _ in range(repeat):
        ours, seconds = timed(node_distance, network, at_nodes)
        run_obs = min(run_obs, seconds)
        scipy_only, seconds = timed(
            dijkstra, network.graph, indices=sorted(facility_nodes), min_only=True
        )
        run_scipy = min(run_scipy, seconds)
        theirs_dict, seconds = timed(nx.multi_source_dijkstra_path_length, graph, facility_nodes)
        run_nx = min(run_nx, seconds)
    theirs = np.full(network.n_nodes, np.inf)
    theirs[list(theirs_dict)] = list(theirs_dict.values())
    identical = bool(np.array_equal(ours, theirs) and np.array_equal(scipy_only, theirs))
    max_difference = float(np.max(np.abs(ours - theirs)))
    return [
        ("nodes / edges", f"{network.n_nodes:,} / {network.n_edges:,}"),
        ("facilities (distinct nodes)", f"{n_facilities} ({len(facility_nodes)})"),
        ("Observatory graph build (s)", f"{build_obs:.2f}"),
        ("networkx graph build (s)", f"{build_nx:.2f}"),
        (f"Observatory distance pass (s, best of {repeat})", f"{run_obs:.3f}"),
        (f"scipy dijkstra alone (s, best of {repeat})", f"{run_scipy:.3f}"),
        (f"networkx multi_source_dijkstra (s, best of {repeat})", f"{run_nx:.2f}"),
        ("speed-up vs networkx, distance pass", f"{run_nx / run_obs:.1f}×"),
        ("speed-up vs scipy alone, distance pass", f"{run_scipy / run_obs:.1f}×"),
        ("speed-up, build + pass", f"{(build_nx + run_nx) / (build_obs + run_obs):.1f}×"),
        ("identical distances (all three)", f"{identical} (max |diff| = {max_difference:g} m)"),
        ("mean / max distance (m)", f"{ours.mean():.0f} / {ours.max():.0f}"),
    ]


def bench_front_width(
    side: int, counts: tuple[int, ...], *, repeat: int = 3, seed: int = 0
) -> list[tuple[str, str]]:
    """Observatory vs scipy alone for few to many facilities on the same grid."""
    xy, edges, lengths = street_grid(side, seed=seed)
    network = network_from_edges(xy, edges, edge_length=lengths)
    rng = np.random.default_rng(seed + 2)
    rows = []
    for count in counts:
        facility_edges = rng.choice(len(edges), size=count, replace=False)
        at_nodes = Snapping(facility_edges, np.zeros(count), np.zeros(count))
        nodes = np.unique(edges[facility_edges, 0])
        run_obs = run_scipy = np.inf
        for _ in range(repeat):
            ours, seconds = timed(node_distance, network, at_nodes)
            run_obs = min(run_obs, seconds)
            theirs, seconds = timed(dijkstra, network.graph, indices=nodes, min_only=True)
            run_scipy = min(run_scipy, seconds)
        same = "identical" if np.array_equal(ours, theirs) else "DIFFERENT"
        rows.append(
            (
                f"{count:,} facilit{'y' if count == 1 else 'ies'}: Observatory / scipy alone (s)",
                f"{run_obs:.3f} / {run_scipy:.3f} ({run_scipy / run_obs:.1f}×, {same})",
            )
        )
    return rows


def bench_build(lines_per_axis: int, *, seed: int = 0) -> list[tuple[str, str]]:
    """Noding a layer of long lines crossing without shared vertices (a regional road layer)."""
    rng = np.random.default_rng(seed)
    extent = lines_per_axis * 100.0
    positions = np.arange(lines_per_axis) * 100.0 + 50.0
    geometries = []
    for position in positions:
        wobble = rng.uniform(-10, 10, 21)
        steps = np.linspace(0, extent, 21)
        geometries.append(LineString(np.column_stack([steps, position + wobble])))
        geometries.append(LineString(np.column_stack([position + wobble, steps])))
    layer = gpd.GeoSeries(geometries, crs="EPSG:32629")
    network, elapsed = timed(build_network, layer)
    return [
        ("input lines (vertices)", f"{len(layer):,} ({len(layer) * 21:,})"),
        ("noded network nodes / edges", f"{network.n_nodes:,} / {network.n_edges:,}"),
        ("components", f"{network.n_components}"),
        ("build_network (s)", f"{elapsed:.2f}"),
    ]


def bench_sample() -> list[tuple[str, str]]:
    """The access and street indicators of the sample, timed step by step."""
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    results = run(
        load_project(bundled_folder("sample_data")),
        indicator_ids=SAMPLE_INDICATORS,
        progress=lambda message: marks.append((message, time.perf_counter())),
    )
    total = time.perf_counter() - start
    times: dict[str, float] = {}
    ends = [moment for _, moment in marks[1:]] + [start + total]
    for (message, moment), end in zip(marks, ends, strict=True):
        if message.startswith("["):
            indicator_id = message.split()[1]
            times[indicator_id] = times.get(indicator_id, 0.0) + end - moment
    table = results.long_table()
    region = table[table["level"] == table["level"].iloc[0]]
    values = region.set_index("indicator")["value"]
    rows = [("all indicators (s)", f"{total:.1f}")]
    for indicator_id in SAMPLE_INDICATORS:
        rows.append(
            (
                f"{indicator_id}: time (s) / region value",
                f"{times.get(indicator_id, float('nan')):.1f} / {values.get(indicator_id):.3g}",
            )
        )
    rows.append(("warnings", str(len(results.warnings))))
    return rows


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n### {title}\n\n| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=1000, help="grid side (nodes = side²)")
    parser.add_argument("--facilities", type=int, default=500)
    parser.add_argument("--lines", type=int, default=250, help="lines per axis for noding")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each engine")
    parser.add_argument("--no-sample", action="store_true", help="skip the sample indicators")
    args = parser.parse_args()
    print_table(
        f"Nearest facility, {args.side}×{args.side} street grid, {args.facilities} facilities",
        bench_distances(args.side, args.facilities, repeat=args.repeat),
    )
    print_table(
        f"Search-front width, {args.side}×{args.side} grid",
        bench_front_width(args.side, (1, 50, 500, 5000), repeat=args.repeat),
    )
    print_table(f"build_network on {2 * args.lines} crossing lines", bench_build(args.lines))
    if not args.no_sample:
        print_table("Access and street indicators on the sample", bench_sample())


if __name__ == "__main__":
    main()
