"""Printable maps of one indicator (matplotlib): title, legend, scale bar, north arrow, source.

``observatory map`` draws one with :func:`indicator_map` and writes it with
:func:`observatory.io.figures.write_figure`. The units are drawn in their UTM zone (metres,
north up) so the scale bar is true; the classes are those of
:func:`observatory.report.mapdata.legend_of`. matplotlib is imported when a map is drawn,
never when the command line starts.
"""

from __future__ import annotations

import math
import textwrap

from observatory.report.i18n import Translator
from observatory.report.labels import unit_label
from observatory.report.mapdata import (
    choose,
    legend_of,
    level_label,
    map_title,
    source_lines,
)

#: Size of a map in inches (A4 width less margins) and its resolution in PNG.
FIGURE_SIZE = (8.0, 6.6)
#: Characters of a title line before it wraps.
TITLE_WIDTH = 70
HATCH = "////"
OUTLINE = "#555555"


def indicator_map(
    published,
    indicator_id: str,
    *,
    t: Translator,
    period: str | None = None,
    level: str | None = None,
    method: str = "natural-breaks",
):
    """A matplotlib Figure: the map of ``indicator_id`` for one period and level.

    Parameters
    ----------
    published : PublishedResults
        A results folder read by :func:`observatory.io.published.read_published`.
    indicator_id : str
        The indicator mapped.
    t : Translator
        The language of the texts and numbers.
    period, level : str, optional
        Latest period and finest level by default.
    method : {'natural-breaks', 'quantiles'}
        How the values are cut into classes.
    """
    from matplotlib.figure import Figure

    period, level = choose(published, indicator_id, period=period, level=level)
    legend = legend_of(published, indicator_id, period, level, t, method=method)
    layer = published.layers[level]
    layer = layer.to_crs(layer.estimate_utm_crs())
    figure = Figure(figsize=FIGURE_SIZE, layout=None)
    axes = figure.add_axes((0.02, 0.1, 0.62, 0.74))
    axes.set_axis_off()
    axes.set_aspect("equal")
    colours = [legend.colour_of(i) for i in range(len(layer))]
    layer.plot(ax=axes, color=colours, edgecolor=OUTLINE, linewidth=0.3)
    missing = legend.index < 0
    if missing.any():
        layer[missing].plot(
            ax=axes, facecolor="none", edgecolor="#888888", hatch=HATCH, linewidth=0.3
        )
    _scale_bar(axes, t)
    _north_arrow(axes, t)
    align = "right" if t.direction == "rtl" else "left"
    x = 0.98 if align == "right" else 0.02
    title = textwrap.fill(
        map_title(indicator_id, period, t, fallback=published.language), width=TITLE_WIDTH
    )
    figure.text(x, 0.965, title, ha=align, va="top", fontsize=13, fontweight="bold")
    subtitle = f"{level_label(level, t)} · {legend.method}"
    lines = title.count("\n") + 1
    figure.text(x, 0.965 - 0.045 * lines, subtitle, ha=align, va="top", fontsize=9, color="#444")
    _legend(figure, legend, t, unit_label(_unit(indicator_id), t))
    figure.text(
        x,
        0.015,
        "\n".join(source_lines(published, t)),
        ha=align,
        va="bottom",
        fontsize=6.5,
        color="#444444",
        linespacing=1.4,
    )
    return figure


def _unit(indicator_id: str) -> str:
    from observatory.indicators.registry import get_indicator

    return get_indicator(indicator_id).unit


def _legend(figure, legend, t: Translator, unit: str) -> None:
    """The legend panel at the right: the classes with their counts, then no data."""
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=c.colour, edgecolor=OUTLINE, linewidth=0.4, label=f"{c.label}  ({c.count})")
        for c in legend.classes
    ]
    if legend.no_data.count:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#888888",
                hatch=HATCH,
                linewidth=0.4,
                label=f"{legend.no_data.label}  ({legend.no_data.count})",
            )
        )
    title = unit if legend.kind != "classes" else t.gettext("Class")
    figure.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.66, 0.84),
        title=title,
        fontsize=8,
        title_fontsize=8.5,
        frameon=False,
        alignment="left",
        handlelength=1.8,
        handleheight=1.2,
    )


def _nice_length(span_m: float) -> float:
    """A round length (1, 2 or 5 × 10ⁿ metres) near a fifth of ``span_m``."""
    target = span_m / 5
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


def _scale_bar(axes, t: Translator) -> None:
    """Two-segment black and white bar at the lower left, labelled in km (or m)."""
    from matplotlib.patches import Rectangle

    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    length = _nice_length(x1 - x0)
    height = (y1 - y0) * 0.012
    left, bottom = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.03
    for number, fill in enumerate(("black", "white")):
        axes.add_patch(
            Rectangle(
                (left + number * length / 2, bottom),
                length / 2,
                height,
                facecolor=fill,
                edgecolor="black",
                linewidth=0.6,
            )
        )
    in_km = length >= 1000
    scale = 1000 if in_km else 1
    for position in (0, length / 2, length):
        axes.text(
            left + position,
            bottom + height * 1.6,
            t.number(position / scale),
            ha="center",
            va="bottom",
            fontsize=7,
        )
    axes.text(
        left + length + (x1 - x0) * 0.015,
        bottom,
        t.gettext("km") if in_km else t.gettext("m"),
        ha="left",
        va="bottom",
        fontsize=7,
    )


def _north_arrow(axes, t: Translator) -> None:
    """An arrow pointing up at the upper right with the letter of north."""
    from matplotlib.patches import Polygon

    x0, x1 = axes.get_xlim()
    y0, y1 = axes.get_ylim()
    width, height = (x1 - x0) * 0.035, (y1 - y0) * 0.07
    cx, top = x1 - (x1 - x0) * 0.04, y1 - (y1 - y0) * 0.09
    axes.add_patch(
        Polygon(
            [(cx, top), (cx - width / 2, top - height), (cx, top - height * 0.7)],
            closed=True,
            facecolor="black",
            edgecolor="black",
            linewidth=0.6,
        )
    )
    axes.add_patch(
        Polygon(
            [(cx, top), (cx + width / 2, top - height), (cx, top - height * 0.7)],
            closed=True,
            facecolor="white",
            edgecolor="black",
            linewidth=0.6,
        )
    )
    axes.text(
        cx,
        top + (y1 - y0) * 0.01,
        t.gettext("N"),
        ha="center",
        va="bottom",
        fontsize=10,
        fontweight="bold",
    )
