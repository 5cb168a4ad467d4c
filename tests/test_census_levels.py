"""Tests of observatory.census_levels and of what compute does with the census: a unit
without figure and its parents are empty (never a partial sum), a year known only for the
provinces is computed from the provinces up, the crosswalk is followed.

Projects come from :func:`builders.census_project` (the 4 communes of tests/builders.py):
04.001 400 / 440, 04.002 1200 / 1320, 04.003 800 / 880, 04.004 1600 / 1760 people
(2014 / 2024); provinces 04.01 (04.001, 04.002) and 04.02 (04.003, 04.004); region 04.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from builders import census_project, sample_grid

from observatory.census_levels import census_counts, down_to, level_inputs
from observatory.engine import load_checked_layers, run
from observatory.hierarchy import unit_hierarchy
from observatory.kernels.cell_areas import cell_areas_m2
from observatory.project import load_project

CODES = ["04.001", "04.002", "04.003", "04.004"]
TABLE_2024 = {"code": CODES, "p": ["440", "1320", "880", "1760"]}


def census_of(*tables: tuple[str, str, dict[str, str]], crosswalk=None) -> dict:
    """``[census]`` with ``[[census.tables]]`` (path, level, {year: column})."""
    entries = [
        {"path": path, "id": "code", "level": level, "population": years}
        for path, level, years in tables
    ]
    return {"tables": entries, **({"crosswalk": crosswalk} if crosswalk else {})}


def values(results, indicator: str, level: str, period: str) -> pd.Series:
    table = results.long_table()
    rows = table[
        (table["indicator"] == indicator) & (table["level"] == level) & (table["period"] == period)
    ]
    return rows.set_index("unit_id")["value"]


def quality(results, indicator: str, level: str, period: str) -> pd.Series:
    table = results.long_table()
    rows = table[
        (table["indicator"] == indicator) & (table["level"] == level) & (table["period"] == period)
    ]
    return rows.set_index("unit_id")["quality"]


@pytest.fixture
def gap_results(tmp_path):
    """04.002 has no 2014 figure."""
    tables = {
        "a.csv": {"code": ["04.001", "04.003", "04.004"], "p": ["400", "800", "1600"]},
        "b.csv": TABLE_2024,
    }
    census = census_of(("a.csv", "commune", {"2014": "p"}), ("b.csv", "commune", {"2024": "p"}))
    project = load_project(census_project(tmp_path, tables, census))
    ids = ["population", "population_growth_rate", "built_up_area", "built_up_per_capita"]
    return run(project, indicator_ids=ids)


def test_a_unit_without_figure_has_no_value_and_nor_has_its_parent(gap_results):
    population = values(gap_results, "population", "commune", "2014")
    assert np.isnan(population["04.002"]) and population["04.001"] == 400.0
    assert quality(gap_results, "population", "commune", "2014")["04.002"] == (
        "not published: no census 2014 figure"
    )
    provinces = values(gap_results, "population", "province", "2014")
    # 04.01 is not 400 (04.001 alone): it misses 04.002; 04.02 is whole
    assert np.isnan(provinces["04.01"]) and provinces["04.02"] == 2400.0
    assert quality(gap_results, "population", "province", "2014")["04.01"] == (
        "not published: no census 2014 figure for 1 of its 2 commune units"
    )
    assert np.isnan(values(gap_results, "population", "region", "2014")["04"])
    assert values(gap_results, "population", "region", "2024")["04"] == 4400.0


def test_every_indicator_of_the_population_of_that_year_is_empty(gap_results):
    growth = values(gap_results, "population_growth_rate", "province", "2014_2024")
    assert np.isnan(growth["04.01"]) and np.isfinite(growth["04.02"])
    per_capita = values(gap_results, "built_up_per_capita", "commune", "2014")
    assert np.isnan(per_capita["04.002"])
    # what does not need the population is whole: 04.01 built-up 2014 = 2 + 0.4 km² of the
    # grid's 1 km² cells, each measured on the ellipsoid (the same in every row within 1e-5)
    true_km2_per_cell = float(np.mean(cell_areas_m2(sample_grid()))) / 1e6
    built = values(gap_results, "built_up_area", "province", "2014")["04.01"]
    assert built == pytest.approx(2.4 * true_km2_per_cell, rel=1e-5)


def test_the_run_provenance_lists_the_units_without_figure(gap_results):
    census = gap_results.census
    assert census["units_without_figure"] == [
        {"level": "commune", "unit_id": "04.002", "years": [2014]}
    ]
    assert census["year_levels"] == {"2014": "commune", "2024": "commune"}
    assert any("'04.002' Salé-Sud (2014)" in warning for warning in gap_results.warnings)


@pytest.fixture
def province_2004(tmp_path):
    """A 2004 census of the provinces only (no 2004 raster) beside the commune census."""
    tables = {
        "communes.csv": {
            "code": CODES,
            "p14": ["400", "1200", "800", "1600"],
            "p24": ["440", "1320", "880", "1760"],
        },
        "provinces.csv": {"code": ["04.01", "04.02"], "p": ["1500", "2000"]},
    }
    census = census_of(
        ("communes.csv", "commune", {"2014": "p14", "2024": "p24"}),
        ("provinces.csv", "province", {"2004": "p"}),
    )
    return load_project(census_project(tmp_path, tables, census))


def test_a_year_of_the_provinces_is_computed_from_the_provinces_up(province_2004):
    results = run(province_2004, indicator_ids=["population", "population_growth_rate"])
    assert values(results, "population", "province", "2004").to_dict() == {
        "04.01": 1500.0,
        "04.02": 2000.0,
    }
    assert values(results, "population", "region", "2004").to_dict() == {"04": 3500.0}
    assert values(results, "population", "commune", "2004").empty
    # 04.01: 1500 in 2004, 400 + 1200 in 2014: 100 × ln(1600 / 1500) / 10
    growth = values(results, "population_growth_rate", "province", "2004_2014")
    assert growth["04.01"] == pytest.approx(100 * np.log(1600 / 1500) / 10)
    assert values(results, "population_growth_rate", "commune", "2004_2014").empty
    # the later years are computed for every level, as before
    assert values(results, "population", "commune", "2014")["04.002"] == 1200.0
    assert results.skipped["population"] == (
        "2004 from the province level up only: census 2004 is at province level"
    )
    assert results.skipped["population_growth_rate"] == (
        "2004_2014, 2004_2024 from the province level up only: census 2004 is at province level"
    )
    assert results.population_sources["2004"] == "census (province level)"


def test_level_inputs_gives_each_level_the_years_it_knows(province_2004):
    layers = load_checked_layers(province_2004).layers
    hierarchy = unit_hierarchy(layers)
    census = level_inputs(layers, hierarchy)
    assert list(census.inputs) == ["commune", "province"]
    assert list(census.finest.census.columns) == [2014, 2024]
    provinces = census.inputs["province"].census
    assert provinces.to_dict() == {
        2004: {"04.01": 1500.0, "04.02": 2000.0},
        2014: {"04.01": 1600.0, "04.02": 2400.0},
        2024: {"04.01": 1760.0, "04.02": 2640.0},
    }
    assert census_counts(layers, hierarchy)[2014].tolist() == [400.0, 1200.0, 800.0, 1600.0]
    truncated = down_to(hierarchy, "province")
    assert truncated.finest == "province"
    assert truncated.ancestors.to_dict(orient="list") == {
        "region": ["04", "04"],
        "province": ["04.01", "04.02"],
    }


def test_a_coarser_year_with_a_raster_is_shared_among_the_communes(tmp_path):
    # 2014 given for the provinces only, with a 2014 population raster: shared by it
    tables = {
        "provinces.csv": {"code": ["04.01", "04.02"], "p": ["3200", "2400"]},
        "b.csv": TABLE_2024,
    }
    census = census_of(
        ("provinces.csv", "province", {"2014": "p"}), ("b.csv", "commune", {"2024": "p"})
    )
    layers = load_checked_layers(load_project(census_project(tmp_path, tables, census))).layers
    inputs = level_inputs(layers, unit_hierarchy(layers))
    assert list(inputs.inputs) == ["commune"]
    # 04.01 counts twice its raster (400 + 1200): 800 and 2400
    assert inputs.finest.census[2014].to_dict() == pytest.approx(
        {"04.001": 800.0, "04.002": 2400.0, "04.003": 800.0, "04.004": 1600.0}
    )
    assert inputs.finest.census[2024].tolist() == [440.0, 1320.0, 880.0, 1760.0]


def test_the_crosswalk_is_followed_in_compute(tmp_path):
    # 04.001 was two communes in 2014: 04.901 (150 people) and 04.902 (250)
    tables = {
        "old.csv": {
            "code": ["04.901", "04.902", *CODES[1:]],
            "p": ["150", "250", "1200", "800", "1600"],
        },
        "b.csv": TABLE_2024,
        "cw.csv": {"old": ["04.901", "04.902"], "new": ["04.001", "04.001"]},
    }
    crosswalk = {"path": "cw.csv", "from": "old", "to": "new", "years": [2014]}
    census = census_of(
        ("old.csv", "commune", {"2014": "p"}),
        ("b.csv", "commune", {"2024": "p"}),
        crosswalk=crosswalk,
    )
    results = run(
        load_project(census_project(tmp_path, tables, census)), indicator_ids=["population"]
    )
    assert values(results, "population", "commune", "2014")["04.001"] == 400.0
    assert values(results, "population", "region", "2014")["04"] == 4000.0
