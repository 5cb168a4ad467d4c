"""The draft's sections written as TOML text with their CHECK notes."""

from __future__ import annotations

from observatory.drafting.document import Section, comment, document_text, section_lines
from observatory.io.tables import tomllib


def test_each_guess_has_its_check_note_above_it():
    section = Section("census.tables", array=True)
    section.add("path", "a b/census.csv")
    section.add("population", {2018: "inhabitants"}, "population guessed from the file name")
    section.add("layer", None)  # nothing to write
    assert section_lines(section) == [
        "[[census.tables]]",
        'path = "a b/census.csv"',
        "# CHECK: population guessed from the file name",
        'population = { 2018 = "inhabitants" }',
    ]
    assert section.checks() == 1


def test_a_commented_section_or_entry_stays_out_of_the_toml():
    unsure = Section("layers.ROLE", commented=True, check="role not recognised")
    unsure.add("path", "courts.geojson")
    level = Section("units.levels", array=True, notes=["gemeente2024.shp: 319 polygons"])
    level.add("id", 'code "NIS"')
    level.add("parent", "FIELD", "no parent field", commented=True)
    text = document_text(["# header"], [level, unsure])
    assert "# [layers.ROLE]\n# path = " in text
    assert '# CHECK: no parent field\n# parent = "FIELD"\n' in text
    assert tomllib.loads(text) == {"units": {"levels": [{"id": 'code "NIS"'}]}}


def test_long_notes_are_wrapped_and_continued():
    lines = comment("word " * 40, first="# CHECK: ", then="#   ")
    assert len(lines) == 3 and all(len(line) <= 95 for line in lines)
    assert lines[0].startswith("# CHECK: word") and lines[1].startswith("#   word")
