"""Raster tiles in by windows: the part of a big GHSL or WorldPop file that a project needs.

A GHSL 100 m tile is 10,000 × 10,000 cells and a WorldPop country raster can be larger; the
``prepare grids`` command reads only the window covering the project's extent, so memory
depends on the region, not on the downloaded files.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from affine import Affine
from rasterio.warp import transform_bounds
from rasterio.windows import Window, from_bounds

from observatory.errors import InputDataError, InputFileNotFoundError
from observatory.io.raster import _open
from observatory.kernels.grid import Grid, Raster


@dataclass(frozen=True)
class TileInfo:
    """What a raster file is, without its cells."""

    path: Path
    grid: Grid
    nodata: float | None
    dtype: str


def expand_paths(pattern: str) -> list[Path]:
    """The files a command-line value names: one path, or a glob pattern (``tiles/*.tif``).

    Raises
    ------
    InputFileNotFoundError
        If nothing matches.
    """
    if any(character in pattern for character in "*?["):
        matches = sorted(Path(match) for match in glob.glob(pattern))
        if not matches:
            raise InputFileNotFoundError(f"no file matches {pattern}; check the pattern.")
        return matches
    path = Path(pattern)
    if not path.is_file():
        raise InputFileNotFoundError(f"raster {path} does not exist; check the path.")
    return [path]


def tile_info(path: Path) -> TileInfo:
    """Grid, nodata and data type of a raster file."""
    with _open(path) as dataset:
        if dataset.crs is None:
            raise InputDataError(
                f"{path} has no CRS; GHSL tiles are in ESRI:54009 and WorldPop in EPSG:4326: "
                "download the GeoTIFF again or assign its CRS with gdal_edit -a_srs."
            )
        grid = Grid(dataset.crs, dataset.transform, dataset.height, dataset.width)
        return TileInfo(Path(path), grid, dataset.nodata, dataset.dtypes[0])


def read_window(path: Path, bounds, *, bounds_crs=None, pad: int = 1) -> Raster | None:
    """The cells of band 1 of ``path`` covering ``bounds`` (plus ``pad`` cells), or None when
    the file does not reach them.

    ``bounds`` (xmin, ymin, xmax, ymax) are in ``bounds_crs`` (default: the file's CRS).
    """
    with _open(path) as dataset:
        if bounds_crs is not None and bounds_crs != dataset.crs:
            bounds = transform_bounds(bounds_crs, dataset.crs, *bounds, densify_pts=21)
        window = from_bounds(*bounds, transform=dataset.transform)
        col0 = max(int(np.floor(window.col_off)) - pad, 0)
        row0 = max(int(np.floor(window.row_off)) - pad, 0)
        col1 = min(int(np.ceil(window.col_off + window.width)) + pad, dataset.width)
        row1 = min(int(np.ceil(window.row_off + window.height)) + pad, dataset.height)
        if col1 <= col0 or row1 <= row0:
            return None
        window = Window(col0, row0, col1 - col0, row1 - row0)
        data = dataset.read(1, window=window)
        transform = dataset.transform @ Affine.translation(col0, row0)
        grid = Grid(dataset.crs, transform, data.shape[0], data.shape[1])
        return Raster(data, grid, dataset.nodata, str(path))
