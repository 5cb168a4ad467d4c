"""Tests of observatory.degurba.rasters: stage 1 from rasters (1 km sums, shares, classes)."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from blocked import as_file, scene_built_up_shares, scene_population
from rasterio.crs import CRS

from observatory.degurba import (
    LEVEL1_CODES,
    aggregate_to_coarse_grid,
    classify_grid_rasters,
    classify_rasters,
    rules_from_name,
)
from observatory.errors import GridMismatchError
from observatory.kernels import grid as grid_module
from observatory.kernels.grid import Grid, Raster

RULES = rules_from_name("ghsl-2023")


def raster(data, *, size, x0=4_000_000.0, name="grid.tif"):
    data = np.asarray(data, dtype=float)
    grid = Grid(CRS.from_epsg(3035), Affine(size, 0, x0, 0, -size, 3_000_000.0), *data.shape)
    return Raster(data=data, grid=grid, nodata=-1.0, name=name)


def city_block():
    """A 100 m population grid of 7 x 8 km: one block of 3 x 3 km with 20,000 people per km²
    (200 per 100 m cell: 180,000 people, an urban centre), nobody elsewhere."""
    fine = np.zeros((70, 80))
    fine[20:50, 30:60] = 200.0
    return fine


def test_a_100m_population_is_summed_and_classified_on_its_1km_cells():
    classes, prepared = classify_rasters(raster(city_block(), size=100.0), rules=RULES, level=1)
    assert classes.grid.shape == (7, 8) and classes.grid.cell_width == 1000.0
    assert prepared.population[2, 3] == 20_000.0  # 100 cells of 200 people
    assert prepared.population.sum() == 180_000.0  # nothing lost in the sums
    assert (classes.data[2:5, 3:6] == 3).all()  # the 3 x 3 km block is an urban centre
    assert set(np.unique(classes.data)) <= set(LEVEL1_CODES)


def test_built_up_m2_become_shares_of_the_1km_cell():
    # 1,000 m² built in every populated 100 m cell: a share of 0.1 of each 1 km cell; the
    # block stays an urban centre by its density
    built = np.where(city_block() > 0, 1000.0, 0.0)
    classes, prepared = classify_rasters(
        raster(city_block(), size=100.0),
        rules=RULES,
        level=1,
        built_up=raster(built, size=100.0, name="built.tif"),
    )
    assert prepared.built_share[3, 4] == pytest.approx(0.1)
    assert (classes.data[2:5, 3:6] == 3).all()


def test_half_land_doubles_the_density():
    land = np.full((70, 80), 5000.0)  # 5,000 m² of land in every 100 m cell: half land
    _, prepared = classify_rasters(
        raster(city_block(), size=100.0),
        rules=RULES,
        level=1,
        land=raster(land, size=100.0, name="land.tif"),
    )
    assert prepared.density[3, 4] == pytest.approx(40_000.0)


def test_a_built_up_grid_that_does_not_sum_to_the_population_grid_is_refused():
    shifted = raster(np.zeros((7, 8)), size=1000.0, x0=4_001_000.0, name="built.tif")
    with pytest.raises(GridMismatchError, match=r"built.tif"):
        classify_rasters(raster(city_block(), size=100.0), rules=RULES, level=1, built_up=shifted)


def test_1km_sums_of_a_raster_file_read_by_bands_are_those_of_the_whole_grid(tmp_path, monkeypatch):
    population = scene_population()
    whole = aggregate_to_coarse_grid(population)
    # bands of one row of 1 km cells: 10 fine rows each, the last one 7
    monkeypatch.setattr(grid_module, "BLOCK_CELLS", 10 * 10 * 4)
    banded = aggregate_to_coarse_grid(as_file(population, tmp_path))
    np.testing.assert_array_equal(banded.data, whole.data)
    assert banded.grid.same_as(whole.grid) and np.isnan(whole.data).sum() == 0
    assert whole.data.shape == (5, 4) and whole.data[4].sum() > 0  # the partial last band
    built = scene_built_up_shares()
    rules = rules_from_name("ghsl-2023")
    on_files = classify_grid_rasters(
        as_file(population, tmp_path), rules=rules, level=2, built_up=as_file(built, tmp_path)
    )
    in_memory = classify_grid_rasters(population, rules=rules, level=2, built_up=built)
    np.testing.assert_array_equal(on_files.classes.data, in_memory.classes.data)
    assert on_files.summary == in_memory.summary
