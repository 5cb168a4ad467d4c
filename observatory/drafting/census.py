"""Census tables and crosswalks guessed from tables (CSV, workbook sheets).

For each table:

- **a crosswalk** when two columns are codes of different years or vintages
  (``code_2014`` and ``code_2024``, ``old_code`` and ``new_code``): it becomes a
  ``[census.crosswalk]`` written commented out, ``to`` being the column that matches more
  unit codes;
- else **a census table** when it has population columns: numbers with a year in the
  column name (``population_2024``, ``pop2014``, ``P_2019``) or, with the year in the file
  name (``belgian_municipalities_2018.csv``), a column named as a population
  (``inhabitants``, ``population``, ``total``, ``pop``). Its code column is the one whose
  values match most codes of a unit level (as text), which also gives its level; the
  number format is read from the values (``"14,304"``: thousands ``","``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from observatory.drafting.document import Section
from observatory.drafting.names import has_word, years
from observatory.drafting.units import CODE_WORDS, LevelGuess
from observatory.io.inventory import Table
from observatory.io.tables import Reading, read_counts

#: Words of column names that say "population", with a year in the name (``P_2019``).
YEARLY_POPULATION_WORDS = frozenset(
    {"pop", "population", "populations", "inhabitants", "habitants", "inwoners", "bevolking"}
    | {"residents", "total", "totaal", "ptot", "pmun", "einwohner", "p"}
)
#: Words of column names that say "population" when the year is in the file name.
POPULATION_WORDS = YEARLY_POPULATION_WORDS - {"p"}
#: Words telling the two code columns of a crosswalk apart when they carry no year.
_VINTAGE_WORDS = frozenset({"old", "new", "ancien", "nouveau", "from", "to", "oud", "nieuw"})
#: Words of a crosswalk's column sharing an old unit's population among new ones.
_SHARE_WORDS = frozenset({"share", "weight", "poids", "part", "fraction", "proportion"})
#: Share of the filled cells of a column that must read as numbers for it to be counts.
_NUMERIC = 0.95
_ROLES = ("thousands", "decimal")


@dataclass(frozen=True)
class NumberFormat:
    """How counts are written: the separators found and, for each, a cell using it.

    ``mixed`` names each role written with two characters or more (``"thousands"``).
    """

    thousands: str | None = None
    decimal: str | None = None
    examples: dict[tuple[str, str], str] = field(default_factory=dict)
    mixed: tuple[str, ...] = ()


@dataclass
class CensusDraft:
    """The census part of the draft: its sections, the years found, the unused tables."""

    sections: list[Section] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    unused: list[tuple[Table, str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def _likely(found: tuple[Reading, ...], seen: dict[str, Counter]) -> Reading:
    """Of the readings of an ambiguous cell, the one using separators seen in unambiguous
    cells, else a whole number written without decimals (counts are whole: ``"1,000"`` is
    a thousand, not 1.000)."""

    def score(reading: Reading) -> tuple[int, bool, bool]:
        agree = sum(getattr(reading, role) in seen[role] for role in _ROLES)
        return agree, float(reading.value).is_integer(), reading.decimal is None

    return max(found, key=score)


def number_format(values: Sequence[str | None]) -> NumberFormat:
    """The thousands separator and decimal mark used by a column of numbers written as text.

    Cells that read one way only decide first (``"1.234,5"``: thousands ``"."``, decimal
    ``","``); a cell that reads two ways (``"14,304"``) is read with the separators already
    seen, else as a whole number.
    """
    column = read_counts(pd.Series(list(values), dtype=object))
    seen: dict[str, Counter] = {role: Counter() for role in _ROLES}
    examples: dict[tuple[str, str], str] = {}

    def count(reading: Reading, text: str) -> None:
        for role in _ROLES:
            mark = getattr(reading, role)
            if mark is not None:
                seen[role][mark] += 1
                examples.setdefault((role, mark), text)

    cells = [(text, found) for text, found in column.cells() if found]
    for text, found in cells:
        if len(found) == 1:
            count(found[0], text)
    settled = {role: Counter(marks) for role, marks in seen.items()}
    for text, found in cells:
        if len(found) > 1:
            count(_likely(found, settled), text)
    chosen = {role: (seen[role].most_common(1)[0][0] if seen[role] else None) for role in _ROLES}
    mixed = tuple(role for role in _ROLES if len(seen[role]) > 1)
    return NumberFormat(chosen["thousands"], chosen["decimal"], examples, mixed)


def is_numeric(values: Sequence[str | None]) -> bool:
    """Whether (nearly) every filled cell of a column reads as a number."""
    column = read_counts(pd.Series(list(values), dtype=object))
    filled = [found for text, found in column.cells() if text is not None]
    return bool(filled) and sum(bool(found) for found in filled) >= _NUMERIC * len(filled)


def _code_columns(table: Table) -> dict[str, int | None]:
    """Columns named as codes of a year or vintage: name → year (None for a vintage)."""
    found: dict[str, int | None] = {}
    for name, column in table.columns.items():
        if not has_word(name, CODE_WORDS) or not column.filled:
            continue
        named = years(name)
        if named:
            found[name] = named[0]
        elif has_word(name, _VINTAGE_WORDS):
            found[name] = None
    return found


def crosswalk_columns(table: Table) -> dict[str, int | None] | None:
    """The two code columns of a crosswalk (name → year), or None when it is not one."""
    found = _code_columns(table)
    dated = {name: year for name, year in found.items() if year is not None}
    if len(set(dated.values())) >= 2:
        ordered = sorted(dated, key=lambda name: dated[name])
        return {ordered[0]: dated[ordered[0]], ordered[-1]: dated[ordered[-1]]}
    undated = [name for name, year in found.items() if year is None]
    return {name: None for name in undated[:2]} if len(undated) >= 2 else None


def _crosswalk_section(
    table: Table, columns: dict[str, int | None], levels: list[LevelGuess], where: Callable
) -> Section:
    codes = set().union(*(level.ids for level in levels)) if levels else set()
    matches = {name: len(set(table.columns[name].filled) & codes) for name in columns}
    # the units' codes are 'to'; on a tie the newer codes are taken for the census's
    to, source = sorted(columns, key=lambda name: (-matches[name], -(columns[name] or 0)))[:2]
    share = next((name for name in table.columns if has_word(name, _SHARE_WORDS)), None)
    dated = sorted(year for year in columns.values() if year is not None)
    section = Section("census.crosswalk", commented=True)
    section.check = (
        f"{table.path.name} looks like a crosswalk of unit codes ({', '.join(columns)}). "
        "Uncomment it if the census tables hold codes of another year than the units: 'to' "
        f"is guessed as '{to}', which matches {matches[to]} unit codes ('{source}' matches "
        f"{matches[source]})"
        + ("" if share else "; no share column found (each old unit goes whole to one new)")
        + ("" if dated else "; write the two years")
    )
    section.add("path", where(table.path))
    section.add("layer", table.sheet)
    section.add("from", source)
    section.add("to", to)
    section.add("share", share)
    section.add("years", dated or None)
    return section


def _id_column(table: Table, levels: list[LevelGuess]) -> tuple[str | None, LevelGuess | None, str]:
    """The code column, the level it matches and the CHECK note saying how well."""
    best, best_key = None, (0,)
    for name, column in table.columns.items():
        values = set(column.filled)
        unique = len(values) == len(column.filled)
        for position, level in enumerate(levels):
            matched = len(values & level.ids)
            key = (unique, matched, position)  # a census has one row per unit
            if matched and key > best_key:
                best, best_key = (name, level), key
    if best is not None:
        name, level = best
        repeated = "" if best_key[0] else "; its codes repeat, so it may not be one row per unit"
        return (
            name,
            level,
            (
                f"code column guessed: '{name}', where {best_key[1]} of the {len(level.ids)} "
                f"{level.name} codes ('{level.id}') are found ({table.rows} rows){repeated}"
            ),
        )
    named = [name for name in table.columns if has_word(name, CODE_WORDS)]
    fallback = named[0] if named else next(iter(table.columns), None)
    why = "no column holds codes of the unit levels" if levels else "no unit level was found"
    return fallback, None, f"code column guessed from its name: '{fallback}' ({why})"


def _population_columns(table: Table, exclude: str | None) -> tuple[dict[int, str], str | None]:
    """Year → population column, and the CHECK note saying where each year comes from."""
    numeric = {
        name: column
        for name, column in table.columns.items()
        if name != exclude and is_numeric(column.values)
    }
    population: dict[int, str] = {}
    left_out = []
    for name in numeric:
        named = years(name)
        if named and has_word(name, YEARLY_POPULATION_WORDS) and named[0] not in population:
            population[named[0]] = name
        elif named:
            left_out.append(name)
    how = "years in the column names"
    file_years = years(table.path.stem)
    if not population and file_years:
        found = [name for name in numeric if has_word(name, POPULATION_WORDS)]
        if found:
            population[file_years[0]] = found[0]
            how = "the year in the file name"
    if not population:
        return {}, None
    pairs = ", ".join(f"'{column}' for {year}" for year, column in sorted(population.items()))
    other = f"; other yearly columns left out: {', '.join(left_out)}" if left_out else ""
    return dict(sorted(population.items())), f"population guessed: {pairs} ({how}){other}"


def _format_check(found: NumberFormat) -> str | None:
    parts = [
        f"'{found.examples[(role, mark)]}' uses {mark!r} as the {name}"
        for role, mark, name in (
            ("thousands", found.thousands, "thousands separator"),
            ("decimal", found.decimal, "decimal mark"),
        )
        if mark is not None
    ]
    if not parts:
        return None
    note = "number format read from the values: " + "; ".join(parts)
    if found.mixed:
        note += (
            f" (the {' and '.join(found.mixed)} are written in more than one way: the most "
            "common is set, validate names the other cells)"
        )
    return note


def _census_section(table: Table, levels: list[LevelGuess], where: Callable) -> Section | str:
    """The ``[[census.tables]]`` section of a table, or why it is not used."""
    identifier, level, id_check = _id_column(table, levels)
    population, population_check = _population_columns(table, identifier)
    if not population:
        return "no population column: no numbers with a year in the column or file name"
    found = number_format([value for c in population.values() for value in table.columns[c].values])
    section = Section("census.tables", array=True)
    section.add("path", where(table.path))
    section.add("layer", table.sheet)
    section.add("id", identifier, id_check)
    section.add("level", level.name if level else None)
    section.add("population", population, population_check)
    format_check = _format_check(found)
    section.add("thousands", found.thousands, format_check)
    section.add("decimal", found.decimal, None if found.thousands else format_check)
    return section


def draft_census(tables: list[Table], levels: list[LevelGuess], where: Callable) -> CensusDraft:
    """The census tables and crosswalks of the draft; ``where`` writes a path for the file."""
    draft = CensusDraft()
    for table in tables:
        name = table.path.name + (f" (sheet {table.sheet})" if table.sheet else "")
        columns = crosswalk_columns(table)
        if columns:
            draft.sections.append(_crosswalk_section(table, columns, levels, where))
            draft.summary.append(f"crosswalk {name} (written commented out)")
            continue
        section = _census_section(table, levels, where)
        if isinstance(section, str):
            draft.unused.append((table, section))
            continue
        draft.sections.append(section)
        entries = {entry.key: entry.value for entry in section.entries}
        draft.years.update(entries["population"])
        at = f" at {entries['level']}" if "level" in entries else ""
        years_found = ", ".join(str(year) for year in entries["population"])
        draft.summary.append(f"census {name}: {years_found}{at}")
    return draft
