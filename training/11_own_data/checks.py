"""Checks of module 11 (your own data): a project drafted from files as published.

The files are the Brussels sample (Statbel boundaries and populations, GHSL grids), written
by ``observatory sample-data --region brussels 11_own_data/downloads``. The checks run
``validate`` on the trainee's project with the library and compare its units and census with
those of the sample's own reviewed project file (the bundled sample, read where it is
installed, never the trainee's copy). The codes to list in census_join_check are read from
the files: the 2018 census codes that match no unit, and the units the 2018 table misses.
"""

from __future__ import annotations

from observatory.census_levels import census_counts
from observatory.checks import check_project
from observatory.errors import ObservatoryError
from observatory.hierarchy import unit_hierarchy
from observatory.io.tables import read_table
from observatory.project import load_project
from observatory.sample import sample_folder
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake

PROJECT = "11_own_data/brussels"
DOWNLOADS = "11_own_data/downloads"
JOIN_ANSWERS = "11_own_data/join_answers.toml"
DRAFT_MARK = "drafted by `observatory init --from`"
CHECK_MARK = "# CHECK:"
#: The census year whose table predates the 2019 mergers.
OLD_YEAR = 2018
INIT_COMMAND = (
    f"observatory init {PROJECT} --from {DOWNLOADS}/boundaries {DOWNLOADS}/population "
    f"{DOWNLOADS}/rasters {DOWNLOADS}/crosswalk_2018_2019.csv --overwrite"
)


def _facts(project):
    """Units per level, census totals per year and problems of ``project``."""
    checked = check_project(project)
    errors = [p for p in checked.problems if p.severity == "error"]
    facts = {"problems": checked.problems, "errors": errors}
    if not errors:
        hierarchy = unit_hierarchy(checked.layers, checked.parent_ids)
        census = census_counts(checked.layers, hierarchy)
        facts["levels"] = {name: len(units) for name, units in hierarchy.levels.items()}
        facts["census"] = {int(year): float(census[year].sum()) for year in census.columns}
        facts["unit_ids"] = set(hierarchy.levels[hierarchy.finest].index.astype(str))
    return facts


def _reference():
    folder = sample_folder("brussels")
    facts = _facts(load_project(folder / "observatory.toml"))
    old_table = next(t for t in load_project(folder / "observatory.toml").census.tables
                     if OLD_YEAR in t.population)  # fmt: skip
    codes = set(read_table(old_table.path)[old_table.id].astype(str).str.strip()) - {""}
    facts["unmatched"] = sorted(codes - facts["unit_ids"])
    facts["missing"] = sorted(facts["unit_ids"] - codes)
    return facts


def _trainee_project(context):
    path = context.path(f"{PROJECT}/observatory.toml")
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if DRAFT_MARK not in text:
        raise CheckFailed(
            f"{PROJECT}/observatory.toml is not a draft of observatory init --from yet. First "
            f"observatory sample-data --region brussels {DOWNLOADS}, then {INIT_COMMAND}",
            f"{PROJECT}/observatory.toml n'est pas encore un brouillon de observatory init "
            f"--from. D'abord observatory sample-data --region brussels {DOWNLOADS}, puis "
            f"{INIT_COMMAND}",
        )
    try:
        return text, load_project(path)
    except ObservatoryError as error:
        raise CheckFailed(
            f"Your project file cannot be read: {error}",
            f"Votre fichier de projet ne peut pas être lu : {error}",
        ) from None


def _validate_items(facts):
    items = [
        (
            False,
            f"validate: {problem.layer}: {problem.message} → {problem.fix}",
            f"validate : {problem.layer} : {problem.message} → {problem.fix}",
        )
        for problem in facts["errors"]
    ]
    if not items:
        items.append((True, "validate finds no error.", "validate ne trouve aucune erreur."))
    return items


