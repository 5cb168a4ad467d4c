"""The territory of the generated national-size project: its grid, settlements and units.

Everything here is drawn from one seeded generator and lives on the 1 km grid (10 × 10 cells
of the 100 m grid), which keeps it small: 750,000 coarse cells at scale 1. Communes are
Voronoi cells of seeded points made of whole 1 km cells, so that the exact sum of a 100 m
grid over a commune is the sum of the cells labelled with it (the census can then be made
consistent with the grids block by block). Provinces are unions of communes, regions unions
of provinces.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from affine import Affine
from scipy.ndimage import gaussian_filter, gaussian_filter1d
from scipy.spatial import cKDTree

#: The grid at scale 1: 10,000 × 7,500 cells of 100 m (1,000 × 750 km), the north-west
#: corner near Tangier in Mollweide (the CRS of GHSL grids).
NATIONAL_COLUMNS, NATIONAL_ROWS = 10_000, 7_500
GRID_CRS = "ESRI:54009"
#: The units are written in the grid's CRS. Written in EPSG:4326 (as the sample's), their
#: edges come back from the round trip a few nm off the cell lines, and ``sdg_11_7_1_share``
#: then fails at f = 0.25 (GEOS TopologyException): its units ∩ built-up outline, reprojected
#: to the roads' CRS, self-intersect in 10 of 375 communes (decisions.md).
UNITS_CRS = GRID_CRS
CELL = 100.0
COARSE = 10  # 100 m cells per 1 km cell, along each axis
LEFT, TOP = -1_200_000.0, 4_300_000.0
#: Counts at scale 1; each is scaled by the scale factor ``f``.
COUNTS = {
    "communes": 1500,
    "provinces": 75,
    "regions": 12,
    "settlements": 1200,
    "roads": 200_000,
    "schools": 20_000,
    "transit_stops": 10_000,
    "health": 3_000,
    "open_spaces": 3_000,
}
#: Census population at scale 1 (Morocco: 33.8 M in 2014, 36.8 M in 2024), urban share 2014.
POPULATION_2014 = 33_800_000
URBAN_SHARE_2014 = 0.64
#: People per 100 m cell at the peak of a settlement's cone (30,000 per km²).
PEAK_DENSITY = 300.0


@dataclass(frozen=True)
class Parameters:
    """What a generated project depends on: the scale factor and the seed."""

    scale: float
    seed: int = 2024

    @property
    def shape(self) -> tuple[int, int]:
        """Rows and columns of the 100 m grid: the national grid's area times ``scale``,
        in whole 1 km cells."""
        side = math.sqrt(self.scale)
        rows = max(3, round(NATIONAL_ROWS * side / COARSE)) * COARSE
        columns = max(3, round(NATIONAL_COLUMNS * side / COARSE)) * COARSE
        return rows, columns

    def count(self, what: str) -> int:
        """How many ``what`` (a key of :data:`COUNTS`) the project holds at this scale."""
        minimum = {"communes": 3, "settlements": 3}.get(what, 1)
        return max(minimum, round(COUNTS[what] * self.scale))


@dataclass
class Settlements:
    """Towns as cones of population: centre cell (100 m grid), radius in cells and size."""

    rows: np.ndarray
    columns: np.ndarray
    radius: dict[int, np.ndarray]
    size: dict[int, np.ndarray]


@dataclass
class Territory:
    """The 1 km grid of the project: land, commune labels and the rural density factor."""

    parameters: Parameters
    labels: np.ndarray  # commune index of each 1 km cell, -1 outside the territory
    rural_factor: np.ndarray  # relative density of the rural population, mean 1 on land
    settlements: Settlements
    province_of_commune: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    region_of_province: np.ndarray = field(default_factory=lambda: np.zeros(0, int))

    @property
    def transform(self) -> Affine:
        """Affine transform of the 100 m grid."""
        return Affine(CELL, 0.0, LEFT, 0.0, -CELL, TOP)

    @property
    def coarse_transform(self) -> Affine:
        """Affine transform of the 1 km grid."""
        return Affine(CELL * COARSE, 0.0, LEFT, 0.0, -CELL * COARSE, TOP)

    def inside(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether points (grid CRS metres) fall in the territory."""
        rows = np.floor((TOP - y) / (CELL * COARSE)).astype(np.int64)
        columns = np.floor((x - LEFT) / (CELL * COARSE)).astype(np.int64)
        height, width = self.labels.shape
        valid = (rows >= 0) & (rows < height) & (columns >= 0) & (columns < width)
        result = np.zeros(x.shape, dtype=bool)
        result[valid] = self.labels[rows[valid], columns[valid]] >= 0
        return result


