"""Checks of module 10 (growth: expansion rates, series, streets).

``urban_expansion`` calls the trainee's table function on the sample's provinces and region
(built-up area and population of 2014 and 2024 from one engine run, the province whose
population falls included) and on a hand-made table over 5 years (units of very different
sizes, a falling and a stable population); the reference is computed with the library's
:func:`~observatory.indicators.rates.log_growth_rate_percent` and its stable-population
threshold. ``three_year_series`` compares the trainee's periods and rates with
:func:`~observatory.plan.change_periods` and the same log rate, on the hand seed of the
method page and on random series (a new draw each time). ``street_metrics`` measures the
workspace's streets and a random district (a new draw each time) with the library's street
graph (:func:`~observatory.kernels.network.noding.build_network`,
:func:`~observatory.kernels.network.metrics.consolidated_intersections`) and geodesic lengths
and areas.
"""

from __future__ import annotations

import itertools
import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry import LineString, box

from observatory.engine import run
from observatory.indicators.landuse import STABLE_RATES
from observatory.indicators.rates import log_growth_rate_percent
from observatory.io.vector import read_layer
from observatory.kernels.network.metrics import consolidated_intersections
from observatory.kernels.network.noding import build_network
from observatory.plan import change_periods
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Answer, Mistake, answer_items, number_item
from observatory.workshop.compare_series import series_item

T1, T2 = 2014, 2024
STABLE_PERCENT = next(p.default for p in STABLE_RATES if p.name == "stable_population_rate")
ABSOLUTE = (
    "a falling population has a negative PGR and the ratio keeps its sign; do not take abs().",
    "une population qui baisse a un PGR négatif et le ratio garde son signe ; ne prenez pas abs().",
)
SWAPPED = (
    "that is PGR / LCR: the ratio is the land consumption rate over the population growth rate.",
    "c'est PGR / LCR : le ratio est le taux de consommation du sol sur le taux de croissance "
    "de la population.",
)
SIMPLE = (
    "that is a simple rate ((end − start) / start / years); use the log form, "
    "100 × ln(end / start) / years.",
    "c'est un taux simple ((fin − début) / début / années) ; utilisez la forme logarithmique, "
    "100 × ln(fin / début) / années.",
)
NOT_PER_YEAR = (
    "that is the change over the whole period; a rate is per year: divide by the period's "
    "length, end − start.",
    "c'est la variation sur toute la période ; un taux est annuel : divisez par la durée de "
    "la période, fin − début.",
)
DECIMAL_LOG = (
    "that is the decimal logarithm (log10); the log form uses the natural logarithm, math.log.",
    "c'est le logarithme décimal (log10) ; la forme logarithmique utilise le logarithme "
    "népérien, math.log.",
)
COMPOUND = (
    "that is the compound annual rate ((end / start)^(1 / years) − 1); Observatory uses the "
    "log form, 100 × ln(end / start) / years.",
    "c'est le taux annuel composé ((fin / début)^(1 / années) − 1) ; Observatory utilise la "
    "forme logarithmique, 100 × ln(fin / début) / années.",
)
TEN_YEARS = (
    "these rates are divided by 10 years; divide by the length of the period, t2 − t1.",
    "ces taux sont divisés par 10 ans ; divisez par la durée de la période, t2 − t1.",
)


# -- urban_expansion ---------------------------------------------------------------------------
def _sample_units(project_file):
    """Built-up (km²) and population of 2014 and 2024 of the provinces and the region."""
    table = run(
        load_project(project_file),
        indicator_ids=["built_up_area", "population"],
        levels=["region", "province"],
    ).long_table()
    columns = {}
    for indicator, prefix in (("built_up_area", "built_up_km2"), ("population", "population")):
        rows = table[table["indicator"] == indicator]
        wide = rows.pivot(index="unit_id", columns="period", values="value")
        for year in (T1, T2):
            columns[f"{prefix}_{year}"] = wide[str(year)].astype(float)
    return pd.DataFrame(columns)


def _hand_units():
    """Five years, units of very different sizes: growing, falling, stable, shrinking land."""
    return pd.DataFrame(
        {
            "built_up_km2_2015": [2.0, 150.0, 12.0, 40.0, 0.5],
            "built_up_km2_2020": [2.6, 165.0, 13.0, 39.0, 0.9],
            "population_2015": [8_000.0, 2_400_000.0, 90_000.0, 300_000.0, 1_500.0],
            "population_2020": [9_500.0, 2_300_000.0, 90_100.0, 330_000.0, 2_100.0],
        },
        index=pd.Index(["H.01", "H.02", "H.03", "H.04", "H.05"], name="unit_id"),
    )


