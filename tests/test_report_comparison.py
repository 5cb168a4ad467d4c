"""The notes, tables and sheets of a comparison, in English and French."""

from __future__ import annotations

import pytest
from compare_cases import ALPHA, BETA, GRID_1KM, GRID_100M, territory

from observatory.compare import Difference, compare_territories, unit_profile
from observatory.report.comparison import (
    comparability_table,
    comparison_sheets,
    difference_text,
    profile_sheet,
    profile_table,
)
from observatory.report.i18n import translator

NOTES = [
    (
        Difference("periods", (("A", "2024"), ("B", "2020"))),
        "different years: 2024 (A) vs 2020 (B)",
        "années différentes : 2024 (A) contre 2020 (B)",
    ),
    (
        Difference("periods", (("A", "2014_2024"), ("B", "2019_2020"))),
        "different periods: 2014–2024 (10 years) (A) vs 2019–2020 (1 year) (B)",
        "périodes différentes : 2014–2024 (10 ans) (A) contre 2019–2020 (1 an) (B)",
    ),
    (
        Difference("grid", (("A", GRID_100M), ("B", GRID_1KM)), subject="population"),
        "population grid: 100 m, ESRI:54009 (A) vs 1 km, ESRI:54009 (B)",
        "grille de population : 100 m, ESRI:54009 (A) contre 1 km, ESRI:54009 (B)",
    ),
    (
        Difference("grid", (("A", GRID_100M), ("B", "no raster")), subject="land"),
        "land grid: 100 m, ESRI:54009 (A) vs no raster (B)",
        "grille des terres : 100 m, ESRI:54009 (A) contre pas de raster (B)",
    ),
    (
        Difference("grid", (("A", GRID_100M), ("B", None)), subject="built_up"),
        "built-up grid: 100 m, ESRI:54009 (A) vs not recorded (B)",
        "grille du bâti : 100 m, ESRI:54009 (A) contre non enregistré (B)",
    ),
    (
        Difference("population_source", (("A", "census"), ("B", "population raster"))),
        "population from: census (A) vs population raster (B)",
        "population tirée de : recensement (A) contre raster de population (B)",
    ),
    (
        Difference("parameter", (("A", "network"), ("B", "straight-line")), subject="mode"),
        "distance: network (A) vs straight-line (B)",
        "distance : réseau (A) contre à vol d'oiseau (B)",
    ),
    (
        Difference("parameter", (("A", 1000.0), ("B", None)), subject="threshold_m"),
        "parameter threshold_m: 1,000 (A) vs not set (B)",
        "paramètre threshold_m : 1\u202f000 (A) contre non fixé (B)",
    ),
    (
        Difference("parameter", (("A", "ghsl-2023"), ("B", "ghsl-2019")), subject="rules"),
        "Degree of Urbanisation grid rules: ghsl-2023 (A) vs ghsl-2019 (B)",
        "règles de grille du degré d'urbanisation : ghsl-2023 (A) contre ghsl-2019 (B)",
    ),
    (
        Difference("unit", (("A", "%"), ("B", "ratio"))),
        "unit of measure: % (A) vs ratio (B)",
        "unité de mesure : % (A) contre ratio (B)",
    ),
    (
        Difference("flags", (("B", (1, 2)), ("A", (1, 1)))),
        "values not published (quality flags): 1 of 2 units (B); 1 of 1 unit (A)",
        "valeurs non publiées (signalements de qualité) : 1 sur 2 unités (B); 1 unité sur 1 (A)",
    ),
    (
        Difference("coverage", (("B", (3, 19)),)),
        "units covered less than 99% by the rasters: 3 of 19 units (B)",
        "unités couvertes à moins de 99\u00a0% par les rasters : 3 sur 19 unités (B)",
    ),
    (
        Difference("version", (("A", "0.1.0"), ("B", "0.2.0"))),
        "Observatory versions: 0.1.0 (A) vs 0.2.0 (B)",
        "versions d'Observatory : 0.1.0 (A) contre 0.2.0 (B)",
    ),
    (
        Difference("unit_size", (("A", (1476.36, "province")), ("B", (6.3, "municipality")))),
        "units of very different sizes (median area): 1,476.4 km², province (A) vs 6.3 km², "
        "municipality (B)",
        "unités de tailles très différentes (surface médiane) : 1\u202f476,4 km², province (A) "
        "contre 6,3 km², municipalité (B)",
    ),
]


@pytest.mark.parametrize(("difference", "english", "french"), NOTES)
def test_each_note_says_what_differs_and_each_value_in_the_language(difference, english, french):
    assert difference_text(difference, translator("en")) == english
    assert difference_text(difference, translator("fr")) == french


@pytest.fixture
def comparison(tmp_path):
    alpha = territory(tmp_path / "alpha", "Alpha", ALPHA, ("A", ["a1", "a2", "a3"]))
    values = {**BETA, ("population", "2020"): BETA[("population", "2024")]}
    del values[("population", "2024")], values[("school_access", "2024")]
    beta = territory(tmp_path / "beta", "Beta", values, ("B", ["b1", "b2"]))
    return compare_territories([alpha, beta], levels=("district",))


def test_the_comparability_table_has_a_row_per_indicator_with_its_notes(comparison):
    table = comparability_table(comparison, translator("en")).set_index("indicator")
    assert table.loc["population", "status"] == "compare with care"
    assert table.loc["population", "notes"] == "different years: 2024 (Alpha) vs 2020 (Beta)"
    assert table.loc["population", "periods"] == "Alpha: 2024; Beta: 2020"
    assert table.loc["population", "ranked_on"] == "each territory's latest period"
    assert table.loc["degurba_l1", "status"] == "comparable"
    assert table.loc["degurba_l1", "ranked_on"] == "not ranked (classes)"
    assert table.loc["school_access", "status"] == "computed only in Alpha"


def test_the_side_by_side_sheet_heads_each_column_with_title_period_and_unit(comparison):
    sheet = comparison_sheets(comparison, translator("fr"))[0]
    titles, periods, units = sheet.header
    assert titles[:4] == ["Territoire", "Niveau", "Code", "Nom"]
    column = list(sheet.data.columns).index("population_latest")
    assert (titles[column], periods[column], units[column]) == (
        "Population",
        "dernière période",
        "habitants",
    )
    rank = list(sheet.data.columns).index("population_rank")
    assert (periods[rank], units[rank]) == ("rang", "la dernière période de chaque territoire")
    assert sheet.data["degurba_l1_2024"].tolist()[:3] == [
        "Ville",
        "Ville moyenne ou zone semi-dense",
        "Zone rurale",
    ]
    assert sheet.data["level"].tolist()[0] == "District"
    assert sheet.text == ("unit_id",)


def test_the_profile_table_names_the_unit_and_its_sheet_names_the_classes(tmp_path):
    values = {
        ("population", "2024"): {"R": 30, "d1": 10, "d2": 20},
        ("degurba_l1", "2024"): {"R": 3, "d1": 3, "d2": 1},
    }
    profile = unit_profile(territory(tmp_path / "r", "R", values, ("R", ["d1", "d2"])), "d1")
    table = profile_table(profile)
    assert table.columns[:5].tolist() == ["level", "unit_id", "unit_name", "indicator", "period"]
    assert set(table["unit_id"]) == {"d1"}
    sheet = profile_sheet(profile, translator("en"))
    classes = sheet.data[sheet.data["indicator"] == "degurba_l1"]
    assert classes[["value", "parent_value"]].values.tolist() == [["City", "City"]]
    assert sheet.header[0][:3] == ["Indicator id", "Indicator", "Period"]
