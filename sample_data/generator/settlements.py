"""Where people live: towns (urban communes, rural centres), their growth, and villages."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
from scipy.spatial import cKDTree
from shapely.geometry import Point

from .common import TO_VECTOR, VECTOR_CRS, part_rng
from .geometry import connector
from .grids import Grids
from .network import Roads
from .units import Units

# Approximate (lon, lat) of town centres, from general knowledge of the region; a point that
# falls outside its commune's 2014 ring is replaced by the ring's representative point.
TOWN_CENTRES = {
    "04.421.01.0": (-6.845, 34.005),  # Rabat
    "04.441.01.0": (-6.790, 34.045),  # Salé
    "04.501.01.07": (-6.905, 33.925),  # Témara
    "04.501.01.03": (-6.945, 33.950),  # Harhoura
    "04.501.01.05": (-7.040, 33.852),  # Skhirate
    "04.501.01.01": (-6.793, 33.805),  # Ain El Aouda
    "04.281.01.01": (-6.580, 34.258),  # Kénitra
    "04.281.01.05": (-6.650, 34.255),  # Mehdya
    "04.281.01.11": (-5.998, 34.683),  # Souk El Arbaa
    "04.291.01.01": (-6.066, 33.824),  # Khémisset
    "04.291.01.05": (-6.314, 33.894),  # Tiflet
    "04.291.01.03": (-6.706, 33.529),  # Rommani
    "04.291.01.17": (-6.520, 33.983),  # Sidi Allal El Bahraoui
    "04.481.01.11": (-5.707, 34.221),  # Sidi Kacem
    "04.481.01.07": (-5.957, 34.565),  # Mechraa Bel Ksiri
    "04.481.01.05": (-5.510, 34.495),  # Jorf El Melha
    "04.491.01.07": (-5.926, 34.265),  # Sidi Slimane
    "04.491.01.09": (-6.305, 34.305),  # Sidi Yahia El Gharb
}


@dataclass
class Town:
    """A town or rural centre (VECTOR_CRS), with the population it holds in 2014 and 2024.

    ``commune`` is the row of its commune in :attr:`Units.communes`. ``shape`` holds the two
    phases of its lobed outline; ``extension`` (an angle), ``leapfrog`` (sites) and
    ``infill`` are its growth plan, set by :func:`plan_growth`.
    """

    code: str
    commune: int
    x: float
    y: float
    population_2014: float
    population_2024: float
    radius: float
    urban: bool
    name: str
    shape: tuple[float, float] = (0.0, 0.0)
    extension: float | None = None
    leapfrog: list[tuple[float, float]] = field(default_factory=list)
    infill: bool = False

    def outline(self, angle: np.ndarray) -> np.ndarray:
        """Relative radius of the town's outline in each direction (lobed, not a disc)."""
        phase2, phase3 = self.shape
        return 1.0 + 0.22 * np.sin(2 * angle + phase2) + 0.12 * np.sin(3 * angle + phase3)

    def radius_2024(self) -> float:
        """The radius grown with the town's population."""
        growth = max(self.population_2024 - self.population_2014, 0.0)
        return self.radius * float(np.sqrt(1 + 0.45 * growth / max(self.population_2014, 1.0)))


@dataclass
class Village:
    """A village of a rural commune (row ``commune``), VECTOR_CRS, with a relative size."""

    commune: int
    x: float
    y: float
    size: float


def urban_towns(towns: list[Town]) -> dict[str, Town]:
    """The towns of urban communes, by commune code."""
    return {town.code: town for town in towns if town.urban}


def build_towns(units: Units) -> list[Town]:
    """A town per urban commune and a centre (or several) per rural one, in commune order."""
    rng = part_rng("settlements")
    towns = []
    centre_points = units.rural_centres.to_crs(VECTOR_CRS)
    for index, row in units.communes_vector.iterrows():
        towns.extend(commune_towns(units, index, row, centre_points))
    for town in towns:
        town.shape = (rng.uniform(0, 2 * np.pi), rng.uniform(0, 2 * np.pi))
    return towns


def commune_towns(units: Units, index: int, row, centre_points: gpd.GeoDataFrame) -> list[Town]:
    """The towns of one commune (``row`` of ``communes_vector``).

    An urban commune's town holds 93 % of its people; rural "(Centre)" rings share 30 %, and a
    rural commune without one gets a centre with 18 %.
    """
    code, geometry = row["code"], row["geometry"]
    towns = []
    if row["status"] == "urban":
        towns.append(new_town(units, index, town_centre(code, geometry), 0.93, urban=True))
    own_centres = centre_points[centre_points["code"] == code]
    for _, centre in own_centres.iterrows():
        point = centre.geometry.representative_point()
        if not geometry.contains(point):
            continue
        towns.append(new_town(units, index, point, 0.3 / len(own_centres), urban=False))
    if row["status"] == "rural" and own_centres.empty:
        towns.append(new_town(units, index, geometry.representative_point(), 0.18, urban=False))
    return towns


