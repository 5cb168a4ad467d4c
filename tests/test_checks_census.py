"""Tests of observatory.checks.census: columns, codes and counts of the census table.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import only, problems_of, set_census

from observatory.checks.census import check_census
from observatory.io.tables import read_table
from observatory.project import CensusSpec

STATBEL = Path(__file__).parent / "data" / "statbel"

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
    assert "row 3 (id '04.002'): '1200 hab'" in problem.message


def test_spaces_between_thousands_are_numbers(tmp_path):
    edit = set_census("04.002", "population_2014", "1 200")
    assert problems_of(tmp_path, edit=edit) == []


def test_count_readable_two_ways_names_file_column_row_readings_and_key(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.002", "population_2014", "1,200"))
    problem = only(problems, "error", "census")
    assert problem.message == (
        "census.csv: column 'population_2014' (2014) has 1 count(s) that can be read two "
        "ways: row 3 (id '04.002'): '1,200'; the first is 1.2 (',' as the decimal mark) or "
        "1200 (',' separating thousands)."
    )
    assert 'thousands = ","' in problem.fix
    assert 'decimal = ","' in problem.fix
    assert "[census] in observatory.toml" in problem.fix


def declare(**keys):
    def edit_config(config):
        config["census"].update(keys)

    return edit_config


def test_declared_thousands_separator_reads_the_count(tmp_path):
    edit = set_census("04.002", "population_2014", "1,200")
    assert problems_of(tmp_path, edit=edit, edit_config=declare(thousands=",")) == []


def test_count_with_a_fractional_part(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.002", "population_2014", "1200.5"))
    problem = only(problems, "error", "census")
    assert "1 count(s) with a fractional part: row 3 (id '04.002'): '1200.5'" in problem.message


def test_declared_decimal_mark_makes_a_fraction(tmp_path):
    edit = set_census("04.002", "population_2014", "1,200")
    problems = problems_of(tmp_path, edit=edit, edit_config=declare(decimal=","))
    problem = only(problems, "error", "census")
    assert 'fractional part (read with decimal = ",")' in problem.message


def test_mixed_formats_in_one_column(tmp_path):
    def edit(sample):
        set_census("04.002", "population_2014", "1 200")(sample)
        set_census("04.004", "population_2014", "1,600")(sample)

    problems = problems_of(tmp_path, edit=edit, edit_config=declare(thousands=","))
    problem = only(problems, "error", "census")
    assert "writes its numbers in more than one way" in problem.message
    assert "',' in row 5 (id '04.004'): '1,600'" in problem.message
    assert "' ' in row 3 (id '04.002'): '1 200'" in problem.message


def test_negative_census_count(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", "-5"))
    problem = only(problems, "error", "census")
    assert "1 negative count(s): row 4 (id '04.003'): '-5'" in problem.message


def test_empty_count_fix_does_not_invent_data(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", None))
    problem = only(problems, "error", "census")
    assert "is empty for 1 row(s): ids '04.003'" in problem.message
    assert "0 if nobody" not in problem.fix
    assert "do not make one up" in problem.fix


def statbel_spec(year: int, **keys) -> CensusSpec:
    return CensusSpec(
        path=STATBEL / f"municipalities_{year}.csv",
        level="municipality",
        id="NIS_code",
        population={year: "inhabitants"},
        **keys,
    )


def test_real_statbel_2018_is_refused_without_thousands():
    spec = statbel_spec(2018)
    problems = check_census(spec, read_table(spec.path), None, "observatory.toml")
    problem = only(problems, "error", "census")
    assert "municipalities_2018.csv: column 'inhabitants' (2018) has 22 count(s)" in (
        problem.message
    )
    assert "row 2 (id '11001'): '14,304'" in problem.message
    assert "14.304 (',' as the decimal mark) or 14304 (',' separating thousands)" in (
        problem.message
    )


@pytest.mark.parametrize(("year", "keys"), [(2018, {"thousands": ","}), (2019, {}), (2020, {})])
def test_real_statbel_files_pass_as_declared(year, keys):
    spec = statbel_spec(year, **keys)
    assert check_census(spec, read_table(spec.path), None, "observatory.toml") == []


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
