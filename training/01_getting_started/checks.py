"""Checks of module 1 (getting started): the first look at the sample, the broken project file.

Reference values are read from the workspace's sample project with the library, never typed
in: the number of units per level from ``data/units.gpkg`` and the region's population from
the census (the sum of its communes).
"""

from __future__ import annotations

from observatory.census_levels import census_counts
from observatory.checks import validate_project
from observatory.engine import load_checked_layers
from observatory.errors import ObservatoryError, error_message
from observatory.hierarchy import unit_hierarchy
from observatory.project import load_project
from observatory.report.i18n import translator
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake, number_item, text_item

ANSWERS = "01_getting_started/answers.toml"
PROJECT = "01_getting_started/observatory.toml"
#: The rasters the exercise's project file declares (the sample's has more).
RASTER_ROLES = ("population", "built_up", "land")


def _sample_facts(context):
    project = load_project(context.project_file)
    checked = load_checked_layers(project)
    hierarchy = unit_hierarchy(checked.layers, checked.parent_ids)
    census = census_counts(checked.layers, hierarchy)
    return {
        "levels": {name: len(units) for name, units in hierarchy.levels.items()},
        "finest": hierarchy.finest,
        "population": {year: float(census[year].sum()) for year in census.columns},
        "unit_layer": {level.name: level.layer for level in project.units.levels},
    }


def check_first_look(context):
    """Count of communes and provinces, region population 2024 (±0.1 %), commune layer name;
    the counts swapped, the 2014 population and the layer of units.gpkg are told so."""
    answers = context.answers(ANSWERS)
    facts = context.shared("sample_facts", lambda: _sample_facts(context))
    communes, provinces = facts["levels"]["commune"], facts["levels"]["province"]
    return [
        number_item(
            "Number of communes",
            "Nombre de communes",
            answers.get("communes"),
            communes,
            mistakes=[_count_of("province", provinces), _count_of("region", 1)],
            label_ar="عدد الجماعات",
        ),
        number_item(
            "Number of provinces",
            "Nombre de provinces",
            answers.get("provinces"),
            provinces,
            mistakes=[_count_of("commune", communes), _count_of("region", 1)],
            label_ar="عدد الأقاليم",
        ),
        number_item(
            "Region population 2024",
            "Population de la région en 2024",
            answers.get("region_population_2024"),
            facts["population"][2024],
            rel=1e-3,
            mistakes=[
                Mistake(
                    facts["population"][2014],
                    "that is the population of 2014; read the column of 2024.",
                    "c'est la population de 2014 ; lisez la colonne de 2024.",
                    "هذه ساكنة 2014؛ اقرأ عمود 2024.",
                )
            ],
            label_ar="ساكنة الجهة سنة 2024",
        ),
        text_item(
            "Layer of the communes",
            "Couche des communes",
            answers.get("commune_layer"),
            facts["finest"],
            mistakes=[
                Mistake(
                    facts["unit_layer"]["commune"],
                    "that is the layer of data/units.gpkg; the question asks for the layer of "
                    "demo/results/indicators.gpkg.",
                    "c'est la couche de data/units.gpkg ; la question porte sur la couche de "
                    "demo/results/indicators.gpkg.",
                    "هذه طبقة data/units.gpkg؛ السؤال عن طبقة demo/results/indicators.gpkg.",
                )
            ],
            label_ar="طبقة الجماعات",
        ),
    ]


def _count_of(level, count):
    """The mistake of giving the number of units of another ``level``."""
    return Mistake(
        count,
        f"that is the number of units of the level {level}; count the features of the right layer.",
        f"c'est le nombre d'unités du niveau {level} ; comptez les entités de la bonne couche.",
        f"هذا عدد وحدات المستوى {level}؛ عُدّ عناصر الطبقة الصحيحة.",
    )


def _census_items(project, reference):
    """One failed item per census year that reads another year's column."""
    items = []
    for year, column in sorted(project.census.tables[0].population.items()):
        right = reference.census.tables[0].population.get(year)
        if right is not None and column != right:
            items.append(
                (
                    False,
                    f"The census year {year} reads the column '{column}': each year must read "
                    "the column of its own census (look at the column names in "
                    "data/census.csv).",
                    f"L'année {year} du recensement lit la colonne « {column} » : chaque année "
                    "doit lire la colonne de son propre recensement (regardez les noms de "
                    "colonnes de data/census.csv).",
                    f"سنة الإحصاء {year} تقرأ العمود '{column}': يجب أن تقرأ كل سنة عمود "
                    "إحصائها (انظر أسماء الأعمدة في data/census.csv).",
                )
            )
    return items


