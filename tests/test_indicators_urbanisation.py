"""Degree of Urbanisation of units: classes recomputed from summed shares at every level.

Grid: 100 m population cells in three 1 km columns (30 × 10 fine cells), ESRI:54009.
- km 1 (x 0–1000): 500 people per 100 m cell = 50,000 per km² → an urban centre on its own
  (density ≥ 1500 and cluster population ≥ 50,000);
- km 2 and km 3: 0.1 people per 100 m cell = 10 per km² → very low density rural (11).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from conftest import MOLLWEIDE
from shapely.geometry import box

from observatory.engine import aggregate
from observatory.hierarchy import Hierarchy
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, get_indicator
from observatory.kernels.grid import Grid, Raster

FINE = Grid(MOLLWEIDE, Affine(100.0, 0, 0, 0, -100.0, 1000.0), 10, 30)


def people() -> Raster:
    values = np.full((10, 30), 0.1)
    values[:, :10] = 500.0
    return Raster(values, FINE, None, "population")


@pytest.fixture
def territory():
    units = gpd.GeoDataFrame(
        {"unit_name": ["U1", "U2", "U3"], "parent_id": ["P", "P", "P"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)],
        crs=MOLLWEIDE,
        index=pd.Index(["U1", "U2", "U3"], name="unit_id"),
    )
    parent = gpd.GeoDataFrame(
        {"unit_name": ["P"], "parent_id": [None]},
        geometry=[box(0, 0, 3000, 1000)],
        crs=MOLLWEIDE,
        index=pd.Index(["P"], name="unit_id"),
    )
    hierarchy = Hierarchy(
        levels={"province": parent, "commune": units},
        ancestors=pd.DataFrame({"province": ["P"] * 3, "commune": units.index}, index=units.index),
    )
    return Inputs(units, rasters={"population": {2024: people()}}), hierarchy


def by_level(indicator_id: str, territory) -> dict[str, pd.DataFrame]:
    inputs, hierarchy = territory
    spec = get_indicator(indicator_id)
    params = spec.resolve_params()
    components = spec.compute(inputs, Period(2024), params)
    return aggregate(components, hierarchy, spec, Period(2024), params)


def test_units_are_classified_from_their_population_shares(territory):
    level1 = by_level("degurba_l1", territory)
    assert level1["commune"]["value"].to_dict() == {"U1": 3.0, "U2": 1.0, "U3": 1.0}
    assert level1["commune"]["class"]["U1"] == "city"
    level2 = by_level("degurba_l2", territory)
    assert level2["commune"]["value"].to_dict() == {"U1": 30.0, "U2": 11.0, "U3": 11.0}


def test_a_parent_is_recomputed_from_shares_not_voted(territory):
    # Two of the three communes are rural, but 50,000 of the parent's 50,020 people live in
    # urban-centre cells: the parent is a city.
    level1 = by_level("degurba_l1", territory)
    assert level1["province"]["value"]["P"] == 3.0


def test_population_shares_per_class(territory):
    shares = by_level("urban_centre_population_share", territory)
    province = shares["province"].loc["P"]
    # 50,000 / 50,020 in the centre; 10 + 10 people in very low density rural cells.
    assert province["value"] == pytest.approx(100 * 50000 / 50020)
    assert province["rural_share"] == pytest.approx(100 * 20 / 50020)
    assert province["cluster_share"] == 0.0
    assert shares["commune"]["value"].to_dict() == pytest.approx(
        {"U1": 100.0, "U2": 0.0, "U3": 0.0}
    )


def test_urban_centre_share_of_a_unit_without_population_is_empty_with_its_reason():
    from observatory.indicators.urbanisation import GRID_CODES

    spec = get_indicator("urban_centre_population_share")
    people = {f"population_{code}": [0.0, 100.0] for code in GRID_CODES}
    people["population_10"] = [50.0, 0.0]  # in water cells only: not counted
    components = pd.DataFrame(people, index=pd.Index(["U", "V"], name="unit_id"))
    values = spec.finalize(components, Period(2024), spec.resolve_params())
    assert values.loc["U", ["value", "cluster_share", "rural_share"]].isna().all()
    assert values.loc["U", "quality"].startswith("not computed: nobody lives in the unit")
    # V: 100 in each of the 7 land classes, 100 in the centre → 1/7.
    assert values.loc["V", "value"] == pytest.approx(100 / 7)
    assert values.loc["V", "quality"] == ""
