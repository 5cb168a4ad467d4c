"""Write the outputs of ``observatory compare``: tables, a workbook and an HTML page, all or none.

As for ``compute`` (:mod:`observatory.io.outputs`): the folder is checked before anything
is written (not a file, writable, not one of the results folders compared nor inside one,
no output in the way unless ``overwrite``), claimed for this run, and the files are
written into a staging folder inside it and moved into place when every one is complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from observatory.io.atomic import atomic_directory, check_location, check_writable, claim_folder
from observatory.io.tables import Sheet, write_csv, write_xlsx


def write_comparison_files(
    directory: Path,
    *,
    tables: dict[str, pd.DataFrame],
    workbooks: dict[str, list[Sheet]],
    texts: dict[str, str],
    overwrite: bool,
    inputs: Iterable[Path] = (),
) -> list[Path]:
    """Write the files of a comparison into ``directory`` and list them.

    Parameters
    ----------
    directory : Path
        The output folder (created if needed).
    tables : dict of str to DataFrame
        File name → a table written as UTF-8 CSV (see :func:`observatory.io.tables.write_csv`).
    workbooks : dict of str to list of Sheet
        File name → the sheets of an XLSX workbook.
    texts : dict of str to str
        File name → a text file (HTML, CSS, JavaScript), UTF-8.
    overwrite : bool
        Replace files that exist (without it, OutputExistsError before anything is written).
    inputs : iterable of Path
        The results folders compared: the output folder may not be one of them or lie inside.

    Raises
    ------
    OutputLocationError
        If the folder cannot be written or lies in an input.
    OutputExistsError
        If a file exists and ``overwrite`` is False.
    """
    directory = Path(directory)
    names = [*tables, *workbooks, *texts]
    check_location(directory, [directory / name for name in names], inputs)
    for name in names:
        check_writable(directory / name, overwrite=overwrite)
    claim_folder(directory)
    with atomic_directory(directory, overwrite=overwrite) as staging:
        for name, frame in tables.items():
            write_csv(staging / name, frame, overwrite=False)
        for name, sheets in workbooks.items():
            write_xlsx(staging / name, sheets, overwrite=False)
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
    return [directory / name for name in names]
