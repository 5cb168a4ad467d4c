"""Walkable street networks: graph building, snapping, multi-source distances, catchments, metrics.

Pure numerics on in-memory geometries (no file IO). The pieces, in the order a caller uses them:

1. :func:`build_network` turns a road line layer as technicians have it into a graph of straight
   segments between nodes, in metres:

   - lines of an excluded road class (motorways by default) are dropped;
   - ordinary lines are **noded where they truly intersect**, even without a shared vertex, and
     overlapping duplicates are dissolved (GEOS noding through :func:`shapely.union_all`);
   - **bridge/tunnel rule**: a line flagged in ``no_node`` (a bridge, a tunnel, any grade-separated
     crossing) is never split where it crosses other lines and joins the network **only through
     its two end points**; its inner vertices never connect, even when another line has a vertex
     at the same place;
   - line end points closer than ``snap_tolerance`` are merged into one node, and a dangling end
     point (a node with one edge) within ``snap_tolerance`` of an ordinary segment is joined to
     that segment, which is split there (undershoots, bridges ending on a road);
   - connected components are labelled and kept: nothing is silently dropped, and points snapped
     to a fragment that holds no facility come out as unreachable.

2. :func:`snap_points` projects origins and destinations onto their **nearest edge** (never a
   bridge or tunnel when ordinary edges exist): the connector (perpendicular distance) plus the
   position along the edge, not the nearest node (GHSCI issue #653 shows why).

3. :func:`nearest_distance` gives, for every origin, the network distance to its nearest
   destination, ``connector_o + along-edge + network path + along-edge + connector_d``, with one
   multi-source shortest-path pass started at both ends of every destination's edge
   (:func:`node_distance`: vectorised delta-stepping while the search front is wide, then
   :func:`scipy.sparse.csgraph.dijkstra`); origin and destination on the same edge use the
   direct along-edge distance. Unreachable origins get ``inf``, never 0.
   :func:`straight_line_distance` is the explicit Euclidean alternative.

4. :func:`distance_pairs` and :func:`two_step_fca` give the two-step floating catchment area
   ratio (Luo & Wang 2003).

5. :func:`clipped_length_by_unit`, :func:`consolidated_intersections` and
   :func:`count_points_by_unit` give the street metrics per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from observatory.errors import CRSError, InputDataError, ParameterError

#: Road classes left out of the walking network unless the caller says otherwise.
DEFAULT_EXCLUDED_CLASSES = ("motorway", "motorway_link")

#: Working budget of the per-facility distance table in :func:`distance_pairs` (float64 cells).
_PAIR_TABLE_CELLS = 20_000_000

#: Delta-stepping bucket width, in mean edge lengths (2 was fastest on plain and chained grids).
_BUCKET_WIDTH_IN_EDGES = 2.0

#: A delta-stepping bucket that relaxes fewer nodes than this hands the rest of the search to
#: scipy's Dijkstra: below it, numpy's per-call overhead costs more than a heap (long chains of
#: nodes, a single source).
_MIN_BUCKET_NODES = 1000


@dataclass(frozen=True)
class StreetNetwork:
    """An undirected street graph made of straight segments, lengths in metres.

    Parameters
    ----------
    node_xy : numpy.ndarray
        ``(n_nodes, 2)`` coordinates of the nodes in the network's projected CRS.
    edge_nodes : numpy.ndarray
        ``(n_edges, 2)`` integer node indices ``(u, v)`` of each straight segment; the position
        along an edge (see :class:`Snapping`) is measured from ``u``.
    edge_length : numpy.ndarray
        Length of each edge in metres.
    edge_class : numpy.ndarray
        Road class of the line each edge comes from (``""`` when the layer has none).
    edge_line : numpy.ndarray
        Position (0-based) in the input layer of the line each edge comes from (-1 if synthetic).
    edge_no_node : numpy.ndarray
        True for edges of bridges/tunnels (lines flagged ``no_node``).
    graph : scipy.sparse.csr_matrix
        Symmetric ``(n_nodes, n_nodes)`` adjacency holding the shortest edge between two nodes.
    component : numpy.ndarray
        Connected-component label of every node.
    component_size : numpy.ndarray
        Number of nodes of each component, indexed by label.
    """

    node_xy: np.ndarray
    edge_nodes: np.ndarray
    edge_length: np.ndarray
    edge_class: np.ndarray
    edge_line: np.ndarray
    edge_no_node: np.ndarray
    graph: sparse.csr_matrix
    component: np.ndarray
    component_size: np.ndarray

    @property
    def n_nodes(self) -> int:
        return int(self.node_xy.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.edge_nodes.shape[0])

    @property
    def n_components(self) -> int:
        return int(self.component_size.shape[0])

    @cached_property
    def node_degree(self) -> np.ndarray:
        """Number of edge ends at every node (parallel edges counted)."""
        return np.bincount(self.edge_nodes.ravel(), minlength=self.n_nodes)

    @cached_property
    def edge_geometry(self) -> np.ndarray:
        """Every edge as a shapely LineString (array of objects)."""
        return shapely.linestrings(self.node_xy[self.edge_nodes])

    @cached_property
    def neighbour_table(self) -> NeighbourTable:
        """The adjacency of :attr:`graph` as fixed-width rows (built on first use)."""
        return NeighbourTable.from_graph(self.graph)

    @cached_property
    def _snap_candidates(self) -> np.ndarray:
        ordinary = np.flatnonzero(~self.edge_no_node)
        return ordinary if ordinary.size else np.arange(self.n_edges)

    @cached_property
    def _snap_tree(self) -> shapely.STRtree:
        return shapely.STRtree(self.edge_geometry[self._snap_candidates])


@dataclass(frozen=True)
class NeighbourTable:
    """A graph's adjacency as rows of equal width, to relax many nodes in a few numpy calls.

    Row ``i`` holds the first ``width`` neighbours of node ``i`` and the lengths of the edges to
    them; the further neighbours of a node of higher degree fill the extra rows
    ``extra_start[i]:extra_start[i + 1]`` that follow the node rows. ``width`` is the 99th
    percentile of the degree, so extra rows are rare. Unused cells point at the node itself with
    an infinite length, which never improves a distance.

    Parameters
    ----------
    neighbour : numpy.ndarray
        ``(n_rows, width)`` neighbour node indices.
    length : numpy.ndarray
        ``(n_rows, width)`` edge lengths in metres (``inf`` in unused cells).
    extra_start : numpy.ndarray
        ``(n_nodes + 1,)`` first extra row of every node (``n_nodes`` before the first).
    """

    neighbour: np.ndarray
    length: np.ndarray
    extra_start: np.ndarray

    @classmethod
    def from_graph(cls, graph: sparse.csr_matrix) -> NeighbourTable:
        """Lay out the rows of a CSR adjacency matrix."""
        n = graph.shape[0]
        degree = np.diff(graph.indptr)
        width = max(1, int(np.percentile(degree, 99))) if n else 1
        extra_rows = -(-np.maximum(degree - width, 0) // width)
        extra_start = n + np.concatenate([[0], np.cumsum(extra_rows)])
        owner = np.concatenate([np.arange(n), np.repeat(np.arange(n), extra_rows)])
        neighbour = np.repeat(owner[:, None], width, axis=1)
        length = np.full(neighbour.shape, np.inf)
        node = np.repeat(np.arange(n), degree)
        rank = np.arange(graph.nnz) - graph.indptr[node]
        row = np.where(rank < width, node, extra_start[node] + (rank - width) // width)
        neighbour[row, rank % width] = graph.indices
        length[row, rank % width] = graph.data
        return cls(neighbour=neighbour, length=length, extra_start=extra_start)

    @cached_property
    def has_extra_rows(self) -> bool:
        return bool(self.extra_start[-1] > self.extra_start[0])

    def rows_of(self, nodes: np.ndarray, node_value: np.ndarray):
        """The rows of ``nodes``, and for each row the value of its node in ``node_value``."""
        if self.has_extra_rows:
            first = self.extra_start[nodes]
            count = self.extra_start[nodes + 1] - first
            if count.any():
                return (
                    np.concatenate([nodes, _concatenated_ranges(first, count)]),
                    np.concatenate([node_value, np.repeat(node_value, count)]),
                )
        return nodes, node_value


def _concatenated_ranges(start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + c) for s, c in zip(start, count)])`` without a Python loop."""
    return np.repeat(start - np.cumsum(count) + count, count) + np.arange(count.sum())