def _rates(units, t1, t2, years=None, simple=False):
    """LCR, PGR (% per year) and LCRPGR as Observatory computes them (or a wrong variant)."""
    years = t2 - t1 if years is None else years

    def rate(prefix):
        start, end = units[f"{prefix}_{t1}"], units[f"{prefix}_{t2}"]
        if simple:
            return 100 * (end - start) / start / years
        return pd.Series(log_growth_rate_percent(start, end, years), index=units.index)

    lcr, pgr = rate("built_up_km2"), rate("population")
    ratio = (lcr / pgr).where(pgr.abs() >= STABLE_PERCENT)
    return lcr, pgr, ratio


def _growth_items(function, units, t1, t2, label_en, label_fr):
    got = function(units.copy(), t1, t2)
    if not isinstance(got, pd.DataFrame) or not {"lcr", "pgr", "lcrpgr"} <= set(got.columns):
        raise CheckFailed(
            "growth_table must return a pandas DataFrame with the columns lcr, pgr and lcrpgr.",
            "growth_table doit renvoyer un DataFrame pandas avec les colonnes lcr, pgr et lcrpgr.",
        )
    lcr, pgr, ratio = _rates(units, t1, t2)
    simple = _rates(units, t1, t2, simple=True)
    ten = _rates(units, t1, t2, years=10.0)
    columns = (
        ("lcr", "LCR (% per year)", "LCR (% par an)", lcr, 0),
        ("pgr", "PGR (% per year)", "PGR (% par an)", pgr, 1),
    )
    items = []
    for column, name_en, name_fr, expected, position in columns:
        mistakes = [Mistake(simple[position], *SIMPLE)]
        if t2 - t1 != 10:
            mistakes.append(Mistake(ten[position], *TEN_YEARS))
        items.append(
            series_item(
                f"{name_en}, {label_en}",
                f"{name_fr}, {label_fr}",
                got[column],
                expected,
                rel=1e-9,
                mistakes=mistakes,
            )
        )
    items.append(
        series_item(
            f"LCRPGR, {label_en}",
            f"LCRPGR, {label_fr}",
            got["lcrpgr"],
            ratio,
            rel=1e-9,
            mistakes=[
                Mistake(ratio.abs(), *ABSOLUTE),
                Mistake(1 / ratio, *SWAPPED),
                Mistake((lcr / pgr.abs()).where(pgr.abs() >= STABLE_PERCENT), *ABSOLUTE),
                Mistake(
                    lcr / pgr,
                    f"where |PGR| < {STABLE_PERCENT} % per year the population is stable and "
                    "the ratio has no value: give np.nan there.",
                    f"là où |PGR| < {STABLE_PERCENT} % par an, la population est stable et le "
                    "ratio n'a pas de valeur : donnez np.nan.",
                ),
                Mistake(
                    (lcr / pgr).where(pgr >= STABLE_PERCENT),
                    "a falling population has a ratio too (a negative one): compare |PGR| with "
                    f"{STABLE_PERCENT} % per year, pgr.abs(), not pgr.",
                    "une population en baisse a aussi un ratio (négatif) : comparez |PGR| à "
                    f"{STABLE_PERCENT} % par an, pgr.abs(), pas pgr.",
                ),
                Mistake(
                    (lcr / pgr).where(pgr.abs() >= STABLE_PERCENT, 0.0),
                    "a stable population has no ratio: give np.nan there, not 0 (0 would be "
                    "published as a value).",
                    "une population stable n'a pas de ratio : donnez np.nan, pas 0 (0 serait "
                    "publié comme une valeur).",
                ),
            ],
        )
    )
    return items


def check_urban_expansion(context):
    """LCR, PGR and LCRPGR of the sample's provinces and region (2014-2024) and of a
    hand-made table (2015-2020), relative 1e-9; nan where |PGR| < 0.1 %/yr."""
    function = context.load_module("10_growth/expansion.py").growth_table
    sample = context.shared("growth_units", lambda: _sample_units(context.project_file))
    if not (sample[f"population_{T2}"] < sample[f"population_{T1}"]).any():
        raise CheckFailed(
            "This exercise expects a unit of the sample whose population falls.",
            "Cet exercice attend une unité de l'exemple dont la population baisse.",
        )
    return [
        *_growth_items(
            function,
            sample,
            T1,
            T2,
            "provinces and region 2014-2024",
            "provinces et région 2014-2024",
        ),
        *_growth_items(
            function,
            _hand_units(),
            2015,
            2020,
            "hand-made units 2015-2020",
            "unités faites à la main 2015-2020",
        ),
    ]


