"""Checks of the census tables: each table's columns, codes and counts
(:func:`check_census_table`), then what the tables say together once the crosswalks are
followed (:func:`check_census_figures`, in :mod:`observatory.checks.census_figures`).

Rows matching no unit are left out by ``compute`` (a national table may serve a region), so
their counts are not checked; they are one warning per table listing every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from observatory.census import (
    CensusFigures,
    UnitTree,
    census_figures,
    crosswalk_links,
    matched_rows,
)
from observatory.census_spec import CensusTable
from observatory.checks.census_figures import check_census_figures
from observatory.checks.counts import check_counts
from observatory.checks.crosswalk import check_crosswalk
from observatory.checks.describe import field_names
from observatory.checks.units import UnitLevel, check_codes
from observatory.io.tables import codes_as_text
from observatory.layers import Layers
from observatory.messages import _
from observatory.problems import Problem, has_errors


def check_census(
    layers: Layers,
    units: Mapping[str, UnitLevel],
    spatial_parents: Mapping[str, pd.Series] | None = None,
) -> tuple[list[Problem], CensusFigures | None]:
    """Every crosswalk and census table, then the figures they give together.

    ``spatial_parents`` gives the parent code of each unit of the levels whose parents were
    found spatially (:attr:`~observatory.checks.CheckedLayers.parent_ids`).

    Returns the problems, and the figures when the tables could be used (every table read
    with its columns, every crosswalk without error, every level with its codes).
    """
    spec = layers.project.census
    project_file = layers.project.file.name
    problems = []
    links = {}
    for walk in spec.crosswalks:
        if walk.key in layers.crosswalks:
            found = check_crosswalk(walk, layers.crosswalks[walk.key], project_file)
            problems += found
            if not has_errors(found):
                links[walk.key] = crosswalk_links(walk, layers.crosswalks[walk.key])
    for table in spec.tables:
        if table.key in layers.census:
            walks = {year: spec.crosswalk_for(year) for year in table.population}
            table_links = {
                year: links.get(walk.key) if walk else None for year, walk in walks.items()
            }
            problems += check_census_table(
                table, layers.census[table.key], units.get(table.level), table_links, project_file
            )
    names = [level.name for level in layers.project.units.levels]
    tree = unit_tree(units, names, spatial_parents or {})
    usable = len(links) == len(spec.crosswalks) and all(
        table.key in layers.census and _has_columns(table, layers.census[table.key])
        for table in spec.tables
    )
    if not usable or tree is None:
        return problems, None
    figures = census_figures(spec, layers.census, layers.crosswalks, tree)
    years = {year for year in layers.rasters.get("population", {}) if year is not None}
    problems += check_census_figures(figures, tree, units, years)
    return problems, figures


def _has_columns(table: CensusTable, frame: pd.DataFrame) -> bool:
    return all(column in frame.columns for column in (table.id, *table.population.values()))


def unit_tree(
    units: Mapping[str, UnitLevel], names: list[str], spatial_parents: Mapping[str, pd.Series]
) -> UnitTree | None:
    """The :class:`UnitTree` of the unit levels as read, with the parents found spatially
    where a level has no parent field (None when a level or its codes or parents could not
    be read)."""
    codes, parents = {}, {}
    for position, name in enumerate(names):
        level = units.get(name)
        found = spatial_parents.get(name)
        if level is None or level.codes is None:
            return None
        given = level.codes.notna().to_numpy()
        unique = pd.Index(level.codes[given]).drop_duplicates()
        codes[name] = unique
        if position and found is not None:
            parents[name] = found[~found.index.duplicated()]
        elif position and level.parents is None:
            return None
        elif position:
            by_code = pd.Series(
                level.parents[given].to_numpy(), index=level.codes[given].to_numpy()
            )
            parents[name] = by_code[~by_code.index.duplicated()]
    return UnitTree(codes, parents)


def check_census_table(
    table: CensusTable,
    frame: pd.DataFrame,
    units: UnitLevel | None,
    links: Mapping[int, pd.DataFrame | None],
    project_file: str,
) -> list[Problem]:
    """Columns, codes and counts of one census table.

    ``units`` is the level of the table (when it could be read) and ``links`` the crosswalk
    of each of its years (None: codes used as written); only the counts of the rows giving
    people to a unit are checked.
    """
    problems = []
    source = table.path.name
    columns = {"id": table.id} | {
        f"population.{year}": column for year, column in table.population.items()
    }
    missing = {key: column for key, column in columns.items() if column not in frame.columns}
    for key, column in missing.items():
        setting = f"{table.key}.{key}"
        problems.append(
            Problem(
                "error",
                table.key,
                _(
                    "column '{column}' ({key}) not found in {source}; its columns are: {columns}.",
                    column=column,
                    key=setting,
                    source=source,
                    columns=field_names(frame),
                ),
                _(
                    "set {key} in {file} to one of these column names.",
                    key=setting,
                    file=project_file,
                ),
            )
        )
    if table.id in missing.values():
        return problems
    codes = codes_as_text(frame[table.id])
    problems += check_codes(table.key, source, codes, table.id, what=_("rows"))
    known = units is not None and units.codes is not None
    for year, column in table.population.items():
        if column in missing.values():
            continue
        used = (
            matched_rows(table, frame, year, links.get(year), units.usable_codes)
            if known
            else pd.Series(True, index=codes.index).to_numpy()
        )
        problems += check_counts(
            table, frame[column][used], codes[used], column, year, project_file
        )
    return problems
