"""Broken inputs through the top-level group: ``validate`` and ``compute`` refuse them with
one ``Error:`` naming the file, key or value and the fix (exit code 1, no traceback, no
output), or compute right values."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from affine import Affine
from builders import X0, Y0, build_project, set_census
from click.testing import CliRunner

from observatory.cli.main import cli
from observatory.kernels.grid import Grid


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def statbel_style(sample):
    """Counts written as Statbel wrote them in 2018: ``"1,200"``."""
    for column in ("population_2014", "population_2024"):
        sample.census[column] = [f"{int(value):,}" for value in sample.census[column]]


def refused(tmp_path, *args: str) -> str:
    """The output of ``compute`` on a broken project, after checking how it failed."""
    out = tmp_path / "out"
    result = invoke("compute", *args, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.output.count("Error:") == 1
    assert not out.exists()
    return result.output


def test_counts_with_a_thousands_comma_are_refused_until_declared(tmp_path):
    project = build_project(tmp_path / "project", edit=statbel_style)
    output = refused(tmp_path, str(project))
    assert "census.csv: column 'population_2014' (2014) has 2 count(s) that can be read two" in (
        output
    )
    assert "row 3 (id '04.002'): '1,200'" in output
    assert 'thousands = ","' in output
    validated = invoke("validate", str(project))
    assert validated.exit_code == 1
    assert "can be read two ways" in validated.output


def test_counts_with_a_declared_thousands_comma_are_read_right(tmp_path):
    def declare(config):
        config["census"]["thousands"] = ","

    project = build_project(tmp_path / "project", edit=statbel_style, edit_config=declare)
    out = tmp_path / "out"
    result = invoke(
        "compute", str(project), "-o", str(out), "--indicator", "population", "--level", "region"
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "indicators.csv", dtype=str).set_index("period")
    assert table.loc["2014", "value"] == "4000.0"  # builders' docstring
    assert table.loc["2024", "value"] == "4400.0"


def test_fractional_count_is_refused(tmp_path):
    project = build_project(
        tmp_path / "project", edit=set_census("04.001", "population_2024", "440.5")
    )
    assert "count(s) with a fractional part: row 2 (id '04.001'): '440.5'" in refused(
        tmp_path, str(project)
    )


@pytest.mark.parametrize("value", ['"_"', "3"])
def test_wrong_census_thousands_key_is_refused(tmp_path, value):
    def declare(config):
        config["census"]["thousands"] = "_" if value == '"_"' else 3

    project = build_project(tmp_path / "project", edit_config=declare)
    assert "census.thousands:" in refused(tmp_path, str(project))


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"sdg_11_2_1": {"low_capacity_m": -500}}, "low_capacity_m = -500 in observatory.toml"),
        ({"sdg_11_2_1": {"low_capacity_m": "500 m"}}, "a number of metres, e.g. 500"),
        ({"school_acess": {"threshold_m": 800}}, "did you mean 'school_access'?"),
    ],
)
def test_wrong_parameters_stop_compute_before_computing(tmp_path, parameters, message):
    def set_parameters(config):
        config["parameters"] = parameters

    project = build_project(tmp_path / "project", edit_config=set_parameters)
    assert message in refused(tmp_path, str(project))
    validated = invoke("validate", str(project))
    assert validated.exit_code == 1
    assert message in validated.output


def test_all_nodata_population_raster_stops_compute(tmp_path):
    def empty(sample):
        raster = sample.rasters["population"][2024]
        sample.rasters["population"][2024] = dataclasses.replace(
            raster, data=np.full(raster.data.shape, -200, dtype=raster.data.dtype)
        )

    project = build_project(tmp_path / "project", edit=empty)
    output = refused(tmp_path, str(project))
    assert "rasters.population.2024: population_2024.tif has no data over the units" in output


def off_the_1_km_grid(sample):
    """Population 2024 on 500 m cells starting 250 m west and north of the territory."""
    raster = sample.rasters["population"][2024]
    data = np.full((9, 9), 27.5, dtype="float32")  # 110 people per km² cell, as 2024
    grid = Grid(raster.grid.crs, Affine(500, 0, X0 - 250, 0, -500, Y0 + 250), height=9, width=9)
    sample.rasters["population"][2024] = dataclasses.replace(raster, data=data, grid=grid)


def test_a_population_grid_off_the_1_km_grid_skips_only_the_degurba_of_its_year(tmp_path):
    project = build_project(tmp_path / "project", edit=off_the_1_km_grid)
    validated = invoke("validate", str(project))
    assert validated.exit_code == 0, validated.output
    assert "population_2024.tif: its origin (-612250, 4108250) is not on a corner" in (
        validated.output
    )
    assert "gdalwarp -t_srs ESRI:54009 -tr 500 500 -te -613000 4103000 -607000 4109000 -r sum" in (
        validated.output
    )
    out = tmp_path / "out"
    result = invoke(
        "compute", str(project), "-o", str(out), "--indicator", "degurba_l2", "--level", "region"
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "indicators.csv", dtype=str)
    assert table["period"].tolist() == ["2014"]
    assert "degurba_l2" in result.output
    assert "2024: the population grid its origin (-612250, 4108250)" in result.output


def land_on_500_m_cells(sample):
    """The land raster on 500 m cells over the territory (the others stay on 1 km)."""
    land = sample.rasters["land"][None]
    grid = Grid(land.grid.crs, Affine(500, 0, X0, 0, -500, Y0), height=8, width=8)
    data = np.full((8, 8), 250_000.0, dtype="float32")
    sample.rasters["land"][None] = dataclasses.replace(land, data=data, grid=grid)


def test_a_land_grid_off_the_population_grid_skips_only_the_degurba(tmp_path):
    # Before: 'Error: ... the land raster is not on the grid of built_up 2014', no output.
    project = build_project(tmp_path / "project", edit=land_on_500_m_cells)
    validated = invoke("validate", str(project))
    assert validated.exit_code == 0, validated.output
    assert "the land raster is not on the population grid of 2024" in validated.output
    out = tmp_path / "out"
    result = invoke("compute", str(project), "-o", str(out), "--level", "region")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "degurba_l1: the land raster is not on the population grid of 2014" in result.output
    table = pd.read_csv(out / "indicators.csv", dtype=str).set_index(["indicator", "period"])
    assert not any(i.startswith("degurba") for i, _ in table.index)
    # What reads the land on its own grid is computed: 4400 people in 2024 on the 16 km² of
    # land (every 500 m cell all land; 0.25 % less on the ellipsoid at 34° N).
    density = float(table.loc[("population_density", "2024"), "value"])
    assert density == pytest.approx(4400 / 16, rel=3e-3)


def built_up_2024_on_500_m_cells(sample):
    built = sample.rasters["built_up"][2024]
    grid = Grid(built.grid.crs, Affine(500, 0, X0, 0, -500, Y0), height=8, width=8)
    data = np.repeat(np.repeat(built.data, 2, axis=0), 2, axis=1) / 4
    sample.rasters["built_up"][2024] = dataclasses.replace(built, data=data, grid=grid)


def test_built_up_grids_differing_between_years_skip_only_the_expansion(tmp_path):
    # Before: compute raised a GridMismatchError in urban_expansion_infill, after the rest.
    project = build_project(tmp_path / "project", edit=built_up_2024_on_500_m_cells)
    validated = invoke("validate", str(project))
    assert validated.exit_code == 0, validated.output
    assert "the built_up grids of 2014 and 2024 differ" in validated.output
    out = tmp_path / "out"
    result = invoke("compute", str(project), "-o", str(out), "--level", "region")
    assert result.exit_code == 0, result.output
    assert "urban_expansion_infill: the built_up grids of 2014 and 2024 differ" in result.output
    table = pd.read_csv(out / "indicators.csv", dtype=str).set_index(["indicator", "period"])
    assert not any(i.startswith("urban_expansion") for i, _ in table.index)
    # The land consumption compares the sums per unit, not cells: 3.4 → 4.4 km² in ten years.
    rate = float(table.loc[("land_consumption_rate", "2014_2024"), "value"])
    assert rate == pytest.approx(100 * np.log(4.4 / 3.4) / 10, rel=1e-4)
