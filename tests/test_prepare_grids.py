"""Tests of observatory.prepare.grids and prepare_grids: years, lattices, cut tiles, WorldPop."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from shapely.geometry import box

from observatory.errors import GridMismatchError, OutputExistsError, ParameterError
from observatory.io.raster import read_raster
from observatory.io.tables import read_toml
from observatory.prepare.grids import split_year, target_grid, year_from_name
from observatory.prepare.workflow import prepare_grids
from observatory.project import load_project

#: Units: a 3 km × 2 km rectangle in ESRI:54009, far from the tiles' edges.
UNITS = box(1_003_000, 4_002_000, 1_006_000, 4_004_000)


def write_tif(path: Path, data, *, west, north, size, crs, nodata):
    data = np.asarray(data)
    with rasterio.open(
        path, "w", driver="GTiff", height=data.shape[0], width=data.shape[1], count=1,
        dtype=data.dtype.name, crs=crs, transform=Affine(size, 0, west, 0, -size, north),
        nodata=nodata,
    ) as dataset:  # fmt: skip
        dataset.write(data, 1)


@pytest.fixture
def project(tmp_path):
    gpd.GeoDataFrame({"code": ["A"]}, geometry=[UNITS], crs="ESRI:54009").to_file(
        tmp_path / "units.gpkg", layer="units"
    )
    (tmp_path / "observatory.toml").write_text(
        '[project]\nname = "Grid test"  # keep me\n\n[units]\npath = "units.gpkg"\n'
        'levels = [{ name = "unit", id = "code" }]\n',
        encoding="utf-8",
    )
    return tmp_path


@pytest.fixture
def ghsl_tiles(tmp_path):
    """One 10 km × 10 km raster at 100 m, cut into four GHSL-named tiles."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    whole = np.random.default_rng(3).gamma(1.0, 30.0, (100, 100)).astype("float32")
    whole[40, 40] = -200.0
    for row, col in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        write_tif(
            folder / f"GHS_POP_E2020_GLOBE_R2023A_54009_100_V1_0_R{row + 1}_C{col + 1}.tif",
            whole[row * 50 : (row + 1) * 50, col * 50 : (col + 1) * 50],
            west=1_000_000 + col * 5000, north=4_010_000 - row * 5000, size=100,
            crs="ESRI:54009", nodata=-200.0,
        )  # fmt: skip
    return folder, whole


def test_years_from_names_and_values():
    assert year_from_name(Path("GHS_BUILT_S_E2030_GLOBE_R2023A_54009_100_V1_0.tif")) == 2030
    assert year_from_name(Path("mar_ppp_2020_UNadj_constrained.tif")) == 2020
    assert year_from_name(Path("GHS_LAND_GLOBE_R2022A_54009_100.tif")) is None
    assert year_from_name(Path("pop_2014_2024_change.tif")) is None
    assert split_year("2024=a=b.tif") == (2024, "a=b.tif")
    assert split_year("C:/data/pop.tif") == (None, "C:/data/pop.tif")


def test_mosaic_of_four_tiles_equals_the_original(project, ghsl_tiles):
    folder, whole = ghsl_tiles
    outcome = prepare_grids(
        load_project(project), {"population": [str(folder / "GHS_POP_E2020_*.tif")]},
        folder=project / "rasters", margin_m=2000,
    )  # fmt: skip
    assert [(g.role, g.year, g.method) for g in outcome.grids] == [("population", 2020, "cut")]
    written = read_raster(project / "rasters" / "population_2020.tif")
    # units 1003-1006 km × 4002-4004 km plus 2 km → 1001-1008 km × 4000-4006 km
    assert written.grid.bounds == (1_001_000, 4_000_000, 1_008_000, 4_006_000)
    rows, cols = slice(40, 100), slice(10, 80)  # the same cells in the original
    np.testing.assert_array_equal(written.data, whole[rows, cols])
    assert written.data.dtype == np.float32 and written.nodata == -200.0
    document = read_toml(project / "observatory.toml")
    assert document["rasters"] == {"population": {"2020": "rasters/population_2020.tif"}}
    assert "# keep me" in (project / "observatory.toml").read_text(encoding="utf-8")