@dataclass(frozen=True)
class Snapping:
    """Points projected onto their nearest edge of a :class:`StreetNetwork`.

    Parameters
    ----------
    edge : numpy.ndarray
        Index of the edge of each point, -1 when the point was not snapped (farther than
        ``max_distance`` or an empty network).
    offset : numpy.ndarray
        Distance in metres along the edge from its first node ``u`` to the foot of the point.
    connector : numpy.ndarray
        Straight distance in metres from the point to its foot on the edge (``inf`` if unsnapped).
    """

    edge: np.ndarray
    offset: np.ndarray
    connector: np.ndarray

    @property
    def snapped(self) -> np.ndarray:
        """Boolean mask of the points that have an edge."""
        return self.edge >= 0

    def subset(self, index: np.ndarray) -> Snapping:
        """The points selected by ``index`` (a boolean mask or positions)."""
        return Snapping(self.edge[index], self.offset[index], self.connector[index])

    def __len__(self) -> int:
        return int(self.edge.shape[0])


def _require_metric_crs(lines) -> None:
    crs = lines.crs
    if crs is None:
        raise CRSError(
            "the road layer has no CRS; assign the CRS it was drawn in (e.g. "
            "roads.set_crs('EPSG:26191')) before building the network."
        )
    if not crs.is_projected:
        raise CRSError(
            f"the road layer is in the geographic CRS {crs.to_string()}, where lengths would be "
            "in degrees; reproject it to a projected CRS in metres first (e.g. EPSG:26191 or "
            "ESRI:54009)."
        )
    unit = (crs.axis_info[0].unit_name or "").lower() if crs.axis_info else ""
    if unit not in ("metre", "meter", "m"):
        raise CRSError(
            f"the road layer's CRS {crs.to_string()} measures in '{unit}', not metres; "
            "reproject it to a projected CRS in metres."
        )


