"""The comparisons of a trainee's answer with the right one (number_item, text_item) and
answer_items, a table of answers read by name, each compared as its right answer asks."""

from __future__ import annotations

import pytest

from observatory.workshop.compare import (
    Answer,
    Mistake,
    answer_items,
    number_item,
    text_item,
)


def test_answer_items_compare_each_answer_by_its_kind_in_the_order_of_the_table():
    expected = [
        Answer("share", "S", "S", 12.5, abs=0.05, mistakes=[Mistake(0.125, "a fraction", "f")]),
        Answer("reaches", "R", "R", False),
        Answer("code", "C", "C", "04.481"),
        Answer("count", "N", "N", 7),
    ]
    answers = {"share": 12.54, "reaches": "false", "code": " 04.481 "}
    items = answer_items(answers, expected)
    assert [item.passed for item in items] == [True, False, True, False]
    assert items[1].message("en") == "R: 'false' is a text: write true or false without quotes."
    assert items[3].message("en") == "N: not answered yet (replace TODO)."
    wrong = answer_items({"share": 12.56, "code": "4.481"}, expected[::2])
    assert wrong[0].message("en") == "S: 12.56 is too high."  # outside ±0.05
    assert wrong[1].message("en") == "C: '4.481' is not right; look again."  # a text, not 4.481
    assert answer_items({"share": 0.125}, expected[:1])[0].message("en").endswith("a fraction")


def test_number_item_says_too_high_or_too_low_without_the_answer():
    assert number_item("N", "N", 6, 5).message("en") == "N: 6 is too high."
    assert number_item("N", "N", "4", 5).message("fr") == "N : 4 est trop bas."
    rounded = number_item("N", "N", 23, 22.9, abs=0.05)
    assert rounded.message("en") == (
        "N: 23 is too high: is it rounded? Keep all the decimals of your calculation."
    )
    assert "est-ce arrondi ?" in number_item("N", "N", 60, 60.4).message("fr")
    assert "is it rounded?" in number_item("N", "N", 44, 44.44).message("en")  # cut: //
    assert "is it rounded?" in number_item("N", "N", 44.4, 400 / 9).message("en")
    assert "rounded" not in number_item("N", "N", 412, 413).message("en")  # a whole answer
    assert "rounded" not in number_item("N", "N", 60.0 + 0.5, 60.4, abs=0.05).message("en")
    assert number_item("N", "N", "5,0", 5).passed  # a French decimal comma is accepted
    assert number_item("N", "N", 5.004, 5, rel=1e-3).passed  # |5.004 − 5| = 0.004 ≤ 0.005
    assert not number_item("N", "N", True, 1).passed
    assert "not a number" in number_item("N", "N", "five", 5).message("en")


def test_text_item_ignores_case_and_spaces_and_booleans_must_be_booleans():
    assert text_item("L", "L", " Commune ", "commune").passed
    assert not text_item("L", "L", "province", "commune").passed
    assert text_item("B", "B", True, True).passed
    assert not text_item("B", "B", "true", True).passed


@pytest.mark.parametrize(
    ("got", "expected", "fr"),
    [
        (
            0.229,
            22.9,
            "0.229 est 100 fois trop petit : une part entre 0 et 1 ? Donnez un pourcentage",
        ),
        (2290.0, 22.9, "2290.0 est 100 fois trop grand"),
        (5.0e7, 50.0, "1 000 000 fois trop grand : des m² au lieu de km²"),
        ("5,132,639", 5132639, "a des séparateurs de milliers"),
        ("60.4 %", 60.4, "a un signe %"),
        (True, 1, "est vrai ou faux, pas un nombre"),
    ],
)
def test_number_item_hints_at_the_unit_or_the_form(got, expected, fr):
    item = number_item("N", "N", got, expected, abs=0.1)
    assert not item.passed
    assert fr in item.message("fr")


def test_number_item_explains_an_expected_mistake():
    mistake = Mistake(4.0, "that is the 2014 value.", "c'est la valeur de 2014.")
    item = number_item("N", "N", 4, 5, mistakes=[mistake])
    assert item.message("fr") == "N : 4 n'est pas juste : c'est la valeur de 2014."
    assert number_item("N", "N", 5, 5, mistakes=[mistake]).passed


@pytest.mark.parametrize("typed", ["true", "True", "vrai", "false", "oui"])
def test_a_boolean_typed_as_text_is_told_without_quotes(typed):
    item = text_item("B", "B", typed, True)
    assert not item.passed
    assert "écrivez true ou false sans guillemets" in item.message("fr")
    assert "write true or false without quotes" in item.message("en")


def test_a_code_typed_as_a_number_or_a_name_is_told_so():
    assert "entre guillemets" in text_item("C", "C", 4.291, "04.291").message("fr")
    assert "pas le nom" in text_item("C", "C", "Khémisset", "04.291").message("fr")
    assert "regardez encore" in text_item("C", "C", "04.281", "04.291").message("fr")


def test_text_item_accepts_the_other_spellings_it_is_given():
    item = text_item(
        "R",
        "R",
        "Extension avec déclin démographique",
        "expansion",
        also=["extension avec déclin démographique"],
    )
    assert item.passed
