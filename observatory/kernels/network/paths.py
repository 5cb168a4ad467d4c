"""Shortest distances along the street network, and the catchments built on them.

:func:`nearest_distance` gives, for every origin, the network distance to its nearest
destination, ``connector_o + along-edge + network path + along-edge + connector_d``, with one
multi-source shortest-path pass started at both ends of every destination's edge
(:func:`node_distance`: vectorised delta-stepping while the search front is wide, then
:func:`scipy.sparse.csgraph.dijkstra`); origin and destination on the same edge use the direct
along-edge distance. Unreachable origins get ``inf``, never 0.
:func:`straight_line_distance` is the explicit Euclidean alternative.

:func:`distance_pairs` (or :func:`straight_line_pairs`) and :func:`two_step_fca` give the
two-step floating catchment area ratio (Luo & Wang 2003).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from observatory.errors import ParameterError
from observatory.kernels.network.graph import StreetNetwork, concatenated_ranges
from observatory.kernels.network.snapping import Snapping

#: Working budget of the per-facility distance table in :func:`distance_pairs` (float64 cells).
_PAIR_TABLE_CELLS = 20_000_000

#: Delta-stepping bucket width, in mean edge lengths (2 was fastest on plain and chained grids).
_BUCKET_WIDTH_IN_EDGES = 2.0

#: A delta-stepping bucket that relaxes fewer nodes than this hands the rest of the search to
#: scipy's Dijkstra: below it, numpy's per-call overhead costs more than a heap (long chains of
#: nodes, a single source).
_MIN_BUCKET_NODES = 1000


def _edge_end_starts(network: StreetNetwork, points: Snapping):
    """Both ends of each snapped point's edge and the distance from the point to each end."""
    edge = points.edge
    u, v = network.edge_nodes[edge].T
    length = network.edge_length[edge]
    return np.concatenate([u, v]), np.concatenate(
        [points.connector + points.offset, points.connector + (length - points.offset)]
    )


def _with_virtual_sources(graph, group: np.ndarray, node: np.ndarray, weight: np.ndarray, n_groups):
    """``graph`` plus ``n_groups`` virtual nodes; virtual node ``group[k]`` links to ``node[k]``.

    The links go one way (virtual node to graph node) with length ``weight[k]``; the cheapest is
    kept when a virtual node links to the same node twice.
    """
    order = np.lexsort((weight, node, group))
    group, node, weight = group[order], node[order], weight[order]
    first = np.r_[True, (group[1:] != group[:-1]) | (node[1:] != node[:-1])]
    group, node, weight = group[first], node[first], weight[first]
    n = graph.shape[0]
    indptr = np.concatenate(
        [graph.indptr, graph.nnz + np.cumsum(np.bincount(group, minlength=n_groups))]
    )
    size = n + n_groups
    return sparse.csr_matrix(
        (
            np.concatenate([graph.data, weight]),
            np.concatenate([graph.indices, node.astype(graph.indices.dtype)]),
            indptr,
        ),
        shape=(size, size),
    )


def _virtual_sources(network: StreetNetwork, sources: Snapping, group: np.ndarray, n_groups: int):
    """The graph plus ``n_groups`` virtual nodes, each linked to its sources' edge ends."""
    node, weight = _edge_end_starts(network, sources)
    return _with_virtual_sources(
        network.graph, np.concatenate([group, group]), node, weight, n_groups
    )


def node_distance(network: StreetNetwork, destinations: Snapping) -> np.ndarray:
    """Network distance from every node to its nearest destination, in one multi-source pass.

    Every destination starts the search at both ends ``u``, ``v`` of its edge, at
    ``connector + offset`` and ``connector + (length - offset)``; the pass
    (:func:`_complete_shortest_distances`) then gives ``min_d dist(d, node)`` for every node.

    Parameters
    ----------
    network : StreetNetwork
    destinations : Snapping
        Snapped destinations; unsnapped ones are ignored.

    Returns
    -------
    numpy.ndarray
        ``(n_nodes,)`` distances in metres, ``inf`` where no destination is reachable.
    """
    distance = np.full(network.n_nodes, np.inf)
    keep = destinations.snapped
    if keep.any():
        node, start = _edge_end_starts(network, destinations.subset(keep))
        np.minimum.at(distance, node, start)
        _complete_shortest_distances(network, distance)
    return distance


