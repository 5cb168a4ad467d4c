"""Checks of module 2 (layers and coordinate systems).

References are computed with the library on the workspace's data: areas with
observatory.kernels.zonal.equal_area_km2 (a Lambert azimuthal equal-area projection centred
on the data), invalid geometries with shapely's validity test, repaired areas from
make_valid's polygonal parts.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from observatory.io.vector import read_layer
from observatory.kernels.zonal import equal_area_km2
from observatory.workshop import CheckFailed, CheckItem
from observatory.workshop.compare import Mistake
from observatory.workshop.compare_series import series_item

PLOTS = "02_layers/survey_plots.geojson"
#: Mollweide areas differ from ellipsoidal ones by about 0.25 % at 34° N: allow 0.5 %.
AREA_TOLERANCE = 0.005
#: South-west corners (longitude, latitude) of the test squares, Lagouira to Oujda.
PROBE_CORNERS = (
    (-17.0, 21.0),
    (-15.9, 23.7),
    (-13.2, 27.1),
    (-9.6, 30.4),
    (-6.8, 34.0),
    (-5.8, 35.7),
    (-1.9, 34.7),
    (-1.2, 32.1),
)
#: On the squares Mollweide errs by up to 0.50 % (at 21° N); UTM 29N by 1.6 %, UTM 30N by
#: 5.3 %, Lambert Nord Maroc (EPSG:26191) by 4.4 %, Web Mercator by 15 to 52 %.
PROBE_TOLERANCE = 0.008
CONFORMAL_EN = (
    "The check also measures squares spread over Morocco: a conformal CRS (UTM, Web Mercator "
    "EPSG:3857, Lambert Nord Maroc EPSG:26191) keeps angles, not areas, and its error grows "
    "away from its centre. Use an equal-area CRS (ESRI:54009, EPSG:6933) or geodesic areas, "
    "and compute from the layer you are given."
)
CONFORMAL_FR = (
    "La vérification mesure aussi des carrés répartis sur le Maroc : un SCR conforme (UTM, "
    "Web Mercator EPSG:3857, Lambert Nord Maroc EPSG:26191) conserve les angles, pas les "
    "surfaces, et son erreur croît loin de son centre. Utilisez un SCR à surfaces égales "
    "(ESRI:54009, EPSG:6933) ou des surfaces géodésiques, et calculez à partir de la couche "
    "reçue."
)

#: What a repair with buffer(0) is told: it keeps one loop of a bow tie, half its area.
BUFFER_ZERO = (
    "these are the areas of buffer(0), which keeps one triangle of the bow tie P2 and loses "
    "the other: repair with make_valid(), which keeps both.",
    "ce sont les surfaces de buffer(0), qui garde un triangle du nœud papillon P2 et perd "
    "l'autre : réparez avec make_valid(), qui garde les deux.",
)


def _probe(communes):
    """0.1° squares from Lagouira to Oujda, shaped like the communes layer, whose
    ``area_km2`` field holds a stale 1.0: a conformal CRS errs by 1 to 50 % on some of them,
    and a function copying the field gives 1.0."""
    probe = communes.iloc[: len(PROBE_CORNERS)].copy()
    probe["code"] = [f"T{number}" for number in range(1, len(PROBE_CORNERS) + 1)]
    probe["area_km2"] = 1.0
    squares = [shapely.box(x, y, x + 0.1, y + 0.1) for x, y in PROBE_CORNERS]
    return probe.set_geometry(gpd.GeoSeries(squares, index=probe.index, crs="EPSG:4326"))


def _areas_item(areas, layer, *, label_en, label_fr, tolerance):
    expected = pd.Series(equal_area_km2(layer.geometry), index=layer["code"].astype(str))
    copied = Mistake(
        pd.Series(layer["area_km2"].to_numpy(), index=expected.index),
        "these are the values of the layer's own area_km2 field, not areas you measured; a "
        "stored field may be out of date or computed in another CRS: measure the geometries.",
        "ce sont les valeurs du champ area_km2 de la couche, pas des surfaces mesurées ; un "
        "champ enregistré peut être périmé ou calculé dans un autre SCR : mesurez les "
        "géométries.",
    )
    return series_item(label_en, label_fr, areas, expected, rel=tolerance, mistakes=[copied])


def check_commune_areas(context):
    """The trainee's areas match equal-area km² within 0.5 %, on the communes and on squares
    spread over Morocco (0.8 %: where a conformal CRS errs by more than 1 %); square degrees
    and the layer's own area_km2 field are spotted."""
    communes = read_layer(context.data / "units.gpkg", layer="communes")
    module = context.load_module("02_layers/areas.py")
    with warnings.catch_warnings():  # areas in degrees are told below, in the course language
        warnings.filterwarnings("ignore", "Geometry is in a geographic CRS", UserWarning)
        areas = module.commune_areas(communes.copy())
    numbers = pd.to_numeric(areas, errors="coerce") if isinstance(areas, pd.Series) else None
    if numbers is not None and numbers.notna().any() and float(numbers.max()) < 1.0:
        raise CheckFailed(
            "Every area is below 1: these look like square degrees. Project to an equal-area "
            "CRS before measuring.",
            "Toutes les surfaces sont inférieures à 1 : ce sont sans doute des degrés carrés. "
            "Projetez dans un SCR à surfaces égales avant de mesurer.",
        )
    items = [
        _areas_item(
            areas,
            communes,
            label_en="Commune areas (km²)",
            label_fr="Surfaces des communes (km²)",
            tolerance=AREA_TOLERANCE,
        )
    ]
    probe = _probe(communes)
    far = _areas_item(
        module.commune_areas(probe.copy()),
        probe,
        label_en="Areas of test squares from Lagouira to Oujda (km²)",
        label_fr="Surfaces de carrés de test de Lagouira à Oujda (km²)",
        tolerance=PROBE_TOLERANCE,
    )
    if not far.passed and "area_km2" not in far.message_en:
        far = CheckItem(
            False, f"{far.message_en} {CONFORMAL_EN}", f"{far.message_fr} {CONFORMAL_FR}"
        )
    return [*items, far]


