"""Checks of what the census tables say together (:class:`~observatory.census.CensusFigures`):
codes that match no unit, units without figures, figures given twice, coarser tables that
do not add up, and years known only at a coarser level.

Severities, and why (docs/developer/decisions.md, *Census as published*):

- a census code matching no unit is a warning listing **every** code (in ``details``):
  a national table serving a region has many, and they are left out of nothing computed;
- a unit without a figure in **any** census year of its level is an error: it is nearly
  always a code that does not match (lost leading zeros, another edition of the codes);
- a unit without a figure in **some** years is a warning: real censuses have such gaps (a
  unit created between two censuses, arrondissements published for one census only). Its
  indicators of those years, and those of every unit containing it, are left empty with
  the reason in the quality column, never computed from the units that have a figure;
- two tables giving one unit and year: an error when the figures differ (which to trust is
  not the tool's to guess), a warning when they are the same (a regional extract of a
  national table);
- a coarser table whose figures are not the sums of the finer one's: a warning naming the
  units (the finer figures are used).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from observatory.census import CensusFigures, UnitTree
from observatory.checks.describe import examples
from observatory.checks.units import UnitLevel
from observatory.messages import _, ngettext
from observatory.problems import Problem

#: A coarser census figure and the sum of the finer ones differing by more than this many
#: people are reported.
CONSERVATION_TOLERANCE = 0.5


def check_census_figures(
    figures: CensusFigures,
    tree: UnitTree,
    units: Mapping[str, UnitLevel],
    raster_years: set[int],
) -> list[Problem]:
    """Every problem of the census ``figures`` (``raster_years``: the population rasters)."""
    problems = []
    hints = _format_hints(figures, tree)
    for key in dict.fromkeys(figures.unmatched["table"]):
        problems.append(_unmatched(figures, key, tree, hints))
    for level in figures.levels:
        if figures.years_at(level):
            problems += _without_figures(figures, level, units[level], hints)
    problems += _twice(figures)
    problems += _absorbed(figures)
    problems += _conservation(figures, tree, units)
    problems += _coarser_years(figures, tree, raster_years)
    return problems


def _files(tables: Iterable) -> str:
    return ", ".join(dict.fromkeys(table.path.name for table in tables))


def _simplified(codes: Iterable[str]) -> set[str]:
    """Codes without separators and leading zeros, to recognise format differences."""
    return {"".join(ch for ch in code if ch.isalnum()).lstrip("0") for code in codes}


def _format_hints(figures: CensusFigures, tree: UnitTree) -> str:
    """A hint when some unmatched codes differ from unit codes without figures only in
    format (leading zeros, dots or spaces)."""
    lacking = set()
    for level, frame in figures.levels.items():
        years = figures.years_at(level)
        if years:
            lacking |= set(frame.index[frame[years].isna().all(axis=1)])
    if not _simplified(figures.unmatched["code"].dropna()) & _simplified(lacking):
        return ""
    return _(
        " Some codes differ only in format (leading zeros, dots or spaces): keep codes "
        "as text (in Excel, format the column as Text before typing or importing)."
    )


def _unmatched(figures: CensusFigures, key: str, tree: UnitTree, hint: str) -> Problem:
    """One warning per table listing every code that matches no unit."""
    rows = figures.unmatched[figures.unmatched["table"] == key]
    table = next(
        table for tables in figures.sources.values() for table in tables if table.key == key
    )
    level = table.level
    years = sorted(table.population)
    listed = []
    for (written, code), found in rows.groupby(["written", "code"], sort=False):
        name = repr(code) if written == code else f"{written!r} (→ {code!r})"
        missing = sorted(found["year"])
        listed.append(name if missing == years else f"{name} ({', '.join(map(str, missing))})")
    followed = "" if (rows["written"] == rows["code"]).all() else _(" after the crosswalk")
    return Problem(
        "warning",
        key,
        ngettext(
            "{count} census id(s) in {file} match no {level} unit{followed} and are ignored: "
            "{listed} (the {level} ids look like {known}).",
            "{count} census id(s) in {file} match no {level} unit{followed} and are ignored: "
            "{listed} (the {level} ids look like {known}).",
            len(listed),
            count=len(listed),
            file=table.path.name,
            level=level,
            followed=followed,
            listed=examples(listed, quote=False),
            known=examples(list(tree.codes[level][:3]), limit=3),
        ),
        _(
            "correct these codes so they match the ids of the {level} layer, add them to "
            "[census.crosswalk] if they were renumbered, or leave them if they are outside the "
            "territory.{hint}",
            level=level,
            hint=hint,
        ),
        details=tuple(listed) if len(listed) > 5 else (),
    )


def _named(level: UnitLevel, codes: Iterable[str]) -> dict[str, str]:
    """``code → 'code' Name`` (the label of the level, when it has one)."""
    frame = level.layer.frame
    label = level.level.label
    names = {}
    if label is not None and label in frame.columns and level.codes is not None:
        names = dict(zip(level.codes, frame[label].astype(str), strict=True))
    return {code: f"{code!r} {names[code]}" if code in names else repr(code) for code in codes}


def _without_figures(
    figures: CensusFigures, level: str, units: UnitLevel, hint: str
) -> list[Problem]:
    """Units without a figure in any year of their level (error) or in some (warning)."""
    years = figures.years_at(level)
    frame = figures.at_level(level)
    files = _files(table for year in years for table in figures.sources[level, year])
    lacking = frame.isna()
    problems = []
    none = list(frame.index[lacking.all(axis=1)])
    if none:
        problems.append(
            Problem(
                "error",
                units.name,
                ngettext(
                    "{count} {level} unit(s) have no row in the census {files}: {listed}.",
                    "{count} {level} unit(s) have no row in the census {files}: {listed}.",
                    len(none),
                    count=len(none),
                    level=level,
                    files=files,
                    listed=examples(none),
                ),
                _(
                    "add their census rows with the counts of the census source, correct the "
                    "codes so they match, or follow renumbered codes with [census.crosswalk]."
                    "{hint}",
                    hint=hint,
                ),
                details=tuple(none) if len(none) > 5 else (),
            )
        )
    some = lacking.any(axis=1) & ~lacking.all(axis=1)
    if some.any():
        names = _named(units, frame.index[some])
        listed = [
            f"{names[code]} ({', '.join(str(year) for year in years if lacking.at[code, year])})"
            for code in frame.index[some]
        ]
        problems.append(
            Problem(
                "warning",
                units.name,
                ngettext(
                    "{count} {level} unit(s) have no census figure for some years: {listed}. "
                    "Their indicators of those years are left empty, and so are those of the "
                    "units that contain them (the reason is in the quality column).",
                    "{count} {level} unit(s) have no census figure for some years: {listed}. "
                    "Their indicators of those years are left empty, and so are those of the "
                    "units that contain them (the reason is in the quality column).",
                    len(listed),
                    count=len(listed),
                    level=level,
                    listed=examples(listed, quote=False),
                ),
                _(
                    "nothing to do if the unit did not exist then or the census did not publish "
                    "it; otherwise add its rows, or follow its old code with [census.crosswalk]."
                ),
                details=tuple(listed) if len(listed) > 5 else (),
            )
        )
    return problems


def _pair(conflict) -> str:
    return _(
        "{code!r} {year}: {first_people:,.0f} in {first}, {second_people:,.0f} in {second}",
        code=conflict.code,
        year=str(conflict.year),
        first_people=conflict.first_people,
        first=conflict.first.path.name,
        second_people=conflict.second_people,
        second=conflict.second.path.name,
    )


def _twice(figures: CensusFigures) -> list[Problem]:
    """Units and years given by two tables: different figures (error), the same (warning)."""
    return [
        _given_twice(severity, [_pair(pair) for pair in pairs])
        for severity, pairs in (("error", figures.conflicts), ("warning", figures.overlaps))
        if pairs
    ]


def _given_twice(severity: str, listed: list[str]) -> Problem:
    """The ``"error"`` about the ``listed`` units and years that two tables give different
    figures, or the ``"warning"`` about those given the same figure twice."""
    shown = {"count": len(listed), "listed": examples(listed, quote=False)}
    if severity == "error":
        message = ngettext(
            "{count} unit(s) and year(s) are given by two census tables with different "
            "figures: {listed}.",
            "{count} unit(s) and year(s) are given by two census tables with different "
            "figures: {listed}.",
            len(listed),
            **shown,
        )
        fix = _(
            "give each unit and year in one table only (remove the rows from the other, "
            "or the year from its population key), or correct the figure."
        )
    else:
        message = ngettext(
            "{count} unit(s) and year(s) are given twice with the same figure: "
            "{listed}; the figure is used once.",
            "{count} unit(s) and year(s) are given twice with the same figure: "
            "{listed}; the figure is used once.",
            len(listed),
            **shown,
        )
        fix = _(
            "nothing to do if one table is an extract of the other; otherwise check "
            "that the same file or year is not declared twice."
        )
    details = tuple(listed) if len(listed) > 5 else ()
    return Problem(severity, "census", message, fix, details=details)


def _absorbed(figures: CensusFigures) -> list[Problem]:
    """A code of a table that also receives other codes of the table through the crosswalk."""
    problems = []
    for table, year, code, sources in figures.absorbed:
        problems.append(
            Problem(
                "warning",
                table.key,
                _(
                    "{file} ({year}) gives {code!r} and also the code(s) {sources}, which the "
                    "crosswalk gives to {code!r}: their people are added to its own.",
                    file=table.path.name,
                    year=str(year),
                    code=code,
                    sources=examples(sources),
                ),
                _(
                    "right when {code!r} kept its code and took them in; if its row already "
                    "counts their people, remove their rows or the year from the crosswalk.",
                    code=code,
                ),
            )
        )
    return problems


def _conservation(
    figures: CensusFigures, tree: UnitTree, units: Mapping[str, UnitLevel]
) -> list[Problem]:
    """Figures of coarser tables against the sums of the year's level."""
    problems = []
    for year, finest in figures.year_levels.items():
        for level, frame in figures.levels.items():
            if level == finest or year not in frame.columns:
                continue
            summed = tree.roll_up(figures.levels[finest][[year]], finest, level)[year]
            given = frame[year]
            differ = (summed - given).abs() > CONSERVATION_TOLERANCE
            if not differ.any():
                continue
            names = _named(units[level], given.index[differ])
            listed = [
                _(
                    "{name} {given:,.0f} given, {summed:,.0f} summed",
                    name=names[code],
                    given=given[code],
                    summed=summed[code],
                )
                for code in given.index[differ]
            ]
            files = _files(figures.sources[level, year])
            problems.append(
                Problem(
                    "warning",
                    "census",
                    ngettext(
                        "census {year}: the {finest} figures of {count} {level} unit(s) do not "
                        "add up to the {level} figures of {files}: {listed}; the {finest} "
                        "figures are used.",
                        "census {year}: the {finest} figures of {count} {level} unit(s) do not "
                        "add up to the {level} figures of {files}: {listed}; the {finest} "
                        "figures are used.",
                        len(listed),
                        year=str(year),
                        finest=finest,
                        count=len(listed),
                        level=level,
                        files=files,
                        listed=examples(listed, quote=False),
                    ),
                    _("check that both tables are of the same date and the same boundaries."),
                    details=tuple(listed) if len(listed) > 5 else (),
                )
            )
    return problems


def _coarser_years(figures: CensusFigures, tree: UnitTree, raster_years: set[int]) -> list[Problem]:
    """Years known only at a coarser level than the finest and without a raster to share
    them: their population indicators exist only from that level up."""
    finest = tree.names[-1]
    problems = []
    for year, level in figures.year_levels.items():
        if level == finest or year in raster_years:
            continue
        files = _files(figures.sources[level, year])
        problems.append(
            Problem(
                "warning",
                "census",
                _(
                    "census {year} is at {level} level ({files}) and there is no {year} "
                    "population raster to share it among the {finest} units: the {year} "
                    "indicators that need the population are computed for the {level} units "
                    "and the levels above only.",
                    year=str(year),
                    level=level,
                    files=files,
                    finest=finest,
                ),
                _(
                    "to have them for every {finest}, add a {finest} table for {year} to "
                    "[census], or a {year} population raster to [rasters].",
                    finest=finest,
                    year=str(year),
                ),
            )
        )
    return problems
