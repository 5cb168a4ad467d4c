"""Checks of module 5 (Degree of Urbanisation).

``degurba_vs_census``: the engine classifies the communes (``degurba_l1``, 2024) on the
workspace's sample; the census status comes from the ``status`` field of the communes layer.
Agreement: census "urban" with class 3 or 2, census "rural" with class 1.

``degurba_grid``: the 1 km grid of 2024 is classified here with ``observatory.degurba``
``classify_rasters``, as ``observatory degurba grid --population data/rasters/population_2024.tif
--built-up data/rasters/built_up_2024.tif --land data/rasters/land.tif --level 1`` does (the
three 100 m grids summed to 1 km cells, the built-up and land sums turned into shares of the
cell, rule set ghsl-2023), and the answers are compared with its class summary. The same
classification from the population alone gives the urban-centre count the last question
starts from.

``degurba_level2``: the same grid classified at level 2 (``--level 2``, the GHS-SMOD codes);
the class of the hand-made cells is worked out from the thresholds of the rule set
ghsl-2023 (``ucl_size``, ``rc_size``, ``ldr_density``), not written in the check.
"""

from __future__ import annotations

import pandas as pd

from observatory.degurba import (
    LEVEL1_CODES,
    LEVEL2_CODES,
    class_summary,
    classify_rasters,
    rules_from_name,
)
from observatory.engine import run
from observatory.io.raster import read_raster
from observatory.io.vector import read_layer
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake, number_item, text_item

YEAR, OTHER_YEAR = "2024", "2014"
OF_2014 = (
    "that is the count of 2014; keep the rows of the period 2024.",
    "c'est le compte de 2014 ; gardez les lignes de la période 2024.",
)
SWAPPED = (
    "that is the count of the other class (3 = city, 1 = rural area).",
    "c'est le compte de l'autre classe (3 = ville, 1 = zone rurale).",
)
CENSUS_STATUS = (
    "that is the count of the census status (the status field of the communes); the question "
    "asks for the classes of the Degree of Urbanisation (degurba_l1: 3 = city, 1 = rural "
    "area).",
    "c'est le compte du statut du recensement (le champ status des communes) ; la question "
    "porte sur les classes du degré d'urbanisation (degurba_l1 : 3 = ville, 1 = zone "
    "rurale).",
)
DISAGREEMENT = (
    "that is the share of the communes where the two disagree; the question asks where they agree.",
    "c'est la part des communes où les deux divergent ; la question porte sur celles où ils "
    "concordent.",
)
POPULATION_ONLY = (
    "that is the classification from the population alone; add --built-up and --land to "
    "the command.",
    "c'est le classement avec la population seule ; ajoutez --built-up et --land à la commande.",
)
URBAN_CLASSES = (2.0, 3.0)
URBAN_CENTRE, WATER = 3, 0
#: Urban-centre cells from the population alone, as the last question of degurba_grid says.
POPULATION_ONLY_CENTRES = 399


def _facts(data, project_file):
    table = run(
        load_project(project_file), indicator_ids=["degurba_l1"], levels=["commune"]
    ).long_table()
    communes = read_layer(data / "units.gpkg", layer="communes")
    status = pd.Series(communes["status"].to_numpy(), index=communes["code"].astype(str))
    facts = {}
    for year in (YEAR, OTHER_YEAR):
        classes = table[table["period"].astype(str) == year].set_index("unit_id")["value"]
        classes = classes.reindex(status.index)
        facts[year] = {
            "cities": int((classes == 3).sum()),
            "rural": int((classes == 1).sum()),
            "agreement": _agreement(classes.isin(URBAN_CLASSES), status),
            "cities_only_agreement": _agreement(classes == 3, status),
        }
    facts["census"] = {
        "cities": int((status == "urban").sum()),
        "rural": int((status == "rural").sum()),
    }
    return facts