# -- three_year_series -------------------------------------------------------------------------
HAND_SERIES = {2000: 100.0, 2005: 110.0, 2015: 121.0}


def _expected_rates(series):
    years = sorted(series)
    return {
        period.label: float(
            log_growth_rate_percent(
                np.array([series[period.start]]), np.array([series[period.end]]), period.years
            )[0]
        )
        for period in change_periods(years)
    }


def _series_mistakes(series, label):
    """Wrong rates of the period ``label`` of ``series``, each with its explanation."""
    start, end = (int(year) for year in label.split("_"))
    years = sorted(series)
    ratio, length = series[end] / series[start], end - start
    mistakes = [
        Mistake(100 * (ratio - 1) / length, *SIMPLE),
        Mistake(100 * math.log(ratio), *NOT_PER_YEAR),
        Mistake(100 * math.log10(ratio) / length, *DECIMAL_LOG),
        Mistake(100 * (ratio ** (1 / length) - 1), *COMPOUND),
    ]
    if (start, end) == (years[0], years[-1]) and len(years) >= 3:
        steps = [
            100 * math.log(series[b] / series[a]) / (b - a) for a, b in itertools.pairwise(years)
        ]
        mistakes.append(
            Mistake(
                float(np.mean(steps)),
                "that is the plain average of the steps' rates; the steps have different "
                "lengths: compute the span from its two ends (or weight each step by its "
                "years).",
                "c'est la moyenne simple des taux des étapes ; les étapes n'ont pas la même "
                "durée : calculez la période entière à partir de ses deux bouts (ou pondérez "
                "chaque étape par ses années).",
            )
        )
    return mistakes


def _periods_item(label_en, label_fr, got, expected):
    if not isinstance(got, dict):
        return (
            False,
            f'{label_en}: growth_rates must return a dict {{"START_END": rate}}, not '
            f"{type(got).__name__}.",
            f'{label_fr} : growth_rates doit renvoyer un dict {{"DÉBUT_FIN": taux}}, pas '
            f"{type(got).__name__}.",
        )
    keys = [str(key) for key in got]
    if keys == list(expected):
        return (
            True,
            f"{label_en}: the periods are right.",
            f"{label_fr} : les périodes sont justes.",
        )
    count = len(expected)
    expected_en = "1 is expected" if count == 1 else f"{count} are expected"
    expected_fr = "1 est attendue" if count == 1 else f"{count} sont attendues"
    return (
        False,
        f"{label_en}: periods {keys} where {expected_en}: each pair of consecutive "
        "years in time order, then the whole span (from three years on), named START_END; "
        "never every pair.",
        f"{label_fr} : les périodes {keys} alors que {expected_fr} : chaque paire "
        "d'années consécutives dans l'ordre du temps, puis la période entière (dès trois "
        "années), nommées DÉBUT_FIN ; jamais toutes les paires.",
    )


def _series_items(function, series, label_en, label_fr):
    given = dict(series)
    got = function(given)
    expected = _expected_rates(series)
    periods = _periods_item(label_en, label_fr, got, expected)
    items = [periods]
    if not periods[0]:
        return items
    got = {str(key): value for key, value in got.items()}
    for label, rate in expected.items():
        items.append(
            number_item(
                f"{label_en}, {label} (% per year)",
                f"{label_fr}, {label} (% par an)",
                got[label],
                rate,
                rel=1e-9,
                mistakes=_series_mistakes(series, label),
            )
        )
    return items


def _random_series(generator):
    """Four years with uneven gaps, listed out of time order."""
    years = sorted(int(y) for y in generator.choice(np.arange(1990, 2031), 4, replace=False))
    values = generator.uniform(1_000.0, 200_000.0, 4).round()
    series = dict(zip(years, values.tolist(), strict=True))
    return dict(reversed(list(series.items())))