def _polygonal_area_km2(geometries) -> np.ndarray:
    """Area of the polygonal parts of each geometry (lines and points have none)."""
    parts, owners = shapely.get_parts(geometries.values, return_index=True)
    polygonal = np.isin(shapely.get_type_id(parts), (3, 6))  # Polygon, MultiPolygon
    series = gpd.GeoSeries(parts[polygonal], crs=geometries.crs)
    return np.bincount(owners[polygonal], equal_area_km2(series), minlength=len(geometries))


def _named_invalid(module, plots):
    named = module.invalid_plots(plots.copy())
    return (
        [str(plot) for plot in named]
        if isinstance(named, list | tuple | pd.Series | np.ndarray)
        else named
    )


def _invalid_item(module, plots):
    """Are the plots named invalid the invalid ones, also on the same plots in the reverse
    order under other ids (so that a list written by hand is spotted)?"""
    expected = plots.loc[~plots.is_valid, "plot_id"].astype(str).tolist()
    named = _named_invalid(module, plots)
    if named != expected:
        return (
            False,
            f"You named {named!r} as invalid; look again at every plot's validity (plot_id "
            "of the invalid rows, in the order of the layer).",
            f"Vous nommez {named!r} ; revoyez la validité de chaque parcelle (les plot_id des "
            "lignes invalides, dans l'ordre de la couche).",
        )
    renamed = plots.iloc[::-1].copy()
    renamed["plot_id"] = "X-" + renamed["plot_id"].astype(str)
    expected_renamed = renamed.loc[~renamed.is_valid, "plot_id"].tolist()
    if _named_invalid(module, renamed) != expected_renamed:
        return (
            False,
            "On the same plots in the reverse order with other ids, your function does not "
            "name the invalid ones: compute the list from the layer (is_valid), do not write "
            "it by hand.",
            "Sur les mêmes parcelles dans l'ordre inverse avec d'autres identifiants, votre "
            "fonction ne nomme pas les invalides : calculez la liste à partir de la couche "
            "(is_valid), ne l'écrivez pas à la main.",
        )
    return (
        True,
        "The invalid plots are the ones you named.",
        "Les parcelles invalides sont bien celles que vous nommez.",
    )


def check_repair_geometries(context):
    """The invalid plots are named; every repaired plot is a valid polygon with its area kept."""
    plots = read_layer(context.path(PLOTS))
    module = context.load_module("02_layers/repair.py")
    items = [_invalid_item(module, plots)]
    repaired = module.repair_plots(plots.copy())
    if len(repaired) != len(plots) or list(repaired["plot_id"]) != list(plots["plot_id"]):
        raise CheckFailed(
            f"The repaired layer must keep the {len(plots)} plots in their order.",
            f"La couche réparée doit garder les {len(plots)} parcelles dans leur ordre.",
        )
    types = repaired.geometry.geom_type
    polygonal = types.isin(["Polygon", "MultiPolygon"])
    items.append(
        (
            bool(repaired.is_valid.all() and polygonal.all()),
            "Every repaired plot is a valid polygon.",
            "Chaque parcelle réparée est un polygone valide.",
        )
        if repaired.is_valid.all() and polygonal.all()
        else (
            False,
            "Some plots are still invalid or not polygons: "
            f"{repaired.loc[~(repaired.is_valid & polygonal), 'plot_id'].tolist()}.",
            "Certaines parcelles sont encore invalides ou ne sont pas des polygones : "
            f"{repaired.loc[~(repaired.is_valid & polygonal), 'plot_id'].tolist()}.",
        )
    )
    expected_area = pd.Series(
        _polygonal_area_km2(plots.geometry.make_valid()), index=plots["plot_id"]
    )
    got_area = pd.Series(equal_area_km2(repaired.geometry), index=repaired["plot_id"])
    buffered = pd.Series(equal_area_km2(plots.geometry.buffer(0)), index=plots["plot_id"])
    items.append(
        series_item(
            "Areas kept (km²)",
            "Surfaces conservées (km²)",
            got_area,
            expected_area,
            mistakes=[Mistake(buffered, *BUFFER_ZERO)],
        )
    )
    return items
