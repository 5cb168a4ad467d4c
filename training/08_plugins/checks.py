"""Checks of module 8 (for developers: your own indicator as a plugin).

``people_per_school`` imports the trainee's module (which registers the indicator), runs it
through the engine on the sample at province level, and compares with people per school
computed here independently: the schools of data/facilities.gpkg joined to the communes of
data/units.gpkg, the census population, both summed by province before dividing. The
registry is put back as it was afterwards, so a check can run again.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from observatory.engine import run
from observatory.indicators import registry
from observatory.io.tables import read_table
from observatory.io.vector import read_layer
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import series_item, text_item

INDICATOR = "people_per_school"
YEAR = "2024"
PLUGIN_GROUP = "observatory.indicators"


def _reference(data):
    communes = read_layer(data / "units.gpkg", layer="communes")
    schools = read_layer(data / "facilities.gpkg", layer="schools").to_crs(communes.crs)
    joined = gpd.sjoin(schools[["geometry"]], communes[["code", "geometry"]], predicate="within")
    province_of = communes.set_index(communes["code"].astype(str))["province_code"].astype(str)
    schools_by_province = joined["code"].astype(str).map(province_of).value_counts()
    census = read_table(data / "census.csv").set_index("code")[f"population_{YEAR}"]
    people = pd.to_numeric(census).groupby(province_of).sum()
    return people / schools_by_province.reindex(people.index)


def check_people_per_school(context):
    """The registered indicator gives Σ people / Σ schools by province (to 1e-9)."""
    with registry.isolated_registry():
        context.load_module("08_plugins/my_indicators.py")
        if INDICATOR not in registry.catalogue():
            raise CheckFailed(
                f"Your module does not register an indicator with id '{INDICATOR}'.",
                f"Votre module n'enregistre pas d'indicateur d'id « {INDICATOR} ».",
            )
        results = run(
            load_project(context.project_file), indicator_ids=[INDICATOR], levels=["province"]
        )
    table = results.long_table()
    values = table[table["period"] == YEAR].set_index("unit_id")["value"]
    expected = context.shared("people_per_school", lambda: _reference(context.data))
    return [
        series_item(
            f"People per school by province in {YEAR}",
            f"Habitants par école par province en {YEAR}",
            values,
            expected,
            rel=1e-9,
        )
    ]


def check_plugin_entry_point(context):
    """A package name, and an entry point of the observatory.indicators group naming the
    module my_indicators."""
    document = context.answers("08_plugins/pyproject.toml")
    project = document.get("project", {})
    entry_points = project.get("entry-points", {}).get(PLUGIN_GROUP, {})
    named = list(entry_points.values())
    has_name = bool(project.get("name")) and "TODO" not in str(project.get("name"))
    return [
        (
            has_name,
            "The package has a name." if has_name else "The package needs a name (not TODO).",
            "Le paquet a un nom." if has_name else "Le paquet doit avoir un nom (pas TODO).",
        ),
        (
            bool(entry_points),
            f"There is an entry point in the group {PLUGIN_GROUP}."
            if entry_points
            else f'No table [project.entry-points."{PLUGIN_GROUP}"] yet.',
            f"Il y a un point d'entrée dans le groupe {PLUGIN_GROUP}."
            if entry_points
            else f'Pas encore de table [project.entry-points."{PLUGIN_GROUP}"].',
        ),
        text_item(
            "Module named by the entry point",
            "Module nommé par le point d'entrée",
            named[0] if named else None,
            "my_indicators",
        ),
    ]
