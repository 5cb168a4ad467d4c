"""``observatory prepare``: raw open data (OSM extracts, GHSL / WorldPop grids) → project layers."""

from __future__ import annotations

from pathlib import Path

import click

from observatory.checks import validate_project
from observatory.cli.options import (
    output_option,
    overwrite_option,
    progress_printer,
    project_argument,
)
from observatory.errors import ObservatoryError
from observatory.prepare.grids import DEFAULT_MARGIN_M, DEFAULT_RESOLUTION_M
from observatory.prepare.osm import ROLES
from observatory.prepare.workflow import prepare_grids, prepare_osm
from observatory.project import load_project


def validate_written(location: Path) -> list:
    """The problems ``observatory validate`` finds in the project after a prepare command.

    The one place where the prepare commands call the validation.
    """
    return validate_project(load_project(location))


def _prefixes(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{key}." for key in keys)


def _report_validation(location: Path, written: tuple[str, ...]) -> None:
    """Print the problems of the written inputs (``written``: keys such as ``layers.roads``);
    raise when one of them is an error."""
    problems = validate_written(location)
    ours = [p for p in problems if p.layer in written or p.layer.startswith(_prefixes(written))]
    for problem in ours:
        click.echo(f"{problem.severity.upper():<8}{problem.layer}: {problem.message}", err=True)
    errors = [p for p in ours if p.severity == "error"]
    others = len(problems) - len(ours)
    tail = f" ({others} other problem(s) elsewhere in the project)" if others else ""
    if errors:
        raise ObservatoryError(
            f"observatory validate finds {len(errors)} error(s) in what was written{tail}; "
            "see the lines above, and report them if the inputs look right."
        )
    click.echo(f"observatory validate: no error in what was written{tail}.")


@click.group()
def prepare() -> None:
    """Turn downloaded open data into the layers of a project.

    \b
    Examples:
      observatory prepare osm morocco-latest.osm.pbf rsk
      observatory prepare grids rsk --population "GHS_POP_E*_R6_C18.tif" --land GHS_LAND.tif
    """


@prepare.command(
    epilog="""
\b
Examples:
  observatory prepare osm finland-latest.osm.pbf helsinki
  observatory prepare osm morocco-latest.osm.pbf rsk --buffer 5000 --overwrite
  observatory prepare osm extract.osm.pbf . -o layers/osm.gpkg
"""
)
@click.argument("extract", type=click.Path(path_type=Path))
@project_argument
@output_option(
    "The GeoPackage to write (default: osm.gpkg beside observatory.toml).",
    file=True,
    required=False,
)
@click.option(
    "--buffer",
    "buffer_m",
    type=click.FloatRange(min=0),
    help="Margin (m) taken around the units [default: 3000, or [prepare.osm].buffer_m].",
)
@overwrite_option
@click.pass_context
def osm(ctx, extract: Path, project: Path, output: Path | None, buffer_m, overwrite: bool):
    """Write roads, schools, health, transit stops and open spaces from an OSM extract.

    EXTRACT is an .osm.pbf file (e.g. from https://download.geofabrik.de); PROJECT is the
    folder holding observatory.toml (default: the current folder). The layers are cut to
    the units plus a buffer, written into one GeoPackage in the units' projected CRS (or
    their UTM zone), and added to [layers] of the project file; the file's comments are
    kept. The OSM tags behind each layer are in docs/methods/osm-tags.md; [prepare.osm] in
    the project file overrides them.
    """
    report = progress_printer(ctx)
    loaded = load_project(project)
    target = output or loaded.root / "osm.gpkg"
    outcome = prepare_osm(
        loaded, extract, output=target, buffer_m=buffer_m, overwrite=overwrite, progress=report
    )
    click.echo(f"wrote {outcome.output}")
    for role in ROLES:
        layer_report = outcome.prepared.reports[role]
        click.echo(f"  {role:<14}{layer_report.kept:>8,} kept")
        for reason, count in layer_report.dropped.most_common():
            click.echo(f"  {'':<14}{count:>8,} left out: {reason}")
    action = "replaced" if outcome.replaced else "added"
    click.echo(f"{action} [layers] {', '.join(ROLES)} in {loaded.file}")
    for warning in outcome.warnings:
        click.echo(f"warning: {warning}", err=True)
    _report_validation(loaded.file, tuple(f"layers.{role}" for role in ROLES))


def _raster_option(name: str, what: str):
    return click.option(
        f"--{name}",
        multiple=True,
        metavar="[YEAR=]FILE",
        help=f"{what} (repeat for several tiles or years; a quoted pattern such as "
        f'"GHS_*_E2020_*.tif" works too).',
    )


@prepare.command(
    epilog="""
\b
Examples:
  observatory prepare grids rsk --population "GHS_POP_E*_R6_C18.tif" \\
      --built-up "GHS_BUILT_S_E*_R6_C18.tif" --land GHS_LAND_E2018_R6_C18.tif
  observatory prepare grids . --population mar_ppp_2020_UNadj.tif
  observatory prepare grids . --population 2014=pop2014.tif --population 2024=pop2024.tif
"""
)
@project_argument
@_raster_option("population", "People per cell: GHS-POP tiles or WorldPop counts")
@_raster_option("built-up", "Built-up surface (m²) per cell: GHS-BUILT-S tiles")
@_raster_option("land", "Land surface (m²) per cell: GHS-LAND tiles (no year)")
@click.option(
    "--margin",
    "margin_m",
    type=click.FloatRange(min=0),
    default=DEFAULT_MARGIN_M,
    show_default=True,
    help="Margin (m) kept around the units' extent.",
)
@click.option(
    "--resolution",
    type=click.FloatRange(min=1),
    default=DEFAULT_RESOLUTION_M,
    show_default=True,
    help="Cell size (m) of the ESRI:54009 grid when every input is in degrees (WorldPop).",
)
@click.option(
    "--folder",
    type=click.Path(path_type=Path),
    default=Path("rasters"),
    show_default=True,
    help="Where to write the rasters, relative to the project folder.",
)
@overwrite_option
@click.pass_context
def grids(ctx, project: Path, population, built_up, land, margin_m, resolution, folder, overwrite):
    """Write the population, built-up and land rasters of a project from GHSL or WorldPop.

    Give the downloaded files as they are: GHSL tiles (any number, any epochs, 100 m or
    1 km, ESRI:54009) are mosaicked and cut to the units' extent plus a margin, cell for
    cell; a raster on another grid (WorldPop, in degrees) is moved onto the grid by an
    area-weighted, sum-preserving method and its totals before and after are printed. The
    year of each file is its GHSL epoch (E2020) or the year in its name, or give YEAR=FILE.
    The rasters are added to [rasters] of observatory.toml (comments kept).
    """
    sources = {
        role: list(values)
        for role, values in (("population", population), ("built_up", built_up), ("land", land))
        if values
    }
    if not sources:
        raise click.UsageError("give at least one of --population, --built-up, --land.")
    report = progress_printer(ctx)
    loaded = load_project(project)
    outcome = prepare_grids(
        loaded,
        sources,
        folder=loaded.root / folder,
        margin_m=margin_m,
        resolution=resolution,
        overwrite=overwrite,
        progress=report,
    )
    for grid, path in zip(outcome.grids, outcome.files, strict=True):
        shape = f"{grid.raster.grid.height:,} × {grid.raster.grid.width:,}"
        line = f"wrote {path} ({shape} cells, {grid.method})"
        if grid.method == "cut":
            click.echo(f"{line}: total {grid.total_after:,.1f}")
        else:
            click.echo(
                f"{line}: total before {grid.total_before:,.3f}, after {grid.total_after:,.3f} "
                f"(relative difference {grid.relative_difference:.1e})"
            )
    action = "replaced" if outcome.replaced else "added"
    click.echo(f"{action} [rasters] {', '.join(outcome.entries)} in {loaded.file}")
    _report_validation(loaded.file, tuple(f"rasters.{role}" for role in outcome.entries))
