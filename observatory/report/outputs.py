"""What ``compute`` publishes: a run's results turned into the output files.

One layer per level of the hierarchy, each styled for QGIS on its headline indicator (legend
in the language's number format), with every column named in the project's language and,
for the Degree of Urbanisation classes, an extra categorised style; the long table as CSV,
the same for comma-decimal spreadsheets, and the workbook of :mod:`observatory.report.
tables`; the provenance. :func:`observatory.io.outputs.write_output_files` writes them.
"""

from __future__ import annotations

from pathlib import Path

from observatory.io.geopackage import LayerStyle
from observatory.io.outputs import check_outputs, input_hashes, write_output_files
from observatory.io.raster import raster_grids
from observatory.report.i18n import translator
from observatory.report.labels import (
    column_aliases,
    decimals,
    output_language,
    reason_label,
    value_label,
)
from observatory.report.styles import class_styles, default_column, layer_style
from observatory.report.tables import comma_decimal_table, workbook_sheets
from observatory.results import quality_column


def write_outputs(results, directory: Path, *, overwrite: bool) -> list[Path]:
    """Write the files of :data:`~observatory.io.outputs.OUTPUT_NAMES` of ``results``.

    Parameters
    ----------
    results : Results
        A run of :func:`observatory.engine.run`.
    directory : Path
        The output folder.
    overwrite : bool
        Replace outputs that exist (checked before anything is written).

    Returns
    -------
    list of Path
        The files written.
    """
    check_outputs(directory, overwrite=overwrite)
    language = output_language(results.project.language)
    long_table = results.long_table()
    provenance = results.provenance(input_hashes(results.project.input_paths()))
    provenance["grids"] = raster_grids(results.project.rasters)
    layers = {level: translated_reasons(results, level, language) for level in results.levels()}
    styles = {
        level: layer_styles(results, level, frame, language) for level, frame in layers.items()
    }
    return write_output_files(
        directory,
        layers=layers,
        styles={level: given for level, given in styles.items() if given},
        table=long_table,
        comma_table=comma_decimal_table(long_table),
        sheets=workbook_sheets(results, language),
        provenance=provenance,
        overwrite=overwrite,
    )


def translated_reasons(results, level: str, language: str):
    """The layer of ``level`` with its quality fields in ``language``."""
    t = translator(language)
    frame = results.wide(level)
    for result in results.level_results:
        column = quality_column(result)
        if result.level == level and column in frame.columns:
            frame[column] = frame[column].map(lambda reason: reason_label(reason, t))
    return frame


def layer_styles(results, level: str, frame, language: str) -> list[LayerStyle]:
    """The QGIS styles of one layer: the default graduated map first, then class maps."""
    t = translator(language)
    aliases = column_aliases(results, list(frame.columns), language)
    column = default_column(list(frame.columns))
    places = _decimals_of(results, column)
    default = layer_style(
        level, frame, aliases, number=lambda value: t.number(value, decimals=places)
    )
    extra = class_styles(level, frame, aliases, lambda name: value_label(name, t))
    return ([default] if default is not None else []) + extra


def _decimals_of(results, column: str | None) -> int:
    """Decimals of the legend of ``column``: those of its indicator's unit."""
    for result in results.level_results:
        if column == f"{result.indicator.id}_{result.period.label}":
            return decimals(result.indicator.unit)
    return 2
