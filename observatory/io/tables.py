"""Tables: the project file, census CSV/XLSX (codes kept as text), long tables out."""

from __future__ import annotations

import csv
import math
import numbers
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from observatory.errors import (
    InputDataError,
    InputFileNotFoundError,
    ObservatoryError,
    ProjectFileError,
)
from observatory.io.atomic import atomic_path
from observatory.messages import Text, _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TABLE_SUFFIXES = (".csv", ".xlsx", ".xls")


def read_text(path: Path, *, error: type[ObservatoryError] = InputDataError) -> str:
    """The text of a UTF-8 file, with or without a byte order mark (Windows Notepad writes one).

    Any other encoding raises ``error`` naming the file, the line and the first byte that is
    not UTF-8 (an accent written by an editor in Windows-1252 or Latin-1, typically).
    """
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as decoding:
        line = data[: decoding.start].count(b"\n") + 1
        byte = data[decoding.start]
        raise error(
            f"{path}: not UTF-8 text (byte 0x{byte:02X} on line {line}, e.g. an accent saved "
            "as Windows-1252 or Latin-1); save it as UTF-8 (in Notepad: Save as, Encoding UTF-8)."
        ) from None


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file (UTF-8, a BOM allowed); a syntax error names the file and the line."""
    text = read_text(path, error=ProjectFileError)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = toml_error_line(text, str(error))
        if line is not None and re.search(r'"[^"]*\\[^"]*"', line[1]):
            raise ProjectFileError(
                _(
                    "{path}, line {line}: a backslash (\\) between double quotes starts an "
                    "escape in TOML ({reason}). Write the path with / (C:/Users/...) or "
                    "between single quotes ('C:\\Users\\...').",
                    path=path,
                    line=str(line[0]),
                    reason=str(error),
                )
            ) from None
        raise ProjectFileError(
            _(
                "{path}: not valid TOML: {reason}. Check the quotes, brackets and '=' on that "
                "line.",
                path=path,
                reason=str(error),
            )
        ) from None


def toml_error_line(text: str, reason: str) -> tuple[int, str] | None:
    """The number and text of the line a TOML error points to (``at line N``), if any."""
    where = re.search(r"at line (\d+)", reason)
    lines = text.splitlines()
    if where is None or not 1 <= int(where[1]) <= len(lines):
        return None
    return int(where[1]), lines[int(where[1]) - 1]


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
    except (ValueError, pd.errors.ParserError, csv.Error) as error:  # csv: an empty file
        raise InputDataError(f"{path} cannot be read as a table: {error}.") from None
    raise InputDataError(
        f"{path}: unsupported table format '{suffix}'; use one of {', '.join(TABLE_SUFFIXES)}."
    )


def codes_as_text(values: pd.Series) -> pd.Series:
    """Unit codes as they are compared: text without surrounding spaces.

    Missing values and blank text become missing (``None``), so they can be reported.
    """
    texts = [None if pd.isna(value) else str(value).strip() for value in values]
    return pd.Series([text or None for text in texts], index=values.index, dtype=object)


#: What ``census.thousands`` may be: the character between groups of three digits ("" when
#: the file writes none). A space also stands for a no-break space and a narrow no-break space.
THOUSANDS_SEPARATORS = (",", ".", " ", "'", "")
#: What ``census.decimal`` may be.
DECIMAL_MARKS = (",", ".")
#: Spaces that separate thousands (never a decimal mark, so always unambiguous).
_SPACES = (" ", "\u00a0", "\u202f")
#: Separators tried when the project declares none.
_UNDECLARED_THOUSANDS = (",", ".", "'")


@dataclass(frozen=True)
class Reading:
    """One way of reading a count written as text.

    Attributes
    ----------
    value : float
        The number read.
    thousands : str or None
        The thousands separator the text uses (a space for any kind of space), None when
        it uses none.
    decimal : str or None
        The decimal mark the text uses, None when it has none.
    """

    value: float
    thousands: str | None
    decimal: str | None

    def describe(self) -> str:
        """The reading in words: ``14304 (',' separating thousands)``."""
        how = {}
        if self.thousands is not None:
            how["thousands"] = _("{mark!r} separating thousands", mark=self.thousands)
        if self.decimal is not None:
            how["decimal"] = _("{mark!r} as the decimal mark", mark=self.decimal)
        value = f"{self.value:.15g}"
        if not how:
            return value
        ways = Text(", ".join("{" + name + "}" for name in how), **how)
        return _("{value} ({ways})", value=value, ways=ways)


@dataclass(frozen=True)
class CountColumn:
    """A column of counts read as text, cell by cell.

    Attributes
    ----------
    text : list of str or None
        Each cell as written, stripped (None when empty).
    readings : list of tuple of Reading
        Every way each cell can be read with the declared separators: none when it is
        empty or not a number, two or more when it is ambiguous (``14,304``).
    """

    text: list[str | None]
    readings: list[tuple[Reading, ...]]

    def _mask(self, test) -> np.ndarray:
        """``test(text, readings)`` for every cell."""
        return np.array([test(text, found) for text, found in self.cells()], dtype=bool)

    @property
    def empty(self) -> np.ndarray:
        """Cells without a value."""
        return self._mask(lambda text, found: text is None)

    @property
    def not_number(self) -> np.ndarray:
        """Cells with text that is not a number."""
        return self._mask(lambda text, found: text is not None and not found)

    @property
    def ambiguous(self) -> np.ndarray:
        """Cells that can be read as two different numbers."""
        return self._mask(lambda text, found: len(found) > 1)

    @property
    def fractional(self) -> np.ndarray:
        """Cells read one way only, as a number with a fractional part."""
        return self._mask(lambda text, found: len(found) == 1 and not _whole(found[0]))

    def separators(self) -> dict[tuple[str, str], list[int]]:
        """Positions of the unambiguous cells by separator used (``("thousands", ",")``)."""
        used: dict[tuple[str, str], list[int]] = {}
        for position, (_cell, found) in enumerate(self.cells()):
            if len(found) != 1:
                continue
            for role in ("thousands", "decimal"):
                mark = getattr(found[0], role)
                if mark is not None:
                    used.setdefault((role, mark), []).append(position)
        return used

    def mixed(self) -> list[tuple[str, list[str], list[int]]]:
        """Each role (``thousands``, ``decimal``) written with more than one character,
        with the characters and the first position of each."""
        by_role: dict[str, dict[str, int]] = {}
        for (role, mark), positions in self.separators().items():
            by_role.setdefault(role, {})[mark] = positions[0]
        return [
            (role, list(marks), list(marks.values()))
            for role, marks in by_role.items()
            if len(marks) > 1
        ]

    def numbers(self) -> np.ndarray:
        """The whole counts; NaN where a cell is empty, not a number, ambiguous or has a
        fractional part, and everywhere when the column mixes separators."""
        if self.mixed():
            return np.full(len(self.text), np.nan)
        return np.array(
            [
                found[0].value if len(found) == 1 and _whole(found[0]) else np.nan
                for _, found in self.cells()
            ],
            dtype="float64",
        )

    def cells(self) -> zip:
        """Pairs of (text, readings), cell by cell."""
        return zip(self.text, self.readings, strict=True)


def _whole(reading: Reading) -> bool:
    return float(reading.value).is_integer()


def read_counts(
    values: pd.Series, *, thousands: str | None = None, decimal: str | None = None
) -> CountColumn:
    """Read a column of counts written as text, with the declared separators.

    Parameters
    ----------
    values : pandas.Series
        The cells as read (text, or missing).
    thousands : str, optional
        The thousands separator the table uses (one of :data:`THOUSANDS_SEPARATORS`; ``""``
        for none). Spaces (also no-break spaces) between groups of three digits are always
        understood, since they cannot be a decimal mark. Undeclared, ``,``, ``.`` and ``'``
        are tried too, and a cell that can then be read two ways is ambiguous.
    decimal : str, optional
        The decimal mark (``,`` or ``.``); undeclared, both are tried (except the declared
        thousands separator).

    Returns
    -------
    CountColumn
        Every reading of every cell, so that a check can name the cells that are empty, not
        numbers, ambiguous, fractional or written in mixed formats.
    """
    thousands_marks = _UNDECLARED_THOUSANDS if thousands is None else (thousands,)
    thousands_marks = tuple(mark for mark in thousands_marks if mark and mark != decimal)
    decimal_marks = DECIMAL_MARKS if decimal is None else (decimal,)
    decimal_marks = tuple(mark for mark in decimal_marks if mark != thousands)
    texts = [None if pd.isna(value) else str(value).strip() or None for value in values]
    readings = [
        () if text is None else _readings(text, thousands_marks, decimal_marks) for text in texts
    ]
    return CountColumn(texts, readings)


def _readings(
    text: str, thousands_marks: tuple[str, ...], decimal_marks: tuple[str, ...]
) -> tuple[Reading, ...]:
    """Every distinct number ``text`` can be with one of the separators."""
    for space in _SPACES[1:]:
        text = text.replace(space, " ")
    found: dict[float, Reading] = {}
    for mark in (None, " ", *thousands_marks):
        for point in (None, *decimal_marks):
            if point is not None and point == mark:
                continue
            reading = _read_with(text, mark, point)
            if reading is not None and reading.value not in found:
                found[reading.value] = reading
    return tuple(found.values())


def _read_with(text: str, thousands: str | None, decimal: str | None) -> Reading | None:
    """``text`` as a number written with exactly these separators, or None."""
    group = "" if thousands is None else rf"(?:{re.escape(thousands)}\d{{3}})+"
    whole = r"\d+" if thousands is None else rf"\d{{1,3}}{group}"
    fraction = "" if decimal is None else rf"{re.escape(decimal)}\d+"
    match = re.fullmatch(rf"([-+]?)({whole})({fraction})", text)
    if match is None:
        return None
    sign, digits, rest = match.groups()
    digits = digits if thousands is None else digits.replace(thousands, "")
    rest = rest if decimal is None else rest.replace(decimal, ".")
    return Reading(float(f"{sign}{digits}{rest}"), thousands, decimal)


def counts_as_numbers(
    values: pd.Series, *, thousands: str | None = None, decimal: str | None = None
) -> np.ndarray:
    """Counts as whole numbers, read with the declared separators (:func:`read_counts`).

    NaN where a cell is empty, not a number, can be read two ways, or has a fractional
    part: a count is never guessed.
    """
    return read_counts(values, thousands=thousands, decimal=decimal).numbers()


def shares_as_numbers(values: pd.Series) -> np.ndarray:
    """Shares written as text (``0.25`` or ``0,25``: no thousands separator) as numbers.

    NaN where a cell is empty or not a number; each cell is read on its own, so a column
    may write its decimal mark either way.
    """
    column = read_counts(values, thousands="")
    return np.array(
        [found[0].value if len(found) == 1 else np.nan for _, found in column.cells()],
        dtype="float64",
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

    Written with XlsxWriter, which holds the cells until the workbook is saved (about
    100 bytes a cell, repeated texts once): nothing is on disk before the end, so an error
    half-way leaves no file. Text is never read as a formula, a URL or a number; numbers are
    written with 16 significant digits (docs/developer/decisions.md).
    """
    # imported here: only the commands writing a workbook pay for XlsxWriter
    import xlsxwriter

    with atomic_path(path, overwrite=overwrite) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True},
        )
        styles = _Styles(workbook)
        for sheet in sheets:
            _write_sheet(workbook.add_worksheet(sheet.name[:31]), sheet, styles)
        workbook.close()


