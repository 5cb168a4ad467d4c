"""Checks of the bundled Rabat-Salé-Kénitra sample project (``sample_data/``).

The units and census are real (HCP), so their counts and totals are compared with the
published figures. The synthetic layers are checked for the properties the build promises:
population grids that add up to the census per commune, built-up growth of every kind, a
walkable road network in one piece, labels saying "synthetic", and a reproducible build
by a generator that owes nothing to the code it checks.
"""

from __future__ import annotations

import ast
import filecmp
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from exactextract import exact_extract
from scipy import ndimage

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
UNITS = SAMPLE / "units.gpkg"
RASTERS = SAMPLE / "rasters"
YEARS = (2014, 2024)
# HCP legal populations of the region (RGPH 2014 and 2024)
CENSUS_TOTALS = {2014: 4_580_866, 2024: 5_132_639}


@pytest.fixture(scope="module")
def communes() -> gpd.GeoDataFrame:
    return gpd.read_file(UNITS, layer="communes")


@pytest.fixture(scope="module")
def provinces() -> gpd.GeoDataFrame:
    return gpd.read_file(UNITS, layer="provinces")


@pytest.fixture(scope="module")
def census() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "census.csv", dtype={"code": str, "name_fr": str})


def test_one_region_seven_provinces_114_communes(communes, provinces):
    regions = gpd.read_file(UNITS, layer="regions")
    assert list(regions["code"]) == ["04"]
    assert len(provinces) == 7
    assert set(provinces["region_code"]) == {"04"}
    assert len(communes) == 114
    assert communes["code"].is_unique
    # codes stay text: Rabat is 04.421.01.0, not 4.421...
    assert "04.421.01.0" in set(communes["code"])
    assert set(communes["status"]) == {"urban", "rural"}
    assert set(communes["province_code"]) == set(provinces["code"])
    assert all(communes.geometry.is_valid) and all(provinces.geometry.is_valid)


def test_every_commune_lies_in_its_province(communes, provinces):
    communes_m = communes.to_crs("EPSG:26191")
    provinces_m = provinces.to_crs("EPSG:26191").set_index("code")
    for _, commune in communes_m.iterrows():
        province = provinces_m.geometry[commune["province_code"]]
        inside = commune.geometry.intersection(province).area / commune.geometry.area
        assert inside >= 0.99, commune["code"]


def test_census_matches_hcp_totals(census, communes):
    assert len(census) == 114
    assert set(census["code"]) == set(communes["code"])
    for year, total in CENSUS_TOTALS.items():
        assert census[f"population_{year}"].sum() == total


@pytest.mark.parametrize("year", YEARS)
def test_population_grid_sums_to_census_per_commune(year, communes, census):
    with rasterio.open(RASTERS / f"population_{year}.tif") as raster:
        assert raster.crs.to_string() == "ESRI:54009"
        assert raster.res == (100.0, 100.0)
        assert raster.transform.c % 100 == 0 and raster.transform.f % 100 == 0
        assert raster.nodata == -200
        assert raster.tags()["SYNTHETIC"] == "yes"
        sums = exact_extract(
            raster,
            communes.to_crs(raster.crs),
            ["sum"],
            include_cols=["code"],
            output="pandas",
        )
    merged = sums.merge(census, on="code")
    relative_error = merged["sum"] / merged[f"population_{year}"] - 1
    assert len(merged) == 114
    assert relative_error.abs().max() < 0.005


def read_built(year: int) -> np.ndarray:
    with rasterio.open(RASTERS / f"built_up_{year}.tif") as raster:
        assert raster.dtypes[0] == "uint16" and raster.nodata == 65535
        values = raster.read(1).astype(float)
    values[values == 65535] = 0.0
    return values


def test_built_up_grows_by_infill_extension_and_leapfrog():
    built_2014, built_2024 = read_built(2014), read_built(2024)
    assert built_2024.max() <= 10_000
    assert built_2024.sum() > built_2014.sum()
    assert np.all(built_2024 >= built_2014)
    # a cell counts as built from 10 % built-up (1000 m² of 10,000)
    old, new = built_2014 >= 1000, built_2024 >= 1000
    added = new & ~old
    urban_extent = ndimage.binary_fill_holes(old)
    infill = added & urban_extent
    outside = added & ~urban_extent
    patches, count = ndimage.label(outside, structure=np.ones((3, 3)))
    touching = ndimage.binary_dilation(urban_extent, structure=np.ones((3, 3)))
    touching_labels = set(np.unique(patches[touching & outside]))
    extension_patches = len(touching_labels - {0})
    leapfrog_patches = count - extension_patches
    assert infill.sum() > 0
    assert extension_patches > 0
    assert leapfrog_patches > 0


