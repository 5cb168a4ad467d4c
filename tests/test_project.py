"""Tests of observatory.project: loading observatory.toml, schema errors, path resolution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from observatory.errors import InputFileNotFoundError, ProjectFileError
from observatory.project import (
    LAYER_ROLES,
    PROJECT_FILE,
    STATIC_RASTER_ROLES,
    YEARLY_RASTER_ROLES,
    Level,
    find_project_file,
    load_project,
    template_text,
)

MINIMAL = """\
[project]
name = "Test"

[units]
path = "units.gpkg"
levels = [{ name = "commune", id = "code" }]
"""

FULL = """\
[project]
name = "Rabat-Salé-Kénitra"
language = "fr"
description = "Test region"

[units]
path = "data/units.gpkg"
levels = [
  { name = "region", layer = "regions", id = "code", label = "name" },
  { name = "commune", layer = "communes", id = "code", label = "name", parent = "region_code" },
]

[census]
path = "census.xlsx"
level = "commune"
id = "code"
population = { 2024 = "pop_2024", 2014 = "pop_2014" }
layer = "RGPH"

[rasters]
population = { 2014 = "rasters/pop_2014.tif", 2024 = "rasters/pop_2024.tif" }
built_up = "rasters/built_up.tif"
land = "../shared/land.tif"

[layers]
schools = { path = "facilities.gpkg", layer = "schools", capacity = "seats" }
roads = { path = "roads.shp", class = "highway", bridge = "bridge" }

