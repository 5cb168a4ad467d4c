"""Parents found spatially: the parent of each unit of a level that names no ``parent``
field is the unit of the level above that holds the largest part of its area.

The candidate parents of every unit come from an STRtree of the parent level's polygons
(one vectorised query, so the cost grows with the number of units, not its square); a unit
that a candidate covers lies wholly in it, and only the others are intersected with their
candidates and measured on the ellipsoid
(:func:`~observatory.kernels.zonal.equal_area_km2`), never in degrees. Both levels are
compared in the CRS of the hierarchy: the finest level's (see ``docs/developer/decisions.md``).

The share of a unit inside its parent sets what is said about it:

* at least :data:`~observatory.checks.units.NESTING_MIN_SHARE` (0.99): nothing;
* from :data:`SPATIAL_PARENT_MIN_SHARE` (0.90) up to 0.99: a warning naming the unit and its
  overlaps; it gets the parent holding most of it;
* below 0.90, or no overlapping parent at all: an error naming the unit and its overlaps; it
  gets no parent (``compute`` stops on the error).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from observatory.checks.describe import examples, joined
from observatory.checks.units import NESTING_MIN_SHARE, UnitLevel
from observatory.kernels.zonal import equal_area_km2
from observatory.layers import Layers
from observatory.messages import Text, _, ngettext
from observatory.problems import Problem
from observatory.project import UnitsSpec

#: A unit lying less than this share inside every unit of the level above gets no parent
#: (an error); from this share up to NESTING_MIN_SHARE it gets one, with a warning.
SPATIAL_PARENT_MIN_SHARE = 0.90
#: Overlaps smaller than this share of a unit are not listed in messages (they round to 0.0 %).
_LISTED_SHARE = 0.0005


@dataclass(frozen=True)
class SpatialParents:
    """The parents found spatially for the units of one level.

    Attributes
    ----------
    level, parent_level : str
        The level whose parents were found, and the level above it.
    parent_ids : pandas.Series
        Indexed by the level's unit codes (in the order of its layer): the code of the
        parent unit, None where no parent could be given (an error says why).
    shares : pandas.Series
        Same index: the share of each unit's area inside its parent (0 without parent).
    problems : tuple of Problem
        The warnings and errors about these parents.
    """

    level: str
    parent_level: str
    parent_ids: pd.Series
    shares: pd.Series
    problems: tuple[Problem, ...]

    @property
    def assigned(self) -> int:
        """How many units were given a parent."""
        return int(self.parent_ids.notna().sum())

    @property
    def parents_used(self) -> int:
        """How many units of the level above were given at least one child."""
        return int(self.parent_ids.dropna().nunique())

    @property
    def warned(self) -> int:
        """How many units lie from SPATIAL_PARENT_MIN_SHARE up to NESTING_MIN_SHARE in their
        parent (each named in a warning)."""
        return int((self.parent_ids.notna() & (self.shares < NESTING_MIN_SHARE)).sum())

    @property
    def refused(self) -> int:
        """How many units were given no parent (each named in an error)."""
        return int(self.parent_ids.isna().sum())


@dataclass(frozen=True)
class LevelCount:
    """How many units a level has, and how their parents were found (None: by a field, or
    the first level)."""

    level: str
    units: int
    parents: SpatialParents | None = None

    def text(self) -> Text:
        """``municipality: 319 units (parents found spatially: 319 in 2 region units,
        0 warnings)``."""
        units = ngettext("{count} unit", "{count} units", self.units, count=self.units)
        found = self.parents
        if found is None:
            return Text("{level}: {units}", level=self.level, units=units)
        used = found.parents_used
        spatial = _(
            "parents found spatially: {assigned} in {parents}, {warnings}",
            assigned=found.assigned,
            parents=ngettext(
                "{count} {level} unit",
                "{count} {level} units",
                used,
                count=used,
                level=found.parent_level,
            ),
            warnings=ngettext(
                "{count} warning", "{count} warnings", found.warned, count=found.warned
            ),
        )
        if found.refused:
            spatial = _("{found}, {refused} without parent", found=spatial, refused=found.refused)
        return Text("{level}: {units} ({spatial})", level=self.level, units=units, spatial=spatial)

    def to_dict(self) -> dict[str, object]:
        """The counts as JSON values."""
        document: dict[str, object] = {"level": self.level, "units": self.units}
        found = self.parents
        if found is not None:
            document["parents_found_spatially"] = {
                "assigned": found.assigned,
                "parents": found.parents_used,
                "warnings": found.warned,
                "without_parent": found.refused,
            }
        return document


def level_counts(layers: Layers, parents: dict[str, SpatialParents]) -> list[LevelCount]:
    """The units of every level that was read, coarsest first, with the parents found
    spatially (``parents``, as :func:`find_parents` gives them)."""
    return [
        LevelCount(level.name, len(layers.units[level.name].frame), parents.get(level.name))
        for level in layers.project.units.levels
        if level.name in layers.units
    ]


def hierarchy_crs(spec: UnitsSpec, units: dict[str, UnitLevel]):
    """The CRS the levels are compared and joined in: the finest level's (None unread)."""
    finest = units.get(spec.levels[-1].name)
    return None if finest is None else finest.layer.frame.crs


