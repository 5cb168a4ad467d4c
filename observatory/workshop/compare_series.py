"""A trainee's series of values by unit compared with the right one: :func:`series_item`.

The index must hold the unit codes; each value is close when
``|got − expected| ≤ max(rel × |expected|, abs)``. A wrong series is told which unit differs
first, with both values written with enough digits to look different, and what the
differences suggest: every value a known factor off (:data:`~observatory.workshop.compare.
SCALE_HINTS`), every value empty, values rounded, or one of the :class:`~observatory.
workshop.compare.Mistake` a check expects.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from observatory.workshop.checks import CheckItem
from observatory.workshop.compare import SCALE_HINTS, SCALE_TOLERANCE, Mistake, times_off


def _differ(count: int, total: int) -> tuple[str, str]:
    if count == 1:
        return f"1 value of {total} differs", f"1 valeur sur {total} diffère"
    return f"{count} values of {total} differ", f"{count} valeurs sur {total} diffèrent"


def _series_scale_factor(values: np.ndarray, reference: np.ndarray) -> float | None:
    """The factor of :data:`SCALE_HINTS` between every value and its reference, if one."""
    usable = np.isfinite(values) & np.isfinite(reference) & (reference != 0) & (values != 0)
    if not usable.any():
        return None
    ratios = values[usable] / reference[usable]
    for factor in SCALE_HINTS:
        if np.allclose(ratios, factor, rtol=SCALE_TOLERANCE, atol=0):
            return factor
    return None


def _distinct_figures(value: float, expected: float) -> tuple[str, str]:
    """``value`` and ``expected`` as the trainee should read them: a whole number as it is,
    another with 6 significant digits and at least two decimals (507735.93, not 507736, which
    would look whole), and more digits when the two would still look the same."""

    def figure(number: float, extra: int) -> str:
        if not np.isfinite(number) or number == round(number):
            return f"{number:.0f}" if np.isfinite(number) else f"{number}"
        whole_digits = math.floor(math.log10(abs(number))) + 1 if abs(number) >= 1 else 0
        return f"{number:.{max(6, whole_digits + 2) + extra}g}"

    for extra in (0, 2, 4, 6, 11):
        shown, shown_expected = figure(value, extra), figure(expected, extra)
        if shown != shown_expected:
            break
    return shown, shown_expected


def _rounded(values: np.ndarray, reference: np.ndarray) -> bool:
    """Are the differing ``values`` the right ones rounded or cut to whole numbers (less than
    1 from ``reference``), or rounded to one to four decimals?"""
    finite = np.isfinite(values) & np.isfinite(reference)
    if not finite.any() or not finite.all():
        return False
    values, reference = values[finite], reference[finite]
    whole = np.all(values == np.round(values)) and np.all(np.abs(values - reference) < 1)
    return bool(
        whole
        or any(
            np.allclose(values, np.round(reference, d), rtol=0, atol=1e-12) for d in (1, 2, 3, 4)
        )
    )


def series_item(
    label_en: str,
    label_fr: str,
    got: Any,
    expected: pd.Series,
    *,
    rel: float = 1e-6,
    abs: float = 0.0,
    mistakes: Sequence[Mistake] = (),
) -> CheckItem:
    """Does ``got`` hold the values of ``expected``, unit by unit (same ids in the index)?

    A unit where ``expected`` has no value (nan) is right when ``got`` has none either. The
    first unit that differs is named, with both values, so the trainee can look at it;
    values that are all a known factor off, or equal to an expected mistake (a Series),
    are told so (:func:`_difference_hint`).
    """
    if not isinstance(got, pd.Series):
        return CheckItem(
            False,
            f"{label_en}: expected a pandas Series indexed by code, got {type(got).__name__}.",
            f"{label_fr} : une Series pandas indexée par code est attendue, pas "
            f"{type(got).__name__}.",
        )
    got_index = got.index.astype(str)
    wrong_index = _index_item(label_en, label_fr, got_index, expected.index)
    if wrong_index is not None:
        return wrong_index
    values = pd.to_numeric(pd.Series(got.to_numpy(), index=got_index), errors="coerce")
    values = values.reindex(expected.index).to_numpy(dtype="float64")
    reference = expected.to_numpy(dtype="float64")
    close = np.isclose(values, reference, rtol=rel, atol=abs, equal_nan=True)
    if close.all():
        return CheckItem(
            True,
            f"{label_en}: all {len(expected)} values are right.",
            f"{label_fr} : les {len(expected)} valeurs sont justes.",
        )
    for mistake in mistakes:
        wrong = mistake.value.reindex(expected.index).to_numpy(dtype="float64")
        if np.isclose(values, wrong, rtol=rel, atol=abs, equal_nan=True).all():
            return CheckItem(
                False,
                f"{label_en}: {mistake.message_en}",
                f"{label_fr} : {mistake.message_fr}",
            )
    position = int(np.flatnonzero(~close)[0])
    unit = expected.index[position]
    differ_en, differ_fr = _differ(int((~close).sum()), len(expected))
    shown, shown_expected = _distinct_figures(values[position], reference[position])
    hint_en, hint_fr = _difference_hint(values, reference, close)
    return CheckItem(
        False,
        f"{label_en}: {differ_en}; e.g. unit {unit}: {shown} instead of {shown_expected}{hint_en}.",
        f"{label_fr} : {differ_fr} ; p. ex. l'unité {unit} : {shown} au lieu de "
        f"{shown_expected}{hint_fr}.",
    )


def _index_item(
    label_en: str, label_fr: str, got_index: pd.Index, expected_index: pd.Index
) -> CheckItem | None:
    """A failed item when the units of ``got_index`` are not those of ``expected_index``:
    none of them a unit code (row numbers, names), or one missing or in excess."""
    expected_count, got_count = len(expected_index), len(got_index)
    if got_count and not got_index.isin(expected_index).any():
        labels = ", ".join(got_index[:3]) + (", ..." if got_count > 3 else "")
        return CheckItem(
            False,
            f"{label_en}: {expected_count} units expected, you have {got_count}, and none of "
            f"your labels ({labels}) is a unit code such as {expected_index[0]}. Index the "
            "result by the unit code (index=...).",
            f"{label_fr} : {expected_count} unités attendues, vous en avez {got_count}, et "
            f"aucune de vos étiquettes ({labels}) n'est un code d'unité comme "
            f"{expected_index[0]}. Indexez le résultat par le code de l'unité (index=...).",
        )
    missing = expected_index.difference(got_index)
    extra = got_index.difference(expected_index)
    if not len(missing) and not len(extra):
        return None
    first = (missing if len(missing) else extra)[0]
    what_en, what_fr = (
        ("is missing", "manque") if len(missing) else ("is unexpected", "est en trop")
    )
    return CheckItem(
        False,
        f"{label_en}: {expected_count} units expected, you have {got_count}; unit {first} "
        f"{what_en}. Index the result by the unit code.",
        f"{label_fr} : {expected_count} unités attendues, vous en avez {got_count} ; l'unité "
        f"{first} {what_fr}. Indexez le résultat par le code de l'unité.",
    )


def _difference_hint(
    values: np.ndarray, reference: np.ndarray, close: np.ndarray
) -> tuple[str, str]:
    """What the differing ``values`` suggest, to add after the example (empty texts when
    nothing): all a unit's factor off, all empty, or rounded."""
    factor = _series_scale_factor(values, reference)
    if factor is not None:
        times_en, times_fr = times_off(factor)
        hint_en, hint_fr = SCALE_HINTS[factor]
        return (
            f"; every value is {times_en}: {hint_en}",
            f" ; chaque valeur est {times_fr} : {hint_fr}",
        )
    if np.isnan(values).all():
        return (
            "; every value is empty (nan). Was the Series made from another Series with "
            "index=...? pandas then looks up its labels instead of taking its values: take "
            "them with .to_numpy()",
            " ; toutes les valeurs sont vides (nan). La Series a-t-elle été faite d'une autre "
            "Series avec index=... ? pandas cherche alors ses étiquettes au lieu de prendre "
            "ses valeurs : prenez-les avec .to_numpy()",
        )
    if _rounded(values[~close], reference[~close]):
        return (
            "; your values look rounded (or turned into int): keep all the decimals of the "
            "calculation",
            " ; vos valeurs semblent arrondies (ou passées en int) : gardez toutes les "
            "décimales du calcul",
        )
    return "", ""
