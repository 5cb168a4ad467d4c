"""What ``compute`` publishes: a run's results turned into the output files.

One layer per level of the hierarchy, each styled for QGIS on its headline indicator with
its columns named in the project's language; the long table as CSV and, with what could not
be computed, as XLSX; the provenance. :func:`observatory.io.outputs.write_output_files`
writes them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from observatory.io.outputs import check_outputs, input_hashes, write_output_files
from observatory.report.labels import column_aliases, output_language
from observatory.report.styles import layer_style


def write_outputs(results, directory: Path, *, overwrite: bool) -> list[Path]:
    """Write indicators.gpkg/.csv/.xlsx and provenance.json of ``results`` into ``directory``.

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
    layers = {level: results.wide(level) for level in results.levels()}
    styles = {}
    for level, frame in layers.items():
        style = layer_style(level, frame, column_aliases(results, list(frame.columns), language))
        if style is not None:
            styles[level] = style
    return write_output_files(
        directory,
        layers=layers,
        styles=styles,
        table=long_table,
        sheets={"indicators": long_table, "not computed": _skipped_table(results)},
        provenance=provenance,
        overwrite=overwrite,
    )


def _skipped_table(results) -> pd.DataFrame:
    """What was not computed: whole indicators, then single values (level, unit, period)."""
    skipped = pd.DataFrame(
        {"indicator": list(results.skipped), "reason": list(results.skipped.values())}
    )
    values = results.not_published().rename(columns={"quality": "reason"})
    if values.empty:
        return skipped
    table = pd.concat([skipped, values], ignore_index=True)
    return table[["indicator", *values.columns.drop(["indicator", "reason"]), "reason"]]
