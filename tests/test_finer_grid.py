"""``benchmarks.finer_grid.split_cells``: a raster on a grid twice (or more) finer."""

from __future__ import annotations

import numpy as np
import pytest
import rasterio
from affine import Affine

from benchmarks.finer_grid import split_cells


def write(path, cells: np.ndarray, nodata) -> None:
    profile = {
        "driver": "GTiff",
        "height": cells.shape[0],
        "width": cells.shape[1],
        "count": 1,
        "dtype": cells.dtype.name,
        "nodata": nodata,
        "crs": "ESRI:54009",
        "transform": Affine(100.0, 0.0, -642_000.0, 0.0, -100.0, 4_231_000.0),
    }
    with rasterio.open(path, "w", **profile) as out:
        out.write(cells, 1)
        out.update_tags(UNIT="m2")


def read(path):
    with rasterio.open(path) as grid:
        return grid.read(1), grid.transform, grid.nodata, grid.tags()


@pytest.mark.parametrize("factor", [2, 3])
def test_integer_counts_keep_every_cells_total_exactly(tmp_path, factor):
    rng = np.random.default_rng(1)
    cells = rng.integers(0, 10_001, (300, 7)).astype(np.uint16)  # more rows than a band
    cells[5, 3] = 65535
    write(tmp_path / "a.tif", cells, 65535)
    split_cells(tmp_path / "a.tif", tmp_path / "b.tif", factor=factor, kind="count")
    fine, transform, nodata, tags = read(tmp_path / "b.tif")
    assert fine.shape == (300 * factor, 7 * factor) and fine.dtype == np.uint16
    assert transform.a == pytest.approx(100.0 / factor) and (transform.c, transform.f) == (
        -642_000.0,
        4_231_000.0,
    )
    assert nodata == 65535 and tags["UNIT"] == "m2"
    sums = fine.reshape(300, factor, 7, factor).astype(np.int64).sum(axis=(1, 3))
    valid = cells != 65535
    assert np.array_equal(sums[valid], cells[valid])
    assert (fine[5 * factor : 6 * factor, 3 * factor : 4 * factor] == 65535).all()
    assert fine[fine != 65535].max() <= -(-10_000 // factor**2)  # shared, not repeated


def test_float_counts_are_divided_and_values_repeated(tmp_path):
    cells = np.array([[4.0, -200.0], [1.0, 8.0]], dtype=np.float32)
    write(tmp_path / "a.tif", cells, -200.0)
    split_cells(tmp_path / "a.tif", tmp_path / "count.tif", kind="count")
    split_cells(tmp_path / "a.tif", tmp_path / "value.tif", kind="value")
    count, *_ = read(tmp_path / "count.tif")
    value, *_ = read(tmp_path / "value.tif")
    assert count[:2, :2].tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert (count[:2, 2:] == -200.0).all()  # nodata stays nodata
    assert count[2:, 2:].sum() == 8.0
    assert value[2:, 2:].tolist() == [[8.0, 8.0], [8.0, 8.0]]


def test_an_unknown_kind_is_refused(tmp_path):
    write(tmp_path / "a.tif", np.ones((2, 2), dtype=np.float32), None)
    with pytest.raises(ValueError, match="kind"):
        split_cells(tmp_path / "a.tif", tmp_path / "b.tif", kind="mean")
