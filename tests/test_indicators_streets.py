"""Tests of observatory.indicators.streets on a hand-drawn network (EPSG:32629, metres).

One unit, the 1 km x 1 km square with upper-left corner (X0, Y0). Its area is measured in an
equal-area CRS, so it is 1 km² up to the UTM scale factor (0.9996 → ±0.1 %): densities are
compared with rel=2e-3. Streets (lengths inside the unit):

- H, primary, y = Y0 - 300, from X0 - 500 to X0 + 1500: 1000 m inside;
- V, residential, x = X0 + 600, from Y0 - 1500 to Y0 + 500: 1000 m inside;
- T, footway, x = X0 + 200, from H down to Y0 - 700: 400 m (a T junction, then a dead end);
- M, motorway, x = X0 + 800, crossing H: 1000 m inside.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from affine import Affine
from rasterio.crs import CRS
from shapely.geometry import LineString, box

from observatory.errors import ParameterError
from observatory.indicators import streets  # registers the indicators
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, catalogue
from observatory.kernels.grid import Grid, Raster
from observatory.kernels.zonal import equal_area_km2

EPSG = "EPSG:32629"
X0, Y0 = 500_000.0, 3_800_000.0
PERIOD = Period(2024)


def make_inputs() -> Inputs:
    units = gpd.GeoDataFrame(
        geometry=[box(X0, Y0 - 1000, X0 + 1000, Y0)],
        index=pd.Index(["U"], name="unit_id"),
        crs=EPSG,
    )
    roads = gpd.GeoDataFrame(
        {"class": ["primary", "residential", "footway", "motorway"]},
        geometry=[
            LineString([(X0 - 500, Y0 - 300), (X0 + 1500, Y0 - 300)]),
            LineString([(X0 + 600, Y0 - 1500), (X0 + 600, Y0 + 500)]),
            LineString([(X0 + 200, Y0 - 300), (X0 + 200, Y0 - 700)]),
            LineString([(X0 + 800, Y0 - 1500), (X0 + 800, Y0 + 500)]),
        ],
        crs=EPSG,
    )
    parks = gpd.GeoDataFrame(
        geometry=[
            box(X0 + 100, Y0 - 200, X0 + 300, Y0 - 100),  # 20 000 m², in the built-up cell
            box(X0 + 700, Y0 - 900, X0 + 900, Y0 - 800),  # outside the built-up area
        ],
        crs=EPSG,
    )
    # 2 x 2 cells of 500 m; only the upper-left cell is built-up (100 000 / 250 000 = 0.4)
    grid = Grid(CRS.from_string(EPSG), Affine(500.0, 0, X0, 0, -500.0, Y0), 2, 2)
    built = np.array([[100_000.0, 0.0], [0.0, 40_000.0]])  # lower-right: 0.16 < 0.2
    return Inputs(
        units,
        rasters={"built_up": {2024: Raster(built, grid, -1.0, "built_up 2024")}},
        layers={"roads": roads, "open_spaces": parks},
        fields={"roads": {"class": "class"}},
    )


def run(indicator_id: str, inputs: Inputs, **overrides) -> pd.Series:
    spec = catalogue()[indicator_id]
    params = spec.resolve_params(overrides)
    components = spec.compute(inputs, PERIOD, params)
    terms = components[[c for c in ("numerator", "denominator") if c in components]]
    return spec.finalize(components, PERIOD, params).join(terms).loc["U"]


def test_street_density_counts_every_class():
    # (1000 + 1000 + 400 + 1000) m = 3.4 km in 1 km²
    assert run("street_density", make_inputs())["value"] == pytest.approx(3.4, rel=2e-3)


def test_street_density_without_motorways():
    # 2.4 km without the motorway
    result = run("street_density", make_inputs(), excluded_classes=["motorway"])
    assert result["value"] == pytest.approx(2.4, rel=2e-3)


def test_intersection_density_on_the_walking_network():
    # '+' of H and V, 'T' of H and T; the motorway crossing is not walkable; the ends of the
    # lines are dead ends -> 2 per km²
    inputs = make_inputs()
    assert run("intersection_density", inputs)["value"] == pytest.approx(2.0, rel=2e-3)
    # with the motorway walkable its crossing with H is a third one
    result = run("intersection_density", inputs, excluded_classes=[])
    assert result["value"] == pytest.approx(3.0, rel=2e-3)


def test_street_land_share_with_default_and_given_widths():
    # 1000 x 14 (primary) + 1000 x 7 (residential) + 400 x 2 (footway) + 1000 x 25 (motorway)
    # = 46 800 m² = 0.0468 km² of 1 km² -> 4.68 %
    inputs = make_inputs()
    assert run("street_land_share", inputs)["value"] == pytest.approx(4.68, rel=2e-3)
    # primary at 20 m: 46 800 + 6 000 = 52 800 m² -> 5.28 %
    result = run("street_land_share", inputs, widths_m={"primary": 20.0})
    assert result["value"] == pytest.approx(5.28, rel=2e-3)


# The UTM scale factor on the central meridian (x = 500 km): planar lengths are 0.9996 of
# the true ones and planar areas 0.9996² of them.
K_UTM = 0.9996


def test_sdg_11_7_1_share_with_the_built_up_cells_option():
    # built_up_area = built_up_cells: the upper-left cell (share 0.4 >= 0.2), 0.25 km² (the
    # lower-right one, 0.16, is not). Inside it: H from X0 to X0 + 500 (500 m x 14 = 7,000 m²),
    # T from Y0 - 300 down to the cell edge at Y0 - 500 (200 m x 2 = 400 m²) and the first
    # park (20,000 m²). Every term is taken to the ellipsoid: the street land measured in the
    # roads' CRS / 0.9996, the park and the cell (in the same UTM zone) / 0.9996²:
    # 100 x (7,400 x 0.9996 + 20,000) / 250,000 = 10.9588 %.
    result = run("sdg_11_7_1_share", make_inputs(), built_up_area="built_up_cells")
    assert result["value"] == pytest.approx(100 * (7400 * K_UTM + 20_000) / 250_000, rel=1e-6)


def test_sdg_11_7_1_share_is_empty_without_an_urban_extent():
    # By default the built-up area is the urban extent. With 500 m cells the 564 m circle is
    # a cell and its 4 side neighbours; the upper-left cell's circle holds 100,000 m² of the
    # 750,000 m² of its 3 cells in the grid: 0.13 < 0.25, rural, so there is no extent.
    result = run("sdg_11_7_1_share", make_inputs())
    assert result["denominator"] == 0.0 and np.isnan(result["value"])


def test_sdg_11_7_1_share_in_the_urban_extent():
    # Every cell 100,000 m² built: each circle holds 3 cells of 250,000 m², 0.4: suburban, so
    # the extent is the whole unit (1 km²), with both parks (40,000 m²) and every street
    # (46,800 m² in the roads' CRS). Every term on the ellipsoid: the unit's 1 km² of UTM is
    # 1 / 0.9996² km² there, the streets' 46,800 / 0.9996 m², the parks' 40,000 / 0.9996².
    inputs = make_inputs()
    inputs.rasters["built_up"][2024].data[:] = 100_000.0
    result = run("sdg_11_7_1_share", inputs)
    assert result["denominator"] == pytest.approx(1 / K_UTM**2, rel=1e-6)
    assert result["value"] == pytest.approx(100 * (46_800 * K_UTM + 40_000) / 1e6, rel=1e-6)


def test_sdg_11_7_1_share_measures_its_two_terms_alike():
    # On a Mollweide grid (areas 0.25 % above the ellipsoid's at 34° N) and with UTM roads,
    # the share is the ratio of true (ellipsoidal) areas: the grid's bias is in both terms.
    inputs = make_inputs()
    mollweide = CRS.from_user_input("ESRI:54009")
    unit = inputs.units.to_crs(mollweide).total_bounds
    origin = (unit[0] - 1000.0, unit[3] + 1000.0)
    grid = Grid(mollweide, Affine(500.0, 0, origin[0], 0, -500.0, origin[1]), 8, 8)
    built = Raster(np.full((8, 8), 200_000.0), grid, -1.0, "built_up 2024")  # 0.8: urban
    inputs.rasters["built_up"] = {2024: built}
    result = run("sdg_11_7_1_share", inputs)
    true_unit_m2 = equal_area_km2(inputs.units.geometry)[0] * 1e6
    true_parks_m2 = equal_area_km2(inputs.layer("open_spaces").geometry).sum() * 1e6
    true_streets_m2 = 46_800 / K_UTM
    expected = 100 * (true_streets_m2 + true_parks_m2) / true_unit_m2
    assert result["value"] == pytest.approx(expected, rel=2e-5)


def test_sdg_11_7_1_share_refuses_an_unknown_built_up_area():
    with pytest.raises(
        ParameterError,
        match=r"built_up_area = 'cells' is not a known value; use one of 'urban_extent'",
    ):
        run("sdg_11_7_1_share", make_inputs(), built_up_area="cells")


def test_the_outline_of_cells_is_their_union_as_one_valid_multipolygon():
    # A ring of cells around a hole holding an island, and a cell touching the ring's corner.
    cells = np.zeros((7, 7), dtype=bool)
    cells[0:5, 0:5] = True
    cells[1:4, 1:4] = False
    cells[2, 2] = True
    cells[5, 5] = True
    grid = Grid(CRS.from_string(EPSG), Affine(100.0, 0, X0, 0, -100.0, Y0), 7, 7)
    outline = streets.cells_outline(grid, cells)
    rows, cols = np.nonzero(cells)
    boxes = [
        box(X0 + 100 * c, Y0 - 100 * (r + 1), X0 + 100 * (c + 1), Y0 - 100 * r)
        for r, c in zip(rows, cols, strict=True)
    ]
    assert outline.is_valid and outline.geom_type == "MultiPolygon"
    assert outline.equals(shapely.union_all(boxes))
    assert outline.area == cells.sum() * 100.0**2
    assert streets.cells_outline(grid, np.zeros((7, 7), dtype=bool)).is_empty


def test_polygons_that_reprojection_leaves_invalid_are_made_valid():
    # A bow-tie: its two edges cross, as edges a few nanometres apart can after a round
    # trip through degrees; GEOS refuses to intersect it ("side location conflict").
    bow_tie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    square = box(20, 0, 30, 10)
    geometries = gpd.GeoSeries([bow_tie, square], crs="ESRI:54009")
    assert not bow_tie.is_valid

    polygons = streets.reprojected_polygons(geometries, "ESRI:54009")

    assert shapely.is_valid(polygons).all()
    assert shapely.area(polygons) == pytest.approx([50.0, 100.0])  # two triangles, the square
    assert polygons[1].equals(square)  # a valid polygon is left as it is