def _agreement(urban, status):
    """% of communes where the class and the census status agree."""
    return 100.0 * float(((urban & (status == "urban")) | (~urban & (status == "rural"))).mean())


def check_degurba_vs_census(context):
    """City and rural counts, and the agreement with the census status (±0.1 point); the
    counts of 2014, the two counts swapped and towns counted as rural are told so."""
    answers = context.answers("05_degurba/answers.toml")
    facts = context.shared("degurba_facts", lambda: _facts(context.data, context.project_file))
    now, before = facts[YEAR], facts[OTHER_YEAR]

    def of_2014(key):
        return [Mistake(before[key], *OF_2014)] if before[key] != now[key] else []

    towns_rural = Mistake(
        now["cities_only_agreement"],
        "that counts towns and semi-dense areas (class 2) as rural; the census's urban "
        "matches classes 3 and 2.",
        "cela compte les villes moyennes et zones semi-denses (classe 2) comme rurales ; "
        "l'urbain du recensement correspond aux classes 3 et 2.",
    )

    def of_census(key):
        census = facts["census"][key]
        return [Mistake(census, *CENSUS_STATUS)] if census != now[key] else []

    disagreement = Mistake(100.0 - now["agreement"], *DISAGREEMENT)
    return [
        number_item(
            "Cities in 2024",
            "Villes en 2024",
            answers.get("cities_2024"),
            now["cities"],
            mistakes=[*of_2014("cities"), Mistake(now["rural"], *SWAPPED), *of_census("cities")],
        ),
        number_item(
            "Rural areas in 2024",
            "Zones rurales en 2024",
            answers.get("rural_2024"),
            now["rural"],
            mistakes=[*of_2014("rural"), Mistake(now["cities"], *SWAPPED), *of_census("rural")],
        ),
        number_item(
            "Agreement with the census (%)",
            "Concordance avec le recensement (%)",
            answers.get("agreement_percent"),
            now["agreement"],
            abs=0.1,
            mistakes=[towns_rural, disagreement],
        ),
    ]


def _classify(population, rules, *, built_up=None, land=None, level=1):
    """``{code: class summary row}`` of the 1 km cells of ``population`` at ``level``."""
    classes, prepared = classify_rasters(
        population, rules=rules, level=level, built_up=built_up, land=land
    )
    rows = class_summary(
        classes.data,
        prepared.population,
        codes=LEVEL1_CODES if level == 1 else LEVEL2_CODES,
        cell_area_km2=classes.grid.cell_area / 1e6,
    )
    return {row["code"]: row for row in rows}


def _grid_summary(data):
    """Class summaries of the 2024 grid: ``"full"`` from the population, built-up and land
    grids, ``"population_only"`` from the population alone."""
    rasters = data / "rasters"
    rules = rules_from_name("ghsl-2023")
    population = read_raster(rasters / f"population_{YEAR}.tif")
    built_up = read_raster(rasters / f"built_up_{YEAR}.tif")
    land = read_raster(rasters / "land.tif")
    return {
        "full": _classify(population, rules, built_up=built_up, land=land),
        "population_only": _classify(population, rules),
    }


