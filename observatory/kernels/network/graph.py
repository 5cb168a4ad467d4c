"""The street graph: :class:`StreetNetwork`, its fixed-width :class:`NeighbourTable`, and
:func:`network_from_edges`, which assembles a graph from nodes and straight edges.

Also the array helpers the other network modules share: :func:`concatenated_ranges`,
:func:`merge_close_points` and :func:`project_on_segments`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from observatory.errors import ParameterError


@dataclass(frozen=True)
class StreetNetwork:
    """An undirected street graph made of straight segments, lengths in metres.

    Parameters
    ----------
    node_xy : numpy.ndarray
        ``(n_nodes, 2)`` coordinates of the nodes in the network's projected CRS.
    edge_nodes : numpy.ndarray
        ``(n_edges, 2)`` integer node indices ``(u, v)`` of each straight segment; the position
        along an edge (see :class:`~observatory.kernels.network.snapping.Snapping`) is measured
        from ``u``.
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
    def snap_candidates(self) -> np.ndarray:
        """The edges points snap to: every edge but bridges and tunnels, unless all are."""
        ordinary = np.flatnonzero(~self.edge_no_node)
        return ordinary if ordinary.size else np.arange(self.n_edges)

    @cached_property
    def snap_tree(self) -> shapely.STRtree:
        """A spatial index of the :attr:`snap_candidates` (built on first use)."""
        return shapely.STRtree(self.edge_geometry[self.snap_candidates])


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
                    np.concatenate([nodes, concatenated_ranges(first, count)]),
                    np.concatenate([node_value, np.repeat(node_value, count)]),
                )
        return nodes, node_value


def concatenated_ranges(start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + c) for s, c in zip(start, count)])`` without a Python loop."""
    return np.repeat(start - np.cumsum(count) + count, count) + np.arange(count.sum())


def merge_close_points(xy: np.ndarray, tolerance: float) -> np.ndarray:
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


def project_on_segments(points: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Position ``t`` in [0, 1] of the foot of each point on segment a-b, and the distance."""
    ab = b - a
    squared = np.einsum("ij,ij->i", ab, ab)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.einsum("ij,ij->i", points - a, ab) / squared
    t = np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0)
    foot = a + t[:, None] * ab
    return t, np.hypot(*(points - foot).T)
