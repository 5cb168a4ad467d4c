"""Tests of observatory.kernels.zonal: exact coverage weights, zonal sums, equal-area areas."""

from __future__ import annotations

import geopandas
import numpy as np
import pytest
import shapely
from affine import Affine
from exactextract import exact_extract
from exactextract.raster import NumPyRasterSource
from pyproj import Geod, Proj, Transformer
from rasterio.crs import CRS

from observatory.errors import CRSError, GridMismatchError, InputDataError
from observatory.kernels.grid import Grid, Raster
from observatory.kernels.zonal import CoverageMatrix, equal_area_km2

UTM_31N = CRS.from_epsg(32631)

# A 3 x 4 grid of 10 m cells in UTM 31N; upper-left corner at (500000, 4000030).
X0, Y0, CELL = 500_000.0, 4_000_030.0, 10.0
GRID = Grid(UTM_31N, Affine(CELL, 0.0, X0, 0.0, -CELL, Y0), 3, 4)
VALUES = np.arange(12, dtype="float32").reshape(3, 4)  # cell (row r, col c) holds 4r + c


def cell_box(row: float, col: float, rows: float = 1.0, cols: float = 1.0) -> shapely.Polygon:
    """The rectangle of ``rows`` x ``cols`` cells whose upper-left corner is cell (row, col)."""
    return shapely.box(
        X0 + col * CELL, Y0 - (row + rows) * CELL, X0 + (col + cols) * CELL, Y0 - row * CELL
    )


def units(*geometries: shapely.Geometry | None, crs=UTM_31N) -> geopandas.GeoSeries:
    return geopandas.GeoSeries(list(geometries), crs=crs)


def test_a_unit_half_covering_a_cell_counts_half_of_it():
    # Left half of cell (1, 2), whose value is 4*1 + 2 = 6: coverage 0.5, sum 3.
    coverage = CoverageMatrix.build(units(cell_box(1, 2, cols=0.5)), GRID)
    cells, fractions = coverage.covered_cells(0)
    assert cells.tolist() == [6]
    assert fractions.tolist() == [0.5]
    assert coverage.sum(Raster(VALUES, GRID)).tolist() == [3.0]


def test_a_unit_overlapping_four_cells_gets_their_fractions():
    # A 10 m square centred on the corner shared by cells (0,0), (0,1), (1,0), (1,1):
    # a quarter of each, so the sum is (0 + 1 + 4 + 5) / 4 = 2.5.
    square = shapely.box(X0 + 5, Y0 - 15, X0 + 15, Y0 - 5)
    coverage = CoverageMatrix.build(units(square), GRID)
    assert coverage.matrix.toarray()[0].reshape(3, 4)[:2, :2].tolist() == [[0.25] * 2] * 2
    assert coverage.sum(Raster(VALUES, GRID)).tolist() == [2.5]


def test_units_tiling_the_raster_sum_to_the_raster_total():
    # Three units cut by a slanted line and a vertical one: none follows cell edges.
    whole = cell_box(0, 0, rows=3, cols=4)
    left = shapely.Polygon([(X0, Y0), (X0 + 17.3, Y0), (X0 + 23.9, Y0 - 30), (X0, Y0 - 30)])
    right = whole.difference(left)
    top_right = right.intersection(shapely.box(X0, Y0 - 12.7, X0 + 40, Y0))
    bottom_right = right.difference(top_right)
    raster = Raster(VALUES, GRID)
    sums = CoverageMatrix.build(units(left, top_right, bottom_right), GRID).sum(raster)
    # The raster total is 0 + 1 + ... + 11 = 66; every cell is shared out in full. exactextract
    # keeps coverage fractions in single precision (relative error 2**-24 = 6e-8 each), and a
    # cell is cut into at most 3 parts: |error| <= 12 cells * 11 * 3 * 6e-8 = 2.4e-5.
    assert sums.sum() == pytest.approx(66.0, abs=2.4e-5)
    assert np.all(sums > 0)


def test_the_part_of_a_unit_outside_the_grid_is_ignored():
    # Cells (0,3) and (1,3) plus 10 m beyond the right edge: only the two cells count, 3 + 7.
    sticking_out = cell_box(0, 3, rows=2, cols=2)
    assert CoverageMatrix.build(units(sticking_out), GRID).sum(Raster(VALUES, GRID)).tolist() == [
        10.0
    ]


