"""Small inline charts: bars on a shared scale, a one-line box plot."""

from __future__ import annotations

import re

from observatory.report.charts import STRIP_WIDTH, comparison_bars, distribution_strip


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
