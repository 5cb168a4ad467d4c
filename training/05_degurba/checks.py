"""Checks of module 5 (Degree of Urbanisation).

``degurba_vs_census``: the engine classifies the communes (``degurba_l1``, 2024) on the
workspace's sample; the census status comes from the ``status`` field of the communes layer.
Agreement: census "urban" with class 3 or 2, census "rural" with class 1.

``degurba_grid``: the 1 km grid of 2024 is classified here with the ``observatory.degurba``
functions, as ``observatory degurba grid --population data/rasters/population_2024.tif
--level 1`` does (the 100 m population summed to 1 km cells, rule set ghsl-2023, no built-up
or land grid), and the answers are compared with its class summary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.degurba import (
    LEVEL1_CODES,
    aggregate_to_coarse_grid,
    class_summary,
    classify_grid,
    prepare_grid,
    rules_from_name,
)
from observatory.engine import run
from observatory.io.raster import read_raster
from observatory.io.vector import read_layer
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import number_item, text_item

YEAR = "2024"
URBAN_CLASSES = (2.0, 3.0)
URBAN_CENTRE, WATER = 3, 0


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


def _grid_summary(data):
    """``{level 1 code: class summary row}`` of the 2024 grid classified from population only."""
    population = aggregate_to_coarse_grid(read_raster(data / "rasters" / f"population_{YEAR}.tif"))
    rules = rules_from_name("ghsl-2023")
    cell_area_km2 = population.grid.cell_area / 1e6
    prepared = prepare_grid(population.filled(np.nan), rules=rules, cell_area_km2=cell_area_km2)
    classes = classify_grid(prepared, rules=rules, level=1)
    rows = class_summary(
        classes, prepared.population, codes=LEVEL1_CODES, cell_area_km2=cell_area_km2
    )
    return {row["code"]: row for row in rows}


def check_degurba_grid(context):
    """Urban-centre cells (exact), their population (±0.1 %) and share (±0.1 point), and the
    reason for the water cells found without a land grid."""
    answers = context.answers("05_degurba/grid_answers.toml")
    summary = context.shared("degurba_grid_summary", lambda: _grid_summary(context.data))
    if summary[WATER]["cells"]:
        raise CheckFailed(
            "This exercise expects no water cells on a grid classified without a land grid.",
            "Cet exercice attend aucune cellule d'eau sur une grille classée sans grille des "
            "terres.",
        )
    centre = summary[URBAN_CENTRE]
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
        text_item(
            "Why this run finds no water",
            "Pourquoi ce calcul ne trouve pas d'eau",
            answers.get("water_reason"),
            "A",
        ),
    ]
