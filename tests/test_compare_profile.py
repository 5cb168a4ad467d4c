"""One unit within its territory: parent, class peers and distribution, worked out by hand."""

from __future__ import annotations

import math

import pytest
from compare_cases import territory

from observatory.compare import find_unit, unit_profile
from observatory.errors import ParameterError

#: Districts d1..d5 of region R; d5 has no population value (it is left out of the
#: distribution, never counted as 0).
VALUES = {
    ("population", "2024"): {"R": 160, "d1": 10, "d2": 20, "d3": 30, "d4": 100},
    ("degurba_l1", "2020"): {"R": 3, "d1": 1, "d2": 1, "d3": 1, "d4": 1, "d5": 1},
    ("degurba_l1", "2024"): {"R": 3, "d1": 3, "d2": 3, "d3": 1, "d4": 3, "d5": 3},
}
DISTRICTS = ["d1", "d2", "d3", "d4", "d5"]


@pytest.fixture
def results(tmp_path):
    return territory(tmp_path / "r", "Region", VALUES, ("R", DISTRICTS))


def row(profile, indicator_id, period):
    rows = profile.rows
    return rows[(rows["indicator"] == indicator_id) & (rows["period"] == period)].iloc[0]


def test_a_unit_against_its_parent_its_peers_and_its_level(results):
    profile = unit_profile(results, "d2")
    assert (profile.level, profile.unit_name) == ("district", "Region d2")
    assert profile.parent == ("region", "R", "Region region")
    # class of the latest period (2024): city (3), shared with d1, d4 and d5
    assert (profile.degurba_class, profile.degurba_period) == (3, "2024")
    assert profile.peers == ("d1", "d4", "d5")
    population = row(profile, "population", "2024")
    assert (population["value"], population["parent_value"]) == (20, 160)
    # peers with a value: d1 = 10 and d4 = 100 (d5 has none) → median 55
    assert (population["peer_count"], population["peer_median"]) == (2, 55)
    # sorted 10, 20, 30, 100 (n = 4): Q1 at position 0.75 → 10 + 0.75 × 10 = 17.5; the
    # median at 1.5 → 25; Q3 at 2.25 → 30 + 0.25 × 70 = 47.5; 2 of 4 values ≤ 20 → 50 %
    stats = population[["count", "min", "q1", "median", "q3", "max", "percentile"]].tolist()
    assert stats == [4, 10, 17.5, 25, 47.5, 100, 50]


def test_class_rows_show_the_classes_without_statistics(results):
    klass = row(unit_profile(results, "d2"), "degurba_l1", "2020")
    assert (klass["value"], klass["parent_value"]) == (1, 3)
    assert math.isnan(klass["median"]) and math.isnan(klass["percentile"])


def test_a_unit_without_a_value_has_no_row_for_it(results):
    profile = unit_profile(results, "d5")
    assert set(profile.rows["indicator"]) == {"degurba_l1"}


def test_the_unit_at_the_top_has_no_parent_and_no_peers(results):
    profile = unit_profile(results, "R")
    assert profile.parent is None and profile.peers == ()
    population = row(profile, "population", "2024")
    assert math.isnan(population["parent_value"]) and population["percentile"] == 100


def test_without_degurba_there_are_no_peers(tmp_path):
    values = {("population", "2024"): VALUES[("population", "2024")]}
    profile = unit_profile(territory(tmp_path / "r", "Region", values, ("R", DISTRICTS)), "d1")
    assert profile.degurba_class is None and profile.peers == ()
    assert math.isnan(row(profile, "population", "2024")["peer_median"])


def test_an_unknown_code_is_refused_with_codes_of_the_results(results):
    with pytest.raises(
        ParameterError, match=r"--unit: .* has no unit 'd9' at any level.*d1, d2, d3"
    ):
        unit_profile(results, "d9")
    with pytest.raises(ParameterError, match=r"no unit 'd1' at level 'region'"):
        find_unit(results, "d1", "region")
    with pytest.raises(ParameterError, match=r"has no level 'commune'"):
        find_unit(results, "d1", "commune")


def test_a_code_of_two_levels_needs_its_level(tmp_path):
    values = {("population", "2024"): {"X": 1, "X1": 1}}
    shared = territory(tmp_path / "s", "S", values, ("X", ["X", "X1"]))
    with pytest.raises(ParameterError, match="'X' is a unit of the levels region, district"):
        unit_profile(shared, "X")
    assert find_unit(shared, "X", "district") == "district"
