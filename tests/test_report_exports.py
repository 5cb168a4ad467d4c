"""Open SDG and SDMX-CSV exports of a results folder: layout, codes, class disaggregation."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import yaml
from shapely.geometry import box

from observatory.io.published import PublishedResults
from observatory.report.exports import (
    SDMX_COLUMNS,
    SDMX_DIMENSIONS,
    class_aggregates,
    opensdg_files,
    ratio_scale,
    reported,
    sdmx_table,
    top_units,
)

NAN = float("nan")


def layer(codes, names, parents):
    return gpd.GeoDataFrame(
        {"unit_id": codes, "unit_name": names, "parent_id": parents},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(codes))],
    )


def rows(indicator, period, unit, values):
    """Long-table rows: values = [(level, code, name, value, numerator, denominator)]."""
    return [
        {"level": lv, "unit_id": c, "unit_name": n, "indicator": indicator, "period": period,
         "value": v, "unit": unit, "numerator": nu, "denominator": de, "note": ""}
        for lv, c, n, v, nu, de in values
    ]  # fmt: skip


def published() -> PublishedResults:
    """A region 04 of one province 04.1 with three communes: a city, a town, a rural area.

    SDG 11.2.1 (percent, scale 100): communes 60/100, 30/50, 10/50 people → region 100/200.
    """
    nan = float("nan")
    long = pd.DataFrame(
        rows("sdg_11_2_1", "2024", "%", [
            ("region", "04", "Région", 50.0, 100.0, 200.0),
            ("province", "04.1", "Province", 50.0, 100.0, 200.0),
            ("commune", "04.1.1", "Ville", 60.0, 60.0, 100.0),
            ("commune", "04.1.2", "Bourg", 60.0, 30.0, 50.0),
            ("commune", "04.1.3", "Douar", 20.0, 10.0, 50.0),
        ])
        + rows("sdg_11_3_1", "2014_2024", "ratio", [
            ("region", "04", "Région", 1.25, nan, nan),
            ("commune", "04.1.3", "Douar", nan, nan, nan),
        ])
        + rows("sdg_11_7_1_access", "2024", "%", [("region", "04", "Région", 30.0, 3, 10)])
        + rows("degurba_l1", "2024", "class", [
            ("commune", "04.1.1", "Ville", 3.0, nan, nan),
            ("commune", "04.1.2", "Bourg", 2.0, nan, nan),
            ("commune", "04.1.3", "Douar", 1.0, nan, nan),
        ])
    )  # fmt: skip
    layers = {
        "region": layer(["04"], ["Région"], [None]),
        "province": layer(["04.1"], ["Province"], ["04"]),
        "commune": layer(["04.1.1", "04.1.2", "04.1.3"], ["Ville", "Bourg", "Douar"], ["04.1"] * 3),
    }
    provenance = {"project": {"settings": {"project": {"name": "Test", "language": "fr"}}}}
    return PublishedResults(Path("results"), long, layers, provenance)


def test_every_unit_has_its_coarsest_unit():
    assert top_units(published()) == {"04": "04", "04.1": "04", "04.1.1": "04", "04.1.2": "04",
                                      "04.1.3": "04"}  # fmt: skip


def test_ratio_scale_is_read_from_the_data_or_refused():
    long = published().long
    assert ratio_scale(long[long["indicator"] == "sdg_11_2_1"]) == pytest.approx(100.0)
    assert ratio_scale(long[long["indicator"] == "sdg_11_3_1"]) is None  # no components
    mixed = pd.DataFrame({"value": [50.0, 7.0], "numerator": [1.0, 1.0], "denominator": [2, 2]})
    assert ratio_scale(mixed) is None  # not one ratio scaled: no disaggregation


def test_class_aggregates_sum_the_components_of_the_finest_units_of_each_class():
    by_class = class_aggregates(published(), "sdg_11_2_1", {3: "city", 2: "town", 1: "rural"})
    values = dict(zip(by_class["group"], by_class["value"], strict=True))
    assert values == pytest.approx({"city": 60.0, "town": 60.0, "rural": 20.0})
    urban_rural = class_aggregates(published(), "sdg_11_2_1", {3: "U", 2: "U", 1: "R"})
    values = dict(zip(urban_rural["group"], urban_rural["value"], strict=True))
    assert values == pytest.approx({"U": 100 * 90 / 150, "R": 20.0})
    assert class_aggregates(published(), "sdg_11_3_1", {1: "R"}).empty


def test_opensdg_data_follows_the_platform_layout():
    files = opensdg_files(published(), "fr")
    assert sorted(files) == [
        "data/indicator_11-2-1.csv", "data/indicator_11-3-1.csv", "data/indicator_11-7-1.csv",
        "meta/11-2-1.yml", "meta/11-3-1.yml", "meta/11-7-1.yml",
    ]  # fmt: skip
    data = files["data/indicator_11-2-1.csv"]
    assert list(data.columns) == [
        "Year", "Series", "Province", "Commune", "Degré d'urbanisation", "GeoCode", "Units",
        "Value",
    ]  # fmt: skip
    # the headline (the region, a single unit): every disaggregation blank
    headline = data.iloc[0]
    assert (headline["Year"], headline["GeoCode"], headline["Value"]) == (2024, "04", 50.0)
    assert (headline[["Province", "Commune", "Degré d'urbanisation"]] == "").all()
    communes = data[data["Commune"] != ""]
    assert communes["GeoCode"].tolist() == ["04.1.1", "04.1.2", "04.1.3"]
    assert (communes["Province"] == "").all()
    classes = data[data["Degré d'urbanisation"] != ""]
    assert dict(zip(classes["Degré d'urbanisation"], classes["Value"], strict=True)) == (
        pytest.approx(
            {"ville": 60.0, "ville moyenne et zone semi-dense": 60.0, "zone rurale": 20.0}
        )
    )
    assert set(data["Units"]) == {"%"}
    # a change period is reported for its last year; a missing value is left out
    lcrpgr = files["data/indicator_11-3-1.csv"]
    assert lcrpgr[["Year", "Value"]].values.tolist() == [[2024, 1.25]]
    assert "Degré d'urbanisation" not in lcrpgr.columns


def test_opensdg_data_passes_the_platform_checks(tmp_path):
    for name, content in opensdg_files(published(), "fr").items():
        if not name.endswith(".csv"):
            continue
        content.to_csv(tmp_path / "data.csv", index=False)
        data = pd.read_csv(tmp_path / "data.csv")
        assert data.columns[0] == "Year" and data.columns[-1] == "Value", name
        assert data.columns[-3:].tolist() == ["GeoCode", "Units", "Value"]
        assert pd.api.types.is_numeric_dtype(data["Value"])
        assert pd.api.types.is_integer_dtype(data["Year"])
        assert not data.isna().all(axis=1).any()  # no empty row
        for column in data.select_dtypes(exclude="number"):
            text = data[column].dropna()
            assert not (text.str.startswith(" ") | text.str.endswith(" ")).any(), column


def test_opensdg_metadata_has_the_mandatory_fields():
    files = opensdg_files(published(), "ar")
    meta = yaml.safe_load(files["meta/11-7-1.yml"])
    for field in ("indicator_number", "indicator_name", "reporting_status",
                  "data_non_statistical", "graph_title", "graph_type"):  # fmt: skip
        assert field in meta, field
    assert meta["indicator_number"] == "11.7.1" and meta["reporting_status"] == "complete"
    assert meta["data_non_statistical"] is False and meta["graph_type"] in ("line", "bar")
    assert meta["indicator_name"] == "الوصول إلى المساحات العامة المفتوحة"
    assert meta["sdg_goal"] == "11" and meta["indicator_sort_order"] == "11-07-01"


def test_sdmx_rows_have_the_sdg_dimensions_and_global_series_codes():
    table, skipped = sdmx_table(published())
    assert list(table.columns) == list(SDMX_COLUMNS)
    assert SDMX_DIMENSIONS[:4] == ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA")
    assert SDMX_DIMENSIONS[-1] == "TIME_PERIOD"
    assert set(table["SERIES"]) == {"SP_TRN_PUBL", "EN_LND_CNSPOP"}
    assert "sdg_11_7_1_access" in skipped  # no global series
    units = dict(zip(table["SERIES"], table["UNIT_MEASURE"], strict=False))
    assert units == {"SP_TRN_PUBL": "PT", "EN_LND_CNSPOP": "RO"}
    region = table[(table["REF_AREA"] == "04") & (table["SERIES"] == "SP_TRN_PUBL")]
    values = dict(zip(region["URBANISATION"], region["OBS_VALUE"], strict=True))
    assert values == pytest.approx({"_T": 50.0, "U": 60.0, "R": 20.0})
    assert set(table["TIME_PERIOD"]) == {"2024"} and set(table["FREQ"]) == {"A"}
    assert table["REF_AREA"].tolist().count("04.1.3") == 1  # its missing 11.3.1 left out
    keyed = ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "URBANISATION", "TIME_PERIOD")
    others = [d for d in SDMX_DIMENSIONS if d not in keyed]
    assert (table[others] == "_T").all().all()


def test_of_the_periods_ending_in_a_year_the_exports_report_the_shorter():
    # three years: 2000_2005, 2005_2015 and the whole span 2000_2015, which also ends in 2015
    base = published()
    spans = pd.DataFrame(
        rows("sdg_11_3_1", "2000_2005", "ratio", [("region", "04", "Région", 1.5, NAN, NAN)])
        + rows("sdg_11_3_1", "2005_2015", "ratio", [("region", "04", "Région", 2.5, NAN, NAN)])
        + rows("sdg_11_3_1", "2000_2015", "ratio", [("region", "04", "Région", 2.0, NAN, NAN)])
    )
    long = pd.concat([base.long[base.long["indicator"] != "sdg_11_3_1"], spans])
    three = PublishedResults(base.folder, long, base.layers, base.provenance)
    assert reported(spans)["period"].tolist() == ["2000_2005", "2005_2015"]
    table, _ = sdmx_table(three)
    lcrpgr = table[table["SERIES"] == "EN_LND_CNSPOP"]
    assert dict(zip(lcrpgr["TIME_PERIOD"], lcrpgr["OBS_VALUE"], strict=True)) == {
        "2005": 1.5,
        "2015": 2.5,
    }
    data = opensdg_files(three, "en")["data/indicator_11-3-1.csv"]
    assert sorted(data["Year"]) == [2005, 2015]
