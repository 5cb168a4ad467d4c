"""Land use indicators: built-up area, share, per capita, land consumption and SDG 11.3.1.

Built-up grids are in m² of built-up surface per cell (GHSL BUILT-S); a unit's built-up
area is Σ_i c_i · b_i with exact coverage fractions c_i.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from observatory.indicators.inputs import Inputs
from observatory.indicators.rates import log_growth_rate_percent, log_rate_finalizer
from observatory.indicators.registry import Parameter, Period, indicator
from observatory.kernels.change import expansion_classes, new_built_up_area_m2

M2_PER_KM2 = 1e6


def built_up_km2(inputs: Inputs, year: int) -> pd.Series:
    """Σ_i c_i · b_i / 10⁶: built-up km² of every unit in ``year``."""
    return inputs.zonal_sum("built_up", year) / M2_PER_KM2


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
    method="Urb = Σ_i c_i · b_i / 10⁶, b_i built-up m² of cell i, c_i its coverage fraction.",
    needs=("built_up",),
    kind="count",
    years_from=("built_up",),
)
def built_up_area(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Built-up area in km².

    Formula: Urb = Σ_i c_i b_i / 10⁶. Source: GHSL GHS-BUILT-S (m² per cell); UN-Habitat SDG
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


def regime_label(lcr: float, pgr: float) -> str:
    """The regime named after the signs of LCR and PGR (empty when either is unknown)."""
    if np.isnan(lcr) or np.isnan(pgr):
        return ""
    return REGIMES[(int(np.sign(lcr)), int(np.sign(pgr)))]


def finalize_sdg_11_3_1(
    components: pd.DataFrame, period: Period, params: Mapping[str, Any]
) -> pd.DataFrame:
    """LCRPGR = LCR / PGR with both rates from the summed components, and the regime.

    PGR = 0 gives no value (the ratio is undefined); negative rates keep the value and the
    ``regime`` column says what happened.
    """
    lcr = log_growth_rate_percent(
        components["built_start"].to_numpy(), components["built_end"].to_numpy(), period.years
    )
    pgr = log_growth_rate_percent(
        components["population_start"].to_numpy(),
        components["population_end"].to_numpy(),
        period.years,
    )
    value = np.full(lcr.shape, np.nan)
    np.divide(lcr, pgr, out=value, where=(pgr != 0) & ~np.isnan(pgr))
    return pd.DataFrame(
        {
            "value": value,
            "lcr": lcr,
            "pgr": pgr,
            "regime": [regime_label(a, b) for a, b in zip(lcr, pgr, strict=True)],
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
    method="LCRPGR = LCR / PGR, LCR = ln(Urb_t2/Urb_t1)/y, PGR = ln(P_t2/P_t1)/y",
    needs=("built_up", "population"),
    kind="rate",
    period="change",
    finalize=finalize_sdg_11_3_1,
    component_units={"lcr": "% per year", "pgr": "% per year"},
    years_from=("built_up", "population"),
)
def sdg_11_3_1(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """SDG 11.3.1, ratio of land consumption rate to population growth rate.

    Formula: LCRPGR = LCR / PGR with LCR = ln(Urb_t2 / Urb_t1) / y and
    PGR = ln(P_t2 / P_t1) / y (log forms only). PGR = 0 → no value and a warning; negative
    rates → the value and a regime label. Seed: 100 → 121 km², 1.0 → 1.1 M people, y = 10 →
    2 exactly. Source: UN-Habitat SDG 11.3.1 metadata (March 2021).
    """
    components = built_up_change(inputs, period)
    components["population_start"] = inputs.population(period.start)
    components["population_end"] = inputs.population(period.end)
    stable = components.index[components["population_start"] == components["population_end"]]
    if len(stable):
        inputs.warn(
            f"sdg_11_3_1 {period.label}: population did not change in {len(stable)} unit(s) "
            f"({', '.join(map(str, stable[:5]))}); the ratio is undefined there (no value)."
        )
    return components


EXPANSION_PARAMETERS = (
    Parameter("built_threshold", 0.5, "built-up share from which a cell counts as built-up"),
    Parameter("radius_m", 564.0, "radius of the walking-distance circle (1 km²)"),
    Parameter("urban_share", 0.5, "built-up share of the circle above which a cell is urban"),
    Parameter("suburban_share", 0.25, "built-up share of the circle from which it is suburban"),
    Parameter("fringe_m", 100.0, "width of the fringe open space"),
    Parameter("captured_max_ha", 200.0, "largest captured open space (ha)"),
)


def expansion_area_km2(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """New built-up km² of every unit by expansion type (infill, extension, leapfrog)."""

    def compute() -> pd.DataFrame:
        classes = expansion_classes(
            inputs.raster("built_up", period.start),
            inputs.raster("built_up", period.end),
            value_kind="m2",
            **params,
        )
        return pd.DataFrame(
            {
                name: inputs.coverage(raster.grid).sum(raster) / M2_PER_KM2
                for name, raster in new_built_up_area_m2(classes).items()
            },
            index=inputs.units.index,
        )

    key = ("expansion", period, tuple(sorted(params.items())))
    return inputs.cached(key, compute)


def finalize_expansion(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
    """value = km² of the type; share = 100 × km² of the type / km² of all new built-up."""
    numerator = components["numerator"].to_numpy(dtype="float64")
    denominator = components["denominator"].to_numpy(dtype="float64")
    share = np.full(numerator.shape, np.nan)
    np.divide(100.0 * numerator, denominator, out=share, where=denominator > 0)
    return pd.DataFrame({"value": numerator, "share": share}, index=components.index)


def _expansion_indicator(kind_name: str, title: Mapping[str, str], description: Mapping[str, str]):
    def compute(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
        areas = expansion_area_km2(inputs, period, params)
        return pd.DataFrame({"numerator": areas[kind_name], "denominator": areas.sum(axis=1)})

    compute.__name__ = f"urban_expansion_{kind_name}"
    compute.__doc__ = f"""New built-up area of the {kind_name} type between two years, km².

    Formula: A_{kind_name} = Σ_i c_i · a_i · [type_i = {kind_name}] / 10⁶ over the cells i
    built at t2 and not at t1 (built-up share ≥ ``built_threshold``), a_i the cell area; the
    ``share`` component is 100 × A_{kind_name} / (A_infill + A_extension + A_leapfrog).
    {description["en"]} Source: Angel et al. (2016), *Atlas of Urban Expansion*, ch. 3.
    """
    return indicator(
        id=f"urban_expansion_{kind_name}",
        title=title,
        description=description,
        unit="km²",
        theme="land use",
        references=("Atlas of Urban Expansion (Angel et al. 2016)", "UN-Habitat UMF"),
        method=f"A_{kind_name} = Σ c_i a_i [type_i = {kind_name}]; share = A_{kind_name} / A_new",
        needs=("built_up",),
        kind="count",
        period="change",
        params=EXPANSION_PARAMETERS,
        finalize=finalize_expansion,
        component_units={"share": "% of new built-up"},
        years_from=("built_up",),
    )(compute)


urban_expansion_infill = _expansion_indicator(
    "infill",
    title={
        "en": "Urban expansion: infill",
        "fr": "Extension urbaine : remplissage",
        "ar": "التوسع الحضري: ملء الفراغات",
    },
    description={
        "en": "New built-up inside the urban extent of the first year.",
        "fr": "Nouveau bâti à l'intérieur de la tache urbaine de la première année.",
        "ar": "المساحات المبنية الجديدة داخل النطاق الحضري للسنة الأولى.",
    },
)
urban_expansion_extension = _expansion_indicator(
    "extension",
    title={
        "en": "Urban expansion: extension",
        "fr": "Extension urbaine : extension",
        "ar": "التوسع الحضري: الامتداد",
    },
    description={
        "en": "New built-up outside the first year's urban extent, in patches touching it.",
        "fr": "Nouveau bâti hors de la tache urbaine de la première année, en taches qui la "
        "touchent.",
        "ar": "المساحات المبنية الجديدة خارج النطاق الحضري للسنة الأولى، في رقع متصلة به.",
    },
)
urban_expansion_leapfrog = _expansion_indicator(
    "leapfrog",
    title={
        "en": "Urban expansion: leapfrog",
        "fr": "Extension urbaine : saut de grenouille",
        "ar": "التوسع الحضري: التوسع القفزي",
    },
    description={
        "en": "New built-up in patches that do not touch the first year's urban extent.",
        "fr": "Nouveau bâti en taches qui ne touchent pas la tache urbaine de la première année.",
        "ar": "المساحات المبنية الجديدة في رقع غير متصلة بالنطاق الحضري للسنة الأولى.",
    },
)
