"""Tests of observatory.io.tables: how codes and counts read as text are understood."""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.io.tables import codes_as_text, counts_as_numbers


def test_codes_are_compared_as_stripped_text():
    codes = codes_as_text(pd.Series([4001, " 04.001 ", None, "  "], dtype=object))
    assert codes.tolist() == ["4001", "04.001", None, None]


def test_codes_keep_the_index():
    codes = codes_as_text(pd.Series(["a", "b"], index=[10, 20]))
    assert codes.index.tolist() == [10, 20]


def test_counts_accept_spaces_between_thousands_and_a_decimal_comma():
    numbers = counts_as_numbers(pd.Series(["1 200", "3,5", "12", "", None, "n/a", "-5"]))
    np.testing.assert_array_equal(numbers, [1200.0, 3.5, 12.0, np.nan, np.nan, np.nan, -5.0])
    assert numbers.dtype == np.float64
