"""Tests of observatory.checks.parents: the parents of a level without ``parent`` field,
found as the unit of the level above that holds most of each unit's area.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces of 4 km x 2 km in 1 region, in the equal-area ESRI:54009; see tests/builders.py)
with the ``parent`` key of some levels removed, and one thing moved.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from builders import COMMUNES, X0, Y0, build_project, only
from shapely.affinity import translate
from shapely.geometry import box

from observatory.checks import parents as parents_module
from observatory.checks import run_checks
from observatory.checks.parents import SPATIAL_PARENT_MIN_SHARE, overlaps
from observatory.checks.units import NESTING_MIN_SHARE
from observatory.engine import run
from observatory.hierarchy import unit_hierarchy
from observatory.layers import load_layers
from observatory.problems import has_errors
from observatory.project import load_project

PROVINCE, COMMUNE = 1, 2  # positions of the levels in config["units"]["levels"]


def without_parent_field(*positions: int):
    """An ``edit_config`` removing the ``parent`` key of the levels at ``positions``."""

    def edit(config):
        for position in positions:
            del config["units"]["levels"][position]["parent"]

    return edit


def shift_commune(code: str, xoff: float):
    """An ``edit`` moving the commune ``code`` east by ``xoff`` metres (west when < 0)."""

    def edit(sample):
        communes = sample.units["communes"]
        row = communes["code"] == code
        communes.loc[row, "geometry"] = translate(communes.geometry[row].iloc[0], xoff=xoff)

    return edit


def checked(folder, **variations):
    return run_checks(load_layers(load_project(build_project(folder, **variations))))


def test_the_thresholds_are_the_documented_ones():
    assert (SPATIAL_PARENT_MIN_SHARE, NESTING_MIN_SHARE) == (0.90, 0.99)


def test_overlaps_by_hand():
    # parents: two 2 km x 2 km squares side by side (x 0-2000 and 2000-4000)
    parents = np.array([box(0, 0, 2000, 2000), box(2000, 0, 4000, 2000)])
    children = np.array(
        [
            box(1500, 0, 2500, 1000),  # half in each: 0.5, 0.5
            box(100, 100, 200, 200),  # inside the first: one pair, share 1
            box(9000, 0, 9100, 100),  # far away: no pair
            box(3000, 0, 4500, 1000),  # 1000 of 1500 m in the second: 2/3
        ]
    )
    pairs = overlaps(children, parents, "ESRI:54009")
    assert pairs["child"].tolist() == [0, 0, 1, 3]
    assert pairs["parent"].tolist()[2:] == [0, 1]
    assert pairs["share"].to_numpy() == pytest.approx([0.5, 0.5, 1.0, 2 / 3], abs=1e-6)


def test_parents_found_spatially_are_the_declared_ones(tmp_path):
    spatial = checked(tmp_path / "spatial", edit_config=without_parent_field(PROVINCE, COMMUNE))
    assert spatial.problems == []
    assert spatial.parent_ids["province"].to_dict() == {"04.01": "04", "04.02": "04"}
    expected = {code: province for code, (_, province, _, _) in COMMUNES.items()}
    assert spatial.parent_ids["commune"].to_dict() == expected
    assert spatial.parents["commune"].shares.tolist() == [1.0, 1.0, 1.0, 1.0]
    declared = checked(tmp_path / "declared")
    assert declared.parents == {}
    pd.testing.assert_frame_equal(
        unit_hierarchy(spatial.layers, spatial.parent_ids).ancestors,
        unit_hierarchy(declared.layers).ancestors,
    )


def test_a_unit_95_per_cent_inside_is_a_warning_naming_both_overlaps(tmp_path):
    # Salé-Nord (x X0 to X0 + 2 km) moved 100 m east: 1900 m of its 2000 in 04.01, 100 in 04.02.
    found = checked(
        tmp_path, edit=shift_commune("04.001", 100), edit_config=without_parent_field(COMMUNE)
    )
    assert not has_errors(found.problems)
    problem = only(found.problems, "warning", "units.commune")
    assert problem.message.startswith("1 commune unit(s) lie from 90 % to 99 % inside the ")
    overlaps_named = "Salé-Nord (04.001): 95.0 % in 04.01 Salé, 5.0 % in 04.02 Skhirate-Témara."
    assert overlaps_named in problem.message
    assert found.parent_ids["commune"]["04.001"] == "04.01"
    assert found.parents["commune"].warned == 1


def test_a_unit_half_in_two_parents_is_an_error_naming_it(tmp_path):
    found = checked(
        tmp_path, edit=shift_commune("04.001", 1000), edit_config=without_parent_field(COMMUNE)
    )
    problem = only([p for p in found.problems if p.severity == "error"], "error", "units.commune")
    assert "lie less than 90 % inside any one province, so no parent can be found" in (
        problem.message
    )
    assert "Salé-Nord (04.001): 50.0 % in 04.01 Salé, 50.0 % in 04.02 Skhirate-Témara" in (
        problem.message
    )
    assert found.parent_ids["commune"]["04.001"] is None
    assert found.parents["commune"].refused == 1


def test_a_unit_outside_every_parent_is_an_error(tmp_path):
    found = checked(
        tmp_path, edit=shift_commune("04.001", -10_000), edit_config=without_parent_field(COMMUNE)
    )
    problems = [p for p in found.problems if p.layer == "units.commune"]
    assert [p.severity for p in problems] == ["error"]
    assert "Salé-Nord (04.001): 100.0 % in no province." in problems[0].message


def test_a_unit_half_outside_lists_the_part_in_no_parent(tmp_path):
    # 1 km west: half of it west of the region
    found = checked(
        tmp_path, edit=shift_commune("04.001", -1000), edit_config=without_parent_field(COMMUNE)
    )
    problem = only([p for p in found.problems if p.severity == "error"], "error", "units.commune")
    assert "Salé-Nord (04.001): 50.0 % in 04.01 Salé, 50.0 % in no province." in problem.message


def test_a_parent_holding_no_unit_is_a_warning(tmp_path):
    # A second region 100 km east: no province lies in it.
    def add_region(sample):
        regions = sample.units["regions"]
        far = gpd.GeoDataFrame(
            {"code": ["05"], "name": ["Loin"]},
            geometry=[box(X0 + 100_000, Y0 - 4000, X0 + 104_000, Y0)],
            crs=regions.crs,
        )
        sample.units["regions"] = pd.concat([regions, far], ignore_index=True)

    found = checked(tmp_path, edit=add_region, edit_config=without_parent_field(PROVINCE))
    problem = only(found.problems, "warning", "units.region")
    assert "1 region unit(s) hold no province (none lies mostly inside them): '05'." in (
        problem.message
    )
    assert found.parents["province"].parents_used == 1


def test_the_parents_are_found_once_per_run(tmp_path, monkeypatch):
    calls = []
    original = parents_module.overlaps
    monkeypatch.setattr(
        parents_module, "overlaps", lambda *args: calls.append(1) or original(*args)
    )
    folder = build_project(tmp_path, edit_config=without_parent_field(PROVINCE, COMMUNE))
    results = run(load_project(folder), indicator_ids=["population"])
    assert len(calls) == 2  # one per level whose parents are found spatially
    assert results.hierarchy.ancestors.loc["04.003"].to_dict() == {
        "region": "04",
        "province": "04.02",
        "commune": "04.003",
    }


def test_levels_in_different_crs_a_geojson_in_degrees(tmp_path):
    # The communes as a GeoJSON in EPSG:4326, the other levels in units.gpkg (ESRI:54009).
    def communes_from_geojson(config):
        commune = config["units"]["levels"][COMMUNE]
        commune["path"] = "communes.geojson"
        del commune["layer"], commune["parent"]

    folder = build_project(tmp_path, edit_config=communes_from_geojson)
    communes = gpd.read_file(folder / "units.gpkg", layer="communes").to_crs("EPSG:4326")
    communes.drop(columns="province_code").to_file(folder / "communes.geojson", driver="GeoJSON")
    found = run_checks(load_layers(load_project(folder)))
    assert found.problems == []
    expected = {code: province for code, (_, province, _, _) in COMMUNES.items()}
    assert found.parent_ids["commune"].to_dict() == expected
    # the provinces' straight edges are not straight in degrees: shares just under 1
    assert found.parents["commune"].shares.min() > NESTING_MIN_SHARE