def town_centre(code: str, geometry) -> Point:
    """The approximate real centre of a town, or a point of its commune if it falls outside."""
    lon_lat = TOWN_CENTRES.get(code)
    if lon_lat is not None:
        point = Point(TO_VECTOR.transform(*lon_lat))
        if geometry.contains(point):
            return point
    return geometry.representative_point()


def new_town(units: Units, index: int, point: Point, share: float, *, urban: bool) -> Town:
    """A town holding ``share`` of commune ``index``'s people, centred on ``point``.

    Its radius follows its 2014 population at a density typical of its kind.
    """
    p14 = share * units.population[2014][index]
    p24 = share * units.population[2024][index]
    density = 14000.0 if p14 > 150000 else (9000.0 if urban else 5000.0)
    radius = float(np.sqrt(max(p14, 500.0) / (np.pi * density)) * 1000.0)
    return Town(
        code=units.communes.loc[index, "code"],
        commune=index,
        x=point.x,
        y=point.y,
        population_2014=p14,
        population_2024=p24,
        radius=max(radius, 250.0),
        urban=urban,
        name=units.communes.loc[index, "name_fr"],
    )


def plan_growth(towns: list[Town], units: Units, grids: Grids) -> None:
    """Choose extension sectors and leapfrog sites for the towns that grew (in place)."""
    rng = part_rng("growth")
    for town in towns:
        growth = town.population_2024 - town.population_2014
        town.extension = None
        town.leapfrog = []
        town.infill = growth > 0.05 * town.population_2014
        if growth < max(1500.0, 0.12 * town.population_2014):
            continue
        geometry = units.communes_vector.geometry[town.commune]
        angles = rng.permutation(np.linspace(0, 2 * np.pi, 12, endpoint=False))
        inside = [
            angle
            for angle in angles
            if on_own_land(town_point(town, 1.4 * town.radius, angle), geometry, grids)
        ]
        if not inside:
            continue
        town.extension = float(inside[0])
        for angle in inside[1:]:
            site = town_point(town, town.radius + rng.uniform(1800.0, 3200.0), angle)
            clear = all(
                np.hypot(site.x - other.x, site.y - other.y) > other.radius * 1.6 + 1500.0
                for other in towns
                if other is not town
            )
            if on_own_land(site, geometry, grids) and clear:
                town.leapfrog.append((site.x, site.y))
                break


def town_point(town: Town, distance: float, angle: float) -> Point:
    """The point at ``distance`` from the town centre in direction ``angle``."""
    return Point(town.x + distance * np.cos(angle), town.y + distance * np.sin(angle))


def on_own_land(point: Point, geometry, grids: Grids) -> bool:
    """Whether ``point`` lies in the commune ``geometry`` and on land."""
    return geometry.contains(point) and grids.land_vector.contains(point)


def place_villages(rng, units: Units, roads: Roads) -> list[Village]:
    """Villages of rural communes: most on a road, some off-road with their own track."""
    lines = gpd.GeoSeries([item["geometry"] for item in roads.lines], crs=VECTOR_CRS)
    vertices = roads.walkable_vertices()
    tree = cKDTree(vertices)
    villages = []
    for index, row in units.communes_vector.iterrows():
        if row["status"] != "rural":
            continue
        geometry = row["geometry"]
        count = int(np.clip(round(units.population[2014][index] / 1400), 3, 25))
        local = lines[lines.intersects(geometry)].intersection(geometry)
        local = [g for g in local if not g.is_empty and g.length > 500]
        for _ in range(count):
            placed = village_point(rng, local, geometry)
            if placed is None:
                continue
            point, needs_track = placed
            villages.append(Village(index, point.x, point.y, float(rng.lognormal(0, 0.6))))
            if needs_track:
                start = np.array([point.x, point.y])
                _distance, nearest = tree.query(start)
                roads.add(
                    connector(rng, start, vertices[nearest]), "tertiary", "Piste (synthétique)"
                )
    return villages


def village_point(rng, local: list, geometry) -> tuple[Point, bool] | None:
    """A village site near one of the ``local`` roads (65 %) or anywhere in the commune.

    Returns the point and whether it needs a track to the network, or None when 50 random
    draws all fell outside the commune.
    """
    if local and rng.random() < 0.65:
        line = local[rng.integers(len(local))]
        point = line.interpolate(rng.uniform(0, line.length))
        offset = rng.normal(0, 120, size=2)
        return Point(point.x + offset[0], point.y + offset[1]), False
    minx, miny, maxx, maxy = geometry.bounds
    for _attempt in range(50):
        candidate = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if geometry.contains(candidate):
            return candidate, True
    return None