def _complete_shortest_distances(network: StreetNetwork, distance: np.ndarray) -> None:
    """Turn ``distance``, finite at the start nodes only, into shortest distances (in place).

    Delta-stepping (Meyer & Sanders 2003, *J. Algorithms* 49(1): 114-152), vectorised with numpy.
    Let ``m`` be the smallest tentative distance not yet settled and ``Δ`` twice the mean edge
    length. The nodes with a tentative distance ``<= m + Δ`` form the bucket: they are relaxed all
    at once (``d(v) = min(d(v), d(u) + l(u, v))`` over their edges), and the nodes this improves
    within the bucket are relaxed again, until nothing improves. Every distance ``<= m + Δ`` is
    then final, because a shortest path reaches a node only through nodes that are not farther.
    The fixed point is the one Dijkstra's algorithm reaches, to the last bit: each distance is the
    smallest ``d(u) + l(u, v)`` over the neighbours ``u``, added in the same order.

    A wide search front (many destinations, a dense network) settles thousands of nodes per
    bucket, and this is about 2.5 times faster than a heap (``docs/benchmarks.md``). When a bucket
    relaxes fewer than ``_MIN_BUCKET_NODES`` nodes, the front is narrow and the numpy calls would
    cost more than the work: :func:`_finish_with_dijkstra` then settles the rest with a heap.
    """
    table = network.neighbour_table
    graph = network.graph
    bucket_width = _BUCKET_WIDTH_IN_EDGES * float(graph.data.mean()) if graph.nnz else 0.0
    settled = np.zeros(network.n_nodes, dtype=bool)
    queued = np.isfinite(distance)
    pending = np.flatnonzero(queued)
    copy_rank = np.zeros(network.n_nodes, dtype=np.int64)
    while pending.size:
        pending_distance = distance[pending]
        bound = pending_distance.min() + bucket_width
        in_bucket = pending_distance <= bound
        active = pending[in_bucket]
        later = [pending[~in_bucket]]
        relaxed = 0
        while active.size:
            relaxed += active.size
            settled[active] = True
            rows, row_distance = table.rows_of(active, distance[active])
            target = np.take(table.neighbour, rows, axis=0).ravel()
            candidate = np.take(table.length, rows, axis=0)
            candidate += row_distance[:, None]
            candidate = candidate.ravel()
            better = np.flatnonzero(candidate < distance[target])
            target, candidate = target[better], candidate[better]
            np.minimum.at(distance, target, candidate)
            # every improved node once: the last of its copies in `target`
            rank = np.arange(target.size)
            copy_rank[target] = rank
            improved = target[copy_rank[target] == rank]
            near = distance[improved] <= bound
            active = improved[near]
            far = improved[~near]
            far = far[~queued[far]]
            queued[far] = True
            later.append(far)
        pending = np.concatenate(later)
        pending = pending[~settled[pending]]
        if pending.size and relaxed < _MIN_BUCKET_NODES:
            _finish_with_dijkstra(graph, distance, settled, pending)
            return


def _finish_with_dijkstra(graph, distance, settled, pending) -> None:
    """Finish the unsettled nodes' distances with one scipy Dijkstra (in place).

    A virtual node links to every ``pending`` node with its tentative distance as the length. No
    shortest path to an unsettled node leaves a settled node except from its last settled node,
    whose relaxation the tentative distances already hold; so the settled nodes' own edges are
    not needed. When the settled nodes are the fewer, the graph is used whole (expanding them
    again costs less than copying the other rows); otherwise only the unsettled nodes' rows are
    kept, and a settled node may be reached but is never expanded.
    """
    n = graph.shape[0]
    unsettled = np.flatnonzero(~settled)
    if unsettled.size < n - unsettled.size:
        degree = graph.indptr[unsettled + 1] - graph.indptr[unsettled]
        entries = concatenated_ranges(graph.indptr[unsettled], degree)
        row_length = np.zeros(n, dtype=np.int64)
        row_length[unsettled] = degree
        graph = sparse.csr_matrix(
            (
                graph.data[entries],
                graph.indices[entries],
                np.concatenate([[0], np.cumsum(row_length)]),
            ),
            shape=(n, n),
        )
    rest = _with_virtual_sources(
        graph, np.zeros(pending.size, dtype=np.int64), pending, distance[pending], 1
    )
    finished = dijkstra(rest, directed=True, indices=[n], min_only=True)
    distance[unsettled] = finished[unsettled]


