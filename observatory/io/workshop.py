"""Files of the training workshop: pages, progress file, answer files, check and trainee modules.

The workshop runner (:mod:`observatory.workshop`) opens no file itself; it reads and writes
through these functions. The manifest and the answer files are TOML (read with
:func:`observatory.io.tables.read_toml`); the progress file is a small TOML file written here;
the trainer's room report is a CSV or XLSX table.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd

from observatory.errors import InputFileNotFoundError, ParameterError
from observatory.io.atomic import atomic_path, check_writable
from observatory.io.tables import Sheet, read_text, write_csv, write_xlsx

#: The formats of the room report, by file suffix.
REPORT_SUFFIXES = (".csv", ".xlsx")


def read_text_file(path: Path) -> str:
    """The UTF-8 text of ``path`` (a learner page, a solution, a trainee's Python file).

    A byte order mark, which Windows Notepad writes, is dropped: Python would refuse it in
    source code compiled from text.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(f"{path} does not exist; run 'observatory training reset'.")
    return read_text(path)


def write_text_file(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically."""
    with atomic_path(path, overwrite=overwrite) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def write_simple_toml(path: Path, tables: dict[str, dict[str, str | int]], *, header: str) -> None:
    """Write tables of text or whole-number values as TOML, e.g. ``{"workshop": {"language":
    "fr"}}``.

    Keys are written quoted, so any exercise name is a valid key.
    """
    lines = [f"# {line}" for line in header.splitlines()]
    for table, values in tables.items():
        lines.append(f"\n[{table}]")
        lines.extend(f"{toml_string(key)} = {toml_string(value)}" for key, value in values.items())
    write_text_file(path, "\n".join(lines) + "\n", overwrite=True)


def copy_file(source: Path, target: Path) -> None:
    """Copy one file over ``target`` (replacing it), atomically."""
    source = Path(source)
    if not source.is_file():
        raise InputFileNotFoundError(f"{source} is missing from the course; reinstall observatory.")
    with atomic_path(target, overwrite=True) as temporary:
        shutil.copyfile(source, temporary)


def load_python_file(path: Path, *, module_name: str) -> ModuleType:
    """Import the Python file ``path`` as a fresh module named ``module_name``.

    Every call executes the file again, so a trainee's latest edits are the ones checked.
    Errors raised by the file's own code (a syntax error, a failing import) propagate.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(f"{path} does not exist; run 'observatory training reset'.")
    source = read_text_file(path)
    module = ModuleType(module_name)
    module.__file__ = str(path)
    code = compile(source, str(path), "exec")  # no cached bytecode: the latest edit counts
    sys.modules[module_name] = module  # dataclasses and pickling look modules up there
    exec(code, module.__dict__)
    return module


def check_report_path(path: Path, *, overwrite: bool) -> Path:
    """``path`` if it names a CSV or XLSX file that may be written; ParameterError saying
    which suffixes work, OutputExistsError when it exists and ``overwrite`` is False."""
    path = Path(path)
    if path.suffix.lower() not in REPORT_SUFFIXES:
        raise ParameterError(
            f"{path}: the report is written as CSV or Excel; end the name with "
            f"{' or '.join(REPORT_SUFFIXES)} (e.g. report.xlsx)."
        )
    check_writable(path, overwrite=overwrite)
    return path


def write_report_table(path: Path, frame: pd.DataFrame, *, sheet: str, overwrite: bool) -> None:
    """Write ``frame`` (its column names as the header row) to ``path``, CSV or XLSX by its
    suffix, atomically; in a workbook, the sheet ``sheet`` keeps the header and the first
    column (the trainee) in view."""
    path = check_report_path(path, overwrite=overwrite)
    if path.suffix.lower() == ".csv":
        write_csv(path, frame, overwrite=overwrite)
        return
    widths = {column: max(8.0, min(40.0, len(str(column)) + 2.0)) for column in frame.columns}
    layout = Sheet(
        sheet,
        header=[list(frame.columns)],
        data=frame.astype(object).where(frame.notna(), None),
        text=(frame.columns[0],),
        widths=widths,
        frozen_columns=1,
    )
    write_xlsx(path, [layout], overwrite=overwrite)
