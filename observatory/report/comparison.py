"""What ``observatory compare`` publishes: its tables, notes and workbook, in one language.

A comparison of territories (:class:`observatory.compare.Comparison`) becomes
``comparison.csv`` (the side-by-side table, as computed: codes as text, values unrounded,
ranks), ``comparability.csv`` (a row per indicator: where it was computed, its periods, the
period it is ranked on and the notes on what makes its figures not comparable; the notes
that concern every indicator first) and ``comparison.xlsx`` (the same, laid out for a
person: the indicators' titles, periods and units in three header rows, classes by name).
A unit's profile (:class:`observatory.compare.UnitProfile`) becomes ``unit.csv`` and
``unit.xlsx``. Every text is in the language of ``t``; the HTML page is
:mod:`observatory.report.atlas.comparison`.
"""

from __future__ import annotations

import math
from functools import partial

import pandas as pd

from observatory.compare.territories import (
    FULL_COVERAGE,
    NO_RASTER,
    UNIT_COLUMNS,
    Difference,
    value_column,
)
from observatory.indicators.registry import get_indicator
from observatory.io.tables import Sheet
from observatory.report.i18n import Translator
from observatory.report.labels import N_, decimals, unit_label
from observatory.report.legend import class_names
from observatory.report.mapdata import level_label, period_label
from observatory.report.tables import CODE_WIDTH, NAME_WIDTH, TEXT_WIDTH, VALUE_WIDTH, number_format

#: Names of the rasters a grid note is about.
GRID_NAMES = {
    "population": N_("population grid"),
    "built_up": N_("built-up grid"),
    "pm25": N_("PM2.5 grid"),
    "land": N_("land grid"),
}
#: Values of the provenance that notes show, translated.
SOURCE_VALUES = {
    "census": N_("census"),
    "population raster": N_("population raster"),
    "network": N_("network"),
    "straight-line": N_("straight-line"),
}
#: Parameters named by what they mean rather than by their key.
PARAMETER_NAMES = {
    "mode": N_("distance"),
    "rules": N_("Degree of Urbanisation grid rules"),
    "unit_rules": N_("Degree of Urbanisation unit rules"),
}


def join_values(values: list[str], t: Translator) -> str:
    """Values of several territories: ``a vs b vs c``."""
    between = t.gettext("vs")
    return f" {between} ".join(values)


def _by_territory(difference: Difference, show, t: Translator) -> list[str]:
    """``value (territory)`` for each territory; in a right-to-left language each is kept
    in one direction (a Unicode isolate), so that Latin names and numbers stay readable."""
    first, last = ("\u2068", "\u2069") if t.direction == "rtl" else ("", "")
    return [f"{first}{show(value)} ({name}){last}" for name, value in difference.values]


def cell_size_text(grid: dict | str | None, t: Translator) -> str:
    """A grid as a note shows it: ``100 m, ESRI:54009`` (``not recorded`` for None)."""
    if grid is None:
        return t.gettext("not recorded")
    if grid == NO_RASTER:
        return t.gettext("no raster")
    size = float(grid.get("cell_size", [math.nan])[0])
    if grid.get("crs_unit") in ("metre", "meter", "m"):
        size_text = (
            f"{t.number(size / 1000)} km" if size >= 1000 else f"{t.number(size, decimals=0)} m"
        )
    else:
        size_text = f"{t.number(size)} {grid.get('crs_unit') or ''}".strip()
    return f"{size_text}, {grid.get('crs')}"


def period_text(period: str, t: Translator) -> str:
    """A period as a note shows it: ``2024``, or ``2014–2024 (10 years)`` for a change."""
    years = str(period).split("_")
    if len(years) == 1:
        return period
    span = int(years[-1]) - int(years[0])
    return t.ngettext("{period} ({n} year)", "{period} ({n} years)", span).format(
        period=period_label(period), n=span
    )


