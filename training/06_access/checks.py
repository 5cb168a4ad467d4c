"""Checks of module 6 (access).

``school_access_map`` recomputes, with the library, the walking distance from every populated
cell of the 2024 population grid to the nearest school (the distances that
``observatory access data --to schools`` writes), then the share of populated cells and the
share of people within 1000 m. ``transit_rule`` calls the trainee's SDG 11.2.1 rule on cases
worked out by hand. ``weakest_access`` compares the answers with one engine run of
``school_access`` and ``sdg_11_2_1`` by commune and province, shared by the checks of a
session.

``health_access`` recomputes the distances to the nearest health facility (those of
``observatory access data --to health``) for the raster share, and runs the engine's
``health_access`` by commune and province for the province answers; its threshold is read
from the indicator's parameters. ``school_seats_2sfca`` calls the trainee's 2SFCA on the
hand-size example of the module page and on random cells and schools (a new draw each time),
each compared with the library's :func:`~observatory.kernels.network.paths.two_step_fca`.
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
from observatory.kernels.network.paths import two_step_fca
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
    # from a tram stop (covered), 500 people who reach no stop (not covered, still counted):
    # 100 × (100 + 300) / (100 + 300 + 500) = 44.44... %, not a whole number, so a share
    # rounded or made with // (floor division) is told.
    people = np.array([100.0, 300.0, 500.0])
    d_low = np.array([200.0, 700.0, inf])
    d_high = np.array([inf, 900.0, inf])
    share = module.covered_share(people, d_low, d_high)
    items.append(
        number_item(
            "Share covered: 100 + 300 of 900 people",
            "Part desservie : 100 + 300 sur 900 habitants",
            share,
            100.0 * 400.0 / 900.0,
            rel=1e-9,
            mistakes=[
                Mistake(
                    100.0,
                    "you divided by the people who reach a stop; divide by all the people, "
                    "the 500 who reach none included.",
                    "vous avez divisé par les personnes qui atteignent un arrêt ; divisez par "
                    "toute la population, y compris les 500 qui n'en atteignent aucun.",
                )
            ],
        )
    )
    untouched = people.tolist() == [100.0, 300.0, 500.0] and math.isinf(d_low[2])
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
    if len(got) != len(expected):
        return (
            False,
            f"{label_en}: {len(got)} codes where {len(expected)} are asked; keep the "
            f"{len(expected)} lowest.",
            f"{label_fr} : {len(got)} codes là où {len(expected)} sont demandés ; gardez les "
            f"{len(expected)} plus faibles.",
        )
    codes = {str(code).strip() for code in got}
    right = codes == set(expected)
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


# -- health_access -----------------------------------------------------------------------------
def _health_facts(project_file):
    """Threshold (m), share (%) of the people of 2024 within it (raster cells), and the same
    share within the school threshold, as ``observatory access --to health`` gives them."""
    checked = load_checked_layers(load_project(project_file))
    inputs = build_inputs(checked.layers, unit_hierarchy(checked.layers, checked.parent_ids))
    population = inputs.raster("population", YEAR)
    params = get_indicator("health_access").resolve_params()
    cells, distance = distance_to_nearest(inputs, population, "health", params)
    people = population.filled(0.0).ravel()[cells]
    populated = people > 0
    threshold = float(params["threshold_m"])

    def share(within):
        near = populated & within
        return 100.0 * people[near].sum() / people[populated].sum()

    return {
        "threshold_m": threshold,
        "people_percent": share(distance <= threshold),
        "cells_percent": 100.0 * (populated & (distance <= threshold)).sum() / populated.sum(),
        "school_threshold_percent": share(distance <= SCHOOL_THRESHOLD_M),
        "table": run(
            load_project(project_file),
            indicator_ids=["health_access"],
            levels=["commune", "province"],
        ).long_table(),
    }


def check_health_access(context):
    """The threshold in metres (exact), the share of people within it on the raster
    (±0.1 point), the province with the lowest health_access and its value (±0.05)."""
    answers = context.answers("06_access/health_answers.toml")
    facts = context.shared("health_facts", lambda: _health_facts(context.project_file))
    table = facts["table"]
    communes = _values(table, "health_access", "commune")
    provinces = _values(table, "health_access", "province")
    lowest = provinces.idxmin()
    its_communes = communes[communes.index.str.startswith(lowest + ".")]
    return [
        number_item(
            "Health threshold (m)",
            "Seuil de la santé (m)",
            answers.get("threshold_m"),
            facts["threshold_m"],
            mistakes=[
                Mistake(
                    30.0,
                    "that is the walking time in minutes; give the distance in metres "
                    "(minutes × the walking speed in m per minute).",
                    "c'est la durée de marche en minutes ; donnez la distance en mètres "
                    "(minutes × la vitesse de marche en m par minute).",
                ),
                Mistake(
                    SCHOOL_THRESHOLD_M,
                    "that is the threshold of school_access; health has its own.",
                    "c'est le seuil de school_access ; la santé a le sien.",
                ),
            ],
        ),
        number_item(
            "People within the health threshold (%)",
            "Habitants à moins du seuil de la santé (%)",
            answers.get("people_within_percent"),
            facts["people_percent"],
            abs=0.1,
            mistakes=[
                Mistake(facts["cells_percent"], *CELLS_FOR_PEOPLE),
                Mistake(
                    facts["school_threshold_percent"],
                    "that is the share within 1000 m, the school threshold; use the health "
                    "threshold.",
                    "c'est la part à moins de 1000 m, le seuil des écoles ; prenez celui de la "
                    "santé.",
                ),
            ],
        ),
        text_item(
            "Province with the lowest access to a health facility",
            "Province au plus faible accès à un établissement de santé",
            answers.get("lowest_province"),
            lowest,
        ),
        number_item(
            "Its access to a health facility (%)",
            "Son accès à un établissement de santé (%)",
            answers.get("lowest_province_percent"),
            float(provinces.min()),
            abs=0.05,
            mistakes=[
                Mistake(
                    float(its_communes.mean()),
                    "that is the plain mean of its communes; read the province's own row (its "
                    "people within the threshold over all its people).",
                    "c'est la moyenne simple de ses communes ; lisez la ligne de la province "
                    "elle-même (ses habitants à moins du seuil sur tous ses habitants).",
                )
            ],
        ),
    ]


# -- school_seats_2sfca ------------------------------------------------------------------------
HAND_PEOPLE = [500.0, 1000.0, 250.0]
HAND_SEATS = [60.0, 30.0, 45.0]
HAND_DISTANCE = [[400.0, 1500.0, 2500.0], [1000.0, 800.0, 3000.0], [math.inf, 600.0, 1800.0]]
CATCHMENT_M, SCHOOL_AGE_SHARE = 1000.0, 0.2


def _reference_2sfca(people, seats, distance, catchment, share):
    """The library's 2SFCA on the pairs of the distance matrix."""
    cell, school = np.nonzero(np.isfinite(distance))
    return two_step_fca(
        people * share, seats, cell, school, distance[cell, school], catchment=catchment
    )


