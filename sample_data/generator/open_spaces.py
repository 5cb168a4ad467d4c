"""Synthetic open public spaces (parks, gardens, squares) in the towns."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import MultiPolygon, Point, Polygon, box

from .common import VECTOR_CRS
from .geometry import too_close
from .grids import Grids
from .settlements import Town

#: Range of the half-size (m) of each kind of space.
SIZES = {"park": (160.0, 380.0), "garden": (50.0, 120.0), "square": (25.0, 55.0)}
#: Kinds drawn with equal probability: squares and gardens are twice as common as parks.
KIND_DRAWS = ["park", "garden", "garden", "square", "square"]


def build_open_spaces(rng, grids: Grids, towns: list[Town]) -> gpd.GeoDataFrame:
    """About one space per 9,000 people in every town of 8,000 or more (2024), on land.

    A town gets four draws per space it should have; a space keeps 250 m plus its size
    away from the others.
    """
    spaces = []
    taken: list[tuple[float, float]] = []
    for town in towns:
        if town.population_2024 < 8000:
            continue
        count = max(1, int(town.population_2024 / 9000))
        for _ in range(count * 4):
            if count <= 0:
                break
            angle = rng.uniform(0, 2 * np.pi)
            distance = town.radius * np.sqrt(rng.uniform(0, 1))
            x = town.x + distance * np.cos(angle)
            y = town.y + distance * np.sin(angle)
            kind = str(rng.choice(KIND_DRAWS))
            low, high = SIZES[kind]
            size = rng.uniform(low, high)
            if too_close([x, y], taken, size + 250) or not grids.land_vector.contains(Point(x, y)):
                continue
            number = len(spaces) + 1
            spaces.append(
                {
                    "space_id": f"OPS{number:04d}",
                    "name": f"{kind.capitalize()} {town.name} n° {number} (synthétique)",
                    "kind": kind,
                    "synthetic": 1,
                    "geometry": MultiPolygon([space_shape(rng, kind, x, y, size)]),
                }
            )
            taken.append((x, y))
            count -= 1
    return gpd.GeoDataFrame(spaces, crs=VECTOR_CRS)


def space_shape(rng, kind: str, x: float, y: float, size: float) -> Polygon:
    """A rectangle for a square, a wobbly ellipse for a park or garden."""
    if kind == "square":
        return box(x - size, y - size * 0.7, x + size, y + size * 0.7)
    theta = np.linspace(0, 2 * np.pi, 25)[:-1]
    radii = size * (1 + 0.18 * np.sin(3 * theta + rng.uniform(0, 6)))
    return Polygon(np.column_stack([x + radii * np.cos(theta), y + 0.75 * radii * np.sin(theta)]))