def check_degurba_grid(context):
    """Urban-centre cells (exact), their population (±0.1 %) and share (±0.1 point), the
    water cells (exact), and why the built-up and land grids add urban-centre cells."""
    answers = context.answers("05_degurba/grid_answers.toml")
    summaries = context.shared("degurba_grid_summary", lambda: _grid_summary(context.data))
    summary = summaries["full"]
    centre = summary[URBAN_CENTRE]
    only = summaries["population_only"][URBAN_CENTRE]
    alone = only["cells"]
    if alone != POPULATION_ONLY_CENTRES or centre["cells"] <= alone:
        raise CheckFailed(
            f"This exercise expects {POPULATION_ONLY_CENTRES} urban-centre cells from the "
            f"population alone and more with the built-up and land grids; the sample gives "
            f"{alone} and {centre['cells']}.",
            f"Cet exercice attend {POPULATION_ONLY_CENTRES} cellules de centre urbain avec la "
            f"population seule et davantage avec les grilles de bâti et des terres ; "
            f"l'exemple en donne {alone} et {centre['cells']}.",
        )
    return [
        number_item(
            "Urban-centre cells",
            "Cellules de centre urbain",
            answers.get("urban_centre_cells"),
            centre["cells"],
            mistakes=[Mistake(alone, *POPULATION_ONLY)],
        ),
        number_item(
            "Population in urban centres",
            "Population des centres urbains",
            answers.get("urban_centre_population"),
            centre["population"],
            rel=1e-3,
            mistakes=[Mistake(only["population"], *POPULATION_ONLY)]
            if abs(only["population"] / centre["population"] - 1) > 2e-3
            else [],
        ),
        number_item(
            "Share of the population in urban centres (%)",
            "Part de la population en centre urbain (%)",
            answers.get("urban_centre_percent"),
            100.0 * centre["population_share"],
            abs=0.1,
            mistakes=[Mistake(100.0 * only["population_share"], *POPULATION_ONLY)]
            if abs(only["population_share"] - centre["population_share"]) > 0.002
            else [],
        ),
        number_item(
            "Water cells",
            "Cellules d'eau",
            answers.get("water_cells"),
            summary[WATER]["cells"],
        ),
        text_item(
            "Why the built-up and land grids add urban-centre cells",
            "Pourquoi les grilles de bâti et des terres ajoutent des cellules de centre urbain",
            answers.get("more_centres_reason"),
            "A",
        ),
    ]


# -- degurba_level2 ----------------------------------------------------------------------------
SUBURBAN, RURAL_CLUSTER, LOW_DENSITY_RURAL, VERY_LOW_DENSITY_RURAL = 21, 13, 12, 11
URBAN_CLUSTER_CODES = (23, 22, 21)
#: People per km² of land of the hand-made cells, and the populations of their groups.
HAND_DENSITY = 400.0
HAND_GROUPS = (12_000, 1_800, 5_000, 400)


def _level2_summary(data):
    """Level 2 class summary of the 2024 grid, with the built-up and land grids."""
    rasters = data / "rasters"
    return _classify(
        read_raster(rasters / f"population_{YEAR}.tif"),
        rules_from_name("ghsl-2023"),
        built_up=read_raster(rasters / f"built_up_{YEAR}.tif"),
        land=read_raster(rasters / "land.tif"),
        level=2,
    )


def _hand_code(rules, group_people):
    """Level 2 code of a cell at :data:`HAND_DENSITY`, not dense nor semi-dense, in a group
    of ``group_people`` (all thresholds are "at least")."""
    if HAND_DENSITY >= rules.ucl_density and group_people >= rules.ucl_size:
        return SUBURBAN
    if HAND_DENSITY >= rules.rc_density and group_people >= rules.rc_size:
        return RURAL_CLUSTER
    return LOW_DENSITY_RURAL if HAND_DENSITY >= rules.ldr_density else VERY_LOW_DENSITY_RURAL


