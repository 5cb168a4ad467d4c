"""Checks of the values of the rasters: no negative counts or surfaces, data over the units,
no more built-up or land surface than the cell holds.

Values are checked where they are used: over the whole raster for negative values (the
Degree of Urbanisation reads every cell), over the cells the units cover for nodata. The
cells are read a block of rows at a time (:func:`raster_summary`), once per raster.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rasterio.errors import RasterioError

from observatory.checks.extent import UnitsExtent
from observatory.kernels.grid import Raster, RasterFile, row_blocks
from observatory.kernels.zonal_blocks import grid_key
from observatory.layers import RasterLayer
from observatory.messages import _, ngettext
from observatory.problems import Problem

#: Roles whose values cannot be negative (people, m², µg/m³).
NON_NEGATIVE_ROLES = ("population", "built_up", "land", "pm25")
#: Roles in m² per cell (or shares of the cell, when every value is within 0-1).
SURFACE_ROLES = ("built_up", "land")
#: Above this share of the units' area without data, a raster is reported (warning); all
#: without data is an error.
MOSTLY_NODATA_SHARE = 0.5
#: What reading the cells of a file whose header could be read may raise.
UNREADABLE_CELLS = (OSError, RasterioError)


@dataclass(frozen=True)
class RasterSummary:
    """What the checks read of a raster's cells, in one pass over its blocks of rows.

    Attributes
    ----------
    count : int
        Cells holding data.
    lowest, highest : float
        Lowest and highest value of those cells (0 when there is none).
    negative : int
        Cells below 0.
    above_cell_area : int
        Cells above the cell's area (for a raster of m² per cell).
    units_area, nodata_area : float
        Σ_k u_k and Σ_k u_k · [cell k is nodata], u_k the share of cell k inside the units
        (in cells; 0 without placed units).
    total : float
        Σ_k u_k · x_k, nodata as 0: what the raster holds over the units.
    """

    count: int
    lowest: float
    highest: float
    negative: int
    above_cell_area: int
    units_area: float
    nodata_area: float
    total: float


def raster_summary(raster: RasterFile | Raster, extent: UnitsExtent) -> RasterSummary:
    """The :class:`RasterSummary` of ``raster`` over the units of ``extent``, read a block of
    rows at a time (once per raster: the checks that need it share it)."""

    def compute() -> RasterSummary:
        grid = raster.grid
        count = negative = above = 0
        lowest = highest = units_area = nodata_area = total = 0.0
        for start, stop in row_blocks(grid):
            window = raster.window(start, stop)
            valid = window.valid_mask()
            values = window.data[valid]
            if values.size:
                low, high = float(values.min()), float(values.max())
                lowest, highest = (
                    (low, high) if not count else (min(lowest, low), max(highest, high))
                )
                count += values.size
                negative += int((values < 0).sum())
                above += int((values > grid.cell_area * (1 + 1e-6)).sum())
            coverage = extent.cell_coverage(grid, start, stop) if grid.crs is not None else None
            if coverage is not None:
                units_area += float(coverage.sum())
                nodata_area += float(coverage[~valid.ravel()].sum())
                total += float(coverage @ window.filled(0.0).ravel())
        return RasterSummary(
            count, lowest, highest, negative, above, units_area, nodata_area, total
        )

    return extent.memo(("raster summary", raster.name, *grid_key(raster.grid)), compute)


def check_raster_values(
    name: str, role: str, path: Path, layer: RasterLayer, extent: UnitsExtent
) -> list[Problem]:
    """Negative values, nodata over the units and surfaces above the cell's area."""
    try:
        summary = raster_summary(layer.raster, extent)
    except UNREADABLE_CELLS as error:
        return [
            Problem(
                "error",
                name,
                _("{error}", error=str(error)),
                _("give a GeoTIFF; check it opens in QGIS."),
            )
        ]
    problems = []
    if role in NON_NEGATIVE_ROLES and summary.negative:
        problems.append(
            Problem(
                "error",
                name,
                ngettext(
                    "{file} has {count} cell(s) with negative values (the lowest {lowest:g}); "
                    "{role} cannot be negative.",
                    "{file} has {count} cell(s) with negative values (the lowest {lowest:g}); "
                    "{role} cannot be negative.",
                    summary.negative,
                    file=path.name,
                    count=summary.negative,
                    lowest=summary.lowest,
                    role=role,
                ),
                _(
                    "a negative value is usually a nodata value that is not declared: declare "
                    "it with 'gdal_edit.py -a_nodata VALUE FILE' (GHSL uses -200 for "
                    "population, 65535 for built-up), or take the file again from its source."
                ),
            )
        )
    if role in SURFACE_ROLES and summary.count and summary.highest > 1:
        problems += _above_cell_area(name, path, summary, layer.raster.grid.cell_area)
    if summary.units_area > 0:
        problems += _nodata_over_units(name, path, summary.nodata_area / summary.units_area)
    return problems


def _above_cell_area(
    name: str, path: Path, summary: RasterSummary, cell_area: float
) -> list[Problem]:
    if not summary.above_cell_area:
        return []
    return [
        Problem(
            "error",
            name,
            ngettext(
                "{file} has {count} cell(s) holding more m² than the cell's area ({area:g} m²; "
                "the highest value is {highest:g}).",
                "{file} has {count} cell(s) holding more m² than the cell's area ({area:g} m²; "
                "the highest value is {highest:g}).",
                summary.above_cell_area,
                file=path.name,
                count=summary.above_cell_area,
                area=cell_area,
                highest=summary.highest,
            ),
            _(
                "give the surface in m² per cell (GHS-BUILT-S, GHS-LAND) or as a share 0-1 of "
                "the cell; if the file was resampled, warp it again with -r sum onto a grid of "
                "its cell size, or -r average for shares."
            ),
        )
    ]


def _nodata_over_units(name: str, path: Path, share: float) -> list[Problem]:
    if share >= 1 - 1e-9:
        return [
            Problem(
                "error",
                name,
                _(
                    "{file} has no data over the units: every cell they cover is nodata.",
                    file=path.name,
                ),
                _(
                    "check that the nodata value is right (gdalinfo shows it) and that the file "
                    "holds the territory's data, not an empty tile."
                ),
            )
        ]
    if share > MOSTLY_NODATA_SHARE:
        return [
            Problem(
                "warning",
                name,
                _(
                    "{file} is nodata over {share:.1f} % of the units' area; the values there "
                    "count as 0.",
                    file=path.name,
                    share=100 * share,
                ),
                _(
                    "check the nodata value (gdalinfo shows it) and that the file covers the "
                    "territory."
                ),
            )
        ]
    return []
