"""``observatory demo``: a bundled sample end to end, or both samples compared."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from observatory.cli.main import cli


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_compare_runs_both_samples_so_a_region_is_refused(tmp_path):
    result = invoke("demo", "--compare", "--region", "brussels", "-o", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: --compare runs both samples")
    assert "Traceback" not in result.output
    assert not (tmp_path / "d").exists()


def test_an_existing_comparison_is_refused_before_any_work(tmp_path):
    page = tmp_path / "d" / "comparison-municipalities" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("mine", encoding="utf-8")
    result = invoke("demo", "--compare", "-o", str(tmp_path / "d"))
    assert result.exit_code == 1
    assert f"Error: {page} already exists" in result.output and "--overwrite" in result.output
    assert page.read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["comparison-municipalities"]


@pytest.mark.slow
def test_demo_compare_computes_both_samples_and_states_what_differs(tmp_path):
    folder = tmp_path / "demo"
    result = invoke("-q", "demo", "--compare", "-o", str(folder))
    assert result.exit_code == 0, result.output
    assert result.exception is None
    # both headline tables: RSK in French, Brussels in English
    assert "Population et sol" in result.output and "Population and land" in result.output
    assert "5\u202f132\u202f639" in result.output and "1,218,255" in result.output
    for name in ("rsk", "brussels"):
        assert (folder / name / "results" / "indicators.gpkg").is_file()
        assert (folder / name / "atlas" / "index.html").is_file()
    for name in ("comparison-regions", "comparison-municipalities"):
        assert f"wrote the comparison: {folder / name / 'index.html'}" in result.output
    notes = pd.read_csv(folder / "comparison-regions" / "comparability.csv").set_index("indicator")
    # in the first sample's language (French): years and grids differ
    population = notes.loc["population", "notes"]
    assert "années différentes : 2024 (Rabat-Salé-Kénitra (sample)) contre 2020" in population
    density = notes.loc["degurba_l1", "notes"]
    assert "100 m, ESRI:54009 (Rabat-Salé-Kénitra (sample)) contre 1 km" in density
    # the comparison's figures are those of the results folders
    table = pd.read_csv(folder / "comparison-regions" / "comparison.csv", dtype={"unit_id": str})
    latest = table.set_index("unit_id")["population_latest"]
    assert latest.to_dict() == {"04": 5_132_639, "2000": 6_629_143, "4000": 1_218_255}
    for name, unit, period in (("rsk", "04", "2024"), ("brussels", "4000", "2020")):
        long = pd.read_csv(folder / name / "results" / "indicators.csv", dtype=str)
        row = long[(long["unit_id"] == unit) & (long["indicator"] == "population")]
        assert float(row.loc[row["period"] == period, "value"].item()) == latest[unit]
    local = pd.read_csv(folder / "comparison-municipalities" / "comparison.csv", dtype=str)
    assert local.groupby("level").size().to_dict() == {"commune": 114, "municipality": 319}
