"""``observatory indicators list|show`` in each language of the catalogs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from observatory.cli.main import cli


def run(*args):
    return CliRunner().invoke(cli, ["indicators", *args])


def test_show_in_arabic_has_arabic_title_and_labels():
    result = run("show", "sdg_11_3_1", "--lang", "ar")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("نسبة معدل استهلاك الأراضي إلى معدل النمو السكاني (sdg_11_3_1)")
    assert "الوحدة" in result.output and "المعلمات:" in result.output


def test_show_in_french_labels_its_rows_in_french():
    result = run("show", "population_density", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert "Densité de population (population_density)" in result.output
    assert "Unité" in result.output and "Références" in result.output


def test_list_in_arabic_as_json():
    result = run("list", "--lang", "ar", "--json")
    sheets = {sheet["id"]: sheet for sheet in json.loads(result.output)}
    assert sheets["population"]["title"] == "السكان"


def test_a_language_without_catalog_is_refused_with_the_available_ones():
    result = run("show", "population", "--lang", "de")
    assert result.exit_code == 2
    assert "'ar', 'en', 'fr'" in result.output
