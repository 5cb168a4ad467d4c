"""Shared fixtures: a tiny territory in memory whose answers can be worked out by hand.

The grid is 4 × 4 cells of 100 m (1 ha) in ESRI:54009, x from 0 to 400 m, y from 0 to
400 m. Units (finest level "commune"):

- ``A``: x 0–200, y 200–400 (the 4 top-left cells),
- ``B``: x 200–400, y 200–400 (the 4 top-right cells),
- ``C``: x 0–400, y 0–200 (the 8 bottom cells).

Provinces: ``P1`` = A + B, ``P2`` = C; region ``R`` = everything.

Areas are measured on the WGS 84 ellipsoid. ESRI:54009 is Mollweide on a sphere of radius
*a*, so a cell of the tiny grid (at the equator) measures :data:`EQUATOR_AREA` = 1 − e² of its
nominal 1 ha: A and B are 0.04 × (1 − e²) km², C 0.08 × (1 − e²) km².
"""

from __future__ import annotations

import builders
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from pyproj import Geod
from rasterio.crs import CRS
from shapely.geometry import box

from observatory.hierarchy import Hierarchy
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, get_indicator
from observatory.kernels.grid import Grid, Raster

MOLLWEIDE = CRS.from_user_input("ESRI:54009")
#: True over nominal area of a cell at the equator in ESRI:54009: (1 − e²) / (1 − e² sin² 0)²
#: (Snyder 1987; checked against pyproj.Geod in test_cell_areas.py).
EQUATOR_AREA = 1 - Geod(ellps="WGS84").es
TINY_GRID = Grid(MOLLWEIDE, Affine(100.0, 0.0, 0.0, 0.0, -100.0, 400.0), 4, 4)


def tiny_raster(values, name: str = "tiny", nodata: float | None = None) -> Raster:
    """A raster on the tiny grid from a 4 × 4 nested list."""
    return Raster(np.asarray(values, dtype="float64"), TINY_GRID, nodata, name)


@pytest.fixture
def tiny_units() -> gpd.GeoDataFrame:
    units = gpd.GeoDataFrame(
        {"unit_name": ["Alpha", "Beta", "Gamma"], "parent_id": ["P1", "P1", "P2"]},
        geometry=[box(0, 200, 200, 400), box(200, 200, 400, 400), box(0, 0, 400, 200)],
        crs=MOLLWEIDE,
        index=pd.Index(["A", "B", "C"], name="unit_id"),
    )
    return units


@pytest.fixture
def tiny_hierarchy(tiny_units) -> Hierarchy:
    provinces = gpd.GeoDataFrame(
        {"unit_name": ["One", "Two"], "parent_id": ["R", "R"]},
        geometry=[box(0, 200, 400, 400), box(0, 0, 400, 200)],
        crs=MOLLWEIDE,
        index=pd.Index(["P1", "P2"], name="unit_id"),
    )
    region = gpd.GeoDataFrame(
        {"unit_name": ["Region"], "parent_id": [None]},
        geometry=[box(0, 0, 400, 400)],
        crs=MOLLWEIDE,
        index=pd.Index(["R"], name="unit_id"),
    )
    ancestors = pd.DataFrame(
        {"region": ["R", "R", "R"], "province": ["P1", "P1", "P2"], "commune": ["A", "B", "C"]},
        index=tiny_units.index,
    )
    return Hierarchy(
        levels={"region": region, "province": provinces, "commune": tiny_units},
        ancestors=ancestors,
    )


@pytest.fixture
def pm25_in_sample(monkeypatch):
    """Give the project of :func:`builders.build_project` a pm25 raster too (on the sample
    grid, every cell 10 µg/m³), so its checks are run."""
    original = builders.sample_rasters

    def with_pm25():
        rasters = original()
        data = np.full((4, 4), 10.0, dtype="float32")
        rasters["pm25"] = {2024: Raster(data, builders.sample_grid(), -200.0, "pm25")}
        return rasters

    monkeypatch.setattr(builders, "sample_rasters", with_pm25)


def finalized(indicator_id: str, inputs: Inputs, period: Period) -> pd.DataFrame:
    """The finalized values of an indicator computed on ``inputs`` (default parameters)."""
    spec = get_indicator(indicator_id)
    params = spec.resolve_params()
    return spec.finalize(spec.compute(inputs, period, params), period, params)


@pytest.fixture(autouse=True)
def english_locale(monkeypatch):
    """Commands speak English in tests, whatever the developer's locale (a test that checks
    another language sets --lang, a workspace or the locale itself)."""
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