def find_parents(spec: UnitsSpec, units: dict[str, UnitLevel]) -> dict[str, SpatialParents]:
    """The parents of every level that names no ``parent`` field, found spatially.

    A level whose parents cannot be looked for (it or the level above was not read, has no
    codes or cannot be placed) is left out: the checks of that level report why.

    Returns
    -------
    dict
        Level name → :class:`SpatialParents`, in the order of the levels.
    """
    crs = hierarchy_crs(spec, units)
    found = {}
    for level in spec.levels[1:]:
        if not spec.finds_parents_spatially(level):
            continue
        child = units.get(level.name)
        parent = units.get(spec.parent_of(level.name).name)
        if crs is None or child is None or parent is None:
            continue
        if child.codes is None or parent.codes is None or not (child.placed and parent.placed):
            continue
        found[level.name] = _level_parents(child, parent, crs)
    return found


def _geometries_in(units: UnitLevel, crs) -> np.ndarray:
    series = gpd.GeoSeries(units.geometries, crs=units.layer.frame.crs)
    return (series if series.crs == crs else series.to_crs(crs)).to_numpy()


def overlaps(children: np.ndarray, parents: np.ndarray, crs) -> pd.DataFrame:
    """Every (child, parent) pair that overlaps, with the share of the child's area inside.

    Parameters
    ----------
    children, parents : numpy.ndarray
        Polygons (shapely) in ``crs``; missing or empty ones overlap nothing.
    crs
        Their CRS (any that can be taken to longitude and latitude).

    Returns
    -------
    pandas.DataFrame
        Columns ``child`` and ``parent`` (positions in the arrays) and ``share`` (> 0), sorted
        by child and by decreasing share. A child covered by a parent has that one pair,
        share 1; children that overlap nothing have no row.
    """
    tree = shapely.STRtree(parents)
    child, parent = tree.query(children, predicate="intersects")
    shapely.prepare(parents)
    share = shapely.covers(parents[parent], children[child]).astype(float)
    settled = np.zeros(len(children), dtype=bool)
    settled[child[share == 1]] = True
    measured = ~settled[child]
    if measured.any():
        inside = shapely.intersection(children[child[measured]], parents[parent[measured]])
        inside_km2 = equal_area_km2(gpd.GeoSeries(inside, crs=crs))
        unit_km2 = equal_area_km2(gpd.GeoSeries(children[child[measured]], crs=crs))
        share[measured] = np.divide(
            inside_km2, unit_km2, out=np.zeros_like(unit_km2), where=unit_km2 > 0
        )
    pairs = pd.DataFrame({"child": child, "parent": parent, "share": share})
    pairs = pairs[pairs["share"] > 0]
    return pairs.sort_values(["child", "share"], ascending=[True, False], kind="stable")


def _level_parents(child: UnitLevel, parent: UnitLevel, crs) -> SpatialParents:
    """The parents of ``child``'s units among ``parent``'s, and the problems with them."""
    children = _geometries_in(child, crs)
    pairs = overlaps(children, _geometries_in(parent, crs), crs)
    best = pairs.drop_duplicates("child")
    shares = np.zeros(len(children))
    shares[best["child"].to_numpy()] = best["share"].to_numpy()
    parent_codes = parent.codes.to_numpy(dtype=object)
    assigned = np.full(len(children), None, dtype=object)
    given = best["share"].to_numpy() >= SPATIAL_PARENT_MIN_SHARE
    assigned[best["child"].to_numpy()[given]] = parent_codes[best["parent"].to_numpy()[given]]
    placed = ~(shapely.is_missing(children) | shapely.is_empty(children))
    names = _Names(child, parent, pairs)
    warned = np.flatnonzero(placed & (shares >= SPATIAL_PARENT_MIN_SHARE))
    warned = warned[shares[warned] < NESTING_MIN_SHARE]
    refused = np.flatnonzero(placed & (shares < SPATIAL_PARENT_MIN_SHARE))
    problems = [
        _misplaced(severity, child, parent, names.units(positions, shares))
        for severity, positions in (("warning", warned), ("error", refused))
        if len(positions)
    ]
    index = pd.Index(child.codes.to_numpy(), name=child.level.id)
    parent_ids = pd.Series(assigned, index=index, dtype=object)
    childless = sorted(parent.usable_codes - set(parent_ids.dropna()))
    if childless:
        problems.append(_childless(child, parent, childless))
    return SpatialParents(
        level=child.level.name,
        parent_level=parent.level.name,
        parent_ids=parent_ids,
        shares=pd.Series(shares, index=index),
        problems=tuple(problems),
    )


