"""Tests of observatory.checks.parameters: ``[parameters]`` checked before computing.

Every project comes from :func:`builders.build_project` (see tests/builders.py) with one
parameter set in its project file.
"""

from __future__ import annotations

import pytest
from builders import only, problems_of

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def with_parameters(parameters):
    def edit_config(config):
        config["parameters"] = parameters

    return edit_config


def test_negative_distance_is_refused(tmp_path):
    edit = with_parameters({"sdg_11_2_1": {"low_capacity_m": -500}})
    problem = only(problems_of(tmp_path, edit_config=edit), "error", "parameters.sdg_11_2_1")
    assert problem.message == (
        "parameters.sdg_11_2_1.low_capacity_m = -500 in observatory.toml is below the minimum: "
        "it must be more than 0."
    )
    assert problem.fix == "give a number of metres, e.g. 500."


def test_distance_with_its_unit_is_refused(tmp_path):
    edit = with_parameters({"sdg_11_2_1": {"low_capacity_m": "500 m"}})
    problem = only(problems_of(tmp_path, edit_config=edit), "error", "parameters.sdg_11_2_1")
    assert "low_capacity_m = '500 m' in observatory.toml is not a number" in problem.message
    assert "a number of metres, e.g. 500" in problem.fix


def test_misspelt_indicator_id_suggests_the_right_one(tmp_path):
    edit = with_parameters({"school_acess": {"threshold_m": 800}})
    problem = only(problems_of(tmp_path, edit_config=edit), "error", "parameters.school_acess")
    assert "'school_acess' is not an indicator id" in problem.message
    assert problem.fix.startswith("did you mean 'school_access'?")


def test_unknown_parameter_name(tmp_path):
    edit = with_parameters({"school_access": {"treshold_m": 800}})
    problem = only(problems_of(tmp_path, edit_config=edit), "error", "parameters.school_access")
    assert (
        "school_access.treshold_m in observatory.toml is not a parameter of this indicator"
        in problem.message
    )
    assert "did you mean 'threshold_m'?" in problem.fix


def test_right_parameters_pass(tmp_path):
    edit = with_parameters(
        {"school_access": {"threshold_m": 800}, "degurba_l2": {"unit_rules": 2021}}
    )
    assert problems_of(tmp_path, edit_config=edit) == []
