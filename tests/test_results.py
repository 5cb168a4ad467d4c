"""Results of a run: the series of a level (units in rows, periods in columns)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from observatory.indicators.registry import Period, get_indicator
from observatory.results import SERIES_COLUMNS, LevelResult, Results

NAN = float("nan")


def result(indicator_id: str, period: Period, level: str, index, **columns) -> LevelResult:
    frame = pd.DataFrame(columns, index=pd.Index(index, name="unit_id"))
    return LevelResult(get_indicator(indicator_id), period, level, frame)


def results_of(hierarchy, level_results) -> Results:
    return Results(
        project=None,
        hierarchy=hierarchy,
        level_results=level_results,
        skipped={},
        warnings=[],
        population_sources={},
        started=0.0,
        finished=0.0,
    )


@pytest.fixture
def three_years(tiny_hierarchy) -> Results:
    """Population of A, B, C in 2000, 2005, 2015, C missing in 2000 (it did not exist), and
    the growth rates of the two steps and of the whole span, computed in the test's order
    (not time order)."""
    units = ["A", "B", "C"]
    missing = "not computed: the population of 2000 is missing"
    growth = {
        Period(2015, 2000): [math.log(1.21) / 15, 0.0, NAN],
        Period(2005, 2000): [math.log(1.1) / 5, 0.0, NAN],
        Period(2015, 2005): [math.log(1.1) / 10, 0.0, math.log(1.5) / 10],
    }
    rates = [
        result(
            "population_growth_rate",
            period,
            "commune",
            units,
            value=values,
            quality=["", "", missing if period.start == 2000 else ""],
        )
        for period, values in growth.items()
    ]
    populations = [
        result("population", Period(year), "commune", units, value=values)
        for year, values in {
            2015: [121.0, 50.0, 30.0],
            2000: [100.0, 50.0, NAN],
            2005: [110.0, 50.0, 20.0],
        }.items()
    ]
    regimes = [
        result(
            "sdg_11_3_1",
            Period(2015, 2005),
            "commune",
            units,
            value=[2.0, NAN, 1.0],
            lcr=[2.0, NAN, 1.0],
            pgr=[1.0, 0.0, 1.0],
            regime=["expansion with population growth", "", "no change"],
            quality=["", "not published: population growth +0.000 %/yr ...", ""],
        )
    ]
    province = [result("population", Period(2015), "province", ["P1", "P2"], value=[171.0, 30])]
    return results_of(tiny_hierarchy, [*populations, *rates, *regimes, *province])


def test_a_series_has_the_units_in_rows_and_the_years_then_the_periods_in_columns(three_years):
    series = three_years.series("commune")
    assert list(series.columns) == [
        *SERIES_COLUMNS,
        "2000",
        "2005",
        "2015",
        "2000_2005",
        "2005_2015",
        "2000_2015",
        "quality",
    ]
    population = series[series["indicator"] == "population"].set_index("unit_id")
    assert population.loc["A", ["2000", "2005", "2015"]].tolist() == [100.0, 110.0, 121.0]
    assert population["unit"].unique().tolist() == ["people"]
    assert population.loc["A", "unit_name"] == "Alpha" and population.loc["C", "parent_id"] == "P2"
    growth = series[series["indicator"] == "population_growth_rate"].set_index("unit_id")
    assert growth.loc["A", ["2000_2005", "2005_2015", "2000_2015"]].tolist() == pytest.approx(
        [math.log(1.1) / 5, math.log(1.1) / 10, math.log(1.21) / 15], rel=1e-15
    )
    assert growth.loc["A", ["2000", "2005", "2015"]].isna().all()  # a rate has no year


def test_a_unit_without_a_value_in_a_year_is_empty_never_zero_with_its_reason(three_years):
    series = three_years.series("commune").set_index(["indicator", "unit_id"])
    assert math.isnan(series.loc[("population", "C"), "2000"])
    assert series.loc[("population", "C"), "2005"] == 20.0
    assert series.loc[("population", "C"), "quality"] == ""  # the input gave no reason
    growth = series.loc[("population_growth_rate", "C")]
    assert np.isnan(growth[["2000_2005", "2000_2015"]].to_numpy(dtype=float)).all()
    assert growth["quality"] == (
        "2000_2005: not computed: the population of 2000 is missing; "
        "2000_2015: not computed: the population of 2000 is missing"
    )
    assert series.loc[("population_growth_rate", "B"), "2005_2015"] == 0.0  # a real zero


def test_components_have_rows_of_their_own_with_their_unit_and_flags(three_years):
    series = three_years.series("commune").set_index(["indicator", "unit_id"])
    assert series.loc[("sdg_11_3_1_lcr", "A"), "unit"] == "% per year"
    assert series.loc[("sdg_11_3_1_regime", "C"), "2005_2015"] == "no change"
    assert series.loc[("sdg_11_3_1_regime", "C"), "unit"] is None  # a text row
    flag = "2005_2015: not published: population growth +0.000 %/yr ..."
    assert series.loc[("sdg_11_3_1", "B"), "quality"] == flag
    assert series.loc[("sdg_11_3_1_lcr", "B"), "quality"] == flag  # empty too
    assert series.loc[("sdg_11_3_1_pgr", "B"), "quality"] == ""  # it has its value, 0


def test_each_level_has_its_own_series(three_years):
    provinces = three_years.series("province")
    assert provinces["unit_id"].tolist() == ["P1", "P2"]
    assert list(provinces.columns) == [*SERIES_COLUMNS, "2015", "quality"]
    assert three_years.series("region").columns.tolist() == [*SERIES_COLUMNS, "quality"]
