"""How problems name what is wrong: the first few values, row numbers, field lists."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from observatory.messages import Text, _

#: How many bad values a message lists before "and N more".
EXAMPLES = 5


def examples(values: Sequence[object], *, limit: int = EXAMPLES, quote: bool = True) -> Text:
    """The first ``limit`` values (text quoted unless ``quote`` is False) and how many more.

    A value that is a :class:`~observatory.messages.Text` (``'04' (7,071 people)``) is
    translated with the message; the others are shown as they are.
    """
    values = list(values)
    shown = {
        f"v{position}": repr(value) if quote and type(value) is str else value
        for position, value in enumerate(values[:limit])
    }
    listed = Text(", ".join("{" + name + "}" for name in shown), **shown)
    if len(values) > limit:
        return _("{listed} and {more} more", listed=listed, more=len(values) - limit)
    return listed


def joined(values: Sequence[object], separator: str) -> Text:
    """``values`` joined by ``separator``, each translated with the message when it is a
    :class:`~observatory.messages.Text`."""
    named = {f"v{position}": value for position, value in enumerate(values)}
    return Text(separator.join("{" + name + "}" for name in named), **named)


def rows(mask: np.ndarray | pd.Series) -> list[int]:
    """1-based row numbers (as QGIS counts features in a GeoPackage) where ``mask`` is True."""
    return [int(position) + 1 for position in np.flatnonzero(np.asarray(mask))]


def field_names(frame: pd.DataFrame) -> str:
    """The fields (columns) of a layer or table, geometry aside, for a message."""
    return ", ".join(str(column) for column in frame.columns if column != "geometry") or _("none")