class _Styles:
    """The workbook's cell formats, one per number format (XlsxWriter wants them shared)."""

    def __init__(self, workbook) -> None:
        self.workbook = workbook
        self.bold = workbook.add_format({"bold": True})
        self.text = workbook.add_format({"num_format": "@"})
        self.numbers: dict[str, Any] = {}

    def number(self, number_format: str | None):
        if number_format is None:
            return None
        if number_format not in self.numbers:
            self.numbers[number_format] = self.workbook.add_format({"num_format": number_format})
        return self.numbers[number_format]


def _write_sheet(worksheet, sheet: Sheet, styles: _Styles) -> None:
    """The header rows in bold, then the body (:func:`_write_body`), with the sheet's layout."""
    columns = list(sheet.data.columns)
    for index, column in enumerate(columns):
        if column in sheet.widths:
            worksheet.set_column(index, index, sheet.widths[column])
    top = len(sheet.header)
    worksheet.freeze_panes(top, sheet.frozen_columns)
    if columns and top:
        worksheet.autofilter(top - 1, 0, top - 1 + len(sheet.data), len(columns) - 1)
    if sheet.right_to_left:
        worksheet.right_to_left()
    for row, values in enumerate(sheet.header):
        for column, value in enumerate(values):
            if value is not None:
                worksheet.write(row, column, value, styles.bold)
    _write_body(worksheet, sheet, styles, top)


def _write_body(worksheet, sheet: Sheet, styles: _Styles, top: int) -> None:
    """The rows of ``sheet.data`` from row ``top`` on, with their number formats; NaN and
    None are empty cells, the ``text`` columns text cells."""
    columns = list(sheet.data.columns)
    text = {columns.index(c) for c in sheet.text if c in columns}
    formats = [sheet.formats.get(c) for c in columns]
    for offset, values in enumerate(sheet.data.itertuples(index=False, name=None)):
        row = top + offset
        for index, value in enumerate(values):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            if index in text:
                worksheet.write_string(row, index, str(value), styles.text)
                continue
            given = formats[index]
            if given is not None and not isinstance(given, str):
                given = given[offset]
            style = styles.number(given)
            if isinstance(value, str):
                worksheet.write_string(row, index, value, style)
            elif isinstance(value, (bool, np.bool_)):
                worksheet.write_boolean(row, index, bool(value), style)
            elif isinstance(value, numbers.Real):
                worksheet.write_number(row, index, value, style)
            else:  # dates and times
                worksheet.write(row, index, value, style)