def _origin_distance(network: StreetNetwork, origins: Snapping, node_dist: np.ndarray):
    """Distance of snapped origins through either end of their edge (inf when unsnapped)."""
    result = np.full(len(origins), np.inf)
    ok = origins.snapped
    edge = origins.edge[ok]
    u, v = network.edge_nodes[edge].T
    along = np.minimum(
        origins.offset[ok] + node_dist[u],
        network.edge_length[edge] - origins.offset[ok] + node_dist[v],
    )
    result[ok] = origins.connector[ok] + along
    return result


def _same_edge_pairs(origins: Snapping, destinations: Snapping):
    """Origin and destination indices of every pair snapped onto the same edge."""
    dest = np.flatnonzero(destinations.snapped)
    dest = dest[np.argsort(destinations.edge[dest], kind="stable")]
    dest_edge = destinations.edge[dest]
    orig = np.flatnonzero(origins.snapped)
    lo = np.searchsorted(dest_edge, origins.edge[orig], side="left")
    hi = np.searchsorted(dest_edge, origins.edge[orig], side="right")
    count = hi - lo
    return np.repeat(orig, count), dest[concatenated_ranges(lo, count)]


def _direct_distance(origins: Snapping, destinations: Snapping, pair_origin, pair_dest):
    return (
        origins.connector[pair_origin]
        + np.abs(origins.offset[pair_origin] - destinations.offset[pair_dest])
        + destinations.connector[pair_dest]
    )


def nearest_distance(
    network: StreetNetwork, origins: Snapping, destinations: Snapping
) -> np.ndarray:
    """Network distance from every origin to its nearest destination.

    ``d(o) = min_d [c_o + along(o → end) + path(end, end') + along(end' → d) + c_d]``, where ``c``
    are connectors and ``along`` the distance along an edge; when ``o`` and ``d`` share an edge
    the direct ``c_o + |offset_o - offset_d| + c_d`` is also a candidate. One multi-source
    shortest-path pass serves all origins (see :func:`node_distance`).

    Parameters
    ----------
    network : StreetNetwork
    origins, destinations : Snapping
        From :func:`~observatory.kernels.network.snapping.snap_points` on this network.

    Returns
    -------
    numpy.ndarray
        ``(n_origins,)`` metres; ``inf`` for unreachable or unsnapped origins (never 0).
    """
    result = _origin_distance(network, origins, node_distance(network, destinations))
    pair_origin, pair_dest = _same_edge_pairs(origins, destinations)
    if pair_origin.size:
        direct = _direct_distance(origins, destinations, pair_origin, pair_dest)
        np.minimum.at(result, pair_origin, direct)
    return result


def straight_line_distance(origins_xy: np.ndarray, destinations_xy: np.ndarray) -> np.ndarray:
    """Euclidean distance from every origin to its nearest destination (k-d tree).

    Only for the explicit ``straight-line`` mode: it ignores the street network.

    Returns
    -------
    numpy.ndarray
        ``(n_origins,)`` metres, ``inf`` when there is no destination.
    """
    origins_xy = np.asarray(origins_xy, dtype=np.float64).reshape(-1, 2)
    destinations_xy = np.asarray(destinations_xy, dtype=np.float64).reshape(-1, 2)
    if destinations_xy.shape[0] == 0:
        return np.full(origins_xy.shape[0], np.inf)
    return cKDTree(destinations_xy).query(origins_xy)[0]


