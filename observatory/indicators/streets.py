"""Street indicators: street density, intersection density, land allocated to streets, and
SDG 11.7.1 (share of open public space and streets in the built-up area).

The street graph is the one of :mod:`observatory.indicators.walking` (the ``roads`` layer
noded at true crossings, bridges and tunnels joined only at their ends, line ends within 1 m
merged), measured in the roads' projected CRS (or their local UTM zone). Street density and
street land count every road class (motorways take land too); intersection density uses the
walking network (motorways excluded) so that interchanges do not count as intersections.
Unit areas are geodesic areas on the WGS 84 ellipsoid (:meth:`Inputs.area_km2`); street
lengths, measured in the distance CRS, are brought to the ellipsoid by that CRS's scale at
each unit (:func:`length_scale`), exact for a conformal CRS (UTM, a national Lambert).

Sources: UN-Habitat (2013) *Streets as Public Spaces and Drivers of Urban Prosperity*
(street connectivity index: land allocated to streets, street density, intersection
density); UN-Habitat (2014) *A New Strategy of Sustainable Neighbourhood Planning: Five
Principles* (≥ 30 % of land in streets, ≥ 18 km of streets per km²); GHSCI "clean
intersections 12 m"; OSMnx ``basic_stats`` (intersections = nodes with ≥ 3 street ends).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio.features
import shapely
import shapely.geometry

from observatory.errors import ParameterError
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import METRES, SHARE, Parameter, Period, indicator
from observatory.indicators.urban_extent import (
    EXTENT_PARAMETERS,
    surfaces_km2,
    urban_extent_of,
)
from observatory.indicators.walking import (
    network_key,
    street_parameters,
    walking_network,
    working_crs,
)
from observatory.kernels.grid import Grid, row_blocks
from observatory.kernels.network import (
    DEFAULT_EXCLUDED_CLASSES,
    clipped_length_by_unit,
    consolidated_intersections,
    count_points_by_unit,
)
from observatory.kernels.zonal import equal_area_km2

M2_PER_KM2 = 1_000_000.0

#: Carriageway widths (m) by road class (OSM ``highway`` values). Observatory defaults, not a
#: standard: typical lane counts × 3.5 m lanes (plus shoulders on motorways and trunks), to be
#: replaced by the local road design standards through the ``widths_m`` parameter.
DEFAULT_WIDTHS_M = {
    "motorway": 25.0,
    "motorway_link": 8.0,
    "trunk": 20.0,
    "trunk_link": 8.0,
    "primary": 14.0,
    "primary_link": 7.0,
    "secondary": 10.5,
    "secondary_link": 7.0,
    "tertiary": 7.0,
    "tertiary_link": 7.0,
    "unclassified": 7.0,
    "residential": 7.0,
    "living_street": 6.0,
    "service": 5.0,
    "pedestrian": 5.0,
    "track": 3.5,
    "footway": 2.0,
    "path": 2.0,
    "cycleway": 2.0,
    "steps": 2.0,
}
DEFAULT_WIDTH_M = 7.0


def _width_parameters() -> tuple[Parameter, ...]:
    return (
        Parameter(
            "widths_m",
            {},
            "carriageway width (m) per road class, overriding the defaults "
            + ", ".join(f"{name} {width:g}" for name, width in DEFAULT_WIDTHS_M.items()),
            **(METRES | {"kind": "numbers"}),
        ),
        Parameter(
            "default_width_m", DEFAULT_WIDTH_M, "width (m) of the other road classes", **METRES
        ),
    )


def units_in_working_crs(inputs: Inputs) -> np.ndarray:
    """The finest units as shapely polygons in the distance CRS (computed once)."""
    return inputs.cached(
        "units_working_crs",
        lambda: reprojected_polygons(inputs.units.geometry, working_crs(inputs)),
    )


def reprojected_polygons(geometries: gpd.GeoSeries, crs) -> np.ndarray:
    """``geometries`` in ``crs`` as valid polygons (shapely objects).

    Reprojecting moves every vertex a little: two edges of a valid polygon that run a few
    nanometres apart (units drawn on a grid, then taken through degrees) can cross, and GEOS
    then refuses to intersect the polygon ("side location conflict"). Such polygons are
    made valid (:func:`shapely.make_valid`) and keep only their areas.
    """
    projected = np.asarray(geometries.to_crs(crs).values, dtype=object)
    invalid = ~shapely.is_valid(projected)
    if invalid.any():
        projected[invalid] = polygonal_parts(shapely.make_valid(projected[invalid]))
    return projected


def edge_widths(network, params: Mapping[str, Any]) -> np.ndarray:
    """Carriageway width of every edge from its road class (defaults updated by params)."""
    widths = {**DEFAULT_WIDTHS_M, **dict(params.get("widths_m") or {})}
    default = float(params.get("default_width_m", DEFAULT_WIDTH_M))
    classes = pd.Series(network.edge_class, dtype=object).astype(str)
    return classes.map(widths).fillna(default).to_numpy(dtype=float)


def _area_ratio(inputs: Inputs, numerator: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {"numerator": numerator, "denominator": inputs.area_km2().to_numpy(dtype=float)},
        index=inputs.units.index,
    )


@indicator(
    id="street_density",
    title={
        "en": "Street density",
        "fr": "Densité de voirie",
        "ar": "كثافة الشوارع",
    },
    description={
        "en": "Length of streets per km² of the unit (UN-Habitat reference: ≥ 18 km/km²).",
        "fr": "Longueur de rues par km² de l'unité (référence ONU-Habitat : ≥ 18 km/km²).",
        "ar": "طول الشوارع لكل كم² من مساحة الوحدة (المرجع لدى موئل الأمم المتحدة: 18 كم/كم² على "
        "الأقل).",
    },
    unit="km/km²",
    theme="streets",
    references=("UN-Habitat (2013) street connectivity index", "UN-Habitat Five Principles"),
    method="L / A: street centreline length inside the unit (km, projected CRS) over the "
    "unit's area (km², equal-area CRS).",
    needs=("roads",),
    kind="ratio",
    period="latest",
    years_from=("population",),
    params=street_parameters(()),
)
def street_density(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Street length per km².

    Formula: value = Σ_e |e ∩ unit| / A, with |e ∩ unit| the length (km) of each street
    segment inside the unit (every road class unless excluded; each street counted once)
    and A the unit's area in km². Source: UN-Habitat (2013); OSMnx ``street_density_km``.
    """
    network = walking_network(inputs, params)
    length_m = inputs.cached(
        ("street length", network_key(params)),
        lambda: clipped_length_by_unit(network, units_in_working_crs(inputs)),
    )
    return _area_ratio(inputs, length_m * length_scale(inputs) / 1000.0)


