"""QGIS styles of the outputs: the mapped column, quantile classes, graduated and paletted QML."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from observatory.io.geopackage import LayerStyle
from observatory.report.i18n import translator
from observatory.report.styles import (
    RAMP,
    categorized_qml,
    class_breaks,
    class_styles,
    default_column,
    graduated_qml,
    layer_style,
    paletted_qml,
)


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        # the first indicator of DEFAULT_MAP present wins, at its latest period
        (["population_2024", "population_density_2014", "population_density_2024"],
         "population_density_2024"),
        (["population_2014", "sdg_11_3_1_2004_2014", "sdg_11_3_1_2014_2024"],
         "sdg_11_3_1_2014_2024"),
        (["unit_id", "population_2014", "population_2024"], "population_2024"),
        # a component (not digits after the id) is not the indicator itself
        (["sdg_11_3_1_regime_2014_2024", "population_2024"], "population_2024"),
        (["unit_id", "unit_name", "school_access_2024"], None),
    ],
)  # fmt: skip
def test_default_column_is_the_latest_period_of_the_first_preferred_indicator(columns, expected):
    assert default_column(columns) == expected


def test_class_breaks_are_quantiles_of_the_finite_values():
    # quintiles of 1..10 (linear interpolation): 2.8, 4.6, 6.4, 8.2, 10
    breaks = class_breaks(np.array([*range(1, 11), np.nan, np.inf]))
    assert len(breaks) == 5
    assert breaks[0][0] == 1.0
    assert [upper for _, upper in breaks] == pytest.approx([2.8, 4.6, 6.4, 8.2, 10.0])
    # each class starts where the one before ends
    assert [lower for lower, _ in breaks[1:]] == [upper for _, upper in breaks[:-1]]


def test_class_breaks_of_few_values():
    assert class_breaks(np.array([np.nan, np.nan])) == []
    assert class_breaks(np.array([7.0, 7.0, np.nan])) == [(7.0, 7.0)]
    assert len(class_breaks(np.array([1.0, 2.0, 2.0, 1.0]))) == 2  # two values, two classes


def test_graduated_qml_has_a_range_and_a_colour_per_class_and_the_aliases():
    qml = graduated_qml(
        "density_2024", [(0.0, 1.5), (1.5, 2000.0)], {"unit_id": "Code", "density_2024": "A & B"}
    )
    root = ET.fromstring(qml.split("\n", 1)[1])
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol" and renderer.get("attr") == "density_2024"
    ranges = renderer.findall("ranges/range")
    assert [(r.get("lower"), r.get("upper"), r.get("label")) for r in ranges] == [
        ("0.0", "1.5", "0 – 1.5"),
        ("1.5", "2000.0", "1.5 – 2,000"),
    ]
    colours = [o.get("value") for o in renderer.iter("Option") if o.get("name") == "color"]
    assert colours == [f"{RAMP[0]},255", f"{RAMP[1]},255"]
    aliases = [(a.get("field"), a.get("index"), a.get("name")) for a in root.iter("alias")]
    assert aliases == [("unit_id", "0", "Code"), ("density_2024", "1", "A & B")]


def test_legend_bounds_are_written_in_the_language_number_format():
    french = translator("fr")
    qml = graduated_qml("d", [(929.6, 23_600.0)], {}, number=lambda v: french.number(v, decimals=1))
    labels = [r.get("label") for r in ET.fromstring(qml.split("\n", 1)[1]).iter("range")]
    assert labels == ["929,6 – 23\u202f600,0"]  # not "929.6 – 2.36e+04"


def test_categorized_qml_has_a_category_per_class_in_code_order_with_its_colour():
    qml = categorized_qml("c", {3: "ville", 1: "zone rurale"}, {3: (255, 0, 0, 255)}, {"c": "C"})
    renderer = ET.fromstring(qml.split("\n", 1)[1]).find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "c"
    categories = [(c.get("value"), c.get("label")) for c in renderer.iter("category")]
    assert categories == [("1", "zone rurale"), ("3", "ville")]
    colours = [o.get("value") for o in renderer.iter("Option") if o.get("name") == "color"]
    assert colours == ["128,128,128,255", "255,0,0,255"]  # no colour given: grey


def test_class_columns_get_an_extra_categorised_style_with_ghsl_colours():
    frame = gpd.GeoDataFrame(
        {
            "degurba_l1_2024": [3.0, 1.0],
            "degurba_l1_class_2024": ["city", "rural area"],  # the name column: not styled
            "population_2024": [1.0, 2.0],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
    )
    styles = class_styles("commune", frame, {}, lambda name: name.upper())
    assert [(s.name, s.default) for s in styles] == [("commune: degurba_l1_2024", False)]
    root = ET.fromstring(styles[0].qml.split("\n", 1)[1])
    assert [c.get("label") for c in root.iter("category")] == ["RURAL AREA", "CITY"]
    colours = [o.get("value") for o in root.iter("Option") if o.get("name") == "color"]
    assert colours == ["171,205,102,255", "255,0,0,255"]  # GHS-SMOD rural and city


def test_paletted_qml_lists_the_classes_in_code_order_with_their_colours():
    qml = paletted_qml({3: 'urban "centre"', 1: "rural"}, {3: (255, 0, 0, 255)})
    entries = ET.fromstring(qml.split("\n", 1)[1]).findall(".//paletteEntry")
    assert [(e.get("value"), e.get("color"), e.get("label")) for e in entries] == [
        ("1", "#808080", "rural"),  # no colour given: grey
        ("3", "#ff0000", 'urban "centre"'),
    ]


def test_layer_style_maps_the_default_column_or_nothing():
    frame = gpd.GeoDataFrame(
        {"unit_id": ["a", "b"], "population_2024": [10.0, 30.0]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
    )
    style = layer_style("commune", frame, {"unit_id": "Code"})
    assert isinstance(style, LayerStyle)
    assert style.name == "commune: population_2024"
    assert 'attr="population_2024"' in style.qml
    assert layer_style("commune", frame.drop(columns="population_2024"), {}) is None


def test_styles_do_not_import_mapclassify_until_classes_are_drawn():
    # mapclassify costs every command about 1.3 s at start-up: it is imported lazily
    code = (
        "import sys, observatory.report.outputs, observatory.cli.main; "
        "print('mapclassify' in sys.modules)"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout
    assert loaded.strip() == "False"