def test_empty_and_missing_geometries_give_empty_rows():
    series = units(cell_box(0, 0), shapely.Polygon(), None, cell_box(2, 3))
    coverage = CoverageMatrix.build(series, GRID)
    assert coverage.matrix.shape == (4, 12)
    assert coverage.matrix.indptr.tolist() == [0, 1, 1, 1, 2]
    # Cell (0,0) holds 0, cell (2,3) holds 11.
    assert coverage.sum(Raster(VALUES, GRID)).tolist() == [0.0, 0.0, 0.0, 11.0]


def test_units_in_degrees_give_the_same_sums_as_units_in_the_raster_crs():
    ring = shapely.Point(X0 + 21, Y0 - 14).buffer(13.0, quad_segs=16)
    triangle = shapely.Polygon([(X0 + 1, Y0 - 1), (X0 + 38, Y0 - 4), (X0 + 9, Y0 - 29)])
    in_utm = units(ring, triangle)
    in_degrees = in_utm.to_crs("EPSG:4326")
    raster = Raster(VALUES, GRID)
    from_utm = CoverageMatrix.build(in_utm, GRID).sum(raster)
    from_degrees = CoverageMatrix.build(in_degrees, GRID).sum(raster)
    # Only the vertices move, UTM -> degrees -> UTM, which PROJ does to well under 1e-6 m. A
    # vertex moved by d changes a coverage by at most d * 10 m / 100 m² = d / 10 per cell, so
    # sums of order 10-100 agree to far better than a relative 1e-6.
    np.testing.assert_allclose(from_degrees, from_utm, rtol=1e-6)


def test_sums_equal_a_direct_exactextract_sum():
    rng = np.random.default_rng(7)
    grid = Grid(UTM_31N, Affine(CELL, 0.0, X0, 0.0, -CELL, Y0), 40, 50)
    values = rng.gamma(2.0, 10.0, size=grid.shape)
    shapes = units(
        shapely.Point(X0 + 180, Y0 - 160).buffer(120.0),
        shapely.Polygon([(X0 - 30, Y0 + 20), (X0 + 333, Y0 - 17), (X0 + 71, Y0 - 391)]),
        shapely.box(X0 + 250.5, Y0 - 399.2, X0 + 520, Y0 - 200.1),
    )
    ours = CoverageMatrix.build(shapes, grid).sum(Raster(values, grid))
    xmin, ymin, xmax, ymax = grid.bounds
    direct = exact_extract(
        NumPyRasterSource(values, xmin, ymin, xmax, ymax),
        geopandas.GeoDataFrame(geometry=shapes),
        "sum",
        output="pandas",
    )["sum"].to_numpy()
    assert np.max(np.abs(ours - direct) / np.abs(direct)) < 1e-9


def test_nodata_and_nan_cells_count_as_zero():
    values = VALUES.copy()
    values[0, 0] = -9999.0
    values[0, 1] = np.nan
    # Row 0 is -9999 (nodata), NaN, 2, 3: only 2 + 3 = 5 counts.
    sums = CoverageMatrix.build(units(cell_box(0, 0, cols=4)), GRID).sum(
        Raster(values, GRID, nodata=-9999.0)
    )
    assert sums.tolist() == [5.0]


def test_weighted_mean_is_the_population_weighted_pm25():
    # SDG 11.6.2 seed: 100 people at 10 µg/m³ and 300 at 20 µg/m³ -> 7000 / 400 = 17.5.
    # A third cell has 50 people but no PM2.5 value: it is left out of both sums.
    grid = Grid(UTM_31N, Affine(CELL, 0.0, X0, 0.0, -CELL, Y0), 1, 3)
    pm25 = Raster(np.array([[10.0, 20.0, -1.0]]), grid, nodata=-1.0, name="pm25")
    population = Raster(np.array([[100.0, 300.0, 50.0]]), grid, name="population")
    coverage = CoverageMatrix.build(units(shapely.box(X0, Y0 - CELL, X0 + 3 * CELL, Y0)), grid)
    numerator, denominator = coverage.weighted_mean(pm25, population)
    assert numerator.tolist() == [7000.0]
    assert denominator.tolist() == [400.0]
    assert numerator[0] / denominator[0] == 17.5


def test_weighted_mean_uses_the_coverage_fractions():
    # Half of a cell (100 people at 10) and the whole next one (300 at 20):
    # (0.5 * 100 * 10 + 300 * 20) / (0.5 * 100 + 300) = 6500 / 350.
    grid = Grid(UTM_31N, Affine(CELL, 0.0, X0, 0.0, -CELL, Y0), 1, 2)
    pm25 = Raster(np.array([[10.0, 20.0]]), grid)
    population = Raster(np.array([[100.0, 300.0]]), grid)
    coverage = CoverageMatrix.build(units(shapely.box(X0 + 5, Y0 - CELL, X0 + 20, Y0)), grid)
    numerator, denominator = coverage.weighted_mean(pm25, population)
    assert (numerator.tolist(), denominator.tolist()) == ([6500.0], [350.0])


