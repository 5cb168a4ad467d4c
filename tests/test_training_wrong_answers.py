"""Proof that the checks of the course reject the wrong answers trainees give, and say why.

Each case is the model solution of an exercise with one plausible mistake put in (a
replacement of text in one of its files). On a French workspace made as a trainee would, the
check must fail, and one of its failed items must say, in French and in English, what is
wrong (the fragments below). The solutions themselves pass: tests/test_training_course.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from observatory.workshop import start_workspace


@dataclass(frozen=True)
class Wrong:
    """A wrong answer: in ``file`` of the solution of ``exercise``, ``old`` becomes ``new``."""

    exercise: str
    name: str
    file: str
    old: str
    new: str
    fr: str
    en: str

    def __str__(self) -> str:
        return f"{self.exercise}: {self.name}"


M1_ANSWERS = "01_getting_started/answers.toml"
M1_PROJECT = "01_getting_started/observatory.toml"
AREAS = "02_layers/areas.py"
MOLLWEIDE = 'communes.to_crs("ESRI:54009")'
REPAIR = "02_layers/repair.py"
INVALID = 'return plots.loc[~plots.is_valid, "plot_id"].astype(str).tolist()'
MAKE_VALID = "repaired = [_polygonal_part(geometry) for geometry in plots.geometry.make_valid()]"
ZONAL = "03_population/zonal.py"
M3_ANSWERS = "03_population/answers.toml"
LCRPGR = "04_dynamics/lcrpgr.py"
M5_ANSWERS = "05_degurba/answers.toml"
M5_GRID = "05_degurba/grid_answers.toml"
M4_ANSWERS = "04_dynamics/answers.toml"

WRONG_ANSWERS = [
    # -- module 1 ------------------------------------------------------------------------
    Wrong(
        "first_look",
        "communes and provinces swapped",
        M1_ANSWERS,
        "communes = 114",
        "communes = 7",
        "nombre d'unités du niveau province",
        "number of units of the level province",
    ),
    Wrong(
        "first_look",
        "the population of 2014",
        M1_ANSWERS,
        "region_population_2024 = 5132639",
        "region_population_2024 = 4580866",
        "c'est la population de 2014",
        "that is the population of 2014",
    ),
    Wrong(
        "first_look",
        "thousands separators",
        M1_ANSWERS,
        "region_population_2024 = 5132639",
        'region_population_2024 = "5,132,639"',
        "séparateurs de milliers",
        "thousands separators",
    ),
    Wrong(
        "first_look",
        "the layer of units.gpkg",
        M1_ANSWERS,
        'commune_layer = "commune"',
        'commune_layer = "communes"',
        "c'est la couche de data/units.gpkg",
        "that is the layer of data/units.gpkg",
    ),
    Wrong(
        "first_look",
        "a number in quotes that is wrong",
        M1_ANSWERS,
        "provinces = 7",
        'provinces = "8"',
        "trop haut",
        "too high",
    ),
    Wrong(
        "fix_project_file",
        "the census of 2024 read as 2014",
        M1_PROJECT,
        'population = { 2014 = "population_2014", 2024 = "population_2024" }',
        'population = { 2014 = "population_2024", 2024 = "population_2024" }',
        "L'année 2014 du recensement lit la colonne « population_2024 »",
        "The census year 2014 reads the column 'population_2024'",
    ),
    Wrong(
        "fix_project_file",
        "the census years swapped",
        M1_PROJECT,
        'population = { 2014 = "population_2014", 2024 = "population_2024" }',
        'population = { 2014 = "population_2024", 2024 = "population_2014" }',
        "chaque année doit lire la colonne de son propre recensement",
        "each year must read the column of its own census",
    ),
    Wrong(
        "fix_project_file",
        "the 2014 grid given for 2024",
        M1_PROJECT,
        '2024 = "../data/rasters/population_2024.tif" }',
        '2024 = "../data/rasters/population_2014.tif" }',
        "Le raster population 2024 est population_2014.tif",
        "The raster population 2024 is population_2014.tif",
    ),
    Wrong(
        "fix_project_file",
        "the broken raster line removed",
        M1_PROJECT,
        'population = { 2014 = "../data/rasters/population_2014.tif", '
        '2024 = "../data/rasters/population_2024.tif" }',
        'population = { 2014 = "../data/rasters/population_2014.tif" }',
        "Le raster population 2024 n'est plus déclaré",
        "The raster population 2024 is no longer declared",
    ),
    Wrong(
        "fix_project_file",
        "the quote still missing",
        M1_PROJECT,
        'name = "Rabat-Salé-Kénitra (training)"',
        'name = "Rabat-Salé-Kénitra (training)',
        "ne peut pas encore être lu",
        "cannot be read yet",
    ),
    # -- module 3 ------------------------------------------------------------------------
    Wrong(
        "zonal_population",
        "the year written in the code",
        ZONAL,
        'f"population_{year}.tif"',
        '"population_2024.tif"',
        "ce sont les habitants de 2024 : utilisez l'année que la fonction reçoit",
        "these are the people of 2024: use the year the function is given",
    ),
    Wrong(
        "zonal_population",
        "a path relative to the workspace",
        ZONAL,
        'read_layer(project_folder / "units.gpkg"',
        'read_layer(Path("data") / "units.gpkg"',
        "Observatory s'est arrêté sur une erreur (03_population/zonal.py, ligne",
        "Observatory stopped with an error (03_population/zonal.py, line",
    ),
    Wrong(
        "zonal_population",
        "indexed by name",
        ZONAL,
        'index=communes["code"].astype(str)',
        'index=communes["name_fr"]',
        "Indexez le résultat par le code",
        "Index the result by the unit code",
    ),
    Wrong(
        "zonal_population",
        "the layer of the provinces",
        ZONAL,
        'layer="communes"',
        'layer="provinces"',
        "114 unités attendues, vous en avez 7",
        "114 units expected, you have 7",
    ),
    Wrong(
        "census_check",
        "the name of the province",
        M3_ANSWERS,
        'largest_province_2024 = "04.281"',
        'largest_province_2024 = "Kénitra"',
        "pas le nom",
        "not the name",
    ),
    Wrong(
        "census_check",
        "the code typed as a number",
        M3_ANSWERS,
        'largest_province_2024 = "04.281"',
        "largest_province_2024 = 4.281",
        "écrivez-le entre guillemets",
        "write it in quotes",
    ),
    Wrong(
        "census_check",
        "the largest commune",
        M3_ANSWERS,
        'largest_province_2024 = "04.281"',
        'largest_province_2024 = "04.441.01.0"',
        "c'est une commune",
        "that is a commune",
    ),
    Wrong(
        "census_check",
        "the total of 2014",
        M3_ANSWERS,
        "region_grid_2024 = 5132639",
        "region_grid_2024 = 4580866",
        "c'est le total de la grille de 2014",
        "that is the total of the 2014 grid",
    ),
    Wrong(
        "census_check",
        '"true" typed as text',
        M3_ANSWERS,
        "grid_matches_census = true",
        'grid_matches_census = "true"',
        "sans guillemets",
        "without quotes",
    ),
    Wrong(
        "census_check",
        '"vrai" typed in French',
        M3_ANSWERS,
        "grid_matches_census = true",
        'grid_matches_census = "vrai"',
        "écrivez true ou false sans guillemets",
        "write true or false without quotes",
    ),
    # -- module 4 ------------------------------------------------------------------------
    Wrong(
        "lcrpgr_formula",
        "abs(PGR)",
        LCRPGR,
        "return lcr / pgr",
        "return lcr / abs(pgr)",
        "ne prenez pas abs()",
        "do not take abs()",
    ),
    Wrong(
        "lcrpgr_formula",
        "abs() of the ratio",
        LCRPGR,
        "return lcr / pgr",
        "return abs(lcr / pgr)",
        "le ratio garde son signe",
        "the ratio keeps its sign",
    ),
    Wrong(
        "lcrpgr_formula",
        "no value only when PGR is exactly 0",
        LCRPGR,
        "abs(pgr) < STABLE_POPULATION_RATE",
        "pgr == 0",
        "comparez abs(pgr), pas pgr == 0",
        "compare abs(pgr), not pgr == 0",
    ),
    Wrong(
        "lcrpgr_formula",
        "the threshold without abs()",
        LCRPGR,
        "abs(pgr) < STABLE_POPULATION_RATE",
        "pgr < STABLE_POPULATION_RATE",
        "pas de valeur (nan) là où un nombre est attendu",
        "no value (nan) where a number is expected",
    ),
    Wrong(
        "lcrpgr_formula",
        "no test: a division by zero",
        LCRPGR,
        "    if abs(pgr) < STABLE_POPULATION_RATE:",
        "    if False:",
        "une division par zéro (ZeroDivisionError",
        "a division by zero (ZeroDivisionError",
    ),
    Wrong(
        "lcrpgr_formula",
        "the ratio upside down",
        LCRPGR,
        "return lcr / pgr",
        "return pgr / lcr",
        "trop bas",
        "too low",
    ),
    Wrong(
        "lcrpgr_formula",
        "linear rates",
        LCRPGR,
        "lcr = math.log(urb_t2 / urb_t1) / years",
        "lcr = (urb_t2 - urb_t1) / urb_t1 / years",
        "trop haut",
        "too high",
    ),
    Wrong(
        "sdg_11_3_1_provinces",
        "the regime of a growing province",
        M4_ANSWERS,
        'declining_regime = "expansion with population decline"',
        'declining_regime = "expansion with population growth"',
        "c'est un autre régime",
        "that is another regime",
    ),
    Wrong(
        "sdg_11_3_1_provinces",
        "the name of the province",
        M4_ANSWERS,
        'highest_province = "04.291"',
        'highest_province = "Khémisset"',
        "pas le nom",
        "not the name",
    ),
    Wrong(
        "sdg_11_3_1_provinces",
        '"true" typed as text',
        M4_ANSWERS,
        "region_above_one = true",
        'region_above_one = "true"',
        "sans guillemets",
        "without quotes",
    ),
    Wrong(
        "sdg_11_3_1_provinces",
        "the lowest ratio taken as the declining province",
        M4_ANSWERS,
        'declining_province = "04.421"',
        'declining_province = "04.281"',
        "regardez encore",
        "look again",
    ),
    # -- module 5 ------------------------------------------------------------------------
    Wrong(
        "degurba_vs_census",
        "cities and rural areas swapped",
        M5_ANSWERS,
        "cities_2024 = 16",
        "cities_2024 = 33",
        "c'est le compte de l'autre classe",
        "that is the count of the other class",
    ),
    Wrong(
        "degurba_vs_census",
        "the cities of 2014",
        M5_ANSWERS,
        "cities_2024 = 16",
        "cities_2024 = 13",
        "c'est le compte de 2014",
        "that is the count of 2014",
    ),
    Wrong(
        "degurba_vs_census",
        "the agreement as a fraction",
        M5_ANSWERS,
        "agreement_percent = 51.8",
        "agreement_percent = 0.518",
        "100 fois trop petit : une part entre 0 et 1 ? Donnez un pourcentage",
        "100 times too small: a share between 0 and 1? Give a percentage",
    ),
    Wrong(
        "degurba_vs_census",
        "towns counted as rural",
        M5_ANSWERS,
        "agreement_percent = 51.8",
        "agreement_percent = 91.2",
        "comme rurales",
        "as rural",
    ),
    Wrong(
        "degurba_vs_census",
        "a percent sign",
        M5_ANSWERS,
        "agreement_percent = 51.8",
        'agreement_percent = "51.8 %"',
        "a un signe %",
        "has a % sign",
    ),
    Wrong(
        "degurba_grid",
        "the population grid alone",
        M5_GRID,
        "urban_centre_cells = 413",
        "urban_centre_cells = 399",
        "ajoutez --built-up et --land",
        "add --built-up and --land",
    ),
    Wrong(
        "degurba_grid",
        "the share as a fraction",
        M5_GRID,
        "urban_centre_percent = 60.4",
        "urban_centre_percent = 0.604",
        "Donnez un pourcentage : multipliez par 100",
        "Give a percentage: multiply by 100",
    ),
    Wrong(
        "degurba_grid",
        "the population with thousands separators",
        M5_GRID,
        "urban_centre_population = 3104934",
        'urban_centre_population = "3,104,934"',
        "séparateurs de milliers",
        "thousands separators",
    ),
    Wrong(
        "degurba_grid",
        "the built-up and land grids add people",
        M5_GRID,
        'more_centres_reason = "A"',
        'more_centres_reason = "B"',
        "n'est pas juste",
        "is not right",
    ),
    # -- module 2 ------------------------------------------------------------------------
    Wrong(
        "repair_geometries",
        "a list written by hand",
        REPAIR,
        INVALID,
        'return ["P2", "P4"]',
        "ne l'écrivez pas à la main",
        "do not write it by hand",
    ),
    Wrong(
        "repair_geometries",
        "the row numbers instead of plot_id",
        REPAIR,
        INVALID,
        "return plots.index[~plots.is_valid].tolist()",
        "revoyez la validité de chaque parcelle",
        "look again at every plot's validity",
    ),
    Wrong(
        "repair_geometries",
        "the valid plots instead of the invalid ones",
        REPAIR,
        INVALID,
        'return plots.loc[plots.is_valid, "plot_id"].astype(str).tolist()',
        "revoyez la validité",
        "look again",
    ),
    Wrong(
        "repair_geometries",
        "buffer(0) loses half of the bow tie",
        REPAIR,
        MAKE_VALID,
        "repaired = list(plots.geometry.buffer(0))",
        "Surfaces conservées (km²) : 1 valeur sur 5 diffère",
        "Areas kept (km²): 1 value of 5 differs",
    ),
    Wrong(
        "repair_geometries",
        "make_valid alone keeps a line in a collection",
        REPAIR,
        MAKE_VALID,
        "repaired = list(plots.geometry.make_valid())",
        "ne sont pas des polygones",
        "not polygons",
    ),
    Wrong(
        "commune_areas",
        "the layer's own area_km2 field",
        AREAS,
        '    projected = communes.to_crs("ESRI:54009")\n'
        "    areas_km2 = projected.geometry.area / 1_000_000",
        '    areas_km2 = communes["area_km2"]',
        "ce sont les valeurs du champ area_km2 de la couche",
        "these are the values of the layer's own area_km2 field",
    ),
    Wrong(
        "commune_areas",
        "UTM zone 29N (conformal)",
        AREAS,
        MOLLWEIDE,
        'communes.to_crs("EPSG:32629")',
        "un SCR conforme (UTM",
        "a conformal CRS (UTM",
    ),
    Wrong(
        "commune_areas",
        "UTM zone estimated from the data (conformal)",
        AREAS,
        MOLLWEIDE,
        "communes.to_crs(communes.estimate_utm_crs())",
        "un SCR conforme (UTM",
        "a conformal CRS (UTM",
    ),
    Wrong(
        "commune_areas",
        "Lambert Nord Maroc (conformal)",
        AREAS,
        MOLLWEIDE,
        'communes.to_crs("EPSG:26191")',
        "conserve les angles, pas les surfaces",
        "keeps angles, not areas",
    ),
    Wrong(
        "commune_areas",
        "Web Mercator (conformal)",
        AREAS,
        MOLLWEIDE,
        'communes.to_crs("EPSG:3857")',
        "valeurs sur 114 diffèrent",
        "values of 114 differ",
    ),
    Wrong(
        "commune_areas",
        "square metres",
        AREAS,
        "projected.geometry.area / 1_000_000",
        "projected.geometry.area",
        "des m² au lieu de km²",
        "m² instead of km²",
    ),
    Wrong(
        "commune_areas",
        "square degrees",
        AREAS,
        "projected.geometry.area / 1_000_000",
        "communes.geometry.area",
        "degrés carrés",
        "square degrees",
    ),
    Wrong(
        "commune_areas",
        "indexed by row number",
        AREAS,
        'index=communes["code"].astype(str)',
        "index=communes.index",
        "Indexez le résultat par le code de l'unité",
        "Index the result by the unit code",
    ),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return start_workspace(tmp_path_factory.mktemp("wrong") / "ws", language="fr")


def test_every_exercise_has_wrong_answers():
    from observatory.workshop import bundled_course

    tried = {wrong.exercise for wrong in WRONG_ANSWERS}
    assert tried == {exercise.name for exercise in bundled_course().exercises}


@pytest.mark.parametrize("wrong", WRONG_ANSWERS, ids=str)
def test_a_wrong_answer_is_rejected_with_a_helpful_message(workspace, wrong):
    exercise = workspace.course.exercise(wrong.exercise)
    workspace.apply_solution(exercise)
    path = workspace.root / wrong.file
    text = path.read_text(encoding="utf-8")
    assert wrong.old in text, f"the solution of {wrong.exercise} has no {wrong.old!r}"
    path.write_text(text.replace(wrong.old, wrong.new), encoding="utf-8")
    verdict = workspace.check(exercise)
    failed = [item for item in verdict.items if not item.passed]
    assert not verdict.passed, "accepted"
    assert any(wrong.fr in item.message("fr") for item in failed), [
        item.message("fr") for item in failed
    ]
    assert any(wrong.en in item.message("en") for item in failed), [
        item.message("en") for item in failed
    ]
