"""Words and years read from file, layer, field and column names."""

from __future__ import annotations

import pytest

from observatory.drafting.names import counted, has_word, slug, words, years


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("hcp_province_code", ["hcp", "province", "code"]),
        ("NIS_code", ["nis", "code"]),
        ("gemeente2024", ["gemeente", "2024"]),
        ("ObjectID", ["object", "id"]),
        ("Écoles primaires", ["ecoles", "primaires"]),
        ("arrêts-bus", ["arrets", "bus"]),
    ],
)
def test_words_split_on_separators_case_digits_and_drop_accents(name, expected):
    assert words(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("population_2024", [2024]),
        ("pop2014", [2014]),
        ("P_2019", [2019]),
        ("belgian_municipalities_2018", [2018]),
        ("GHS_BUILT_S_E2020_GLOBE_R2023A_54009_100", [2020, 2023]),
        ("ggw72024", []),  # 72024 is one number, not a year
        ("ghsl_1km_belgium_POP", []),
        ("code_1850", []),
    ],
)
def test_years_are_four_digits_standing_apart(name, expected):
    assert years(name) == expected


def test_has_word_matches_whole_words_only():
    assert has_word("Arrêts de bus", frozenset({"arret", "arrets"}))
    assert not has_word("flanders", frozenset({"land"}))


def test_slug_and_counted():
    assert slug("Quartiers 2024") == "quartiers"
    assert slug("2024") == "level"
    assert (counted(1, "polygon"), counted(2, "polygon"), counted(0, "unit")) == (
        "1 polygon",
        "2 polygons",
        "0 units",
    )
