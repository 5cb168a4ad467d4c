"""Access indicators: public transport (SDG 11.2.1), open public space (SDG 11.7.1 access),
schools and health facilities.

Every access indicator follows the same steps (methods/README.md, research §3 and §7):

1. **Origins** are the centres of the population grid cells holding people inside the units;
   each cell counts with its people × the exact fraction of the cell inside the unit, so every
   result is population-weighted.
2. The **walking network** is built once per run from the ``roads`` layer
   (:func:`observatory.kernels.network.build_network`: noded at true crossings, bridges and
   tunnels of the ``bridge`` field joined only at their ends, motorways excluded, line ends
   within 1 m merged), in the roads' projected CRS, or in the local UTM zone when the roads
   are in degrees.
3. Origins and facilities are snapped to their **nearest edge** (connector + distance along the
   edge); one multi-source shortest-path pass per kind of facility gives every origin the
   distance to its nearest facility. Graph and origin snapping are shared by all kinds.
4. People who cannot reach any facility of the kind (a disconnected street fragment, no
   facility in their component) are **unreachable**: never counted as 0 m, reported in the
   ``unreachable_population`` component and in a run warning.

``mode = "straight-line"`` replaces network distances by Euclidean ones; it is never used
unless asked, and every result says which mode produced it (its ``mode`` note).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from observatory.errors import CRSError, InputDataError, ParameterError, ProjectFileError
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Parameter, Period, indicator
from observatory.kernels.grid import Raster, transform_coordinates
from observatory.kernels.network import (
    DEFAULT_EXCLUDED_CLASSES,
    StreetNetwork,
    build_network,
    distance_pairs,
    nearest_distance,
    snap_points,
    straight_line_distance,
    straight_line_pairs,
    two_step_fca,
)

MODES = ("network", "straight-line")
#: Spacing (m) of the entrance points along the boundary of polygon facilities (open spaces).
ENTRANCE_SPACING_M = 25.0
#: Value of the distance raster's cells outside every unit or with no facility reachable.
DISTANCE_NODATA = -1.0
ACCESS_ROLES = ("schools", "health", "transit_stops", "open_spaces")
HIGH_CAPACITY_VALUES = (
    "high",
    "tram",
    "train",
    "rail",
    "metro",
    "subway",
    "light_rail",
    "brt",
    "ferry",
)
TRUE_VALUES = {"1", "true", "t", "yes", "y", "oui", "bridge", "tunnel"}
ROLE_NAMES = {
    "schools": "school",
    "health": "health facility",
    "transit_stops": "public transport stop",
    "open_spaces": "open public space",
}


# -- shared parameters ---------------------------------------------------------------------
def network_parameters() -> tuple[Parameter, ...]:
    """The parameters every network indicator shares."""
    return (
        Parameter(
            "mode",
            "network",
            "'network' (walking distance along the streets) or 'straight-line' (Euclidean, "
            "only when asked)",
        ),
        Parameter(
            "excluded_classes",
            list(DEFAULT_EXCLUDED_CLASSES),
            "road classes left out of the walking network (values of the roads' class field)",
        ),
        Parameter("snap_tolerance_m", 1.0, "line ends closer than this (m) are joined"),
    )


def entrance_parameter() -> Parameter:
    return Parameter(
        "entrance_spacing_m",
        ENTRANCE_SPACING_M,
        "polygon facilities (open spaces) are entered from points every this many metres "
        "along their boundary",
    )


def check_mode(params: Mapping[str, Any]) -> str:
    mode = params.get("mode", "network")
    if mode not in MODES:
        raise ParameterError(f"mode must be 'network' or 'straight-line', got {mode!r}.")
    return mode


def _truthy(values: pd.Series) -> np.ndarray:
    text = values.astype("string").str.strip().str.lower().fillna("")
    return text.isin(TRUE_VALUES).to_numpy(dtype=bool)


def _field_values(inputs: Inputs, role: str, setting: str) -> pd.Series | None:
    name = inputs.field(role, setting)
    if name is None:
        return None
    layer = inputs.layer(role)
    if name not in layer.columns:
        raise InputDataError(
            f"the {role} layer has no field '{name}' (set as [layers].{role}.{setting}); its "
            f"fields are {', '.join(map(str, layer.columns.drop('geometry')))}."
        )
    return layer[name]


# -- working CRS, network, origins, destinations (cached per run) -------------------------
def _is_metric(crs: CRS) -> bool:
    unit = (crs.axis_info[0].unit_name or "").lower() if crs.axis_info else ""
    return crs.is_projected and unit in ("metre", "meter", "m")


def working_crs(inputs: Inputs) -> CRS:
    """The CRS distances are measured in: the roads' CRS when projected in metres, else the
    local UTM zone of the roads (or of the units when there are no roads)."""

    def choose() -> CRS:
        layer = inputs.layer("roads") if inputs.has("roads") else inputs.units
        if layer.crs is None:
            raise CRSError(
                "the roads layer has no CRS; set the CRS it was drawn in (e.g. in QGIS, "
                "Layer > Set CRS) so that distances can be measured in metres."
            )
        crs = CRS.from_user_input(layer.crs)
        return crs if _is_metric(crs) else CRS.from_user_input(layer.estimate_utm_crs())

    return inputs.cached("working_crs", choose)


def network_key(params: Mapping[str, Any]) -> tuple:
    return (tuple(params.get("excluded_classes", ())), float(params.get("snap_tolerance_m", 1.0)))


def walking_network(inputs: Inputs, params: Mapping[str, Any]) -> StreetNetwork:
    """The street graph of the ``roads`` layer, built once per run and per settings."""
    excluded, tolerance = network_key(params)

    def build() -> StreetNetwork:
        roads = inputs.layer("roads").to_crs(working_crs(inputs))
        classes = _field_values(inputs, "roads", "class")
        bridges = _field_values(inputs, "roads", "bridge")
        return build_network(
            roads.geometry,
            road_classes=None if classes is None else classes.astype(str).to_numpy(),
            excluded_classes=excluded,
            no_node=None if bridges is None else _truthy(bridges),
            snap_tolerance=tolerance,
        )

    return inputs.cached(("walking_network", excluded, tolerance), build)


def _grid_key(raster: Raster) -> tuple:
    grid = raster.grid
    return (grid.crs.to_string(), tuple(grid.transform), grid.shape)


def cell_origins(inputs: Inputs, raster: Raster, *, populated_only: bool = True):
    """Flat indices and working-CRS coordinates of the cell centres used as origins.

    Cells inside (touching) a unit and, when ``populated_only``, with people in any of the
    project's population grids on this grid (so that every year shares the same origins).
    """

    def compute():
        coverage = inputs.coverage(raster.grid)
        inside = np.asarray(coverage.matrix.sum(axis=0)).ravel() > 0
        if populated_only:
            populated = np.zeros(inside.shape, dtype=bool)
            for grid_year in inputs.rasters.get("population", {}).values():
                if grid_year.grid.same_as(raster.grid):
                    populated |= grid_year.filled(0.0).ravel() > 0
            inside &= populated
        cells = np.flatnonzero(inside)
        xs, ys = raster.grid.cell_centres()
        x, y = transform_coordinates(
            raster.grid.crs, working_crs(inputs), xs.ravel()[cells], ys.ravel()[cells]
        )
        return cells, np.column_stack([x, y])

    return inputs.cached(("origins", _grid_key(raster), populated_only), compute)


def destination_points(
    inputs: Inputs, role: str, *, spacing: float = 25.0, rows: np.ndarray | None = None
):
    """Working-CRS points of the facilities of ``role`` and the row each point belongs to.

    Points stay points; polygons (open spaces) are entered from their boundary, sampled every
    ``spacing`` metres; lines are sampled the same way.
    """
    layer = inputs.layer(role).to_crs(working_crs(inputs))
    geometries = np.asarray(layer.geometry.values, dtype=object)
    row_of = np.arange(geometries.size)
    if rows is not None:
        geometries, row_of = geometries[rows], row_of[rows]
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    geometries, row_of = geometries[present], row_of[present]
    polygonal = np.isin(shapely.get_type_id(geometries), (3, 6))
    outline = np.where(polygonal, shapely.boundary(geometries), geometries)
    point_like = np.isin(shapely.get_type_id(outline), (0, 4))
    outline = np.where(point_like, outline, shapely.segmentize(outline, spacing))
    xy, index = shapely.get_coordinates(outline, return_index=True)
    return xy, row_of[index]


def distance_to_nearest(
    inputs: Inputs,
    raster: Raster,
    role: str,
    params: Mapping[str, Any],
    *,
    rows: np.ndarray | None = None,
    label: str | None = None,
    populated_only: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Distance (m) from every origin cell to the nearest facility of ``role``.

    Returns the flat cell indices and the distances (``inf`` where unreachable).
    ``rows`` restricts the facilities (e.g. high-capacity stops); ``label`` names the subset
    in the cache.
    """
    mode = check_mode(params)
    spacing = float(params.get("entrance_spacing_m", ENTRANCE_SPACING_M))
    key = (
        "distance",
        role,
        label,
        mode,
        network_key(params),
        spacing,
        _grid_key(raster),
        populated_only,
    )

    def compute():
        cells, origin_xy = cell_origins(inputs, raster, populated_only=populated_only)
        dest_xy, _ = destination_points(inputs, role, spacing=spacing, rows=rows)
        if mode == "straight-line":
            return cells, straight_line_distance(origin_xy, dest_xy)
        network = walking_network(inputs, params)
        origins = inputs.cached(
            ("snapped origins", _grid_key(raster), populated_only, network_key(params)),
            lambda: snap_points(network, origin_xy),
        )
        return cells, nearest_distance(network, origins, snap_points(network, dest_xy))

    return inputs.cached(key, compute)