def distance_pairs(
    network: StreetNetwork, origins: Snapping, destinations: Snapping, *, limit: float
):
    """Every (origin, destination) pair within ``limit`` metres along the network.

    One bounded Dijkstra per destination (``scipy.sparse.csgraph.dijkstra`` with ``limit``),
    destinations processed in batches so memory stays bounded.

    Returns
    -------
    tuple of numpy.ndarray
        ``(origin_index, destination_index, distance)`` of the pairs with distance <= limit.
    """
    if not np.isfinite(limit) or limit < 0:
        raise ParameterError(f"limit must be a finite distance >= 0 metres, got {limit}.")
    out_o, out_d, out_dist = [], [], []
    dest_index = np.flatnonzero(destinations.snapped)
    orig = np.flatnonzero(origins.snapped)
    batch = max(1, min(64, _PAIR_TABLE_CELLS // max(network.n_nodes, 1)))
    # origins listed by the nodes of their edge, to visit only those near each destination
    end_node = network.edge_nodes[origins.edge[orig]].ravel()
    by_node = np.argsort(end_node, kind="stable") // 2
    node_start = np.concatenate([[0], np.cumsum(np.bincount(end_node, minlength=network.n_nodes))])
    for start in range(0, dest_index.size, batch):
        chunk = dest_index[start : start + batch]
        k = chunk.size
        graph = _virtual_sources(network, destinations.subset(chunk), np.arange(k), k)
        table = dijkstra(graph, directed=True, indices=network.n_nodes + np.arange(k), limit=limit)
        for row, dest in enumerate(table):
            near_nodes = np.flatnonzero(dest[: network.n_nodes] <= limit)
            count = node_start[near_nodes + 1] - node_start[near_nodes]
            local = np.unique(by_node[concatenated_ranges(node_start[near_nodes], count)])
            candidate = orig[local]
            u, v = network.edge_nodes[origins.edge[candidate]].T
            d = origins.connector[candidate] + np.minimum(
                origins.offset[candidate] + dest[u],
                network.edge_length[origins.edge[candidate]] - origins.offset[candidate] + dest[v],
            )
            near = d <= limit
            out_o.append(candidate[near])
            out_d.append(np.full(int(near.sum()), chunk[row]))
            out_dist.append(d[near])
    pair_origin, pair_dest = _same_edge_pairs(origins, destinations)
    direct = _direct_distance(origins, destinations, pair_origin, pair_dest)
    near = direct <= limit
    out_o.append(pair_origin[near])
    out_d.append(pair_dest[near])
    out_dist.append(direct[near])
    pair_o = np.concatenate(out_o).astype(np.int64)
    pair_d = np.concatenate(out_d).astype(np.int64)
    dist = np.concatenate(out_dist)
    # an origin sharing an edge with a destination appears twice: keep the shorter distance
    order = np.lexsort((dist, pair_d, pair_o))
    pair_o, pair_d, dist = pair_o[order], pair_d[order], dist[order]
    first = np.ones(pair_o.size, dtype=bool)
    first[1:] = (pair_o[1:] != pair_o[:-1]) | (pair_d[1:] != pair_d[:-1])
    return pair_o[first], pair_d[first], dist[first]


def straight_line_pairs(origins_xy: np.ndarray, destinations_xy: np.ndarray, *, limit: float):
    """Every (origin, destination) pair within ``limit`` metres in a straight line."""
    origins_xy = np.asarray(origins_xy, dtype=np.float64).reshape(-1, 2)
    destinations_xy = np.asarray(destinations_xy, dtype=np.float64).reshape(-1, 2)
    if origins_xy.shape[0] == 0 or destinations_xy.shape[0] == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    table = cKDTree(origins_xy).sparse_distance_matrix(
        cKDTree(destinations_xy), limit, output_type="ndarray"
    )
    return table["i"].astype(np.int64), table["j"].astype(np.int64), table["v"].astype(float)


def two_step_fca(
    demand: np.ndarray,
    supply: np.ndarray,
    origin_index: np.ndarray,
    destination_index: np.ndarray,
    distance: np.ndarray,
    *,
    catchment: float,
) -> np.ndarray:
    """Two-step floating catchment area accessibility (Luo & Wang 2003).

    Step 1, each facility ``j``: ``R_j = S_j / Σ_{k: d_kj <= d0} P_k`` (0 when no demand is in
    its catchment). Step 2, each demand site ``i``: ``A_i = Σ_{j: d_ij <= d0} R_j``.
    Source: Luo, W. and Wang, F. (2003), *Environment and Planning B* 30(6), 865–884; as in
    PySAL ``access`` ``fca.py`` (unweighted 2SFCA).

    Parameters
    ----------
    demand : numpy.ndarray
        ``P_i`` per demand site (e.g. population, or school-age population).
    supply : numpy.ndarray
        ``S_j`` per facility (e.g. seats).
    origin_index, destination_index, distance : numpy.ndarray
        Candidate pairs (from :func:`distance_pairs` or :func:`straight_line_pairs`).
    catchment : float
        ``d0`` in metres; a pair counts when ``distance <= catchment``.

    Returns
    -------
    numpy.ndarray
        ``A_i`` per demand site (supply per person).
    """
    demand = np.asarray(demand, dtype=np.float64)
    supply = np.asarray(supply, dtype=np.float64)
    inside = np.asarray(distance) <= catchment
    i = np.asarray(origin_index)[inside]
    j = np.asarray(destination_index)[inside]
    demand_in_catchment = np.bincount(j, weights=demand[i], minlength=supply.size)
    ratio = np.divide(
        supply, demand_in_catchment, out=np.zeros(supply.size), where=demand_in_catchment > 0
    )
    return np.bincount(i, weights=ratio[j], minlength=demand.size)
