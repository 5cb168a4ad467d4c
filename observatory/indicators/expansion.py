"""Urban extent and expansion indicators (Atlas of Urban Expansion): the urban extent's area,
and the added area between two years split into infill, extension, leapfrog and inclusion.

Built-up grids are in m² of built-up surface per cell (GHSL BUILT-S); each cell's m² are
summed in km² on the ellipsoid a band of rows at a time
(:func:`~observatory.indicators.urban_extent.surfaces_km2`).
The rules of the extent and of the types are in :mod:`observatory.kernels.extent` and
:mod:`observatory.kernels.change`, and in ``docs/methods/expansion.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Parameter, Period, indicator
from observatory.indicators.urban_extent import (
    EXTENT_PARAMETERS,
    surfaces_km2,
    urban_extent_of,
)
from observatory.kernels.change import expansion_between

EXPANSION_PARAMETERS = (
    *EXTENT_PARAMETERS,
    Parameter(
        "min_new_m2",
        900.0,
        "new built-up m² from which a cell carries the contiguity of new development",
        kind="number",
        minimum=0,
        unit="m²",
    ),
)
EXTENT_METHOD = (
    "urban extent per the Atlas of Urban Expansion on built-up m²: circle share = Σ built-up "
    "m² / Σ cell m² within 564 m; built-up m² urban if > 0.5, suburban if 0.25-0.5, rural "
    "below; a cell with urban or suburban m² counts whole; the open m² of cells whose centre "
    "is ≤ 100 m from such a cell are fringe; the open m² of 4-connected groups of other "
    "cells touching neither the grid's edge nor nodata and holding < 200 ha of open land are "
    "captured; rural built-up m² are outside; every m² of cell i counts s_i = A_i / a, its "
    "area on the WGS 84 ellipsoid over its nominal area"
)
#: What the change indicators of the urban extent have in common.
EXPANSION_SPEC = {
    "unit": "km²",
    "theme": "land use",
    "needs": ("built_up",),
    "kind": "count",
    "period": "change",
    "params": EXPANSION_PARAMETERS,
    "years_from": ("built_up",),
    "compares_cells": ("built_up",),
}


@indicator(
    id="urban_extent_area",
    title={
        "en": "Urban extent area",
        "fr": "Surface de la tache urbaine",
        "ar": "مساحة الرقعة الحضرية",
    },
    description={
        "en": "Area of the urban extent of the Atlas of Urban Expansion: urban and suburban "
        "built-up land with its fringe (within 100 m) and captured (under 200 ha) open space.",
        "fr": "Surface de la tache urbaine de l'Atlas of Urban Expansion : bâti urbain et "
        "suburbain avec ses espaces ouverts de frange (à moins de 100 m) et enclavés (moins "
        "de 200 ha).",
        "ar": "مساحة الرقعة الحضرية وفق أطلس التوسع الحضري: الأراضي المبنية الحضرية وشبه "
        "الحضرية مع المساحات المفتوحة المحيطة بها (في حدود 100 م) والمحصورة داخلها (أقل من "
        "200 هكتار).",
    },
    unit="km²",
    theme="land use",
    references=("Atlas of Urban Expansion (Angel et al. 2016)", "SDG 11.7.1 (built-up area)"),
    method=f"A_E = Σ_i c_i · e_i / 10⁶, e_i the m² of cell i in the {EXTENT_METHOD}: e_i = "
    "cell area for urban and suburban cells, cell area − built-up m² for fringe and captured "
    "cells, 0 otherwise.",
    needs=("built_up",),
    kind="count",
    params=EXTENT_PARAMETERS,
    years_from=("built_up",),
)
def urban_extent_area(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Urban extent area in km².

    Formula: A_E = Σ_i c_i e_i / 10⁶ with e_i the m² of cell i inside the urban extent
    (:mod:`observatory.kernels.extent`). Source: Angel et al. (2016), *Atlas of Urban
    Expansion*, ch. 3.
    """
    extent = urban_extent_of(inputs, period.end, params)
    sums = surfaces_km2(
        inputs, extent.grid, lambda start, stop: {"numerator": extent.extent_m2(start, stop)}
    )
    return pd.DataFrame(sums, index=inputs.units.index)


