"""Checks of module 5 (Degree of Urbanisation).

``degurba_vs_census``: the engine classifies the communes (``degurba_l1``, 2024) on the
workspace's sample; the census status comes from the ``status`` field of the communes layer.
Agreement: census "urban" with class 3 or 2, census "rural" with class 1.

``degurba_grid``: the 1 km grid of 2024 is classified here with the ``observatory.degurba``
functions, as ``observatory degurba grid --population data/rasters/population_2024.tif
--built-up data/rasters/built_up_2024.tif --land data/rasters/land.tif --level 1`` does (the
three 100 m grids summed to 1 km cells, the built-up and land sums turned into shares of the
cell, rule set ghsl-2023), and the answers are compared with its class summary. The same
classification from the population alone gives the urban-centre count the last question
starts from.
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
    share_from_m2,
)
from observatory.engine import run
from observatory.io.raster import read_raster
from observatory.io.vector import read_layer
from observatory.kernels.grid import Raster
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import number_item, text_item

YEAR = "2024"
URBAN_CLASSES = (2.0, 3.0)
URBAN_CENTRE, WATER = 3, 0
#: Cell size of the Degree of Urbanisation grid, in metres.
GRID_CELL_M = 1000.0
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


def _on_1km(path, *, share_grid=False):
    """The 100 m raster at ``path`` summed to 1 km cells, as ``observatory degurba grid`` does:
    a built-up or land grid of shares (0-1) is turned into m² per cell before summing."""
    raster = read_raster(path)
    if share_grid and np.nanmax(raster.filled(np.nan), initial=0.0) <= 1.0:
        m2 = raster.filled(np.nan) * raster.grid.cell_area
        raster = Raster(m2, raster.grid, None, raster.name)
    return aggregate_to_coarse_grid(raster, cell_size=GRID_CELL_M)


def _share(raster):
    """Shares (0-1) of a 1 km built-up or land raster summed in m² per cell."""
    values = raster.filled(np.nan)
    if np.nanmax(values, initial=0.0) > 1.0:
        return share_from_m2(values, cell_area_m2=raster.grid.cell_area)
    return values


def _classify(population, rules, *, built_share=None, land_share=None):
    """``{level 1 code: class summary row}`` of the 1 km ``population`` raster."""
    cell_area_km2 = population.grid.cell_area / 1e6
    prepared = prepare_grid(
        population.filled(np.nan),
        rules=rules,
        built_share=built_share,
        land_share=land_share,
        cell_area_km2=cell_area_km2,
    )
    classes = classify_grid(prepared, rules=rules, level=1)
    rows = class_summary(
        classes, prepared.population, codes=LEVEL1_CODES, cell_area_km2=cell_area_km2
    )
    return {row["code"]: row for row in rows}


def _grid_summary(data):
    """Class summaries of the 2024 grid: ``"full"`` from the population, built-up and land
    grids, ``"population_only"`` from the population alone."""
    rasters = data / "rasters"
    rules = rules_from_name("ghsl-2023")
    population = _on_1km(rasters / f"population_{YEAR}.tif")
    built_share = _share(_on_1km(rasters / f"built_up_{YEAR}.tif", share_grid=True))
    land_share = _share(_on_1km(rasters / "land.tif", share_grid=True))
    return {
        "full": _classify(population, rules, built_share=built_share, land_share=land_share),
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
