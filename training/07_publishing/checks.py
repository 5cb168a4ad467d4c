"""Checks of module 7 (publishing).

The long table comes from the engine on the workspace's sample (population and density at
province and commune level). The expected sheet is built here by ranking with pandas; as the
provinces have no tied values, the sheet is also asked of a small table with ties (where
ranking methods differ) for another indicator, period and level (where a selection written
into the code shows). The expected classes come from mapclassify's quantiles on the
communes' 2024 density, for k = 5 and k = 4.
"""

from __future__ import annotations

import mapclassify
import numpy as np
import pandas as pd

from observatory.engine import run
from observatory.project import load_project
from observatory.report.legend import ABOVE, FALLING_COLOUR
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake, number_item
from observatory.workshop.compare_series import series_item

INDICATOR, PERIOD, LEVEL = "population_density", "2024", "province"
COLUMNS = ["unit_id", "unit_name", "value", "rank"]
#: Ranking methods that agree with "min" only where no values are tied.
TIE_MISTAKES = {
    "dense": (
        "after three units tied in 2nd place comes the 5th, not the 3rd "
        '(method="min", as in a sports ranking), not method="dense".',
        "après trois unités ex aequo à la 2e place vient la 5e, pas la 3e "
        '(method="min", comme un classement sportif), pas method="dense".',
    ),
    "first": (
        'tied values must share one rank (method="min"); yours are numbered one after the other.',
        'des valeurs égales doivent partager un rang (method="min") ; les vôtres sont '
        "numérotées l'une après l'autre.",
    ),
    "average": (
        'tied values share the best of their ranks (method="min": three units tied in 2nd '
        "place are 2, 2, 2), not their average (3, 3, 3).",
        'des valeurs égales partagent le meilleur de leurs rangs (method="min" : trois '
        "unités ex aequo à la 2e place ont 2, 2, 2), pas leur moyenne (3, 3, 3).",
    ),
    "max": (
        'tied values share the best of their ranks (method="min"), not the worst.',
        'des valeurs égales partagent le meilleur de leurs rangs (method="min"), pas le moins bon.',
    ),
}
FROM_ZERO = (
    "classes start at 0: yb counts from 0, add 1 so that they go from 1 to k.",
    "les classes commencent à 0 : yb compte à partir de 0, ajoutez 1 pour aller de 1 à k.",
)

LOWEST_FIRST = (
    "rank 1 is the lowest value in your sheet; rank 1 must be the highest: rank(ascending=False).",
    "le rang 1 est la valeur la plus basse dans votre fiche ; le rang 1 doit être la plus "
    "haute : rank(ascending=False).",
)
HIGHEST_FIRST = (
    "the classes are upside down: class 1 must hold the lowest values and class k the "
    "highest (yb + 1, not k - yb).",
    "les classes sont à l'envers : la classe 1 doit avoir les valeurs les plus basses et la "
    "classe k les plus hautes (yb + 1, pas k - yb).",
)


def _long_table(project_file):
    results = run(
        load_project(project_file),
        indicator_ids=["population", "population_density"],
        levels=["province", "commune"],
    )
    return results.long_table()


def _sheet(module, table, indicator, period, level):
    sheet = module.indicator_sheet(table.copy(), indicator, period, level)
    if not isinstance(sheet, pd.DataFrame) or list(sheet.columns) != COLUMNS:
        raise CheckFailed(
            f"The sheet must be a DataFrame with the columns {COLUMNS}.",
            f"La fiche doit être un DataFrame avec les colonnes {COLUMNS}.",
        )
    return sheet


def _tied_table(table):
    """A long table of seven units with tied values (30, 20, 20, 20, 10, 10, 5) for another
    indicator, period and level, beside rows of the real sheet's selection under other
    units (N1...), which a selection written into the code would take."""
    values = [30.0, 20.0, 20.0, 20.0, 10.0, 10.0, 5.0]
    rows = [
        {
            "level": "commune",
            "unit_id": f"T{n}",
            "unit_name": f"Test {n}",
            "indicator": "school_access",
            "period": "2014",
            "value": value,
        }
        for n, value in enumerate(values, start=1)
    ]
    rows += [{**row, "period": "2024", "value": 100.0 - row["value"]} for row in rows]
    rows += [
        {
            "level": LEVEL,
            "unit_id": f"N{n}",
            "unit_name": f"Noise {n}",
            "indicator": INDICATOR,
            "period": PERIOD,
            "value": float(n),
        }
        for n in range(1, 4)
    ]
    tied = pd.DataFrame(rows)
    tied["period"] = tied["period"].astype(table["period"].dtype)
    return tied


