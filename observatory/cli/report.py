"""``observatory map`` and ``observatory report``: a printable map, the offline HTML atlas."""

from __future__ import annotations

from pathlib import Path

import click

from observatory.cli.options import lang_option, output_option, overwrite_option

results_argument = click.argument(
    "results", type=click.Path(exists=True, file_okay=False, path_type=Path)
)


def _language(lang: str | None, published) -> str:
    from observatory.report.i18n import check_language

    return check_language(lang or published.language)


@click.command(name="map")
@results_argument
@click.option("--indicator", "indicator_id", required=True, metavar="ID", help="Indicator to map.")
@click.option(
    "--period",
    help="Period, e.g. 2024 or 2014_2024 (default: the latest year, or the whole span of a "
    "change indicator).",
)
@click.option("--level", help="Level of the hierarchy (default: the finest).")
@click.option(
    "--classes",
    "method",
    type=click.Choice(("natural-breaks", "quantiles")),
    default="natural-breaks",
    show_default=True,
    help="How values are cut into classes (class indicators keep their classes).",
)
@lang_option("Language of the map (default: the results' language).", default=None)
@output_option("Map file: .png, .svg or .pdf.", file=True)
@overwrite_option
def map_command(results, indicator_id, period, level, method, lang, output, overwrite) -> None:
    """Draw the map of one indicator of RESULTS (a folder written by compute).

    \b
    Examples:
      observatory map out --indicator population_density -o density.png
      observatory map out --indicator sdg_11_3_1 --level province --lang ar -o 1131.pdf
    """
    from observatory.io.figures import figure_format, write_figure
    from observatory.io.published import read_published
    from observatory.report.i18n import translator
    from observatory.report.maps import indicator_map

    figure_format(output)
    published = read_published(results)
    t = translator(_language(lang, published))
    figure = indicator_map(published, indicator_id, t=t, period=period, level=level, method=method)
    click.echo(f"wrote {write_figure(figure, output, overwrite=overwrite)}")


@click.command(name="report")
@results_argument
@lang_option("Language of the atlas (default: the results' language).", default=None)
@output_option("Folder of the atlas (open its index.html).")
@overwrite_option
def report_command(results, lang, output, overwrite) -> None:
    """Write the offline HTML atlas of RESULTS (a folder written by compute).

    \b
    Examples:
      observatory report out -o atlas
      observatory report out -o atlas-ar --lang ar
    """
    from observatory.io.published import read_published
    from observatory.report.atlas import write_atlas

    published = read_published(results)
    index = write_atlas(published, output, language=_language(lang, published), overwrite=overwrite)
    click.echo(f"wrote {index}")
