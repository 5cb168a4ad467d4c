"""``observatory export opensdg|sdmx``: SDG indicators for national statistics systems."""

from __future__ import annotations

from pathlib import Path

import click

from observatory.cli.options import lang_option, output_option, overwrite_option
from observatory.io.exports import write_export_file, write_export_files
from observatory.io.published import read_published
from observatory.report.exports import DATAFLOW, opensdg_files, sdmx_table
from observatory.report.i18n import check_language

results_argument = click.argument("results", type=click.Path(path_type=Path))


@click.group()
def export() -> None:
    """Export the SDG indicators of a results folder for national statistics systems.

    \b
    Examples:
      observatory export opensdg results -o sdg-data
      observatory export sdmx results -o sdg.csv
    """


@export.command(name="opensdg")
@results_argument
@output_option("Folder of the Open SDG data repository (data/ and meta/ are written in it).")
@lang_option("Language of names and metadata. Default: the project's.", default=None)
@overwrite_option
def opensdg(results: Path, output: Path, lang: str | None, overwrite: bool) -> None:
    """Write RESULTS' SDG indicators as Open SDG data (CSV) and metadata (YAML) files.

    RESULTS is a folder written by 'observatory compute'.
    """
    published = read_published(results)
    language = lang or check_language(published.language, where="project.language")
    files = opensdg_files(published, language)
    if not files:
        click.echo(f"no SDG indicator in {results}: nothing to export", err=True)
        return
    for path in write_export_files(output, files, overwrite=overwrite):
        click.echo(f"wrote {path}")


@export.command(name="sdmx")
@results_argument
@output_option("SDMX-CSV file to write.", file=True)
@click.option(
    "--dataflow",
    default=DATAFLOW,
    show_default=True,
    help="Dataflow of the rows (agency:id(version)), as the receiving system expects it.",
)
@overwrite_option
def sdmx(results: Path, output: Path, dataflow: str, overwrite: bool) -> None:
    """Write RESULTS' SDG indicators as SDMX-CSV with the SDG dimensions.

    RESULTS is a folder written by 'observatory compute'.
    """
    table, skipped = sdmx_table(read_published(results), dataflow=dataflow)
    write_export_file(output, table, overwrite=overwrite)
    click.echo(f"wrote {output} ({len(table)} observations)")
    for indicator_id, reason in skipped.items():
        click.echo(f"not exported: {indicator_id}: {reason}", err=True)
