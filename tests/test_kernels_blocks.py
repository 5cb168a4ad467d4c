"""Helpers of block-by-block work: the same numbers as the whole grid gives."""

from __future__ import annotations

import numpy as np
import pytest
from blocked import SCENE, as_file, scene_built_up_shares, scene_population

from observatory.errors import InputDataError
from observatory.kernels.blocks import (
    SharesAsM2,
    cell_centres_of_rows,
    surface_in_m2,
    value_range,
)
from observatory.kernels.grid import Raster, as_m2_per_cell


def test_cell_centres_of_rows_are_those_of_the_whole_grid_bit_for_bit():
    xs, ys = SCENE.cell_centres()
    for start, stop in ((0, 1), (3, 17), (40, 47)):
        x, y = cell_centres_of_rows(SCENE, start, stop)
        assert np.array_equal(x, xs[start:stop]) and np.array_equal(y, ys[start:stop])


def test_value_range_by_blocks_is_that_of_the_whole_grid(tmp_path):
    population = scene_population()
    on_file = as_file(population, tmp_path)
    values = population.filled(np.nan)
    expected = (np.nanmin(values, initial=0.0), np.nanmax(values, initial=0.0))
    assert value_range(on_file, cells=50) == expected
    assert expected[1] > 100  # the wrong answer (nodata -200 counted) is not the range
    assert value_range(on_file, cells=50)[0] != -200.0


def test_shares_on_file_become_the_m2_of_as_m2_per_cell_block_by_block(tmp_path):
    shares = scene_built_up_shares()
    on_file = surface_in_m2(as_file(shares, tmp_path))
    assert isinstance(on_file, SharesAsM2)
    whole = as_m2_per_cell(shares)
    for start, stop in ((0, 5), (5, 30), (30, 47)):
        np.testing.assert_array_equal(on_file.window(start, stop).data, whole.data[start:stop])
    np.testing.assert_array_equal(on_file.load().data, whole.data)
    assert np.isnan(on_file.window(0, 47).data).any()  # nodata stays NaN, not 0


def test_m2_on_file_come_back_as_they_are_and_negative_values_are_refused(tmp_path):
    m2 = Raster(scene_built_up_shares().data * 10_000, SCENE, None, "m2")
    on_file = as_file(m2, tmp_path)
    assert surface_in_m2(on_file) is on_file
    negative = Raster(np.full(SCENE.shape, -3.0, dtype="float32"), SCENE, None, "negative")
    with pytest.raises(InputDataError, match="negative values"):
        surface_in_m2(as_file(negative, tmp_path))
