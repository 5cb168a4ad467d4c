"""What a technician's files hold, read for ``observatory init --from``.

:func:`read_inventory` opens every file named (a folder is searched, sub-folders included)
and describes it without keeping its geometries or cells: for a vector layer its geometry
type, feature count, CRS and the values of each field as text; for a table (CSV, or each
sheet of a workbook) the values of each column as text; for a raster its CRS, cell size and
size. :mod:`observatory.drafting` turns the description into a draft project file.

A path given on the command line that cannot be read is an error naming it; a file found
inside a folder that cannot be read is skipped and listed, so one stray file does not stop
the draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS

from observatory.errors import InputDataError, InputFileNotFoundError, ObservatoryError
from observatory.io.raster import _open as open_raster
from observatory.io.tables import TABLE_SUFFIXES, codes_as_text, read_table
from observatory.io.vector import list_layers

#: Suffixes read as vector files (``.json`` too: most are GeoJSON).
VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".topojson", ".fgb", ".gml", ".kml")
#: Suffixes read as rasters.
RASTER_SUFFIXES = (".tif", ".tiff")
#: Files that belong to another file (shapefile parts, GDAL and QGIS sidecars), never listed.
_SIDECARS = (".dbf", ".shx", ".prj", ".cpg", ".qpj", ".sbn", ".sbx", ".qml", ".ovr", ".xml")
#: GeoPackage tables that are not layers of the user.
_INTERNAL_LAYERS = ("layer_styles",)
#: Field kinds by pandas dtype kind.
_KINDS = {"i": "integer", "u": "integer", "f": "real", "b": "integer"}


@dataclass(frozen=True)
class Column:
    """One field of a layer or column of a table.

    Attributes
    ----------
    values : tuple of str or None
        Every value as text, stripped (None when empty), in the file's order.
    kind : str
        How the file stores it: ``"text"``, ``"integer"`` or ``"real"`` (tables: always
        ``"text"``, as their cells are read).
    """

    values: tuple[str | None, ...]
    kind: str = "text"

    @property
    def filled(self) -> list[str]:
        """The values that are not empty."""
        return [value for value in self.values if value is not None]


@dataclass(frozen=True)
class VectorLayer:
    """One layer of a vector file.

    ``layer`` is None for files of one layer (a shapefile, a GeoJSON file), which the
    project file names by path alone. ``geometry`` is ``"polygon"``, ``"line"``,
    ``"point"`` or ``"other"``; ``geographic`` says whether the CRS is in degrees.
    """

    path: Path
    layer: str | None
    geometry: str
    features: int
    crs: str | None
    geographic: bool
    fields: dict[str, Column]

    @property
    def name(self) -> str:
        """The layer's name, or the file's name without suffix."""
        return self.layer or self.path.stem


@dataclass(frozen=True)
class Table:
    """A CSV file, or one sheet (``sheet``) of a workbook."""

    path: Path
    sheet: str | None
    columns: dict[str, Column]

    @property
    def rows(self) -> int:
        """Number of rows."""
        return len(next(iter(self.columns.values())).values) if self.columns else 0


@dataclass(frozen=True)
class RasterFile:
    """A raster: its CRS (None when it has none), cell size (x, y) and size in cells."""

    path: Path
    crs: str | None
    geographic: bool
    resolution: tuple[float, float]
    width: int
    height: int


@dataclass
class Inventory:
    """Everything found, in the order the paths were given (files of a folder sorted)."""

    vectors: list[VectorLayer] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    rasters: list[RasterFile] = field(default_factory=list)
    #: Files found in a folder that were not read, with the reason.
    skipped: list[tuple[Path, str]] = field(default_factory=list)


def read_inventory(paths: Sequence[Path]) -> Inventory:
    """Describe every vector layer, table and raster in ``paths`` (files or folders).

    Raises
    ------
    InputFileNotFoundError
        If a path does not exist.
    InputDataError
        If a file given cannot be read, its type is not known, or a folder given holds no
        file that can be read.
    """
    inventory = Inventory()
    for given in paths:
        path = Path(given).absolute()
        if not path.exists():
            raise InputFileNotFoundError(f"{given} does not exist; check the path.")
        if path.is_dir():
            _read_folder(path, inventory, given)
        else:
            _read_file(path, inventory)
    return inventory


def _read_folder(folder: Path, inventory: Inventory, given: Path) -> None:
    found = len(inventory.vectors) + len(inventory.tables) + len(inventory.rasters)
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in _SIDECARS or suffix == ".toml" or path.name.lower().endswith(".aux.xml"):
            continue
        if suffix not in (*VECTOR_SUFFIXES, *TABLE_SUFFIXES, *RASTER_SUFFIXES):
            inventory.skipped.append((path, "not a vector, table or raster file"))
            continue
        try:
            _read_file(path, inventory)
        except ObservatoryError as error:
            inventory.skipped.append((path, _short_reason(error, path)))
    if len(inventory.vectors) + len(inventory.tables) + len(inventory.rasters) == found:
        unread = [(path, reason) for path, reason in inventory.skipped if folder in path.parents]
        example = f" ({len(unread)} file(s) could not be read: {unread[0][1]})" if unread else ""
        raise InputDataError(
            f"{given} holds no vector layer, table or raster that can be read{example}; give "
            "the folder or the files of the boundaries, census tables or rasters."
        )


def _short_reason(error: ObservatoryError, path: Path) -> str:
    """What went wrong, without the path and the driver's details: ``cannot be read as a
    raster``."""
    text = str(error).removeprefix(str(path)).lstrip(": ")
    return text.split(" (")[0].rstrip(".")


def _read_file(path: Path, inventory: Inventory) -> None:
    """Add what ``path`` holds to ``inventory``; raise when it cannot be read."""
    suffix = path.suffix.lower()
    if suffix in VECTOR_SUFFIXES:
        inventory.vectors.extend(_vector_layers(path))
    elif suffix in TABLE_SUFFIXES:
        inventory.tables.extend(_tables(path))
    elif suffix in RASTER_SUFFIXES:
        inventory.rasters.append(_raster(path))
    else:
        known = ", ".join((*VECTOR_SUFFIXES, *TABLE_SUFFIXES, *RASTER_SUFFIXES))
        raise InputDataError(
            f"{path}: '{suffix or path.name}' is not a vector, table or raster file that "
            f"Observatory reads ({known})."
        )


def _vector_layers(path: Path) -> list[VectorLayer]:
    names = list_layers(path)
    if not names:
        raise InputDataError(f"{path} holds no layer.")
    several = path.suffix.lower() == ".gpkg" or len(names) > 1
    layers = []
    for name in names:
        if name in _INTERNAL_LAYERS:
            continue
        layer = _vector_layer(path, name, named=several)
        if layer is not None:
            layers.append(layer)
    return layers


def _vector_layer(path: Path, name: str, *, named: bool) -> VectorLayer | None:
    """One layer described, or None when it has no geometry (an attribute table)."""
    try:
        info = pyogrio.read_info(path, layer=name)
        frame = pyogrio.read_dataframe(path, layer=name, read_geometry=False)
    except (DataSourceError, DataLayerError) as error:
        raise InputDataError(f"{path} (layer {name}) cannot be read: {error}.") from None
    if info.get("geometry_type") is None:
        return None
    geometry = _geometry_kind(str(info["geometry_type"]))
    if geometry == "other":
        geometry = _geometry_of_features(path, name)
    crs = info.get("crs")
    return VectorLayer(
        path=path,
        layer=name if named else None,
        geometry=geometry,
        features=int(info["features"]) if info["features"] >= 0 else len(frame),
        crs=crs,
        geographic=_is_geographic(crs),
        fields={str(column): _column(frame[column]) for column in frame.columns},
    )


def _geometry_kind(name: str) -> str:
    for kind, word in (("polygon", "Polygon"), ("line", "Line"), ("point", "Point")):
        if word in name:
            return kind
    return "other"


def _geometry_of_features(path: Path, name: str) -> str:
    """The most common geometry of a layer that declares none (mixed GeoJSON)."""
    frame = pyogrio.read_dataframe(path, layer=name)
    types = frame.geometry.geom_type.dropna()
    return _geometry_kind(str(types.mode().iloc[0])) if len(types) else "other"


def _is_geographic(crs: str | None) -> bool:
    return bool(crs) and bool(CRS.from_user_input(crs).is_geographic)


def _column(values: pd.Series) -> Column:
    kind = _KINDS.get(values.dtype.kind, "text")
    if kind == "real" and values.dropna().map(float.is_integer).all():
        kind = "integer"  # a shapefile writes codes as 11001.0 when a value is missing
        values = values.map(lambda value: value if pd.isna(value) else int(value))
    return Column(tuple(codes_as_text(values)), kind)


def _tables(path: Path) -> list[Table]:
    if path.suffix.lower() == ".csv":
        return [_table(path, None)]
    try:
        with pd.ExcelFile(path) as workbook:
            sheets = workbook.sheet_names
    except (OSError, ValueError) as error:
        raise InputDataError(f"{path} cannot be read as a workbook: {error}.") from None
    return [_table(path, str(sheet)) for sheet in sheets]


def _table(path: Path, sheet: str | None) -> Table:
    frame = read_table(path, sheet=sheet)
    columns = {str(name): Column(tuple(codes_as_text(frame[name]))) for name in frame.columns}
    return Table(path, sheet, columns)


def _raster(path: Path) -> RasterFile:
    with open_raster(path) as dataset:
        crs = dataset.crs.to_string() if dataset.crs else None
        return RasterFile(
            path=path,
            crs=crs,
            geographic=bool(dataset.crs and dataset.crs.is_geographic),
            resolution=(abs(dataset.res[0]), abs(dataset.res[1])),
            width=dataset.width,
            height=dataset.height,
        )
