"""Preparing the inputs of the Degree of Urbanisation: shares, densities, water, 1 km sums.

Everything here is pure: arrays and :class:`~observatory.kernels.grid.Raster` objects in,
arrays and rasters out.

Sources: *Applying the Degree of Urbanisation* (Eurostat et al. 2021), chapter 2 (1 km² grid,
density per km² of permanent land); GHSL Data Package 2023 §2.7 (water cells, built-up share of
permanent land, GHSL grids in m² per cell).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from affine import Affine

from observatory.degurba.rules import DegurbaRules
from observatory.errors import GridMismatchError, InputDataError, ParameterError
from observatory.kernels.grid import (
    DEGURBA_CELL_M,
    Grid,
    Raster,
    dividing_size,
    onto_dividing_cells,
    warp_command,
)

#: Cell size of the Degree of Urbanisation grid, in metres.
GRID_CELL_M = DEGURBA_CELL_M
#: Rows processed at a time when deriving densities, so temporaries stay small on world grids.
ROW_CHUNK = 512


@dataclass(frozen=True)
class PreparedGrid:
    """The per-cell quantities the classification rules compare with their thresholds.

    Attributes
    ----------
    population : numpy.ndarray
        Inhabitants per cell, nodata replaced by 0 (floating, the input's precision).
    density : numpy.ndarray
        Inhabitants per km² of permanent land, ``population / (land_share * cell_area_km2)``;
        ``inf`` where a populated cell has no land, NaN where an empty cell has no land.
    built_share : numpy.ndarray
        Built-up share of permanent land, ``built / land``, rounded to
        ``rules.built_share_decimals``; ``inf``/NaN where there is no land, as for density.
    water : numpy.ndarray of bool
        Water cells: land share < ``water_land_threshold``, population <=
        ``water_pop_threshold`` and built-up share of the cell <= ``water_built_threshold``.
    unpopulated_non_land : numpy.ndarray of bool
        Cells with land share < ``water_land_threshold`` and population <=
        ``water_pop_threshold``; the R2023A majority rule does not count them as neighbours.
    cell_area_km2 : float
        Area of one cell.
    """

    population: np.ndarray
    density: np.ndarray
    built_share: np.ndarray
    water: np.ndarray
    unpopulated_non_land: np.ndarray
    cell_area_km2: float = 1.0

    @property
    def shape(self) -> tuple[int, int]:
        return self.population.shape


def share_from_m2(values: np.ndarray, *, cell_area_m2: float = 1_000_000.0) -> np.ndarray:
    """Convert a GHSL grid in m² per cell (BUILT-S, LAND) into a share of the cell (0-1).

    ``share = m² / cell_area_m2``; NaN stays NaN.

    Parameters
    ----------
    values : numpy.ndarray
        Square metres per cell (0 to ``cell_area_m2``).
    cell_area_m2 : float
        Area of one cell in m² (1,000,000 for the 1 km GHSL grid).

    Returns
    -------
    numpy.ndarray
        float64 shares.
    """
    if cell_area_m2 <= 0:
        raise ParameterError(f"cell_area_m2 = {cell_area_m2} must be positive.")
    return np.asarray(values, dtype="float64") / cell_area_m2


def prepare_grid(
    population: np.ndarray,
    *,
    rules: DegurbaRules,
    built_share: np.ndarray | None = None,
    land_share: np.ndarray | None = None,
    cell_area_km2: float = 1.0,
) -> PreparedGrid:
    """Derive densities, built-up shares of permanent land and water cells.

    ``density = population / (land_share * cell_area_km2)`` and
    ``built_share_of_land = round(built_share / land_share, rules.built_share_decimals)``.
    Water: ``land_share < water_land_threshold`` and ``population <= water_pop_threshold``
    and ``built_share <= water_built_threshold`` (GHSL DP2023; flexurba
    ``DoU_classify_grid_water``).

    Parameters
    ----------
    population : numpy.ndarray
        Inhabitants per cell; NaN means nodata and counts as 0 (so a sea cell without
        population data can be water). Float32 input keeps float32 densities.
    rules : DegurbaRules
        Supplies the water thresholds and the rounding of the built-up share.
    built_share : numpy.ndarray, optional
        Built-up share of each cell (0-1, see :func:`share_from_m2`); NaN counts as 0.
        Without it, no cell is built up.
    land_share : numpy.ndarray, optional
        Permanent-land share of each cell (0-1); NaN counts as 0. Without it, 1 everywhere.
    cell_area_km2 : float
        Area of one cell in km² (1 for the standard grid).

    Returns
    -------
    PreparedGrid

    Raises
    ------
    InputDataError
        If the arrays are not 2-D, differ in shape, or hold negative values.
    """
    population = np.asarray(population)
    if population.ndim != 2:
        raise InputDataError(f"the population grid must be 2-D (got shape {population.shape}).")
    for label, array in (("built-up", built_share), ("land", land_share)):
        if array is not None and np.shape(array) != population.shape:
            raise InputDataError(
                f"the {label} grid has shape {np.shape(array)} but the population grid has "
                f"{population.shape}; put both on the same 1 km grid."
            )
    if cell_area_km2 <= 0:
        raise ParameterError(f"cell_area_km2 = {cell_area_km2} must be positive.")
    dtype = population.dtype if population.dtype == np.float32 else np.dtype("float64")
    shape = population.shape
    pop_out = np.empty(shape, dtype=dtype)
    density = np.empty(shape, dtype=dtype)
    built_out = np.empty(shape, dtype=dtype)
    water = np.empty(shape, dtype=bool)
    non_land = np.empty(shape, dtype=bool)
    for start in range(0, shape[0], ROW_CHUNK):
        rows = slice(start, min(start + ROW_CHUNK, shape[0]))
        pop = np.nan_to_num(population[rows].astype("float64"), nan=0.0)
        land = (
            np.ones_like(pop)
            if land_share is None
            else np.nan_to_num(np.asarray(land_share[rows], dtype="float64"), nan=0.0)
        )
        built = (
            np.zeros_like(pop)
            if built_share is None
            else np.nan_to_num(np.asarray(built_share[rows], dtype="float64"), nan=0.0)
        )
        if (pop < 0).any() or (land < 0).any() or (built < 0).any():
            raise InputDataError(
                "population, built-up and land grids must not hold negative values; check "
                "their nodata value."
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            density[rows] = pop / (land * cell_area_km2)
            built_out[rows] = np.round(built / land, rules.built_share_decimals)
        pop_out[rows] = pop
        non_land[rows] = (land < rules.water_land_threshold) & (pop <= rules.water_pop_threshold)
        water[rows] = non_land[rows] & (built <= rules.water_built_threshold)
    return PreparedGrid(
        population=pop_out,
        density=density,
        built_share=built_out,
        water=water,
        unpopulated_non_land=non_land,
        cell_area_km2=float(cell_area_km2),
    )


def aggregate_to_coarse_grid(raster: Raster, *, cell_size: float = GRID_CELL_M) -> Raster:
    """Sum a finer grid of counts (e.g. people per 100 m cell) into the 1 km cells containing it.

    Each coarse cell holds ``sum(fine cells inside it)``, nodata counted as 0; a coarse cell
    whose fine cells are all nodata is NaN. The coarse grid starts at the fine grid's origin,
    which must be a multiple of ``cell_size`` (as on the GHSL grid), and is extended to whole
    coarse cells at the right and bottom edges. A grid that already has ``cell_size`` cells
    comes back as it is (float64, nodata NaN), wherever its origin.

    Parameters
    ----------
    raster : Raster
        Counts per fine cell (people, m²), on a north-up projected grid.
    cell_size : float
        Coarse cell size in CRS units (1000 m).

    Returns
    -------
    Raster
        float64 population per coarse cell, nodata NaN.

    Raises
    ------
    CRSError
        If the grid is not in a projected CRS.
    ParameterError
        If the fine cells do not divide ``cell_size`` a whole number of times.
    GridMismatchError
        If the grid is rotated, or finer and its origin is not on the coarse grid.
    """
    grid = raster.grid
    grid.require_projected(raster.name)
    transform = grid.transform
    if transform.b != 0 or transform.d != 0 or transform.e >= 0:
        raise GridMismatchError(
            f"{raster.name} is rotated or not north-up; warp it to a north-up grid first."
        )
    ratio_x = cell_size / grid.cell_width
    ratio_y = cell_size / grid.cell_height
    if not (_is_whole(ratio_x) and _is_whole(ratio_y)) or ratio_x < 1 or ratio_y < 1:
        fix = (
            onto_dividing_cells(grid)
            if cell_size == GRID_CELL_M
            else f"warp it onto cells that do, e.g. {warp_command(grid, align=cell_size)}"
        )
        raise ParameterError(
            f"{raster.name} has {grid.cell_width:g} x {grid.cell_height:g} cells, which do not "
            f"divide {cell_size:g} a whole number of times; {fix}."
        )
    step_x, step_y = round(ratio_x), round(ratio_y)
    aligned = _is_whole(transform.c / cell_size) and _is_whole(transform.f / cell_size)
    if (step_x, step_y) != (1, 1) and not aligned:
        raise GridMismatchError(
            f"{raster.name} starts at ({transform.c:.12g}, {transform.f:.12g}), not on a "
            f"corner of the {cell_size:g} m grid; warp it onto cells whose origin is a "
            f"multiple of {cell_size:g}, e.g. {warp_command(grid, align=cell_size)}."
        )
    height = -(-grid.height // step_y)
    width = -(-grid.width // step_x)
    valid = raster.valid_mask()
    values = np.where(valid, raster.data, 0).astype("float64")
    padded = np.zeros((height * step_y, width * step_x))
    padded[: grid.height, : grid.width] = values
    counted = np.zeros(padded.shape, dtype=bool)
    counted[: grid.height, : grid.width] = valid
    sums = padded.reshape(height, step_y, width, step_x).sum(axis=(1, 3))
    any_valid = counted.reshape(height, step_y, width, step_x).any(axis=(1, 3))
    sums[~any_valid] = np.nan
    coarse = Grid(
        crs=grid.crs,
        transform=Affine(cell_size, 0.0, transform.c, 0.0, -cell_size, transform.f),
        height=height,
        width=width,
    )
    return Raster(data=sums, grid=coarse, nodata=float("nan"), name=f"{raster.name} (1 km sums)")


def repeat_to_fine_grid(classes: Raster, fine: Grid) -> np.ndarray:
    """The class of the coarse cell containing each cell of a finer, aligned grid.

    Parameters
    ----------
    classes : Raster
        Coarse class grid (e.g. the 1 km Degree of Urbanisation classes).
    fine : Grid
        A finer grid in the same CRS whose cells nest in the coarse cells (origin on a coarse
        cell corner or offset by whole fine cells; cell sizes in a whole ratio).

    Returns
    -------
    numpy.ndarray
        Array of ``fine.shape`` with the coarse class of each fine cell; fine cells outside
        the coarse grid get the class raster's nodata (or 0 when it has none).

    Raises
    ------
    GridMismatchError
        If the CRSs differ or the fine cells do not nest in the coarse cells.
    """
    coarse = classes.grid
    if coarse.crs != fine.crs:
        raise GridMismatchError(
            f"{classes.name} is in {coarse.crs} but the population grid is in {fine.crs}; "
            "warp one onto the other's CRS first."
        )
    ratio_x = coarse.cell_width / fine.cell_width
    ratio_y = coarse.cell_height / fine.cell_height
    offset_x = (fine.transform.c - coarse.transform.c) / fine.cell_width
    offset_y = (coarse.transform.f - fine.transform.f) / fine.cell_height
    if not all(_is_whole(value) for value in (ratio_x, ratio_y, offset_x, offset_y)):
        raise GridMismatchError(
            f"the population grid ({fine.cell_width:g} m cells) does not nest in the cells of "
            f"{classes.name} ({coarse.cell_width:g} m); warp it onto cells aligned with them, "
            f"e.g. {warp_command(coarse, size=dividing_size(fine.cell_width))}."
        )
    rows = (np.arange(fine.height) + round(offset_y)) // round(ratio_y)
    cols = (np.arange(fine.width) + round(offset_x)) // round(ratio_x)
    inside_rows = (rows >= 0) & (rows < coarse.height)
    inside_cols = (cols >= 0) & (cols < coarse.width)
    fill = 0 if classes.nodata is None or np.isnan(classes.nodata) else classes.nodata
    out = np.full(fine.shape, fill, dtype=classes.data.dtype)
    block = classes.data[np.ix_(rows[inside_rows], cols[inside_cols])]
    out[np.ix_(inside_rows, inside_cols)] = block
    return out


def _is_whole(value: float, tolerance: float = 1e-6) -> bool:
    return abs(value - round(value)) < tolerance
