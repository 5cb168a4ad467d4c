"""Annual growth rates in log form, shared by the population and land use themes.

``100 × ln(end / start) / years`` is the form of the SDG 11.3.1 metadata (UN-Habitat, March
2021) for both the population growth rate (PGR) and the land consumption rate (LCR). No
indicator is registered here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from observatory.indicators.registry import Period
from observatory.reasons import GROWTH_MISSING, GROWTH_NEGATIVE, GROWTH_ZERO, THE_FIGURE


def log_growth_rate_percent(start: np.ndarray, end: np.ndarray, years: float) -> np.ndarray:
    """100 × ln(end / start) / years; NaN where either end is not positive."""
    start = np.asarray(start, dtype="float64")
    end = np.asarray(end, dtype="float64")
    rate = np.full(start.shape, np.nan)
    valid = (start > 0) & (end > 0)
    rate[valid] = 100.0 * np.log(end[valid] / start[valid]) / years
    return rate


def growth_rate_quality(
    start: np.ndarray, end: np.ndarray, period: Period, what: str = THE_FIGURE
) -> np.ndarray:
    """Why each growth rate of :func:`log_growth_rate_percent` is undefined, empty text
    where it is defined: ``not computed: <what> of 2014 is 0`` (or missing)."""
    start = np.asarray(start, dtype="float64")
    end = np.asarray(end, dtype="float64")
    reasons = np.full(start.shape, "", dtype=object)
    for values, year in ((end, period.end), (start, period.start)):
        reasons[values == 0] = GROWTH_ZERO.format(what=what, year=year)
        reasons[values < 0] = GROWTH_NEGATIVE.format(what=what, year=year)
        reasons[np.isnan(values)] = GROWTH_MISSING.format(what=what, year=year)
    return reasons


def log_rate_finalizer(start: str, end: str):
    """A finalizer giving 100 × ln(end / start) / years from two summed components, and
    the reason where it is undefined in ``quality`` (:func:`growth_rate_quality`)."""

    def finalize(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
        first = components[start].to_numpy()
        last = components[end].to_numpy()
        return pd.DataFrame(
            {
                "value": log_growth_rate_percent(first, last, period.years),
                "quality": growth_rate_quality(first, last, period),
            },
            index=components.index,
        )

    return finalize
