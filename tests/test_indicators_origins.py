"""Consumers of the population grid that read it a band of rows at a time give what the
whole grid gives: the access origins and sums, and the Degree of Urbanisation components."""

from __future__ import annotations

import numpy as np
import pytest
from blocked import (
    SCENE,
    as_file,
    scene_built_up_shares,
    scene_population,
    scene_units,
    use_small_blocks,
)

from observatory.degurba import repeat_to_fine_grid, unit_class_area, unit_class_population
from observatory.indicators import inputs as inputs_module
from observatory.indicators import origins
from observatory.indicators.inputs import Inputs
from observatory.indicators.origins import cell_origins, origin_people, weighted_sums
from observatory.indicators.registry import Period
from observatory.indicators.urbanisation import (
    AREA_COLUMNS,
    GRID_CODES,
    POPULATION_COLUMNS,
    class_components,
    grid_classes,
)
from observatory.kernels.cell_areas import cell_areas_m2
from observatory.kernels.grid import Raster
from observatory.kernels.zonal import CoverageMatrix


def scene_inputs(tmp_path=None, *, years=(2024,)) -> Inputs:
    """The scene's units and population (of each year, on files when ``tmp_path`` is given)
    and built-up (in memory: Inputs turns shares into m² on the whole grid here)."""
    rasters = {}
    for seed, year in enumerate(years):
        population = scene_population(seed)
        population = Raster(population.data, SCENE, -200.0, f"population {year}")
        rasters[year] = as_file(population, tmp_path) if tmp_path else population
    built_up = {2024: scene_built_up_shares()}
    return Inputs(scene_units(), rasters={"population": rasters, "built_up": built_up})


@pytest.fixture
def small_blocks(monkeypatch):
    use_small_blocks(monkeypatch, inputs_module, origins)


def whole_grid_origins(inputs: Inputs):
    """The origins as the whole grid gave them before blocks (the reference)."""
    coverage = CoverageMatrix.build(inputs.units.geometry, SCENE).matrix
    inside = np.asarray(coverage.sum(axis=0)).ravel() > 0
    populated = np.zeros(inside.shape, dtype=bool)
    for raster in inputs.rasters["population"].values():
        populated |= raster.load().filled(0.0).ravel() > 0
    cells = np.flatnonzero(inside & populated)
    xs, ys = SCENE.cell_centres()
    return coverage, cells, np.column_stack([xs.ravel()[cells], ys.ravel()[cells]])


@pytest.mark.parametrize("on_file", [False, True])
def test_origins_by_blocks_are_those_of_the_whole_grid(tmp_path, small_blocks, on_file):
    inputs = scene_inputs(tmp_path if on_file else None, years=(2014, 2024))
    raster = inputs.raster("population", 2024)
    cells, xy = cell_origins(inputs, raster, crs=SCENE.crs)
    _, expected_cells, expected_xy = whole_grid_origins(inputs)
    np.testing.assert_array_equal(cells, expected_cells)
    np.testing.assert_array_equal(xy, expected_xy)
    # populated in 2014 only still counts; empty in both years does not
    assert 0 < cells.size < SCENE.height * SCENE.width
    all_inside = cell_origins(inputs, raster, populated_only=False, crs=SCENE.crs)[0]
    assert all_inside.size > cells.size


@pytest.mark.parametrize("on_file", [False, True])
def test_weighted_sums_by_blocks_are_the_whole_grid_sums(tmp_path, small_blocks, on_file):
    inputs = scene_inputs(tmp_path if on_file else None)
    raster = inputs.raster("population", 2024)
    coverage, cells, _ = whole_grid_origins(inputs)
    values = np.linspace(0.0, 1.0, cells.size)
    sums = weighted_sums(inputs, raster, cells, {"v": values, "one": np.ones(cells.size)})
    people = raster.load().filled(0.0).ravel()
    full = np.zeros(people.size)
    full[cells] = people[cells] * values
    np.testing.assert_allclose(sums["v"], coverage @ full, rtol=1e-13, atol=0)
    full[cells] = people[cells]
    np.testing.assert_allclose(sums["one"], coverage @ full, rtol=1e-13, atol=0)
    assert not np.allclose(sums["v"], sums["one"])
    np.testing.assert_array_equal(origin_people(raster, cells), people[cells])


@pytest.mark.parametrize("on_file", [False, True])
def test_degurba_components_by_blocks_are_the_whole_grid_products(tmp_path, small_blocks, on_file):
    inputs = scene_inputs(tmp_path if on_file else None)
    params = {"rules": "ghsl-2023", "unit_rules": "2024"}
    components = class_components(inputs, Period(2024), params)
    population = scene_population(0)
    fine = repeat_to_fine_grid(grid_classes(inputs, 2024, "ghsl-2023"), SCENE)
    coverage = CoverageMatrix.build(inputs.units.geometry, SCENE).matrix
    people = unit_class_population(coverage, population.filled(0.0), fine, GRID_CODES)
    area = unit_class_area(coverage, fine, GRID_CODES, cell_area_km2=cell_areas_m2(SCENE) / 1e6)
    np.testing.assert_allclose(components[POPULATION_COLUMNS], people, rtol=1e-13, atol=1e-9)
    np.testing.assert_allclose(components[AREA_COLUMNS], area, rtol=1e-13, atol=1e-15)
    assert len(set(np.unique(fine)) & set(GRID_CODES)) >= 3  # several classes are summed
