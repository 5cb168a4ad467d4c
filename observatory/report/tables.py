"""``indicators.xlsx`` for a statistician, and the CSV for comma-decimal spreadsheets.

The workbook has one sheet per level in wide form (units in rows; a column per indicator and
period, headed by the indicator, the period and the unit), the series (a row per level, unit
and indicator, a column per year and change period, the reasons of empty values beside
them), the long table, the metadata of every indicator computed and what could not be
computed, all in the project's language,
with frozen headers, filters, column widths, codes as text and the decimals that make sense
for each unit. :func:`observatory.io.tables.write_xlsx` writes it. The values are those of
the long table, unrounded: only how they are shown changes.
"""

from __future__ import annotations

import pandas as pd
from pandas.api.types import is_numeric_dtype

from observatory.indicators.registry import catalogue
from observatory.io.tables import Sheet
from observatory.report.i18n import Translator, translator
from observatory.report.labels import (
    BASE_COLUMNS,
    component_label,
    decimals,
    indicator_label,
    reason_label,
    unit_label,
    value_label,
)
from observatory.results import LONG_COLUMNS as LONG_TABLE_COLUMNS
from observatory.results import SERIES_COLUMNS

#: Column widths (characters) of codes, names and figures.
CODE_WIDTH, NAME_WIDTH, VALUE_WIDTH, TEXT_WIDTH = 12, 32, 14, 60
#: Long-table columns of the workbook: the indicator's title after the unit's name, its id last.
LONG_COLUMNS = (
    *LONG_TABLE_COLUMNS[:3],
    "indicator_title",
    *(c for c in LONG_TABLE_COLUMNS[3:] if c != "indicator"),
    "indicator",
)


def number_format(places: int) -> str:
    """The Excel number format with thousands grouping and ``places`` decimals."""
    return "#,##0" + ("." + "0" * places if places else "")


def workbook_sheets(results, language: str) -> list[Sheet]:
    """The sheets of ``indicators.xlsx`` for ``results`` of a run, in ``language``."""
    t = translator(language)
    sheets = [wide_sheet(results, level, t) for level in results.levels()]
    sheets.append(series_sheet(results, t))
    sheets.append(long_sheet(results.long_table(), t))
    sheets.append(metadata_sheet(results, t))
    sheets.append(skipped_sheet(results.skipped, t, results.not_published()))
    return sheets


def _headers(t: Translator) -> dict[str, str]:
    return {
        "level": t.gettext("Level"),
        "unit_id": t.gettext("Code"),
        "unit_name": t.gettext("Name"),
        "parent_id": t.gettext("Parent code"),
        "indicator_title": t.gettext("Indicator"),
        "period": t.gettext("Period"),
        "value": t.gettext("Value"),
        "unit": t.gettext("Unit"),
        "numerator": t.gettext("Numerator"),
        "denominator": t.gettext("Denominator"),
        "note": t.gettext("Note"),
        "coverage": t.gettext("Coverage"),
        "quality": t.gettext("Quality"),
        "indicator": t.gettext("Indicator id"),
        "definition": t.gettext("Definition"),
        "formula": t.gettext("Formula"),
        "sources": t.gettext("Sources"),
        "reason": t.gettext("Reason"),
    }


def wide_columns(results, level: str, t: Translator) -> dict[str, tuple[str, str, str | None]]:
    """Wide column of ``level`` → (label, period, unit or None for a text column)."""
    columns = {}
    for result in results.level_results:
        if result.level != level:
            continue
        spec, period = result.indicator, result.period.label
        title = spec.text("title", t.language)
        for column in result.values.columns:
            if column in ("numerator", "denominator"):
                continue
            numeric = is_numeric_dtype(result.values[column])
            if column == "value":
                columns[f"{spec.id}_{period}"] = (title, period, spec.unit)
            else:
                label = component_label(title, column, t)
                unit = spec.unit_of(column) if numeric else None
                columns[f"{spec.id}_{column}_{period}"] = (label, period, unit)
    return columns


