"""Checks of module 5 (Degree of Urbanisation).

The engine classifies the communes (``degurba_l1``, 2024) on the workspace's sample; the
census status comes from the ``status`` field of the communes layer. Agreement: census
"urban" with class 3 or 2, census "rural" with class 1.
"""

from __future__ import annotations

import pandas as pd

from observatory.engine import run
from observatory.io.vector import read_layer
from observatory.project import load_project
from observatory.workshop.compare import number_item

YEAR = "2024"
URBAN_CLASSES = (2.0, 3.0)


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