def test_inputs_are_not_mutated():
    series = units(cell_box(0, 0, rows=2, cols=2)).to_crs("EPSG:4326")
    before = series.copy()
    values = VALUES.copy()
    coverage = CoverageMatrix.build(series, GRID)
    coverage.sum(Raster(values, GRID))
    assert series.crs == before.crs and series.geom_equals_exact(before, 0.0).all()
    assert np.array_equal(values, VALUES)


def test_units_without_crs_are_refused_with_their_name():
    with pytest.raises(CRSError, match="communes have no CRS"):
        CoverageMatrix.build(units(cell_box(0, 0), crs=None), GRID, name="communes")


def test_points_and_lines_are_refused_with_their_position():
    series = units(cell_box(0, 0), shapely.LineString([(X0, Y0), (X0 + 20, Y0 - 20)]))
    with pytest.raises(
        InputDataError, match="communes: the geometry at position 1 is a LineString"
    ):
        CoverageMatrix.build(series, GRID, name="communes")


def test_a_raster_on_another_grid_is_refused():
    coverage = CoverageMatrix.build(units(cell_box(0, 0)), GRID)
    shifted = Grid(UTM_31N, Affine(CELL, 0.0, X0 + 5, 0.0, -CELL, Y0), 3, 4)
    with pytest.raises(GridMismatchError, match=r"built_2024.tif is not on the grid"):
        coverage.sum(Raster(VALUES, shifted, name="built_2024.tif"))
    with pytest.raises(GridMismatchError, match=r"pop.tif"):
        coverage.weighted_mean(Raster(VALUES, GRID), Raster(VALUES, shifted, name="pop.tif"))


def test_equal_area_km2_corrects_the_utm_scale_factor():
    # A 200 m x 200 m square on the central meridian of UTM 31N, where the scale factor is
    # k0 = 0.9996: its true area is 0.04 km² / 0.9996² = 0.0400320 km².
    square = shapely.box(500_000, 3_800_000, 500_200, 3_800_200)
    area = equal_area_km2(units(square))
    np.testing.assert_allclose(area, [0.04 / 0.9996**2], rtol=1e-6)


def test_equal_area_km2_of_a_square_in_degrees_is_in_km2():
    # 0.01° x 0.01° at the equator on WGS 84: 0.01 * a * pi / 180 = 1113.195 m east-west, and
    # 0.01° of meridian arc, a (1 - e²) pi / 180 / 100 = 1105.743 m north-south:
    # 1.230907 km² (the edges are short, so straight or curved makes no visible difference).
    # The empty and the missing geometry measure 0.
    square = units(shapely.box(0.0, 0.0, 0.01, 0.01), shapely.Polygon(), None, crs="EPSG:4326")
    np.testing.assert_allclose(equal_area_km2(square), [1.230907, 0.0, 0.0], rtol=1e-6)


def test_equal_area_km2_refuses_geometries_without_crs():
    with pytest.raises(CRSError, match="no CRS"):
        equal_area_km2(units(cell_box(0, 0), crs=None))


# Geodesic areas: hand formulas on the WGS 84 ellipsoid and pyproj's Geod as the independent tool.
A_WGS84, F_WGS84 = 6_378_137.0, 1 / 298.257223563
E2_WGS84 = F_WGS84 * (2 - F_WGS84)
GEOD = Geod(ellps="WGS84")


def quadrangle_km2(width: float, lat_south: float, lat_north: float) -> float:
    """Area between two parallels over ``width`` degrees of longitude on WGS 84:
    Δλ b² / 2 · [g(φ₂) − g(φ₁)], with g(φ) = sin φ / (1 − e² sin² φ) + artanh(e sin φ) / e."""
    e = np.sqrt(E2_WGS84)
    b2 = (A_WGS84 * (1 - F_WGS84)) ** 2

    def g(lat: float) -> float:
        s = np.sin(np.radians(lat))
        return s / (1 - E2_WGS84 * s * s) + np.arctanh(e * s) / e

    return np.radians(width) * b2 / 2 * (g(lat_north) - g(lat_south)) / 1e6


