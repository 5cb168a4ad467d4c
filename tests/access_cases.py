"""Tiny hand-built inputs shared by the tests of the access, 2SFCA and walking modules.

The layout: a population grid of 100 m cells, 2 rows x 20 columns, upper-left corner at
(X0, Y0). The centre of cell (row 0, column c) is (X0 + 50 + 100 c, Y = Y0 - 50). Two roads
meet at the centre of cell (0, 0), ``A = (X0 + 50, Y)``: one runs 1000 m west, one 2000 m
east. Only the cells given a population are origins.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine
from rasterio.crs import CRS
from shapely.geometry import LineString, Point, box

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, catalogue
from observatory.kernels.grid import Grid, Raster

EPSG = "EPSG:32629"
X0, Y0 = 500_000.0, 3_800_000.0
Y = Y0 - 50.0
AX = X0 + 50.0  # the junction, centre of cell (0, 0)
PERIOD = Period(2024)


def make_inputs(
    people: dict[tuple[int, int], float],
    *,
    layers: dict[str, gpd.GeoDataFrame],
    units: list[tuple[str, tuple[float, float, float, float]]] | None = None,
    extra_roads: list[LineString] = (),
    fields: dict | None = None,
) -> Inputs:
    grid = Grid(CRS.from_string(EPSG), Affine(100.0, 0, X0, 0, -100.0, Y0), 2, 20)
    data = np.zeros(grid.shape, dtype="float64")
    for (row, column), count in people.items():
        data[row, column] = count
    raster = Raster(data, grid, -1.0, "population 2024")
    units = units or [("U", (X0, Y0 - 200, X0 + 2000, Y0))]
    unit_frame = gpd.GeoDataFrame(
        geometry=[box(*bounds) for _, bounds in units],
        index=pd.Index([code for code, _ in units], name="unit_id"),
        crs=EPSG,
    )
    road_lines = [
        LineString([(AX - 1000, Y), (AX, Y)]),
        LineString([(AX, Y), (AX + 2000, Y)]),
        *extra_roads,
    ]
    roads = gpd.GeoDataFrame(
        {"class": ["residential"] * len(road_lines)}, geometry=road_lines, crs=EPSG
    )
    return Inputs(
        unit_frame,
        rasters={"population": {2024: raster}},
        layers={"roads": roads, **layers},
        fields={"roads": {"class": "class"}, **(fields or {})},
    )


def points(role_fields: dict[str, list], xs: list[float], ys: list[float] | None = None):
    ys = ys or [Y] * len(xs)
    return gpd.GeoDataFrame(
        role_fields, geometry=[Point(x, y) for x, y in zip(xs, ys, strict=True)], crs=EPSG
    )


def run(indicator_id: str, inputs: Inputs, **overrides) -> pd.DataFrame:
    """The values of ``indicator_id`` on ``inputs`` (finest units) in :data:`PERIOD`."""
    spec = catalogue()[indicator_id]
    params = spec.resolve_params(overrides)
    components = spec.compute(inputs, PERIOD, params)
    return spec.finalize(components, PERIOD, params)
