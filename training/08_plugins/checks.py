"""Checks of module 8 (for developers: your own indicator as a plugin).

``people_per_school`` imports the trainee's module (which registers the indicator), runs it
through the engine on the sample at province level, and compares with people per school
computed here independently: the schools of data/facilities.gpkg joined to the communes of
data/units.gpkg, the census population, both summed by province before dividing, for both
census years (a population year written into the code gives the same value twice). The
registry is put back as it was afterwards, so a check can run again; a plugin installed
with -e registers the same file, which is then one indicator (see
observatory.indicators.registry.source_of).

``plugin_entry_point`` reads the trainee's pyproject.toml with the rules of the template's
build backend, plugin_build.py (the course's copy), so every mistake that would stop
``pip install`` is told before it, in the trainee's language.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from observatory.engine import run
from observatory.indicators import registry
from observatory.io.tables import read_table
from observatory.io.vector import read_layer
from observatory.io.workshop import load_python_file
from observatory.project import load_project
from observatory.workshop import CheckFailed, CheckItem
from observatory.workshop.compare import text_item
from observatory.workshop.compare_series import series_item

INDICATOR = "people_per_school"
YEARS = ("2014", "2024")
PLUGIN_GROUP = "observatory.indicators"
BACKEND = "plugin_build"
MODULE = "08_plugins/my_indicators.py"


def _reference(data):
    """People per school by province for each census year (the schools of today)."""
    communes = read_layer(data / "units.gpkg", layer="communes")
    schools = read_layer(data / "facilities.gpkg", layer="schools").to_crs(communes.crs)
    joined = gpd.sjoin(schools[["geometry"]], communes[["code", "geometry"]], predicate="within")
    province_of = communes.set_index(communes["code"].astype(str))["province_code"].astype(str)
    schools_by_province = joined["code"].astype(str).map(province_of).value_counts()
    census = read_table(data / "census.csv").set_index("code")
    by_year = {}
    for year in YEARS:
        people = pd.to_numeric(census[f"population_{year}"]).groupby(province_of).sum()
        by_year[year] = people / schools_by_province.reindex(people.index)
    return by_year


def _registered_elsewhere(module_file, error):
    """A failed check when another file already registers the indicator (a copy of the
    trainee's module installed without -e); the error otherwise."""
    other = registry.registered_source(INDICATOR)
    if other is None or "registered twice" not in str(error) or str(module_file) in other:
        raise error
    raise CheckFailed(
        f"Another file already registers '{INDICATOR}': {other}. It is probably a copy of your "
        "module installed without -e: reinstall with python -m pip install "
        "--no-build-isolation -e 08_plugins, so that Observatory imports your file itself.",
        f"Un autre fichier enregistre déjà « {INDICATOR} » : {other}. C'est sans doute une "
        "copie de votre module installée sans -e : réinstallez avec python -m pip install "
        "--no-build-isolation -e 08_plugins, pour qu'Observatory importe votre fichier "
        "lui-même.",
    )


def check_people_per_school(context):
    """The registered indicator gives Σ people / Σ schools by province (to 1e-9), in 2014
    and in 2024."""
    with registry.isolated_registry():
        try:
            context.load_module(MODULE)
        except ValueError as error:
            _registered_elsewhere(context.path(MODULE).resolve(), error)
        if INDICATOR not in registry.catalogue():
            raise CheckFailed(
                f"Your module does not register an indicator with id '{INDICATOR}'.",
                f"Votre module n'enregistre pas d'indicateur d'id « {INDICATOR} ».",
            )
        results = run(
            load_project(context.project_file), indicator_ids=[INDICATOR], levels=["province"]
        )
    table = results.long_table()
    expected = context.shared("people_per_school", lambda: _reference(context.data))
    items = []
    for year in YEARS:
        values = table[table["period"] == year].set_index("unit_id")["value"]
        label_en = f"People per school by province in {year}"
        label_fr = f"Habitants par école par province en {year}"
        items.append(
            _without_value_item(label_en, label_fr, values, expected[year])
            or series_item(label_en, label_fr, values, expected[year], rel=1e-9)
        )
    return items


def _without_value_item(label_en, label_fr, values, expected):
    """A failed item when provinces that have schools come out without a value, with the two
    usual causes; None otherwise (the values are then compared one by one)."""
    empty = values.reindex(expected.index).isna() & expected.notna()
    if not empty.any():
        return None
    if empty.all():
        cause_en = (
            "no school was counted in any unit. Are the schools in the units' CRS before the "
            "join (to_crs(units.crs))? Is each school joined to the unit it lies within "
            '(schools first, predicate="within")?'
        )
        cause_fr = (
            "aucune école n'a été comptée dans aucune unité. Les écoles sont-elles dans le "
            "SCR des unités avant la jointure (to_crs(units.crs)) ? Chaque école est-elle "
            "jointe à l'unité où elle se trouve (les écoles d'abord, predicate=\"within\") ?"
        )
    else:
        cause_en = (
            "a commune without a school must count 0 schools, not be left out (reindex the "
            "counts on units.index with fill_value=0): a province with a commune without a "
            "value gets none."
        )
        cause_fr = (
            "une commune sans école doit compter 0 école, pas être oubliée (réindexez les "
            "comptes sur units.index avec fill_value=0) : une province dont une commune n'a "
            "pas de valeur n'en a pas non plus."
        )
    count, total = int(empty.sum()), len(expected)
    if count == 1:
        none_en, none_fr = f"1 of {total} provinces has", f"1 province sur {total} n'a"
    else:
        none_en, none_fr = (
            f"{count} of {total} provinces have",
            f"{count} provinces sur {total} n'ont",
        )
    return CheckItem(
        False,
        f"{label_en}: {none_en} no value; {cause_en}",
        f"{label_fr} : {none_fr} pas de valeur ; {cause_fr}",
    )


def _backend():
    """The course's own plugin_build.py (the trainee's copy could have been edited)."""
    return load_python_file(
        Path(__file__).with_name("plugin_build.py"), module_name="observatory_course_plugin_build"
    )


def _build_system_item(document):
    build = document.get("build-system", {})
    kept = build.get("build-backend") == BACKEND and build.get("requires", []) == []
    return (
        kept,
        "The build backend is still plugin_build (nothing to download)."
        if kept
        else f'Keep the [build-system] table of the template (build-backend = "{BACKEND}", '
        "requires = []): another backend must be downloaded, which fails offline.",
        "Le backend de construction est toujours plugin_build (rien à télécharger)."
        if kept
        else f'Gardez la table [build-system] du modèle (build-backend = "{BACKEND}", '
        "requires = []) : un autre backend doit être téléchargé, ce qui échoue hors ligne.",
    )


def check_plugin_entry_point(context):
    """The package installs (the rules of plugin_build: a valid name that is not
    Observatory's, the dependency territorial-observatory, modules that exist), with the
    template's backend and an entry point of the observatory.indicators group naming the
    module my_indicators."""
    document = context.answers("08_plugins/pyproject.toml")
    backend = _backend()
    try:
        project = backend.read_project(context.path("08_plugins"))
    except backend.PluginError as error:
        raise CheckFailed(error.message_en, error.message_fr) from None
    named = list(project["entry_points"][PLUGIN_GROUP].values())
    return [
        (
            True,
            f"The package {project['name']} can be installed.",
            f"Le paquet {project['name']} peut être installé.",
        ),
        _build_system_item(document),
        text_item(
            "Module named by the entry point",
            "Module nommé par le point d'entrée",
            named[0],
            "my_indicators",
        ),
    ]