def along_parallels(lon_west, lat_south, width, lat_north, step=0.01) -> shapely.Polygon:
    """The quadrangle ``width`` degrees wide with a vertex every ``step`` degrees on its
    parallels, so that its geodesic edges follow them; longitudes are wrapped to ±180°
    (179°, 179.01°, ..., 180°, −179.99°, ...), as a file crossing the antimeridian holds them."""
    lons = lon_west + np.linspace(0, width, round(width / step) + 1)
    lons = np.where(lons > 180, lons - 360, lons)
    south = np.column_stack([lons, np.full(len(lons), lat_south)])
    north = np.column_stack([lons[::-1], np.full(len(lons), lat_north)])
    return shapely.Polygon(np.vstack([south, north]))


def geod_km2(geometries: geopandas.GeoSeries) -> np.ndarray:
    """Independent tool: pyproj's Geod on each geometry taken to EPSG:4326."""
    lonlat = geometries.to_crs("EPSG:4326")
    return np.array([abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in lonlat])


def relative_error(measured, reference) -> np.ndarray:
    return np.abs(np.asarray(measured) / np.asarray(reference) - 1)


ANTIMERIDIAN_SPLIT = shapely.MultiPolygon(
    [along_parallels(179, -17, 1, -16), along_parallels(-180, -17, 1, -16)]
)
LONLAT_CASES = {
    "equator": (shapely.box(0, 0, 0.01, 0.01), quadrangle_km2(0.01, 0, 0.01)),
    "80° N": (along_parallels(10, 80, 2, 81), quadrangle_km2(2, 80, 81)),
    "Antarctic coast": (along_parallels(60, -70, 2, -68), quadrangle_km2(2, -70, -68)),
    "antimeridian, crossing ±180°": (
        along_parallels(179, -17, 2, -16),
        quadrangle_km2(2, -17, -16),
    ),
    "antimeridian, split at ±180°": (ANTIMERIDIAN_SPLIT, quadrangle_km2(2, -17, -16)),
    "antimeridian at 60° N": (along_parallels(179, 60, 2, 61), quadrangle_km2(2, 60, 61)),
    # Antarctica as files hold it: the coast from -180° to 180°, back along the pole.
    "south of 70° S": (
        along_parallels(-180, -90, 360, -70, step=0.1),
        quadrangle_km2(360, -90, -70),
    ),
}


@pytest.mark.parametrize("case", LONLAT_CASES)
def test_equal_area_km2_in_degrees_matches_the_quadrangle_formula_and_geod(case):
    polygon, by_hand = LONLAT_CASES[case]
    series = units(polygon, crs="EPSG:4326")
    area = equal_area_km2(series)
    assert relative_error(area, by_hand) < 1e-6
    assert relative_error(area, geod_km2(series)) < 1e-4


def square_around(lon: float, lat: float, side: float, crs: str) -> geopandas.GeoSeries:
    """A square of ``side`` metres of ``crs`` centred on (lon, lat)."""
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    half = side / 2
    return units(shapely.box(x - half, y - half, x + half, y + half), crs=crs)


def mollweide_km2(lat: float, side: float) -> float:
    """ESRI:54009 keeps areas on the sphere of radius a; a small square of it covers
    side² (1 − e²) / (1 − e² sin² φ)² of the ellipsoid (the ratio of the area elements)."""
    s2 = np.sin(np.radians(lat)) ** 2
    return side**2 * (1 - E2_WGS84) / (1 - E2_WGS84 * s2) ** 2 / 1e6


def conformal_km2(lon: float, lat: float, side: float, crs: str) -> float:
    """A small square of a conformal projection covers side² / k² of its ellipsoid, k the
    scale factor PROJ gives at its centre (EPSG:31370 and EPSG:26191 are on Hayford 1924 and
    Clarke 1880, whose areas differ from WGS 84's by 1.6e-5 and 1.3e-5 in Belgium and Morocco)."""
    return side**2 / Proj(crs).get_factors(lon, lat).areal_scale / 1e6


PROJECTED_CASES = {
    "UTM 31N, 300 km off its meridian": ("EPSG:32631", 7.2, 50.0, 1000, conformal_km2),
    "Lambert 72, Brussels": ("EPSG:31370", 4.35, 50.85, 1000, conformal_km2),
    "Merchich / Nord Maroc, Rabat": ("EPSG:26191", -6.84, 34.02, 1000, conformal_km2),
    "ESRI:54009 at 34° N": ("ESRI:54009", -6.84, 34.02, 1000, None),
    "ESRI:54009 at 62° N, 100° E": ("ESRI:54009", 100.0, 62.0, 1000, None),
}


@pytest.mark.parametrize("case", PROJECTED_CASES)
def test_equal_area_km2_in_projected_crs_matches_scale_factors_and_geod(case):
    crs, lon, lat, side, by_hand = PROJECTED_CASES[case]
    square = square_around(lon, lat, side, crs)
    expected = mollweide_km2(lat, side) if by_hand is None else by_hand(lon, lat, side, crs)
    area = equal_area_km2(square)
    assert relative_error(area, expected) < 1e-4
    assert relative_error(area, geod_km2(square)) < 1e-4


