"""Checks of module 4 (territorial dynamics).

``lcrpgr_formula`` calls the trainee's function on the hand-checkable seed of the methods
(100 → 121 km², 1.0 → 1.1 M people, 10 years → exactly 2), on the same seed with the
population falling (→ exactly -2, where abs(PGR) gives 2), on populations whose |PGR| is
below Observatory's 0.1 %/yr (no value) or just above it, and on the region's and the
declining province's own built-up areas and populations, computed by the engine.
``sdg_11_3_1_provinces`` compares the answers with the engine's SDG 11.3.1 at province and
region level; the regime may be copied from a workbook in any language of the outputs.
"""

from __future__ import annotations

import math

from observatory.engine import run
from observatory.indicators.landuse import REGIMES
from observatory.project import load_project
from observatory.report.i18n import languages, translator
from observatory.report.labels import value_label
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake, number_item, text_item

PERIOD = "2014_2024"
SEED_EN, SEED_FR = "Seed 100→121 km², 1.0→1.1 M, 10 years", "Cas 100→121 km², 1,0→1,1 M, 10 ans"


def _results(project_file):
    results = run(
        load_project(project_file),
        indicator_ids=["sdg_11_3_1", "built_up_area", "population"],
        levels=["region", "province"],
    )
    return results.long_table()


def _table(context):
    return context.shared("sdg_11_3_1_table", lambda: _results(context.project_file))


def _no_value_item(got, label_en, label_fr, why_en, why_fr):
    """Passed when ``got`` is nan (no value), as Observatory publishes none."""
    if isinstance(got, float) and math.isnan(got):
        return (
            True,
            f"{label_en}: no value (nan), right.",
            f"{label_fr} : pas de valeur (nan), juste.",
        )
    return (
        False,
        f"{label_en}: {got!r} where there must be no value (math.nan): {why_en}",
        f"{label_fr} : {got!r} là où il ne faut pas de valeur (math.nan) : {why_fr}",
    )


def _region_values(context):
    table = _table(context)
    rows = table[table["level"].isin(["region", "province"])]
    values = rows.set_index(["unit_id", "indicator", "period"])["value"]
    region = table.loc[table["level"] == "region", "unit_id"].iloc[0]
    population = table[(table["indicator"] == "population") & (table["level"] == "province")]
    by_year = population.pivot(index="unit_id", columns="period", values="value")
    declining = list(by_year.index[by_year["2024"] < by_year["2014"]])
    try:
        return {
            unit: (
                [values[(unit, "built_up_area", year)] for year in ("2014", "2024")],
                [values[(unit, "population", year)] for year in ("2014", "2024")],
                float(values[(unit, "sdg_11_3_1", PERIOD)]),
            )
            for unit in [region, *declining]
        }
    except KeyError:
        raise CheckFailed(
            "The sample has no built-up or population for 2014 and 2024.",
            "L'exemple n'a pas de bâti ou de population pour 2014 et 2024.",
        ) from None


