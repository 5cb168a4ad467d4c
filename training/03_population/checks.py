"""Checks of module 3 (population from grids).

The reference zonal sums are computed here with the library (CoverageMatrix over the
population rasters of the workspace's data, 2024 and 2014, so that a year written into the
trainee's code is spotted), then aggregated to provinces with the parent codes of the
communes layer and compared with the census. The trainee's function runs from the module's
folder, so that a path written relative to the workspace fails.
"""

from __future__ import annotations

import contextlib
import os
import random
from pathlib import Path

import numpy as np
import pandas as pd

from observatory.io.raster import read_raster
from observatory.io.tables import read_table
from observatory.io.vector import read_layer
from observatory.kernels.zonal import CoverageMatrix
from observatory.workshop.compare import Mistake, number_item, text_item
from observatory.workshop.compare_series import series_item

YEAR, OTHER_YEAR = 2024, 2014
YEARS = (YEAR, OTHER_YEAR)
#: Largest relative gap between the grid and the census for "the grid matches the census".
CENSUS_TOLERANCE = 0.01
#: Factors by which the made-up census of a check changes each province's communes.
MADE_UP_FACTORS = (0.85, 1.15)
TABLE_COLUMNS = ("grid", "census", "gap_percent")


def _reference(data):
    communes = read_layer(data / "units.gpkg", layer="communes")
    codes = communes["code"].astype(str)
    province_of = pd.Series(communes["province_code"].astype(str).to_numpy(), index=codes)
    census = read_table(data / "census.csv").set_index("code")
    by_commune, provinces = {}, {}
    for year in YEARS:
        raster = read_raster(data / "rasters" / f"population_{year}.tif")
        sums = CoverageMatrix.build(communes.geometry, raster.grid).sum(raster)
        by_commune[year] = pd.Series(sums, codes)
        provinces[year] = by_commune[year].groupby(province_of).sum()
    return {
        "communes": by_commune,
        "provinces": provinces,
        "census_provinces": pd.to_numeric(census[f"population_{YEAR}"])
        .reindex(codes)
        .groupby(province_of)
        .sum(),
    }


@contextlib.contextmanager
def _elsewhere(folder):
    """Run in ``folder``: a path written relative to where the trainee works then fails."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def check_zonal_population(context):
    """The trainee's commune sums equal the library's to 1e-6 (relative), for 2024 and 2014,
    run from another folder than the workspace (paths come from ``project_folder``)."""
    reference = context.shared("population_reference", lambda: _reference(context.data))
    module = context.load_module("03_population/zonal.py")
    items = []
    with _elsewhere(context.path("03_population")):
        for year, other in ((YEAR, OTHER_YEAR), (OTHER_YEAR, YEAR)):
            other_year = Mistake(
                reference["communes"][other],
                f"these are the people of {other}: use the year the function is given (its "
                "argument year), not a year written in the code.",
                f"ce sont les habitants de {other} : utilisez l'année que la fonction reçoit "
                "(son argument year), pas une année écrite dans le code.",
            )
            items.append(
                series_item(
                    f"People per commune in {year}",
                    f"Habitants par commune en {year}",
                    module.commune_population(context.data, year),
                    reference["communes"][year],
                    mistakes=[other_year],
                )
            )
    return items


def _made_up_census(census, province_of, seed):
    """The census with the counts of each province's communes scaled by a random factor
    (a new one at each check), written as text as read_table gives them."""
    generator = random.Random(seed)
    factors = {
        code: generator.uniform(*MADE_UP_FACTORS) for code in sorted(set(province_of.values()))
    }
    scale = census["code"].astype(str).map(province_of).map(factors).fillna(1.0)
    made_up = census.copy()
    for year in YEARS:
        counts = pd.to_numeric(census[f"population_{year}"]) * scale
        made_up[f"population_{year}"] = counts.round().astype("int64").astype(str)
    return made_up


def _expected_table(grid, census, province_of, year):
    counts = pd.to_numeric(census[f"population_{year}"])
    counts.index = census["code"].astype(str)
    expected = pd.DataFrame(
        {
            "grid": grid.groupby(province_of).sum(),
            "census": counts.reindex(province_of.index).groupby(province_of).sum(),
        }
    )
    expected["gap_percent"] = 100 * (expected["grid"] - expected["census"]) / expected["census"]
    return expected


def _table_items(context, reference, label_en, label_fr, census, year):
    """The trainee's province_table on ``census`` and ``year``, column by column."""
    communes = read_layer(context.data / "units.gpkg", layer="communes")
    province_of = pd.Series(
        communes["province_code"].astype(str).to_numpy(), index=communes["code"].astype(str)
    )
    module = context.load_module("03_population/census_check.py")
    grid = reference["communes"][year]
    table = module.province_table(communes, grid.copy(), census.copy(), year)
    expected = _expected_table(grid, census, province_of, year)
    if not isinstance(table, pd.DataFrame) or not set(TABLE_COLUMNS) <= set(table.columns):
        return [
            (
                False,
                f"{label_en}: province_table must return a DataFrame with the columns grid, "
                "census and gap_percent.",
                f"{label_fr} : province_table doit renvoyer un DataFrame avec les colonnes "
                "grid, census et gap_percent.",
            )
        ]
    other = OTHER_YEAR if year == YEAR else YEAR
    mistakes = {
        "census": [
            Mistake(
                _expected_table(grid, census, province_of, other)["census"],
                f"this is the census of {other}: read the column of the year the function is "
                f"given, population_{year}, not a year written in the code.",
                f"c'est le recensement de {other} : lisez la colonne de l'année que reçoit la "
                f"fonction, population_{year}, pas une année écrite dans le code.",
            )
        ],
        "gap_percent": [
            Mistake(
                -expected["gap_percent"],
                "the sign is reversed: the gap is grid − census, over the census.",
                "le signe est inversé : l'écart est grille − recensement, sur le recensement.",
            ),
            Mistake(
                100 * (expected["grid"] - expected["census"]) / expected["grid"],
                "divided by the grid: a gap to the census is divided by the census.",
                "divisé par la grille : un écart au recensement se divise par le recensement.",
            ),
            Mistake(
                expected["gap_percent"].abs(),
                "without its sign: keep it, it says whether the grid counts more people than "
                "the census (+) or fewer (−); do not take abs().",
                "sans son signe : gardez-le, il dit si la grille compte plus d'habitants que le "
                "recensement (+) ou moins (−) ; ne prenez pas abs().",
            ),
        ],
    }
    items = []
    for column in TABLE_COLUMNS:
        got = pd.Series(table[column].to_numpy(), index=table.index.astype(str))
        items.append(
            series_item(
                f"{label_en}, column {column}",
                f"{label_fr}, colonne {column}",
                got,
                expected[column],
                rel=1e-6,
                abs=1e-6 if column == "gap_percent" else 0.0,
                mistakes=mistakes.get(column, ()),
            )
        )
    return items


