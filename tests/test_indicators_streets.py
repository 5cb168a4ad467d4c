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
from affine import Affine
from rasterio.crs import CRS
from shapely.geometry import LineString, box

import observatory.indicators.streets  # noqa: F401  (registers the indicators)
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, catalogue
from observatory.kernels.grid import Grid, Raster

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
    return spec.finalize(components, PERIOD, params).loc["U"]


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


def test_sdg_11_7_1_share_inside_the_built_up_area():
    # built-up area: the upper-left cell, 0.25 km². Inside it: H from X0 to X0 + 500
    # (500 m x 14 = 7 000 m²), T from Y0 - 300 down to the cell edge at Y0 - 500
    # (200 m x 2 = 400 m²) and the first park (20 000 m²):
    # 100 x (7 000 + 400 + 20 000) / 250 000 = 10.96 %
    result = run("sdg_11_7_1_share", make_inputs())
    assert result["value"] == pytest.approx(10.96)
