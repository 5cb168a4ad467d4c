"""Support module: the Atlas urban extent of a built-up year, computed once per run.

Shared by the land-use indicators (``urban_extent_area``, ``urban_expansion_*``) and by
``sdg_11_7_1_share`` (whose built-up area is the urban extent), so that no theme module
imports another. The rules are those of :mod:`observatory.kernels.extent`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import METRES, SHARE, Parameter
from observatory.kernels.change import extent_of
from observatory.kernels.extent import UrbanExtent

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


def urban_extent_of(
    inputs: Inputs, year: int, params: Mapping[str, Any]
) -> tuple[np.ndarray, UrbanExtent]:
    """Built-up m² per cell and the urban extent of the built-up grid of ``year`` (cached)."""
    chosen = extent_parameters(params)
    key = ("urban extent", year, tuple(sorted(chosen.items())))
    return inputs.cached(
        key, lambda: extent_of(inputs.raster("built_up", year).load(), value_kind="m2", **chosen)
    )
