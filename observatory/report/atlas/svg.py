"""SVG paths of the units, drawn from their geometries for the atlas's inline maps.

The units of a level are projected to their UTM zone (north up, metres), simplified as a
coverage (shared borders stay shared, so no slivers open between neighbours) to about one
pixel of the drawing, and written as relative path commands with one decimal: a commune
weighs a few hundred bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import shapely

#: Width of the drawing (SVG user units); the height follows the territory's shape.
WIDTH = 600
#: Simplification tolerance, in drawing units.
TOLERANCE = 1.0


@dataclass(frozen=True)
class LevelDrawing:
    """The paths of the units of one level, in the frame shared by every level.

    Attributes
    ----------
    paths : list of str
        The ``d`` attribute of each unit, in layer order.
    width, height : float
        The size of the drawing (the viewBox).
    """

    paths: list[str]
    width: float
    height: float


def drawings(layers: dict) -> dict[str, LevelDrawing]:
    """A :class:`LevelDrawing` per level of ``layers`` (GeoDataFrames), in one frame.

    The frame is the extent of the coarsest level, so the maps of every level line up.
    """
    coarsest = next(iter(layers.values()))
    crs = coarsest.estimate_utm_crs()
    projected = {level: layer.to_crs(crs).geometry for level, layer in layers.items()}
    minx, miny, maxx, maxy = projected[next(iter(projected))].total_bounds
    scale = WIDTH / (maxx - minx) if maxx > minx else 1.0
    height = round((maxy - miny) * scale, 1)
    result = {}
    for level, geometries in projected.items():
        simplified = _simplify(np.asarray(geometries), TOLERANCE / scale)
        paths = [_path(geometry, minx, maxy, scale) for geometry in simplified]
        result[level] = LevelDrawing(paths=paths, width=WIDTH, height=height)
    return result


def _simplify(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    """Coverage simplification when the units form a valid coverage, else one by one."""
    try:
        simplified = shapely.coverage_simplify(geometries, tolerance)
    except shapely.errors.GEOSException:
        simplified = shapely.simplify(geometries, tolerance, preserve_topology=True)
    empty = shapely.is_empty(simplified)
    simplified[empty] = geometries[empty]  # a tiny unit keeps its own shape
    return simplified


def _path(geometry, minx: float, maxy: float, scale: float) -> str:
    """The ``d`` of ``geometry``'s rings: ``M`` to the first point, then ``l`` steps."""
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            parts.append(_ring(np.asarray(ring.coords)[:-1, :2], minx, maxy, scale))
    return "".join(parts)


def _ring(coords: np.ndarray, minx: float, maxy: float, scale: float) -> str:
    points = np.round(
        np.column_stack(((coords[:, 0] - minx) * scale, (maxy - coords[:, 1]) * scale)), 1
    )
    steps = np.round(np.diff(points, axis=0), 1)
    steps = steps[np.any(steps != 0, axis=1)]
    moves = " ".join(f"{_short(dx)} {_short(dy)}" for dx, dy in steps)
    return f"M{_short(points[0, 0])} {_short(points[0, 1])}l{moves}z"


def _short(number: float) -> str:
    """``12.0`` → ``12``, ``-0.5`` → ``-.5``: the fewest characters for one decimal."""
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    if text in ("", "-0", "-"):
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def path_id(level: str, position: int) -> str:
    """The id of a unit's path in the page's ``<defs>``."""
    return f"p-{level}-{position}"


def defs_markup(level: str, drawing: LevelDrawing) -> str:
    """A hidden ``<svg>`` defining the paths of ``level`` once per page, and the hatch."""
    paths = "".join(
        f'<path id="{path_id(level, i)}" d="{d}"/>' for i, d in enumerate(drawing.paths)
    )
    return f'<svg class="defs" width="0" height="0" aria-hidden="true"><defs>{paths}</defs></svg>'


HATCH_DEFS = (
    '<svg class="defs" width="0" height="0" aria-hidden="true"><defs>'
    '<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/></pattern>'
    "</defs></svg>"
)


def map_markup(level: str, drawing: LevelDrawing, units: list[dict], *, label: str) -> str:
    """An inline SVG map drawing the units of ``level`` with ``<use>`` of the page's paths.

    Parameters
    ----------
    level : str
        The level whose paths :func:`defs_markup` defined on the page.
    drawing : LevelDrawing
        Its drawing (for the viewBox).
    units : list of dict
        For each unit in layer order: ``fill`` (a colour, or None for no data), ``name``,
        ``value`` (the text shown on hover) and ``href`` (its profile page).
    label : str
        The accessible name of the map (its title).
    """
    shapes = []
    for position, unit in enumerate(units):
        fill = unit["fill"] or "url(#hatch)"
        shapes.append(
            f'<a href="{escape(unit["href"])}" data-n="{escape(unit["name"])}" '
            f'data-v="{escape(unit["value"])}"><use href="#{path_id(level, position)}" '
            f'fill="{fill}"/></a>'
        )
    return (
        f'<svg class="choropleth" viewBox="0 0 {drawing.width} {drawing.height}" role="img" '
        f'aria-label="{escape(label)}">{"".join(shapes)}</svg>'
    )


def locator_markup(context: LevelDrawing, unit_path: str, *, label: str) -> str:
    """A small map: the outlines of ``context`` and one unit's path highlighted."""
    outlines = "".join(f'<path d="{d}"/>' for d in context.paths)
    return (
        f'<svg class="locator" viewBox="0 0 {context.width} {context.height}" role="img" '
        f'aria-label="{escape(label)}"><g class="context">{outlines}</g>'
        f'<path class="here" d="{unit_path}"/></svg>'
    )