[parameters.school_access]
threshold_m = 1500
"""


def write(folder: Path, text: str, name: str = PROJECT_FILE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def schema_error(tmp_path: Path, text: str) -> str:
    write(tmp_path, text)
    with pytest.raises(ProjectFileError) as caught:
        load_project(tmp_path)
    message = str(caught.value)
    assert str(tmp_path / PROJECT_FILE) in message  # every schema error names the file
    return message


# -- loading and path resolution -------------------------------------------------------------
def test_minimal_project_gets_the_defaults(tmp_path):
    project = load_project(write(tmp_path, MINIMAL))
    assert project.name == "Test"
    assert project.language == "en"
    assert project.description == ""
    assert project.census is None
    assert project.rasters == {} and project.layers == {} and project.parameters == {}
    assert project.units.levels == (Level(name="commune", id="code"),)


def test_full_project_resolves_paths_relative_to_the_file(tmp_path):
    folder = tmp_path / "projects" / "rsk"
    file = write(folder, FULL)
    project = load_project(folder)
    assert project.file == file.resolve()
    assert project.root == folder.resolve()
    assert project.units.path == folder.resolve() / "data" / "units.gpkg"
    # "../shared/land.tif" from projects/rsk is projects/shared/land.tif
    assert project.rasters["land"] == {None: (tmp_path / "projects" / "shared" / "land.tif")}
    assert project.rasters["population"][2014] == folder.resolve() / "rasters" / "pop_2014.tif"
    assert project.rasters["built_up"] == {None: folder.resolve() / "rasters" / "built_up.tif"}
    # the one-table form of [census] is one table, keyed "census"
    (table,) = project.census.tables
    assert table.population == {2014: "pop_2014", 2024: "pop_2024"}
    assert (table.layer, table.key, table.level) == ("RGPH", "census", "commune")
    assert project.census.years == [2014, 2024] and project.census.crosswalks == ()
    assert project.layers["schools"].fields == {"capacity": "seats"}
    assert project.layers["roads"].fields == {"class": "highway", "bridge": "bridge"}
    assert project.layers["roads"].layer is None
    assert project.parameters == {"school_access": {"threshold_m": 1500}}
    assert project.units.parent_of("commune").name == "region"
    assert project.units.parent_of("region") is None


def test_same_project_from_the_folder_or_the_file(tmp_path):
    file = write(tmp_path, MINIMAL)
    assert load_project(tmp_path) == load_project(file)


def test_input_paths_lists_each_file_once(tmp_path):
    project = load_project(write(tmp_path, FULL))
    names = [path.name for path in project.input_paths()]
    # units, census, 2 population, built-up, land, facilities, roads: 8 distinct files
    assert names == [
        "units.gpkg",
        "census.xlsx",
        "pop_2014.tif",
        "pop_2024.tif",
        "built_up.tif",
        "land.tif",
        "facilities.gpkg",
        "roads.shp",
    ]


def test_missing_project_file_says_how_to_create_one(tmp_path):
    with pytest.raises(InputFileNotFoundError, match="observatory init"):
        find_project_file(tmp_path)


# -- TOML syntax --------------------------------------------------------------------------
def test_toml_syntax_error_names_the_line(tmp_path):
    text = '[project]\nname = "Test"\nlanguage = fr\n'  # line 3: unquoted string
    message = schema_error(tmp_path, text)
    assert "line 3" in message
    assert "not valid TOML" in message


def test_project_file_saved_by_notepad_with_a_byte_order_mark_is_read(tmp_path):
    path = write(tmp_path, MINIMAL)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_project(tmp_path).name == "Test"


def test_project_file_in_windows_1252_names_the_file_the_line_and_the_fix(tmp_path):
    path = tmp_path / PROJECT_FILE
    path.write_bytes(FULL.encode("cp1252"))  # line 2: the é of Salé is 0xE9
    with pytest.raises(ProjectFileError) as caught:
        load_project(tmp_path)
    assert str(caught.value).startswith(f"{path}: not UTF-8 text (byte 0xE9 on line 2,")
    assert "save it as UTF-8" in str(caught.value)


# -- unknown keys ---------------------------------------------------------------------------
def test_unknown_top_level_table_suggests_the_right_one(tmp_path):
    message = schema_error(tmp_path, MINIMAL.replace("[units]", "[unit]"))
    assert "unit: unknown key 'unit'" in message
    assert "did you mean 'units'" in message


def test_unknown_key_in_a_level_is_named_with_its_position(tmp_path):
    text = MINIMAL.replace('id = "code"', 'id = "code", parnt = "x"')
    message = schema_error(tmp_path, text)
    assert "units.levels[1].parnt: unknown key 'parnt'" in message
    assert "did you mean 'parent'" in message


def test_unknown_raster_role(tmp_path):
    message = schema_error(tmp_path, MINIMAL + '[rasters]\npopulaton = "p.tif"\n')
    assert "rasters.populaton: unknown key" in message
    assert "did you mean 'population'" in message


def test_unknown_layer_role_and_unknown_layer_setting(tmp_path):
    message = schema_error(tmp_path, MINIMAL + '[layers]\nschool = { path = "f.gpkg" }\n')
    assert "layers.school: unknown key" in message and "'schools'" in message
    text = MINIMAL + '[layers]\nhealth = { path = "f.gpkg", seats = "beds" }\n'
    message = schema_error(tmp_path, text)
    assert "layers.health.seats: unknown key" in message
    assert "path, layer, capacity" in message


# -- wrong types ----------------------------------------------------------------------------
def test_wrong_type_names_the_key_the_expected_and_the_given_value(tmp_path):
    message = schema_error(tmp_path, MINIMAL.replace('name = "Test"', "name = 3"))
    assert "project.name: expected a string, got an integer 3" in message


def test_boolean_is_not_accepted_for_a_string(tmp_path):
    message = schema_error(tmp_path, MINIMAL.replace('path = "units.gpkg"', "path = true"))
    assert "units.path: expected a string, got true or false True" in message


def test_levels_must_be_an_array_of_tables(tmp_path):
    text = MINIMAL.replace('levels = [{ name = "commune", id = "code" }]', 'levels = "commune"')
    assert "units.levels: expected an array" in schema_error(tmp_path, text)
    text = MINIMAL.replace('levels = [{ name = "commune", id = "code" }]', 'levels = ["commune"]')
    assert "units.levels[1]: each level is a table" in schema_error(tmp_path, text)


def test_parameters_must_be_tables(tmp_path):
    message = schema_error(tmp_path, MINIMAL + "[parameters]\nschool_access = 1000\n")
    assert "parameters.school_access: expected a table, got an integer 1000" in message


# -- missing required keys ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("removed", "key"),
    [
        ('name = "Test"\n', "project.name"),
        ('path = "units.gpkg"\n', "units.path"),
        ('levels = [{ name = "commune", id = "code" }]\n', "units.levels"),
    ],
)
def test_missing_required_key_is_named(tmp_path, removed, key):
    message = schema_error(tmp_path, MINIMAL.replace(removed, ""))
    assert f"{key}: missing required key" in message
    assert "docs/project-file.md" in message


def test_missing_required_table(tmp_path):
    text = MINIMAL.split("[units]")[0]
    message = schema_error(tmp_path, text)
    assert "units: missing required key" in message


def test_missing_level_id(tmp_path):
    message = schema_error(tmp_path, MINIMAL.replace(', id = "code"', ""))
    assert "units.levels[1].id: missing required key" in message


def test_missing_census_id(tmp_path):
    census = '[census]\npath = "c.csv"\nlevel = "commune"\npopulation = { 2024 = "p" }\n'
    message = schema_error(tmp_path, MINIMAL + census)
    assert "census.id: missing required key" in message


# -- values -------------------------------------------------------------------------------
def test_language_must_be_known(tmp_path):
    message = schema_error(
        tmp_path, MINIMAL.replace('name = "Test"', 'name = "T"\nlanguage = "de"')
    )
    assert "project.language: 'de' is not one of en, fr, ar" in message


def test_empty_path_is_refused(tmp_path):
    message = schema_error(tmp_path, MINIMAL.replace('"units.gpkg"', '" "'))
    assert "units.path: empty path" in message


def test_a_windows_path_read_as_escapes_is_refused_with_the_fix(tmp_path):
    # "C:\new\table.gpkg" between double quotes is valid TOML: \n and \t become a line break
    # and a tab, and the path would name no file
    message = schema_error(tmp_path, MINIMAL.replace('"units.gpkg"', '"C:\\new\\table.gpkg"'))
    assert "units.path: the path 'C:\\new\\table.gpkg' holds a line break and a tab" in message
    assert "Write the path with / (C:/Users/...) or between single quotes" in message
    windows = MINIMAL.replace('"units.gpkg"', "'C:\\new\\units.gpkg'")  # single quotes: kept
    assert load_project(write(tmp_path, windows)).units.path.name.endswith("units.gpkg")


def test_census_level_must_be_a_level_of_units(tmp_path):
    census = '[census]\npath = "c.csv"\nlevel = "district"\nid = "code"\n'
    census += 'population = { 2024 = "p" }\n'
    message = schema_error(tmp_path, MINIMAL + census)
    assert "census.level: 'district' is not a level of [units]; use one of commune" in message


CENSUS = '[census]\npath = "c.csv"\nlevel = "commune"\nid = "code"\npopulation = { 2024 = "p" }\n'


@pytest.mark.parametrize(
    ("keys", "thousands", "decimal"),
    [
        ("", None, None),
        ('thousands = ","\n', ",", None),
        ('thousands = "."\ndecimal = ","\n', ".", ","),
        ('thousands = "\u00a0"\n', " ", None),
        ('thousands = ""\ndecimal = "."\n', "", "."),
    ],
)
def test_census_number_format(tmp_path, keys, thousands, decimal):
    (census,) = load_project(write(tmp_path, MINIMAL + CENSUS + keys)).census.tables
    assert (census.thousands, census.decimal) == (thousands, decimal)


def test_census_thousands_must_be_a_known_separator(tmp_path):
    message = schema_error(tmp_path, MINIMAL + CENSUS + 'thousands = "_"\n')
    assert 'census.thousands: "_" is not one of ",", ".", " ", "\'", ""' in message


def test_census_decimal_must_be_a_comma_or_a_point(tmp_path):
    message = schema_error(tmp_path, MINIMAL + CENSUS + 'decimal = " "\n')
    assert 'census.decimal: " " is not one of ",", "."' in message


def test_census_thousands_and_decimal_must_differ(tmp_path):
    message = schema_error(tmp_path, MINIMAL + CENSUS + 'thousands = ","\ndecimal = ","\n')
    assert 'census.decimal: "," is also census.thousands' in message


@pytest.mark.parametrize("year", ["14", "20244", "y2024"])
def test_raster_years_must_be_four_digits(tmp_path, year):
    message = schema_error(tmp_path, MINIMAL + f'[rasters]\npopulation = {{ {year} = "p.tif" }}\n')
    assert f"rasters.population.{year}: a year must be 4 digits" in message


def test_census_years_must_be_four_digits(tmp_path):
    census = '[census]\npath = "c.csv"\nlevel = "commune"\nid = "code"\n'
    census += 'population = { "2024a" = "p" }\n'
    message = schema_error(tmp_path, MINIMAL + census)
    assert "census.population.2024a: a year must be 4 digits" in message


def test_empty_year_table_is_refused(tmp_path):
    message = schema_error(tmp_path, MINIMAL + "[rasters]\nbuilt_up = {}\n")
    assert "rasters.built_up: empty table" in message


# -- levels and their parents -------------------------------------------------------------
TWO_LEVELS = """\
[project]
name = "Test"