def wide_sheet(results, level: str, t: Translator) -> Sheet:
    """One level in wide form: its units in rows, an indicator × period per column.

    Three header rows: the indicator (or sub-indicator), the period, the unit.
    """
    frame = pd.DataFrame(results.wide(level).drop(columns="geometry"))
    described = wide_columns(results, level, t)
    base = [c for c in frame.columns if c in BASE_COLUMNS]
    columns = base + [c for c in frame.columns if c in described]
    frame = frame[columns]
    titles = [t.gettext(BASE_COLUMNS[c]) for c in base]
    periods, units = [None] * len(base), [None] * len(base)
    formats, widths = {}, {c: NAME_WIDTH if c == "unit_name" else CODE_WIDTH for c in base}
    for column in columns[len(base) :]:
        label, period, unit = described[column]
        titles.append(label)
        periods.append(period)
        units.append(unit_label(unit, t) if unit else None)
        widths[column] = VALUE_WIDTH
        if unit is None:
            frame[column] = frame[column].map(lambda value: value_label(value, t))
            widths[column] = NAME_WIDTH
        else:
            formats[column] = number_format(decimals(unit))
    return Sheet(
        name=level,
        header=[titles, periods, units],
        data=frame,
        formats=formats,
        text=("unit_id", "parent_id"),
        widths=widths,
        frozen_columns=2,
        right_to_left=t.direction == "rtl",
    )


def series_sheet(results, t: Translator) -> Sheet:
    """The series of every level (:meth:`~observatory.results.Results.series`) in one sheet.

    A row per level, unit and indicator (or sub-indicator), a column per year and then per
    change period, each value in its unit's number format; an empty cell is a value the
    results do not have, and the row's ``Quality`` cell says why (``2015: ...``).
    """
    headers = _headers(t)
    frames = [results.series(level).assign(level=level) for level in results.levels()]
    empty = pd.DataFrame(columns=[*SERIES_COLUMNS, "quality", "level"])
    frame = pd.concat(frames, ignore_index=True) if frames else empty
    periods = [c for c in frame.columns if c[:1].isdigit()]
    units = frame["unit"]
    text_rows = units.isna().to_numpy()
    frame["indicator_title"] = frame["indicator"].map(lambda i: indicator_label(i, t))
    frame["unit"] = [None if unit is None else unit_label(unit, t) for unit in units]
    for period in periods:
        frame[period] = [
            value_label(value, t) if text else value
            for value, text in zip(frame[period], text_rows, strict=True)
        ]
    columns = ["level", "unit_id", "unit_name", "parent_id", "indicator_title", "unit"]
    frame = frame[[*columns, *periods, "quality", "indicator"]]
    row_formats = [None if unit is None else number_format(decimals(unit)) for unit in units]
    widths = {c: VALUE_WIDTH for c in frame.columns}
    widths.update(level=CODE_WIDTH, unit_id=CODE_WIDTH, parent_id=CODE_WIDTH)
    widths.update(unit_name=NAME_WIDTH, indicator_title=TEXT_WIDTH, indicator=NAME_WIDTH)
    widths.update(quality=TEXT_WIDTH)
    return Sheet(
        name=t.gettext("series"),
        header=[[headers.get(c, c) for c in frame.columns]],
        data=frame,
        formats=dict.fromkeys(periods, row_formats),
        text=("level", "unit_id", "parent_id"),
        widths=widths,
        frozen_columns=3,
        right_to_left=t.direction == "rtl",
    )


