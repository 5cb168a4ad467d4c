"""Tests of observatory.indicators.two_step_catchment (school seats per child, 2SFCA) on tiny
hand-built inputs (``access_cases``: a 2 x 20 population grid of 100 m cells along a road).
"""

from __future__ import annotations

import numpy as np
import pytest
from access_cases import AX, PERIOD, X0, Y0, make_inputs, points, run

from observatory.indicators.registry import catalogue


def seats_inputs(second_column: int):
    units = [
        ("A", (X0, Y0 - 200, X0 + 1000, Y0)),
        ("B", (X0 + 1000, Y0 - 200, X0 + 2000, Y0)),
    ]
    return make_inputs(
        {(0, 0): 100, (0, second_column): 200},
        layers={"schools": points({"seats": [3]}, [AX + 300])},
        units=units,
        fields={"schools": {"capacity": "seats"}},
    )


def test_school_seats_per_child_2sfca_seed_both_inside():
    # cells at 300 m (unit A) and 900 m (column 12, AX + 1200, unit B) from the school at
    # AX + 300, both <= 1000: R = 3 / (100 + 200) = 0.01; A = (0.01, 0.01)
    result = run("school_seats_per_child", seats_inputs(12), school_age_share=1.0)
    np.testing.assert_allclose(result["value"], [0.01, 0.01])


def test_school_seats_per_child_2sfca_seed_one_outside():
    # second cell in column 14 (AX + 1400) is 1100 m away: R = 3 / 100 = 0.03; A = (0.03, 0)
    # (it sits in unit B)
    result = run("school_seats_per_child", seats_inputs(14), school_age_share=1.0)
    np.testing.assert_allclose(result["value"], [0.03, 0.0])


def test_school_seats_conserve_the_seats():
    # Σ_k s P_k A_k = Σ_j S_j when every school has demand: 0.2 x (100 x A + 200 x A) = 3
    spec = catalogue()["school_seats_per_child"]
    params = spec.resolve_params({"school_age_share": 0.2})
    components = spec.compute(seats_inputs(12), PERIOD, params)
    assert 0.2 * components["numerator"].sum() == pytest.approx(3.0)
