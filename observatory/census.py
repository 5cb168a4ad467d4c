"""Census figures as used: every table of ``[census]``, its codes followed through the
crosswalk of its year and matched with the units of its level (:func:`census_figures`).

The rules (documented in ``docs/project-file.md``, *Several tables, crosswalks*):

- each table gives counts by code for its years at its level, read as it declares
  (:func:`observatory.io.tables.counts_as_numbers`);
- for a year with a crosswalk, a row whose code is a ``from`` code gives its people to the
  ``to`` codes (times the share; all of them without one) and other codes stay as written;
  what a unit receives is summed (a merger);
- a row whose code (after the crosswalk) is no unit of its level is *unmatched*: left out
  and listed in full, never dropped silently;
- two tables giving one unit and year: different figures are a *conflict*, the same
  figure an *overlap*;
- a unit without a figure for a year has none (NaN, never 0), and neither has any sum
  that would include it (:meth:`UnitTree.roll_up`).

A year's *level* is the finest level with a table for that year; tables of coarser levels
for the same year are compared with the sums of that level (conservation), not used.

The checks (:mod:`observatory.checks.census`) and the engine both call
:func:`census_figures`, so ``validate`` and ``compute`` see the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from observatory.census_spec import CensusSpec, CensusTable, Crosswalk
from observatory.io.tables import codes_as_text, counts_as_numbers, shares_as_numbers
from observatory.reasons import COARSER_WITHOUT_CENSUS, NO_CENSUS_FIGURE, SOME_UNITS_WITHOUT_CENSUS

#: Two figures of one unit and year that differ by no more than this are the same.
SAME_FIGURE = 1e-6


@dataclass(frozen=True)
class UnitTree:
    """The codes of the units of every level and the parent of each, coarsest level first.

    ``codes`` maps a level to its unit codes (in the order of its layer), ``parents`` a
    level (all but the first) to the parent code of each of its units (index: unit codes).
    """

    codes: dict[str, pd.Index]
    parents: dict[str, pd.Series]

    @property
    def names(self) -> list[str]:
        """The level names, coarsest first."""
        return list(self.codes)

    def finer(self, level: str, than: str) -> bool:
        """True when ``level`` is finer than ``than``."""
        return self.names.index(level) > self.names.index(than)

    def ancestors(self, level: str, at: str) -> pd.Series:
        """The code of the unit of the coarser level ``at`` holding each unit of ``level``."""
        codes = pd.Series(self.codes[level], index=self.codes[level])
        for name in reversed(self.names[self.names.index(at) + 1 : self.names.index(level) + 1]):
            codes = codes.map(self.parents[name])
        return codes

    def roll_up(self, frame: pd.DataFrame, level: str, to: str) -> pd.DataFrame:
        """``frame`` (indexed by units of ``level``) summed into the units of ``to``.

        A unit of ``to`` is NaN in a column when any of its units is, or when it has none.
        """
        if level == to:
            return frame.reindex(self.codes[to])
        groups = self.ancestors(level, to).reindex(frame.index)
        summed = frame.groupby(groups).sum()
        summed = summed.mask(frame.isna().groupby(groups).any())
        return summed.reindex(self.codes[to])


@dataclass(frozen=True)
class Conflict:
    """One unit and year given by two tables (after the crosswalk)."""

    level: str
    year: int
    code: str
    first: CensusTable
    first_people: float
    second: CensusTable
    second_people: float


@dataclass
class CensusFigures:
    """What the census tables say, unit by unit and year.

    Attributes
    ----------
    levels : dict
        Level → DataFrame of its units (every unit, in layer order) × the years given at
        that level; NaN where a unit has no figure.
    year_levels : dict
        Year → its level: the finest level with a table for the year.
    sources : dict
        ``(level, year)`` → the tables giving it.
    unmatched : pandas.DataFrame
        Rows matching no unit: ``table`` (key), ``file``, ``year``, ``written`` (the code
        as written) and ``code`` (after the crosswalk).
    conflicts, overlaps : list of Conflict
        Units and years given by two tables, with different figures or the same.
    absorbed : list of tuple
        ``(table, year, code, from codes)``: a code given by a table that also receives
        other codes of the same table through the crosswalk (their people are summed).
    """

    levels: dict[str, pd.DataFrame] = field(default_factory=dict)
    year_levels: dict[int, str] = field(default_factory=dict)
    sources: dict[tuple[str, int], list[CensusTable]] = field(default_factory=dict)
    unmatched: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["table", "file", "year", "written", "code"])
    )
    conflicts: list[Conflict] = field(default_factory=list)
    overlaps: list[Conflict] = field(default_factory=list)
    absorbed: list[tuple[CensusTable, int, str, list[str]]] = field(default_factory=list)

    def years_at(self, level: str) -> list[int]:
        """The census years whose level is ``level``."""
        return sorted(year for year, at in self.year_levels.items() if at == level)

    def at_level(self, level: str) -> pd.DataFrame:
        """The figures of the years whose level is ``level``, for every unit of it."""
        return self.levels[level][self.years_at(level)]

    def on(self, tree: UnitTree, level: str) -> pd.DataFrame:
        """Every year known for the units of ``level``: its own years, and those of finer
        levels summed into it (NaN where a unit misses one of its units' figures)."""
        frames = [
            tree.roll_up(self.at_level(at), at, level)
            for at in dict.fromkeys(self.year_levels.values())
            if at == level or tree.finer(at, level)
        ]
        if not frames:
            return pd.DataFrame(index=tree.codes[level])
        combined = pd.concat(frames, axis=1)
        return combined[sorted(combined.columns)]

    def missing(self, tree: UnitTree, level: str, years) -> pd.Series:
        """Why each unit of ``level`` has no census figure for ``years`` ("" when it has).

        A unit of the year's level has none (``no census 2014 figure``); a coarser unit
        misses some of its units' (``no census 2014 figure for 2 of its 14 commune units``);
        a finer unit (a year shared by the raster) its coarser unit's.
        """
        reasons = pd.Series("", index=tree.codes[level], dtype=object)
        for year in years:
            at = self.year_levels.get(year)
            lacking = self.levels[at][year].isna() if at else None
            if lacking is None or not lacking.any():
                continue
            if at == level:
                text = pd.Series(
                    np.where(lacking, NO_CENSUS_FIGURE.format(year=year), ""), index=lacking.index
                )
            elif tree.finer(at, level):
                groups = tree.ancestors(at, level)
                count = lacking.groupby(groups).agg(["sum", "size"]).reindex(reasons.index)
                text = pd.Series(
                    [
                        SOME_UNITS_WITHOUT_CENSUS.format(
                            year=year, missing=int(some), units=int(size), level=at
                        )
                        if some > 0
                        else ""
                        for some, size in zip(
                            count["sum"].fillna(0), count["size"].fillna(0), strict=True
                        )
                    ],
                    index=count.index,
                    dtype=object,
                )
            else:
                above = tree.ancestors(level, at)
                text = pd.Series(
                    [
                        COARSER_WITHOUT_CENSUS.format(year=year, level=at, code=code)
                        for code in above.fillna("")
                    ],
                    index=above.index,
                    dtype=object,
                ).where(above.map(lacking).fillna(False).astype(bool), "")
            text = text.reindex(reasons.index).fillna("")
            reasons = reasons.where(text == "", reasons.where(reasons == "", reasons + "; ") + text)
        return reasons


def crosswalk_links(walk: Crosswalk, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a crosswalk: ``source`` and ``target`` codes (text) and ``share``.

    An empty share (or no share column) is 1: all the people of the code.
    """
    shares = shares_as_numbers(frame[walk.share]) if walk.share else np.ones(len(frame))
    links = pd.DataFrame(
        {
            "source": codes_as_text(frame[walk.source]).to_numpy(),
            "target": codes_as_text(frame[walk.target]).to_numpy(),
            "share": np.nan_to_num(shares, nan=1.0),
        }
    )
    return links.dropna(subset=["source", "target"])


def follow(written: pd.Series, people: np.ndarray, links: pd.DataFrame | None) -> pd.DataFrame:
    """Census rows after the crosswalk ``links`` (None: codes as written).

    Returns one row per census row and ``to`` code: ``written``, ``code``, ``people`` (its
    share of the row) and ``followed`` (True when the code came from the crosswalk). Rows
    without a code are left out.
    """
    rows = pd.DataFrame({"written": written.to_numpy(), "people": people})
    rows = rows.dropna(subset=["written"])
    if links is None:
        return rows.assign(code=rows["written"], followed=False)
    joined = rows.merge(links, how="left", left_on="written", right_on="source")
    followed = joined["source"].notna()
    return pd.DataFrame(
        {
            "written": joined["written"],
            "code": joined["target"].where(followed, joined["written"]),
            "people": joined["people"] * joined["share"].where(followed, 1.0),
            "followed": followed,
        }
    )


def matched_rows(table: CensusTable, frame: pd.DataFrame, year: int, links, units) -> np.ndarray:
    """Which rows of ``table`` give people of ``year`` to a unit (after the crosswalk)."""
    codes = codes_as_text(frame[table.id])
    if links is None:
        return codes.isin(units).to_numpy()
    targets = links.loc[links["target"].isin(units), "source"]
    return (codes.isin(units) & ~codes.isin(links["source"]) | codes.isin(targets)).to_numpy()


class _Assembly:
    """Builds :class:`CensusFigures`, table by table and year by year."""

    def __init__(self, tree: UnitTree) -> None:
        self.tree = tree
        self.figures = CensusFigures()
        self.given: dict[tuple[str, int], list[tuple[CensusTable, pd.Series]]] = {}
        self.unmatched: list[pd.DataFrame] = []

    def add(self, table: CensusTable, frame: pd.DataFrame, year: int, links) -> None:
        people = counts_as_numbers(
            frame[table.population[year]], thousands=table.thousands, decimal=table.decimal
        )
        rows = follow(codes_as_text(frame[table.id]), people, links)
        known = rows["code"].isin(self.tree.codes[table.level])
        matched = rows[known]
        by_code = matched.groupby("code", sort=False)
        totals = (
            by_code["people"].sum().mask(matched["people"].isna().groupby(matched["code"]).any())
        )
        followed = by_code["followed"].agg(["any", "all"])
        for code in followed.index[followed["any"] & ~followed["all"]]:
            sources = matched.loc[(matched["code"] == code) & matched["followed"], "written"]
            self.figures.absorbed.append((table, year, code, sorted(sources)))
        self.given.setdefault((table.level, year), []).append((table, totals))
        lost = rows.loc[~known, ["written", "code"]].drop_duplicates()
        self.unmatched.append(
            lost.assign(table=table.key, file=table.path.name, year=year)[
                ["table", "file", "year", "written", "code"]
            ]
        )

    def combine(self, level: str, year: int) -> pd.Series:
        """The figures of every table giving ``level`` and ``year``, and their conflicts."""
        origin: dict[str, tuple[CensusTable, float]] = {}
        for table, totals in self.given[level, year]:
            for code, people in totals.items():
                if code not in origin:
                    origin[code] = (table, people)
                    continue
                first, first_people = origin[code]
                pair = Conflict(level, year, code, first, first_people, table, people)
                same = abs(first_people - people) <= SAME_FIGURE
                (self.figures.overlaps if same else self.figures.conflicts).append(pair)
        self.figures.sources[level, year] = [table for table, _ in self.given[level, year]]
        return pd.Series({code: people for code, (_, people) in origin.items()}, dtype="float64")

    def result(self) -> CensusFigures:
        figures = self.figures
        by_level: dict[str, dict[int, pd.Series]] = {}
        for level, year in sorted(self.given, key=lambda key: (key[1], key[0])):
            by_level.setdefault(level, {})[year] = self.combine(level, year)
            current = figures.year_levels.get(year)
            if current is None or self.tree.finer(level, current):
                figures.year_levels[year] = level
        for level in self.tree.names:
            if level in by_level:
                years = by_level[level]
                figures.levels[level] = pd.DataFrame(
                    {year: years[year].reindex(self.tree.codes[level]) for year in sorted(years)},
                    index=self.tree.codes[level],
                )
        figures.year_levels = dict(sorted(figures.year_levels.items()))
        lost = [frame for frame in self.unmatched if not frame.empty]
        if lost:
            figures.unmatched = pd.concat(lost, ignore_index=True)
        return figures


def census_figures(
    spec: CensusSpec,
    tables: Mapping[str, pd.DataFrame],
    crosswalks: Mapping[str, pd.DataFrame],
    tree: UnitTree,
) -> CensusFigures:
    """The figures of every census table, after the crosswalks, by level, unit and year.

    Parameters
    ----------
    spec : CensusSpec
        The ``[census]`` of the project.
    tables, crosswalks : mapping
        Table (crosswalk) key → the table as read; checked (columns present, codes and
        counts of the rows used readable), as :func:`observatory.checks.check_layers` does.
    tree : UnitTree
        The units of every level.
    """
    links = {
        walk.key: crosswalk_links(walk, crosswalks[walk.key])
        for walk in spec.crosswalks
        if walk.key in crosswalks
    }
    assembly = _Assembly(tree)
    for table in spec.tables:
        if table.key not in tables:
            continue
        for year in table.population:
            walk = spec.crosswalk_for(year)
            assembly.add(table, tables[table.key], year, links.get(walk.key) if walk else None)
    return assembly.result()


def census_provenance(figures: CensusFigures) -> dict:
    """What a run's ``provenance.json`` records of the census: the level of each year,
    every census row that matched no unit, and every unit without a figure."""
    lacking = []
    for level, frame in figures.levels.items():
        years = figures.years_at(level)
        missing = frame[years].isna()
        for code in frame.index[missing.any(axis=1)]:
            absent = [year for year in years if missing.at[code, year]]
            lacking.append({"level": level, "unit_id": code, "years": absent})
    unmatched = figures.unmatched.astype({"year": int}).to_dict(orient="records")
    return {
        "year_levels": {str(year): level for year, level in figures.year_levels.items()},
        "codes_not_matched": unmatched,
        "units_without_figure": lacking,
    }
