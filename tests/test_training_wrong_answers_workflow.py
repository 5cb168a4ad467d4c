"""Proof that the checks of the workflow exercises (census_check's table, maps_and_atlas,
modules 11 to 14) reject the wrong answers trainees give, and say why.

As in tests/test_training_wrong_answers.py, each case is the model solution with one
plausible mistake put in; the commands of the model answer (the outputs the checks read)
run once per exercise. The capstone is also checked on a second territory (the RSK sample
rather than Brussels), to show it works on whatever region a trainee brings.
"""

from __future__ import annotations

from functools import partial

import pytest
from test_training_wrong_answers import Wrong, assert_rejected

from observatory.workshop import start_workspace
from observatory.workshop.workspace import run_command

M3_TABLE = "03_population/census_check.py"
ATLAS = "07_publishing/atlas_answers.toml"
M11_PROJECT = "11_own_data/brussels/observatory.toml"
JOIN = "11_own_data/join_answers.toml"
M12_OSM = "12_prepare/osm_answers.toml"
M12_GHSL = "12_prepare/ghsl_answers.toml"
M13 = "13_compare/answers.toml"
M14 = "14_capstone/answers.toml"
GAP = 'table["gap_percent"] = 100 * (table["grid"] - table["census"]) / table["census"]'
CROSSWALK_YEARS = "years = [2018]"
UNMATCHED = """unmatched_census_codes = [
  "12030", "12034", "44001", "44011", "44029", "44036", "44049", "44072", "44080",
  "45017", "45057", "71047", "72025", "72029", "72040",
]"""
MISSING = 'units_without_census = ["12041", "44083", "44084", "44085", "45068", "72042", "72043"]'