def check_three_year_series(context):
    """The hand seed of the method page (2000, 2005, 2015), the same seed listed out of
    order, two years alone (one period) and a random series of four years out of order (3
    steps and the span, not 6 pairs), each against the library's periods and log rates."""
    function = context.load_module("10_growth/series.py").growth_rates
    shuffled = {2015: 121.0, 2000: 100.0, 2005: 110.0}
    return [
        *_series_items(function, HAND_SERIES, "Seed 100, 110, 121", "Cas 100, 110, 121"),
        *_series_items(
            function, shuffled, "The seed, years out of order", "Le cas, années dans le désordre"
        )[:1],
        *_series_items(function, {2014: 4580.0, 2024: 5133.0}, "Two years", "Deux années"),
        *_series_items(
            function,
            _random_series(np.random.default_rng()),
            "Random series of 4 years",
            "Série de 4 années au hasard",
        ),
    ]


# -- street_metrics ----------------------------------------------------------------------------
METRIC_CRS = "EPSG:26191"
GEOD = Geod(ellps="WGS84")
DEGREES = (
    "that is measured in degrees (EPSG:4326): reproject both layers to a CRS in metres "
    "(e.g. EPSG:26191) before measuring.",
    "c'est mesuré en degrés (EPSG:4326) : reprojetez les deux couches dans un SCR en "
    "mètres (p. ex. EPSG:26191) avant de mesurer.",
)
PER_M2 = (
    "that is km per m²: divide the area in m² by 1,000,000 to get km².",
    "ce sont des km par m² : divisez la surface en m² par 1 000 000 pour avoir des km².",
)
DEAD_ENDS = (
    "dead ends are counted: a node with 1 street end is a dead end, not an "
    "intersection; keep the nodes with at least 3 ends.",
    "les impasses sont comptées : un nœud avec 1 bout de rue est une impasse, "
    "pas une intersection ; gardez les nœuds avec au moins 3 bouts.",
)
EVERY_NODE = (
    "every node is counted; an intersection has at least 3 street ends (not "
    "a dead end, not a bend).",
    "chaque nœud est compté ; une intersection a au moins 3 bouts de rue (pas "
    "une impasse, pas un coude).",
)
MERCATOR = (
    "that is measured in Web Mercator (EPSG:3857), which stretches lengths by about 20 % and "
    "areas by about 45 % at Rabat's latitude: use a CRS made for the region, EPSG:26191.",
    "c'est mesuré en Web Mercator (EPSG:3857), qui allonge les longueurs d'environ 20 % et "
    "les surfaces d'environ 45 % à la latitude de Rabat : utilisez un SCR fait pour la "
    "région, EPSG:26191.",
)
MORE_THAN_THREE = (
    "a T junction, where 3 street ends meet, is an intersection too: keep the nodes with at "
    "least 3 ends (>= 3, not > 3).",
    "un carrefour en T, où se rejoignent 3 bouts de rue, est aussi une intersection : gardez "
    "les nœuds avec au moins 3 bouts (>= 3, pas > 3).",
)
BENDS = (
    "the bends are counted: a node with 2 street ends is a bend or a plain vertex, not an "
    "intersection; keep the nodes with at least 3 ends.",
    "les coudes sont comptés : un nœud avec 2 bouts de rue est un coude ou un simple sommet, "
    "pas une intersection ; gardez les nœuds avec au moins 3 bouts.",
)
#: What street_metrics returns: its key and labels, the key of the same measure made in
#: degrees in :func:`_street_reference` with the factor of degrees taken for metres, and the
#: other expected mistakes (their key there, what they are told).
STREET_MEASURES = (
    (
        "street_density",
        "Street density (km/km²)",
        "Densité de rues (km/km²)",
        ("degrees", 1000),
        (("per_m2", PER_M2), ("lines_in_degrees", DEGREES), ("mercator_streets", MERCATOR)),
    ),
    (
        "intersection_density",
        "Intersection density (per km²)",
        "Densité d'intersections (par km²)",
        ("intersections_in_degrees", 1e6),
        (
            ("dead_ends", DEAD_ENDS),
            ("every_node", EVERY_NODE),
            ("more_than_three", MORE_THAN_THREE),
            ("bends", BENDS),
            ("mercator_intersections", MERCATOR),
        ),
    ),
)


