"""Messages written in English where they are made, translated where they are shown.

A check or an error does not know the language of whoever reads it: ``validate`` prints in
the language of the command (:mod:`observatory.cli.language`), ``--json`` keeps English. So a
message is made as a :class:`Text`: the English text (it *is* a ``str``, so it can be
compared, searched and joined as before) that also keeps its template and values::

    from observatory.messages import _, ngettext

    _("{path} does not exist.", path=path)
    ngettext("{count} unit grows", "{count} units grow", count, count=count)

``Translator.text`` (:mod:`observatory.report.i18n`) translates the template and only then
puts the values in, so codes, paths and file names stay as they are; a value that is itself
a :class:`Text` is translated too; a number without a format spec is written as the language
writes numbers. Babel's extractor finds ``_`` and ``ngettext`` calls, so every template is in
the catalogs (``tests/test_report_i18n.py``).
"""

from __future__ import annotations

import re
import string
from typing import Any, Protocol

#: The precision of a format spec (``.1f``, ``,.0f``, ``.0%``) and its type.
_SPEC = re.compile(r"^[^.]*(?:\.(?P<decimals>\d+))?(?P<kind>[a-z%]?)$")


class Translates(Protocol):
    """What :func:`translated` needs of a translator (a ``report.i18n.Translator``)."""

    def gettext(self, message: str) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int) -> str: ...
    def number(self, value: float, *, decimals: int | None = None) -> str: ...
    def percent(self, share: float, *, decimals: int = 1) -> str: ...


class Text(str):
    """An English message that keeps its template and values, to be translated when shown.

    Attributes
    ----------
    template : str
        The msgid (the singular one for a plural message).
    plural : str or None
        The plural msgid; ``count`` chooses between them.
    count : int or None
        The number the plural form depends on.
    values : dict
        Name → value put into the template.
    """

    template: str
    plural: str | None
    count: int | None
    values: dict[str, Any]

    def __new__(
        cls, template: str, plural: str | None = None, count: int | None = None, /, **values: Any
    ) -> Text:
        chosen = template if plural is None or count == 1 else plural
        text = super().__new__(cls, chosen.format(**values))
        text.template, text.plural, text.count, text.values = template, plural, count, values
        return text

    def __reduce__(self):
        return _rebuilt, (self.template, self.plural, self.count, self.values)


def _rebuilt(template: str, plural: str | None, count: int | None, values: dict) -> Text:
    return Text(template, plural, count, **values)


def _(template: str, /, **values: Any) -> Text:
    """The message ``template`` with ``values``, marked for the catalogs."""
    return Text(template, **values)


def ngettext(singular: str, plural: str, count: int, /, **values: Any) -> Text:
    """The singular or plural message for ``count``, with ``values``, marked for the catalogs."""
    return Text(singular, plural, int(count), **values)


class _LocalFormatter(string.Formatter):
    """Puts values into a translated template: numbers as the language writes them."""

    def __init__(self, translator: Translates) -> None:
        self.translator = translator

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return super().format_field(value, format_spec)
        match = _SPEC.match(format_spec)
        if match is None or match["kind"] not in ("", "f", "%", "d", "g"):
            return super().format_field(value, format_spec)
        decimals = None if match["decimals"] is None else int(match["decimals"])
        if match["kind"] == "%":
            return self.translator.percent(value, decimals=decimals or 0)
        if match["kind"] == "g":  # significant digits: round as the spec does, then write
            return self.translator.number(float(format(value, format_spec)))
        return self.translator.number(value, decimals=decimals)


def translated(message: str, translator: Translates) -> str:
    """``message`` in the translator's language when it is a :class:`Text`, else as it is."""
    if not isinstance(message, Text):
        return str(message)
    if message.plural is None:
        template = translator.gettext(message.template)
    else:
        template = translator.ngettext(message.template, message.plural, message.count)
    values = {
        name: translated(value, translator) if isinstance(value, Text) else value
        for name, value in message.values.items()
    }
    return _LocalFormatter(translator).format(template, **values)
