"""Checks of the values of the rasters: no negative counts or surfaces, data over the units,
no more built-up or land surface than the cell holds.

Values are checked where they are used: over the whole raster for negative values (the
Degree of Urbanisation reads every cell), over the cells the units cover for nodata.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from observatory.checks.extent import UnitsExtent
from observatory.layers import RasterLayer
from observatory.problems import Problem

#: Roles whose values cannot be negative (people, m², µg/m³).
NON_NEGATIVE_ROLES = ("population", "built_up", "land", "pm25")
#: Roles in m² per cell (or shares of the cell, when every value is within 0-1).
SURFACE_ROLES = ("built_up", "land")
#: Above this share of the units' area without data, a raster is reported (warning); all
#: without data is an error.
MOSTLY_NODATA_SHARE = 0.5


def check_raster_values(
    name: str, role: str, path: Path, layer: RasterLayer, extent: UnitsExtent
) -> list[Problem]:
    """Negative values, nodata over the units and surfaces above the cell's area."""
    raster = layer.raster
    valid = raster.valid_mask()
    values = raster.data[valid]
    problems = []
    if role in NON_NEGATIVE_ROLES and values.size and values.min() < 0:
        negative = int((values < 0).sum())
        problems.append(
            Problem(
                "error",
                name,
                f"{path.name} has {negative} cell(s) with negative values (the lowest "
                f"{values.min():g}); {role} cannot be negative.",
                "a negative value is usually a nodata value that is not declared: declare it "
                "with 'gdal_edit.py -a_nodata VALUE FILE' (GHSL uses -200 for population, "
                "65535 for built-up), or take the file again from its source.",
            )
        )
    if role in SURFACE_ROLES and values.size and values.max() > 1:
        problems += _above_cell_area(name, path, values, raster.grid.cell_area)
    coverage = extent.cell_coverage(raster.grid)
    if coverage is not None and coverage.sum() > 0:
        problems += _nodata_over_units(name, path, valid.ravel(), coverage)
    return problems


def _above_cell_area(name: str, path: Path, values: np.ndarray, cell_area: float) -> list[Problem]:
    above = values > cell_area * (1 + 1e-6)
    if not above.any():
        return []
    return [
        Problem(
            "error",
            name,
            f"{path.name} has {int(above.sum())} cell(s) holding more m² than the cell's area "
            f"({cell_area:g} m²; the highest value is {values.max():g}).",
            "give the surface in m² per cell (GHS-BUILT-S, GHS-LAND) or as a share 0-1 of the "
            "cell; if the file was resampled, warp it again with -r sum onto a grid of its "
            "cell size, or -r average for shares.",
        )
    ]


def _nodata_over_units(
    name: str, path: Path, valid: np.ndarray, coverage: np.ndarray
) -> list[Problem]:
    share = float(coverage[~valid].sum() / coverage.sum())
    if share >= 1 - 1e-9:
        return [
            Problem(
                "error",
                name,
                f"{path.name} has no data over the units: every cell they cover is nodata.",
                "check that the nodata value is right (gdalinfo shows it) and that the file "
                "holds the territory's data, not an empty tile.",
            )
        ]
    if share > MOSTLY_NODATA_SHARE:
        return [
            Problem(
                "warning",
                name,
                f"{path.name} is nodata over {100 * share:.1f} % of the units' area; the "
                "values there count as 0.",
                "check the nodata value (gdalinfo shows it) and that the file covers the "
                "territory.",
            )
        ]
    return []
