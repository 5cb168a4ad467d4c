"""Tests of observatory.checks.crosswalk: a crosswalk is never guessed from.

Each test gives a small crosswalk table (as read: every cell text) with one mistake and
checks the error names the codes concerned.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from observatory.census_spec import Crosswalk
from observatory.checks.crosswalk import check_crosswalk


def spec(share: str | None = None) -> Crosswalk:
    return Crosswalk(Path("crosswalk.csv"), source="old", target="new", years=(2018,), share=share)


def problems(rows: dict, share: str | None = None):
    return check_crosswalk(spec(share), pd.DataFrame(rows, dtype=object), "observatory.toml")


def test_renumberings_mergers_and_shared_splits_pass():
    rows = {
        "old": ["A", "B1", "B2", "C", "C"],
        "new": ["A2", "B", "B", "C1", "C2"],
        "share": [None, "1", "1", "0.25", "0,75"],
    }
    assert problems(rows, share="share") == []
    assert problems({"old": ["A", "B1", "B2"], "new": ["A2", "B", "B"]}) == []


def test_a_split_without_shares_is_an_error_naming_the_codes():
    (problem,) = problems({"old": ["A", "C", "C"], "new": ["A2", "C1", "C2"]})
    assert (problem.severity, problem.layer) == ("error", "census.crosswalk")
    assert "splits 1 code(s) among several units without saying how: 'C' → 'C1', 'C2'" in (
        problem.message
    )
    assert "never guesses" in problem.fix


def test_a_split_with_an_empty_share_is_an_error():
    rows = {"old": ["C", "C"], "new": ["C1", "C2"], "share": ["0.5", None]}
    (problem,) = problems(rows, share="share")
    assert "with an empty 'share': 'C' → 'C1', 'C2'" in problem.message


def test_shares_not_adding_up_to_one_are_an_error_naming_the_code_and_the_sum():
    rows = {"old": ["C", "C", "D"], "new": ["C1", "C2", "D1"], "share": ["0.5", "0.4", "1"]}
    (problem,) = problems(rows, share="share")
    assert "the shares of 1 'old' code(s) do not add up to 1 (± 0.001): 'C' 0.9" in (
        problem.message
    )
    # within 0.001 is accepted (shares written with 3 decimals)
    rows["share"] = ["0.333", "0.6675", "1"]
    assert problems(rows, share="share") == []


def test_a_share_that_is_not_a_number_from_0_to_1_names_the_row():
    rows = {"old": ["C", "C"], "new": ["C1", "C2"], "share": ["50%", "1.5"]}
    (problem,) = problems(rows, share="share")
    assert (
        "2 share(s) that are not numbers from 0 to 1: row 2 ('C'): '50%', row 3 ('C'): '1.5'"
        in (problem.message)
    )


def test_a_missing_column_names_the_key_and_the_columns():
    (problem,) = problems({"code_2018": ["A"], "new": ["B"]})
    assert "column 'old' (census.crosswalk.from) not found in crosswalk.csv" in problem.message
    assert "code_2018, new" in problem.message


def test_empty_codes_and_repeated_pairs():
    found = problems({"old": ["A", None, "A"], "new": ["B", "C", "B"]})
    messages = [problem.message for problem in found]
    assert any(
        "1 row(s) have no code in 'old' (census.crosswalk.from): rows 3" in m for m in messages
    )
    assert any("gives 1 pair(s) of codes twice: 'A' → 'B'" in m for m in messages)
