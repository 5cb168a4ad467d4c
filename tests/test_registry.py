"""The indicator registry: catalogue, metadata, parameters, plugins."""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint

import pytest

from observatory.errors import ParameterError, UnknownIndicatorError
from observatory.indicators import registry
from observatory.indicators.registry import Period, catalogue, get_indicator
from observatory.report.i18n import languages

DESIGN_IDS = {
    "population",
    "population_density",
    "population_growth_rate",
    "built_up_area",
    "built_up_share",
    "built_up_per_capita",
    "land_consumption_rate",
    "sdg_11_3_1",
    "sdg_11_6_2",
}


def test_catalogue_has_the_design_ids_with_texts_in_every_published_language():
    indicators = catalogue()
    assert DESIGN_IDS <= set(indicators)
    for spec in indicators.values():
        for lang in languages():
            assert spec.title.get(lang) and spec.description.get(lang), (spec.id, lang)
        assert spec.kind in registry.KINDS
        assert spec.compute.__doc__ and "Formula" in spec.compute.__doc__, spec.id


def test_metadata_sheet_in_french():
    sheet = get_indicator("sdg_11_3_1").metadata("fr")
    assert sheet["title"].startswith("Ratio du taux de consommation")
    assert sheet["references"][0] == "SDG 11.3.1"
    assert sheet["period"] == "change"


def test_metadata_sheet_in_arabic_with_the_sdg_official_name():
    sheet = get_indicator("sdg_11_3_1").metadata("ar")
    assert sheet["title"] == "نسبة معدل استهلاك الأراضي إلى معدل النمو السكاني"
    assert sheet["description"].startswith("هدف التنمية المستدامة 11.3.1")
    # a text missing in a language falls back to English
    assert get_indicator("population").text("title", "xx") == "Population"


def test_unknown_indicator_names_the_id_and_the_fix():
    with pytest.raises(UnknownIndicatorError, match="unknown indicator 'sdg_99'.*indicators list"):
        get_indicator("sdg_99")


def test_unknown_parameter_is_refused_with_the_known_ones():
    spec = get_indicator("population")
    with pytest.raises(ParameterError, match="has no parameter 'radius'"):
        spec.resolve_params({"radius": 3})


def test_period_labels():
    assert Period(2024).label == "2024"
    assert Period(2024, 2014).label == "2014_2024"
    assert Period(2024, 2014).years == 10.0


PLUGIN_SOURCE = '''
import pandas as pd
from observatory.indicators.registry import Parameter, indicator


@indicator(
    id="test_plugin_households",
    title={"en": "Households", "fr": "Ménages"},
    description={"en": "Households.", "fr": "Ménages."},
    unit="households",
    theme="population",
    references=("test",),
    method="H = P / size",
    needs=("population",),
    kind="count",
    params=(Parameter("size", 4.5, "people per household"),),
    years_from=("population",),
)
def households(inputs, period, params):
    """Formula: H = P / size."""
    return pd.DataFrame({"numerator": inputs.population(period.end) / params["size"]})
'''


def test_a_plugin_indicator_registers_through_the_entry_point_group(monkeypatch, tmp_path):
    (tmp_path / "observatory_test_plugin.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    plugin = EntryPoint(
        name="households", value="observatory_test_plugin", group=registry.PLUGIN_GROUP
    )
    monkeypatch.setattr(registry, "entry_points", lambda group: [plugin])
    monkeypatch.setattr(registry, "_LOADED", False)
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.delitem(sys.modules, "observatory_test_plugin", raising=False)
    spec = get_indicator("test_plugin_households")
    assert spec.resolve_params() == {"size": 4.5}
    assert spec.metadata("fr")["title"] == "Ménages"


def test_a_broken_plugin_does_not_break_the_catalogue(monkeypatch, caplog):
    plugin = EntryPoint(name="broken", value="no_such_module_abc", group=registry.PLUGIN_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [plugin])
    monkeypatch.setattr(registry, "_LOADED", False)
    registry._load()
    assert "population" in catalogue()
    assert "no_such_module_abc" in caplog.text


def test_isolated_registry_forgets_what_was_registered_inside(monkeypatch, tmp_path):
    (tmp_path / "observatory_isolated_plugin.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "observatory_isolated_plugin", raising=False)
    before = set(catalogue())
    with registry.isolated_registry():
        __import__("observatory_isolated_plugin")
        assert "test_plugin_households" in catalogue()
    assert set(catalogue()) == before
