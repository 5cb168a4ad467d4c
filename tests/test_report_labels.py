"""Names people read: column aliases, units, components and class names in each language."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from observatory.errors import ParameterError
from observatory.indicators.registry import get_indicator
from observatory.reasons import TEMPLATES
from observatory.report.i18n import translator
from observatory.report.labels import (
    column_aliases,
    decimals,
    indicator_label,
    output_language,
    reason_label,
    unit_label,
    value_label,
)


def run_of(*pairs):
    """A stand-in for Results with the (indicator id, period label) pairs computed."""
    return SimpleNamespace(
        level_results=[
            SimpleNamespace(indicator=get_indicator(i), period=SimpleNamespace(label=p))
            for i, p in pairs
        ]
    )


def test_indicator_columns_are_named_by_title_and_period_unit_columns_by_label():
    results = run_of(("population_density", "2024"))
    columns = ["unit_id", "unit_name", "parent_id", "population_density_2024", "x_2024", "geometry"]
    assert column_aliases(results, columns, "fr") == {
        "unit_id": "Code",
        "unit_name": "Nom",
        "parent_id": "Code parent",
        "population_density_2024": "Densité de population 2024",
        "x_2024": "x_2024",  # not an indicator of the run: keeps its name
    }
    english = column_aliases(results, columns, "en")
    assert english["unit_name"] == "Name" and english["parent_id"] == "Parent code"
    assert english["population_density_2024"] == "Population density 2024"


def test_component_columns_are_named_by_title_component_and_period():
    results = run_of(("sdg_11_2_1", "2024"), ("population", "2024"), ("population_density", "2024"))
    columns = [
        "sdg_11_2_1_low_capacity_share_2024",
        "sdg_11_2_1_unreachable_population_2024",
        "sdg_11_2_1_new_thing_2024",
        "population_density_2024",
    ]
    french = column_aliases(results, columns, "fr")
    assert french["sdg_11_2_1_low_capacity_share_2024"] == (
        "Accès commode aux transports publics : part près d'un arrêt de faible capacité 2024"
    )
    assert french["sdg_11_2_1_unreachable_population_2024"].endswith(
        " : population sans accès 2024"
    )
    # a component without a catalog label keeps its name after the title
    assert french["sdg_11_2_1_new_thing_2024"].endswith(" : new_thing 2024")
    # the longest indicator id wins: population_density is not a component of population
    assert french["population_density_2024"] == "Densité de population 2024"
    arabic = column_aliases(results, columns, "ar")
    assert arabic["population_density_2024"] == "الكثافة السكانية 2024"
    assert arabic["sdg_11_2_1_unreachable_population_2024"] == (
        "الوصول الملائم إلى وسائل النقل العام: السكان دون إمكانية وصول 2024"
    )


def test_units_values_and_titles_in_each_language():
    french, arabic = translator("fr"), translator("ar")
    assert unit_label("people/km²", french) == "hab./km²"
    assert unit_label("furlongs", french) == "furlongs"  # unknown: unchanged
    assert value_label("suburban or peri-urban area", french) == "zone suburbaine ou périurbaine"
    assert value_label("city", arabic) == "مدينة"
    assert value_label("distance: network; city", french) == "distance : réseau; ville"
    assert value_label(3.0, french) == 3.0
    assert indicator_label("sdg_11_3_1_lcr", french) == (
        "Ratio du taux de consommation d'espace au taux de croissance démographique : "
        "taux de consommation d'espace"
    )
    assert indicator_label("unknown_thing", french) == "unknown_thing"


def test_decimals_that_make_sense_per_unit():
    assert [decimals(u) for u in ("people", "%", "ratio", "people/km²", "µg/m³")] == [0, 1, 2, 0, 1]


def test_outputs_are_in_the_project_language_or_refused():
    assert output_language("fr") == "fr"
    assert output_language("en") == "en"
    assert output_language("ar") == "ar"
    with pytest.raises(ParameterError, match=r"project.language: language 'de'"):
        output_language("de")


@pytest.mark.parametrize(
    ("english", "french"),
    [
        (
            "not published: the population 2024 raster covers 13.8 % of the unit (below 99.0 %)",
            "non publié : le raster population 2024 couvre 13,8 % de l'unité (moins de 99,0 %)",
        ),
        (
            "not computed: the built-up area of 2014 is 0",
            "non calculé : la surface bâtie de 2014 vaut 0",
        ),
        (
            "not published: population growth +0.012 %/yr is too close to 0 for a meaningful "
            "ratio (|PGR| < 0.1 %/yr); see lcr and pgr",
            "non publié : une croissance démographique de +0,012 %/an est trop proche de 0 "
            "pour que le ratio ait un sens (|PGR| < 0,1 %/an) ; voir lcr et pgr",
        ),
        (
            "needs a built-up raster ([rasters].built_up); needs a 'schools' layer "
            "([layers].schools)",
            "nécessite un raster du bâti ([rasters].built_up); nécessite une couche « schools » "
            "([layers].schools)",
        ),
        (
            "2024: the population grid its origin (-612250, 4108250) is not on a corner of the "
            "1 km grid of ESRI:54009, so its cells cannot be summed into 1 km cells",
            "2024 : grille de population : son origine (-612250, 4108250) n'est pas sur un coin "
            "de la grille de 1 km de ESRI:54009 : ses cellules ne peuvent pas être sommées dans "
            "des cellules de 1 km",
        ),
        (
            "not published: no census 2014 figure for 5 of its 6 commune units",
            "non publié : aucun chiffre du recensement 2014 pour 5 de ses 6 unités commune",
        ),
        (
            "not published: no census 2014 figure; no census 2024 figure for its province 04.01",
            "non publié : aucun chiffre du recensement 2014; aucun chiffre du recensement 2024 "
            "pour son unité province 04.01",  # a code is no decimal number
        ),
        (
            "not published: it holds no commune unit",
            "non publié : elle ne contient aucune unité commune",
        ),
        (
            "2004_2014 from the province level up only: census 2004 is at province level",
            "2004_2014 seulement à partir du niveau province : le recensement 2004 est au niveau "
            "province",
        ),
        ("a text no template makes", "a text no template makes"),
    ],
)
def test_reasons_are_published_in_the_projects_language(english, french):
    assert reason_label(english, translator("fr")) == french
    assert reason_label(english, translator("en")) == english
    assert reason_label(english, translator("ar")) != english or english.startswith("a text")


def test_every_reason_template_reads_back_from_its_own_text():
    # A template filled with placeholder words is found again, so that no reason stays English.
    t = translator("fr")
    for template in TEMPLATES:
        fields = dict.fromkeys(re.findall(r"\{(\w+)\}", template), "X")
        text = template.format(**fields)
        assert reason_label(text, t) == t.gettext(template).format(**fields), template
