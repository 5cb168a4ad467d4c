"""Checks of the rasters: each file's CRS, orientation, nodata, bands and overlap with the
units, then the years that pair up (the grids that must match are checked in
:mod:`observatory.checks.grids`)."""

from __future__ import annotations

from pathlib import Path

from observatory.checks.describe import examples, joined
from observatory.checks.extent import UnitsExtent
from observatory.checks.grids import check_degurba_grid
from observatory.kernels.grid import Grid, metres_per_cell, warp_command
from observatory.layers import RasterLayer
from observatory.messages import _
from observatory.problems import Problem, has_errors

#: Raster roles measured by zonal sums, which need an equal-area (projected) grid.
ZONAL_RASTER_ROLES = ("population", "built_up", "land")


def check_raster(
    name: str,
    role: str,
    path: Path,
    layer: RasterLayer,
    extent: UnitsExtent,
    *,
    project_grid: Grid | None = None,
) -> list[Problem]:
    """CRS, orientation, nodata, bands and overlap with the units of the raster ``path``.

    ``project_grid`` (the grid of the project's other rasters, if one is projected) is the
    grid the fixes warp onto.
    """
    grid, nodata, file_name = layer.raster.grid, layer.raster.nodata, path.name
    problems = _crs_problems(name, role, file_name, grid, project_grid)
    if grid.transform.b != 0 or grid.transform.d != 0 or grid.transform.e >= 0:
        problems.append(
            Problem(
                "error",
                name,
                _(
                    "{file} is rotated or not north-up ({transform}).",
                    file=file_name,
                    transform=str(tuple(grid.transform)[:6]),
                ),
                _("warp it to a north-up grid with gdalwarp."),
            )
        )
    if nodata is None:
        problems.append(
            Problem(
                "error",
                name,
                _(
                    "{file} has no nodata value, so cells outside the data would be read as "
                    "real values.",
                    file=file_name,
                ),
                _(
                    "set one, e.g. 'gdal_edit.py -a_nodata -200 FILE' (GHSL uses -200 for "
                    "population, 65535 for built-up)."
                ),
            )
        )
    if layer.band_count > 1:
        problems.append(
            Problem(
                "warning",
                name,
                _(
                    "{file} has {count} bands; only band 1 is used.",
                    file=file_name,
                    count=layer.band_count,
                ),
                _("keep one band per file (gdal_translate -b N) if band 1 is not the right one."),
            )
        )
    if grid.crs is not None:
        problems += check_overlap(name, file_name, grid, extent)
    if role == "population" and not has_errors(problems):
        problems += check_degurba_grid(name, file_name, grid)
    return problems


def _crs_problems(
    name: str, role: str, file_name: str, grid: Grid, project_grid: Grid | None
) -> list[Problem]:
    """A missing CRS, or a geographic one for a raster summed per unit."""
    problems = []
    if grid.crs is None:
        problems.append(
            Problem(
                "error",
                name,
                _("{file} has no CRS.", file=file_name),
                _(
                    "assign the CRS it was made in, e.g. 'gdal_edit.py -a_srs ESRI:54009 FILE' "
                    "for GHSL grids."
                ),
            )
        )
    elif role in ZONAL_RASTER_ROLES and not grid.crs.is_projected:
        problems.append(
            Problem(
                "error",
                name,
                _(
                    "{file} is in the geographic CRS {crs}; its cells are not equal in area, so "
                    "sums per unit would be wrong.",
                    file=file_name,
                    crs=grid.crs.to_string(),
                ),
                _projected_fix(grid, project_grid),
            )
        )
    return problems


def _projected_fix(grid: Grid, project_grid: Grid | None) -> str:
    """Warp onto the project's grid, or onto ESRI:54009 cells of about the same size."""
    if project_grid is not None:
        command = warp_command(project_grid)
        return _(
            "warp it onto the grid of the project's other rasters, e.g. {command}.",
            command=command,
        )
    size = metres_per_cell(grid)
    return _(
        "warp it to an equal-area grid of about the same cell size, e.g. {command} (-r sum "
        "for counts).",
        command=f"'gdalwarp -t_srs ESRI:54009 -tr {size:g} {size:g} -tap -r sum IN.tif OUT.tif'",
    )


def check_overlap(name: str, file_name: str, grid: Grid, extent: UnitsExtent) -> list[Problem]:
    """Share of the units' area inside the raster's bounds: 0 → error, < 99.9 % → warning."""
    share = extent.covered_share(grid)
    if share is None:
        return []
    if share == 0:
        units_bounds = ", ".join(f"{v:.8g}" for v in extent.in_crs(grid.crs).total_bounds)
        raster_bounds = ", ".join(f"{v:.8g}" for v in grid.bounds)
        return [
            Problem(
                "error",
                name,
                _(
                    "{file} does not overlap the units: the raster spans ({raster}) and the "
                    "units ({units}) in {crs}.",
                    file=file_name,
                    raster=raster_bounds,
                    units=units_bounds,
                    crs=grid.crs.to_string(),
                ),
                _(
                    "give a raster that covers the territory; if it does, its CRS is wrongly "
                    "assigned (check it in QGIS)."
                ),
            )
        ]
    if share < 0.999:
        return [
            Problem(
                "warning",
                name,
                _(
                    "{file} covers only {share:.1f} % of the units' area; compute does not "
                    "publish the values it gives for the units it covers less than [quality] "
                    "min_coverage, and names them.",
                    file=file_name,
                    share=100 * share,
                ),
                _("give a raster that covers the whole territory."),
            )
        ]
    return []


def check_years(rasters: dict[str, dict[int | None, Path]]) -> list[Problem]:
    """Population and built-up rasters should come for the same years."""
    if "population" not in rasters or "built_up" not in rasters:
        return []
    population = {year for year in rasters["population"] if year is not None}
    built_up = {year for year in rasters["built_up"] if year is not None}
    only_population = sorted(population - built_up)
    only_built_up = sorted(built_up - population)
    if not only_population and not only_built_up:
        return []
    parts = {}
    if only_population:
        years = examples([str(year) for year in only_population], quote=False)
        parts["population"] = _("population for {years} but no built-up", years=years)
    if only_built_up:
        years = examples([str(year) for year in only_built_up], quote=False)
        parts["built_up"] = _("built-up for {years} but no population", years=years)
    return [
        Problem(
            "warning",
            "rasters",
            _(
                "the years of the rasters do not pair up: {parts}. Built-up per capita and land "
                "use efficiency (SDG 11.3.1) are computed only for years that have both.",
                parts=joined(list(parts.values()), "; "),
            ),
            _(
                "add the missing years (GHSL has population and built-up for the same epochs) "
                "or accept fewer indicators."
            ),
        )
    ]
