"""``observatory compute``, ``observatory demo`` and ``observatory sample-data``."""

from __future__ import annotations

from pathlib import Path

import click

from observatory.cli.language import command_translator
from observatory.cli.options import (
    executor_options,
    open_run_executor,
    output_option,
    overwrite_option,
    progress_printer,
    project_argument,
)
from observatory.demo import DEMO_FOLDERS, compare_samples, run_sample
from observatory.engine import run
from observatory.errors import ParameterError
from observatory.io.outputs import claim_outputs
from observatory.messages import _
from observatory.project import load_project
from observatory.report.i18n import Translator
from observatory.report.labels import reason_label
from observatory.report.outputs import write_outputs
from observatory.report.summary import headline_table
from observatory.sample import SAMPLE_REGIONS, write_sample_project


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
@executor_options
@click.pass_context
def compute(
    ctx,
    project: Path,
    output: Path,
    indicators,
    levels,
    overwrite: bool,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Compute the indicators of PROJECT (a folder with observatory.toml, or the file).

    The work that splits (the tiles of the Degree of Urbanisation) can run on Dask workers:
    --workers N starts N worker processes on this machine, --scheduler ADDRESS uses a
    cluster already running. The results are the same to the last digit.

    \b
    Examples:
      observatory compute . -o results
      observatory compute rsk -o results --indicator sdg_11_3_1 --level province
      observatory compute rsk/observatory.toml -o results --overwrite
      observatory compute rsk -o results --workers 4
      observatory compute rsk -o results --scheduler tcp://10.0.0.5:8786
    """
    loaded = load_project(project)
    t = command_translator(ctx, project_language=loaded.language, place=project)
    claim_outputs(output, overwrite=overwrite, inputs=loaded.input_paths())
    with open_run_executor(
        ctx, workers=workers, scheduler=scheduler, language=loaded.language
    ) as executor:
        results = run(
            loaded,
            indicator_ids=indicators,
            levels=levels,
            progress=progress_printer(ctx),
            executor=executor,
        )
    for path in write_outputs(results, output, overwrite=overwrite):
        click.echo(t.text(_("wrote {path}", path=path)))
    _echo_skipped(results, progress_printer(ctx), t)


def _echo_skipped(results, report, t: Translator) -> None:
    """What could not be computed (a note, hidden by -q) and the run's warnings (always)."""
    for indicator_id, reason in results.skipped.items():
        reason = reason_label(reason, t)
        report(_("not computed: {indicator}: {reason}", indicator=indicator_id, reason=reason))
    for warning in results.warnings:
        click.echo(t.text(_("warning: {warning}", warning=warning)), err=True)


def region_option(help_text: str):
    """``--region``: which bundled sample (``rsk`` by default)."""
    return click.option(
        "--region",
        type=click.Choice(list(SAMPLE_REGIONS)),
        default=None,
        help=f"{help_text} (default: rsk)",
    )


@click.command(name="sample-data")
@click.argument("directory", type=click.Path(path_type=Path))
@region_option(
    "The sample: rsk (Rabat-Salé-Kénitra, Morocco) or brussels (Brussels-Capital and "
    "Flanders, Belgium)"
)
@overwrite_option
@click.pass_context
def sample_data(ctx, directory: Path, region: str | None, overwrite: bool) -> None:
    """Write a bundled sample project into DIRECTORY.

    rsk: real units and census (HCP, RGPH 2014 and 2024); synthetic rasters, roads and
    facilities for training. brussels: real Statbel boundaries and populations 2018,
    2019 and 2020, and real GHSL 1 km grids of 2020, all as published.

    \b
    Examples:
      observatory sample-data rsk && observatory validate rsk
      observatory sample-data brussels --region brussels
    """
    project_file = write_sample_project(directory, region=region or "rsk", overwrite=overwrite)
    click.echo(
        command_translator(ctx).text(_("wrote the sample project {file}", file=project_file))
    )


@click.command()
@output_option(
    "Working folder for the sample and results (default: observatory-demo, "
    "observatory-demo-brussels with --region brussels, observatory-demo-compare with "
    "--compare).",
    required=False,
)
@region_option("The sample to run: rsk or brussels")
@click.option(
    "--compare",
    is_flag=True,
    help="Run both samples, each in its own subfolder, then compare them: the regions "
    "side by side, and the RSK communes with the Belgian municipalities.",
)
@overwrite_option
@click.pass_context
def demo(ctx, output: Path | None, region: str | None, compare: bool, overwrite: bool) -> None:
    """Run the main job on a bundled sample: write it, compute everything, summarise.

    \b
    Examples:
      observatory demo
      observatory demo --region brussels -o brussels-demo
      observatory demo --compare
      observatory demo -o my-demo --overwrite
    """
    if compare and region is not None:
        raise ParameterError(
            "--compare runs both samples (rsk and brussels); leave out --region, or leave "
            "out --compare to run one sample."
        )
    progress = progress_printer(ctx)
    if compare:
        folder = output or Path(DEMO_FOLDERS["compare"])
        runs, pages = compare_samples(folder, overwrite=overwrite, progress=progress)
    else:
        region = region or "rsk"
        folder = output or Path(DEMO_FOLDERS[region])
        runs, pages = [run_sample(region, folder, overwrite=overwrite, progress=progress)], []
    for sample in runs:
        project = sample.results.project
        t = command_translator(ctx, project_language=project.language, place=sample.folder)
        table_language = ctx.find_root().params.get("lang") or project.language
        _echo_sample(sample, progress, t, table_language)
    for page in pages:
        click.echo(t.text(_("wrote the comparison: {page} (open it in a browser)", page=page)))


def _echo_sample(sample, report, t: Translator, table_language: str) -> None:
    """The headline figures of one sample's demo run (in ``table_language``: the group's
    ``--lang``, else the sample's, as its outputs), and its files (in the command's)."""
    results = sample.results
    click.echo(f"\n{results.project.name}: {results.project.description}\n")
    click.echo(headline_table(results, language=table_language))
    for path in sample.paths:
        click.echo(t.text(_("wrote {path}", path=path)))
    click.echo(t.text(_("wrote the atlas: {atlas} (open it in a browser)", atlas=sample.atlas)))
    _echo_skipped(results, report, t)
