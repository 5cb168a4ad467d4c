"""The indicator registry: catalogue, metadata, parameters, plugins."""

from __future__ import annotations

import importlib.util
import sys
from importlib.metadata import EntryPoint

import numpy as np
import pandas as pd
import pytest

from observatory.errors import ParameterError, UnknownIndicatorError
from observatory.indicators import registry
from observatory.indicators.registry import Period, catalogue, get_indicator, ratio_finalizer
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
    with pytest.raises(UnknownIndicatorError, match=r"unknown indicator 'sdg_99'.*indicators list"):
        get_indicator("sdg_99")
    with pytest.raises(UnknownIndicatorError, match=r"did you mean 'school_access'"):
        get_indicator("school_acess")


def test_unknown_parameter_is_refused_with_the_known_ones():
    spec = get_indicator("population")
    with pytest.raises(ParameterError, match="radius is not a parameter of this indicator"):
        spec.resolve_params({"radius": 3})


def test_every_built_in_parameter_declares_what_it_accepts():
    for spec in catalogue().values():
        defaults = {p.name: p.default for p in spec.params}
        for parameter in spec.params:
            assert parameter.kind != "any", (spec.id, parameter.name)
            assert parameter.problem(parameter.default, defaults) is None


@pytest.mark.parametrize(
    ("indicator_id", "overrides", "message"),
    [
        ("sdg_11_2_1", {"low_capacity_m": -500}, "is below the minimum: it must be more than 0"),
        ("sdg_11_2_1", {"low_capacity_m": "500 m"}, "is not a number give a number of metres"),
        ("sdg_11_2_1", {"low_capacity_m": 0}, "must be more than 0"),
        ("sdg_11_2_1", {"low_capacity_m": True}, "is not a number"),
        ("school_seats_per_child", {"school_age_share": 1.5}, "above the maximum 1"),
        ("urban_expansion_infill", {"suburban_share": 0.6}, "above the maximum urban_share (0.5)"),
        ("urban_expansion_infill", {"fringe_m": -1}, "it must be at least 0"),
        ("degurba_l2", {"rules": "ghsl"}, "is not a known value use one of 'ghsl-2023'"),
        ("school_access", {"mode": "walk"}, "use one of 'network', 'straight-line'"),
        ("school_access", {"excluded_classes": "motorway"}, "is not a list of texts"),
        ("street_land_share", {"widths_m": {"primary": "7 m"}}, "has primary = '7 m', which is"),
        ("street_land_share", {"widths_m": 7}, "is not a table"),
    ],
)
def test_wrong_parameter_values_are_refused(indicator_id, overrides, message):
    problems = get_indicator(indicator_id).param_problems(overrides)
    assert len(problems) == 1
    assert message in " ".join(problems[0])
    with pytest.raises(ParameterError, match="indicator '" + indicator_id):
        get_indicator(indicator_id).resolve_params(overrides)


def test_right_parameter_values_pass():
    assert get_indicator("degurba_l2").param_problems({"unit_rules": 2021}) == []
    assert get_indicator("sdg_11_2_1").param_problems({"low_capacity_m": 400}) == []
    assert get_indicator("street_land_share").param_problems({"widths_m": {"primary": 8}}) == []


def test_unknown_parameter_name_suggests_the_closest():
    problems = get_indicator("school_access").param_problems({"treshold_m": 800})
    assert problems[0][2].startswith("did you mean 'threshold_m'?")


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
