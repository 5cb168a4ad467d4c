"""Helpers of the tests that compare work done block by block of rows with the whole grid:
a seeded scene of 100 m cells, its rasters as GeoTIFFs read back as RasterFiles, and blocks
of a few rows."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine
from rasterio.crs import CRS
from shapely.geometry import Polygon, box

from observatory.io.raster import open_raster, write_raster
from observatory.kernels import grid as grid_module
from observatory.kernels.grid import Grid, Raster

MOLLWEIDE = CRS.from_user_input("ESRI:54009")
#: 47 rows × 33 columns of 100 m, on a corner of the 1 km grid (so they sum into 5 × 4 km).
SCENE = Grid(MOLLWEIDE, Affine(100.0, 0.0, -642_000.0, 0.0, -100.0, 4_231_000.0), 47, 33)
#: Cells of a block: 2 rows of the scene (and less than a row: still a row).
SMALL_BLOCK = 2 * SCENE.width


def scene_population(seed: int = 0) -> Raster:
    """People per cell: a dense core, sparse elsewhere, some nodata (-200) cells."""
    rng = np.random.default_rng(seed)
    values = rng.gamma(0.5, 4.0, SCENE.shape).astype("float32")
    values[10:30, 8:22] += rng.uniform(80, 400, (20, 14)).astype("float32")
    values[rng.random(SCENE.shape) < 0.05] = -200.0
    values[rng.random(SCENE.shape) < 0.2] = 0.0
    return Raster(values, SCENE, -200.0, "population")


def scene_built_up_shares(seed: int = 1) -> Raster:
    """Built-up share of the cell (0-1), nodata 255 as NaN."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(0, 0.3, SCENE.shape)
    values[12:28, 9:20] = rng.uniform(0.4, 1.0, (16, 11))
    values[rng.random(SCENE.shape) < 0.03] = np.nan
    return Raster(values.astype("float32"), SCENE, None, "built-up shares")


def scene_units() -> gpd.GeoDataFrame:
    """Three units cutting cells in parts, one left out of the grid's corner."""
    x0, y1 = SCENE.transform.c, SCENE.transform.f
    triangle = Polygon([(x0 + 130, y1 - 70), (x0 + 2210, y1 - 1490), (x0 + 260, y1 - 3930)])
    geometries = [
        triangle,
        box(x0 + 1333, y1 - 4500, x0 + 3300, y1 - 1777),
        box(x0 + 2400, y1 - 1500, x0 + 3250, y1 - 40),
    ]
    return gpd.GeoDataFrame(
        geometry=geometries, crs=MOLLWEIDE, index=pd.Index(["T", "S", "N"], name="unit_id")
    )


def as_file(raster: Raster, folder) -> object:
    """``raster`` written to a GeoTIFF in ``folder`` and opened as a RasterFile."""
    path = folder / f"{raster.name.replace(' ', '_')}.tif"
    write_raster(path, raster, overwrite=True)
    return open_raster(path)[0]


def use_small_blocks(monkeypatch, *modules) -> None:
    """Make ``row_blocks`` give blocks of :data:`SMALL_BLOCK` cells by default, everywhere
    (it reads :data:`~observatory.kernels.grid.BLOCK_CELLS` when called); ``modules`` that
    imported ``row_blocks`` keep the real function, so the patch reaches them too."""
    monkeypatch.setattr(grid_module, "BLOCK_CELLS", SMALL_BLOCK)
    for module in modules:
        assert getattr(module, "row_blocks", grid_module.row_blocks) is grid_module.row_blocks
