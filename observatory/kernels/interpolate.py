"""Census counts of coarser units shared among the finest units, by a population grid.

When the census is given for a level coarser than the finest units, each census unit's count
is shared among its finest units in proportion to the population grid summed over each of
them (Σ coverage × cells):

    census(finest) = census(unit) × grid(finest) / Σ grid(finest units of unit)

so the grid is used only *inside* each census unit and the census totals are kept; the finest
units of a census unit whose grid sums to 0, or that has no census figure, get no value
(NaN, never 0). A census year without a grid
of the same year cannot be shared: it is left out, with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def census_on_finest(
    census: pd.DataFrame,
    census_unit: pd.Series,
    grid_population: Mapping[int, pd.Series],
    *,
    census_level: str,
    finest_level: str,
) -> tuple[pd.DataFrame, list[str]]:
    """Share the census of coarser units among the finest units.

    Parameters
    ----------
    census : pandas.DataFrame
        Counts by census unit id (index) and year (integer columns).
    census_unit : pandas.Series
        The census unit id of every finest unit (index: finest unit ids).
    grid_population : mapping
        Year → the population grid summed over every finest unit (same index as
        ``census_unit``), for the years that have a grid.
    census_level, finest_level : str
        The names of both levels, for the warnings.

    Returns
    -------
    tuple of (pandas.DataFrame, list of str)
        The counts of the finest units (index of ``census_unit``; one column per shared
        year) and a warning for each census year that has no grid.
    """
    shared = {}
    warnings = []
    for year in census.columns:
        if year not in grid_population:
            warnings.append(
                f"census {year} is at level '{census_level}' and there is no {year} population "
                f"raster to share it among the '{finest_level}' units; it is not used."
            )
            continue
        people = grid_population[year]
        totals = people.groupby(census_unit).sum()
        factor = census[year] / totals.reindex(census.index)
        shared[year] = people * census_unit.map(factor)
    return pd.DataFrame(shared, index=census_unit.index), warnings
