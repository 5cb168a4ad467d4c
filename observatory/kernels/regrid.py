"""Counts from one grid to another without losing any: mosaics, cuts and area-weighted moves.

Pure numerics on :class:`~observatory.kernels.grid.Raster` (no file IO):

- :func:`aligned_grid` is the grid of square cells covering an extent, its edges on multiples
  of a step (the GHSL grids have their edges on multiples of 1 km in ESRI:54009);
- :func:`paste` copies rasters of one lattice (GHSL tiles) onto a grid of the same lattice,
  cell for cell: native cells are cut, never resampled;
- :func:`regrid_sum` moves counts (people) from a grid in another CRS (WorldPop, in degrees)
  onto a target grid, area-weighted and sum-preserving.

**Method of** :func:`regrid_sum`. Every source cell is split into ``k × k`` parts. On a grid in
degrees the parts of a cell are not equal: a part's share of the cell's value is its share of
the cell's area on the sphere, ``(sin φ₂ − sin φ₁) / (sin φ_top − sin φ_bottom) / k`` for a
part between latitudes φ₁ and φ₂ (on a projected source the parts are equal, ``1 / k²``). Each
part goes, whole, to the target cell that holds its centre; the centres are placed by bilinear
interpolation between the four corners of their cell, which are transformed exactly. Hence:

- the values of the parts of a cell sum to the cell's value, so every source count lands in
  exactly one target cell or outside the target grid: the total inside the grid is conserved
  to rounding (:attr:`Regridded.inside_total` is that total, computed from the same parts);
- a target cell receives the share of each source cell that its area covers, to within the
  parts that straddle its edges (``k`` is chosen so that a part is at most 1/16 of a target
  cell across, :func:`default_parts`: a uniform density comes out within 5 % in every cell,
  std 3 %, see :data:`PARTS_PER_TARGET_CELL`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import CRS as ProjCRS

from observatory.errors import GridMismatchError
from observatory.kernels.grid import Grid, Raster, transform_coordinates

#: Source rows handled at once (bounds the memory of the coordinate arrays).
_BLOCK_CELLS = 2_000_000
#: Parts per target cell side that :func:`default_parts` aims at, and its ceiling per source
#: cell side. On a uniform density moved from 0.0008° cells onto 100 m cells, 4 parts per
#: target side leave the cells within 23 % of the true value (std 13 %), 8 parts 10 % (5.5 %),
#: 16 parts 4.6 % (std 2.8 %).
PARTS_PER_TARGET_CELL = 16
_MAX_PARTS = 32


@dataclass(frozen=True)
class Regridded:
    """The moved raster and its totals.

    ``source_total`` is the sum of the valid source cells; ``inside_total`` the part of it
    that falls inside the target grid (equal to the sum of ``raster`` up to rounding).
    """

    raster: Raster
    source_total: float
    inside_total: float


def aligned_grid(crs, bounds, resolution: float, *, step: float | None = None) -> Grid:
    """Square cells of ``resolution`` covering ``bounds`` (xmin, ymin, xmax, ymax), with the
    outer edges on multiples of ``step`` (default ``resolution``) so that grids built for
    different extents line up."""
    step = step or resolution
    if step % resolution > 1e-9 * step and resolution - step % resolution > 1e-9 * step:
        raise GridMismatchError(
            f"the step {step} is not a multiple of the cell size {resolution}; use a cell size "
            "that divides it (100 m or 1000 m for GHSL grids)."
        )
    xmin = math.floor(bounds[0] / step) * step
    ymin = math.floor(bounds[1] / step) * step
    xmax = math.ceil(bounds[2] / step) * step
    ymax = math.ceil(bounds[3] / step) * step
    width = int(round((xmax - xmin) / resolution))
    height = int(round((ymax - ymin) / resolution))
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
        col0 = int(round((part.grid.transform.c - target.transform.c) / target.transform.a))
        row0 = int(round((part.grid.transform.f - target.transform.f) / target.transform.e))
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


def default_parts(source: Grid, target: Grid) -> int:
    """Parts per source cell side so that a part is at most 1/16 of a target cell across."""
    size_m = source.cell_width
    if ProjCRS.from_user_input(source.crs).is_geographic:
        size_m = max(source.cell_width, source.cell_height) * 111_320.0
    parts = math.ceil(PARTS_PER_TARGET_CELL * size_m / target.cell_width)
    return int(min(_MAX_PARTS, max(2, parts)))


def _part_weights(source: Grid, rows: np.ndarray, parts: int) -> np.ndarray:
    """``(len(rows), parts)`` share of its cell's value of each band of parts of a row."""
    if not ProjCRS.from_user_input(source.crs).is_geographic:
        return np.full((rows.size, parts), 1.0 / parts**2)
    edges = rows[:, None] + np.arange(parts + 1)[None, :] / parts
    latitudes = np.radians(source.transform.f + source.transform.e * edges)
    band = np.abs(np.diff(np.sin(latitudes), axis=1))
    return band / band.sum(axis=1, keepdims=True) / parts


