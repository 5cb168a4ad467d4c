"""Messages made in English and translated where they are shown (observatory.messages)."""

from __future__ import annotations

import ast
import copy
import pickle
from pathlib import Path

import pytest

from observatory.checks.describe import examples
from observatory.io.locale import read_catalog
from observatory.messages import _, ngettext
from observatory.report.i18n import Translator, translator

ROOT = Path(__file__).resolve().parents[1]
#: Modules whose problems are all translatable templates (the others are still English).
TRANSLATED_CHECKS = (
    "observatory/layers.py",
    "observatory/checks/vectors.py",
    "observatory/checks/plausibility.py",
    "observatory/checks/census.py",
    "observatory/checks/units.py",
    "observatory/checks/census_figures.py",
    "observatory/checks/crosswalk.py",
    "observatory/checks/counts.py",
    "observatory/checks/rasters.py",
    "observatory/checks/grids.py",
    "observatory/checks/raster_values.py",
    "observatory/checks/layers.py",
    "observatory/checks/parents.py",
    "observatory/checks/parameters.py",
)


def test_a_text_is_its_english_and_keeps_its_template():
    text = _("{path} does not exist.", path="a.tif")
    assert text == "a.tif does not exist." and isinstance(text, str)
    assert text.template == "{path} does not exist." and text.values == {"path": "a.tif"}
    assert pickle.loads(pickle.dumps(text)).values == text.values
    assert copy.deepcopy(text).template == text.template


def test_the_template_is_translated_then_the_values_put_in_as_they_are():
    french = Translator("fr", {"{path} does not exist.": "{path} n'existe pas."})
    assert french.text(_("{path} does not exist.", path="{x}.tif")) == "{x}.tif n'existe pas."
    assert french.text("plain text stays") == "plain text stays"


def test_numbers_are_written_as_the_language_writes_them():
    french = translator("fr")
    message = _("{code} ({people:,.0f} people)", code="04.291", people=7071.0)
    assert message == "04.291 (7,071 people)"
    assert french.text(message) == "04.291 (7\u202f071 habitants)"


def test_plural_forms_follow_the_language():
    french = translator("fr")
    forms = [ngettext("{count} error(s)", "{count} error(s)", n, count=n) for n in (0, 1, 2)]
    assert [french.text(form) for form in forms] == ["0 erreur", "1 erreur", "2 erreurs"]
    assert forms[2] == "2 error(s)"
    grows = ngettext(
        "{count} unit grows or shrinks by more than {percent:g} % a year from {period}: {listed}.",
        "{count} units grow or shrink by more than {percent:g} % a year from {period}: {listed}.",
        1,
        count=1,
        percent=10.0,
        period="2014→2024",
        listed="'04'",
    )
    assert grows.startswith("1 unit grows")
    assert french.text(grows).startswith("1 unité croît ou décroît de plus de 10 % par an")


def test_a_list_of_examples_is_translated_with_its_items():
    listed = examples(
        [_("{code} ({people:,.0f} people)", code=c, people=5000.0) for c in "ABCDEFG"]
    )
    assert listed.endswith("and 2 more")
    assert translator("fr").text(listed).endswith("E (5\u202f000 habitants) et 2 de plus")


def _templates_of_problems(path: Path):
    """(line, argument) of each message or fix of a Problem(...) that is not a template."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
            for argument in node.args[2:4]:
                if isinstance(argument, ast.JoinedStr | ast.Constant | ast.BinOp):
                    yield node.lineno, ast.unparse(argument)


@pytest.mark.parametrize("module", TRANSLATED_CHECKS)
def test_every_problem_of_the_translated_checks_is_a_template(module):
    assert list(_templates_of_problems(ROOT / module)) == []


def test_the_template_check_sees_an_english_only_problem(tmp_path):
    source = tmp_path / "check.py"
    source.write_text('Problem("error", "units", f"{path} is wrong", "fix it")\n')
    assert [line for line, _ in _templates_of_problems(source)] == [1, 1]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_templates_of_the_translated_checks_have_a_translation(language):
    from babel.messages.extract import extract_from_file

    catalog = read_catalog(language)
    for module in TRANSLATED_CHECKS:
        for _line, message, _comments, _context in extract_from_file("python", ROOT / module):
            key = tuple(message) if isinstance(message, tuple | list) else message
            assert key in catalog, (module, key)


def test_a_check_converted_here_speaks_french_and_arabic_with_its_values_as_they_are():
    import pandas as pd

    from observatory.checks.units import check_codes

    codes = pd.Series(["04.001", "04.001", None, "04.002"])
    empty, duplicated = check_codes("units.commune", "communes.gpkg", codes, "code", what=_("rows"))
    assert empty.message == "communes.gpkg: 1 rows have no id in 'code' (rows 3)."
    french = translator("fr")
    assert french.text(empty.message) == (
        "communes.gpkg : lignes sans identifiant dans « code » : 1 (lignes 3)."
    )
    assert french.text(duplicated.message) == (
        "communes.gpkg : 1 identifiant de « code » est utilisé par plusieurs lignes : "
        "'04.001' (2×)."
    )
    assert translator("ar").text(duplicated.fix).startswith("يجب أن يكون لكل وحدة رمزها")


def test_a_year_in_a_converted_message_is_not_written_as_a_number():
    from observatory.checks.rasters import check_years

    (problem,) = check_years({"population": {2020: None, 2025: None}, "built_up": {2020: None}})
    assert "population pour 2025 mais pas de bâti" in translator("fr").text(problem.message)