class _Names:
    """How messages name units and their overlaps: ``Ixelles (21009): 97.2 % in 4000
    Brussels-Capital, 2.8 % in 2000 Flanders``."""

    def __init__(self, child: UnitLevel, parent: UnitLevel, pairs: pd.DataFrame) -> None:
        self.child_names = _unit_names(child, code_first=False)
        self.parent_names = _unit_names(parent, code_first=True)
        self.parent_level = parent.level.name
        listed = pairs[pairs["share"] >= _LISTED_SHARE].assign(shown=pairs["share"].round(3))
        # as shown, largest first; equal ones (a unit half in each of two) in layer order
        self.pairs = listed.sort_values(
            ["child", "shown", "parent"], ascending=[True, False, True], kind="stable"
        )

    def units(self, positions: np.ndarray, shares: np.ndarray) -> list[str]:
        """Each unit at ``positions`` with its overlaps, the least inside first."""
        by_child = self.pairs.groupby("child")
        listed = set(by_child.groups)
        texts = []
        for position in positions[np.argsort(shares[positions], kind="stable")]:
            own = by_child.get_group(position) if position in listed else self.pairs.iloc[:0]
            parts = [
                _("{share:.1f} % in {parent}", share=100 * share, parent=self.parent_names[index])
                for index, share in zip(own["parent"], own["share"], strict=True)
            ]
            outside = 1 - own["share"].sum()
            if outside >= _LISTED_SHARE:
                parts.append(
                    _("{share:.1f} % in no {level}", share=100 * outside, level=self.parent_level)
                )
            texts.append(
                _("{unit}: {parts}", unit=self.child_names[position], parts=joined(parts, ", "))
            )
        return texts


def _unit_names(units: UnitLevel, *, code_first: bool) -> list[str]:
    """Each unit of a level as ``label (code)``, or ``code label`` when ``code_first``; the
    code alone when the level has no label field."""
    codes = units.codes.fillna("(no id)").tolist()
    label = units.level.label
    frame = units.layer.frame
    if label is None or label not in frame.columns:
        return codes
    labels = frame[label].fillna("").astype(str).str.strip()
    return [
        (f"{code} {name}" if code_first else f"{name} ({code})") if name else code
        for name, code in zip(labels, codes, strict=True)
    ]


def _misplaced(
    severity: str, child: UnitLevel, parent: UnitLevel, listed: Sequence[str]
) -> Problem:
    """The problem of the ``listed`` units of ``child`` lying less than NESTING_MIN_SHARE
    inside their parent.

    A ``"warning"`` for those given the parent that holds most of them (from
    SPATIAL_PARENT_MIN_SHARE up), an ``"error"`` for those given none (below it).
    """
    shown = {
        "count": len(listed),
        "child": child.level.name,
        "low": 100 * SPATIAL_PARENT_MIN_SHARE,
        "parent": parent.level.name,
        "listed": joined(listed, "; "),
    }
    if severity == "warning":
        message = ngettext(
            "{count} {child} unit(s) lie from {low:g} % to {high:g} % inside the {parent} that "
            "holds most of them, which was given as their parent: {listed}.",
            "{count} {child} unit(s) lie from {low:g} % to {high:g} % inside the {parent} that "
            "holds most of them, which was given as their parent: {listed}.",
            len(listed),
            high=100 * NESTING_MIN_SHARE,
            **shown,
        )
        fix = _(
            "check that both levels come from the same boundary set (same source, same date); "
            "if the {child} layer has a field with each unit's {parent} code, name it as the "
            "level's parent.",
            child=child.level.name,
            parent=parent.level.name,
        )
    else:
        message = ngettext(
            "{count} {child} unit(s) lie less than {low:g} % inside any one {parent}, so no "
            "parent can be found for them: {listed}.",
            "{count} {child} unit(s) lie less than {low:g} % inside any one {parent}, so no "
            "parent can be found for them: {listed}.",
            len(listed),
            **shown,
        )
        fix = _(
            "check that both levels cover the same territory, come from the same boundary set "
            "and have the right CRS; or name as the level's parent a field holding each "
            "unit's {parent} code.",
            parent=parent.level.name,
        )
    return Problem(severity, child.name, message, fix)


def _childless(child: UnitLevel, parent: UnitLevel, childless: list[str]) -> Problem:
    return Problem(
        "warning",
        parent.name,
        ngettext(
            "{count} {parent} unit(s) hold no {child} (none lies mostly inside them): {listed}.",
            "{count} {parent} unit(s) hold no {child} (none lies mostly inside them): {listed}.",
            len(childless),
            count=len(childless),
            parent=parent.level.name,
            child=child.level.name,
            listed=examples(childless),
        ),
        _(
            "check that both levels cover the same territory; a unit without children gets no "
            "indicators."
        ),
    )
