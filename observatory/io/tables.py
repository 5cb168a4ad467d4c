"""Tables: the project file, census CSV/XLSX (codes kept as text), long tables out."""

from __future__ import annotations

import sys
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
        raise ProjectFileError(
            f"{path}: not valid TOML: {error}. Check the quotes, brackets and '=' on that line."
        ) from None


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


def codes_as_text(values: pd.Series) -> pd.Series:
    """Unit codes as they are compared: text without surrounding spaces.

    Missing values and blank text become missing (``None``), so they can be reported.
    """
    texts = [None if pd.isna(value) else str(value).strip() for value in values]
    return pd.Series([text or None for text in texts], index=values.index, dtype=object)


def counts_as_numbers(values: pd.Series) -> np.ndarray:
    """Counts as numbers: spaces between thousands dropped, ',' as the decimal mark; NaN where
    a cell is empty or not a number."""
    cleaned = [
        None if pd.isna(value) else str(value).replace(" ", "").replace(",", ".")
        for value in values
    ]
    return pd.to_numeric(pd.Series(cleaned, dtype=object), errors="coerce").to_numpy("float64")


def write_csv(path: Path, frame: pd.DataFrame, *, overwrite: bool) -> None:
    """Write UTF-8 CSV (with BOM, so Excel on Windows shows accents and Arabic) atomically."""
    with atomic_path(path, overwrite=overwrite) as temporary:
        frame.to_csv(temporary, index=False, encoding="utf-8-sig")


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame], *, overwrite: bool) -> None:
    """Write one sheet per entry; text columns stay text (codes keep leading zeros)."""
    with atomic_path(path, overwrite=overwrite) as temporary:
        with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                frame.to_excel(writer, sheet_name=name[:31], index=False)