def _ranks(rows, method):
    ranks = rows["value"].rank(ascending=False, method=method)
    return pd.Series(ranks.to_numpy(), index=rows["unit_id"].astype(str))


def _rank_item(sheet, rows, label_en, label_fr):
    got = pd.Series(sheet["rank"].to_numpy(), index=sheet["unit_id"].astype(str))
    expected = _ranks(rows, "min")
    if set(got.index) != set(expected.index) and set(got.index) - set(expected.index) <= {
        f"N{n}" for n in range(1, 4)
    }:
        return (
            False,
            f"{label_en}: your sheet keeps rows of {INDICATOR} {PERIOD} by {LEVEL} although "
            "another indicator, period and level were asked: use the function's arguments, "
            "not names written in the code.",
            f"{label_fr} : votre fiche garde des lignes de {INDICATOR} {PERIOD} par {LEVEL} "
            "alors qu'un autre indicateur, une autre période et un autre niveau étaient "
            "demandés : utilisez les arguments de la fonction, pas des noms écrits dans le code.",
        )
    tie_mistakes = [  # as they are, and turned into whole numbers with astype(int)
        Mistake(ranks, message_en, message_fr)
        for method, (message_en, message_fr) in TIE_MISTAKES.items()
        for ranks in (_ranks(rows, method), np.floor(_ranks(rows, method)))
    ]
    lowest_first = rows["value"].rank(ascending=True, method="min")
    upside_down = Mistake(
        pd.Series(lowest_first.to_numpy(), index=rows["unit_id"].astype(str)), *LOWEST_FIRST
    )
    return series_item(
        label_en, label_fr, got, _ranks(rows, "min"), mistakes=[*tie_mistakes, upside_down]
    )


def _selected(table, indicator, period, level):
    rows = table[(table["level"] == level) & (table["indicator"] == indicator)]
    return rows[rows["period"].astype(str) == period]


def check_indicator_sheet(context):
    """The sheet has the 7 provinces ranked by density, rank 1 the densest, sorted by rank;
    and on a table with ties for another indicator, period and level, tied values share the
    best rank (1, 2, 2, 4: method "min")."""
    table = context.shared("publishing_table", lambda: _long_table(context.project_file))
    module = context.load_module("07_publishing/sheet.py")
    sheet = _sheet(module, table, INDICATOR, PERIOD, LEVEL)
    ordered = list(sheet["rank"]) == sorted(sheet["rank"])
    tied = _tied_table(table)
    tied_sheet = _sheet(module, tied, "school_access", "2014", "commune")
    return [
        _rank_item(
            sheet,
            _selected(table, INDICATOR, PERIOD, LEVEL),
            "Rank of each province",
            "Rang de chaque province",
        ),
        (
            ordered,
            "The sheet is sorted by rank." if ordered else "Sort the sheet by rank.",
            "La fiche est triée par rang." if ordered else "Triez la fiche par rang.",
        ),
        _rank_item(
            tied_sheet,
            _selected(tied, "school_access", "2014", "commune"),
            "Ranks of a test table with tied values",
            "Rangs d'une table de test avec des valeurs égales",
        ),
    ]


def check_map_classes(context):
    """Quantile classes 1..k of the communes' 2024 density, as mapclassify computes them,
    for k = 5 and k = 4 (a k written into the code is spotted)."""
    table = context.shared("publishing_table", lambda: _long_table(context.project_file))
    rows = _selected(table, INDICATOR, PERIOD, "commune")
    values = pd.Series(rows["value"].to_numpy(), index=rows["unit_id"].astype(str))
    module = context.load_module("07_publishing/classes.py")
    items = []
    for k, other in ((5, 4), (4, 5)):
        expected = _quantiles(values, k)
        mistakes = [
            Mistake(expected - 1, *FROM_ZERO),
            Mistake(k + 1 - expected, *HIGHEST_FIRST),
            Mistake(
                _quantiles(values, other),
                f"these are {other} classes where {k} were asked: use the argument k, not a "
                "number written in the code.",
                f"ce sont {other} classes là où {k} étaient demandées : utilisez l'argument k, "
                "pas un nombre écrit dans le code.",
            ),
        ]
        items.append(
            series_item(
                f"Class of each commune (k = {k})",
                f"Classe de chaque commune (k = {k})",
                module.map_classes(values.copy(), k=k),
                expected,
                mistakes=mistakes,
            )
        )
    return items


