"""Plausibility warnings: figures that can be right, but are more often a mistake (a count
read in thousands, a census of another territory, a raster of another year or place, a
facility layer much thinner than the population it serves).

Each names the units or files concerned; none stops a run. The thresholds are documented in
``docs/project-file.md``.
"""

from __future__ import annotations

import itertools
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from observatory.census import CensusFigures
from observatory.checks.describe import examples
from observatory.checks.extent import UnitsExtent
from observatory.checks.raster_values import UNREADABLE_CELLS, raster_summary
from observatory.layers import Layers, raster_name
from observatory.messages import Text, _, ngettext
from observatory.problems import Problem
from observatory.reasons import N_

#: A unit whose population is multiplied or divided by more than this between two census
#: years is reported.
CHANGE_FACTOR = 3.0
#: A unit whose population grows or falls faster than this (compound, per year) is reported.
ANNUAL_GROWTH = 0.10
#: A population raster whose total over the units differs from the census total by more
#: than this share is reported.
RASTER_TOTAL_TOLERANCE = 0.20
#: Units of fewer people are not reported for a thin layer (a village without a school may
#: be right).
THIN_MIN_POPULATION = 5_000.0
#: A unit with fewer features per 10,000 people than this share of the territory's median
#: is reported.
THIN_SHARE_OF_MEDIAN = 0.25
#: The facility layers checked for thinness, and what one of their features is.
THIN_ROLES = {
    "schools": (N_("school"), N_("schools")),
    "health": (N_("health facility"), N_("health facilities")),
    "transit_stops": (N_("public transport stop"), N_("public transport stops")),
}


def census_totals(figures: CensusFigures) -> dict[int, float]:
    """The census total of every year over the units of its level, for the years every
    unit has a figure (a total missing some units would be compared with the raster's)."""
    totals = {}
    for year, level in figures.year_levels.items():
        counts = figures.levels[level][year]
        if counts.notna().all():
            totals[year] = float(counts.sum())
    return totals


def check_census_changes(figures: CensusFigures) -> list[Problem]:
    """Units whose population changes by more than :data:`CHANGE_FACTOR`, or faster than
    :data:`ANNUAL_GROWTH` a year, between two consecutive census years of their level."""
    problems = []
    for level, tables in _tables_by_level(figures).items():
        source = ", ".join(dict.fromkeys(table.path.name for table in tables))
        keys = ", ".join(
            f"{key}.thousands, {key}.decimal" for key in dict.fromkeys(t.key for t in tables)
        )
        problems += _changes(source, keys, figures.at_level(level))
    return problems


def _tables_by_level(figures: CensusFigures) -> dict[str, list]:
    """The tables giving the years of each level that has two years or more."""
    return {
        level: [table for year in years for table in figures.sources[level, year]]
        for level in figures.levels
        if len(years := figures.years_at(level)) > 1
    }


def _changes(source: str, keys: str, counts: pd.DataFrame) -> list[Problem]:
    problems = []
    years = sorted(counts.columns)
    for start, end in itertools.pairwise(years):
        before, after = counts[start].to_numpy(), counts[end].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = after / before
            factor = np.where(ratio < 1, 1 / ratio, ratio)
            growth = ratio ** (1 / (end - start)) - 1
        known = ~(np.isnan(before) | np.isnan(after))
        jumps = known & ((factor > CHANGE_FACTOR) | ((before == 0) != (after == 0)))
        fast = known & ~jumps & (np.abs(growth) > ANNUAL_GROWTH)
        period = f"{start}→{end}"
        if jumps.any():
            listed = _listed(counts.index, before, after, jumps)
            problems.append(
                _warning(
                    source,
                    ngettext(
                        "{count} unit changes population by more than a factor {factor:g} from "
                        "{period}: {listed}.",
                        "{count} units change population by more than a factor {factor:g} from "
                        "{period}: {listed}.",
                        int(jumps.sum()),
                        count=int(jumps.sum()),
                        factor=CHANGE_FACTOR,
                        period=period,
                        listed=listed,
                    ),
                    _(
                        "check these counts and the keys {keys} (a count read in thousands is "
                        "1,000 times too small), and that both columns are of the same "
                        "territory.",
                        keys=keys,
                    ),
                )
            )
        if fast.any():
            problems.append(
                _warning(
                    source,
                    ngettext(
                        "{count} unit grows or shrinks by more than {percent:g} % a year from "
                        "{period}: {listed}.",
                        "{count} units grow or shrink by more than {percent:g} % a year from "
                        "{period}: {listed}.",
                        int(fast.sum()),
                        count=int(fast.sum()),
                        percent=100 * ANNUAL_GROWTH,
                        period=period,
                        listed=_listed(counts.index, before, after, fast),
                    ),
                    _(
                        "check these counts in the census source (boundary changes and mergers "
                        "also do this: follow them with [census.crosswalk])."
                    ),
                )
            )
    return problems


def _listed(codes: pd.Index, before: np.ndarray, after: np.ndarray, mask: np.ndarray) -> str:
    rows = zip(codes[mask], before[mask], after[mask], strict=True)
    changes = [
        Text("{code} {before:,.0f} → {after:,.0f}", code=repr(code), before=a, after=b)
        for code, a, b in rows
    ]
    return examples(changes, quote=False)


def _warning(source: str, message: str, fix: str) -> Problem:
    return Problem(
        "warning", "census", Text("{source}: {message}", source=source, message=message), fix
    )


