"""Languages of what Observatory publishes: messages from gettext catalogs, numbers by Babel.

Every user-facing string of the maps, atlas, tables and command summaries is written in
English in the code, wrapped in a call that Babel's extractor finds::

    t = translator("fr")
    t.gettext("No data")                       # → "Pas de données"
    t.ngettext("{n} unit", "{n} units", 3)     # → "{n} unités"
    t.number(1234.5, decimals=1)               # → "1 234,5" (narrow no-break space)

The catalogs are ``observatory/locale/<lang>/LC_MESSAGES/observatory.po``; English is the
source language and needs no catalog. ``make translations`` extracts the messages into
``observatory/locale/observatory.pot`` and updates every catalog; ``tests/test_report_i18n.py``
fails when a message of the code is missing from a catalog.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

from babel import Locale
from babel.numbers import format_decimal, format_percent

from observatory.errors import ParameterError
from observatory.io.locale import catalog_languages, read_catalog
from observatory.messages import translated

SOURCE_LANGUAGE = "en"
#: The Babel locale of each language: numbers and dates as they are written there.
LOCALES = {"en": "en_GB", "fr": "fr_FR", "ar": "ar_MA"}
RIGHT_TO_LEFT = frozenset({"ar"})


def languages() -> tuple[str, ...]:
    """The languages Observatory publishes in: English and every language with a catalog."""
    return tuple(sorted({SOURCE_LANGUAGE, *catalog_languages()} & set(LOCALES)))


def check_language(language: str, *, where: str = "--lang") -> str:
    """``language`` if Observatory publishes in it; ParameterError listing those it does."""
    available = languages()
    if language not in available:
        raise ParameterError(
            f"{where}: language '{language}' is not available; use one of {', '.join(available)}."
        )
    return language


@dataclass(frozen=True)
class Translator:
    """Messages and number formats of one language."""

    language: str
    messages: dict = field(repr=False, default_factory=dict)

    @property
    def locale(self) -> str:
        return LOCALES[self.language]

    @property
    def direction(self) -> str:
        """``"rtl"`` for right-to-left languages, else ``"ltr"`` (HTML ``dir``)."""
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"

    def gettext(self, message: str) -> str:
        """The translation of ``message``, or ``message`` itself when it has none."""
        return self.messages.get(message, message)

    def text(self, message: str) -> str:
        """``message`` in this language when it is a :class:`~observatory.messages.Text`
        (its template translated, then its values put in), else unchanged."""
        return translated(message, self)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for ``n``, by the language's plural rule."""
        forms = self.messages.get((singular, plural))
        if forms is None:
            return singular if n == 1 else plural
        return forms[_plural_index(self.language, n, len(forms))]

    def number(self, value: float, *, decimals: int | None = None) -> str:
        """``value`` written as the language writes numbers (``1 234,5`` in French).

        ``decimals`` fixes the number of decimals; None keeps up to 3. NaN is ``–``.
        """
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, share: float, *, decimals: int = 1) -> str:
        """A share (0-1) written as a percentage in the language's format."""
        if share is None or (isinstance(share, float) and math.isnan(share)):
            return "–"
        pattern = Locale.parse(self.locale).percent_formats[None].pattern
        if decimals:
            pattern = pattern.replace("#,##0", "#,##0." + "0" * decimals, 1)
        return format_percent(share, format=pattern, locale=self.locale)


def _plural_index(language: str, n: int, forms: int) -> int:
    """Index of the plural form for ``n`` (gettext's rules for en, fr and ar)."""
    if language == "fr":
        index = 0 if n in (0, 1) else 1
    elif language == "ar":
        hundred = n % 100
        if n == 0:
            index = 0
        elif n == 1:
            index = 1
        elif n == 2:
            index = 2
        elif 3 <= hundred <= 10:
            index = 3
        elif hundred >= 11:
            index = 4
        else:
            index = 5
    else:
        index = 0 if n == 1 else 1
    return min(index, forms - 1)


@cache
def translator(language: str) -> Translator:
    """The :class:`Translator` of ``language`` (checked; catalogs read once per process)."""
    check_language(language)
    messages = {} if language == SOURCE_LANGUAGE else read_catalog(language)
    return Translator(language, messages)