def _quantiles(values, k):
    return pd.Series(mapclassify.Quantiles(values.to_numpy(), k=k).yb + 1, values.index)


# -- maps_and_atlas: the map and the atlas the trainee made ---------------------------------
MAP_ANSWERS = "07_publishing/atlas_answers.toml"
RESULTS = "07_publishing/results"
MAP_FILE = "07_publishing/density.png"
ATLAS = "07_publishing/atlas"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Width over height of a map of ``observatory map`` (its figure is 8 × 6.6 inches).
MAP_RATIO = 8.0 / 6.6


def _read_results(context):
    from observatory.errors import ObservatoryError
    from observatory.io.published import read_published

    try:
        return read_published(context.path(RESULTS))
    except ObservatoryError:
        raise CheckFailed(
            f"{RESULTS} is not a results folder yet: run "
            f"observatory compute data -o {RESULTS} (from your workspace) first.",
            f"{RESULTS} n'est pas encore un dossier de résultats : lancez d'abord "
            f"observatory compute data -o {RESULTS} (depuis votre espace de travail).",
        ) from None


def _map_file_items(context):
    """The map exists, is a PNG of the shape ``observatory map`` draws, newer than the results."""
    path = context.path(MAP_FILE)
    command = (
        f"observatory map {RESULTS} --indicator population_density --level commune -o {MAP_FILE}"
    )
    if not path.is_file():
        return [
            (
                False,
                f"{MAP_FILE} does not exist: draw it with {command}",
                f"{MAP_FILE} n'existe pas : dessinez-la avec {command}",
            )
        ]
    head = path.read_bytes()[:24]
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if head[:8] != PNG_SIGNATURE or not height or abs(width / height / MAP_RATIO - 1) > 0.02:
        return [
            (
                False,
                f"{MAP_FILE} is not a map drawn by observatory map (a PNG of its shape): "
                f"draw it with {command}",
                f"{MAP_FILE} n'est pas une carte dessinée par observatory map (un PNG de sa "
                f"forme) : dessinez-la avec {command}",
            )
        ]
    newer = path.stat().st_mtime >= context.path(f"{RESULTS}/indicators.csv").stat().st_mtime
    return [
        (
            newer,
            f"{MAP_FILE} was drawn by observatory map from your results."
            if newer
            else f"{MAP_FILE} is older than your results: draw it again ({command} --overwrite).",
            f"{MAP_FILE} a été dessinée par observatory map à partir de vos résultats."
            if newer
            else f"{MAP_FILE} est plus ancienne que vos résultats : redessinez-la ({command} "
            "--overwrite).",
        )
    ]


def _atlas_items(context, sdg_legend):
    """The atlas exists and its SDG 11.3.1 page shows the classes of the trainee's results."""
    page = context.path(f"{ATLAS}/indicator-sdg_11_3_1.html")
    command = f"observatory report {RESULTS} -o {ATLAS}"
    if not context.path(f"{ATLAS}/index.html").is_file() or not page.is_file():
        return [
            (
                False,
                f"There is no atlas in {ATLAS} yet (or it has no page of sdg_11_3_1): write it "
                f"with {command}",
                f"Il n'y a pas encore d'atlas dans {ATLAS} (ou il n'a pas de page de "
                f"sdg_11_3_1) : écrivez-le avec {command}",
            )
        ]
    shown = sdg_legend.classes[0].label in page.read_text(encoding="utf-8")
    return [
        (
            shown,
            f"The atlas in {ATLAS} shows your results."
            if shown
            else f"The atlas in {ATLAS} was not written from {RESULTS}: write it again "
            f"({command} --overwrite).",
            f"L'atlas de {ATLAS} montre vos résultats."
            if shown
            else f"L'atlas de {ATLAS} n'a pas été écrit à partir de {RESULTS} : écrivez-le à "
            f"nouveau ({command} --overwrite).",
        )
    ]


