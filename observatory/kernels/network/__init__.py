"""Walkable street networks: graph building, snapping, multi-source distances, catchments, metrics.

Pure numerics on in-memory geometries (no file IO). The modules, in the order a caller uses them:

1. :mod:`~observatory.kernels.network.noding`: :func:`build_network` turns a road line layer
   into a :class:`StreetNetwork` (:mod:`~observatory.kernels.network.graph`) of straight
   segments between nodes, in metres, noded at true crossings, bridges and tunnels joined only
   at their ends, close line ends merged; :func:`distance_crs` chooses the CRS to measure in.
2. :mod:`~observatory.kernels.network.snapping`: :func:`snap_points` projects origins and
   destinations onto their nearest edge (connector + position along the edge);
   :func:`facility_points` gives the points a facility is reached at.
3. :mod:`~observatory.kernels.network.paths`: :func:`nearest_distance` (one multi-source pass,
   :func:`node_distance`), :func:`distance_pairs` and :func:`two_step_fca` (2SFCA), and their
   straight-line alternatives.
4. :mod:`~observatory.kernels.network.metrics`: :func:`clipped_length_by_unit`,
   :func:`consolidated_intersections` and :func:`count_points_by_unit`, the street metrics per
   unit.
"""

from observatory.kernels.network.graph import NeighbourTable, StreetNetwork, network_from_edges
from observatory.kernels.network.metrics import (
    clipped_length_by_unit,
    consolidated_intersections,
    count_points_by_unit,
)
from observatory.kernels.network.noding import (
    DEFAULT_EXCLUDED_CLASSES,
    GRADE_SEPARATED_VALUES,
    build_network,
    distance_crs,
    grade_separated,
    is_metric_crs,
)
from observatory.kernels.network.paths import (
    distance_pairs,
    nearest_distance,
    node_distance,
    straight_line_distance,
    straight_line_pairs,
    two_step_fca,
)
from observatory.kernels.network.snapping import Snapping, facility_points, snap_points

__all__ = [
    "DEFAULT_EXCLUDED_CLASSES",
    "GRADE_SEPARATED_VALUES",
    "NeighbourTable",
    "Snapping",
    "StreetNetwork",
    "build_network",
    "clipped_length_by_unit",
    "consolidated_intersections",
    "count_points_by_unit",
    "distance_crs",
    "distance_pairs",
    "facility_points",
    "grade_separated",
    "is_metric_crs",
    "nearest_distance",
    "network_from_edges",
    "node_distance",
    "snap_points",
    "straight_line_distance",
    "straight_line_pairs",
    "two_step_fca",
]
