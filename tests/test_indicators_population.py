"""Population indicators on the tiny territory of conftest (answers worked out by hand)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import EQUATOR_AREA, tiny_raster

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, get_indicator

# Population grid: row r, column c holds 4r + c people.
#  0  1  2  3
#  4  5  6  7
#  8  9 10 11
# 12 13 14 15
PEOPLE = np.arange(16, dtype=float).reshape(4, 4)


def value(indicator_id: str, inputs: Inputs, period: Period) -> pd.Series:
    spec = get_indicator(indicator_id)
    params = spec.resolve_params()
    return spec.finalize(spec.compute(inputs, period, params), period, params)["value"]


def test_population_from_raster_sums_the_cells_of_each_unit(tiny_units):
    inputs = Inputs(tiny_units, rasters={"population": {2024: tiny_raster(PEOPLE)}})
    # A = 0+1+4+5 = 10; B = 2+3+6+7 = 18; C = 8+...+15 = 92.
    assert value("population", inputs, Period(2024)).to_dict() == {"A": 10, "B": 18, "C": 92}
    assert inputs.population_source(2024) == "population raster"


def test_population_prefers_the_census_over_the_raster(tiny_units):
    census = pd.DataFrame({2024: [100.0, 200.0, 300.0]}, index=tiny_units.index)
    inputs = Inputs(tiny_units, census=census, rasters={"population": {2024: tiny_raster(PEOPLE)}})
    assert value("population", inputs, Period(2024)).tolist() == [100, 200, 300]
    assert inputs.population_source(2024) == "census"


def test_a_unit_half_covering_a_cell_counts_half_of_it(tiny_units):
    from shapely.geometry import box

    half = tiny_units.copy()
    # A now spans x 0-150: the cells of columns 0 (whole) and 1 (half) in rows 0-1:
    # 0 + 4 + (1 + 5) / 2 = 7.
    half.loc["A", "geometry"] = box(0, 200, 150, 400)
    inputs = Inputs(half, rasters={"population": {2024: tiny_raster(PEOPLE)}})
    assert value("population", inputs, Period(2024))["A"] == pytest.approx(7.0, abs=1e-9)


def test_density_is_per_km2_of_land(tiny_units):
    # Bottom two rows are half water (5000 m² of land per 10000 m² cell).
    land = tiny_raster([[10000] * 4] * 2 + [[5000] * 4] * 2)
    inputs = Inputs(
        tiny_units, rasters={"population": {2024: tiny_raster(PEOPLE)}, "land": {None: land}}
    )
    # A: 10 people on 0.04 km² → 250; C: 92 people on 0.08 − 0.04 water = 0.04 km² → 2300,
    # every km² × (1 − e²) on the ellipsoid.
    density = value("population_density", inputs, Period(2024))
    assert density["A"] == pytest.approx(250.0 / EQUATOR_AREA, rel=1e-9)
    assert density["C"] == pytest.approx(2300.0 / EQUATOR_AREA, rel=1e-9)


def test_growth_rate_is_the_log_form_in_percent_per_year(tiny_units):
    census = pd.DataFrame(
        {2014: [1.0e6, 100.0, 50.0], 2024: [1.1e6, 100.0, 25.0]}, index=tiny_units.index
    )
    inputs = Inputs(tiny_units, census=census)
    rate = value("population_growth_rate", inputs, Period(2024, 2014))
    # 100 × ln(1.1) / 10 = 0.953102; stable → 0; halving → 100 × ln(0.5) / 10 = −6.931472.
    assert rate["A"] == pytest.approx(100 * math.log(1.1) / 10, rel=1e-12)
    assert rate["B"] == 0.0
    assert rate["C"] == pytest.approx(-6.9314718, rel=1e-7)


def test_growth_rates_of_three_uneven_years_divide_by_each_period_s_own_length(tiny_units):
    # 100, 110, 121 people in 2000, 2005, 2015 (A): +10 % in 5 years, +10 % in 10 years.
    census = pd.DataFrame(
        {2000: [100.0, 50.0, 8.0], 2005: [110.0, 50.0, 4.0], 2015: [121.0, 50.0, 2.0]},
        index=tiny_units.index,
    )
    inputs = Inputs(tiny_units, census=census)
    first = value("population_growth_rate", inputs, Period(2005, 2000))
    second = value("population_growth_rate", inputs, Period(2015, 2005))
    whole = value("population_growth_rate", inputs, Period(2015, 2000))
    assert first["A"] == pytest.approx(100 * math.log(1.1) / 5, rel=1e-12)  # 1.906204
    assert second["A"] == pytest.approx(100 * math.log(1.1) / 10, rel=1e-12)  # 0.953102
    assert whole["A"] == pytest.approx(100 * math.log(1.21) / 15, rel=1e-12)  # 1.270802
    # the span's log rate is the mean of the steps' weighted by their years
    assert whole["A"] == pytest.approx((5 * first["A"] + 10 * second["A"]) / 15, rel=1e-12)
    assert whole["B"] == 0.0
    # C halves then halves again: 100 ln(1/2)/5, 100 ln(1/2)/10, 100 ln(1/4)/15
    assert first["C"] == pytest.approx(-13.862944, rel=1e-7)
    assert second["C"] == pytest.approx(-6.931472, rel=1e-7)
    assert whole["C"] == pytest.approx(-9.241962, rel=1e-7)