def check_population_totals(
    layers: Layers, totals: dict[int, float], extent: UnitsExtent
) -> list[Problem]:
    """Population rasters whose total over the units is far from the census total of the
    same year (more than :data:`RASTER_TOTAL_TOLERANCE`; ``totals`` from
    :func:`census_totals`)."""
    problems = []
    for year, layer in layers.rasters.get("population", {}).items():
        if year not in totals:
            continue
        census = totals[year]
        grid = layer.raster.grid
        if census <= 0 or grid.crs is None or extent.blocked(grid) is None:
            continue
        try:
            total = raster_summary(layer.raster, extent).total
        except UNREADABLE_CELLS:  # reported by the checks of the raster
            continue
        if math.isfinite(total) and abs(total / census - 1) > RASTER_TOTAL_TOLERANCE:
            name = raster_name("population", year)
            path = layers.project.rasters["population"][year]
            difference = format(100 * (total / census - 1), "+.0f")
            problems.append(
                Problem(
                    "warning",
                    name,
                    _(
                        "{file} holds {total:,.0f} people over the units, the census "
                        "{census:,.0f} in {year} ({difference} %).",
                        file=path.name,
                        total=total,
                        census=census,
                        year=str(year),
                        difference=difference,
                    ),
                    _(
                        "check that the raster is of that year and territory and in people per "
                        "cell; the census counts are used where they exist, the raster shares "
                        "them among cells."
                    ),
                )
            )
    return problems


def thin_layer_problems(
    role: str,
    features: gpd.GeoSeries,
    units: gpd.GeoSeries,
    population: pd.Series,
    *,
    level: str,
    source: str,
) -> list[Problem]:
    """Units where a facility layer is much thinner than their population implies.

    Two warnings, each naming the units (:data:`THIN_MIN_POPULATION` people or more only,
    since a hamlet without a school may be right):

    - units with no feature of the layer inside;
    - units with features, but fewer per 10,000 people than :data:`THIN_SHARE_OF_MEDIAN` of
      the median over those units (a school for 40,000 people where the territory has one
      for 4,000).

    Parameters
    ----------
    role : str
        The layer's role (``schools``, ``health``, ``transit_stops``).
    features, units : geopandas.GeoSeries
        The layer's features and the units (indexed by code), each with its CRS.
    population : pandas.Series
        People per unit code (the latest census year).
    level, source : str
        The units' level and the layer's file and layer name, for the messages.
    """
    populous = population[population >= THIN_MIN_POPULATION].dropna()
    zones = units[units.index.isin(populous.index)]
    if zones.empty or features.crs is None or zones.crs is None:
        return []
    points = features.to_crs(zones.crs).geometry.values
    hits = shapely.STRtree(zones.values).query(points, predicate="intersects")[1]
    counts = pd.Series(np.bincount(hits, minlength=len(zones)), index=zones.index)
    people = populous.reindex(zones.index)
    problems = _units_without(role, counts, people, level, source)
    return problems + _units_far_below(role, counts, people, level, source)


def _units_without(
    role: str, counts: pd.Series, people: pd.Series, level: str, source: str
) -> list[Problem]:
    """The warning of populous units with no feature of the layer (none when there is none)."""
    label = THIN_ROLES[role][0]
    problems = []
    empty = counts.index[counts == 0]
    if len(empty):
        listed = examples(
            [_("{code} ({people:,.0f} people)", code=c, people=people[c]) for c in empty],
            quote=False,
        )
        problems.append(
            Problem(
                "warning",
                f"layers.{role}",
                ngettext(
                    "{source}: {count} {level} unit of {minimum:,.0f} people or more has no "
                    "{feature}: {listed}.",
                    "{source}: {count} {level} units of {minimum:,.0f} people or more have no "
                    "{feature}: {listed}.",
                    len(empty),
                    source=source,
                    count=len(empty),
                    level=level,
                    minimum=THIN_MIN_POPULATION,
                    feature=_(label),
                    listed=listed,
                ),
                _(
                    "check that the layer covers the whole territory (OpenStreetMap is often "
                    "incomplete): a {feature} missing from it is missing from the access "
                    "indicators.",
                    feature=_(label),
                ),
            )
        )
    return problems


def _units_far_below(
    role: str, counts: pd.Series, people: pd.Series, level: str, source: str
) -> list[Problem]:
    """The warning of units far below the median number of features per 10,000 people."""
    labels = THIN_ROLES[role][1]
    problems = []
    rate = 10_000 * counts / people
    median = float(rate[counts > 0].median()) if (counts > 0).any() else 0.0
    thin = rate.index[(counts > 0) & (rate < THIN_SHARE_OF_MEDIAN * median)]
    if len(thin):
        listed = examples(
            [
                _(
                    "{code} ({count} for {people:,.0f} people)",
                    code=c,
                    count=int(counts[c]),
                    people=people[c],
                )
                for c in thin
            ],
            quote=False,
        )
        problems.append(
            Problem(
                "warning",
                f"layers.{role}",
                ngettext(
                    "{source}: {count} {level} unit has less than {share:g} % of the median "
                    "{median:.2g} {features} per 10,000 people of the territory: {listed}.",
                    "{source}: {count} {level} units have less than {share:g} % of the median "
                    "{median:.2g} {features} per 10,000 people of the territory: {listed}.",
                    len(thin),
                    source=source,
                    count=len(thin),
                    level=level,
                    share=100 * THIN_SHARE_OF_MEDIAN,
                    median=median,
                    features=_(labels),
                    listed=listed,
                ),
                _(
                    "check that the layer is complete there; if it is, these units are indeed "
                    "under-served."
                ),
            )
        )
    return problems