@indicator(
    id="intersection_density",
    title={
        "en": "Intersection density",
        "fr": "Densité d'intersections",
        "ar": "كثافة التقاطعات",
    },
    description={
        "en": "Street intersections (≥ 3 street ends, nodes within 12 m merged) per km².",
        "fr": "Intersections de rues (≥ 3 branches, nœuds à moins de 12 m fusionnés) par km².",
        "ar": "عدد تقاطعات الشوارع (3 أطراف شوارع أو أكثر، مع دمج العقد التي تفصلها أقل من 12 م) "
        "لكل كم².",
    },
    unit="per km²",
    theme="streets",
    references=("UN-Habitat (2013) street connectivity index", "GHSCI clean intersections 12 m"),
    method="N / A: junction nodes (degree ≠ 2) within 12 m merged; a merged node with ≥ 3 "
    "street ends is an intersection; N counted by point in polygon, A in km².",
    needs=("roads",),
    kind="ratio",
    period="latest",
    years_from=("population",),
    params=(
        Parameter(
            "merge_distance_m",
            12.0,
            "junction nodes this close (m) are one intersection",
            kind="number",
            minimum=0,
            unit="m",
        ),
        *street_parameters(DEFAULT_EXCLUDED_CLASSES),
    ),
)
def intersection_density(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Intersections per km².

    Formula: value = N / A. Junction nodes (dead ends and nodes where ≥ 3 segments meet) within
    ``merge_distance_m`` (12 m, single linkage) form one node; its street ends are the ends of
    the segments leaving the group; it is an intersection when it has ≥ 3 (dead ends and bends
    excluded). N = intersections inside the unit (a point on a border counts once), A the
    unit's area in km². Walking network: motorways excluded by default.
    Source: GHSCI ``clean_intersections_12m``; OSMnx ``basic_stats``; UN-Habitat (2013).
    """
    network = walking_network(inputs, params)
    tolerance = float(params["merge_distance_m"])
    counts = inputs.cached(
        ("intersections", network_key(params), tolerance),
        lambda: count_points_by_unit(
            consolidated_intersections(network, tolerance=tolerance),
            units_in_working_crs(inputs),
        ),
    )
    return _area_ratio(inputs, counts.astype(float))


@indicator(
    id="street_land_share",
    title={
        "en": "Land allocated to streets",
        "fr": "Part du sol affectée aux rues",
        "ar": "الأراضي المخصصة للشوارع",
    },
    description={
        "en": "Share of the unit's area taken by streets (length × carriageway width per road "
        "class); UN-Habitat reference: ≥ 30 %.",
        "fr": "Part de la surface de l'unité occupée par les rues (longueur × largeur de "
        "chaussée par classe de route) ; référence ONU-Habitat : ≥ 30 %.",
        "ar": "نسبة مساحة الوحدة التي تشغلها الشوارع (الطول × عرض قارعة الطريق حسب فئة الطريق)؛ "
        "المرجع لدى موئل الأمم المتحدة: 30 % على الأقل.",
    },
    unit="%",
    theme="streets",
    references=("UN-Habitat (2013) street connectivity index", "UN-Habitat Five Principles"),
    method="100 × Σ_e |e ∩ unit| × w(class_e) / A (km²).",
    needs=("roads",),
    kind="ratio",
    period="latest",
    years_from=("population",),
    scale=100.0,
    params=(*_width_parameters(), *street_parameters(())),
)
def street_land_share(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Percentage of the unit's area allocated to streets.

    Formula: value = 100 × Σ_e |e ∩ unit| × w(class_e) / A, with w the carriageway width of
    the edge's road class (parameters ``widths_m`` and ``default_width_m``; the defaults are
    typical lane counts × 3.5 m, to be replaced by local standards) and A the unit's area.
    Crossings are not deducted (each street counted with its full length).
    Source: UN-Habitat (2013) *Streets as Public Spaces and Drivers of Urban Prosperity*.
    """
    network = walking_network(inputs, params)
    widths = edge_widths(network, params)
    land_m2 = inputs.cached(
        ("street land", network_key(params), widths.tobytes()),
        lambda: clipped_length_by_unit(network, units_in_working_crs(inputs), edge_weight=widths),
    )
    return _area_ratio(inputs, land_m2 * length_scale(inputs) / M2_PER_KM2)


BUILT_UP_AREAS = ("urban_extent", "built_up_cells")


def built_up_area_cells(
    inputs: Inputs, year: int, params: Mapping[str, Any]
) -> tuple[Grid, Callable[[int, int], np.ndarray], np.ndarray]:
    """The grid, the m² in the built-up area BUA of the cells of a band of rows, and the
    cells BUA touches (a boolean mask of the whole grid).

    ``built_up_area = "urban_extent"`` (default): the Atlas urban extent
    (:mod:`observatory.indicators.urban_extent`). ``"built_up_cells"``: the whole cells whose
    built-up share is at least ``built_up_cell_share``. The built-up grid is read a band of
    rows at a time; ``m2_of_rows(start, stop)`` gives the BUA m² of rows ``start`` to
    ``stop`` (excluded).
    """
    choice = params["built_up_area"]
    if choice == "urban_extent":
        extent = urban_extent_of(inputs, year, params)
        return extent.grid, extent.extent_m2, extent.cells
    if choice == "built_up_cells":
        built = inputs.raster("built_up", year)
        grid = built.grid
        share = float(params["built_up_cell_share"])
        cells = np.zeros(grid.shape, dtype=bool)
        for start, stop in row_blocks(grid):
            cells[start:stop] = built.window(start, stop).filled(0.0) / grid.cell_area >= share
        return grid, lambda start, stop: np.where(cells[start:stop], grid.cell_area, 0.0), cells
    raise ParameterError(
        f"sdg_11_7_1_share: built_up_area = {choice!r} is not known; use 'urban_extent' "
        "(UN-Habitat's built-up area of the city, the default) or 'built_up_cells'."
    )


def cells_outline(grid: Grid, cells: np.ndarray):
    """The union of the given cells as one multipolygon in the grid's CRS.

    ``rasterio.features.shapes`` gives one polygon (with its holes) per 4-connected group of
    cells; two groups share no edge, at most a corner, so the multipolygon of them is already
    their union (a valid one) and no union is computed: ``shapely.union_all`` gave the same
    geometry, vertex for vertex, 12 to 24 times slower on a mask of 2.8 M cells.
    """
    outlines = rasterio.features.shapes(cells.view(np.uint8), mask=cells, transform=grid.transform)
    return shapely.geometry.MultiPolygon(
        [shapely.geometry.shape(outline) for outline, _ in outlines]
    )


def polygonal_parts(geometries: np.ndarray) -> np.ndarray:
    """Each geometry without its lines and points (the edge two touching polygons share)."""
    kept = []
    for geometry in geometries:
        parts = shapely.get_parts(geometry)
        kept.append(shapely.union_all(parts[shapely.area(parts) > 0]))
    return np.asarray(kept, dtype=object)


def area_scale(crs, points: gpd.GeoSeries, *, side_m: float = 100.0) -> np.ndarray:
    """Planar area in ``crs`` of a small square at each point over its ellipsoidal area.

    The square of ``side_m`` centred on the point is taken to WGS 84 and measured with
    :func:`~observatory.kernels.zonal.equal_area_km2` (pyproj's ``Geod``). ESRI:54009 gives
    1.0025 at 34° N (its areas are 0.25 % too large there), EPSG:26191 0.9994.
    """
    centres = points.to_crs(crs)
    half = side_m / 2.0
    squares = shapely.box(centres.x - half, centres.y - half, centres.x + half, centres.y + half)
    true_km2 = equal_area_km2(gpd.GeoSeries(squares, crs=crs))
    return (side_m**2 / 1e6) / np.asarray(true_km2, dtype=float)


def length_scale(inputs: Inputs) -> np.ndarray:
    """Length on the ellipsoid over length in the distance CRS, at each unit (once per run).

    1 / √s with s :func:`area_scale` of the distance CRS at the unit's representative point:
    the length scale of a conformal CRS, whose areal scale is the square of it.
    """

    def compute() -> np.ndarray:
        points = inputs.units.geometry.representative_point()
        return 1.0 / np.sqrt(area_scale(working_crs(inputs), points))

    return inputs.cached("length scale", compute)


@indicator(
    id="sdg_11_7_1_share",
    title={
        "en": "Open public space and streets in the built-up area",
        "fr": "Espaces publics ouverts et rues dans la zone bâtie",
        "ar": "المساحات العامة المفتوحة والشوارع في المنطقة المبنية",
    },
    description={
        "en": "SDG 11.7.1: (open public space + land allocated to streets) as a share of the "
        "built-up area (the urban extent) of the unit.",
        "fr": "ODD 11.7.1 : (espaces publics ouverts + sol affecté aux rues) en part de la zone "
        "bâtie (la tache urbaine) de l'unité.",
        "ar": "الهدف 11.7.1: (المساحات العامة المفتوحة + الأراضي المخصصة للشوارع) كنسبة من "
        "المساحة المبنية (الرقعة الحضرية) للوحدة.",
    },
    unit="%",
    theme="streets",
    references=("SDG 11.7.1", "UN-Habitat SDG 11.7.1 training module (2018)"),
    method="100 × (OPS + STR) / BUA. BUA = Σ_i c_i e_i: by default (built_up_area = "
    "urban_extent) the m² of the unit in the urban extent of urban_extent_area, for the "
    "latest built-up year; with built_up_area = built_up_cells, the whole cells with built-up "
    "share ≥ built_up_cell_share (0.2). OPS = area of the dissolved open-space polygons "
    "inside the unit's BUA cells; STR = Σ clipped length × carriageway width per road class "
    "inside them, not deducting overlaps. All three in m² on the WGS 84 ellipsoid, as "
    "urban_extent_area and area_km2: BUA from the cells' true areas, OPS as geodesic "
    "polygons, STR measured in the roads' CRS and scaled by its length scale at the unit.",
    needs=("built_up", "roads", "open_spaces"),
    kind="ratio",
    scale=100.0,
    period="latest",
    years_from=("built_up",),
    params=(
        Parameter(
            "built_up_area",
            "urban_extent",
            "what the built-up area is: 'urban_extent' (Atlas urban extent) or "
            "'built_up_cells' (cells with built-up share >= built_up_cell_share)",
            kind="choice",
            choices=("urban_extent", "built_up_cells"),
        ),
        Parameter(
            "built_up_cell_share",
            0.2,
            "with built_up_area = 'built_up_cells', the share from which a cell is built-up",
            **SHARE,
            exclusive_minimum=True,
        ),
        *EXTENT_PARAMETERS,
        *_width_parameters(),
        *street_parameters(()),
    ),
)
def sdg_11_7_1_share(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the built-up area that is open public space or streets.

    Formula: value = 100 × (OPS + STR) / BUA, every term in m² on the ellipsoid. BUA
    (km²) is Σ c_i e_i A_i / a over the unit's cells (A_i / a the cell's true over nominal
    area), e_i the cell's m² in the urban extent
    (default) or the whole cell when its built-up share ≥ ``built_up_cell_share``; OPS the
    geodesic area of the open public spaces inside the unit's BUA cells and STR the street
    land inside them (Σ clipped length × carriageway width per class), measured in the
    roads' CRS and multiplied by its length scale at the unit (:func:`length_scale`).
    Streets and open spaces lie on open land, which in a fringe or captured cell is all in
    the extent, so whole cells bound them.
    Overlaps of streets and open spaces are not deducted. Source: UN-Habitat SDG 11.7.1
    metadata and training module (2018): (open public space + land allocated to streets) /
    built-up area of the city, the urban extent.
    """
    grid, bua_m2, cells = built_up_area_cells(inputs, period.end, params)
    area = surfaces_km2(inputs, grid, lambda start, stop: {"bua": bua_m2(start, stop)})["bua"]
    outline = cells_outline(grid, cells)
    units_grid = reprojected_polygons(inputs.units.geometry, grid.crs)
    built_units = polygonal_parts(shapely.intersection(units_grid, outline))
    spaces = reprojected_polygons(inputs.layer("open_spaces").geometry, grid.crs)
    open_space = shapely.union_all(spaces)
    open_area = gpd.GeoSeries(shapely.intersection(built_units, open_space), crs=grid.crs)
    open_m2 = equal_area_km2(open_area) * M2_PER_KM2

    work = working_crs(inputs)
    built_work = reprojected_polygons(gpd.GeoSeries(built_units, crs=grid.crs), work)
    network = walking_network(inputs, params)
    street_work_m2 = clipped_length_by_unit(
        network, built_work, edge_weight=edge_widths(network, params)
    )
    street_m2 = street_work_m2 * length_scale(inputs)
    return pd.DataFrame(
        {"numerator": (street_m2 + open_m2) / M2_PER_KM2, "denominator": area},
        index=inputs.units.index,
    )
