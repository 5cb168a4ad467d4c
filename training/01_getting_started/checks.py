"""Checks of module 1 (getting started): the first look at the sample, the broken project file.

Reference values are read from the workspace's sample project with the library, never typed
in: the number of units per level from ``data/units.gpkg`` and the region's population from
the census (the sum of its communes).
"""

from __future__ import annotations

from observatory.census_levels import census_counts
from observatory.checks import validate_project
from observatory.engine import load_checked_layers
from observatory.errors import ObservatoryError
from observatory.hierarchy import unit_hierarchy
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import number_item, text_item

ANSWERS = "01_getting_started/answers.toml"
PROJECT = "01_getting_started/observatory.toml"


def _sample_facts(context):
    checked = load_checked_layers(load_project(context.project_file))
    hierarchy = unit_hierarchy(checked.layers, checked.parent_ids)
    census = census_counts(checked.layers, hierarchy)
    return {
        "levels": {name: len(units) for name, units in hierarchy.levels.items()},
        "finest": hierarchy.finest,
        "population": {year: float(census[year].sum()) for year in census.columns},
    }


def check_first_look(context):
    """Count of communes and provinces, region population 2024 (±0.1 %), commune layer name."""
    answers = context.answers(ANSWERS)
    facts = context.shared("sample_facts", lambda: _sample_facts(context))
    return [
        number_item(
            "Number of communes",
            "Nombre de communes",
            answers.get("communes"),
            facts["levels"]["commune"],
        ),
        number_item(
            "Number of provinces",
            "Nombre de provinces",
            answers.get("provinces"),
            facts["levels"]["province"],
        ),
        number_item(
            "Region population 2024",
            "Population de la région en 2024",
            answers.get("region_population_2024"),
            facts["population"][2024],
            rel=1e-3,
        ),
        text_item(
            "Layer of the communes",
            "Couche des communes",
            answers.get("commune_layer"),
            facts["finest"],
        ),
    ]


def check_project_file(context):
    """The trainee's project file loads, describes the whole sample, and validates with 0 errors."""
    try:
        project = load_project(context.path(PROJECT))
    except ObservatoryError as error:
        raise CheckFailed(
            f"The project file cannot be read yet: {error}",
            f"Le fichier de projet ne peut pas encore être lu : {error}",
        ) from None
    items = [
        (
            [level.name for level in project.units.levels] == ["region", "province", "commune"],
            "The three levels region > province > commune are there.",
            "Les trois niveaux région > province > commune sont là.",
        ),
        (
            project.census is not None and project.census.years == [2014, 2024],
            "The census gives the populations of 2014 and 2024.",
            "Le recensement donne les populations de 2014 et 2024.",
        ),
        (
            sorted(project.rasters.get("population", {})) == [2014, 2024],
            "Population rasters for 2014 and 2024 are declared.",
            "Les rasters de population 2014 et 2024 sont déclarés.",
        ),
    ]
    errors = [problem for problem in validate_project(project) if problem.severity == "error"]
    for problem in errors:
        items.append(
            (
                False,
                f"validate: {problem.layer}: {problem.message} → {problem.fix}",
                f"validate : {problem.layer} : {problem.message} → {problem.fix}",
            )
        )
    if not errors:
        items.append((True, "validate finds no error.", "validate ne trouve aucune erreur."))
    return items
