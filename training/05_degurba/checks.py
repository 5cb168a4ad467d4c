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
"""

from __future__ import annotations

import pandas as pd

from observatory.degurba import LEVEL1_CODES, class_summary, classify_rasters, rules_from_name
from observatory.engine import run
from observatory.io.raster import read_raster
from observatory.io.vector import read_layer
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import number_item, text_item

YEAR = "2024"
URBAN_CLASSES = (2.0, 3.0)
URBAN_CENTRE, WATER = 3, 0
#: Urban-centre cells from the population alone, as the last question of degurba_grid says.
POPULATION_ONLY_CENTRES = 399


def _facts(data, project_file):
    table = run(
        load_project(project_file), indicator_ids=["degurba_l1"], levels=["commune"]
    ).long_table()
    classes = table[table["period"].astype(str) == YEAR].set_index("unit_id")["value"]
    communes = read_layer(data / "units.gpkg", layer="communes")
    status = pd.Series(communes["status"].to_numpy(), index=communes["code"].astype(str))
    urban = classes.reindex(status.index).isin(URBAN_CLASSES)
    agree = (urban & (status == "urban")) | (~urban & (status == "rural"))
    return {
        "cities": int((classes == 3).sum()),
        "rural": int((classes == 1).sum()),
        "agreement": 100.0 * float(agree.mean()),
    }


def check_degurba_vs_census(context):
    """City and rural counts, and the agreement with the census status (±0.1 point)."""
    answers = context.answers("05_degurba/answers.toml")
    facts = context.shared("degurba_facts", lambda: _facts(context.data, context.project_file))
    return [
        number_item(
            "Cities in 2024", "Villes en 2024", answers.get("cities_2024"), facts["cities"]
        ),
        number_item(
            "Rural areas in 2024",
            "Zones rurales en 2024",
            answers.get("rural_2024"),
            facts["rural"],
        ),
        number_item(
            "Agreement with the census (%)",
            "Concordance avec le recensement (%)",
            answers.get("agreement_percent"),
            facts["agreement"],
            abs=0.1,
        ),
    ]


def _classify(population, rules, *, built_up=None, land=None):
    """``{level 1 code: class summary row}`` of the 1 km cells of ``population``."""
    classes, prepared = classify_rasters(
        population, rules=rules, level=1, built_up=built_up, land=land
    )
    rows = class_summary(
        classes.data,
        prepared.population,
        codes=LEVEL1_CODES,
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
    alone = summaries["population_only"][URBAN_CENTRE]["cells"]
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
        ),
        number_item(
            "Population in urban centres",
            "Population des centres urbains",
            answers.get("urban_centre_population"),
            centre["population"],
            rel=1e-3,
        ),
        number_item(
            "Share of the population in urban centres (%)",
            "Part de la population en centre urbain (%)",
            answers.get("urban_centre_percent"),
            100.0 * centre["population_share"],
            abs=0.1,
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