def check_census_check(context):
    """province_table right on the sample (2024, 2014) and on a census made up at each check
    (typed-in numbers fail); then the largest province, region total (±0.1 %), and whether
    every province is within 1 %, each read from the data."""
    reference = context.shared("population_reference", lambda: _reference(context.data))
    census = read_table(context.data / "census.csv")
    communes = read_layer(context.data / "units.gpkg", layer="communes")
    province_of = dict(
        zip(communes["code"].astype(str), communes["province_code"].astype(str), strict=True)
    )
    seed = int(np.random.default_rng().integers(1 << 30))
    items = _table_items(context, reference, "Table of 2024", "Tableau de 2024", census, YEAR)
    items += _table_items(
        context, reference, "Table of 2014", "Tableau de 2014", census, OTHER_YEAR
    )
    items += _table_items(
        context,
        reference,
        "Table on another census (made up by the check)",
        "Tableau sur un autre recensement (inventé par la vérification)",
        _made_up_census(census, province_of, seed),
        YEAR,
    )
    return items + _answer_items(context, reference)


def _answer_items(context, reference):
    answers = context.answers("03_population/answers.toml")
    provinces = reference["provinces"][YEAR]
    gap = (provinces - reference["census_provinces"]).abs() / reference["census_provinces"]
    largest_commune = Mistake(
        reference["communes"][YEAR].idxmax(),
        "that is a commune; the question asks for a province (a code such as 04.xxx).",
        "c'est une commune ; la question porte sur une province (un code comme 04.xxx).",
    )
    grid_2014 = Mistake(
        float(reference["provinces"][OTHER_YEAR].sum()),
        "that is the total of the 2014 grid; use the grid of 2024.",
        "c'est le total de la grille de 2014 ; utilisez la grille de 2024.",
    )
    return [
        text_item(
            "Largest province in 2024",
            "Province la plus peuplée en 2024",
            answers.get("largest_province_2024"),
            provinces.idxmax(),
            mistakes=[largest_commune],
        ),
        number_item(
            "Region total of the grid",
            "Total régional de la grille",
            answers.get("region_grid_2024"),
            float(provinces.sum()),
            rel=1e-3,
            mistakes=[grid_2014],
        ),
        text_item(
            "Grid within 1 % of the census in every province",
            "Grille à moins de 1 % du recensement dans chaque province",
            answers.get("grid_matches_census"),
            bool((gap <= CENSUS_TOLERANCE).all()),
        ),
    ]
