"""Tests of observatory.hierarchy: the units of every level and each finest unit's ancestors,
with parents from a field or found spatially, every level in the finest level's CRS."""

from __future__ import annotations

import geopandas as gpd
import pytest
from builders import build_project

from observatory.checks import run_checks
from observatory.hierarchy import unit_hierarchy
from observatory.layers import load_layers
from observatory.project import load_project


def communes_in_degrees_without_parent(config):
    commune = config["units"]["levels"][2]
    commune["path"] = "communes.geojson"
    del commune["layer"], commune["parent"]


@pytest.fixture
def mixed_crs(tmp_path):
    """Regions and provinces in units.gpkg (ESRI:54009), communes in a GeoJSON (EPSG:4326)
    without province field."""
    folder = build_project(tmp_path, edit_config=communes_in_degrees_without_parent)
    communes = gpd.read_file(folder / "units.gpkg", layer="communes").to_crs("EPSG:4326")
    communes.drop(columns="province_code").to_file(folder / "communes.geojson", driver="GeoJSON")
    return run_checks(load_layers(load_project(folder)))


def test_every_level_is_in_the_crs_of_the_finest(mixed_crs):
    hierarchy = unit_hierarchy(mixed_crs.layers, mixed_crs.parent_ids)
    assert {name: units.crs.to_epsg() for name, units in hierarchy.levels.items()} == {
        "region": 4326,
        "province": 4326,
        "commune": 4326,
    }
    # the region (4 km x 4 km in ESRI:54009, an equal-area CRS) keeps its area
    assert hierarchy.levels["region"].to_crs("ESRI:54009").area.iloc[0] == pytest.approx(16e6)


def test_parents_found_spatially_become_the_parent_ids(mixed_crs):
    hierarchy = unit_hierarchy(mixed_crs.layers, mixed_crs.parent_ids)
    assert hierarchy.levels["commune"]["parent_id"].to_dict() == {
        "04.001": "04.01",
        "04.002": "04.01",
        "04.003": "04.02",
        "04.004": "04.02",
    }
    assert hierarchy.ancestors.loc["04.004", "region"] == "04"


def test_a_level_without_parent_field_needs_the_parents_found(mixed_crs):
    with pytest.raises(ValueError, match="the parents of level"):
        unit_hierarchy(mixed_crs.layers)
