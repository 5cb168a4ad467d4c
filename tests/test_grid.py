"""Grid helpers: centres, sampling a coarse grid, coordinate transforms."""

from __future__ import annotations

import numpy as np
from affine import Affine
from conftest import MOLLWEIDE, TINY_GRID, tiny_raster

from observatory.kernels.grid import Grid, Raster, sample_at_centres, transform_coordinates


def test_transform_coordinates_keeps_the_shape():
    # Lon/lat to Web Mercator: lon 0 → x 0; lat 0 → y 0; one cell centre or a 2 × 2 block.
    x, y = transform_coordinates("EPSG:4326", "EPSG:3857", np.array([[0.0]]), np.array([[0.0]]))
    assert x.shape == (1, 1) and abs(x[0, 0]) < 1e-9 and abs(y[0, 0]) < 1e-9
    x, y = transform_coordinates("EPSG:4326", "EPSG:3857", np.zeros((2, 2)), np.zeros((2, 2)))
    assert x.shape == (2, 2)


def test_cell_centres_of_the_tiny_grid():
    xs, ys = TINY_GRID.cell_centres()
    # 100 m cells from x = 0 and y = 400 downwards: first centre (50, 350), last (350, 50).
    assert (xs[0, 0], ys[0, 0]) == (50.0, 350.0)
    assert (xs[-1, -1], ys[-1, -1]) == (350.0, 50.0)


def test_sample_at_centres_takes_the_coarse_cell_containing_each_centre():
    coarse = Raster(
        np.array([[1.0, 2.0], [3.0, -9.0]]),
        Grid(MOLLWEIDE, Affine(200.0, 0, 0, 0, -200.0, 400.0), 2, 2),
        -9.0,
        "coarse",
    )
    sampled = sample_at_centres(coarse, tiny_raster(np.zeros((4, 4))).grid)
    assert sampled[0].tolist() == [1.0, 1.0, 2.0, 2.0]
    assert sampled[3, :2].tolist() == [3.0, 3.0]
    assert np.isnan(sampled[3, 3])  # nodata in the coarse grid


class CountingRows:
    """A raster answering :meth:`window` like ``raster``, remembering the rows read."""

    def __init__(self, raster: Raster) -> None:
        self.raster, self.grid, self.read = raster, raster.grid, []

    def window(self, start: int, stop: int) -> Raster:
        self.read.append((start, stop))
        return self.raster.window(start, stop)


def test_sampling_a_block_of_rows_reads_only_the_coarse_rows_it_needs():
    coarse = Raster(
        np.arange(12.0).reshape(6, 2), Grid(MOLLWEIDE, Affine(200, 0, 0, 0, -200, 1200), 6, 2), None
    )
    fine = Grid(MOLLWEIDE, Affine(100.0, 0, 0, 0, -100.0, 1200.0), 12, 4)
    whole = sample_at_centres(coarse, fine)
    counting = CountingRows(coarse)
    block = sample_at_centres(counting, fine.rows(4, 7))  # fine rows 4-6: coarse rows 2-3
    assert np.array_equal(block, whole[4:7])
    assert counting.read == [(2, 4)]


def test_valid_mask_of_some_rows_is_those_rows_of_the_whole_mask():
    # NaN and the nodata value -1 are not data; rows 1-2 only.
    raster = tiny_raster(
        [[1, -1, 3, 4], [np.nan, 2, -1, 0], [5, 6, 7, np.nan], [0, 0, 0, -1]], nodata=-1.0
    )
    assert raster.valid_mask(slice(1, 3)).tolist() == [
        [False, True, False, True],
        [True, True, True, False],
    ]
    assert (raster.valid_mask()[1:3] == raster.valid_mask(slice(1, 3))).all()
