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

    Written row by row in openpyxl's write-only mode, so memory stays flat on large tables;
    numbers are written with all their digits (docs/developer/decisions.md).
    """
    # imported here: only the commands writing a workbook pay for openpyxl
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.name[:31])
        columns = list(sheet.data.columns)
        for index, column in enumerate(columns, start=1):
            if column in sheet.widths:
                worksheet.column_dimensions[get_column_letter(index)].width = sheet.widths[column]
        top = len(sheet.header)
        worksheet.freeze_panes = f"{get_column_letter(sheet.frozen_columns + 1)}{top + 1}"
        if columns and top:
            last = get_column_letter(len(columns))
            worksheet.auto_filter.ref = f"A{top}:{last}{top + len(sheet.data)}"
        worksheet.sheet_view.rightToLeft = sheet.right_to_left
        bold = Font(bold=True)
        for row in sheet.header:
            worksheet.append([_cell(worksheet, value, font=bold) for value in row])
        for row in _body_rows(worksheet, sheet):
            worksheet.append(row)
    with atomic_path(path, overwrite=overwrite) as temporary:
        workbook.save(temporary)


def _cell(worksheet, value, *, number_format: str | None = None, font=None):
    """A write-only cell with its format, or the bare value when it has none (faster)."""
    if value is None or (number_format is None and font is None):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, value=value)
    if number_format is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def _body_rows(worksheet, sheet: Sheet):
    """The rows of ``sheet.data`` with their number formats; NaN is an empty cell."""
    columns = list(sheet.data.columns)
    text = {columns.index(c) for c in sheet.text if c in columns}
    formats = [sheet.formats.get(c) for c in columns]
    for offset, values in enumerate(sheet.data.itertuples(index=False, name=None)):
        row = []
        for index, value in enumerate(values):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                row.append(None)
            elif index in text:
                row.append(_cell(worksheet, str(value), number_format="@"))
            else:
                given = formats[index]
                if given is not None and not isinstance(given, str):
                    given = given[offset]
                row.append(_cell(worksheet, value, number_format=given))
        yield row
