"""Tests of observatory.checks.units: unit codes, parents and nesting.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from builders import X0, Y0, only, problems_of, set_commune
from shapely.affinity import translate
from shapely.geometry import box

from observatory.problems import has_errors

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def test_duplicate_unit_ids(tmp_path):
    problems = problems_of(tmp_path, edit=set_commune("code", "04.002", "04.001"))
    problem = only(problems, "error", "units.commune")
    assert "'04.001' (2×)" in problem.message
    # the census row 04.002 now matches no commune: reported too, on the census (a warning:
    # compute ignores census rows without a unit)
    assert "'04.002'" in only(problems, "warning", "census").message


def test_null_unit_ids(tmp_path):
    problems = problems_of(tmp_path, edit=set_commune("code", "04.003", None))
    messages = [p.message for p in problems if p.layer == "units.commune"]
    # 04.003 is the 3rd feature of the communes layer
    assert any("1 commune units have no id in 'code' (rows 3)" in m for m in messages)


def test_child_whose_parent_does_not_exist(tmp_path):
    problems = problems_of(tmp_path, edit=set_commune("province_code", "04.004", "04.09"))
    problem = only(problems, "error", "units.commune")
    assert "'04.004' → '04.09'" in problem.message
    assert "province that does not exist" in problem.message


def test_child_not_nested_in_its_declared_parent(tmp_path):
    # 04.003 is in the east half but declares the west province 04.01: 0 % inside it.
    problems = problems_of(tmp_path, edit=set_commune("province_code", "04.003", "04.01"))
    problem = only(problems, "error", "units.commune")
    assert "less than 99 % inside their province" in problem.message
    assert "'04.003' (0.0 % inside '04.01')" in problem.message


def test_child_partly_outside_its_parent(tmp_path):
    # 04.001 (x from X0 to X0 + 2 km) shifted 100 m west: 1900 / 2000 = 95.0 % inside 04.01.
    def shift(sample):
        communes = sample.units["communes"]
        moved = translate(communes.geometry.iloc[0], xoff=-100)
        communes.loc[communes["code"] == "04.001", "geometry"] = moved

    problems = problems_of(tmp_path, edit=shift)
    problem = only(problems, "error", "units.commune")
    assert "'04.001' (95.0 % inside '04.01')" in problem.message


def test_child_slightly_outside_its_parent_is_accepted(tmp_path):
    # 10 m west: 1990 / 2000 = 99.5 % ≥ 99 %: no problem.
    def shift(sample):
        communes = sample.units["communes"]
        communes.loc[communes["code"] == "04.001", "geometry"] = translate(
            communes.geometry.iloc[0], xoff=-10
        )

    assert problems_of(tmp_path, edit=shift) == []


def test_parent_without_children_is_a_warning(tmp_path):
    # A third province inside the region, but no commune names it.
    def add_province(sample):
        provinces = sample.units["provinces"]
        extra = gpd.GeoDataFrame(
            {"code": ["04.03"], "name": ["Vide"], "region_code": ["04"]},
            geometry=[box(X0, Y0 - 1000, X0 + 1000, Y0)],
            crs=provinces.crs,
        )
        sample.units["provinces"] = gpd.GeoDataFrame(
            [*provinces.to_dict("records"), *extra.to_dict("records")], crs=provinces.crs
        )

    problems = problems_of(tmp_path, edit=add_province)
    assert not has_errors(problems)
    assert "'04.03'" in only(problems, "warning", "units.province").message