def _merge_close_points(xy: np.ndarray, tolerance: float) -> np.ndarray:
    """Label points so that points within ``tolerance`` (single linkage) share a label."""
    if xy.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    pairs = cKDTree(xy).query_pairs(r=tolerance, output_type="ndarray")
    links = sparse.coo_matrix(
        (np.ones(pairs.shape[0]), (pairs[:, 0], pairs[:, 1])), shape=(xy.shape[0],) * 2
    )
    return connected_components(links, directed=False)[1]


def _shortest_edge_graph(n_nodes: int, u: np.ndarray, v: np.ndarray, length: np.ndarray):
    """Symmetric CSR adjacency keeping, between two nodes, only the shortest edge."""
    low, high = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((length, high, low))
    key = low[order].astype(np.int64) * n_nodes + high[order]
    first = np.r_[True, key[1:] != key[:-1]] if key.size else np.zeros(0, dtype=bool)
    keep = order[first]
    rows = np.concatenate([low[keep], high[keep]])
    cols = np.concatenate([high[keep], low[keep]])
    data = np.concatenate([length[keep], length[keep]]).astype(np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(n_nodes, n_nodes))


def network_from_edges(
    node_xy: np.ndarray,
    edge_nodes: np.ndarray,
    *,
    edge_length: np.ndarray | None = None,
    edge_class: Sequence | None = None,
    edge_line: np.ndarray | None = None,
    edge_no_node: np.ndarray | None = None,
) -> StreetNetwork:
    """Assemble a :class:`StreetNetwork` from nodes and straight edges already noded.

    Parameters
    ----------
    node_xy : numpy.ndarray
        ``(n, 2)`` node coordinates in metres.
    edge_nodes : numpy.ndarray
        ``(m, 2)`` node indices of each edge. Self-loops are dropped.
    edge_length : numpy.ndarray, optional
        Edge lengths in metres; default the straight distance between the two nodes.
    edge_class, edge_line, edge_no_node : array-like, optional
        Road class, source line and bridge/tunnel flag of each edge.

    Returns
    -------
    StreetNetwork
    """
    node_xy = np.asarray(node_xy, dtype=np.float64).reshape(-1, 2)
    edge_nodes = np.asarray(edge_nodes, dtype=np.int64).reshape(-1, 2)
    n_edges = edge_nodes.shape[0]
    if n_edges and (edge_nodes.min() < 0 or edge_nodes.max() >= node_xy.shape[0]):
        raise ParameterError("edge_nodes refers to nodes that are not in node_xy.")
    if edge_length is None:
        ends = node_xy[edge_nodes]
        edge_length = np.hypot(*(ends[:, 1] - ends[:, 0]).T)
    edge_length = np.asarray(edge_length, dtype=np.float64)
    if np.any(~np.isfinite(edge_length)) or np.any(edge_length < 0):
        raise ParameterError("edge lengths must be finite and non-negative (metres).")
    edge_class = np.full(n_edges, "", dtype=object) if edge_class is None else edge_class
    edge_line = np.full(n_edges, -1, dtype=np.int64) if edge_line is None else edge_line
    edge_no_node = np.zeros(n_edges, dtype=bool) if edge_no_node is None else edge_no_node
    keep = edge_nodes[:, 0] != edge_nodes[:, 1]
    edge_nodes = edge_nodes[keep]
    edge_length = edge_length[keep]
    graph = _shortest_edge_graph(node_xy.shape[0], edge_nodes[:, 0], edge_nodes[:, 1], edge_length)
    _, component = connected_components(graph, directed=False)
    return StreetNetwork(
        node_xy=node_xy,
        edge_nodes=edge_nodes,
        edge_length=edge_length,
        edge_class=np.asarray(edge_class, dtype=object)[keep],
        edge_line=np.asarray(edge_line, dtype=np.int64)[keep],
        edge_no_node=np.asarray(edge_no_node, dtype=bool)[keep],
        graph=graph,
        component=component,
        component_size=np.bincount(component) if component.size else np.zeros(0, np.int64),
    )


