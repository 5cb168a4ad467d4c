"""OSM features → the vector layers of a project: roads, schools, health, stops, open spaces.

Pure data work on what :func:`observatory.io.osm.read_osm` returns (no file is opened here);
the tag mapping is the table of :mod:`observatory.prepare.tags`, documented in
``docs/methods/osm-tags.md``. Every layer is written in the working CRS of the project (the
units' CRS when it is projected in metres, else their UTM zone) and limited to the study area:
the units plus a buffer, so that the walking distances of people near the border can reach
facilities and streets beyond it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from observatory.errors import CRSError, InputDataError
from observatory.io.osm import OsmFeatures
from observatory.prepare import tags as osm_tags
from observatory.prepare.tags import TagMapping

#: Default buffer around the units (m): beyond the longest default walking threshold
#: (health access, 2,400 m).
DEFAULT_BUFFER_M = 3000.0
#: Layer roles in the order they are written.
ROLES = ("roads", "schools", "health", "transit_stops", "open_spaces")
#: What one feature of each layer is, for messages.
ROLE_LABELS = {
    "roads": "street",
    "schools": "school",
    "health": "health facility",
    "transit_stops": "public transport stop",
    "open_spaces": "open public space",
}
#: The ``[layers]`` field settings of each written layer.
FIELD_SETTINGS = {
    "roads": {"class": "class", "bridge": "grade_separated"},
    "transit_stops": {"capacity": "capacity"},
}


@dataclass(frozen=True)
class StudyArea:
    """The units plus a buffer, in the working CRS, and its bounding box in degrees."""

    polygon: shapely.Geometry
    crs: CRS
    bbox_lonlat: tuple[float, float, float, float]


@dataclass
class LayerReport:
    """What happened to the OSM objects of one layer."""

    kept: int = 0
    dropped: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class PreparedOsm:
    """The prepared layers (role → frame in the working CRS) and what was kept and dropped."""

    layers: dict[str, gpd.GeoDataFrame]
    reports: dict[str, LayerReport]
    warnings: list[str]


def _is_metric(crs: CRS) -> bool:
    unit = (crs.axis_info[0].unit_name or "").lower() if crs.axis_info else ""
    return crs.is_projected and unit in ("metre", "meter", "m")


def study_area(units: gpd.GeoDataFrame, *, buffer_m: float = DEFAULT_BUFFER_M) -> StudyArea:
    """The area to take from the extract: the union of ``units`` grown by ``buffer_m``.

    Raises
    ------
    CRSError
        If the units have no CRS.
    InputDataError
        If they have no geometry.
    """
    if units.crs is None:
        raise CRSError(
            "the units layer has no CRS; set the CRS it was drawn in, then run prepare again."
        )
    present = units[~(units.geometry.is_empty | units.geometry.isna())]
    if present.empty:
        raise InputDataError("the units layer has no geometry to take the OSM data around.")
    crs = CRS.from_user_input(present.crs)
    working = crs if _is_metric(crs) else CRS.from_user_input(present.estimate_utm_crs())
    outline = shapely.union_all(present.to_crs(working).geometry.values)
    polygon = shapely.buffer(outline, buffer_m) if buffer_m > 0 else outline
    bounds = gpd.GeoSeries([shapely.box(*polygon.bounds)], crs=working)
    bbox = tuple(float(v) for v in bounds.to_crs("EPSG:4326").total_bounds)
    return StudyArea(polygon=polygon, crs=working, bbox_lonlat=bbox)


def _text(frame: pd.DataFrame, key: str) -> pd.Series:
    if key not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[key].fillna("").astype(str)


def _name_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c == "name" or str(c).startswith("name:")]


def _inside(frame: gpd.GeoDataFrame, area: StudyArea) -> gpd.GeoDataFrame:
    projected = frame.to_crs(area.crs)
    return projected[shapely.intersects(projected.geometry.values, area.polygon)]


def _street_drop_reasons(lines: pd.DataFrame, mapping: TagMapping) -> pd.Series:
    """Why each line is left out of the roads ("" when kept), first reason first."""
    highway = _text(lines, "highway")
    foot = _text(lines, "foot")
    access = _text(lines, "access")
    classes = highway.map(mapping.road_classes).fillna("")
    foot_allowed = foot.isin(osm_tags.FOOT_ALLOWED)
    no_foot = foot.isin(osm_tags.NO_FOOT["foot"]) | (
        access.isin(osm_tags.NO_FOOT["access"]) & ~foot_allowed
    )
    no_sidewalk = (
        classes.isin(osm_tags.TRUNK_CLASSES)
        & _text(lines, "sidewalk").isin(osm_tags.NO_SIDEWALK)
        & ~foot_allowed
    )
    not_street = highway.isin(osm_tags.NOT_STREETS) & (classes == "")
    conditions = [
        (not_street, "not a street: highway=" + highway),
        (classes == "", "highway value not in the table: highway=" + highway),
        (_text(lines, "area") == "yes", "an area, not a line (area=yes)"),
        (no_foot & ~classes.isin(("motorway", "motorway_link")), "no pedestrian access"),
        (no_sidewalk, "trunk road without sidewalk"),
    ]
    reasons = pd.Series("", index=lines.index, dtype=object)
    for condition, reason in reversed(conditions):
        reasons = reasons.where(~condition, reason)
    return reasons


def roads_layer(
    lines: gpd.GeoDataFrame, mapping: TagMapping, area: StudyArea, report: LayerReport
) -> gpd.GeoDataFrame:
    """The street lines in the study area (cut at its edge), one row per line part.

    Fields: ``osm_id``, names, ``highway`` (the OSM value), ``class`` (its road class),
    ``bridge``, ``tunnel``, ``layer`` (as tagged), ``grade_separated`` (``yes`` for a bridge
    or a tunnel, which the walking network joins only at its ends) and ``length_m``.
    """
    reasons = _street_drop_reasons(lines, mapping)
    report.dropped.update(reasons[reasons != ""].tolist())
    kept = _inside(lines[reasons == ""], area)
    clipped = shapely.intersection(kept.geometry.values, area.polygon)
    parts, owner = shapely.get_parts(clipped, return_index=True)
    is_line = np.isin(shapely.get_type_id(parts), (1, 2)) & (shapely.length(parts) > 0)
    parts, owner = parts[is_line], owner[is_line]
    source = kept.iloc[owner].reset_index(drop=True)
    bridge, tunnel = _text(source, "bridge"), _text(source, "tunnel")
    grade_separated = ~bridge.isin(osm_tags.NOT_BRIDGE) | ~tunnel.isin(osm_tags.NOT_TUNNEL)
    columns = {
        "osm_id": source["osm_id"],
        **{name: source[name] for name in _name_columns(source)},
        "highway": _text(source, "highway"),
        "class": _text(source, "highway").map(mapping.road_classes),
        "bridge": bridge,
        "tunnel": tunnel,
        "layer": _text(source, "layer"),
        "grade_separated": np.where(grade_separated, "yes", "no"),
        "length_m": shapely.length(parts).round(2),
    }
    report.kept = len(parts)
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(parts, crs=area.crs))


def _matching(frame: pd.DataFrame, wanted: dict[str, tuple[str, ...]]) -> pd.Series:
    hit = pd.Series(False, index=frame.index)
    for key, values in wanted.items():
        hit |= _text(frame, key).isin(values)
    return hit


def _as_points(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    points = areas.copy()
    points["geometry"] = shapely.point_on_surface(areas.geometry.values)
    return points


def _numbers(frame: pd.DataFrame, key: str) -> pd.Series:
    return pd.to_numeric(_text(frame, key).str.strip(), errors="coerce")


def facility_layer(
    features: OsmFeatures, wanted: dict[str, tuple[str, ...]], area: StudyArea,
    report: LayerReport, *, capacity_key: str,
) -> gpd.GeoDataFrame:  # fmt: skip
    """Facilities mapped as nodes or areas (an area becomes a point inside it).

    A node inside an area of the same kind is the same facility mapped twice: it is dropped.
    ``capacity`` holds the number of the tag ``capacity_key`` where it is a number.
    """
    points = _inside(features.points[_matching(features.points, wanted)], area)
    areas = _inside(features.areas[_matching(features.areas, wanted)], area)
    if len(points) and len(areas):
        tree = shapely.STRtree(areas.geometry.values)
        inside = np.unique(tree.query(points.geometry.values, predicate="within")[0])
        if inside.size:
            report.dropped["a node inside an area of the same kind (mapped twice)"] += inside.size
            points = points.drop(points.index[inside])
    merged = pd.concat([points, _as_points(areas)], ignore_index=True)
    keys = [key for key in wanted if key in merged.columns]
    columns = {
        "osm_type": merged["osm_type"] if len(merged) else pd.Series(dtype=object),
        "osm_id": merged["osm_id"] if len(merged) else pd.Series(dtype=np.int64),
        **{name: merged[name] for name in _name_columns(merged)},
        **{key: _text(merged, key) for key in keys},
        "capacity": _numbers(merged, capacity_key),
    }
    report.kept = len(merged)
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(merged.geometry.values, crs=area.crs))


def _stop_modes(frame: pd.DataFrame) -> pd.Series:
    """The transport mode of each object by the first stop rule it matches ("" if none)."""
    modes = pd.Series("", index=frame.index, dtype=object)
    for mode, key, values, extra_key, extra_values in reversed(osm_tags.STOP_RULES):
        hit = _text(frame, key).isin(values)
        if extra_key:
            hit &= _text(frame, extra_key).isin(extra_values)
        modes = modes.where(~hit, mode)
    return modes


def _merge_groups(xy: np.ndarray, keys: pd.Series, distance: float) -> np.ndarray:
    """Cluster label of each stop: same key, chained within ``distance``."""
    n = len(xy)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    pairs = cKDTree(xy).query_pairs(distance, output_type="ndarray")
    key_values = keys.to_numpy()
    pairs = pairs[key_values[pairs[:, 0]] == key_values[pairs[:, 1]]]
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def transit_stops_layer(
    features: OsmFeatures, area: StudyArea, report: LayerReport
) -> gpd.GeoDataFrame:
    """Stops with their ``mode`` and ``capacity`` (``high``: rail, tram, metro, BRT, ferry).

    The platform, stop position and station node of one station, and the two sides of a bus
    stop, are merged: stops of the same capacity and the same name (or both unnamed) within
    :data:`~observatory.prepare.tags.STOP_MERGE_M` of each other become one stop, placed at
    the member nearest to their mean; ``merged`` counts the OSM objects it stands for.
    """
    candidates = pd.concat([features.points, _as_points(features.areas)], ignore_index=True).pipe(
        gpd.GeoDataFrame, crs=features.points.crs
    )
    modes = _stop_modes(candidates)
    candidates = _inside(candidates[modes != ""].assign(mode=modes[modes != ""]), area)
    capacity = np.where(candidates["mode"].isin(osm_tags.HIGH_CAPACITY_MODES), "high", "low")
    candidates = candidates.assign(capacity=capacity).reset_index(drop=True)
    xy = shapely.get_coordinates(candidates.geometry.values)
    group_key = candidates["capacity"] + "|" + _text(candidates, "name").str.strip().str.lower()
    label = _merge_groups(xy, group_key, osm_tags.STOP_MERGE_M)
    rows = []
    for members in pd.Series(range(len(label))).groupby(label).indices.values():
        centre = xy[members].mean(axis=0)
        chosen = members[np.argmin(((xy[members] - centre) ** 2).sum(axis=1))]
        modes_here = sorted(set(candidates["mode"].iloc[members]))
        rows.append((chosen, ";".join(modes_here), len(members)))
    chosen = [row[0] for row in rows]
    stops = candidates.iloc[chosen].reset_index(drop=True)
    columns = {
        "osm_type": stops["osm_type"],
        "osm_id": stops["osm_id"],
        **{name: stops[name] for name in _name_columns(stops)},
        "mode": [row[1] for row in rows],
        "capacity": stops["capacity"],
        "merged": np.asarray([row[2] for row in rows], dtype=np.int64),
    }
    report.kept = len(stops)
    if len(candidates) > len(stops):
        merged_away = len(candidates) - len(stops)
        report.dropped["merged into another stop of the same station"] += merged_away
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(stops.geometry.values, crs=area.crs))


def open_spaces_layer(
    features: OsmFeatures, mapping: TagMapping, area: StudyArea, report: LayerReport
) -> gpd.GeoDataFrame:
    """Open public spaces as polygons with their ``kind`` (the matching tag) and ``area_m2``.

    Spaces whose ``access`` is private, no or customers are left out.
    """
    areas = features.areas
    key, value = osm_tags.PEDESTRIAN_AREA
    square = (_text(areas, key) == value) & (
        (_text(areas, "area") == "yes") | (areas["osm_type"] == "relation")
    )
    hit = _matching(areas, mapping.open_spaces) | square
    candidates = areas[hit]
    private = _text(candidates, "access").isin(osm_tags.PRIVATE_ACCESS)
    if private.any():
        report.dropped["private access (access=private, no, customers)"] += int(private.sum())
    spaces = _inside(candidates[~private], area).reset_index(drop=True)
    kind = pd.Series("pedestrian area", index=spaces.index, dtype=object)
    for tag in reversed(list(mapping.open_spaces)):
        values = _text(spaces, tag)
        kind = kind.where(~values.isin(mapping.open_spaces[tag]), tag + "=" + values)
    columns = {
        "osm_type": spaces["osm_type"],
        "osm_id": spaces["osm_id"],
        **{name: spaces[name] for name in _name_columns(spaces)},
        "kind": kind,
        "area_m2": shapely.area(spaces.geometry.values).round(1),
    }
    report.kept = len(spaces)
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(spaces.geometry.values, crs=area.crs))


def prepare_layers(features: OsmFeatures, mapping: TagMapping, area: StudyArea) -> PreparedOsm:
    """Build the five layers from the features of an extract.

    Returns
    -------
    PreparedOsm
        Layers in ``area.crs``; a report per layer; warnings for empty layers.
    """
    reports = {role: LayerReport() for role in ROLES}
    for reason, count in features.skipped.items():
        target = "roads" if reason.startswith("lines") else "open_spaces"
        reports[target].dropped[reason] += count
    layers = {
        "roads": roads_layer(features.lines, mapping, area, reports["roads"]),
        "schools": facility_layer(
            features, mapping.facilities["schools"], area, reports["schools"],
            capacity_key="capacity",
        ),
        "health": facility_layer(
            features, mapping.facilities["health"], area, reports["health"], capacity_key="beds"
        ),
        "transit_stops": transit_stops_layer(features, area, reports["transit_stops"]),
        "open_spaces": open_spaces_layer(features, mapping, area, reports["open_spaces"]),
    }  # fmt: skip
    warnings = [
        f"the {role} layer is empty: the extract holds no {ROLE_LABELS[role]} in the study "
        "area; check that the extract covers the units and see docs/methods/osm-tags.md."
        for role, layer in layers.items()
        if layer.empty
    ]
    return PreparedOsm(layers=layers, reports=reports, warnings=warnings)
