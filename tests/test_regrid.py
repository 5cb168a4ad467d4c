"""Tests of observatory.kernels.regrid: lattices, mosaics and the sum-preserving regrid."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from affine import Affine
from rasterio.crs import CRS

from observatory.errors import GridMismatchError
from observatory.kernels.grid import Grid, Raster, transform_coordinates
from observatory.kernels.regrid import aligned_grid, paste, regrid_sum, same_lattice

MOLLWEIDE = CRS.from_user_input("ESRI:54009")
WGS84 = CRS.from_epsg(4326)


def degrees_raster(values, west=10.0, north=34.0, size=0.0008, nodata=-99999.0):
    values = np.asarray(values, dtype="float64")
    grid = Grid(WGS84, Affine(size, 0, west, 0, -size, north), *values.shape)
    return Raster(values, grid, nodata, "worldpop-like")


def covering_grid(source: Raster, *, margin=1000.0, resolution=100.0) -> Grid:
    west, south, east, north = source.grid.bounds
    x, y = transform_coordinates(
        WGS84, MOLLWEIDE, np.r_[np.linspace(west, east, 20), np.linspace(west, east, 20)],
        np.r_[np.full(20, south), np.full(20, north)],
    )  # fmt: skip
    bounds = (x.min() - margin, y.min() - margin, x.max() + margin, y.max() + margin)
    return aligned_grid(MOLLWEIDE, bounds, resolution, step=1000)


def test_aligned_grid_edges_on_the_step():
    grid = aligned_grid(MOLLWEIDE, (1234.0, -567.0, 5678.0, 901.0), 100, step=1000)
    assert grid.bounds == (1000.0, -1000.0, 6000.0, 1000.0)
    assert grid.shape == (20, 50)
    with pytest.raises(GridMismatchError, match="multiple"):
        aligned_grid(MOLLWEIDE, (0, 0, 1, 1), 300, step=1000)


def test_paste_four_quarters_gives_back_the_original():
    original = np.arange(48, dtype="float32").reshape(6, 8)
    original[0, 0] = -200
    whole = Grid(MOLLWEIDE, Affine(100, 0, 0, 0, -100, 600), 6, 8)
    quarters = [
        Raster(original[r : r + 3, c : c + 4],
               Grid(MOLLWEIDE, Affine(100, 0, c * 100, 0, -100, 600 - r * 100), 3, 4), -200)
        for r in (0, 3) for c in (0, 4)
    ]  # fmt: skip
    mosaic = paste(quarters, whole, nodata=-200, dtype="float32")
    np.testing.assert_array_equal(mosaic.data, original)
    bigger = Grid(MOLLWEIDE, Affine(100, 0, -100, 0, -100, 700), 8, 10)
    padded = paste(quarters, bigger, nodata=-200, dtype="float32")
    np.testing.assert_array_equal(padded.data[1:7, 1:9], original)
    assert (padded.data[0] == -200).all()
    shifted = Grid(MOLLWEIDE, Affine(100, 0, 50, 0, -100, 600), 6, 8)
    assert not same_lattice(quarters[0].grid, shifted)
    with pytest.raises(GridMismatchError, match="not on the grid"):
        paste(quarters, shifted, nodata=-200, dtype="float32")


def test_regrid_conserves_the_total():
    values = np.random.default_rng(0).gamma(0.5, 20.0, (120, 150))
    values[3, 4] = -99999.0  # nodata holds nothing
    values[5, 6] = np.nan
    source = degrees_raster(values)
    moved = regrid_sum(source, covering_grid(source))
    total = np.nansum(np.where(values == -99999.0, 0, values))
    assert moved.source_total == pytest.approx(total, rel=1e-12)
    assert moved.inside_total == pytest.approx(total, rel=1e-9)
    assert moved.raster.filled(0).sum() == pytest.approx(total, rel=1e-6)
    assert moved.raster.grid.crs == MOLLWEIDE


def test_regrid_is_area_weighted():
    """A uniform density (people per m² on the sphere) stays uniform on the target."""
    size, rows, cols, north = 0.0008, 100, 100, 34.0
    latitudes = np.radians(north - size * np.arange(rows + 1))
    band = np.abs(np.diff(np.sin(latitudes)))[:, None] * np.ones((1, cols))
    source = degrees_raster(band / band.mean())  # people ∝ cell area on the sphere
    target = covering_grid(source, margin=0)
    moved = regrid_sum(source, target)
    west, south, east, north_edge = source.grid.bounds
    ring_x = np.r_[np.linspace(west, east, 50), np.full(50, east), np.linspace(east, west, 50),
                   np.full(50, west)]  # fmt: skip
    ring_y = np.r_[np.full(50, south), np.linspace(south, north_edge, 50), np.full(50, north_edge),
                   np.linspace(north_edge, south, 50)]  # fmt: skip
    x, y = transform_coordinates(WGS84, MOLLWEIDE, ring_x, ring_y)
    footprint = shapely.Polygon(np.column_stack([x, y]))
    xs, ys = target.cell_centres()
    cells = shapely.box(xs - 50, ys - 50, xs + 50, ys + 50)
    inner = moved.raster.data[shapely.within(cells, footprint)]
    assert inner.size > 1000
    assert inner.std() / inner.mean() < 1e-9
    # the density is the source's: people per 100 m cell = people / footprint m² × 10,000 m²
    footprint_m2 = footprint.area
    assert inner.mean() == pytest.approx(source.data.sum() / footprint_m2 * 1e4, rel=1e-4)


def test_part_of_the_source_outside_the_target_is_not_counted_inside():
    source = degrees_raster(np.ones((50, 50)))
    full = covering_grid(source, margin=0)
    half = Grid(MOLLWEIDE, full.transform, full.height // 2, full.width)
    moved = regrid_sum(source, half)
    assert moved.source_total == 2500
    # exactextract's coverage fractions are single precision: 1e-7
    assert moved.inside_total == pytest.approx(moved.raster.filled(0).sum(), rel=1e-6)
    assert 0.3 * 2500 < moved.inside_total < 0.7 * 2500
