"""Checks of ``[parameters]``: every indicator id exists, every parameter name is one of its
parameters, every value has the right type and range (before anything is computed)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from observatory.indicators.registry import catalogue
from observatory.messages import _
from observatory.problems import Problem


def check_parameters(
    parameters: Mapping[str, Mapping[str, Any]], project_file: str
) -> list[Problem]:
    """The problems of the ``[parameters]`` of a project (its indicator id → overrides).

    The catalogue is loaded only when the project sets parameters.
    """
    if not parameters:
        return []
    indicators = catalogue()
    problems = []
    for indicator_id, overrides in parameters.items():
        key = f"parameters.{indicator_id}"
        if indicator_id not in indicators:
            close = difflib.get_close_matches(indicator_id, list(indicators), n=1)
            hint = _("did you mean '{close}'? ", close=close[0]) if close else ""
            problems.append(
                Problem(
                    "error",
                    key,
                    _(
                        "[{key}] in {file}: '{indicator}' is not an indicator id.",
                        key=key,
                        file=project_file,
                        indicator=indicator_id,
                    ),
                    _(
                        "{hint}Run 'observatory indicators list' for the ids; correct the table "
                        "name or remove the table.",
                        hint=hint,
                    ),
                )
            )
            continue
        for name, message, fix in indicators[indicator_id].param_problems(overrides):
            problems.append(
                Problem(
                    "error",
                    key,
                    _(
                        "{key}.{name} in {file} {message}.",
                        key=key,
                        name=name,
                        file=project_file,
                        message=message,
                    ),
                    _("{how}.", how=fix),
                )
            )
    return problems