def check_lcrpgr_formula(context):
    """The formula on the seed (exactly 2) and on the seed with a falling population
    (exactly -2: abs() is spotted); no value where |PGR| < 0.1 %/yr (no change, and one
    person more in 59,775), a value just above; and on the region and the declining
    province, from the engine's built-up areas and populations."""
    function = context.load_module("04_dynamics/lcrpgr.py").lcrpgr
    absolute = Mistake(
        2.0,
        "a falling population has a negative PGR and the ratio keeps its sign; do not take abs().",
        "une population qui baisse a un PGR négatif et le ratio garde son signe ; ne prenez "
        "pas abs().",
    )
    items = [
        number_item(SEED_EN, SEED_FR, function(100.0, 121.0, 1.0e6, 1.1e6, 10.0), 2.0, rel=1e-12),
        number_item(
            "Population falling 1.1→1.0 M while built-up grows 100→121 km²",
            "Population en baisse 1,1→1,0 M et bâti en hausse 100→121 km²",
            function(100.0, 121.0, 1.1e6, 1.0e6, 10.0),
            -2.0,
            rel=1e-12,
            mistakes=[absolute],
        ),
        _no_value_item(
            function(100.0, 121.0, 1.0e6, 1.0e6, 10.0),
            "No population change",
            "Sans variation de population",
            "PGR = 0, a division by zero.",
            "PGR = 0, une division par zéro.",
        ),
        _no_value_item(
            function(100.0, 162.7, 59_775.0, 59_776.0, 10.0),
            "One person more in 59,775 over 10 years",
            "Une personne de plus sur 59 775 en 10 ans",
            "|PGR| = 0.00017 %/yr is below 0.1 %/yr (STABLE_POPULATION_RATE = 0.001 per year): "
            "Observatory publishes no value; compare abs(pgr), not pgr == 0.",
            "|PGR| = 0,00017 %/an est sous 0,1 %/an (STABLE_POPULATION_RATE = 0.001 par an) : "
            "Observatory ne publie pas de valeur ; comparez abs(pgr), pas pgr == 0.",
        ),
        number_item(
            "Population 1.0→1.02 M (PGR 0.2 %/yr, above the threshold)",
            "Population 1,0→1,02 M (PGR 0,2 %/an, au-dessus du seuil)",
            function(100.0, 121.0, 1.0e6, 1.02e6, 10.0),
            math.log(1.21) / math.log(1.02),
            rel=1e-9,
        ),
    ]
    for unit, (urb, pop, expected) in _region_values(context).items():
        items.append(
            number_item(
                f"LCRPGR of {unit} from its built-up area and population",
                f"LCRPGR de {unit} à partir de son bâti et de sa population",
                function(urb[0], urb[1], pop[0], pop[1], 10.0),
                expected,
                rel=1e-9,
                mistakes=[Mistake(abs(expected), absolute.message_en, absolute.message_fr)],
            )
        )
    return items


def _labels(regime):
    """The regime label as the workbooks write it, in every language of the outputs."""
    return [value_label(regime, translator(language)) for language in languages()]


def check_sdg_11_3_1_provinces(context):
    """Highest province and its value (±0.005), the declining province and its regime,
    and whether the region's ratio is above 1."""
    answers = context.answers("04_dynamics/answers.toml")
    table = _table(context)
    sdg = table[(table["indicator"] == "sdg_11_3_1") & (table["period"] == PERIOD)]
    provinces = sdg[sdg["level"] == "province"].set_index("unit_id")
    population = table[(table["indicator"] == "population") & (table["level"] == "province")]
    by_year = population.pivot(index="unit_id", columns="period", values="value")
    declining = by_year.index[by_year["2024"] < by_year["2014"]]
    if len(declining) != 1:
        raise CheckFailed(
            "This exercise expects exactly one province with a declining population.",
            "Cet exercice attend exactement une province dont la population baisse.",
        )
    region_value = float(sdg.loc[sdg["level"] == "region", "value"].iloc[0])
    return [
        text_item(
            "Province with the highest LCRPGR",
            "Province au LCRPGR le plus élevé",
            answers.get("highest_province"),
            provinces["value"].idxmax(),
        ),
        number_item(
            "Its LCRPGR",
            "Son LCRPGR",
            answers.get("highest_value"),
            float(provinces["value"].max()),
            abs=0.005,
        ),
        text_item(
            "Province with a declining population",
            "Province dont la population baisse",
            answers.get("declining_province"),
            declining[0],
        ),
        text_item(
            "Its regime",
            "Son régime",
            answers.get("declining_regime"),
            provinces.loc[declining[0], "note"],
            also=_labels(provinces.loc[declining[0], "note"]),
            mistakes=[
                Mistake(
                    label,
                    "that is another regime; read the note of that province's row.",
                    "c'est un autre régime ; lisez la note de la ligne de cette province.",
                )
                for other in REGIMES.values()
                if other != provinces.loc[declining[0], "note"]
                for label in (other, *_labels(other))
            ],
        ),
        text_item(
            "Region's LCRPGR above 1",
            "LCRPGR régional au-dessus de 1",
            answers.get("region_above_one"),
            region_value > 1,
        ),
    ]