def build_network(
    lines,
    *,
    road_classes: Sequence | None = None,
    excluded_classes: Sequence[str] = DEFAULT_EXCLUDED_CLASSES,
    no_node: Sequence[bool] | None = None,
    snap_tolerance: float = 1.0,
) -> StreetNetwork:
    """Build a walkable street graph from a road line layer.

    Parameters
    ----------
    lines : geopandas.GeoSeries
        LineStrings / MultiLineStrings in a projected CRS in metres. Lines need not be split at
        crossings. Empty and missing geometries are skipped.
    road_classes : sequence of str, optional
        Road class of every line (e.g. the OSM ``highway`` value), aligned with ``lines``.
    excluded_classes : sequence of str, default ``("motorway", "motorway_link")``
        Classes left out of the network (motorways are not walkable).
    no_node : sequence of bool, optional
        True for bridges, tunnels and other grade-separated lines: they are not noded where
        they cross other lines and connect only through their two end points.
    snap_tolerance : float, default 1.0
        Line ends closer than this (metres) are merged; a dangling end this close to an
        ordinary segment is joined to it.

    Returns
    -------
    StreetNetwork
        Edges are the straight segments of the noded lines; lengths are Euclidean in metres.

    Raises
    ------
    CRSError
        The layer has no CRS or is not in a projected CRS in metres.
    InputDataError
        The layer holds geometries that are not lines.
    ParameterError
        ``road_classes`` or ``no_node`` do not match the layer, or a negative tolerance.
    """
    _require_metric_crs(lines)
    if snap_tolerance < 0:
        raise ParameterError(f"snap_tolerance must be >= 0 metres, got {snap_tolerance}.")
    geometries = np.asarray(lines.geometry.values, dtype=object)
    n_lines = geometries.shape[0]
    classes = _aligned(road_classes, n_lines, "road_classes", "", object)
    flagged = _aligned(no_node, n_lines, "no_node", False, bool)

    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    type_ids = shapely.get_type_id(geometries)
    not_lines = present & ~np.isin(type_ids, (1, 2, 5))  # LineString, LinearRing, Multi
    if not_lines.any():
        kinds = sorted({shapely.get_type_id(g) for g in geometries[not_lines]})
        raise InputDataError(
            f"the road layer holds {int(not_lines.sum())} geometries that are not lines "
            f"(shapely type ids {kinds}, first at row {int(np.flatnonzero(not_lines)[0])}); "
            "keep only LineString/MultiLineString features."
        )
    walkable = present & ~np.isin(classes.astype(str), list(excluded_classes))
    parts, part_line = shapely.get_parts(geometries[walkable], return_index=True)
    part_line = np.flatnonzero(walkable)[part_line]
    part_flagged = flagged[part_line]

    pieces, piece_line = _node_ordinary_lines(parts[~part_flagged], part_line[~part_flagged])
    pieces = np.concatenate([pieces, parts[part_flagged]])
    piece_line = np.concatenate([piece_line, part_line[part_flagged]])
    piece_flagged = np.concatenate(
        [np.zeros(piece_line.size - part_flagged.sum(), bool), np.ones(part_flagged.sum(), bool)]
    )

    xy, vertex_piece = shapely.get_coordinates(pieces, return_index=True)
    n_vertices = xy.shape[0]
    same_piece_next = vertex_piece[1:] == vertex_piece[:-1]
    is_first = np.r_[True, ~same_piece_next] if n_vertices else np.zeros(0, bool)
    is_last = np.r_[~same_piece_next, True] if n_vertices else np.zeros(0, bool)
    is_end = is_first | is_last

    # Piece ends merge within the tolerance; inner vertices stay distinct nodes.
    node_of_vertex = np.empty(n_vertices, dtype=np.int64)
    end_label = _merge_close_points(xy[is_end], snap_tolerance)
    n_end_nodes = int(end_label.max()) + 1 if end_label.size else 0
    node_of_vertex[is_end] = end_label
    node_of_vertex[~is_end] = n_end_nodes + np.arange(int((~is_end).sum()))
    n_nodes = n_end_nodes + int((~is_end).sum())
    counts = np.bincount(node_of_vertex, minlength=n_nodes).astype(np.float64)
    node_xy = (
        np.column_stack(
            [np.bincount(node_of_vertex, weights=xy[:, axis], minlength=n_nodes) for axis in (0, 1)]
        )
        / np.maximum(counts, 1)[:, None]
    )

    start = np.flatnonzero(same_piece_next)
    edge_nodes = np.column_stack([node_of_vertex[start], node_of_vertex[start + 1]])
    edge_piece = vertex_piece[start]
    edge_line = piece_line[edge_piece]
    edge_no_node = piece_flagged[edge_piece]
    not_loop = edge_nodes[:, 0] != edge_nodes[:, 1]
    edge_nodes, edge_line, edge_no_node = (
        edge_nodes[not_loop],
        edge_line[not_loop],
        edge_no_node[not_loop],
    )
    if snap_tolerance > 0:
        edge_nodes, edge_line, edge_no_node = _join_dangling_ends(
            node_xy, edge_nodes, edge_line, edge_no_node, snap_tolerance
        )
    return network_from_edges(
        node_xy,
        edge_nodes,
        edge_class=classes[edge_line],
        edge_line=edge_line,
        edge_no_node=edge_no_node,
    )