def expansion_area_km2(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """km² of every unit by expansion type (infill, extension, leapfrog, inclusion)."""

    def compute() -> pd.DataFrame:
        change = expansion_between(
            urban_extent_of(inputs, period.start, params),
            urban_extent_of(inputs, period.end, params),
            min_new_m2=float(params["min_new_m2"]),
        )
        sums = surfaces_km2(inputs, change.classes.grid, change.area_m2)
        return pd.DataFrame(sums, index=inputs.units.index)

    key = ("expansion", period, tuple(sorted(params.items())))
    return inputs.cached(key, compute)


def share_of(total_column: str):
    """A finalizer: value = numerator (km²); share = 100 × numerator / ``total_column``."""

    def finalize(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
        numerator = components["numerator"].to_numpy(dtype="float64")
        total = components[total_column].to_numpy(dtype="float64")
        share = np.full(numerator.shape, np.nan)
        np.divide(100.0 * numerator, total, out=share, where=total > 0)
        return pd.DataFrame({"value": numerator, "share": share}, index=components.index)

    return finalize


NEW_TYPES = ("infill", "extension", "leapfrog")


def _expansion_indicator(kind_name: str, title: Mapping[str, str], description: Mapping[str, str]):
    def compute(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
        areas = expansion_area_km2(inputs, period, params)
        return pd.DataFrame(
            {"numerator": areas[kind_name], "new_built_up": areas[list(NEW_TYPES)].sum(axis=1)}
        )

    compute.__name__ = f"urban_expansion_{kind_name}"
    compute.__doc__ = f"""New built-up area of the {kind_name} type between two years, km².

    Formula: A_{kind_name} = Σ_i c_i · n_i · [type_i = {kind_name}] / 10⁶, n_i = max(b2_i −
    b1_i, 0) the new built-up m² of cell i (:mod:`observatory.kernels.change`); the ``share``
    component is 100 × A_{kind_name} / (A_infill + A_extension + A_leapfrog).
    {description["en"]} Source: Angel et al. (2016), *Atlas of Urban Expansion*, ch. 3.
    """
    return indicator(
        id=f"urban_expansion_{kind_name}",
        title=title,
        description=description,
        references=("Atlas of Urban Expansion (Angel et al. 2016)", "UN-Habitat UMF"),
        method=f"A_{kind_name} = Σ_i c_i n_i [type_i = {kind_name}] / 10⁶, n_i = max(b2_i − "
        "b1_i, 0) new built-up m²; infill: cell in the t1 urban extent E1; extension: outside "
        "E1, in an 8-connected cluster of cells with n_i ≥ min_new_m2 (900) touching E1, or "
        "touching E1 or such a cluster itself; leapfrog: the rest; infill + extension + "
        "leapfrog = Σ n_i (the built-up change where nothing is lost); share = 100 × "
        f"A_{kind_name} / Σ n_i. E1: {EXTENT_METHOD}.",
        finalize=share_of("new_built_up"),
        component_units={"share": "% of new built-up"},
        **EXPANSION_SPEC,
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


@indicator(
    id="urban_expansion_inclusion",
    title={
        "en": "Urban expansion: inclusion",
        "fr": "Extension urbaine : inclusion",
        "ar": "التوسع الحضري: الضمّ",
    },
    description={
        "en": "Open land that entered the urban extent between the two years without being "
        "built on (new fringe or captured open space).",
        "fr": "Espaces ouverts entrés dans la tache urbaine entre les deux années sans être "
        "bâtis (nouvelle frange ou nouvel espace enclavé).",
        "ar": "أراضٍ مفتوحة غير مبنية دخلت الرقعة الحضرية بين السنتين دون أن تُبنى (مساحات "
        "مفتوحة محيطة أو محصورة جديدة).",
    },
    references=("Atlas of Urban Expansion (Angel et al. 2016)",),
    method="A_inclusion = Σ_i c_i (a_i − b2_i) [i ∈ E2, i ∉ E1] / 10⁶: the open m² at t2 of "
    "the cells in the t2 urban extent and not in the t1 one; share = 100 × A_inclusion / "
    f"(Σ n_i + A_inclusion), the added area. E1, E2: {EXTENT_METHOD}.",
    finalize=share_of("added_area"),
    component_units={"share": "% of added area"},
    **EXPANSION_SPEC,
)
def urban_expansion_inclusion(
    inputs: Inputs, period: Period, params: Mapping[str, Any]
) -> pd.DataFrame:
    """Open land newly inside the urban extent, km².

    Formula: A_inclusion = Σ_i c_i (a_i − b2_i) [i ∈ E2 \\ E1] / 10⁶; the ``share`` component
    is 100 × A_inclusion / (A_infill + A_extension + A_leapfrog + A_inclusion). Source: Angel
    et al. (2016), *Atlas of Urban Expansion*, ch. 3 (composition of the added area).
    """
    areas = expansion_area_km2(inputs, period, params)
    return pd.DataFrame({"numerator": areas["inclusion"], "added_area": areas.sum(axis=1)})