def distance_raster(
    inputs: Inputs, role: str, *, mode: str = "network", year: int | None = None
) -> tuple[Raster, np.ndarray, int]:
    """Distance (m) from the centre of every population cell in the units to the nearest
    facility of ``role``, on the population grid of ``year`` (default: the latest).

    The network parameters are the indicators' defaults (:func:`network_parameters`,
    :func:`entrance_parameter`), with ``mode``.

    Returns
    -------
    tuple of (Raster, numpy.ndarray, int)
        The float32 raster (``DISTANCE_NODATA`` outside the units and where no facility is
        reachable), the distance of every cell in the units (``inf`` when unreachable), and the
        year of the population grid.

    Raises
    ------
    ProjectFileError
        If the project has no ``role`` layer, no roads (network mode) or no population grid
        (of ``year``).
    """
    if not inputs.has(role):
        raise ProjectFileError(
            f"the project has no '{role}' layer: add it under [layers] in observatory.toml "
            f'(e.g. {role} = {{ path = "facilities.gpkg", layer = "{role}" }}).'
        )
    if mode == "network" and not inputs.has("roads"):
        raise ProjectFileError(
            "network distances need a 'roads' layer under [layers] in observatory.toml; add "
            "it, or use --mode straight-line."
        )
    years = sorted(y for y in inputs.rasters.get("population", {}) if y is not None)
    if not years:
        raise ProjectFileError(
            "the distance raster is written on the population grid: add [rasters].population "
            "to observatory.toml."
        )
    if year is None:
        year = years[-1]
    elif year not in years:
        raise ProjectFileError(
            f"no population grid for {year} in [rasters].population; its years are "
            f"{', '.join(map(str, years))}."
        )
    population = inputs.raster("population", year)
    params = {parameter.name: parameter.default for parameter in network_parameters()}
    params.update(mode=mode, entrance_spacing_m=ENTRANCE_SPACING_M)
    cells, distance = distance_to_nearest(inputs, population, role, params, populated_only=False)
    data = np.full(population.grid.height * population.grid.width, DISTANCE_NODATA, "float32")
    reachable = np.isfinite(distance)
    data[cells[reachable]] = distance[reachable]
    name = f"distance to the nearest {role} ({mode}), m"
    raster = Raster(data.reshape(population.grid.shape), population.grid, DISTANCE_NODATA, name)
    return raster, distance, year


