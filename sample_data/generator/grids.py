"""The 100 m and 1 km grids (ESRI:54009), the land share of each cell, and commune coverage."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from exactextract import exact_extract
from exactextract.raster import NumPyRasterSource
from pyproj import CRS
from rasterio import features
from scipy import ndimage, sparse
from shapely.geometry import box

from .common import CELL, GRID_CRS, MARGIN, PM_CELL, UNITS_CRS, VECTOR_CRS
from .units import Units, load_morocco_outline


class GridSpec:
    """A north-up grid: cell size, origin and shape, with coordinate helpers."""

    def __init__(self, bounds: tuple[float, float, float, float], cell: float) -> None:
        xmin, ymin, xmax, ymax = bounds
        self.cell = cell
        self.xmin, self.ymax = xmin, ymax
        self.width = round((xmax - xmin) / cell)
        self.height = round((ymax - ymin) / cell)
        self.transform = Affine(cell, 0.0, xmin, 0.0, -cell, ymax)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (
            self.xmin,
            self.ymax - self.height * self.cell,
            self.xmin + self.width * self.cell,
            self.ymax,
        )

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        xs = self.xmin + (np.arange(self.width) + 0.5) * self.cell
        ys = self.ymax - (np.arange(self.height) + 0.5) * self.cell
        return xs, ys

    def index_of(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cols = np.floor((np.asarray(x) - self.xmin) / self.cell).astype(int)
        rows = np.floor((self.ymax - np.asarray(y)) / self.cell).astype(int)
        return rows.clip(0, self.height - 1), cols.clip(0, self.width - 1)


@dataclass(frozen=True)
class Grids:
    """The grids every raster is built on, and what each cell holds of land and communes.

    ``land`` is the land share of each 100 m cell (0–1) and ``land_vector`` the land in
    VECTOR_CRS; ``cover`` holds the exact coverage fractions of the cells (rows) by the
    communes (columns); ``owner`` is the commune of each cell centre (-1 outside); ``cx``
    and ``cy`` are the cell-centre coordinates.
    """

    grid: GridSpec
    pm_grid: GridSpec
    land: np.ndarray
    land_vector: shapely.Geometry
    cover: sparse.csr_matrix
    in_region: np.ndarray
    owner: np.ndarray
    cx: np.ndarray
    cy: np.ndarray

    def inside_region(self, values: np.ndarray) -> np.ndarray:
        """``values`` in the region's cells, 0 elsewhere."""
        return np.where(self.in_region, values, 0.0)

    def kernel_window(self, x: float, y: float, reach: float):
        """The cells within ``reach`` of (x, y) in GRID_CRS, and their centres' distances."""
        rows, cols = self.grid.index_of(
            np.array([x - reach, x + reach]), np.array([y + reach, y - reach])
        )
        window = (slice(rows[0], rows[1] + 1), slice(cols[0], cols[1] + 1))
        dist = np.hypot(self.cx[window] - x, self.cy[window] - y)
        return window, dist


def build_grids(units: Units) -> Grids:
    """The region's bounding box plus MARGIN, snapped to 1 km, as a 100 m and a 1 km grid."""
    bounds = snapped_bounds(units.communes_grid.total_bounds, MARGIN, PM_CELL)
    grid = GridSpec(bounds, CELL)
    sea = sea_polygon(bounds)
    sea_cover = coverage_matrix(grid, gpd.GeoDataFrame(geometry=[sea], crs=GRID_CRS))
    land = 1.0 - np.asarray(sea_cover.sum(axis=1)).reshape(grid.shape)
    land_vector = gpd.GeoSeries([box(*bounds).difference(sea)], crs=GRID_CRS).to_crs(VECTOR_CRS)
    cover = coverage_matrix(grid, units.communes_grid)
    xs, ys = grid.centres()
    cx, cy = np.meshgrid(xs, ys)
    return Grids(
        grid=grid,
        pm_grid=GridSpec(bounds, PM_CELL),
        land=land,
        land_vector=land_vector[0],
        cover=cover,
        in_region=np.asarray(cover.sum(axis=1)).reshape(grid.shape) > 0,
        owner=commune_owner(grid, units.communes_grid),
        cx=cx,
        cy=cy,
    )


def snapped_bounds(bounds, margin: float, step: float) -> tuple[float, float, float, float]:
    """``bounds`` grown by ``margin`` and rounded outwards to multiples of ``step``."""
    xmin, ymin, xmax, ymax = bounds
    return (
        np.floor((xmin - margin) / step) * step,
        np.floor((ymin - margin) / step) * step,
        np.ceil((xmax + margin) / step) * step,
        np.ceil((ymax + margin) / step) * step,
    )


def sea_polygon(bounds) -> shapely.Geometry:
    """The Atlantic within ``bounds`` (GRID_CRS): the largest part outside Morocco."""
    outline = gpd.GeoSeries([load_morocco_outline()], crs=UNITS_CRS).to_crs(GRID_CRS)[0]
    outside = shapely.get_parts(box(*bounds).difference(outline.buffer(0)))
    return max(outside, key=lambda part: part.area)


def coverage_matrix(grid: GridSpec, polygons: gpd.GeoDataFrame) -> sparse.csr_matrix:
    """Exact coverage fractions of every cell (rows) by every polygon (columns)."""
    source = NumPyRasterSource(
        np.zeros(grid.shape, dtype=np.float32),
        *grid.bounds,
        srs_wkt=CRS.from_user_input(GRID_CRS).to_wkt(),
    )
    result = exact_extract(source, polygons, ["cell_id", "coverage"], output="pandas")
    rows, cols, values = [], [], []
    for column, (cells, cover) in enumerate(
        zip(result["cell_id"], result["coverage"], strict=False)
    ):
        rows.append(np.asarray(cells, dtype=np.int64))
        values.append(np.asarray(cover, dtype=np.float64))
        cols.append(np.full(len(cells), column))
    return sparse.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))),
        shape=(grid.width * grid.height, len(polygons)),
    )


def commune_owner(grid: GridSpec, communes_grid: gpd.GeoDataFrame) -> np.ndarray:
    """The commune (row number) of each cell centre, -1 outside: for one-owner rules."""
    owner = features.rasterize(
        ((geom, i + 1) for i, geom in enumerate(communes_grid.geometry)),
        out_shape=grid.shape,
        transform=grid.transform,
        fill=0,
        dtype="int32",
    )
    return owner - 1


def smooth_field(rng: np.random.Generator, shape, sigma: float) -> np.ndarray:
    """Standardised Gaussian random field."""
    field = ndimage.gaussian_filter(rng.standard_normal(shape), sigma=sigma)
    return (field - field.mean()) / field.std()
