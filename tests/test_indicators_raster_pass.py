"""The zonal statistics of :class:`Inputs`, block by block of rows: the same as over the whole
grid whatever the block size, the same from files as from memory, and never a raster read
whole."""

from __future__ import annotations

import builders
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from conftest import finalized
from rasterio.crs import CRS
from shapely.geometry import Point, Polygon

from observatory.errors import InputDataError
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period
from observatory.io.raster import open_raster
from observatory.kernels import grid as grid_module
from observatory.kernels.grid import Grid, Raster, RasterFile

MOLLWEIDE = CRS.from_user_input("ESRI:54009")
X0, Y0 = -600_000.0, 4_000_000.0  # near Rabat
GRID = Grid(MOLLWEIDE, Affine(100.0, 0, X0, 0, -100.0, Y0), 40, 30)
PM25_GRID = Grid(MOLLWEIDE, Affine(1000.0, 0, X0, 0, -1000.0, Y0), 4, 3)
#: Rows of a block in the blocked runs (14 blocks of the 40-row grid).
BLOCK_ROWS = 3
PERIOD = Period(2024)
INDICATORS = ("population_density", "built_up_area", "built_up_share", "sdg_11_6_2")


def units() -> gpd.GeoDataFrame:
    """Four irregular units sharing cells, one reaching past the grid's edge."""
    star = Point(X0 + 1500, Y0 - 2000).buffer(900, quad_segs=3)
    geometries = [
        Polygon([(X0 - 300, Y0 + 200), (X0 + 1730, Y0 + 100), (X0 + 1210, Y0 - 1870)]),
        Polygon([(X0 + 1730, Y0 + 100), (X0 + 3300, Y0 - 50), (X0 + 2900, Y0 - 2470)]),
        star,
        Polygon([(X0 + 50, Y0 - 2510), (X0 + 2950, Y0 - 2620), (X0 + 1430, Y0 - 4370)]),
    ]
    index = pd.Index(["A", "B", "C", "D"], name="unit_id")
    return gpd.GeoDataFrame(geometry=geometries, crs=MOLLWEIDE, index=index).to_crs(4326)


def rasters(*, shares: bool = False) -> dict[str, dict[int | None, Raster]]:
    """Population (float32, nodata -200), built-up and land (uint16 m², nodata 65535, or
    float32 shares of the cell) and PM2.5 on a 1 km grid, each with nodata cells."""
    rng = np.random.default_rng(7)

    def population(year: int) -> Raster:
        data = rng.gamma(2.0, 20.0, GRID.shape).astype("float32")
        data[5:8, 3:9] = -200.0
        return Raster(data, GRID, -200.0, f"population {year}")

    def surface(name: str, low: int) -> Raster:
        data = rng.integers(low, 10_000, GRID.shape).astype("uint16")
        data[20, 10:20] = 65535
        if shares:
            values = np.where(data == 65535, -200.0, data / 10_000).astype("float32")
            return Raster(values, GRID, -200.0, name)
        return Raster(data, GRID, 65535.0, name)

    pm25 = np.array([[10, 12, 14], [11, 13, -9999], [15, 9, 8], [7, 6, 5]], dtype="float32")
    return {
        "population": {year: population(year) for year in (2014, 2024)},
        "built_up": {year: surface(f"built_up {year}", 0) for year in (2014, 2024)},
        "land": {None: surface("land", 5_000)},
        "pm25": {2024: Raster(pm25, PM25_GRID, -9999.0, "pm25 2024")},
    }


class RefusingReader:
    """Reads rows of a file, refusing more than ``limit`` rows at once."""

    def __init__(self, read_rows, limit: int) -> None:
        self.read_rows, self.limit = read_rows, limit

    def __call__(self, start: int, stop: int) -> np.ndarray:
        if stop - start > self.limit:
            raise AssertionError(f"{stop - start} rows read at once (at most {self.limit})")
        return self.read_rows(start, stop)