def _wrong_2sfca(people, seats, distance, catchment, share):
    """What the usual mistakes give, with what to tell the trainee."""
    children = people * share
    inside = distance <= catchment

    def two_steps(children, inside, demand_of=None):
        demand = children @ inside if demand_of is None else demand_of
        ratio = np.divide(seats, demand, out=np.zeros(seats.size), where=demand > 0)
        return inside @ ratio

    return [
        (
            two_steps(children, distance < catchment),
            "a cell at exactly the catchment distance is inside it: use <=, not <.",
            "une cellule à la distance du bassin tout juste est dedans : utilisez <=, pas <.",
        ),
        (
            two_steps(people, inside),
            "these are seats per person: the demand is the children, people × school_age_share.",
            "ce sont des places par habitant : la demande, ce sont les enfants, habitants × "
            "school_age_share.",
        ),
        (
            two_steps(children, inside, demand_of=np.full(seats.size, children.sum())),
            "step 1 divides each school's seats by the children INSIDE its catchment, not by "
            "all the children.",
            "l'étape 1 divise les places de chaque école par les enfants DE son bassin, pas par "
            "tous les enfants.",
        ),
        (
            inside @ seats / np.where(children > 0, children, np.inf),
            "that divides the seats a cell can reach by its own children (a one-step ratio); "
            "2SFCA first shares each school among all the children of its catchment.",
            "cela divise les places qu'une cellule atteint par ses propres enfants (un rapport "
            "en une étape) ; la 2SFCA partage d'abord chaque école entre tous les enfants de "
            "son bassin.",
        ),
    ] + [
        (
            two_steps(people * used_share, distance <= used_catchment),
            f"these are the values for {what_en}: use the arguments catchment_m and "
            "school_age_share, not numbers written in the code.",
            f"ce sont les valeurs pour {what_fr} : utilisez les arguments catchment_m et "
            "school_age_share, pas des nombres écrits dans le code.",
        )
        for used_catchment, used_share, what_en, what_fr in (
            (CATCHMENT_M, share, f"{CATCHMENT_M:.0f} m", f"{CATCHMENT_M:.0f} m"),
            (
                catchment,
                SCHOOL_AGE_SHARE,
                f"a share of {SCHOOL_AGE_SHARE}",
                f"une part de {SCHOOL_AGE_SHARE}",
            ),
            (CATCHMENT_M, SCHOOL_AGE_SHARE, "the default values", "les valeurs par défaut"),
        )
        if (used_catchment, used_share) != (catchment, share)
    ]


