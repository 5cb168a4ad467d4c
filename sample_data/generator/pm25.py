"""A synthetic PM2.5 grid (µg/m³, 1 km cells) for 2024."""

from __future__ import annotations

import numpy as np
import shapely
from rasterio import features
from scipy import ndimage

from .common import CELL, PM_CELL, part_rng, vector_to_grid_coords
from .grids import Grids, smooth_field
from .network import Roads

MAJOR_ROADS = ("motorway", "trunk", "primary")


def build_pm25(grids: Grids, population_2024: np.ndarray, roads: Roads) -> np.ndarray:
    """PM2.5 (float32): a 9 µg/m³ background plus urban, traffic, inland and random terms.

    Clipped to 8–35 µg/m³ and rounded to 0.01.
    """
    rng = part_rng("pm25")
    factor = int(PM_CELL / CELL)
    h, w = grids.pm_grid.shape
    people = grids.inside_region(population_2024)
    coarse_people = people.reshape(h, factor, w, factor).sum(axis=(1, 3))
    major = features.rasterize(
        (
            (shapely.transform(item["geometry"], vector_to_grid_coords), 1)
            for item in roads.lines
            if item["class"] in MAJOR_ROADS
        ),
        out_shape=grids.pm_grid.shape,
        transform=grids.pm_grid.transform,
        fill=0,
        dtype="uint8",
    )
    land = grids.land.reshape(h, factor, w, factor).mean(axis=(1, 3))
    urban = ndimage.gaussian_filter(coarse_people, sigma=2.5)
    traffic = ndimage.gaussian_filter(major.astype(float), sigma=1.2)
    sea_air = ndimage.gaussian_filter(land, sigma=4.0)
    value = (
        9.0
        + 16.0 * (1 - np.exp(-urban / 4000.0))
        + 5.0 * np.clip(traffic, 0, 1)
        + 3.0 * sea_air
        + 1.0 * smooth_field(rng, (h, w), 3.0)
    )
    return np.clip(value, 8.0, 35.0).round(2).astype(np.float32)
