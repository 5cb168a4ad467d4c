"""Tables: the project file, census CSV/XLSX (codes kept as text), long tables out."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from observatory.errors import InputDataError, InputFileNotFoundError, ProjectFileError
from observatory.io.atomic import atomic_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TABLE_SUFFIXES = (".csv", ".xlsx", ".xls")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a syntax error names the file and the line."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ProjectFileError(
            f"{path}: not valid TOML: {error}. Check the quotes, brackets and '=' on that line."
        ) from None
    except UnicodeDecodeError:
        raise ProjectFileError(f"{path}: not UTF-8 text; save it as UTF-8.") from None


def read_table(path: Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV (UTF-8, ``,`` or ``;`` separated) or Excel table with every column as text.

    Codes keep their leading zeros; numbers are converted by the caller, which can then
    report the exact cell that is not a number.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(f"table {path} does not exist; check the path.")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(
                path,
                dtype=str,
                sep=None,
                engine="python",
                encoding="utf-8-sig",
                keep_default_na=False,
                na_values=[""],
            )
        if suffix in (".xlsx", ".xls"):
            return pd.read_excel(path, sheet_name=sheet or 0, dtype=str)
    except UnicodeDecodeError:
        raise InputDataError(
            f"{path} is not UTF-8 text; in Excel use 'Save as > CSV UTF-8'."
        ) from None
    except (ValueError, pd.errors.ParserError) as error:
        raise InputDataError(f"{path} cannot be read as a table: {error}.") from None
    raise InputDataError(
        f"{path}: unsupported table format '{suffix}'; use one of {', '.join(TABLE_SUFFIXES)}."
    )


def write_csv(
    path: Path, frame: pd.DataFrame, *, overwrite: bool, sep: str = ",", decimal: str = "."
) -> None:
    """Write UTF-8 CSV (with BOM, so Excel on Windows shows accents and Arabic) atomically.

    ``sep`` and ``decimal`` write it for spreadsheets of a locale whose decimal mark is the
    comma (``;`` and ``,``); numbers keep every digit either way.
    """
    with atomic_path(path, overwrite=overwrite) as temporary:
        frame.to_csv(temporary, index=False, encoding="utf-8-sig", sep=sep, decimal=decimal)


@dataclass(frozen=True)
class Sheet:
    """One worksheet of a workbook, laid out for a person rather than a program.

    Attributes
    ----------
    name : str
        The sheet's tab (at most 31 characters are kept).
    header : list of list
        The header rows, top to bottom, each with one cell per column of ``data``; they stay
        visible when scrolling and the last one carries the filter buttons.
    data : pandas.DataFrame
        The body; its column names key the other attributes but are not written.
    formats : dict of str to str or sequence of str
        Column → Excel number format of its cells (``#,##0.0``), or one format per row.
    text : tuple of str
        Columns written as text cells (codes keep their leading zeros).
    widths : dict of str to float
        Column → width in characters.
    frozen_columns : int
        Leading columns that stay visible when scrolling right.
    right_to_left : bool
        The sheet reads from right to left (Arabic).
    """

    name: str
    header: list[list[Any]]
    data: pd.DataFrame
    formats: dict[str, str | Sequence[str]] = field(default_factory=dict)
    text: tuple[str, ...] = ()
    widths: dict[str, float] = field(default_factory=dict)
    frozen_columns: int = 0
    right_to_left: bool = False


def write_xlsx(path: Path, sheets: list[Sheet], *, overwrite: bool) -> None:
    """Write ``sheets`` into a new workbook: frozen headers, filters, widths, number formats.

    XlsxWriter writes it row by row (``constant_memory``), so memory stays flat on large
    tables; docs/developer/decisions.md says why it, not openpyxl, writes the workbooks.
    """
    # imported here: only the commands writing a workbook pay for it
    import xlsxwriter

    with atomic_path(path, overwrite=overwrite) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary), {"constant_memory": True, "nan_inf_to_errors": True}
        )
        formats = _Formats(workbook)
        for sheet in sheets:
            _write_sheet(workbook.add_worksheet(sheet.name[:31]), sheet, formats)
        workbook.close()


class _Formats:
    """The cell formats of a workbook, each created once (XlsxWriter needs it)."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.cache: dict[str, Any] = {}

    def number(self, pattern: str | None):
        if pattern is None:
            return None
        if pattern not in self.cache:
            self.cache[pattern] = self.workbook.add_format({"num_format": pattern})
        return self.cache[pattern]


def _write_sheet(worksheet, sheet: Sheet, formats: _Formats) -> None:
    """One worksheet: widths, header rows, body, frozen panes, filter, direction."""
    columns = list(sheet.data.columns)
    for index, column in enumerate(columns):
        if column in sheet.widths:
            worksheet.set_column(index, index, sheet.widths[column])
    if sheet.right_to_left:
        worksheet.right_to_left()
    top = len(sheet.header)
    worksheet.freeze_panes(top, sheet.frozen_columns)
    if columns and top:
        worksheet.autofilter(top - 1, 0, top - 1 + len(sheet.data), len(columns) - 1)
    for row, cells in enumerate(sheet.header):
        for column, value in enumerate(cells):
            if value is not None:
                worksheet.write_string(row, column, str(value), formats.header)
    text = {columns.index(c) for c in sheet.text if c in columns}
    given = [sheet.formats.get(c) for c in columns]
    for offset, values in enumerate(sheet.data.itertuples(index=False, name=None)):
        row = top + offset
        for column, value in enumerate(values):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if column in text:
                worksheet.write_string(row, column, str(value), formats.number("@"))
                continue
            pattern = given[column]
            if pattern is not None and not isinstance(pattern, str):
                pattern = pattern[offset]
            if hasattr(value, "item"):  # a NumPy scalar
                value = value.item()
            worksheet.write(row, column, value, formats.number(pattern))
