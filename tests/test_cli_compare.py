"""``observatory compare`` on two results folders computed from the tiny project of builders.py.

The second territory is the same square with other years (2014 and 2020 instead of 2014 and
2024, the same rasters) and another school-access threshold, so the notes on years and
on that parameter must appear, and none on grids or sources.
"""

from __future__ import annotations

import pandas as pd
import pytest
from builders import build_project
from click.testing import CliRunner
from openpyxl import load_workbook

from observatory.cli.main import cli
from observatory.engine import run
from observatory.project import load_project
from observatory.report.outputs import write_outputs


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _other_years(sample) -> None:
    for role in ("population", "built_up"):
        sample.rasters[role] = {2014: sample.rasters[role][2014], 2020: sample.rasters[role][2024]}
    sample.census = sample.census.rename(columns={"population_2024": "population_2020"})


def _other_settings(config) -> None:
    config["project"]["name"] = "Other territory"
    config["census"]["population"] = {"2014": "population_2014", "2020": "population_2020"}
    config["parameters"] = {"school_access": {"threshold_m": 500}}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    first = build_project(root / "first")
    second = build_project(root / "second", edit=_other_years, edit_config=_other_settings)
    written = []
    for project, name in ((first, "first_results"), (second, "second_results")):
        write_outputs(run(load_project(project)), root / name, overwrite=False)
        written.append(root / name)
    return written


def long_table(folder):
    return pd.read_csv(folder / "indicators.csv", dtype={"unit_id": str, "period": str})


def source_value(folder, level, unit_id, indicator_id, period):
    table = long_table(folder)
    match = table[
        (table["level"] == level)
        & (table["unit_id"] == unit_id)
        & (table["indicator"] == indicator_id)
        & (table["period"] == period)
    ]
    return float(match["value"].iloc[0])


@pytest.fixture(scope="module")
def compared(folders, tmp_path_factory):
    output = tmp_path_factory.mktemp("out") / "comparison"
    result = invoke("compare", *folders, "-o", output, "--lang", "en")
    assert result.exit_code == 0, result.output
    return output, result


def test_the_side_by_side_table_holds_the_values_of_both_results_folders(folders, compared):
    output, result = compared
    assert f"wrote {output / 'comparison.csv'}" in result.output
    table = pd.read_csv(output / "comparison.csv", dtype={"unit_id": str})
    assert table["territory"].tolist() == ["Test territory", "Other territory"]
    assert table["unit_id"].tolist() == ["04", "04"]  # codes stay text
    first, second = folders
    assert table["population_2014"].tolist() == [
        source_value(first, "region", "04", "population", "2014"),
        source_value(second, "region", "04", "population", "2014"),
    ]
    assert table["population_latest"].tolist() == [
        source_value(first, "region", "04", "population", "2024"),
        source_value(second, "region", "04", "population", "2020"),
    ]
    assert table["population_latest_period"].astype(str).tolist() == ["2024", "2020"]
    # the same rasters: equal 2014 populations tie at rank 1
    assert table["population_rank"].tolist() == [1, 1]


def test_the_notes_name_the_years_and_the_parameter_and_nothing_else(compared):
    output, _ = compared
    notes = pd.read_csv(output / "comparability.csv", keep_default_na=False)
    notes = notes.set_index("indicator")["notes"]
    years = "different years: 2024 (Test territory) vs 2020 (Other territory)"
    assert notes["population"] == years
    assert notes["built_up_area"] == years  # same grids: no grid note
    threshold = "parameter threshold_m: 1,000 (Test territory) vs 500 (Other territory)"
    assert notes["school_access"] == f"{years}; {threshold}"
    assert "threshold_m" not in notes["health_access"]


