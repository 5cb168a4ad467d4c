"""The unit hierarchy: every level's units, and the ancestors of each finest unit.

:func:`unit_hierarchy` builds it from :class:`~observatory.layers.Layers` that passed the
checks (:func:`observatory.checks.check_layers`): every level was read, its codes are unique
and given, and every child names an existing parent.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from observatory.io.tables import codes_as_text
from observatory.layers import Layers
from observatory.project import Level


@dataclass(frozen=True)
class Hierarchy:
    """The units of every level, coarsest first, and each finest unit's ancestors.

    ``levels`` maps level name → GeoDataFrame indexed by unit id with columns ``unit_name``,
    ``parent_id`` and geometry. ``ancestors`` is indexed by finest unit id with one column per
    level holding the id of the unit of that level that contains it.
    """

    levels: dict[str, gpd.GeoDataFrame]
    ancestors: pd.DataFrame

    @property
    def finest(self) -> str:
        """The name of the finest level."""
        return list(self.levels)[-1]


def _unit_frame(frame: gpd.GeoDataFrame, level: Level) -> gpd.GeoDataFrame:
    """The units of ``level``, indexed by code, with their name and parent code."""
    ids = codes_as_text(frame[level.id])
    units = gpd.GeoDataFrame(
        {
            "unit_name": (
                frame[level.label].astype(str).to_numpy() if level.label else ids.to_numpy()
            ),
            "parent_id": codes_as_text(frame[level.parent]).to_numpy() if level.parent else None,
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    units.index = pd.Index(ids.to_numpy(), name="unit_id")
    return units


def unit_hierarchy(layers: Layers) -> Hierarchy:
    """Every level of units of checked ``layers``, and each finest unit's ancestors."""
    levels = {
        level.name: _unit_frame(layers.units[level.name].frame, level)
        for level in layers.project.units.levels
    }
    names = list(levels)
    ancestors = pd.DataFrame(index=levels[names[-1]].index)
    ancestors[names[-1]] = ancestors.index
    for child, parent in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
        ancestors[parent] = ancestors[child].map(levels[child]["parent_id"])
    return Hierarchy(levels=levels, ancestors=ancestors[names])
