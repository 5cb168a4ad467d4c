"""Cell areas on the WGS 84 ellipsoid, checked against pyproj.Geod on densified cells and
against the closed form of Mollweide-on-a-sphere."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from pyproj import Geod, Proj, Transformer
from rasterio.crs import CRS

from observatory.kernels.cell_areas import cell_areas_m2
from observatory.kernels.grid import Grid

WGS84 = Geod(ellps="WGS84")


def grid_at(crs: str, lon: float, lat: float, cell: float, shape=(6, 7)) -> Grid:
    """A grid of ``cell`` m whose upper-left corner is at (lon, lat)."""
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    return Grid(CRS.from_user_input(crs), Affine(cell, 0, x, 0, -cell, y), *shape)


def geodesic_cell_m2(grid: Grid, row: int, col: int, points: int = 40) -> float:
    """Area of one cell by pyproj.Geod, its edges cut into ``points`` straight pieces of the
    grid's CRS each (the edges are straight in the grid's CRS, not geodesics)."""
    x0, y0 = grid.transform @ (col, row)
    x1, y1 = grid.transform @ (col + 1, row + 1)
    t = np.linspace(0, 1, points, endpoint=False)
    xs = np.r_[x0 + t * (x1 - x0), np.full(points, x1), x1 - t * (x1 - x0), np.full(points, x0)]
    ys = np.r_[np.full(points, y0), y0 + t * (y1 - y0), np.full(points, y1), y1 - t * (y1 - y0)]
    lon, lat = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True).transform(xs, ys)
    return abs(WGS84.polygon_area_perimeter(lon, lat)[0])


CASES = {
    "Mollweide 100 m at 34° N": ("ESRI:54009", -6.8, 34.0, 100.0),
    "Mollweide 1 km at 51° N": ("ESRI:54009", 4.4, 51.0, 1000.0),
    "Mollweide 1 km at 70° N": ("ESRI:54009", 25.0, 70.0, 1000.0),
    "Mollweide 1 km at 179.99° E": ("ESRI:54009", 179.99, -17.0, 1000.0),
    "UTM 31N 100 m": ("EPSG:32631", 3.0, 51.0, 100.0),
    "UTM 1S 1 km across ±180°": ("EPSG:32701", 179.99, -17.0, 1000.0),
    "Belgian Lambert 72": ("EPSG:31370", 4.4, 50.8, 100.0),
    "LAEA Europe": ("EPSG:3035", 4.4, 50.8, 100.0),
}


@pytest.mark.parametrize("case", CASES)
def test_every_cell_has_its_geodesic_area(case):
    crs, lon, lat, cell = CASES[case]
    grid = grid_at(crs, lon, lat, cell)
    areas = np.broadcast_to(cell_areas_m2(grid), grid.shape)
    for row, col in [(0, 0), (2, 3), (5, 6)]:
        reference = geodesic_cell_m2(grid, row, col)
        if reference == 0 or not np.isfinite(reference):  # beyond the edge of the world
            continue
        assert areas[row, col] == pytest.approx(reference, rel=1e-7), (case, row, col)


def test_mollweide_rows_have_one_area_each_the_sphere_to_ellipsoid_factor():
    # PROJ's Mollweide is on a sphere of radius a with the geodetic latitude as the sphere's:
    # a cell's true area is its nominal area × (1 − e²) / (1 − e² sin² φ)² (φ at its centre).
    grid = grid_at("ESRI:54009", -6.8, 34.0, 100.0, shape=(40, 30))
    areas = cell_areas_m2(grid)
    assert areas.shape == (40, 1)
    _, y = grid.cell_centres()
    _, lat = Transformer.from_crs(grid.crs, "EPSG:4326", always_xy=True).transform(
        np.zeros(40), y[:, 0]
    )
    sin2 = np.sin(np.radians(lat)) ** 2
    factor = (1 - WGS84.es) / (1 - WGS84.es * sin2) ** 2
    np.testing.assert_allclose(areas[:, 0], 1e4 * factor, rtol=1e-9)
    assert factor[0] - 1 == pytest.approx(-0.00252, abs=1e-5)  # 0.25 % less at 34° N
    # PROJ's own scale factors are computed on that sphere: they cannot correct it.
    assert Proj("ESRI:54009").get_factors(-6.8, 34.0).areal_scale == pytest.approx(1.0)


def test_other_projections_are_measured_cell_by_cell():
    grid = grid_at("EPSG:32631", 3.0, 51.0, 100.0, shape=(3, 4))
    areas = cell_areas_m2(grid)
    assert areas.shape == (3, 4)
    # On the central meridian UTM's scale is 0.9996: a cell is 1e4 / 0.9996² m² there.
    assert areas[0, 0] == pytest.approx(1e4 / 0.9996**2, rel=1e-6)


def test_a_world_mollweide_grid_is_measured_by_rows():
    # 36,082 x 18,000 cells of 1 km: corners outside the world are left out of the sample,
    # so the grid is still one area per row (and takes milliseconds, not minutes).
    world = Grid(
        CRS.from_user_input("ESRI:54009"),
        Affine(1000.0, 0, -18_041_000.0, 0, -1000.0, 9_000_000.0),
        18_000,
        36_082,
    )
    areas = cell_areas_m2(world)
    assert areas.shape == (18_000, 1)
    assert areas.min() == pytest.approx(1e6 * (1 - WGS84.es), rel=1e-5)  # at the equator
    assert (areas > 0).all()


def test_cells_outside_the_crs_domain_have_no_area():
    # A UTM grid reaching past the pole side of its zone: corners PROJ cannot place → 0.
    grid = Grid(CRS.from_epsg(32631), Affine(1e6, 0, -3e7, 0, -1e6, 1e8), 2, 2)
    assert (cell_areas_m2(grid) == 0).all()


@pytest.mark.parametrize("case", ["Mollweide 100 m at 34° N", "UTM 31N 100 m"])
def test_the_areas_of_a_block_of_rows_are_those_of_the_whole_grid(case):
    crs, lon, lat, cell = CASES[case]
    grid = grid_at(crs, lon, lat, cell, shape=(9, 5))
    whole = cell_areas_m2(grid)
    assert np.array_equal(cell_areas_m2(grid, rows=(3, 7)), whole[3:7])
    assert cell_areas_m2(grid, rows=(3, 7)).shape == (4, whole.shape[1])
