"""``observatory compare``: territories side by side, or one unit within its territory."""

from __future__ import annotations

from pathlib import Path

import click

from observatory.cli.options import lang_option, output_option, overwrite_option
from observatory.errors import ParameterError


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option("Folder for the comparison's tables, workbook and index.html.")
@click.option(
    "--level",
    "levels",
    multiple=True,
    metavar="NAME",
    help="Level of the units compared: once for every results folder, or once per folder "
    "in their order. Default: each territory's coarsest level (with --unit: the level "
    "that has the unit).",
)
@click.option(
    "--unit",
    "unit_code",
    metavar="CODE",
    help="Compare this unit (its code, unit_id) with its parent, its Degree of "
    "Urbanisation peers and its level's distribution; give one RESULTS folder.",
)
@lang_option("Language of the texts (default: the first results' language).", default=None)
@overwrite_option
def compare(results, output, levels, unit_code, lang, overwrite) -> None:
    """Compare territories: RESULTS are folders written by 'observatory compute'.

    With two or more RESULTS, their indicators are put side by side and ranked at the
    levels given, each beside what makes its figures not comparable (years, grids,
    population sources, parameters, quality flags). With one RESULTS and --unit, one
    unit is set against its parent, its peers and its territory's distribution.

    \b
    Examples:
      observatory compare rsk-results brussels-results -o comparison
      observatory compare rsk-results brussels-results -o provinces-vs-municipalities \\
          --level province --level municipality --lang fr
      observatory compare rsk-results -o sale --unit 04.441
    """
    from observatory.io.published import read_published
    from observatory.report.atlas.comparison import write_comparison, write_profile
    from observatory.report.i18n import check_language

    _check_shape(results, unit_code, levels)
    published = [read_published(folder) for folder in results]
    language = check_language(lang or published[0].language)
    if unit_code is not None:
        paths = write_profile(
            published[0],
            unit_code,
            output,
            level=levels[0] if levels else None,
            language=language,
            overwrite=overwrite,
        )
    else:
        paths = write_comparison(
            published, output, levels=levels, language=language, overwrite=overwrite
        )
    for path in paths:
        click.echo(f"wrote {path}")


def _check_shape(results: tuple[Path, ...], unit_code: str | None, levels: tuple[str, ...]) -> None:
    """Refuse the combinations of arguments that have no meaning."""
    if unit_code is not None:
        if len(results) != 1:
            raise ParameterError(
                f"--unit compares a unit within one territory, but {len(results)} results "
                "folders were given; give one RESULTS folder with --unit, or leave --unit "
                "out to compare territories."
            )
        if len(levels) > 1:
            raise ParameterError("--unit takes at most one --level (the unit's level).")
    elif len(results) < 2:
        raise ParameterError(
            f"one results folder ({results[0]}) was given; give two or more to compare "
            "territories, or add --unit CODE to compare one of its units with the others."
        )
