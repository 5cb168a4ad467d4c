"""Whether a population grid can be summed into the 1 km cells of the Degree of
Urbanisation, and the ``gdalwarp`` commands that put a raster on a given grid.

A grid the Degree of Urbanisation cannot use does not stop a run: ``validate`` warns
(:func:`check_degurba_grid`) and ``compute`` leaves out the Degree of Urbanisation
indicators of that year with the same reason (:func:`degurba_grid_reason`).
"""

from __future__ import annotations

import math

from observatory.kernels.grid import Grid
from observatory.problems import Problem
from observatory.reasons import CELLS_NOT_DIVIDING, ORIGIN_OFF_GRID

#: The cell of the Degree of Urbanisation grid (metres).
DEGURBA_CELL_M = 1000.0
#: The theme of the indicators computed on the 1 km Degree of Urbanisation grid.
DEGURBA_THEME = "urbanisation"
#: Cell sizes (m) that divide 1 km, for the fix.
_DIVIDING_SIZES = (100.0, 200.0, 250.0, 500.0, 1000.0)
#: Metres in a degree of latitude (for a geographic grid's cell size in metres, roughly).
_METRES_PER_DEGREE = 111_320.0


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-6


def degurba_grid_reason(grid: Grid) -> str | None:
    """Why the cells of ``grid`` cannot be summed into 1 km cells, or None when they can.

    A projected grid is needed (checked elsewhere: None otherwise); its cells must divide
    1 km a whole number of times and, when finer, start on a corner of the 1 km grid.
    """
    if grid.crs is None or not grid.crs.is_projected:
        return None
    ratios = (DEGURBA_CELL_M / grid.cell_width, DEGURBA_CELL_M / grid.cell_height)
    if not all(_whole(ratio) and ratio >= 1 for ratio in ratios):
        return CELLS_NOT_DIVIDING.format(
            width=f"{grid.cell_width:g}", height=f"{grid.cell_height:g}"
        )
    x, y = grid.transform.c, grid.transform.f
    if ratios != (1.0, 1.0) and not (_whole(x / DEGURBA_CELL_M) and _whole(y / DEGURBA_CELL_M)):
        return ORIGIN_OFF_GRID.format(x=f"{x:.12g}", y=f"{y:.12g}", crs=grid.crs.to_string())
    return None


def check_degurba_grid(name: str, file_name: str, grid: Grid) -> list[Problem]:
    """A warning when the Degree of Urbanisation cannot use the population grid."""
    reason = degurba_grid_reason(grid)
    if reason is None:
        return []
    size = _dividing_size(grid.cell_width)
    return [
        Problem(
            "warning",
            name,
            f"{file_name}: {reason}; the Degree of Urbanisation indicators of this year are "
            "not computed.",
            "warp it onto 1 km-aligned cells, e.g. "
            + warp_command(grid, size=size, align=DEGURBA_CELL_M)
            + " (-r sum keeps the totals).",
        )
    ]


def _dividing_size(cell: float) -> float:
    """``cell`` when it divides 1 km, else the closest size that does."""
    if _whole(DEGURBA_CELL_M / cell) and cell <= DEGURBA_CELL_M:
        return cell
    return min(_DIVIDING_SIZES, key=lambda size: abs(size - cell))


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
    return _dividing_size(metres)
