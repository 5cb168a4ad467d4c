"""One unit within its territory: against its parent, its class peers and its level.

:func:`unit_profile` sets a unit of a results folder against its parent unit, its peers
(the other units of its level in the same Degree of Urbanisation class, level 1, of the
latest period) and the distribution of its level: minimum, quartiles, median, maximum and
the unit's percentile. Quartiles interpolate linearly between the sorted values (numpy's
default, Excel's ``QUARTILE.INC``); a unit's percentile is the share of the units of its
level whose value is lower than or equal to its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from observatory.compare.territories import check_level
from observatory.errors import ParameterError
from observatory.indicators.registry import catalogue, get_indicator

#: Columns of a unit's profile (:attr:`UnitProfile.rows`).
PROFILE_COLUMNS = (
    "indicator",
    "period",
    "value",
    "parent_value",
    "peer_count",
    "peer_median",
    "count",
    "min",
    "q1",
    "median",
    "q3",
    "max",
    "percentile",
)


@dataclass(frozen=True)
class UnitProfile:
    """One unit within its territory.

    Attributes
    ----------
    published : PublishedResults
        The results folder.
    level, unit_id, unit_name : str
        The unit.
    parent : tuple of (level, id, name) or None
        Its parent unit (None at the coarsest level).
    degurba_class : int or None
        Its Degree of Urbanisation class (level 1) in :attr:`degurba_period`; None when
        the results have none.
    degurba_period : str or None
        The latest period of ``degurba_l1``.
    peers : tuple of str
        The other units of its level in the same class.
    rows : pandas.DataFrame
        :data:`PROFILE_COLUMNS`, a row per indicator and period the unit has a value for.
    """

    published: Any
    level: str
    unit_id: str
    unit_name: str
    parent: tuple[str, str, str] | None
    degurba_class: int | None
    degurba_period: str | None
    peers: tuple[str, ...]
    rows: pd.DataFrame


def find_unit(published, code: str, level: str | None = None) -> str:
    """The level of the unit ``code`` (in ``level`` when given).

    Raises
    ------
    ParameterError
        If no level (or not ``level``) has the unit, or several have it and no level is
        given.
    """
    if level is not None:
        check_level(published, level)
    searched = [level] if level else published.levels
    found = [lv for lv in searched if code in set(published.layers[lv]["unit_id"].astype(str))]
    if not found:
        where = f"level '{level}'" if level else "any level"
        example = ", ".join(published.layers[searched[-1]]["unit_id"].astype(str).head(3))
        raise ParameterError(
            f"--unit: {published.folder} has no unit '{code}' at {where}; give a code of "
            f"its indicators.csv (unit_id), e.g. {example}."
        )
    if len(found) > 1:
        raise ParameterError(
            f"--unit: '{code}' is a unit of the levels {', '.join(found)} of "
            f"{published.folder}; add --level with one of them."
        )
    return found[0]


def unit_profile(published, code: str, *, level: str | None = None) -> UnitProfile:
    """One unit against its parent, its class peers and the distribution of its level.

    Parameters
    ----------
    published : PublishedResults
        The results folder, read back.
    code : str
        The unit's code (``unit_id``).
    level : str, optional
        Its level, needed only when the code is used at several levels.
    """
    level = find_unit(published, code, level)
    layer = published.layers[level]
    row = layer[layer["unit_id"].astype(str) == code].iloc[0]
    parent = _parent(published, level, row)
    rows = published.long[published.long["level"] == level]
    by_unit = rows.pivot_table(
        index="unit_id", columns=["indicator", "period"], values="value", aggfunc="first"
    )
    klass, degurba_period = _degurba_class(by_unit, code)
    peers = ()
    if klass is not None:
        classes = by_unit[("degurba_l1", degurba_period)]
        peers = tuple(str(u) for u in classes.index[(classes == klass) & (classes.index != code)])
    parent_values = _unit_values(published, parent)
    records = []
    for indicator_id in catalogue():
        spec = get_indicator(indicator_id)
        for column in [c for c in by_unit.columns if c[0] == indicator_id]:
            values = by_unit[column]
            if pd.isna(values.get(code)):
                continue
            record = {"indicator": indicator_id, "period": column[1], "value": values[code]}
            record["parent_value"] = parent_values.get(column, np.nan)
            if spec.kind != "class":
                record.update(distribution(values, code, peers))
            records.append(record)
    return UnitProfile(
        published=published,
        level=level,
        unit_id=code,
        unit_name=str(row["unit_name"]),
        parent=parent,
        degurba_class=klass,
        degurba_period=degurba_period,
        peers=peers,
        rows=pd.DataFrame(records, columns=list(PROFILE_COLUMNS)),
    )


def _parent(published, level: str, row) -> tuple[str, str, str] | None:
    index = published.levels.index(level)
    parent_id = row.get("parent_id")
    if index == 0 or parent_id is None or pd.isna(parent_id):
        return None
    parent_level = published.levels[index - 1]
    layer = published.layers[parent_level]
    match = layer[layer["unit_id"].astype(str) == str(parent_id)]
    name = str(match["unit_name"].iloc[0]) if len(match) else str(parent_id)
    return (parent_level, str(parent_id), name)


def _unit_values(published, unit: tuple[str, str, str] | None) -> dict[tuple[str, str], float]:
    if unit is None:
        return {}
    long = published.long
    rows = long[(long["level"] == unit[0]) & (long["unit_id"] == unit[1])]
    keys = zip(rows["indicator"], rows["period"], strict=True)
    return dict(zip(keys, rows["value"], strict=True))


def _degurba_class(by_unit: pd.DataFrame, code: str) -> tuple[int | None, str | None]:
    periods = sorted(period for indicator, period in by_unit.columns if indicator == "degurba_l1")
    if not periods or pd.isna(by_unit[("degurba_l1", periods[-1])].get(code)):
        return None, None
    return int(by_unit[("degurba_l1", periods[-1])][code]), periods[-1]


def distribution(values: pd.Series, code: str, peers: tuple[str, ...]) -> dict[str, float]:
    """The statistics of a profile row: the level's distribution, the unit's percentile and
    its peers' median (see the module's conventions)."""
    known = values.dropna().to_numpy(dtype=float)
    own = float(values[code])
    q1, median, q3 = np.percentile(known, [25, 50, 75])
    peer_values = values.reindex(list(peers)).dropna()
    return {
        "peer_count": len(peer_values),
        "peer_median": float(peer_values.median()) if len(peer_values) else np.nan,
        "count": len(known),
        "min": float(known.min()),
        "q1": float(q1),
        "median": float(median),
        "q3": float(q3),
        "max": float(known.max()),
        "percentile": 100.0 * float((known <= own).sum()) / len(known),
    }
