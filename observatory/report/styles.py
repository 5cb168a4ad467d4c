"""How the outputs look in QGIS: the field each layer is mapped on, its classes and colours.

A layer of ``indicators.gpkg`` opens in QGIS as a graduated map of one indicator
(:data:`DEFAULT_MAP`, the latest period) in five quantile classes of the ColorBrewer YlOrRd
ramp; a Degree of Urbanisation class grid opens with a paletted legend of its classes. This
module builds the QML text of those styles; :mod:`observatory.io` only writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd

from observatory.degurba import LEVEL1_COLOURS, LEVEL2_COLOURS, UNIT_LEVEL1_CODES, UNIT_LEVEL2_CODES
from observatory.io.geopackage import LayerStyle

#: Indicators preferred for the default map of a layer, in order.
DEFAULT_MAP = ("population_density", "sdg_11_3_1", "built_up_share", "population")
#: ColorBrewer YlOrRd, 5 classes (red, green, blue).
RAMP = ("255,255,178", "254,204,92", "253,141,60", "240,59,32", "189,0,38")
#: Class indicators styled by category: id → (class code → English name, code → GHSL RGBA).
CLASS_INDICATORS = {
    "degurba_l1": (UNIT_LEVEL1_CODES, LEVEL1_COLOURS),
    "degurba_l2": (UNIT_LEVEL2_CODES, LEVEL2_COLOURS),
}
#: Colour of a class that has none in a raster's colour table (RGBA).
NO_COLOUR = (128, 128, 128, 255)
_QML_HEADER = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"


def default_column(columns: list[str]) -> str | None:
    """The column a layer is mapped on: the latest period of the first of :data:`DEFAULT_MAP`.

    A column ``<indicator id>_<period>`` whose period is digits and underscores (``2024``,
    ``2014_2024``) counts; periods are compared as text, so the latest sorts last. None when
    the layer has no such column.
    """
    for indicator_id in DEFAULT_MAP:
        matches = sorted(
            c
            for c in columns
            if c.startswith(f"{indicator_id}_")
            and c[len(indicator_id) + 1 :].replace("_", "").isdigit()
        )
        if matches:
            return matches[-1]
    return None


def layer_style(
    layer: str,
    frame: pd.DataFrame,
    aliases: dict[str, str],
    *,
    number: Callable[[float], str] | None = None,
) -> LayerStyle | None:
    """The default style of an output layer: a graduated map of its :func:`default_column`.

    Named ``"<layer>: <column>"`` in QGIS; None when the layer has no column to map.
    ``number`` writes the class bounds of the legend (see :func:`graduated_qml`).
    """
    column = default_column(list(frame.columns))
    if column is None:
        return None
    qml = graduated_qml(column, class_breaks(frame[column].to_numpy()), aliases, number=number)
    return LayerStyle(f"{layer}: {column}", qml)


def class_columns(columns: list[str]) -> list[tuple[str, str]]:
    """(column, indicator id) of the class indicators' value columns ``<id>_<period>``."""
    return [
        (column, indicator_id)
        for column in columns
        for indicator_id in CLASS_INDICATORS
        if column.startswith(f"{indicator_id}_")
        and column[len(indicator_id) + 1 :].replace("_", "").isdigit()
    ]


def class_styles(
    layer: str, frame: pd.DataFrame, aliases: dict[str, str], name: Callable[[str], str]
) -> list[LayerStyle]:
    """Extra (not default) styles of a layer: one categorised map per class column.

    Each Degree of Urbanisation column gets its classes in code order, in the GHSL colours,
    labelled by ``name(english class name)`` (the language's class names).
    """
    styles = []
    for column, indicator_id in class_columns(list(frame.columns)):
        codes, colours = CLASS_INDICATORS[indicator_id]
        present = {int(v) for v in frame[column].dropna().unique()}
        categories = {code: name(text) for code, text in codes.items() if code in present}
        qml = categorized_qml(column, categories, colours, aliases)
        styles.append(LayerStyle(f"{layer}: {column}", qml, default=False))
    return styles


def class_breaks(values: np.ndarray, *, classes: int = 5) -> list[tuple[float, float]]:
    """(lower, upper) bounds of up to ``classes`` quantile classes of the finite values.

    The classes are mapclassify's quantiles, as QGIS draws them; fewer distinct values than
    ``classes`` give one class per value, a single value one class, no finite value none.
    """
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


