"""QGIS styles stored inside a GeoPackage (the ``layer_styles`` table).

QGIS opens a GeoPackage layer with the style whose ``useAsDefault`` is true in the
``layer_styles`` table: here a graduated map of one indicator (classes from mapclassify)
with the column aliases in the project's language.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

#: Name of the geometry column of the layers written (GDAL's default for GeoPackage); QGIS
#: matches a layer's default style on it.
GEOMETRY_COLUMN = "geom"
# ColorBrewer YlOrRd, 5 classes.
RAMP = ("255,255,178", "254,204,92", "253,141,60", "240,59,32", "189,0,38")
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


def class_breaks(values: np.ndarray, *, classes: int = 5) -> list[tuple[float, float]]:
    """(lower, upper) bounds of up to ``classes`` quantile classes of the finite values."""
    finite = np.asarray(values, dtype="float64")
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return []
    distinct = np.unique(finite).size
    if distinct < 2:
        return [(float(finite.min()), float(finite.max()))]
    # imported here: mapclassify pulls in scipy.stats and scikit-learn (1.4 s), which every
    # command would otherwise pay at start-up
    import mapclassify

    scheme = mapclassify.Quantiles(finite, k=min(classes, distinct))
    uppers = [float(b) for b in scheme.bins]
    lowers = [float(finite.min()), *uppers[:-1]]
    return list(zip(lowers, uppers, strict=True))


def _fill_symbol(name: int, colour: str) -> str:
    return (
        f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        '<layer class="SimpleFill" enabled="1" pass="0" locked="0"><Option type="Map">'
        f'<Option name="color" type="QString" value="{colour},255"/>'
        '<Option name="outline_color" type="QString" value="80,80,80,255"/>'
        '<Option name="outline_width" type="QString" value="0.2"/>'
        '<Option name="style" type="QString" value="solid"/>'
        "</Option></layer></symbol>"
    )


def graduated_qml(column: str, breaks: list[tuple[float, float]], aliases: dict[str, str]) -> str:
    """A QGIS QML style: graduated colours on ``column`` and field aliases."""
    ranges = "".join(
        f'<range lower="{lower!r}" upper="{upper!r}" symbol="{index}" '
        f'label={quoteattr(f"{lower:,.4g} – {upper:,.4g}")} render="true"/>'
        for index, (lower, upper) in enumerate(breaks)
    )
    symbols = "".join(_fill_symbol(i, RAMP[i % len(RAMP)]) for i in range(len(breaks)))
    alias_xml = "".join(
        f'<alias field={quoteattr(field)} index="{index}" name={quoteattr(name)}/>'
        for index, (field, name) in enumerate(aliases.items())
    )
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.28.0" styleCategories="AllStyleCategories">'
        f'<renderer-v2 type="graduatedSymbol" attr={quoteattr(column)} '
        'graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<ranges>{ranges}</ranges><symbols>{symbols}</symbols></renderer-v2>"
        f"<aliases>{alias_xml}</aliases></qgis>\n"
    )


def layer_styles_table(styles: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The ``layer_styles`` rows: table name → (style name, QML), each the default style."""
    rows = [
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": table,
            "f_geometry_column": GEOMETRY_COLUMN,
            "styleName": name,
            "styleQML": qml,
            "styleSLD": "",
            "useAsDefault": True,
            "description": "Observatory default style",
            "owner": "",
            "ui": "",
            "update_time": "",
        }
        for table, (name, qml) in styles.items()
    ]
    return pd.DataFrame(rows, columns=list(STYLE_COLUMNS))
