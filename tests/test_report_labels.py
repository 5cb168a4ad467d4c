"""Column aliases of the output layers: indicator titles in the project's language."""

from __future__ import annotations

from types import SimpleNamespace

from observatory.indicators.registry import get_indicator
from observatory.report.labels import column_aliases, output_language


def run_of(*pairs):
    """A stand-in for Results with the (indicator id, period label) pairs computed."""
    return SimpleNamespace(
        level_results=[
            SimpleNamespace(indicator=get_indicator(i), period=SimpleNamespace(label=p))
            for i, p in pairs
        ]
    )


def test_indicator_columns_are_named_by_title_and_period_unit_columns_by_label():
    results = run_of(("population_density", "2024"))
    columns = ["unit_id", "unit_name", "parent_id", "population_density_2024", "x_2024", "geometry"]
    assert column_aliases(results, columns, "fr") == {
        "unit_id": "Code",
        "unit_name": "Nom",
        "parent_id": "Code parent",
        "population_density_2024": "Densité de population 2024",
        "x_2024": "x_2024",  # not an indicator of the run: keeps its name
    }
    english = column_aliases(results, columns, "en")
    assert english["unit_name"] == "Name" and english["parent_id"] == "Parent code"
    assert english["population_density_2024"] == "Population density 2024"


def test_outputs_of_a_language_without_labels_are_in_english():
    assert output_language("fr") == "fr"
    assert output_language("en") == "en"
    assert output_language("ar") == "en"