def parameter_text(value, t: Translator) -> str:
    """A parameter's value: a number as the language writes it, a list joined, None unset."""
    if value is None:
        return t.gettext("not set")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return t.number(value)
    if isinstance(value, list | tuple):
        return ", ".join(parameter_text(v, t) for v in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{k} = {parameter_text(v, t)}" for k, v in value.items()) or "–"
    return t.gettext(SOURCE_VALUES[value]) if value in SOURCE_VALUES else str(value)


def _units_text(counts: tuple[int, int], t: Translator) -> str:
    flagged, total = counts
    return t.ngettext("{n} of {total} unit", "{n} of {total} units", total).format(
        n=flagged, total=total
    )


def difference_text(difference: Difference, t: Translator) -> str:
    """One note, in the language of ``t``: what differs, and each territory's value."""
    kind = difference.kind
    if kind == "periods":
        years = all("_" not in str(period) for _, period in difference.values)
        template = (
            t.gettext("different years: {values}")
            if years
            else t.gettext("different periods: {values}")
        )
        shown = _by_territory(difference, partial(period_text, t=t), t)
    elif kind in ("grid", "parameter"):
        template, show = _subject_template(difference, t)
        shown = _by_territory(difference, show, t)
    else:
        template, show = _templates(t)[kind]
        shown = _by_territory(difference, show, t)
    if kind in ("flags", "coverage"):
        return template.format(values="; ".join(shown))
    return template.format(values=join_values(shown, t))


def _subject_template(difference: Difference, t: Translator):
    """(template, how a value is shown) of a note about a grid or a parameter."""
    subject = difference.subject
    if difference.kind == "grid":
        name = t.gettext(GRID_NAMES[subject]) if subject in GRID_NAMES else subject
        show = partial(cell_size_text, t=t)
    else:
        show = partial(parameter_text, t=t)
        if subject not in PARAMETER_NAMES:
            template = t.gettext("parameter {name}: {values}")
            return template.replace("{name}", subject), show
        name = t.gettext(PARAMETER_NAMES[subject])
    return t.gettext("{subject}: {values}").replace("{subject}", name), show


def _templates(t: Translator) -> dict:
    """Kind → (template, how a value is shown) for the notes without a subject."""
    return {
        "population_source": (
            t.gettext("population from: {values}"),
            lambda source: t.gettext(SOURCE_VALUES[source]) if source in SOURCE_VALUES else source,
        ),
        "unit": (t.gettext("unit of measure: {values}"), lambda unit: unit_label(unit, t)),
        "flags": (
            t.gettext("values not published (quality flags): {values}"),
            lambda counts: _units_text(counts, t),
        ),
        "coverage": (
            t.gettext("units covered less than {share} by the rasters: {values}").replace(
                "{share}", t.percent(FULL_COVERAGE, decimals=0)
            ),
            lambda counts: _units_text(counts, t),
        ),
        "version": (t.gettext("Observatory versions: {values}"), str),
        "unit_size": (
            t.gettext("units of very different sizes (median area): {values}"),
            lambda size: (
                f"{t.number(size[0], decimals=1)} {unit_label('km²', t)}, "
                f"{level_label(size[1], t).lower()}"
            ),
        ),
    }


def status_text(comparison, t: Translator) -> str:
    """``comparable`` when nothing was found, ``compare with care`` otherwise."""
    return t.gettext("compare with care") if comparison.differences else t.gettext("comparable")


def ranked_on_text(comparison, t: Translator) -> str:
    """The period an indicator is ranked on, in words."""
    if not comparison.ranked:
        return t.gettext("not ranked (classes)")
    if comparison.ranked_on is None:
        return t.gettext("each territory's latest period")
    return period_label(comparison.ranked_on)


def comparability_table(comparison, t: Translator) -> pd.DataFrame:
    """``comparability.csv``: a row for every indicator (and one for what concerns all)."""
    rows = []
    if comparison.general:
        rows.append(
            {
                "indicator": "",
                "title": t.gettext("All indicators"),
                "status": t.gettext("compare with care"),
                "computed_in": ", ".join(tr.name for tr in comparison.territories),
                "periods": "",
                "ranked_on": "",
                "notes": "; ".join(difference_text(d, t) for d in comparison.general),
            }
        )
    for item in comparison.indicators:
        rows.append(
            {
                "indicator": item.spec.id,
                "title": item.spec.text("title", t.language),
                "status": status_text(item, t),
                "computed_in": ", ".join(item.periods),
                "periods": "; ".join(
                    f"{name}: {', '.join(period_label(p) for p in periods)}"
                    for name, periods in item.periods.items()
                ),
                "ranked_on": ranked_on_text(item, t),
                "notes": "; ".join(difference_text(d, t) for d in item.differences),
            }
        )
    for indicator_id, where in comparison.partial.items():
        rows.append(
            {
                "indicator": indicator_id,
                "title": get_indicator(indicator_id).text("title", t.language),
                "status": only_in_text(where, t),
                "computed_in": ", ".join(where),
                "periods": "",
                "ranked_on": "",
                "notes": "",
            }
        )
    return pd.DataFrame(rows, columns=list(COMPARABILITY_COLUMNS))


COMPARABILITY_COLUMNS = (
    "indicator",
    "title",
    "status",
    "computed_in",
    "periods",
    "ranked_on",
    "notes",
)


def only_in_text(territories: tuple[str, ...], t: Translator) -> str:
    """``computed only in A``."""
    return t.gettext("computed only in {territories}").format(territories=", ".join(territories))


def headers(t: Translator) -> dict[str, str]:
    """Column → its heading in the workbooks."""
    return {
        "territory": t.gettext("Territory"),
        "level": t.gettext("Level"),
        "unit_id": t.gettext("Code"),
        "unit_name": t.gettext("Name"),
        "indicator": t.gettext("Indicator id"),
        "title": t.gettext("Indicator"),
        "status": t.gettext("Status"),
        "computed_in": t.gettext("Computed in"),
        "periods": t.gettext("Periods"),
        "ranked_on": t.gettext("Ranked on"),
        "notes": t.gettext("What makes the figures not comparable"),
        "folder": t.gettext("Results folder"),
        "units": t.gettext("Units"),
        "median_area": t.gettext("Median unit area (km²)"),
        "version": t.gettext("Observatory version"),
        "period": t.gettext("Period"),
        "value": t.gettext("Value"),
        "parent_value": t.gettext("Parent"),
        "peer_count": t.gettext("Peers"),
        "peer_median": t.gettext("Peers' median"),
        "count": t.gettext("Units with a value"),
        "min": t.gettext("Minimum"),
        "q1": t.gettext("First quartile"),
        "median": t.gettext("Median"),
        "q3": t.gettext("Third quartile"),
        "max": t.gettext("Maximum"),
        "percentile": t.gettext("Percentile"),
    }


def side_by_side_sheet(comparison, t: Translator) -> Sheet:
    """The side-by-side table for a person: titles, periods and units in three header rows."""
    names = headers(t)
    frame = comparison.table.copy()
    frame["level"] = frame["level"].map(lambda level: level_label(level, t))
    titles = [names[c] for c in UNIT_COLUMNS]
    periods, units = [None] * len(UNIT_COLUMNS), [None] * len(UNIT_COLUMNS)
    formats, widths = {}, {c: CODE_WIDTH for c in UNIT_COLUMNS}
    widths.update(territory=NAME_WIDTH, unit_name=NAME_WIDTH)
    for item in comparison.indicators:
        spec = item.spec
        for column, period, unit, number in _indicator_headers(item, t):
            titles.append(spec.text("title", t.language))
            periods.append(period)
            units.append(unit)
            widths[column] = VALUE_WIDTH
            if spec.kind == "class" and number:
                labels = class_names(spec.id, t)
                frame[column] = frame[column].map(
                    lambda v, labels=labels: labels.get(int(v), str(v)) if pd.notna(v) else None
                )
                widths[column] = NAME_WIDTH
            elif number:
                formats[column] = number_format(decimals(spec.unit))
        if item.ranked:  # a unit without a rank is an empty cell (NaN, not pandas' NA)
            frame[f"{spec.id}_rank"] = frame[f"{spec.id}_rank"].astype(float)
            formats[f"{spec.id}_rank"] = "0"
    return Sheet(
        name=t.gettext("side by side"),
        header=[titles, periods, units],
        data=frame,
        formats=formats,
        text=("unit_id",),
        widths=widths,
        frozen_columns=4,
        right_to_left=t.direction == "rtl",
    )


def _indicator_headers(item, t: Translator) -> list[tuple[str, str, str | None, bool]]:
    """(column, period heading, unit heading, holds values) of an indicator's columns."""
    spec = item.spec
    unit = None if spec.kind == "class" else unit_label(spec.unit, t)
    columns = [(value_column(spec.id, p), period_label(p), unit, True) for p in item.shared]
    if item.latest_differ:
        columns.append((f"{spec.id}_latest", t.gettext("latest period"), unit, True))
        columns.append((f"{spec.id}_latest_period", t.gettext("which period"), None, False))
    if item.ranked:
        columns.append((f"{spec.id}_rank", t.gettext("rank"), ranked_on_text(item, t), False))
    return columns


def comparability_sheet(comparison, t: Translator) -> Sheet:
    """``comparability.csv`` as a sheet."""
    names = headers(t)
    frame = comparability_table(comparison, t)
    widths = {c: NAME_WIDTH for c in frame.columns}
    widths.update(notes=TEXT_WIDTH * 2, periods=TEXT_WIDTH)
    return Sheet(
        name=t.gettext("comparability"),
        header=[[names[c] for c in frame.columns]],
        data=frame,
        text=tuple(frame.columns),
        widths=widths,
        frozen_columns=2,
        right_to_left=t.direction == "rtl",
    )


def territories_table(comparison, t: Translator) -> pd.DataFrame:
    """A row per territory: its results folder, level, units, median unit area, version."""
    return pd.DataFrame(
        [
            {
                "territory": tr.name,
                "folder": str(tr.published.folder),
                "level": level_label(tr.level, t),
                "units": len(tr.published.layers[tr.level]),
                "median_area": comparison.unit_areas[tr.name],
                "version": tr.published.provenance.get("tool", {}).get("version", ""),
            }
            for tr in comparison.territories
        ],
        columns=["territory", "folder", "level", "units", "median_area", "version"],
    )


def territories_sheet(comparison, t: Translator) -> Sheet:
    """The territories compared, as a sheet."""
    names = headers(t)
    frame = territories_table(comparison, t)
    return Sheet(
        name=t.gettext("territories"),
        header=[[names[c] for c in frame.columns]],
        data=frame,
        formats={"units": "#,##0", "median_area": number_format(1)},
        text=("territory", "folder", "level", "version"),
        widths={"territory": NAME_WIDTH, "folder": TEXT_WIDTH, "level": CODE_WIDTH},
        frozen_columns=1,
        right_to_left=t.direction == "rtl",
    )


def comparison_sheets(comparison, t: Translator) -> list[Sheet]:
    """The sheets of ``comparison.xlsx``."""
    return [
        side_by_side_sheet(comparison, t),
        comparability_sheet(comparison, t),
        territories_sheet(comparison, t),
    ]


def profile_sheet(profile, t: Translator) -> Sheet:
    """``unit.xlsx``: a row per indicator and period of the unit, with its statistics."""
    names = headers(t)
    frame = profile.rows.copy()
    row_formats = [number_format(decimals(get_indicator(i).unit)) for i in frame["indicator"]]
    frame.insert(
        1, "title", [get_indicator(i).text("title", t.language) for i in frame["indicator"]]
    )
    frame["period"] = frame["period"].map(period_label)
    for column in ("value", "parent_value"):
        frame[column] = [
            _class_name(indicator_id, value, t)
            for indicator_id, value in zip(frame["indicator"], frame[column], strict=True)
        ]
    value_columns = ["value", "parent_value", "peer_median", "min", "q1", "median", "q3", "max"]
    formats = {column: row_formats for column in value_columns}
    formats.update(peer_count="0", count="0", percentile="0.0")
    return Sheet(
        name=profile.unit_id,
        header=[[names[c] for c in frame.columns]],
        data=frame,
        formats=formats,
        text=("indicator", "title", "period"),
        widths={"title": TEXT_WIDTH, "indicator": NAME_WIDTH},
        frozen_columns=3,
        right_to_left=t.direction == "rtl",
    )


def _class_name(indicator_id: str, value, t: Translator):
    """A class indicator's value by its class name; any other value unchanged."""
    labels = class_names(indicator_id, t)
    if labels and isinstance(value, int | float) and math.isfinite(value):
        return labels.get(int(value), str(value))
    return value


def profile_table(profile) -> pd.DataFrame:
    """``unit.csv``: the unit's level, code and name, then the rows of its profile."""
    table = profile.rows.copy()
    for position, (column, value) in enumerate(
        (("level", profile.level), ("unit_id", profile.unit_id), ("unit_name", profile.unit_name))
    ):
        table.insert(position, column, value)
    return table
