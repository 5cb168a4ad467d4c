"""``observatory compute``, ``observatory demo`` and ``observatory sample-data``."""

from __future__ import annotations

from pathlib import Path

import click

from observatory.cli.options import (
    output_option,
    overwrite_option,
    progress_printer,
    project_argument,
)
from observatory.engine import run
from observatory.io.outputs import claim_outputs
from observatory.project import load_project
from observatory.report.atlas import write_atlas
from observatory.report.outputs import write_outputs
from observatory.report.summary import headline_table
from observatory.sample import write_sample_project


@click.command()
@project_argument
@output_option("Folder for indicators.gpkg, .csv, .xlsx and provenance.json.")
@click.option(
    "--indicator",
    "indicators",
    multiple=True,
    metavar="ID",
    help="Compute only this indicator (repeatable). Default: all that can be.",
)
@click.option(
    "--level",
    "levels",
    multiple=True,
    metavar="NAME",
    help="Write only this level (repeatable). Default: every level.",
)
@overwrite_option
@click.pass_context
def compute(ctx, project: Path, output: Path, indicators, levels, overwrite: bool) -> None:
    """Compute the indicators of PROJECT (a folder with observatory.toml, or the file).

    \b
    Examples:
      observatory compute . -o results
      observatory compute rsk -o results --indicator sdg_11_3_1 --level province
      observatory compute rsk/observatory.toml -o results --overwrite
    """
    loaded = load_project(project)
    claim_outputs(output, overwrite=overwrite, inputs=loaded.input_paths())
    results = run(loaded, indicator_ids=indicators, levels=levels, progress=progress_printer(ctx))
    for path in write_outputs(results, output, overwrite=overwrite):
        click.echo(f"wrote {path}")
    _echo_skipped(results, progress_printer(ctx))


def _echo_skipped(results, report) -> None:
    """What could not be computed (a note, hidden by -q) and the run's warnings (always)."""
    for indicator_id, reason in results.skipped.items():
        report(f"not computed: {indicator_id}: {reason}")
    for warning in results.warnings:
        click.echo(f"warning: {warning}", err=True)


@click.command(name="sample-data")
@click.argument("directory", type=click.Path(path_type=Path))
@overwrite_option
def sample_data(directory: Path, overwrite: bool) -> None:
    """Write the bundled Rabat-Salé-Kénitra sample project into DIRECTORY.

    Real units and census (HCP, RGPH 2014 and 2024); synthetic rasters, roads and
    facilities for training.

    \b
    Example:
      observatory sample-data rsk && observatory validate rsk
    """
    project_file = write_sample_project(directory, overwrite=overwrite)
    click.echo(f"wrote the sample project {project_file}")


@click.command()
@output_option("Working folder for the sample and results.", default="observatory-demo")
@overwrite_option
@click.pass_context
def demo(ctx, output: Path, overwrite: bool) -> None:
    """Run the main job on the bundled sample: write it, compute everything, summarise.

    \b
    Examples:
      observatory demo
      observatory demo -o my-demo --overwrite
    """
    results_folder = output / "results"
    claim_outputs(results_folder, overwrite=overwrite)
    project_file = write_sample_project(output, overwrite=overwrite)
    results = run(load_project(project_file), progress=progress_printer(ctx))
    paths = write_outputs(results, results_folder, overwrite=overwrite)
    progress_printer(ctx)("writing the atlas")
    atlas = write_atlas(
        results_folder, output / "atlas", language=results.project.language, overwrite=overwrite
    )
    click.echo(f"\nRabat-Salé-Kénitra sample ({results.project.description})\n")
    click.echo(headline_table(results))
    for path in paths:
        click.echo(f"wrote {path}")
    click.echo(f"wrote the atlas: {atlas} (open it in a browser)")
    _echo_skipped(results, progress_printer(ctx))
