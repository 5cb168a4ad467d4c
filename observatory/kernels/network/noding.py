"""From a road line layer to a :class:`~observatory.kernels.network.graph.StreetNetwork`.

:func:`build_network` turns a road line layer as technicians have it into a graph of straight
segments between nodes, in metres:

- lines of an excluded road class (motorways by default) are dropped;
- ordinary lines are **noded where they truly intersect**, even without a shared vertex, and
  overlapping duplicates are dissolved (GEOS noding through :func:`shapely.union_all`);
- **bridge/tunnel rule**: a line flagged in ``no_node`` (a bridge, a tunnel, any grade-separated
  crossing; :func:`grade_separated` reads the flags from a text field) is never split where it
  crosses other lines and joins the network **only through its two end points**; its inner
  vertices never connect, even when another line has a vertex at the same place;
- line end points closer than ``snap_tolerance`` are merged into one node, and a dangling end
  point (a node with one edge) within ``snap_tolerance`` of an ordinary segment is joined to
  that segment, which is split there (undershoots, bridges ending on a road);
- connected components are labelled and kept: nothing is silently dropped, and points snapped
  to a fragment that holds no facility come out as unreachable.

Lengths are only measured in a projected CRS in metres: :func:`distance_crs` chooses one for a
layer (its own, or its local UTM zone).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from observatory.errors import CRSError, InputDataError, ParameterError
from observatory.kernels.network.graph import (
    StreetNetwork,
    merge_close_points,
    network_from_edges,
    project_on_segments,
)

#: Road classes left out of the walking network unless the caller says otherwise.
DEFAULT_EXCLUDED_CLASSES = ("motorway", "motorway_link")

#: Values of a roads' bridge field (any case, spaces trimmed) that mark a grade-separated line.
GRADE_SEPARATED_VALUES = {"1", "true", "t", "yes", "y", "oui", "bridge", "tunnel"}

#: Names of the metre unit in a CRS's axis information.
_METRE_NAMES = ("metre", "meter", "m")


def grade_separated(values: pd.Series) -> np.ndarray:
    """True where a value of a roads' bridge field marks a bridge or tunnel.

    The values are compared as trimmed lower-case text with :data:`GRADE_SEPARATED_VALUES`;
    missing values are False. The result is the ``no_node`` of :func:`build_network`.
    """
    text = values.astype("string").str.strip().str.lower().fillna("")
    return text.isin(GRADE_SEPARATED_VALUES).to_numpy(dtype=bool)


def _axis_unit(crs: CRS) -> str:
    """Lower-case unit name of the first axis of ``crs`` (``""`` when it has no axis)."""
    return (crs.axis_info[0].unit_name or "").lower() if crs.axis_info else ""


def is_metric_crs(crs: CRS) -> bool:
    """True when ``crs`` is projected and measures in metres."""
    return crs.is_projected and _axis_unit(crs) in _METRE_NAMES


def distance_crs(layer) -> CRS:
    """The CRS to measure distances of ``layer`` in.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame or geopandas.GeoSeries
        The roads (or, without roads, the units).

    Returns
    -------
    pyproj.CRS
        The layer's CRS when it is projected in metres, else the layer's local UTM zone.

    Raises
    ------
    CRSError
        The layer has no CRS.
    """
    if layer.crs is None:
        raise CRSError(
            "the roads layer has no CRS; set the CRS it was drawn in (e.g. in QGIS, "
            "Layer > Set CRS) so that distances can be measured in metres."
        )
    crs = CRS.from_user_input(layer.crs)
    return crs if is_metric_crs(crs) else CRS.from_user_input(layer.estimate_utm_crs())


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
    unit = _axis_unit(crs)
    if unit not in _METRE_NAMES:
        raise CRSError(
            f"the road layer's CRS {crs.to_string()} measures in '{unit}', not metres; "
            "reproject it to a projected CRS in metres."
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
    parts, part_line = _walkable_parts(geometries, classes, excluded_classes)
    pieces, piece_line, piece_flagged = _noded_pieces(parts, part_line, flagged[part_line])
    node_xy, edge_nodes, edge_piece = _pieces_as_edges(pieces, snap_tolerance)
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


def _walkable_parts(geometries: np.ndarray, classes: np.ndarray, excluded_classes):
    """The single lines of the walkable features, and the feature each comes from.

    Missing and empty geometries are skipped; a geometry that is not a line is refused.
    """
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
    return parts, np.flatnonzero(walkable)[part_line]


def _noded_pieces(parts: np.ndarray, part_line: np.ndarray, part_flagged: np.ndarray):
    """The ordinary lines noded at their crossings, then the flagged lines whole.

    Returns the pieces, the input line of each and whether it is flagged (bridge, tunnel).
    """
    pieces, piece_line = _node_ordinary_lines(parts[~part_flagged], part_line[~part_flagged])
    pieces = np.concatenate([pieces, parts[part_flagged]])
    piece_line = np.concatenate([piece_line, part_line[part_flagged]])
    piece_flagged = np.concatenate(
        [np.zeros(piece_line.size - part_flagged.sum(), bool), np.ones(part_flagged.sum(), bool)]
    )
    return pieces, piece_line, piece_flagged


def _pieces_as_edges(pieces: np.ndarray, snap_tolerance: float):
    """Nodes and straight edges of the pieces, and the piece each edge comes from.

    Piece ends within ``snap_tolerance`` merge into one node (at their mean position); inner
    vertices stay distinct nodes, so pieces connect only at their ends.
    """
    xy, vertex_piece = shapely.get_coordinates(pieces, return_index=True)
    n_vertices = xy.shape[0]
    same_piece_next = vertex_piece[1:] == vertex_piece[:-1]
    is_first = np.r_[True, ~same_piece_next] if n_vertices else np.zeros(0, bool)
    is_last = np.r_[~same_piece_next, True] if n_vertices else np.zeros(0, bool)
    is_end = is_first | is_last

    node_of_vertex = np.empty(n_vertices, dtype=np.int64)
    end_label = merge_close_points(xy[is_end], snap_tolerance)
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
    return node_xy, edge_nodes, vertex_piece[start]


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
    t, distance = project_on_segments(
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