def test_the_workbook_and_the_page_are_written_offline_with_codes_as_text(compared):
    output, _ = compared
    sheets = load_workbook(output / "comparison.xlsx", read_only=True)
    assert sheets.sheetnames == ["side by side", "comparability", "territories"]
    rows = list(sheets["side by side"].iter_rows(values_only=True))
    sheets.close()  # a read-only workbook keeps its file open until closed
    assert rows[0][:4] == ("Territory", "Level", "Code", "Name")
    assert rows[3][2] == "04"
    page = (output / "index.html").read_text(encoding="utf-8")
    assert "different years: 2024 (Test territory) vs 2020 (Other territory)" in page
    assert "1=" in page  # the tie is shown
    assert "http://" not in page and "https://" not in page
    assert (output / "atlas.css").is_file() and (output / "atlas.js").is_file()


def test_levels_map_each_folder_to_its_own(folders, tmp_path):
    output = tmp_path / "levels"
    result = invoke("compare", *folders, "-o", output, "--level", "province", "--level", "commune")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(output / "comparison.csv", dtype={"unit_id": str})
    assert table["unit_id"].tolist() == ["04.01", "04.02", "04.001", "04.002", "04.003", "04.004"]
    assert set(table["level"]) == {"province", "commune"}
    # SDG 11.7.1 is not published for 04.002 and 04.004 (no built-up base): no rank
    ranks = table.set_index("unit_id")["sdg_11_7_1_share_rank"]
    assert ranks[["04.002", "04.004"]].isna().all() and ranks.notna().sum() == 4
    workbook = load_workbook(output / "comparison.xlsx", read_only=True)
    rows = list(workbook["côte à côte"].iter_rows(values_only=True))
    workbook.close()  # a read-only workbook keeps its file open until closed
    assert len(rows) == 3 + 6


def test_a_unit_within_its_territory(folders, tmp_path):
    output = tmp_path / "unit"
    result = invoke("compare", folders[0], "-o", output, "--unit", "04.001", "--lang", "fr")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(output / "unit.csv", dtype={"unit_id": str, "period": str})
    row = table[(table["indicator"] == "population") & (table["period"] == "2024")].iloc[0]
    # communes 440, 1320, 880, 1760; province 04.01 = 440 + 1320. Sorted 440, 880, 1320,
    # 1760: Q1 = 440 + 0.75 × 440 = 770, median 1100, Q3 = 1320 + 0.25 × 440 = 1430; 1 of 4
    # values ≤ 440 → 25 %
    assert row["parent_value"] == 1760
    stats = row[["count", "min", "q1", "median", "q3", "max", "percentile"]].tolist()
    assert stats == [4, 440, 770, 1100, 1430, 1760, 25]
    assert "dans son territoire" in (output / "index.html").read_text(encoding="utf-8")


def _refused(result, *fragments):
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output


def test_a_folder_that_is_not_results_is_refused(folders, tmp_path):
    result = invoke("compare", folders[0], tmp_path, "-o", tmp_path / "out")
    _refused(result, f"{tmp_path} is not a results folder", "observatory compute")


def test_a_level_a_folder_lacks_is_refused(folders, tmp_path):
    result = invoke("compare", *folders, "-o", tmp_path / "out", "--level", "district")
    _refused(result, "has no level 'district'", "use one of region, province, commune")


def test_an_unknown_unit_and_wrong_combinations_are_refused(folders, tmp_path):
    out = tmp_path / "out"
    _refused(invoke("compare", folders[0], "-o", out, "--unit", "99"), "has no unit '99'")
    _refused(invoke("compare", folders[0], "-o", out), "give two or more", "--unit CODE")
    _refused(invoke("compare", *folders, "-o", out, "--unit", "04"), "give one RESULTS folder")
    assert not out.exists()


def test_outputs_are_replaced_only_with_overwrite_and_never_inside_an_input(folders, tmp_path):
    output = tmp_path / "twice"
    assert invoke("compare", *folders, "-o", output).exit_code == 0
    _refused(invoke("compare", *folders, "-o", output), "already exists", "--overwrite")
    assert invoke("compare", *folders, "-o", output, "--overwrite").exit_code == 0
    inside = folders[0] / "comparison"
    _refused(invoke("compare", *folders, "-o", inside), "lies inside it")
    assert not inside.exists()
