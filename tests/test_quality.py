"""Coverage of the units by the rasters, and the values that are not published.

The tiny territory of conftest: 4 × 4 cells of 100 m; A the 4 top-left cells, B the 4
top-right, C the 8 bottom cells; P1 = A + B, P2 = C, R everything.
"""

from __future__ import annotations

from dataclasses import replace

import builders
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from conftest import EQUATOR_AREA, MOLLWEIDE, tiny_raster
from shapely.geometry import box

from observatory.engine import aggregate, compute_plan
from observatory.hierarchy import Hierarchy
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, get_indicator
from observatory.kernels.grid import Grid, Raster
from observatory.plan import make_plan
from observatory.quality import (
    coverage_components,
    coverage_shares,
    flag_low_coverage,
    incomplete_reasons,
    low_coverage_units,
)

#: The west half of the tiny grid (x 0–200 m): A inside, B outside, C half inside.
WEST_GRID = Grid(MOLLWEIDE, Affine(100.0, 0.0, 0.0, 0.0, -100.0, 400.0), 4, 2)
BUILT = 2500.0  # m² per cell


def west_raster(value: float) -> Raster:
    return Raster(np.full((4, 2), value), WEST_GRID, None, "west")


def cropped_inputs(units) -> Inputs:
    """Built-up and population rasters on the west half only; a census of every unit."""
    census = pd.DataFrame({2024: [40.0, 40.0, 80.0]}, index=units.index)
    return Inputs(
        units,
        census=census,
        rasters={
            "built_up": {2024: west_raster(BUILT)},
            "population": {2024: west_raster(10.0)},
        },
    )


def levels_of(indicator_id, inputs, hierarchy, period, min_coverage=0.99):
    spec = get_indicator(indicator_id)
    params = spec.resolve_params()
    components = spec.compute(inputs, period, params)
    coverage = coverage_components(inputs, inputs.rasters_used(spec.needs, period))
    return aggregate(
        components, hierarchy, spec, period, params, coverage=coverage, min_coverage=min_coverage
    )


def test_the_share_of_each_unit_a_raster_covers(tiny_units, tiny_hierarchy):
    inputs = cropped_inputs(tiny_units)
    coverage = inputs.raster_coverage("built_up", 2024)
    # A: 4 cells of 1 ha inside; B none; C 4 of its 8 cells; in km² on the ellipsoid.
    km2 = 0.01 * EQUATOR_AREA
    assert coverage["covered"].to_dict() == pytest.approx({"A": 4 * km2, "B": 0.0, "C": 4 * km2})
    assert coverage["area"].to_dict() == pytest.approx({"A": 4 * km2, "B": 4 * km2, "C": 8 * km2})


def test_nodata_cells_are_not_covered(tiny_units):
    values = np.full((4, 4), 1.0)
    values[3, :] = -1  # the bottom row: half of C
    raster = tiny_raster(values, nodata=-1)
    shares = coverage_shares(
        coverage_components(Inputs(tiny_units, rasters={"pm25": {2024: raster}}), [("pm25", 2024)])
    )
    assert shares["pm25 2024"].to_dict() == pytest.approx({"A": 1.0, "B": 1.0, "C": 0.5})


def test_a_unit_covered_at_13_8_per_cent_is_named_with_its_share(tiny_units):
    # D: x 344.8–744.8 m, y 300–400 m; the grid ends at x = 400: 55.2 / 400 = 13.8 %.
    units = pd.concat(
        [
            tiny_units,
            tiny_units.iloc[:1].set_geometry([box(344.8, 300, 744.8, 400)]).rename({"A": "D"}),
        ]
    )
    units.loc["D", "unit_name"] = "Delta"
    inputs = Inputs(units, rasters={"population": {2024: tiny_raster(np.ones((4, 4)))}})
    summed = coverage_components(inputs, [("population", 2024)])
    shares = coverage_shares(summed)["population 2024"]
    assert shares["D"] == pytest.approx(0.138, abs=1e-6)
    values = pd.DataFrame({"value": [1.0, 2.0, 3.0, 4.0]}, index=units.index)
    flagged = flag_low_coverage(values, summed, 0.99)
    assert np.isnan(flagged.loc["D", "value"])
    assert flagged.loc["D", "quality"] == (
        "not published: the population 2024 raster covers 13.8 % of the unit (below 99.0 %)"
    )
    assert flagged.loc["D", "coverage"] == pytest.approx(0.138, abs=1e-6)
    assert flagged.loc["A", "value"] == 1.0 and flagged.loc["A", "quality"] == ""
    assert low_coverage_units(shares, units["unit_name"], "commune", 0.99) == (
        "1 commune(s): Delta (D) 13.8 %"
    )


