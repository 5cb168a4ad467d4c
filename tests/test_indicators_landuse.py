"""Land-use indicators and SDG 11.3.1 (seed of methods/: LCRPGR = 2 exactly)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import EQUATOR_AREA, finalized, tiny_raster

from observatory.indicators.inputs import Inputs
from observatory.indicators.landuse import regime_label
from observatory.indicators.registry import Period, get_indicator


def test_built_up_area_share_and_per_capita(tiny_units):
    built = tiny_raster(np.full((4, 4), 2500.0))  # a quarter of every 1 ha cell is built
    census = pd.DataFrame({2024: [10.0, 20.0, 40.0]}, index=tiny_units.index)
    inputs = Inputs(tiny_units, census=census, rasters={"built_up": {2024: built}})
    period = Period(2024)
    # A: 4 cells × 2500 m² = 10000 m² of nominal cells = 0.01 × (1 − e²) km² on the
    # ellipsoid; share 0.01 / 0.04 = 25 % (both measured alike); 10000 (1 − e²) / 10 people.
    area = finalized("built_up_area", inputs, period)["value"]["A"]
    assert area == pytest.approx(0.01 * EQUATOR_AREA, rel=1e-9)
    assert finalized("built_up_share", inputs, period)["value"]["A"] == pytest.approx(25.0)
    per_capita = finalized("built_up_per_capita", inputs, period)["value"]
    assert per_capita["A"] == pytest.approx(1000.0 * EQUATOR_AREA)
    assert per_capita["C"] == pytest.approx(20000.0 * EQUATOR_AREA / 40.0)


def seed_inputs(tiny_units, urb_start_km2: float, urb_end_km2: float, pop_start, pop_end):
    """Unit C (8 cells of 1 ha) gets the whole built-up area, spread evenly."""

    def grid(km2: float):
        values = np.zeros((4, 4))
        values[2:, :] = km2 * 1e6 / 8
        return tiny_raster(values)

    census = pd.DataFrame(
        {2014: [0.0, 0.0, pop_start], 2024: [0.0, 0.0, pop_end]}, index=tiny_units.index
    )
    return Inputs(
        tiny_units,
        census=census,
        rasters={"built_up": {2014: grid(urb_start_km2), 2024: grid(urb_end_km2)}},
    )


def test_sdg_11_3_1_seed_gives_two_exactly(tiny_units):
    # Methods seed, scaled to the tiny grid: built-up 100 → 121 (× 10⁻⁴ km²), people
    # 1.0 → 1.1 M over 10 years: LCR = ln 1.21 / 10, PGR = ln 1.1 / 10, LCRPGR = 2.
    inputs = seed_inputs(tiny_units, 0.0100, 0.0121, 1.0e6, 1.1e6)
    result = finalized("sdg_11_3_1", inputs, Period(2024, 2014)).loc["C"]
    assert result["value"] == pytest.approx(2.0, rel=1e-12)
    assert result["lcr"] == pytest.approx(100 * math.log(1.21) / 10, rel=1e-12)
    assert result["pgr"] == pytest.approx(100 * math.log(1.1) / 10, rel=1e-12)
    assert result["regime"] == "expansion with population growth"
    rate = finalized("land_consumption_rate", inputs, Period(2024, 2014))["value"]["C"]
    assert rate == pytest.approx(1.9062036, rel=1e-7)


def test_sdg_11_3_1_over_three_uneven_years_uses_each_period_s_length(tiny_units):
    # Built-up of C 1.00, 1.20, 1.44 ha and people 100, 110, 121 in 2000, 2005, 2015.
    def grid(km2: float):
        values = np.zeros((4, 4))
        values[2:, :] = km2 * 1e6 / 8
        return tiny_raster(values)

    years = (2000, 2005, 2015)
    built = dict(zip(years, (0.0100, 0.0120, 0.0144), strict=True))
    people = dict(zip(years, (100.0, 110.0, 121.0), strict=True))
    census = pd.DataFrame({y: [0.0, 0.0, people[y]] for y in years}, index=tiny_units.index)
    inputs = Inputs(
        tiny_units, census=census, rasters={"built_up": {y: grid(built[y]) for y in years}}
    )
    expected = {
        # period: (LCR, PGR) in % per year
        Period(2005, 2000): (100 * math.log(1.2) / 5, 100 * math.log(1.1) / 5),
        Period(2015, 2005): (100 * math.log(1.2) / 10, 100 * math.log(1.1) / 10),
        Period(2015, 2000): (100 * math.log(1.44) / 15, 100 * math.log(1.21) / 15),
    }
    for period, (lcr, pgr) in expected.items():
        result = finalized("sdg_11_3_1", inputs, period).loc["C"]
        assert result["lcr"] == pytest.approx(lcr, rel=1e-12), period
        assert result["pgr"] == pytest.approx(pgr, rel=1e-12), period
        # the years cancel out of the ratio: ln 1.2 / ln 1.1 = 1.912928 in every period
        assert result["value"] == pytest.approx(math.log(1.2) / math.log(1.1), rel=1e-12)
        rate = finalized("land_consumption_rate", inputs, period)["value"]["C"]
        assert rate == pytest.approx(lcr, rel=1e-12)
    assert expected[Period(2015, 2000)][0] == pytest.approx(2.4309541, rel=1e-7)


def test_built_up_per_capita_seed_110_m2(tiny_units):
    inputs = seed_inputs(tiny_units, 0.0100, 0.0121, 1.0e6, 1.1e6)
    # 121 × 10⁻⁴ km² = 12100 m² over 110 people would be 110; here 12100 / 1.1e6 × 10⁴ scale,
    # the m² of nominal cells taken to the ellipsoid (× (1 − e²) at the equator).
    per_capita = finalized("built_up_per_capita", inputs, Period(2024))["value"]["C"]
    assert per_capita == pytest.approx(12100.0 * EQUATOR_AREA / 1.1e6, rel=1e-9)


def test_sdg_11_3_1_without_population_change_has_no_value_and_warns(tiny_units):
    inputs = seed_inputs(tiny_units, 0.0100, 0.0121, 5000.0, 5000.0)
    result = finalized("sdg_11_3_1", inputs, Period(2024, 2014)).loc["C"]
    assert np.isnan(result["value"])
    assert result["regime"] == "expansion with stable population"
    assert "too close to 0 for a meaningful ratio" in result["quality"]
    assert any("within ±0.1 %/yr" in w and "(C)" in w for w in inputs.warnings)


def test_sdg_11_3_1_one_more_person_in_59775_is_not_published(tiny_units):
    # Recomputed by hand: PGR = 100 ln(59776 / 59775) / 10 = 1.67294e-4 %/yr. With LCR =
    # 100 ln(1.6270) / 10 = 4.86738 %/yr the ratio would be 29,095.0: a number that only says
    # PGR is almost 0. |PGR| < 0.1 %/yr: no value, the flag, LCR and PGR beside it.
    inputs = seed_inputs(tiny_units, 0.0100, 0.016270, 59775.0, 59776.0)
    result = finalized("sdg_11_3_1", inputs, Period(2024, 2014)).loc["C"]
    pgr = 100 * math.log(59776 / 59775) / 10
    lcr = 100 * math.log(1.6270) / 10
    assert pgr == pytest.approx(1.67294e-4, rel=1e-5)
    assert lcr / pgr == pytest.approx(29095.0, rel=1e-5)  # what was published before
    assert np.isnan(result["value"])
    assert result["pgr"] == pytest.approx(pgr, rel=1e-9)
    assert result["lcr"] == pytest.approx(lcr, rel=1e-9)
    assert result["quality"] == (
        "not published: population growth +0.000 %/yr is too close to 0 for a meaningful "
        "ratio (|PGR| < 0.1 %/yr); see lcr and pgr"
    )
    assert result["regime"] == "expansion with stable population"


def test_sdg_11_3_1_a_growth_of_0_1_per_cent_a_year_is_published(tiny_units):
    # PGR = 100 ln(1.0101) / 10 = 0.1005 %/yr ≥ 0.1: the ratio LCR / PGR is published.
    inputs = seed_inputs(tiny_units, 0.0100, 0.0121, 1.0e6, 1.0101e6)
    result = finalized("sdg_11_3_1", inputs, Period(2024, 2014)).loc["C"]
    assert result["value"] == pytest.approx(math.log(1.21) / math.log(1.0101), rel=1e-12)
    assert result["quality"] == ""


def test_sdg_11_3_1_stable_population_rate_is_a_parameter(tiny_units):
    spec = get_indicator("sdg_11_3_1")
    params = spec.resolve_params({"stable_population_rate": 0.0})
    inputs = seed_inputs(tiny_units, 0.0100, 0.016270, 59775.0, 59776.0)
    period = Period(2024, 2014)
    value = spec.finalize(spec.compute(inputs, period, params), period, params)["value"]["C"]
    assert value == pytest.approx(math.log(1.6270) / math.log(59776 / 59775))


def test_sdg_11_3_1_a_tiny_built_up_gain_is_not_expansion(tiny_units):
    # 0.003 m² more built-up in ten years over 10,000 m²: LCR = 3e-8 %/yr, stable built-up;
    # the population falls 10 %: "stable built-up with population decline", not
    # "expansion with population decline".
    inputs = seed_inputs(tiny_units, 0.0100, 0.0100 + 0.003e-6, 1.1e6, 1.0e6)
    result = finalized("sdg_11_3_1", inputs, Period(2024, 2014)).loc["C"]
    assert result["lcr"] == pytest.approx(100 * math.log1p(0.003 / 10000) / 10, rel=1e-6)
    assert result["regime"] == "stable built-up with population decline"
    assert result["value"] == pytest.approx(result["lcr"] / result["pgr"])


def test_sdg_11_3_1_a_zero_base_population_is_flagged(tiny_units):
    inputs = seed_inputs(tiny_units, 0.0100, 0.0121, 0.0, 50.0)
    result = finalized("sdg_11_3_1", inputs, Period(2024, 2014))
    assert np.isnan(result["value"]["C"])
    assert result["quality"]["C"] == "not computed: the population of 2014 is 0"
    # A and B have no built-up and no people in either year.
    assert result["quality"]["A"] == "not computed: the population of 2014 is 0"


def test_sdg_11_3_1_a_zero_base_built_up_is_flagged(tiny_units):
    inputs = seed_inputs(tiny_units, 0.0, 0.0121, 1.0e6, 1.1e6)
    result = finalized("sdg_11_3_1", inputs, Period(2024, 2014))
    assert result["quality"]["C"] == "not computed: the built-up area of 2014 is 0"


def test_sdg_11_3_1_population_decline_keeps_the_value_and_labels_the_regime(tiny_units):
    inputs = seed_inputs(tiny_units, 0.0100, 0.0121, 1.1e6, 1.0e6)
    result = finalized("sdg_11_3_1", inputs, Period(2024, 2014)).loc["C"]
    assert result["value"] == pytest.approx(-2.0, rel=1e-12)
    assert result["regime"] == "expansion with population decline"


@pytest.mark.parametrize(
    ("lcr", "pgr", "label"),
    [
        (0.0, 1.0, "densification: population growth without new built-up"),
        (-1.0, -1.0, "contraction: built-up loss with population decline"),
        (float("nan"), 1.0, ""),
        (0.005, -0.05, "no change"),
        (0.01, -0.0999, "expansion with stable population"),
        (3e-8, -1.0, "stable built-up with population decline"),
        (0.079, -1.1, "expansion with population decline"),  # 0.8 % more in ten years
    ],
)
def test_regime_labels(lcr, pgr, label):
    # The default tolerances: 0.01 %/yr on LCR, 0.1 %/yr on PGR.
    assert regime_label(lcr, pgr, 0.01, 0.1) == label


def test_land_consumption_and_growth_rates_are_flagged_on_a_zero_base(tiny_units):
    inputs = seed_inputs(tiny_units, 0.0100, 0.0121, 1.0e6, 1.1e6)
    period = Period(2024, 2014)
    rate = finalized("land_consumption_rate", inputs, period)
    assert rate["quality"]["A"] == "not computed: the figure of 2014 is 0"
    assert rate["quality"]["C"] == ""
