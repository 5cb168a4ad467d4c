"""Territories side by side: one table, ranks across the pooled units, and the notes.

:func:`compare_territories` puts the results of several runs (each a results folder read
back by :func:`observatory.io.published.read_published`) in one table: the units of the
level chosen in each territory in rows, the indicators computed in every territory in
columns, aligned on the indicator id and period, and a rank per indicator across the pooled
units. Beside the figures it lists what makes them not comparable as they stand, found in
the provenance of the runs: other years, other grids, other population sources, other
parameters (distance mode, Degree of Urbanisation rule set, thresholds), other units of
measure, values not published or partly covered, other versions of Observatory and units
of very different sizes.

Ranks: rank 1 is the highest value, whatever the indicator; tied values share the lowest
rank of their group (``min``: 1, 2, 2, 4); a unit without a value has no rank; class
indicators (Degree of Urbanisation) are not ranked. An indicator is ranked on the latest
period every territory has; when there is none, on each territory's latest period, and the
note says that the periods differ. The latest period is the one ending last and, of those, the
longest (:func:`~observatory.indicators.registry.period_order`): with years 2018, 2019 and 2020
it is the whole span 2018_2020, not the one-year 2019_2020.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from observatory.errors import ParameterError
from observatory.indicators.registry import Indicator, catalogue, get_indicator, period_order
from observatory.kernels.zonal import equal_area_km2

RANK_METHOD = "min"
#: The raster each input role of an indicator is read from.
NEED_RASTERS = {"population_grid": "population", "built_up": "built_up", "pm25": "pm25"}
#: Indicators whose base is the land area of their units (unit area minus the water of the
#: land grid), so that the land grid matters.
LAND_AREA_INDICATORS = ("population_density", "built_up_share")
#: The grid of a raster the project does not have.
NO_RASTER = "no raster"
#: Median unit areas further apart than this factor are flagged (modifiable areal unit problem).
UNIT_SIZE_FACTOR = 2.0
#: A value is partly covered when the rasters cover less than this share of its unit.
FULL_COVERAGE = 0.99
#: The columns that name a unit in the side-by-side table.
UNIT_COLUMNS = ("territory", "level", "unit_id", "unit_name")


@dataclass(frozen=True)
class Territory:
    """One results folder of a comparison.

    Attributes
    ----------
    published : PublishedResults
        The results folder read back.
    name : str
        The name it is shown by: the project's name (with the folder's when two share it).
    level : str
        The level of its units in the comparison.
    """

    published: Any
    name: str
    level: str

    def rows(self) -> pd.DataFrame:
        """The long table's rows of :attr:`level`."""
        long = self.published.long
        return long[long["level"] == self.level]


@dataclass(frozen=True)
class Difference:
    """One reason why figures are not comparable as they stand, as data.

    Attributes
    ----------
    kind : str
        ``periods`` (latest periods), ``grid`` (CRS or cell size of a raster),
        ``population_source`` (census or population raster), ``parameter``, ``unit`` (of
        measure), ``flags`` (values not published), ``coverage`` (units partly covered by
        the rasters), ``version`` (of Observatory) or ``unit_size`` (median unit area).
    values : tuple of (str, object)
        (territory name, its value) for each territory concerned: a period; a grid
        ``{crs, crs_unit, cell_size}``, :data:`NO_RASTER` or None (not recorded); a
        source; a parameter's value (None when not set); a unit; (units flagged, units)
        for ``flags`` and ``coverage``; a version; (median km², level) for ``unit_size``.
    subject : str
        The raster role of a ``grid``, the name of a ``parameter``; empty otherwise.
    """

    kind: str
    values: tuple[tuple[str, Any], ...]
    subject: str = ""


