"""What is wrong with a project's inputs.

A :class:`Problem` is found when the layers are read (:mod:`observatory.layers`) or
checked (:mod:`observatory.checks`).

Severities: an **error** makes indicators wrong or impossible (a missing file, a unit
without CRS, duplicate codes, a commune outside its province, a negative count); a
**warning** is worth a look but the computation can go on (years of population and built-up
that do not pair up, grids that differ between years, a raster that covers only part of the
territory).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One problem found in a project.

    Attributes
    ----------
    severity : {"error", "warning"}
        An error makes the indicators wrong or impossible; a warning deserves a look.
    layer : str
        The input concerned, as in the project file: ``units``, ``units.commune``,
        ``census``, ``rasters.population.2014``, ``rasters.land``, ``layers.schools``.
    message : str
        What is wrong, naming the file and the first few bad values.
    fix : str
        What to do about it.
    details : tuple of str
        Every value concerned, when the message shows only the first few (every census
        code that matches no unit, say); ``validate`` lists them under the message.
    """

    severity: Severity
    layer: str
    message: str
    fix: str
    details: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The problem as a plain dict (for JSON); ``details`` (a list) only when given."""
        found = asdict(self)
        details = found.pop("details")
        if details:
            found["details"] = list(details)
        return found


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any of ``problems`` is an error."""
    return any(problem.severity == "error" for problem in problems)
