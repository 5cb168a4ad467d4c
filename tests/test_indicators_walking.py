"""Tests of observatory.indicators.walking: working CRS, walking network, origins, distances.

The layout (``access_cases``): a 2 x 20 population grid of 100 m cells, two roads meeting at
the centre of cell (0, 0), ``A = (AX, Y)``, one running 1000 m west and one 2000 m east.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from access_cases import AX, EPSG, Y, make_inputs, points
from pyproj import CRS
from shapely.geometry import Point, box

from observatory.errors import InputDataError, ParameterError, ProjectFileError
from observatory.indicators.walking import (
    DISTANCE_NODATA,
    cell_origins,
    check_mode,
    destination_points,
    distance_raster,
    distance_to_nearest,
    network_parameters,
    walking_network,
    working_crs,
)

DEFAULTS = {parameter.name: parameter.default for parameter in network_parameters()}


def test_distance_raster_on_the_population_grid():
    # a school on the road 300 m east of the junction; cell (0, 0) is centred on the junction,
    # cell (0, 5) on the road 500 m east: 300 m and 200 m along the road
    inputs = make_inputs({}, layers={"schools": points({}, [AX + 300])})
    raster, distance, year = distance_raster(inputs, "schools")
    assert year == 2024 and raster.grid.shape == (2, 20) and raster.data.dtype == np.float32
    assert raster.data[0, 0] == pytest.approx(300.0)
    assert raster.data[0, 5] == pytest.approx(200.0)
    assert distance.size == 40 and np.isfinite(distance).all()  # every cell is in the unit
    assert raster.nodata == DISTANCE_NODATA


def test_distance_raster_names_what_the_project_lacks():
    inputs = make_inputs({}, layers={})
    with pytest.raises(ProjectFileError, match="no 'health' layer"):
        distance_raster(inputs, "health")
    inputs = make_inputs({}, layers={"health": points({}, [AX])})
    with pytest.raises(ProjectFileError, match=r"no population grid for 2020.*2024"):
        distance_raster(inputs, "health", year=2020)


def test_working_crs_is_the_roads_metric_crs():
    assert working_crs(make_inputs({}, layers={})) == CRS.from_string(EPSG)


def test_working_crs_of_roads_in_degrees_is_their_utm_zone():
    inputs = make_inputs({}, layers={})
    inputs.layers["roads"] = inputs.layers["roads"].to_crs("EPSG:4326")
    # the roads lie on the central meridian of UTM zone 29 (x = 500 000 m in EPSG:32629)
    assert working_crs(inputs) == CRS.from_epsg(32629)


def test_walking_network_is_built_once_per_settings():
    inputs = make_inputs({}, layers={})
    network = walking_network(inputs, DEFAULTS)
    assert walking_network(inputs, dict(DEFAULTS)) is network
    assert walking_network(inputs, {**DEFAULTS, "snap_tolerance_m": 2.0}) is not network
    # the two roads meet at the junction: 3 nodes, 1000 m + 2000 m
    assert network.n_nodes == 3
    assert network.edge_length.sum() == pytest.approx(3000.0)


def test_a_field_missing_from_the_layer_is_named():
    inputs = make_inputs({}, layers={}, fields={"roads": {"class": "class", "bridge": "pont"}})
    with pytest.raises(InputDataError, match=r"no field 'pont'.*roads.bridge"):
        walking_network(inputs, DEFAULTS)


def test_unknown_mode_is_refused():
    assert check_mode({}) == "network"
    with pytest.raises(ParameterError, match="straight-line"):
        check_mode({"mode": "crow-flies"})


def test_cell_origins_are_the_populated_cells_inside_the_units():
    inputs = make_inputs({(0, 0): 10, (0, 3): 5, (1, 19): 0}, layers={})
    raster = inputs.raster("population", 2024)
    cells, xy = cell_origins(inputs, raster)
    # flat indices row * 20 + column; centres (X0 + 50 + 100 c, Y)
    assert list(cells) == [0, 3]
    np.testing.assert_allclose(xy, [[AX, Y], [AX + 300, Y]])
    assert cell_origins(inputs, raster, populated_only=False)[0].size == 40


def test_destination_points_keep_the_rows_asked_for():
    square = box(AX + 100, Y + 100, AX + 150, Y + 150)
    layer = gpd.GeoDataFrame(geometry=[Point(AX, Y), square, Point(AX + 10, Y)], crs=EPSG)
    inputs = make_inputs({}, layers={"open_spaces": layer})
    xy, row = destination_points(inputs, "open_spaces", spacing=25.0, rows=np.array([1, 2]))
    # the square's boundary every 25 m: 8 points and the first again; then the point of row 2
    assert list(row) == [1] * 9 + [2]
    np.testing.assert_allclose(xy[-1], [AX + 10, Y])


def test_distance_to_nearest_by_network_and_straight_line():
    # the school is 300 m north of the junction, 300 m from the road: snapped at the junction
    inputs = make_inputs({(0, 5): 10}, layers={"schools": points({}, [AX], [Y + 300])})
    raster = inputs.raster("population", 2024)
    cells, network = distance_to_nearest(inputs, raster, "schools", DEFAULTS)
    _, straight = distance_to_nearest(
        inputs, raster, "schools", {**DEFAULTS, "mode": "straight-line"}
    )
    # cell (0, 5) is 500 m east of the junction: 500 + 300 m along, sqrt(500² + 300²) straight
    assert list(cells) == [5]
    assert network == pytest.approx([800.0])
    assert straight == pytest.approx([np.hypot(500.0, 300.0)])


@pytest.mark.parametrize(
    "indicator_id",
    [
        "sdg_11_2_1",
        "sdg_11_7_1_access",
        "school_access",
        "health_access",
        "school_distance",
        "school_seats_per_child",
    ],
)
def test_a_unit_without_population_has_no_value_and_says_why(indicator_id):
    # Before: an empty share with no reason (and 0 % where the numerator was 0 too).
    from observatory.indicators.registry import Period, get_indicator

    spec = get_indicator(indicator_id)
    components = pd.DataFrame(
        {
            "numerator": [0.0, 0.0, 30.0],
            "denominator": [0.0, np.nan, 60.0],
            "unreachable_population": [0.0, np.nan, 0.0],
            "low_capacity_share": [0.0, 0.0, 30.0],
            "high_capacity_share": [0.0, 0.0, 0.0],
        },
        index=pd.Index(["empty", "missing", "lived in"], name="unit_id"),
    )
    values = spec.finalize(components, Period(2024), spec.resolve_params())
    assert np.isnan(values.loc["empty", "value"]) and np.isnan(values.loc["missing", "value"])
    assert values.loc["empty", "quality"] == (
        "not computed: nobody lives in the unit (0 people on the population grid)"
    )
    assert values.loc["missing", "quality"] == "not computed: the population of the unit is missing"
    scale = 100.0 if indicator_id not in ("school_distance", "school_seats_per_child") else 1.0
    assert values.loc["lived in", "value"] == pytest.approx(scale * 0.5)
    assert values.loc["lived in", "quality"] == ""
    for share in ("low_capacity_share", "high_capacity_share"):
        if share in values:
            assert np.isnan(values.loc["empty", share])
