"""Comparisons that checks use, each giving a :class:`CheckItem` worded for a trainee.

A number is close when ``|got − expected| ≤ max(rel × |expected|, abs)`` (the rule of
:func:`math.isclose`). Answers still holding ``"TODO"`` are reported as unanswered.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from observatory.workshop.checks import CheckItem

TODO = "TODO"


def _unanswered(value: Any) -> bool:
    return value is None or (isinstance(value, str) and (not value.strip() or TODO in value))


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(" ", "").replace(",", "."))
        except ValueError:
            return None
    return None


def unanswered_item(label_en: str, label_fr: str) -> CheckItem:
    return CheckItem(
        False,
        f"{label_en}: not answered yet (replace TODO).",
        f"{label_fr} : pas encore de réponse (remplacez TODO).",
    )


def number_item(
    label_en: str,
    label_fr: str,
    got: Any,
    expected: float,
    *,
    rel: float = 1e-9,
    abs: float = 0.0,
) -> CheckItem:
    """Is the answer ``got`` the number ``expected`` (within the tolerance)?

    A wrong answer says whether it is too high or too low, not what the answer is.
    """
    if _unanswered(got):
        return unanswered_item(label_en, label_fr)
    number = _as_number(got)
    if number is None:
        return CheckItem(
            False,
            f"{label_en}: {got!r} is not a number; write digits only, e.g. 1234.5.",
            f"{label_fr} : {got!r} n'est pas un nombre ; écrivez des chiffres, p. ex. 1234.5.",
        )
    if math.isclose(number, expected, rel_tol=rel, abs_tol=abs):
        return CheckItem(True, f"{label_en}: {got} is right.", f"{label_fr} : {got} est juste.")
    direction_en, direction_fr = (
        ("too high", "trop haut") if number > expected else ("too low", "trop bas")
    )
    return CheckItem(
        False,
        f"{label_en}: {got} is {direction_en}.",
        f"{label_fr} : {got} est {direction_fr}.",
    )


def text_item(label_en: str, label_fr: str, got: Any, expected: Any) -> CheckItem:
    """Is the answer ``got`` the text (or code, or true/false) ``expected``?

    Texts are compared without regard to case and surrounding spaces.
    """
    if _unanswered(got):
        return unanswered_item(label_en, label_fr)
    if isinstance(expected, bool):
        right = got is expected
    else:
        right = str(got).strip().casefold() == str(expected).strip().casefold()
    if right:
        return CheckItem(True, f"{label_en}: right.", f"{label_fr} : juste.")
    return CheckItem(
        False,
        f"{label_en}: {got!r} is not right; look again.",
        f"{label_fr} : {got!r} n'est pas juste ; regardez encore.",
    )


def series_item(
    label_en: str,
    label_fr: str,
    got: Any,
    expected: pd.Series,
    *,
    rel: float = 1e-6,
    abs: float = 0.0,
) -> CheckItem:
    """Does ``got`` hold the values of ``expected``, unit by unit (same ids in the index)?

    The first unit that differs is named, with both values, so the trainee can look at it.
    """
    if not isinstance(got, pd.Series):
        return CheckItem(
            False,
            f"{label_en}: expected a pandas Series indexed by code, got {type(got).__name__}.",
            f"{label_fr} : une Series pandas indexée par code est attendue, pas "
            f"{type(got).__name__}.",
        )
    got_index = got.index.astype(str)
    missing = expected.index.difference(got_index)
    extra = got_index.difference(expected.index)
    if len(missing) or len(extra):
        first = (missing if len(missing) else extra)[0]
        what_en, what_fr = (
            ("is missing", "manque") if len(missing) else ("is unexpected", "est en trop")
        )
        return CheckItem(
            False,
            f"{label_en}: {len(expected)} units expected, you have {len(got)}; unit {first} "
            f"{what_en}. Index the result by the unit code.",
            f"{label_fr} : {len(expected)} unités attendues, vous en avez {len(got)} ; l'unité "
            f"{first} {what_fr}. Indexez le résultat par le code de l'unité.",
        )
    values = pd.to_numeric(pd.Series(got.to_numpy(), index=got_index), errors="coerce")
    values = values.reindex(expected.index).to_numpy(dtype="float64")
    reference = expected.to_numpy(dtype="float64")
    close = np.isclose(values, reference, rtol=rel, atol=abs)
    if close.all():
        return CheckItem(
            True,
            f"{label_en}: all {len(expected)} values are right.",
            f"{label_fr} : les {len(expected)} valeurs sont justes.",
        )
    position = int(np.flatnonzero(~close)[0])
    unit = expected.index[position]
    return CheckItem(
        False,
        f"{label_en}: {int((~close).sum())} of {len(expected)} values differ; e.g. unit {unit}: "
        f"{values[position]:.6g} instead of {reference[position]:.6g}.",
        f"{label_fr} : {int((~close).sum())} valeurs sur {len(expected)} diffèrent ; p. ex. "
        f"l'unité {unit} : {values[position]:.6g} au lieu de {reference[position]:.6g}.",
    )
