"""GeoPackages with QGIS styles stored inside (the ``layer_styles`` table).

QGIS opens a GeoPackage layer with the style whose ``useAsDefault`` is true in the
``layer_styles`` table; the other styles of the layer are offered in its style list (Layer
Properties > Style > Load Style > From database). This module writes the layers and the
styles it is given; what a style looks like is decided in :mod:`observatory.report.styles`.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import pyogrio

#: Name of the geometry column of the layers written (GDAL's default for GeoPackage); QGIS
#: matches a layer's default style on it.
GEOMETRY_COLUMN = "geom"
STYLE_COLUMNS = (
    "f_table_catalog",
    "f_table_schema",
    "f_table_name",
    "f_geometry_column",
    "styleName",
    "styleQML",
    "styleSLD",
    "useAsDefault",
    "description",
    "owner",
    "ui",
    "update_time",
)


class LayerStyle(NamedTuple):
    """A QGIS style of one layer: its name in QGIS's style list, its QML text, its role."""

    name: str
    qml: str
    default: bool = True


def layer_styles_table(styles: dict[str, LayerStyle | list[LayerStyle]]) -> pd.DataFrame:
    """The ``layer_styles`` rows: table name → its style, or its styles (one the default)."""
    rows = [
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": table,
            "f_geometry_column": GEOMETRY_COLUMN,
            "styleName": style.name,
            "styleQML": style.qml,
            "styleSLD": "",
            "useAsDefault": style.default,
            "description": "Observatory default style" if style.default else "Observatory style",
            "owner": "",
            "ui": "",
            "update_time": "",
        }
        for table, given in styles.items()
        for style in ([given] if isinstance(given, LayerStyle) else given)
    ]
    return pd.DataFrame(rows, columns=list(STYLE_COLUMNS))


def write_styled_geopackage(
    path: Path,
    layers: dict[str, gpd.GeoDataFrame],
    styles: dict[str, LayerStyle | list[LayerStyle]],
) -> None:
    """Write ``layers`` into the new GeoPackage ``path``, then their ``styles`` (if any).

    Not atomic by itself: write into a staging folder (:func:`~observatory.io.atomic.
    atomic_directory`). Each layer's geometry column is :data:`GEOMETRY_COLUMN`.
    """
    for name, frame in layers.items():
        pyogrio.write_dataframe(
            frame, path, layer=name, driver="GPKG", GEOMETRY_NAME=GEOMETRY_COLUMN
        )
    if styles:
        pyogrio.write_dataframe(
            layer_styles_table(styles), path, layer="layer_styles", driver="GPKG"
        )