def _unit_items(facts, reference):
    if "levels" not in facts:
        return []
    right = facts["levels"] == reference["levels"]
    shown = ", ".join(f"{name}: {count}" for name, count in reference["levels"].items())
    return [
        (
            right,
            f"The levels and their units are right ({shown})."
            if right
            else f"Your levels are {facts['levels']}; the files hold {shown}: look at the "
            "CHECK of the levels (each file is one level, coarsest first).",
            f"Les niveaux et leurs unités sont justes ({shown})."
            if right
            else f"Vos niveaux sont {facts['levels']} ; les fichiers donnent {shown} : relisez "
            "le CHECK des niveaux (un fichier par niveau, le plus grossier d'abord).",
        )
    ]


def _census_items(facts, reference, years):
    items = []
    for year in years:
        got, expected = facts.get("census", {}).get(year), reference["census"][year]
        if got is None:
            items.append(
                (
                    False,
                    f"Your project has no census of {year}: keep each table of population/.",
                    f"Votre projet n'a pas de recensement de {year} : gardez chaque table de "
                    "population/.",
                )
            )
        elif abs(got - expected) > 0.5:
            items.append(
                (
                    False,
                    f"The census of {year} gives {got:,.0f} people at the finest level; the "
                    "table holds more: some of its codes match no unit (see validate's "
                    "warnings).",
                    f"Le recensement de {year} donne {got:,.0f} habitants au niveau le plus "
                    "fin ; la table en compte davantage : certains de ses codes ne trouvent "
                    "pas d'unité (voyez les avertissements de validate).",
                )
            )
        else:
            items.append(
                (
                    True,
                    f"The census of {year} is read whole.",
                    f"Le recensement de {year} est lu en entier.",
                )
            )
    return items


def check_init_from_downloads(context):
    """The trainee's project was drafted by init --from, every CHECK reviewed (none left),
    named, validated with 0 errors, with the sample's units and its 2019 and 2020 census."""
    reference = context.shared("brussels_reference", _reference)
    text, project = _trainee_project(context)
    marks = [
        n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(CHECK_MARK)
    ]
    items = [
        (
            not marks,
            "Every CHECK line was reviewed and deleted."
            if not marks
            else f"{len(marks)} CHECK line(s) left, the first at line {marks[0]}: read it, "
            "correct the value below it if it is wrong, then delete the CHECK line.",
            "Chaque ligne CHECK a été relue et supprimée."
            if not marks
            else f"{len(marks)} ligne(s) CHECK restent, la première à la ligne {marks[0]} : "
            "lisez-la, corrigez la valeur en dessous si elle est fausse, puis supprimez la "
            "ligne CHECK.",
        ),
        (
            project.name.strip().casefold() not in {"brussels", ""},
            "The project has a name of its own.",
            "Le projet a un nom à lui.",
        )
        if project.name.strip().casefold() not in {"brussels", ""}
        else (
            False,
            'The project is still named after its folder ("brussels"): give it the name of '
            "the territory, as it should appear on maps.",
            "Le projet porte encore le nom de son dossier (« brussels ») : donnez-lui le nom "
            "du territoire, tel qu'il doit paraître sur les cartes.",
        ),
    ]
    facts = _facts(project)
    return (
        items
        + _validate_items(facts)
        + _unit_items(facts, reference)
        + _census_items(facts, reference, (2019, 2020))
    )