def test_worldpop_in_degrees_is_moved_with_its_total(project, tmp_path):
    values = np.random.default_rng(4).gamma(0.7, 15.0, (80, 100)).astype("float32")
    path = tmp_path / "xyz_ppp_2024_UNadj.tif"
    west, north, size = 10.3, 34.04, 0.0008
    write_tif(path, values, west=west, north=north, size=size, crs="EPSG:4326", nodata=-99999.0)
    units = gpd.GeoDataFrame(
        {"code": ["A"]}, geometry=[box(west + 0.02, north - 0.05, west + 0.06, north - 0.02)],
        crs="EPSG:4326",
    ).to_crs("ESRI:54009")  # fmt: skip
    units.to_file(project / "units.gpkg", layer="units", mode="w")
    outcome = prepare_grids(
        load_project(project), {"population": [str(path)]}, folder=project / "rasters",
        margin_m=0,
    )  # fmt: skip
    grid = outcome.grids[0]
    assert (grid.year, grid.method) == (2024, "regridded")
    assert grid.relative_difference < 1e-6
    written = read_raster(project / "rasters" / "population_2024.tif")
    assert written.grid.crs == "ESRI:54009" and written.grid.cell_width == 100
    assert written.filled(0).sum() == pytest.approx(grid.total_before, rel=1e-6)
    assert written.grid.transform.c % 1000 == 0 and written.grid.transform.f % 1000 == 0


def test_refuses_to_overwrite_without_the_flag(project, ghsl_tiles):
    folder, _ = ghsl_tiles
    sources = {"population": [str(folder / "GHS_POP_E2020_*.tif")]}
    prepare_grids(load_project(project), sources, folder=project / "rasters")
    with pytest.raises(OutputExistsError, match="already has population"):
        prepare_grids(load_project(project), sources, folder=project / "rasters")
    again = prepare_grids(
        load_project(project), sources, folder=project / "rasters", overwrite=True
    )
    assert again.replaced == ["population"]


def test_tiles_of_two_resolutions_are_refused(project, ghsl_tiles, tmp_path):
    folder, _ = ghsl_tiles
    write_tif(
        folder / "GHS_POP_E2020_GLOBE_R2023A_54009_1000_V1_0_R1_C3.tif", np.ones((5, 5), "float32"),
        west=1_010_000, north=4_010_000, size=1000, crs="ESRI:54009", nodata=-200.0,
    )  # fmt: skip
    with pytest.raises(GridMismatchError, match="one product and one resolution"):
        prepare_grids(
            load_project(project), {"population": [str(folder / "*.tif")]},
            folder=project / "rasters",
        )  # fmt: skip


def test_a_file_without_year_is_refused(project, tmp_path):
    path = tmp_path / "population.tif"
    write_tif(path, np.ones((5, 5), "float32"), west=1_000_000, north=4_010_000, size=100,
              crs="ESRI:54009", nodata=-200.0)  # fmt: skip
    with pytest.raises(ParameterError, match="2020="):
        prepare_grids(load_project(project), {"population": [str(path)]}, folder=project / "r")


def test_target_grid_snaps_to_whole_kilometres():
    from observatory.kernels.grid import Grid

    lattice = Grid("ESRI:54009", Affine(100, 0, -18_041_000, 0, -100, 9_000_000), 1, 1)
    grid = target_grid(lattice, (1_003_050, 4_002_050, 1_005_950, 4_003_950), "ESRI:54009",
                       margin_m=10)  # fmt: skip
    assert grid.bounds == (1_003_000, 4_002_000, 1_006_000, 4_004_000)
