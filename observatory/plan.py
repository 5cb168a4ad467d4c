"""The plan of a run: for every requested indicator, the periods it can be computed for, or
the reason it cannot (listed in the outputs, never silently dropped).

Periods are years, or each pair of consecutive years and, from three years on, the whole
span from the first to the last (:func:`change_periods`, ``docs/methods/change.md``). A
period is left out, with its reason, when its inputs cannot be used together (grids off one
another, an empty or misplaced layer); a census year known only at a coarser level is
planned at that level (:func:`make_plan` with ``coarser``). :mod:`observatory.engine`
computes what the plan says.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from observatory.checks.grids import DEGURBA_THEME, degurba_inputs_reason, one_grid_reason
from observatory.checks.layers import unusable_layer_reason
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Indicator, Period
from observatory.reasons import (
    COARSER_LEVEL_ONLY,
    NEEDED_INPUTS,
    NEEDED_LAYER,
    NEEDS,
    NO_COMMON_PAIR,
    NO_COMMON_YEAR,
)


@dataclass
class PlanItem:
    """An indicator and the periods it will be computed for.

    ``level`` is None when it is computed for the finest units and summed up; a level name
    when a census year of its periods is known from that level up only (it is computed for
    the units of that level and summed up from there).
    """

    indicator: Indicator
    periods: list[Period]
    level: str | None = None


@dataclass
class Plan:
    """What a run computes, and why the other requested indicators are not computed."""

    items: list[PlanItem] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def periods_for(indicator: Indicator, inputs: Inputs) -> list[Period]:
    """Periods of ``indicator``: years (or the latest, or change periods) with data.

    A year counts when every role in the indicator's ``years_from`` has data for it. A
    change indicator gets each pair of consecutive years, oldest first, then, from three
    years on, the whole span from the first year to the last (:func:`change_periods`).
    """
    year_sets = [set(inputs.years(role)) for role in indicator.years_from]
    years = sorted(set.intersection(*year_sets)) if year_sets else []
    if indicator.period == "year":
        return [Period(year) for year in years]
    if indicator.period == "latest":
        return [Period(year) for year in years[-1:]]
    return change_periods(years)


def change_periods(years: Sequence[int]) -> list[Period]:
    """Each pair of consecutive ``years`` (sorted), then the whole span when there are ≥ 3.

    2000, 2005, 2015 give 2000_2005, 2005_2015 and 2000_2015; two years give their pair
    only (it is the span); fewer give none. Not every pair of years: n years would give
    n(n − 1)/2 overlapping periods; each step and the whole say what happened
    (docs/methods/change.md).
    """
    periods = [Period(end, start) for start, end in itertools.pairwise(years)]
    if len(years) >= 3:
        periods.append(Period(years[-1], years[0]))
    return periods


def make_plan(
    inputs: Inputs,
    indicators: Iterable[Indicator],
    *,
    coarser: Mapping[str, Inputs] | None = None,
) -> Plan:
    """Which indicators and periods can be computed, and why the others cannot.

    ``coarser`` maps a level to its inputs when census years are known from that level up
    only (:class:`~observatory.census_levels.LevelInputs`): the periods of an indicator
    needing the population that only such a level has are computed there, and the reason
    the finer levels have none is given with the indicators not computed.
    """
    plan = Plan()
    everything = [inputs, *(coarser or {}).values()]
    unusable_layers = {
        role: reason
        for role, frame in inputs.layers.items()
        if (reason := unusable_layer_reason(role, frame, inputs.units.geometry))
    }
    for spec in indicators:
        missing = [role for role in spec.needs if not any(i.has(role) for i in everything)]
        if missing:
            plan.skipped[spec.id] = "; ".join(
                NEEDS.format(inputs=NEEDED_INPUTS.get(role) or NEEDED_LAYER.format(role=role))
                for role in missing
            )
            continue
        unusable_roles = [unusable_layers[role] for role in spec.needs if role in unusable_layers]
        if unusable_roles:
            plan.skipped[spec.id] = "; ".join(unusable_roles)
            continue
        planned: list[Period] = []
        reasons = []
        if all(inputs.has(role) for role in spec.needs):
            planned, unusable = _usable_periods(spec, periods_for(spec, inputs), inputs)
            if planned:
                plan.items.append(PlanItem(spec, list(planned)))
            if unusable:
                reasons.append(unusable)
        if "population" in spec.needs:
            reasons += _coarser_items(plan, spec, coarser or {}, planned, inputs)
        if reasons:
            plan.skipped[spec.id] = "; ".join(reasons)
        elif not planned:
            template = NO_COMMON_YEAR if spec.period != "change" else NO_COMMON_PAIR
            plan.skipped[spec.id] = template.format(roles=", ".join(spec.years_from))
    return plan


def _coarser_items(
    plan: Plan,
    spec: Indicator,
    coarser: Mapping[str, Inputs],
    planned: list[Period],
    inputs: Inputs,
) -> list[str]:
    """Plan the periods of ``spec`` that only a coarser level can compute.

    The levels of ``coarser`` are tried finest first; returns why the finer levels do not
    have those periods.
    """
    reasons = []
    known = set(inputs.years("population"))
    for level, at_level in coarser.items():
        extra = [period for period in periods_for(spec, at_level) if period not in planned]
        if not extra:
            continue
        plan.items.append(PlanItem(spec, extra, level))
        planned.extend(extra)
        years = sorted(
            {year for period in extra for year in (period.start, period.end)} - known - {None}
        )
        labels = ", ".join(period.label for period in extra)
        census = ", ".join(str(year) for year in years)
        reasons.append(COARSER_LEVEL_ONLY.format(periods=labels, level=level, years=census))
    return reasons


def _usable_periods(
    spec: Indicator, periods: list[Period], inputs: Inputs
) -> tuple[list[Period], str]:
    """The periods of ``spec`` whose grids can be used, and why the others cannot.

    The Degree of Urbanisation needs a population grid that sums into 1 km cells, with the
    built-up grid of the year and the land grid on it; a change indicator comparing cells
    (``compares_cells``) needs one grid in both years. ``validate`` warns about the others
    with the same words (:mod:`observatory.checks.grids`). The reason is "" when every
    period can be computed.
    """
    reasons = {period: _period_grid_reason(spec, period, inputs) for period in periods}
    unusable = "; ".join(reason for reason in reasons.values() if reason)
    return [period for period, reason in reasons.items() if not reason], unusable


def _period_grid_reason(spec: Indicator, period: Period, inputs: Inputs) -> str | None:
    """Why the grids ``spec`` reads for ``period`` cannot be used together, or None."""
    if spec.theme == DEGURBA_THEME:
        year = period.end
        others = {"land": inputs.raster("land").grid if inputs.has("land") else None}
        if year in inputs.years("built_up"):
            others = {f"built_up {year}": inputs.raster("built_up", year).grid, **others}
        return degurba_inputs_reason(year, inputs.raster("population", year).grid, others)
    for role in spec.compares_cells:
        if period.start is not None:
            first, second = (inputs.raster(role, y).grid for y in (period.start, period.end))
            reason = one_grid_reason(role, period.start, period.end, first, second)
            if reason:
                return reason
    return None
