"""The origins of the access indicators and their population-weighted sums, a band of rows of
the population grid at a time.

Origins are the centres of the population cells inside (touching) a unit, by default those
with people in one of the project's population grids on that grid (:func:`cell_origins`);
every access result is a sum over them, Σ_k c_ik P_k v_k (coverage c, people P, the origin's
value v), taken with :meth:`Inputs.zonal_blocks` (:func:`weighted_sums`). The population
grid is read band by band (:func:`~observatory.kernels.grid.row_blocks`) and no array of
the grid's size is made: what is kept is one entry per origin (its cell, its coordinates,
and what the indicators derive for it: snapping, distances).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from observatory.indicators.inputs import Inputs
from observatory.kernels.blocks import cell_centres_of_rows
from observatory.kernels.grid import Grid, row_blocks, transform_coordinates


def grid_key(raster) -> tuple:
    """A hashable key of the raster's grid (CRS, transform, shape), for the run cache."""
    grid = raster.grid
    return (grid.crs.to_string(), tuple(grid.transform), grid.shape)


def covered_rows(inputs: Inputs, grid: Grid, start: int, stop: int) -> np.ndarray:
    """True for the cells of rows ``start`` to ``stop`` that a unit covers (coverage > 0),
    shape ``(stop - start, width)``."""
    block = inputs.block_coverage(grid, start, stop)
    return (np.asarray(block.sum(axis=0)).ravel() > 0).reshape(stop - start, grid.width)


def _populated_rows(inputs: Inputs, grid: Grid, start: int, stop: int) -> np.ndarray:
    """True for the cells of rows ``start`` to ``stop`` with people in any of the project's
    population grids on ``grid``."""
    populated = np.zeros((stop - start, grid.width), dtype=bool)
    for raster in inputs.rasters.get("population", {}).values():
        if raster.grid.same_as(grid):
            populated |= raster.window(start, stop).filled(0.0) > 0
    return populated


def cell_origins(inputs: Inputs, raster, *, populated_only: bool = True, crs=None):
    """Flat indices (ascending) and ``crs`` coordinates of the cell centres used as origins.

    Cells inside (touching) a unit and, when ``populated_only``, with people in any of the
    project's population grids on this grid (so that every year shares the same origins).
    Found a band of rows at a time; once per run and grid.
    """
    grid = raster.grid

    def compute():
        cells, xs, ys = [], [], []
        for start, stop in row_blocks(grid):
            inside = covered_rows(inputs, grid, start, stop)
            if populated_only:
                inside &= _populated_rows(inputs, grid, start, stop)
            local = np.flatnonzero(inside)
            x, y = cell_centres_of_rows(grid, start, stop)
            cells.append(local + start * grid.width)
            xs.append(x.ravel()[local])
            ys.append(y.ravel()[local])
        x, y = transform_coordinates(grid.crs, crs, np.concatenate(xs), np.concatenate(ys))
        return np.concatenate(cells), np.column_stack([x, y])

    return inputs.cached(("origins", grid_key(raster), populated_only), compute)


def weighted_sums(
    inputs: Inputs, raster, cells: np.ndarray, values: Mapping[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Σ_k c_ik P_k v_k for every unit i and every named ``v`` of ``values``, over the origin
    cells k (flat indices, ascending; coverage c, people P of ``raster``).

    The population is read a band of rows at a time, each band's origins placed on it and
    summed by :meth:`Inputs.zonal_blocks`.
    """
    grid = raster.grid
    arrays = {name: np.asarray(value) for name, value in values.items()}

    def cell_values(start: int, stop: int) -> dict[str, np.ndarray]:
        first, last = np.searchsorted(cells, [start * grid.width, stop * grid.width])
        local = cells[first:last] - start * grid.width
        people = raster.window(start, stop).filled(0.0).ravel()[local]
        out = {}
        for name, value in arrays.items():
            block = np.zeros((stop - start) * grid.width)
            block[local] = people * value[first:last]
            out[name] = block.reshape(stop - start, grid.width)
        return out

    sums = inputs.zonal_blocks(grid, cell_values, label="access sums")
    return {name: series.to_numpy() for name, series in sums.items()}


def weighted_frame(
    inputs: Inputs, raster, cells: np.ndarray, values: Mapping[str, np.ndarray]
) -> pd.DataFrame:
    """:func:`weighted_sums` as a frame indexed by unit, one column per name of ``values``."""
    return pd.DataFrame(weighted_sums(inputs, raster, cells, values), index=inputs.units.index)


def origin_people(raster, cells: np.ndarray) -> np.ndarray:
    """People of ``raster`` (nodata as 0) in the origin cells (flat indices, ascending), read
    a band of rows at a time."""
    grid = raster.grid
    people = np.zeros(cells.size)
    for start, stop in row_blocks(grid):
        first, last = np.searchsorted(cells, [start * grid.width, stop * grid.width])
        local = cells[first:last] - start * grid.width
        people[first:last] = raster.window(start, stop).filled(0.0).ravel()[local]
    return people
