"""The unit hierarchy: every level's units, and the ancestors of each finest unit.

:func:`unit_hierarchy` builds it from :class:`~observatory.layers.Layers` that passed the
checks (:func:`observatory.checks.run_checks`): every level was read, its codes are unique
and given, and every child names an existing parent or was given one spatially (the
parents the checks found are passed in, never looked for again). All levels are in the CRS
of the finest level.
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


def _unit_frame(
    frame: gpd.GeoDataFrame, level: Level, parent_ids: pd.Series | None, crs
) -> gpd.GeoDataFrame:
    """The units of ``level``, indexed by code, with their name and parent code, in ``crs``.

    The parent codes come from the level's ``parent`` field, else from ``parent_ids``
    (found spatially, indexed by unit code); the first level has none.
    """
    ids = codes_as_text(frame[level.id])
    if level.parent is not None:
        parents = codes_as_text(frame[level.parent]).to_numpy()
    elif parent_ids is not None:
        parents = parent_ids.reindex(ids.to_numpy()).to_numpy()
    else:
        parents = None
    units = gpd.GeoDataFrame(
        {
            "unit_name": (
                frame[level.label].astype(str).to_numpy() if level.label else ids.to_numpy()
            ),
            "parent_id": parents,
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    units.index = pd.Index(ids.to_numpy(), name="unit_id")
    return units if units.crs == crs else units.to_crs(crs)


def unit_hierarchy(layers: Layers, parent_ids: dict[str, pd.Series] | None = None) -> Hierarchy:
    """Every level of units of checked ``layers``, and each finest unit's ancestors.

    Parameters
    ----------
    layers : Layers
        Layers that passed the checks.
    parent_ids : dict, optional
        Level name → the parent code of each unit (by unit code), for the levels that name
        no ``parent`` field: :attr:`observatory.checks.CheckedLayers.parent_ids`.

    Every level is taken to the CRS of the finest level (see ``docs/developer/decisions.md``).

    Raises
    ------
    ValueError
        If a level below the first has neither a ``parent`` field nor ``parent_ids``: build
        the hierarchy from :func:`observatory.checks.run_checks`, which finds them.
    """
    spec = layers.project.units
    found = parent_ids or {}
    missing = [
        level.name
        for level in spec.levels
        if spec.finds_parents_spatially(level) and level.name not in found
    ]
    if missing:
        raise ValueError(f"the parents of level(s) {', '.join(missing)} were not given")
    crs = layers.units[spec.levels[-1].name].frame.crs
    levels = {
        level.name: _unit_frame(layers.units[level.name].frame, level, found.get(level.name), crs)
        for level in spec.levels
    }
    names = list(levels)
    ancestors = pd.DataFrame(index=levels[names[-1]].index)
    ancestors[names[-1]] = ancestors.index
    for child, parent in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
        ancestors[parent] = ancestors[child].map(levels[child]["parent_id"])
    return Hierarchy(levels=levels, ancestors=ancestors[names])