def _legend(published, indicator):
    from observatory.report.i18n import translator
    from observatory.report.mapdata import choose, legend_of, values_of

    period, level = choose(published, indicator, period=None, level="commune")
    legend = legend_of(
        published, indicator, period, level, translator(published.language), method="natural-breaks"
    )
    return legend, values_of(published, indicator, period, level)


def check_maps_and_atlas(context):
    """The results, the map and the atlas exist and were made by the tool; the answers are
    those of the trainee's own map and atlas: the first class limit and the darkest class of
    the commune density map, and the flagged communes of the SDG 11.3.1 map."""
    answers = context.answers(MAP_ANSWERS)
    published = _read_results(context)
    density, values = _legend(published, "population_density")
    sdg, _ = _legend(published, "sdg_11_3_1")
    items = _map_file_items(context) + _atlas_items(context, sdg)
    first_break = float(np.nanmax(values[density.index == 0]))
    rounding = 0.5 * 10.0**-density.decimals + 1e-9
    falling = sum(entry.count for entry in sdg.classes if entry.colour == FALLING_COLOUR)
    above_one = sum(entry.count for entry in sdg.classes if entry.colour in ABOVE)
    top = density.classes[-1].count
    items += [
        number_item(
            "First class limit of the density map",
            "Limite de la première classe de la carte des densités",
            answers.get("density_first_limit"),
            first_break,
            abs=rounding,
            mistakes=[
                Mistake(
                    float(np.nanmin(values)),
                    "that is where the first class starts; give the number where it ends.",
                    "c'est là où la première classe commence ; donnez le nombre où elle finit.",
                )
            ],
        ),
        number_item(
            "Communes in the darkest class",
            "Communes de la classe la plus foncée",
            answers.get("density_darkest_communes"),
            top,
            mistakes=[_class_mistake(density.classes[0].count)],
        ),
        number_item(
            "Communes whose population fell (SDG 11.3.1 map)",
            "Communes dont la population a baissé (carte de l'ODD 11.3.1)",
            answers.get("sdg_falling_communes"),
            falling,
            mistakes=[
                _no_data_mistake(sdg.no_data.count),
                Mistake(
                    above_one,
                    "that is the number of communes with a ratio of 1 or more (the red "
                    "classes); those whose population fell have their own colour (purple).",
                    "c'est le nombre de communes au ratio de 1 ou plus (les classes rouges) ; "
                    "celles dont la population a baissé ont leur propre couleur (violet).",
                ),
            ],
        ),
        number_item(
            "Communes without a value (SDG 11.3.1 map)",
            "Communes sans valeur (carte de l'ODD 11.3.1)",
            answers.get("sdg_no_data_communes"),
            sdg.no_data.count,
            mistakes=[
                Mistake(
                    0,
                    "the legend counts them in the class 'no data' (hatched): a commune "
                    "without a value is still drawn.",
                    "la légende les compte dans la classe « pas de données » (hachurée) : une "
                    "commune sans valeur est tout de même dessinée.",
                )
            ],
        ),
        number_item(
            "Communes consuming land faster than they grow (ratio 1 or more)",
            "Communes qui consomment l'espace plus vite qu'elles ne croissent (ratio 1 ou plus)",
            answers.get("sdg_above_one_communes"),
            above_one,
            mistakes=[
                Mistake(
                    above_one + falling,
                    "the communes whose population fell are a class of their own: a negative "
                    "ratio is not consumption faster than growth; count only the red classes.",
                    "les communes dont la population a baissé forment une classe à part : un "
                    "ratio négatif n'est pas une consommation plus rapide que la croissance ; "
                    "ne comptez que les classes rouges.",
                )
            ],
        ),
    ]
    return items


def _class_mistake(count):
    return Mistake(
        count,
        "that is the lightest class; the darkest is the last one of the legend.",
        "c'est la classe la plus claire ; la plus foncée est la dernière de la légende.",
    )


def _no_data_mistake(count):
    return Mistake(
        count,
        'that is the number of units without a value ("no data", hatched); the communes '
        "whose population fell have their own colour (purple).",
        "c'est le nombre d'unités sans valeur (« pas de données », hachurées) ; les communes "
        "dont la population a baissé ont leur propre couleur (violet).",
    )
