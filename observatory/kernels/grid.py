"""In-memory rasters and the grids they sit on, with the checks that grids line up.

A :class:`Grid` is the geometry of a raster (CRS, affine transform, shape); a :class:`Raster`
is a 2-D array on a grid with its nodata value. Both are plain data: reading and writing
files is :mod:`observatory.io.raster`'s job.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import Transformer
from rasterio.crs import CRS

from observatory.errors import CRSError, GridMismatchError, InputDataError
from observatory.messages import _

#: The cell of the Degree of Urbanisation grid (metres).
DEGURBA_CELL_M = 1000.0
#: Cell sizes (m) that divide 1 km, for the fixes that name one.
DIVIDING_SIZES = (100.0, 200.0, 250.0, 500.0, 1000.0)
#: How many cells a block of rows holds at most (2**21: 16 MB of float64): what bounds the
#: memory of work done block by block (:func:`row_blocks`), whatever the raster's size.
BLOCK_CELLS = 2**21
#: Metres in a degree of latitude (for a geographic grid's cell size in metres, roughly).
_METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Grid:
    """The geometry of a north-up raster.

    Parameters
    ----------
    crs : rasterio.crs.CRS
        Coordinate reference system of the cells.
    transform : affine.Affine
        Maps (column, row) to (x, y) of the upper-left corner of a cell.
    height, width : int
        Number of rows and columns.
    """

    crs: CRS
    transform: Affine
    height: int
    width: int

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def cell_width(self) -> float:
        return abs(self.transform.a)

    @property
    def cell_height(self) -> float:
        return abs(self.transform.e)

    @property
    def cell_area(self) -> float:
        """Area of one cell in squared CRS units (m² on a projected grid)."""
        return self.cell_width * self.cell_height

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the whole grid."""
        x0, y0 = self.transform @ (0, 0)
        x1, y1 = self.transform @ (self.width, self.height)
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y of every cell centre, each an array of the grid's shape."""
        cols, rows = np.meshgrid(np.arange(self.width) + 0.5, np.arange(self.height) + 0.5)
        xs, ys = self.transform @ (cols, rows)
        return np.asarray(xs), np.asarray(ys)

    def same_as(self, other: Grid, *, tolerance: float = 1e-6) -> bool:
        """True when both grids have the same CRS, shape and (almost) the same transform."""
        return (
            self.shape == other.shape
            and self.crs == other.crs
            and self.transform.almost_equals(other.transform, precision=tolerance)
        )

    def rows(self, start: int, stop: int) -> Grid:
        """The grid of rows ``start`` to ``stop`` (excluded), all columns."""
        return Grid(
            self.crs, self.transform @ Affine.translation(0, start), stop - start, self.width
        )

    def require_projected(self, what: str) -> None:
        """Raise :class:`CRSError` unless the grid is in a projected CRS in metres."""
        if self.crs is None:
            raise CRSError(f"{what} has no CRS; assign the CRS it was made in (e.g. ESRI:54009).")
        if not self.crs.is_projected:
            size = metres_per_cell(self)
            raise CRSError(
                f"{what} is in the geographic CRS {self.crs.to_string()}, where cells are not "
                "equal in area; warp it to an equal-area grid of about the same cell size "
                f"first, for example 'gdalwarp -t_srs ESRI:54009 -tr {size:g} {size:g} -tap "
                "-r sum IN.tif OUT.tif'."
            )


@dataclass(frozen=True)
class Raster:
    """A single-band raster in memory.

    Parameters
    ----------
    data : numpy.ndarray
        2-D array of cell values, shape ``grid.shape``.
    grid : Grid
        Where the cells are.
    nodata : float or None
        Value that marks cells without data, or None.
    name : str
        What the raster is, for messages (usually the file path).
    """

    data: np.ndarray
    grid: Grid
    nodata: float | None = None
    name: str = "raster"

    def __post_init__(self) -> None:
        if self.data.shape != self.grid.shape:
            raise GridMismatchError(
                f"{self.name}: array shape {self.data.shape} does not match its grid "
                f"{self.grid.shape}."
            )

    def valid_mask(self, rows: slice = slice(None)) -> np.ndarray:
        """Boolean array, True where the cell holds data (not nodata, not NaN); of the rows
        ``rows`` only when given."""
        data = self.data[rows]
        mask = np.ones(data.shape, dtype=bool)
        if np.issubdtype(data.dtype, np.floating):
            mask &= ~np.isnan(data)
        if self.nodata is not None and not (
            isinstance(self.nodata, float) and np.isnan(self.nodata)
        ):
            mask &= data != self.nodata
        return mask

    def filled(self, value: float = 0.0) -> np.ndarray:
        """The data as float64 with nodata cells replaced by ``value``."""
        out = self.data.astype("float64", copy=True)
        out[~self.valid_mask()] = value
        return out

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def window(self, start: int, stop: int) -> Raster:
        """Rows ``start`` to ``stop`` (excluded) as a raster on their own grid (a view)."""
        return Raster(self.data[start:stop], self.grid.rows(start, stop), self.nodata, self.name)

    def load(self) -> Raster:
        """The whole raster in memory: itself."""
        return self


