"""Line drawing and spacing helpers (all in VECTOR_CRS metres)."""

from __future__ import annotations

import itertools

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import LineString


def wiggly_line(rng, points: np.ndarray, step: float, amplitude: float) -> np.ndarray:
    """Densify a polyline to about ``step`` metres and add a smooth lateral wander.

    Waypoints stay where they are; the wander vanishes at both ends of each leg.
    """
    out = [points[0]]
    for start, end in itertools.pairwise(points):
        length = float(np.hypot(*(end - start)))
        count = max(int(length // step), 1)
        t = np.arange(1, count + 1) / count
        normal = np.array([-(end - start)[1], (end - start)[0]]) / max(length, 1e-9)
        phase = rng.uniform(0, 2 * np.pi)
        waves = np.sin(np.pi * t) * np.sin(2 * np.pi * t * max(length / 6000, 1) + phase)
        offsets = amplitude * waves * (t < 1)
        for fraction, offset in zip(t, offsets, strict=False):
            out.append(start + fraction * (end - start) + offset * normal)
    return np.array(out)


def connector(rng, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """A gently bent track from ``start`` to exactly ``end``."""
    length = float(np.hypot(*(end - start)))
    count = int(np.clip(length // 400, 1, 12))
    t = np.linspace(0, 1, count + 1)
    normal = np.array([-(end - start)[1], (end - start)[0]]) / max(length, 1e-9)
    offsets = rng.normal(0, min(60.0, length / 15), size=count + 1) * np.sin(np.pi * t)
    coords = start + t[:, None] * (end - start) + offsets[:, None] * normal
    coords[0], coords[-1] = start, end
    return coords


def split_at_crossings(line: LineString, area) -> list[tuple[LineString, int]]:
    """Cut ``line`` where it enters and leaves ``area``: the parts inside become bridges."""
    pieces = []
    cuts = sorted(
        {0.0, line.length}
        | {
            line.project(point)
            for point in shapely.get_parts(line.intersection(area.boundary))
            if point.geom_type == "Point"
        }
    )
    for start, end in itertools.pairwise(cuts):
        piece = substring(line, start, end)
        middle = line.interpolate((start + end) / 2)
        pieces.append((piece, int(area.contains(middle))))
    return pieces


def substring(line: LineString, start: float, end: float) -> LineString:
    """The part of ``line`` between two distances along it, keeping its vertices."""
    coords = np.asarray(line.coords)
    cumulative = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(coords, axis=0).T))])
    inner = coords[(cumulative > start) & (cumulative < end)]
    first = np.asarray(line.interpolate(start).coords[0])
    last = np.asarray(line.interpolate(end).coords[0])
    return LineString(np.vstack([first, inner, last]))


def merge_spans(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping (start, end) spans merged into one, in order."""
    merged: list[list[float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def too_close(point, taken: list, spacing: float) -> bool:
    """Whether ``point`` lies within ``spacing`` of one of the points ``taken`` (x, y)."""
    return bool(taken) and cKDTree(np.array(taken)).query(point)[0] < spacing
