"""The parameters of indicators (observatory.indicators.parameters): what each accepts, and
the problem named for an unknown name or a wrong value."""

from __future__ import annotations

import pytest

from observatory.errors import ParameterError
from observatory.indicators.registry import catalogue, get_indicator


def test_unknown_parameter_is_refused_with_the_known_ones():
    spec = get_indicator("population")
    with pytest.raises(ParameterError, match="radius is not a parameter of this indicator"):
        spec.resolve_params({"radius": 3})


def test_every_built_in_parameter_declares_what_it_accepts():
    for spec in catalogue().values():
        defaults = {p.name: p.default for p in spec.params}
        for parameter in spec.params:
            assert parameter.kind != "any", (spec.id, parameter.name)
            assert parameter.problem(parameter.default, defaults) is None


@pytest.mark.parametrize(
    ("indicator_id", "overrides", "message"),
    [
        ("sdg_11_2_1", {"low_capacity_m": -500}, "is below the minimum: it must be more than 0"),
        ("sdg_11_2_1", {"low_capacity_m": "500 m"}, "is not a number give a number of metres"),
        ("sdg_11_2_1", {"low_capacity_m": 0}, "must be more than 0"),
        ("sdg_11_2_1", {"low_capacity_m": True}, "is not a number"),
        ("school_seats_per_child", {"school_age_share": 1.5}, "above the maximum 1"),
        ("urban_expansion_infill", {"suburban_share": 0.6}, "above the maximum urban_share (0.5)"),
        ("urban_expansion_infill", {"fringe_m": -1}, "it must be at least 0"),
        ("degurba_l2", {"rules": "ghsl"}, "is not a known value use one of 'ghsl-2023'"),
        ("school_access", {"mode": "walk"}, "use one of 'network', 'straight-line'"),
        ("school_access", {"excluded_classes": "motorway"}, "is not a list of texts"),
        ("street_land_share", {"widths_m": {"primary": "7 m"}}, "has primary = '7 m', which is"),
        ("street_land_share", {"widths_m": 7}, "is not a table"),
    ],
)
def test_wrong_parameter_values_are_refused(indicator_id, overrides, message):
    problems = get_indicator(indicator_id).param_problems(overrides)
    assert len(problems) == 1
    assert message in " ".join(problems[0])
    with pytest.raises(ParameterError, match="indicator '" + indicator_id):
        get_indicator(indicator_id).resolve_params(overrides)


def test_right_parameter_values_pass():
    assert get_indicator("degurba_l2").param_problems({"unit_rules": 2021}) == []
    assert get_indicator("sdg_11_2_1").param_problems({"low_capacity_m": 400}) == []
    assert get_indicator("street_land_share").param_problems({"widths_m": {"primary": 8}}) == []


def test_unknown_parameter_name_suggests_the_closest():
    problems = get_indicator("school_access").param_problems({"treshold_m": 800})
    assert problems[0][2].startswith("did you mean 'threshold_m'?")