[units]
path = "units.gpkg"
levels = [
  { name = "province", id = "code" },
  { name = "commune", id = "code", parent = "province_code" },
]
"""


PROVINCE_WITH_PARENT = '{ name = "province", id = "code", parent = "region_code" }'


def test_first_level_may_not_have_a_parent(tmp_path):
    text = TWO_LEVELS.replace('{ name = "province", id = "code" }', PROVINCE_WITH_PARENT)
    message = schema_error(tmp_path, text)
    assert "units.levels[1].parent: the first (coarsest) level has no parent" in message


def test_a_later_level_without_parent_field_finds_its_parents_spatially(tmp_path):
    project = load_project(write(tmp_path, TWO_LEVELS.replace(', parent = "province_code"', "")))
    province, commune = project.units.levels
    assert commune.parent is None
    assert project.units.finds_parents_spatially(commune)
    assert not project.units.finds_parents_spatially(province)
    declared = load_project(write(tmp_path / "declared", TWO_LEVELS))
    assert not declared.units.finds_parents_spatially(declared.units.levels[1])


# -- each level from its own file ---------------------------------------------------------
OWN_FILES = """\
[project]
name = "Test"

[units]
levels = [
  { name = "region", path = "boundaries/gewest.shp", id = "gewest" },
  { name = "municipality", path = "boundaries", layer = "gemeente2024", id = "gemeente" },
]
"""


def test_each_level_may_name_its_own_file_and_units_path_is_then_optional(tmp_path):
    project = load_project(write(tmp_path, OWN_FILES))
    region, municipality = project.units.levels
    folder = tmp_path.resolve() / "boundaries"
    assert project.units.path is None
    assert project.units.path_of(region) == folder / "gewest.shp"
    assert project.units.path_of(municipality) == folder
    assert project.input_paths() == [folder / "gewest.shp", folder]


def test_a_level_path_overrides_units_path_for_that_level_only(tmp_path):
    text = TWO_LEVELS.replace('{ name = "province", id = "code" }', PROVINCE_OWN_FILE)
    project = load_project(write(tmp_path, text))
    province, commune = project.units.levels
    assert project.units.path_of(province) == tmp_path.resolve() / "provinces.geojson"
    assert project.units.path_of(commune) == tmp_path.resolve() / "units.gpkg"
    assert project.input_paths() == [
        tmp_path.resolve() / "provinces.geojson",
        tmp_path.resolve() / "units.gpkg",
    ]


PROVINCE_OWN_FILE = '{ name = "province", id = "code", path = "provinces.geojson" }'


def test_a_level_without_path_needs_units_path(tmp_path):
    text = TWO_LEVELS.replace('path = "units.gpkg"\n', "").replace(
        '{ name = "province", id = "code" }', PROVINCE_OWN_FILE
    )
    message = schema_error(tmp_path, text)
    assert "units.levels[2].path: level 'commune' names no file and [units] has no path" in message
    assert 'path = "commune.shp"' in message


def test_a_level_path_may_not_be_empty(tmp_path):
    text = OWN_FILES.replace('path = "boundaries/gewest.shp"', 'path = " "')
    assert "units.levels[1].path: empty path" in schema_error(tmp_path, text)


def test_level_names_must_be_unique(tmp_path):
    message = schema_error(tmp_path, TWO_LEVELS.replace('name = "commune"', 'name = "province"'))
    assert "units.levels[2].name: level name 'province' is used twice" in message


def test_level_fields_may_not_be_empty(tmp_path):
    message = schema_error(tmp_path, MINIMAL.replace('id = "code"', 'id = ""'))
    assert "units.levels[1].id: empty text" in message


# -- the template ---------------------------------------------------------------------------
def test_template_is_a_valid_project_documenting_every_key(tmp_path):
    text = template_text()
    project = load_project(write(tmp_path, text))
    assert [level.name for level in project.units.levels] == ["region", "province", "commune"]
    assert set(project.layers) == set(LAYER_ROLES)
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    keys = {"name", "language", "description", "path", "levels", "id", "layer", "label"}
    keys |= {"parent", "level", "population", "parameters"}
    keys |= set(YEARLY_RASTER_ROLES) | set(STATIC_RASTER_ROLES) | set(LAYER_ROLES)
    keys |= {setting for settings in LAYER_ROLES.values() for setting in settings}
    undocumented = [key for key in sorted(keys) if not re.search(rf"\b{key}\b", comments)]
    assert undocumented == []


# -- [quality] ------------------------------------------------------------------------------
def test_min_coverage_defaults_to_99_per_cent_and_can_be_set(tmp_path):
    assert load_project(write(tmp_path / "a", MINIMAL)).min_coverage == 0.99
    text = MINIMAL + "[quality]\nmin_coverage = 0.95\n"
    assert load_project(write(tmp_path / "b", text)).min_coverage == 0.95
    text = MINIMAL + "[quality]\nmin_coverage = 1\n"
    assert load_project(write(tmp_path / "c", text)).min_coverage == 1.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("min_coverage = 99", "quality.min_coverage: 99 is not a share from 0 to 1"),
        ('min_coverage = "99 %"', "quality.min_coverage: expected a number or an integer"),
        ("min_covrage = 0.9", "did you mean 'min_coverage'?"),
    ],
)
def test_min_coverage_must_be_a_share(tmp_path, line, message):
    assert message in schema_error(tmp_path, MINIMAL + f"[quality]\n{line}\n")


# -- [[census.tables]] and [census.crosswalk] ------------------------------------------------
TABLES = """
[[census.tables]]
path = "belgian_municipalities_2018.csv"
id = "NIS_code"
population = { 2018 = "inhabitants" }
thousands = ","

