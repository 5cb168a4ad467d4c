"""Outputs of compute: GeoPackage with styles, long CSV/XLSX, provenance, atomic writes."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pandas as pd
import pyogrio
import pytest
from builders import build_project

from observatory.engine import run
from observatory.errors import OutputExistsError
from observatory.io import outputs
from observatory.io.outputs import OUTPUT_NAMES, write_outputs
from observatory.project import load_project


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("project")
    return run(load_project(build_project(folder)))


def test_geopackage_has_a_layer_per_level_with_contract_columns(results, tmp_path):
    write_outputs(results, tmp_path, overwrite=False)
    geopackage = tmp_path / "indicators.gpkg"
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
    styles = pyogrio.read_dataframe(geopackage, layer="layer_styles")
    commune_style = styles.set_index("f_table_name").loc["commune"]
    assert bool(commune_style["useAsDefault"])
    assert 'attr="population_density_2024"' in commune_style["styleQML"]
    # QGIS applies a stored style only when it names the layer's real geometry column
    with sqlite3.connect(geopackage) as connection:
        geometry_columns = dict(
            connection.execute("SELECT table_name, column_name FROM gpkg_geometry_columns")
        )
    assert commune_style["f_geometry_column"] == geometry_columns["commune"]
    assert "graduatedSymbol" in commune_style["styleQML"]


def test_csv_round_trips_codes_as_text(results, tmp_path):
    write_outputs(results, tmp_path, overwrite=False)
    table = pd.read_csv(tmp_path / "indicators.csv", dtype=str, encoding="utf-8-sig")
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
    excel = pd.read_excel(tmp_path / "indicators.xlsx", sheet_name="indicators", dtype=str)
    assert set(excel["unit_id"]) == set(table["unit_id"])


def test_provenance_lists_every_input_with_its_hash(results, tmp_path):
    write_outputs(results, tmp_path, overwrite=False)
    provenance = json.loads((tmp_path / "provenance.json").read_text(encoding="utf-8"))
    inputs = provenance["inputs"]
    assert set(inputs) == {str(p) for p in results.project.input_paths()}
    for path, digest in inputs.items():
        with open(path, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == digest
    assert provenance["tool"]["name"] == "observatory"
    assert "exactextract" in provenance["libraries"]
    assert provenance["population_sources"] == {"2014": "census", "2024": "census"}
    assert "sdg_11_6_2" in provenance["indicators_not_computed"]


def test_existing_outputs_are_kept_without_overwrite(results, tmp_path):
    (tmp_path / "indicators.csv").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        write_outputs(results, tmp_path, overwrite=False)
    assert (tmp_path / "indicators.csv").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["indicators.csv"]
    write_outputs(results, tmp_path, overwrite=True)
    assert (tmp_path / "indicators.csv").read_text(encoding="utf-8-sig").startswith("level,")


def test_a_failure_while_writing_leaves_no_partial_output(results, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(outputs, "write_xlsx", fail)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(results, tmp_path, overwrite=False)
    assert list(tmp_path.iterdir()) == []
    assert not any((tmp_path / name).exists() for name in OUTPUT_NAMES)
