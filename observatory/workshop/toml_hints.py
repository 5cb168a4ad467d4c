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

from observatory.io.tables import toml_error_line

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
    pointed = toml_error_line(text, reason)
    if pointed is None:
        return None
    number, line = pointed
    assignment = _ASSIGNMENT.match(line)
    if assignment is None:
        return None
    hint = _hint(assignment["name"], assignment["value"])
    return None if hint is None else (number, line.strip(), hint)


def _hint(name: str, value: str) -> tuple[str, str, str] | None:
    """The first slip of :data:`_SLIPS` that ``value`` shows, said for ``name``."""
    for shows, written_right, templates in _SLIPS:
        if shows(value):
            fixed = written_right(value)
            return tuple(template.format(name=name, fixed=fixed) for template in templates)
    return None


#: Each slip: whether a value shows it, the value written right, and what to say in English,
#: French and Arabic (``{name} = {fixed}`` shows the line written right). The first that
#: shows is told.
_SLIPS = (
    (
        lambda value: bool(_DECIMAL_COMMA.match(value)),
        lambda value: value.replace(",", "."),
        (
            "a decimal number takes a point in this file: {name} = {fixed}",
            "un nombre décimal s'écrit avec un point dans ce fichier : {name} = {fixed}",
            "يُكتب العدد العشري بنقطة في هذا الملف: {name} = {fixed}",
        ),
    ),
    (
        lambda value: bool(_SPACED_NUMBER.match(value)),
        lambda value: value.replace(" ", "").replace(",", "."),
        (
            "write the number without spaces: {name} = {fixed}",
            "écrivez le nombre sans espaces : {name} = {fixed}",
            "اكتب العدد دون فراغات: {name} = {fixed}",
        ),
    ),
    (
        lambda value: value.lower() in _BOOLEAN_WORDS,
        lambda value: value,
        (
            "true and false are written in lower case, in English, without quotes: "
            "{name} = true or {name} = false",
            "vrai et faux s'écrivent true et false, en minuscules, sans guillemets : "
            "{name} = true ou {name} = false",
            "يُكتب صحيح وخطأ true وfalse بحروف صغيرة ودون علامات تنصيص: {name} = true أو "
            "{name} = false",
        ),
    ),
    (
        lambda value: any(quote in value for quote in _TYPOGRAPHIC_QUOTES),
        lambda value: value.strip("«»“”‘’ "),
        (
            'use straight double quotes "...", not « » or “ ”: {name} = "{fixed}"',
            'utilisez les guillemets droits "...", pas « » ni “ ” : {name} = "{fixed}"',
            'استعمل علامات التنصيص المستقيمة "..." لا « » ولا “ ”: {name} = "{fixed}"',
        ),
    ),
    (
        lambda value: bool(_CODE.match(value)),
        lambda value: value,
        (
            'a code is a text, between double quotes: {name} = "{fixed}"',
            'un code est un texte, entre guillemets droits : {name} = "{fixed}"',
            'الرمز نص، يُكتب بين علامتي تنصيص: {name} = "{fixed}"',
        ),
    ),
    (
        lambda value: value.count('"') % 2 == 1,
        lambda value: value.strip('"'),
        (
            'a quote is not closed: {name} = "{fixed}"',
            'un guillemet n\'est pas fermé : {name} = "{fixed}"',
            'علامة تنصيص غير مغلقة: {name} = "{fixed}"',
        ),
    ),
    (
        lambda value: bool(_BARE_WORD.match(value)),
        lambda value: value,
        (
            'a text goes between double quotes: {name} = "{fixed}"',
            'un texte s\'écrit entre guillemets droits : {name} = "{fixed}"',
            'يُكتب النص بين علامتي تنصيص: {name} = "{fixed}"',
        ),
    ),
)
