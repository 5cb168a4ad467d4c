"""Tests of observatory.checks.plausibility: warnings that name the units or files.

Every project comes from :func:`builders.build_project` (4 communes; population 2014 400,
1200, 800, 1600 and 2024 440, 1320, 880, 1760, as in the rasters; see tests/builders.py).
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest
from builders import only, problems_of, set_census
from shapely.geometry import Point, box

from observatory.checks.plausibility import thin_layer_problems
from observatory.problems import has_errors

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def test_the_sample_is_plausible(tmp_path):
    assert problems_of(tmp_path) == []


def test_population_multiplied_by_more_than_3_names_the_unit(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", "8800"))
    assert not has_errors(problems)
    problem = only(problems, "warning", "census")
    assert problem.message == (
        "census.csv: 1 unit changes population by more than a factor 3 from 2014→2024: "
        "'04.003' 800 → 8,800."
    )
    assert "census.thousands" in problem.fix


def test_growth_above_10_percent_a_year_names_the_unit(tmp_path):
    # 800 → 2400 in 10 years is a factor 3: 11.6 % a year
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", "2400"))
    problem = only(problems, "warning", "census")
    assert (
        "1 unit grows or shrinks by more than 10 % a year from 2014→2024: '04.003' 800 → 2,400"
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


# -- thin layers -------------------------------------------------------------------------------
def strip_units(populations: dict[str, float]):
    """Units side by side, 1 km wide each, in EPSG:32629, with their population."""
    codes = list(populations)
    units = gpd.GeoSeries(
        [box(k * 1000, 0, (k + 1) * 1000, 1000) for k in range(len(codes))],
        index=codes,
        crs="EPSG:32629",
    )
    return units, pd.Series(populations)


def schools_in(counts: dict[str, int], units: gpd.GeoSeries) -> gpd.GeoSeries:
    points = []
    for code, count in counts.items():
        x0 = units[code].bounds[0]
        points += [Point(x0 + 100 + 10 * k, 500) for k in range(count)]
    return gpd.GeoSeries(points, crs=units.crs).to_crs("EPSG:4326")  # any CRS


def test_thin_layer_names_populous_units_without_and_far_below_the_median():
    # Per 10,000 people: A, B, C 4 schools; D none; E 1 for 40,000 (0.25 per 10,000, below
    # a quarter of the median 4); F, a village of 3,000, has none, which may be right.
    units, people = strip_units(
        {"A": 10_000, "B": 10_000, "C": 10_000, "D": 20_000, "E": 40_000, "F": 3_000}
    )
    schools = schools_in({"A": 4, "B": 4, "C": 4, "E": 1}, units)
    empty, thin = thin_layer_problems(
        "schools", schools, units, people, level="commune", source="facilities.gpkg, layer s"
    )
    assert empty.severity == thin.severity == "warning" and empty.layer == "layers.schools"
    assert empty.message == (
        "facilities.gpkg, layer s: 1 commune unit of 5,000 people or more has no school: "
        "D (20,000 people)."
    )
    assert thin.message == (
        "facilities.gpkg, layer s: 1 commune unit has less than 25 % of the median 4 "
        "schools per 10,000 people of the territory: E (1 for 40,000 people)."
    )
    # With E's school count at the median, nothing but D is named.
    fair = schools_in({"A": 4, "B": 4, "C": 4, "E": 16}, units)
    assert len(thin_layer_problems("schools", fair, units, people, level="c", source="s")) == 1


def test_validate_warns_about_a_layer_thinner_than_the_census(tmp_path):
    # The census × 100 (44,000 to 176,000 people): the two schools are in 04.001 and 04.004,
    # so 04.002 and 04.003 have none; one health centre in 04.003 for the other three.
    def populous(sample):
        for column in ("population_2014", "population_2024"):
            sample.census[column] = [str(int(v) * 100) for v in sample.census[column]]

    problems = problems_of(tmp_path, edit=populous)
    assert not has_errors(problems)
    schools = [p for p in problems if p.layer == "layers.schools"]
    assert len(schools) == 1
    assert (
        "2 commune units of 5,000 people or more have no school: 04.002 (132,000 people), "
        "04.003 (88,000 people)."
    ) in schools[0].message
    health = only(problems, "warning", "layers.health")
    assert "3 commune units" in health.message and "04.003" not in health.message
