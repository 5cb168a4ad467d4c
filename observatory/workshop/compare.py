"""Comparisons that checks use, each giving a :class:`CheckItem` worded for a trainee.

A number is close when ``|got − expected| ≤ max(rel × |expected|, abs)`` (the rule of
:func:`math.isclose`). Answers still holding ``"TODO"`` are reported as unanswered.

A wrong answer is told what is wrong without being told the answer: too high or too low, a
value a known number of times too large (a fraction given for a percentage, m² for km²), a
true or false typed as text, a code typed as a number or replaced by a name, or one of the
:class:`Mistake` a check expects (the 2014 value given for 2024, a plain mean...), each
with its own explanation.

A check that reads several answers by name lists them as :class:`Answer` (name, labels,
right answer, tolerance, expected mistakes) and has :func:`answer_items` compare each one.
A series of values by unit is compared by
:func:`observatory.workshop.compare_series.series_item`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from observatory.workshop.checks import CheckItem

TODO = "TODO"
#: Factors between a wrong answer and the right one that a unit explains, with the hint.
SCALE_HINTS = {
    0.01: (
        "a share between 0 and 1? Give a percentage: multiply by 100",
        "une part entre 0 et 1 ? Donnez un pourcentage : multipliez par 100",
    ),
    100.0: (
        "a percentage where a share or a plain number is asked? Divide by 100",
        "un pourcentage à la place d'une part ou d'un nombre simple ? Divisez par 100",
    ),
    1e6: (
        "m² instead of km² (or people instead of millions)? Divide by 1,000,000",
        "des m² au lieu de km² (ou des habitants au lieu de millions) ? Divisez par 1 000 000",
    ),
    1e-6: (
        "km² instead of m² (or millions instead of people)? Multiply by 1,000,000",
        "des km² au lieu de m² (ou des millions au lieu d'habitants) ? Multipliez par 1 000 000",
    ),
    1000.0: (
        "metres instead of kilometres (or people instead of thousands)? Divide by 1000",
        "des mètres au lieu de kilomètres (ou des habitants au lieu de milliers) ? "
        "Divisez par 1000",
    ),
    0.001: (
        "kilometres instead of metres (or thousands instead of people)? Multiply by 1000",
        "des kilomètres au lieu de mètres (ou des milliers au lieu d'habitants) ? "
        "Multipliez par 1000",
    ),
}
#: Relative closeness for a scale hint: answers are often rounded.
SCALE_TOLERANCE = 5e-3
BOOLEAN_WORDS = {"true", "false", "vrai", "faux", "yes", "no", "oui", "non", "1", "0"}
CODE_PATTERN = re.compile(r"^\d[\d.]*$")
#: Digits grouped by thousands ("5,132,639", "5.132.639", "5'132'639", "1,234.5").
GROUPED_DIGITS = re.compile(r"^-?\d{1,3}([,.'’]\d{3})+([.,]\d+)?$")


@dataclass(frozen=True)
class Mistake:
    """A wrong answer a check expects, and what it tells the trainee who gives it.

    Attributes
    ----------
    value : float, str or pandas.Series
        The wrong answer (a number is matched with the item's tolerance, a text without
        regard to case, a Series unit by unit).
    message_en, message_fr, message_ar : str
        Why it is wrong and what to do, without giving the answer (Arabic optional).
    """

    value: Any
    message_en: str
    message_fr: str
    message_ar: str = ""


def _unanswered(value: Any) -> bool:
    return value is None or (isinstance(value, str) and (not value.strip() or TODO in value))


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f]", "", value)
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return None
    return None


def _not_a_number(label_en: str, label_fr: str, got: Any) -> CheckItem:
    text = str(got).strip()
    if isinstance(got, bool):
        reason_en, reason_fr = "is true or false, not a number", "est vrai ou faux, pas un nombre"
    elif text.endswith("%"):
        reason_en = "has a % sign: write the number alone, e.g. 12.5, without quotes"
        reason_fr = "a un signe % : écrivez le nombre seul, p. ex. 12.5, sans guillemets"
    elif GROUPED_DIGITS.match(text) and sum(text.count(mark) for mark in ",.'’") >= 2:
        reason_en = "has thousands separators: write the digits alone, e.g. 1234567"
        reason_fr = "a des séparateurs de milliers : écrivez les chiffres seuls, p. ex. 1234567"
    else:
        reason_en = "is not a number; write digits only, e.g. 1234.5"
        reason_fr = "n'est pas un nombre ; écrivez des chiffres, p. ex. 1234.5"
    return CheckItem(
        False, f"{label_en}: {got!r} {reason_en}.", f"{label_fr} : {got!r} {reason_fr}."
    )


def _scale_factor(number: float, expected: float, *, abs: float) -> float | None:
    """The factor of :data:`SCALE_HINTS` that turns ``expected`` into ``number``, if one."""
    if number == 0 or expected == 0:
        return None
    for factor in SCALE_HINTS:
        scaled = expected * factor
        if math.isclose(number, scaled, rel_tol=SCALE_TOLERANCE, abs_tol=abs * factor):
            return factor
    return None


def times_off(factor: float) -> tuple[str, str]:
    """``factor`` in words, in English and French: ``100 times too large``, ``1 000 fois
    trop petit``."""
    if factor > 1:
        shown = f"{factor:,.0f}"
        return f"{shown} times too large", f"{shown.replace(',', ' ')} fois trop grand"
    shown = f"{1 / factor:,.0f}"
    return f"{shown} times too small", f"{shown.replace(',', ' ')} fois trop petit"


def _arabic(label_ar: str, text: str) -> str:
    """The Arabic message ``label: text``, empty without an Arabic label (English is shown)."""
    return f"{label_ar}: {text}" if label_ar else ""


def unanswered_item(label_en: str, label_fr: str, label_ar: str = "") -> CheckItem:
    return CheckItem(
        False,
        f"{label_en}: not answered yet (replace TODO).",
        f"{label_fr} : pas encore de réponse (remplacez TODO).",
        _arabic(label_ar, "لا جواب بعد (عوّض TODO)."),
    )


def mistake_item(
    label_en: str, label_fr: str, got: Any, mistake: Mistake, label_ar: str = ""
) -> CheckItem:
    """The failed item of an expected mistake: its own explanation."""
    return CheckItem(
        False,
        f"{label_en}: {got} is not right: {mistake.message_en}",
        f"{label_fr} : {got} n'est pas juste : {mistake.message_fr}",
        _arabic(label_ar, f"{got} ليس صحيحاً: {mistake.message_ar}") if mistake.message_ar else "",
    )


def _unusable_number(
    label_en: str, label_fr: str, got: Any, label_ar: str = ""
) -> CheckItem | None:
    """A failed item when ``got`` is no answer yet, not a number, or nan."""
    if _unanswered(got):
        return unanswered_item(label_en, label_fr, label_ar)
    number = _as_number(got)
    if number is None:
        return _not_a_number(label_en, label_fr, got)
    if math.isnan(number):
        return CheckItem(
            False,
            f"{label_en}: no value (nan) where a number is expected.",
            f"{label_fr} : pas de valeur (nan) là où un nombre est attendu.",
        )
    return None


def _rounded_answer(number: float, expected: float) -> bool:
    """Is ``number`` ``expected`` rounded (or cut) to a whole number, or rounded to one to
    four decimals, without being it?"""
    if number == expected:
        return False
    whole = number == round(number) and math.fabs(number - expected) < 1
    return whole or any(number == round(expected, digits) for digits in (1, 2, 3, 4))


def number_item(
    label_en: str,
    label_fr: str,
    got: Any,
    expected: float,
    *,
    rel: float = 1e-9,
    abs: float = 0.0,
    mistakes: Sequence[Mistake] = (),
    label_ar: str = "",
) -> CheckItem:
    """Is the answer ``got`` the number ``expected`` (within the tolerance)?

    A wrong answer is told which expected mistake it is, how many times too large or too
    small it is when a unit explains it, or else whether it is too high or too low; never
    what the answer is. With ``label_ar``, the usual verdicts are also said in Arabic.
    """
    unusable = _unusable_number(label_en, label_fr, got, label_ar)
    if unusable is not None:
        return unusable
    number = float(_as_number(got))
    if math.isclose(number, expected, rel_tol=rel, abs_tol=abs):
        return CheckItem(
            True,
            f"{label_en}: {got} is right.",
            f"{label_fr} : {got} est juste.",
            _arabic(label_ar, f"{got} صحيح."),
        )
    for mistake in mistakes:
        if math.isclose(number, float(mistake.value), rel_tol=rel, abs_tol=abs):
            return mistake_item(label_en, label_fr, got, mistake, label_ar)
    factor = _scale_factor(number, expected, abs=abs)
    if factor is not None:
        times_en, times_fr = times_off(factor)
        hint_en, hint_fr = SCALE_HINTS[factor]
        return CheckItem(
            False,
            f"{label_en}: {got} is {times_en}: {hint_en}.",
            f"{label_fr} : {got} est {times_fr} : {hint_fr}.",
        )
    direction_en, direction_fr, direction_ar = (
        ("too high", "trop haut", "مرتفع جداً")
        if number > expected
        else ("too low", "trop bas", "منخفض جداً")
    )
    if _rounded_answer(number, expected):
        return CheckItem(
            False,
            f"{label_en}: {got} is {direction_en}: is it rounded? Keep all the decimals of "
            "your calculation.",
            f"{label_fr} : {got} est {direction_fr} : est-ce arrondi ? Gardez toutes les "
            "décimales de votre calcul.",
            _arabic(label_ar, f"{got} {direction_ar}: هل قرّبته؟ احتفظ بكل الكسور العشرية لحسابك."),
        )
    return CheckItem(
        False,
        f"{label_en}: {got} is {direction_en}.",
        f"{label_fr} : {got} est {direction_fr}.",
        _arabic(label_ar, f"{got} {direction_ar}."),
    )


def _boolean_form(label_en: str, label_fr: str, got: Any) -> CheckItem | None:
    """A failed item when a true/false answer is typed as text or as a number."""
    if isinstance(got, bool):
        return None
    if isinstance(got, str) and got.strip().strip("\"'").casefold() in BOOLEAN_WORDS:
        return CheckItem(
            False,
            f"{label_en}: {got!r} is a text: write true or false without quotes.",
            f"{label_fr} : {got!r} est un texte : écrivez true ou false sans guillemets.",
        )
    return CheckItem(
        False,
        f"{label_en}: {got!r} is not true or false: write true or false, without quotes.",
        f"{label_fr} : {got!r} n'est ni vrai ni faux : écrivez true ou false, sans guillemets.",
    )


def _code_form(label_en: str, label_fr: str, got: Any) -> CheckItem | None:
    """A failed item when a code is typed as a number, or a name is given for a code."""
    if isinstance(got, int | float) and not isinstance(got, bool):
        return CheckItem(
            False,
            f"{label_en}: {got!r} is a number; a code is a text: write it in quotes, as in the "
            'column unit_id, e.g. "04.xxx".',
            f"{label_fr} : {got!r} est un nombre ; un code est un texte : écrivez-le entre "
            'guillemets, comme dans la colonne unit_id, p. ex. "04.xxx".',
        )
    if isinstance(got, str) and not CODE_PATTERN.match(got.strip()):
        return CheckItem(
            False,
            f"{label_en}: {got!r} is not a code: write the code (digits and dots, column "
            "unit_id), not the name.",
            f"{label_fr} : {got!r} n'est pas un code : écrivez le code (chiffres et points, "
            "colonne unit_id), pas le nom.",
        )
    return None


def _same_text(got: Any, expected: Any) -> bool:
    return str(got).strip().casefold() == str(expected).strip().casefold()


def text_item(
    label_en: str,
    label_fr: str,
    got: Any,
    expected: Any,
    *,
    also: Sequence[str] = (),
    mistakes: Sequence[Mistake] = (),
    label_ar: str = "",
) -> CheckItem:
    """Is the answer ``got`` the text (or code, or true/false) ``expected``?

    Texts are compared without regard to case and surrounding spaces; ``also`` lists other
    right spellings (the same label in another language). A code (digits and dots) typed
    as a number or replaced by a name, and a true/false typed as text, are told so.
    """
    if _unanswered(got):
        return unanswered_item(label_en, label_fr, label_ar)
    if isinstance(expected, bool):
        right = got is expected
    else:
        right = any(_same_text(got, answer) for answer in (expected, *also))
    if right:
        return CheckItem(
            True, f"{label_en}: right.", f"{label_fr} : juste.", _arabic(label_ar, "صحيح.")
        )
    if isinstance(expected, bool):
        form = _boolean_form(label_en, label_fr, got)
    elif isinstance(expected, str) and CODE_PATTERN.match(expected):
        form = _code_form(label_en, label_fr, got)
    else:
        form = None
    if form is not None:
        return form
    shown = _as_written(got)
    for mistake in mistakes:
        if _same_text(got, mistake.value):
            return mistake_item(label_en, label_fr, shown, mistake, label_ar)
    return CheckItem(
        False,
        f"{label_en}: {shown} is not right; look again.",
        f"{label_fr} : {shown} n'est pas juste ; regardez encore.",
        _arabic(label_ar, f"{shown} ليس صحيحاً؛ أعد النظر."),
    )


def _as_written(got: Any) -> str:
    """``got`` as the trainee wrote it in the answer file: ``true``, not Python's ``True``;
    a text in quotes."""
    if isinstance(got, bool):
        return "true" if got else "false"
    return repr(got)


@dataclass(frozen=True)
class Answer:
    """One answer a check reads by its name and compares with the right one.

    Attributes
    ----------
    name : str
        Its key in the answers (a TOML answer file, or a dict the trainee's code returns).
    label_en, label_fr : str
        What the answer is, as its item names it.
    expected : float, str or bool
        The right answer: a number is compared by :func:`number_item`, a text, a code or a
        true/false by :func:`text_item`.
    rel, abs : float
        The tolerance of a number, as in :func:`number_item` (a text has none).
    mistakes : sequence of Mistake
        The wrong answers expected, each with what to tell the trainee.
    """

    name: str
    label_en: str
    label_fr: str
    expected: Any
    rel: float = 1e-9
    abs: float = 0.0
    mistakes: Sequence[Mistake] = ()


def answer_items(answers: Mapping[str, Any], expected: Sequence[Answer]) -> list[CheckItem]:
    """One item per answer of ``expected``, in its order; a missing answer is unanswered."""
    items = []
    for answer in expected:
        got = answers.get(answer.name)
        if isinstance(answer.expected, bool | str):
            item = text_item(
                answer.label_en, answer.label_fr, got, answer.expected, mistakes=answer.mistakes
            )
        else:
            item = number_item(
                answer.label_en,
                answer.label_fr,
                got,
                answer.expected,
                rel=answer.rel,
                abs=answer.abs,
                mistakes=answer.mistakes,
            )
        items.append(item)
    return items
