"""Every published area is an area on the ellipsoid: units on a GHSL Mollweide grid
(ESRI:54009) at 34° N, 51° N, 70° N and across the antimeridian, recomputed independently
with pyproj.Geod.geometry_area_perimeter.

Before, areas were measured in the grid's CRS, Mollweide on a sphere of radius a: 0.25 % too
large at 34° N, 0.14 % too small at 51° N, 0.51 % too small at 70° N and 0.5 % too large at
17° S, and the m² of the cells were taken as their nominal 10⁴ m² whatever the latitude.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from affine import Affine
from conftest import finalized
from pyproj import Geod
from rasterio.crs import CRS
from shapely.geometry import MultiPolygon, box

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period
from observatory.kernels.grid import Grid, Raster

MOLLWEIDE = CRS.from_user_input("ESRI:54009")
CELL = 1000.0
#: Units in longitude and latitude, edges cut every 0.002° (so that straight in degrees,
#: straight in Mollweide and geodesic edges agree to far below 1e-4).
PLACES = {
    "34° N": box(-6.9, 34.0, -6.7, 34.2),
    "51° N": box(4.3, 50.8, 4.5, 51.0),
    "70° N": box(25.0, 70.0, 25.4, 70.2),
    "across ±180° at 17° S": MultiPolygon(
        [box(179.8, -17.1, 180.0, -16.9), box(-180.0, -17.1, -179.8, -16.9)]
    ),
}
#: The requirement: within 0.01 % of the geodesic area.
REL = 1e-4


def geodesic_km2(geometry) -> float:
    """The reference: pyproj.Geod on the unit's own vertices (longitude, latitude)."""
    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geometry)[0]) / 1e6


def place_inputs(place: str) -> Inputs:
    """One unit, and a 1 km Mollweide grid over it: every cell entirely built up (10⁶ m², the
    whole cell), half land (5 × 10⁵ m²), one person."""
    geometry = shapely.segmentize(PLACES[place], 0.002)
    units = gpd.GeoDataFrame(
        geometry=[geometry], crs="EPSG:4326", index=pd.Index(["U"], name="unit_id")
    )
    left, bottom, right, top = units.to_crs(MOLLWEIDE).total_bounds
    left, bottom = (math.floor(v / CELL) * CELL - CELL for v in (left, bottom))
    right, top = (math.ceil(v / CELL) * CELL + CELL for v in (right, top))
    grid = Grid(
        MOLLWEIDE,
        Affine(CELL, 0, left, 0, -CELL, top),
        round((top - bottom) / CELL),
        round((right - left) / CELL),
    )

    def filled(value: float) -> Raster:
        return Raster(np.full(grid.shape, value, dtype="float32"), grid, -200.0, "grid")

    return Inputs(
        units,
        rasters={
            "built_up": {2024: filled(CELL * CELL)},
            "land": {None: filled(CELL * CELL / 2)},
            "population": {2024: filled(1.0)},
        },
    )


@pytest.mark.parametrize("place", PLACES)
def test_unit_and_land_areas_are_geodesic(place):
    inputs = place_inputs(place)
    true_km2 = geodesic_km2(PLACES[place])
    assert inputs.area_km2()["U"] == pytest.approx(true_km2, rel=REL)
    # Half of every cell is water: the land is half the unit, measured on the ellipsoid.
    assert inputs.land_area_km2()["U"] == pytest.approx(true_km2 / 2, rel=REL)
    assert inputs.raster_coverage("land")["covered"]["U"] == pytest.approx(true_km2, rel=REL)


@pytest.mark.parametrize("place", PLACES)
def test_the_areas_of_the_cells_are_geodesic(place):
    inputs = place_inputs(place)
    true_km2 = geodesic_km2(PLACES[place])
    period = Period(2024)
    # Every cell entirely built up: the built-up area is the unit's, 100 % of it.
    built = finalized("built_up_area", inputs, period)["value"]["U"]
    assert built == pytest.approx(true_km2, rel=REL)
    share = finalized("built_up_share", inputs, period)["value"]["U"]
    assert share == pytest.approx(200.0, rel=REL)  # of the land, half the unit
    extent = finalized("urban_extent_area", inputs, period)["value"]["U"]
    assert extent == pytest.approx(true_km2, rel=REL)
    people = inputs.zonal_sum("population", 2024)["U"]
    density = finalized("population_density", inputs, period)["value"]["U"]
    assert density == pytest.approx(people / (true_km2 / 2), rel=REL)


def test_built_up_given_as_shares_of_the_cell_is_read_as_m2():
    # Before: a built-up grid of shares 0-1 passed validate and gave built-up areas 10⁶
    # times too small (1 m² per km² cell entirely built up).
    inputs = place_inputs("34° N")
    raster = inputs.rasters["built_up"][2024]
    as_shares = Raster(np.full(raster.grid.shape, 1.0, "float32"), raster.grid, -200.0, "b")
    shares = Inputs(inputs.units, rasters={"built_up": {2024: as_shares}})
    built = finalized("built_up_area", shares, Period(2024))["value"]["U"]
    assert built == pytest.approx(geodesic_km2(PLACES["34° N"]), rel=REL)
