"""Read every input of a project exactly once: :func:`load_layers` → :class:`Layers`.

The units of every level, the census tables and crosswalks, the rasters and the other vector
layers named by
a :class:`~observatory.project.Project` are read through :mod:`observatory.io`, each once,
into one :class:`Layers` object. ``observatory validate`` checks that object
(:func:`observatory.checks.check_layers`), and ``compute`` and ``access`` run the same checks
on it and then compute from it, without reading anything again.

A file that cannot be used does not raise: it becomes a :class:`~observatory.problems.Problem`
on the :class:`Layers` (:attr:`Layers.missing_files`, one per missing file naming every key
that uses it; :attr:`Layers.unreadable`, one per input that could not be read), and only that
input is left out. A GeoPackage's layers are listed only when needed (to find the first
layer of a level or layer without ``layer``, or to explain why a layer cannot be read), at
most once per file; a named layer is read in one opening of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from rasterio.errors import RasterioError

from observatory.errors import ObservatoryError, error_message
from observatory.io import tables, vector
from observatory.io.raster import open_raster
from observatory.kernels.grid import RasterFile
from observatory.messages import _
from observatory.problems import Problem
from observatory.project import Project

#: What reading a broken file may raise; each becomes one problem.
_UNREADABLE = (ObservatoryError, OSError, RasterioError, DataSourceError, DataLayerError)
FIX_NO_LAYER = _("check that it is the right file, and save the layer into it again.")


def error_text(error: Exception) -> str:
    """The message of an error met reading a file, translatable when it is Observatory's.

    The text of a library (GDAL, the system) stays as it is.
    """
    return error_message(error) if isinstance(error, ObservatoryError) else str(error)


@dataclass(frozen=True)
class VectorLayer:
    """A vector layer as read, and how messages name it (``units.gpkg, layer communes``)."""

    frame: gpd.GeoDataFrame
    source: str


@dataclass(frozen=True)
class RasterLayer:
    """Band 1 of a raster file, and the number of bands of the file.

    Only the header is read: the cells are read a block of rows at a time
    (:class:`~observatory.kernels.grid.RasterFile`).
    """

    raster: RasterFile
    band_count: int


@dataclass(frozen=True)
class Layers:
    """Every input of a project, read once; what could not be read is a problem.

    Attributes
    ----------
    project : Project
        The project the layers were read for.
    units : dict
        Level name → :class:`VectorLayer`, for the levels that could be read.
    census : dict
        Census table key (``census``, ``census.tables[2]``; see
        :attr:`observatory.project.CensusTable.key`) → the table as read (every column as
        text), for the tables that could be read; empty without ``[census]``.
    crosswalks : dict
        Crosswalk key (``census.crosswalk``, ``census.crosswalk[2]``) → the table as read
        (every column as text), for the crosswalks that could be read.
    rasters : dict
        Role → {year or None: :class:`RasterLayer`}, for the rasters that could be read.
    layers : dict
        Role → :class:`VectorLayer`, for the layers of ``[layers]`` that could be read.
    missing_files : list of Problem
        One error per file that does not exist, naming every key of the project file that
        uses it.
    unreadable : dict
        Input name (``units.commune``, ``census``, ``census.tables[2]``,
        ``census.crosswalk``, ``rasters.population.2014``, ``layers.schools``) → the error
        saying why it could not be read.
    """

    project: Project
    units: dict[str, VectorLayer] = field(default_factory=dict)
    census: dict[str, pd.DataFrame] = field(default_factory=dict)
    crosswalks: dict[str, pd.DataFrame] = field(default_factory=dict)
    rasters: dict[str, dict[int | None, RasterLayer]] = field(default_factory=dict)
    layers: dict[str, VectorLayer] = field(default_factory=dict)
    missing_files: list[Problem] = field(default_factory=list)
    unreadable: dict[str, Problem] = field(default_factory=dict)


def raster_name(role: str, year: int | None) -> str:
    """How problems name the raster of ``role`` and ``year``: ``rasters.population.2014``."""
    return f"rasters.{role}" if year is None else f"rasters.{role}.{year}"


def parts_merged(frame: gpd.GeoDataFrame, field: str) -> gpd.GeoDataFrame:
    """The features of ``frame`` that share a code in ``field`` merged into one.

    The merged feature has the union of the parts' geometries and the other fields of its
    largest part (by area in the layer's CRS, used only to choose: a commune's name rather
    than its centre's), at the place of the code's first feature. Features without a code
    are kept as they are, for the checks to report.
    """
    codes = tables.codes_as_text(frame[field]).to_numpy()
    if not pd.Series(codes).dropna().duplicated().any():
        return frame
    geometries = np.asarray(frame.geometry.values)
    areas = shapely.area(geometries)
    rows, merged = [], []
    groups = pd.Series(range(len(frame))).groupby(pd.Series(codes), sort=False, dropna=False)
    for code, positions in groups:
        parts = positions.to_numpy()
        if pd.isna(code):
            rows.extend(parts)
            merged.extend(geometries[parts])
            continue
        rows.append(parts[np.argmax(areas[parts])])
        merged.append(shapely.union_all(geometries[parts]))
    kept = frame.iloc[rows].reset_index(drop=True)
    return kept.set_geometry(gpd.GeoSeries(merged, crs=frame.crs).values)


def load_layers(project: Project) -> Layers:
    """Read every input of ``project`` once.

    Parameters
    ----------
    project : Project
        A loaded project (:func:`observatory.project.load_project`).

    Returns
    -------
    Layers
        What could be read, and a problem for each file that is missing or cannot be read.
    """
    return _Loader(project).load()


def _missing_file(path: Path, using: list[tuple[str, str]], project: Project) -> Problem:
    """The error of a file that does not exist (or is a folder), naming the keys using it."""
    keys = ", ".join(dict.fromkeys(key for _, key in using))
    named = {"path": path, "keys": keys, "file": project.file.name}
    if path.is_dir():
        message = _("{path} is a folder, not a file (named by {keys} in {file}).", **named)
    else:
        message = _("{path} does not exist (named by {keys} in {file}).", **named)
    fix = _(
        "check the spelling and that the path is relative to the folder of {file} ({root}), "
        "or copy the file there.",
        file=project.file.name,
        root=project.root,
    )
    return Problem("error", using[0][0], message, fix)


class _Loader:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.missing_files: list[Problem] = []
        self.missing: set[Path] = set()
        self.unreadable: dict[str, Problem] = {}
        self.layer_names: dict[Path, list[str] | Exception] = {}
        #: Tables read (a file named by several census tables is read once).
        self.tables: dict[tuple[Path, str | None], pd.DataFrame | Exception] = {}

    def load(self) -> Layers:
        self.find_missing_files()
        project = self.project
        units = {}
        for position, level in enumerate(project.units.levels, start=1):
            key = f"units.levels[{position}].layer"
            path = project.units.path_of(level)
            layer = self.read_vector(path, level.layer, f"units.{level.name}", key)
            if layer is not None and level.dissolve and level.id in layer.frame.columns:
                layer = VectorLayer(parts_merged(layer.frame, level.id), layer.source)
            if layer is not None:
                units[level.name] = layer
        census_spec = project.census
        census = {
            table.key: frame
            for table in (census_spec.tables if census_spec else ())
            if (frame := self.read_table(table.key, table.path, table.layer)) is not None
        }
        crosswalks = {
            walk.key: frame
            for walk in (census_spec.crosswalks if census_spec else ())
            if (frame := self.read_table(walk.key, walk.path, walk.layer)) is not None
        }
        rasters: dict[str, dict[int | None, RasterLayer]] = {}
        for role, by_year in project.rasters.items():
            for year, path in by_year.items():
                raster = self.read_raster(raster_name(role, year), path)
                if raster is not None:
                    rasters.setdefault(role, {})[year] = raster
        layers = {}
        for role, spec in project.layers.items():
            name = f"layers.{role}"
            layer = self.read_vector(spec.path, spec.layer, name, f"{name}.layer")
            if layer is not None:
                layers[role] = layer
        return Layers(
            project,
            units=units,
            census=census,
            crosswalks=crosswalks,
            rasters=rasters,
            layers=layers,
            missing_files=self.missing_files,
            unreadable=self.unreadable,
        )

    def cannot_read(self, name: str, message: str, fix: str) -> None:
        self.unreadable[name] = Problem("error", name, message, fix)

    def find_missing_files(self) -> None:
        """One error per missing file, naming every key of the project file that uses it.

        A folder is accepted for the units (a folder of shapefiles), for nothing else.
        """
        users: dict[Path, list[tuple[str, str]]] = {}
        project = self.project
        for position, level in enumerate(project.units.levels, start=1):
            if level.path is None:
                users.setdefault(project.units.path, []).append(("units", "units.path"))
            else:
                name, key = f"units.{level.name}", f"units.levels[{position}].path"
                users.setdefault(level.path, []).append((name, key))
        folders_allowed = set(users)
        if project.census is not None:
            for table in (*project.census.tables, *project.census.crosswalks):
                users.setdefault(table.path, []).append((table.key, f"{table.key}.path"))
        for role, by_year in project.rasters.items():
            for year, path in by_year.items():
                name = raster_name(role, year)
                users.setdefault(path, []).append((name, name))
        for role, spec in project.layers.items():
            users.setdefault(spec.path, []).append((f"layers.{role}", f"layers.{role}.path"))
        for path, using in users.items():
            if path.is_file() or (path in folders_allowed and path.is_dir()):
                continue
            self.missing.add(path)
            self.missing_files.append(_missing_file(path, using, project))

    def list_layers(self, path: Path, name: str) -> list[str] | None:
        """The layers of a vector file (listed once per file).

        None when the file cannot be read (the problem is recorded on ``name``).
        """
        if path not in self.layer_names:
            try:
                self.layer_names[path] = vector.list_layers(path)
            except _UNREADABLE as error:
                self.layer_names[path] = error
        listed = self.layer_names[path]
        if isinstance(listed, list):
            return listed
        self.cannot_read(
            name,
            error_text(listed),
            _("open it in QGIS to check it; save it again as a GeoPackage if needed."),
        )
        return None

    def first_layer(self, path: Path, name: str, layer_key: str) -> str | None:
        """The first layer of the file ``path``, for an input that names no layer.

        None when there is none to take (the problem is recorded on ``name``): the file
        cannot be read or holds no layer, or it is a folder of shapefiles, whose layer must
        be named.
        """
        available = self.list_layers(path, name)
        if available is None:
            return None
        if path.is_dir():
            self.cannot_read(
                name,
                vector.folder_layer_message(path, available),
                _(
                    "set {key} in {file} to the shapefile that holds it, without .shp, "
                    'e.g. layer = "{example}".',
                    key=layer_key,
                    file=self.project.file.name,
                    example=sorted(available)[0],
                ),
            )
            return None
        if not available:
            self.cannot_read(name, vector.no_layer_message(path), FIX_NO_LAYER)
            return None
        return available[0]

    def read_vector(
        self, path: Path, layer: str | None, name: str, layer_key: str
    ) -> VectorLayer | None:
        """Read a vector layer, or record why it cannot be read and return None."""
        if path in self.missing:
            return None
        if layer is None:
            layer = self.first_layer(path, name, layer_key)
            if layer is None:
                return None
        try:
            frame = vector.read_layer(path, layer=layer)
        except _UNREADABLE as error:
            self.explain_unreadable_layer(path, layer, name, layer_key, error)
            return None
        if not isinstance(frame, gpd.GeoDataFrame):  # a table without geometry column
            self.cannot_read(
                name,
                _(
                    "{file}, layer {layer} is a table without geometry.",
                    file=path.name,
                    layer=layer,
                ),
                _(
                    "point {key} to a layer with geometries (points, lines or polygons).",
                    key=layer_key,
                ),
            )
            return None
        return VectorLayer(frame, f"{path.name}, layer {layer}")

    def explain_unreadable_layer(
        self, path: Path, layer: str, name: str, layer_key: str, error: Exception
    ) -> None:
        """Record why ``layer`` of ``path`` could not be read, with the fix that suits."""
        available = self.list_layers(path, name)
        if available is None:
            return
        if not available:
            self.cannot_read(name, vector.no_layer_message(path), FIX_NO_LAYER)
        elif layer not in available:
            self.cannot_read(
                name,
                vector.missing_layer_message(path, layer, available),
                _(
                    "set {key} in {file} to one of these layer names.",
                    key=layer_key,
                    file=self.project.file.name,
                ),
            )
        else:
            self.cannot_read(
                name, error_text(error), _("open it in QGIS to check it and save it again.")
            )

    def read_table(self, name: str, path: Path, sheet: str | None) -> pd.DataFrame | None:
        """A census table or crosswalk (every column as text).

        None when it cannot be read (the problem is recorded on ``name``).
        """
        if path in self.missing:
            return None
        if (path, sheet) not in self.tables:
            try:
                self.tables[path, sheet] = tables.read_table(path, sheet=sheet)
            except _UNREADABLE as error:
                self.tables[path, sheet] = error
        table = self.tables[path, sheet]
        if isinstance(table, Exception):
            self.cannot_read(
                name,
                error_text(table),
                _("open it in a spreadsheet and save it as CSV UTF-8 or XLSX."),
            )
            return None
        return table

    def read_raster(self, name: str, path: Path) -> RasterLayer | None:
        if path in self.missing:
            return None
        try:
            raster, band_count = open_raster(path)
        except _UNREADABLE as error:
            self.cannot_read(name, error_text(error), _("give a GeoTIFF; check it opens in QGIS."))
            return None
        return RasterLayer(raster, band_count)
