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


def three_years(language="en", municipalities=319):
    frames = {
        "region": pd.DataFrame(
            {"unit_name": ["Brussels"], "population_2018": [1198726.0],
             "population_2019": [1208542.0], "population_2020": [1218255.0],
             "population_growth_rate_2018_2019": [0.8155],
             "population_growth_rate_2019_2020": [0.8005],
             "population_growth_rate_2018_2020": [0.8080], "degurba_l1_2020": [3.0]}
        ),
        "municipality": pd.DataFrame(
            {"unit_name": [f"m{n}" for n in range(municipalities)],
             "population_2020": [1.0] * municipalities}
        ),
    }  # fmt: skip
    return SimpleNamespace(
        project=SimpleNamespace(language=language),
        levels=lambda: list(frames),
        wide=lambda level: frames[level],
    )


def test_the_first_and_last_years_and_the_whole_span_are_shown():
    table = headline_table(three_years())
    header = next(line for line in table.split("\n") if line.startswith("Region"))
    assert "Pop. 2018" in header and "Pop. 2020" in header and "Pop. 2019" not in header
    brussels = next(line for line in table.split("\n") if line.startswith("Brussels"))
    # 2018, 2020, then the growth 2018-2020 (0.81), not that of 2019-2020 (0.80)
    assert brussels.split()[1:4] == ["1,198,726", "1,218,255", "0.81"]
    assert "Access (% of population, 2020) and urbanisation" in table


def test_a_level_of_many_units_is_counted_not_listed():
    table = headline_table(three_years())
    assert "m1 " not in table
    assert table.count("Municipality: 319 units, listed in the results files") == 1
    assert "m1 " in headline_table(three_years(municipalities=30))
    assert "Municipality : 319 unités, listées" in headline_table(three_years("fr"))
