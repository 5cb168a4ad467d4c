"""Land use indicators: built-up area, share, per capita, land consumption and SDG 11.3.1.

The urban extent and its expansion (infill, extension, leapfrog, inclusion) are in
:mod:`observatory.indicators.expansion`.

Built-up grids are in m² of built-up surface per cell (GHSL BUILT-S); a unit's built-up
area is Σ_i c_i · b_i · A_i / a with exact coverage fractions c_i, a the cell's nominal area
and A_i its area on the ellipsoid (:meth:`~observatory.indicators.inputs.Inputs.surface_km2`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from observatory.indicators.inputs import Inputs
from observatory.indicators.rates import (
    growth_rate_quality,
    log_growth_rate_percent,
    log_rate_finalizer,
)
from observatory.indicators.registry import Parameter, Period, indicator
from observatory.reasons import NEAR_ZERO_GROWTH, THE_BUILT_UP_AREA, THE_POPULATION

M2_PER_KM2 = 1e6


def built_up_km2(inputs: Inputs, year: int) -> pd.Series:
    """Σ_i c_i · b_i · A_i / (a · 10⁶): built-up km² of every unit in ``year``, on the
    ellipsoid."""
    surface = inputs.surface_km2(inputs.raster("built_up", year))
    return pd.Series(surface, index=inputs.units.index)


@indicator(
    id="built_up_area",
    title={
        "en": "Built-up area",
        "fr": "Surface bâtie",
        "ar": "المساحة المبنية",
    },
    description={
        "en": "Area covered by buildings (built-up surface of the built-up grid).",
        "fr": "Surface couverte de bâtiments (surface bâtie de la grille du bâti).",
        "ar": "المساحة التي تغطيها المباني (السطح المبني حسب شبكة المناطق المبنية).",
    },
    unit="km²",
    theme="land use",
    references=("SDG 11.3.1 (Urb)", "GHSL GHS-BUILT-S"),
    method="Urb = Σ_i c_i · b_i · A_i / (a · 10⁶), b_i built-up m² of cell i, c_i its "
    "coverage fraction, a the cell's nominal area and A_i its area on the WGS 84 ellipsoid.",
    needs=("built_up",),
    kind="count",
    years_from=("built_up",),
)
def built_up_area(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Built-up area in km².

    Formula: Urb = Σ_i c_i b_i A_i / (a 10⁶), A_i / a the cell's true over nominal area.
    Source: GHSL GHS-BUILT-S (m² per cell); UN-Habitat SDG
    11.3.1 metadata for its use as Urb.
    """
    return pd.DataFrame({"numerator": built_up_km2(inputs, period.end)})


