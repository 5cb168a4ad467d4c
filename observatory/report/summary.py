"""The headline figures a command prints after a run, in the project's language.

``observatory demo`` prints the coarsest level (the region) and the next one (its
provinces) with a few headline indicators, their headers translated by the catalogs and the
numbers written as the language writes them (``1 234 567`` in French). The years are the
run's: a count at its first and last year, a state at its last year, a change over the
whole span (first to last year). A next level of more than :data:`MAX_UNITS_LISTED` units
(319 municipalities) is counted, not listed.
"""

from __future__ import annotations

import math
import re

from observatory.report.i18n import Translator, translator
from observatory.report.labels import N_

#: Which period of an indicator a column shows: its first year, its last year, or the
#: change over the whole span of its change periods.
FIRST, LAST, SPAN = "first", "last", "span"
#: The tables: (title, [(indicator id, header, decimals, period), ...]). A header or title
#: may name the period shown, ``{period}``; a title its latest year, ``{year}``.
HEADLINES = (
    (
        N_("Population and land"),
        [
            ("population", N_("Pop. {period}"), 0, FIRST),
            ("population", N_("Pop. {period}"), 0, LAST),
            ("population_density", N_("Density /km²"), 0, LAST),
            ("population_growth_rate", N_("Growth %/yr"), 2, SPAN),
            ("built_up_per_capita", N_("Built m²/pers."), 0, LAST),
            ("sdg_11_3_1", N_("SDG 11.3.1"), 2, SPAN),
        ],
    ),
    (
        N_("Access (% of population, {year}) and urbanisation"),
        [
            ("sdg_11_2_1", N_("SDG 11.2.1"), 1, LAST),
            ("school_access", N_("School ≤1 km"), 1, LAST),
            ("health_access", N_("Health"), 1, LAST),
            ("sdg_11_7_1_access", N_("Open space"), 1, LAST),
            ("urban_centre_population_share", N_("Urban centre"), 1, LAST),
            ("degurba_l1", N_("DEGURBA*"), 0, LAST),
        ],
    ),
)
FOOTNOTE = N_("* Degree of Urbanisation: 3 city, 2 town and semi-dense area, 1 rural area.")
#: Width of the name column and of each figure column (characters).
NAME_WIDTH, CELL_WIDTH = 26, 16
#: A level below the coarsest with more units than this is counted, not listed.
MAX_UNITS_LISTED = 30


def headline_table(results, language: str | None = None) -> str:
    """The two coarsest levels of ``results`` with headline figures.

    Parameters
    ----------
    results : Results
        A run of :func:`observatory.engine.run`.
    language : str, optional
        The language of headers and numbers; the project's by default.
    """
    t = translator(language or results.project.language)
    frames = {level: results.wide(level) for level in results.levels()[:2]}
    names = [name for wide in frames.values() for name in wide.columns]
    listed = {
        level: wide
        for index, (level, wide) in enumerate(frames.items())
        if index == 0 or len(wide) <= MAX_UNITS_LISTED
    }
    lines = []
    for title, wanted in HEADLINES:
        columns = headline_columns(names, wanted)
        if not columns:
            continue
        year = max(period.rpartition("_")[2] for _, _, _, period in columns)
        lines.append(f"{t.gettext(title).format(year=year)}\n")
        for level, wide in listed.items():
            lines.extend([*_level_lines(level, wide, columns, t), ""])
    lines.extend(
        _count_line(level, len(wide), t) for level, wide in frames.items() if level not in listed
    )
    lines.append(f"{t.gettext(FOOTNOTE)}\n")
    return "\n".join(lines)


def headline_columns(names: list[str], wanted) -> list[tuple[str, str, int, str]]:
    """(wide column, header, decimals, period) of the ``wanted`` columns among ``names``.

    A year of a run is a column ``<indicator>_<year>``, a change period
    ``<indicator>_<start>_<end>``; the span is the change period from the earliest start to
    the latest end. An indicator without the period wanted is left out, and a period shown
    twice (the first and last year of a one-year run) once.
    """
    columns = []
    for indicator_id, header, places, which in wanted:
        period = _period(names, indicator_id, which)
        column = f"{indicator_id}_{period}"
        if period is not None and column not in {c for c, *_ in columns}:
            columns.append((column, header, places, period))
    return columns


def _period(names: list[str], indicator_id: str, which: str) -> str | None:
    """The period of ``indicator_id`` that ``which`` names, among the columns ``names``."""
    pattern = re.compile(rf"{re.escape(indicator_id)}_(\d{{4}})(?:_(\d{{4}}))?")
    years, spans = [], []
    for name in names:
        if match := pattern.fullmatch(name):
            start, end = match.groups()
            (spans if end else years).append((start, end) if end else start)
    if which == SPAN:
        if not spans:
            return None
        return f"{min(start for start, _ in spans)}_{max(end for _, end in spans)}"
    if not years:
        return None
    return min(years) if which == FIRST else max(years)


def _level_lines(level: str, wide, columns, t: Translator) -> list[str]:
    """The header line of one level and a line per unit."""
    headers = "".join(
        f"{t.gettext(header).format(period=period.replace('_', '–')):>{CELL_WIDTH}}"
        for _, header, _, period in columns
    )
    lines = [f"{level.capitalize():<{NAME_WIDTH}}{headers}"]
    for _, row in wide.iterrows():
        cells = "".join(
            f"{_figure(row.get(c), places, t)[: CELL_WIDTH - 1]:>{CELL_WIDTH}}"
            for c, _, places, _ in columns
        )
        lines.append(f"{str(row['unit_name'])[: NAME_WIDTH - 1]:<{NAME_WIDTH}}{cells}")
    return lines


def _count_line(level: str, count: int, t: Translator) -> str:
    """The line standing for a level of too many units to list, ending its paragraph."""
    text = t.ngettext(
        "{level}: {count} unit, listed in the results files",
        "{level}: {count} units, listed in the results files",
        count,
    )
    return text.format(level=level.capitalize(), count=t.number(count, decimals=0)) + "\n"


def _figure(value, places: int, t: Translator) -> str:
    """``value`` with ``places`` decimals in the language's format; ``–`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return t.number(float(value), decimals=places)
