"""Comparisons of results folders, as data: territories side by side, one unit in its own.

:mod:`~observatory.compare.territories` puts several territories in one ranked table with
what makes their figures not comparable; :mod:`~observatory.compare.profile` sets one unit
against its parent, its Degree of Urbanisation peers and its level's distribution. Nothing
here is translated or written: :mod:`observatory.report.comparison` and
:mod:`observatory.report.atlas.comparison` do that.
"""

from observatory.compare.profile import PROFILE_COLUMNS, UnitProfile, find_unit, unit_profile
from observatory.compare.territories import (
    FULL_COVERAGE,
    UNIT_COLUMNS,
    Comparison,
    Difference,
    IndicatorComparison,
    Territory,
    compare_territories,
    territories_of,
    value_column,
)

__all__ = [
    "FULL_COVERAGE",
    "PROFILE_COLUMNS",
    "UNIT_COLUMNS",
    "Comparison",
    "Difference",
    "IndicatorComparison",
    "Territory",
    "UnitProfile",
    "compare_territories",
    "find_unit",
    "territories_of",
    "unit_profile",
    "value_column",
]