def from_files(folder, given, *, limit: int | None = None) -> dict[str, dict]:
    """``given`` written to GeoTIFFs and opened as :class:`RasterFile` (those of the 100 m
    grid reading at most ``limit`` rows at once when given)."""
    opened = {}
    for role, by_year in given.items():
        for year, raster in by_year.items():
            path = folder / f"{role}_{year}.tif"
            builders.write_raster(path, raster)
            file, _ = open_raster(path)
            if limit is not None and raster.grid is GRID:  # the PM2.5 grid is one block
                reader = RefusingReader(file.read_rows, limit)
                file = RasterFile(file.grid, file.nodata, file.name, file.dtype, reader)
            opened.setdefault(role, {})[year] = file
    return opened


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(grid_module, "BLOCK_CELLS", BLOCK_ROWS * GRID.width)


def statistics(inputs: Inputs) -> dict[str, np.ndarray]:
    """Every zonal statistic of ``inputs`` and the indicators computed from them."""
    found = {f"population {year}": inputs.zonal_sum("population", year) for year in (2014, 2024)}
    found["built-up km²"] = inputs.surface_km2(inputs.raster("built_up", 2024))
    found["land km²"] = inputs.land_area_km2()
    for role, year in (("population", 2014), ("built_up", 2024), ("land", None), ("pm25", 2024)):
        found[f"covered {role}"] = inputs.raster_coverage(role, year)["covered"]
    weighted = inputs.population_weighted("pm25", 2024, 2024)
    found["P × PM2.5"], found["P"] = weighted["numerator"], weighted["denominator"]
    computed = Raster(np.full(GRID.shape, 5_000.0), GRID, None, "half built")
    found["computed raster km²"] = inputs.surface_km2(computed)
    for indicator in INDICATORS:
        found[indicator] = finalized(indicator, inputs, PERIOD)["value"]
    return {name: np.asarray(values, dtype="float64") for name, values in found.items()}


def assert_same(found: dict, expected: dict, *, rtol: float) -> None:
    assert found.keys() == expected.keys()
    for name in expected:
        np.testing.assert_allclose(found[name], expected[name], rtol=rtol, atol=0, err_msg=name)


def test_every_statistic_is_the_same_from_files_read_by_blocks_as_from_memory_whole(
    tmp_path, small_blocks, monkeypatch
):
    given = rasters()
    blocked = statistics(Inputs(units(), rasters=from_files(tmp_path, given, limit=BLOCK_ROWS)))
    monkeypatch.setattr(grid_module, "BLOCK_CELLS", GRID.height * GRID.width)
    whole = statistics(Inputs(units(), rasters=given))
    assert (whole["population 2024"] > 0).all() and (whole["P"] > 0).all()
    # Only the order of the additions differs: a block's sums, then the blocks'.
    assert_same(blocked, whole, rtol=1e-13)
    assert not np.array_equal(whole["P"], blocked["P"] * (1 + 1e-12))  # the check can fail


def test_in_memory_rasters_and_files_give_the_same_bits_block_by_block(tmp_path, small_blocks):
    given = rasters()
    from_memory = statistics(Inputs(units(), rasters=given))
    assert_same(
        statistics(Inputs(units(), rasters=from_files(tmp_path, given))), from_memory, rtol=0
    )


def test_shares_of_the_cell_are_read_as_m2_block_by_block(tmp_path, small_blocks):
    in_m2, in_shares = rasters(), rasters(shares=True)
    expected = statistics(Inputs(units(), rasters=in_m2))
    found = statistics(Inputs(units(), rasters=from_files(tmp_path, in_shares, limit=BLOCK_ROWS)))
    # shares of 10⁴ m² cells: the same m² up to float32 rounding of the shares
    assert_same(found, expected, rtol=1e-6)


def test_a_negative_surface_is_refused_whatever_block_it_is_in(small_blocks):
    given = rasters()
    land = given["land"][None]
    data = land.data.astype("float32")
    data[-1, -1] = -5.0  # in the last block only
    with pytest.raises(InputDataError, match="land has negative values"):
        Inputs(units(), rasters={"land": {None: Raster(data, GRID, 65535.0, "land")}})


def test_a_raster_of_the_project_is_never_read_whole(tmp_path, small_blocks):
    files = from_files(tmp_path, rasters(), limit=BLOCK_ROWS)
    with pytest.raises(AssertionError, match="40 rows read at once"):
        files["population"][2014].load()
    inputs = Inputs(units(), rasters=files)
    statistics(inputs)  # every statistic, read by blocks of 3 rows
