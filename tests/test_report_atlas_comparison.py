"""The comparison's page: the ranking beside the notes, ties marked, both modes rendered."""

from __future__ import annotations

import pytest
from compare_cases import ALPHA, BETA, territory

from observatory.compare import compare_territories, unit_profile
from observatory.report.atlas.comparison import (
    TERRITORY_COLOURS,
    comparison_page,
    profile_page,
    render_page,
)
from observatory.report.i18n import translator


@pytest.fixture
def comparison(tmp_path):
    alpha = territory(tmp_path / "alpha", "Alpha", ALPHA, ("A", ["a1", "a2", "a3"]))
    only_population = {k: v for k, v in BETA.items() if k[0] != "school_access"}
    beta = territory(tmp_path / "beta", "Beta", only_population, ("B", ["b1", "b2"]))
    return compare_territories([alpha, beta], levels=("district",))


def test_the_ranking_lists_the_pooled_units_best_first_with_the_tie_marked(comparison):
    page = comparison_page(comparison, translator("en"))
    population = next(i for i in page["indicators"] if i["anchor"] == "population")
    ranking = [(row["rank"], row["code"], row["value"]) for row in population["rows"]]
    assert ranking == [
        ("1", "a1", "300"),
        ("2=", "a2", "200"),
        ("2=", "b1", "200"),
        ("4", "a3", "100"),
        ("5", "b2", "50"),
    ]
    assert [row["colour"] for row in population["rows"]][:3] == [
        TERRITORY_COLOURS[0],
        TERRITORY_COLOURS[0],
        TERRITORY_COLOURS[1],
    ]
    assert population["notes"] == [] and population["ranked_on"] == "2024"
    assert page["partial"] == [{"where": "computed only in Alpha", "titles": ["Access to schools"]}]


def test_class_indicators_show_class_names_and_no_rank(comparison):
    page = comparison_page(comparison, translator("fr"))
    classes = next(i for i in page["indicators"] if i["anchor"] == "degurba_l1")
    assert {row["rank"] for row in classes["rows"]} == {""}
    assert classes["rows"][0]["value"] == "Ville"
    assert str(classes["rows"][0]["chart"]) == ""


def test_the_page_renders_in_arabic_right_to_left_with_its_assets(comparison):
    t = translator("ar")
    files = render_page("comparison.html", comparison_page(comparison, t), t, project="x")
    assert sorted(files) == ["atlas.css", "atlas.js", "index.html"]
    html = files["index.html"]
    assert '<html lang="ar" dir="rtl">' in html
    assert "مقارنة المجالات الترابية" in html
    assert 'href="methods.html"' not in html  # the atlas's navigation is replaced


def test_the_profile_page_shows_the_unit_its_parent_peers_and_statistics(tmp_path):
    values = {
        ("population", "2024"): {"R": 60, "d1": 10, "d2": 20, "d3": 30},
        ("degurba_l1", "2024"): {"R": 3, "d1": 3, "d2": 3, "d3": 1},
    }
    results = territory(tmp_path / "r", "Region", values, ("R", ["d1", "d2", "d3"]))
    t = translator("en")
    page = profile_page(unit_profile(results, "d1"), t)
    assert (page["unit"], page["parent"], page["class"]) == ("Region d1", "Region region", "City")
    assert page["peers"] == ["Region d2"]
    population = next(row for row in page["rows"] if row["title"] == "Population")
    # 10, 20, 30: minimum 10, quartiles 15, 20, 25, maximum 30; 1 of 3 values ≤ 10 → 33 %
    assert population["stats"] == ["10", "15", "20", "25", "30"]
    assert (population["value"], population["parent"], population["percentile"]) == (
        "10",
        "60",
        "33",
    )
    assert '<svg class="strip"' in str(population["chart"])
    html = render_page("unit_comparison.html", page, t, project="Region")["index.html"]
    assert "Region d1 within its territory" in html