def _aligned(values, n: int, name: str, default, dtype) -> np.ndarray:
    if values is None:
        return np.full(n, default, dtype=dtype)
    array = np.asarray(values, dtype=dtype)
    if array.shape != (n,):
        raise ParameterError(
            f"{name} has {array.size} values but the road layer has {n} lines; give one per line."
        )
    return array


def _node_ordinary_lines(parts: np.ndarray, part_line: np.ndarray):
    """Node lines at every intersection; return the pieces and the input line of each."""
    if parts.size == 0:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64)
    pieces = shapely.get_parts(shapely.union_all(parts))
    pieces = pieces[shapely.get_type_id(pieces) == 1]
    midpoints = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    nearest = shapely.STRtree(parts).query_nearest(midpoints, all_matches=False)
    source = np.empty(pieces.size, dtype=np.int64)
    source[nearest[0]] = part_line[nearest[1]]
    return pieces, source


def _join_dangling_ends(node_xy, edge_nodes, edge_line, edge_no_node, tolerance):
    """Split ordinary edges at the dangling nodes lying within ``tolerance`` of them."""
    degree = np.bincount(edge_nodes.ravel(), minlength=node_xy.shape[0])
    dangles = np.flatnonzero(degree == 1)
    targets = np.flatnonzero(~edge_no_node)
    if dangles.size == 0 or targets.size == 0:
        return edge_nodes, edge_line, edge_no_node
    tree = shapely.STRtree(shapely.linestrings(node_xy[edge_nodes[targets]]))
    which, hit = tree.query(
        shapely.points(node_xy[dangles]), predicate="dwithin", distance=tolerance
    )
    dangle, edge = dangles[which], targets[hit]
    own = (edge_nodes[edge, 0] == dangle) | (edge_nodes[edge, 1] == dangle)
    dangle, edge = dangle[~own], edge[~own]
    if dangle.size == 0:
        return edge_nodes, edge_line, edge_no_node
    t, distance = _project(
        node_xy[dangle], node_xy[edge_nodes[edge, 0]], node_xy[edge_nodes[edge, 1]]
    )
    # each dangling node joins only its nearest edge
    order = np.lexsort((distance, dangle))
    first = np.r_[True, dangle[order][1:] != dangle[order][:-1]]
    dangle, edge, t = dangle[order][first], edge[order][first], t[order][first]
    # split each edge at its dangles, ordered along the edge: u -> d1 -> d2 ... -> v
    order = np.lexsort((t, edge))
    dangle, edge = dangle[order], edge[order]
    group_start = np.r_[True, edge[1:] != edge[:-1]]
    group_end = np.r_[edge[1:] != edge[:-1], True]
    previous = np.where(group_start, edge_nodes[edge, 0], np.roll(dangle, 1))
    new_nodes = np.vstack(
        [
            np.column_stack([previous, dangle]),
            np.column_stack([dangle[group_end], edge_nodes[edge[group_end], 1]]),
        ]
    )
    new_source = np.concatenate([edge, edge[group_end]])
    kept = np.ones(edge_nodes.shape[0], dtype=bool)
    kept[edge] = False
    return (
        np.vstack([edge_nodes[kept], new_nodes]),
        np.concatenate([edge_line[kept], edge_line[new_source]]),
        np.concatenate([edge_no_node[kept], edge_no_node[new_source]]),
    )