def make_territory(parameters: Parameters) -> Territory:
    """Land, settlements, communes, provinces and regions of a project (all seeded)."""
    rng = np.random.default_rng([parameters.seed, 1])
    rows, columns = parameters.shape
    land = _land(rng, rows // COARSE, columns // COARSE)
    rural_factor = _rural_factor(rng, land)
    settlements = _settlements(rng, parameters, land, rural_factor)
    labels, seeds = _communes(rng, parameters, land, rural_factor, settlements)
    province_seeds = _spread_picks(rng, seeds, parameters.count("provinces"))
    province_of_commune = _nearest(seeds[province_seeds], seeds)
    region_seeds = _spread_picks(rng, seeds[province_seeds], parameters.count("regions"))
    region_of_province = _nearest(seeds[province_seeds][region_seeds], seeds[province_seeds])
    return Territory(
        parameters, labels, rural_factor, settlements, province_of_commune, region_of_province
    )


def _land(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Land 1 km cells: all but an Atlantic corner in the north-west, with a wavy coast."""
    wave = gaussian_filter1d(rng.normal(size=height), sigma=max(1.0, height / 30), mode="nearest")
    wave /= max(wave.std(), 1e-9)
    y = (np.arange(height)[:, None] + 0.5) / height
    x = (np.arange(width)[None, :] + 0.5) / width
    land = x + 0.6 * y >= 0.25 + 0.03 * wave[:, None]
    land[:, -1] |= True  # never an empty territory, however small the grid
    return land


def _rural_factor(rng: np.random.Generator, land: np.ndarray) -> np.ndarray:
    """Smooth relative density of the rural population: denser in the north, mean 1."""
    height, width = land.shape
    noise = gaussian_filter(rng.normal(size=land.shape), sigma=max(1.0, width / 40))
    noise /= max(noise.std(), 1e-9)
    north = 1.6 - 1.2 * (np.arange(height)[:, None] + 0.5) / height
    factor = np.exp(0.7 * noise) * north
    factor[~land] = 0.0
    return (factor / factor[land].mean()).astype(np.float32)


def _settlements(
    rng: np.random.Generator, parameters: Parameters, land: np.ndarray, rural_factor: np.ndarray
) -> Settlements:
    """Towns of rank-size (Zipf) populations placed where the rural density is high."""
    count = parameters.count("settlements")
    urban = POPULATION_2014 * URBAN_SHARE_2014 * parameters.scale
    ranks = np.arange(1, count + 1)
    size = np.sort(rng.lognormal(0.0, 0.2, count) / ranks)[::-1]
    size *= urban / size.sum()
    weights = rural_factor.ravel().astype(np.float64) ** 2
    cells = rng.choice(weights.size, size=count, p=weights / weights.sum())
    coarse_rows, coarse_columns = np.divmod(cells, land.shape[1])
    growth = rng.uniform(1.0, 1.3, count)
    sizes = {2014: size, 2024: size * growth}
    radius = {
        year: np.maximum(1, np.rint(np.sqrt(3 * s / (math.pi * PEAK_DENSITY)))).astype(int)
        for year, s in sizes.items()
    }
    return Settlements(
        rows=coarse_rows * COARSE + rng.integers(0, COARSE, count),
        columns=coarse_columns * COARSE + rng.integers(0, COARSE, count),
        radius=radius,
        size=sizes,
    )


def _communes(
    rng: np.random.Generator,
    parameters: Parameters,
    land: np.ndarray,
    rural_factor: np.ndarray,
    settlements: Settlements,
) -> tuple[np.ndarray, np.ndarray]:
    """Commune labels of the 1 km cells (Voronoi cells of seeds in distinct land cells,
    denser where people are) and the seeds (row, column of the 1 km grid)."""
    urban = np.zeros(land.shape)
    np.add.at(
        urban,
        (settlements.rows // COARSE, settlements.columns // COARSE),
        settlements.size[2014],
    )
    urban = np.sqrt(gaussian_filter(urban, sigma=3.0))
    land_cells = np.flatnonzero(land)
    rural = rural_factor.ravel()[land_cells].astype(np.float64)
    towns = urban.ravel()[land_cells]
    weights = 0.6 * rural / rural.sum() + 0.4 * towns / max(towns.sum(), 1e-9)
    count = min(parameters.count("communes"), land_cells.size)
    picks = rng.choice(land_cells, size=count, replace=False, p=weights / weights.sum())
    seeds = np.column_stack(np.divmod(picks, land.shape[1])).astype(float)
    labels = np.full(land.shape, -1, dtype=np.int32)
    land_rows, land_columns = np.nonzero(land)
    labels[land_rows, land_columns] = _nearest(seeds, np.column_stack([land_rows, land_columns]))
    return labels, seeds


def _spread_picks(rng: np.random.Generator, points: np.ndarray, count: int) -> np.ndarray:
    """Indices of ``count`` points spread over the set (farthest-point sampling)."""
    count = min(count, len(points))
    picks = [int(rng.integers(len(points)))]
    distance = np.hypot(*(points - points[picks[0]]).T)
    for _ in range(count - 1):
        picks.append(int(np.argmax(distance)))
        distance = np.minimum(distance, np.hypot(*(points - points[picks[-1]]).T))
    return np.array(picks)


def _nearest(seeds: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Index of the nearest seed of each point (a seed's own point is its own)."""
    return cKDTree(seeds).query(points)[1].astype(np.int32)


def unit_frames(territory: Territory) -> dict[str, gpd.GeoDataFrame]:
    """The regions, provinces and communes layers (:data:`UNITS_CRS`, codes as text), built from
    the 1 km commune labels: communes by polygonising them, provinces and regions as
    coverage unions (so every commune lies exactly inside its province)."""
    labels = territory.labels
    communes = len(territory.province_of_commune)
    parts: list[list] = [[] for _ in range(communes)]
    for geometry, value in rasterio.features.shapes(
        labels, mask=labels >= 0, connectivity=4, transform=territory.coarse_transform
    ):
        parts[int(value)].append(shapely.geometry.shape(geometry))
    # A vertex at every 1 km corner: neighbours then share every vertex of their common
    # edges (a valid coverage), and they still do after reprojection.
    commune_shapes = shapely.segmentize(
        np.array([shapely.MultiPolygon(p) for p in parts], dtype=object), CELL * COARSE
    )
    area_km2 = np.bincount(labels[labels >= 0], minlength=communes).astype(float)
    province = territory.province_of_commune
    region = territory.region_of_province
    province_shapes = _unions(commune_shapes, province, len(region))
    region_shapes = _unions(province_shapes, region, int(region.max()) + 1)
    region_codes = [f"{r + 1:02d}" for r in range(len(region_shapes))]
    province_codes = _child_codes(region, region_codes, lambda k: f"{10 * k + 1:03d}")
    commune_codes = _child_codes(
        province, province_codes, lambda k: f"{k // 50 + 1:02d}.{k % 50 + 1:02d}"
    )
    towns = _communes_with_towns(territory)
    layers = {
        "regions": {"code": region_codes, "geometry": region_shapes},
        "provinces": {
            "code": province_codes,
            "region_code": [region_codes[r] for r in region],
            "geometry": province_shapes,
        },
        "communes": {
            "code": commune_codes,
            "province_code": [province_codes[p] for p in province],
            "status": np.where(towns, "urban", "rural"),
            "area_km2": area_km2,
            "geometry": commune_shapes,
        },
    }
    frames = {}
    for name, columns in layers.items():
        number = np.arange(1, len(columns["code"]) + 1)
        columns["name_fr"] = [f"{name[:-1].capitalize()} {n} (synthétique)" for n in number]
        columns["name_ar"] = [f"{_ARABIC[name]} {n}" for n in number]
        frame = gpd.GeoDataFrame(columns, geometry="geometry", crs=GRID_CRS)
        frames[name] = frame.to_crs(UNITS_CRS)
    return frames


_ARABIC = {"regions": "جهة", "provinces": "إقليم", "communes": "جماعة"}


def _unions(shapes: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Coverage union of ``shapes`` by ``group`` (0 … groups-1), as MultiPolygons."""
    unions = []
    for g in range(groups):
        union = shapely.coverage_union_all(shapes[group == g])
        polygons = shapely.get_parts(union)
        unions.append(shapely.MultiPolygon(list(polygons)))
    return np.array(unions, dtype=object)


def _child_codes(parent: np.ndarray, parent_codes: list[str], suffix) -> list[str]:
    """Codes ``PARENT.SUFFIX`` of children numbered within their parent in order."""
    seen: dict[int, int] = {}
    codes = []
    for p in parent:
        k = seen.get(int(p), 0)
        seen[int(p)] = k + 1
        codes.append(f"{parent_codes[p]}.{suffix(k)}")
    return codes


def _communes_with_towns(territory: Territory) -> np.ndarray:
    """Communes that hold the centre of a settlement of 20,000 people or more."""
    s = territory.settlements
    big = s.size[2014] >= 20_000
    labels = territory.labels[s.rows[big] // COARSE, s.columns[big] // COARSE]
    towns = np.zeros(len(territory.province_of_commune), dtype=bool)
    towns[labels[labels >= 0]] = True
    return towns
