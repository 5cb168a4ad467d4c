"""Access indicators: public transport (SDG 11.2.1), open public space (SDG 11.7.1 access),
schools and health facilities (school seats per child, by 2SFCA, are in
:mod:`observatory.indicators.two_step_catchment`).

Every access indicator follows the same steps (methods/README.md, research §3 and §7):

1. **Origins** are the centres of the population grid cells holding people inside the units;
   each cell counts with its people × the exact fraction of the cell inside the unit, so every
   result is population-weighted.
2. The **walking network** is built once per run from the ``roads`` layer
   (:func:`observatory.indicators.walking.walking_network`, with
   :func:`observatory.kernels.network.build_network`: noded at true crossings, bridges and
   tunnels of the ``bridge`` field joined only at their ends, motorways excluded, line ends
   within 1 m merged), in the roads' projected CRS, or in the local UTM zone when the roads
   are in degrees.
3. Origins and facilities are snapped to their **nearest edge** (connector + distance along the
   edge); one multi-source shortest-path pass per kind of facility gives every origin the
   distance to its nearest facility. Graph and origin snapping are shared by all kinds.
4. People who cannot reach any facility of the kind (a disconnected street fragment, no
   facility in their component) are **unreachable**: never counted as 0 m, reported in the
   ``unreachable_population`` component and in a run warning.

``mode = "straight-line"`` replaces network distances by Euclidean ones; it is never used
unless asked, and every result says which mode produced it (its ``mode`` note).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from observatory.indicators.inputs import Inputs
from observatory.indicators.origins import weighted_frame
from observatory.indicators.registry import METRES, Parameter, Period, indicator
from observatory.indicators.walking import (
    UNREACHABLE_UNITS,
    coverage_components,
    distance_to_nearest,
    empty_components,
    entrance_parameter,
    field_values,
    network_parameters,
    population_raster,
    report_unreachable,
    share_finalizer,
    weighted_mean_finalize,
)

HIGH_CAPACITY_VALUES = (
    "high",
    "tram",
    "train",
    "rail",
    "metro",
    "subway",
    "light_rail",
    "brt",
    "ferry",
)

ACCESS_NOTE = (
    "Origins: population cell centres, weighted by people × coverage fraction; origins and "
    "facilities snapped to the nearest street edge (connector + along-edge distance)."
)


# -- SDG 11.2.1 ------------------------------------------------------------------------------
def transit_capacity_rows(inputs: Inputs, params: Mapping[str, Any]):
    """Rows of the high- and low-capacity stops (stops without the field count as low)."""
    stops = inputs.layer("transit_stops")
    values = field_values(inputs, "transit_stops", "capacity")
    high_values = {str(value).lower() for value in params["high_capacity_values"]}
    if values is None:
        inputs.warn(
            "sdg_11_2_1: the transit_stops layer has no capacity field "
            "([layers].transit_stops.capacity); every stop is taken as low-capacity (bus)."
        )
        high = np.zeros(len(stops), dtype=bool)
    else:
        high = values.astype("string").str.strip().str.lower().isin(high_values).to_numpy(bool)
    return np.flatnonzero(high), np.flatnonzero(~high)


@indicator(
    id="sdg_11_2_1",
    title={
        "en": "Convenient access to public transport",
        "fr": "Accès commode aux transports publics",
        "ar": "الوصول الملائم إلى وسائل النقل العام",
    },
    description={
        "en": "SDG 11.2.1: share of the population within 500 m walking along the streets of "
        "a low-capacity stop (bus) or 1000 m of a high-capacity stop (tram, train, metro).",
        "fr": "ODD 11.2.1 : part de la population à moins de 500 m à pied par les rues d'un "
        "arrêt de faible capacité (bus) ou à moins de 1000 m d'un arrêt de grande capacité "
        "(tramway, train, métro).",
        "ar": "هدف التنمية المستدامة 11.2.1: نسبة السكان الذين يقيمون على مسافة لا تتجاوز 500 م "
        "سيرًا على الأقدام عبر الشوارع من محطة منخفضة السعة (حافلة) أو 1000 م من محطة عالية السعة "
        "(ترامواي، قطار، مترو).",
    },
    unit="%",
    theme="access",
    references=("SDG 11.2.1", "UN-Habitat SDG 11.2.1 metadata (2021)"),
    method="100 × Σ_k c_k P_k [d_low,k ≤ 500 m or d_high,k ≤ 1000 m] / Σ_k c_k P_k, d along "
    "the street network from each population cell centre k. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "transit_stops"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=share_finalizer("low_capacity_share", "high_capacity_share"),
    params=(
        Parameter(
            "low_capacity_m",
            500.0,
            "walking distance to a low-capacity stop (m)",
            **METRES,
        ),
        Parameter(
            "high_capacity_m",
            1000.0,
            "walking distance to a high-capacity stop (m)",
            **METRES,
        ),
        Parameter(
            "high_capacity_values",
            list(HIGH_CAPACITY_VALUES),
            "values of the stops' capacity field meaning high capacity (others are low)",
            kind="texts",
        ),
        *network_parameters(),
    ),
)
def sdg_11_2_1(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the population with convenient access to public transport.

    Formula: a person is covered when d_low ≤ 500 m **or** d_high ≤ 1000 m (both ≤), with d
    the walking distance along the street network to the nearest low-capacity (bus) and
    high-capacity (tram, train, metro, BRT when so tagged) stop:
    value = 100 × Σ_k c_k P_k covered_k / Σ_k c_k P_k over population cells k (people P,
    coverage fraction c). Components: ``low_capacity_share`` (d_low ≤ 500 m),
    ``high_capacity_share`` (d_high ≤ 1000 m), ``unreachable_population`` (no stop of either
    kind reachable). Seed: 700 m from a bus stop and 900 m from a tram stop → covered; 700 m
    from a bus stop only → not; exactly 500.0 m → covered.
    Source: UN-Habitat, SDG indicator 11.2.1 metadata (September 2021).
    """
    columns = (
        "numerator",
        "denominator",
        "low_capacity_share",
        "high_capacity_share",
        "unreachable_population",
    )
    raster = population_raster(inputs, period, "sdg_11_2_1")
    if raster is None:
        return empty_components(inputs, columns)
    high_rows, low_rows = transit_capacity_rows(inputs, params)
    cells, d_low = distance_to_nearest(
        inputs, raster, "transit_stops", params, rows=low_rows, label="low"
    )
    _, d_high = distance_to_nearest(
        inputs, raster, "transit_stops", params, rows=high_rows, label="high"
    )
    low = d_low <= float(params["low_capacity_m"])
    high = d_high <= float(params["high_capacity_m"])
    values = {
        "numerator": low | high,
        "denominator": np.ones(cells.size),
        "low_capacity_share": low,
        "high_capacity_share": high,
        "unreachable_population": np.isinf(d_low) & np.isinf(d_high),
    }
    frame = weighted_frame(inputs, raster, cells, values)
    report_unreachable(
        inputs,
        "sdg_11_2_1",
        period,
        "public transport stop",
        frame["unreachable_population"],
        frame["denominator"],
    )
    return frame


