"""Checks of module 13 (comparing territories): RSK and Brussels side by side.

Every expected answer is read from the comparison the trainee wrote with ``observatory
compare`` (``13_compare/comparison``): the densities and ranks of ``comparison.csv``, the
status and notes of ``comparability.csv``. The notes are matched by their words in English
or French (the comparison is in the language of the first results folder).
"""

from __future__ import annotations

from observatory.errors import ObservatoryError
from observatory.io.tables import read_table
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake, number_item, text_item

ANSWERS = "13_compare/answers.toml"
COMPARISON = "13_compare/comparison"
INDICATOR = "population_density"
#: The letters of the answers, and the words of the notes (en, fr) each stands for.
STATUS_WORDS = {"C": ("only in", "seulement"), "B": ("care", "prudence")}
REASON_WORDS = {
    "A": ("different years", "années différentes"),
    "B": ("land grid", "grille des terres"),
    "C": ("distance", "distance"),
    "D": ("threshold", "seuil"),
    "E": ("median area", "surface médiane"),
}
COMMAND = f"observatory compare 13_compare/rsk-results 13_compare/brussels-results -o {COMPARISON}"


def _read(name):
    try:
        return read_table(f"{name}")
    except ObservatoryError:
        raise CheckFailed(
            f"There is no comparison yet ({name} is missing): run the commands of "
            f"13_compare/answers.toml, the last being {COMMAND}",
            f"Il n'y a pas encore de comparaison ({name} manque) : lancez les commandes de "
            f"13_compare/answers.toml, la dernière étant {COMMAND}",
        ) from None


def _letters(text, words):
    text = str(text).casefold()
    return {letter for letter, (en, fr) in words.items() if en in text or fr in text}


def _letters_item(label_en, label_fr, got, expected):
    if not isinstance(got, list) or any(not isinstance(g, str) or "TODO" in g for g in got):
        return (
            False,
            f'{label_en}: write a list of letters in quotes, e.g. ["A", "C"].',
            f'{label_fr} : écrivez une liste de lettres entre guillemets, p. ex. ["A", "C"].',
        )
    letters = {g.strip().upper() for g in got}
    if letters == expected:
        return (True, f"{label_en}: right.", f"{label_fr} : juste.")
    missing, extra = len(expected - letters), len(letters - expected)
    missing_en = "1 reason is missing" if missing == 1 else f"{missing} reasons are missing"
    missing_fr = f"{missing} raison manque" if missing < 2 else f"{missing} raisons manquent"
    extra_en = "1 is" if extra == 1 else f"{extra} are"
    extra_fr = f"{extra} n'est pas donnée" if extra < 2 else f"{extra} ne sont pas données"
    return (
        False,
        f"{label_en}: not right: {missing_en} and {extra_en} not given by the notes; read the "
        "notes of population_density and of the row of all indicators.",
        f"{label_fr} : pas juste : {missing_fr} et {extra_fr} par les notes ; lisez les notes "
        "de population_density et de la ligne de tous les indicateurs.",
    )


def check_compare_rsk_brussels(context):
    """Density of RSK and its rank, the densest unit, the status of the density and the
    reasons the notes give, all as the trainee's comparison says."""
    answers = context.answers(ANSWERS)
    table = _read(context.path(f"{COMPARISON}/comparison.csv"))
    notes = _read(context.path(f"{COMPARISON}/comparability.csv"))
    value = table[f"{INDICATOR}_latest"].astype(float)
    rank = table[f"{INDICATOR}_rank"].astype(float)
    rsk = table.index[table["unit_id"].astype(str) == "04"]
    if not len(rsk):
        raise CheckFailed(
            "The comparison has no RSK region (unit 04): compare 13_compare/rsk-results, "
            "computed from data.",
            "La comparaison n'a pas la région RSK (unité 04) : comparez 13_compare/rsk-results, "
            "calculé à partir de data.",
        )
    rsk = rsk[0]
    densest = table.loc[rank.idxmin()]
    row = notes[notes["indicator"].astype(str) == INDICATOR]
    if row.empty:
        raise CheckFailed(
            f"{INDICATOR} is not in the comparison: compute it for both territories.",
            f"{INDICATOR} n'est pas dans la comparaison : calculez-le pour les deux territoires.",
        )
    all_row = notes[notes["indicator"].fillna("").astype(str).str.strip().isin(["", "nan"])]
    status = _letters(row["status"].iloc[0], STATUS_WORDS) or {"A"}
    reasons = _letters(row["notes"].iloc[0], REASON_WORDS)
    if not all_row.empty:
        reasons |= _letters(all_row["notes"].iloc[0], REASON_WORDS)
    others = value.drop(rsk)
    return [
        number_item(
            "Density of the RSK region",
            "Densité de la région RSK",
            answers.get("rsk_density"),
            float(value[rsk]),
            rel=5e-3,
            mistakes=[
                Mistake(
                    float(v),
                    "that is the density of a Brussels or Flemish region; read the row of unit 04.",
                    "c'est la densité d'une région de Bruxelles ou de Flandre ; lisez la ligne de "
                    "l'unité 04.",
                )
                for v in others
            ],
        ),
        number_item(
            "Rank of RSK by density",
            "Rang de RSK par densité",
            answers.get("rsk_density_rank"),
            float(rank[rsk]),
        ),
        text_item(
            "Densest unit",
            "Unité la plus dense",
            answers.get("densest_unit"),
            str(densest["unit_id"]),
        ),
        text_item(
            "Status of population_density",
            "Statut de population_density",
            answers.get("density_status"),
            next(iter(status)),
        ),
        _letters_item(
            "Why the densities are not comparable as they stand",
            "Pourquoi les densités ne sont pas comparables telles quelles",
            answers.get("density_reasons"),
            reasons,
        ),
    ]
