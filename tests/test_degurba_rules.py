"""Tests of the named Degree of Urbanisation rule sets and their overrides."""

import pytest

from observatory.degurba.rules import RULE_SETS, DegurbaRules, rule_set_table, rules_from_name
from observatory.errors import ParameterError


def test_default_rule_set_is_ghsl_2023_with_the_documented_values():
    rules = rules_from_name()
    assert rules.name == "ghsl-2023"
    assert (rules.uc_density, rules.uc_size, rules.uc_contiguity) == (1500, 50_000, 4)
    assert (rules.uc_built_criterion, rules.uc_built_threshold) == (True, 0.2)
    assert rules.uc_smoothing == "r2023a"
    assert rules.uc_max_gap_km2 == 15
    assert (rules.sduc_density, rules.sduc_size, rules.sduc_contiguity) == (900, 2500, 4)
    assert rules.sduc_buffer_km == 2
    assert (rules.rc_density, rules.rc_size, rules.ldr_density) == (300, 500, 50)


def test_ghsl_2022_and_eurostat_2021_differ_where_documented():
    ghsl_2022 = rules_from_name("ghsl-2022")
    assert ghsl_2022.uc_built_threshold == 0.5 and ghsl_2022.duc_built_threshold == 0.5
    assert ghsl_2022.uc_smoothing == "r2022a"
    eurostat = rules_from_name("eurostat-2021")
    assert not eurostat.uc_built_criterion and not eurostat.duc_built_criterion
    assert (eurostat.sduc_density, eurostat.sduc_size, eurostat.sduc_contiguity) == (300, 5000, 8)
    assert eurostat.sduc_buffer_km == 3


def test_overrides_convert_strings_to_the_field_types():
    rules = rules_from_name(
        "ghsl-2023",
        {"uc_density": "1200", "uc_built_criterion": "false", "uc_contiguity": "8"},
    )
    assert rules.uc_density == 1200.0
    assert rules.uc_built_criterion is False
    assert rules.uc_contiguity == 8
    assert rules.name == "ghsl-2023 (modified)"
    assert RULE_SETS["ghsl-2023"].uc_density == 1500  # the named set is not changed


def test_unknown_key_is_refused_with_the_list_of_valid_keys():
    with pytest.raises(ParameterError, match=r"'uc_densty'.*valid keys are: uc_density"):
        rules_from_name("ghsl-2023", {"uc_densty": 1000})


def test_unknown_rule_set_is_refused_with_the_valid_names():
    with pytest.raises(ParameterError, match="ghsl-2023, ghsl-2022, eurostat-2021"):
        rules_from_name("ghsl-2024")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("uc_density", "dense", "not a number"),
        ("uc_contiguity", "6", "use 4 \\(rook\\) or 8"),
        ("uc_contiguity", "4.5", "whole number"),
        ("uc_gap_fill", "maybe", "not a boolean"),
        ("uc_smoothing", "r2021", "r2023a, r2022a, none"),
        ("uc_size", "-1", "negative"),
    ],
)
def test_bad_override_values_are_refused(key, value, message):
    with pytest.raises(ParameterError, match=message):
        rules_from_name("ghsl-2023", {key: value})


def test_rule_set_table_has_one_row_per_parameter_and_a_column_per_set():
    table = rule_set_table()
    assert table[0] == ("parameter", "ghsl-2023", "ghsl-2022", "eurostat-2021")
    assert ("uc_built_threshold", "0.2", "0.5", "0.2") in table
    assert len(table) == len(DegurbaRules.__dataclass_fields__)  # header replaces "name"