def _street_reference(roads, zone):
    """Geodesic km / km², intersections (library graph) / km², and the usual mistakes."""
    area_km2 = sum(abs(GEOD.geometry_area_perimeter(g)[0]) for g in zone.geometry) / 1e6
    length_km = sum(GEOD.geometry_length(g) for g in roads.geometry) / 1e3
    network = build_network(roads.to_crs(METRIC_CRS).geometry, excluded_classes=())
    intersections = len(consolidated_intersections(network))
    degree = network.node_degree
    square_degrees = float(shapely.area(zone.geometry.values).sum())
    mercator_area_km2 = float(zone.to_crs("EPSG:3857").geometry.area.sum()) / 1e6
    mercator_length_km = float(roads.to_crs("EPSG:3857").geometry.length.sum()) / 1e3
    return {
        "street_density": length_km / area_km2,
        "intersection_density": intersections / area_km2,
        "degrees": float(shapely.length(roads.geometry.values).sum()) / square_degrees,
        "dead_ends": int(((degree == 1) | (degree >= 3)).sum()) / area_km2,
        "every_node": int((degree > 0).sum()) / area_km2,
        "more_than_three": int((degree > 3).sum()) / area_km2,
        "bends": int((degree >= 2).sum()) / area_km2,
        "lines_in_degrees": float(shapely.length(roads.geometry.values).sum()) / 1e3 / area_km2,
        "mercator_streets": mercator_length_km / mercator_area_km2,
        "mercator_intersections": intersections / mercator_area_km2,
        "intersections_in_degrees": intersections / square_degrees,
        "per_m2": length_km / (area_km2 * 1e6),
    }


def _random_district(generator):
    """A grid of streets with random gaps and dead ends, somewhere in the region, in degrees."""
    columns, rows = int(generator.integers(4, 8)), int(generator.integers(3, 6))
    spacing_x, spacing_y = generator.uniform(120.0, 400.0, 2)
    x0 = 330_000.0 + generator.uniform(0, 80_000.0)
    y0 = 340_000.0 + generator.uniform(0, 80_000.0)
    node = {
        (i, j): (x0 + i * spacing_x, y0 + j * spacing_y)
        for i in range(columns)
        for j in range(rows)
    }
    lines = []
    for (i, j), start in node.items():
        for neighbour in ((i + 1, j), (i, j + 1)):
            if neighbour in node and generator.random() > 0.2:
                lines.append(LineString([start, node[neighbour]]))
    keys = list(node)
    for chosen in generator.choice(len(keys), int(generator.integers(1, 4)), replace=False):
        x, y = node[keys[chosen]]  # a diagonal dead end: it never lies along a street
        lines.append(LineString([(x, y), (x + 37.0, y + 53.0)]))
    width, height = (columns - 1) * spacing_x, (rows - 1) * spacing_y
    outline = box(x0 - 100.0, y0 - 100.0, x0 + width + 100.0, y0 + height + 100.0)
    roads = gpd.GeoDataFrame(geometry=lines, crs=METRIC_CRS).to_crs("EPSG:4326")
    zone = gpd.GeoDataFrame(geometry=[outline], crs=METRIC_CRS).to_crs("EPSG:4326")
    return roads, zone


def _street_items(function, roads, zone, label_en, label_fr):
    with warnings.catch_warnings():
        # measuring in degrees is told below, in words, rather than by geopandas' warning
        warnings.filterwarnings("ignore", message="Geometry is in a geographic CRS")
        got = function(roads.copy(), zone.copy())
    if not isinstance(got, dict):
        raise CheckFailed(
            "street_metrics must return a dict with street_density and intersection_density.",
            "street_metrics doit renvoyer un dict avec street_density et intersection_density.",
        )
    facts = _street_reference(roads, zone)
    return answer_items(
        got,
        [
            Answer(
                name,
                f"{name_en}, {label_en}",
                f"{name_fr}, {label_fr}",
                facts[name],
                rel=2e-3,
                mistakes=[
                    # degrees as they are, or "converted" as if they were metres
                    Mistake(facts[in_degrees], *DEGREES),
                    Mistake(facts[in_degrees] * as_if_metres, *DEGREES),
                    *(Mistake(facts[key], *messages) for key, messages in others),
                ],
            )
            for name, name_en, name_fr, (in_degrees, as_if_metres), others in STREET_MEASURES
        ],
    )


def check_street_metrics(context):
    """Street and intersection densities (relative 2e-3: any CRS in metres of the region
    will do) of the workspace's district and of a random one, against geodesic measures and
    the library's intersections."""
    function = context.load_module("10_growth/streets.py").street_metrics
    roads = read_layer(context.path("10_growth/streets.geojson"))
    zone = read_layer(context.path("10_growth/zone.geojson"))
    random_roads, random_zone = _random_district(np.random.default_rng())
    return [
        *_street_items(
            function, roads, zone, "the district of the exercise", "le quartier de l'exercice"
        ),
        *_street_items(
            function, random_roads, random_zone, "a random district", "un quartier au hasard"
        ),
    ]
