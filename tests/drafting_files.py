"""The files a technician has, written into a test's folder, for ``observatory init --from``.

They mimic the Brussels files of ``/work/shared/realdata/brussels`` at a size checkable by
hand, in Lambert 72 (EPSG:31370)::

    x:  X0       X0+2 km    X0+4 km
    Y0  +----------+----------+     boundaries/gewest.shp: one region, gewest "04000"
        | 21001    | 21002    |         (text), Shape_Area (real)
    -2  +----------+----------+     boundaries/gemeente2024.shp: 4 municipalities,
        | 21003    | 21004    |         gemeente 21001..21004 (integers), naam; no parent
    -4  +----------+----------+

- ``population/belgian_municipalities_YEAR.csv`` for 2018, 2019 and 2020: ``NIS_code``,
  ``municipality_FR``, ``inhabitants`` and ``zip``, with one more municipality (11001)
  that is not in the boundaries (14,304 people in 2018); inhabitants written ``"14,304"``
  (2018), ``"14 314"`` (2019) and plain (2020): 21001..21004 have 1,000, 2,000, 3,000 and
  4,000 people in 2018, every municipality 10 more each year after;
- ``rasters/pop_2020.tif``: 4 × 4 cells of 1 km on the territory, float32, nodata -1, each
  municipality's 4 cells holding its 2020 population (1,020 → 255 per cell, ...);
- ``facilities/ecoles.geojson``: 2 school points with ``places``;
- ``facilities/readme.txt``: a file that is no layer.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
from affine import Affine
from shapely.geometry import Point, box

from observatory.io.inventory import Column, RasterFile, Table, VectorLayer

CRS = "EPSG:31370"
X0, Y0 = 148000.0, 172000.0
CODES = [21001, 21002, 21003, 21004]
POPULATION_2018 = {21001: 1000, 21002: 2000, 21003: 3000, 21004: 4000}
#: How each year writes 14,304 people.
FORMATS = {2018: "14,304", 2019: "14 314", 2020: "14324"}


def _square(column: int, row: int, size: float = 2000.0):
    left, top = X0 + column * size, Y0 - row * size
    return box(left, top - size, left + size, top)


def _census_text(year: int) -> str:
    rows = {11001: 14304 + (year - 2018) * 10, **POPULATION_2018}
    lines = ["NIS_code,municipality_FR,inhabitants,zip"]
    for code, people in rows.items():
        count = people + (year - 2018) * 10
        written = {2018: f"{count:,}", 2019: f"{count:,}".replace(",", " "), 2020: str(count)}
        lines.append(f'{code},"Commune {code}","{written[year]}",{1000 + code % 100}')
    return "\n".join(lines) + "\n"


def write_technician_files(folder: Path) -> dict[str, Path]:
    """Write the files into ``folder``; returns the folders and files by name."""
    boundaries = folder / "boundaries"
    population = folder / "population"
    rasters = folder / "rasters"
    facilities = folder / "facilities"
    for path in (boundaries, population, rasters, facilities):
        path.mkdir(parents=True)
    region = gpd.GeoDataFrame(
        {"gewest": ["04000"], "Shape_Area": [16e6 + 0.25]},
        geometry=[_square(0, 0, 4000.0)],
        crs=CRS,
    )
    region.to_file(boundaries / "gewest.shp", engine="pyogrio")
    municipalities = gpd.GeoDataFrame(
        {"gemeente": CODES, "naam": ["Noord-West", "Noord-Oost", "Zuid-West", "Zuid-Oost"]},
        geometry=[_square(0, 0), _square(1, 0), _square(0, 1), _square(1, 1)],
        crs=CRS,
    )
    municipalities.to_file(boundaries / "gemeente2024.shp", engine="pyogrio")
    for year in FORMATS:
        path = population / f"belgian_municipalities_{year}.csv"
        path.write_text(_census_text(year), encoding="utf-8")
    cells = np.zeros((4, 4), dtype="float32")
    for position, code in enumerate(CODES):
        row, column = divmod(position, 2)
        cells[2 * row : 2 * row + 2, 2 * column : 2 * column + 2] = (POPULATION_2018[code] + 20) / 4
    profile = {
        "driver": "GTiff",
        "width": 4,
        "height": 4,
        "count": 1,
        "dtype": "float32",
        "crs": CRS,
        "transform": Affine(1000.0, 0.0, X0, 0.0, -1000.0, Y0),
        "nodata": -1.0,
    }
    with rasterio.open(rasters / "pop_2020.tif", "w", **profile) as dataset:
        dataset.write(cells, 1)
    schools = gpd.GeoDataFrame(
        {"nom": ["École A", "École B"], "places": [300, 450]},
        geometry=[Point(X0 + 500, Y0 - 500), Point(X0 + 3500, Y0 - 3500)],
        crs=CRS,
    )
    schools.to_file(facilities / "ecoles.geojson", engine="pyogrio")
    (facilities / "readme.txt").write_text("Schools from the ministry.\n", encoding="utf-8")
    return {
        "boundaries": boundaries,
        "population": population,
        "rasters": rasters,
        "facilities": facilities,
        "region": boundaries / "gewest.shp",
        "municipalities": boundaries / "gemeente2024.shp",
        "raster": rasters / "pop_2020.tif",
        "schools": facilities / "ecoles.geojson",
    }


# -- what read_inventory would find, built in memory --------------------------------------
def layer(
    file: str,
    fields: dict[str, list],
    *,
    geometry: str = "polygon",
    name: str | None = None,
    crs: str | None = CRS,
) -> VectorLayer:
    """A layer of ``/data/FILE`` with these fields; integer lists give integer fields."""
    columns = {}
    for field_name, values in fields.items():
        kinds = {type(value) for value in values if value is not None}
        kind = "integer" if kinds == {int} else "real" if kinds == {float} else "text"
        text = tuple(None if value is None else str(value) for value in values)
        columns[field_name] = Column(text, kind)
    features = len(next(iter(fields.values()))) if fields else 0
    return VectorLayer(
        Path("/data") / file, name, geometry, features, crs, crs == "EPSG:4326", columns
    )


def table(file: str, columns: dict[str, list], *, sheet: str | None = None) -> Table:
    """A table of ``/data/FILE`` with these columns, every cell as text."""
    return Table(
        Path("/data") / file,
        sheet,
        {
            name: Column(tuple(None if v is None else str(v) for v in values))
            for name, values in columns.items()
        },
    )


def raster(file: str, *, crs: str | None = "ESRI:54009") -> RasterFile:
    """A raster of ``/data/FILE``, 100 m cells, 40 × 30."""
    return RasterFile(Path("/data") / file, crs, crs == "EPSG:4326", (100.0, 100.0), 40, 30)
