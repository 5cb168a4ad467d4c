"""Census tables and crosswalks guessed from tables: code column, level, years, formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from drafting_files import layer, table

from observatory.drafting.census import (
    crosswalk_columns,
    draft_census,
    is_numeric,
    number_format,
)
from observatory.drafting.units import guess_levels
from observatory.io.tables import codes_as_text, read_table

LEVELS = guess_levels(
    [
        layer("gewest.shp", {"gewest": ["04000"]}),
        layer("gemeente2024.shp", {"gemeente": [21001, 21002, 21003], "naam": ["a", "b", "c"]}),
    ]
)


def where(path):
    return f"data/{path.name}"


def entries(section):
    return {entry.key: entry.value for entry in section.entries}


def checks(section):
    return {entry.key: entry.check for entry in section.entries if entry.check}


@pytest.mark.parametrize(
    ("values", "thousands", "decimal"),
    [
        (["14,304", "523,248", "923"], ",", None),  # "14,304" could be 14.304: counts are whole
        (["14 293", "525\u00a0935", "12"], " ", None),  # a no-break space is a space
        (["1.234,5", "12,5", "3"], ".", ","),
        (["1,234.5", "3"], ",", "."),
        (["1,000", "2,000"], ",", None),  # 1,000 reads 1.0 too, but not as a count
        (["1,234", "12,5"], None, ","),  # "12,5" settles the comma as decimal mark
        (["14427", "529247", None], None, None),
    ],
)
def test_the_number_format_is_read_from_the_values(values, thousands, decimal):
    found = number_format(values)
    assert (found.thousands, found.decimal, found.mixed) == (thousands, decimal, ())


def test_a_column_written_two_ways_is_mixed():
    found = number_format(["14,304", "1 234", "2 345"])
    assert found.thousands == " " and found.mixed == ("thousands",)
    assert found.examples == {("thousands", " "): "1 234", ("thousands", ","): "14,304"}


def test_numeric_columns_allow_a_few_blanks_but_not_words():
    assert is_numeric(["1", None, "2 000"])
    assert not is_numeric(["1", "n.d."])
    assert not is_numeric([None, None])


def test_a_yearly_file_with_an_inhabitants_column_is_a_census_table_at_the_matching_level():
    census = table(
        "belgian_municipalities_2018.csv",
        {
            "NIS_code": ["11001", "21001", "21002", "21003"],
            "zip": ["2630", "1070", "1000", "1040"],
            "inhabitants": ["14,304", "118,241", "176,545", "52,300"],
        },
    )
    draft = draft_census([census], LEVELS, where)
    (section,) = draft.sections
    assert (section.header, section.array) == ("census.tables", True)
    assert entries(section) == {
        "path": "data/belgian_municipalities_2018.csv",
        "id": "NIS_code",
        "level": "municipality",
        "population": {2018: "inhabitants"},
        "thousands": ",",
    }
    notes = checks(section)
    assert "3 of the 3 municipality codes ('gemeente') are found (4 rows)" in notes["id"]
    assert notes["population"] == (
        "population guessed: 'inhabitants' for 2018 (the year in the file name)"
    )
    assert "'14,304' uses ',' as the thousands separator" in notes["thousands"]
    assert draft.years == {2018}
    assert draft.summary == ["census belgian_municipalities_2018.csv: 2018 at municipality"]


def test_yearly_columns_give_the_years_and_other_yearly_numbers_are_left_out():
    census = table(
        "communes.csv",
        {
            "code": ["21001", "21002"],
            "pop2014": ["100", "200"],
            "P_2019": ["110", "210"],
            "households_2024": ["40", "80"],
            "name_2024": ["A", "B"],
        },
        sheet="RGPH",
    )
    (section,) = draft_census([census], LEVELS, where).sections
    found = entries(section)
    assert found["population"] == {2014: "pop2014", 2019: "P_2019"}
    assert found["layer"] == "RGPH"
    assert "thousands" not in found and "decimal" not in found  # plain numbers
    assert checks(section)["population"].endswith(
        "(years in the column names); other yearly columns left out: households_2024"
    )


def test_a_decimal_comma_is_written_with_its_thousands_separator():
    census = table("pop_2020.csv", {"NIS_code": ["21001", "21002"], "pop": ["1.234,5", "12,5"]})
    found = entries(draft_census([census], LEVELS, where).sections[0])
    assert (found["thousands"], found["decimal"]) == (".", ",")


def test_a_table_without_population_columns_is_not_used():
    legend = table("CLC2018_legend.csv", {"value": ["1", "2"], "class": ["urban", "water"]})
    draft = draft_census([legend], LEVELS, where)
    assert draft.sections == [] and draft.unused[0][0] is legend


def test_without_matching_codes_the_code_column_is_guessed_from_its_name():
    census = table("pop_2020.csv", {"name": ["x"], "code": ["99"], "pop": ["5"]})
    section = draft_census([census], LEVELS, where).sections[0]
    assert entries(section)["id"] == "code" and "level" not in entries(section)
    assert "no column holds codes of the unit levels" in checks(section)["id"]


def test_a_crosswalk_is_written_commented_out_with_to_the_codes_of_the_units():
    crosswalk = table(
        "crosswalk_2014_2024.csv",
        {
            "code_2024": ["31001", "31002", "21003"],
            "code_2014": ["21001", "21002", "21003"],
            "population_2024": ["1", "2", "3"],
            "share": ["1", "1", "1"],
        },
    )
    assert crosswalk_columns(crosswalk) == {"code_2014": 2014, "code_2024": 2024}
    draft = draft_census([crosswalk], LEVELS, where)
    (section,) = draft.sections
    assert (section.header, section.commented) == ("census.crosswalk", True)
    assert entries(section) == {
        "path": "data/crosswalk_2014_2024.csv",
        "from": "code_2024",
        "to": "code_2014",
        "share": "share",
        "years": [2014, 2024],
    }
    assert "'to' is guessed as 'code_2014', which matches 3 unit codes" in section.check
    assert "('code_2024' matches 1)" in section.check
    assert draft.years == set()  # a crosswalk is no census


def test_old_and_new_code_columns_are_a_crosswalk_without_years():
    crosswalk = table("passage.csv", {"old_code": ["1"], "new_code": ["2"]})
    assert crosswalk_columns(crosswalk) == {"old_code": None, "new_code": None}
    (section,) = draft_census([crosswalk], LEVELS, where).sections
    assert "years" not in entries(section) and section.check.endswith("write the two years")


@pytest.mark.parametrize(("year", "thousands"), [(2018, ","), (2019, " "), (2020, None)])
def test_the_number_format_of_the_real_statbel_files(year, thousands):
    path = Path(__file__).parent / "data" / "statbel" / f"municipalities_{year}.csv"
    inhabitants = read_table(path)["inhabitants"]
    found = number_format(list(codes_as_text(inhabitants)))
    assert (found.thousands, found.decimal, found.mixed) == (thousands, None, ())


def test_a_code_column_that_repeats_its_codes_is_said():
    cercles = table(
        "cercles.csv",
        {"code": ["x1", "x2"], "province_code": ["21001", "21001"], "population_2024": ["5", "6"]},
    )
    section = draft_census([cercles], LEVELS, where).sections[0]
    assert entries(section)["id"] == "province_code"
    assert checks(section)["id"].endswith("its codes repeat, so it may not be one row per unit")