def test_a_unit_wholly_outside_the_rasters_is_not_published(tiny_units, tiny_hierarchy):
    inputs = cropped_inputs(tiny_units)
    for indicator_id in ("built_up_area", "built_up_per_capita"):
        commune = levels_of(indicator_id, inputs, tiny_hierarchy, Period(2024))["commune"]
        # Before: B was published with 0 km² built up and 0 m² per person.
        assert np.isnan(commune.loc["B", "value"]), indicator_id
        assert commune.loc["B", "coverage"] == 0.0
        assert "covers 0.0 % of the unit (below 99.0 %)" in commune.loc["B", "quality"]
        assert np.isnan(commune.loc["C", "value"])
        assert "covers 50.0 %" in commune.loc["C", "quality"]
        assert commune.loc["A", "quality"] == "" and commune.loc["A", "coverage"] == 1.0
    built = levels_of("built_up_area", inputs, tiny_hierarchy, Period(2024))
    assert built["commune"].loc["A", "value"] == pytest.approx(4 * BUILT / 1e6 * EQUATOR_AREA)


def sample_hierarchy() -> Hierarchy:
    """The hierarchy of the builders' project (region 04, provinces 04.01-02, 4 communes)."""
    layers = builders.sample_units()
    levels = {}
    for name, layer, parent in builders.LEVELS:
        frame = layers[layer].set_index(pd.Index(layers[layer]["code"], name="unit_id"))
        frame["unit_name"] = frame["name"]
        frame["parent_id"] = frame[parent] if parent else None
        levels[name] = frame[["unit_name", "parent_id", "geometry"]]
    communes = layers["communes"]
    ancestors = pd.DataFrame(
        {
            "region": "04",
            "province": communes["province_code"].to_numpy(),
            "commune": communes["code"].to_numpy(),
        },
        index=levels["commune"].index,
    )
    return Hierarchy(levels=levels, ancestors=ancestors)


def sample_inputs(hierarchy: Hierarchy, population: Raster) -> Inputs:
    return Inputs(hierarchy.levels["commune"], rasters={"population": {2024: population}})


def test_a_commune_outside_the_population_grid_gets_no_class(tmp_path):
    # The west half of the 4 km square: 04.001 and 04.002 inside, 04.003 and 04.004 outside.
    hierarchy = sample_hierarchy()
    full = builders.sample_rasters()["population"][2024]
    west = Raster(full.data[:, :2].copy(), replace(full.grid, width=2), full.nodata, "west")
    inputs = sample_inputs(hierarchy, west)
    levels = levels_of("degurba_l1", inputs, hierarchy, Period(2024))
    commune = levels["commune"]
    assert commune["quality"]["04.001"] == "" and commune["coverage"]["04.001"] == 1.0
    assert commune["class"]["04.003"] == ""  # before: "rural area"
    assert np.isnan(commune["value"]["04.003"])
    assert "covers 0.0 % of the unit" in commune["quality"]["04.003"]
    assert levels["province"]["coverage"].to_dict() == {"04.01": 1.0, "04.02": 0.0}
    assert levels["region"]["coverage"]["04"] == 0.5


