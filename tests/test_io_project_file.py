"""Tests of observatory.io.project_file: entries added to observatory.toml, comments kept."""

from __future__ import annotations

import pytest

from observatory.errors import OutputExistsError, ProjectFileError
from observatory.io.project_file import set_table_entries, toml_value
from observatory.io.tables import read_toml

BASE = """# My region (keep this comment)
[project]
name = "Région"  # trailing comment

[units]
path = "units.gpkg"
levels = [{ name = "commune", id = "code" }]
"""
ROADS = {"path": "osm.gpkg", "layer": "roads", "class": "class"}


def test_table_added_at_the_end_and_comments_kept(tmp_path):
    file = tmp_path / "observatory.toml"
    file.write_text(BASE, encoding="utf-8")
    assert set_table_entries(file, "layers", {"roads": ROADS}, overwrite=False) == []
    text = file.read_text(encoding="utf-8")
    assert text.startswith(BASE)
    assert text.endswith(
        '\n[layers]\nroads = { path = "osm.gpkg", layer = "roads", class = "class" }\n'
    )
    assert read_toml(file)["layers"]["roads"] == ROADS


def test_entry_added_inside_an_existing_table(tmp_path):
    file = tmp_path / "observatory.toml"
    layers = '\n[layers]\n# schools from the ministry\nschools = { path = "s.shp" }\n'
    parameters = "\n[parameters.school_access]\nthreshold_m = 1500\n"
    file.write_text(BASE + layers + parameters, encoding="utf-8")
    set_table_entries(file, "layers", {"roads": ROADS}, overwrite=False)
    document = read_toml(file)
    assert document["layers"]["schools"] == {"path": "s.shp"}
    assert document["layers"]["roads"] == ROADS
    assert document["parameters"]["school_access"]["threshold_m"] == 1500
    lines = file.read_text(encoding="utf-8").splitlines()
    assert (
        lines.index("# schools from the ministry")
        < lines.index('roads = { path = "osm.gpkg", layer = "roads", class = "class" }')
        < lines.index("[parameters.school_access]")
    )


def test_existing_entry_refused_then_replaced(tmp_path):
    file = tmp_path / "observatory.toml"
    original = BASE + '\n[layers]\nroads = { path = "mine.gpkg" }  # hand-made\n'
    file.write_text(original, encoding="utf-8")
    with pytest.raises(OutputExistsError, match=r"\[layers\] already has roads; add --overwrite"):
        set_table_entries(file, "layers", {"roads": ROADS}, overwrite=False)
    assert file.read_text(encoding="utf-8") == original
    assert set_table_entries(file, "layers", {"roads": ROADS}, overwrite=True) == ["roads"]
    assert read_toml(file)["layers"]["roads"] == ROADS


def test_sub_table_replaced_by_one_line(tmp_path):
    file = tmp_path / "observatory.toml"
    file.write_text(BASE + '\n[layers.roads]\npath = "mine.gpkg"\nclass = "type"\n'
                    '\n[layers.health]\npath = "h.gpkg"\n', encoding="utf-8")  # fmt: skip
    set_table_entries(file, "layers", {"roads": ROADS}, overwrite=True)
    document = read_toml(file)
    assert document["layers"] == {"roads": ROADS, "health": {"path": "h.gpkg"}}


def test_dotted_keys_are_left_to_the_user(tmp_path):
    file = tmp_path / "observatory.toml"
    file.write_text(BASE + '\n[layers]\nroads.path = "mine.gpkg"\n', encoding="utf-8")
    with pytest.raises(ProjectFileError, match=r"by hand|one line each"):
        set_table_entries(file, "layers", {"roads": ROADS}, overwrite=True)
    assert "roads.path" in file.read_text(encoding="utf-8")


def test_rasters_by_year_and_values():
    assert toml_value({"2020": "rasters/p 2020.tif", "2025": "é"}) == (
        '{ 2020 = "rasters/p 2020.tif", 2025 = "é" }'
    )
    assert toml_value('a "quoted" \\ path') == '"a \\"quoted\\" \\\\ path"'
    assert toml_value({"name:fr": True}) == '{ "name:fr" = true }'
