"""Checks of module 7 (publishing).

The long table comes from the engine on the workspace's sample (population and density at
province and commune level). The expected sheet is built here by ranking with pandas; the
expected classes come from mapclassify's quantiles on the communes' 2024 density.
"""

from __future__ import annotations

import mapclassify
import pandas as pd

from observatory.engine import run
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import series_item

INDICATOR, PERIOD, LEVEL = "population_density", "2024", "province"


def _long_table(project_file):
    results = run(
        load_project(project_file),
        indicator_ids=["population", "population_density"],
        levels=["province", "commune"],
    )
    return results.long_table()


def check_indicator_sheet(context):
    """The sheet has the 7 provinces ranked by density, rank 1 the densest."""
    table = context.shared("publishing_table", lambda: _long_table(context.project_file))
    module = context.load_module("07_publishing/sheet.py")
    sheet = module.indicator_sheet(table.copy(), INDICATOR, PERIOD, LEVEL)
    columns = ["unit_id", "unit_name", "value", "rank"]
    if not isinstance(sheet, pd.DataFrame) or list(sheet.columns) != columns:
        raise CheckFailed(
            f"The sheet must be a DataFrame with the columns {columns}.",
            f"La fiche doit être un DataFrame avec les colonnes {columns}.",
        )
    rows = table[(table["level"] == LEVEL) & (table["indicator"] == INDICATOR)]
    rows = rows[rows["period"].astype(str) == PERIOD]
    ranks = rows["value"].rank(ascending=False, method="min").astype(int)
    expected = pd.Series(ranks.to_numpy(), index=rows["unit_id"].astype(str))
    ordered = list(sheet["rank"]) == sorted(sheet["rank"])
    return [
        series_item(
            "Rank of each province",
            "Rang de chaque province",
            pd.Series(sheet["rank"].to_numpy(), index=sheet["unit_id"].astype(str)),
            expected,
        ),
        (
            ordered,
            "The sheet is sorted by rank." if ordered else "Sort the sheet by rank.",
            "La fiche est triée par rang." if ordered else "Triez la fiche par rang.",
        ),
    ]


def check_map_classes(context):
    """Quantile classes 1..5 of the communes' 2024 density, as mapclassify computes them."""
    table = context.shared("publishing_table", lambda: _long_table(context.project_file))
    rows = table[(table["level"] == "commune") & (table["indicator"] == INDICATOR)]
    rows = rows[rows["period"].astype(str) == PERIOD]
    values = pd.Series(rows["value"].to_numpy(), index=rows["unit_id"].astype(str))
    expected = pd.Series(mapclassify.Quantiles(values.to_numpy(), k=5).yb + 1, values.index)
    got = context.load_module("07_publishing/classes.py").map_classes(values.copy(), k=5)
    return [series_item("Class of each commune", "Classe de chaque commune", got, expected)]