@indicator(
    id="built_up_share",
    title={
        "en": "Built-up share of land",
        "fr": "Part bâtie du sol",
        "ar": "حصة المساحة المبنية من الأراضي",
    },
    description={
        "en": "Built-up area as a percentage of the unit's land area.",
        "fr": "Surface bâtie en pourcentage de la surface terrestre de l'unité.",
        "ar": "المساحة المبنية كنسبة مئوية من مساحة اليابسة في الوحدة.",
    },
    unit="%",
    theme="land use",
    references=("UN-Habitat UMF",),
    method="share = 100 × Urb / A_land",
    needs=("built_up",),
    kind="ratio",
    scale=100.0,
    years_from=("built_up",),
)
def built_up_share(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Built-up share of land, %.

    Formula: 100 × Urb / A_land, A_land = area minus water of the land grid.
    Source: UN-Habitat Urban Monitoring Framework.
    """
    return pd.DataFrame(
        {"numerator": built_up_km2(inputs, period.end), "denominator": inputs.land_area_km2()}
    )


@indicator(
    id="built_up_per_capita",
    title={
        "en": "Built-up area per capita",
        "fr": "Surface bâtie par habitant",
        "ar": "المساحة المبنية للفرد",
    },
    description={
        "en": "Square metres of built-up surface per inhabitant.",
        "fr": "Mètres carrés de surface bâtie par habitant.",
        "ar": "عدد الأمتار المربعة من السطح المبني لكل ساكن.",
    },
    unit="m²/person",
    theme="land use",
    references=("SDG 11.3.1 (secondary)",),
    method="BUpc = Urb (m²) / P",
    needs=("built_up", "population"),
    kind="ratio",
    years_from=("built_up", "population"),
)
def built_up_per_capita(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Built-up m² per person.

    Formula: BUpc = Urb_t (m²) / P_t. Source: UN-Habitat SDG 11.3.1 metadata, secondary
    indicator. Seed: 121 km² and 1.1 M people → 110 m²/person.
    """
    return pd.DataFrame(
        {
            "numerator": built_up_km2(inputs, period.end) * M2_PER_KM2,
            "denominator": inputs.population(period.end),
        }
    )


def built_up_change(inputs: Inputs, period: Period) -> pd.DataFrame:
    """Built-up km² at the start and end of the period."""
    return pd.DataFrame(
        {
            "built_start": built_up_km2(inputs, period.start),
            "built_end": built_up_km2(inputs, period.end),
        }
    )


@indicator(
    id="land_consumption_rate",
    title={
        "en": "Land consumption rate",
        "fr": "Taux de consommation d'espace",
        "ar": "معدل استهلاك الأراضي",
    },
    description={
        "en": "Average annual growth rate of the built-up area between two years (log form).",
        "fr": "Taux annuel moyen de croissance de la surface bâtie entre deux années (forme log).",
        "ar": "متوسط معدل النمو السنوي للمساحة المبنية بين سنتين (بالصيغة اللوغاريتمية).",
    },
    unit="% per year",
    theme="land use",
    references=("SDG 11.3.1 (LCR)",),
    method="LCR = 100 × ln(Urb_t2 / Urb_t1) / (t2 − t1)",
    needs=("built_up",),
    kind="rate",
    period="change",
    finalize=log_rate_finalizer("built_start", "built_end"),
    years_from=("built_up",),
)
def land_consumption_rate(
    inputs: Inputs, period: Period, params: Mapping[str, Any]
) -> pd.DataFrame:
    """Land consumption rate, log form.

    Formula: LCR = 100 × ln(Urb_t2 / Urb_t1) / y (% per year). Source: UN-Habitat SDG 11.3.1
    metadata (March 2021); the linear form of older texts is not used.
    """
    return built_up_change(inputs, period)


REGIMES = {
    (1, 1): "expansion with population growth",
    (1, -1): "expansion with population decline",
    (1, 0): "expansion with stable population",
    (0, 1): "densification: population growth without new built-up",
    (0, -1): "stable built-up with population decline",
    (0, 0): "no change",
    (-1, 1): "built-up loss with population growth",
    (-1, -1): "contraction: built-up loss with population decline",
    (-1, 0): "built-up loss with stable population",
}
#: SDG 11.3.1's parameters: the annual rates (% per year) within which population and
#: built-up count as stable; see docs/methods/sdg-11-3-1.md for the reasoning.
STABLE_RATES = (
    Parameter(
        "stable_population_rate",
        0.1,
        "|PGR| (% per year) below which the population counts as stable: no ratio, and the "
        "regime says 'stable population'",
        kind="number",
        minimum=0,
    ),
    Parameter(
        "stable_built_up_rate",
        0.01,
        "|LCR| (% per year) below which the built-up area counts as stable in the regime",
        kind="number",
        minimum=0,
    ),
)


def trend(rate: float, stable: float) -> int:
    """1 (growth), -1 (decline) or 0 (stable: ``|rate| < stable``) of an annual rate."""
    return 0 if abs(rate) < stable else int(np.sign(rate))


def regime_label(
    lcr: float, pgr: float, stable_built_up: float = 0.0, stable_population: float = 0.0
) -> str:
    """The regime named after the trends of LCR and PGR (empty when either is unknown).

    LCR within ``±stable_built_up`` and PGR within ``±stable_population`` %/yr count as
    stable.
    """
    if np.isnan(lcr) or np.isnan(pgr):
        return ""
    return REGIMES[(trend(lcr, stable_built_up), trend(pgr, stable_population))]


def sdg_11_3_1_quality(
    components: pd.DataFrame, period: Period, pgr: np.ndarray, stable: float
) -> np.ndarray:
    """Why each LCRPGR is not published: a zero or missing base of either rate, or a
    population growth within ``±stable`` %/yr (empty text where it is published)."""
    quality = growth_rate_quality(
        components["built_start"], components["built_end"], period, THE_BUILT_UP_AREA
    )
    population = growth_rate_quality(
        components["population_start"], components["population_end"], period, THE_POPULATION
    )
    quality = np.where(population != "", population, quality)
    near_zero = ((np.abs(pgr) < stable) | (pgr == 0)) & (quality == "")
    for position in np.flatnonzero(near_zero):
        quality[position] = NEAR_ZERO_GROWTH.format(
            pgr=f"{pgr[position]:+.3f}", stable=f"{stable:g}"
        )
    return quality


def finalize_sdg_11_3_1(
    components: pd.DataFrame, period: Period, params: Mapping[str, Any]
) -> pd.DataFrame:
    """LCRPGR = LCR / PGR with both rates from the summed components, and the regime.

    No value where PGR is within ±``stable_population_rate`` %/yr (the ratio of a rate to
    a near-zero rate is not meaningful) or either rate is undefined, with the reason in
    ``quality``; LCR and PGR are published beside it. Negative rates keep the value and the
    ``regime`` column says what happened, LCR within ±``stable_built_up_rate`` and PGR within
    ±``stable_population_rate`` counting as stable.
    """
    stable = float(params["stable_population_rate"])
    stable_built_up = float(params["stable_built_up_rate"])
    lcr = log_growth_rate_percent(
        components["built_start"].to_numpy(), components["built_end"].to_numpy(), period.years
    )
    pgr = log_growth_rate_percent(
        components["population_start"].to_numpy(),
        components["population_end"].to_numpy(),
        period.years,
    )
    value = np.full(lcr.shape, np.nan)
    meaningful = ~np.isnan(pgr) & (np.abs(pgr) >= stable) & (pgr != 0)
    np.divide(lcr, pgr, out=value, where=meaningful)
    return pd.DataFrame(
        {
            "value": value,
            "lcr": lcr,
            "pgr": pgr,
            "regime": [
                regime_label(a, b, stable_built_up, stable) for a, b in zip(lcr, pgr, strict=True)
            ],
            "quality": sdg_11_3_1_quality(components, period, pgr, stable),
        },
        index=components.index,
    )


@indicator(
    id="sdg_11_3_1",
    title={
        "en": "Ratio of land consumption rate to population growth rate",
        "fr": "Ratio du taux de consommation d'espace au taux de croissance démographique",
        "ar": "نسبة معدل استهلاك الأراضي إلى معدل النمو السكاني",
    },
    description={
        "en": "SDG 11.3.1 (LCRPGR): above 1, land is consumed faster than population grows.",
        "fr": "ODD 11.3.1 (LCRPGR) : au-dessus de 1, l'espace est consommé plus vite que la "
        "population ne croît.",
        "ar": "هدف التنمية المستدامة 11.3.1: عندما تتجاوز النسبة 1، تُستهلك الأراضي بوتيرة أسرع "
        "من نمو السكان.",
    },
    unit="ratio",
    theme="land use",
    references=("SDG 11.3.1", "UN-Habitat metadata, March 2021"),
    method="LCRPGR = LCR / PGR, LCR = ln(Urb_t2/Urb_t1)/y, PGR = ln(P_t2/P_t1)/y; "
    "no value when |PGR| < stable_population_rate",
    needs=("built_up", "population"),
    kind="rate",
    period="change",
    params=STABLE_RATES,
    finalize=finalize_sdg_11_3_1,
    component_units={"lcr": "% per year", "pgr": "% per year"},
    years_from=("built_up", "population"),
)
def sdg_11_3_1(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """SDG 11.3.1, ratio of land consumption rate to population growth rate.

    Formula: LCRPGR = LCR / PGR with LCR = ln(Urb_t2 / Urb_t1) / y and
    PGR = ln(P_t2 / P_t1) / y (log forms only). |PGR| < ``stable_population_rate`` (0.1 %/yr) → no
    value, a quality flag and a warning; negative rates → the value and a regime label.
    Seed: 100 → 121 km², 1.0 → 1.1 M people, y = 10 → 2 exactly. Source: UN-Habitat SDG
    11.3.1 metadata (March 2021); the near-zero rule is Observatory's (method note).
    """
    components = built_up_change(inputs, period)
    components["population_start"] = inputs.population(period.start)
    components["population_end"] = inputs.population(period.end)
    pgr = log_growth_rate_percent(
        components["population_start"], components["population_end"], period.years
    )
    threshold = params["stable_population_rate"]
    stable = components.index[np.abs(pgr) < threshold]
    if len(stable):
        inputs.warn(
            f"sdg_11_3_1 {period.label}: population growth is within ±{threshold:g} "
            f"%/yr in {len(stable)} unit(s) ({', '.join(map(str, stable[:5]))}); the ratio is "
            "not published there (see its quality column, and lcr and pgr)."
        )
    return components
