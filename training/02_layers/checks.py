"""Checks of module 2 (layers and coordinate systems).

References are computed with the library on the workspace's data: areas with
observatory.kernels.zonal.equal_area_km2 (a Lambert azimuthal equal-area projection centred
on the data), invalid geometries with shapely's validity test, repaired areas from
make_valid's polygonal parts.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from observatory.io.vector import read_layer
from observatory.kernels.zonal import equal_area_km2
from observatory.workshop import CheckFailed
from observatory.workshop.compare import series_item

PLOTS = "02_layers/survey_plots.geojson"
#: Mollweide areas differ from ellipsoidal ones by about 0.25 % at 34° N: allow 0.5 %.
AREA_TOLERANCE = 0.005


def check_commune_areas(context):
    """The trainee's areas match equal-area km² within 0.5 %; square degrees are spotted."""
    communes = read_layer(context.data / "units.gpkg", layer="communes")
    expected = pd.Series(equal_area_km2(communes.geometry), index=communes["code"].astype(str))
    areas = context.load_module("02_layers/areas.py").commune_areas(communes.copy())
    if isinstance(areas, pd.Series) and len(areas) and float(np.nanmax(areas.to_numpy())) < 1.0:
        raise CheckFailed(
            "Every area is below 1: these look like square degrees. Project to an equal-area "
            "CRS before measuring.",
            "Toutes les surfaces sont inférieures à 1 : ce sont sans doute des degrés carrés. "
            "Projetez dans un SCR à surfaces égales avant de mesurer.",
        )
    return [
        series_item(
            "Commune areas (km²)",
            "Surfaces des communes (km²)",
            areas,
            expected,
            rel=AREA_TOLERANCE,
        )
    ]


def _polygonal_area_km2(geometries) -> np.ndarray:
    """Area of the polygonal parts of each geometry (lines and points have none)."""
    parts, owners = shapely.get_parts(geometries.values, return_index=True)
    polygonal = np.isin(shapely.get_type_id(parts), (3, 6))  # Polygon, MultiPolygon
    series = gpd.GeoSeries(parts[polygonal], crs=geometries.crs)
    return np.bincount(owners[polygonal], equal_area_km2(series), minlength=len(geometries))


def check_repair_geometries(context):
    """The invalid plots are named; every repaired plot is a valid polygon with its area kept."""
    plots = read_layer(context.path(PLOTS))
    module = context.load_module("02_layers/repair.py")
    expected_invalid = plots.loc[~plots.is_valid, "plot_id"].tolist()
    named = module.invalid_plots(plots.copy())
    items = [
        (
            list(named) == expected_invalid,
            "The invalid plots are the ones you named."
            if list(named) == expected_invalid
            else f"You named {list(named)} as invalid; look again at every plot's validity.",
            "Les parcelles invalides sont bien celles que vous nommez."
            if list(named) == expected_invalid
            else f"Vous nommez {list(named)} ; revoyez la validité de chaque parcelle.",
        )
    ]
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
    items.append(
        series_item("Areas kept (km²)", "Surfaces conservées (km²)", got_area, expected_area)
    )
    return items
