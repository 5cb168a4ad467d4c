"""Plan and run the indicators of a project, then aggregate them up the unit hierarchy.

1. **Load**: read every layer of the project through :mod:`observatory.io` and build the
   :class:`~observatory.indicators.inputs.Inputs` of the finest level (census mapped onto it).
   Before anything is computed the project is checked as ``observatory validate`` does;
   any error stops the run with the first problem and its fix.
2. **Plan**: for every requested indicator, the periods it can be computed for (years, or
   pairs of consecutive years) or the reason it cannot (listed, never silently dropped).
3. **Compute** the additive components of each indicator and period at the finest level.
4. **Aggregate**: sum the components of the finest units into each coarser unit and
   finalize the value at every level, so a ratio at a parent is
   Σ numerators / Σ denominators and a count at a parent is the sum of its children.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from observatory.errors import InputDataError, ParameterError
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Indicator, Period, catalogue, get_indicator
from observatory.io.raster import read_raster
from observatory.io.tables import codes_as_text, counts_as_numbers, read_table
from observatory.io.vector import read_layer
from observatory.project import Project
from observatory.validate import validate_project

log = logging.getLogger(__name__)

ROLE_HINTS = {
    "population": "a census table ([census]) or a population raster ([rasters].population)",
    "population_grid": "a population raster ([rasters].population)",
    "built_up": "a built-up raster ([rasters].built_up)",
    "land": "a land raster ([rasters].land)",
    "pm25": "a PM2.5 raster ([rasters].pm25)",
}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Hierarchy:
    """The units of every level, coarsest first, and each finest unit's ancestors.

    ``levels`` maps level name → GeoDataFrame indexed by unit id with columns ``unit_name``,
    ``parent_id`` and geometry. ``ancestors`` is indexed by finest unit id with one column per
    level holding the id of the unit of that level that contains it.
    """

    levels: dict[str, gpd.GeoDataFrame]
    ancestors: pd.DataFrame

    @property
    def finest(self) -> str:
        return list(self.levels)[-1]


@dataclass
class PlanItem:
    indicator: Indicator
    periods: list[Period]


@dataclass
class Plan:
    items: list[PlanItem] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


@dataclass
class LevelResult:
    """Finalized values of one indicator and period at one level."""

    indicator: Indicator
    period: Period
    level: str
    values: pd.DataFrame  # value, numerator?, denominator?, extra columns; indexed by unit id


def _unit_frame(frame: gpd.GeoDataFrame, level, source: str) -> gpd.GeoDataFrame:
    for column in (level.id, level.label, level.parent):
        if column is not None and column not in frame.columns:
            raise InputDataError(
                f"{source}: field '{column}' not found for level '{level.name}'; its fields are "
                f"{', '.join(c for c in frame.columns if c != 'geometry')}."
            )
    ids = codes_as_text(frame[level.id])
    if ids.duplicated().any() or ids.isna().any():
        raise InputDataError(
            f"{source}: level '{level.name}' has duplicate or empty ids in '{level.id}'; "
            "run 'observatory validate' to list them."
        )
    units = gpd.GeoDataFrame(
        {
            "unit_name": (
                frame[level.label].astype(str).to_numpy() if level.label else ids.to_numpy()
            ),
            "parent_id": codes_as_text(frame[level.parent]).to_numpy() if level.parent else None,
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    units.index = pd.Index(ids.to_numpy(), name="unit_id")
    return units


def load_hierarchy(project: Project) -> Hierarchy:
    """Read every level of units and link each finest unit to its ancestors."""
    levels: dict[str, gpd.GeoDataFrame] = {}
    for level in project.units.levels:
        frame = read_layer(project.units.path, layer=level.layer)
        if frame.crs is None:
            raise InputDataError(
                f"{project.units.path} (layer {level.layer}) has no CRS; assign it in QGIS "
                "(Layer > Set CRS) or with ogr2ogr -a_srs."
            )
        levels[level.name] = _unit_frame(frame, level, f"{project.units.path}")
    names = list(levels)
    ancestors = pd.DataFrame(index=levels[names[-1]].index)
    ancestors[names[-1]] = ancestors.index
    for child, parent in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
        parent_of = levels[child]["parent_id"]
        ancestors[parent] = ancestors[child].map(parent_of)
        unknown = ~ancestors[parent].isin(levels[parent].index)
        if unknown.any():
            bad = ancestors.loc[unknown, child].unique()[:5]
            raise InputDataError(
                f"{project.units.path}: {unknown.sum()} '{child}' unit(s) name a parent that is "
                f"not in level '{parent}' (e.g. {', '.join(map(str, bad))}); fix the parent codes."
            )
    return Hierarchy(levels=levels, ancestors=ancestors[names])


def _numeric_population(table: pd.DataFrame, column: str, source: str) -> pd.Series:
    values = pd.Series(counts_as_numbers(table[column]), index=table.index)
    bad = values.isna() | (values < 0)
    if bad.any():
        raise InputDataError(
            f"{source}: column '{column}' has {bad.sum()} value(s) that are not counts ≥ 0 "
            f"(first: {table.loc[bad, column].iloc[0]!r}); correct them."
        )
    return values.astype("float64")


def load_census(project: Project, hierarchy: Hierarchy) -> pd.DataFrame:
    """Census population by id of the census level (index) and year (integer columns)."""
    spec = project.census
    table = read_table(spec.path, sheet=spec.layer)
    missing = [c for c in [spec.id, *spec.population.values()] if c not in table.columns]
    if missing:
        raise InputDataError(
            f"{spec.path}: column(s) {', '.join(missing)} not found; it has "
            f"{', '.join(table.columns)}. Fix [census] in the project file."
        )
    ids = codes_as_text(table[spec.id])
    units = hierarchy.levels[spec.level].index
    used = table[ids.isin(units)]  # rows matching no unit are ignored (validate warns)
    census = pd.DataFrame(
        {
            year: _numeric_population(used, column, str(spec.path)).to_numpy()
            for year, column in spec.population.items()
        },
        index=pd.Index(ids[used.index], name="unit_id"),
    )
    duplicated = census.index[census.index.duplicated()].unique()
    if len(duplicated):
        raise InputDataError(
            f"{spec.path}: id(s) {', '.join(map(str, duplicated[:5]))} appear on several rows; "
            "keep one row per unit."
        )
    unmatched = units.difference(census.index)
    if len(unmatched):
        raise InputDataError(
            f"{spec.path}: {len(unmatched)} '{spec.level}' unit(s) have no census row "
            f"(e.g. {', '.join(map(str, unmatched[:5]))}); add them or fix the codes."
        )
    return census.loc[units]


def load_inputs(project: Project, hierarchy: Hierarchy) -> Inputs:
    """Read the rasters, census and layers of the project into :class:`Inputs`."""
    rasters = {
        role: {year: read_raster(path) for year, path in by_year.items()}
        for role, by_year in project.rasters.items()
    }
    layers = {
        role: read_layer(spec.path, layer=spec.layer) for role, spec in project.layers.items()
    }
    fields = {role: spec.fields for role, spec in project.layers.items()}
    census = load_census(project, hierarchy) if project.census is not None else None
    return Inputs(
        hierarchy.levels[hierarchy.finest],
        census=census,
        census_level=project.census.level if project.census is not None else None,
        ancestors=hierarchy.ancestors,
        rasters=rasters,
        layers=layers,
        fields=fields,
    )


def periods_for(indicator: Indicator, inputs: Inputs) -> list[Period]:
    """Years (the latest, or consecutive pairs) for which every role in ``years_from`` has
    data."""
    year_sets = [set(inputs.years(role)) for role in indicator.years_from]
    years = sorted(set.intersection(*year_sets)) if year_sets else []
    if indicator.period == "year":
        return [Period(year) for year in years]
    if indicator.period == "latest":
        return [Period(year) for year in years[-1:]]
    return [Period(end, start) for start, end in zip(years, years[1:], strict=False)]


def make_plan(inputs: Inputs, indicators: Iterable[Indicator]) -> Plan:
    """Which indicators and periods can be computed, and why the others cannot."""
    plan = Plan()
    for spec in indicators:
        missing = [role for role in spec.needs if not inputs.has(role)]
        if missing:
            plan.skipped[spec.id] = "needs " + " and ".join(
                ROLE_HINTS.get(role, f"a '{role}' layer ([layers].{role})") for role in missing
            )
            continue
        periods = periods_for(spec, inputs)
        if not periods:
            roles = ", ".join(spec.years_from)
            plan.skipped[spec.id] = (
                f"no {'year' if spec.period == 'year' else 'pair of years'} common to {roles}"
            )
            continue
        plan.items.append(PlanItem(spec, periods))
    return plan


def aggregate(
    components: pd.DataFrame, hierarchy: Hierarchy, spec: Indicator, period: Period, params
) -> dict[str, pd.DataFrame]:
    """Sum the finest components into every level and finalize them there."""
    results = {}
    for level in hierarchy.levels:
        if level == hierarchy.finest:
            summed = components
        else:
            summed = components.groupby(hierarchy.ancestors[level]).sum(min_count=1)
            summed = summed.reindex(hierarchy.levels[level].index)
        values = spec.finalize(summed, period, params)
        for column in ("numerator", "denominator"):
            if column in summed.columns:
                values[column] = summed[column]
        results[level] = values
    return results


def select_indicators(ids: Sequence[str] | None) -> list[Indicator]:
    """The requested indicators (all of the catalogue when ``ids`` is empty)."""
    if not ids:
        return list(catalogue().values())
    return [get_indicator(indicator_id) for indicator_id in ids]


def check_project(project: Project) -> list:
    """The problems ``observatory validate`` finds; InputDataError on the first error.

    Returns the warnings (they go into the run's provenance).
    """
    problems = validate_project(project)
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        first = errors[0]
        raise InputDataError(
            f"{project.file} has {len(errors)} problem(s) to fix before computing; the first: "
            f"{first.layer}: {first.message} Fix: {first.fix} Run 'observatory validate "
            f"{project.root}' to list them all."
        )
    return problems


def run(
    project: Project,
    *,
    indicator_ids: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
    progress: Progress | None = None,
):
    """Compute the indicators of ``project`` for every level, unit and period.

    Returns a :class:`~observatory.results.Results`.
    """
    from observatory.results import Results

    report = progress or (lambda message: log.info(message))
    started = time.time()
    level_names = [level.name for level in project.units.levels]
    unknown_levels = [name for name in levels or () if name not in level_names]
    if unknown_levels:
        raise ParameterError(
            f"unknown level '{unknown_levels[0]}'; the project's levels are "
            f"{', '.join(level_names)}."
        )
    indicators = select_indicators(indicator_ids)
    report("checking the project (as 'observatory validate' does)")
    problems = check_project(project)
    report("reading the units")
    hierarchy = load_hierarchy(project)
    report("reading rasters, census and layers")
    inputs = load_inputs(project, hierarchy)
    plan = make_plan(inputs, indicators)
    for indicator_id, reason in plan.skipped.items():
        log.info("%s not computed: %s", indicator_id, reason)
    outputs: list[LevelResult] = []
    total = sum(len(item.periods) for item in plan.items)
    done = 0
    for item in plan.items:
        params = item.indicator.resolve_params(project.parameters.get(item.indicator.id))
        for period in item.periods:
            done += 1
            report(f"[{done}/{total}] {item.indicator.id} {period.label}")
            components = item.indicator.compute(inputs, period, params)
            components = components.reindex(hierarchy.ancestors.index)
            for level, values in aggregate(
                components, hierarchy, item.indicator, period, params
            ).items():
                if levels and level not in levels:
                    continue
                outputs.append(LevelResult(item.indicator, period, level, values))
    sources = {str(year): inputs.population_source(year) for year in inputs.years("population")}
    return Results(
        project=project,
        hierarchy=hierarchy,
        level_results=outputs,
        skipped=plan.skipped,
        warnings=[f"{p.layer}: {p.message}" for p in problems] + list(inputs.warnings),
        population_sources=sources,
        started=started,
        finished=time.time(),
    )
