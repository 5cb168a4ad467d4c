"""Points onto the street network: :func:`snap_points` projects origins and destinations onto
their **nearest edge** (never a bridge or tunnel when ordinary edges exist), keeping the
connector (perpendicular distance) and the position along the edge, not the nearest node
(GHSCI issue #653 shows why). :func:`facility_points` gives the points a facility is reached
at: the point itself, or points along a line or a polygon's boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import cKDTree

from observatory.kernels.network.graph import StreetNetwork, project_on_segments

#: Points snapped at a time (their candidate edges take about 200 MB of temporaries).
SNAP_CHUNK_POINTS = 1 << 18


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
    t, distance = project_on_segments(points_xy, network.node_xy[u], network.node_xy[v])
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
    candidates = network.snap_candidates
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
        tree = cKDTree(samples)
        every_sample = min(16, samples.shape[0]) == samples.shape[0]
        left = []
        # Points a chunk at a time: the k candidates of a point are k × 40 bytes of
        # temporaries, so memory stays bounded whatever the number of points.
        for start in range(0, todo.size, SNAP_CHUNK_POINTS):
            chunk = todo[start : start + SNAP_CHUNK_POINTS]
            edge, distance, proven = _nearest_sampled_edges(
                points_xy[chunk], tree, owner, a, b, spacing
            )
            if every_sample:
                proven[:] = True  # every sample was a candidate
            best_edge[chunk[proven]] = edge[proven]
            best_distance[chunk[proven]] = distance[proven]
            left.append(chunk[~proven])
        todo = np.concatenate(left)
    if todo.size:
        found = network.snap_tree.query_nearest(shapely.points(points_xy[todo]), all_matches=False)
        best_edge[todo[found[0]]] = found[1]
        _, best_distance[todo] = project_on_segments(
            points_xy[todo], a[best_edge[todo]], b[best_edge[todo]]
        )
    return candidates[best_edge], best_distance


def _nearest_sampled_edges(points_xy, tree, owner, a, b, spacing):
    """For each point, the nearest of the edges of its k nearest samples, the distance to it,
    and whether it is proven the nearest edge of all (``d <= r_k - spacing / 2``)."""
    k = min(16, tree.n)
    radius, index = tree.query(points_xy, k=k, workers=-1)  # all cores, same answers
    radius, index = radius.reshape(-1, k), index.reshape(-1, k)
    edge_k = owner[index]
    point_k = np.repeat(points_xy, k, axis=0)
    _, distance_k = project_on_segments(point_k, a[edge_k.ravel()], b[edge_k.ravel()])
    distance_k = distance_k.reshape(-1, k)
    pick = np.argmin(distance_k, axis=1)
    rows = np.arange(points_xy.shape[0])
    found_distance = distance_k[rows, pick]
    return edge_k[rows, pick], found_distance, found_distance <= radius[:, -1] - spacing / 2


def facility_points(geometries: np.ndarray, *, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """The points facilities are reached at, and the geometry each point belongs to.

    Points stay points; polygons (open spaces) are entered from their boundary, sampled every
    ``spacing`` metres; lines are sampled the same way. Missing and empty geometries give no
    point.

    Parameters
    ----------
    geometries : numpy.ndarray
        Shapely geometries in a projected CRS in metres.
    spacing : float
        Largest distance in metres between two points sampled along a boundary or a line.

    Returns
    -------
    tuple of numpy.ndarray
        ``(n, 2)`` coordinates and, for each point, the position of its geometry in
        ``geometries``.
    """
    geometries = np.asarray(geometries, dtype=object)
    position = np.arange(geometries.size)
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    geometries, position = geometries[present], position[present]
    polygonal = np.isin(shapely.get_type_id(geometries), (3, 6))
    outline = np.where(polygonal, shapely.boundary(geometries), geometries)
    point_like = np.isin(shapely.get_type_id(outline), (0, 4))
    outline = np.where(point_like, outline, shapely.segmentize(outline, spacing))
    xy, index = shapely.get_coordinates(outline, return_index=True)
    return xy, position[index]
