"""Zonal sums block by block of rows: memory bounded by the block, whatever the raster.

:class:`~observatory.kernels.zonal.CoverageMatrix` over a whole grid holds one coverage
fraction per cell inside the units (12 bytes each: 0.8 GB for a national 100 m grid), and
the rasters summed with it were whole arrays. :class:`BlockedZonal` instead works on one
band of rows at a time (:func:`~observatory.kernels.grid.row_blocks`): for each block, the
coverage fractions of the units whose bounds meet it (exactextract clips them to the block,
:meth:`~observatory.kernels.zonal.CoverageMatrix.from_wkb`) times the cell values of the
block, added into one sum per unit. Only the per-unit sums outlive a block.

Each block is one piece of work for an :class:`~observatory.parallel.Executor`
(:func:`block_sums`, a module-level function of a picklable :class:`BlockTask`), so another
process can do it; the sums are added up in the order of the blocks whoever computed them.

Coverage matrices of blocks are kept for the next pass over the same grid while they fit in
``cache_bytes`` (:data:`COVERAGE_CACHE_BYTES`): the first blocks that fit are kept and the
others recomputed at each pass (with passes that sweep the blocks in order, keeping the
first ones is the best one can do; dropping the oldest would drop each block just before
it is needed again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import geopandas
import numpy as np
import scipy.sparse
import shapely

from observatory.kernels.grid import Grid, row_blocks
from observatory.kernels.zonal import CoverageMatrix, polygon_wkbs
from observatory.parallel import SERIAL, Executor

#: Bytes of block coverage matrices kept between passes over a grid, per set of units.
COVERAGE_CACHE_BYTES = 2**26

#: ``cell_values(start, stop)``: {name: float array of shape ``(stop - start, width)``} of
#: the rows ``start`` to ``stop`` (nodata as 0), or ``(name, array)`` pairs one after the
#: other (so that only one array of the block need be in memory at a time).
CellValues = Callable[[int, int], Mapping[str, np.ndarray] | Iterable[tuple[object, np.ndarray]]]


@dataclass(frozen=True)
class BlockTask:
    """The rows ``start`` to ``stop`` of ``grid`` to sum over the units meeting them.

    Attributes
    ----------
    grid : Grid
        The whole grid.
    start, stop : int
        The rows of the block.
    wkbs, positions : numpy.ndarray
        The polygons (WKB, in the grid's CRS) of the units whose bounds meet the block, and
        their positions among the ``n_units`` units.
    n_units : int
        How many units the sums are for.
    cell_values : CellValues
        The values of the block's cells (picklable to run on another process).
    coverage : scipy.sparse.csr_array or None
        The block's coverage matrix when kept from an earlier pass.
    keep_coverage : bool
        Return the coverage matrix computed, for the next passes.
    """

    grid: Grid
    start: int
    stop: int
    wkbs: np.ndarray
    positions: np.ndarray
    n_units: int
    cell_values: CellValues
    coverage: scipy.sparse.csr_array | None = None
    keep_coverage: bool = False


def block_sums(task: BlockTask) -> tuple[dict, scipy.sparse.csr_array | None]:
    """Σ_k c_ik · x_k over the cells k of one block, for every unit i and every quantity.

    Returns the sums (name → float64 array of ``n_units``) and the block's coverage matrix
    when ``task.keep_coverage`` and it was computed here (else None).
    """
    matrix = task.coverage
    computed = matrix is None
    if computed:
        block = task.grid.rows(task.start, task.stop)
        matrix = CoverageMatrix.from_wkb(task.wkbs, task.positions, task.n_units, block).matrix
    values = task.cell_values(task.start, task.stop)
    pairs = values.items() if isinstance(values, Mapping) else values
    sums = {name: matrix @ np.asarray(array, np.float64).ravel() for name, array in pairs}
    return sums, matrix if computed and task.keep_coverage else None


def grid_label(grid: Grid) -> str:
    """``100 m grid`` (or ``0.001° grid``), for progress messages."""
    unit = " m" if grid.crs is not None and grid.crs.is_projected else "°"
    return f"{grid.cell_width:g}{unit} grid"


def grid_key(grid: Grid) -> tuple:
    """What identifies a grid (CRS, transform, shape) in caches."""
    crs = grid.crs.to_string() if grid.crs is not None else None
    return (crs, tuple(grid.transform), grid.shape)


class BlockedZonal:
    """Zonal sums of a set of units over any grid, block by block of rows.

    Parameters
    ----------
    geometries : geopandas.GeoSeries
        The units' polygons in any CRS (placed on each grid's CRS once).
    executor : Executor
        Where the blocks are summed (:data:`observatory.parallel.SERIAL` by default).
    cache_bytes : int
        Bytes of block coverage matrices kept between passes (:data:`COVERAGE_CACHE_BYTES`).
    name : str
        What the geometries are, for error messages.
    """

    def __init__(
        self,
        geometries: geopandas.GeoSeries,
        *,
        executor: Executor = SERIAL,
        cache_bytes: int = COVERAGE_CACHE_BYTES,
        name: str = "The units",
    ) -> None:
        self.geometries = geometries
        self.executor = executor
        self.cache_bytes = cache_bytes
        self.name = name
        self._placed: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._coverage: dict[tuple, scipy.sparse.csr_array] = {}
        self._cached_bytes = 0

    @property
    def n_units(self) -> int:
        return len(self.geometries)

    def placed(self, grid: Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """WKB in the grid's CRS, positions and bounds ``(n, 4)`` of the present units."""
        key = grid.crs.to_wkt() if grid.crs is not None else ""
        if key not in self._placed:
            wkbs, positions = polygon_wkbs(self.geometries, grid, name=self.name)
            bounds = shapely.bounds(shapely.from_wkb(wkbs)).reshape(-1, 4)
            self._placed[key] = (wkbs, positions, bounds)
        return self._placed[key]

    def tasks(self, grid: Grid, cell_values: CellValues) -> list[BlockTask]:
        """One :class:`BlockTask` per block of rows of ``grid``."""
        key = grid_key(grid)
        return [
            self.task(grid, start, stop, cell_values, key=key) for start, stop in row_blocks(grid)
        ]

    def task(
        self, grid: Grid, start: int, stop: int, cell_values: CellValues, *, key=None
    ) -> BlockTask:
        """The :class:`BlockTask` of the rows ``start`` to ``stop`` of ``grid`` (whose
        :func:`grid_key` is ``key``, when known)."""
        key = grid_key(grid) if key is None else key
        wkbs, positions, bounds = self.placed(grid)
        left, bottom, right, top = grid.rows(start, stop).bounds
        meets = (
            (bounds[:, 0] < right)
            & (bounds[:, 2] > left)
            & (bounds[:, 1] < top)
            & (bounds[:, 3] > bottom)
        )
        cached = self._coverage.get((key, start, stop))
        return BlockTask(
            grid,
            start,
            stop,
            wkbs[meets],
            positions[meets],
            self.n_units,
            cell_values,
            cached,
            keep_coverage=cached is None and self._cached_bytes < self.cache_bytes,
        )

    def block_coverage(self, grid: Grid, start: int, stop: int) -> scipy.sparse.csr_array:
        """The coverage matrix of the rows ``start`` to ``stop`` of ``grid`` (units × the
        block's cells), kept for later within the cache's bytes."""
        task = self.task(grid, start, stop, None)
        if task.coverage is not None:
            return task.coverage
        block = grid.rows(start, stop)
        matrix = CoverageMatrix.from_wkb(task.wkbs, task.positions, task.n_units, block).matrix
        if task.keep_coverage:
            self._keep((grid_key(grid), start, stop), matrix)
        return matrix

    def sums(self, grid: Grid, cell_values: CellValues, *, label: str = "") -> dict:
        """Σ_k c_ik · x_k for every unit i and every quantity ``cell_values`` gives, over the
        blocks of ``grid`` (float64 arrays of ``n_units``, by name).

        ``label`` names the pass for the executor's progress (``zonal sums`` gives
        ``zonal sums, 100 m grid``).
        """
        key = grid_key(grid)
        tasks = self.tasks(grid, cell_values)
        results = self.executor.map(block_sums, tasks, label=f"{label}, {grid_label(grid)}")
        totals: dict = {}
        for task, (sums, matrix) in zip(tasks, results, strict=True):
            for name, partial in sums.items():
                totals[name] = partial if name not in totals else totals[name] + partial
            if matrix is not None:
                self._keep((key, task.start, task.stop), matrix)
        return totals

    def _keep(self, key: tuple, matrix: scipy.sparse.csr_array) -> None:
        size = matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
        if self._cached_bytes + size <= self.cache_bytes:
            self._coverage[key] = matrix
            self._cached_bytes += size
