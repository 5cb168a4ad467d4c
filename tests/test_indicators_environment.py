"""SDG 11.6.2: population-weighted PM2.5 (seed of methods/: 17.5 µg/m³)."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from conftest import MOLLWEIDE, tiny_raster

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, get_indicator
from observatory.kernels.grid import Grid, Raster


def pm25_value(inputs: Inputs, year: int = 2024):
    spec = get_indicator("sdg_11_6_2")
    period = Period(year)
    return spec.finalize(spec.compute(inputs, period, {}), period, {})["value"]


def test_seed_two_cells_give_17_5(tiny_units):
    people = np.zeros((4, 4))
    people[0, 0], people[0, 1] = 100.0, 300.0  # both in unit A
    concentration = np.full((4, 4), 20.0)
    concentration[0, 0] = 10.0
    inputs = Inputs(
        tiny_units,
        rasters={
            "population": {2024: tiny_raster(people)},
            "pm25": {2024: tiny_raster(concentration)},
        },
    )
    # (100 × 10 + 300 × 20) / 400 = 7000 / 400 = 17.5
    assert pm25_value(inputs)["A"] == pytest.approx(17.5)
    assert np.isnan(pm25_value(inputs)["B"])  # nobody lives in B


def test_a_coarse_concentration_grid_is_sampled_at_population_cell_centres(tiny_units):
    # One 200 m cell per quadrant: 10 top-left, 20 top-right, 30 bottom.
    coarse_grid = Grid(MOLLWEIDE, Affine(200.0, 0, 0, 0, -200.0, 400.0), 2, 2)
    coarse = Raster(np.array([[10.0, 20.0], [30.0, 30.0]]), coarse_grid, None, "pm25")
    people = np.ones((4, 4))
    inputs = Inputs(
        tiny_units,
        rasters={"population": {2020: tiny_raster(people)}, "pm25": {2024: coarse}},
    )
    values = pm25_value(inputs)
    assert values.to_dict() == pytest.approx({"A": 10.0, "B": 20.0, "C": 30.0})
    assert any("2020 population grid" in w for w in inputs.warnings)


def test_cells_without_concentration_count_in_neither_sum(tiny_units):
    people = np.zeros((4, 4))
    people[0, 0], people[0, 1] = 100.0, 300.0
    concentration = np.full((4, 4), 20.0)
    concentration[0, 0] = -9999.0
    inputs = Inputs(
        tiny_units,
        rasters={
            "population": {2024: tiny_raster(people)},
            "pm25": {2024: tiny_raster(concentration, nodata=-9999.0)},
        },
    )
    assert pm25_value(inputs)["A"] == pytest.approx(20.0)
