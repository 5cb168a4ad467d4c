"""Languages of published texts: catalogs complete, numbers as each language writes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from observatory.errors import ParameterError
from observatory.io.locale import read_catalog
from observatory.report.i18n import Translator, check_language, languages, translator

ROOT = Path(__file__).resolve().parents[1]


def code_messages() -> set[str | tuple[str, str]]:
    """Every message of the package's code, as Babel's extractor finds it."""
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        ROOT / "observatory", method_map=[("**.py", "python")]
    ):
        found.add(tuple(message) if isinstance(message, tuple | list) else message)
    return found


def test_english_french_and_arabic_are_offered():
    assert languages() == ("ar", "en", "fr")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_message_of_the_code_is_translated_and_none_is_obsolete(language):
    translated = set(read_catalog(language))
    used = code_messages()
    assert used - translated == set(), f"missing from the {language} catalog"
    assert translated - used == set(), f"obsolete in the {language} catalog"


def test_the_catalog_check_sees_a_missing_message():
    used = code_messages() | {"A message nobody translated"}
    assert used - set(read_catalog("fr")) == {"A message nobody translated"}


def test_an_unknown_language_is_refused_with_the_available_ones():
    with pytest.raises(ParameterError, match=r"'de' is not available; use one of ar, en, fr"):
        check_language("de")
    with pytest.raises(ParameterError, match=r"project.language"):
        check_language("es", where="project.language")


def test_numbers_as_each_language_writes_them():
    assert translator("fr").number(1234.5, decimals=1) == "1\u202f234,5"
    assert translator("en").number(1234.5, decimals=1) == "1,234.5"
    assert translator("ar").number(1234.5, decimals=1) == "1.234,5"
    assert translator("fr").number(0.25, decimals=0) == "0"
    assert translator("fr").number(float("nan")) == "–"
    assert translator("fr").percent(0.125) == "12,5\u00a0%"


def test_messages_fall_back_to_english_and_plurals_follow_the_language():
    french = Translator("fr", {"No data": "Pas de données", ("{n} unit", "{n} units"): ("u", "us")})
    assert french.gettext("No data") == "Pas de données"
    assert french.gettext("Untranslated") == "Untranslated"
    assert [french.ngettext("{n} unit", "{n} units", n) for n in (0, 1, 2)] == ["u", "u", "us"]
    arabic = Translator("ar", {("a", "b"): ("0", "1", "2", "3-10", "11-99", "100+")})
    forms = [arabic.ngettext("a", "b", n) for n in (0, 1, 2, 5, 11, 100, 103)]
    assert forms == ["0", "1", "2", "3-10", "11-99", "100+", "3-10"]
    english = Translator("en")
    assert [english.ngettext("a", "b", n) for n in (0, 1, 2)] == ["b", "a", "b"]


def test_arabic_is_right_to_left():
    assert translator("ar").direction == "rtl"
    assert translator("fr").direction == "ltr"