#: Reads rows ``start`` to ``stop`` (excluded) of one band: an array of shape
#: ``(stop - start, width)``. :func:`observatory.io.raster.open_raster` makes them.
RowReader = Callable[[int, int], np.ndarray]


@dataclass(frozen=True)
class RasterFile:
    """A single-band raster whose cells stay in their file until a block of rows is asked.

    It answers the same questions as :class:`Raster` (``grid``, ``nodata``, ``name``,
    ``dtype``, :meth:`window`, :meth:`load`), so work written block by block
    (:func:`row_blocks`) takes either; only the rows of one block are in memory at a time.

    Parameters
    ----------
    grid : Grid
        Where the cells are.
    nodata : float or None
        Value that marks cells without data, or None.
    name : str
        What the raster is, for messages (usually the file path).
    dtype : numpy.dtype
        The type of the cells as stored.
    read_rows : RowReader
        Reads a band of rows; picklable when made by :mod:`observatory.io.raster`, so a
        block can be read by another process.
    """

    grid: Grid
    nodata: float | None
    name: str
    dtype: np.dtype
    read_rows: RowReader

    def window(self, start: int, stop: int) -> Raster:
        """Rows ``start`` to ``stop`` (excluded), read from the file."""
        return Raster(
            self.read_rows(start, stop), self.grid.rows(start, stop), self.nodata, self.name
        )

    def load(self) -> Raster:
        """The whole raster read into memory (for grids known to be small)."""
        return Raster(self.read_rows(0, self.grid.height), self.grid, self.nodata, self.name)

    @property
    def data(self) -> np.ndarray:
        """Every cell, read from the file now (as :meth:`load`): for a plugin or a script
        written for in-memory rasters; the library's own work goes block by block."""
        return self.load().data

    def valid_mask(self) -> np.ndarray:
        """:meth:`Raster.valid_mask` of the whole raster, read from the file now."""
        return self.load().valid_mask()

    def filled(self, value: float = 0.0) -> np.ndarray:
        """:meth:`Raster.filled` of the whole raster, read from the file now."""
        return self.load().filled(value)


