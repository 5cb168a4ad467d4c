"""Synthetic built-up grids (m² per 100 m cell, like GHSL BUILT-S) for 2014 and 2024."""

from __future__ import annotations

import numpy as np

from .common import CELL, UINT16_NODATA, YEARS, grid_point, part_rng
from .grids import Grids, smooth_field
from .settlements import Town

KENITRA = "04.281.01.01"


def build_built_up(
    grids: Grids, towns: list[Town], population: dict[int, np.ndarray]
) -> dict[int, np.ndarray]:
    """Built-up m² per cell for each year (uint16, nodata outside the region).

    The built share follows population density, ``0.88·(1 − e^(−p/140))`` with noise, plus
    activity zones without residents; 2024 is never below 2014 and no cell exceeds its land.
    """
    rng = part_rng("built")
    noise = np.exp(0.15 * smooth_field(rng, grids.grid.shape, 1.0))
    land_m2 = grids.land * CELL * CELL
    built = {}
    for year in YEARS:
        people = grids.inside_region(population[year])
        share = 0.88 * (1.0 - np.exp(-people / 140.0)) * noise
        share = np.where(share < 0.006, 0.0, share)
        built[year] = np.minimum(share * CELL * CELL, 9500.0)
    for year, sites in activity_zones(towns).items():
        for x, y, radius in sites:
            gx, gy = grid_point(x, y)
            window, dist = grids.kernel_window(gx, gy, radius + 200)
            zone = (dist < radius) * 6500.0 * noise[window]
            for later in YEARS:
                if later >= year:
                    built[later][window] = np.maximum(built[later][window], zone)
    built[2024] = np.maximum(built[2024], built[2014])
    return {
        year: np.where(
            grids.in_region, np.round(np.minimum(values, land_m2)), UINT16_NODATA
        ).astype(np.uint16)
        for year, values in built.items()
    }


def activity_zones(towns: list[Town]) -> dict[int, list[tuple[float, float, float]]]:
    """Industrial and logistics zones (x, y, radius): built-up without residents.

    One at the edge of each town of more than 80,000 people in 2014, and a new one
    south-east of Kénitra in 2024.
    """
    sites = {2014: [], 2024: []}
    rng = part_rng("activity")
    for town in towns:
        if town.population_2014 <= 80000:
            continue
        angle = rng.uniform(0, 2 * np.pi)
        distance = town.radius * 1.05
        sites[2014].append(
            (town.x + distance * np.cos(angle), town.y + distance * np.sin(angle), 350.0)
        )
    kenitra = next(town for town in towns if town.code == KENITRA)
    sites[2024].append((kenitra.x + 4200.0, kenitra.y - 5200.0, 600.0))
    return sites
