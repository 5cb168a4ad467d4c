"""Small inline SVG charts of the atlas's unit profiles.

A chart is a string of SVG markup with no script and no outside reference; its numbers are
in the table beside it, so the chart only shows proportions. :func:`comparison_bars` sets a
unit beside its parent and the territory; :func:`trend_line` (the values of the years) and
:func:`change_steps` (the change periods) show a unit over time, years to scale.
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


#: Size of a trend chart and the room left around its plot for the labels (px).
TREND_WIDTH, TREND_HEIGHT = 260, 120
TREND_MARGIN = {"left": 14, "right": 56, "top": 16, "bottom": 18}
TREND_COLOUR, SPAN_COLOUR = BAR_COLOURS[0], "#555"
#: Points up to which every value is written on a line chart (beyond, the first and last).
MAX_LABELLED = 6


class _Axes:
    """The scales of a trend chart: years left to right, values bottom to top, 0 included.

    The value axis always holds 0, so a change is drawn in proportion to the value and a
    small change does not look large.
    """

    def __init__(self, years: list[int], values: list[float]):
        self.first, self.last = min(years), max(years)
        self.low, self.high = min(0.0, *values), max(0.0, *values)
        if self.high == self.low:  # every value 0: the zero line at the bottom
            self.high = self.low + 1.0
        self.left = TREND_MARGIN["left"]
        self.width = TREND_WIDTH - TREND_MARGIN["left"] - TREND_MARGIN["right"]
        self.top = TREND_MARGIN["top"]
        self.height = TREND_HEIGHT - TREND_MARGIN["top"] - TREND_MARGIN["bottom"]

    def x(self, year: float) -> float:
        span = (self.last - self.first) or 1
        return self.left + (year - self.first) / span * self.width

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return self.top + (self.high - value) / span * self.height

    def frame(self, years: list[int]) -> str:
        """The zero line and a tick with its label under every year of ``years``."""
        zero = self.y(0.0)
        parts = [
            f'<line class="zero" x1="{self.left}" y1="{zero:.1f}" '
            f'x2="{self.left + self.width}" y2="{zero:.1f}" stroke="#999"/>'
        ]
        base = self.top + self.height
        for year in sorted(set(years)):
            x = self.x(year)
            parts.append(
                f'<text class="year" x="{x:.1f}" y="{base + 13}" text-anchor="middle">{year}</text>'
            )
        return "".join(parts)


def _svg(label: str, body: str) -> str:
    return (
        f'<svg class="trend" viewBox="0 0 {TREND_WIDTH} {TREND_HEIGHT}" width="{TREND_WIDTH}" '
        f'height="{TREND_HEIGHT}" role="img" aria-label="{escape(label)}" direction="ltr" '
        f'font-size="9">{body}</svg>'
    )


def _finite(value) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def trend_line(points: list[tuple[int, float, str]], *, label: str) -> str:
    """A line through a unit's values over the years, on a time axis to scale.

    ``points`` are (year, value, value as written) in time order; a NaN value leaves a gap
    (a year without a value is never drawn as 0). Each point tells its year and value on
    hover, and up to :data:`MAX_LABELLED` points carry their value. Empty string when fewer
    than two values are finite: one figure is no trend.
    """
    known = [(year, value, text) for year, value, text in points if _finite(value)]
    if len(known) < 2:
        return ""
    axes = _Axes([year for year, _, _ in points], [value for _, value, _ in known])
    runs, current = [], []
    for year, value, _ in points:
        if _finite(value):
            current.append(f"{axes.x(year):.1f},{axes.y(value):.1f}")
        elif current:
            runs.append(current)
            current = []
    runs.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(run)}" fill="none" stroke="{TREND_COLOUR}" stroke-width="2"/>'
        for run in runs
        if len(run) > 1
    )
    marks = []
    for position, (year, value, text) in enumerate(known):
        x, y = axes.x(year), axes.y(value)
        marks.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{TREND_COLOUR}">'
            f"<title>{year}: {escape(text)}</title></circle>"
        )
        if len(known) <= MAX_LABELLED or position in (0, len(known) - 1):
            # the first value is written from its point rightwards: the margin is narrow
            anchor, shift = ("start", -3) if position == 0 else ("middle", 0)
            marks.append(
                f'<text class="value" x="{x + shift:.1f}" y="{y - 5:.1f}" '
                f'text-anchor="{anchor}">{escape(text)}</text>'
            )
    return _svg(label, axes.frame([year for year, _, _ in points]) + lines + "".join(marks))


def change_steps(
    steps: list[tuple[int, int, float, str]],
    *,
    label: str,
    span: tuple[int, int, float, str] | None = None,
) -> str:
    """The change periods of a unit as bars over the years they cover, on a time axis.

    ``steps`` are (first year, last year, value, value as written) of each pair of
    consecutive years: a bar from its first to its last year, as high as its value (an
    annual rate holds over the whole period), labelled with it; a NaN value draws no bar.
    ``span``, the whole period, is a dashed line across at its value, labelled at the
    right. Empty string when fewer than two steps have a value.
    """
    known = [step for step in steps if _finite(step[2])]
    if len(known) < 2:
        return ""
    values = [step[2] for step in known]
    if span is not None and _finite(span[2]):
        values.append(span[2])
    years = [year for start, end, _, _ in steps for year in (start, end)]
    axes = _Axes(years, values)
    zero = axes.y(0.0)
    parts = [axes.frame(years)]
    for start, end, value, text in known:
        x, y = axes.x(start), axes.y(value)
        width = max(axes.x(end) - x - 1, 1)
        parts.append(
            f'<rect x="{x + 0.5:.1f}" y="{min(y, zero):.1f}" width="{width:.1f}" '
            f'height="{max(abs(zero - y), 0.5):.1f}" fill="{TREND_COLOUR}" fill-opacity="0.75">'
            f"<title>{start}–{end}: {escape(text)}</title></rect>"
        )
        above = y - 4 if value >= 0 else y + 11
        parts.append(
            f'<text class="value" x="{x + width / 2:.1f}" y="{above:.1f}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    if span is not None and _finite(span[2]):
        start, end, value, text = span
        y = axes.y(value)
        parts.append(
            f'<line class="span" x1="{axes.x(start):.1f}" y1="{y:.1f}" x2="{axes.x(end):.1f}" '
            f'y2="{y:.1f}" stroke="{SPAN_COLOUR}" stroke-width="1.5" stroke-dasharray="4 3">'
            f"<title>{start}–{end}: {escape(text)}</title></line>"
            f'<text class="value span" x="{axes.x(end) + 4:.1f}" y="{y + 3:.1f}">'
            f"{escape(text)}</text>"
        )
    return _svg(label, "".join(parts))


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
