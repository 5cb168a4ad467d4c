"""What compute publishes from a run: a styled layer per level, the long table, provenance."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import xml.etree.ElementTree as ET

import builders
import numpy as np
import pandas as pd
import pyogrio
import pytest
from builders import build_project, replace_raster
from openpyxl import load_workbook
from series_cases import three_year_project

from observatory.engine import run
from observatory.project import load_project
from observatory.report.i18n import translator
from observatory.report.outputs import write_outputs


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("project")
    return run(load_project(build_project(folder)))


@pytest.fixture(scope="module")
def written(results, tmp_path_factory):
    folder = tmp_path_factory.mktemp("outputs")
    write_outputs(results, folder, overwrite=False)
    return folder


def test_geopackage_has_a_layer_per_level_with_contract_columns(written):
    geopackage = written / "indicators.gpkg"
    layers = [name for name, _ in pyogrio.list_layers(geopackage)]
    assert layers[:3] == ["region", "province", "commune"]
    assert "layer_styles" in layers
    communes = pyogrio.read_dataframe(geopackage, layer="commune")
    for column in (
        "unit_id",
        "unit_name",
        "parent_id",
        "population_2014",
        "population_density_2024",
        "sdg_11_3_1_2014_2024",
        "sdg_11_3_1_regime_2014_2024",
    ):
        assert column in communes.columns
    assert communes["unit_id"].tolist() == ["04.001", "04.002", "04.003", "04.004"]


def test_each_layer_opens_on_the_population_density_map_with_french_aliases(written):
    geopackage = written / "indicators.gpkg"
    styles = pyogrio.read_dataframe(geopackage, layer="layer_styles")
    assert set(styles["f_table_name"]) == {"region", "province", "commune"}
    defaults = styles[styles["useAsDefault"].astype(bool)]
    assert sorted(defaults["f_table_name"]) == ["commune", "province", "region"]  # one each
    commune_style = defaults.set_index("f_table_name").loc["commune"]
    assert commune_style["styleName"] == "commune: population_density_2024"
    qml = commune_style["styleQML"]
    assert 'attr="population_density_2024"' in qml and "graduatedSymbol" in qml
    # QGIS applies a stored style only when it names the layer's real geometry column
    with sqlite3.connect(geopackage) as connection:
        geometry_columns = dict(
            connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
        )
    assert commune_style["f_geometry_column"] == geometry_columns["commune"]
    aliases = {
        a.get("field"): a.get("name") for a in ET.fromstring(qml.split("\n", 1)[1]).iter("alias")
    }
    assert aliases["unit_name"] == "Nom"  # the test project is in French
    assert aliases["population_density_2024"] == "Densité de population 2024"
    assert aliases["sdg_11_3_1_lcr_2014_2024"].endswith(
        " : taux de consommation d'espace 2014_2024"
    )
    assert all(name != field for field, name in aliases.items() if field != "unit_id")
    labels = [r.get("label") for r in ET.fromstring(qml.split("\n", 1)[1]).iter("range")]
    assert labels and all("e+" not in label and "." not in label for label in labels)


def test_csv_round_trips_codes_as_text(written):
    table = pd.read_csv(written / "indicators.csv", dtype=str, encoding="utf-8-sig")
    assert list(table.columns[:9]) == [
        "level",
        "unit_id",
        "unit_name",
        "indicator",
        "period",
        "value",
        "unit",
        "numerator",
        "denominator",
    ]
    assert "04" in set(table["unit_id"])  # the region's code keeps its leading zero
    assert "04.001" in set(table["unit_id"])
    units = table.drop_duplicates("indicator").set_index("indicator")["unit"]
    assert units["sdg_11_3_1"] == "ratio"
    assert units["sdg_11_3_1_lcr"] == "% per year"  # a component keeps its own unit
    assert units["school_access_unreachable_population"] == "people"
    comma = pd.read_csv(written / "indicators_fr.csv", sep=";", decimal=",", dtype={"value": float})
    assert list(comma.columns) == list(table.columns)
    assert set(comma["unit_id"]) == {f'="{code}"' for code in table["unit_id"]}
    assert comma["value"].tolist() == pytest.approx(
        pd.read_csv(written / "indicators.csv")["value"].tolist(), nan_ok=True, rel=0, abs=0
    )


def test_workbook_for_a_statistician_in_the_project_language(written):
    workbook = load_workbook(written / "indicators.xlsx")
    levels = ["region", "province", "commune"]
    assert workbook.sheetnames == [
        *levels, "séries", "indicateurs", "métadonnées", "non calculés"
    ]  # fmt: skip
    wide = workbook["commune"]
    assert wide.freeze_panes == "C4" and wide.auto_filter.ref.startswith("A3:")
    header = {c.value: c.column for c in wide[1] if c.value}
    assert [wide.cell(1, i).value for i in (1, 2, 3)] == ["Code", "Nom", "Code parent"]
    density = header["Densité de population"]
    assert wide.cell(2, density).value in ("2014", "2024")
    assert wide.cell(3, density).value == "hab./km²"
    assert wide.cell(4, density).number_format == "#,##0"
    assert wide.cell(4, 1).data_type == "s" and wide.cell(4, 1).value == "04.001"
    long = workbook["indicateurs"]
    assert [c.value for c in long[1]][:9] == [
        "Niveau", "Code", "Nom", "Indicateur", "Période", "Valeur", "Unité", "Numérateur",
        "Dénominateur",
    ]  # fmt: skip
    assert long.freeze_panes == "D2" and long.auto_filter.ref.startswith("A1:M")
    rows = {(r[1].value, r[12].value): r for r in long.iter_rows(min_row=2)}  # id: last
    region = rows[("04", "population_density")]
    assert region[1].data_type == "s"  # the region's code keeps its leading zero
    assert region[5].number_format == "#,##0" and region[6].value == "hab./km²"
    assert rows[("04", "sdg_11_3_1")][5].number_format == "#,##0.00"
    assert rows[("04", "built_up_share")][5].number_format == "#,##0.0"
    # every value, numerator and denominator is the long table's, to the 16 significant
    # digits a workbook keeps (read as text and converted by Python, exactly)
    table = pd.read_csv(written / "indicators.csv", dtype=str, keep_default_na=False)
    for position, column in ((5, "value"), (7, "numerator"), (8, "denominator")):
        cells = [r[position].value for r in long.iter_rows(min_row=2)]
        cells = np.array([np.nan if c is None else c for c in cells], dtype=float)
        expected = np.array([float(f"{float(v):.16g}") if v else np.nan for v in table[column]])
        different = ~((cells == expected) | (np.isnan(cells) & np.isnan(expected)))
        assert not different.any(), (column, cells[different][:3], expected[different][:3])
    metadata = workbook["métadonnées"]
    assert [c.value for c in metadata[1]] == [
        "Identifiant de l'indicateur", "Indicateur", "Définition", "Formule", "Unité", "Sources",
    ]  # fmt: skip
    sheets = {r[0].value: r for r in metadata.iter_rows(min_row=2)}
    assert sheets["sdg_11_3_1"][2].value.startswith("ODD 11.3.1")
    assert "SDG 11.3.1" in sheets["sdg_11_3_1"][5].value
    skipped = workbook["non calculés"]
    assert [c.value for c in skipped[1]] == [
        "Identifiant de l'indicateur", "Indicateur", "Niveau", "Code", "Nom", "Période", "Raison"
    ]  # fmt: skip
    assert "sdg_11_6_2" in {r[0].value for r in skipped.iter_rows(min_row=2)}


def test_class_layers_have_a_categorised_style_with_french_class_names(written):
    styles = pyogrio.read_dataframe(written / "indicators.gpkg", layer="layer_styles")
    extra = styles[~styles["useAsDefault"].astype(bool)]
    assert "commune: degurba_l1_2024" in set(extra["styleName"])
    qml = extra.set_index("styleName").loc["commune: degurba_l1_2024", "styleQML"]
    labels = {c.get("label") for c in ET.fromstring(qml.split("\n", 1)[1]).iter("category")}
    assert labels <= {"ville", "ville moyenne et zone semi-dense", "zone rurale"} and labels


def test_provenance_lists_every_input_with_its_hash(results, written):
    provenance = json.loads((written / "provenance.json").read_text(encoding="utf-8"))
    inputs = provenance["inputs"]
    assert set(inputs) == {str(p) for p in results.project.input_paths()}
    for path, digest in inputs.items():
        with open(path, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == digest
    assert provenance["tool"]["name"] == "observatory"
    assert "exactextract" in provenance["libraries"]
    assert provenance["population_sources"] == {"2014": "census", "2024": "census"}
    assert "sdg_11_6_2" in provenance["indicators_not_computed"]


def test_provenance_records_the_grid_of_every_raster(written):
    # the test rasters: 1 km cells of ESRI:54009, population and built-up for 2014 and
    # 2024, land without year
    provenance = json.loads((written / "provenance.json").read_text(encoding="utf-8"))
    grid = {"crs": "ESRI:54009", "crs_unit": "metre", "cell_size": [1000.0, 1000.0]}
    assert provenance["grids"] == {
        "population": {"2014": grid, "2024": grid},
        "built_up": {"2014": grid, "2024": grid},
        "land": {"static": grid},
    }


@pytest.fixture(scope="module")
def flagged(tmp_path_factory):
    """Outputs of the test project whose 2024 built-up grid has no data over 04.004 (SE)."""
    rasters = builders.sample_rasters()
    data = rasters["built_up"][2024].data.copy()
    data[2:, 2:] = builders.NODATA
    project = build_project(
        tmp_path_factory.mktemp("cropped"), edit=replace_raster("built_up", 2024, data=data)
    )
    results = run(load_project(project), indicator_ids=["built_up_area", "population"])
    folder = tmp_path_factory.mktemp("flagged")
    write_outputs(results, folder, overwrite=False)
    return folder


def test_a_value_not_published_is_flagged_in_every_output(flagged):
    folder = flagged
    reason = "not published: the built_up 2024 raster covers 0.0 % of the unit (below 99.0 %)"
    table = pd.read_csv(folder / "indicators.csv", dtype=str, encoding="utf-8-sig")
    assert list(table.columns[-3:]) == ["note", "coverage", "quality"]
    rows = table.set_index(["level", "unit_id", "indicator", "period"])
    commune = rows.loc[("commune", "04.004", "built_up_area", "2024")]
    assert pd.isna(commune["value"]) and commune["quality"] == reason
    assert commune["coverage"] == "0.0"
    # The province is half covered, the region three quarters: both below 99 %. (Shares of
    # areas on the ellipsoid, where the northern commune 04.003 is 4e-6 larger than 04.004.)
    province = rows.loc[("province", "04.02", "built_up_area", "2024"), "coverage"]
    assert float(province) == pytest.approx(0.5, abs=1e-5)
    region = rows.loc[("region", "04", "built_up_area", "2024"), "coverage"]
    assert float(region) == pytest.approx(0.75, abs=1e-5)
    assert rows.loc[("commune", "04.001", "built_up_area", "2024"), "coverage"] == "1.0"
    assert pd.isna(rows.loc[("commune", "04.001", "built_up_area", "2024"), "quality"])
    assert pd.isna(rows.loc[("commune", "04.004", "population", "2024"), "coverage"])
    # The layers and the workbook, in the project's language (French), say it in French;
    # indicators.csv and provenance.json keep the English text, the same in every project.
    french = "non publié : le raster built_up 2024 couvre 0,0 % de l'unité (moins de 99,0 %)"
    communes = pyogrio.read_dataframe(folder / "indicators.gpkg", layer="commune")
    assert communes["built_up_area_2024_quality"].tolist()[3] == french
    assert "built_up_area_2014_quality" not in communes.columns  # nothing flagged in 2014
    assert "population_2024_quality" not in communes.columns
    styles = pyogrio.read_dataframe(folder / "indicators.gpkg", layer="layer_styles")
    qml = styles.set_index("f_table_name").loc["commune", "styleQML"]
    assert 'name="Surface bâtie 2024: qualité"' in qml
    t = translator("fr")  # the project's language
    excel = pd.read_excel(folder / "indicators.xlsx", sheet_name=None, dtype=str)
    long_sheet = excel[t.gettext("indicators")]
    assert long_sheet.columns[-2] == t.gettext("Quality")  # before the indicator id
    skipped = excel[t.gettext("not computed")]
    skipped = skipped.set_index([t.gettext("Level"), t.gettext("Code")])
    assert skipped.loc[("commune", "04.004"), t.gettext("Reason")] == french
    assert french in set(long_sheet[t.gettext("Quality")].dropna())
    provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert {
        "level": "commune",
        "unit_id": "04.004",
        "unit_name": "Témara-Sud",
        "indicator": "built_up_area",
        "period": "2024",
        "quality": reason,
    } in provenance["values_not_published"]
    warning = (
        "the built_up 2024 raster covers less than 99.0 % of 1 commune(s): Témara-Sud "
        "(04.004) 0.0 %; 1 province(s): Skhirate-Témara (04.02) 50.0 %; 1 region(s): "
        "Rabat-Salé-Kénitra (04) 75.0 %; the values computed from it there are not published "
        "(empty, with the reason in the quality column)."
    )
    assert warning in provenance["warnings"]


@pytest.fixture(scope="module")
def three_years(tmp_path_factory):
    """The outputs of the three-year project of series_cases.py (2000, 2005, 2015)."""
    project = three_year_project(tmp_path_factory.mktemp("three-years"))
    results = run(load_project(project))
    folder = tmp_path_factory.mktemp("three-year-outputs")
    write_outputs(results, folder, overwrite=False)
    return folder


#: Growth rates (% per year) of every unit of the three-year project: +10 % in 5 years,
#: +10 % in 10 years, +21 % in 15 years; its land consumption rates: +20 %, +20 %, +44 %.
GROWTH = {
    "2000_2005": 100 * math.log(1.1) / 5,
    "2005_2015": 100 * math.log(1.1) / 10,
    "2000_2015": 100 * math.log(1.21) / 15,
}
LAND = {
    "2000_2005": 100 * math.log(1.2) / 5,
    "2005_2015": 100 * math.log(1.2) / 10,
    "2000_2015": 100 * math.log(1.44) / 15,
}


def test_three_years_give_a_field_per_year_pair_and_whole_span_in_the_geopackage(three_years):
    geopackage = three_years / "indicators.gpkg"
    region = pyogrio.read_dataframe(geopackage, layer="region")
    columns = [c for c in region.columns if c.startswith("population_")]
    assert columns[:3] == ["population_2000", "population_2005", "population_2015"]
    growth = [f"population_growth_rate_{period}" for period in GROWTH]
    assert [c for c in columns if c.startswith("population_growth")] == growth
    assert region.loc[0, ["population_2000", "population_2005", "population_2015"]].tolist() == [
        4000,
        4400,
        4840,
    ]
    assert region.loc[0, growth].tolist() == pytest.approx(list(GROWTH.values()), rel=1e-12)
    communes = pyogrio.read_dataframe(geopackage, layer="commune").set_index("unit_id")
    lcr = [f"land_consumption_rate_{period}" for period in LAND]
    assert communes.loc["04.001", lcr].tolist() == pytest.approx(list(LAND.values()), rel=1e-9)
    # 04.004 has no built-up in any year: no rate, NULL and not 0, with the reason
    assert communes.loc["04.004", lcr].isna().all()
    reason = communes.loc["04.004", "land_consumption_rate_2000_2015_quality"]
    assert reason == "non calculé : la valeur de 2000 vaut 0"  # the project is in French
    styles = pyogrio.read_dataframe(geopackage, layer="layer_styles")
    qml = styles.set_index("styleName").loc["region: population_density_2015", "styleQML"]
    assert 'name="Taux de croissance démographique 2000_2015"' in qml


def test_the_series_sheet_has_a_row_per_unit_and_indicator_and_a_column_per_period(
    three_years,
):
    sheet = load_workbook(three_years / "indicators.xlsx")["séries"]
    header = [c.value for c in sheet[1]]
    assert header == [
        "Niveau", "Code", "Nom", "Code parent", "Indicateur", "Unité",
        "2000", "2005", "2015", "2000_2005", "2005_2015", "2000_2015",
        "Qualité", "Identifiant de l'indicateur",
    ]  # fmt: skip
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref.startswith("A1:N")
    rows = {(r[0].value, r[1].value, r[13].value): r for r in sheet.iter_rows(min_row=2)}
    population = rows[("region", "04", "population")]
    assert [c.value for c in population[6:12]] == [4000, 4400, 4840, None, None, None]
    assert population[6].number_format == "#,##0" and population[5].value == "habitants"
    assert population[4].value == "Population" and population[1].data_type == "s"
    growth = rows[("commune", "04.002", "population_growth_rate")]
    assert [c.value for c in growth[6:9]] == [None, None, None]
    assert [c.value for c in growth[9:12]] == pytest.approx(list(GROWTH.values()), rel=1e-12)
    assert growth[9].number_format == "#,##0.00" and growth[5].value == "% par an"
    assert growth[3].value == "04.01"
    regime = rows[("commune", "04.001", "sdg_11_3_1_regime")]
    assert regime[11].value == "extension avec croissance démographique"
    # no built-up in 04.004: every rate cell empty (never 0), and why, period by period
    rate = rows[("commune", "04.004", "land_consumption_rate")]
    assert [c.value for c in rate[9:12]] == [None, None, None]
    assert rate[12].value == (
        "2000_2005: not computed: the figure of 2000 is 0; "
        "2005_2015: not computed: the figure of 2005 is 0; "
        "2000_2015: not computed: the figure of 2000 is 0"
    )
    assert len(rows) == sheet.max_row - 1  # one row per level, unit and indicator
