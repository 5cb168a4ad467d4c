"""Checks of module 6 (access).

``school_access_map`` recomputes, with the library, the walking distance from every populated
cell of the 2024 population grid to the nearest school (the distances that
``observatory access data --to schools`` writes), then the share of populated cells and the
share of people within 1000 m. ``transit_rule`` calls the trainee's SDG 11.2.1 rule on cases
worked out by hand. ``weakest_access`` compares the answers with one engine run of
``school_access`` and ``sdg_11_2_1`` by commune and province, shared by the checks of a
session.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from observatory.engine import build_inputs, load_checked_layers, run
from observatory.hierarchy import unit_hierarchy
from observatory.indicators.registry import get_indicator
from observatory.indicators.walking import distance_to_nearest
from observatory.io.vector import read_layer
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake, number_item, text_item, unanswered_item

YEAR = 2024
SCHOOL_THRESHOLD_M = 1000.0
LOWEST_COUNT = 3
PEOPLE_FOR_CELLS = (
    "that is the share of people; this question counts populated cells, each cell once.",
    "c'est la part des habitants ; cette question compte les cellules peuplées, chacune une fois.",
)
CELLS_FOR_PEOPLE = (
    "that is the share of populated cells; this question weighs each cell by its people.",
    "c'est la part des cellules peuplées ; cette question pèse chaque cellule par ses habitants.",
)


# -- school_access_map -------------------------------------------------------------------------
def _school_map_facts(project_file):
    """Shares (%) of populated cells and of people within 1000 m of a school, in 2024.

    Populated cells: people > 0 in the 2024 grid. Cells that cannot reach a school have an
    infinite distance and count as not near (never as 0 m).
    """
    checked = load_checked_layers(load_project(project_file))
    inputs = build_inputs(checked.layers, unit_hierarchy(checked.layers, checked.parent_ids))
    population = inputs.raster("population", YEAR)
    params = get_indicator("school_access").resolve_params()
    cells, distance = distance_to_nearest(inputs, population, "schools", params)
    people = population.filled(0.0).ravel()[cells]
    populated = people > 0
    near = populated & (distance <= SCHOOL_THRESHOLD_M)
    return {
        "cells_percent": 100.0 * near.sum() / populated.sum(),
        "people_percent": 100.0 * people[near].sum() / people[populated].sum(),
    }


def check_school_access_map(context):
    """Share of populated cells and share of people within 1000 m (±0.1 point), and which
    explanation of their difference the numbers support."""
    answers = context.answers("06_access/map_answers.toml")
    facts = context.shared("school_map_facts", lambda: _school_map_facts(context.project_file))
    people_concentrated = facts["people_percent"] > facts["cells_percent"]
    return [
        number_item(
            "Populated cells within 1000 m of a school (%)",
            "Cellules peuplées à moins de 1000 m d'une école (%)",
            answers.get("populated_cells_within_1km_percent"),
            facts["cells_percent"],
            abs=0.1,
            mistakes=[Mistake(facts["people_percent"], *PEOPLE_FOR_CELLS)],
        ),
        number_item(
            "People within 1000 m of a school (%)",
            "Habitants à moins de 1000 m d'une école (%)",
            answers.get("people_within_1km_percent"),
            facts["people_percent"],
            abs=0.1,
            mistakes=[Mistake(facts["cells_percent"], *CELLS_FOR_PEOPLE)],
        ),
        text_item(
            "Why the two shares differ",
            "Pourquoi les deux parts diffèrent",
            answers.get("explanation"),
            "A" if people_concentrated else "B",
        ),
    ]


# -- transit_rule ------------------------------------------------------------------------------
def _covered_item(function, d_low, d_high, expected, label_en, label_fr):
    got = np.asarray(function(np.array([d_low]), np.array([d_high])))
    right = got.shape == (1,) and bool(got[0]) is expected
    if right:
        return (
            True,
            f"{label_en}: {'covered' if expected else 'not covered'}, right.",
            f"{label_fr} : {'desservi' if expected else 'non desservi'}, juste.",
        )
    return (
        False,
        f"{label_en}: should be {'covered' if expected else 'not covered'}.",
        f"{label_fr} : devrait être {'desservi' if expected else 'non desservi'}.",
    )


def check_transit_rule(context):
    """The rule on hand-worked cases (thresholds inclusive, unreachable = inf) and the
    population-weighted share."""
    module = context.load_module("06_access/transit.py")
    inf = math.inf
    cases = [
        (700.0, 900.0, True, "Bus 700 m, tram 900 m", "Bus 700 m, tram 900 m"),
        (700.0, inf, False, "Bus 700 m, no tram", "Bus 700 m, pas de tram"),
        (500.0, inf, True, "Bus at exactly 500 m", "Bus à 500 m tout juste"),
        (inf, 1000.0, True, "Train at exactly 1000 m", "Train à 1000 m tout juste"),
        (inf, inf, False, "No stop reachable", "Aucun arrêt accessible"),
    ]
    items = [
        _covered_item(module.covered, d_low, d_high, expected, label_en, label_fr)
        for d_low, d_high, expected, label_en, label_fr in cases
    ]
    # the five cases at once: 'or' between two arrays of one value passes the cases above
    together = np.asarray(
        module.covered(np.array([c[0] for c in cases]), np.array([c[1] for c in cases]))
    )
    right = together.shape == (len(cases),) and [bool(v) for v in together] == [c[2] for c in cases]
    items.append(
        (
            right,
            "The five cases at once, as arrays: right."
            if right
            else "The five cases at once, as arrays of five distances, do not give the same "
            "answers: compare whole arrays with <= and combine them with |.",
            "Les cinq cas d'un coup, en tableaux : juste."
            if right
            else "Les cinq cas d'un coup, en tableaux de cinq distances, ne donnent pas les "
            "mêmes réponses : comparez des tableaux entiers avec <= et combinez-les avec |.",
        )
    )
    # 100 people 200 m from a bus stop (covered), 300 people 700 m from a bus stop and 900 m
    # from a tram stop (covered), 600 people who reach no stop (not covered, still counted):
    # 100 × (100 + 300) / (100 + 300 + 600) = 40 %.
    people = np.array([100.0, 300.0, 600.0])
    d_low = np.array([200.0, 700.0, inf])
    d_high = np.array([inf, 900.0, inf])
    share = module.covered_share(people, d_low, d_high)
    items.append(
        number_item(
            "Share covered: 100 + 300 of 1000 people",
            "Part desservie : 100 + 300 sur 1000 habitants",
            share,
            40.0,
            rel=1e-9,
            mistakes=[
                Mistake(
                    100.0,
                    "you divided by the people who reach a stop; divide by all the people, "
                    "the 600 who reach none included.",
                    "vous avez divisé par les personnes qui atteignent un arrêt ; divisez par "
                    "toute la population, y compris les 600 qui n'en atteignent aucun.",
                )
            ],
        )
    )
    untouched = people.tolist() == [100.0, 300.0, 600.0] and math.isinf(d_low[2])
    items.append(
        (
            untouched,
            "Your functions leave their inputs unchanged.",
            "Vos fonctions ne modifient pas leurs entrées.",
        )
    )
    return items


# -- weakest_access ----------------------------------------------------------------------------
def _access_table(project_file):
    results = run(
        load_project(project_file),
        indicator_ids=["school_access", "sdg_11_2_1"],
        levels=["commune", "province"],
    )
    return results.long_table()


def _values(table, indicator, level):
    rows = table[(table["indicator"] == indicator) & (table["level"] == level)]
    return rows.set_index("unit_id")["value"].astype(float)


def _codes_item(label_en, label_fr, got, expected):
    """Are the codes of the list ``got`` those of ``expected``, in any order?"""
    if got is None or (isinstance(got, str) and "TODO" in got):
        return unanswered_item(label_en, label_fr)
    if isinstance(got, str) or not isinstance(got, list):
        return (
            False,
            f'{label_en}: write a list of {len(expected)} codes, e.g. ["04.281.01.01", ...].',
            f"{label_fr} : écrivez une liste de {len(expected)} codes, p. ex. "
            '["04.281.01.01", ...].',
        )
    codes = {str(code).strip() for code in got}
    right = len(got) == len(expected) and codes == set(expected)
    found = len(codes & set(expected))
    return (
        right,
        f"{label_en}: {found} of {len(expected)} right" + ("." if right else "; look again."),
        f"{label_fr} : {found} sur {len(expected)} justes"
        + ("." if right else " ; regardez encore."),
    )


def check_weakest_access(context):
    """The three communes with the lowest school access, the province with the lowest
    SDG 11.2.1 and its value (±0.05), the school access of the lowest commune's province
    (±0.05), and whether that value is the plain mean of its communes' values."""
    answers = context.answers("06_access/answers.toml")
    table = context.shared("access_table", lambda: _access_table(context.project_file))
    school = _values(table, "school_access", "commune")
    transit = _values(table, "sdg_11_2_1", "province")
    if school.empty or transit.empty:
        raise CheckFailed(
            "The sample has no school access or SDG 11.2.1 values.",
            "L'exemple n'a pas de valeurs d'accès aux écoles ou d'ODD 11.2.1.",
        )
    lowest = school.nsmallest(LOWEST_COUNT)
    weakest_province = transit.idxmin()
    communes = read_layer(context.data / "units.gpkg", layer="communes")
    province_of = pd.Series(
        communes["province_code"].astype(str).to_numpy(), index=communes["code"].astype(str)
    )
    home_province = province_of[lowest.index[0]]
    province_school = _values(table, "school_access", "province")
    home_communes = school[province_of.reindex(school.index) == home_province]
    plain_mean = math.isclose(province_school[home_province], home_communes.mean(), rel_tol=1e-9)
    return [
        _codes_item(
            "Three communes with the lowest school access",
            "Les trois communes au plus faible accès aux écoles",
            answers.get("lowest_school_access"),
            list(lowest.index),
        ),
        text_item(
            "Province with the lowest SDG 11.2.1",
            "Province au plus faible ODD 11.2.1",
            answers.get("lowest_sdg_11_2_1_province"),
            weakest_province,
        ),
        number_item(
            "Its SDG 11.2.1 (%)",
            "Son ODD 11.2.1 (%)",
            answers.get("lowest_sdg_11_2_1_percent"),
            float(transit.min()),
            abs=0.05,
        ),
        number_item(
            "School access of the province of the lowest commune (%)",
            "Accès aux écoles de la province de la commune la plus faible (%)",
            answers.get("home_province_school_access_percent"),
            float(province_school[home_province]),
            abs=0.05,
            mistakes=[
                Mistake(
                    float(home_communes.mean()),
                    "that is the plain mean of its communes; read the province's own row "
                    "(its numerator over its denominator).",
                    "c'est la moyenne simple de ses communes ; lisez la ligne de la province "
                    "elle-même (son numérateur sur son dénominateur).",
                )
            ],
        ),
        text_item(
            "The province's value is the plain mean of its communes' values",
            "La valeur de la province est la moyenne simple de celles de ses communes",
            answers.get("province_is_mean_of_communes"),
            plain_mean,
        ),
    ]
