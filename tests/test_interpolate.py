"""Tests of observatory.kernels.interpolate: a coarser census shared by a population grid.

Three finest units A, B (in census unit P1) and C (in P2); the grid sums to 10, 18 and 92
people in them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from observatory.kernels.interpolate import census_on_finest

CENSUS_UNIT = pd.Series(["P1", "P1", "P2"], index=pd.Index(["A", "B", "C"], name="unit_id"))
GRID_2014 = pd.Series([10.0, 18.0, 92.0], index=CENSUS_UNIT.index)


def share(census: pd.DataFrame, grid_population: dict):
    return census_on_finest(
        census, CENSUS_UNIT, grid_population, census_level="province", finest_level="commune"
    )


def test_a_census_unit_is_shared_as_the_grid_is():
    census = pd.DataFrame({2014: [56.0, 46.0]}, index=pd.Index(["P1", "P2"]))
    shared, warnings = share(census, {2014: GRID_2014})
    # P1 = 56 people shared as the grid's A:B = 10:18 → 20 and 36; C gets all of P2.
    assert shared[2014].to_dict() == pytest.approx({"A": 20.0, "B": 36.0, "C": 46.0})
    assert shared.index.equals(CENSUS_UNIT.index)
    assert warnings == []


def test_census_totals_are_kept():
    census = pd.DataFrame({2014: [1000.0, 7.0]}, index=pd.Index(["P1", "P2"]))
    shared, _ = share(census, {2014: GRID_2014})
    assert shared[2014].groupby(CENSUS_UNIT).sum().to_dict() == pytest.approx(
        {"P1": 1000.0, "P2": 7.0}
    )


def test_a_year_without_grid_is_left_out_with_a_warning():
    census = pd.DataFrame({2004: [1.0, 2.0], 2014: [56.0, 46.0]}, index=pd.Index(["P1", "P2"]))
    shared, warnings = share(census, {2014: GRID_2014})
    assert list(shared.columns) == [2014]
    assert warnings == [
        "census 2004 is at level 'province' and there is no 2004 population raster to share "
        "it among the 'commune' units; it is not used."
    ]


def test_units_of_a_census_unit_without_grid_population_get_no_value():
    census = pd.DataFrame({2014: [56.0, 46.0]}, index=pd.Index(["P1", "P2"]))
    empty_p1 = pd.Series([0.0, 0.0, 92.0], index=CENSUS_UNIT.index)
    shared, _ = share(census, {2014: empty_p1})
    assert np.isnan(shared.loc[["A", "B"], 2014]).all()
    assert shared.loc["C", 2014] == 46.0
