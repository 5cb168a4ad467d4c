"""How problems name what is wrong: the first few values, row numbers, field lists."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: How many bad values a message lists before "and N more".
EXAMPLES = 5


def examples(values: Sequence[object], *, limit: int = EXAMPLES, quote: bool = True) -> str:
    """The first ``limit`` values (text quoted unless ``quote`` is False) and how many more."""
    values = list(values)
    shown = ", ".join(
        repr(value) if quote and isinstance(value, str) else str(value) for value in values[:limit]
    )
    if len(values) > limit:
        shown += f" and {len(values) - limit} more"
    return shown


def rows(mask: np.ndarray | pd.Series) -> list[int]:
    """1-based row numbers (as QGIS counts features in a GeoPackage) where ``mask`` is True."""
    return [int(position) + 1 for position in np.flatnonzero(np.asarray(mask))]


def field_names(frame: pd.DataFrame) -> str:
    """The fields (columns) of a layer or table, geometry aside, for a message."""
    return ", ".join(str(column) for column in frame.columns if column != "geometry") or "none"