def regrid_sum(source: Raster, target: Grid, *, parts: int | None = None) -> Regridded:
    """Move the counts of ``source`` onto ``target``, area-weighted and sum-preserving.

    Parameters
    ----------
    source : Raster
        Counts per cell (people), any CRS; nodata and NaN cells hold nothing.
    target : Grid
        The grid to move them onto.
    parts : int, optional
        Parts per source cell side (default :func:`default_parts`).

    Returns
    -------
    Regridded
        ``raster`` is float64 counts on ``target``, nodata (-200) where no valid source
        cell reaches.
    """
    parts = parts or default_parts(source.grid, target)
    values = source.filled(0.0)
    valid = source.valid_mask()
    total = np.zeros(target.height * target.width)
    reached = np.zeros(target.height * target.width, dtype=bool)
    inverse = ~target.transform
    block = max(1, _BLOCK_CELLS // max(1, source.grid.width))
    inside_total = 0.0
    for start in range(0, source.grid.height, block):
        rows = np.arange(start, min(start + block, source.grid.height))
        corner_cols, corner_rows = np.meshgrid(
            np.arange(source.grid.width + 1), np.arange(rows[0], rows[-1] + 2)
        )
        x, y = source.grid.transform @ (corner_cols, corner_rows)
        if source.grid.crs != target.crs:
            x, y = transform_coordinates(source.grid.crs, target.crs, x, y)
        col_f, row_f = inverse @ (np.asarray(x), np.asarray(y))
        weights = _part_weights(source.grid, rows, parts)
        block_values, block_valid = values[rows], valid[rows]
        for i in range(parts):
            v = (i + 0.5) / parts
            share = block_values * weights[:, i][:, None]
            for j in range(parts):
                u = (j + 0.5) / parts
                inside_total += _drop_parts(
                    col_f, row_f, u, v, share, block_valid, target, total, reached
                )
    data = total.reshape(target.shape)
    nodata = -200.0
    data[~reached.reshape(target.shape)] = nodata
    raster = Raster(data, target, nodata, f"{source.name} on {target.crs}")
    return Regridded(raster, float(values[valid].sum()), inside_total)


def _bilinear(corners: np.ndarray, u: float, v: float) -> np.ndarray:
    return (
        (1 - u) * (1 - v) * corners[:-1, :-1]
        + u * (1 - v) * corners[:-1, 1:]
        + (1 - u) * v * corners[1:, :-1]
        + u * v * corners[1:, 1:]
    )


def _drop_parts(col_f, row_f, u, v, share, valid, target, total, reached) -> float:
    """Add the parts at offset (u, v) of every cell to the target cell holding them."""
    cols = np.floor(_bilinear(col_f, u, v)).astype(np.int64)
    rows = np.floor(_bilinear(row_f, u, v)).astype(np.int64)
    inside = valid & (cols >= 0) & (cols < target.width) & (rows >= 0) & (rows < target.height)
    flat = rows[inside] * target.width + cols[inside]
    if flat.size == 0:
        return 0.0
    low = int(flat.min())
    added = np.bincount(flat - low, weights=share[inside])
    total[low : low + added.size] += added
    reached[flat] = True
    return float(added.sum())
