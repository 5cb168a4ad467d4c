"""Walking access: the machinery the access and street themes share (no indicator here).

- :func:`working_crs`, the CRS distances are measured in, and :func:`walking_network`, the
  street graph of the ``roads`` layer (:func:`observatory.kernels.network.build_network`);
- origins (:func:`cell_origins`, population cell centres; :func:`snapped_origins`),
  destinations (:func:`destination_points`) and :func:`distance_to_nearest`, in network or
  straight-line mode; :func:`distance_raster`, the map of the ``access`` command;
- the population weighting of the access indicators (:func:`coverage_components`,
  :func:`report_unreachable`, with :mod:`observatory.indicators.origins`) and their
  finalizers.

Graph, origins, snapping and distances are kept in :meth:`Inputs.cached`: the indicators of
one run share them. The numerics are in :mod:`observatory.kernels.network`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS

from observatory.errors import InputDataError, ParameterError, ProjectFileError
from observatory.indicators.inputs import Inputs
from observatory.indicators.origins import cell_origins as origin_cells
from observatory.indicators.origins import grid_key, weighted_frame
from observatory.indicators.registry import METRES, Parameter, Period, ratio_quality
from observatory.kernels.grid import Raster
from observatory.kernels.network import (
    DEFAULT_EXCLUDED_CLASSES,
    Snapping,
    StreetNetwork,
    build_network,
    distance_crs,
    facility_points,
    grade_separated,
    nearest_distance,
    snap_points,
    straight_line_distance,
)
from observatory.reasons import MISSING_POPULATION, NO_POPULATION

MODES = ("network", "straight-line")
#: Spacing (m) of the entrance points along the boundary of polygon facilities (open spaces).
ENTRANCE_SPACING_M = 25.0
#: Value of the distance raster's cells outside every unit or with no facility reachable.
DISTANCE_NODATA = -1.0
ACCESS_ROLES = ("schools", "health", "transit_stops", "open_spaces")
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
            kind="choice",
            choices=MODES,
        ),
        *street_parameters(DEFAULT_EXCLUDED_CLASSES),
    )


def street_parameters(excluded: tuple[str, ...]) -> tuple[Parameter, ...]:
    """How the street network is built from the roads: the classes left out, the snapping."""
    return (
        Parameter(
            "excluded_classes",
            list(excluded),
            "road classes left out of the street network (values of the roads' class field)",
            kind="texts",
        ),
        Parameter(
            "snap_tolerance_m",
            1.0,
            "line ends closer than this (m) are joined",
            kind="number",
            minimum=0,
            unit="m",
        ),
    )


def entrance_parameter() -> Parameter:
    """The spacing of the entrance points of polygon facilities (open spaces)."""
    return Parameter(
        "entrance_spacing_m",
        ENTRANCE_SPACING_M,
        "polygon facilities (open spaces) are entered from points every this many metres "
        "along their boundary",
        **METRES,
    )


def check_mode(params: Mapping[str, Any]) -> str:
    """The ``mode`` parameter (default ``network``), refused unless one of :data:`MODES`."""
    mode = params.get("mode", "network")
    if mode not in MODES:
        raise ParameterError(f"mode must be 'network' or 'straight-line', got {mode!r}.")
    return mode


def field_values(inputs: Inputs, role: str, setting: str) -> pd.Series | None:
    """The values of the field of the ``role`` layer set as ``[layers].<role>.<setting>``.

    None when the project sets no such field; an error when the layer does not have it.
    """
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
def working_crs(inputs: Inputs) -> CRS:
    """The CRS distances are measured in: the roads' CRS when projected in metres, else the
    local UTM zone of the roads (or of the units when there are no roads)."""

    def choose() -> CRS:
        return distance_crs(inputs.layer("roads") if inputs.has("roads") else inputs.units)

    return inputs.cached("working_crs", choose)


def network_key(params: Mapping[str, Any]) -> tuple:
    """The settings that make one walking network: excluded classes and snap tolerance."""
    return (tuple(params.get("excluded_classes", ())), float(params.get("snap_tolerance_m", 1.0)))


def walking_network(inputs: Inputs, params: Mapping[str, Any]) -> StreetNetwork:
    """The street graph of the ``roads`` layer, built once per run and per settings."""
    excluded, tolerance = network_key(params)

    def build() -> StreetNetwork:
        roads = inputs.layer("roads").to_crs(working_crs(inputs))
        classes = field_values(inputs, "roads", "class")
        bridges = field_values(inputs, "roads", "bridge")
        return build_network(
            roads.geometry,
            road_classes=None if classes is None else classes.astype(str).to_numpy(),
            excluded_classes=excluded,
            no_node=None if bridges is None else grade_separated(bridges),
            snap_tolerance=tolerance,
        )

    return inputs.cached(("walking_network", excluded, tolerance), build)


def cell_origins(inputs: Inputs, raster, *, populated_only: bool = True):
    """Flat indices and working-CRS coordinates of the cell centres used as origins
    (:func:`observatory.indicators.origins.cell_origins`, a band of rows at a time).

    Cells inside (touching) a unit and, when ``populated_only``, with people in any of the
    project's population grids on this grid (so that every year shares the same origins).
    """
    return origin_cells(inputs, raster, populated_only=populated_only, crs=working_crs(inputs))


def snapped_origins(
    inputs: Inputs, raster: Raster, params: Mapping[str, Any], *, populated_only: bool = True
) -> Snapping:
    """The origins of :func:`cell_origins` snapped onto the walking network (once per run)."""

    def snap() -> Snapping:
        _, origin_xy = cell_origins(inputs, raster, populated_only=populated_only)
        return snap_points(walking_network(inputs, params), origin_xy)

    key = ("snapped origins", grid_key(raster), populated_only, network_key(params))
    return inputs.cached(key, snap)


def destination_points(
    inputs: Inputs, role: str, *, spacing: float = 25.0, rows: np.ndarray | None = None
):
    """Working-CRS points of the facilities of ``role`` and the row each point belongs to.

    Points stay points; polygons (open spaces) are entered from their boundary, sampled every
    ``spacing`` metres; lines are sampled the same way
    (:func:`observatory.kernels.network.facility_points`). ``rows`` restricts the facilities
    to those rows of the layer.
    """
    layer = inputs.layer(role).to_crs(working_crs(inputs))
    geometries = np.asarray(layer.geometry.values, dtype=object)
    row_of = np.arange(geometries.size)
    if rows is not None:
        geometries, row_of = geometries[rows], row_of[rows]
    xy, position = facility_points(geometries, spacing=spacing)
    return xy, row_of[position]


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
        grid_key(raster),
        populated_only,
    )

    def compute():
        cells, origin_xy = cell_origins(inputs, raster, populated_only=populated_only)
        dest_xy, _ = destination_points(inputs, role, spacing=spacing, rows=rows)
        if mode == "straight-line":
            return cells, straight_line_distance(origin_xy, dest_xy)
        network = walking_network(inputs, params)
        origins = snapped_origins(inputs, raster, params, populated_only=populated_only)
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


def empty_components(inputs: Inputs, columns: Sequence[str]) -> pd.DataFrame:
    """Components ``columns`` all NaN for every unit (an indicator that cannot be computed)."""
    return pd.DataFrame({column: np.nan for column in columns}, index=inputs.units.index)


def report_unreachable(
    inputs: Inputs, indicator_id: str, period: Period, what: str, unreachable, population
):
    """Warn when people cannot reach any ``what``: how many, and the share of ``population``."""
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
        out["quality"] = population_quality(components)
        return out

    return finalize


def population_quality(components: pd.DataFrame) -> np.ndarray:
    """Why a value over the population of a unit (its ``denominator``) is empty: nobody
    lives there, or its population is missing (empty text elsewhere)."""
    return ratio_quality(
        components["numerator"],
        components["denominator"],
        zero=NO_POPULATION,
        missing=MISSING_POPULATION,
    )


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
    out["quality"] = population_quality(components)
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
        return empty_components(inputs, columns)
    cells, distance = distance_to_nearest(inputs, raster, role, params)
    frame = weighted_frame(
        inputs,
        raster,
        cells,
        {
            "numerator": distance <= threshold,
            "denominator": np.ones(cells.size),
            "unreachable_population": np.isinf(distance),
        },
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