def _array_item(label_en, label_fr, got, expected, mistakes):
    """Is ``got`` the array ``expected`` (one value per cell)? Names the mistake when one."""
    try:
        values = np.asarray(got, dtype=float).ravel()
    except (TypeError, ValueError):
        values = None
    if values is None or values.shape != expected.shape:
        kind = type(got).__name__
        return (
            False,
            f"{label_en}: expected an array of {expected.size} values (one per cell), got "
            f"{kind} {np.shape(got) if values is not None else ''}.",
            f"{label_fr} : un tableau de {expected.size} valeurs (une par cellule) est attendu, "
            f"pas {kind} {np.shape(got) if values is not None else ''}.",
        )
    if np.allclose(values, expected, rtol=1e-9, atol=1e-12):
        return True, f"{label_en}: right.", f"{label_fr} : juste."
    if np.isnan(values).any():
        return (
            False,
            f"{label_en}: some values are nan: a school with no child in its catchment gives "
            "0 / 0; give it R = 0 (np.divide with where=demand > 0).",
            f"{label_fr} : certaines valeurs sont nan : une école sans enfant dans son bassin "
            "donne 0 / 0 ; donnez-lui R = 0 (np.divide avec where=demand > 0).",
        )
    for wrong, message_en, message_fr in mistakes:
        if np.allclose(values, wrong, rtol=1e-9, atol=1e-12):
            return False, f"{label_en}: {message_en}", f"{label_fr} : {message_fr}"
    first = int(np.flatnonzero(~np.isclose(values, expected, rtol=1e-9, atol=1e-12))[0])
    return (
        False,
        f"{label_en}: cell {first} has {values[first]:.6g} instead of {expected[first]:.6g}.",
        f"{label_fr} : la cellule {first} a {values[first]:.6g} au lieu de {expected[first]:.6g}.",
    )


def _quietly(function, *arguments, **options):
    """``function(...)`` with numpy's division warnings off: a division by zero gives inf or
    nan, which the comparison then explains (instead of a warning some setups raise)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return function(*arguments, **options)


def _random_case(generator):
    """Cells and schools with distances up to 2 km, some unreachable, some exactly d0."""
    cells, schools = int(generator.integers(30, 60)), int(generator.integers(4, 9))
    people = generator.integers(0, 2000, cells).astype(float)
    seats = generator.integers(0, 800, schools).astype(float)
    distance = generator.uniform(0.0, 2000.0, (cells, schools)).round()
    distance[generator.random((cells, schools)) < 0.1] = math.inf
    distance[generator.random((cells, schools)) < 0.05] = CATCHMENT_M
    distance[:, -1] = np.maximum(distance[:, -1], 1500.0)  # a school nobody reaches
    return people, seats, distance


def check_school_seats_2sfca(context):
    """The hand-size example of the page, then random cells and schools, each against the
    library's 2SFCA; the usual mistakes (<, people for children, all children, one step,
    nan for an empty school) are told apart; the inputs are left unchanged."""
    function = context.load_module("06_access/seats.py").seats_per_child
    people, seats = np.array(HAND_PEOPLE), np.array(HAND_SEATS)
    distance = np.array(HAND_DISTANCE)
    arguments = (people, seats, distance, CATCHMENT_M, SCHOOL_AGE_SHARE)
    items = [
        _array_item(
            "The example of the module page",
            "L'exemple de la page du module",
            _quietly(function, people.copy(), seats.copy(), distance.copy()),
            _reference_2sfca(*arguments),
            _wrong_2sfca(*arguments),
        )
    ]
    generator = np.random.default_rng()
    people, seats, distance = _random_case(generator)
    # never the defaults (1000 m, 0.2), so that a number written in the code is caught
    catchment, share = float(generator.choice([800.0, 1200.0])), 0.25
    arguments = (people, seats, distance, catchment, share)
    given = [array.copy() for array in (people, seats, distance)]
    items.append(
        _array_item(
            f"{people.size} random cells, {seats.size} schools, catchment {catchment:.0f} m, "
            f"school-age share {share}",
            f"{people.size} cellules et {seats.size} écoles au hasard, bassin "
            f"{catchment:.0f} m, part d'âge scolaire {share}",
            _quietly(function, *given, catchment_m=catchment, school_age_share=share),
            _reference_2sfca(*arguments),
            _wrong_2sfca(*arguments),
        )
    )
    untouched = all(
        np.array_equal(a, b) for a, b in zip(given, (people, seats, distance), strict=True)
    )
    items.append(
        (
            untouched,
            "Your function leaves its inputs unchanged."
            if untouched
            else "Your function changed its inputs (people, seats or distance): work on new "
            "arrays.",
            "Votre fonction ne modifie pas ses entrées."
            if untouched
            else "Votre fonction a modifié ses entrées (people, seats ou distance) : "
            "travaillez sur de nouveaux tableaux.",
        )
    )
    return items
