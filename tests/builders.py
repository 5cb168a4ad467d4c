"""Tiny, valid Observatory projects written into a test's temporary folder.

:func:`build_project` writes a complete project (``observatory.toml``, units, census,
rasters, facilities, roads) whose every number is small enough to check by hand, and lets a
test break or change any part of it. Tests may write files; the library may not (only
``observatory.io`` opens files), so this module writes with geopandas and rasterio directly.

The default project
-------------------
Everything is in the GHSL Mollweide CRS ``ESRI:54009`` (metres) unless asked otherwise. ``X0,
Y0`` is the upper-left corner of the territory, near Rabat. Rows run north to south::

    x:    X0        X0+2 km     X0+4 km
    Y0    +-----------+-----------+
          | 04.001 NW | 04.003 NE |     region   "04"    the 4 km x 4 km square
          |           |           |     province "04.01" the west half (04.001, 04.002)
    Y0-2  +-----------+-----------+     province "04.02" the east half (04.003, 04.004)
          | 04.002 SW | 04.004 SE |
          |           |           |     each commune is 2 km x 2 km = 4 km²
    Y0-4  +-----------+-----------+

``units.gpkg`` has the layers ``regions`` (code, name), ``provinces`` (code, name,
region_code) and ``communes`` (code, name, province_code); codes are text.

Rasters: a 4 x 4 grid of 1 km cells exactly on the territory (each commune = 2 x 2 cells),
float32, nodata -200:

=================  ======  ======  ======  ======  =====================================
raster (per cell)  NW      SW      NE      SE      commune totals (NW, SW, NE, SE)
=================  ======  ======  ======  ======  =====================================
population 2014    100     300     200     400     400, 1200, 800, 1600 (region 4000)
population 2024    110     330     220     440     440, 1320, 880, 1760 (region 4400)
built_up 2014 m²   500000  100000  250000  0       2, 0.4, 1, 0 km²
built_up 2024 m²   600000  150000  300000  50000   2.4, 0.6, 1.2, 0.2 km²
land m²            1e6 everywhere except the SE corner cell (row 3, col 3): 500000
=================  ======  ======  ======  ======  =====================================

``census.csv`` (code, name, population_2014, population_2024) holds the population totals
above, as text. ``facilities.gpkg`` has ``schools`` (2 points, ``seats`` 400 in NW and 250 in
SE, ``level``), ``health`` (1 point in NE), ``transit_stops`` (3 points: ``capacity`` "high"
on the W edge of the centre line, "low" in NE and in SE) and ``open_spaces`` (one 500 m x
500 m square in NW, 0.25 km²). ``network.gpkg`` has ``roads``: one 4 km east-west line along
y = Y0 - 2 km (``class`` "primary") and one 4 km north-south line along x = X0 + 2 km
("residential"), ``bridge`` 0 for both.

Changing it
-----------
``build_project(tmp_path, census=None)`` drops the census (and its table in the project
file); ``units_crs="EPSG:4326"`` reprojects the units (``None`` writes them without CRS);
``edit=`` receives the :class:`SampleProject` before it is written and may change it in
place (ids, geometries, rasters, layers); ``edit_config=`` receives the project-file
document (a dict) before it is written. Data files are always written at the same paths
(:data:`UNITS_FILE`, ...), so pointing the project file elsewhere makes a "missing file".

Breaking it
-----------
:func:`set_commune`, :func:`set_census` and :func:`replace_raster` make the usual ``edit=``
functions; :func:`census_project` gives the project census tables of its own; :func:`problems_of`
builds a project and returns what ``observatory validate`` finds in it, and :func:`only` picks
the one problem a test expects.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import json
import pickle
import re
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import rasterio
import shapely
from affine import Affine
from rasterio.crs import CRS
from shapely.geometry import LineString, Point, box

from observatory.checks import validate_project
from observatory.kernels.grid import Grid, Raster
from observatory.problems import Problem
from observatory.project import load_project

X0 = -612_000.0
Y0 = 4_108_000.0
CELL = 1000.0
GRID_CRS = "ESRI:54009"
NODATA = -200.0

UNITS_FILE = "units.gpkg"
CENSUS_FILE = "census.csv"
FACILITIES_FILE = "facilities.gpkg"
NETWORK_FILE = "network.gpkg"

#: (level name, layer in units.gpkg, parent field) — coarsest first.
LEVELS = (
    ("region", "regions", None),
    ("province", "provinces", "region_code"),
    ("commune", "communes", "province_code"),
)
#: Commune code → (name, province code, column, row of its upper-left 1 km cell).
COMMUNES = {
    "04.001": ("Salé-Nord", "04.01", 0, 0),
    "04.002": ("Salé-Sud", "04.01", 0, 2),
    "04.003": ("Témara-Nord", "04.02", 2, 0),
    "04.004": ("Témara-Sud", "04.02", 2, 2),
}
POPULATION_PER_CELL = {
    2014: {"04.001": 100, "04.002": 300, "04.003": 200, "04.004": 400},
    2024: {"04.001": 110, "04.002": 330, "04.003": 220, "04.004": 440},
}
BUILT_UP_PER_CELL = {
    2014: {"04.001": 500_000, "04.002": 100_000, "04.003": 250_000, "04.004": 0},
    2024: {"04.001": 600_000, "04.002": 150_000, "04.003": 300_000, "04.004": 50_000},
}


@dataclasses.dataclass
class SampleProject:
    """The layers of a test project, in memory, before they are written.

    Attributes
    ----------
    units : dict
        Layer name in ``units.gpkg`` (``regions``, ``provinces``, ``communes``) →
        GeoDataFrame. A level whose layer is absent is left out of the project file.
    census : pandas.DataFrame or None
        All-text table written to ``census.csv``; None leaves out ``[census]``.
    rasters : dict
        Role → {year or None: Raster}, written to ``rasters/<role>_<year>.tif`` (or
        ``rasters/<role>.tif`` without year).
    layers : dict
        Role → GeoDataFrame; ``roads`` goes to ``network.gpkg``, the others to
        ``facilities.gpkg``, each in a layer named after its role.
    layer_fields : dict
        Role → field settings written in the project file (e.g. ``{"capacity": "seats"}``).
    """

    units: dict[str, gpd.GeoDataFrame]
    census: pd.DataFrame | None
    rasters: dict[str, dict[int | None, Raster]]
    layers: dict[str, gpd.GeoDataFrame]
    layer_fields: dict[str, dict[str, str]]


def _cell_box(column: float, row: float, columns: float = 1, rows: float = 1):
    return box(
        X0 + column * CELL,
        Y0 - (row + rows) * CELL,
        X0 + (column + columns) * CELL,
        Y0 - row * CELL,
    )


def sample_units(crs: str | None = GRID_CRS) -> dict[str, gpd.GeoDataFrame]:
    """The three unit layers of the default project (see the module docstring)."""
    regions = gpd.GeoDataFrame(
        {"code": ["04"], "name": ["Rabat-Salé-Kénitra"]},
        geometry=[_cell_box(0, 0, 4, 4)],
        crs=GRID_CRS,
    )
    provinces = gpd.GeoDataFrame(
        {"code": ["04.01", "04.02"], "name": ["Salé", "Skhirate-Témara"], "region_code": "04"},
        geometry=[_cell_box(0, 0, 2, 4), _cell_box(2, 0, 2, 4)],
        crs=GRID_CRS,
    )
    communes = gpd.GeoDataFrame(
        {
            "code": list(COMMUNES),
            "name": [name for name, _, _, _ in COMMUNES.values()],
            "province_code": [province for _, province, _, _ in COMMUNES.values()],
        },
        geometry=[_cell_box(column, row, 2, 2) for _, _, column, row in COMMUNES.values()],
        crs=GRID_CRS,
    )
    layers = {"regions": regions, "provinces": provinces, "communes": communes}
    if crs is None:
        return {name: frame.set_crs(None, allow_override=True) for name, frame in layers.items()}
    return {name: frame.to_crs(crs) for name, frame in layers.items()}


_MOLLWEIDE = CRS.from_string(GRID_CRS)  # parsing it takes about 10 ms: once is enough


def sample_grid() -> Grid:
    """The 4 x 4 grid of 1 km cells on the territory, in ESRI:54009."""
    return Grid(_MOLLWEIDE, Affine(CELL, 0, X0, 0, -CELL, Y0), 4, 4)


def _commune_raster(values: dict[str, float], name: str) -> Raster:
    data = np.zeros((4, 4), dtype="float32")
    for code, (_, _, column, row) in COMMUNES.items():
        data[row : row + 2, column : column + 2] = values[code]
    return Raster(data, sample_grid(), NODATA, name)


def sample_rasters() -> dict[str, dict[int | None, Raster]]:
    """Population, built-up (2014, 2024) and land rasters of the default project."""
    land = np.full((4, 4), 1_000_000, dtype="float32")
    land[3, 3] = 500_000
    return {
        "population": {
            year: _commune_raster(values, f"population {year}")
            for year, values in POPULATION_PER_CELL.items()
        },
        "built_up": {
            year: _commune_raster(values, f"built_up {year}")
            for year, values in BUILT_UP_PER_CELL.items()
        },
        "land": {None: Raster(land, sample_grid(), NODATA, "land")},
    }


def sample_census() -> pd.DataFrame:
    """The census table (all text): the raster population totals of each commune."""
    return pd.DataFrame(
        {
            "code": list(COMMUNES),
            "name": [name for name, _, _, _ in COMMUNES.values()],
            **{
                f"population_{year}": [str(4 * per_cell[code]) for code in COMMUNES]
                for year, per_cell in POPULATION_PER_CELL.items()
            },
        }
    )


def sample_layers(crs: str | None = GRID_CRS) -> dict[str, gpd.GeoDataFrame]:
    """Roads, schools, health, transit stops and open spaces of the default project."""

    def at(column: float, row: float) -> Point:
        return Point(X0 + column * CELL, Y0 - row * CELL)

    layers = {
        "roads": gpd.GeoDataFrame(
            {"class": ["primary", "residential"], "bridge": [0, 0]},
            geometry=[LineString([at(0, 2), at(4, 2)]), LineString([at(2, 0), at(2, 4)])],
            crs=GRID_CRS,
        ),
        "schools": gpd.GeoDataFrame(
            {"name": ["École Nord", "École Sud"], "seats": [400, 250], "level": "primary"},
            geometry=[at(0.5, 0.5), at(3.5, 3.5)],
            crs=GRID_CRS,
        ),
        "health": gpd.GeoDataFrame(
            {"name": ["Centre de santé"]}, geometry=[at(2.5, 1.5)], crs=GRID_CRS
        ),
        "transit_stops": gpd.GeoDataFrame(
            {"name": ["Tram", "Bus 1", "Bus 2"], "capacity": ["high", "low", "low"]},
            geometry=[at(1, 2), at(3, 1), at(3, 3)],
            crs=GRID_CRS,
        ),
        "open_spaces": gpd.GeoDataFrame(
            {"name": ["Jardin"]}, geometry=[_cell_box(0.2, 0.3, 0.5, 0.5)], crs=GRID_CRS
        ),
    }
    if crs is None:
        return {role: frame.set_crs(None, allow_override=True) for role, frame in layers.items()}
    return {role: frame.to_crs(crs) for role, frame in layers.items()}


def sample_project(
    *, units_crs: str | None = GRID_CRS, layers_crs: str | None = GRID_CRS
) -> SampleProject:
    """The default project in memory."""
    return SampleProject(
        units=sample_units(units_crs),
        census=sample_census(),
        rasters=sample_rasters(),
        layers=sample_layers(layers_crs),
        layer_fields={
            "roads": {"class": "class", "bridge": "bridge"},
            "schools": {"capacity": "seats", "level": "level"},
            "transit_stops": {"capacity": "capacity"},
        },
    )


def raster_file(role: str, year: int | None) -> str:
    """Where a raster of ``role`` and ``year`` is written, relative to the project folder."""
    return f"rasters/{role}.tif" if year is None else f"rasters/{role}_{year}.tif"


def layer_file(role: str) -> str:
    """The file a layer of ``role`` is written to."""
    return NETWORK_FILE if role == "roads" else FACILITIES_FILE


def project_config(sample: SampleProject) -> dict[str, Any]:
    """The project-file document describing ``sample`` as :func:`write_project` writes it."""
    levels = []
    for name, layer, parent in LEVELS:
        if layer not in sample.units:
            continue
        level = {"name": name, "layer": layer, "id": "code", "label": "name"}
        if levels and parent is not None:
            level["parent"] = parent
        levels.append(level)
    config: dict[str, Any] = {
        "project": {"name": "Test territory", "language": "fr"},
        "units": {"path": UNITS_FILE, "levels": levels},
    }
    if sample.census is not None:
        config["census"] = {
            "path": CENSUS_FILE,
            "level": "commune",
            "id": "code",
            "population": {str(year): f"population_{year}" for year in POPULATION_PER_CELL},
        }
    if sample.rasters:
        config["rasters"] = {
            role: (
                raster_file(role, None)
                if list(by_year) == [None]
                else {str(year): raster_file(role, year) for year in by_year}
            )
            for role, by_year in sample.rasters.items()
        }
    if sample.layers:
        config["layers"] = {
            role: {"path": layer_file(role), "layer": role, **sample.layer_fields.get(role, {})}
            for role in sample.layers
        }
    return config


def write_raster(path: Path, raster: Raster) -> None:
    """Write ``raster`` as a GeoTIFF (its CRS and nodata may be None)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {
        "driver": "GTiff",
        "height": raster.grid.height,
        "width": raster.grid.width,
        "count": 1,
        "dtype": raster.data.dtype.name,
        "crs": raster.grid.crs,
        "transform": raster.grid.transform,
        "nodata": raster.nodata,
    }
    with rasterio.open(path, "w", **profile) as dataset:
        dataset.write(raster.data, 1)


