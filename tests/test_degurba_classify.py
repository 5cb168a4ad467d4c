"""Tests of observatory.degurba.classify: both stages on the rasters and units a user gives.

A 100 m population grid of 7 x 8 km holds one 3 x 3 km block of 200 people per 100 m cell
(20,000 per km², 180,000 people: an urban centre); nobody lives elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from affine import Affine
from rasterio.crs import CRS
from shapely.geometry import box

from observatory.degurba import (
    CLASS_NODATA,
    as_m2_per_cell,
    classify_grid_rasters,
    classify_unit_layer,
    grid_class_codes,
    rules_from_name,
)
from observatory.degurba.grid import level1_from_level2
from observatory.errors import CRSError, InputDataError
from observatory.io.raster import read_raster
from observatory.io.vector import read_layer
from observatory.kernels.grid import Grid, Raster

RULES = rules_from_name("ghsl-2023")
LAEA = CRS.from_epsg(3035)
X0, Y0 = 4_000_000.0, 3_000_000.0


def raster(data, *, size=100.0, name="grid.tif", crs=LAEA):
    data = np.asarray(data)
    grid = Grid(crs, Affine(size, 0, X0, 0, -size, Y0), *data.shape)
    return Raster(data=data, grid=grid, nodata=None, name=name)


def city_block():
    fine = np.zeros((70, 80))
    fine[20:50, 30:60] = 200.0
    return fine


def test_shares_become_m2_and_m2_stay_as_they_are():
    shares = raster([[0.0, 0.25], [1.0, np.nan]])
    m2 = as_m2_per_cell(shares)
    assert m2.data[0].tolist() == [0.0, 2500.0]  # a quarter of a 100 m cell
    assert m2.data[1, 0] == 10_000.0 and np.isnan(m2.data[1, 1])
    already = raster([[0.0, 2500.0]])
    assert as_m2_per_cell(already) is already


def test_negative_values_name_the_raster():
    with pytest.raises(InputDataError, match=r"land.tif has negative values"):
        as_m2_per_cell(raster([[0.5, -1.0]], name="land.tif"))


def test_grid_classification_reports_its_steps_and_sums_each_class():
    said = []
    result = classify_grid_rasters(
        raster(city_block()),
        rules=RULES,
        level=1,
        land=raster(np.ones((70, 80)), name="land.tif"),  # shares: every cell all land
        progress=said.append,
    )
    assert said == [
        "summing the 100 m population grid to 1 km cells",
        "summing the 100 m land grid to 1 km cells",
        "classifying the 1 km cells at level 1",
    ]
    assert result.classes.nodata == CLASS_NODATA
    assert result.classes.grid.shape == (7, 8)
    rows = {row["code"]: row for row in result.summary}
    assert (rows[3]["cells"], rows[3]["population"]) == (9, 180_000)
    # Cells of EPSG:3035 (equal-area on the ellipsoid) measure their nominal 1 km² there.
    assert rows[3]["area_km2"] == pytest.approx(9.0, rel=1e-6)
    assert rows[1]["cells"] == 56 - 9 and rows[1]["population"] == 0
    assert result.codes[3] == "urban centre" and result.colours[3] == (255, 0, 0, 255)
    assert result.description == "Degree of Urbanisation level 1 (ghsl-2023)"
    assert result.tags["degurba_level"] == "1" and result.tags["degurba_rules"] == "ghsl-2023"
    assert json.loads(result.tags["degurba_parameters"])["uc_size"] == RULES.uc_size


def test_grid_class_codes_tell_the_level_and_refuse_other_codes():
    assert set(grid_class_codes(raster(np.array([[3, 1], [0, 2]], dtype="uint8")))) == {
        3,
        2,
        1,
        0,
    }
    assert 30 in grid_class_codes(raster(np.array([[30, 11]], dtype="uint8")))
    with pytest.raises(InputDataError, match=r"classes.tif holds codes \[7\]"):
        grid_class_codes(raster(np.array([[3, 7]], dtype="uint8"), name="classes.tif"))


@pytest.fixture
def units():
    # "centre": the 3 x 3 km block exactly; "empty": the top 2 km, where nobody lives
    return gpd.GeoDataFrame(
        {"code": ["centre", "empty"], "other": [1, 2]},
        geometry=[
            box(X0 + 3000, Y0 - 5000, X0 + 6000, Y0 - 2000),
            box(X0, Y0 - 2000, X0 + 8000, Y0),
        ],
        crs=LAEA,
    )


def level2_classes():
    return classify_grid_rasters(raster(city_block()), rules=RULES, level=2).classes


def test_units_are_classified_with_their_population_and_shares(units):
    said = []
    result = classify_unit_layer(
        units,
        id_field="code",
        classes=level2_classes(),
        population=raster(city_block()),
        level=2,
        progress=said.append,
    )
    assert said == ["overlaying 2 units on the 70 x 80 grid"]
    table = result.table.set_index("code")
    assert list(result.table.columns[:5]) == [
        "code",
        "geometry",
        "degurba_l1",
        "degurba_l2",
        "population",
    ]
    assert table.loc["centre", "population"] == pytest.approx(180_000)
    assert table.loc["centre", "share_urban_centre"] == pytest.approx(1.0)
    assert (table.loc["centre", "degurba_l1"], table.loc["centre", "degurba_l2"]) == (3, 30)
    assert np.isnan(table.loc["empty", "share_urban_centre"])
    assert (table.loc["empty", "degurba_l1"], table.loc["empty", "degurba_l2"]) == (1, 11)
    counts = {code: count for code, _, count in result.counts()}
    assert counts == {30: 1, 23: 0, 22: 0, 21: 0, 13: 0, 12: 0, 11: 1}


def test_units_need_their_id_field_and_a_projected_population_grid(units):
    with pytest.raises(InputDataError, match=r"field 'nis' is not in units.gpkg; it has: code"):
        classify_unit_layer(
            units,
            id_field="nis",
            classes=level2_classes(),
            population=raster(city_block()),
            level=1,
            name="units.gpkg",
        )
    geographic = raster(city_block(), size=0.001, crs=CRS.from_epsg(4326), name="pop.tif")
    with pytest.raises(CRSError, match=r"pop.tif"):
        classify_unit_layer(
            units, id_field="code", classes=level2_classes(), population=geographic, level=1
        )


# --- level 1 and level 2 agree -------------------------------------------------------------

SAMPLE_RASTERS = Path(__file__).resolve().parents[1] / "sample_data" / "rasters"
BELGIUM = Path("/work/shared/realdata/brussels/rasters")


def both_levels(population, built_up, land):
    """The level 1 and level 2 classifications of the same rasters with the default rules."""
    return [
        classify_grid_rasters(population, rules=RULES, level=level, built_up=built_up, land=land)
        for level in (1, 2)
    ]


def test_level1_is_the_first_digit_of_level2_and_units_agree_on_the_sample():
    population = read_raster(SAMPLE_RASTERS / "population_2024.tif")
    level1, level2 = both_levels(
        population,
        read_raster(SAMPLE_RASTERS / "built_up_2024.tif"),
        read_raster(SAMPLE_RASTERS / "land.tif"),
    )
    assert (level1.classes.data == level1_from_level2(level2.classes.data)).all()
    communes = read_layer(SAMPLE_RASTERS.parent / "units.gpkg", layer="communes")
    by_grid = [
        classify_unit_layer(
            communes, id_field="code", classes=grid.classes, population=population, level=1
        ).table.set_index("code")["degurba_l1"]
        for grid in (level1, level2)
    ]
    assert by_grid[0].equals(by_grid[1])
    # Three communes whose population lives mostly in small semi-dense clusters (22): towns
    # from either grid (they were rural from the level 1 grid when it ignored those clusters).
    assert by_grid[0][["04.281.05.09", "04.291.05.09", "04.291.09.13"]].tolist() == [2, 2, 2]


@pytest.mark.skipif(not BELGIUM.is_dir(), reason="the GHSL Belgian grids are not here")
def test_level1_is_the_first_digit_of_level2_on_the_belgian_ghsl_grid():
    level1, level2 = both_levels(
        *(
            read_raster(BELGIUM / f"ghsl_1km_belgium_{name}.tif")
            for name in ("POP", "BUILT_S", "LAND")
        )
    )
    assert (level1.classes.data == level1_from_level2(level2.classes.data)).all()
    cells = {row["code"]: row["cells"] for row in level1.summary}
    assert cells == {3: 2145, 2: 8875, 1: 52_759, 0: 2578}
