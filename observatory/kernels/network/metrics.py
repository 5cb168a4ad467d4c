"""Street metrics per unit: :func:`clipped_length_by_unit` (street length, or street land with
a width per edge), :func:`consolidated_intersections` and :func:`count_points_by_unit`.
"""

from __future__ import annotations

import numpy as np
import shapely

from observatory.kernels.network.graph import StreetNetwork, merge_close_points


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
    label[junction] = merge_close_points(network.node_xy[junction], tolerance)
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
