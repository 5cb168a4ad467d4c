"""compute, demo and sample-data through the top-level group."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from builders import build_project, set_commune
from click.testing import CliRunner

from observatory.cli.main import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return build_project(tmp_path_factory.mktemp("project"))


def test_compute_writes_the_four_outputs(project, tmp_path):
    result = invoke(
        "compute",
        str(project),
        "-o",
        str(tmp_path),
        "--indicator",
        "population",
        "--indicator",
        "sdg_11_3_1",
    )
    assert result.exit_code == 0, result.output
    assert result.exception is None
    for name in ("indicators.gpkg", "indicators.csv", "indicators.xlsx", "provenance.json"):
        assert (tmp_path / name).is_file()
        assert f"wrote {tmp_path / name}" in result.output
    table = pd.read_csv(tmp_path / "indicators.csv", dtype=str)
    assert set(table["indicator"]) >= {"population", "sdg_11_3_1"}


def test_compute_one_level(project, tmp_path):
    result = invoke(
        "compute",
        str(project),
        "-o",
        str(tmp_path),
        "--indicator",
        "population",
        "--level",
        "province",
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "indicators.csv", dtype=str)
    assert set(table["level"]) == {"province"}


def test_compute_keeps_existing_outputs_without_overwrite(project, tmp_path):
    (tmp_path / "indicators.gpkg").write_bytes(b"old")
    result = invoke("compute", str(project), "-o", str(tmp_path), "--indicator", "population")
    assert result.exit_code == 1
    assert "already exists" in result.output and "--overwrite" in result.output
    assert (tmp_path / "indicators.gpkg").read_bytes() == b"old"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--indicator", "no_such_indicator"], "unknown indicator 'no_such_indicator'"),
        (["--level", "district"], "unknown level 'district'"),
    ],
)
def test_compute_refuses_unknown_names(project, tmp_path, args, message):
    result = invoke("compute", str(project), "-o", str(tmp_path / "out"), *args)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_compute_on_a_missing_project(tmp_path):
    result = invoke("compute", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "no project file at" in result.output


def test_sample_data_then_validate_passes(tmp_path):
    target = tmp_path / "rsk"
    result = invoke("sample-data", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "observatory.toml").is_file()
    assert not (target / "build.py").exists()
    assert not (target / "generator").exists()
    validated = invoke("validate", str(target))
    assert validated.exit_code == 0, validated.output
    again = invoke("sample-data", str(target))
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_compute_ignores_census_rows_of_other_units(tmp_path):
    def add_other_region(sample):
        extra = pd.DataFrame(
            [
                {
                    "code": "05.001",
                    "name": "Elsewhere",
                    "population_2014": "n/a",
                    "population_2024": "",
                }
            ]
        )
        sample.census = pd.concat([sample.census, extra], ignore_index=True)

    project = build_project(tmp_path / "project", edit=add_other_region)
    result = invoke(
        "compute",
        str(project),
        "-o",
        str(tmp_path / "out"),
        "--indicator",
        "population",
        "--level",
        "region",
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "indicators.csv", dtype=str)
    # the region keeps the sum of its own communes: 4000 in 2014 (builders' docstring)
    assert table.set_index("period").loc["2014", "value"] == "4000.0"


def test_compute_checks_the_project_first_and_writes_nothing_on_error(tmp_path):
    from shapely.geometry import Polygon

    def bow_tie(sample):
        communes = sample.units["communes"]
        x0, y0, x1, y1 = communes.geometry.iloc[0].bounds
        communes.loc[communes.index[0], "geometry"] = Polygon(
            [(x0, y0), (x1, y1), (x1, y0), (x0, y1)]
        )

    project = build_project(tmp_path / "project", edit=bow_tie)
    result = invoke("compute", str(project), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "1 problem(s) to fix before computing" in result.output
    assert "invalid geometry (ids '04.001'" in result.output
    assert "observatory validate" in result.output
    assert not (tmp_path / "out").exists()


def rename_census_column(config):
    config["census"]["population"]["2014"] = "pop_2014"


@pytest.mark.parametrize(
    "variation",
    [
        {"edit": set_commune("code", "04.002", "04.001")},
        {"edit_config": rename_census_column},
    ],
    ids=["duplicated commune code", "census column renamed"],
)
def test_validate_and_compute_give_the_same_message(tmp_path, variation):
    project = build_project(tmp_path / "project", **variation)
    validated = invoke("validate", str(project), "--json")
    assert validated.exit_code == 1
    errors = [p for p in json.loads(validated.stdout)["problems"] if p["severity"] == "error"]
    first = errors[0]
    computed = invoke("compute", str(project), "-o", str(tmp_path / "out"))
    assert computed.exit_code == 1
    assert f"has {len(errors)} problem(s) to fix before computing" in computed.output
    assert f"the first: {first['layer']}: {first['message']} Fix: {first['fix']}" in (
        computed.output
    )
    listed = invoke("validate", str(project))
    assert f"{first['layer']}: {first['message']} → {first['fix']}" in listed.output
