"""Support module: the Atlas urban extent of a built-up year, computed once per run.

Shared by the land-use indicators (``urban_extent_area``, ``urban_expansion_*``) and by
``sdg_11_7_1_share`` (whose built-up area is the urban extent), so that no theme module
imports another. The rules are those of :mod:`observatory.kernels.extent`. The built-up grid
is read a band of rows at a time and the m² of the extent summed the same way
(:func:`surfaces_km2`); what the extent keeps of the whole grid is its uint8 codes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import METRES, SHARE, Parameter
from observatory.kernels.cell_areas import cell_areas_m2
from observatory.kernels.change import extent_of
from observatory.kernels.extent import UrbanExtent
from observatory.kernels.grid import Grid

EXTENT_PARAMETERS = (
    Parameter("radius_m", 564.0, "radius of the walking-distance circle (m; 1 km²)", **METRES),
    Parameter(
        "urban_share",
        0.5,
        "built-up share of the circle above which built-up land is urban",
        **SHARE,
    ),
    Parameter(
        "suburban_share",
        0.25,
        "built-up share of the circle from which it is suburban",
        **(SHARE | {"maximum": "urban_share"}),
    ),
    Parameter(
        "fringe_m",
        100.0,
        "fringe open space: cell centres this close (m) to urbanised",
        kind="number",
        minimum=0,
        unit="m",
    ),
    Parameter(
        "captured_max_ha",
        200.0,
        "captured open space holds less open land (ha)",
        kind="number",
        minimum=0,
        unit="ha",
    ),
)
EXTENT_NAMES = tuple(parameter.name for parameter in EXTENT_PARAMETERS)


def extent_parameters(params: Mapping[str, Any]) -> dict[str, float]:
    """The urban-extent parameters among an indicator's resolved ``params``."""
    return {name: float(params[name]) for name in EXTENT_NAMES}


def urban_extent_of(inputs: Inputs, year: int, params: Mapping[str, Any]) -> UrbanExtent:
    """The urban extent of the built-up grid of ``year`` (cached), read a band of rows at a
    time."""
    chosen = extent_parameters(params)
    key = ("urban extent", year, tuple(sorted(chosen.items())))
    return inputs.cached(
        key, lambda: extent_of(inputs.raster("built_up", year), value_kind="m2", **chosen)
    )


def surfaces_km2(
    inputs: Inputs, grid: Grid, m2_of_rows: Callable[[int, int], Mapping[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """Σ_k c_ik · v_k · A_k / (a · 10⁶) for every unit and every quantity ``m2_of_rows``
    gives: m² per cell of ``grid`` in km² on the ellipsoid, as
    :meth:`~observatory.indicators.inputs.Inputs.surface_km2` sums a raster, a band of rows
    at a time (:meth:`~observatory.indicators.inputs.Inputs.zonal_blocks`).

    ``m2_of_rows(start, stop)`` returns {name: m² of rows ``start`` to ``stop``}; ``A_k`` is
    the area of cell k on the ellipsoid and ``a`` its nominal area.
    """

    def cell_values(start: int, stop: int) -> dict[str, np.ndarray]:
        scale = cell_areas_m2(grid.rows(start, stop)) / (grid.cell_area * 1e6)
        return {name: m2 * scale for name, m2 in m2_of_rows(start, stop).items()}

    sums = inputs.zonal_blocks(grid, cell_values, label="urban extent")
    return {name: series.to_numpy() for name, series in sums.items()}
