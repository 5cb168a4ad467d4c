"""Plan and run the indicators of a project, then aggregate them up the unit hierarchy.

1. **Load and check**: read every input of the project once
   (:func:`observatory.layers.load_layers`) and run on it the checks of
   ``observatory validate`` (:func:`observatory.checks.run_checks`); any error stops the
   run with the first problem and its fix (:func:`load_checked_layers`). The same layers
   give the unit hierarchy and the :class:`~observatory.indicators.inputs.Inputs` of the
   finest level (census mapped onto it): nothing is read twice.
2. **Plan** (:mod:`observatory.plan`): for every requested indicator, the periods it can
   be computed for (years, or each pair of consecutive years and, from three years on, the
   whole span from the first to the last) or the reason it cannot (listed, never silently
   dropped).
3. **Compute** the additive components of each indicator and period at the finest level.
4. **Aggregate**: sum the components of the finest units into each coarser unit and
   finalize the value at every level, so a ratio at a parent is
   Σ numerators / Σ denominators and a count at a parent is the sum of its children.

:func:`run` does all four; :func:`access_distance` loads and checks the same way for the
distance raster of ``observatory access``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.census import census_provenance
from observatory.census_levels import LevelInputs, build_inputs, level_inputs
from observatory.checks import CheckedLayers, run_checks
from observatory.errors import InputDataError, ParameterError
from observatory.hierarchy import Hierarchy, unit_hierarchy
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Indicator, Period, catalogue, get_indicator
from observatory.indicators.walking import distance_raster
from observatory.kernels.grid import Raster
from observatory.layers import load_layers
from observatory.messages import _
from observatory.parallel import SERIAL, Executor
from observatory.plan import Plan, PlanItem, make_plan
from observatory.project import DEFAULT_MIN_COVERAGE, Project
from observatory.quality import (
    RasterKey,
    coverage_components,
    coverage_shares,
    flag_low_coverage,
    flag_not_published,
    incomplete_reasons,
    low_coverage_units,
    low_coverage_warning,
)
from observatory.results import LevelResult, Results

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


def load_checked_layers(project: Project, *, progress: Progress | None = None) -> CheckedLayers:
    """Read every input of ``project`` once and check it as ``observatory validate`` does.

    Returns
    -------
    CheckedLayers
        The layers, the problems found (only warnings: they go into a run's provenance) and
        the parents found spatially (for :func:`~observatory.hierarchy.unit_hierarchy`).

    Raises
    ------
    InputDataError
        If there is any error: the message counts them and gives the first with its fix.
    """
    report = progress or log.info
    report(_("reading the project's layers"))
    layers = load_layers(project)
    report(_("checking them (as 'observatory validate' does)"))
    checked = run_checks(layers)
    errors = [problem for problem in checked.problems if problem.severity == "error"]
    if errors:
        first = errors[0]
        raise InputDataError(
            f"{project.file} has {len(errors)} problem(s) to fix before computing; the first: "
            f"{first.layer}: {first.message} Fix: {first.fix} Run 'observatory validate "
            f"{project.root}' to list them all."
        )
    return checked


def sum_to_level(frame: pd.DataFrame, hierarchy: Hierarchy, level: str) -> pd.DataFrame:
    """Columns of ``frame`` (indexed by finest unit) summed into the units of ``level``.

    A unit is NaN in a column when any of its finest units is: a sum missing a part is not
    published as if it were whole (:func:`aggregate` says why).
    """
    if level == hierarchy.finest:
        return frame
    groups = hierarchy.ancestors[level]
    summed = frame.groupby(groups).sum(min_count=1).mask(frame.isna().groupby(groups).any())
    return summed.reindex(hierarchy.levels[level].index)


def aggregate(
    components: pd.DataFrame,
    hierarchy: Hierarchy,
    spec: Indicator,
    period: Period,
    params,
    *,
    coverage: pd.DataFrame | None = None,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
) -> dict[str, pd.DataFrame]:
    """Sum the finest components into every level and finalize them there.

    With ``coverage`` (:func:`observatory.quality.coverage_components` of the rasters the
    indicator read), the coverage is summed the same way and a unit covered less than
    ``min_coverage`` is not published (:func:`observatory.quality.flag_low_coverage`). A
    unit some of whose finest units have no value is not published either, with the number
    of them as its reason.
    """
    results = {}
    incomplete = pd.DataFrame(
        {"missing": components.isna().any(axis=1).astype(float), "units": 1.0}
    )
    for level in hierarchy.levels:
        summed = sum_to_level(components, hierarchy, level)
        values = spec.finalize(summed, period, params)
        for column in ("numerator", "denominator"):
            if column in summed.columns:
                values[column] = summed[column]
        if coverage is not None:
            values = flag_low_coverage(
                values, sum_to_level(coverage, hierarchy, level), min_coverage
            )
        if level != hierarchy.finest:
            counts = sum_to_level(incomplete, hierarchy, level)
            reasons = incomplete_reasons(counts["missing"], counts["units"], hierarchy.finest)
            values = flag_not_published(values, reasons)
        results[level] = values
    return results


def warn_low_coverage(
    inputs: Inputs,
    hierarchy: Hierarchy,
    keys: Iterable[RasterKey],
    min_coverage: float,
    levels: Sequence[str] | None = None,
) -> None:
    """Warn once per raster of ``keys`` about the units it covers less than ``min_coverage``.

    The warning names the units of every level kept (``levels``) with their coverage.
    """
    kept = [level for level in hierarchy.levels if not levels or level in levels]
    for key in keys:
        finest = coverage_components(inputs, [key])
        parts = []
        for level in reversed(kept):
            shares = coverage_shares(sum_to_level(finest, hierarchy, level)).iloc[:, 0]
            names = hierarchy.levels[level]["unit_name"]
            part = low_coverage_units(shares, names, level, min_coverage)
            if part:
                parts.append(part)
        if parts:
            inputs.warn(low_coverage_warning(key, parts, min_coverage))


def select_indicators(ids: Sequence[str] | None) -> list[Indicator]:
    """The requested indicators (all of the catalogue when ``ids`` is empty)."""
    if not ids:
        return list(catalogue().values())
    return [get_indicator(indicator_id) for indicator_id in ids]


def _check_levels(project: Project, levels: Sequence[str] | None) -> None:
    """ParameterError when a level of ``levels`` is not a level of the project."""
    level_names = [level.name for level in project.units.levels]
    unknown_levels = [name for name in levels or () if name not in level_names]
    if unknown_levels:
        raise ParameterError(
            f"unknown level '{unknown_levels[0]}'; use one of the project's levels: "
            f"{', '.join(level_names)}."
        )


def compute_plan(
    plan: Plan,
    inputs: Inputs,
    hierarchy: Hierarchy,
    parameters: dict,
    *,
    levels: Sequence[str] | None = None,
    min_coverage: float = DEFAULT_MIN_COVERAGE,
    progress: Progress | None = None,
    census: LevelInputs | None = None,
) -> list[LevelResult]:
    """Compute every planned indicator and period and aggregate it to every level.

    Only ``levels`` are kept when given; ``parameters`` maps an indicator id to its
    parameter overrides. Values of units that the rasters they come from cover less than
    ``min_coverage`` are not published, and one warning per raster names those units.
    With ``census`` (:func:`~observatory.census_levels.level_inputs`), the items of a
    coarser level are computed from its inputs, and a value needing the population of a
    unit without census figure (or containing one) is not published, with the reason.
    """
    report = progress or log.info
    outputs: list[LevelResult] = []
    total = sum(len(item.periods) for item in plan.items)
    done = 0
    rasters: dict[RasterKey, None] = {}
    for item in plan.items:
        params = item.indicator.resolve_params(parameters.get(item.indicator.id))
        item_inputs = census.inputs[item.level] if item.level else inputs
        item_hierarchy = census.hierarchies[item.level] if item.level else hierarchy
        for period in item.periods:
            done += 1
            report(f"[{done}/{total}] {item.indicator.id} {period.label}")
            keys = item_inputs.rasters_used(item.indicator.needs, period)
            rasters.update(dict.fromkeys(keys))
            for level, values in _compute(
                item,
                period,
                params,
                item_inputs,
                item_hierarchy,
                keys=keys,
                min_coverage=min_coverage,
            ).items():
                if levels and level not in levels:
                    continue
                if census is not None and "population" in item.indicator.needs:
                    years = [period.end] if period.start is None else [period.start, period.end]
                    computed_at = item.level or item_hierarchy.finest
                    values = flag_not_published(values, census.missing(computed_at, level, years))
                outputs.append(LevelResult(item.indicator, period, level, values))
    warn_low_coverage(inputs, hierarchy, rasters, min_coverage, levels)
    return outputs


def _compute(
    item: PlanItem,
    period: Period,
    params,
    inputs: Inputs,
    hierarchy: Hierarchy,
    *,
    keys: list[RasterKey],
    min_coverage: float,
) -> dict[str, pd.DataFrame]:
    """The values of one planned indicator and period at every level of ``hierarchy``."""
    components = item.indicator.components(inputs, period, params, hierarchy.ancestors.index)
    components = components.reindex(hierarchy.ancestors.index)
    coverage = coverage_components(inputs, keys)
    if coverage is not None:
        coverage = coverage.reindex(hierarchy.ancestors.index)
    return aggregate(
        components,
        hierarchy,
        item.indicator,
        period,
        params,
        coverage=coverage,
        min_coverage=min_coverage,
    )


def run(
    project: Project,
    *,
    indicator_ids: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> Results:
    """Compute the indicators of ``project`` for every level, unit and period.

    The layers are read once and checked as ``observatory validate`` does; only ``levels``
    are kept when given. The work that splits runs on ``executor`` (here, serially, by
    default; :func:`observatory.distributed.open_executor` gives one on Dask workers); the
    results do not depend on it.

    Raises
    ------
    ParameterError
        If an indicator id or a level is unknown.
    InputDataError
        If the project has an error (:func:`load_checked_layers`).
    """
    report = progress or log.info
    started = time.time()
    _check_levels(project, levels)
    indicators = select_indicators(indicator_ids)
    checked = load_checked_layers(project, progress=report)
    layers, problems = checked.layers, checked.problems
    hierarchy = unit_hierarchy(layers, checked.parent_ids)
    census = level_inputs(layers, hierarchy, executor=executor or SERIAL)
    inputs = census.finest
    plan = make_plan(inputs, indicators, coarser=dict(list(census.inputs.items())[1:]))
    for indicator_id, reason in plan.skipped.items():
        log.info("%s not computed: %s", indicator_id, reason)
    outputs = compute_plan(
        plan,
        inputs,
        hierarchy,
        project.parameters,
        levels=levels,
        min_coverage=project.min_coverage,
        progress=report,
        census=census,
    )
    return Results(
        project=project,
        hierarchy=hierarchy,
        level_results=outputs,
        skipped=plan.skipped,
        warnings=[f"{p.layer}: {p.message}" for p in problems] + list(inputs.warnings),
        population_sources=census.population_sources(),
        started=started,
        finished=time.time(),
        census=census_provenance(census.figures) if census.figures else {},
    )


@dataclass(frozen=True)
class DistanceMap:
    """The distance raster of ``observatory access``.

    Attributes
    ----------
    raster : Raster
        Float32 metres on the population grid; nodata outside the units and where no
        facility is reachable.
    distance : numpy.ndarray
        The distance of every cell in the units (``inf`` when unreachable).
    role, mode : str
        The facilities measured to, and ``network`` or ``straight-line``.
    year : int
        The year of the population grid.
    """

    raster: Raster
    distance: np.ndarray
    role: str
    mode: str
    year: int

    @property
    def unreachable(self) -> int:
        """The number of cells in the units that cannot reach any facility."""
        return int((~np.isfinite(self.distance)).sum())

    def tags(self) -> dict[str, str]:
        """The GeoTIFF tags saying what the raster holds."""
        return {
            "distance_to": self.role,
            "distance_mode": self.mode,
            "units": "metre",
            "population_year": str(self.year),
            "unreachable_cells": str(self.unreachable),
            "nodata_meaning": "outside the units, or no facility reachable",
        }


def access_distance(
    project: Project,
    role: str,
    *,
    mode: str = "network",
    year: int | None = None,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> DistanceMap:
    """Distance from every population cell centre in the units to the nearest ``role``.

    The layers of ``project`` are read once and checked first; the distances come from
    :func:`observatory.indicators.walking.distance_raster`.

    Raises
    ------
    InputDataError
        If the project has an error (:func:`load_checked_layers`).
    ProjectFileError
        If the project has no ``role`` layer, no roads (network mode) or no population grid
        (of ``year``).
    """
    report = progress or log.info
    checked = load_checked_layers(project, progress=report)
    hierarchy = unit_hierarchy(checked.layers, checked.parent_ids)
    inputs = build_inputs(checked.layers, hierarchy, executor=executor or SERIAL)
    report(_("distances to {role} ({mode})", role=role, mode=mode))
    raster, distance, year = distance_raster(inputs, role, mode=mode, year=year)
    return DistanceMap(raster, distance, role, mode, year)
