"""Tests of ``observatory access`` on the tiny project of tests/builders.py.

The project's population grid is 4 x 4 cells of 1 km. Roads: an east-west line along the
grid line 2 km below the top and a north-south line 2 km from the left. Schools sit at the
centres of cells (0, 0) and (3, 3).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from click.testing import CliRunner
from shapely.geometry import LineString

from observatory.cli.main import cli
from tests.builders import build_project, set_commune


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Built once: writing the project takes seconds, and no test changes it."""
    return build_project(tmp_path_factory.mktemp("access") / "project")


def read(path):
    with rasterio.open(path) as dataset:
        return dataset.read(1), dataset.nodata, dataset.tags()


def test_network_distance_raster(project, tmp_path):
    output = tmp_path / "schools.tif"
    result = CliRunner().invoke(cli, ["access", str(project), "--to", "schools", "-o", str(output)])
    assert result.exit_code == 0, result.output
    data, nodata, tags = read(output)
    assert data.shape == (4, 4)
    assert nodata == -1
    # cell (0, 0) holds the school: both snap onto the same street edge 1500 m away, so the
    # walk is 1500 m to the street and 1500 m back: 3000 m (never 0 along the network)
    assert data[0, 0] == pytest.approx(3000.0)
    assert data[3, 3] == pytest.approx(3000.0)
    assert (data >= 0).all()
    assert tags["distance_mode"] == "network"
    assert tags["unreachable_cells"] == "0"


def test_straight_line_distance_raster(project, tmp_path):
    output = tmp_path / "schools.tif"
    args = ["access", str(project), "--to", "schools", "-o", str(output)]
    result = CliRunner().invoke(cli, [*args, "--mode", "straight-line"])
    assert result.exit_code == 0, result.output
    data, _, tags = read(output)
    # straight line: 0 m in the school's cell, 1000 m in the next cell east
    assert data[0, 0] == 0.0
    assert data[0, 1] == pytest.approx(1000.0)
    assert tags["distance_mode"] == "straight-line"


def test_existing_output_is_not_overwritten(project, tmp_path):
    output = tmp_path / "health.tif"
    output.write_bytes(b"keep me")
    args = ["access", str(project), "--to", "health", "-o", str(output)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "--overwrite" in result.output
    assert output.read_bytes() == b"keep me"
    assert CliRunner().invoke(cli, [*args, "--overwrite"]).exit_code == 0
    data, _, _ = read(output)
    assert np.isfinite(data).all()


def test_unknown_destination_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(
        cli, ["access", str(tmp_path), "--to", "markets", "-o", str(tmp_path / "x.tif")]
    )
    assert result.exit_code == 2


def test_unreachable_cells_are_nodata(tmp_path):
    def add_island(sample):
        roads = sample.layers["roads"]
        x0, y0 = roads.geometry.iloc[0].coords[0]  # west end of the east-west road
        island = gpd.GeoDataFrame(
            {"class": ["residential"], "bridge": [0]},
            geometry=[LineString([(x0 + 400, y0 + 1500), (x0 + 600, y0 + 1500)])],
            crs=roads.crs,
        )
        sample.layers["roads"] = pd.concat([roads, island], ignore_index=True)

    project = build_project(tmp_path / "island", edit=add_island)
    output = tmp_path / "stops.tif"
    result = CliRunner().invoke(
        cli, ["access", str(project), "--to", "transit_stops", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    data, _, tags = read(output)
    # cell (0, 0) (centre 500 m east, 1500 m north of the road's west end) lies on the island
    assert data[0, 0] == -1
    assert tags["unreachable_cells"] == "1"
    assert "cannot reach" in result.output


def test_a_broken_project_stops_with_the_message_of_validate(tmp_path):
    project = build_project(tmp_path / "broken", edit=set_commune("code", "04.002", "04.001"))
    output = tmp_path / "schools.tif"
    validated = CliRunner().invoke(cli, ["validate", str(project)])
    first_error = validated.output.splitlines()[0].removeprefix("ERROR   ")
    layer_and_message, fix = first_error.split(" → ")
    result = CliRunner().invoke(cli, ["access", str(project), "--to", "schools", "-o", str(output)])
    assert result.exit_code == 1
    assert f"the first: {layer_and_message} Fix: {fix}" in result.output
    assert not output.exists()