def test_large_units_in_projected_crs_match_geod():
    # 20 km and 50 km squares, where straight edges in the CRS and geodesics part the most.
    for crs, lon, lat, side in [
        ("EPSG:31370", 4.35, 50.85, 20_000),
        ("ESRI:54009", 100, 62, 50_000),
    ]:
        square = square_around(lon, lat, side, crs)
        assert relative_error(equal_area_km2(square), geod_km2(square)) < 1e-4


def single_laea_km2(geometries: geopandas.GeoSeries) -> np.ndarray:
    """The method replaced: one Lambert azimuthal equal-area projection centred on the
    middle of the geometries' bounding box in longitude and latitude."""
    lonlat = geometries.to_crs("EPSG:4326")
    lon_min, lat_min, lon_max, lat_max = lonlat.total_bounds
    laea = (
        f"+proj=laea +lat_0={(lat_min + lat_max) / 2} +lon_0={(lon_min + lon_max) / 2} "
        "+datum=WGS84 +units=m +no_defs"
    )
    return lonlat.to_crs(laea).area.to_numpy() / 1e6


def test_the_check_rejects_the_old_error_across_the_antimeridian():
    # The 2° box of 179° E - 179° W, 17° - 16° S with its four corners, as a ring crossing
    # ±180° and as two boxes split there. Their bounding boxes span -180..180, so the old
    # projection was centred at 0°, on the far side of the Earth: 1.27 % and 0.30 % low,
    # where the check allows 0.01 %.
    crossing = shapely.Polygon([(179, -17), (-179, -17), (-179, -16), (179, -16)])
    split = shapely.MultiPolygon(
        [shapely.box(179, -17, 180, -16), shapely.box(-180, -17, -179, -16)]
    )
    for polygon, old_error in [(crossing, 1.27e-2), (split, 3.0e-3)]:
        series = units(polygon, crs="EPSG:4326")
        reference = geod_km2(series)
        assert relative_error(single_laea_km2(series), reference) == pytest.approx(
            old_error, rel=0.01
        )
        assert relative_error(equal_area_km2(series), reference) < 1e-4


def test_equal_area_km2_of_thousands_of_units_is_geod_of_each():
    rng = np.random.default_rng(7)
    centres = rng.uniform([-180, -85], [180, 85], size=(2000, 2))
    angles = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    polygons = []
    for lon, lat in centres:
        radius = 0.05 * (1 + 0.3 * rng.uniform(-1, 1, angles.size))
        ring_lon = lon + radius * np.cos(angles) / np.cos(np.radians(lat))
        ring_lon = (ring_lon + 180) % 360 - 180  # units near ±180° cross it
        polygons.append(shapely.Polygon(np.column_stack([ring_lon, lat + radius * np.sin(angles)])))
    series = units(*polygons, crs="EPSG:4326")
    assert relative_error(equal_area_km2(series), geod_km2(series)).max() < 1e-9


def test_holes_are_taken_out_and_collections_add_their_polygons():
    # A 0.02° square with a 0.01° hole at the equator: 4 - 1 quadrangles of 0.01° (to 1e-6,
    # quadrangles 0.01° apart in latitude differ by 1e-8). A collection adds its polygons.
    outer = shapely.box(0, 0, 0.02, 0.02)
    holed = outer.difference(shapely.box(0.005, 0.005, 0.015, 0.015))
    small = quadrangle_km2(0.01, 0, 0.01)
    pieces = shapely.GeometryCollection(
        [
            shapely.box(0, 0, 0.01, 0.01),
            shapely.MultiPolygon([shapely.box(1, 0, 1.01, 0.01)]),
            shapely.Point(3, 3),
        ]
    )
    area = equal_area_km2(
        units(holed, pieces, shapely.LineString([(0, 0), (1, 1)]), crs="EPSG:4326")
    )
    np.testing.assert_allclose(area, [3 * small, 2 * small, 0.0], rtol=1e-6)


def test_a_vertex_outside_the_projection_is_refused_with_its_position():
    # Mollweide's ellipse ends at x = 2√2 a ≈ 18,040 km on the equator.
    inside, outside = shapely.box(0, 0, 1000, 1000), shapely.box(1.9e7, 0, 1.95e7, 1000)
    with pytest.raises(CRSError, match=r"Geometry 1 has a vertex \(19500000, 0\)"):
        equal_area_km2(units(inside, outside, crs="ESRI:54009"))