@dataclass(frozen=True)
class IndicatorComparison:
    """One indicator computed in every territory of a comparison.

    Attributes
    ----------
    spec : Indicator
        The indicator.
    periods : dict of str to list of str
        Territory name → its periods of the indicator at its level, oldest first.
    differences : tuple of Difference
        What makes its figures not comparable (empty: nothing found).
    """

    spec: Indicator
    periods: dict[str, list[str]]
    differences: tuple[Difference, ...]

    @property
    def shared(self) -> list[str]:
        """The periods every territory has, oldest first."""
        common = set.intersection(*(set(p) for p in self.periods.values()))
        return sorted(common)

    @property
    def latest(self) -> dict[str, str]:
        """Territory name → its latest period."""
        return {name: periods[-1] for name, periods in self.periods.items()}

    @property
    def latest_differ(self) -> bool:
        """Whether the territories' latest periods differ."""
        return len(set(self.latest.values())) > 1

    @property
    def ranked_on(self) -> str | None:
        """The period the ranks are on; None: each territory's latest period."""
        return self.shared[-1] if self.shared else None

    @property
    def ranked(self) -> bool:
        """Whether the indicator is ranked (class indicators are not)."""
        return self.spec.kind != "class"


@dataclass(frozen=True)
class Comparison:
    """Territories side by side.

    Attributes
    ----------
    territories : tuple of Territory
        In the order given.
    table : pandas.DataFrame
        The side-by-side table: :data:`UNIT_COLUMNS`, then for each indicator its value per
        shared period (``<id>_<period>``), each territory's latest value and period when
        they differ (``<id>_latest``, ``<id>_latest_period``) and its rank (``<id>_rank``).
    indicators : tuple of IndicatorComparison
        The indicators computed in every territory, in catalogue order.
    partial : dict of str to tuple of str
        Indicator id → the territories that computed it, for those not computed in all.
    general : tuple of Difference
        What concerns every indicator (versions, unit sizes).
    unit_areas : dict of str to float
        Territory name → the median area of its units in km² (geodesic).
    """

    territories: tuple[Territory, ...]
    table: pd.DataFrame
    indicators: tuple[IndicatorComparison, ...]
    partial: dict[str, tuple[str, ...]]
    general: tuple[Difference, ...]
    unit_areas: dict[str, float]


def value_column(indicator_id: str, period: str) -> str:
    """Column of the side-by-side table holding ``indicator_id`` in ``period``."""
    return f"{indicator_id}_{period}"


def territories_of(published: list, levels: tuple[str, ...] | list[str] = ()) -> list[Territory]:
    """The territories of a comparison: a unique name and a level for each results folder.

    Parameters
    ----------
    published : list of PublishedResults
        The results folders, read back.
    levels : sequence of str
        No level: each territory's coarsest; one: the same level everywhere; one per
        results folder: in their order.

    Raises
    ------
    ParameterError
        If a folder is given twice, the number of levels is neither 0, 1 nor the number
        of folders, or a results folder has no such level.
    """
    folders = [p.folder.resolve() for p in published]
    repeated = next((f for f in folders if folders.count(f) > 1), None)
    if repeated is not None:
        raise ParameterError(
            f"{repeated} is given twice; give each results folder once (use --unit to "
            "compare units within one territory)."
        )
    if len(levels) not in (0, 1, len(published)):
        raise ParameterError(
            f"--level is given {len(levels)} times for {len(published)} results folders; "
            "give it once (the same level everywhere) or once per results folder, in order."
        )
    if len(levels) == len(published):
        chosen = list(levels)
    else:
        chosen = [levels[0] if levels else None] * len(published)
    names = [p.name for p in published]
    territories = []
    for results, level, name in zip(published, chosen, names, strict=True):
        level = level or results.levels[0]
        check_level(results, level)
        label = f"{name} ({results.folder.name})" if names.count(name) > 1 else name
        territories.append(Territory(results, label, level))
    return territories


def check_level(published, level: str) -> None:
    """Raise ParameterError when the results folder has no level ``level``."""
    if level not in published.levels:
        raise ParameterError(
            f"--level: {published.folder} has no level '{level}'; use one of "
            f"{', '.join(published.levels)}."
        )