WRONG_ANSWERS = [
    # -- census_check: the table must be computed ---------------------------------------
    Wrong("census_check", "gap as a fraction", M3_TABLE, GAP,
          'table["gap_percent"] = (table["grid"] - table["census"]) / table["census"]',
          "multipliez par 100", "multiply by 100"),
    Wrong("census_check", "gap reversed", M3_TABLE, GAP,
          'table["gap_percent"] = 100 * (table["census"] - table["grid"]) / table["census"]',
          "le signe est inversé", "the sign is reversed"),
    Wrong("census_check", "gap over the grid", M3_TABLE, GAP,
          'table["gap_percent"] = 100 * (table["grid"] - table["census"]) / table["grid"]',
          "divisé par la grille", "divided by the grid"),
    Wrong("census_check", "the gap without its sign", M3_TABLE, GAP,
          'table["gap_percent"] = 100 * abs(table["grid"] - table["census"]) / table["census"]',
          "sans son signe : gardez-le", "without its sign: keep it"),
    Wrong("census_check", "the year written in the code", M3_TABLE,
          'census[f"population_{year}"]', 'census["population_2024"]',
          "c'est le recensement de 2024", "this is the census of 2024"),
    Wrong("census_check", "the numbers of the sample typed in", M3_TABLE,
          "    return table\n",
          "    table['census'] = table['grid'].round(); table['gap_percent'] = 0.0\n"
          "    return table\n",
          "Tableau sur un autre recensement", "Table on another census"),
    # -- maps_and_atlas -------------------------------------------------------------------
    Wrong("maps_and_atlas", "where the first class starts", ATLAS,
          "density_first_limit = 819", "density_first_limit = 8",
          "c'est là où la première classe commence", "that is where the first class starts"),
    Wrong("maps_and_atlas", "the lightest class", ATLAS,
          "density_darkest_communes = 4", "density_darkest_communes = 89",
          "c'est la classe la plus claire", "that is the lightest class"),
    Wrong("maps_and_atlas", "no data for falling", ATLAS,
          "sdg_falling_communes = 32", "sdg_falling_communes = 7",
          "sans valeur", "without a value"),
    Wrong("maps_and_atlas", "falling counted above one", ATLAS,
          "sdg_above_one_communes = 11", "sdg_above_one_communes = 43",
          "un ratio négatif n'est pas", "a negative ratio is not"),
    Wrong("maps_and_atlas", "a unit after the number", ATLAS,
          "density_first_limit = 819", 'density_first_limit = "819 hab/km²"',
          "n'est pas un nombre", "is not a number"),
    Wrong("maps_and_atlas", "the red classes for the falling communes", ATLAS,
          "sdg_falling_communes = 32", "sdg_falling_communes = 11",
          "c'est le nombre de communes au ratio de 1 ou plus",
          "that is the number of communes with a ratio of 1 or more"),
    Wrong("maps_and_atlas", "the hatched communes not counted", ATLAS,
          "sdg_no_data_communes = 7", "sdg_no_data_communes = 0",
          "la légende les compte dans la classe « pas de données »",
          "the legend counts them in the class 'no data'"),
    # -- init_from_downloads --------------------------------------------------------------
    Wrong("init_from_downloads", "a CHECK left", M11_PROJECT, 'name = "Brussels',
          '# CHECK: project name taken from the folder name\nname = "Brussels',
          "ligne(s) CHECK restent", "CHECK line(s) left"),
    Wrong("init_from_downloads", "the folder's name kept", M11_PROJECT,
          'name = "Brussels-Capital and Flanders"', 'name = "brussels"',
          "porte encore le nom de son dossier", "still named after its folder"),
    Wrong("init_from_downloads", "a wrong code field", M11_PROJECT,
          'id = "gemeente"', 'id = "naam"', "validate", "validate"),
    Wrong("init_from_downloads", "a table left out", M11_PROJECT,
          "[[census.tables]]\npath = \"../downloads/population/statbel_population_2020.csv\"",
          "[[census.tables]]\npath = \"../downloads/population/statbel_population_2019.csv\"",
          "recensement de 2020", "census of 2020"),
    Wrong("init_from_downloads", "the placeholder kept", M11_PROJECT,
          "# observatory.toml drafted by `observatory init --from` from:", "#",
          "pas encore un brouillon", "not a draft of observatory init --from"),
    # -- census_join_check ----------------------------------------------------------------
    Wrong("census_join_check", "only the five shown", JOIN, UNMATCHED,
          'unmatched_census_codes = ["12030", "12034", "44001", "44011", "44029"]',
          "n'en montre que cinq", "shows the first five only"),
    Wrong("census_join_check", "the two lists swapped", JOIN, MISSING,
          "units_without_census = " + UNMATCHED.split(" = ", 1)[1],
          "ce sont les codes de la table", "these are the codes of the table"),
    Wrong("census_join_check", "a code missing", JOIN, MISSING,
          'units_without_census = ["12041", "44083"]', "5 codes manquent et 0 code est en trop",
          "5 codes missing and 0 codes too many"),
    Wrong("census_join_check", "the codes as one text", JOIN, MISSING,
          'units_without_census = "12041, 44083, 44084, 44085, 45068, 72042, 72043"',
          "est un seul texte : écrivez chaque code comme un texte à part",
          "is one text: write each code as its own text"),
    Wrong("census_join_check", "crosswalk for the wrong year", M11_PROJECT,
          CROSSWALK_YEARS, "years = [2019]",
          "avertit encore", "still warns"),
    Wrong("census_join_check", "not answered", JOIN, MISSING, 'units_without_census = ["TODO"]',
          "pas encore de réponse", "not answered yet"),
    # -- prepare_osm ----------------------------------------------------------------------
    Wrong("prepare_osm", "the first reason only", M12_OSM, "roads_left_out = 239",
          "roads_left_out = 154", "la première raison seulement", "the first reason only"),
    Wrong("prepare_osm", "kept and left out together", M12_OSM, "roads_kept = 714",
          "roads_kept = 953", "compte aussi les lignes écartées", "counts the lines left out"),
    Wrong("prepare_osm", "merged stops counted", M12_OSM, "transit_stops = 25",
          "transit_stops = 48", "une station est un seul arrêt", "a station is one stop"),
    Wrong("prepare_osm", "the length in metres", M12_OSM, "roads_km = 28.76",
          "roads_km = 28755", "c'est en mètres", "that is in metres"),
    Wrong("prepare_osm", "the units' CRS", M12_OSM, 'layers_crs = "EPSG:32635"',
          'layers_crs = "EPSG:4326"', "c'est le SCR des unités", "that is the CRS of the units"),
    Wrong("prepare_osm", "Finland's CRS", M12_OSM, 'layers_crs = "EPSG:32635"',
          'layers_crs = "EPSG:3067"', "SCR national finlandais", "Finland's national CRS"),
    Wrong("prepare_osm", "the code without its authority", M12_OSM, 'layers_crs = "EPSG:32635"',
          'layers_crs = "32635"', "écrivez le code avec son autorité, comme QGIS l'affiche",
          "write the code with its authority, as QGIS shows it"),
    Wrong("prepare_osm", "a guessed number of schools", M12_OSM, "schools = 2", "schools = 5",
          "trop haut", "too high"),
    # -- prepare_ghsl ---------------------------------------------------------------------
    Wrong("prepare_ghsl", "the whole tiles", M12_GHSL, "population_total = 2004786",
          "population_total = 7209329", "la somme des tuiles entières",
          "the sum of the whole tiles"),
    Wrong("prepare_ghsl", "nodata counted as people", M12_GHSL, "population_total = 2004786",
          "population_total = 1825186", "cellules sans donnée", "cells without data"),
    Wrong("prepare_ghsl", "rows only", M12_GHSL, "cells = 6150", "cells = 75",
          "c'est le nombre de lignes", "that is the number of rows"),
    Wrong("prepare_ghsl", "the cells of the tiles", M12_GHSL, "cells = 6150", "cells = 2000000",
          "les cellules des deux tuiles", "the cells of the two tiles"),
    Wrong("prepare_ghsl", "100 m for 1 km", M12_GHSL, "cell_size_m = 1000", "cell_size_m = 100",
          "c'est le produit à 100 m", "that is the 100 m product"),
    Wrong("prepare_ghsl", "the cell size in degrees", M12_GHSL, "cell_size_m = 1000",
          "cell_size_m = 0.008333", "c'est en degrés", "that is in degrees"),
    Wrong("prepare_ghsl", "the units' CRS", M12_GHSL, 'grid_crs = "ESRI:54009"',
          'grid_crs = "EPSG:31370"', "c'est le SCR des unités", "that is the CRS of the units"),
    Wrong("prepare_ghsl", "Mollweide as an EPSG code", M12_GHSL, 'grid_crs = "ESRI:54009"',
          'grid_crs = "EPSG:54009"', "le code de World Mollweide est donné par ESRI",
          "World Mollweide's code is given by ESRI, not EPSG"),
    Wrong("prepare_ghsl", "no sea cells", M12_GHSL, "cells_without_data = 898",
          "cells_without_data = 0", "trop bas", "too low"),
    # -- compare_rsk_brussels -------------------------------------------------------------
    Wrong("compare_rsk_brussels", "the density of Brussels-Capital", M13,
          "rsk_density = 288.84", "rsk_density = 7560.9",
          "densité d'une région de Bruxelles", "density of a Brussels or Flemish region"),
    Wrong("compare_rsk_brussels", "rank 1", M13, "rsk_density_rank = 3", "rsk_density_rank = 1",
          "trop bas", "too low"),
    Wrong("compare_rsk_brussels", "the name for the code", M13,
          'densest_unit = "4000"', 'densest_unit = "Bruxelles"', "pas le nom", "not the name"),
    Wrong("compare_rsk_brussels", "comparable", M13, 'density_status = "B"',
          'density_status = "A"', "n'est pas juste", "is not right"),
    Wrong("compare_rsk_brussels", "years only", M13, 'density_reasons = ["A", "B", "E"]',
          'density_reasons = ["A"]', "2 raisons manquent et 0 n'est pas donnée par les notes",
          "2 reasons are missing and 0 are not given by the notes"),
    # -- capstone_own_province ------------------------------------------------------------
    Wrong("capstone_own_province", "a region for a municipality", M14,
          'most_populated_unit = "11002"', 'most_populated_unit = "2000"',
          "c'est une unité du niveau region", "that is a unit of the level region"),
    Wrong("capstone_own_province", "SDG 11.3.1 as 0", M14,
          'sdg_11_3_1 = "not computed"', "sdg_11_3_1 = 0", "non calculé", "not computed"),
    Wrong("capstone_own_province", "no project folder", M14,
          'project = "14_capstone/brussels"', 'project = "TODO"',
          "écrivez le dossier de votre projet", "write the folder of your project"),
    Wrong("capstone_own_province", "results of another project", M14,
          'results = "14_capstone/results"', 'results = "07_publishing/results"',
          "pas de votre projet", "not from your project"),
    Wrong("capstone_own_province", "no atlas", M14,
          'atlas = "14_capstone/atlas"', 'atlas = "14_capstone"',
          "Il n'y a pas d'atlas", "There is no atlas"),
]  # fmt: skip
EXERCISES = sorted({wrong.exercise for wrong in WRONG_ANSWERS})


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A French workspace where the commands of every model answer above have run."""
    workspace = start_workspace(tmp_path_factory.mktemp("workflow") / "ws", language="fr")
    for name in (*EXERCISES, "maps_and_atlas"):
        workspace.apply_solution(workspace.course.exercise(name))
    return workspace


def _put_solution(workspace, exercise):
    """The solution's files only (its commands have run once, in the fixture)."""
    for file in exercise.files:
        target = workspace.root / file
        target.write_text(
            (workspace.course.root / exercise.solution_of(file)).read_text(encoding="utf-8"),
            encoding="utf-8",
        )


