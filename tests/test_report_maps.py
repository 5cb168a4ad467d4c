"""Printable maps: classes, legend texts in the language, title, no-data class, file sizes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from report_cases import write_results

from observatory.errors import OutputExistsError, ParameterError
from observatory.io.figures import write_figure
from observatory.io.published import read_published
from observatory.report.i18n import translator
from observatory.report.legend import ABOVE, BELOW, FALLING_COLOUR, SEQUENTIAL, map_legend
from observatory.report.mapdata import choose, periods_of
from observatory.report.maps import indicator_map

NNBSP = "\u202f"  # French thousands separator


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return read_published(write_results(tmp_path_factory.mktemp("maps")))


def with_no_value(published, indicator_id: str, unit_id: str):
    """A copy of ``published`` where one unit has no value of ``indicator_id``."""
    long = published.long.copy()
    long.loc[(long["indicator"] == indicator_id) & (long["unit_id"] == unit_id), "value"] = np.nan
    return dataclasses.replace(published, long=long)


def test_a_sequential_legend_has_one_class_per_value_when_values_are_few():
    legend = map_legend(
        [440.0, 1320.0, np.nan, 1760.0], indicator_id="population", kind="count", t=translator("fr")
    )
    assert legend.kind == "sequential"
    assert [c.label for c in legend.classes] == ["440", f"1{NNBSP}320", f"1{NNBSP}760"]
    assert [c.colour for c in legend.classes] == list(SEQUENTIAL[:3])
    assert legend.index.tolist() == [0, 1, -1, 2]
    assert (legend.no_data.label, legend.no_data.count) == ("Pas de données", 1)


def test_natural_breaks_and_quantiles_cut_many_values_into_five_classes():
    values = np.arange(1.0, 101.0)
    t = translator("en")
    for method, name in (("natural-breaks", "Natural breaks (Jenks)"), ("quantiles", "Quantiles")):
        legend = map_legend(values, indicator_id="x", kind="ratio", t=t, method=method)
        assert legend.method == name
        assert len(legend.classes) == 5
        assert sum(c.count for c in legend.classes) == 100


def test_a_signed_indicator_is_diverging_around_zero():
    values = [-2.0, -1.0, 0.5, 1.5, 3.0]
    legend = map_legend(
        values, indicator_id="population_growth_rate", kind="rate", t=translator("en")
    )
    assert legend.kind == "diverging"
    colours = [legend.colour_of(i) for i in range(5)]
    assert set(colours[:2]) <= set(BELOW) and set(colours[2:]) <= set(ABOVE)


def test_sdg_11_3_1_keeps_units_whose_population_fell_apart_and_centres_on_one():
    values = [-3.0, 0.6, 0.9, 1.4, 2.5]
    falling = [True, False, False, False, False]
    legend = map_legend(
        values, indicator_id="sdg_11_3_1", kind="rate", t=translator("fr"), falling=falling
    )
    assert legend.classes[-1].label == "Population en baisse"
    assert legend.colour_of(0) == FALLING_COLOUR
    assert {legend.colour_of(1), legend.colour_of(2)} <= set(BELOW)
    assert {legend.colour_of(3), legend.colour_of(4)} <= set(ABOVE)


def test_degurba_classes_take_the_ghsl_palette_and_localised_names():
    legend = map_legend(
        [30.0, 13.0, 30.0], indicator_id="degurba_l2", kind="class", t=translator("ar")
    )
    assert [c.label for c in legend.classes] == ["مدينة", "قرية"]
    assert [c.colour for c in legend.classes] == ["#ff0000", "#375623"]
    assert [c.count for c in legend.classes] == [2, 1]


def test_the_svg_map_has_its_title_legend_scale_north_source_and_no_data(published, tmp_path):
    missing = with_no_value(published, "population", "04.004")
    figure = indicator_map(missing, "population", t=translator("fr"), period="2024")
    path = write_figure(figure, tmp_path / "population.svg", overwrite=False)
    svg = path.read_text(encoding="utf-8")
    for text in (
        "Population, 2024",
        "Commune · Seuils naturels (Jenks)",
        "habitants",
        f"1{NNBSP}320",
        "Pas de données  (1)",
        ">m<",  # the territory is 4 km wide: a 500 m scale bar
        ">500<",
        ">N<",
        "Source : Test territory",
    ):
        assert text in svg, text


def test_a_png_map_is_printable_and_the_same_map_gives_the_same_file(published, tmp_path):
    figure = indicator_map(published, "degurba_l1", t=translator("en"))
    first = write_figure(figure, tmp_path / "a.png", overwrite=False)
    second = write_figure(figure, tmp_path / "b.png", overwrite=False)
    with Image.open(first) as image:
        assert image.size == (1600, 1320)
    assert first.read_bytes() == second.read_bytes()
    assert write_figure(figure, tmp_path / "c.pdf", overwrite=False).read_bytes()[:4] == b"%PDF"


def test_a_map_file_is_refused_with_an_unknown_suffix_or_when_it_exists(published, tmp_path):
    figure = indicator_map(published, "population", t=translator("en"))
    with pytest.raises(ParameterError, match=r"\.png, \.svg, \.pdf"):
        write_figure(figure, tmp_path / "map.jpg", overwrite=False)
    write_figure(figure, tmp_path / "map.png", overwrite=False)
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write_figure(figure, tmp_path / "map.png", overwrite=False)


def test_a_period_or_level_not_in_the_results_is_refused_with_those_that_are(published):
    with pytest.raises(ParameterError, match="use one of 2014, 2024"):
        indicator_map(published, "population", t=translator("en"), period="1999")
    with pytest.raises(ParameterError, match="use one of region, province, commune"):
        indicator_map(published, "population", t=translator("en"), level="district")


def test_change_periods_are_listed_step_by_step_then_the_whole_span_the_default(published):
    long = published.long
    growth = long[long["indicator"] == "population_growth_rate"]
    relabelled = [growth.assign(period=p) for p in ("2000_2015", "2005_2015", "2000_2005")]
    three = dataclasses.replace(
        published,
        long=pd.concat([long[long["indicator"] != "population_growth_rate"], *relabelled]),
    )
    assert periods_of(three, "population_growth_rate") == ["2000_2005", "2005_2015", "2000_2015"]
    assert choose(three, "population_growth_rate", period=None, level=None)[0] == "2000_2015"
    assert periods_of(three, "population") == ["2014", "2024"]
