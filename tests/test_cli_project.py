"""Tests of ``observatory init`` and ``observatory validate`` through the top-level group."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from builders import build_project
from click.testing import CliRunner
from shapely.affinity import translate

from observatory.cli.main import cli
from observatory.project import PROJECT_FILE, load_project, template_text


def run(*arguments: str):
    result = CliRunner().invoke(cli, [str(argument) for argument in arguments])
    # a user mistake ends with an exit code, never with an exception escaping the command
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def set_commune_code(code: str, value):
    def edit(sample):
        communes = sample.units["communes"]
        communes.loc[communes["code"] == code, "code"] = value

    return edit


# -- init -----------------------------------------------------------------------------------
def test_init_writes_the_template_that_loads_as_a_project(tmp_path):
    target = tmp_path / "my-region"
    result = run("init", target)
    assert result.exit_code == 0
    assert f"Wrote {target / PROJECT_FILE}" in result.output
    assert (target / PROJECT_FILE).read_text(encoding="utf-8") == template_text()
    project = load_project(target)
    assert project.name == "My region"
    assert project.units.path == (target / "units.gpkg").resolve()


def test_init_refuses_to_overwrite_without_the_option(tmp_path):
    (tmp_path / PROJECT_FILE).write_text("# mine\n", encoding="utf-8")
    result = run("init", tmp_path)
    assert result.exit_code == 1
    assert "Error:" in result.output and "already exists" in result.output
    assert "--overwrite" in result.output
    assert (tmp_path / PROJECT_FILE).read_text(encoding="utf-8") == "# mine\n"
    result = run("init", tmp_path, "--overwrite")
    assert result.exit_code == 0
    assert (tmp_path / PROJECT_FILE).read_text(encoding="utf-8") == template_text()


def test_init_under_a_file_is_an_error_naming_it(tmp_path):
    (tmp_path / "afile").write_text("keep")
    result = run("init", tmp_path / "afile" / "region")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write ") and "afile" in result.output
    assert "a file is in the way" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_init_template_project_fails_validation_listing_the_missing_files(tmp_path):
    run("init", tmp_path)
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert "ERROR   units: " in result.output
    assert "units.gpkg does not exist" in result.output
    # units, census, 4 yearly rasters, land, network.gpkg and facilities.gpkg (once)
    assert "9 error(s), 0 warning(s)" in result.output


# -- validate -------------------------------------------------------------------------------
def test_validate_a_valid_project_exits_0(tmp_path):
    build_project(tmp_path)
    result = run("validate", tmp_path)
    assert result.exit_code == 0
    assert "No problem found." in result.output
    assert f"0 error(s), 0 warning(s) in {(tmp_path / PROJECT_FILE).resolve()}" in result.output


def test_validate_counts_the_units_of_every_level(tmp_path):
    build_project(tmp_path)
    lines = run("validate", tmp_path).output.splitlines()
    assert lines[-1] == "Units: region: 1 unit; province: 2 units; commune: 4 units"


def without_commune_parent(config):
    del config["units"]["levels"][2]["parent"]


def test_validate_shows_the_parents_found_spatially(tmp_path):
    build_project(tmp_path, edit_config=without_commune_parent)
    result = run("validate", tmp_path)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "Units: region: 1 unit; province: 2 units; commune: 4 units (parents found "
        "spatially: 4 in 2 province units, 0 warnings)"
    )
    document = json.loads(run("validate", tmp_path, "--json").stdout)
    assert document["units"][2] == {
        "level": "commune",
        "units": 4,
        "parents_found_spatially": {
            "assigned": 4,
            "parents": 2,
            "warnings": 0,
            "without_parent": 0,
        },
    }
    assert document["units"][0] == {"level": "region", "units": 1}


def test_validate_counts_the_units_left_without_parent(tmp_path):
    def move_far_west(sample):
        communes = sample.units["communes"]
        communes.loc[0, "geometry"] = translate(communes.geometry.iloc[0], xoff=-10_000)

    build_project(tmp_path, edit=move_far_west, edit_config=without_commune_parent)
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert "ERROR   units.commune: 1 commune unit(s) lie less than 90 %" in result.output
    assert result.output.splitlines()[-1].endswith(
        "commune: 4 units (parents found spatially: 3 in 2 province units, 0 warnings, "
        "1 without parent)"
    )


def test_validate_defaults_to_the_current_folder(tmp_path, monkeypatch):
    build_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 0
    assert "0 error(s), 0 warning(s)" in result.output


def test_validate_accepts_the_file_itself(tmp_path):
    build_project(tmp_path)
    assert run("validate", tmp_path / PROJECT_FILE).exit_code == 0


@pytest.mark.parametrize(
    ("variation", "expected"),
    [
        ({"units_crs": None}, "ERROR   units.commune: units.gpkg, layer communes has no CRS"),
        ({"edit": set_commune_code("04.002", "04.001")}, "'04.001' (2×)"),
        ({"layers_crs": None}, "ERROR   layers.schools: "),
    ],
)
def test_validate_a_broken_project_exits_1_naming_the_problem(tmp_path, variation, expected):
    build_project(tmp_path, **variation)
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert expected in result.output
    assert " → " in result.output  # every problem comes with its fix


def test_missing_file_exits_1(tmp_path):
    build_project(tmp_path)
    (tmp_path / "census.csv").unlink()
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert "ERROR   census: " in result.output and "census.csv does not exist" in result.output
    assert "1 error(s), 0 warning(s)" in result.output


def test_warnings_only_exit_0_and_come_after_errors(tmp_path):
    def drop_built_up_2014(sample):
        del sample.rasters["built_up"][2014]

    build_project(tmp_path, edit=drop_built_up_2014)
    result = run("validate", tmp_path)
    assert result.exit_code == 0
    assert "WARNING rasters: the years of the rasters do not pair up" in result.output
    assert "0 error(s), 1 warning(s)" in result.output


def test_errors_are_listed_before_warnings(tmp_path):
    def break_two(sample):
        del sample.rasters["built_up"][2014]
        sample.census.loc[0, "population_2024"] = "-1"

    build_project(tmp_path, edit=break_two)
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("ERROR   census: ")
    assert lines[1].startswith("WARNING rasters: ")
    assert lines[2].startswith("1 error(s), 1 warning(s)")


def test_validate_json(tmp_path):
    build_project(tmp_path, edit=set_commune_code("04.003", None))
    result = run("validate", tmp_path, "--json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["project"] == str((tmp_path / PROJECT_FILE).resolve())
    assert document["errors"] + document["warnings"] == len(document["problems"])
    assert document["errors"] >= 1
    # the census row of the unit without id matches no unit: a warning
    assert document["warnings"] == 1
    first = document["problems"][0]
    assert set(first) == {"severity", "layer", "message", "fix"}
    assert any("have no id" in problem["message"] for problem in document["problems"])


def test_validate_lists_every_census_code_matching_no_unit(tmp_path):
    extra = [f"05.{number:03d}" for number in range(1, 41)]  # 40 codes of another region

    def add_rows(sample):
        rows = pd.DataFrame({"code": extra, "population_2014": "1", "population_2024": "1"})
        sample.census = pd.concat([sample.census, rows], ignore_index=True)

    build_project(tmp_path, edit=add_rows)
    result = run("validate", tmp_path)
    assert result.exit_code == 0
    assert "40 census id(s) in census.csv match no commune unit" in result.output
    assert "and 35 more" in result.output
    listed = result.output.split("all 40:")[1]
    assert all(f"'{code}'" in listed for code in extra)
    document = json.loads(run("validate", tmp_path, "--json").stdout)
    (problem,) = document["problems"]
    assert problem["details"] == [f"'{code}'" for code in extra]


def test_validate_json_of_a_valid_project(tmp_path):
    build_project(tmp_path)
    result = run("validate", tmp_path, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["problems"] == []


def test_project_file_error_is_one_line_error(tmp_path):
    (tmp_path / PROJECT_FILE).write_text('[project]\nname = "x"\nlanguage = fr\n', "utf-8")
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "line 3" in result.stderr


def test_schema_error_names_the_key(tmp_path):
    (tmp_path / PROJECT_FILE).write_text('[project]\nname = "x"\n[unit]\n', "utf-8")
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert "unit: unknown key 'unit'; did you mean 'units'?" in result.stderr


def test_no_project_file(tmp_path):
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "no project file" in result.stderr and "observatory init" in result.stderr


@pytest.mark.parametrize("command", ["init", "validate"])
def test_help_has_examples(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"observatory {command}" in result.output
