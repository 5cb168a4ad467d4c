"""Checks of module 9 (environment: SDG 11.6.2 and SDG 11.7.1).

``air_quality_11_6_2`` calls the trainee's function on the cells of
``09_environment/pm25_cells.csv`` (as the workspace holds them) and on random cells of
random provinces (a new draw each time), and compares it with Σ P·C / Σ P computed here;
the usual wrong answers (the plain mean of the cells, the mean of the communes' values, the
2014 people as weights, a missing concentration counted as 0) are computed from the same
data and told apart. ``open_space_11_7_1`` compares the answers with one engine run of
``sdg_11_7_1_share``, ``sdg_11_7_1_access`` and ``built_up_area`` by province and region.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.engine import run
from observatory.project import load_project
from observatory.workshop.compare import Answer, Mistake, answer_items
from observatory.workshop.compare_series import series_item

CELLS = "09_environment/pm25_cells.csv"
PM25, PEOPLE, PEOPLE_BEFORE = "pm25_2024", "population_2024", "population_2014"
#: UN-Habitat's normative share of land in streets and open space together (lower end).
REFERENCE_SHARE = 45.0
YEAR = "2024"
#: What the usual wrong answers of open_space_11_7_1 are told (English, French).
DENOMINATOR = (
    "that is the denominator, the urban extent; the question asks for the numerator, OPS + STR.",
    "c'est le dénominateur, l'emprise urbaine ; la question porte sur le numérateur, OPS + STR.",
)
FOOTPRINT = (
    "that divides by built_up_area, the building footprint; the built-up area of the city is "
    "its urban extent (the denominator of the row).",
    "cela divise par built_up_area, l'emprise des bâtiments ; la surface bâtie de la ville est "
    "son emprise urbaine (le dénominateur de la ligne).",
)
PROVINCES_MEAN = (
    "that is the plain mean of the provinces; read the region's own row (its people within "
    "400 m over all its people).",
    "c'est la moyenne simple des provinces ; lisez la ligne de la région elle-même (ses "
    "habitants à moins de 400 m sur tous ses habitants).",
)


# -- air_quality_11_6_2 ------------------------------------------------------------------------
def _weighted(cells, weights, by="province"):
    measured = cells[cells[PM25].notna()]
    exposure = (measured[weights] * measured[PM25]).groupby(measured[by]).sum()
    return exposure / measured[weights].groupby(measured[by]).sum()


def _pm25_mistakes(cells):
    """The usual wrong answers on ``cells``, each with what to tell the trainee."""
    communes = _weighted(cells, PEOPLE, by="commune")
    province_of = cells.drop_duplicates("commune").set_index("commune")["province"]
    all_people = cells[PEOPLE].groupby(cells["province"]).sum()
    return [
        Mistake(
            cells.groupby("province")[PM25].mean(),
            "that is the plain mean of the cells' concentrations; weight each cell by its "
            "people: Σ P×C / Σ P.",
            "c'est la moyenne simple des concentrations des cellules ; pondérez chaque cellule "
            "par ses habitants : Σ P×C / Σ P.",
        ),
        Mistake(
            communes.groupby(province_of.reindex(communes.index)).mean(),
            "that is the mean of the communes' values; a province is weighted by all its "
            "people: sum P×C and P over its cells, then divide.",
            "c'est la moyenne des valeurs des communes ; une province se pondère par tous ses "
            "habitants : additionnez P×C et P sur ses cellules, puis divisez.",
        ),
        Mistake(
            _weighted(cells, PEOPLE_BEFORE),
            "these are the people of 2014 as weights; the concentration is of 2024: weight it "
            "by the people of 2024.",
            "ce sont les habitants de 2014 comme poids ; la concentration est de 2024 : "
            "pondérez-la par les habitants de 2024.",
        ),
        Mistake(
            (cells[PEOPLE] * cells[PM25].fillna(0.0)).groupby(cells["province"]).sum() / all_people,
            "a cell without a concentration counted as 0 µg/m³ (or its people kept in the "
            "denominator); leave such cells out of both sums.",
            "une cellule sans concentration comptée à 0 µg/m³ (ou ses habitants gardés au "
            "dénominateur) ; laissez ces cellules hors des deux sommes.",
        ),
    ]


def _random_cells(generator):
    """Cells of 3 to 6 provinces of 1 to 4 communes, some without a concentration (never
    the first cell of a province, so every province has a value)."""
    rows = []
    for province in range(1, int(generator.integers(3, 7)) + 1):
        for commune in range(1, int(generator.integers(1, 5)) + 1):
            for _ in range(int(generator.integers(1, 6))):
                rows.append((f"R{province}", f"R{province}.{commune:02d}"))
    cells = pd.DataFrame(rows, columns=["province", "commune"])
    cells.insert(0, "cell", np.arange(1, len(cells) + 1))
    cells[PEOPLE_BEFORE] = generator.integers(0, 20_000, len(cells)).astype(float)
    cells[PEOPLE] = generator.integers(1, 20_000, len(cells)).astype(float)
    concentration = generator.uniform(5.0, 40.0, len(cells)).round(1)
    first_of_province = ~cells["province"].duplicated().to_numpy()
    concentration[(generator.random(len(cells)) < 0.1) & ~first_of_province] = np.nan
    cells[PM25] = concentration
    return cells


def check_air_quality_11_6_2(context):
    """The weighted mean of every province of the workspace's cells and of random cells
    (relative 1e-6), each wrong answer of :func:`_pm25_mistakes` told what it is."""
    function = context.load_module("09_environment/pm25.py").pm25_by_province
    cells = pd.read_csv(context.path(CELLS), dtype={"commune": str, "province": str})
    drawn = _random_cells(np.random.default_rng())
    provinces = drawn["province"].nunique()
    cases = (
        (
            "PM2.5 of the provinces of pm25_cells.csv (µg/m³)",
            "PM2,5 des provinces de pm25_cells.csv (µg/m³)",
            cells,
        ),
        (
            f"PM2.5 of {provinces} random provinces (µg/m³)",
            f"PM2,5 de {provinces} provinces au hasard (µg/m³)",
            drawn,
        ),
    )
    return [
        series_item(
            label_en,
            label_fr,
            function(given.copy()),
            _weighted(given, PEOPLE),
            mistakes=_pm25_mistakes(given),
        )
        for label_en, label_fr, given in cases
    ]


# -- open_space_11_7_1 -------------------------------------------------------------------------
def _open_space_table(project_file):
    return run(
        load_project(project_file),
        indicator_ids=["sdg_11_7_1_share", "sdg_11_7_1_access", "built_up_area"],
        levels=["province", "region"],
    ).long_table()


def _rows(table, indicator, level):
    rows = table[
        (table["indicator"] == indicator)
        & (table["level"] == level)
        & (table["period"].astype(str) == YEAR)
    ]
    return rows.set_index("unit_id")


def check_open_space_11_7_1(context):
    """The region's OPS + STR (km², ±0.01), its share (±0.05 point), whether it reaches 45 %,
    its access share (±0.05 point) and the province with the lowest access."""
    answers = context.answers("09_environment/open_space_answers.toml")
    table = context.shared("open_space_table", lambda: _open_space_table(context.project_file))
    share = _rows(table, "sdg_11_7_1_share", "region").iloc[0]
    access = _rows(table, "sdg_11_7_1_access", "region").iloc[0]
    provinces_access = _rows(table, "sdg_11_7_1_access", "province")["value"].astype(float)
    built_up = float(_rows(table, "built_up_area", "region")["value"].iloc[0])
    return answer_items(
        answers,
        [
            Answer(
                "region_open_land_km2",
                "Open public space and street land of the region (km²)",
                "Espace public ouvert et voirie de la région (km²)",
                float(share["numerator"]),
                abs=0.01,
                mistakes=[Mistake(float(share["denominator"]), *DENOMINATOR)],
            ),
            Answer(
                "region_share_percent",
                "SDG 11.7.1 share of the region (%)",
                "Part ODD 11.7.1 de la région (%)",
                float(share["value"]),
                abs=0.05,
                mistakes=[Mistake(100.0 * float(share["numerator"]) / built_up, *FOOTPRINT)],
            ),
            Answer(
                "reaches_reference",
                f"The region reaches {REFERENCE_SHARE:.0f} %",
                f"La région atteint {REFERENCE_SHARE:.0f} %",
                bool(float(share["value"]) >= REFERENCE_SHARE),
            ),
            Answer(
                "region_access_percent",
                "Access to open space within 400 m, region (%)",
                "Accès à un espace ouvert à moins de 400 m, région (%)",
                float(access["value"]),
                abs=0.05,
                mistakes=[Mistake(float(provinces_access.mean()), *PROVINCES_MEAN)],
            ),
            Answer(
                "lowest_access_province",
                "Province with the lowest access to open space",
                "Province au plus faible accès aux espaces ouverts",
                provinces_access.idxmin(),
            ),
        ],
    )
