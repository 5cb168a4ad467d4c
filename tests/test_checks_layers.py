"""Tests of observatory.checks.layers: features, capacities and extent of the layers of
[layers].

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from builders import X0, Y0, only, problems_of
from shapely.geometry import Point

from observatory.problems import has_errors

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def test_facility_layer_without_its_declared_capacity_field(tmp_path):
    fields = {"schools": {"capacity": "places"}, "transit_stops": {"capacity": "capacity"}}
    problem = only(problems_of(tmp_path, layer_fields=fields), "error", "layers.schools")
    assert "field 'places' (given as capacity) not found" in problem.message
    assert "name, seats, level" in problem.message


def test_transit_capacity_must_be_high_or_low(tmp_path):
    def bad_values(sample):
        sample.layers["transit_stops"]["capacity"] = ["high", "medium", None]

    problem = only(problems_of(tmp_path, edit=bad_values), "error", "layers.transit_stops")
    assert "must be 'high' or 'low'; 2 stop(s) have" in problem.message
    assert "'medium' (1×)" in problem.message and "'(empty)' (1×)" in problem.message


def test_school_seats_must_be_numbers_not_below_zero(tmp_path):
    def bad_seats(sample):
        sample.layers["schools"]["seats"] = [-1, 250]

    problem = only(problems_of(tmp_path, edit=bad_seats), "error", "layers.schools")
    assert "field 'seats' must hold numbers ≥ 0; 1 feature(s) do not: row 1: -1" in (
        problem.message
    )


def test_empty_facility_layer_is_a_warning(tmp_path):
    def empty(sample):
        sample.layers["health"] = sample.layers["health"].iloc[:0]

    problems = problems_of(tmp_path, edit=empty)
    assert not has_errors(problems)
    assert "has no features" in only(problems, "warning", "layers.health").message


def test_facility_layer_outside_the_territory_is_a_warning(tmp_path):
    def far_away(sample):
        far = gpd.GeoDataFrame(
            {"name": ["Loin"]}, geometry=[Point(X0 + 500_000, Y0)], crs="ESRI:54009"
        )
        sample.layers["health"] = far

    problems = problems_of(tmp_path, edit=far_away)
    assert "no feature" in only(problems, "warning", "layers.health").message


def test_no_fix_advises_inventing_data():
    """Every fix text of the checks (point 13 of issue 12): none says to fill in a guess."""
    import ast
    from pathlib import Path

    import observatory.checks

    folder = Path(observatory.checks.__file__).parent
    texts = []
    for module in folder.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    joined = " ".join(texts).lower()
    for invention in ("0 if", "else 'low'", "fill in the population", "estimate it"):
        assert invention not in joined


@pytest.mark.parametrize(
    ("crs", "off_by"),
    [("EPSG:3857", "up to 20.6 %"), ("EPSG:4087", "up to ")],  # Web Mercator, equidistant cyl.
)
def test_roads_in_a_crs_that_stretches_lengths_are_a_warning(tmp_path, crs, off_by):
    # near Rabat (34° N): Web Mercator lengths are 1 / cos(34°) = 1.206 times too long
    problems = problems_of(tmp_path, layers_crs=crs)
    problem = only(problems, "warning", "layers.roads")
    assert f"is in {crs}, whose lengths are off by {off_by}" in problem.message
    assert "e.g. WGS 84 / UTM zone 29N (EPSG:32629)" in problem.fix
    assert not has_errors(problems)


@pytest.mark.parametrize("crs", ["EPSG:32629", "EPSG:26191", "ESRI:54009"])
def test_roads_in_a_crs_that_keeps_lengths_here_are_not(tmp_path, crs):
    # UTM 29N and Merchich Nord Maroc keep lengths; Mollweide is within 3.5 % near Rabat
    problems = problems_of(tmp_path, layers_crs=crs)
    assert [p for p in problems if p.layer == "layers.roads"] == []
