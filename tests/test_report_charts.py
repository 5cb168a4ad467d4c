"""The inline SVG charts of the atlas: comparison bars, trend lines, change steps, strips."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from observatory.report.charts import (
    STRIP_WIDTH,
    TREND_MARGIN,
    change_steps,
    comparison_bars,
    distribution_strip,
    trend_line,
)

NAN = float("nan")
SVG = "{http://www.w3.org/2000/svg}"


def parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_a_trend_line_puts_the_years_to_scale_and_tells_every_value():
    svg = parsed(
        trend_line([(2000, 100, "100"), (2005, 110, "110"), (2015, 121, "121")], label="P")
    )
    (line,) = svg.iter(f"{SVG}polyline")
    xs = [float(point.split(",")[0]) for point in line.get("points").split()]
    # 5 years then 10: the second step is twice as wide as the first
    assert xs[2] - xs[1] == pytest.approx(2 * (xs[1] - xs[0]), abs=0.2)  # one decimal
    assert [t.text for t in svg.iter(f"{SVG}title")] == ["2000: 100", "2005: 110", "2015: 121"]
    assert [t.text for t in svg.iter(f"{SVG}text")] == [
        "2000", "2005", "2015", "100", "110", "121"
    ]  # fmt: skip
    assert svg.get("aria-label") == "P"


def test_a_trend_line_starts_from_zero_and_leaves_a_gap_for_a_missing_year():
    svg = parsed(
        trend_line(
            [(2000, 50, "50"), (2005, NAN, "–"), (2010, 100, "100"), (2015, 90, "90")],
            label="P",
        )
    )
    (zero,) = svg.iter(f"{SVG}line")
    bottom = float(svg.get("height")) - TREND_MARGIN["bottom"]
    assert float(zero.get("y1")) == pytest.approx(bottom)  # 0 is the bottom of the plot
    circles = {c.find(f"{SVG}title").text: float(c.get("cy")) for c in svg.iter(f"{SVG}circle")}
    assert set(circles) == {"2000: 50", "2010: 100", "2015: 90"}  # no point for 2005, not 0
    # 50 is half of 100: halfway between the zero line and the top
    assert bottom - circles["2000: 50"] == pytest.approx((bottom - circles["2010: 100"]) / 2)
    lines = [line.get("points").split() for line in svg.iter(f"{SVG}polyline")]
    assert [len(points) for points in lines] == [2]  # 2010–2015 only: 2000 stands alone


def test_one_value_is_no_trend():
    assert trend_line([(2000, 5.0, "5"), (2015, NAN, "–")], label="P") == ""
    assert change_steps([(2000, 2015, 1.0, "1")], label="P") == ""


def test_change_steps_are_bars_over_their_years_and_the_span_a_dashed_line():
    steps = [(2000, 2005, 1.906, "1,91"), (2005, 2015, 0.953, "0,95")]
    svg = parsed(change_steps(steps, span=(2000, 2015, 1.271, "1,27"), label="G"))
    bars = list(svg.iter(f"{SVG}rect"))
    assert [b.find(f"{SVG}title").text for b in bars] == ["2000–2005: 1,91", "2005–2015: 0,95"]
    widths = [float(b.get("width")) + 1 for b in bars]
    assert widths[1] == pytest.approx(2 * widths[0], rel=0.02)  # 10 years against 5
    heights = [float(b.get("height")) for b in bars]
    assert heights[1] == pytest.approx(heights[0] * 0.953 / 1.906, rel=1e-2)
    (span,) = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "span"]
    assert span.get("stroke-dasharray") and span.find(f"{SVG}title").text == "2000–2015: 1,27"
    assert "1,27" in [t.text for t in svg.iter(f"{SVG}text")]


def test_a_negative_step_grows_down_from_the_zero_line():
    markup = change_steps([(2000, 2005, 2.0, "2"), (2005, 2015, -1.0, "-1")], label="G")
    svg = parsed(markup)
    zero = float(next(line for line in svg.iter(f"{SVG}line")).get("y1"))
    up, down = svg.iter(f"{SVG}rect")
    assert float(up.get("y")) + float(up.get("height")) == pytest.approx(zero)
    assert float(down.get("y")) == pytest.approx(zero)
    assert not re.search(r"<script|href=", markup)  # nothing but drawing


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)"', svg)]


def test_bars_drawn_one_by_one_share_the_scale_they_are_given():
    # on a scale 0..200 (120 px), 50 is a quarter: 30 px; alone it would fill the width
    assert widths(comparison_bars([50.0], label="x", span=(10.0, 200.0))) == [30.0]
    assert widths(comparison_bars([50.0], label="x")) == [120.0]


def test_bars_take_the_colours_given_in_turn():
    svg = comparison_bars([1.0, 2.0, 3.0], label="x", colours=("#111111", "#222222"))
    assert re.findall(r'fill="(#[0-9a-f]+)"', svg) == ["#111111", "#222222", "#111111"]


def test_the_strip_places_the_range_quartiles_median_and_unit():
    svg = distribution_strip(0, 25, 50, 75, 100, 100, label="Population")
    # 4 px margins: x = 4 + value / 100 × (160 − 8)
    assert '<line x1="4.0" y1="8.0" x2="156.0"' in svg
    assert '<rect x="42.0" y="3" width="76.0"' in svg
    assert '<line x1="80.0" y1="3" x2="80.0"' in svg
    assert '<circle cx="156.0"' in svg
    assert 'aria-label="Population"' in svg and f'width="{STRIP_WIDTH}"' in svg


def test_the_strip_of_one_value_is_drawn_at_the_middle_and_of_no_value_not_at_all():
    assert '<circle cx="80.0"' in distribution_strip(5, 5, 5, 5, 5, 5, label="x")
    assert distribution_strip(float("nan"), 1, 2, 3, 4, 2, label="x") == ""
