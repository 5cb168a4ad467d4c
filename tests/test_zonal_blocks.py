"""Zonal sums block by block of rows equal the sums over the whole grid, whoever computes the
blocks, with the coverage of blocks kept between passes only within its bytes."""

from __future__ import annotations

import pickle

import geopandas as gpd
import numpy as np
import pytest
from affine import Affine
from rasterio.crs import CRS
from shapely.geometry import Point, Polygon

from observatory.kernels import grid as grid_module
from observatory.kernels import zonal_blocks
from observatory.kernels.grid import Grid, Raster
from observatory.kernels.zonal import CoverageMatrix
from observatory.kernels.zonal_blocks import BlockedZonal, grid_label
from observatory.parallel import SerialExecutor

UTM = CRS.from_epsg(32629)
GRID = Grid(UTM, Affine(100.0, 0, 500_000.0, 0, -100.0, 3_800_000.0), 40, 30)


def irregular_units() -> gpd.GeoSeries:
    """Five units over the grid (and beyond its edges), with slanted edges, a hole-free
    star and a unit outside the grid, so that cells are shared and clipped."""
    x0, y0 = 500_000.0, 3_800_000.0
    star = Point(x0 + 1500, y0 - 2000).buffer(900, quad_segs=3)
    return gpd.GeoSeries(
        [
            Polygon([(x0 - 300, y0 + 200), (x0 + 1730, y0 + 100), (x0 + 1210, y0 - 1870)]),
            Polygon([(x0 + 1730, y0 + 100), (x0 + 3300, y0 - 50), (x0 + 2900, y0 - 2470)]),
            star,
            Polygon([(x0 + 50, y0 - 2510), (x0 + 2950, y0 - 2620), (x0 + 1430, y0 - 4370)]),
            Polygon([(x0 + 9000, y0), (x0 + 9500, y0), (x0 + 9500, y0 - 500)]),  # off the grid
        ],
        crs=UTM,
    )


def values_raster(seed: int = 1) -> Raster:
    data = np.random.default_rng(seed).gamma(2.0, 50.0, GRID.shape)
    return Raster(data, GRID, None, "values")


class Values:
    """Picklable cell values of two rasters for :meth:`BlockedZonal.sums`."""

    def __init__(self, first: Raster, second: Raster) -> None:
        self.first, self.second = first, second

    def __call__(self, start: int, stop: int) -> dict[str, np.ndarray]:
        return {"a": self.first.window(start, stop).data, "b": self.second.window(start, stop).data}


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 3 rows (14 blocks of the 40-row grid, the last of 1 row)."""
    monkeypatch.setattr(grid_module, "BLOCK_CELLS", 3 * GRID.width)


def whole_sums(values: Raster) -> np.ndarray:
    return CoverageMatrix.build(irregular_units(), GRID).sum(values)


def test_blocked_sums_equal_the_sums_over_the_whole_grid(small_blocks):
    first, second = values_raster(1), values_raster(2)
    blocked = BlockedZonal(irregular_units())
    assert len(blocked.tasks(GRID, None)) == 14
    sums = blocked.sums(GRID, Values(first, second))
    for name, raster in (("a", first), ("b", second)):
        # only the order of the additions differs (block by block)
        np.testing.assert_allclose(sums[name], whole_sums(raster), rtol=1e-13, atol=0)
    assert sums["a"][4] == 0.0  # the unit off the grid
    assert (sums["a"][:4] > 0).all()


def test_one_block_gives_the_whole_grid_sums_bit_for_bit():
    raster = values_raster()
    sums = BlockedZonal(irregular_units()).sums(GRID, Values(raster, raster))
    assert np.array_equal(sums["a"], whole_sums(raster))


def test_a_block_carries_only_the_units_that_meet_it(small_blocks):
    tasks = BlockedZonal(irregular_units()).tasks(GRID, None)
    assert [list(task.positions) for task in (tasks[0], tasks[-1])] == [[0, 1], [3]]
    assert all(4 not in task.positions for task in tasks)


def test_block_coverage_is_kept_within_its_bytes_and_reused(small_blocks, monkeypatch):
    built = []
    original = CoverageMatrix.from_wkb.__func__

    def counting(cls, *args):
        built.append(args[-1].height)
        return original(cls, *args)

    monkeypatch.setattr(CoverageMatrix, "from_wkb", classmethod(counting))
    raster = values_raster()
    kept = BlockedZonal(irregular_units())
    first = kept.sums(GRID, Values(raster, raster))
    assert len(built) == 14
    second = kept.sums(GRID, Values(raster, raster))
    assert len(built) == 14  # every block's coverage was kept
    assert np.array_equal(first["a"], second["a"])

    built.clear()
    none_kept = BlockedZonal(irregular_units(), cache_bytes=0)
    none_kept.sums(GRID, Values(raster, raster))
    assert np.array_equal(none_kept.sums(GRID, Values(raster, raster))["a"], first["a"])
    assert len(built) == 28  # computed again at each pass


class PicklingExecutor(SerialExecutor):
    """Runs each block after a round trip through pickle, as on another process."""

    def map(self, function, items, *, label=""):
        shipped = [pickle.loads(pickle.dumps(item)) for item in items]
        return [pickle.loads(pickle.dumps(r)) for r in super().map(function, shipped, label=label)]


def test_blocks_run_anywhere_with_the_same_sums_and_tell_their_progress(small_blocks):
    told = []
    executor = PicklingExecutor(
        progress=lambda label, done, total: told.append((label, done, total))
    )
    raster = values_raster()
    here = BlockedZonal(irregular_units()).sums(GRID, Values(raster, raster))
    elsewhere = BlockedZonal(irregular_units(), executor=executor)
    sums = elsewhere.sums(GRID, Values(raster, raster), label="zonal sums")
    assert np.array_equal(sums["a"], here["a"])
    assert told[0] == ("zonal sums, 100 m grid", 1, 14) and told[-1][1:] == (14, 14)
    assert pickle.loads(pickle.dumps(zonal_blocks.block_sums)) is zonal_blocks.block_sums


def test_grid_label_names_the_cell_size():
    assert grid_label(GRID) == "100 m grid"
    geographic = Grid(CRS.from_epsg(4326), Affine(0.001, 0, 0, 0, -0.001, 0), 2, 2)
    assert grid_label(geographic) == "0.001° grid"
