"""compute, demo and sample-data through the top-level group."""

from __future__ import annotations

import errno
import json
import os
import subprocess

import geopandas as gpd
import pandas as pd
import pytest
from builders import build_project, set_commune
from click.testing import CliRunner

from observatory.cli.main import cli
from observatory.io import atomic, outputs, tables
from observatory.io.outputs import OUTPUT_NAMES


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


def test_parents_found_spatially_compute_what_a_parent_field_computes(project, tmp_path):
    def without_parent_fields(config):
        for level in config["units"]["levels"][1:]:
            del level["parent"]

    spatial = build_project(tmp_path / "spatial", edit_config=without_parent_fields)
    # a count, ratios summed up the hierarchy and a class recomputed at each level
    indicators = ("population", "population_density", "sdg_11_3_1", "degurba_l1")
    options = [part for indicator in indicators for part in ("--indicator", indicator)]
    for name, folder in (("declared", project), ("spatial", spatial)):
        result = invoke("compute", str(folder), "-o", str(tmp_path / f"out-{name}"), *options)
        assert result.exit_code == 0, result.output
    tables = [
        pd.read_csv(tmp_path / f"out-{name}" / "indicators.csv", dtype=str)
        for name in ("declared", "spatial")
    ]
    assert set(tables[0]["level"]) == {"region", "province", "commune"}
    pd.testing.assert_frame_equal(tables[0], tables[1])
    for level in ("region", "province", "commune"):
        declared, found = (
            gpd.read_file(tmp_path / f"out-{name}" / "indicators.gpkg", layer=level)
            for name in ("declared", "spatial")
        )
        pd.testing.assert_frame_equal(declared, found)


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


# --- nothing lost, nothing left ------------------------------------------------------------


def test_compute_never_replaces_an_input_even_with_overwrite(tmp_path):
    project = build_project(tmp_path / "project")
    (project / "census.csv").rename(project / "indicators.csv")
    project_file = project / "observatory.toml"
    project_file.write_text(
        project_file.read_text(encoding="utf-8").replace("census.csv", "indicators.csv"),
        encoding="utf-8",
    )
    census = (project / "indicators.csv").read_bytes()
    result = invoke("compute", str(project), "-o", str(project), "--overwrite")
    assert result.exit_code == 1 and result.exception is not None
    assert result.output.startswith("Error: ") and "would replace the input" in result.output
    assert str(project / "indicators.csv") in result.output
    assert (project / "indicators.csv").read_bytes() == census
    assert not (project / "indicators.gpkg").exists()
    assert not list(project.glob(".observatory*"))


@pytest.mark.parametrize("below", ["", "sub"])
def test_compute_into_a_file_is_refused_before_computing(project, tmp_path, below):
    (tmp_path / "afile").write_text("keep")
    output = tmp_path / "afile" / below if below else tmp_path / "afile"
    result = invoke("compute", str(project), "-o", str(output))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: the output folder") and "is a file" in result.output
    assert (tmp_path / "afile").read_text() == "keep"


def test_compute_refuses_a_folder_another_run_is_writing_into(project, tmp_path):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / ".observatory.lock").write_text(f"{sleeper.pid}\n")
        result = invoke("compute", str(project), "-o", str(tmp_path))
    finally:
        sleeper.kill()
        sleeper.wait()
    assert result.exit_code == 1
    assert f"another run (process {sleeper.pid}) is writing into {tmp_path}" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [".observatory.lock"]


def test_a_full_disk_while_writing_is_an_error_and_leaves_nothing(project, tmp_path, monkeypatch):
    def disk_full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(tables, "write_csv", disk_full)
    monkeypatch.setattr(outputs, "write_csv", disk_full)
    output = tmp_path / "new" / "out"
    result = invoke("compute", str(project), "-o", str(output), "--indicator", "population")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "No space left on device" in result.output and "indicators.csv" in result.output
    assert "free some disk space" in result.output
    assert list(tmp_path.iterdir()) == []  # the folders the run made are gone too


def test_a_read_only_output_folder_is_refused_before_computing(project, tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_may_write", lambda folder: False)
    result = invoke("compute", str(project), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"cannot write into {tmp_path}: permission denied" in result.output


def test_the_next_run_cleans_what_a_killed_run_left(project, tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / ".observatory.lock").write_text(f"{dead.pid}\n")
    (tmp_path / ".observatory-k1ll3d").mkdir()
    (tmp_path / ".observatory-k1ll3d" / "indicators.csv").write_text("half")
    result = invoke("compute", str(project), "-o", str(tmp_path), "--indicator", "population")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OUTPUT_NAMES)


def test_sample_data_into_a_file_is_an_error(tmp_path):
    (tmp_path / "afile").write_text("keep")
    for target in (tmp_path / "afile", tmp_path / "afile" / "rsk"):
        result = invoke("sample-data", str(target))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.startswith("Error: ") and "afile is a file" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
