"""Tests of observatory.io.tables: codes and counts read as text, and text as Windows
editors save it (BOM, other encodings)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from observatory.errors import InputDataError, ProjectFileError
from observatory.io.tables import (
    codes_as_text,
    counts_as_numbers,
    read_counts,
    read_table,
    read_text,
    read_toml,
)

STATBEL = Path(__file__).parent / "data" / "statbel"
#: Statbel's Brussels-Capital totals on 1 January (tests/data/statbel/README.md).
BRUSSELS = {2018: 1_198_726, 2019: 1_208_542, 2020: 1_218_255}


def test_codes_are_compared_as_stripped_text():
    codes = codes_as_text(pd.Series([4001, " 04.001 ", None, "  "], dtype=object))
    assert codes.tolist() == ["4001", "04.001", None, None]


def test_codes_keep_the_index():
    codes = codes_as_text(pd.Series(["a", "b"], index=[10, 20]))
    assert codes.index.tolist() == [10, 20]


def test_counts_are_whole_numbers_or_nan():
    numbers = counts_as_numbers(pd.Series(["1 200", "3,5", "12", "", None, "n/a", "-5"]))
    # "3,5" has a fractional part: never a count
    np.testing.assert_array_equal(numbers, [1200.0, np.nan, 12.0, np.nan, np.nan, np.nan, -5.0])
    assert numbers.dtype == np.float64


BOM = b"\xef\xbb\xbf"


def test_read_text_drops_a_byte_order_mark(tmp_path):
    path = tmp_path / "page.md"
    path.write_bytes(BOM + "Salé\n".encode())
    assert read_text(path) == "Salé\n"


def test_read_text_of_windows_1252_names_the_line_and_the_byte(tmp_path):
    path = tmp_path / "page.md"
    path.write_bytes("a\nb\nSalé\n".encode("cp1252"))  # é is 0xE9 in Windows-1252
    with pytest.raises(InputDataError) as caught:
        read_text(path)
    assert str(caught.value).startswith(f"{path}: not UTF-8 text (byte 0xE9 on line 3,")
    assert "save it as UTF-8" in str(caught.value)


def test_read_toml_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "file.toml"
    path.write_bytes(BOM + b'[project]\nname = "Test"\n')
    assert read_toml(path) == {"project": {"name": "Test"}}


def test_read_toml_of_windows_1252_is_a_project_file_error(tmp_path):
    path = tmp_path / "file.toml"
    path.write_bytes('[project]\nname = "Kénitra"\n'.encode("cp1252"))
    with pytest.raises(ProjectFileError, match=r"byte 0xE9 on line 2.*save it as UTF-8"):
        read_toml(path)


def test_a_windows_path_between_double_quotes_is_told_to_use_slashes(tmp_path):
    path = tmp_path / "observatory.toml"
    path.write_text('[units]\npath = "C:\\Users\\me\\units.gpkg"\n', encoding="utf-8")
    with pytest.raises(ProjectFileError) as caught:
        read_toml(path)
    assert str(caught.value).startswith(f"{path}, line 2: a backslash (\\) between double")
    assert "Write the path with / (C:/Users/...) or between single quotes" in str(caught.value)
    path.write_text("[units]\npath = 'C:\\Users\\me\\units.gpkg'\n", encoding="utf-8")
    assert read_toml(path) == {"units": {"path": "C:\\Users\\me\\units.gpkg"}}  # the fix works
    path.write_text('[units]\npath = "units.gpkg\n', encoding="utf-8")  # another mistake
    with pytest.raises(ProjectFileError, match="not valid TOML"):
        read_toml(path)


@pytest.mark.parametrize("separator", [",", ";"])
def test_read_table_csv_with_a_byte_order_mark_keeps_the_first_column_name(tmp_path, separator):
    path = tmp_path / "census.csv"
    path.write_bytes(BOM + f"code{separator}population\n001{separator}12\n".encode())
    table = read_table(path)
    assert list(table.columns) == ["code", "population"]
    assert table.loc[0, "code"] == "001"


def test_read_table_csv_of_windows_1252_says_how_to_save_it(tmp_path):
    path = tmp_path / "census.csv"
    path.write_bytes("code,name\n1,Salé\n".encode("cp1252"))
    with pytest.raises(InputDataError, match="CSV UTF-8"):
        read_table(path)


def test_read_table_of_an_empty_csv_is_an_error_naming_it(tmp_path):
    path = tmp_path / "census.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"census\.csv cannot be read as a table"):
        read_table(path)


@pytest.mark.parametrize("text", ["14 293", "14\u00a0293", "14\u202f293", "1 234 567"])
def test_spaces_between_thousands_are_unambiguous(text):
    counts = read_counts(pd.Series([text]))
    assert not counts.ambiguous.any()
    digits = "".join(character for character in text if character.isdigit())
    assert counts.numbers()[0] == int(digits)


@pytest.mark.parametrize("text", ["14,304", "1.234", "-1,000"])
def test_a_count_readable_two_ways_is_not_guessed(text):
    counts = read_counts(pd.Series([text]))
    assert counts.ambiguous.tolist() == [True]
    assert np.isnan(counts.numbers()[0])
    values = sorted(reading.value for reading in counts.readings[0])
    digits = float(text.replace(",", "").replace(".", ""))
    assert values == sorted([digits, digits / 1000])


def test_declared_thousands_separator_settles_it():
    counts = read_counts(pd.Series(["14,304", "1,234,567", "99"]), thousands=",")
    np.testing.assert_array_equal(counts.numbers(), [14304, 1234567, 99])
    counts = read_counts(pd.Series(["14.304"]), decimal=",")
    np.testing.assert_array_equal(counts.numbers(), [14304])


def test_declared_decimal_mark_makes_the_count_fractional():
    counts = read_counts(pd.Series(["14,304"]), decimal=",")
    assert counts.fractional.tolist() == [True]
    assert np.isnan(counts.numbers()[0])


def test_whole_numbers_with_decimal_zeros_are_counts():
    np.testing.assert_array_equal(counts_as_numbers(pd.Series(["1234.0", "56.00"])), [1234, 56])
    np.testing.assert_array_equal(counts_as_numbers(pd.Series(["56,00"])), [56])


def test_mixed_separators_in_one_column_give_no_number():
    counts = read_counts(pd.Series(["1,234,567", "1.234.567", "12"]))
    assert counts.mixed() == [("thousands", [",", "."], [0, 1])]
    assert np.isnan(counts.numbers()).all()


def test_not_a_number():
    counts = read_counts(pd.Series(["1200 hab", "12-3", "1e3", "1,23,4"]))
    assert counts.not_number.all()


@pytest.mark.parametrize(
    ("year", "thousands"), [(2018, ","), (2019, None), (2019, " "), (2020, None)]
)
def test_real_statbel_files_read_right(year, thousands):
    table = read_table(STATBEL / f"municipalities_{year}.csv")
    brussels = table["NIS_code"].str.startswith("21")
    numbers = counts_as_numbers(table["inhabitants"], thousands=thousands)
    assert not np.isnan(numbers).any()
    assert numbers[brussels.to_numpy()].sum() == BRUSSELS[year]


def test_real_statbel_2018_undeclared_is_never_read_as_decimals():
    table = read_table(STATBEL / "municipalities_2018.csv")
    counts = read_counts(table["inhabitants"])
    assert counts.ambiguous.all()
    assert np.isnan(counts.numbers()).all()
