"""series_item: a trainee's values by unit compared with the right ones, and what a wrong
series is told."""

from __future__ import annotations

import pandas as pd

from observatory.workshop.compare import Mistake
from observatory.workshop.compare_series import series_item


def test_series_item_names_the_first_unit_that_differs():
    expected = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    assert series_item("S", "S", expected.copy(), expected).passed
    wrong = pd.Series([1.0, 2.5, 3.0], index=["a", "b", "c"])
    assert series_item("S", "S", wrong, expected).message("en") == (
        "S: 1 value of 3 differs; e.g. unit b: 2.5 instead of 2."
    )
    assert series_item("S", "S", wrong, expected).message("fr") == (
        "S : 1 valeur sur 3 diffère ; p. ex. l'unité b : 2.5 au lieu de 2."
    )
    two_wrong = pd.Series([1.5, 2.5, 3.0], index=["a", "b", "c"])
    assert (
        series_item("S", "S", two_wrong, expected)
        .message("fr")
        .startswith("S : 2 valeurs sur 3 diffèrent ;")
    )
    short = expected.drop("c")
    assert "unit c is missing" in series_item("S", "S", short, expected).message("en")
    assert "got list" in series_item("S", "S", [1, 2, 3], expected).message("en")


def test_series_item_says_the_index_is_not_the_codes():
    expected = pd.Series([1.0, 2.0, 3.0], index=["04.1", "04.2", "04.3"])
    item = series_item("S", "S", pd.Series([1.0, 2.0, 3.0]), expected)
    assert not item.passed
    assert item.message("en") == (
        "S: 3 units expected, you have 3, and none of your labels (0, 1, 2) is a unit code "
        "such as 04.1. Index the result by the unit code (index=...)."
    )
    assert "et aucune de vos étiquettes (0, 1, 2) n'est un code d'unité" in item.message("fr")


def test_series_item_says_when_every_value_is_empty():
    expected = pd.Series([1.0, 2.0], index=["a", "b"])
    looked_up = pd.Series(pd.Series([1.0, 2.0]), index=["a", "b"])  # pandas aligns: nan, nan
    message = series_item("S", "S", looked_up, expected).message("en")
    assert "every value is empty (nan). Was the Series made from another Series" in message
    assert "toutes les valeurs sont vides (nan)" in series_item(
        "S", "S", looked_up, expected
    ).message("fr")
    one_empty = pd.Series([1.0, float("nan")], index=["a", "b"])
    assert "empty" not in series_item("S", "S", one_empty, expected).message("en")


def test_series_item_says_the_values_were_rounded_and_shows_the_decimals():
    expected = pd.Series([5077.93, 58557.93, 12.0], index=["a", "b", "c"])
    for wrong, shown in ((expected.round(), "5078"), (expected.astype(int), "5077")):
        message = series_item("S", "S", wrong, expected).message("en")
        assert f"2 values of 3 differ; e.g. unit a: {shown} instead of 5077.93" in message
        assert "your values look rounded (or turned into int)" in message
    to_one_decimal = series_item("S", "S", expected.round(1), expected).message("fr")
    assert "vos valeurs semblent arrondies" in to_one_decimal
    off_by_two = pd.Series([5080.0, 58557.93, 12.0], index=["a", "b", "c"])
    assert "rounded" not in series_item("S", "S", off_by_two, expected).message("en")
    close = pd.Series([5077.9, 58557.93, 12.0], index=["a", "b", "c"])
    assert "5077.9 instead of 5077.93" in series_item("S", "S", close, expected).message("en")


def test_series_item_says_when_every_value_is_a_unit_off_or_an_expected_mistake():
    expected = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    in_square_metres = expected * 1e6
    message = series_item("S", "S", in_square_metres, expected).message("fr")
    assert "chaque valeur est 1 000 000 fois trop grand : des m² au lieu de km²" in message
    stale = pd.Series([1.0, 2.0, 4.0], index=["a", "b", "c"])
    mistake = Mistake(stale, "the field of the layer.", "le champ de la couche.")
    assert series_item("S", "S", stale, expected, mistakes=[mistake]).message("fr") == (
        "S : le champ de la couche."
    )
