"""Environment indicators: SDG 11.6.2, population-weighted mean PM2.5."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, indicator


def nearest_year(years: list[int], year: int) -> int:
    """The year of ``years`` closest to ``year`` (the earlier one on a tie)."""
    return min(years, key=lambda candidate: (abs(candidate - year), candidate))


@indicator(
    id="sdg_11_6_2",
    title={
        "en": "Population-weighted mean PM2.5",
        "fr": "Concentration moyenne de PM2,5 pondérée par la population",
        "ar": "متوسط تركيز الجسيمات الدقيقة PM2.5 المرجّح بعدد السكان",
    },
    description={
        "en": "SDG 11.6.2: annual mean fine particulate matter (PM2.5) weighted by population.",
        "fr": "ODD 11.6.2 : moyenne annuelle des particules fines (PM2,5) pondérée par la "
        "population.",
        "ar": "هدف التنمية المستدامة 11.6.2: المتوسط السنوي لتركيز الجسيمات الدقيقة (PM2.5) "
        "مرجّحًا بعدد السكان.",
    },
    unit="µg/m³",
    theme="environment",
    references=("SDG 11.6.2", "WHO Air Quality Guidelines 2021"),
    method="PWM = Σ_i c_i P_i C_i / Σ_i c_i P_i over population cells i (coverage c_i)",
    needs=("pm25", "population_grid"),
    kind="ratio",
    years_from=("pm25",),
)
def sdg_11_6_2(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Population-weighted mean PM2.5 concentration.

    Formula: PWM = Σ_i c_i P_i C_i / Σ_i c_i P_i, with P_i the people of population cell i,
    C_i the PM2.5 concentration at its centre (the concentration grid is sampled onto the
    population grid, cell by cell, never averaged) and c_i the cell's coverage fraction in the
    unit (:meth:`~observatory.indicators.inputs.Inputs.population_weighted`, block by block of
    rows of the population grid). Cells without a concentration count in neither sum. Seed:
    100 people at 10 and 300 at 20 µg/m³ → 7000 / 400 = 17.5 µg/m³. Source: WHO, SDG 11.6.2
    metadata.
    """
    weight_year = nearest_year(inputs.years("population_grid"), period.end)
    if weight_year != period.end:
        inputs.warn(
            f"sdg_11_6_2 {period.label}: weighted by the {weight_year} population grid "
            f"(no population grid for {period.end})."
        )
    return inputs.population_weighted("pm25", period.end, weight_year)
