"""Check of module 14 (capstone): the whole job on a territory the trainee chose.

Nothing is known in advance about the territory: the check reads the project, results and
atlas folders the trainee declares in ``14_capstone/answers.toml``, runs ``validate`` on the
project with the library, checks that the results were computed from that project (the
provenance names its project file and its unit and census files), that they hold together
(the population of every level adds up to the same total, year by year) and that the
atlas was written; then the answers are compared with the trainee's own results.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from observatory.checks import validate_project
from observatory.errors import ObservatoryError
from observatory.io.published import read_published
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake, number_item, text_item

ANSWERS = "14_capstone/answers.toml"
#: What to answer for SDG 11.3.1 when the results do not have it, in English and French.
NOT_COMPUTED = ("not computed", "non calculé")


def _folder(context, answers, key, label_en, label_fr):
    given = answers.get(key)
    if not isinstance(given, str) or not given.strip() or "TODO" in given:
        raise CheckFailed(
            f"{ANSWERS}: write the folder of your {label_en} in '{key}' (relative to the "
            'workspace, in quotes, e.g. "14_capstone/my-province").',
            f"{ANSWERS} : écrivez le dossier de votre {label_fr} dans « {key} » (relatif à "
            'l\'espace de travail, entre guillemets, p. ex. "14_capstone/ma-province").',
        )
    return (context.workspace / given.strip()).resolve()


def _project(folder):
    try:
        return load_project(folder / "observatory.toml")
    except ObservatoryError as error:
        raise CheckFailed(
            f"Your project cannot be read: {error}", f"Votre projet ne peut pas être lu : {error}"
        ) from None


def _results(folder):
    try:
        return read_published(folder)
    except ObservatoryError as error:
        raise CheckFailed(
            f"Your results cannot be read: {error}",
            f"Vos résultats ne peuvent pas être lus : {error}",
        ) from None


def _validate_items(project):
    errors = [p for p in validate_project(project) if p.severity == "error"]
    if not errors:
        return [(True, "validate finds no error.", "validate ne trouve aucune erreur.")]
    return [
        (False, f"validate: {p.layer}: {p.message} → {p.fix}",
         f"validate : {p.layer} : {p.message} → {p.fix}")
        for p in errors
    ]  # fmt: skip


def _provenance_items(project, results_folder):
    provenance = json.loads((results_folder / "provenance.json").read_text(encoding="utf-8"))
    made_from = Path(provenance.get("project", {}).get("file", "")).resolve()
    inputs = {Path(path).resolve() for path in provenance.get("inputs", {})}
    expected = {project.units.path_of(level).resolve() for level in project.units.levels}
    if project.census is not None:
        expected |= {table.path.resolve() for table in project.census.tables}
    same_project = made_from == (project.root / "observatory.toml").resolve()
    missing = sorted(
        path.name
        for path in expected
        if not any(given == path or given.is_relative_to(path) for given in inputs)
    )
    return [
        (
            same_project,
            "The results were computed from your project."
            if same_project
            else f"The results were computed from {made_from}, not from your project: compute "
            "again from it (observatory compute PROJECT -o RESULTS --overwrite).",
            "Les résultats ont été calculés à partir de votre projet."
            if same_project
            else f"Les résultats ont été calculés à partir de {made_from}, pas de votre projet : "
            "recalculez (observatory compute PROJET -o RESULTATS --overwrite).",
        ),
        (
            not missing,
            "Their provenance lists your unit and census files."
            if not missing
            else f"Their provenance does not list {', '.join(missing)}: the results are older "
            "than your project; compute again.",
            "Leur provenance liste vos fichiers d'unités et de recensement."
            if not missing
            else f"Leur provenance ne liste pas {', '.join(missing)} : les résultats sont plus "
            "anciens que votre projet ; recalculez.",
        ),
    ]


def _population(published):
    rows = published.long[published.long["indicator"] == "population"]
    if rows.empty:
        raise CheckFailed(
            "Your results have no population: compute it (it needs a census or a population "
            "raster).",
            "Vos résultats n'ont pas de population : calculez-la (il faut un recensement ou un "
            "raster de population).",
        )
    return rows


def _consistency_items(population):
    items = []
    totals = population.groupby(["period", "level"])["value"].sum()
    for period, by_level in totals.groupby(level="period"):
        spread = float(by_level.max() - by_level.min())
        right = spread <= 1e-6 * float(by_level.max()) + 0.5
        items.append(
            (
                right,
                f"Population {period}: every level adds up to the same total."
                if right
                else f"Population {period}: the levels do not add up to the same total "
                f"({by_level.to_dict()}): some units have no parent or no census figure; read "
                "validate's warnings.",
                f"Population {period} : chaque niveau totalise le même nombre."
                if right
                else f"Population {period} : les niveaux n'ont pas le même total "
                f"({by_level.to_dict()}) : des unités n'ont pas de parent ou pas de chiffre ; "
                "lisez les avertissements de validate.",
            )
        )
    return items


def _answer_items(answers, published, population):
    levels = list(published.layers)
    finest = levels[-1]
    latest = max(population["period"].astype(str))
    finest_rows = population[(population["level"] == finest) & (population["period"] == latest)]
    top = str(finest_rows.loc[finest_rows["value"].idxmax(), "unit_id"])
    coarsest_rows = population[
        (population["level"] == levels[0]) & (population["period"] == latest)
    ]
    region = str(coarsest_rows.loc[coarsest_rows["value"].idxmax(), "unit_id"])
    items = [
        text_item(
            f"Most populated unit of the level {finest} in {latest}",
            f"Unité la plus peuplée du niveau {finest} en {latest}",
            answers.get("most_populated_unit"),
            top,
            mistakes=[
                Mistake(
                    region,
                    f"that is a unit of the level {levels[0]}; the question asks for the finest "
                    f"level, {finest}.",
                    f"c'est une unité du niveau {levels[0]} ; la question porte sur le niveau le "
                    f"plus fin, {finest}.",
                )
            ]
            if len(levels) > 1
            else [],
        )
    ]
    long = published.long
    sdg = long[(long["indicator"] == "sdg_11_3_1") & (long["unit_id"].astype(str) == region)]
    sdg = sdg[np.isfinite(sdg["value"].astype(float))]
    given = answers.get("sdg_11_3_1")
    if sdg.empty:
        right = isinstance(given, str) and given.strip().casefold() in NOT_COMPUTED
        items.append(
            (
                right,
                "SDG 11.3.1: right, your results do not have it (provenance.json says why)."
                if right
                else f"SDG 11.3.1: your results do not have it at the level {levels[0]}: answer "
                '"not computed" and read why in provenance.json (indicators_not_computed).',
                "ODD 11.3.1 : juste, vos résultats ne l'ont pas (provenance.json dit pourquoi)."
                if right
                else f"ODD 11.3.1 : vos résultats ne l'ont pas au niveau {levels[0]} : répondez "
                '"non calculé" et lisez pourquoi dans provenance.json (indicators_not_computed).',
            )
        )
        return items
    span = sdg["period"].astype(str).map(_years_spanned)
    longest = sdg.loc[span.idxmax()]
    items.append(
        number_item(
            f"SDG 11.3.1 of {region} ({longest['period']})",
            f"ODD 11.3.1 de {region} ({longest['period']})",
            given,
            float(longest["value"]),
            rel=5e-3,
        )
    )
    return items


def _years_spanned(period: str) -> int:
    """Years from the start to the end of a period written ``2014_2024``."""
    start, _, end = period.partition("_")
    return int(end or start) - int(start)


def check_capstone_own_province(context):
    """On whatever territory the trainee declares: validate passes, the results come from
    that project and hold together, the atlas exists, and the answers are the results'."""
    answers = context.answers(ANSWERS)
    project = _project(_folder(context, answers, "project", "project", "projet"))
    results_folder = _folder(context, answers, "results", "results", "résultats")
    atlas = _folder(context, answers, "atlas", "atlas", "atlas")
    items = _validate_items(project)
    published = _results(results_folder)
    population = _population(published)
    items += _provenance_items(project, results_folder) + _consistency_items(population)
    written = (atlas / "index.html").is_file()
    items.append(
        (
            written,
            "The atlas is written."
            if written
            else f"There is no atlas in {atlas}: write it "
            "with observatory report RESULTS -o ATLAS.",
            "L'atlas est écrit."
            if written
            else f"Il n'y a pas d'atlas dans {atlas} : "
            "écrivez-le avec observatory report RESULTATS -o ATLAS.",
        )
    )
    return items + _answer_items(answers, published, population)
