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


def assert_rejected(workspace, wrong, *, put_solution=None):
    """Make the mistake ``wrong`` in the solution of its exercise, check, and assert that
    the check fails with an item saying ``wrong.fr`` in French and ``wrong.en`` in English.

    ``put_solution(exercise)`` puts the solution in ``workspace`` first (by default
    ``workspace.apply_solution``, its commands included). Returns the verdict, for the
    assertions a caller adds.
    """
    exercise = workspace.course.exercise(wrong.exercise)
    (put_solution or workspace.apply_solution)(exercise)
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
    return verdict


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
M6_MAP = "06_access/map_answers.toml"
TRANSIT = "06_access/transit.py"
RULE = "return (d_low <= LOW_CAPACITY_M) | (d_high <= HIGH_CAPACITY_M)"
SHARE = "return 100.0 * float(people[covered(d_low, d_high)].sum()) / float(people.sum())"
M6_ANSWERS = "06_access/answers.toml"
SHEET = "07_publishing/sheet.py"
RANK = 'rank(ascending=False, method="min")'
CLASSES = "07_publishing/classes.py"
PLUGIN = "08_plugins/my_indicators.py"
PYPROJECT = "08_plugins/pyproject.toml"
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
        "first_look",
        "the population in millions",
        M1_ANSWERS,
        "region_population_2024 = 5132639",
        "region_population_2024 = 5.13",
        "des millions au lieu d'habitants",
        "millions instead of people",
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
    Wrong(
        "fix_project_file",
        "a Windows path between double quotes",
        M1_PROJECT,
        'path = "../data/units.gpkg"',
        'path = "C:\\Users\\trainee\\data\\units.gpkg"',
        "une barre oblique inverse (\\) entre guillemets doubles commence un échappement",
        "a backslash (\\) between double quotes starts an escape in TOML",
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
        "zonal_population",
        "the sums rounded",
        ZONAL,
        'index=communes["code"].astype(str))',
        'index=communes["code"].astype(str)).round()',
        "vos valeurs semblent arrondies (ou passées en int)",
        "your values look rounded (or turned into int)",
    ),
    Wrong(
        "zonal_population",
        "the index of the layer's rows",
        ZONAL,
        'pd.Series(coverage.sum(raster), index=communes["code"].astype(str))',
        "pd.Series(coverage.sum(raster))",
        "vous en avez 114, et aucune de vos étiquettes (0, 1, 2, ...) n'est un code d'unité",
        "you have 114, and none of your labels (0, 1, 2, ...) is a unit code",
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
        "une division par zéro (erreur Python : ZeroDivisionError",
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
    Wrong(
        "sdg_11_3_1_provinces",
        "the ratio as a percentage",
        M4_ANSWERS,
        "highest_value = 1.70",
        "highest_value = 170",
        "170 est 100 fois trop grand",
        "170 is 100 times too large",
    ),
    Wrong(
        "sdg_11_3_1_provinces",
        "a decimal comma",
        M4_ANSWERS,
        "highest_value = 1.70",
        "highest_value = 1,70",
        "un nombre décimal s'écrit avec un point dans ce fichier : highest_value = 1.70",
        "a decimal number takes a point in this file: highest_value = 1.70",
    ),
    Wrong(
        "sdg_11_3_1_provinces",
        "True with a capital, as in Python",
        M4_ANSWERS,
        "region_above_one = true",
        "region_above_one = True",
        "vrai et faux s'écrivent true et false, en minuscules",
        "true and false are written in lower case",
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
        "degurba_vs_census",
        "the communes the census calls urban",
        M5_ANSWERS,
        "cities_2024 = 16",
        "cities_2024 = 26",
        "c'est le compte du statut du recensement",
        "that is the count of the census status",
    ),
    Wrong(
        "degurba_vs_census",
        "the share where they disagree",
        M5_ANSWERS,
        "agreement_percent = 51.8",
        "agreement_percent = 48.2",
        "c'est la part des communes où les deux divergent",
        "that is the share of the communes where the two disagree",
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
    Wrong(
        "degurba_grid",
        "the share rounded to a whole percentage",
        M5_GRID,
        "urban_centre_percent = 60.4",
        "urban_centre_percent = 60",
        "60 est trop bas : est-ce arrondi ?",
        "60 is too low: is it rounded?",
    ),
    Wrong(
        "degurba_grid",
        "the letter without quotes",
        M5_GRID,
        'more_centres_reason = "A"',
        "more_centres_reason = A",
        'un texte s\'écrit entre guillemets droits : more_centres_reason = "A"',
        'a text goes between double quotes: more_centres_reason = "A"',
    ),
    Wrong(
        "degurba_grid",
        "the population with spaces between thousands",
        M5_GRID,
        "urban_centre_population = 3104934",
        "urban_centre_population = 3 104 934",
        "écrivez le nombre sans espaces : urban_centre_population = 3104934",
        "write the number without spaces: urban_centre_population = 3104934",
    ),
    # -- module 6 ------------------------------------------------------------------------
    Wrong(
        "school_access_map",
        "the two shares swapped",
        M6_MAP,
        "populated_cells_within_1km_percent = 22.9",
        "populated_cells_within_1km_percent = 81.0",
        "c'est la part des habitants",
        "that is the share of people",
    ),
    Wrong(
        "school_access_map",
        "a fraction for a percentage",
        M6_MAP,
        "people_within_1km_percent = 81.0",
        "people_within_1km_percent = 0.81",
        "multipliez par 100",
        "multiply by 100",
    ),
    Wrong(
        "school_access_map",
        "unreachable cells taken as 0 m",
        M6_MAP,
        'explanation = "A"',
        'explanation = "C"',
        "n'est pas juste",
        "is not right",
    ),
    Wrong(
        "school_access_map",
        "the share of cells rounded",
        M6_MAP,
        "populated_cells_within_1km_percent = 22.9",
        "populated_cells_within_1km_percent = 23",
        "23 est trop haut : est-ce arrondi ?",
        "23 is too high: is it rounded?",
    ),
    Wrong(
        "school_access_map",
        "the share of cells given for the share of people",
        M6_MAP,
        "people_within_1km_percent = 81.0",
        "people_within_1km_percent = 22.9",
        "c'est la part des cellules peuplées",
        "that is the share of populated cells",
    ),
    Wrong(
        "transit_rule",
        "< instead of <=",
        TRANSIT,
        RULE,
        "return (d_low < LOW_CAPACITY_M) | (d_high < HIGH_CAPACITY_M)",
        "Bus à 500 m tout juste : devrait être desservi",
        "Bus at exactly 500 m: should be covered",
    ),
    Wrong(
        "transit_rule",
        "& instead of |",
        TRANSIT,
        RULE,
        "return (d_low <= LOW_CAPACITY_M) & (d_high <= HIGH_CAPACITY_M)",
        "Train à 1000 m tout juste : devrait être desservi",
        "Train at exactly 1000 m: should be covered",
    ),
    Wrong(
        "transit_rule",
        "'or' between arrays",
        TRANSIT,
        RULE,
        "return (d_low <= LOW_CAPACITY_M) or (d_high <= HIGH_CAPACITY_M)",
        "combinez des tableaux de True/False avec & et |",
        "combine arrays of True/False with & and |",
    ),
    Wrong(
        "transit_rule",
        "a fraction for a percentage",
        TRANSIT,
        SHARE,
        "return float(people[covered(d_low, d_high)].sum()) / float(people.sum())",
        "100 fois trop petit",
        "100 times too small",
    ),
    Wrong(
        "transit_rule",
        "only the people who reach a stop in the denominator",
        TRANSIT,
        SHARE,
        "reach = np.isfinite(d_low) | np.isfinite(d_high)\n"
        "    return 100.0 * float(people[covered(d_low, d_high)].sum()) / "
        "float(people[reach].sum())",
        "divisez par toute la population",
        "divide by all the people",
    ),
    Wrong(
        "transit_rule",
        "floor division",
        TRANSIT,
        SHARE,
        "return 100 * people[covered(d_low, d_high)].sum() // people.sum()",
        "44.0 est trop bas : est-ce arrondi ?",
        "44.0 is too low: is it rounded?",
    ),
    Wrong(
        "transit_rule",
        "the share rounded to one decimal",
        TRANSIT,
        SHARE,
        "return round(100.0 * float(people[covered(d_low, d_high)].sum()) / "
        "float(people.sum()), 1)",
        "44.4 est trop bas : est-ce arrondi ?",
        "44.4 is too low: is it rounded?",
    ),
    Wrong(
        "weakest_access",
        "the plain mean of the communes",
        M6_ANSWERS,
        "home_province_school_access_percent = 72.9",
        "home_province_school_access_percent = 52.4",
        "c'est la moyenne simple de ses communes",
        "that is the plain mean of its communes",
    ),
    Wrong(
        "weakest_access",
        "the codes as one text",
        M6_ANSWERS,
        'lowest_school_access = ["04.291.03.13", "04.291.07.15", "04.291.05.03"]',
        'lowest_school_access = "04.291.03.13, 04.291.07.15, 04.291.05.03"',
        "écrivez une liste de 3 codes",
        "write a list of 3 codes",
    ),
    Wrong(
        "weakest_access",
        "the highest instead of the lowest",
        M6_ANSWERS,
        'lowest_sdg_11_2_1_province = "04.491"',
        'lowest_sdg_11_2_1_province = "04.421"',
        "regardez encore",
        "look again",
    ),
    Wrong(
        "weakest_access",
        '"false" typed as text',
        M6_ANSWERS,
        "province_is_mean_of_communes = false",
        'province_is_mean_of_communes = "false"',
        "sans guillemets",
        "without quotes",
    ),
    Wrong(
        "weakest_access",
        "a fraction for a percentage",
        M6_ANSWERS,
        "lowest_sdg_11_2_1_percent = 60.9",
        "lowest_sdg_11_2_1_percent = 0.609",
        "multipliez par 100",
        "multiply by 100",
    ),
    Wrong(
        "weakest_access",
        "four communes for three",
        M6_ANSWERS,
        'lowest_school_access = ["04.291.03.13", "04.291.07.15", "04.291.05.03"]',
        'lowest_school_access = ["04.291.03.13", "04.291.07.15", "04.291.05.03", "04.291.09.05"]',
        "4 codes là où 3 sont demandés",
        "4 codes where 3 are asked",
    ),
    Wrong(
        "weakest_access",
        "true where it is false",
        M6_ANSWERS,
        "province_is_mean_of_communes = false",
        "province_is_mean_of_communes = true",
        "true n'est pas juste",
        "true is not right",
    ),
    # -- module 7 ------------------------------------------------------------------------
    Wrong(
        "indicator_sheet",
        'method="dense"',
        SHEET,
        RANK,
        'rank(ascending=False, method="dense")',
        "après trois unités ex aequo à la 2e place vient la 5e",
        "after three units tied in 2nd place comes the 5th",
    ),
    Wrong(
        "indicator_sheet",
        'method="first"',
        SHEET,
        RANK,
        'rank(ascending=False, method="first")',
        "doivent partager un rang",
        "must share one rank",
    ),
    Wrong(
        "indicator_sheet",
        "the default method (average)",
        SHEET,
        RANK,
        "rank(ascending=False)",
        "pas leur moyenne",
        "not their average",
    ),
    Wrong(
        "indicator_sheet",
        "row numbers after sorting",
        SHEET,
        '    sheet["rank"] = sheet["value"].rank(ascending=False, method="min").astype(int)\n'
        '    return sheet.sort_values("rank").reset_index(drop=True)',
        '    sheet = sheet.sort_values("value", ascending=False).reset_index(drop=True)\n'
        '    sheet["rank"] = range(1, len(sheet) + 1)\n'
        "    return sheet",
        "numérotées l'une après l'autre",
        "numbered one after the other",
    ),
    Wrong(
        "indicator_sheet",
        "the selection written in the code",
        SHEET,
        '(long_table["indicator"] == indicator)',
        '(long_table["indicator"] == "population_density")',
        "utilisez les arguments de la fonction",
        "use the function's arguments",
    ),
    Wrong(
        "indicator_sheet",
        "rank 1 the lowest",
        SHEET,
        RANK,
        'rank(method="min")',
        "le rang 1 est la valeur la plus basse dans votre fiche",
        "rank 1 is the lowest value in your sheet",
    ),
    Wrong(
        "map_classes",
        "k written in the code",
        CLASSES,
        "Quantiles(values.to_numpy(), k=k)",
        "Quantiles(values.to_numpy(), k=5)",
        "utilisez l'argument k",
        "use the argument k",
    ),
    Wrong(
        "map_classes",
        "classes from 0",
        CLASSES,
        "classifier.yb + 1",
        "classifier.yb",
        "ajoutez 1",
        "add 1",
    ),
    Wrong(
        "map_classes",
        "equal intervals",
        CLASSES,
        "mapclassify.Quantiles(",
        "mapclassify.EqualInterval(",
        "diffèrent",
        "differ",
    ),
    Wrong(
        "map_classes",
        "the highest values in class 1",
        CLASSES,
        "classifier.yb + 1, index",
        "k - classifier.yb, index",
        "les classes sont à l'envers",
        "the classes are upside down",
    ),
    Wrong(
        "map_classes",
        "the index of the values lost",
        CLASSES,
        "classifier.yb + 1, index=values.index",
        "classifier.yb + 1",
        "vous en avez 114, et aucune de vos étiquettes (0, 1, 2, ...) n'est un code d'unité",
        "you have 114, and none of your labels (0, 1, 2, ...) is a unit code",
    ),
    Wrong(
        "map_classes",
        "the classes of the values sorted, under the unsorted codes",
        CLASSES,
        "Quantiles(values.to_numpy(), k=k)",
        "Quantiles(values.sort_values().to_numpy(), k=k)",
        "valeurs sur 114 diffèrent",
        "values of 114 differ",
    ),
    # -- module 8 ------------------------------------------------------------------------
    Wrong(
        "people_per_school",
        "the year written in the code",
        PLUGIN,
        "inputs.population(period.end)",
        "inputs.population(2024)",
        "Habitants par école par province en 2014",
        "People per school by province in 2014",
    ),
    Wrong(
        "people_per_school",
        "numerator and denominator swapped",
        PLUGIN,
        '{"numerator": population, "denominator": counts.astype("float64")}',
        '{"numerator": counts.astype("float64"), "denominator": population}',
        "valeurs sur 7 diffèrent",
        "values of 7 differ",
    ),
    Wrong(
        "people_per_school",
        "another id",
        PLUGIN,
        'id="people_per_school"',
        'id="people_by_school"',
        "n'enregistre pas d'indicateur d'id « people_per_school »",
        "does not register an indicator with id 'people_per_school'",
    ),
    Wrong(
        "people_per_school",
        "the schools joined in their own CRS",
        PLUGIN,
        'inputs.layer("schools").to_crs(units.crs)',
        'inputs.layer("schools")',
        "CRS mismatch",  # geopandas warns; a warning is an error in the tests, not in class
        "CRS mismatch",
    ),
    Wrong(
        "people_per_school",
        "the units within the schools",
        PLUGIN,
        'predicate="within"',
        'predicate="contains"',
        "7 provinces sur 7 n'ont pas de valeur ; aucune école n'a été comptée",
        "7 of 7 provinces have no value; no school was counted in any unit",
    ),
    Wrong(
        "people_per_school",
        "communes without a school left out",
        PLUGIN,
        ".reindex(units.index, fill_value=0)",
        "",
        "une commune sans école doit compter 0 école",
        "a commune without a school must count 0 schools",
    ),
    Wrong(
        "people_per_school",
        "the ratio returned instead of its two parts",
        PLUGIN,
        '{"numerator": population, "denominator": counts.astype("float64")}',
        '{"value": population / counts}',
        "a renvoyé les colonnes value, sans numerator, denominator",
        "returned the columns value, without numerator, denominator",
    ),
    Wrong(
        "people_per_school",
        "a Series of ratios returned",
        PLUGIN,
        """return pd.DataFrame(
        {"numerator": population, "denominator": counts.astype("float64")}, index=units.index
    )""",
        "return population / counts",
        "a renvoyé un Series, pas un DataFrame pandas",
        "returned a Series, not a pandas DataFrame",
    ),
    Wrong(
        "plugin_entry_point",
        "a name with a space",
        PYPROJECT,
        'name = "rsk-indicators"',
        'name = "RSK indicators"',
        "n'est pas un nom de paquet valide",
        "is not a valid package name",
    ),
    Wrong(
        "plugin_entry_point",
        "Observatory's own name",
        PYPROJECT,
        'name = "rsk-indicators"',
        'name = "observatory"',
        "remplacerait Observatory",
        "would replace Observatory",
    ),
    Wrong(
        "plugin_entry_point",
        "the unrelated package observatory as a dependency",
        PYPROJECT,
        'dependencies = ["territorial-observatory"]',
        'dependencies = ["observatory"]',
        "est un autre projet",
        "is an unrelated project",
    ),
    Wrong(
        "plugin_entry_point",
        "the module with .py",
        PYPROJECT,
        'rsk = "my_indicators"',
        'rsk = "my_indicators.py"',
        "le nom du fichier sans .py",
        "its file name without .py",
    ),
    Wrong(
        "plugin_entry_point",
        "the group without quotes",
        PYPROJECT,
        '[project.entry-points."observatory.indicators"]',
        "[project.entry-points.observatory.indicators]",
        "le nom du groupe a besoin de ses guillemets",
        "the group name needs its quotes",
    ),
    Wrong(
        "plugin_entry_point",
        "a backend to download",
        PYPROJECT,
        'requires = []\nbuild-backend = "plugin_build"',
        'requires = ["hatchling"]\nbuild-backend = "hatchling.build"',
        "échoue hors ligne",
        "fails offline",
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
        "ce sont les surfaces de buffer(0), qui garde un triangle du nœud papillon P2",
        "these are the areas of buffer(0), which keeps one triangle of the bow tie P2",
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
    Wrong(
        "commune_areas",
        "a Series of a Series, looked up by the codes",
        AREAS,
        "pd.Series(areas_km2.to_numpy(), index=",
        "pd.Series(areas_km2, index=",
        "toutes les valeurs sont vides (nan). La Series a-t-elle été faite d'une autre",
        "every value is empty (nan). Was the Series made from another Series",
    ),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return start_workspace(tmp_path_factory.mktemp("wrong") / "ws", language="fr")


def test_every_exercise_has_wrong_answers():
    from test_training_wrong_answers_indicators import INDICATOR_WRONG_ANSWERS
    from test_training_wrong_answers_workflow import WRONG_ANSWERS as WORKFLOW

    from observatory.workshop import bundled_course

    tried = {wrong.exercise for wrong in (*WRONG_ANSWERS, *INDICATOR_WRONG_ANSWERS, *WORKFLOW)}
    assert tried == {exercise.name for exercise in bundled_course().exercises}


@pytest.mark.parametrize("wrong", WRONG_ANSWERS, ids=str)
def test_a_wrong_answer_is_rejected_with_a_helpful_message(workspace, wrong):
    assert_rejected(workspace, wrong)