def _write_layer(path: Path, layer: str, frame: gpd.GeoDataFrame) -> None:
    """Write one GeoPackage layer.

    Written through pyogrio's raw writer with the CRS as WKT (geopandas' writer looks up an
    EPSG code for the CRS first, which takes about half a second for ESRI:54009), and without
    waiting for SQLite to flush each transaction to disk (test files need no durability).
    """
    kinds = set(frame.geometry.dropna().geom_type)
    fields = [column for column in frame.columns if column != "geometry"]
    synchronous = pyogrio.get_gdal_config_option("OGR_SQLITE_SYNCHRONOUS")
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    try:
        with warnings.catch_warnings():
            # Some tests want a layer without CRS, which pyogrio warns about.
            warnings.filterwarnings("ignore", message="'crs' was not provided")
            pyogrio.raw.write(
                path,
                geometry=shapely.to_wkb(frame.geometry.values),
                field_data=[frame[column].to_numpy() for column in fields],
                fields=fields,
                layer=layer,
                driver="GPKG",
                geometry_type=kinds.pop() if len(kinds) == 1 else "Unknown",
                crs=frame.crs.to_wkt() if frame.crs is not None else None,
                append=path.exists(),
            )
    finally:
        pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": synchronous})


_written: dict[str, Path] = {}


