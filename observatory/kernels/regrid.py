"""Counts from one grid to another without losing any: mosaics, cuts and area-weighted moves.

Pure numerics on :class:`~observatory.kernels.grid.Raster` (no file IO):

- :func:`aligned_grid` is the grid of square cells covering an extent, its edges on multiples
  of a step (the GHSL grids have their edges on multiples of 1 km in ESRI:54009);
- :func:`paste` copies rasters of one lattice (GHSL tiles) onto a grid of the same lattice,
  cell for cell: native cells are cut, never resampled;
- :func:`regrid_sum` moves counts (people) from a grid in another CRS (WorldPop, in degrees)
  onto a target grid, area-weighted and sum-preserving.

**Method of** :func:`regrid_sum`: GDAL's ``sum`` resampling (``gdalwarp -r sum``, through
:func:`rasterio.warp.reproject` on arrays in memory). Each target cell receives the sum of the
source cells it overlaps, each weighted by the share of the source cell it covers, so a count
is split between target cells in proportion to area and nothing is created or lost inside the
target grid. The total it should keep (:attr:`Regridded.inside_total`) is computed apart:
the source cells weighted by the share of each that lies inside the target grid's extent
(exact coverage fractions from exactextract, :class:`~observatory.kernels.zonal.CoverageMatrix`,
the extent's edges densified before they are moved into the source CRS). A uniform density
comes out uniform to 1e-11 (``tests/test_regrid.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from rasterio.warp import Resampling, reproject

from observatory.errors import GridMismatchError
from observatory.kernels.grid import Grid, Raster
from observatory.kernels.zonal import CoverageMatrix

#: Nodata of moved rasters (the value GHS-POP uses).
NODATA = -200.0


@dataclass(frozen=True)
class Regridded:
    """The moved raster and its totals.

    ``source_total`` is the sum of the valid source cells; ``inside_total`` the part of it
    inside the target grid's extent, which the sum of ``raster`` must equal.
    """

    raster: Raster
    source_total: float
    inside_total: float


def aligned_grid(
    crs, bounds, resolution: float, *, step: float | None = None, origin=(0.0, 0.0)
) -> Grid:
    """Square cells of ``resolution`` covering ``bounds`` (xmin, ymin, xmax, ymax), with the
    outer edges at ``origin`` plus multiples of ``step`` (default ``resolution``) so that
    grids built for different extents line up."""
    step = step or resolution
    if step % resolution > 1e-9 * step and resolution - step % resolution > 1e-9 * step:
        raise GridMismatchError(
            f"the step {step} is not a multiple of the cell size {resolution}; use a cell size "
            "that divides it (100 m or 1000 m for GHSL grids)."
        )
    x0, y0 = origin[0] % step, origin[1] % step
    xmin = x0 + math.floor((bounds[0] - x0) / step) * step
    ymin = y0 + math.floor((bounds[1] - y0) / step) * step
    xmax = x0 + math.ceil((bounds[2] - x0) / step) * step
    ymax = y0 + math.ceil((bounds[3] - y0) / step) * step
    width = round((xmax - xmin) / resolution)
    height = round((ymax - ymin) / resolution)
    return Grid(crs, Affine(resolution, 0.0, xmin, 0.0, -resolution, ymax), height, width)


def same_lattice(first: Grid, second: Grid, *, tolerance: float = 1e-6) -> bool:
    """True when both grids have the same CRS and cell size and their cell edges line up."""
    a, b = first.transform, second.transform
    if first.crs != second.crs or abs(a.a - b.a) > tolerance or abs(a.e - b.e) > tolerance:
        return False
    if a.b or a.d or b.b or b.d:
        return False
    shift_x, shift_y = (b.c - a.c) / a.a, (b.f - a.f) / a.e
    return abs(shift_x - round(shift_x)) < tolerance and abs(shift_y - round(shift_y)) < tolerance


def paste(parts: list[Raster], target: Grid, *, nodata: float, dtype) -> Raster:
    """Copy every raster of ``parts`` (all on the lattice of ``target``) onto ``target``.

    Cells covered by no part, or only by nodata, are ``nodata``. Where parts overlap, a valid
    value wins over nodata (and the last part over the others).

    Raises
    ------
    GridMismatchError
        If a part is not on the lattice of ``target``.
    """
    out = np.full(target.shape, nodata, dtype=dtype)
    for part in parts:
        if not same_lattice(part.grid, target):
            raise GridMismatchError(
                f"{part.name} is not on the grid of the other tiles ({part.grid.crs}, cell "
                f"{part.grid.cell_width:g}); give tiles of one product and one resolution."
            )
        col0 = round((part.grid.transform.c - target.transform.c) / target.transform.a)
        row0 = round((part.grid.transform.f - target.transform.f) / target.transform.e)
        rows = slice(max(row0, 0), min(row0 + part.grid.height, target.height))
        cols = slice(max(col0, 0), min(col0 + part.grid.width, target.width))
        if rows.start >= rows.stop or cols.start >= cols.stop:
            continue
        window = (
            slice(rows.start - row0, rows.stop - row0),
            slice(cols.start - col0, cols.stop - col0),
        )
        valid = part.valid_mask()[window]
        out[rows, cols][valid] = part.data[window][valid]
    return Raster(out, target, nodata, "mosaic")


def regrid_sum(source: Raster, target: Grid) -> Regridded:
    """Move the counts of ``source`` onto ``target``, area-weighted and sum-preserving.

    Parameters
    ----------
    source : Raster
        Counts per cell (people), any CRS; nodata and NaN cells hold nothing.
    target : Grid
        The grid to move them onto.

    Returns
    -------
    Regridded
        ``raster`` is float64 counts on ``target``, nodata (:data:`NODATA`) where no valid
        source cell reaches.
    """
    values = source.filled(np.nan)
    moved = np.full(target.shape, np.nan)
    reproject(
        values,
        moved,
        src_transform=source.grid.transform,
        src_crs=source.grid.crs,
        src_nodata=np.nan,
        dst_transform=target.transform,
        dst_crs=target.crs,
        dst_nodata=np.nan,
        resampling=Resampling.sum,
    )
    moved[np.isnan(moved)] = NODATA
    step = max(target.cell_width, target.cell_height)
    extent = shapely.segmentize(shapely.box(*target.bounds), step)
    inside = CoverageMatrix.build(
        gpd.GeoSeries([extent], crs=target.crs), source.grid, name="the target grid"
    ).sum(Raster(np.nan_to_num(values), source.grid, None, source.name))
    raster = Raster(moved, target, NODATA, f"{source.name} on {target.crs}")
    return Regridded(raster, float(np.nansum(values)), float(inside[0]))
