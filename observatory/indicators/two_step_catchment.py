"""School seats per child by two-step floating catchment area (2SFCA), an access indicator.

The other access indicators (:mod:`observatory.indicators.access`) ask how far the nearest
facility is; the 2SFCA asks how many seats a child can count on when the children within
reach of a school share its seats (Luo & Wang 2003):

1. each school j shares its seats S_j among the school-age children of the population cells
   k within its catchment d0 along the streets: R_j = S_j / Σ_{k: d_kj ≤ d0} s P_k (P_k
   people, s the school-age share);
2. each cell adds up the ratios of the schools within d0 of it: A_k = Σ_{j: d_kj ≤ d0} R_j;
3. a unit's value is the population-weighted mean Σ_k c_k P_k A_k / Σ_k c_k P_k (c the
   coverage fraction). The seats are shared out, none made or lost: Σ_k s P_k A_k = Σ_j S_j
   over the schools with children within d0 (R_j = 0 for a school with none).

Origins, the walking network and the snapping are those of every access indicator
(:mod:`observatory.indicators.origins`, :mod:`observatory.indicators.walking`); the two steps
are :func:`observatory.kernels.network.two_step_fca`. Source: Luo, W. & Wang, F. (2003),
Environment and Planning B 30(6).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from observatory.errors import InputDataError
from observatory.indicators.inputs import Inputs
from observatory.indicators.origins import origin_people, weighted_frame
from observatory.indicators.registry import METRES, SHARE, Parameter, Period, indicator
from observatory.indicators.walking import (
    UNREACHABLE_UNITS,
    cell_origins,
    check_mode,
    distance_to_nearest,
    empty_components,
    field_values,
    grid_key,
    network_key,
    network_parameters,
    population_raster,
    snapped_origins,
    walking_network,
    weighted_mean_finalize,
    working_crs,
)
from observatory.kernels.network import (
    distance_pairs,
    snap_points,
    straight_line_pairs,
    two_step_fca,
)


@indicator(
    id="school_seats_per_child",
    title={
        "en": "School seats per child (2SFCA)",
        "fr": "Places scolaires par enfant (2SFCA)",
        "ar": "المقاعد الدراسية لكل طفل (2SFCA)",
    },
    description={
        "en": "Two-step floating catchment area ratio of school seats to school-age children "
        "within 1000 m along the streets, population-weighted.",
        "fr": "Rapport à deux étapes (2SFCA) entre places scolaires et enfants d'âge scolaire "
        "à moins de 1000 m par les rues, pondéré par la population.",
        "ar": "نسبة المقاعد الدراسية إلى الأطفال في سن التمدرس ضمن 1000 م عبر الشوارع، بطريقة "
        "منطقة الاستقطاب العائمة ذات الخطوتين (2SFCA)، مرجّحة بعدد السكان.",
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
        Parameter(
            "catchment_m", 1000.0, "catchment d0 of the 2SFCA (m along the streets)", **METRES
        ),
        Parameter(
            "school_age_share",
            0.2,
            "share of the population of school age (an assumption: replace it by the census "
            "share of, e.g., 6–17 year-olds)",
            **SHARE,
            exclusive_minimum=True,
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
    seats_field = field_values(inputs, "schools", "capacity")
    if seats_field is None:
        inputs.warn(
            "school_seats_per_child needs the schools' seats: set [layers].schools.capacity "
            "to the field holding the number of seats."
        )
        return empty_components(inputs, columns)
    if raster is None:
        return empty_components(inputs, columns)
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
        origins = snapped_origins(inputs, raster, params)
        return distance_pairs(network, origins, snap_points(network, school_xy), limit=catchment)

    pairs = inputs.cached(
        ("school pairs", grid_key(raster), mode, network_key(params), catchment), school_pairs
    )
    people = origin_people(raster, cells)
    share = float(params["school_age_share"])
    ratio = two_step_fca(people * share, seats.to_numpy(float), *pairs, catchment=catchment)
    _, nearest = distance_to_nearest(inputs, raster, "schools", params)
    values = {
        "numerator": ratio,
        "denominator": np.ones(cells.size),
        "unreachable_population": np.isinf(nearest),
    }
    return weighted_frame(inputs, raster, cells, values)
