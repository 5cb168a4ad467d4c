"""Degree of Urbanisation of the units (stage 2) and the population shares per grid class.

For each year with a population grid, the grid is summed to 1 km cells, classified at
level 2 (stage 1, :mod:`observatory.degurba`), and every fine population cell takes the class
of the 1 km cell that contains it. The additive components of a unit are its population in
each grid class, with exact cell-coverage fractions (and its area in each class, for units
without population). Classes and shares at every level are recomputed from these summed
components, never voted from the children's classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from observatory.degurba import (
    LEVEL2_CODES,
    UNIT_LEVEL1_CODES,
    UNIT_LEVEL2_CODES,
    classify_rasters,
    classify_units,
    repeat_to_fine_grid,
    rules_from_name,
)
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Parameter, Period, indicator, ratio_quality
from observatory.kernels.cell_areas import cell_areas_m2
from observatory.kernels.grid import Raster
from observatory.reasons import MISSING_POPULATION, NO_POPULATION

GRID_CODES = tuple(LEVEL2_CODES)
POPULATION_COLUMNS = [f"population_{code}" for code in GRID_CODES]
AREA_COLUMNS = [f"area_{code}" for code in GRID_CODES]
PARAMETERS = (
    Parameter(
        "rules",
        "ghsl-2023",
        "grid rule set: ghsl-2023, ghsl-2022 or eurostat-2021",
        kind="choice",
        choices=("ghsl-2023", "ghsl-2022", "eurostat-2021"),
    ),
    Parameter(
        "unit_rules",
        "2024",
        "unit rules for level 2: 2024 or 2021",
        kind="choice",
        choices=("2024", "2021"),
    ),
)
REFERENCES = (
    "Degree of Urbanisation (UN Statistical Commission, 2020)",
    "Eurostat et al., Applying the Degree of Urbanisation (2021), ch. 7",
    "GHSL Data Package 2023",
)


def grid_classes(inputs: Inputs, year: int, rules_name: str) -> Raster:
    """Level 2 class of every 1 km cell of the population grid of ``year`` (summed from the
    fine grid a band of rows at a time; once per year and rule set)."""

    def compute() -> Raster:
        population = inputs.raster("population", year)
        built_year = year if year in inputs.years("built_up") else None
        if inputs.has("built_up") and built_year is None:
            inputs.warn(
                f"Degree of Urbanisation {year}: no built-up grid of {year}; the built-up "
                "criterion of urban centres is not applied."
            )
        # The plan leaves out the years whose built-up or land grid is not on the population
        # grid (observatory.checks.grids.degurba_inputs_reason).
        built = inputs.raster("built_up", built_year) if built_year else None
        classes, _ = classify_rasters(
            population,
            rules=rules_from_name(rules_name),
            level=2,
            built_up=built,
            land=inputs.raster("land") if inputs.has("land") else None,
            executor=inputs.executor,
        )
        return classes

    return inputs.cached(("degurba", year, rules_name), compute)


def class_components(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Population and area (km²) of every unit in every level 2 grid class (once per year
    and rule set: the three urbanisation indicators share them).

    ``P[i, k] = Σ_c c_ic · p_c · [class(c) = k]`` and ``A[i, k] = Σ_c c_ic · a_c ·
    [class(c) = k]`` over the fine population cells ``c`` (coverage ``c_ic``, people ``p_c``,
    area on the ellipsoid ``a_c`` in km²), each cell carrying the class of its 1 km cell;
    summed a band of rows at a time (:meth:`Inputs.zonal_blocks`).
    """

    def compute() -> pd.DataFrame:
        population = inputs.raster("population", period.end)
        classes = grid_classes(inputs, period.end, params["rules"])
        grid = population.grid

        def cell_values(start: int, stop: int) -> dict[str, np.ndarray]:
            block_classes = repeat_to_fine_grid(classes, grid.rows(start, stop))
            people = population.window(start, stop).filled(0.0)
            area = cell_areas_m2(grid.rows(start, stop)) / 1e6
            values = {}
            for code in GRID_CODES:
                here = block_classes == code
                values[f"population_{code}"] = np.where(here, people, 0.0)
                values[f"area_{code}"] = np.where(here, area, 0.0)
            return values

        # every class in one pass: the units' coverage of each block is built once
        sums = inputs.zonal_blocks(grid, cell_values, label="Degree of Urbanisation")
        return pd.DataFrame(sums, index=inputs.units.index)[POPULATION_COLUMNS + AREA_COLUMNS]

    return inputs.cached(("degurba components", period.end, params["rules"]), compute)


def _unit_classes(components: pd.DataFrame, level: int, unit_rules: str) -> np.ndarray:
    return classify_units(
        components[POPULATION_COLUMNS].to_numpy(),
        GRID_CODES,
        area_by_class=components[AREA_COLUMNS].to_numpy(),
        level=level,
        rules=str(unit_rules),
    )


