"""Grids that must match for some indicators, and what happens when they do not.

A grid that one indicator cannot use does not stop a run: ``validate`` warns and
``compute`` leaves out only the indicators (and years) that need it, with the same reason in
its not-computed list.

- The Degree of Urbanisation sums the population grid into 1 km cells
  (:func:`degurba_grid_reason`, :func:`check_degurba_grid`) and reads the built-up grid of
  the year and the land grid on that population grid (:func:`degurba_inputs_reason`,
  :func:`check_degurba_inputs`).
- The urban expansion indicators compare the built-up cells of two years, which must be on
  one grid (:func:`one_grid_reason`, :func:`check_same_grid_across_years`).

Other indicators sum each raster over the units on its own grid, so a land grid different
from the built-up grid, or population grids differing between years, are fine for them.
"""

from __future__ import annotations

import itertools

from observatory.indicators.registry import catalogue
from observatory.kernels.grid import DEGURBA_CELL_M, Grid, onto_dividing_cells, warp_command
from observatory.messages import Text, _
from observatory.problems import Problem
from observatory.reasons import (
    CELLS_NOT_DIVIDING,
    GRIDS_DIFFER,
    NOT_ON_POPULATION_GRID,
    ORIGIN_OFF_GRID,
    PERIOD_GRID,
)

#: The theme of the indicators computed on the 1 km Degree of Urbanisation grid.
DEGURBA_THEME = "urbanisation"


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-6


def degurba_grid_reason(grid: Grid) -> str | None:
    """Why the cells of ``grid`` cannot be summed into 1 km cells, or None when they can.

    A projected grid is needed (checked elsewhere: None otherwise); its cells must divide
    1 km a whole number of times and, when finer, start on a corner of the 1 km grid.
    """
    if grid.crs is None or not grid.crs.is_projected:
        return None
    ratios = (DEGURBA_CELL_M / grid.cell_width, DEGURBA_CELL_M / grid.cell_height)
    if not all(_whole(ratio) and ratio >= 1 for ratio in ratios):
        return Text(
            CELLS_NOT_DIVIDING, width=f"{grid.cell_width:g}", height=f"{grid.cell_height:g}"
        )
    x, y = grid.transform.c, grid.transform.f
    if ratios != (1.0, 1.0) and not (_whole(x / DEGURBA_CELL_M) and _whole(y / DEGURBA_CELL_M)):
        return Text(ORIGIN_OFF_GRID, x=f"{x:.12g}", y=f"{y:.12g}", crs=grid.crs.to_string())
    return None


def check_degurba_grid(name: str, file_name: str, grid: Grid) -> list[Problem]:
    """A warning when the Degree of Urbanisation cannot use the population grid."""
    reason = degurba_grid_reason(grid)
    if reason is None:
        return []
    return [
        Problem(
            "warning",
            name,
            _(
                "{file}: {reason}; the Degree of Urbanisation indicators of this year are not "
                "computed.",
                file=file_name,
                reason=reason,
            ),
            _("{how}.", how=onto_dividing_cells(grid)),
        )
    ]


def describe_grid(grid: Grid) -> str:
    """CRS, size, cell size and origin of a grid, for a message."""
    crs = grid.crs.to_string() if grid.crs is not None else _("no CRS")
    x, y = grid.transform.c, grid.transform.f
    return _(
        "{crs}, {width}×{height} cells of {cell_width}×{cell_height} from ({x}, {y})",
        crs=crs,
        width=str(grid.width),
        height=str(grid.height),
        cell_width=f"{grid.cell_width:g}",
        cell_height=f"{grid.cell_height:g}",
        x=f"{x:.12g}",
        y=f"{y:.12g}",
    )


def degurba_inputs_reason(
    year: int, population: Grid, others: dict[str, Grid | None]
) -> str | None:
    """Why the Degree of Urbanisation of ``year`` cannot be computed from its grids, or None.

    The population grid must sum into 1 km cells; ``others`` (raster label → grid, for the
    built-up grid of the year and the land grid that the project has) must be on it.
    """
    reason = degurba_grid_reason(population)
    if reason is not None:
        return Text(PERIOD_GRID, period=str(year), reason=reason)
    for label, grid in others.items():
        if grid is not None and not grid.same_as(population):
            return Text(
                NOT_ON_POPULATION_GRID,
                raster=label,
                year=str(year),
                grid=describe_grid(grid),
                population=describe_grid(population),
            )
    return None


def one_grid_reason(role: str, start: int, end: int, first: Grid, second: Grid) -> str | None:
    """Why the ``role`` grids of two years cannot be compared cell by cell, or None."""
    if second.same_as(first):
        return None
    return Text(
        GRIDS_DIFFER,
        role=role,
        start=str(start),
        end=str(end),
        first=describe_grid(first),
        second=describe_grid(second),
    )


def check_degurba_inputs(grids: dict[str, dict[int | None, Grid]]) -> list[Problem]:
    """A warning for each year whose built-up or land grid is not on its population grid:
    the Degree of Urbanisation of that year is not computed (``compute`` says the same)."""
    problems = []
    land = grids.get("land", {}).get(None)
    for year, population in sorted(grids.get("population", {}).items(), key=_year_order):
        if year is None or degurba_grid_reason(population) is not None:
            continue  # the population grid's own warning says it
        built = grids.get("built_up", {}).get(year)
        for name, label, grid in (
            (f"rasters.built_up.{year}", f"built_up {year}", built),
            ("rasters.land", "land", land),
        ):
            reason = degurba_inputs_reason(year, population, {label: grid})
            if reason is None:
                continue
            problems.append(
                Problem(
                    "warning",
                    name,
                    _(
                        "{reason}; the Degree of Urbanisation indicators of {year} are not "
                        "computed.",
                        reason=reason,
                        year=str(year),
                    ),
                    _(
                        "warp it onto the population grid, e.g. {command}.",
                        command=warp_command(population),
                    ),
                )
            )
    return problems


def check_same_grid_across_years(role: str, grids: dict[int | None, Grid]) -> list[Problem]:
    """The rasters of ``role`` share one grid in consecutive years (a warning otherwise);
    for built-up grids, the urban expansion of those years is not computed."""
    years = sorted(year for year in grids if year is not None)
    problems = []
    for start, end in itertools.pairwise(years):
        reason = one_grid_reason(role, start, end, grids[start], grids[end])
        if reason is None:
            continue
        comparing = [i for i, spec in catalogue().items() if role in spec.compares_cells]
        consequence = _("changes between the years mix real change with resampling")
        if comparing:
            consequence = _(
                "{indicators} are not computed for {period}, and {consequence}",
                indicators=", ".join(comparing),
                period=f"{start}_{end}",
                consequence=consequence,
            )
        problems.append(
            Problem(
                "warning",
                f"rasters.{role}.{end}",
                _("{reason}; {consequence}.", reason=reason, consequence=consequence),
                _(
                    "warp every year onto the grid of {year}, e.g. {command}.",
                    year=str(years[0]),
                    command=warp_command(grids[years[0]]),
                ),
            )
        )
    return problems


def _year_order(item: tuple[int | None, Grid]) -> int:
    return item[0] or 0
