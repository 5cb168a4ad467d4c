"""Tests of observatory.checks.census: columns, codes and counts of the census table.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

import pandas as pd
import pytest
from builders import only, problems_of, set_census

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def test_census_id_matching_no_unit(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.004", "code", "04.999"))
    # the extra row is ignored by compute (a warning); the unit without a row is an error
    assert "'04.999'" in only(problems, "warning", "census").message
    assert "'04.004'" in only(problems, "error", "units.commune").message


def test_census_codes_that_lost_their_format_get_a_hint(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.001", "code", "4001"))
    census = only(problems, "warning", "census")
    assert "'4001'" in census.message
    assert "differ only in format" in census.fix


def test_unit_without_census_row(tmp_path):
    def drop(sample):
        sample.census = sample.census[sample.census["code"] != "04.002"]

    problems = problems_of(tmp_path, edit=drop)
    problem = only(problems, "error", "units.commune")
    assert "1 commune unit(s) have no row in the census census.csv: '04.002'" in problem.message


def test_duplicate_census_ids(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.002", "code", "04.001"))
    messages = [p.message for p in problems if p.layer == "census"]
    assert any("'04.001' (2×)" in message for message in messages)


def test_non_numeric_census_count_names_the_row(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.002", "population_2014", "1200 hab"))
    problem = only(problems, "error", "census")
    assert "'population_2014' (2014) has 1 value(s) that are not numbers" in problem.message
    assert "'04.002': '1200 hab'" in problem.message


def test_thousands_separator_and_decimal_comma_are_numbers(tmp_path):
    edit = set_census("04.002", "population_2014", "1 200")
    assert problems_of(tmp_path, edit=edit) == []


def test_negative_census_count(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", "-5"))
    problem = only(problems, "error", "census")
    assert "1 negative count(s): '04.003': '-5'" in problem.message


def test_empty_census_count(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", None))
    problem = only(problems, "error", "census")
    assert "is empty for 1 row(s): ids '04.003'" in problem.message


def test_census_column_not_found(tmp_path):
    def rename(config):
        config["census"]["population"]["2014"] = "pop_2014"

    problem = only(problems_of(tmp_path, edit_config=rename), "error", "census")
    assert "column 'pop_2014' (census.population.2014) not found" in problem.message
    assert "code, name, population_2014, population_2024" in problem.message


def test_census_rows_matching_no_unit_are_not_checked_for_counts(tmp_path):
    # A national table where a merged municipality has no figure: the row matches no unit,
    # compute ignores it, so it is one warning and not an error about its empty count.
    def add_merged_row(sample):
        extra = pd.DataFrame(
            [{"code": "04.998", "name": "Merged", "population_2014": "", "population_2024": ""}]
        )
        sample.census = pd.concat([sample.census, extra], ignore_index=True)

    problems = problems_of(tmp_path, edit=add_merged_row)
    assert [p.severity for p in problems] == ["warning"]
    assert "'04.998'" in problems[0].message and "ignored" in problems[0].message
