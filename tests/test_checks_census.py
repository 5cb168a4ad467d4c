"""Tests of observatory.checks.census: columns, codes and counts of the census table.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import census_project, only, problems_of, set_census

from observatory.census_spec import CensusTable
from observatory.checks import validate_project
from observatory.checks.census import check_census_table
from observatory.io.tables import read_table
from observatory.problems import has_errors
from observatory.project import load_project

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


def statbel_spec(year: int, **keys) -> CensusTable:
    return CensusTable(
        path=STATBEL / f"municipalities_{year}.csv",
        level="municipality",
        id="NIS_code",
        population={year: "inhabitants"},
        **keys,
    )


def test_real_statbel_2018_is_refused_without_thousands():
    spec = statbel_spec(2018)
    problems = check_census_table(spec, read_table(spec.path), None, {}, "observatory.toml")
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
    assert check_census_table(spec, read_table(spec.path), None, {}, "observatory.toml") == []


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


# -- several tables and crosswalks ------------------------------------------------------------
# The sample's census: 04.001 400 / 440, 04.002 1200 / 1320, 04.003 800 / 880, 04.004
# 1600 / 1760 (2014 / 2024); provinces 04.01 = 04.001 + 04.002, 04.02 = 04.003 + 04.004.
def census_problems(folder: Path, tables: dict[str, dict], census: dict):
    return validate_project(load_project(census_project(folder, tables, census)))


CODES = ["04.001", "04.002", "04.003", "04.004"]
TABLE_2014 = {"code": CODES, "p": ["400", "1200", "800", "1600"]}
TABLE_2024 = {"code": CODES, "p": ["440", "1320", "880", "1760"]}


def two_tables(first: dict, second: dict, **census) -> tuple[dict, dict]:
    tables = {"a.csv": first, "b.csv": second}
    entries = [
        {"path": "a.csv", "id": "code", "population": {"2014": "p"}},
        {"path": "b.csv", "id": "code", "population": {"2024": "p"}},
    ]
    return tables, {"tables": entries, **census}


def test_one_table_per_year_is_a_valid_census(tmp_path):
    assert census_problems(tmp_path, *two_tables(TABLE_2014, TABLE_2024)) == []


def test_a_unit_and_year_given_by_two_tables_is_an_error_naming_codes_and_files(tmp_path):
    tables, census = two_tables(TABLE_2014, TABLE_2024)
    tables["c.csv"] = {"code": ["04.002", "04.003"], "p": ["1200", "801"]}
    census["tables"].append({"path": "c.csv", "id": "code", "population": {"2014": "p"}})
    problems = census_problems(tmp_path, tables, census)
    error = only(problems, "error", "census")
    assert error.message == (
        "1 unit(s) and year(s) are given by two census tables with different figures: "
        "'04.003' 2014: 800 in a.csv, 801 in c.csv."
    )
    # the same figure twice (04.002) is a warning: one table is an extract of the other
    assert (
        "'04.002' 2014: 1,200 in a.csv, 1,200 in c.csv"
        in only(problems, "warning", "census").message
    )


def test_a_unit_missing_in_one_year_is_a_warning_naming_it_and_the_year(tmp_path):
    first = {"code": ["04.001", "04.003", "04.004"], "p": ["400", "800", "1600"]}
    problems = census_problems(tmp_path, *two_tables(first, TABLE_2024))
    problem = only(problems, "warning", "units.commune")
    assert "1 commune unit(s) have no census figure for some years: '04.002' Salé-Sud (2014)" in (
        problem.message
    )
    assert "so are those of the units that contain them" in problem.message
    assert not has_errors(problems)


def test_the_census_is_checked_against_parents_found_spatially(tmp_path):
    # no parent field: the gap is still found and its parents named (a province of 04.002)
    first = {"code": ["04.001", "04.003", "04.004"], "p": ["400", "800", "1600"]}
    tables, census = two_tables(first, TABLE_2024)
    problems = validate_project(
        load_project(census_project(tmp_path, tables, census, spatial=True))
    )
    problem = only(problems, "warning", "units.commune")
    assert "1 commune unit(s) have no census figure for some years: '04.002' Salé-Sud (2014)" in (
        problem.message
    )
    assert not has_errors(problems)


def test_a_merger_followed_by_the_crosswalk_matches_every_unit(tmp_path):
    # 04.001 was two communes in 2014: 04.901 (150 people) and 04.902 (250)
    old = {"code": ["04.901", "04.902", *CODES[1:]], "p": ["150", "250", "1200", "800", "1600"]}
    tables, census = two_tables(old, TABLE_2024)
    tables["cw.csv"] = {"old": ["04.901", "04.902"], "new": ["04.001", "04.001"]}
    crosswalk = {"path": "cw.csv", "from": "old", "to": "new", "years": [2014]}
    assert census_problems(tmp_path, tables, {**census, "crosswalk": crosswalk}) == []
    # without it, both old codes are listed and 04.001 has no 2014 figure
    problems = census_problems(tmp_path / "without", *two_tables(old, TABLE_2024))
    assert "'04.901', '04.902'" in only(problems, "warning", "census.tables[1]").message
    assert "'04.001' Salé-Nord (2014)" in only(problems, "warning", "units.commune").message


def test_a_split_without_shares_stops_validate(tmp_path):
    old = {"code": ["04.900", "04.003", "04.004"], "p": ["1600", "800", "1600"]}
    tables, census = two_tables(old, TABLE_2024)
    tables["cw.csv"] = {"old": ["04.900", "04.900"], "new": ["04.001", "04.002"]}
    crosswalk = {"path": "cw.csv", "from": "old", "to": "new", "years": [2014]}
    problems = census_problems(tmp_path, tables, {**census, "crosswalk": crosswalk})
    problem = only(problems, "error", "census.crosswalk")
    assert "'04.900' → '04.001', '04.002'" in problem.message
    # with shares, the split is followed: 04.001 gets 25 %, 04.002 75 %
    tables["cw.csv"]["share"] = ["0.25", "0.75"]
    crosswalk["share"] = "share"
    assert census_problems(tmp_path / "shared", tables, {**census, "crosswalk": crosswalk}) == []


def test_every_unmatched_code_is_listed_in_the_details(tmp_path):
    extra = [f"05.{number:03d}" for number in range(1, 9)]
    first = {"code": [*CODES, *extra], "p": ["400", "1200", "800", "1600", *["1"] * 8]}
    problem = only(
        census_problems(tmp_path, *two_tables(first, TABLE_2024)), "warning", "census.tables[1]"
    )
    assert "8 census id(s) in a.csv match no commune unit and are ignored" in problem.message
    assert "and 3 more" in problem.message
    assert problem.details == tuple(repr(code) for code in extra)


def test_a_coarser_table_that_does_not_add_up_is_a_warning_naming_the_unit(tmp_path):
    tables, census = two_tables(TABLE_2014, TABLE_2024)
    tables["provinces.csv"] = {"code": ["04.01", "04.02"], "p": ["1600", "2500"]}
    census["tables"].append(
        {"path": "provinces.csv", "id": "code", "level": "province", "population": {"2014": "p"}}
    )
    problem = only(census_problems(tmp_path, tables, census), "warning", "census")
    assert problem.message == (
        "census 2014: the commune figures of 1 province unit(s) do not add up to the province "
        "figures of provinces.csv: '04.02' Skhirate-Témara 2,500 given, 2,400 summed; the "
        "commune figures are used."
    )


def test_a_year_known_only_for_the_provinces_is_a_warning_saying_where_it_is_computed(tmp_path):
    tables, census = two_tables(TABLE_2014, TABLE_2024)
    tables["provinces.csv"] = {"code": ["04.01", "04.02"], "p": ["1500", "2300"]}
    census["tables"].append(
        {"path": "provinces.csv", "id": "code", "level": "province", "population": {"2004": "p"}}
    )
    problem = only(census_problems(tmp_path, tables, census), "warning", "census")
    assert problem.message.startswith(
        "census 2004 is at province level (provinces.csv) and there is no 2004 population "
        "raster to share it among the commune units: the 2004 indicators that need the "
        "population are computed for the province units and the levels above only."
    )
