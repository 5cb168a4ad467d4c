"""Urban extent and expansion indicators on hand-worked grids (docs/methods/expansion.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import EQUATOR_AREA, finalized, tiny_raster

from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, get_indicator


def expansion_inputs(tiny_units) -> Inputs:
    """The expansion case of the tiny grid, worked by hand below.

    With r = 564 m every cell's walking circle holds the whole 4 x 4 grid, so every share is
    the grid's built-up m² / 160,000. t1: the 4 cells of A fully built, 40,000 / 160,000 =
    0.25, suburban; E1 = those 4 cells (A) + their side neighbours (0,2), (1,2) in B and (2,0),
    (2,1) in C: 8 ha. t2 adds 5,000 m² in (1,2) (B, fringe at t1: infill), 500 m² in (2,2)
    (C, touches E1 at (1,1), (1,2), (2,1): extension, but under min_new_m2 = 900 it carries no
    contiguity) and 2,000 m² in (3,3) (C, touches only (2,2): leapfrog). 7,500 new m².
    """
    before = np.zeros((4, 4))
    before[:2, :2] = 10_000.0
    after = before.copy()
    after[1, 2], after[2, 2], after[3, 3] = 5000.0, 500.0, 2000.0
    return Inputs(
        tiny_units, rasters={"built_up": {2014: tiny_raster(before), 2024: tiny_raster(after)}}
    )


def test_urban_extent_area_of_each_year(tiny_units):
    # The m² of the cells are nominal; the areas are in km² on the ellipsoid, × (1 − e²).
    inputs = expansion_inputs(tiny_units)
    t1 = finalized("urban_extent_area", inputs, Period(2014))["value"]
    assert (t1 / EQUATOR_AREA).to_dict() == pytest.approx({"A": 0.04, "B": 0.02, "C": 0.02})
    # t2: 47,500 / 160,000 = 0.30, every built cell suburban: A, (1,2), (2,2), (3,3), whole;
    # fringe (0,2), (1,3), (2,0), (2,1), (2,3), (3,2); (0,3), (3,0), (3,1) reach the edge.
    t2 = finalized("urban_extent_area", inputs, Period(2024))["value"]
    assert (t2 / EQUATOR_AREA).to_dict() == pytest.approx({"A": 0.04, "B": 0.03, "C": 0.06})


def test_expansion_types_by_hand_and_their_conservation(tiny_units, tiny_hierarchy):
    from observatory.engine import aggregate

    inputs = expansion_inputs(tiny_units)
    period = Period(2024, 2014)
    expected = {  # km² on the ellipsoid: nominal m² × (1 − e²)
        kind: km2 * EQUATOR_AREA
        for kind, km2 in {"infill": 0.005, "extension": 0.0005, "leapfrog": 0.002}.items()
    }
    region = {}
    for kind, km2 in expected.items():
        spec = get_indicator(f"urban_expansion_{kind}")
        params = spec.resolve_params()
        levels = aggregate(
            spec.compute(inputs, period, params), tiny_hierarchy, spec, period, params
        )
        region[kind] = levels["region"].loc["R"]
        assert region[kind]["value"] == pytest.approx(km2)
        assert region[kind]["numerator"] == region[kind]["value"]
        assert "denominator" not in levels["region"].columns
        assert region[kind]["share"] == pytest.approx(100 * km2 / (0.0075 * EQUATOR_AREA))
    assert levels["commune"]["value"].to_dict() == pytest.approx(
        {"A": 0, "B": 0, "C": 0.002 * EQUATOR_AREA}
    )
    # Conservation: the three types add up to the built-up change, 0.0075 km².
    built = finalized("built_up_area", inputs, Period(2024))["value"].sum()
    built -= finalized("built_up_area", inputs, Period(2014))["value"].sum()
    assert sum(row["value"] for row in region.values()) == pytest.approx(built)
    assert built == pytest.approx(0.0075 * EQUATOR_AREA)


def test_inclusion_is_the_open_land_newly_in_the_extent(tiny_units):
    # E2 minus E1: (1,3) in B, 1 ha open; (2,2) 9,500, (2,3) 10,000, (3,2) 10,000 and (3,3)
    # 8,000 open m² in C. Share of the added area, in C: 37,500 / (2,500 new + 37,500).
    inputs = expansion_inputs(tiny_units)
    result = finalized("urban_expansion_inclusion", inputs, Period(2024, 2014))
    nominal = result["value"] / EQUATOR_AREA
    assert nominal.to_dict() == pytest.approx({"A": 0.0, "B": 0.01, "C": 0.0375})
    assert result.loc["C", "share"] == pytest.approx(100 * 37_500 / (37_500 + 2_500))


def test_the_share_of_a_unit_without_new_built_up_is_empty_not_zero():
    # The km² (0) are published; the share of 0 km² of new built-up is not a share.
    spec = get_indicator("urban_expansion_infill")
    components = pd.DataFrame(
        {"numerator": [0.0, 0.002], "new_built_up": [0.0, 0.008]}, index=["U", "V"]
    )
    values = spec.finalize(components, Period(2024, 2014), spec.resolve_params())
    assert values.loc["U", "value"] == 0.0 and np.isnan(values.loc["U", "share"])
    assert values.loc["V", "share"] == pytest.approx(25.0)