# -- SDG 11.7.1 access -----------------------------------------------------------------------
@indicator(
    id="sdg_11_7_1_access",
    title={
        "en": "Access to open public space",
        "fr": "Accès aux espaces publics ouverts",
        "ar": "الوصول إلى المساحات العامة المفتوحة",
    },
    description={
        "en": "SDG 11.7.1 (access): share of the population within 400 m walking along the "
        "streets of an open public space.",
        "fr": "ODD 11.7.1 (accès) : part de la population à moins de 400 m à pied par les rues "
        "d'un espace public ouvert.",
        "ar": "هدف التنمية المستدامة 11.7.1 (الوصول): نسبة السكان الذين يقيمون على مسافة لا "
        "تتجاوز 400 م سيرًا على الأقدام عبر الشوارع من مساحة عامة مفتوحة.",
    },
    unit="%",
    theme="access",
    references=("SDG 11.7.1", "UN-Habitat SDG 11.7.1 training module (2018)"),
    method="100 × Σ_k c_k P_k [d_k ≤ 400 m] / Σ_k c_k P_k, d along the streets to the nearest "
    "entrance (boundary point) of an open public space. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "open_spaces"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=share_finalizer(),
    params=(
        Parameter("threshold_m", 400.0, "walking distance to an open public space (m)", **METRES),
        entrance_parameter(),
        *network_parameters(),
    ),
)
def sdg_11_7_1_access(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the population within 400 m walking of an open public space.

    Formula: value = 100 × Σ_k c_k P_k [d_k ≤ 400 m] / Σ_k c_k P_k, where d_k is the network
    distance from population cell centre k to the nearest entrance of an open public space
    (its boundary, sampled every ``entrance_spacing_m``, snapped to the nearest street edge).
    Source: UN-Habitat SDG 11.7.1 metadata and training module (2018); SEDAC SDG 11.7.1
    (2023 release) "population within 400 meters of open public space".
    """
    return coverage_components(
        inputs,
        period,
        params,
        indicator_id="sdg_11_7_1_access",
        role="open_spaces",
        threshold=float(params["threshold_m"]),
    )


# -- schools and health ---------------------------------------------------------------------
@indicator(
    id="school_access",
    title={
        "en": "Access to schools",
        "fr": "Accès aux écoles",
        "ar": "الوصول إلى المدارس",
    },
    description={
        "en": "Share of the population within walking distance (default 1000 m along the "
        "streets) of a school.",
        "fr": "Part de la population à distance de marche (1000 m par les rues par défaut) "
        "d'une école.",
        "ar": "نسبة السكان الذين يقيمون على مسافة مشي (1000 م عبر الشوارع افتراضيًا) من مدرسة.",
    },
    unit="%",
    theme="access",
    references=("UN-Habitat UMF (education access)",),
    method="100 × Σ_k c_k P_k [d_k ≤ threshold] / Σ_k c_k P_k, d along the streets to the "
    "nearest school. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "schools"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=share_finalizer(),
    params=(
        Parameter("threshold_m", 1000.0, "walking distance to a school (m)", **METRES),
        *network_parameters(),
    ),
)
def school_access(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the population within ``threshold_m`` (default 1000 m) of a school.

    Formula: value = 100 × Σ_k c_k P_k [d_k ≤ threshold] / Σ_k c_k P_k with d_k the network
    distance from population cell k to the nearest school (one multi-source shortest-path pass).
    Source: research §7.1 (nearest-facility network distance); UN-Habitat UMF.
    """
    return coverage_components(
        inputs,
        period,
        params,
        indicator_id="school_access",
        role="schools",
        threshold=float(params["threshold_m"]),
    )


@indicator(
    id="health_access",
    title={
        "en": "Access to health facilities",
        "fr": "Accès aux établissements de santé",
        "ar": "الوصول إلى المؤسسات الصحية",
    },
    description={
        "en": "Share of the population within walking distance (default 2400 m, 30 minutes at "
        "4.8 km/h, along the streets) of a health facility.",
        "fr": "Part de la population à distance de marche (2400 m par défaut, 30 minutes à "
        "4,8 km/h, par les rues) d'un établissement de santé.",
        "ar": "نسبة السكان الذين يقيمون على مسافة مشي (2400 م افتراضيًا، أي 30 دقيقة بسرعة 4.8 "
        "كم/ساعة، عبر الشوارع) من مؤسسة صحية.",
    },
    unit="%",
    theme="access",
    references=("UN-Habitat UMF (health access)", "GHSCI walking speed 4.8 km/h"),
    method="100 × Σ_k c_k P_k [d_k ≤ threshold] / Σ_k c_k P_k, d along the streets to the "
    "nearest health facility. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "health"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=share_finalizer(),
    params=(
        Parameter("threshold_m", 2400.0, "walking distance to a health facility (m)", **METRES),
        *network_parameters(),
    ),
)
def health_access(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the population within ``threshold_m`` of a health facility.

    Formula: value = 100 × Σ_k c_k P_k [d_k ≤ threshold] / Σ_k c_k P_k. Default threshold
    2400 m = 30 minutes of walking at 4.8 km/h (the walking speed of GHSCI and UN-Habitat).
    Source: research §7.1.
    """
    return coverage_components(
        inputs,
        period,
        params,
        indicator_id="health_access",
        role="health",
        threshold=float(params["threshold_m"]),
    )


@indicator(
    id="school_distance",
    title={
        "en": "Distance to the nearest school",
        "fr": "Distance à l'école la plus proche",
        "ar": "المسافة إلى أقرب مدرسة",
    },
    description={
        "en": "Population-weighted mean walking distance along the streets to the nearest "
        "school (people who cannot reach one are reported apart, not averaged).",
        "fr": "Distance moyenne à pied par les rues à l'école la plus proche, pondérée par la "
        "population (les personnes sans accès sont comptées à part).",
        "ar": "متوسط مسافة المشي عبر الشوارع إلى أقرب مدرسة، مرجّحًا بعدد السكان (يُحسب السكان "
        "الذين لا يمكنهم الوصول إلى أي مدرسة على حدة ولا يدخلون في المتوسط).",
    },
    unit="m",
    theme="access",
    references=("UN-Habitat UMF (education access)",),
    method="Σ_k c_k P_k d_k / Σ_k c_k P_k over the reachable cells k. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "schools"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=weighted_mean_finalize,
    params=network_parameters(),
)
def school_distance(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Population-weighted mean network distance to the nearest school.

    Formula: value = Σ_k c_k P_k d_k / Σ_k c_k P_k over the population cells k that can reach
    a school (d_k finite); the people of the other cells are the ``unreachable_population``
    component, never counted at 0 m. Source: research §7.1.
    """
    columns = ("numerator", "denominator", "unreachable_population")
    raster = population_raster(inputs, period, "school_distance")
    if raster is None:
        return empty_components(inputs, columns)
    cells, distance = distance_to_nearest(inputs, raster, "schools", params)
    reachable = np.isfinite(distance)
    values = {
        "numerator": np.where(reachable, distance, 0.0),
        "denominator": reachable,
        "unreachable_population": ~reachable,
    }
    frame = weighted_frame(inputs, raster, cells, values)
    report_unreachable(
        inputs,
        "school_distance",
        period,
        "school",
        frame["unreachable_population"],
        frame["denominator"] + frame["unreachable_population"],
    )
    return frame