def _cached_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="observatory-test-layers-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _raster_fingerprint(raster: Raster) -> str:
    """A digest of the raster's cells, grid and nodata."""
    grid = raster.grid
    parts = (
        raster.data.tobytes(),
        raster.data.dtype.str,
        raster.data.shape,
        tuple(grid.transform),
        grid.crs.to_wkt() if grid.crs is not None else None,
        raster.nodata,
    )
    return hashlib.sha256(pickle.dumps(parts)).hexdigest()


def _fingerprint(layers: dict[str, gpd.GeoDataFrame]) -> str:
    """A digest of the layers' names, attributes, geometries and CRS."""
    digest = hashlib.sha256()
    for name, frame in layers.items():
        attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
        parts = (
            name,
            attributes.to_dict("split"),
            [str(dtype) for dtype in attributes.dtypes],
            shapely.to_wkb(frame.geometry.values).tolist(),
            frame.crs.to_wkt() if frame.crs is not None else None,
        )
        digest.update(pickle.dumps(parts))
    return digest.hexdigest()


def _write_once(path: Path, key: str, write: Callable[[Path], None]) -> None:
    """Write ``path`` with ``write``, or copy it when the same content was written before.

    Most tests change one file of the default project; keeping each file written in this
    run (by content digest ``key``) saves rewriting the others, the slowest part of building.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if key in _written:
        shutil.copyfile(_written[key], path)
        return
    write(path)
    if "folder" not in _written:
        _written["folder"] = _cached_folder()
    _written[key] = _written["folder"] / f"{key}{path.suffix}"
    shutil.copyfile(path, _written[key])


def _write_geopackage(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    def write(target: Path) -> None:
        for name, frame in layers.items():
            _write_layer(target, name, frame)

    _write_once(path, _fingerprint(layers), write)


def write_project(folder: Path, sample: SampleProject, config: dict[str, Any]) -> Path:
    """Write the layers of ``sample`` and the project file ``config``; return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    if sample.units:
        _write_geopackage(folder / UNITS_FILE, sample.units)
    if sample.census is not None:
        sample.census.to_csv(folder / CENSUS_FILE, index=False)
    for role, by_year in sample.rasters.items():
        for year, raster in by_year.items():
            _write_once(
                folder / raster_file(role, year),
                _raster_fingerprint(raster),
                lambda target, raster=raster: write_raster(target, raster),
            )
    for file in (FACILITIES_FILE, NETWORK_FILE):
        layers = {role: frame for role, frame in sample.layers.items() if layer_file(role) == file}
        if layers:
            _write_geopackage(folder / file, layers)
    file = folder / "observatory.toml"
    file.write_text(to_toml(config), encoding="utf-8")
    return file


