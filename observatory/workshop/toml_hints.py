"""What a trainee most likely meant when an answer file is not valid TOML.

The TOML reader says where it stopped (``at line 7, column 18``) in its own English. An
answer file is a list of ``name = value`` lines, and the same few slips make most of the
errors: a decimal comma (``1,70``), a number with spaces (``3 104 934``), ``True`` or ``vrai``
for ``true``, typographic quotes (``« A »``, ``“A”``), a code or a text without quotes
(``04.421``, ``A``), a quote left open (``"A``).
:func:`answer_line_hint` recognises them on the line the reader points to and says the fix in
English, French and Arabic.
"""

from __future__ import annotations

import re

_WHERE = re.compile(r"at line (?P<line>\d+), column \d+")
_ASSIGNMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9_-]+)\s*=\s*(?P<value>.*?)\s*(#.*)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_SPACED_NUMBER = re.compile(r"^-?\d{1,3}( \d{3})+([.,]\d+)?$")
_BOOLEAN_WORDS = {"true", "false", "vrai", "faux", "oui", "non", "yes", "no"}
_BARE_WORD = re.compile(r"^[^\"'\[\]{}0-9+\-][^\"'\[\]{}]*$")
_TYPOGRAPHIC_QUOTES = ("«", "»", "“", "”", "‘", "’")
#: Digits and dots that are not a number TOML takes (a leading 0, two dots): a unit code.
_CODE = re.compile(r"^\d[\d.]*$")


def answer_line_hint(text: str, reason: str) -> tuple[int, str, tuple[str, str, str]] | None:
    """``(line number, line, (hint_en, hint_fr, hint_ar))`` for the usual slip on the line
    the TOML ``reason`` points to in ``text``; None when the line shows none of them."""
    where = _WHERE.search(reason)
    lines = text.splitlines()
    if where is None or not 1 <= int(where["line"]) <= len(lines):
        return None
    number = int(where["line"])
    line = lines[number - 1]
    assignment = _ASSIGNMENT.match(line)
    if assignment is None:
        return None
    hint = _hint(assignment["name"], assignment["value"])
    return None if hint is None else (number, line.strip(), hint)


def _hint(name: str, value: str) -> tuple[str, str, str] | None:
    """The first slip of :data:`_SLIPS` that ``value`` shows, said for ``name``."""
    for shows, says in _SLIPS:
        if shows(value):
            return says(name, value)
    return None


def _decimal_comma(name: str, value: str) -> tuple[str, str, str]:
    point = value.replace(",", ".")
    return (
        f"a decimal number takes a point in this file: {name} = {point}",
        f"un nombre décimal s'écrit avec un point dans ce fichier : {name} = {point}",
        f"يُكتب العدد العشري بنقطة في هذا الملف: {name} = {point}",
    )


def _spaced_number(name: str, value: str) -> tuple[str, str, str]:
    joined = value.replace(" ", "").replace(",", ".")
    return (
        f"write the number without spaces: {name} = {joined}",
        f"écrivez le nombre sans espaces : {name} = {joined}",
        f"اكتب العدد دون فراغات: {name} = {joined}",
    )


def _boolean_word(name: str, value: str) -> tuple[str, str, str]:
    return (
        "true and false are written in lower case, in English, without quotes: "
        f"{name} = true or {name} = false",
        "vrai et faux s'écrivent true et false, en minuscules, sans guillemets : "
        f"{name} = true ou {name} = false",
        f"يُكتب صحيح وخطأ true وfalse بحروف صغيرة ودون علامات تنصيص: {name} = true أو "
        f"{name} = false",
    )


def _typographic_quotes(name: str, value: str) -> tuple[str, str, str]:
    plain = value.strip("«»“”‘’ ")
    return (
        f'use straight double quotes "...", not « » or “ ”: {name} = "{plain}"',
        f'utilisez les guillemets droits "...", pas « » ni “ ” : {name} = "{plain}"',
        f'استعمل علامات التنصيص المستقيمة "..." لا « » ولا “ ”: {name} = "{plain}"',
    )


def _unquoted_code(name: str, value: str) -> tuple[str, str, str]:
    return (
        f'a code is a text, between double quotes: {name} = "{value}"',
        f'un code est un texte, entre guillemets droits : {name} = "{value}"',
        f'الرمز نص، يُكتب بين علامتي تنصيص: {name} = "{value}"',
    )


def _open_quote(name: str, value: str) -> tuple[str, str, str]:
    closed = value.strip('"')
    return (
        f'a quote is not closed: {name} = "{closed}"',
        f'un guillemet n\'est pas fermé : {name} = "{closed}"',
        f'علامة تنصيص غير مغلقة: {name} = "{closed}"',
    )


def _unquoted_text(name: str, value: str) -> tuple[str, str, str]:
    return (
        f'a text goes between double quotes: {name} = "{value}"',
        f'un texte s\'écrit entre guillemets droits : {name} = "{value}"',
        f'يُكتب النص بين علامتي تنصيص: {name} = "{value}"',
    )


#: Each slip: whether a value shows it, and what to say (in order: the first that shows).
_SLIPS = (
    (lambda value: bool(_DECIMAL_COMMA.match(value)), _decimal_comma),
    (lambda value: bool(_SPACED_NUMBER.match(value)), _spaced_number),
    (lambda value: value.lower() in _BOOLEAN_WORDS, _boolean_word),
    (lambda value: any(quote in value for quote in _TYPOGRAPHIC_QUOTES), _typographic_quotes),
    (lambda value: bool(_CODE.match(value)), _unquoted_code),
    (lambda value: value.count('"') % 2 == 1, _open_quote),
    (lambda value: bool(_BARE_WORD.match(value)), _unquoted_text),
)
