"""Proof that the checks of the indicator exercises (degurba_level2, health_access,
school_seats_2sfca, modules 9 and 10) reject the wrong answers trainees give, and say why,
in French and in English: each case is the model solution with one plausible mistake put
in, as in tests/test_training_wrong_answers.py (whose :class:`Wrong` and
:func:`assert_rejected` it uses)."""

from __future__ import annotations

import pytest
from test_training_wrong_answers import Wrong, assert_rejected

from observatory.workshop import start_workspace

LEVEL2 = "05_degurba/level2_answers.toml"
HEALTH = "06_access/health_answers.toml"
SEATS = "06_access/seats.py"
INSIDE = "inside = np.asarray(distance) <= catchment_m"
CHILDREN = "children = np.asarray(people, dtype=float) * school_age_share"
PM25 = "09_environment/pm25.py"
PM25_RETURN = 'return exposure / people.groupby(measured["province"]).sum()'
OPEN_SPACE = "09_environment/open_space_answers.toml"
EXPANSION = "10_growth/expansion.py"
RATIO = "lcrpgr = (lcr / pgr).where(pgr.abs() >= STABLE_POPULATION_PERCENT)"
LCR = 'lcr = 100 * np.log(units[f"built_up_km2_{t2}"] / units[f"built_up_km2_{t1}"]) / years'
SERIES = "10_growth/series.py"
PAIRS = "periods = list(itertools.pairwise(years))"
SPAN = "    if len(years) >= 3:\n        periods.append((years[0], years[-1]))\n"
RATE = "100 * math.log(series[end] / series[start]) / (end - start)"
STREETS = "10_growth/streets.py"
AVERAGED_SPAN = """    rates = {
        f"{start}_{end}": 100 * math.log(series[end] / series[start]) / (end - start)
        for start, end in periods[: len(years) - 1]
    }
    if len(years) >= 3:
        rates[f"{years[0]}_{years[-1]}"] = sum(rates.values()) / len(rates)
    return rates
    return {"""
COMMUNE_MEANS = """communes = (people * measured["pm25_2024"]).groupby(measured["commune"]).sum()
    communes = communes / people.groupby(measured["commune"]).sum()
    return communes.groupby(communes.index.str.split(".").str[0]).mean()"""