def build_project(
    folder: Path,
    *,
    units_crs: str | None = GRID_CRS,
    layers_crs: str | None = GRID_CRS,
    edit: Callable[[SampleProject], None] | None = None,
    edit_config: Callable[[dict[str, Any]], None] | None = None,
    **replacements: Any,
) -> Path:
    """Write a tiny valid project into ``folder`` and return ``folder``.

    Parameters
    ----------
    folder : pathlib.Path
        Where to write (usually pytest's ``tmp_path``); created if needed.
    units_crs, layers_crs : str or None
        CRS of the unit layers and of the other vector layers (None: no CRS).
    edit : callable, optional
        Called with the :class:`SampleProject` before writing; may change it in place.
    edit_config : callable, optional
        Called with the project-file document (dict) before writing; may change it in place.
    **replacements
        Fields of :class:`SampleProject` to replace (``units``, ``census``, ``rasters``,
        ``layers``, ``layer_fields``), e.g. ``census=None``.
    """
    sample = dataclasses.replace(
        sample_project(units_crs=units_crs, layers_crs=layers_crs), **replacements
    )
    if edit is not None:
        edit(sample)
    config = project_config(sample)
    if edit_config is not None:
        edit_config(config)
    write_project(Path(folder), sample, config)
    return Path(folder)


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return f"{{ {items} }}"
    if isinstance(value, list):
        return "[\n" + "".join(f"  {_toml_value(item)},\n" for item in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def to_toml(document: dict[str, Any]) -> str:
    """TOML text for a document of tables of simple values (inline tables and arrays)."""
    lines = []
    for name, value in document.items():
        if isinstance(value, dict):
            lines.append(f"[{_toml_key(name)}]")
            lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
            lines.append("")
        else:
            lines.insert(0, f"{_toml_key(name)} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def set_commune(column: str, code: str, value: Any) -> Callable[[SampleProject], None]:
    """An edit setting ``column`` of the commune ``code``."""

    def edit(sample: SampleProject) -> None:
        communes = sample.units["communes"]
        communes.loc[communes["code"] == code, column] = value

    return edit


def set_census(code: str, column: str, value: str | None) -> Callable[[SampleProject], None]:
    """An edit setting ``column`` of the census row of ``code``."""

    def edit(sample: SampleProject) -> None:
        sample.census.loc[sample.census["code"] == code, column] = value

    return edit


def replace_raster(role: str, year: int | None, **changes: Any) -> Callable[[SampleProject], None]:
    """An edit replacing fields (``grid``, ``nodata``, ``data``) of a raster."""

    def edit(sample: SampleProject) -> None:
        sample.rasters[role][year] = dataclasses.replace(sample.rasters[role][year], **changes)

    return edit


def census_project(
    folder: Path, tables: dict[str, dict], census: dict[str, Any], *, spatial: bool = False
) -> Path:
    """The default project with ``census`` as its ``[census]`` and the CSV ``tables``
    (file name → columns) written beside it; returns ``folder``. With ``spatial``, the
    levels below the first name no parent field (their parents are found spatially)."""

    def edit_config(config: dict[str, Any]) -> None:
        config["census"] = census
        if spatial:
            for level in config["units"]["levels"][1:]:
                del level["parent"]

    build_project(folder, edit_config=edit_config)
    for name, columns in tables.items():
        pd.DataFrame(columns).to_csv(folder / name, index=False)
    return folder


def problems_of(folder: Path, **variations: Any) -> list[Problem]:
    """What ``observatory validate`` finds in the project :func:`build_project` writes."""
    return validate_project(load_project(build_project(folder, **variations)))


def only(problems: list[Problem], severity: str, layer: str) -> Problem:
    """The single problem of ``severity`` on ``layer`` (fails when there are 0 or several)."""
    found = [p for p in problems if p.severity == severity and p.layer == layer]
    assert len(found) == 1, problems
    return found[0]
