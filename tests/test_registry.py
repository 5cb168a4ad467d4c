"""The indicator registry: catalogue, metadata, plugins."""

from __future__ import annotations

import importlib.util
import sys
from importlib.metadata import EntryPoint

import numpy as np
import pandas as pd
import pytest

from observatory.errors import IndicatorOutputError, UnknownIndicatorError, error_message
from observatory.indicators import registry
from observatory.indicators.registry import Period, catalogue, get_indicator, ratio_finalizer
from observatory.report.i18n import languages, translator

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
    with pytest.raises(UnknownIndicatorError, match=r"unknown indicator 'sdg_99'.*indicators list"):
        get_indicator("sdg_99")
    with pytest.raises(UnknownIndicatorError, match=r"did you mean 'school_access'"):
        get_indicator("school_acess")


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


def test_a_ratio_with_a_zero_or_missing_base_says_why():
    components = pd.DataFrame(
        {"numerator": [1.0, 1.0, 1.0, np.nan], "denominator": [4.0, 0.0, np.nan, 2.0]},
        index=pd.Index(["fine", "zero", "missing", "no numerator"]),
    )
    values = ratio_finalizer(100.0)(components, Period(2024), {})
    assert values["value"]["fine"] == 25.0
    assert values["value"].iloc[1:].isna().all()
    assert values["quality"].to_dict() == {
        "fine": "",
        "zero": "not computed: the base of the ratio (denominator) is 0",
        "missing": "not computed: the base of the ratio (denominator) is missing",
        "no numerator": "not computed: the numerator of the ratio is missing",
    }


def _import_file(path, module_name):
    """Import the file ``path`` as a module named ``module_name`` (as a check loads a file)."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_file_imported_under_two_names_is_one_indicator(tmp_path):
    # an editable plugin: imported by its entry point, then again from its file by a check
    path = tmp_path / "my_plugin.py"
    path.write_text(PLUGIN_SOURCE, encoding="utf-8")
    with registry.isolated_registry():
        _import_file(path, "my_plugin")
        second = _import_file(path, "trainee_my_plugin")
        assert catalogue()["test_plugin_households"].compute is second.households
        assert list(catalogue()).count("test_plugin_households") == 1


def test_two_files_registering_one_id_is_an_error_naming_both(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, other = tmp_path / "a" / "plugin.py", tmp_path / "b" / "plugin.py"
    first.write_text(PLUGIN_SOURCE, encoding="utf-8")
    other.write_text(PLUGIN_SOURCE, encoding="utf-8")
    with registry.isolated_registry():
        _import_file(first, "plugin_a")
        with pytest.raises(ValueError, match="registered twice") as raised:
            _import_file(other, "plugin_b")
        assert str(first.resolve()) in str(raised.value)
        assert str(other.resolve()) in str(raised.value)
        assert registry.registered_source("test_plugin_households").endswith(str(first.resolve()))


def test_a_plugin_reusing_a_built_in_id_is_not_loaded_and_the_catalogue_still_works(
    monkeypatch, tmp_path, caplog
):
    source = PLUGIN_SOURCE.replace('id="test_plugin_households"', 'id="population"')
    (tmp_path / "observatory_clashing_plugin.py").write_text(source, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "observatory_clashing_plugin", raising=False)
    plugin = EntryPoint(
        name="clash", value="observatory_clashing_plugin", group=registry.PLUGIN_GROUP
    )
    monkeypatch.setattr(registry, "entry_points", lambda group: [plugin])
    monkeypatch.setattr(registry, "_REGISTRY", dict(catalogue()))
    monkeypatch.setattr(registry, "_LOADED", False)
    assert catalogue()["population"].theme == "population"
    assert catalogue()["population"].title["en"] != "Households"
    assert "registered twice" in caplog.text and "observatory_clashing_plugin.py" in caplog.text


def _ratio_returning(returned):
    """A ratio indicator, registered in an isolated registry, whose function returns
    ``returned``; its checked components for the units a, b."""
    with registry.isolated_registry():

        @registry.indicator(
            id="test_returns",
            title={"en": "T", "fr": "T"},
            description={"en": "T.", "fr": "T."},
            unit="people/school",
            theme="access",
            references=("test",),
            method="P / S",
            needs=("population",),
            kind="ratio",
        )
        def returns(inputs, period, params):
            return returned

        spec = catalogue()["test_returns"]
    return spec.components(None, Period(2024, 2024), {}, pd.Index(["a", "b"]))


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        (
            pd.Series([1.0, 2.0], index=["a", "b"]),
            "returned a Series, not a pandas DataFrame with the columns numerator, denominator",
        ),
        (
            pd.DataFrame({"value": [1.0, 2.0]}, index=["a", "b"]),
            "returned the columns value, without numerator, denominator: a ratio indicator returns",
        ),
        (
            pd.DataFrame({"numerator": [1.0], "denominator": [2.0]}, index=[0]),
            "returned rows labelled 0, none of them a unit id (such as a): index its",
        ),
    ],
)
def test_what_an_indicator_returns_is_checked_before_it_is_summed(returned, message):
    with pytest.raises(IndicatorOutputError) as raised:
        _ratio_returning(returned)
    assert message in str(raised.value)
    assert str(raised.value).startswith("indicator 'test_returns' returned ")
    french = translator("fr").text(error_message(raised.value))
    assert french.startswith("l'indicateur « test_returns » a renvoyé ")


def test_components_of_some_units_pass_the_check():
    some = pd.DataFrame({"numerator": [1.0], "denominator": [2.0]}, index=["b"])
    assert _ratio_returning(some) is some