def _raster_items(project, reference):
    """One failed item per raster missing or naming another year's (or role's) file."""
    items = []
    for role in RASTER_ROLES:
        for year, path in reference.rasters.get(role, {}).items():
            given = project.rasters.get(role, {}).get(year)
            shown = role if year is None else f"{role} {year}"
            if given is None:
                items.append(
                    (
                        False,
                        f"The raster {shown} is no longer declared: repair its path rather "
                        "than remove it.",
                        f"Le raster {shown} n'est plus déclaré : réparez son chemin plutôt "
                        "que de le supprimer.",
                        f"الشبكة النقطية {shown} لم تعد مصرحاً بها: أصلح مسارها بدل حذفها.",
                    )
                )
            elif given.resolve() != path.resolve():
                items.append(
                    (
                        False,
                        f"The raster {shown} is {given.name}: each role and year needs its own "
                        "grid (the year is in the file name).",
                        f"Le raster {shown} est {given.name} : chaque rôle et chaque année a sa "
                        "propre grille (l'année est dans le nom du fichier).",
                        f"الشبكة النقطية {shown} هي {given.name}: لكل دور ولكل سنة شبكتها "
                        "(السنة مكتوبة في اسم الملف).",
                    )
                )
    return items


def _level_items(project, reference):
    """One failed item per level that reads another layer or field than the sample's."""
    given = {level.name: level for level in project.units.levels}
    items = []
    for level in reference.units.levels:
        mine = given.get(level.name)
        if mine is not None and (mine.layer, mine.id, mine.parent) != (
            level.layer,
            level.id,
            level.parent,
        ):
            items.append(
                (
                    False,
                    f"The level {level.name} reads the layer '{mine.layer}' (id '{mine.id}'): "
                    "it is not the layer of that level in ../data/units.gpkg.",
                    f"Le niveau {level.name} lit la couche « {mine.layer} » (id « {mine.id} ») :"
                    " ce n'est pas la couche de ce niveau dans ../data/units.gpkg.",
                    f"المستوى {level.name} يقرأ الطبقة '{mine.layer}' (المعرف '{mine.id}'): "
                    "ليست طبقة هذا المستوى في ../data/units.gpkg.",
                )
            )
    return items


def check_project_file(context):
    """The trainee's project file loads, describes the whole sample as data/observatory.toml
    does (each census year its own column, each raster its own file, each level its layer),
    and validates with 0 errors."""
    try:
        project = load_project(context.path(PROJECT))
    except ObservatoryError as error:
        reason = error_message(error)
        raise CheckFailed(
            f"The project file cannot be read yet: {reason}",
            f"Le fichier de projet ne peut pas encore être lu : {translator('fr').text(reason)}",
            f"لا يمكن قراءة ملف المشروع بعد: {translator('ar').text(reason)}",
        ) from None
    items = [
        (
            [level.name for level in project.units.levels] == ["region", "province", "commune"],
            "The three levels region > province > commune are there.",
            "Les trois niveaux région > province > commune sont là.",
            "المستويات الثلاثة جهة > إقليم > جماعة موجودة.",
        ),
        (
            project.census is not None and project.census.years == [2014, 2024],
            "The census gives the populations of 2014 and 2024.",
            "Le recensement donne les populations de 2014 et 2024.",
            "الإحصاء يعطي ساكنة 2014 و2024.",
        ),
        (
            sorted(project.rasters.get("population", {})) == [2014, 2024],
            "Population rasters for 2014 and 2024 are declared.",
            "Les rasters de population 2014 et 2024 sont déclarés.",
            "الشبكات النقطية للسكان لسنتي 2014 و2024 مصرح بها.",
        ),
    ]
    reference = load_project(context.project_file)
    if project.census is not None:
        items += _census_items(project, reference)
    items += _raster_items(project, reference) + _level_items(project, reference)
    errors = [problem for problem in validate_project(project) if problem.severity == "error"]
    french, arabic = translator("fr"), translator("ar")
    for problem in errors:
        items.append(
            (
                False,
                f"validate: {problem.layer}: {problem.message} → {problem.fix}",
                f"validate : {problem.layer} : {french.text(problem.message)} → "
                f"{french.text(problem.fix)}",
                f"validate: {problem.layer}: {arabic.text(problem.message)} → "
                f"{arabic.text(problem.fix)}",
            )
        )
    if not errors:
        items.append(
            (
                True,
                "validate finds no error.",
                "validate ne trouve aucune erreur.",
                "validate لا يجد أي خطأ.",
            )
        )
    return items
