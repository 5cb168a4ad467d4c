"""Tests of observatory.indicators.access on tiny hand-built inputs (EPSG:32629, metres).

The layout (``access_cases``): a 2 x 20 population grid of 100 m cells, two roads meeting at
the centre of cell (0, 0), ``A = (AX, Y)``, one running 1000 m west and one 2000 m east.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from access_cases import AX, EPSG, Y, make_inputs, points, run
from shapely.geometry import LineString, box

from observatory.errors import ParameterError
from observatory.indicators.inputs import Inputs


def stops(*stops_at: tuple[float, str]) -> dict:
    return {
        "transit_stops": points(
            {"capacity": [capacity for _, capacity in stops_at]}, [x for x, _ in stops_at]
        )
    }


STOP_FIELDS = {"transit_stops": {"capacity": "capacity"}}


def test_sdg_11_2_1_bus_700_and_tram_900_is_covered():
    inputs = make_inputs(
        {(0, 0): 100}, layers=stops((AX + 700, "low"), (AX - 900, "high")), fields=STOP_FIELDS
    )
    result = run("sdg_11_2_1", inputs)
    # d_low = 700 > 500 but d_high = 900 <= 1000 -> covered: 100 %
    assert result.loc["U", "value"] == pytest.approx(100.0)
    assert result.loc["U", "low_capacity_share"] == pytest.approx(0.0)
    assert result.loc["U", "high_capacity_share"] == pytest.approx(100.0)
    assert result.loc["U", "unreachable_population"] == 0
    assert result.loc["U", "mode"] == "distance: network"


def test_sdg_11_2_1_bus_700_only_is_not_covered():
    inputs = make_inputs({(0, 0): 100}, layers=stops((AX + 700, "low")), fields=STOP_FIELDS)
    assert run("sdg_11_2_1", inputs).loc["U", "value"] == pytest.approx(0.0)


def test_sdg_11_2_1_exactly_500_m_is_covered():
    inputs = make_inputs({(0, 0): 100}, layers=stops((AX + 500, "bus")), fields=STOP_FIELDS)
    result = run("sdg_11_2_1", inputs)
    assert result.loc["U", "value"] == 100.0
    assert result.loc["U", "low_capacity_share"] == 100.0


def test_sdg_11_2_1_is_population_weighted():
    # cell (0,0): 100 people at 0 m from the bus stop -> covered;
    # cell (0,10): 300 people, centre AX + 1000, 1000 m from the stop -> not covered.
    # share = 100 / 400 = 25 %
    inputs = make_inputs({(0, 0): 100, (0, 10): 300}, layers=stops((AX, "low")), fields=STOP_FIELDS)
    assert run("sdg_11_2_1", inputs).loc["U", "value"] == pytest.approx(25.0)


def test_network_distance_is_not_straight_line():
    # Cell (1, 3) has its centre at (AX + 300, Y - 100); a bus stop at (AX + 300, Y - 250)
    # ends a spur road leaving the main road at AX + 600. Straight line: 150 m. Network: the
    # cell snaps onto the main road (100 m, nearer than the spur's 150 m), then 300 m east,
    # 250 m down the spur and 300 m west: 100 + 300 + 250 + 300 = 950 m > 500.
    spur = LineString([(AX + 600, Y), (AX + 600, Y - 250), (AX + 300, Y - 250)])
    inputs = make_inputs(
        {(1, 3): 50},
        layers={"transit_stops": points({"capacity": ["low"]}, [AX + 300], [Y - 250])},
        fields=STOP_FIELDS,
        extra_roads=[spur],
    )
    assert run("sdg_11_2_1", inputs).loc["U", "value"] == pytest.approx(0.0)
    straight = run("sdg_11_2_1", inputs, mode="straight-line")
    assert straight.loc["U", "value"] == pytest.approx(100.0)
    assert straight.loc["U", "mode"] == "distance: straight-line"


def island_inputs(layers, fields=None):
    # cell (1, 5): centre (AX + 500, Y - 100) lies on an island road with no facility;
    # cell (0, 0): 100 people on the mainland at the junction.
    island = LineString([(AX + 450, Y - 100), (AX + 550, Y - 100)])
    return make_inputs(
        {(0, 0): 100, (1, 5): 60}, layers=layers, fields=fields, extra_roads=[island]
    )


def test_unreachable_population_is_reported_not_zero():
    inputs = island_inputs({"schools": points({"seats": [10]}, [AX + 200])})
    result = run("school_access", inputs)
    # mainland: 200 m <= 1000 -> covered (100); island: unreachable (60), not covered
    # share = 100 / 160 = 62.5 %
    assert result.loc["U", "value"] == pytest.approx(62.5)
    assert result.loc["U", "unreachable_population"] == pytest.approx(60.0)
    assert any("60 people" in warning for warning in inputs.warnings)


def test_school_distance_averages_reachable_people_only():
    inputs = island_inputs({"schools": points({"seats": [10]}, [AX + 200])})
    result = run("school_distance", inputs)
    # only the 100 mainland people, at 200 m; the island's 60 are reported apart
    assert result.loc["U", "value"] == pytest.approx(200.0)
    assert result.loc["U", "unreachable_population"] == pytest.approx(60.0)


def test_school_distance_weighted_mean():
    # 100 people at 0 m (junction) and 300 at 1000 m (cell (0, 10)) from the school at AX:
    # (100 x 0 + 300 x 1000) / 400 = 750 m
    inputs = make_inputs(
        {(0, 0): 100, (0, 10): 300}, layers={"schools": points({"seats": [10]}, [AX])}
    )
    assert run("school_distance", inputs).loc["U", "value"] == pytest.approx(750.0)


def test_school_access_threshold_is_a_parameter():
    inputs = make_inputs({(0, 10): 300}, layers={"schools": points({"seats": [10]}, [AX])})
    # 1000 m: covered at the default threshold (<=), not at 999 m
    assert run("school_access", inputs).loc["U", "value"] == pytest.approx(100.0)
    assert run("school_access", inputs, threshold_m=999.0).loc["U", "value"] == 0.0


def test_health_access_and_open_space_access():
    park = gpd.GeoDataFrame(geometry=[box(AX + 500, Y + 10, AX + 600, Y + 110)], crs=EPSG)
    inputs = make_inputs(
        {(0, 0): 100, (0, 19): 100},
        layers={"health": points({}, [AX + 2000]), "open_spaces": park},
    )
    # health centre at the east end of the road: the junction cell is 2000 m away
    # (<= 2400), cell (0, 19) at AX + 1900 is 100 m away -> both covered: 100 %
    assert run("health_access", inputs).loc["U", "value"] == pytest.approx(100.0)
    # the park's entrances are its boundary points, 10 m off the road at best: from the
    # junction (AX + 500, Y + 10) is 500 + 10 = 510 m > 400; from cell (0, 19),
    # (AX + 600, Y + 10) is 1300 + 10 = 1310 m -> 0 %
    assert run("sdg_11_7_1_access", inputs).loc["U", "value"] == pytest.approx(0.0)
    # within 600 m: only the junction cell (510 m) -> 50 %
    assert run("sdg_11_7_1_access", inputs, threshold_m=600.0).loc["U", "value"] == pytest.approx(
        50.0
    )


def test_unknown_mode_is_refused():
    inputs = make_inputs({(0, 0): 100}, layers={"schools": points({"seats": [1]}, [AX])})
    with pytest.raises(ParameterError, match="straight-line"):
        run("school_access", inputs, mode="crow-flies")


def test_stops_without_capacity_field_are_low_capacity_with_a_warning():
    inputs = make_inputs({(0, 0): 100}, layers=stops((AX + 900, "high")))
    # no capacity field configured: the stop is low-capacity, 900 m > 500 -> 0 %
    assert run("sdg_11_2_1", inputs).loc["U", "value"] == pytest.approx(0.0)
    assert any("low-capacity" in warning for warning in inputs.warnings)


def bridge_inputs(*, marked: bool) -> Inputs:
    # A bridge crosses the main road at AX + 500 without being joined to it: from
    # (AX + 500, Y - 300) to (AX + 500, Y + 300), continued by an ordinary street to
    # (AX + 900, Y + 300); the school (AX + 900, Y + 310) snaps 10 m off that street.
    bridge = LineString([(AX + 500, Y - 300), (AX + 500, Y + 300)])
    street = LineString([(AX + 500, Y + 300), (AX + 900, Y + 300)])
    inputs = make_inputs(
        {(0, 0): 100},
        layers={"schools": points({"seats": [10]}, [AX + 900], [Y + 310])},
        extra_roads=[bridge, street],
    )
    roads = inputs.layers["roads"].copy()
    roads["bridge"] = ["no", "no", "yes", "no"]
    inputs.layers["roads"] = roads
    if marked:
        inputs.fields["roads"]["bridge"] = "bridge"
    return inputs


def test_bridge_marked_in_the_layer_is_not_noded():
    # marked: the bridge and its street are cut off from the junction: unreachable
    result = run("school_distance", bridge_inputs(marked=True))
    assert np.isnan(result.loc["U", "value"])
    assert result.loc["U", "unreachable_population"] == pytest.approx(100.0)


def test_same_crossing_without_the_bridge_field_is_noded():
    # noded at the crossing: 500 + 300 + 400 + 10 = 1210 m
    result = run("school_distance", bridge_inputs(marked=False))
    assert result.loc["U", "value"] == pytest.approx(1210.0)
