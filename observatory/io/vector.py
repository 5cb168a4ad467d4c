"""Vector layers in and out (GeoPackage, Shapefile, GeoJSON...), through pyogrio."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from observatory.errors import InputDataError, InputFileNotFoundError
from observatory.io.atomic import atomic_path
from observatory.messages import _, ngettext


def list_layers(path: Path) -> list[str]:
    """Names of the layers in a vector file."""
    path = Path(path)
    if not path.exists():
        raise InputFileNotFoundError(f"vector file {path} does not exist; check the path.")
    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except DataSourceError as error:
        if path.is_dir():
            raise InputDataError(
                f"{path} is a folder that holds no shapefile (.shp); a folder can only be "
                "read as a folder of shapefiles."
            ) from None
        raise InputDataError(f"{path} cannot be read as a vector file ({error}).") from None


def no_layer_message(path: Path) -> str:
    """What is wrong with a vector file that holds no layer."""
    return _("{path} holds no layer.", path=path)


def folder_layer_message(path: Path, available: list[str]) -> str:
    """What is wrong with a folder of shapefiles given without the layer to read."""
    return ngettext(
        "{path} is a folder of {count} shapefile ({names}) and no layer says which one to read.",
        "{path} is a folder of {count} shapefiles ({names}) and no layer says which one to read.",
        len(available),
        path=path,
        count=len(available),
        names=", ".join(sorted(available)),
    )


def missing_layer_message(path: Path, layer: str, available: list[str]) -> str:
    """What is wrong when ``layer`` is not among the ``available`` layers of ``path``."""
    named = {"layer": layer, "path": path, "available": ", ".join(available)}
    if Path(path).is_dir():
        return _("layer '{layer}' not found in {path}; the folder has: {available}.", **named)
    return _("layer '{layer}' not found in {path}; the file has: {available}.", **named)


def read_layer(path: Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a layer (the first one when ``layer`` is None); text fields stay text.

    A named layer is read in one opening of the file; the file's layers are listed only to
    find the first one, or to explain why a layer cannot be read. A layer without geometry
    column comes back as a plain DataFrame.

    Raises
    ------
    InputFileNotFoundError
        If the file does not exist.
    InputDataError
        If the file is not a vector file, holds no layer or not ``layer``, or the layer
        cannot be read.
    """
    path = Path(path)
    if layer is None:
        available = list_layers(path)
        if not available:
            raise InputDataError(no_layer_message(path))
        layer = available[0]
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except (DataSourceError, DataLayerError) as error:
        available = list_layers(path)
        if not available:
            raise InputDataError(no_layer_message(path)) from None
        if layer not in available:
            raise InputDataError(missing_layer_message(path, layer, available)) from None
        raise InputDataError(f"{path} (layer {layer}): {error}") from None


def write_table(
    path: Path, frame: pd.DataFrame, *, overwrite: bool, layer: str | None = None
) -> None:
    """Write a GeoDataFrame as GeoPackage or a (Geo)DataFrame as CSV, by suffix, atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        with atomic_path(path, overwrite=overwrite) as temporary:
            table.to_csv(temporary, index=False, encoding="utf-8-sig")
    elif suffix == ".gpkg":
        write_geopackage(path, {layer or path.stem: frame}, overwrite=overwrite)
    else:
        raise InputDataError(f"{path}: write .gpkg or .csv, not '{suffix}'.")


def write_geopackage(path: Path, layers: dict[str, gpd.GeoDataFrame], *, overwrite: bool) -> Path:
    """Write several layers into one new GeoPackage, atomically. Returns ``path``."""
    path = Path(path)
    with atomic_path(path, overwrite=overwrite) as temporary:
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, temporary, layer=name, driver="GPKG")
    return path