INDICATOR_WRONG_ANSWERS = [
    # -- degurba_level2 --------------------------------------------------------------------
    Wrong(
        "degurba_level2",
        "every urban-cluster cell",
        LEVEL2,
        "suburban_cells = 637",
        "suburban_cells = 927",
        "toutes les cellules de groupement urbain",
        "every urban-cluster cell",
    ),
    Wrong(
        "degurba_level2",
        "the row of the rural clusters",
        LEVEL2,
        "suburban_cells = 637",
        "suburban_cells = 419",
        "c'est la ligne 13",
        "that is the row 13",
    ),
    Wrong(
        "degurba_level2",
        "a fraction for a percentage",
        LEVEL2,
        "rural_cluster_percent = 6.5",
        "rural_cluster_percent = 0.065",
        "une part entre 0 et 1",
        "a share between 0 and 1",
    ),
    Wrong(
        "degurba_level2",
        "the share of the suburban cells",
        LEVEL2,
        "rural_cluster_percent = 6.5",
        "rural_cluster_percent = 9.8",
        "c'est la part des cellules suburbaines",
        "that is the share of the suburban cells",
    ),
    Wrong(
        "degurba_level2",
        "exactly 5,000 taken as below the threshold",
        LEVEL2,
        "code_group_5000 = 21",
        "code_group_5000 = 13",
        "5 000 tout juste suffit",
        "exactly 5,000 is enough",
    ),
    Wrong(
        "degurba_level2",
        "the level 1 code",
        LEVEL2,
        "code_group_12000 = 21",
        "code_group_12000 = 2",
        "c'est le code du niveau 1",
        "that is the level 1 code",
    ),
    Wrong(
        "degurba_level2",
        "a cluster of 400 people",
        LEVEL2,
        "code_group_400 = 12",
        "code_group_400 = 13",
        "n'est pas un groupement",
        "is no cluster at all",
    ),
    Wrong(
        "degurba_level2",
        "a rural cluster called suburban",
        LEVEL2,
        "code_group_1800 = 13",
        "code_group_1800 = 21",
        "trop petit pour un groupement urbain",
        "too small for an urban cluster",
    ),
    Wrong(
        "degurba_level2",
        "a group of 400 at 400 people per km² as very low density",
        LEVEL2,
        "code_group_400 = 12",
        "code_group_400 = 11",
        "de faible densité (12) dès 50 hab./km²",
        "low density (12) from 50 people per km²",
    ),
    Wrong(
        "degurba_level2",
        "a cell of an urban cluster taken as semi-dense",
        LEVEL2,
        "code_group_12000 = 21",
        "code_group_12000 = 22",
        "ses cellules ni denses ni semi-denses sont suburbaines ou périurbaines (21)",
        "its cells that are neither dense nor semi-dense are suburban or peri-urban (21)",
    ),
    # -- health_access ---------------------------------------------------------------------
    Wrong(
        "health_access",
        "minutes for metres",
        HEALTH,
        "threshold_m = 2400",
        "threshold_m = 30",
        "durée de marche en minutes",
        "walking time in minutes",
    ),
    Wrong(
        "health_access",
        "kilometres for metres",
        HEALTH,
        "threshold_m = 2400",
        "threshold_m = 2.4",
        "des kilomètres au lieu de mètres",
        "kilometres instead of metres",
    ),
    Wrong(
        "health_access",
        "the school threshold",
        HEALTH,
        "threshold_m = 2400",
        "threshold_m = 1000",
        "c'est le seuil de school_access",
        "that is the threshold of school_access",
    ),
    Wrong(
        "health_access",
        "the share of cells",
        HEALTH,
        "people_within_percent = 80.4",
        "people_within_percent = 31.4",
        "c'est la part des cellules peuplées",
        "that is the share of populated cells",
    ),
    Wrong(
        "health_access",
        "the share within 1000 m",
        HEALTH,
        "people_within_percent = 80.4",
        "people_within_percent = 46.6",
        "le seuil des écoles",
        "the school threshold",
    ),
    Wrong(
        "health_access",
        "the name of the province",
        HEALTH,
        'lowest_province = "04.291"',
        'lowest_province = "Khémisset"',
        "pas le nom",
        "not the name",
    ),
    Wrong(
        "health_access",
        "the plain mean of the communes",
        HEALTH,
        "lowest_province_percent = 62.2",
        "lowest_province_percent = 34.0",
        "c'est la moyenne simple de ses communes",
        "that is the plain mean of its communes",
    ),
    # -- school_seats_2sfca ----------------------------------------------------------------
    Wrong(
        "school_seats_2sfca",
        "< for <=",
        SEATS,
        INSIDE,
        "inside = np.asarray(distance) < catchment_m",
        "utilisez <=, pas <",
        "use <=, not <",
    ),
    Wrong(
        "school_seats_2sfca",
        "people for children",
        SEATS,
        CHILDREN,
        "children = np.asarray(people, dtype=float)",
        "ce sont des places par habitant",
        "these are seats per person",
    ),
    Wrong(
        "school_seats_2sfca",
        "a division by zero for an empty school",
        SEATS,
        "np.asarray(seats, dtype=float), demand, out=np.zeros(len(seats)), where=demand > 0",
        "np.asarray(seats, dtype=float), demand",
        "certaines valeurs sont nan",
        "some values are nan",
    ),
    Wrong(
        "school_seats_2sfca",
        "all the children in step 1",
        SEATS,
        "demand = children @ inside",
        "demand = np.full(len(seats), children.sum())",
        "pas par tous les enfants",
        "not by all the children",
    ),
    Wrong(
        "school_seats_2sfca",
        "a one-step ratio",
        SEATS,
        "return inside @ ratio",
        "return (inside @ np.asarray(seats, dtype=float)) / children",
        "rapport en une étape",
        "one-step ratio",
    ),
    Wrong(
        "school_seats_2sfca",
        "the distances changed in place",
        SEATS,
        INSIDE,
        "distance[distance > catchment_m] = np.inf\n    inside = distance <= catchment_m",
        "a modifié ses entrées",
        "changed its inputs",
    ),
    Wrong(
        "school_seats_2sfca",
        "the school-age share written in the code",
        SEATS,
        CHILDREN,
        "children = np.asarray(people, dtype=float) * 0.2",
        "ce sont les valeurs pour une part de 0.2 : utilisez les arguments",
        "these are the values for a share of 0.2: use the arguments",
    ),
    Wrong(
        "school_seats_2sfca",
        "the catchment written in the code",
        SEATS,
        INSIDE,
        "inside = np.asarray(distance) <= 1000",
        "ce sont les valeurs pour 1000 m : utilisez les arguments catchment_m",
        "these are the values for 1000 m: use the arguments catchment_m",
    ),
    # -- air_quality_11_6_2 ----------------------------------------------------------------
    Wrong(
        "air_quality_11_6_2",
        "weights of 2014",
        PM25,
        'people = measured["population_2024"]',
        'people = measured["population_2014"]',
        "ce sont les habitants de 2014",
        "these are the people of 2014",
    ),
    Wrong(
        "air_quality_11_6_2",
        "the plain mean of the cells",
        PM25,
        PM25_RETURN,
        'return cells.groupby("province")["pm25_2024"].mean()',
        "moyenne simple des concentrations",
        "plain mean of the cells' concentrations",
    ),
    Wrong(
        "air_quality_11_6_2",
        "the mean of the communes",
        PM25,
        PM25_RETURN,
        COMMUNE_MEANS,
        "moyenne des valeurs des communes",
        "mean of the communes' values",
    ),
    Wrong(
        "air_quality_11_6_2",
        "a missing concentration as 0",
        PM25,
        'measured = cells[cells["pm25_2024"].notna()]',
        'measured = cells.fillna({"pm25_2024": 0.0})',
        "comptée à 0 µg/m³",
        "counted as 0 µg/m³",
    ),
    Wrong(
        "air_quality_11_6_2",
        "unmeasured people in the denominator",
        PM25,
        PM25_RETURN,
        'return exposure / cells["population_2024"].groupby(cells["province"]).sum()',
        "gardés au dénominateur",
        "kept in the denominator",
    ),
    Wrong(
        "air_quality_11_6_2",
        "by commune",
        PM25,
        'groupby(measured["province"])',
        'groupby(measured["commune"])',
        "Indexez le résultat par le code",
        "Index the result by the unit code",
    ),
    Wrong(
        "air_quality_11_6_2",
        "the means rounded to one decimal",
        PM25,
        'return exposure / people.groupby(measured["province"]).sum()',
        'return (exposure / people.groupby(measured["province"]).sum()).round(1)',
        "vos valeurs semblent arrondies",
        "your values look rounded",
    ),
    # -- open_space_11_7_1 -----------------------------------------------------------------
    Wrong(
        "open_space_11_7_1",
        "square metres",
        OPEN_SPACE,
        "region_open_land_km2 = 32.66",
        "region_open_land_km2 = 32660000",
        "des m² au lieu de km²",
        "m² instead of km²",
    ),
    Wrong(
        "open_space_11_7_1",
        "the denominator",
        OPEN_SPACE,
        "region_open_land_km2 = 32.66",
        "region_open_land_km2 = 295.66",
        "c'est le dénominateur",
        "that is the denominator",
    ),
    Wrong(
        "open_space_11_7_1",
        "over the building footprint",
        OPEN_SPACE,
        "region_share_percent = 11.0",
        "region_share_percent = 13.8",
        "cela divise par built_up_area",
        "that divides by built_up_area",
    ),
    Wrong(
        "open_space_11_7_1",
        "a fraction for a percentage",
        OPEN_SPACE,
        "region_share_percent = 11.0",
        "region_share_percent = 0.11",
        "une part entre 0 et 1",
        "a share between 0 and 1",
    ),
    Wrong(
        "open_space_11_7_1",
        "false in quotes",
        OPEN_SPACE,
        "reaches_reference = false",
        'reaches_reference = "false"',
        "est un texte : écrivez true ou false sans guillemets",
        "is a text: write true or false without quotes",
    ),
    Wrong(
        "open_space_11_7_1",
        "the plain mean of the provinces",
        OPEN_SPACE,
        "region_access_percent = 28.5",
        "region_access_percent = 26.45",
        "moyenne simple des provinces",
        "plain mean of the provinces",
    ),
    Wrong(
        "open_space_11_7_1",
        "the name of the province",
        OPEN_SPACE,
        'lowest_access_province = "04.481"',
        'lowest_access_province = "Sidi Kacem"',
        "pas le nom",
        "not the name",
    ),
    # -- urban_expansion -------------------------------------------------------------------
    Wrong(
        "urban_expansion",
        "abs(PGR)",
        EXPANSION,
        RATIO,
        "lcrpgr = (lcr / pgr.abs()).where(pgr.abs() >= STABLE_POPULATION_PERCENT)",
        "ne prenez pas abs()",
        "do not take abs()",
    ),
    Wrong(
        "urban_expansion",
        "PGR over LCR",
        EXPANSION,
        RATIO,
        "lcrpgr = (pgr / lcr).where(pgr.abs() >= STABLE_POPULATION_PERCENT)",
        "c'est PGR / LCR",
        "that is PGR / LCR",
    ),
    Wrong(
        "urban_expansion",
        "a ratio for a stable population",
        EXPANSION,
        RATIO,
        "lcrpgr = lcr / pgr",
        "donnez np.nan",
        "give np.nan there",
    ),
    Wrong(
        "urban_expansion",
        "ten years written in the code",
        EXPANSION,
        "years = t2 - t1",
        "years = 10",
        "divisés par 10 ans",
        "divided by 10 years",
    ),
    Wrong(
        "urban_expansion",
        "rates as fractions",
        EXPANSION,
        LCR,
        LCR.replace("100 * np.log", "np.log"),
        "une part entre 0 et 1",
        "a share between 0 and 1",
    ),
    Wrong(
        "urban_expansion",
        "a simple rate",
        EXPANSION,
        LCR,
        'lcr = 100 * (units[f"built_up_km2_{t2}"] / units[f"built_up_km2_{t1}"] - 1) / years',
        "c'est un taux simple",
        "that is a simple rate",
    ),
    Wrong(
        "urban_expansion",
        "the threshold on pgr, not on |pgr|",
        EXPANSION,
        RATIO,
        "lcrpgr = (lcr / pgr).where(pgr >= STABLE_POPULATION_PERCENT)",
        "une population en baisse a aussi un ratio (négatif) : comparez |PGR|",
        "a falling population has a ratio too (a negative one): compare |PGR|",
    ),
    Wrong(
        "urban_expansion",
        "0 for a stable population",
        EXPANSION,
        RATIO,
        "lcrpgr = (lcr / pgr).where(pgr.abs() >= STABLE_POPULATION_PERCENT, 0)",
        "une population stable n'a pas de ratio : donnez np.nan, pas 0",
        "a stable population has no ratio: give np.nan there, not 0",
    ),
    # -- three_year_series -----------------------------------------------------------------
    Wrong(
        "three_year_series",
        "the span as the mean of the steps",
        SERIES,
        "    return {",
        AVERAGED_SPAN,
        "moyenne simple des taux des étapes",
        "plain average of the steps' rates",
    ),
    Wrong(
        "three_year_series",
        "simple rates",
        SERIES,
        RATE,
        "100 * (series[end] - series[start]) / series[start] / (end - start)",
        "c'est un taux simple",
        "that is a simple rate",
    ),
    Wrong(
        "three_year_series",
        "every pair of years",
        SERIES,
        PAIRS + "\n" + SPAN,
        "periods = list(itertools.combinations(years, 2))\n",
        "jamais toutes les paires",
        "never every pair",
    ),
    Wrong(
        "three_year_series",
        "years not sorted",
        SERIES,
        "years = sorted(series)",
        "years = list(series)",
        "dans l'ordre du temps",
        "in time order",
    ),
    Wrong(
        "three_year_series",
        "no whole span",
        SERIES,
        SPAN,
        "",
        "puis la période entière",
        "then the whole span",
    ),
    Wrong(
        "three_year_series",
        "the change of the whole period, not per year",
        SERIES,
        RATE,
        "100 * math.log(series[end] / series[start])",
        "c'est la variation sur toute la période ; un taux est annuel",
        "that is the change over the whole period; a rate is per year",
    ),
    Wrong(
        "three_year_series",
        "the decimal logarithm",
        SERIES,
        RATE,
        "100 * math.log10(series[end] / series[start]) / (end - start)",
        "c'est le logarithme décimal (log10)",
        "that is the decimal logarithm (log10)",
    ),
    Wrong(
        "three_year_series",
        "the compound annual rate",
        SERIES,
        RATE,
        "100 * ((series[end] / series[start]) ** (1 / (end - start)) - 1)",
        "c'est le taux annuel composé",
        "that is the compound annual rate",
    ),
    Wrong(
        "three_year_series",
        "rates rounded to three decimals",
        SERIES,
        RATE,
        "round(100 * math.log(series[end] / series[start]) / (end - start), 3)",
        "1.906 est trop bas : est-ce arrondi ?",
        "1.906 is too low: is it rounded?",
    ),
    # -- street_metrics --------------------------------------------------------------------
    Wrong(
        "street_metrics",
        "degrees",
        STREETS,
        'METRIC_CRS = "EPSG:26191"',
        'METRIC_CRS = "EPSG:4326"',
        "mesuré en degrés",
        "measured in degrees",
    ),
    Wrong(
        "street_metrics",
        "dead ends counted",
        STREETS,
        "if count >= 3",
        "if count != 2",
        "les impasses sont comptées",
        "dead ends are counted",
    ),
    Wrong(
        "street_metrics",
        "every node counted",
        STREETS,
        "if count >= 3",
        "if count >= 1",
        "chaque nœud est compté",
        "every node is counted",
    ),
    Wrong(
        "street_metrics",
        "metres for kilometres",
        STREETS,
        "length_km = float(lines.length.sum()) / 1000",
        "length_km = float(lines.length.sum())",
        "des mètres au lieu de kilomètres",
        "metres instead of kilometres",
    ),
    Wrong(
        "street_metrics",
        "square metres",
        STREETS,
        ".area.sum()) / 1_000_000",
        ".area.sum())",
        "km par m²",
        "km per m²",
    ),
    Wrong(
        "street_metrics",
        "T junctions left out",
        STREETS,
        "if count >= 3",
        "if count > 3",
        "un carrefour en T, où se rejoignent 3 bouts de rue, est aussi une intersection",
        "a T junction, where 3 street ends meet, is an intersection too",
    ),
    Wrong(
        "street_metrics",
        "bends counted",
        STREETS,
        "if count >= 3",
        "if count >= 2",
        "les coudes sont comptés",
        "the bends are counted",
    ),
    Wrong(
        "street_metrics",
        "Web Mercator",
        STREETS,
        'METRIC_CRS = "EPSG:26191"',
        'METRIC_CRS = "EPSG:3857"',
        "c'est mesuré en Web Mercator (EPSG:3857)",
        "that is measured in Web Mercator (EPSG:3857)",
    ),
    Wrong(
        "street_metrics",
        "the streets measured in degrees, the district in metres",
        STREETS,
        "lines = roads.to_crs(METRIC_CRS).geometry",
        "lines = roads.geometry",
        "c'est mesuré en degrés (EPSG:4326)",
        "that is measured in degrees (EPSG:4326)",
    ),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return start_workspace(tmp_path_factory.mktemp("wrong_indicators") / "ws", language="fr")


@pytest.mark.parametrize("wrong", INDICATOR_WRONG_ANSWERS, ids=str)
def test_a_wrong_indicator_answer_is_rejected_with_a_helpful_message(workspace, wrong):
    assert_rejected(workspace, wrong)


def test_each_indicator_exercise_has_at_least_five_wrong_answers():
    counts = {}
    for wrong in INDICATOR_WRONG_ANSWERS:
        counts[wrong.exercise] = counts.get(wrong.exercise, 0) + 1
    assert len(counts) == 8
    assert min(counts.values()) >= 5, counts