def long_sheet(long_table: pd.DataFrame, t: Translator) -> Sheet:
    """The long table (one row per unit, indicator or sub-indicator and period)."""
    headers = _headers(t)
    frame = long_table.copy()
    frame["indicator_title"] = frame["indicator"].map(lambda i: indicator_label(i, t))
    row_formats = [number_format(decimals(unit)) for unit in frame["unit"]]
    frame["unit"] = frame["unit"].map(lambda unit: unit_label(unit, t))
    frame["note"] = frame["note"].map(lambda note: value_label(note, t))
    frame["quality"] = frame["quality"].map(lambda reason: reason_label(reason, t))
    frame = frame[[c for c in LONG_COLUMNS if c in frame.columns]]
    widths = {c: VALUE_WIDTH for c in frame.columns}
    widths.update(unit_name=NAME_WIDTH, indicator_title=TEXT_WIDTH, note=NAME_WIDTH)
    widths.update(indicator=NAME_WIDTH, level=CODE_WIDTH, unit_id=CODE_WIDTH)
    return Sheet(
        name=t.gettext("indicators"),
        header=[[headers[c] for c in frame.columns]],
        data=frame,
        formats={
            "value": row_formats,
            "numerator": number_format(2),
            "denominator": number_format(2),
            "coverage": number_format(3),
        },
        text=("level", "unit_id", "period"),
        widths=widths,
        frozen_columns=3,
        right_to_left=t.direction == "rtl",
    )


def metadata_sheet(results, t: Translator) -> Sheet:
    """Definition, formula, unit and sources of each indicator computed, in the language."""
    headers = _headers(t)
    computed = {result.indicator.id for result in results.level_results}
    rows = [
        {
            "indicator": spec.id,
            "indicator_title": spec.text("title", t.language),
            "definition": spec.text("description", t.language),
            "formula": spec.method,
            "unit": unit_label(spec.unit, t),
            "sources": "; ".join(spec.references),
        }
        for spec in catalogue().values()
        if spec.id in computed
    ]
    columns = ["indicator", "indicator_title", "definition", "formula", "unit", "sources"]
    frame = pd.DataFrame(rows, columns=columns)
    widths = {c: TEXT_WIDTH for c in columns}
    widths.update(indicator=NAME_WIDTH, unit=VALUE_WIDTH)
    return Sheet(
        name=t.gettext("metadata"),
        header=[[headers[c] for c in columns]],
        data=frame,
        text=tuple(columns),
        widths=widths,
        frozen_columns=1,
        right_to_left=t.direction == "rtl",
    )


def skipped_sheet(
    skipped: dict[str, str], t: Translator, values: pd.DataFrame | None = None
) -> Sheet:
    """The indicators that could not be computed, then the single values not published.

    ``values`` are the flagged values of :meth:`observatory.results.Results.not_published`
    (level, unit, indicator, period and the reason in ``quality``).
    """
    headers = _headers(t)
    columns = ["indicator", "indicator_title", "level", "unit_id", "unit_name", "period"]
    frame = pd.DataFrame(
        {
            "indicator": list(skipped),
            "indicator_title": [indicator_label(i, t) for i in skipped],
            "reason": [reason_label(reason, t) for reason in skipped.values()],
        },
        columns=[*columns, "reason"],
    )
    if values is not None and not values.empty:
        flagged = values.rename(columns={"quality": "reason"}).assign(
            indicator_title=[indicator_label(i, t) for i in values["indicator"]],
            reason=[reason_label(reason, t) for reason in values["quality"]],
        )
        flagged = flagged[[*columns, "reason"]]
        frame = (
            flagged.reset_index(drop=True)
            if frame.empty
            else pd.concat([frame, flagged], ignore_index=True)
        )
    return Sheet(
        name=t.gettext("not computed"),
        header=[[headers[c] for c in frame.columns]],
        data=frame,
        text=tuple(frame.columns),
        widths={"indicator": NAME_WIDTH, "indicator_title": TEXT_WIDTH, "reason": TEXT_WIDTH},
        frozen_columns=1,
        right_to_left=t.direction == "rtl",
    )


def comma_decimal_table(long_table: pd.DataFrame) -> pd.DataFrame:
    """The long table for spreadsheets whose decimal mark is the comma (French locale).

    The same columns and values as ``indicators.csv``; the codes are written ``="04"`` so
    that Excel and LibreOffice keep them as text (leading zeros included) on opening.
    """
    table = long_table.copy()
    table["unit_id"] = [f'="{code}"' for code in table["unit_id"]]
    return table
