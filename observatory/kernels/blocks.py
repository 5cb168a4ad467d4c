"""Helpers of the work done on rasters a block of rows at a time.

The consumers of the population and built-up grids (Degree of Urbanisation, access) take a
:class:`~observatory.kernels.grid.Raster` or a :class:`~observatory.kernels.grid.RasterFile`
and read them band by band of rows (:func:`~observatory.kernels.grid.row_blocks`). What they
derive from a band here is bit for bit what they derived from the whole grid before: cell
centres are computed from the whole grid's transform and the rows' own indices, and a
surface given as shares is turned into m² cell by cell, as
:func:`~observatory.kernels.grid.as_m2_per_cell` does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from observatory.errors import InputDataError
from observatory.kernels.grid import Grid, Raster, as_m2_per_cell, row_blocks


def cell_centres_of_rows(grid: Grid, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
    """x and y of the cell centres of rows ``start`` to ``stop`` (excluded) of ``grid``: the
    same numbers as those rows of :meth:`Grid.cell_centres`, each of shape
    ``(stop - start, width)``."""
    cols, rows = np.meshgrid(np.arange(grid.width) + 0.5, np.arange(start, stop) + 0.5)
    xs, ys = grid.transform @ (cols, rows)
    return np.asarray(xs), np.asarray(ys)


def value_range(raster, *, cells: int | None = None) -> tuple[float, float]:
    """The smallest and largest value of the cells holding data (nodata and NaN left out),
    read block by block; ``(0, 0)`` when no cell holds data (as ``nanmin(..., initial=0)``
    and ``nanmax(..., initial=0)``)."""
    low, high = 0.0, 0.0
    blocks = row_blocks(raster.grid) if cells is None else row_blocks(raster.grid, cells=cells)
    for start, stop in blocks:
        values = raster.window(start, stop).filled(np.nan)
        low = min(low, float(np.nanmin(values, initial=0.0)))
        high = max(high, float(np.nanmax(values, initial=0.0)))
    return low, high


@dataclass(frozen=True)
class SharesAsM2:
    """A raster of shares of the cell (0-1) read as m² per cell, a block of rows at a time.

    Each block is ``share × cell area`` in float64, nodata as NaN (no nodata value), the
    numbers :func:`~observatory.kernels.grid.as_m2_per_cell` gives for the whole grid.
    """

    shares: object

    @property
    def grid(self) -> Grid:
        return self.shares.grid

    @property
    def nodata(self) -> None:
        return None

    @property
    def name(self) -> str:
        return self.shares.name

    @property
    def dtype(self) -> np.dtype:
        return np.dtype("float64")

    def window(self, start: int, stop: int) -> Raster:
        """Rows ``start`` to ``stop`` (excluded) in m² per cell."""
        rows = self.shares.window(start, stop)
        return Raster(rows.filled(np.nan) * self.grid.cell_area, rows.grid, None, self.name)

    def load(self) -> Raster:
        """The whole grid in m² per cell."""
        return self.window(0, self.grid.height)


def surface_in_m2(raster):
    """A built-up or land raster in m² per cell, as
    :func:`~observatory.kernels.grid.as_m2_per_cell` gives it, without reading a file's cells
    into memory at once: a raster of shares (every value within 0-1) comes back as
    :class:`SharesAsM2`, one in m² as it is. An in-memory raster goes to
    :func:`~observatory.kernels.grid.as_m2_per_cell` itself.

    Raises
    ------
    InputDataError
        If a value is negative (usually a nodata value that is not declared).
    """
    if isinstance(raster, Raster):
        return as_m2_per_cell(raster)
    low, high = value_range(raster)
    if low < 0:
        raise InputDataError(f"{raster.name} has negative values; check its nodata value.")
    return SharesAsM2(raster) if high <= 1.0 else raster
