"""answer_items: a table of answers read by name, each compared as its right answer asks
(the single comparisons, number_item, text_item and series_item, are in test_workshop.py)."""

from __future__ import annotations

from observatory.workshop.compare import Answer, Mistake, answer_items


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
