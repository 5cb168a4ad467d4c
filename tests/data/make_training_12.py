"""Rebuild the files of training module 12 (run from the repo root, once; they are committed).

``python tests/data/make_training_12.py`` writes into ``training/12_prepare/``:

- ``downloads/GHS_POP_E2020_GLOBE_R2023A_54009_1000_V1_0_R3_C19.tif`` and ``..._R4_C19.tif``:
  two GHSL 1 km tiles on their published footprint (1,000 × 1,000 cells of 1 km in
  ESRI:54009; row R from y = 9,000 km down, column C from x = -18,041 km), filled with the
  cells of the Brussels sample's ``ghsl_1km_belgium_POP.tif`` (GHS-POP R2023A, epoch 2020)
  west of x = 310 km (the west of Belgium, with parts of France and the Netherlands),
  unchanged; its nodata cells (NaN, the open sea) and every other cell hold the nodata value
  of the published tiles, -200 (so the files stay small);
- ``west_flanders/units.geojson``: the 64 municipalities of the province of West Flanders
  (NIS codes 3xxxx) of the sample's ``gemeente2024.shp``, simplified to 200 m (Lambert 72);
- ``helsinki/units.geojson``: two boxes over central Helsinki, the districts of the OSM cut
  ``tests/data/helsinki_cut.osm.pbf`` (copied beside the tiles).
"""

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
from affine import Affine
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "training" / "12_prepare"
BRUSSELS = ROOT / "sample_data" / "brussels"
SOURCE = BRUSSELS / "rasters" / "ghsl_1km_belgium_POP.tif"
TILE_NAME = "GHS_POP_E2020_GLOBE_R2023A_54009_1000_V1_0_R{row}_C{col}.tif"
TILES = [(3, 19), (4, 19)]
TILE_CELLS, CELL_M, NODATA = 1000, 1000.0, -200.0
WEST_M, NORTH_M = -18_041_000.0, 9_000_000.0
#: Cells of the sample grid east of this x (m, ESRI:54009) are left out.
KEEP_WEST_OF_M = 310_000.0


def write_tile(row: int, col: int, values: np.ndarray, source_transform: Affine) -> Path:
    left = WEST_M + (col - 1) * TILE_CELLS * CELL_M
    top = NORTH_M - (row - 1) * TILE_CELLS * CELL_M
    tile = np.full((TILE_CELLS, TILE_CELLS), NODATA, dtype="float64")
    col0 = round((source_transform.c - left) / CELL_M)
    row0 = round((top - source_transform.f) / CELL_M)
    rows = range(max(row0, 0), min(row0 + values.shape[0], TILE_CELLS))
    cols = range(max(col0, 0), min(col0 + values.shape[1], TILE_CELLS))
    tile[rows.start : rows.stop, cols.start : cols.stop] = values[
        rows.start - row0 : rows.stop - row0, cols.start - col0 : cols.stop - col0
    ]
    path = MODULE / "downloads" / TILE_NAME.format(row=row, col=col)
    profile = dict(driver="GTiff", width=TILE_CELLS, height=TILE_CELLS, count=1,
                   dtype="float64", crs="ESRI:54009", nodata=NODATA,
                   transform=Affine(CELL_M, 0, left, 0, -CELL_M, top),
                   compress="deflate", predictor=3, zlevel=9, tiled=True,
                   blockxsize=256, blockysize=256)  # fmt: skip
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(tile, 1)
    return path


def main() -> None:
    with rasterio.open(SOURCE) as dataset:
        values, transform = dataset.read(1), dataset.transform
    values = np.where(np.isnan(values), NODATA, values)
    values = values[:, : round((KEEP_WEST_OF_M - transform.c) / CELL_M)]
    for row, col in TILES:
        print(write_tile(row, col, values, transform))
    municipalities = gpd.read_file(BRUSSELS / "boundaries" / "gemeente2024.shp")
    province = municipalities[municipalities["gemeente"].astype(str).str[0] == "3"].copy()
    province["geometry"] = province.geometry.simplify(200, preserve_topology=True)
    province[["gemeente", "naam", "geometry"]].to_file(
        MODULE / "west_flanders" / "units.geojson", driver="GeoJSON", COORDINATE_PRECISION=0
    )
    helsinki = gpd.GeoDataFrame(
        {"code": ["W", "E"], "name": ["Kaisaniemi", "Kruununhaka"]},
        geometry=[box(24.9420, 60.1725, 24.9470, 60.1785), box(24.9470, 60.1725, 24.9520, 60.1785)],
        crs="EPSG:4326",
    )
    helsinki.to_file(MODULE / "helsinki" / "units.geojson", driver="GeoJSON")
    shutil.copyfile(ROOT / "tests" / "data" / "helsinki_cut.osm.pbf",
                    MODULE / "downloads" / "helsinki_cut.osm.pbf")  # fmt: skip


if __name__ == "__main__":
    main()