def test_an_all_nodata_population_raster_publishes_no_class():
    hierarchy = sample_hierarchy()
    full = builders.sample_rasters()["population"][2024]
    empty = replace(full, data=np.full(full.data.shape, builders.NODATA, dtype="float32"))
    inputs = sample_inputs(hierarchy, empty)
    plan = make_plan(inputs, [get_indicator("degurba_l1"), get_indicator("population")])
    results = compute_plan(plan, inputs, hierarchy, {})
    assert {result.indicator.id for result in results} == {"degurba_l1", "population"}
    for result in results:  # before: every commune "rural", 0 people
        assert result.values["value"].isna().all(), result.indicator.id
        assert result.values["quality"].str.contains("covers 0.0 %").all()
    warning = next(w for w in inputs.warnings if w.startswith("the population 2024 raster"))
    assert "4 commune(s): Salé-Nord (04.001) 0.0 %, Salé-Sud (04.002) 0.0 %" in warning
    assert "2 province(s): Salé (04.01) 0.0 %, Skhirate-Témara (04.02) 0.0 %" in warning
    assert "1 region(s): Rabat-Salé-Kénitra (04) 0.0 %" in warning


def test_a_parent_is_covered_by_the_sum_of_its_units(tiny_units, tiny_hierarchy):
    # P1 = A (4 cells covered) + B (none): 4 / 8 = 50 %; R: 8 of 16 cells.
    levels = levels_of("built_up_area", cropped_inputs(tiny_units), tiny_hierarchy, Period(2024))
    assert levels["province"]["coverage"].to_dict() == {"P1": 0.5, "P2": 0.5}
    assert levels["region"]["coverage"]["R"] == 0.5
    assert np.isnan(levels["region"]["value"]["R"])
    # With a threshold of 40 %, everything but B is published.
    levels = levels_of(
        "built_up_area", cropped_inputs(tiny_units), tiny_hierarchy, Period(2024), 0.4
    )
    assert levels["region"]["value"]["R"] == pytest.approx(8 * BUILT / 1e6 * EQUATOR_AREA)
    assert levels["commune"]["quality"].to_dict() == {
        "A": "",
        "B": "not published: the built_up 2024 raster covers 0.0 % of the unit (below 40.0 %)",
        "C": "",
    }


def test_census_values_carry_no_coverage(tiny_units, tiny_hierarchy):
    inputs = cropped_inputs(tiny_units)
    assert inputs.rasters_used(get_indicator("population").needs, Period(2024)) == []
    levels = levels_of("population", inputs, tiny_hierarchy, Period(2024))
    assert levels["commune"]["value"]["B"] == 40.0
    assert "coverage" not in levels["commune"].columns


def test_the_rasters_an_indicator_reads(tiny_units):
    grid = tiny_raster(np.ones((4, 4)))
    inputs = Inputs(
        tiny_units,
        census=pd.DataFrame({2014: [1.0, 1.0, 1.0]}, index=tiny_units.index),
        rasters={
            "population": {2014: grid, 2024: grid},
            "built_up": {2014: grid, 2024: grid},
            "land": {None: grid},
            "pm25": {2019: grid},
        },
    )
    change = Period(2024, 2014)
    assert inputs.rasters_used(("built_up", "population"), change) == [
        ("built_up", 2014),
        ("built_up", 2024),
        ("population", 2024),  # 2014 comes from the census
    ]
    assert inputs.rasters_used(("pm25", "population_grid"), Period(2019)) == [
        ("pm25", 2019),
        ("population", 2014),  # the nearest grid, earlier on a tie
    ]
    assert inputs.rasters_used(("land", "roads"), Period(2024)) == [("land", None)]


def test_a_parent_without_finest_units_says_so_rather_than_failing():
    # counts summed into 3 provinces: one complete, one with 1 of 4 missing, one with none
    missing = pd.Series([0.0, 1.0, np.nan], index=["P1", "P2", "P3"])
    units = pd.Series([2.0, 4.0, np.nan], index=["P1", "P2", "P3"])
    reasons = incomplete_reasons(missing, units, "commune")
    assert reasons.tolist() == [
        "",
        "1 of its 4 commune units have no value",
        "it holds no commune unit",
    ]
