"""Tests of ``observatory prepare osm`` and ``prepare grids`` on a small Helsinki project.

The project is built here: two units over the real OSM cut of tests/data (ODbL © OpenStreetMap
contributors) in EPSG:3067, and a synthetic population grid on a 100 m lattice of that CRS.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely
from affine import Affine
from click.testing import CliRunner
from shapely.geometry import box

from observatory.cli.main import cli
from observatory.io.tables import read_toml

DATA = Path(__file__).parent / "data"
CUT = DATA / "helsinki_cut.osm.pbf"
PROJECT_FILE = """# Helsinki centre, for the prepare tests (keep this comment)
[project]
name = "Helsinki centre"

[units]
path = "units.gpkg"
levels = [{ name = "district", layer = "districts", id = "code", label = "name" }]

[rasters]
population = { 2024 = "population.tif" }  # synthetic
"""


def write_project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    units = gpd.GeoDataFrame(
        {"code": ["W", "E"], "name": ["Kaisaniemi", "Kruununhaka"]},
        geometry=[box(24.9420, 60.1725, 24.9470, 60.1785), box(24.9470, 60.1725, 24.9520, 60.1785)],
        crs="EPSG:4326",
    ).to_crs("EPSG:3067")
    units.to_file(folder / "units.gpkg", layer="districts")
    west, south, east, north = units.total_bounds
    x0, y1 = np.floor(west / 1000) * 1000, np.ceil(north / 1000) * 1000
    width, height = int(np.ceil((east - x0) / 100)), int(np.ceil((y1 - south) / 100))
    people = np.random.default_rng(5).uniform(10, 60, (height, width)).astype("float32")
    transform = Affine(100, 0, x0, 0, -100, y1)
    profile = dict(driver="GTiff", width=width, height=height, count=1, dtype="float32",
                   crs="EPSG:3067", transform=transform, nodata=-1.0)  # fmt: skip
    with rasterio.open(folder / "population.tif", "w", **profile) as dataset:
        dataset.write(people, 1)
    (folder / "observatory.toml").write_text(PROJECT_FILE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """The project after one 'prepare osm' run (shared: the tests below only read it)."""
    folder = write_project(tmp_path_factory.mktemp("helsinki") / "project")
    result = CliRunner().invoke(cli, ["prepare", "osm", str(CUT), str(folder)])
    return folder, result


def test_prepare_osm_writes_layers_and_registers_them(prepared):
    folder, result = prepared
    assert result.exit_code == 0, result.output
    assert "roads" in result.output and "left out: lines with fewer than two located nodes" in (
        result.output
    )
    assert "observatory validate: no error in what was written" in result.output
    text = (folder / "observatory.toml").read_text(encoding="utf-8")
    assert text.startswith(PROJECT_FILE)  # comments and layout kept
    layers = read_toml(folder / "observatory.toml")["layers"]
    assert layers["roads"] == {
        "path": "osm.gpkg", "layer": "roads", "class": "class", "bridge": "grade_separated"
    }  # fmt: skip
    assert layers["transit_stops"]["capacity"] == "capacity"
    assert sorted(pyogrio.list_layers(folder / "osm.gpkg")[:, 0]) == [
        "health", "open_spaces", "roads", "schools", "transit_stops"
    ]  # fmt: skip


def test_prepare_osm_refuses_to_overwrite(prepared, tmp_path):
    folder = write_project(tmp_path / "again")
    shutil.copy(prepared[0] / "observatory.toml", folder / "observatory.toml")
    result = CliRunner().invoke(cli, ["prepare", "osm", str(CUT), str(folder)])
    assert result.exit_code == 1
    assert "already has roads" in result.output and "--overwrite" in result.output
    assert "Traceback" not in result.output
    assert not (folder / "osm.gpkg").exists()  # nothing written
    result = CliRunner().invoke(cli, ["prepare", "osm", str(CUT), str(folder), "--overwrite"])
    assert result.exit_code == 0, result.output
    assert "replaced [layers]" in result.output


def test_prepare_osm_user_mistakes(tmp_path):
    folder = write_project(tmp_path / "p")
    missing = CliRunner().invoke(cli, ["prepare", "osm", str(tmp_path / "x.osm.pbf"), str(folder)])
    assert missing.exit_code == 1 and "does not exist" in missing.output
    units = CliRunner().invoke(cli, ["prepare", "osm", str(CUT), str(folder), "-o",
                                     str(folder / "units.gpkg"), "--overwrite"])  # fmt: skip
    assert units.exit_code == 1 and "is an input of the project" in units.output
    helped = CliRunner().invoke(cli, ["prepare", "osm", "--help"])
    assert helped.exit_code == 0 and "Examples:" in helped.output


def test_prepare_grids_from_the_command_line(tmp_path):
    folder = write_project(tmp_path / "grids")
    values = np.random.default_rng(6).gamma(0.7, 15.0, (60, 90)).astype("float32")
    source = tmp_path / "fin_ppp_2020_UNadj.tif"
    profile = dict(driver="GTiff", width=90, height=60, count=1, dtype="float32",
                   crs="EPSG:4326", transform=Affine(0.0008, 0, 24.925, 0, -0.0008, 60.19),
                   nodata=-99999.0)  # fmt: skip
    with rasterio.open(source, "w", **profile) as dataset:
        dataset.write(values, 1)
    runner = CliRunner()
    result = runner.invoke(cli, ["prepare", "grids", str(folder), "--population", str(source)])
    assert result.exit_code == 1 and "already has population" in result.output
    result = runner.invoke(
        cli, ["prepare", "grids", str(folder), "--population", str(source), "--overwrite"]
    )
    assert result.exit_code == 0, result.output
    assert "regridded" in result.output and "relative difference" in result.output
    population = read_toml(folder / "observatory.toml")["rasters"]["population"]
    assert population == {"2020": "rasters/population_2020.tif"}
    nothing = runner.invoke(cli, ["prepare", "grids", str(folder)])
    assert nothing.exit_code == 2 and "--population" in nothing.output


def _independent_street_km(folder: Path) -> pd.Series:
    """Length (km) per unit of the same ways, read by GDAL's OSM driver and cut by shapely."""
    roads = gpd.read_file(folder / "osm.gpkg", layer="roads")
    ways = pyogrio.read_dataframe(CUT, layer="lines", where="highway IS NOT NULL")
    ways = ways[ways["osm_id"].astype("int64").isin(roads["osm_id"])].to_crs("EPSG:3067")
    units = gpd.read_file(folder / "units.gpkg", layer="districts")
    return pd.Series(
        {
            code: shapely.length(shapely.intersection(ways.geometry.values, zone)).sum() / 1000
            for code, zone in zip(units["code"], units.geometry, strict=True)
        }
    )


@pytest.mark.slow
def test_prepare_then_compute_gives_street_and_access_indicators(prepared, tmp_path):
    folder, _ = prepared
    indicators = ["street_density", "intersection_density", "sdg_11_2_1", "school_access",
                  "sdg_11_7_1_access"]  # fmt: skip
    arguments = ["compute", str(folder), "-o", str(tmp_path / "out")]
    for indicator in indicators:
        arguments += ["--indicator", indicator]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "indicators.csv", dtype={"unit_id": str})
    districts = table[table["level"] == "district"].set_index(["indicator", "unit_id"])
    assert set(indicators) <= set(districts.index.get_level_values(0))
    for indicator in ("sdg_11_2_1", "school_access", "sdg_11_7_1_access"):
        values = districts.loc[indicator, "value"]
        assert values.between(0, 100).all() and values.notna().all()
    street_km = districts.loc["street_density", "numerator"]
    expected = _independent_street_km(folder)
    for code in ("W", "E"):
        assert street_km[code] == pytest.approx(expected[code], rel=1e-3)
