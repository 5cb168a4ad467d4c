"""The ``[census]`` of a project file, as checked: the census tables as published and the
crosswalks that follow their codes (read by :func:`observatory.project.load_project`;
the schema is documented in ``docs/project-file.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
