"""Synthetic facilities: schools with seats, health facilities, transit stops, open spaces."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

from .common import CELL, GRID_TO_VECTOR, VECTOR_CRS, part_rng
from .geometry import too_close
from .grids import Grids
from .network import Roads
from .open_spaces import build_open_spaces
from .settlements import Town, urban_towns
from .transit import build_transit
from .units import Units

# (level, inhabitants per school, minimum spacing in m, exponent of the density weighting)
SCHOOL_LEVELS = (("primary", 4500, 350.0, 0.6), ("secondary", 11000, 700.0, 0.8))
SCHOOL_LABELS = {"primary": "École primaire", "secondary": "Établissement secondaire"}
# Towns with a provincial hospital: the seat of each prefecture or province.
PROVINCIAL_CAPITALS = [
    "04.421.01.0",
    "04.441.01.0",
    "04.501.01.07",
    "04.281.01.01",
    "04.291.01.01",
    "04.481.01.11",
    "04.491.01.07",
]


@dataclass(frozen=True)
class Facilities:
    """The four layers of ``facilities.gpkg`` (VECTOR_CRS)."""

    schools: gpd.GeoDataFrame
    health: gpd.GeoDataFrame
    transit_stops: gpd.GeoDataFrame
    open_spaces: gpd.GeoDataFrame


def build_facilities(
    units: Units, grids: Grids, towns: list[Town], roads: Roads, population_2024: np.ndarray
) -> Facilities:
    """Every facility layer, drawn in this order from one random generator."""
    rng = part_rng("facilities")
    people = grids.inside_region(population_2024)
    total = units.population[2024].sum()
    schools = build_schools(rng, grids, people, total)
    health = build_health(rng, grids, people, total, towns)
    transit_stops = build_transit(rng, grids, people, roads)
    open_spaces = build_open_spaces(rng, grids, towns)
    return Facilities(schools, health, transit_stops, open_spaces)


def sample_sites(rng, grids: Grids, people: np.ndarray, *, count: int, exponent, min_spacing):
    """Up to ``count`` sites (x, y, persons in their cell), ``min_spacing`` metres apart.

    Cells are drawn with a probability proportional to ``people ** exponent``, and a point
    is drawn inside each.
    """
    people = people.ravel()
    probability = people**exponent
    probability /= probability.sum()
    picks = rng.choice(people.size, size=count * 3, p=probability)
    rows, cols = np.divmod(picks, grids.grid.width)
    xs = grids.grid.xmin + (cols + rng.uniform(0.1, 0.9, picks.size)) * CELL
    ys = grids.grid.ymax - (rows + rng.uniform(0.1, 0.9, picks.size)) * CELL
    vx, vy = GRID_TO_VECTOR.transform(xs, ys)
    chosen: list[tuple[float, float, float]] = []
    taken = []
    for x, y, pick in zip(vx, vy, picks, strict=False):
        if len(chosen) == count:
            break
        if too_close([x, y], taken, min_spacing):
            continue
        chosen.append((float(x), float(y), float(people[pick])))
        taken.append((x, y))
    return chosen


def build_schools(rng, grids: Grids, people: np.ndarray, total: float) -> gpd.GeoDataFrame:
    """Primary and secondary schools where people live; urban schools have more seats."""
    schools = []
    for level, per, spacing, exponent in SCHOOL_LEVELS:
        sites = sample_sites(
            rng, grids, people, count=int(total / per), exponent=exponent, min_spacing=spacing
        )
        for number, (x, y, density) in enumerate(sites, start=1):
            schools.append(
                {
                    "school_id": f"SCH{len(schools) + 1:05d}",
                    "name": f"{SCHOOL_LABELS[level]} n° {number} (synthétique)",
                    "level": level,
                    "seats": school_seats(rng, level, urban=density > 60),
                    "synthetic": 1,
                    "geometry": Point(x, y),
                }
            )
    return gpd.GeoDataFrame(schools, crs=VECTOR_CRS)


def school_seats(rng, level: str, *, urban: bool) -> int:
    """A random number of seats, a multiple of 10, by level and density."""
    if level == "primary":
        seats = rng.integers(60, 120) * 10 if urban else rng.integers(12, 45) * 10
    else:
        seats = rng.integers(80, 200) * 10 if urban else rng.integers(30, 80) * 10
    return int(seats)


def build_health(rng, grids: Grids, people, total: float, towns: list[Town]) -> gpd.GeoDataFrame:
    """Health centres where people live (one per 14,000), and a hospital per province."""
    health = []
    sites = sample_sites(
        rng, grids, people, count=int(total / 14000), exponent=0.6, min_spacing=800.0
    )
    for number, (x, y, density) in enumerate(sites, start=1):
        health.append(
            {
                "facility_id": f"HLT{number:04d}",
                "name": f"Centre de santé n° {number} (synthétique)",
                "kind": "centre_de_sante" if density > 40 else "dispensaire_rural",
                "synthetic": 1,
                "geometry": Point(x, y),
            }
        )
    by_code = urban_towns(towns)
    for code in PROVINCIAL_CAPITALS:
        town = by_code[code]
        health.append(
            {
                "facility_id": f"HLT{len(health) + 1:04d}",
                "name": f"Hôpital provincial {town.name} (synthétique)",
                "kind": "hopital",
                "synthetic": 1,
                "geometry": Point(town.x + 300.0, town.y - 250.0),
            }
        )
    return gpd.GeoDataFrame(health, crs=VECTOR_CRS)
