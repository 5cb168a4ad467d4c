"""Checks of the layers of ``[layers]`` (roads, facilities, stops, open spaces): features,
geometries, declared fields, capacities, and whether they lie where the units are."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Proj, Transformer
from shapely.geometry import box

from observatory.checks.describe import examples, rows
from observatory.checks.extent import UnitsExtent
from observatory.checks.vectors import (
    GEOMETRY_TYPES,
    Shapes,
    geometry_problems,
    is_placed,
    missing_fields,
    shapes_of,
)
from observatory.layers import VectorLayer
from observatory.messages import _, ngettext
from observatory.problems import Problem
from observatory.project import LayerSpec
from observatory.reasons import EMPTY_LAYER, LAYER_ELSEWHERE

#: Layer roles whose ``capacity`` field holds counts (numbers ≥ 0).
NUMERIC_CAPACITY_ROLES = ("schools", "health")
#: The values allowed in the ``capacity`` field of transit stops.
TRANSIT_CAPACITIES = ("high", "low")
#: Largest error of the lengths of the roads' CRS over the units (its linear scale factor's
#: distance from 1) before ``validate`` warns: street lengths and walking distances are
#: measured in that CRS. Web Mercator is off by 21 % at 34° N, Mollweide by 3.5 % near Rabat
#: and 7 % near Brussels, a UTM zone by 0.04 % at most.
MAX_LENGTH_ERROR = 0.05
#: How a geometry problem names the features of each layer role.
FEATURES = {
    "roads": _("roads"),
    "schools": _("schools"),
    "health": _("health"),
    "transit_stops": _("transit stops"),
    "open_spaces": _("open spaces"),
}


def check_layer(
    name: str, spec: LayerSpec, layer: VectorLayer, extent: UnitsExtent, project_file: str
) -> list[Problem]:
    """Features, geometries, declared fields and capacities of one layer, and its overlap
    with the units."""
    role = spec.role
    if layer.frame.empty:
        return [
            Problem(
                "warning",
                name,
                _(
                    "{source} has no features; the indicators that need the {role} layer are "
                    "not computed.",
                    source=layer.source,
                    role=role,
                ),
                _("point it to the layer that holds the features, or remove the entry."),
            )
        ]
    shapes = shapes_of(layer.frame)
    what = FEATURES.get(role, role.replace("_", " "))
    problems = geometry_problems(name, layer, shapes, GEOMETRY_TYPES[role], what)
    fields_problems = missing_fields(name, layer, spec.fields, project_file)
    problems += fields_problems
    capacity = spec.fields.get("capacity")
    if not fields_problems and capacity is not None:
        if role in NUMERIC_CAPACITY_ROLES:
            problems += check_capacity_numbers(name, layer, capacity)
        elif role == "transit_stops":
            problems += check_transit_capacity(name, layer, capacity)
    if is_placed(layer, shapes):
        problems += check_layer_overlap(name, layer, shapes, extent)
        if role == "roads":
            problems += check_length_scale(name, layer, extent)
    return problems


def check_length_scale(name: str, layer: VectorLayer, extent: UnitsExtent) -> list[Problem]:
    """A warning when lengths in the layer's CRS are off by more than :data:`MAX_LENGTH_ERROR`
    somewhere over the units (corners and centre of their bounding box)."""
    crs = layer.frame.crs
    units = extent.in_crs(crs) if crs is not None and not crs.is_geographic else None
    if units is None or units.empty:
        return []
    minx, miny, maxx, maxy = units.total_bounds
    xs = [minx, maxx, minx, maxx, (minx + maxx) / 2]
    ys = [miny, miny, maxy, maxy, (miny + maxy) / 2]
    lon, lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(xs, ys)
    factors = Proj(crs).get_factors(lon, lat)
    scales = np.concatenate([factors.meridional_scale, factors.parallel_scale])
    error = float(np.nanmax(np.abs(scales - 1))) if np.isfinite(scales).any() else 0.0
    if error <= MAX_LENGTH_ERROR:
        return []
    centre_lon, centre_lat = lon[-1], lat[-1]
    zone = int((centre_lon + 180) // 6) % 60 + 1
    utm = CRS.from_epsg((32600 if centre_lat >= 0 else 32700) + zone)
    return [
        Problem(
            "warning",
            name,
            _(
                "{source} is in {crs}, whose lengths are off by up to {error:.1f} % over the "
                "units; street lengths and walking distances are measured in it, so the access "
                "and street indicators would be off as much.",
                source=layer.source,
                crs=crs.to_string(),
                error=100 * error,
            ),
            _(
                "reproject the layer to a projected CRS that keeps lengths, e.g. {utm} "
                "(EPSG:{code}) (QGIS: Export > Save Features As..., CRS).",
                utm=utm.name,
                code=str(utm.to_epsg()),
            ),
        )
    ]


def check_capacity_numbers(name: str, layer: VectorLayer, field: str) -> list[Problem]:
    """The capacity field holds numbers ≥ 0."""
    values = layer.frame[field]
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(numbers) | (numbers < 0)
    if not bad.any():
        return []
    listed = [
        _("row {row}: {value!r}", row=row, value=value)
        for row, value in zip(rows(bad), values[bad].tolist(), strict=True)
    ]
    return [
        Problem(
            "error",
            name,
            ngettext(
                "{source}: field '{field}' must hold numbers ≥ 0; {count} feature(s) do not: "
                "{listed}.",
                "{source}: field '{field}' must hold numbers ≥ 0; {count} feature(s) do not: "
                "{listed}.",
                int(bad.sum()),
                source=layer.source,
                field=field,
                count=int(bad.sum()),
                listed=examples(listed, quote=False),
            ),
            _(
                "write in '{field}' each facility's capacity from its source, as a number; "
                "when a capacity is not known, find it out: a made-up figure would be published "
                "as fact.",
                field=field,
            ),
        )
    ]


def check_transit_capacity(name: str, layer: VectorLayer, field: str) -> list[Problem]:
    """The capacity field of transit stops is 'high' or 'low'."""
    values = layer.frame[field]
    text = values.astype(object).where(values.notna(), None)
    bad = ~text.isin(TRANSIT_CAPACITIES).to_numpy()
    if not bad.any():
        return []
    counts = text[bad].fillna("(empty)").value_counts()
    listed = examples([f"{value!r} ({count}×)" for value, count in counts.items()], quote=False)
    return [
        Problem(
            "error",
            name,
            ngettext(
                "{source}: field '{field}' must be 'high' or 'low'; {count} stop(s) have: "
                "{listed}.",
                "{source}: field '{field}' must be 'high' or 'low'; {count} stop(s) have: "
                "{listed}.",
                int(bad.sum()),
                source=layer.source,
                field=field,
                count=int(bad.sum()),
                listed=listed,
            ),
            _(
                "write 'high' for tram, train, metro and BRT stops, 'low' for bus stops, from "
                "each stop's mode in its source (QGIS field calculator: CASE WHEN mode IN "
                "('tram', 'train', 'metro', 'brt') THEN 'high' WHEN mode = 'bus' THEN 'low' "
                "END); a stop whose mode is not known is better left out than guessed."
            ),
        )
    ]


def check_layer_overlap(
    name: str, layer: VectorLayer, shapes: Shapes, extent: UnitsExtent
) -> list[Problem]:
    """A warning when no feature lies within the bounding box of the units."""
    units = extent.in_crs(layer.frame.crs)
    if units is None:
        return []
    present = shapes.values[~shapes.missing]
    area = box(*units.total_bounds)
    if len(present) and not shapely.intersects(present, area).any():
        return [
            Problem(
                "warning",
                name,
                _(
                    "no feature of {source} lies within the extent of the units; the "
                    "indicators that need it are not computed.",
                    source=layer.source,
                ),
                _("check that the layer covers the territory and that its CRS is right."),
            )
        ]
    return []


def unusable_layer_reason(role: str, frame: gpd.GeoDataFrame, units: gpd.GeoSeries) -> str | None:
    """Why no indicator can use the layer of ``role`` (None when it can): it has no
    features, or none lies within the bounding box of ``units`` (what ``validate`` warns
    about: an empty layer, or one of another territory or in a wrong CRS)."""
    if frame.empty:
        return EMPTY_LAYER.format(role=role)
    if frame.crs is None or units.crs is None:
        return None  # validate reports the missing CRS as an error
    geometries = frame.geometry.values
    present = geometries[~(shapely.is_missing(geometries) | shapely.is_empty(geometries))]
    area = box(*units.to_crs(frame.crs).total_bounds)
    if len(present) and not shapely.intersects(present, area).any():
        return LAYER_ELSEWHERE.format(role=role)
    return None
