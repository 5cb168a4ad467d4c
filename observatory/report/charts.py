"""Small inline SVG charts of the atlas's unit profiles.

A chart is a string of SVG markup with no script and no outside reference; its numbers are
in the table beside it, so the chart only shows proportions.
"""

from __future__ import annotations

import math
from html import escape

#: Fill of the bars: the unit, its parent, the territory.
BAR_COLOURS = ("#b2182b", "#ef8a62", "#bababa")
BAR_WIDTH = 120
BAR_HEIGHT = 7
BAR_GAP = 2


def comparison_bars(
    values: list[float],
    *,
    label: str,
    span: tuple[float, float] | None = None,
    colours: tuple[str, ...] = BAR_COLOURS,
) -> str:
    """Horizontal bars of ``values`` (the unit, then its parent, then the territory).

    The bars start from a zero line, at the left when every value is positive and where
    zero falls otherwise, so negative values grow to its left. NaN draws no bar. Empty
    string when no value is finite.

    ``span`` (low, high) fixes the scale, so that bars drawn separately (one per row of a
    ranking) share it; it is widened to include zero. ``colours`` fill the bars in turn.
    """
    finite = [v for v in values if isinstance(v, int | float) and math.isfinite(v)]
    if not finite:
        return ""
    low, high = span if span is not None else (min(finite), max(finite))
    low, high = min(0.0, low), max(0.0, high)
    span = (high - low) or 1.0
    zero = (0 - low) / span * BAR_WIDTH
    height = len(values) * (BAR_HEIGHT + BAR_GAP)
    bars = []
    for row, value in enumerate(values):
        if not (isinstance(value, int | float) and math.isfinite(value)):
            continue
        end = (value - low) / span * BAR_WIDTH
        x, width = min(zero, end), max(abs(end - zero), 0.5)
        y = row * (BAR_HEIGHT + BAR_GAP)
        bars.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colours[row % len(colours)]}"/>'
        )
    axis = f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="#333"/>'
    return (
        f'<svg class="bars" viewBox="0 0 {BAR_WIDTH} {height}" width="{BAR_WIDTH}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">{"".join(bars)}{axis}</svg>'
    )


STRIP_WIDTH = 160
STRIP_HEIGHT = 16


def distribution_strip(
    low: float, q1: float, median: float, q3: float, high: float, value: float, *, label: str
) -> str:
    """A one-line box plot: the range of a level's values (whisker), its quartiles (box),
    the median (tick) and one unit's value (a dot). Empty string when the range is not
    finite; a range of zero width draws everything at the middle."""
    numbers = (low, q1, median, q3, high, value)
    if not all(isinstance(n, int | float) and math.isfinite(n) for n in numbers):
        return ""
    margin = 4.0
    span = high - low

    def x(number: float) -> float:
        if span == 0:
            return STRIP_WIDTH / 2
        return margin + (number - low) / span * (STRIP_WIDTH - 2 * margin)

    middle = STRIP_HEIGHT / 2
    parts = [
        f'<line x1="{x(low):.1f}" y1="{middle}" x2="{x(high):.1f}" y2="{middle}" stroke="#777"/>',
        f'<rect x="{x(q1):.1f}" y="3" width="{max(x(q3) - x(q1), 0.5):.1f}" height="10" '
        'fill="#d9d9d9" stroke="#777"/>',
        f'<line x1="{x(median):.1f}" y1="3" x2="{x(median):.1f}" y2="13" stroke="#333" '
        'stroke-width="2"/>',
        f'<circle cx="{x(value):.1f}" cy="{middle}" r="3.5" fill="{BAR_COLOURS[0]}"/>',
    ]
    return (
        f'<svg class="strip" viewBox="0 0 {STRIP_WIDTH} {STRIP_HEIGHT}" width="{STRIP_WIDTH}" '
        f'height="{STRIP_HEIGHT}" role="img" aria-label="{escape(label)}">{"".join(parts)}</svg>'
    )
