"""The parameters of an indicator: what each accepts, and what is wrong with a given value.

A :class:`Parameter` names its default, its description and the values it accepts (its
``kind``, bounds, unit or choices); :func:`override_problems` lists every unknown name and
wrong value of a project's ``[parameters.<indicator>]`` as (``name = value``, what is wrong,
how to write it), translatable templates that the checks (``validate``) and
:meth:`~observatory.indicators.registry.Indicator.resolve_params` (``compute``) turn into
messages.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from observatory.messages import _

#: What a parameter holds: anything (not checked), a number, one text of ``choices``, a
#: list of texts, or a table of numbers by text (``{ primary = 7.0 }``).
PARAMETER_KINDS = ("any", "number", "choice", "texts", "numbers")
#: How a message asks for a number in the parameter's unit.
_NUMBER_WORDS = {
    "m": _("a number of metres"),
    "ha": _("a number of hectares"),
    "m²": _("a number of square metres"),
    "share": _("a share between 0 and 1"),
    "": _("a number"),
}
Bound = float | str | None
#: The checks of a distance in metres (above 0) and of a share (0 to 1), as keywords of
#: :class:`Parameter`: ``Parameter("threshold_m", 1000.0, "...", **METRES)``.
METRES: dict[str, Any] = {"kind": "number", "minimum": 0, "exclusive_minimum": True, "unit": "m"}
SHARE: dict[str, Any] = {"kind": "number", "minimum": 0, "maximum": 1, "unit": "share"}


@dataclass(frozen=True)
class Parameter:
    """A named parameter of an indicator: its default, description and accepted values.

    Attributes
    ----------
    kind : str
        One of :data:`PARAMETER_KINDS`; ``any`` is not checked (plugins written before).
    minimum, maximum : float or str, optional
        Bounds of a number (or of every number of a ``numbers`` table), inclusive; a text
        names another parameter of the same indicator (``suburban_share`` at most
        ``urban_share``).
    exclusive_minimum : bool
        The value must be above ``minimum`` (a distance of 0 m means nothing).
    unit : str
        ``m``, ``ha``, ``share`` or empty: how messages ask for the number.
    choices : tuple of str
        The values a ``choice`` accepts (compared as text, so ``2024`` is ``"2024"``).
    """

    name: str
    default: Any
    description: str
    kind: str = "any"
    minimum: Bound = None
    maximum: Bound = None
    exclusive_minimum: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()

    def problem(self, value: Any, others: Mapping[str, Any]) -> tuple[str, str] | None:
        """What is wrong with ``value`` and how to write it, or None when it is right.

        ``others`` holds the resolved values of the indicator's parameters, for the bounds
        that name another parameter.
        """
        if self.kind == "number":
            return self._number_problem(value, others)
        if self.kind == "choice" and (
            isinstance(value, bool)
            or not isinstance(value, str | int)
            or str(value) not in self.choices
        ):
            return _("is not a known value"), _(
                "use one of {choices}", choices=", ".join(map(repr, self.choices))
            )
        if self.kind == "texts" and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            return _("is not a list of texts"), _(
                "write a list such as {example!r}", example=self.default
            )
        if self.kind == "numbers":
            if not isinstance(value, dict):
                return _("is not a table"), _("write a table such as {{ primary = 7.0 }}")
            for key, item in value.items():
                found = self._number_problem(item, others)
                if found is not None:
                    return _(
                        "has {key} = {item!r}, which {problem}",
                        key=key,
                        item=item,
                        problem=found[0],
                    ), found[1]
        return None

    def _number_problem(self, value: Any, others: Mapping[str, Any]) -> tuple[str, str] | None:
        words = _NUMBER_WORDS[self.unit]
        example = f"{self.default:g}" if _is_number(self.default) else "500"
        fix = _("give {words}, e.g. {example}", words=words, example=example)
        if not _is_number(value):
            return _("is not a number"), _("{fix} (without unit or quotes)", fix=fix)
        low, high = self._bound(self.minimum, others), self._bound(self.maximum, others)
        if low is not None and (value < low or (self.exclusive_minimum and value == low)):
            bound = self._shown(self.minimum, low)
            if self.exclusive_minimum:
                return _("is below the minimum: it must be more than {bound}", bound=bound), fix
            return _("is below the minimum: it must be at least {bound}", bound=bound), fix
        if high is not None and value > high:
            return _("is above the maximum {bound}", bound=self._shown(self.maximum, high)), fix
        return None

    @staticmethod
    def _bound(bound: Bound, others: Mapping[str, Any]) -> float | None:
        value = others.get(bound) if isinstance(bound, str) else bound
        return float(value) if _is_number(value) else None

    @staticmethod
    def _shown(bound: Bound, value: float) -> str:
        return f"{bound} ({value:g})" if isinstance(bound, str) else f"{value:g}"


def _is_number(value: Any) -> bool:
    """An int or float (not a bool), finite."""
    return isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value)


def override_problems(
    params: Sequence[Parameter], overrides: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    """Every unknown name and wrong value of ``overrides`` among ``params``.

    Each is (``name = value``, or the name alone when it is unknown; what is wrong; how to
    write it), an unknown name with the closest known one when there is one.
    """
    known = {p.name: p for p in params}
    resolved = {p.name: p.default for p in params} | dict(overrides)
    problems = []
    for name, value in overrides.items():
        if name not in known:
            close = difflib.get_close_matches(name, list(known), n=1)
            hint = _("did you mean '{close}'? ", close=close[0]) if close else ""
            problems.append(
                (
                    name,
                    _("is not a parameter of this indicator"),
                    _(
                        "{hint}its parameters are: {names}",
                        hint=hint,
                        names=", ".join(known) or _("none"),
                    ),
                )
            )
            continue
        found = known[name].problem(value, resolved)
        if found is not None:
            problems.append((f"{name} = {value!r}", *found))
    return problems
