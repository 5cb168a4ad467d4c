"""Unit levels guessed from polygon layers: order, names, id, label and parent fields."""

from __future__ import annotations

from pathlib import Path

from drafting_files import layer

from observatory.drafting.units import guess_levels, guessed_language, level_sections

BRUSSELS = [
    layer("ggw72024.shp", {"geoitem": ["21001_1", "21001_2", "21002_1"], "naam": ["a", "b", "c"]}),
    layer("gewest.shp", {"gewest": ["04000"], "Shape_Area": [1.5]}),
    layer("gemeente2024.shp", {"gemeente": [21001, 21002], "naam": ["Anderlecht", "Brussel"]}),
]


def test_levels_go_coarsest_first_by_feature_count_with_names_from_the_layer_names():
    levels = guess_levels(BRUSSELS)
    assert [(level.name, level.layer.name) for level in levels] == [
        ("region", "gewest"),
        ("municipality", "gemeente2024"),
        ("neighbourhood", "ggw72024"),
    ]
    assert "name" not in levels[0].checks  # a known word: nothing to check


def test_the_id_is_the_unique_code_like_field_never_a_measure_or_a_name():
    region, municipality, neighbourhood = guess_levels(BRUSSELS)
    assert (region.id, municipality.id, neighbourhood.id) == ("gewest", "gemeente", "geoitem")
    assert municipality.ids == {"21001", "21002"}
    assert "2 different values in 2 units, e.g. '21001'" in municipality.checks["id"]
    assert "stored as numbers" in municipality.checks["id"]
    assert "stored as numbers" not in region.checks["id"]


def test_the_label_is_a_field_named_as_a_name_french_before_arabic():
    communes = layer(
        "communes.geojson",
        {
            "hcp_code": ["04.281.07.01", "04.281.11.07"],
            "libelle_ar": ["عرباوة", "مولاي بوسلهام"],
            "prov_fr": ["Kénitra", "Kénitra"],
            "libelle_fr": ["Arbaoua", "Moulay Bousselham"],
        },
    )
    (level,) = guess_levels([communes])
    assert (level.id, level.label) == ("hcp_code", "libelle_fr")
    assert level.checks["label"] == "unit name field guessed: 'libelle_fr' (e.g. 'Arbaoua')"
    assert guessed_language([level]) == (
        "fr",
        "language guessed from the unit name field 'libelle_fr'",
    )


def test_row_numbers_are_not_codes():
    units = layer(
        "units.gpkg",
        {"OBJECTID": [7, 8, 9], "rank": [1, 2, 3], "zone": ["Z1", "Z2", "Z3"]},
        name="zones",
    )
    (level,) = guess_levels([units])
    assert level.id == "zone"
    assert level.name == "zones"
    assert level.checks["name"] == "level name made from the layer name 'zones'"
    assert level.checks["id"].endswith("next candidates: rank")  # OBJECTID is never one


def test_repeated_codes_are_said():
    communes = layer("communes.shp", {"hcp_code": ["a1", "a1", "b2"], "type": [1, 1, 2]})
    (level,) = guess_levels([communes])
    assert level.id == "hcp_code"
    assert "2 different values in 3 units" in level.checks["id"]
    assert "1 unit repeats a code: validate names them" in level.checks["id"]
    # the way to merge parts of one unit is offered, commented out, with its CHECK
    (section,) = level_sections([level], lambda path: path.name)
    (dissolve,) = [entry for entry in section.entries if entry.key == "dissolve"]
    assert dissolve.value is True and dissolve.commented
    assert dissolve.check.startswith("1 unit shares a code with another")


def test_no_dissolve_is_offered_when_every_code_is_its_own():
    communes = layer("communes.shp", {"hcp_code": ["a1", "c3", "b2"]})
    (section,) = level_sections(guess_levels([communes]), lambda path: path.name)
    assert "dissolve" not in [entry.key for entry in section.entries]


def test_the_parent_is_the_field_holding_only_codes_of_the_level_before():
    regions = layer("regions.geojson", {"code_reg": [4, 5], "libelle_fr": ["RSK", "BMK"]})
    provinces = layer(
        "provinces.geojson",
        {
            "hcp_province_code": ["04.281", "04.291", "05.311"],
            "code_prov": [281, 291, 311],
            "code_reg": [4, 4, 5],
        },
    )
    communes = layer(
        "communes.geojson",
        {"hcp_code": ["04.281.07.01", "04.281.11.07", "04.291.01.01", "05.311.01.01"]},
    )
    _, province, commune = guess_levels([communes, regions, provinces])
    assert province.parent == "code_reg"
    assert "every value of 'code_reg' is a region code ('code_reg')" in province.checks["parent"]
    assert commune.parent is None  # no field holds '04.281'-like codes: found spatially
    assert "the one it overlaps most" in commune.checks["parent"]


def test_level_sections_write_the_path_relative_and_the_missing_parent_commented_out():
    levels = guess_levels(BRUSSELS)
    sections = level_sections(levels, lambda path: f"../{Path(path).name}")
    first, second, _ = sections
    assert first.check.startswith(
        "levels ordered coarsest first by their number of units: region (1)"
    )
    assert [(e.key, e.value, e.commented) for e in second.entries] == [
        ("name", "municipality", False),
        ("path", "../gemeente2024.shp", False),
        ("id", "gemeente", False),
        ("label", "naam", False),
        ("parent", "FIELD", True),
    ]
    assert second.notes == ["gemeente2024.shp: 2 polygons, EPSG:31370"]


def test_two_layers_of_the_same_level_word_get_different_names():
    levels = guess_levels(
        [
            layer("communes_2014.shp", {"code": ["a"]}),
            layer("communes_2024.shp", {"code": ["a", "b"]}),
        ]
    )
    assert [level.name for level in levels] == ["commune", "commune_2"]
    assert (
        levels[1].checks["name"]
        == "level name 'commune' is already used, so this one is 'commune_2'"
    )