def compare_territories(published: list, *, levels: tuple[str, ...] = ()) -> Comparison:
    """Put the results of several territories side by side (see the module's conventions).

    Parameters
    ----------
    published : list of PublishedResults
        Two or more results folders, read back.
    levels : sequence of str
        The level of each territory (see :func:`territories_of`).
    """
    territories = territories_of(published, levels)
    present = {t.name: set(t.rows()["indicator"]) for t in territories}
    indicators, partial = [], {}
    for indicator_id in catalogue():
        where = tuple(name for name, ids in present.items() if indicator_id in ids)
        if len(where) == len(territories):
            indicators.append(_indicator_comparison(territories, get_indicator(indicator_id)))
        elif where:
            partial[indicator_id] = where
    areas = {t.name: median_unit_area(t) for t in territories}
    return Comparison(
        territories=tuple(territories),
        table=side_by_side_table(territories, indicators),
        indicators=tuple(indicators),
        partial=partial,
        general=tuple(_general_differences(territories, areas)),
        unit_areas=areas,
    )


def median_unit_area(territory: Territory) -> float:
    """The median area of the territory's units at its level, in km² (geodesic)."""
    layer = territory.published.layers[territory.level]
    return float(np.median(equal_area_km2(layer.geometry))) if len(layer) else float("nan")


def _indicator_comparison(territories: list[Territory], spec: Indicator) -> IndicatorComparison:
    rows = {t.name: t.rows()[t.rows()["indicator"] == spec.id] for t in territories}
    periods = {name: sorted(set(r["period"]), key=period_order) for name, r in rows.items()}
    latest = {name: p[-1] for name, p in periods.items()}
    differences = []
    if len(set(latest.values())) > 1:
        differences.append(Difference("periods", tuple(latest.items())))
    differences += _grid_differences(territories, spec, latest)
    differences += _source_differences(territories, spec, latest)
    differences += _parameter_differences(territories, spec)
    units = tuple((name, r["unit"].iloc[0]) for name, r in rows.items())
    if len({unit for _, unit in units}) > 1:
        differences.append(Difference("unit", units))
    differences += _flag_differences(rows, latest)
    return IndicatorComparison(spec, periods, tuple(differences))


def _years(period: str) -> list[str]:
    """The years of a period: ``2024`` → [2024]; ``2014_2024`` → [2014, 2024]."""
    return str(period).split("_")


def raster_roles(published, spec: Indicator, period: str) -> list[str]:
    """The rasters the indicator's values of ``period`` were computed from."""
    roles = [NEED_RASTERS[need] for need in spec.needs if need in NEED_RASTERS]
    sources = published.provenance.get("population_sources", {})
    if "population" in spec.needs and any(
        sources.get(year) == "population raster" for year in _years(period)
    ):
        roles.append("population")
    if spec.id in LAND_AREA_INDICATORS:
        roles.append("land")
    return list(dict.fromkeys(roles))


def grid_of(published, role: str) -> dict | str | None:
    """The grid of the latest raster of ``role`` in the provenance.

    :data:`NO_RASTER` when the project has no raster of ``role``; None when the provenance
    does not record grids (results written before it did).
    """
    rasters = published.provenance.get("project", {}).get("settings", {}).get("rasters", {})
    if role not in rasters:
        return NO_RASTER
    by_year = published.provenance.get("grids", {}).get(role)
    if not by_year:
        return None
    return by_year[max(by_year)]


def _grid_key(grid: dict | str | None) -> tuple | str | None:
    if not isinstance(grid, dict):
        return grid
    return (grid.get("crs"), *(round(float(size), 6) for size in grid.get("cell_size", ())))


def _grid_differences(territories, spec: Indicator, latest: dict[str, str]) -> list[Difference]:
    roles = dict.fromkeys(
        role for t in territories for role in raster_roles(t.published, spec, latest[t.name])
    )
    found = []
    for role in roles:
        grids = tuple((t.name, grid_of(t.published, role)) for t in territories)
        if len({_grid_key(grid) for _, grid in grids}) > 1:
            found.append(Difference("grid", grids, subject=role))
    return found


def _source_differences(territories, spec: Indicator, latest: dict[str, str]) -> list[Difference]:
    if "population" not in spec.needs:
        return []
    values = []
    for territory in territories:
        sources = territory.published.provenance.get("population_sources", {})
        used = sorted({sources.get(year, "") for year in _years(latest[territory.name])} - {""})
        values.append((territory.name, " + ".join(used)))
    if len({value for _, value in values}) > 1:
        return [Difference("population_source", tuple(values))]
    return []