def test_every_workflow_exercise_has_five_wrong_answers():
    for name in EXERCISES:
        assert sum(wrong.exercise == name for wrong in WRONG_ANSWERS) >= 5, name


@pytest.mark.parametrize("wrong", WRONG_ANSWERS, ids=str)
def test_a_wrong_answer_is_rejected_with_a_helpful_message(workspace, wrong):
    exercise = workspace.course.exercise(wrong.exercise)
    try:  # the solution's files only, put back afterwards for the next case
        verdict = assert_rejected(workspace, wrong, put_solution=partial(_put_solution, workspace))
    finally:
        _put_solution(workspace, exercise)
    assert not any("Traceback" in item.message("fr") for item in verdict.items)


def test_the_capstone_passes_on_a_second_territory(workspace):
    """The RSK sample instead of Brussels: another country, levels, years and SDG 11.3.1."""
    run_command("observatory sample-data 14_capstone/rsk --overwrite", workspace.root)
    run_command(
        "observatory compute 14_capstone/rsk -o 14_capstone/rsk-results --indicator population "
        "--indicator sdg_11_3_1 --overwrite",
        workspace.root,
    )
    run_command("observatory report 14_capstone/rsk-results -o 14_capstone/rsk-atlas --overwrite",
                workspace.root)  # fmt: skip
    answers = workspace.root / M14
    base = (
        'project = "14_capstone/rsk"\nresults = "14_capstone/rsk-results"\n'
        'atlas = "14_capstone/rsk-atlas"\nmost_populated_unit = "04.441.01.0"\n'
    )
    exercise = workspace.course.exercise("capstone_own_province")
    try:
        answers.write_text(base + "sdg_11_3_1 = 1.0748\n", encoding="utf-8")
        verdict = workspace.check(exercise)
        assert verdict.passed, [item.message_en for item in verdict.items if not item.passed]
        answers.write_text(base + 'sdg_11_3_1 = "not computed"\n', encoding="utf-8")
        assert not workspace.check(exercise).passed
    finally:
        _put_solution(workspace, exercise)
