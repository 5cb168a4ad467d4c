"""The engine: loading once, plan, aggregation from summed components, conservation, CRS
independence, the census on the finest units."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from affine import Affine
from builders import build_project, set_commune
from conftest import EQUATOR_AREA, TINY_GRID, tiny_raster

from observatory import layers as layers_module
from observatory.census_levels import census_counts
from observatory.checks import validate_project
from observatory.engine import aggregate, build_inputs, load_checked_layers, run
from observatory.errors import InputDataError
from observatory.hierarchy import unit_hierarchy
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, catalogue, get_indicator, period_order
from observatory.io import tables, vector
from observatory.io.raster import open_raster
from observatory.kernels.grid import Grid, Raster
from observatory.plan import change_periods, make_plan, periods_for
from observatory.project import load_project

PEOPLE = np.arange(16, dtype=float).reshape(4, 4)
BUILT = np.full((4, 4), 2500.0)


def full_inputs(units) -> Inputs:
    return Inputs(
        units,
        rasters={
            "population": {2014: tiny_raster(PEOPLE), 2024: tiny_raster(PEOPLE * 1.5)},
            "built_up": {2014: tiny_raster(BUILT), 2024: tiny_raster(BUILT * 2)},
        },
    )


def levels_of(indicator_id: str, inputs: Inputs, hierarchy, period: Period):
    spec = get_indicator(indicator_id)
    params = spec.resolve_params()
    components = spec.compute(inputs, period, params)
    return aggregate(components, hierarchy, spec, period, params)


def test_counts_at_a_parent_equal_the_sum_of_its_children(tiny_units, tiny_hierarchy):
    result = levels_of("population", full_inputs(tiny_units), tiny_hierarchy, Period(2014))
    # P1 = A + B = 10 + 18; P2 = C = 92; R = 120 = Σ of the whole raster.
    assert result["province"]["value"].to_dict() == {"P1": 28.0, "P2": 92.0}
    assert result["region"]["value"]["R"] == PEOPLE.sum()


def test_ratios_at_a_parent_are_summed_numerators_over_summed_denominators(
    tiny_units, tiny_hierarchy
):
    result = levels_of("built_up_per_capita", full_inputs(tiny_units), tiny_hierarchy, Period(2014))
    communes, province = result["commune"], result["province"].loc["P1"]
    # A: 10000 m² / 10 people = 1000; B: 10000 / 18 = 555.6; their mean would be 777.8,
    # but P1 is 20000 / 28 = 714.29 (m² of nominal cells, × (1 − e²) on the ellipsoid).
    assert province["value"] == pytest.approx(20000.0 * EQUATOR_AREA / 28.0)
    assert province["numerator"] == communes.loc[["A", "B"], "numerator"].sum()
    assert province["denominator"] == communes.loc[["A", "B"], "denominator"].sum()


def test_rates_at_a_parent_are_recomputed_from_summed_counts(tiny_units, tiny_hierarchy):
    result = levels_of("sdg_11_3_1", full_inputs(tiny_units), tiny_hierarchy, Period(2024, 2014))
    # Built-up doubles, population × 1.5 everywhere: ln 2 / ln 1.5 at every level.
    expected = np.log(2.0) / np.log(1.5)
    for level in ("commune", "province", "region"):
        assert result[level]["value"].to_numpy() == pytest.approx(expected, rel=1e-12)


def test_units_tiling_the_raster_sum_to_its_total(tiny_units):
    inputs = full_inputs(tiny_units)
    assert inputs.zonal_sum("population", 2014).sum() == pytest.approx(PEOPLE.sum(), rel=1e-12)


def test_same_answer_with_units_in_epsg_4326(tiny_units):
    # Reprojecting the unit squares to degrees and back moves their corners by far less than
    # a millimetre; exact coverage then differs from the Mollweide units by < 1e-6 people.
    in_degrees = tiny_units.to_crs("EPSG:4326")
    native = full_inputs(tiny_units).zonal_sum("population", 2024)
    reprojected = full_inputs(in_degrees).zonal_sum("population", 2024)
    np.testing.assert_allclose(reprojected.to_numpy(), native.to_numpy(), rtol=1e-6)
    areas = full_inputs(in_degrees).area_km2()
    expected = np.array([0.04, 0.04, 0.08]) * EQUATOR_AREA
    np.testing.assert_allclose(areas.to_numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(full_inputs(tiny_units).area_km2().to_numpy(), expected, rtol=1e-6)


def test_plan_lists_what_cannot_be_computed_and_why(tiny_units):
    inputs = Inputs(tiny_units, rasters={"population": {2024: tiny_raster(PEOPLE)}})
    plan = make_plan(inputs, catalogue().values())
    planned = {item.indicator.id for item in plan.items}
    assert "population" in planned
    assert "built_up" in plan.skipped["built_up_area"]
    assert plan.skipped["population_growth_rate"] == "no pair of years common to population"
    assert "PM2.5" in plan.skipped["sdg_11_6_2"]
    assert planned.isdisjoint(plan.skipped)


def test_an_empty_layer_or_one_elsewhere_skips_what_needs_it(tiny_units):
    # Before: access to schools published as 0 % in every unit.
    import geopandas as gpd
    from shapely.geometry import LineString, Point

    far = gpd.GeoDataFrame(geometry=[Point(5e6, 5e6)], crs=tiny_units.crs)
    roads = gpd.GeoDataFrame(geometry=[LineString([(0, 200), (400, 200)])], crs=tiny_units.crs)
    inputs = Inputs(
        tiny_units,
        rasters={"population": {2024: tiny_raster(PEOPLE)}},
        layers={"schools": far.iloc[:0], "health": far, "roads": roads},
    )
    plan = make_plan(inputs, catalogue().values())
    assert plan.skipped["school_access"] == "the schools layer has no features"
    assert plan.skipped["health_access"] == (
        "no feature of the health layer lies within the extent of the units"
    )
    assert "population" in {item.indicator.id for item in plan.items}


def test_periods_are_common_years_then_consecutive_pairs_and_the_whole_span(tiny_units):
    census = pd.DataFrame({2004: [1.0] * 3, 2014: [1.0] * 3}, index=tiny_units.index)
    inputs = Inputs(tiny_units, census=census, rasters=full_inputs(tiny_units).rasters)
    assert periods_for(get_indicator("population"), inputs) == [
        Period(2004),
        Period(2014),
        Period(2024),
    ]
    assert periods_for(get_indicator("built_up_per_capita"), inputs) == [Period(2014), Period(2024)]
    assert periods_for(get_indicator("sdg_11_2_1"), inputs) == [Period(2024)]
    assert periods_for(get_indicator("population_growth_rate"), inputs) == [
        Period(2014, 2004),
        Period(2024, 2014),
        Period(2024, 2004),
    ]
    # built-up has two years only: their pair is the whole span, planned once
    assert periods_for(get_indicator("land_consumption_rate"), inputs) == [Period(2024, 2014)]


def test_change_periods_are_the_consecutive_pairs_then_the_whole_span_not_every_pair():
    assert change_periods([2015]) == []
    assert change_periods([2000, 2015]) == [Period(2015, 2000)]
    assert [p.label for p in change_periods([2000, 2005, 2015])] == [
        "2000_2005",
        "2005_2015",
        "2000_2015",
    ]
    # four years: three steps and the span, not the six pairs (2000_2010, 2005_2020 are not)
    labels = [p.label for p in change_periods([2000, 2005, 2010, 2020])]
    assert labels == ["2000_2005", "2005_2010", "2010_2020", "2000_2020"]
    assert [p.years for p in change_periods([2000, 2005, 2015])] == [5.0, 10.0, 15.0]
    assert sorted(labels, key=period_order) == labels  # the order outputs list them in


def province_census_inputs(census, units, hierarchy) -> Inputs:
    """The inputs of ``full_inputs`` with a census of the provinces."""
    return Inputs(
        units,
        census=census,
        census_level="province",
        ancestors=hierarchy.ancestors,
        rasters=full_inputs(units).rasters,
    )


def test_a_coarser_census_is_shared_among_finest_units_by_the_raster(tiny_units, tiny_hierarchy):
    census = pd.DataFrame({2014: [56.0, 46.0]}, index=pd.Index(["P1", "P2"]))
    inputs = province_census_inputs(census, tiny_units, tiny_hierarchy)
    # P1 = 56 people shared as the raster's A:B = 10:18 → 20 and 36; C gets all of P2.
    assert inputs.census[2014].to_dict() == pytest.approx({"A": 20.0, "B": 36.0, "C": 46.0})
    assert inputs.population_source(2014) == "census"


def test_a_coarser_census_without_a_raster_of_its_year_is_left_out_with_a_warning(
    tiny_units, tiny_hierarchy
):
    census = pd.DataFrame({2004: [1.0, 2.0]}, index=pd.Index(["P1", "P2"]))
    inputs = province_census_inputs(census, tiny_units, tiny_hierarchy)
    assert inputs.census.columns.empty
    assert any("2004" in warning for warning in inputs.warnings)


def test_a_census_of_the_finest_level_is_used_as_it_is(tiny_units, tiny_hierarchy):
    census = pd.DataFrame({2014: [1.0, 2.0, 3.0]}, index=tiny_units.index)
    inputs = Inputs(
        tiny_units, census=census, census_level="commune", ancestors=tiny_hierarchy.ancestors
    )
    assert inputs.census is census


# -- from the project's layers -------------------------------------------------------------
def test_unit_hierarchy_links_every_commune_to_its_ancestors(tmp_path):
    layers = load_checked_layers(load_project(build_project(tmp_path))).layers
    hierarchy = unit_hierarchy(layers)
    assert list(hierarchy.levels) == ["region", "province", "commune"]
    assert hierarchy.ancestors.loc["04.003"].to_dict() == {
        "region": "04",
        "province": "04.02",
        "commune": "04.003",
    }
    assert hierarchy.levels["province"].loc["04.01", "unit_name"] == "Salé"


def test_a_province_census_is_shared_among_communes_by_the_raster(tmp_path):
    # Province 04.01 counts 3200 people in 2014, twice its raster (400 + 1200): its communes
    # get 800 and 2400. Province 04.02 counts its raster (800 + 1600).
    def province_census(sample):
        sample.census = pd.DataFrame(
            {
                "code": ["04.01", "04.02"],
                "population_2014": ["3200", "2400"],
                "population_2024": ["3520", "2640"],
            }
        )

    def at_province_level(config):
        config["census"]["level"] = "province"

    folder = build_project(tmp_path, edit=province_census, edit_config=at_province_level)
    checked = load_checked_layers(load_project(folder))
    layers, problems = checked.layers, checked.problems
    # the census counts 5600 people in 2014, the raster 4000: -29 %, a plausibility warning
    assert [(p.severity, p.layer) for p in problems] == [
        ("warning", "rasters.population.2014"),
        ("warning", "rasters.population.2024"),
    ]
    hierarchy = unit_hierarchy(layers)
    assert census_counts(layers, hierarchy)[2014].to_dict() == {"04.01": 3200.0, "04.02": 2400.0}
    inputs = build_inputs(layers, hierarchy)
    assert inputs.census[2014].to_dict() == pytest.approx(
        {"04.001": 800.0, "04.002": 2400.0, "04.003": 800.0, "04.004": 1600.0}
    )


def test_census_rows_of_other_units_are_left_out(tmp_path):
    def add_other_region(sample):
        extra = pd.DataFrame([{"code": "05.001", "population_2014": "n/a", "population_2024": ""}])
        sample.census = pd.concat([sample.census, extra], ignore_index=True)

    project = load_project(build_project(tmp_path, edit=add_other_region))
    layers = load_checked_layers(project).layers
    census = census_counts(layers, unit_hierarchy(layers))
    assert census.index.tolist() == ["04.001", "04.002", "04.003", "04.004"]
    assert census[2014].tolist() == [400.0, 1200.0, 800.0, 1600.0]


def test_load_checked_layers_stops_on_the_first_error_with_its_fix(tmp_path):
    folder = build_project(tmp_path, edit=set_commune("code", "04.002", "04.001"))
    project = load_project(folder)
    first = validate_project(project)[0]
    with pytest.raises(InputDataError) as raised:
        load_checked_layers(project)
    message = str(raised.value)
    assert message.startswith(f"{project.file} has 1 problem(s) to fix before computing")
    assert f"the first: {first.layer}: {first.message} Fix: {first.fix}" in message
    assert f"Run 'observatory validate {project.root}' to list them all." in message


def test_run_reads_every_input_once(tmp_path, monkeypatch):
    calls = []

    def counting(function):
        def wrapper(path, **options):
            calls.append((function.__name__, Path(path).name, options.get("layer")))
            return function(path, **options)

        return wrapper

    monkeypatch.setattr(vector, "read_layer", counting(vector.read_layer))
    monkeypatch.setattr(vector, "list_layers", counting(vector.list_layers))
    monkeypatch.setattr(tables, "read_table", counting(tables.read_table))
    monkeypatch.setattr(layers_module, "open_raster", counting(open_raster))
    results = run(load_project(build_project(tmp_path)), indicator_ids=["population"])
    assert results.long_table()["value"].notna().all()
    assert len(calls) == len(set(calls))  # nothing read twice
    assert sorted(name for name, _, _ in calls) == sorted(
        ["read_layer"] * 8 + ["read_table"] + ["open_raster"] * 5
    )  # 3 unit levels and 5 layers, all named (never listed); the census; 5 rasters


def test_plan_leaves_out_the_degurba_years_whose_grid_is_off_the_1_km_grid(tiny_units):
    # the tiny grid has 100 m cells from (0, 400): not on a corner of the 1 km grid
    aligned = Raster(PEOPLE, Grid(TINY_GRID.crs, Affine(100, 0, 0, 0, -100, 1000), 4, 4), None, "p")
    inputs = Inputs(tiny_units, rasters={"population": {2014: aligned, 2024: tiny_raster(PEOPLE)}})
    plan = make_plan(inputs, [get_indicator("degurba_l2"), get_indicator("population")])
    periods = {item.indicator.id: [p.label for p in item.periods] for item in plan.items}
    assert periods == {"degurba_l2": ["2014"], "population": ["2014", "2024"]}
    assert plan.skipped == {
        "degurba_l2": "2024: the population grid its origin (0, 400) is not on a corner of the "
        "1 km grid of ESRI:54009, so its cells cannot be summed into 1 km cells"
    }


def test_a_parent_with_a_child_without_value_has_no_value_with_the_reason(tiny_hierarchy):
    # B has no value: P1 is not A's 10 alone, and R is not A + C
    components = pd.DataFrame({"numerator": [10.0, np.nan, 92.0]}, index=["A", "B", "C"])
    spec = get_indicator("population")
    result = aggregate(components, tiny_hierarchy, spec, Period(2014), spec.resolve_params())
    assert np.isnan(result["province"].loc["P1", "value"])
    assert result["province"].loc["P2", "value"] == 92.0
    assert np.isnan(result["region"].loc["R", "value"])
    assert result["province"].loc["P1", "quality"] == (
        "not published: 1 of its 2 commune units have no value"
    )
    assert result["region"].loc["R", "quality"] == (
        "not published: 1 of its 3 commune units have no value"
    )
    assert result["province"].loc["P2", "quality"] == ""


def test_a_whole_run_reads_its_rasters_one_block_of_rows_at_a_time(
    tmp_path, monkeypatch, pm25_in_sample
):
    """Every indicator: no raster is read in more than one row at a time (the grid is 4 x 4,
    a block is 4 cells), and the results equal those of one block per grid."""
    from observatory.io import raster as raster_io
    from observatory.kernels import grid as grid_module
    from observatory.parallel import SerialExecutor

    read = []
    original = raster_io._RowReader.__call__

    def one_row_at_a_time(self, start, stop):
        assert stop - start == 1, f"{self.path.name}: rows {start}-{stop} read at once"
        read.append(self.path.name)
        return original(self, start, stop)

    project = load_project(build_project(tmp_path))
    whole = run(project).long_table()
    monkeypatch.setattr(raster_io._RowReader, "__call__", one_row_at_a_time)
    monkeypatch.setattr(grid_module, "BLOCK_CELLS", 4)  # one row of the 4 x 4 grid
    told = []
    executor = SerialExecutor(progress=lambda label, done, total: told.append(label))
    blocked = run(project, executor=executor).long_table()
    pd.testing.assert_frame_equal(blocked, whole, check_exact=False, rtol=1e-13)
    assert {name.split("_")[0] for name in read} == {"population", "built", "land.tif", "pm25"}
    assert "raster statistics, 1000 m grid" in told
