"""Preparing the inputs of the Degree of Urbanisation: shares, densities, water, 1 km sums.

Everything here is pure: arrays and :class:`~observatory.kernels.grid.Raster` objects in,
arrays and rasters out.

Sources: *Applying the Degree of Urbanisation* (Eurostat et al. 2021), chapter 2 (1 km² grid,
density per km² of permanent land); GHSL Data Package 2023 §2.7 (water cells, built-up share of
permanent land, GHSL grids in m² per cell).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from affine import Affine

from observatory.degurba.rules import DegurbaRules
from observatory.errors import GridMismatchError, InputDataError, ParameterError
from observatory.kernels import grid as grid_module
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
_ALL = slice(None)
#: Rows of the blocks in which cluster populations are summed (the order of the float sums, the
#: same whatever the tiles) and the whole-grid quantities are derived.
ROW_CHUNK = 512
#: Cells whose flags are derived at a time (their float64 temporaries stay in the CPU cache).
FLAG_BLOCK_CELLS = 1 << 18
#: Bits of the cell flags that are not density masks: water cells, and unpopulated non-land
#: cells (a water cell is one too); the R2023A majority rule reads them.
WATER = np.uint8(64)
UNPOPULATED_NON_LAND = np.uint8(128)


def density_masks(rules: DegurbaRules) -> dict[tuple[float, float | None], np.uint8]:
    """The masks the rules compare cells with, each with its bit of the cell flags.

    A mask is ``(density, built)``: density >= ``density``, or built-up share of permanent
    land >= ``built`` when it is not None. Urban centres, dense and semi-dense clusters,
    urban clusters, rural clusters and low-density cells give at most six distinct masks.
    """
    masks = [
        (rules.uc_density, rules.uc_built_threshold if rules.uc_built_criterion else None),
        (rules.duc_density, rules.duc_built_threshold if rules.duc_built_criterion else None),
        (rules.sduc_density, None),
        (rules.ucl_density, None),
        (rules.rc_density, None),
        (rules.ldr_density, None),
    ]
    return {mask: np.uint8(1 << k) for k, mask in enumerate(dict.fromkeys(masks))}


@dataclass(frozen=True, eq=False)
class CellFlags:
    """One byte a cell: the density masks of some rules, water, unpopulated non-land.

    Attributes
    ----------
    bits : dict
        Mask ``(density, built)`` → its bit (see :func:`density_masks`).
    values : numpy.ndarray of uint8
        The flags of every cell; also :data:`WATER` and :data:`UNPOPULATED_NON_LAND`.
    """

    bits: dict[tuple[float, float | None], np.uint8]
    values: np.ndarray


@dataclass(frozen=True)
class GridBlock:
    """The per-cell quantities of a block of a :class:`PreparedGrid` (see its attributes)."""

    density: np.ndarray
    built_share: np.ndarray
    water: np.ndarray
    unpopulated_non_land: np.ndarray


@dataclass(frozen=True, eq=False)
class PreparedGrid:
    """The per-cell quantities the classification rules compare with their thresholds.

    It holds the arrays given to :func:`prepare_grid` (no copy: do not change them while the
    grid is used) and derives everything else block by block (:meth:`block`), so a world grid
    never holds a whole-grid density or built-up share. The attributes below are the whole
    grid, derived on request; each block is derived the same way.

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

    source_population: np.ndarray
    source_built_share: np.ndarray | None
    source_land_share: np.ndarray | None
    rules: DegurbaRules
    cell_area_km2: float = 1.0
    flags: CellFlags | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.source_population.shape

    @property
    def dtype(self) -> np.dtype:
        """float32 for a float32 population, else float64."""
        dtype = self.source_population.dtype
        return dtype if dtype == np.float32 else np.dtype("float64")

    def population_at(self, cells: np.ndarray) -> np.ndarray:
        """Inhabitants of the cells of flat (row-major) indices ``cells``, nodata as 0 (as
        :attr:`population`)."""
        rows, cols = np.divmod(cells, self.shape[1])
        return _as_float64(self.source_population[rows, cols]).astype(self.dtype, copy=False)

    def _sources(self, rows: slice, cols: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Population, land share and built-up share of the cells ``[rows, cols]`` as float64,
        NaN as 0."""
        pop = _as_float64(self.source_population[rows, cols])
        land = (
            np.ones_like(pop)
            if self.source_land_share is None
            else _as_float64(self.source_land_share[rows, cols])
        )
        built = (
            np.zeros_like(pop)
            if self.source_built_share is None
            else _as_float64(self.source_built_share[rows, cols])
        )
        return pop, land, built

    def block(self, rows: slice, cols: slice = _ALL) -> GridBlock:
        """Every derived quantity but the population of the cells ``[rows, cols]``."""
        return self._block_of(*self._sources(rows, cols))

    def _block_of(self, pop: np.ndarray, land: np.ndarray, built: np.ndarray) -> GridBlock:
        rules = self.rules
        area = self.cell_area_km2
        with np.errstate(divide="ignore", invalid="ignore"):
            density = (pop / (land if area == 1.0 else land * area)).astype(self.dtype, copy=False)
            built_share = np.round(built / land, rules.built_share_decimals)
        non_land = (land < rules.water_land_threshold) & (pop <= rules.water_pop_threshold)
        return GridBlock(
            density=density,
            built_share=built_share.astype(self.dtype, copy=False),
            water=non_land & (built <= rules.water_built_threshold),
            unpopulated_non_land=non_land,
        )

    def cell_flags(self, rules: DegurbaRules) -> CellFlags:
        """The cell flags of the density masks of ``rules`` (the water bits follow the rules
        the grid was prepared with); those of :func:`prepare_grid` when the masks are the
        same."""
        bits = density_masks(rules)
        if self.flags is not None and self.flags.bits == bits:
            return self.flags
        return self._derive_flags(bits, check=False)

    def _derive_flags(self, bits: dict, *, check: bool) -> CellFlags:
        """Derive the flags in row blocks; with ``check``, refuse negative values."""
        height, width = self.shape
        flags = np.zeros(self.shape, dtype=np.uint8)
        step = max(1, FLAG_BLOCK_CELLS // max(width, 1))
        for start in range(0, height, step):
            rows = slice(start, start + step)
            pop, land, built = self._sources(rows, _ALL)
            if check and ((pop < 0).any() or (land < 0).any() or (built < 0).any()):
                raise InputDataError(
                    "population, built-up and land grids must not hold negative values; check "
                    "their nodata value."
                )
            block, out = self._block_of(pop, land, built), flags[rows]
            for (density, built_threshold), bit in bits.items():
                dense = block.density >= density
                if built_threshold is not None:
                    dense |= block.built_share >= built_threshold
                out |= dense.view(np.uint8) * bit
            out |= block.water.view(np.uint8) * WATER
            out |= block.unpopulated_non_land.view(np.uint8) * UNPOPULATED_NON_LAND
        return CellFlags(bits, flags)

    def _whole(self, name: str) -> np.ndarray:
        """One quantity for the whole grid, derived by row blocks."""
        out = None
        for start in range(0, self.shape[0], ROW_CHUNK):
            rows = slice(start, start + ROW_CHUNK)
            if name == "population":
                values = _as_float64(self.source_population[rows]).astype(self.dtype, copy=False)
            else:
                values = getattr(self.block(rows), name)
            if out is None:
                out = np.empty(self.shape, dtype=values.dtype)
            out[rows] = values
        return out if out is not None else np.empty(self.shape, dtype=self.dtype)

    @property
    def population(self) -> np.ndarray:
        return self._whole("population")

    @property
    def density(self) -> np.ndarray:
        return self._whole("density")

    @property
    def built_share(self) -> np.ndarray:
        return self._whole("built_share")

    @property
    def water(self) -> np.ndarray:
        return self._whole("water")

    @property
    def unpopulated_non_land(self) -> np.ndarray:
        return self._whole("unpopulated_non_land")


def _as_float64(values: np.ndarray) -> np.ndarray:
    """``values`` as float64 with NaN as 0 (and ±inf as the largest float64, as
    :func:`numpy.nan_to_num` does); no copy when they are float64 and finite already."""
    values = np.asarray(values, dtype="float64")
    return values if np.isfinite(values).all() else np.nan_to_num(values, nan=0.0)


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
    """Check the inputs of the classification; densities, shares and water follow by block.

    ``density = population / (land_share * cell_area_km2)`` and
    ``built_share_of_land = round(built_share / land_share, rules.built_share_decimals)``.
    Water: ``land_share < water_land_threshold`` and ``population <= water_pop_threshold``
    and ``built_share <= water_built_threshold`` (GHSL DP2023; flexurba
    ``DoU_classify_grid_water``). The arrays are kept as they are (not copied) and read in row
    blocks, so preparing a world grid takes no memory of its own.

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
    arrays = {"built-up": built_share, "land": land_share}
    for label, array in arrays.items():
        if array is not None and np.shape(array) != population.shape:
            raise InputDataError(
                f"the {label} grid has shape {np.shape(array)} but the population grid has "
                f"{population.shape}; put both on the same 1 km grid."
            )
    if cell_area_km2 <= 0:
        raise ParameterError(f"cell_area_km2 = {cell_area_km2} must be positive.")
    grid = PreparedGrid(
        source_population=population,
        source_built_share=None if built_share is None else np.asarray(built_share),
        source_land_share=None if land_share is None else np.asarray(land_share),
        rules=rules,
        cell_area_km2=float(cell_area_km2),
    )
    return replace(grid, flags=grid._derive_flags(density_masks(rules), check=True))


def aggregate_to_coarse_grid(raster, *, cell_size: float = GRID_CELL_M) -> Raster:
    """Sum a finer grid of counts (e.g. people per 100 m cell) into the 1 km cells containing it.

    Each coarse cell holds ``sum(fine cells inside it)``, nodata counted as 0; a coarse cell
    whose fine cells are all nodata is NaN. The coarse grid starts at the fine grid's origin,
    which must be a multiple of ``cell_size`` (as on the GHSL grid), and is extended to whole
    coarse cells at the right and bottom edges. A grid that already has ``cell_size`` cells
    comes back as it is (float64, nodata NaN), wherever its origin.

    Parameters
    ----------
    raster : Raster or RasterFile
        Counts per fine cell (people, m²), on a north-up projected grid; read a band of
        coarse rows at a time (at most :data:`~observatory.kernels.grid.BLOCK_CELLS` fine
        cells, or one row of coarse cells when that is more).
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
    sums = _coarse_sums(raster, step_y, step_x, width)
    coarse = Grid(
        crs=grid.crs,
        transform=Affine(cell_size, 0.0, transform.c, 0.0, -cell_size, transform.f),
        height=height,
        width=width,
    )
    return Raster(data=sums, grid=coarse, nodata=float("nan"), name=f"{raster.name} (1 km sums)")


def _coarse_sums(raster, step_y: int, step_x: int, width: int) -> np.ndarray:
    """Sums of ``step_y`` x ``step_x`` blocks of fine cells (NaN where all are nodata), taken
    a band of coarse rows at a time: only that band of the fine grid is read (from its file,
    for a :class:`~observatory.kernels.grid.RasterFile`) and copied to float64."""
    fine_height, fine_width = raster.grid.shape
    height = -(-fine_height // step_y)
    band = max(1, grid_module.BLOCK_CELLS // max(width * step_y * step_x, 1))
    sums = np.empty((height, width))
    for top in range(0, height, band):
        bottom = min(top + band, height)
        fine = raster.window(top * step_y, min(bottom * step_y, fine_height))
        valid = fine.valid_mask()
        values = np.where(valid, fine.data, 0).astype("float64")
        padded = np.zeros(((bottom - top) * step_y, width * step_x))
        padded[: values.shape[0], :fine_width] = values
        counted = np.zeros(padded.shape, dtype=bool)
        counted[: values.shape[0], :fine_width] = valid
        shape = (bottom - top, step_y, width, step_x)
        block = padded.reshape(shape).sum(axis=(1, 3))
        block[~counted.reshape(shape).any(axis=(1, 3))] = np.nan
        sums[top:bottom] = block
    return sums


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