[[census.tables]]
path = "provinces.xlsx"
id = "code"
level = "region"
layer = "Sheet1"
population = { 2014 = "p2014", 2019 = "p2019" }
"""
REGION_COMMUNE = MINIMAL.replace(
    'levels = [{ name = "commune", id = "code" }]',
    'levels = [{ name = "region", id = "code" }, '
    '{ name = "commune", id = "code", parent = "region_code" }]',
)
CROSSWALK = """
[census.crosswalk]
path = "crosswalk_2018_2019.csv"
from = "code_2018"
to = "code_2019"
years = [2018]
"""


def test_census_tables_each_with_their_own_keys(tmp_path):
    census = load_project(write(tmp_path, REGION_COMMUNE + TABLES + CROSSWALK)).census
    first, second = census.tables
    assert (first.key, first.level, first.thousands, first.layer) == (
        "census.tables[1]",
        "commune",  # the finest level when not given
        ",",
        None,
    )
    assert (second.key, second.level, second.layer) == ("census.tables[2]", "region", "Sheet1")
    assert second.population == {2014: "p2014", 2019: "p2019"}
    assert census.years == [2014, 2018, 2019]
    (crosswalk,) = census.crosswalks
    assert (crosswalk.key, crosswalk.source, crosswalk.target, crosswalk.years) == (
        "census.crosswalk",
        "code_2018",
        "code_2019",
        (2018,),
    )
    assert census.crosswalk_for(2018) is crosswalk and census.crosswalk_for(2019) is None
    names = [path.name for path in load_project(tmp_path).input_paths()]
    assert names[1:] == [
        "belgian_municipalities_2018.csv",
        "provinces.xlsx",
        "crosswalk_2018_2019.csv",
    ]


def test_several_crosswalks_as_an_array(tmp_path):
    array = CROSSWALK.replace("[census.crosswalk]", "[[census.crosswalk]]")
    array += '\n[[census.crosswalk]]\npath = "x.csv"\nfrom = "a"\nto = "b"\nshare = "s"\n'
    array += "years = [2014]\n"
    crosswalks = load_project(write(tmp_path, REGION_COMMUNE + TABLES + array)).census.crosswalks
    assert [walk.key for walk in crosswalks] == ["census.crosswalk[1]", "census.crosswalk[2]"]
    assert crosswalks[1].share == "s"


def test_one_table_keys_beside_census_tables_are_refused(tmp_path):
    message = schema_error(tmp_path, REGION_COMMUNE + '[census]\nid = "code"\n' + TABLES)
    assert "census.id: with [[census.tables]], each table gives its own keys" in message


def test_a_census_table_key_typo_is_named_with_its_table(tmp_path):
    message = schema_error(tmp_path, REGION_COMMUNE + TABLES.replace("thousands", "thousand"))
    assert "census.tables[1].thousand: unknown key 'thousand'; did you mean 'thousands'?" in message


def test_a_crosswalk_year_must_be_a_census_year(tmp_path):
    message = schema_error(tmp_path, REGION_COMMUNE + TABLES + CROSSWALK.replace("2018]", "2017]"))
    assert "census.crosswalk.years: 2017 is not a year of the census tables (2014, 2018, 2019)" in (
        message
    )


def test_one_crosswalk_per_year(tmp_path):
    array = CROSSWALK.replace("[census.crosswalk]", "[[census.crosswalk]]")
    message = schema_error(tmp_path, REGION_COMMUNE + TABLES + array + array)
    assert "census.crosswalk[2].years: 2018 is already followed by census.crosswalk[1]" in message


def test_a_crosswalk_needs_its_columns_and_years(tmp_path):
    message = schema_error(
        tmp_path, REGION_COMMUNE + TABLES + CROSSWALK.replace('to = "code_2019"\n', "")
    )
    assert "census.crosswalk.to: missing required key" in message
    message = schema_error(tmp_path, REGION_COMMUNE + TABLES + CROSSWALK.replace("[2018]", "[]"))
    assert "census.crosswalk.years: give the census years the crosswalk applies to" in message
