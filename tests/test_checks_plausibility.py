"""Tests of observatory.checks.plausibility: warnings that name the units or files.

Every project comes from :func:`builders.build_project` (4 communes; population 2014 400,
1200, 800, 1600 and 2024 440, 1320, 880, 1760, as in the rasters; see tests/builders.py).
"""

from __future__ import annotations

import dataclasses

import pytest
from builders import only, problems_of, set_census

from observatory.problems import has_errors

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def test_the_sample_is_plausible(tmp_path):
    assert problems_of(tmp_path) == []


def test_population_multiplied_by_more_than_3_names_the_unit(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", "8800"))
    assert not has_errors(problems)
    problem = only(problems, "warning", "census")
    assert problem.message == (
        "census.csv: 1 unit(s) change population by more than a factor 3 from 2014→2024: "
        "'04.003' 800 → 8,800."
    )
    assert "census.thousands" in problem.fix


def test_growth_above_10_percent_a_year_names_the_unit(tmp_path):
    # 800 → 2400 in 10 years is a factor 3: 11.6 % a year
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", "2400"))
    problem = only(problems, "warning", "census")
    assert (
        "1 unit(s) grow or shrink by more than 10 % a year from 2014→2024: '04.003' 800 → 2,400"
        in (problem.message)
    )


def test_a_census_1000_times_too_small_is_flagged(tmp_path):
    # a census read in thousands: 1.32 people in 2024 instead of 1,320 (and the raster total)
    problems = problems_of(tmp_path, edit=set_census("04.002", "population_2024", "1.32"))
    assert "fractional part" in only(problems, "error", "census").message


def test_population_raster_far_from_the_census(tmp_path):
    def double(sample):
        raster = sample.rasters["population"][2024]
        sample.rasters["population"][2024] = dataclasses.replace(raster, data=raster.data * 2)

    problems = problems_of(tmp_path, edit=double)
    problem = only(problems, "warning", "rasters.population.2024")
    assert problem.message == (
        "population_2024.tif holds 8,800 people over the units, the census 4,400 in 2024 (+100 %)."
    )