def test_walkable_network_is_one_component():
    roads = gpd.read_file(SAMPLE / "network.gpkg", layer="roads")
    assert set(roads["class"]) <= {
        "motorway", "trunk", "primary", "secondary", "tertiary", "residential", "footway"
    }  # fmt: skip
    walkable = roads[roads["class"] != "motorway"]
    ground = walkable[walkable["bridge"] == 0].geometry.values
    bridges = walkable[walkable["bridge"] == 1].geometry.values
    # node every crossing of ground-level lines; bridges only join at their ends
    segments = list(shapely.get_parts(shapely.union_all(ground))) + list(bridges)
    graph = nx.Graph()
    for segment in segments:
        coords = np.asarray(segment.coords)
        graph.add_edge(tuple(np.round(coords[0], 6)), tuple(np.round(coords[-1], 6)))
    components = sorted(nx.connected_components(graph), key=len, reverse=True)
    detached = [(len(part), next(iter(part))) for part in components[1:]]
    assert len(components) == 1, f"{len(components)} walkable components; others: {detached}"


def test_bridges_cross_without_joining():
    roads = gpd.read_file(SAMPLE / "network.gpkg", layer="roads")
    bridges = roads[roads["bridge"] == 1]
    assert len(bridges) > 0
    others = roads[roads["bridge"] == 0]
    crossed = others.sindex.query(bridges.geometry.values, predicate="crosses")
    assert crossed.shape[1] > 0


def test_synthetic_layers_say_so():
    roads = gpd.read_file(SAMPLE / "network.gpkg", layer="roads")
    assert set(roads["synthetic"]) == {1}
    for layer in ("schools", "health", "open_spaces"):
        frame = gpd.read_file(SAMPLE / "facilities.gpkg", layer=layer)
        assert set(frame["synthetic"]) == {1}, layer
    stops = gpd.read_file(SAMPLE / "facilities.gpkg", layer="transit_stops")
    trains = stops[stops["mode"] == "train"]
    assert set(trains["position"]) == {"approximate"}
    assert set(stops.loc[stops["mode"] != "train", "synthetic"]) == {1}
    assert set(stops["capacity"][stops["mode"].isin(["tram", "train"])]) == {"high"}
    assert set(stops["capacity"][stops["mode"] == "bus"]) == {"low"}
    for name in ("built_up_2014", "built_up_2024", "pm25_2024"):
        with rasterio.open(RASTERS / f"{name}.tif") as raster:
            assert raster.tags()["SYNTHETIC"] == "yes"
            assert raster.descriptions[0].startswith("SYNTHETIC")


def test_pm25_is_in_a_plausible_range():
    with rasterio.open(RASTERS / "pm25_2024.tif") as raster:
        assert raster.res == (1000.0, 1000.0)
        values = raster.read(1, masked=True)
    assert 8 <= values.min() and values.max() <= 35


def test_sample_stays_small():
    files = [path for path in SAMPLE.rglob("*") if path.is_file()]
    assert sum(path.stat().st_size for path in files) < 25 * 1024 * 1024


def imported_modules(path: Path) -> set[str]:
    """The top-level names of the absolute imports of a Python file."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def test_generator_does_not_import_observatory():
    # the sample is an independent check of the engine, so it must not be built with it
    scripts = [SAMPLE / "build.py", *sorted((SAMPLE / "generator").glob("*.py"))]
    assert len(scripts) > 10
    for script in scripts:
        assert "observatory" not in imported_modules(script), script.name


@pytest.mark.slow
def test_build_script_is_reproducible(tmp_path):
    outputs = [tmp_path / "first", tmp_path / "second"]
    for out in outputs:
        # run from another folder: the script finds its generator package by itself
        subprocess.run(
            [sys.executable, str(SAMPLE / "build.py"), "--out", str(out)],
            check=True,
            capture_output=True,
            cwd=tmp_path,
        )
    names = sorted(str(path.relative_to(outputs[0])) for path in outputs[0].rglob("*.*"))
    assert "units.gpkg" in names and "rasters/population_2024.tif" in names
    _match, mismatch, errors = filecmp.cmpfiles(*outputs, names, shallow=False)
    assert mismatch == [] and errors == []
