"""Tests of observatory.checks.rasters: each raster, and the rasters together.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from affine import Affine
from builders import CELL, X0, Y0, only, problems_of, replace_raster, sample_grid
from rasterio.crs import CRS

from observatory.kernels.grid import Grid, Raster
from observatory.problems import has_errors

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def shifted_grid(dx: float, dy: float = 0.0, cell: float = CELL, size: int = 4) -> Grid:
    return Grid(
        CRS.from_string("ESRI:54009"), Affine(cell, 0, X0 + dx, 0, -cell, Y0 + dy), size, size
    )


def test_raster_not_overlapping_the_units(tmp_path):
    edit = replace_raster("population", 2014, grid=shifted_grid(1_000_000))
    problems = problems_of(tmp_path, edit=edit)
    problem = only(problems, "error", "rasters.population.2014")
    assert "does not overlap the units" in problem.message


def test_raster_covering_half_the_units_is_a_warning(tmp_path):
    # The 4 km grid moved 2 km east covers the east half of the territory: 50.0 %.
    problems = problems_of(tmp_path, edit=replace_raster("pm25", 2024, grid=shifted_grid(2000)))
    assert not has_errors(problems)
    assert "covers only 50.0 % of the units' area" in problems[0].message


def test_raster_without_nodata(tmp_path):
    problems = problems_of(tmp_path, edit=replace_raster("built_up", 2024, nodata=None))
    assert "has no nodata value" in only(problems, "error", "rasters.built_up.2024").message


def test_raster_without_crs_is_one_error(tmp_path):
    grid = dataclasses.replace(sample_grid(), crs=None)
    problems = problems_of(tmp_path, edit=replace_raster("land", None, grid=grid))
    assert len(problems) == 1
    assert "land.tif has no CRS" in only(problems, "error", "rasters.land").message


def test_zonal_raster_in_degrees(tmp_path):
    # 4 x 4 cells of 0.05° from 6.9° W, 34.1° N: over the territory (about 6.85° W, 34° N)
    grid = Grid(CRS.from_epsg(4326), Affine(0.05, 0, -6.9, 0, -0.05, 34.1), 4, 4)
    problems = problems_of(tmp_path, edit=replace_raster("population", 2014, grid=grid))
    problem = only(problems, "error", "rasters.population.2014")
    assert "geographic CRS EPSG:4326" in problem.message
    assert "gdalwarp" in problem.fix


def test_population_and_built_up_years_not_paired_is_a_warning(tmp_path):
    def drop_2014(sample):
        del sample.rasters["built_up"][2014]

    problems = problems_of(tmp_path, edit=drop_2014)
    assert not has_errors(problems)
    problem = only(problems, "warning", "rasters")
    assert "population for 2014 but no built-up" in problem.message


def test_population_grids_differing_between_years_is_a_warning(tmp_path):
    # 2024 on 8 x 8 cells of 500 m over the same 4 km square
    finer = Raster(
        np.full((8, 8), 55.0, dtype="float32"), shifted_grid(0, cell=500, size=8), -200.0
    )
    problems = problems_of(tmp_path, edit=lambda s: s.rasters["population"].update({2024: finer}))
    assert not has_errors(problems)
    problem = only(problems, "warning", "rasters.population.2024")
    assert "differs from that of 2014" in problem.message
    assert "8×8 cells of 500×500" in problem.message


def test_land_not_on_the_built_up_grid(tmp_path):
    land = Raster(
        np.full((8, 8), 250_000.0, dtype="float32"), shifted_grid(0, cell=500, size=8), -200.0
    )
    problems = problems_of(tmp_path, edit=lambda s: s.rasters["land"].update({None: land}))
    problem = only(problems, "error", "rasters.land")
    assert "not on the grid of built_up 2014" in problem.message
