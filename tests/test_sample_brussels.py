"""The bundled Brussels-Capital and Flanders sample (``sample_data/brussels``), through the CLI.

Its files are real and read as published (sources in its README.md), so its figures are
Statbel's: the regional totals of 1 January 2018, 2019 and 2020, summed from the
municipalities, with the 2018 codes of the merged municipalities followed through the
crosswalk. The 1 km grids are small: validating and computing take a few seconds.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from observatory.cli.main import cli

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "brussels"
BRUSSELS = [f"210{number:02d}" for number in range(1, 20)]
YEARS = ["2018", "2019", "2020"]
# Statbel, population on 1 January 2018, 2019 and 2020
BRUSSELS_CAPITAL = [1_198_726, 1_208_542, 1_218_255]
FLEMISH_REGION = [6_552_967, 6_589_069, 6_629_143]


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def computed(tmp_path_factory):
    """The sample written by ``sample-data --region brussels``, and ``compute``'s run on it."""
    folder = tmp_path_factory.mktemp("brussels")
    written = invoke("sample-data", str(folder / "project"), "--region", "brussels")
    assert written.exit_code == 0, written.output
    result = invoke("compute", str(folder / "project"), "-o", str(folder / "results"))
    assert result.exit_code == 0, result.output
    return folder / "results", result


@pytest.fixture(scope="module")
def population(computed) -> pd.DataFrame:
    table = pd.read_csv(computed[0] / "indicators.csv", dtype={"unit_id": str, "period": str})
    rows = table[table["indicator"] == "population"]
    return rows.pivot(index="unit_id", columns="period", values="value")


def test_validate_finds_no_problem_and_every_region_spatially():
    result = invoke("validate", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output
    assert (
        "region: 2 units; municipality: 319 units "
        "(parents found spatially: 319 in 2 region units, 0 warnings)"
    ) in result.output


def test_sample_data_copies_the_brussels_project_only(computed):
    project = computed[0].parent / "project"
    names = sorted(str(path.relative_to(project)) for path in project.rglob("*") if path.is_file())
    assert names == sorted(
        str(path.relative_to(SAMPLE)) for path in SAMPLE.rglob("*") if path.is_file()
    )
    assert "observatory.toml" in names and "units.gpkg" not in names


def test_the_regions_have_statbel_totals_every_year(population):
    assert population.loc["4000", YEARS].tolist() == BRUSSELS_CAPITAL
    assert population.loc["2000", YEARS].tolist() == FLEMISH_REGION


def test_every_municipality_has_all_three_years(population):
    municipalities = population.drop(index=["2000", "4000"])
    assert len(municipalities) == 319
    assert municipalities[YEARS].notna().all().all()
    assert municipalities.loc[BRUSSELS, YEARS].sum().tolist() == BRUSSELS_CAPITAL


def test_the_2019_mergers_are_followed_back_to_2018(population):
    # the 2018 file as published: Lovendegem "9,574", Waarschoot "7,967", Zomergem "8,466"
    table = pd.read_csv(SAMPLE / "population" / "statbel_population_2018.csv", dtype=str)
    merged = table[table["NIS_code"].isin(["44036", "44072", "44080"])]
    assert sorted(merged["inhabitants"]) == ["7,967", "8,466", "9,574"]
    assert population.loc["44085", "2018"] == 9_574 + 7_967 + 8_466  # Lievegem
    assert population.loc["44085", "2019"] == 26_162
    # no 2018 code of a merged municipality is left as a unit of its own
    assert not {"44036", "44072", "44080", "12030", "72025"} & set(population.index)


def test_the_19_brussels_municipalities_are_found_in_brussels_capital(computed):
    municipalities = gpd.read_file(computed[0] / "indicators.gpkg", layer="municipality")
    inside = municipalities.loc[municipalities["parent_id"] == "4000", "unit_id"]
    assert sorted(inside) == BRUSSELS
    assert set(municipalities["parent_id"]) == {"2000", "4000"}


def test_the_brussels_municipalities_are_cities(computed):
    table = pd.read_csv(computed[0] / "indicators.csv", dtype={"unit_id": str})
    classes = table[(table["indicator"] == "degurba_l1") & table["unit_id"].isin(BRUSSELS)]
    assert len(classes) == 19 and set(classes["value"]) == {3.0}


def test_the_series_sheet_has_the_three_years_and_the_three_spans(computed):
    series = pd.read_excel(
        computed[0] / "indicators.xlsx", sheet_name="series", dtype={"Code": str}
    )
    periods = ["2018", "2019", "2020", "2018_2019", "2019_2020", "2018_2020"]
    assert [c for c in series.columns if c[:1].isdigit()] == periods
    growth = series[
        (series["Code"] == "4000") & (series["Indicator id"] == "population_growth_rate")
    ]
    hand = {
        "2018_2019": 100 * math.log(1_208_542 / 1_198_726),
        "2019_2020": 100 * math.log(1_218_255 / 1_208_542),
        "2018_2020": 100 * math.log(1_218_255 / 1_198_726) / 2,
    }
    for period, value in hand.items():
        assert growth[period].item() == pytest.approx(value, rel=1e-9), period
    assert hand["2018_2020"] == pytest.approx(0.8080, abs=1e-4)
    assert growth[["2018", "2019", "2020"]].isna().all().all()


def test_built_up_at_one_date_leaves_the_change_indicators_out(computed):
    results, run = computed
    for indicator in ("sdg_11_3_1", "land_consumption_rate", "urban_expansion_infill"):
        assert f"not computed: {indicator}: no pair of years common to built_up" in run.output
    table = pd.read_csv(results / "indicators.csv", dtype={"period": str})
    built = table[table["indicator"] == "built_up_area"]
    assert set(built["period"]) == {"2020"}
    assert "sdg_11_3_1" not in set(table["indicator"])
