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


def comparison_bars(values: list[float], *, label: str) -> str:
    """Horizontal bars of ``values`` (the unit, then its parent, then the territory).

    The bars start from a zero line, at the left when every value is positive and where
    zero falls otherwise, so negative values grow to its left. NaN draws no bar. Empty
    string when no value is finite.
    """
    finite = [v for v in values if isinstance(v, int | float) and math.isfinite(v)]
    if not finite:
        return ""
    low, high = min(0.0, *finite), max(0.0, *finite)
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
            f'fill="{BAR_COLOURS[row % len(BAR_COLOURS)]}"/>'
        )
    axis = f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="#333"/>'
    return (
        f'<svg class="bars" viewBox="0 0 {BAR_WIDTH} {height}" width="{BAR_WIDTH}" '
        f'height="{height}" role="img" aria-label="{escape(label)}">{"".join(bars)}{axis}</svg>'
    )
