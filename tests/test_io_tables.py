"""Tests of observatory.io.tables: codes and counts read as text, and text as Windows
editors save it (BOM, other encodings)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from observatory.errors import InputDataError, ProjectFileError
from observatory.io.tables import (
    codes_as_text,
    counts_as_numbers,
    read_table,
    read_text,
    read_toml,
)


def test_codes_are_compared_as_stripped_text():
    codes = codes_as_text(pd.Series([4001, " 04.001 ", None, "  "], dtype=object))
    assert codes.tolist() == ["4001", "04.001", None, None]


def test_codes_keep_the_index():
    codes = codes_as_text(pd.Series(["a", "b"], index=[10, 20]))
    assert codes.index.tolist() == [10, 20]


def test_counts_accept_spaces_between_thousands_and_a_decimal_comma():
    numbers = counts_as_numbers(pd.Series(["1 200", "3,5", "12", "", None, "n/a", "-5"]))
    np.testing.assert_array_equal(numbers, [1200.0, 3.5, 12.0, np.nan, np.nan, np.nan, -5.0])
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
