"""Checks of module 4 (territorial dynamics).

``lcrpgr_formula`` calls the trainee's function on the hand-checkable seed of the methods
(100 → 121 km², 1.0 → 1.1 M people, 10 years → exactly 2) and on the region's own built-up
areas and populations, computed by the engine. ``sdg_11_3_1_provinces`` compares the answers
with the engine's SDG 11.3.1 at province and region level.
"""

from __future__ import annotations

import math

from observatory.engine import run
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import number_item, text_item

PERIOD = "2014_2024"


def _results(project_file):
    results = run(
        load_project(project_file),
        indicator_ids=["sdg_11_3_1", "built_up_area", "population"],
        levels=["region", "province"],
    )
    return results.long_table()


def _table(context):
    return context.shared("sdg_11_3_1_table", lambda: _results(context.project_file))


def check_lcrpgr_formula(context):
    """The formula on the seed (exactly 2), on PGR = 0 (no value) and on the region."""
    function = context.load_module("04_dynamics/lcrpgr.py").lcrpgr
    items = [
        number_item(
            "Seed 100→121 km², 1.0→1.1 M, 10 years",
            "Cas 100→121 km², 1,0→1,1 M, 10 ans",
            function(100.0, 121.0, 1.0e6, 1.1e6, 10.0),
            2.0,
            rel=1e-12,
        )
    ]
    no_growth = function(100.0, 121.0, 1.0e6, 1.0e6, 10.0)
    items.append(
        (
            isinstance(no_growth, float) and math.isnan(no_growth),
            "No population change gives no value (nan), not a division by zero.",
            "Sans variation de population, pas de valeur (nan), pas de division par zéro.",
        )
    )
    table = _table(context)
    region = table[table["level"] == "region"].set_index(["indicator", "period"])["value"]
    try:
        urb = region[("built_up_area", "2014")], region[("built_up_area", "2024")]
        pop = region[("population", "2014")], region[("population", "2024")]
    except KeyError:
        raise CheckFailed(
            "The sample has no built-up or population for 2014 and 2024.",
            "L'exemple n'a pas de bâti ou de population pour 2014 et 2024.",
        ) from None
    items.append(
        number_item(
            "The region's LCRPGR from its built-up area and population",
            "Le LCRPGR de la région à partir de son bâti et de sa population",
            function(urb[0], urb[1], pop[0], pop[1], 10.0),
            float(region[("sdg_11_3_1", PERIOD)]),
            rel=1e-9,
        )
    )
    return items


def check_sdg_11_3_1_provinces(context):
    """Highest province and its value (±0.005), the declining province and its regime,
    and whether the region's ratio is above 1."""
    answers = context.answers("04_dynamics/answers.toml")
    table = _table(context)
    sdg = table[(table["indicator"] == "sdg_11_3_1") & (table["period"] == PERIOD)]
    provinces = sdg[sdg["level"] == "province"].set_index("unit_id")
    population = table[(table["indicator"] == "population") & (table["level"] == "province")]
    by_year = population.pivot(index="unit_id", columns="period", values="value")
    declining = by_year.index[by_year["2024"] < by_year["2014"]]
    if len(declining) != 1:
        raise CheckFailed(
            "This exercise expects exactly one province with a declining population.",
            "Cet exercice attend exactement une province dont la population baisse.",
        )
    region_value = float(sdg.loc[sdg["level"] == "region", "value"].iloc[0])
    return [
        text_item(
            "Province with the highest LCRPGR",
            "Province au LCRPGR le plus élevé",
            answers.get("highest_province"),
            provinces["value"].idxmax(),
        ),
        number_item(
            "Its LCRPGR",
            "Son LCRPGR",
            answers.get("highest_value"),
            float(provinces["value"].max()),
            abs=0.005,
        ),
        text_item(
            "Province with a declining population",
            "Province dont la population baisse",
            answers.get("declining_province"),
            declining[0],
        ),
        text_item(
            "Its regime",
            "Son régime",
            answers.get("declining_regime"),
            provinces.loc[declining[0], "note"],
        ),
        text_item(
            "Region's LCRPGR above 1",
            "LCRPGR régional au-dessus de 1",
            answers.get("region_above_one"),
            region_value > 1,
        ),
    ]
