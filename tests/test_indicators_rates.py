"""Tests of observatory.indicators.rates: the log-form annual growth rate and its finalizer."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from observatory.indicators.rates import log_growth_rate_percent, log_rate_finalizer
from observatory.indicators.registry import Period


def test_log_growth_rate_percent_by_hand():
    # doubling in 10 years: 100 × ln 2 / 10 = 6.931 % per year; halving: -6.931; no change: 0
    rate = log_growth_rate_percent(
        np.array([100.0, 200.0, 50.0]), np.array([200.0, 100.0, 50.0]), 10
    )
    np.testing.assert_allclose(rate, [10 * math.log(2), -10 * math.log(2), 0.0])


def test_log_growth_rate_is_nan_where_an_end_is_not_positive():
    rate = log_growth_rate_percent(np.array([0.0, 100.0, -5.0]), np.array([10.0, 0.0, 10.0]), 10)
    assert np.isnan(rate).all()


def test_log_rate_finalizer_uses_the_period_length():
    finalize = log_rate_finalizer("start", "end")
    components = pd.DataFrame({"start": [100.0], "end": [200.0]}, index=pd.Index(["U"]))
    values = finalize(components, Period(2024, 2014), {})
    assert list(values.columns) == ["value", "quality"]
    assert values.loc["U", "value"] == pytest.approx(10 * math.log(2))
    assert values.loc["U", "quality"] == ""


def test_a_rate_with_a_zero_negative_or_missing_figure_says_which():
    components = pd.DataFrame(
        {"start": [0.0, 100.0, -5.0, np.nan], "end": [10.0, 0.0, 10.0, 10.0]},
        index=pd.Index(["zero start", "zero end", "negative", "missing"]),
    )
    values = log_rate_finalizer("start", "end")(components, Period(2024, 2014), {})
    assert values["value"].isna().all()
    assert values["quality"].to_dict() == {
        "zero start": "not computed: the figure of 2014 is 0",
        "zero end": "not computed: the figure of 2024 is 0",
        "negative": "not computed: the figure of 2014 is negative",
        "missing": "not computed: the figure of 2014 is missing",
    }
