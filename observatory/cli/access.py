"""``observatory access``: the distance-to-nearest-facility raster, for maps and trainees."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from observatory.cli.options import (
    output_option,
    overwrite_option,
    progress_printer,
    project_argument,
)
from observatory.engine import access_distance
from observatory.errors import OutputExistsError
from observatory.indicators.walking import ACCESS_ROLES, MODES
from observatory.io.raster import write_raster
from observatory.project import load_project


@click.command()
@project_argument
@click.option(
    "--to",
    "role",
    required=True,
    type=click.Choice(ACCESS_ROLES),
    help="The facilities to measure the distance to.",
)
@output_option("The GeoTIFF to write (float32 metres on the population grid).", file=True)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="network",
    show_default=True,
    help="Walking distance along the streets, or straight-line distance.",
)
@click.option("--year", type=int, help="Population grid year (default: the latest).")
@overwrite_option
@click.pass_context
def access(ctx, project: Path, role: str, output: Path, mode: str, year, overwrite: bool):
    """Write the distance (m) from every population cell centre to the nearest facility.

    The raster is on the population grid of PROJECT: every cell whose centre area lies in a
    unit gets the distance from its centre to the nearest facility of the kind, along the
    street network (origins and facilities snapped to their nearest street edge; open spaces
    entered from their boundary) or, with --mode straight-line, as the crow flies. Cells
    outside the units and cells that cannot reach any facility (a street fragment not
    connected to one) are nodata (-1); the count of unreachable cells is printed and written
    in the file's tags.

    \b
    Examples:
      observatory access . --to schools -o schools_distance.tif
      observatory access rsk --to transit_stops -o stops.tif --mode straight-line
    """
    if output.exists() and not overwrite:
        raise OutputExistsError(f"{output} already exists; add --overwrite to replace it.")
    result = access_distance(
        load_project(project), role, mode=mode, year=year, progress=progress_printer(ctx)
    )
    raster = result.raster
    write_raster(output, raster, overwrite=overwrite, tags=result.tags(), description=raster.name)
    click.echo(f"wrote {output}")
    reachable = np.isfinite(result.distance)
    if reachable.any():
        distance = result.distance
        click.echo(
            f"{distance.size:,} cells: median {np.median(distance[reachable]):,.0f} m, "
            f"max {distance[reachable].max():,.0f} m ({mode} distance)"
        )
    if result.unreachable:
        click.echo(
            f"warning: {result.unreachable:,} cells cannot reach any {role} along the streets "
            "(nodata in the raster).",
            err=True,
        )
