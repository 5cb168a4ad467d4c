"""Tests of observatory.checks.check_layers: a valid project has no problem, every problem
is reported at once, and what cannot be read skips only the checks that need it.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

import dataclasses

import pytest
from builders import X0, Y0, build_project, only, problems_of, set_census, set_commune
from shapely.geometry import LineString, Point

from observatory.checks import validate_project
from observatory.project import load_project

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def test_valid_project_has_no_problem(tmp_path):
    assert problems_of(tmp_path) == []


def test_valid_project_in_lon_lat_has_no_problem(tmp_path):
    # Units and layers in EPSG:4326, rasters in ESRI:54009: nesting is measured in an
    # equal-area projection and the overlap in the raster CRS, so all is still fine.
    assert problems_of(tmp_path, units_crs="EPSG:4326", layers_crs="EPSG:4326") == []


def test_missing_units_file_is_one_error_and_skips_what_depends_on_it(tmp_path):
    build_project(tmp_path)
    (tmp_path / "units.gpkg").unlink()
    problems = validate_project(load_project(tmp_path))
    # the census codes and raster overlap need the units: they are not checked, not reported
    assert len(problems) == 1
    problem = only(problems, "error", "units")
    assert "units.gpkg does not exist" in problem.message
    assert "units.path" in problem.message


def test_every_problem_is_reported_at_once(tmp_path):
    # Four unrelated problems in one project: all four are reported.
    def break_everything(sample):
        set_commune("code", "04.002", "04.001")(sample)
        set_census("04.003", "population_2014", "abc")(sample)
        sample.rasters["built_up"][2024] = dataclasses.replace(
            sample.rasters["built_up"][2024], nodata=None
        )
        sample.layers["roads"] = sample.layers["roads"].set_geometry(
            [Point(X0, Y0), LineString([(X0, Y0), (X0 + 1, Y0)])]
        )

    problems = problems_of(tmp_path, edit=break_everything)
    layers = {problem.layer for problem in problems if problem.severity == "error"}
    assert {"units.commune", "census", "rasters.built_up.2024", "layers.roads"} <= layers
