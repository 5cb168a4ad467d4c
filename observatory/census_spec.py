"""The ``[census]`` of a project file: the census tables as published and the crosswalks
that follow their codes, and :func:`read_census`, which checks that table of the document
(called by :func:`observatory.project.parse_project`; the schema is documented in
``docs/project-file.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from observatory.io.tables import DECIMAL_MARKS, THOUSANDS_SEPARATORS
from observatory.toml_reader import DOCS, TableReader, read_year, type_name

#: The keys of a census table, of ``[census]`` and of a crosswalk.
CENSUS_TABLE_KEYS = ("path", "level", "id", "population", "layer", "thousands", "decimal")
CENSUS_KEYS = (*CENSUS_TABLE_KEYS, "tables", "crosswalk")
_CROSSWALK_KEYS = ("path", "layer", "from", "to", "share", "years")


@dataclass(frozen=True)
class CensusTable:
    """One published census table: population counts by unit code, for one or more years.

    ``level`` is the level of ``[units]`` whose codes the table holds (the finest level when
    the project file does not say). ``layer`` is the sheet of an Excel workbook (the first
    sheet when omitted). ``thousands`` and ``decimal`` say how the counts are written
    (``"14,304"``: thousands ``","``); None when not declared (see
    :func:`observatory.io.tables.read_counts`). ``key`` is where the table is in the project
    file: ``census`` for the one-table form, ``census.tables[2]`` for the second of
    ``[[census.tables]]``; problems and messages name the table by it.
    """

    path: Path
    level: str
    id: str
    population: dict[int, str]
    layer: str | None = None
    thousands: str | None = None
    decimal: str | None = None
    key: str = "census"

    @property
    def section(self) -> str:
        """How a fix names the table to edit: ``[census]`` or ``census.tables[2]``."""
        return "[census]" if self.key == "census" else self.key


@dataclass(frozen=True)
class Crosswalk:
    """A ``[census.crosswalk]`` table: codes of the census tables → codes of the units.

    For the census ``years`` it applies to, each census row whose code is in the ``source``
    column (``from`` in the project file) is given to the unit codes of the ``target``
    column (``to``): one row is a renumbering, several ``from`` codes with one ``to`` a
    merger (people summed), one ``from`` code with several rows a split, whose ``share``
    column says the share of its people each ``to`` code receives. ``key`` is
    ``census.crosswalk`` (one table) or ``census.crosswalk[2]`` (an array of tables).
    """

    path: Path
    source: str
    target: str
    years: tuple[int, ...]
    share: str | None = None
    layer: str | None = None
    key: str = "census.crosswalk"


@dataclass(frozen=True)
class CensusSpec:
    """The ``[census]`` table: the census tables as published, and the crosswalks.

    The one-table form (``path``, ``id``, ``population``... directly in ``[census]``) is one
    :class:`CensusTable` with the key ``census``; ``[[census.tables]]`` gives several.
    """

    tables: tuple[CensusTable, ...]
    crosswalks: tuple[Crosswalk, ...] = ()

    @property
    def years(self) -> list[int]:
        """Every census year, sorted, whatever the table and level."""
        return sorted({year for table in self.tables for year in table.population})

    @property
    def paths(self) -> list[Path]:
        """The files of the tables and crosswalks, in the order of the project file."""
        return [table.path for table in self.tables] + [walk.path for walk in self.crosswalks]

    def crosswalk_for(self, year: int) -> Crosswalk | None:
        """The crosswalk that applies to ``year`` (None when codes are used as written)."""
        return next((walk for walk in self.crosswalks if year in walk.years), None)


def read_census(census: TableReader, level_names: list[str]) -> CensusSpec:
    """``[census]``: one table (its keys in ``[census]``) or ``[[census.tables]]``."""
    if "tables" in census.table:
        given = [name for name in CENSUS_TABLE_KEYS if name in census.table]
        if given:
            raise census.fail(
                census.key(given[0]),
                "with [[census.tables]], each table gives its own keys; move this key into "
                f"the tables (see {DOCS}).",
            )
        raw_tables = census.get("tables", list, required=True)
        if not raw_tables:
            raise census.fail(census.key("tables"), "give at least one table.")
        tables = tuple(
            _read_census_table(
                _entry(census, "tables", position, raw, CENSUS_TABLE_KEYS), level_names
            )
            for position, raw in enumerate(raw_tables, start=1)
        )
    else:
        tables = (_read_census_table(census, level_names),)
    years = sorted({year for table in tables for year in table.population})
    return CensusSpec(tables=tables, crosswalks=_read_crosswalks(census, years))


def _entry(
    parent: TableReader, name: str, position: int | None, raw: Any, allowed: tuple[str, ...]
) -> TableReader:
    """The reader of ``parent.name`` (a table), or of its ``position``-th entry (an array)."""
    key = parent.key(name) if position is None else f"{parent.key(name)}[{position}]"
    if not isinstance(raw, dict):
        raise parent.fail(key, f"expected a table, got {type_name((type(raw),))} {raw!r}.")
    return TableReader(parent.file, raw, key, allowed)


def _read_census_table(census: TableReader, level_names: list[str]) -> CensusTable:
    level = census.text("level", required=False) or level_names[-1]
    if level not in level_names:
        raise census.fail(
            census.key("level"),
            f"'{level}' is not a level of [units]; use one of {', '.join(level_names)}.",
        )
    example = '{ 2024 = "population_2024" }'
    value = census.get("population", dict, required=True, example=f"population = {example}")
    columns = TableReader(census.file, value, census.key("population"), tuple(value))
    population = {
        read_year(columns, name): columns.text(name, required=True) for name in sorted(value)
    }
    if not population:
        raise census.fail(census.key("population"), f"empty table; write {example}.")
    thousands, decimal = _number_format(census)
    return CensusTable(
        path=census.path("path", example='path = "census.csv"'),
        level=level,
        id=census.text("id", required=True, example='id = "code"'),
        population=population,
        layer=census.text("layer", required=False),
        thousands=thousands,
        decimal=decimal,
        key=census.prefix,
    )


def _read_crosswalks(census: TableReader, years: list[int]) -> tuple[Crosswalk, ...]:
    """``[census.crosswalk]`` (one table) or ``[[census.crosswalk]]`` (several).

    Each applies to census years of its own.
    """
    raw = census.get("crosswalk", (dict, list), required=False)
    if raw is None:
        return ()
    entries = [(None, raw)] if isinstance(raw, dict) else list(enumerate(raw, start=1))
    crosswalks: list[Crosswalk] = []
    for position, entry in entries:
        reader = _entry(census, "crosswalk", position, entry, _CROSSWALK_KEYS)
        walk = Crosswalk(
            path=reader.path("path", example='path = "crosswalk.csv"'),
            source=reader.text("from", required=True, example='from = "code_2018"'),
            target=reader.text("to", required=True, example='to = "code_2019"'),
            years=_crosswalk_years(reader, years),
            share=reader.text("share", required=False),
            layer=reader.text("layer", required=False),
            key=reader.prefix,
        )
        for year in walk.years:
            other = next((done for done in crosswalks if year in done.years), None)
            if other is not None:
                raise reader.fail(
                    reader.key("years"),
                    f"{year} is already followed by {other.key}; give one crosswalk per "
                    "census year (join the two tables into one, from the codes of the census "
                    "to the codes of the units).",
                )
        crosswalks.append(walk)
    return tuple(crosswalks)


def _crosswalk_years(crosswalk: TableReader, census_years: list[int]) -> tuple[int, ...]:
    """``years = [2018]``: census years of the tables, at least one."""
    known = ", ".join(str(year) for year in census_years)
    value = crosswalk.get("years", list, required=True, example=f"years = [{census_years[0]}]")
    if not value or not all(isinstance(year, int) and not isinstance(year, bool) for year in value):
        raise crosswalk.fail(
            crosswalk.key("years"),
            f"give the census years the crosswalk applies to, e.g. years = [{census_years[0]}].",
        )
    for year in value:
        if year not in census_years:
            raise crosswalk.fail(
                crosswalk.key("years"),
                f"{year} is not a year of the census tables ({known}).",
            )
    return tuple(sorted(set(value)))


def _number_format(census: TableReader) -> tuple[str | None, str | None]:
    """``thousands`` and ``decimal`` of a census table: known characters, not the same one."""
    choices = {"thousands": THOUSANDS_SEPARATORS, "decimal": DECIMAL_MARKS}
    values = {}
    for name, allowed in choices.items():
        value = census.get(name, str, required=False)
        if value is not None:
            value = " " if value in ("\u00a0", "\u202f") else value
            if value not in allowed:
                shown = ", ".join(f'"{mark}"' for mark in allowed)
                raise census.fail(
                    census.key(name), f'"{value}" is not one of {shown} (see {DOCS}).'
                )
        values[name] = value
    if values["thousands"] is not None and values["thousands"] == values["decimal"]:
        raise census.fail(
            census.key("decimal"),
            f'"{values["decimal"]}" is also {census.key("thousands")}; a number cannot use one '
            'character for both (e.g. thousands = "." and decimal = ",").',
        )
    return values["thousands"], values["decimal"]
