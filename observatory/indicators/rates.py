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


def log_growth_rate_percent(start: np.ndarray, end: np.ndarray, years: float) -> np.ndarray:
    """100 × ln(end / start) / years; NaN where either end is not positive."""
    start = np.asarray(start, dtype="float64")
    end = np.asarray(end, dtype="float64")
    rate = np.full(start.shape, np.nan)
    valid = (start > 0) & (end > 0)
    rate[valid] = 100.0 * np.log(end[valid] / start[valid]) / years
    return rate


def log_rate_finalizer(start: str, end: str):
    """A finalizer giving 100 × ln(end / start) / years from two summed components."""

    def finalize(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
        value = log_growth_rate_percent(
            components[start].to_numpy(), components[end].to_numpy(), period.years
        )
        return pd.DataFrame({"value": value}, index=components.index)

    return finalize
