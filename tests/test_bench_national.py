"""The generated national-size project of ``benchmarks/``, at a tiny scale (no timing)."""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from click.testing import CliRunner

from benchmarks.national_grids import POPULATION_NODATA
from benchmarks.national_project import ensure_project
from benchmarks.national_territory import GRID_CRS, Parameters
from observatory.cli.main import cli

TINY = Parameters(scale=0.004)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder, timings = ensure_project(tmp_path_factory.mktemp("national"), TINY)
    assert timings is not None  # generated, not reused
    return folder


def census_gap(folder) -> float:
    """Largest relative gap between a year's census total and its population grid's sum."""
    census = pd.read_csv(folder / "census.csv", dtype={"code": str})
    gaps = []
    for year in (2014, 2024):
        with rasterio.open(folder / f"rasters/population_{year}.tif") as grid:
            cells = grid.read(1)
        total = cells[cells != POPULATION_NODATA].astype(np.float64).sum()
        gaps.append(abs(census[f"population_{year}"].sum() / total - 1))
    return max(gaps)


def communes_outside_their_province(folder) -> int:
    """Communes that name no province, or are not covered by the one they name."""
    provinces = gpd.read_file(folder / "units.gpkg", layer="provinces").to_crs(GRID_CRS)
    communes = gpd.read_file(folder / "units.gpkg", layer="communes").to_crs(GRID_CRS)
    by_code = provinces.set_index("code").geometry
    known = communes["province_code"].isin(by_code.index).to_numpy()
    parents = by_code.reindex(communes["province_code"]).to_numpy()
    inside = np.zeros(len(communes), dtype=bool)
    inside[known] = shapely.covers(parents[known], communes.geometry.to_numpy()[known])
    return int((~inside).sum())


def test_the_project_validates_with_no_error(project):
    result = CliRunner().invoke(cli, ["validate", str(project)])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_the_census_is_the_sum_of_the_population_grids(project, tmp_path):
    assert census_gap(project) < 1e-5
    census = pd.read_csv(project / "census.csv", dtype={"code": str})
    assert census["code"].str.match(r"^\d\d\.\d\d\d\.\d\d\.\d\d$").all()  # codes as text
    assert (census["population_2024"] > census["population_2014"]).sum() > 0
    wrong = shutil.copytree(project, tmp_path / "wrong")
    census.loc[0, "population_2024"] += census["population_2024"].sum() // 100
    census.to_csv(wrong / "census.csv", index=False)
    assert census_gap(wrong) > 1e-3


def test_every_commune_lies_in_the_province_it_names(project, tmp_path):
    assert communes_outside_their_province(project) == 0
    wrong = shutil.copytree(project, tmp_path / "wrong")
    communes = gpd.read_file(project / "units.gpkg", layer="communes")
    communes.loc[0, "province_code"] = "99.999"
    communes.to_file(wrong / "units.gpkg", layer="communes")
    assert communes_outside_their_province(wrong) == 1


def test_the_layers_hold_the_counts_asked_for(project):
    units = {
        name: gpd.read_file(project / "units.gpkg", layer=name)
        for name in ("regions", "provinces", "communes")
    }
    assert {name: len(frame) for name, frame in units.items()} == {
        "regions": TINY.count("regions"),
        "provinces": TINY.count("provinces"),
        "communes": TINY.count("communes"),
    }
    for name in ("schools", "health", "transit_stops", "open_spaces"):
        layer = gpd.read_file(project / "facilities.gpkg", layer=name)
        assert len(layer) == TINY.count(name), name
        assert (layer["synthetic"] == 1).all()
    roads = gpd.read_file(project / "network.gpkg", layer="roads")
    assert 0.7 < len(roads) / TINY.count("roads") < 1.3
    assert {"road_id", "name", "class", "bridge", "synthetic"} <= set(roads.columns)
    with rasterio.open(project / "rasters/population_2014.tif") as grid:
        assert (grid.height, grid.width) == TINY.shape
        assert grid.profile["tiled"] and grid.compression.name == "deflate"


def test_a_project_is_reused_with_the_same_parameters_only(project):
    data = project.parent
    again, timings = ensure_project(data, TINY)
    assert again == project and timings is None
    record = json.loads((project / "parameters.json").read_text())
    assert record["scale"] == TINY.scale and record["seed"] == TINY.seed
    other, timings = ensure_project(data, Parameters(scale=TINY.scale, seed=7))
    assert other != project and timings is not None


def test_the_grids_are_the_same_from_one_generation_to_the_next(project, tmp_path):
    again, _ = ensure_project(tmp_path, TINY)
    for name in ("population_2024.tif", "built_up_2024.tif", "pm25_2024.tif"):
        with (
            rasterio.open(project / "rasters" / name) as a,
            rasterio.open(again / "rasters" / name) as b,
        ):
            assert np.array_equal(a.read(1), b.read(1)), name