# -- population weighting ------------------------------------------------------------------
def population_raster(inputs: Inputs, period: Period, indicator_id: str) -> Raster | None:
    """The population grid of the period's year (or the nearest year, with a warning)."""
    years = sorted(year for year in inputs.rasters.get("population", {}) if year is not None)
    if not years:
        inputs.warn(
            f"{indicator_id} needs a population raster ([rasters].population) for its origins."
        )
        return None
    year = min(years, key=lambda candidate: (abs(candidate - period.end), candidate))
    if year != period.end:
        inputs.warn(
            f"{indicator_id} {period.label}: origins from the {year} population grid "
            f"(no population grid for {period.end})."
        )
    return inputs.raster("population", year)


def weighted_sum(inputs: Inputs, raster: Raster, cells: np.ndarray, values: np.ndarray):
    """Σ_k c_ik P_k v_k for every unit i over the origin cells k (coverage c, people P)."""
    full = np.zeros(raster.grid.height * raster.grid.width)
    full[cells] = raster.filled(0.0).ravel()[cells] * values
    grid_values = Raster(full.reshape(raster.grid.shape), raster.grid, None, "P×v")
    return inputs.coverage(raster.grid).sum(grid_values)


def _empty(inputs: Inputs, columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({column: np.nan for column in columns}, index=inputs.units.index)


def report_unreachable(
    inputs: Inputs, indicator_id: str, period: Period, what: str, unreachable, population
):
    lost, total = float(np.nansum(unreachable)), float(np.nansum(population))
    if lost > 0:
        inputs.warn(
            f"{indicator_id} {period.label}: {lost:,.0f} people ({100 * lost / total:.1f} % of "
            f"{total:,.0f}) cannot reach any {what} along the street network (street fragments "
            "not connected to one); they count as not covered and are reported in "
            f"{indicator_id}_unreachable_population."
        )


UNREACHABLE_UNITS = {"unreachable_population": "people"}


def share_finalizer(*extra_shares: str):
    """value = 100 × numerator / denominator; each of ``extra_shares`` likewise as a % of the
    denominator; ``unreachable_population`` passed through; the ``mode`` note."""

    def finalize(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
        denominator = components["denominator"].to_numpy(dtype="float64")
        out = pd.DataFrame(index=components.index)

        def percent(column: str) -> np.ndarray:
            values = np.full(denominator.shape, np.nan)
            numerator = components[column].to_numpy(dtype="float64")
            np.divide(100.0 * numerator, denominator, out=values, where=denominator > 0)
            return values

        out["value"] = percent("numerator")
        for column in extra_shares:
            out[column] = percent(column)
        out["unreachable_population"] = components["unreachable_population"].to_numpy(float)
        out["mode"] = f"distance: {params.get('mode', 'network')}"
        return out

    return finalize


def weighted_mean_finalize(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
    """value = numerator / denominator (a population-weighted mean), with the unreachable
    people and the ``mode`` note."""
    denominator = components["denominator"].to_numpy(dtype="float64")
    numerator = components["numerator"].to_numpy(dtype="float64")
    value = np.full(denominator.shape, np.nan)
    np.divide(numerator, denominator, out=value, where=denominator > 0)
    out = pd.DataFrame({"value": value}, index=components.index)
    out["unreachable_population"] = components["unreachable_population"].to_numpy(float)
    out["mode"] = f"distance: {params.get('mode', 'network')}"
    return out


def coverage_components(
    inputs: Inputs,
    period: Period,
    params: Mapping[str, Any],
    *,
    indicator_id: str,
    role: str,
    threshold: float,
) -> pd.DataFrame:
    """Components of a 'share of population within ``threshold`` of the nearest facility'."""
    columns = ("numerator", "denominator", "unreachable_population")
    raster = population_raster(inputs, period, indicator_id)
    if raster is None:
        return _empty(inputs, columns)
    cells, distance = distance_to_nearest(inputs, raster, role, params)
    ones = np.ones(cells.size)
    frame = pd.DataFrame(
        {
            "numerator": weighted_sum(inputs, raster, cells, distance <= threshold),
            "denominator": weighted_sum(inputs, raster, cells, ones),
            "unreachable_population": weighted_sum(inputs, raster, cells, np.isinf(distance)),
        },
        index=inputs.units.index,
    )
    report_unreachable(
        inputs,
        indicator_id,
        period,
        ROLE_NAMES[role],
        frame["unreachable_population"],
        frame["denominator"],
    )
    return frame


ACCESS_NOTE = (
    "Origins: population cell centres, weighted by people × coverage fraction; origins and "
    "facilities snapped to the nearest street edge (connector + along-edge distance)."
)


# -- SDG 11.2.1 ------------------------------------------------------------------------------
def transit_capacity_rows(inputs: Inputs, params: Mapping[str, Any]):
    """Rows of the high- and low-capacity stops (stops without the field count as low)."""
    stops = inputs.layer("transit_stops")
    values = _field_values(inputs, "transit_stops", "capacity")
    high_values = {str(value).lower() for value in params["high_capacity_values"]}
    if values is None:
        inputs.warn(
            "sdg_11_2_1: the transit_stops layer has no capacity field "
            "([layers].transit_stops.capacity); every stop is taken as low-capacity (bus)."
        )
        high = np.zeros(len(stops), dtype=bool)
    else:
        high = values.astype("string").str.strip().str.lower().isin(high_values).to_numpy(bool)
    return np.flatnonzero(high), np.flatnonzero(~high)


@indicator(
    id="sdg_11_2_1",
    title={
        "en": "Convenient access to public transport",
        "fr": "Accès commode aux transports publics",
    },
    description={
        "en": "SDG 11.2.1: share of the population within 500 m walking along the streets of "
        "a low-capacity stop (bus) or 1000 m of a high-capacity stop (tram, train, metro).",
        "fr": "ODD 11.2.1 : part de la population à moins de 500 m à pied par les rues d'un "
        "arrêt de faible capacité (bus) ou à moins de 1000 m d'un arrêt de grande capacité "
        "(tramway, train, métro).",
    },
    unit="%",
    theme="access",
    references=("SDG 11.2.1", "UN-Habitat SDG 11.2.1 metadata (2021)"),
    method="100 × Σ_k c_k P_k [d_low,k ≤ 500 m or d_high,k ≤ 1000 m] / Σ_k c_k P_k, d along "
    "the street network from each population cell centre k. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "transit_stops"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=share_finalizer("low_capacity_share", "high_capacity_share"),
    params=(
        Parameter("low_capacity_m", 500.0, "walking distance to a low-capacity stop (m)"),
        Parameter("high_capacity_m", 1000.0, "walking distance to a high-capacity stop (m)"),
        Parameter(
            "high_capacity_values",
            list(HIGH_CAPACITY_VALUES),
            "values of the stops' capacity field meaning high capacity (others are low)",
        ),
        *network_parameters(),
    ),
)
def sdg_11_2_1(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the population with convenient access to public transport.

    Formula: a person is covered when d_low ≤ 500 m **or** d_high ≤ 1000 m (both ≤), with d
    the walking distance along the street network to the nearest low-capacity (bus) and
    high-capacity (tram, train, metro, BRT when so tagged) stop:
    value = 100 × Σ_k c_k P_k covered_k / Σ_k c_k P_k over population cells k (people P,
    coverage fraction c). Components: ``low_capacity_share`` (d_low ≤ 500 m),
    ``high_capacity_share`` (d_high ≤ 1000 m), ``unreachable_population`` (no stop of either
    kind reachable). Seed: 700 m from a bus stop and 900 m from a tram stop → covered; 700 m
    from a bus stop only → not; exactly 500.0 m → covered.
    Source: UN-Habitat, SDG indicator 11.2.1 metadata (September 2021).
    """
    columns = (
        "numerator",
        "denominator",
        "low_capacity_share",
        "high_capacity_share",
        "unreachable_population",
    )
    raster = population_raster(inputs, period, "sdg_11_2_1")
    if raster is None:
        return _empty(inputs, columns)
    high_rows, low_rows = transit_capacity_rows(inputs, params)
    cells, d_low = distance_to_nearest(
        inputs, raster, "transit_stops", params, rows=low_rows, label="low"
    )
    _, d_high = distance_to_nearest(
        inputs, raster, "transit_stops", params, rows=high_rows, label="high"
    )
    low = d_low <= float(params["low_capacity_m"])
    high = d_high <= float(params["high_capacity_m"])
    frame = pd.DataFrame(
        {
            "numerator": weighted_sum(inputs, raster, cells, low | high),
            "denominator": weighted_sum(inputs, raster, cells, np.ones(cells.size)),
            "low_capacity_share": weighted_sum(inputs, raster, cells, low),
            "high_capacity_share": weighted_sum(inputs, raster, cells, high),
            "unreachable_population": weighted_sum(
                inputs, raster, cells, np.isinf(d_low) & np.isinf(d_high)
            ),
        },
        index=inputs.units.index,
    )
    report_unreachable(
        inputs,
        "sdg_11_2_1",
        period,
        "public transport stop",
        frame["unreachable_population"],
        frame["denominator"],
    )
    return frame


# -- SDG 11.7.1 access -----------------------------------------------------------------------
@indicator(
    id="sdg_11_7_1_access",
    title={
        "en": "Access to open public space",
        "fr": "Accès aux espaces publics ouverts",
    },
    description={
        "en": "SDG 11.7.1 (access): share of the population within 400 m walking along the "
        "streets of an open public space.",
        "fr": "ODD 11.7.1 (accès) : part de la population à moins de 400 m à pied par les rues "
        "d'un espace public ouvert.",
    },
    unit="%",
    theme="access",
    references=("SDG 11.7.1", "UN-Habitat SDG 11.7.1 training module (2018)"),
    method="100 × Σ_k c_k P_k [d_k ≤ 400 m] / Σ_k c_k P_k, d along the streets to the nearest "
    "entrance (boundary point) of an open public space. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "open_spaces"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=share_finalizer(),
    params=(
        Parameter("threshold_m", 400.0, "walking distance to an open public space (m)"),
        entrance_parameter(),
        *network_parameters(),
    ),
)
def sdg_11_7_1_access(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the population within 400 m walking of an open public space.

    Formula: value = 100 × Σ_k c_k P_k [d_k ≤ 400 m] / Σ_k c_k P_k, where d_k is the network
    distance from population cell centre k to the nearest entrance of an open public space
    (its boundary, sampled every ``entrance_spacing_m``, snapped to the nearest street edge).
    Source: UN-Habitat SDG 11.7.1 metadata and training module (2018); SEDAC SDG 11.7.1
    (2023 release) "population within 400 meters of open public space".
    """
    return coverage_components(
        inputs,
        period,
        params,
        indicator_id="sdg_11_7_1_access",
        role="open_spaces",
        threshold=float(params["threshold_m"]),
    )


# -- schools and health ---------------------------------------------------------------------
@indicator(
    id="school_access",
    title={"en": "Access to schools", "fr": "Accès aux écoles"},
    description={
        "en": "Share of the population within walking distance (default 1000 m along the "
        "streets) of a school.",
        "fr": "Part de la population à distance de marche (1000 m par les rues par défaut) "
        "d'une école.",
    },
    unit="%",
    theme="access",
    references=("UN-Habitat UMF (education access)",),
    method="100 × Σ_k c_k P_k [d_k ≤ threshold] / Σ_k c_k P_k, d along the streets to the "
    "nearest school. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "schools"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=share_finalizer(),
    params=(
        Parameter("threshold_m", 1000.0, "walking distance to a school (m)"),
        *network_parameters(),
    ),
)
def school_access(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the population within ``threshold_m`` (default 1000 m) of a school.

    Formula: value = 100 × Σ_k c_k P_k [d_k ≤ threshold] / Σ_k c_k P_k with d_k the network
    distance from population cell k to the nearest school (one multi-source shortest-path pass).
    Source: research §7.1 (nearest-facility network distance); UN-Habitat UMF.
    """
    return coverage_components(
        inputs,
        period,
        params,
        indicator_id="school_access",
        role="schools",
        threshold=float(params["threshold_m"]),
    )


@indicator(
    id="health_access",
    title={"en": "Access to health facilities", "fr": "Accès aux établissements de santé"},
    description={
        "en": "Share of the population within walking distance (default 2400 m, 30 minutes at "
        "4.8 km/h, along the streets) of a health facility.",
        "fr": "Part de la population à distance de marche (2400 m par défaut, 30 minutes à "
        "4,8 km/h, par les rues) d'un établissement de santé.",
    },
    unit="%",
    theme="access",
    references=("UN-Habitat UMF (health access)", "GHSCI walking speed 4.8 km/h"),
    method="100 × Σ_k c_k P_k [d_k ≤ threshold] / Σ_k c_k P_k, d along the streets to the "
    "nearest health facility. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "health"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=share_finalizer(),
    params=(
        Parameter("threshold_m", 2400.0, "walking distance to a health facility (m)"),
        *network_parameters(),
    ),
)
def health_access(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Share of the population within ``threshold_m`` of a health facility.

    Formula: value = 100 × Σ_k c_k P_k [d_k ≤ threshold] / Σ_k c_k P_k. Default threshold
    2400 m = 30 minutes of walking at 4.8 km/h (the walking speed of GHSCI and UN-Habitat).
    Source: research §7.1.
    """
    return coverage_components(
        inputs,
        period,
        params,
        indicator_id="health_access",
        role="health",
        threshold=float(params["threshold_m"]),
    )


@indicator(
    id="school_distance",
    title={"en": "Distance to the nearest school", "fr": "Distance à l'école la plus proche"},
    description={
        "en": "Population-weighted mean walking distance along the streets to the nearest "
        "school (people who cannot reach one are reported apart, not averaged).",
        "fr": "Distance moyenne à pied par les rues à l'école la plus proche, pondérée par la "
        "population (les personnes sans accès sont comptées à part).",
    },
    unit="m",
    theme="access",
    references=("UN-Habitat UMF (education access)",),
    method="Σ_k c_k P_k d_k / Σ_k c_k P_k over the reachable cells k. " + ACCESS_NOTE,
    needs=("population_grid", "roads", "schools"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=weighted_mean_finalize,
    params=network_parameters(),
)
def school_distance(inputs: Inputs, period: Period, params: Mapping[str, Any]) -> pd.DataFrame:
    """Population-weighted mean network distance to the nearest school.

    Formula: value = Σ_k c_k P_k d_k / Σ_k c_k P_k over the population cells k that can reach
    a school (d_k finite); the people of the other cells are the ``unreachable_population``
    component, never counted at 0 m. Source: research §7.1.
    """
    columns = ("numerator", "denominator", "unreachable_population")
    raster = population_raster(inputs, period, "school_distance")
    if raster is None:
        return _empty(inputs, columns)
    cells, distance = distance_to_nearest(inputs, raster, "schools", params)
    reachable = np.isfinite(distance)
    frame = pd.DataFrame(
        {
            "numerator": weighted_sum(inputs, raster, cells, np.where(reachable, distance, 0.0)),
            "denominator": weighted_sum(inputs, raster, cells, reachable),
            "unreachable_population": weighted_sum(inputs, raster, cells, ~reachable),
        },
        index=inputs.units.index,
    )
    report_unreachable(
        inputs,
        "school_distance",
        period,
        "school",
        frame["unreachable_population"],
        frame["denominator"] + frame["unreachable_population"],
    )
    return frame


@indicator(
    id="school_seats_per_child",
    title={"en": "School seats per child (2SFCA)", "fr": "Places scolaires par enfant (2SFCA)"},
    description={
        "en": "Two-step floating catchment area ratio of school seats to school-age children "
        "within 1000 m along the streets, population-weighted.",
        "fr": "Rapport à deux étapes (2SFCA) entre places scolaires et enfants d'âge scolaire "
        "à moins de 1000 m par les rues, pondéré par la population.",
    },
    unit="seats/child",
    theme="access",
    references=("Luo & Wang (2003) 2SFCA", "PySAL access"),
    method="R_j = S_j / Σ_{k: d_kj ≤ d0} s·P_k; A_k = Σ_{j: d_kj ≤ d0} R_j; value = "
    "Σ_k c_k P_k A_k / Σ_k c_k P_k (S seats, P people, s school-age share, d0 catchment).",
    needs=("population_grid", "roads", "schools"),
    kind="ratio",
    period="latest",
    component_units=UNREACHABLE_UNITS,
    years_from=("population_grid",),
    finalize=weighted_mean_finalize,
    params=(
        Parameter("catchment_m", 1000.0, "catchment d0 of the 2SFCA (m along the streets)"),
        Parameter(
            "school_age_share",
            0.2,
            "share of the population of school age (an assumption: replace it by the census "
            "share of, e.g., 6–17 year-olds)",
        ),
        *network_parameters(),
    ),
)
def school_seats_per_child(
    inputs: Inputs, period: Period, params: Mapping[str, Any]
) -> pd.DataFrame:
    """School seats per school-age child by two-step floating catchment area (2SFCA).

    Formula (Luo & Wang 2003): R_j = S_j / Σ_{k: d_kj ≤ d0} s P_k for each school j (S seats,
    P_k people of population cell k, s the school-age share); A_k = Σ_{j: d_kj ≤ d0} R_j for
    each cell; value = Σ_k c_k P_k A_k / Σ_k c_k P_k per unit (c coverage fraction).
    Seed: (100, 200) people, 3 seats, both inside → 0.01 each; one outside → (0.03, 0)
    (with s = 1). Source: Luo, W. & Wang, F. (2003), Environment and Planning B 30(6).
    """
    columns = ("numerator", "denominator", "unreachable_population")
    raster = population_raster(inputs, period, "school_seats_per_child")
    seats_field = _field_values(inputs, "schools", "capacity")
    if seats_field is None:
        inputs.warn(
            "school_seats_per_child needs the schools' seats: set [layers].schools.capacity "
            "to the field holding the number of seats."
        )
        return _empty(inputs, columns)
    if raster is None:
        return _empty(inputs, columns)
    seats = pd.to_numeric(seats_field, errors="coerce")
    if seats.isna().any() or (seats < 0).any():
        bad = seats_field[seats.isna() | (seats < 0)].iloc[0]
        raise InputDataError(
            f"the schools' seats field '{inputs.field('schools', 'capacity')}' holds {bad!r}; "
            "give a number >= 0 for every school."
        )
    mode = check_mode(params)
    catchment = float(params["catchment_m"])
    cells, origin_xy = cell_origins(inputs, raster)
    school_xy = np.asarray(
        shapely.get_coordinates(
            shapely.point_on_surface(
                inputs.layer("schools").to_crs(working_crs(inputs)).geometry.values
            )
        )
    )

    def school_pairs():
        if mode == "straight-line":
            return straight_line_pairs(origin_xy, school_xy, limit=catchment)
        network = walking_network(inputs, params)
        origins = inputs.cached(
            ("snapped origins", _grid_key(raster), True, network_key(params)),
            lambda: snap_points(network, origin_xy),
        )
        return distance_pairs(network, origins, snap_points(network, school_xy), limit=catchment)

    pairs = inputs.cached(
        ("school pairs", _grid_key(raster), mode, network_key(params), catchment), school_pairs
    )
    people = raster.filled(0.0).ravel()[cells]
    share = float(params["school_age_share"])
    ratio = two_step_fca(people * share, seats.to_numpy(float), *pairs, catchment=catchment)
    _, nearest = distance_to_nearest(inputs, raster, "schools", params)
    return pd.DataFrame(
        {
            "numerator": weighted_sum(inputs, raster, cells, ratio),
            "denominator": weighted_sum(inputs, raster, cells, np.ones(cells.size)),
            "unreachable_population": weighted_sum(inputs, raster, cells, np.isinf(nearest)),
        },
        index=inputs.units.index,
    )