def _hand_mistakes(rules, expected):
    level1 = Mistake(
        2 if expected == SUBURBAN else 1,
        "that is the level 1 code; level 2 uses the two-digit GHS-SMOD codes (21, 13, 12...).",
        "c'est le code du niveau 1 ; le niveau 2 utilise les codes GHS-SMOD à deux chiffres "
        "(21, 13, 12...).",
    )
    by_code = {
        SUBURBAN: (
            "a group of at least {ucl} people is an urban cluster, not a rural cluster; its "
            "cells that are neither dense nor semi-dense are suburban or peri-urban (21). The "
            "thresholds are 'at least': exactly {ucl} is enough.",
            "un groupe d'au moins {ucl} habitants est un groupement urbain, pas un "
            "groupement rural ; ses cellules ni denses ni semi-denses sont suburbaines ou "
            "périurbaines (21). Les seuils sont « au moins » : {ucl} tout juste suffit.",
        ),
        RURAL_CLUSTER: (
            "a group of {rc} to {below} people is too small for an urban cluster: it "
            "is a rural cluster (13), whatever the density of the cell.",
            "un groupe de {rc} à {below} habitants est trop petit pour un groupement "
            "urbain : c'est un groupement rural (13), quelle que soit la densité de la cellule.",
        ),
        LOW_DENSITY_RURAL: (
            "a group of fewer than {rc} people is no cluster at all: the cell is rural, "
            "low density (12) from {ldr} people per km², very low density (11) below.",
            "un groupe de moins de {rc} habitants n'est pas un groupement : la cellule est "
            "rurale, de faible densité (12) dès {ldr} hab./km², de très faible densité "
            "(11) en dessous.",
        ),
    }
    numbers = {
        "ucl": rules.ucl_size,
        "rc": rules.rc_size,
        "below": rules.ucl_size - 1,
        "ldr": rules.ldr_density,
    }
    shown_en = {key: f"{value:,.0f}" for key, value in numbers.items()}
    shown_fr = {key: text.replace(",", " ") for key, text in shown_en.items()}
    # every other level 2 code is told why the cell has its own code
    right_en, right_fr = by_code[expected]
    return [level1] + [
        Mistake(code, right_en.format(**shown_en), right_fr.format(**shown_fr))
        for code in LEVEL2_CODES
        if code != expected
    ]


def check_degurba_level2(context):
    """Suburban cells (exact), the share of the population in rural clusters (±0.1 point),
    and the level 2 code of four hand-made cells that differ only by the size of their group
    (a group of exactly 5,000 people included: "at least")."""
    answers = context.answers("05_degurba/level2_answers.toml")
    summary = context.shared("degurba_level2_summary", lambda: _level2_summary(context.data))
    rules = rules_from_name("ghsl-2023")
    cluster_cells = sum(summary[code]["cells"] for code in URBAN_CLUSTER_CODES)
    suburban_share = 100.0 * summary[SUBURBAN]["population_share"]
    items = [
        number_item(
            "Suburban or peri-urban cells (21)",
            "Cellules suburbaines ou périurbaines (21)",
            answers.get("suburban_cells"),
            summary[SUBURBAN]["cells"],
            mistakes=[
                Mistake(
                    cluster_cells,
                    "that is every urban-cluster cell (23 + 22 + 21, the level 1 code 2); "
                    "count the row 21 only.",
                    "ce sont toutes les cellules de groupement urbain (23 + 22 + 21, le code 2 "
                    "du niveau 1) ; ne comptez que la ligne 21.",
                ),
                Mistake(
                    summary[RURAL_CLUSTER]["cells"],
                    "that is the row 13, the rural clusters; the question asks for 21.",
                    "c'est la ligne 13, les groupements ruraux ; la question porte sur 21.",
                ),
            ],
        ),
        number_item(
            "Share of the population in rural clusters (%)",
            "Part de la population en groupement rural (%)",
            answers.get("rural_cluster_percent"),
            100.0 * summary[RURAL_CLUSTER]["population_share"],
            abs=0.1,
            mistakes=[
                Mistake(
                    suburban_share,
                    "that is the share of the suburban cells (21); the question asks for the "
                    "rural clusters (13).",
                    "c'est la part des cellules suburbaines (21) ; la question porte sur les "
                    "groupements ruraux (13).",
                )
            ],
        ),
    ]
    for people in HAND_GROUPS:
        expected = _hand_code(rules, people)
        items.append(
            number_item(
                f"Cell in a group of {people:,} people",
                f"Cellule d'un groupe de {people:,} habitants".replace(",", " "),
                answers.get(f"code_group_{people}"),
                expected,
                mistakes=_hand_mistakes(rules, expected),
            )
        )
    return items