def _class_finalizer(level: int, names: Mapping[int, str]):
    def finalize(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
        codes = _unit_classes(components, level, params["unit_rules"])
        return pd.DataFrame(
            {"value": codes.astype("float64"), "class": [names[int(c)] for c in codes]},
            index=components.index,
        )

    return finalize


@indicator(
    id="degurba_l1",
    title={
        "en": "Degree of Urbanisation (level 1)",
        "fr": "Degré d'urbanisation (niveau 1)",
        "ar": "درجة التحضر (المستوى 1)",
    },
    description={
        "en": "3 city, 2 town and semi-dense area, 1 rural area, from the population shares "
        "of the unit in the grid classes.",
        "fr": "3 ville, 2 ville moyenne et zone semi-dense, 1 zone rurale, d'après la part de "
        "la population de l'unité dans chaque classe de la grille.",
        "ar": "3 مدينة، 2 بلدة ومنطقة شبه كثيفة، 1 منطقة ريفية، وفقًا لحصص سكان الوحدة في فئات "
        "الشبكة.",
    },
    unit="class",
    theme="urbanisation",
    references=REFERENCES,
    method="city if P(urban centre) / P ≥ 50 %; rural if P(rural cells) / P > 50 %; else town",
    needs=("population_grid",),
    kind="class",
    finalize=_class_finalizer(1, UNIT_LEVEL1_CODES),
    params=PARAMETERS,
    years_from=("population_grid",),
)
def degurba_l1(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Degree of Urbanisation of each unit, level 1.

    Formula: with s_UC, s_R the shares of the unit's population in urban-centre and rural
    grid cells (exact coverage of the 100 m population cells, each carrying the class of its
    1 km cell): city (3) if s_UC ≥ 0.5, rural area (1) if s_R > 0.5, else town and semi-dense
    area (2). Units without population are classified by their land area shares. Source:
    Eurostat et al. (2021), *Applying the Degree of Urbanisation*, chapter 7.
    """
    return class_components(inputs, period, params)


@indicator(
    id="degurba_l2",
    title={
        "en": "Degree of Urbanisation (level 2)",
        "fr": "Degré d'urbanisation (niveau 2)",
        "ar": "درجة التحضر (المستوى 2)",
    },
    description={
        "en": "30 city, 23 dense town, 22 semi-dense town, 21 suburban or peri-urban area, "
        "13 village, 12 dispersed rural area, 11 mostly uninhabited area.",
        "fr": "30 ville, 23 ville dense, 22 ville semi-dense, 21 zone suburbaine ou "
        "périurbaine, 13 village, 12 zone rurale dispersée, 11 zone presque inhabitée.",
        "ar": "30 مدينة، 23 بلدة كثيفة، 22 بلدة شبه كثيفة، 21 منطقة ضواحٍ أو شبه حضرية، 13 قرية، "
        "12 منطقة ريفية متناثرة، 11 منطقة شبه خالية من السكان.",
    },
    unit="class",
    theme="urbanisation",
    references=REFERENCES,
    method="level 1 class refined by the shares of dense, semi-dense, suburban, rural cluster, "
    "low and very low density cells (2024 rules by default)",
    needs=("population_grid",),
    kind="class",
    finalize=_class_finalizer(2, UNIT_LEVEL2_CODES),
    params=PARAMETERS,
    years_from=("population_grid",),
)
def degurba_l2(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Degree of Urbanisation of each unit, level 2.

    Formula (2024 rules): towns are dense towns when s_UC + s_DUC ≥ 0.5, else suburban when
    s_SUrb + s_R ≥ 0.5, else semi-dense towns; rural areas are villages when
    s_UC + s_UCL + s_RC ≥ 0.5, else mostly uninhabited when s_VLDR ≥ 0.5, else dispersed
    rural areas. Source: Eurostat online manual, chapter 7 (update of July 2024); the 2021
    plurality rules with ``unit_rules = "2021"``.
    """
    return class_components(inputs, period, params)


def finalize_urban_centre_share(
    components: pd.DataFrame, period: Period, params: Mapping[str, Any]
) -> pd.DataFrame:
    """Shares (%) of the non-water population in urban centres, urban clusters, rural cells;
    empty, with the reason in ``quality``, where nobody lives outside water cells."""
    total = components[[f"population_{c}" for c in GRID_CODES if c != 10]].sum(axis=1)
    centre = components["population_30"]
    cluster = components[["population_23", "population_22", "population_21"]].sum(axis=1)
    rural = components[["population_13", "population_12", "population_11"]].sum(axis=1)
    safe = total.where(total > 0)
    return pd.DataFrame(
        {
            "value": 100 * centre / safe,
            "numerator": centre,
            "denominator": total,
            "cluster_share": 100 * cluster / safe,
            "rural_share": 100 * rural / safe,
            "quality": ratio_quality(centre, total, zero=NO_POPULATION, missing=MISSING_POPULATION),
        },
        index=components.index,
    )


@indicator(
    id="urban_centre_population_share",
    title={
        "en": "Population in urban centres",
        "fr": "Population dans les centres urbains",
        "ar": "السكان في المراكز الحضرية",
    },
    description={
        "en": "Share of the population living in urban-centre cells (with the urban-cluster "
        "and rural shares as components).",
        "fr": "Part de la population vivant dans les cellules de centre urbain (avec les parts "
        "des agglomérations urbaines et du rural en composantes).",
        "ar": "نسبة السكان المقيمين في خلايا المراكز الحضرية (مع حصتي التجمعات الحضرية والمناطق "
        "الريفية كمكوّنين).",
    },
    unit="%",
    theme="urbanisation",
    references=REFERENCES,
    method="100 × P(urban centre cells) / P(all land cells)",
    needs=("population_grid",),
    kind="ratio",
    finalize=finalize_urban_centre_share,
    component_units={"cluster_share": "%", "rural_share": "%"},
    params=PARAMETERS,
    years_from=("population_grid",),
)
def urban_centre_population_share(
    inputs: Inputs, period: Period, params: Mapping[str, Any]
) -> pd.DataFrame:
    """Share of the population in urban centres, urban clusters and rural grid cells.

    Formula: 100 × Σ_i c_i p_i [class_i = 30] / Σ_i c_i p_i [class_i ≠ 10] (and the same for
    codes 21–23 and 11–13). Source: Eurostat et al. (2021), chapter 7.
    """
    return class_components(inputs, period, params)
