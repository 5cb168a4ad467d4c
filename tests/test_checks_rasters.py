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
    # The fix warps it onto the project's grid (its CRS, 1 km cells and extent), not onto a
    # made-up cell size.
    assert problem.fix == (
        "warp it onto the grid of the project's other rasters, e.g. 'gdalwarp -t_srs "
        "ESRI:54009 -tr 1000 1000 -te -612000 4104000 -608000 4108000 -r sum IN.tif OUT.tif'."
    )


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
    assert "the population grids of 2014 and 2024 differ" in problem.message
    assert "8×8 cells of 500×500" in problem.message
    assert "mix real change with resampling" in problem.message


def test_built_up_grids_differing_between_years_skip_the_expansion(tmp_path):
    finer = Raster(
        np.full((8, 8), 75_000.0, dtype="float32"), shifted_grid(0, cell=500, size=8), -200.0
    )
    problems = problems_of(tmp_path, edit=lambda s: s.rasters["built_up"].update({2024: finer}))
    assert not has_errors(problems)
    # Two warnings: the expansion, and the Degree of Urbanisation of 2024 (which reads the
    # built-up on the population grid).
    found = [p for p in problems if p.layer == "rasters.built_up.2024"]
    assert "not on the population grid of 2024" in found[1].message
    problem = found[0]
    assert "the built_up grids of 2014 and 2024 differ" in problem.message
    assert (
        "urban_expansion_infill, urban_expansion_extension, urban_expansion_leapfrog, "
        "urban_expansion_inclusion are not computed for 2014_2024"
    ) in problem.message
    assert "-tr 1000 1000 -te -612000 4104000 -608000 4108000" in problem.fix


def test_land_not_on_the_population_grid_skips_only_the_degree_of_urbanisation(tmp_path):
    # Before: an error, so compute stopped with no output; only the Degree of Urbanisation
    # reads the land on the population grid (the land area is summed on the land's own grid).
    land = Raster(
        np.full((8, 8), 250_000.0, dtype="float32"), shifted_grid(0, cell=500, size=8), -200.0
    )
    problems = problems_of(tmp_path, edit=lambda s: s.rasters["land"].update({None: land}))
    assert not has_errors(problems)
    warnings = [p for p in problems if p.layer == "rasters.land"]
    assert [p.message.split(" (")[0] for p in warnings] == [
        "the land raster is not on the population grid of 2014",
        "the land raster is not on the population grid of 2024",
    ]
    assert "the Degree of Urbanisation indicators of 2024 are not computed." in warnings[1].message
    # The fix names the population grid: its CRS, its 1 km cells, its extent.
    assert warnings[0].fix == (
        "warp it onto the population grid, e.g. 'gdalwarp -t_srs ESRI:54009 -tr 1000 1000 -te "
        "-612000 4104000 -608000 4108000 -r sum IN.tif OUT.tif'."
    )


# -- values ---------------------------------------------------------------------------------
def with_values(role, year, change):
    """An edit changing a copy of the values of the ``role`` raster of ``year``."""

    def edit(sample):
        raster = sample.rasters[role][year]
        data = raster.data.copy()
        change(data)
        sample.rasters[role][year] = dataclasses.replace(raster, data=data)

    return edit


@pytest.mark.parametrize(
    ("role", "year"), [("population", 2014), ("built_up", 2024), ("land", None), ("pm25", 2024)]
)
def test_negative_values_are_an_error_naming_the_file(tmp_path, role, year):
    problems = problems_of(
        tmp_path, edit=with_values(role, year, lambda d: d.__setitem__((0, 0), -7))
    )
    name = f"rasters.{role}" + (f".{year}" if year else "")
    problem = only(problems, "error", name)
    assert "has 1 cell(s) with negative values (the lowest -7)" in problem.message
    assert ".tif" in problem.message
    assert "gdal_edit.py -a_nodata" in problem.fix


def test_all_nodata_over_the_units_is_an_error(tmp_path):
    edit = with_values("population", 2024, lambda d: d.fill(-200))
    problem = only(problems_of(tmp_path, edit=edit), "error", "rasters.population.2024")
    assert "has no data over the units: every cell they cover is nodata" in problem.message


def test_mostly_nodata_over_the_units_is_a_warning(tmp_path):
    # 12 of the 16 cells (75 % of the units' area) are nodata
    edit = with_values("population", 2024, lambda d: d[1:, :].fill(-200))
    problems = problems_of(tmp_path, edit=edit)
    assert not has_errors(problems)
    messages = [p.message for p in problems if p.layer == "rasters.population.2024"]
    expected = "population_2024.tif is nodata over 75.0 % of the units' area; the values there "
    assert expected + "count as 0." in messages


def test_some_nodata_over_the_units_passes(tmp_path):
    edit = with_values("population", 2024, lambda d: d[0, :].fill(-200))  # 25 %
    assert [
        p for p in problems_of(tmp_path, edit=edit) if p.layer == "rasters.population.2024"
    ] == []


def test_surface_above_the_cell_area_is_an_error(tmp_path):
    # 1 km cells hold 1,000,000 m²
    edit = with_values("built_up", 2014, lambda d: d.__setitem__((0, 0), 2_500_000))
    problem = only(problems_of(tmp_path, edit=edit), "error", "rasters.built_up.2014")
    assert "1 cell(s) holding more m² than the cell's area (1e+06 m²" in problem.message


def test_surface_as_shares_passes(tmp_path):
    edit = with_values("land", None, lambda d: d.fill(1.0))
    assert [p for p in problems_of(tmp_path, edit=edit) if p.layer == "rasters.land"] == []