def row_blocks(
    grid: Grid, *, cells: int | None = None, multiple: int = 1
) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of consecutive bands of whole rows covering ``grid``.

    Each band holds at most ``cells`` cells (:data:`BLOCK_CELLS` when not given, read at
    each call) (at least ``multiple`` rows, when a row alone is wider) and, but for the
    last, a multiple of ``multiple`` rows (10 for 100 m cells summed into 1 km cells). A
    grid of at most ``cells`` cells is one block, so small rasters are worked on whole,
    exactly as before.
    """
    cells = BLOCK_CELLS if cells is None else cells
    rows = max(multiple, (cells // max(grid.width, 1)) // multiple * multiple)
    for start in range(0, grid.height, rows):
        yield start, min(start + rows, grid.height)


def as_m2_per_cell(raster: Raster) -> Raster:
    """A built-up or land raster in m² per cell, in memory (:func:`m2_per_cell` loaded)."""
    return m2_per_cell(raster).load()


def m2_per_cell(raster: Raster | RasterFile) -> Raster | RasterFile | SharesAsM2:
    """A built-up or land raster in m² per cell, as the indicators and the Degree of
    Urbanisation read it, still read block by block.

    GHSL gives m² per cell: the raster itself is returned. A raster whose values all lie
    within 0-1 holds shares of the cell instead and is read as ``share × cell area``
    (:class:`SharesAsM2`; nodata becomes NaN). The values are scanned once, a block of rows
    at a time (:func:`row_blocks`), for their lowest and highest.

    Raises
    ------
    InputDataError
        If a value is negative (usually a nodata value that is not declared).
    """
    lowest, highest = 0.0, 0.0
    for start, stop in row_blocks(raster.grid):
        values = raster.window(start, stop).filled(np.nan)
        lowest = min(lowest, float(np.nanmin(values, initial=0.0)))
        highest = max(highest, float(np.nanmax(values, initial=0.0)))
    if lowest < 0:
        raise InputDataError(f"{raster.name} has negative values; check its nodata value.")
    return SharesAsM2(raster) if highest <= 1.0 else raster


@dataclass(frozen=True)
class SharesAsM2:
    """A raster of shares 0-1 of the cell read as m² per cell (``share × cell area``, nodata
    as NaN), block by block: it answers the same questions as :class:`Raster`."""

    source: Raster | RasterFile

    @property
    def grid(self) -> Grid:
        return self.source.grid

    @property
    def name(self) -> str:
        return self.source.name

    nodata = None
    dtype = np.dtype("float64")

    def window(self, start: int, stop: int) -> Raster:
        """Rows ``start`` to ``stop`` (excluded) in m² per cell."""
        return self._in_m2(self.source.window(start, stop))

    def load(self) -> Raster:
        """The whole raster in m² per cell, in memory."""
        return self._in_m2(self.source.load())

    @staticmethod
    def _in_m2(shares: Raster) -> Raster:
        values = shares.filled(np.nan) * shares.grid.cell_area
        return Raster(values, shares.grid, None, shares.name)


def require_same_grid(first: Raster, second: Raster) -> None:
    """Raise :class:`GridMismatchError` naming both rasters when their grids differ."""
    if not first.grid.same_as(second.grid):
        raise GridMismatchError(
            f"{second.name} is not on the grid of {first.name} "
            f"({second.grid.crs}, {second.grid.shape}, {tuple(second.grid.transform)[:6]} vs "
            f"{first.grid.crs}, {first.grid.shape}, {tuple(first.grid.transform)[:6]}); "
            f"warp it onto that grid, e.g. {warp_command(first.grid)}."
        )


def transform_coordinates(source_crs, target_crs, x, y) -> tuple[np.ndarray, np.ndarray]:
    """x and y arrays (any shape) from ``source_crs`` to ``target_crs``, in x/y order."""
    transformer = Transformer.from_crs(source_crs, target_crs, always_xy=True)
    new_x, new_y = transformer.transform(np.asarray(x, "float64"), np.asarray(y, "float64"))
    return np.asarray(new_x), np.asarray(new_y)


def sample_at_centres(source: Raster | RasterFile, target: Grid) -> np.ndarray:
    """Value of ``source`` at every cell centre of ``target`` (nearest cell, NaN outside).

    Used to bring a coarse grid (e.g. 1 km PM2.5) onto a fine one (e.g. 100 m population)
    without averaging: each fine cell takes the value of the coarse cell containing its
    centre. Centres are transformed to the source CRS when the CRSs differ. Nodata → NaN.
    Only the rows of ``source`` that hold a centre are read, so ``target`` may be a block of
    rows of a larger grid (:meth:`Grid.rows`).
    """
    xs, ys = target.cell_centres()
    if source.grid.crs != target.crs:
        xs, ys = transform_coordinates(target.crs, source.grid.crs, xs, ys)
    cols, rows = ~source.grid.transform @ (xs, ys)
    cols = np.floor(np.asarray(cols)).astype(np.int64)
    rows = np.floor(np.asarray(rows)).astype(np.int64)
    inside = (rows >= 0) & (rows < source.grid.height) & (cols >= 0) & (cols < source.grid.width)
    out = np.full(target.shape, np.nan)
    if inside.any():
        first, last = int(rows[inside].min()), int(rows[inside].max())
        values = source.window(first, last + 1).filled(np.nan)
        out[inside] = values[rows[inside] - first, cols[inside]]
    return out


def dividing_size(cell: float) -> float:
    """``cell`` when it divides 1 km, else the closest size that does."""
    ratio = DEGURBA_CELL_M / cell
    if abs(ratio - round(ratio)) < 1e-6 and cell <= DEGURBA_CELL_M:
        return cell
    return min(DIVIDING_SIZES, key=lambda size: abs(size - cell))


def warp_command(grid: Grid, *, size: float | None = None, align: float | None = None) -> str:
    """``gdalwarp`` onto ``grid``'s CRS, cell size (or ``size``) and extent (widened to
    multiples of ``align`` when given), summing counts."""
    width = size or grid.cell_width
    height = size or grid.cell_height
    left, bottom, right, top = grid.bounds
    if align:
        left, bottom = (math.floor(v / align) * align for v in (left, bottom))
        right, top = (math.ceil(v / align) * align for v in (right, top))
    crs = grid.crs.to_string() if grid.crs is not None else "CRS"
    return (
        f"'gdalwarp -t_srs {crs} -tr {width:g} {height:g} -te {left:.12g} {bottom:.12g} "
        f"{right:.12g} {top:.12g} -r sum IN.tif OUT.tif'"
    )


def metres_per_cell(grid: Grid) -> float:
    """The cell width of a geographic grid in metres at its centre, rounded to a size that
    divides 1 km (the cell size to warp it to)."""
    latitude = (grid.bounds[1] + grid.bounds[3]) / 2
    metres = grid.cell_width * _METRES_PER_DEGREE * math.cos(math.radians(latitude))
    return dividing_size(metres)


def onto_dividing_cells(grid: Grid) -> str:
    """How to put ``grid`` onto cells that sum into the 1 km cells of the Degree of
    Urbanisation: a ``gdalwarp`` onto the closest dividing size, in its CRS, on a 1 km-aligned
    extent; for cells coarser than 1 km, the source's finer grid (summing cannot split a cell
    without guessing where its people live)."""
    if grid.cell_width > DEGURBA_CELL_M or grid.cell_height > DEGURBA_CELL_M:
        return _(
            "cells of {size} m cannot be split into 1 km cells without guessing where the "
            "people live; take the source's 1 km or 100 m grid instead (GHSL publishes both)",
            size=f"{grid.cell_width:g}",
        )
    command = warp_command(grid, size=dividing_size(grid.cell_width), align=DEGURBA_CELL_M)
    return _(
        "warp it onto 1 km-aligned cells, e.g. {command} (-r sum keeps the totals)", command=command
    )