def _parameter_differences(territories, spec: Indicator) -> list[Difference]:
    settings = [t.published.provenance.get("parameters", {}).get(spec.id, {}) for t in territories]
    names = dict.fromkeys(name for given in settings for name in given)
    found = []
    for name in names:
        values = tuple(
            (t.name, given.get(name)) for t, given in zip(territories, settings, strict=True)
        )
        if len({json.dumps(value, sort_keys=True) for _, value in values}) > 1:
            found.append(Difference("parameter", values, subject=name))
    return found


def _flag_differences(rows: dict[str, pd.DataFrame], latest: dict[str, str]) -> list[Difference]:
    flagged, partly = [], []
    for name, frame in rows.items():
        shown = frame[frame["period"] == latest[name]]
        quality = shown["quality"] if "quality" in shown else pd.Series("", index=shown.index)
        flags = int((quality.fillna("").astype(str) != "").sum())
        if flags:
            flagged.append((name, (flags, len(shown))))
        if "coverage" in shown:
            published = shown["value"].notna() & (shown["coverage"] < FULL_COVERAGE)
            if published.any():
                partly.append((name, (int(published.sum()), len(shown))))
    found = [Difference("flags", tuple(flagged))] if flagged else []
    return found + ([Difference("coverage", tuple(partly))] if partly else [])


def _general_differences(territories, areas: dict[str, float]) -> list[Difference]:
    found = []
    versions = tuple(
        (t.name, t.published.provenance.get("tool", {}).get("version", "")) for t in territories
    )
    if len({version for _, version in versions}) > 1:
        found.append(Difference("version", versions))
    finite = [area for area in areas.values() if np.isfinite(area) and area > 0]
    if finite and max(finite) > UNIT_SIZE_FACTOR * min(finite):
        sizes = tuple((t.name, (areas[t.name], t.level)) for t in territories)
        found.append(Difference("unit_size", sizes))
    return found


def side_by_side_table(territories: list[Territory], indicators) -> pd.DataFrame:
    """The side-by-side table of :class:`Comparison` (see its ``table``)."""
    units = []
    lookups = {}
    for territory in territories:
        layer = territory.published.layers[territory.level]
        units.append(
            pd.DataFrame(
                {
                    "territory": territory.name,
                    "level": territory.level,
                    "unit_id": layer["unit_id"].astype(str).to_numpy(),
                    "unit_name": layer["unit_name"].astype(str).to_numpy(),
                }
            )
        )
        rows = territory.rows()
        keys = pd.MultiIndex.from_arrays([rows["indicator"], rows["period"], rows["unit_id"]])
        lookups[territory.name] = pd.Series(rows["value"].to_numpy(dtype=float), index=keys)
    table = pd.concat(units, ignore_index=True)
    columns = {}
    for comparison in indicators:
        columns.update(_indicator_columns(table, comparison, lookups))
    return pd.concat([table, pd.DataFrame(columns, index=table.index)], axis=1)


def _indicator_columns(table: pd.DataFrame, comparison, lookups) -> dict[str, pd.Series]:
    """The value, latest and rank columns of one indicator."""
    spec = comparison.spec

    def values(periods: pd.Series) -> pd.Series:
        keys = zip(table["territory"], periods, table["unit_id"], strict=True)
        found = [lookups[name].get((spec.id, period, unit), np.nan) for name, period, unit in keys]
        return pd.Series(found, index=table.index, dtype=float)

    columns = {}
    for period in comparison.shared:
        columns[value_column(spec.id, period)] = values(pd.Series(period, index=table.index))
    if comparison.latest_differ:
        latest = table["territory"].map(comparison.latest)
        columns[f"{spec.id}_latest"] = values(latest)
        columns[f"{spec.id}_latest_period"] = latest
    if comparison.ranked:
        basis = comparison.ranked_on
        ranked = columns[value_column(spec.id, basis) if basis else f"{spec.id}_latest"]
        columns[f"{spec.id}_rank"] = ranked.rank(method=RANK_METHOD, ascending=False).astype(
            "Int64"
        )
    return columns
