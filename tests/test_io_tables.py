"""Tests of observatory.io.tables: how codes and counts read as text are understood."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from observatory.io.tables import codes_as_text, counts_as_numbers, read_counts, read_table

STATBEL = Path(__file__).parent / "data" / "statbel"
#: Statbel's Brussels-Capital totals on 1 January (tests/data/statbel/README.md).
BRUSSELS = {2018: 1_198_726, 2019: 1_208_542, 2020: 1_218_255}


def test_codes_are_compared_as_stripped_text():
    codes = codes_as_text(pd.Series([4001, " 04.001 ", None, "  "], dtype=object))
    assert codes.tolist() == ["4001", "04.001", None, None]


def test_codes_keep_the_index():
    codes = codes_as_text(pd.Series(["a", "b"], index=[10, 20]))
    assert codes.index.tolist() == [10, 20]


def test_counts_are_whole_numbers_or_nan():
    numbers = counts_as_numbers(pd.Series(["1 200", "3,5", "12", "", None, "n/a", "-5"]))
    # "3,5" has a fractional part: never a count
    np.testing.assert_array_equal(numbers, [1200.0, np.nan, 12.0, np.nan, np.nan, np.nan, -5.0])
    assert numbers.dtype == np.float64


@pytest.mark.parametrize("text", ["14 293", "14\u00a0293", "14\u202f293", "1 234 567"])
def test_spaces_between_thousands_are_unambiguous(text):
    counts = read_counts(pd.Series([text]))
    assert not counts.ambiguous.any()
    digits = "".join(character for character in text if character.isdigit())
    assert counts.numbers()[0] == int(digits)


@pytest.mark.parametrize("text", ["14,304", "1.234", "-1,000"])
def test_a_count_readable_two_ways_is_not_guessed(text):
    counts = read_counts(pd.Series([text]))
    assert counts.ambiguous.tolist() == [True]
    assert np.isnan(counts.numbers()[0])
    values = sorted(reading.value for reading in counts.readings[0])
    digits = float(text.replace(",", "").replace(".", ""))
    assert values == sorted([digits, digits / 1000])


def test_declared_thousands_separator_settles_it():
    counts = read_counts(pd.Series(["14,304", "1,234,567", "99"]), thousands=",")
    np.testing.assert_array_equal(counts.numbers(), [14304, 1234567, 99])
    counts = read_counts(pd.Series(["14.304"]), decimal=",")
    np.testing.assert_array_equal(counts.numbers(), [14304])


def test_declared_decimal_mark_makes_the_count_fractional():
    counts = read_counts(pd.Series(["14,304"]), decimal=",")
    assert counts.fractional.tolist() == [True]
    assert np.isnan(counts.numbers()[0])


def test_whole_numbers_with_decimal_zeros_are_counts():
    np.testing.assert_array_equal(counts_as_numbers(pd.Series(["1234.0", "56.00"])), [1234, 56])
    np.testing.assert_array_equal(counts_as_numbers(pd.Series(["56,00"])), [56])


def test_mixed_separators_in_one_column_give_no_number():
    counts = read_counts(pd.Series(["1,234,567", "1.234.567", "12"]))
    assert counts.mixed() == [("thousands", [",", "."], [0, 1])]
    assert np.isnan(counts.numbers()).all()


def test_not_a_number():
    counts = read_counts(pd.Series(["1200 hab", "12-3", "1e3", "1,23,4"]))
    assert counts.not_number.all()


@pytest.mark.parametrize(
    ("year", "thousands"), [(2018, ","), (2019, None), (2019, " "), (2020, None)]
)
def test_real_statbel_files_read_right(year, thousands):
    table = read_table(STATBEL / f"municipalities_{year}.csv")
    brussels = table["NIS_code"].str.startswith("21")
    numbers = counts_as_numbers(table["inhabitants"], thousands=thousands)
    assert not np.isnan(numbers).any()
    assert numbers[brussels.to_numpy()].sum() == BRUSSELS[year]


def test_real_statbel_2018_undeclared_is_never_read_as_decimals():
    table = read_table(STATBEL / "municipalities_2018.csv")
    counts = read_counts(table["inhabitants"])
    assert counts.ambiguous.all()
    assert np.isnan(counts.numbers()).all()