def _codes_item(label_en, label_fr, got, expected, mistakes):
    """Is the list ``got`` the codes ``expected`` (in any order, as text or numbers)?"""
    if isinstance(got, str) and got.strip() and "TODO" not in got:
        return (
            False,
            f"{label_en}: {got!r} is one text: write each code as its own text, in a list, "
            'e.g. ["11001", "11002"].',
            f"{label_fr} : {got!r} est un seul texte : écrivez chaque code comme un texte à "
            'part, dans une liste, p. ex. ["11001", "11002"].',
        )
    if not isinstance(got, list) or not got or any(isinstance(c, str) and "TODO" in c for c in got):
        return (
            False,
            f'{label_en}: not answered yet: write the codes as a list, e.g. ["11001", "11002"].',
            f"{label_fr} : pas encore de réponse : écrivez les codes en liste, p. ex. "
            '["11001", "11002"].',
        )
    codes = {str(code).strip() for code in got}
    if codes == set(expected):
        return (True, f"{label_en}: all {len(expected)} codes are right.",
                f"{label_fr} : les {len(expected)} codes sont justes.")  # fmt: skip
    for mistake in mistakes:
        if codes == set(mistake.value):
            return (
                False,
                f"{label_en}: {mistake.message_en}",
                f"{label_fr} : {mistake.message_fr}",
            )
    missing, extra = len(set(expected) - codes), len(codes - set(expected))
    return (
        False,
        f"{label_en}: {_codes_count(missing, 'missing', 'missing')} and "
        f"{_codes_count(extra, 'too many', 'too many')}; validate lists them all under "
        "'all N:'.",
        f"{label_fr} : {_codes_count(missing, 'manque', 'manquent')} et "
        f"{_codes_count(extra, 'est en trop', 'sont en trop')} ; validate les liste tous sous "
        "« all N: ».",
    )


def _codes_count(count, singular, plural):
    """``1 code missing``, ``2 codes missing``, ``0 codes too many`` (the French takes the
    plural from 2 on: ``0 code est en trop``, ``1 code manque``, ``2 codes manquent``)."""
    if count == 1:
        return f"1 code {singular}"
    if count == 0 and singular != plural:  # French: zero is singular
        return f"0 code {singular}"
    return f"{count} codes {plural}"


def check_census_join_check(context):
    """The 2018 codes matching no unit and the units missing from 2018 are listed; the join
    is repaired by the crosswalk (2018 only): validate has no census warning left and the
    census of every year is read whole."""
    reference = context.shared("brussels_reference", _reference)
    answers = context.answers(JOIN_ANSWERS)
    unmatched, missing = reference["unmatched"], reference["missing"]
    shown = Mistake(
        unmatched[:5],
        "the warning shows the first five only; the line 'all 15:' below it lists them all.",
        "l'avertissement n'en montre que cinq ; la ligne « all 15: » en dessous les liste tous.",
    )
    items = [
        _codes_item(
            "Census codes of 2018 that match no unit",
            "Codes du recensement de 2018 sans unité",
            answers.get("unmatched_census_codes"),
            unmatched,
            [
                shown,
                Mistake(
                    missing,
                    "these are the units without a census figure; the question "
                    "asks for the codes of the table.",
                    "ce sont les unités sans chiffre "
                    "du recensement ; la question porte sur les codes de la table.",
                ),
            ],
        ),
        _codes_item(
            "Units without a census figure in 2018",
            "Unités sans chiffre du recensement en 2018",
            answers.get("units_without_census"),
            missing,
            [
                Mistake(
                    unmatched,
                    "these are the codes of the table; the question asks for the "
                    "units (municipality codes) left without a figure.",
                    "ce sont les codes de "
                    "la table ; la question porte sur les unités (codes de commune) restées "
                    "sans chiffre.",
                )
            ],
        ),
    ]
    _, project = _trainee_project(context)
    facts = _facts(project)
    census_warnings = [
        p
        for p in facts["problems"]
        if p.layer.startswith(("census", "units")) and p.severity == "warning"
    ]
    items += [
        (
            False,
            f"validate still warns: {problem.layer}: {problem.message[:160]} → uncomment "
            "[census.crosswalk] and give it the years of the tables written with the old codes.",
            f"validate avertit encore : {problem.layer} : {problem.message[:160]} → décommentez "
            "[census.crosswalk] et donnez-lui les années des tables écrites avec les anciens "
            "codes.",
        )
        for problem in census_warnings
    ]
    return items + _validate_items(facts) + _census_items(facts, reference, (OLD_YEAR, 2019, 2020))