def _project(points: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Position ``t`` in [0, 1] of the foot of each point on segment a-b, and the distance."""
    ab = b - a
    squared = np.einsum("ij,ij->i", ab, ab)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.einsum("ij,ij->i", points - a, ab) / squared
    t = np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0)
    foot = a + t[:, None] * ab
    return t, np.hypot(*(points - foot).T)


def snap_points(
    network: StreetNetwork, points_xy: np.ndarray, *, max_distance: float | None = None
) -> Snapping:
    """Snap points onto their nearest edge (not their nearest node).

    The foot of a point is its orthogonal projection on the nearest edge (clamped to the edge's
    ends). Bridges and tunnels are not snap targets when the network has other edges.

    Parameters
    ----------
    network : StreetNetwork
    points_xy : numpy.ndarray
        ``(n, 2)`` coordinates in the network's CRS.
    max_distance : float, optional
        Points farther than this (metres) from every edge are left unsnapped (``edge == -1``)
        and come out unreachable.

    Returns
    -------
    Snapping
    """
    points_xy = np.asarray(points_xy, dtype=np.float64).reshape(-1, 2)
    n = points_xy.shape[0]
    edge = np.full(n, -1, dtype=np.int64)
    offset = np.zeros(n)
    connector = np.full(n, np.inf)
    if n == 0 or network.n_edges == 0:
        return Snapping(edge, offset, connector)
    nearest_edge, _ = _nearest_edges(network, points_xy)
    u, v = network.edge_nodes[nearest_edge].T
    t, distance = _project(points_xy, network.node_xy[u], network.node_xy[v])
    keep = np.ones(n, dtype=bool) if max_distance is None else distance <= max_distance
    edge[keep] = nearest_edge[keep]
    offset[keep] = t[keep] * network.edge_length[nearest_edge[keep]]
    connector[keep] = distance[keep]
    return Snapping(edge, offset, connector)


def _nearest_edges(network: StreetNetwork, points_xy: np.ndarray):
    """Exact nearest snap-candidate edge of every point, and the distance to it.

    Fast path: the edges are sampled every ``spacing`` metres (so every point of an edge is
    within ``h = spacing / 2`` of one of its samples) and a k-d tree gives the k nearest samples
    of each point. The nearest of their edges, at distance ``d``, is proven nearest when
    ``d <= r_k - h`` (``r_k``: distance of the k-th sample): any other edge has all its
    samples at ``>= r_k`` and so lies at ``>= r_k - h``. Points not proven try a coarser
    spacing, and the last ones an exact STRtree search.
    """
    candidates = network._snap_candidates
    a = network.node_xy[network.edge_nodes[candidates, 0]]
    b = network.node_xy[network.edge_nodes[candidates, 1]]
    length = np.hypot(*(b - a).T)
    best_edge = np.full(points_xy.shape[0], -1, dtype=np.int64)
    best_distance = np.full(points_xy.shape[0], np.inf)
    todo = np.arange(points_xy.shape[0])
    finest = max(25.0, float(length.sum()) / 2e6)  # at most ~2 million samples
    for spacing in (finest, 8 * finest, 64 * finest, 512 * finest):
        if todo.size == 0:
            break
        pieces = np.ceil(length / spacing).astype(np.int64)
        owner = np.repeat(np.arange(candidates.size), pieces + 1)
        first = np.repeat(np.cumsum(pieces + 1) - (pieces + 1), pieces + 1)
        fraction = (np.arange(owner.size) - first) / np.maximum(pieces[owner], 1)
        samples = a[owner] + fraction[:, None] * (b[owner] - a[owner])
        k = min(16, samples.shape[0])
        radius, index = cKDTree(samples).query(points_xy[todo], k=k)
        radius, index = radius.reshape(todo.size, k), index.reshape(todo.size, k)
        edge_k = owner[index]
        point_k = np.repeat(points_xy[todo], k, axis=0)
        _, distance_k = _project(point_k, a[edge_k.ravel()], b[edge_k.ravel()])
        distance_k = distance_k.reshape(todo.size, k)
        pick = np.argmin(distance_k, axis=1)
        rows = np.arange(todo.size)
        found_distance = distance_k[rows, pick]
        proven = found_distance <= radius[:, -1] - spacing / 2
        if k == samples.shape[0]:
            proven[:] = True  # every sample was a candidate
        best_edge[todo[proven]] = edge_k[rows, pick][proven]
        best_distance[todo[proven]] = found_distance[proven]
        todo = todo[~proven]
    if todo.size:
        found = network._snap_tree.query_nearest(shapely.points(points_xy[todo]), all_matches=False)
        best_edge[todo[found[0]]] = found[1]
        _, best_distance[todo] = _project(points_xy[todo], a[best_edge[todo]], b[best_edge[todo]])
    return candidates[best_edge], best_distance


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
        entries = _concatenated_ranges(graph.indptr[unsettled], degree)
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
    return np.repeat(orig, count), dest[_concatenated_ranges(lo, count)]


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
        From :func:`snap_points` on this network.

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
            local = np.unique(by_node[_concatenated_ranges(node_start[near_nodes], count)])
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


def clipped_length_by_unit(
    network: StreetNetwork,
    units: np.ndarray,
    *,
    edge_weight: np.ndarray | None = None,
) -> np.ndarray:
    """Σ over edges of (length of the edge inside the unit × weight), per unit.

    With no weight this is the street length inside each unit (metres); with carriageway
    widths per edge it is the street land area (m²).

    Parameters
    ----------
    network : StreetNetwork
    units : numpy.ndarray
        Polygons (shapely array) in the network's CRS.
    edge_weight : numpy.ndarray, optional
        A factor per edge (default 1).
    """
    units = np.asarray(units, dtype=object)
    total = np.zeros(units.shape[0])
    if network.n_edges == 0 or units.size == 0:
        return total
    weight = np.ones(network.n_edges) if edge_weight is None else np.asarray(edge_weight, float)
    tree = shapely.STRtree(network.edge_geometry)
    unit, edge = tree.query(units, predicate="intersects")
    whole_unit, whole_edge = tree.query(units, predicate="contains_properly")
    total = np.bincount(
        whole_unit,
        weights=shapely.length(network.edge_geometry[whole_edge]) * weight[whole_edge],
        minlength=units.shape[0],
    )
    # only the edges crossing a unit's boundary need clipping
    crossing = ~np.isin(unit * network.n_edges + edge, whole_unit * network.n_edges + whole_edge)
    unit, edge = unit[crossing], edge[crossing]
    inside = shapely.length(shapely.intersection(network.edge_geometry[edge], units[unit]))
    return total + np.bincount(unit, weights=inside * weight[edge], minlength=units.shape[0])


def consolidated_intersections(network: StreetNetwork, *, tolerance: float = 12.0) -> np.ndarray:
    """Street intersections: clusters of junction nodes with at least 3 street ends.

    Nodes that are not plain vertices of a street (degree != 2) and lie within ``tolerance``
    metres of each other (single linkage) form one intersection, as GHSCI's "clean intersections
    12 m". The street ends of a cluster are the ends of the edges that leave it
    (``Σ degree - 2 × edges inside the cluster``); a cluster with >= 3 is an intersection, so
    dead ends and bends are not counted (OSMnx ``basic_stats`` semantics).

    Returns
    -------
    numpy.ndarray
        ``(k, 2)`` coordinates of the intersections (mean of the cluster's nodes).
    """
    degree = network.node_degree
    junction = np.flatnonzero(degree != 2) if network.n_nodes else np.zeros(0, np.int64)
    junction = junction[degree[junction] > 0]
    label = np.full(network.n_nodes, -1, dtype=np.int64)
    label[junction] = _merge_close_points(network.node_xy[junction], tolerance)
    n_clusters = int(label.max()) + 1 if junction.size else 0
    if n_clusters == 0:
        return np.zeros((0, 2))
    ends = np.bincount(label[junction], weights=degree[junction], minlength=n_clusters)
    lu, lv = label[network.edge_nodes[:, 0]], label[network.edge_nodes[:, 1]]
    internal = (lu == lv) & (lu >= 0)
    ends -= 2 * np.bincount(lu[internal], minlength=n_clusters)
    size = np.bincount(label[junction], minlength=n_clusters)
    centre = (
        np.column_stack(
            [
                np.bincount(label[junction], weights=network.node_xy[junction, axis])
                for axis in (0, 1)
            ]
        )
        / size[:, None]
    )
    return centre[ends >= 3]


def count_points_by_unit(points_xy: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Number of points in each polygon; a point on a shared border counts in the first unit."""
    units = np.asarray(units, dtype=object)
    points_xy = np.asarray(points_xy, dtype=np.float64).reshape(-1, 2)
    if points_xy.shape[0] == 0 or units.size == 0:
        return np.zeros(units.shape[0], dtype=np.int64)
    point, unit = shapely.STRtree(units).query(shapely.points(points_xy), predicate="intersects")
    order = np.lexsort((unit, point))
    point, unit = point[order], unit[order]
    first = np.r_[True, point[1:] != point[:-1]]
    return np.bincount(unit[first], minlength=units.shape[0])
