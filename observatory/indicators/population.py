"""Population indicators: population, density and growth.

Sources: the population of a unit is the census figure where the census has the unit and
the year, and otherwise the exact-coverage sum of the population grid (Σ coverage × cell).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from observatory.indicators.inputs import Inputs
from observatory.indicators.rates import log_rate_finalizer
from observatory.indicators.registry import Period, indicator


def population_components(inputs: Inputs, period: Period) -> pd.DataFrame:
    """numerator = people in the unit in the period's year."""
    return pd.DataFrame({"numerator": inputs.population(period.end)})


@indicator(
    id="population",
    title={
        "en": "Population",
        "fr": "Population",
        "ar": "السكان",
    },
    description={
        "en": "Number of inhabitants (census where available, otherwise the population grid).",
        "fr": "Nombre d'habitants (recensement s'il existe, sinon la grille de population).",
        "ar": "عدد السكان (من التعداد عند توفره، وإلا من شبكة السكان).",
    },
    unit="people",
    theme="population",
    references=("RGPH (HCP)", "GHSL GHS-POP"),
    method="P = census count, or Σ_i c_i · p_i over grid cells i with coverage fraction c_i.",
    needs=("population",),
    kind="count",
    years_from=("population",),
)
def population(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Population of every unit.

    Formula: P = census figure of the unit; without census for the year,
    P = Σ_i c_i p_i, with c_i the exact fraction of cell i inside the unit and p_i its people.
    Source: HCP RGPH; GHSL GHS-POP for grids.
    """
    return population_components(inputs, period)


@indicator(
    id="population_density",
    title={
        "en": "Population density",
        "fr": "Densité de population",
        "ar": "الكثافة السكانية",
    },
    description={
        "en": "Inhabitants per km² of land (unit area minus water from the land grid).",
        "fr": "Habitants par km² de terre (surface de l'unité moins l'eau de la grille terre).",
        "ar": "عدد السكان لكل كم² من اليابسة (مساحة الوحدة مطروحًا منها المسطحات المائية حسب شبكة "
        "الأراضي).",
    },
    unit="people/km²",
    theme="population",
    references=("UN-Habitat UMF", "New Urban Agenda §51"),
    method="density = P / A_land, A_land = A − Σ_i c_i · water_i (km², equal-area CRS).",
    needs=("population",),
    kind="ratio",
    years_from=("population",),
)
def population_density(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """People per km² of land.

    Formula: density = P / A_land, where A_land is the unit's area in an equal-area CRS minus
    the water of the land grid inside it. Source: UN-Habitat Urban Monitoring Framework.
    """
    return pd.DataFrame(
        {"numerator": inputs.population(period.end), "denominator": inputs.land_area_km2()}
    )


@indicator(
    id="population_growth_rate",
    title={
        "en": "Population growth rate",
        "fr": "Taux de croissance démographique",
        "ar": "معدل النمو السكاني",
    },
    description={
        "en": "Average annual growth rate of the population between two years (log form).",
        "fr": "Taux annuel moyen de croissance de la population entre deux années (forme log).",
        "ar": "متوسط معدل النمو السنوي للسكان بين سنتين (بالصيغة اللوغاريتمية).",
    },
    unit="% per year",
    theme="population",
    references=("SDG 11.3.1 (PGR)",),
    method="PGR = 100 × ln(P_t2 / P_t1) / (t2 − t1)",
    needs=("population",),
    kind="rate",
    period="change",
    finalize=log_rate_finalizer("start", "end"),
    years_from=("population",),
)
def population_growth_rate(
    inputs: Inputs, period: Period, params: Mapping[str, Any]
) -> pd.DataFrame:
    """Annual population growth rate, log form.

    Formula: PGR = 100 × ln(P_t2 / P_t1) / y (% per year), y = t2 − t1 in years. Source:
    UN-Habitat SDG 11.3.1 metadata (March 2021). Components start and end are summed up
    the hierarchy; the rate is recomputed at every level.
    """
    return pd.DataFrame(
        {"start": inputs.population(period.start), "end": inputs.population(period.end)}
    )
