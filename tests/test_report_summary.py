"""The demo's headline table: headers and numbers in the project's language."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from observatory.report.summary import headline_table


def results_of(language):
    frames = {
        "region": pd.DataFrame(
            {"unit_name": ["Rabat-Salé-Kénitra"], "population_2024": [5132639.0],
             "sdg_11_3_1_2014_2024": [1.2345], "sdg_11_2_1_2024": [float("nan")]}
        ),
        "province": pd.DataFrame(
            {"unit_name": ["Kénitra"], "population_2024": [1234.4],
             "sdg_11_3_1_2014_2024": [-0.5], "sdg_11_2_1_2024": [74.93]}
        ),
        "commune": pd.DataFrame({"unit_name": ["x"], "population_2024": [1.0]}),
    }  # fmt: skip
    return SimpleNamespace(
        project=SimpleNamespace(language=language),
        levels=lambda: list(frames),
        wide=lambda level: frames[level],
    )


def test_english_table_as_the_demo_printed_it():
    table = headline_table(results_of("en"))
    assert table.startswith("Population and land\n")
    assert "Pop. 2024" in table and "5,132,639" in table and "1.23" in table
    assert "–" in table  # a missing value
    assert "x" not in table.split("\n")  # the two coarsest levels only
    assert table.rstrip().endswith("1 rural area.")


def test_french_project_gets_french_headers_and_numbers():
    table = headline_table(results_of("fr"))
    assert table.startswith("Population et sol\n")
    assert "5\u202f132\u202f639" in table and "1,23" in table and "74,9" in table
    assert "ODD 11.3.1" in table and "Croiss. %/an" not in table.split("Accès")[1]
    assert "Degré d'urbanisation" in table


def test_the_language_can_be_given():
    assert "السكان والأراضي" in headline_table(results_of("fr"), "ar")