def graduated_qml(
    column: str,
    breaks: list[tuple[float, float]],
    aliases: dict[str, str],
    *,
    number: Callable[[float], str] | None = None,
) -> str:
    """A QGIS QML style: graduated colours on ``column`` and field aliases.

    Parameters
    ----------
    column : str
        The field the colours follow.
    breaks : list of (float, float)
        (lower, upper) of each class, as :func:`class_breaks` gives them; class ``i`` takes
        colour ``i`` of :data:`RAMP`.
    aliases : dict of str to str
        Field → the name QGIS shows for it, in the layer's field order.
    number : callable, optional
        Writes a class bound in the legend (the language's number format, e.g. French
        ``1 234,5``); without it, 4 significant digits in English.
    """
    number = number or (lambda value: f"{value:,.4g}")
    ranges = "".join(
        f'<range lower="{lower!r}" upper="{upper!r}" symbol="{index}" '
        f'label={quoteattr(f"{number(lower)} – {number(upper)}")} render="true"/>'
        for index, (lower, upper) in enumerate(breaks)
    )
    symbols = "".join(_fill_symbol(i, RAMP[i % len(RAMP)]) for i in range(len(breaks)))
    renderer = (
        f'<renderer-v2 type="graduatedSymbol" attr={quoteattr(column)} '
        'graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">'
        f"<ranges>{ranges}</ranges><symbols>{symbols}</symbols></renderer-v2>"
    )
    return _vector_qml(renderer, aliases)


def categorized_qml(
    column: str,
    categories: dict[int, str],
    colours: dict[int, tuple[int, int, int, int]],
    aliases: dict[str, str],
) -> str:
    """A QGIS QML style: one colour per class of ``column`` (code → label) and field aliases.

    A class without a colour in ``colours`` (RGBA) is drawn in :data:`NO_COLOUR`.
    """
    ordered = sorted(categories.items())
    entries = "".join(
        f'<category value="{code}" symbol="{index}" label={quoteattr(label)} render="true"/>'
        for index, (code, label) in enumerate(ordered)
    )
    symbols = "".join(
        _fill_symbol(index, ",".join(str(c) for c in colours.get(code, NO_COLOUR)[:3]))
        for index, (code, _) in enumerate(ordered)
    )
    renderer = (
        f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(column)} '
        'symbollevels="0" enableorderby="0" forceraster="0">'
        f"<categories>{entries}</categories><symbols>{symbols}</symbols></renderer-v2>"
    )
    return _vector_qml(renderer, aliases)


def _vector_qml(renderer: str, aliases: dict[str, str]) -> str:
    """The QML document of a vector layer: its renderer and the field aliases, in order."""
    alias_xml = "".join(
        f'<alias field={quoteattr(field)} index="{index}" name={quoteattr(name)}/>'
        for index, (field, name) in enumerate(aliases.items())
    )
    return (
        f"{_QML_HEADER}"
        '<qgis version="3.28.0" styleCategories="AllStyleCategories">'
        f"{renderer}<aliases>{alias_xml}</aliases></qgis>\n"
    )


def paletted_qml(categories: dict[int, str], colormap: dict[int, tuple[int, int, int, int]]) -> str:
    """A QGIS QML style for a class raster: one legend entry per class, in code order.

    Written beside the raster, it gives QGIS a legend of exactly these classes (the colour
    table of the GeoTIFF alone lists 256 entries).

    Parameters
    ----------
    categories : dict of int to str
        Class code → name (the legend label).
    colormap : dict of int to (int, int, int, int)
        Class code → RGBA colour; a class without one is drawn in :data:`NO_COLOUR`.
    """
    entries = "".join(
        f'<paletteEntry value="{code}" color="#{red:02x}{green:02x}{blue:02x}" '
        f'alpha="{alpha}" label={quoteattr(name)}/>'
        for code, name in sorted(categories.items())
        for red, green, blue, alpha in [colormap.get(code, NO_COLOUR)]
    )
    return (
        f"{_QML_HEADER}"
        '<qgis version="3.22.0" styleCategories="AllStyleCategories"><pipe>'
        '<rasterrenderer type="paletted" band="1" opacity="1" alphaBand="-1">'
        f"<rasterTransparency/><colorPalette>{entries}</colorPalette></rasterrenderer>"
        "</pipe></qgis>\n"
    )
