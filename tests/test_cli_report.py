"""``observatory map`` and ``observatory report``: files written, languages, clear refusals."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from report_cases import write_results

from observatory.cli.main import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return write_results(tmp_path_factory.mktemp("cli"))


def test_map_writes_the_file_in_the_results_language(results, tmp_path):
    output = tmp_path / "density.svg"
    result = invoke("map", str(results), "--indicator", "population_density", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert f"wrote {output}" in result.output
    assert "Densité de population, 2024" in output.read_text(encoding="utf-8")


def test_map_takes_the_language_period_level_and_classes_given(results, tmp_path):
    output = tmp_path / "map.svg"
    result = invoke(
        "map",
        str(results),
        "--indicator",
        "population",
        "--period",
        "2014",
        "--level",
        "province",
        "--classes",
        "quantiles",
        "--lang",
        "en",
        "-o",
        str(output),
    )
    assert result.exit_code == 0, result.output
    svg = output.read_text(encoding="utf-8")
    assert "Population, 2014" in svg and "Province · Quantiles" in svg


def test_an_unsupported_language_is_refused_with_those_available(results, tmp_path):
    result = invoke(
        "map",
        str(results),
        "--indicator",
        "population",
        "--lang",
        "de",
        "-o",
        str(tmp_path / "m.png"),
    )
    assert result.exit_code == 2  # a usage error: click lists the languages offered
    assert "'de' is not one of 'ar', 'en', 'fr'" in result.output


def test_map_refuses_an_unknown_indicator_and_a_file_type_it_cannot_write(results, tmp_path):
    result = invoke("map", str(results), "--indicator", "nope", "-o", str(tmp_path / "m.png"))
    assert result.exit_code == 1 and "unknown indicator 'nope'" in result.output
    result = invoke("map", str(results), "--indicator", "population", "-o", str(tmp_path / "m.jpg"))
    assert result.exit_code == 1 and ".png, .svg, .pdf" in result.output


def test_map_and_report_refuse_a_folder_that_is_not_a_results_folder(tmp_path):
    result = invoke("report", str(tmp_path), "-o", str(tmp_path / "atlas"))
    assert result.exit_code == 1
    assert "is not a results folder of 'observatory compute'" in result.output


def test_report_writes_the_atlas_and_prints_its_index(results, tmp_path):
    atlas = tmp_path / "atlas"
    result = invoke("report", str(results), "-o", str(atlas), "--lang", "ar")
    assert result.exit_code == 0, result.output
    assert f"wrote {atlas / 'index.html'}" in result.output
    assert 'dir="rtl"' in (atlas / "index.html").read_text(encoding="utf-8")
    again = invoke("report", str(results), "-o", str(atlas))
    assert again.exit_code == 1 and "--overwrite" in again.output
    assert invoke("report", str(results), "-o", str(atlas), "--overwrite").exit_code == 0
    assert '<html lang="fr"' in (atlas / "index.html").read_text(encoding="utf-8")
