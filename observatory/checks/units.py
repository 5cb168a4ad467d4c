"""Checks of the units: each level's codes and geometries, then each child level against its
parent level (every parent named exists, every child lies in its parent).

Nesting is measured as the share of a child's area inside its declared parent, in a Lambert
azimuthal equal-area projection (:func:`~observatory.kernels.zonal.equal_area_km2`), never
in degrees; a child must lie at least :data:`NESTING_MIN_SHARE` inside its parent. The
intersections are computed pairwise for the declared child → parent pairs only (one
vectorised GEOS call), so the cost grows with the number of children, not its square.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from observatory.checks.describe import examples, rows
from observatory.checks.vectors import (
    GEOMETRY_TYPES,
    Shapes,
    geometry_problems,
    is_placed,
    missing_fields,
    shapes_of,
)
from observatory.io.tables import codes_as_text
from observatory.kernels.zonal import equal_area_km2
from observatory.layers import VectorLayer
from observatory.messages import _, ngettext
from observatory.problems import Problem
from observatory.project import Level, UnitsSpec

#: A child unit must have at least this share of its area inside its parent unit.
NESTING_MIN_SHARE = 0.99


@dataclass(frozen=True)
class UnitLevel:
    """One level of units as read, with its codes as text and its geometries looked at."""

    level: Level
    layer: VectorLayer
    codes: pd.Series | None
    parents: pd.Series | None
    shapes: Shapes
    placed: bool
    geometries: np.ndarray  # shapely geometries, invalid ones repaired

    @property
    def name(self) -> str:
        """How problems name the level: ``units.commune``."""
        return f"units.{self.level.name}"

    @property
    def usable_codes(self) -> set[str]:
        """The codes that are given (possibly repeated ones once)."""
        return set() if self.codes is None else set(self.codes.dropna())


def unit_level(level: Level, layer: VectorLayer) -> UnitLevel:
    """The :class:`UnitLevel` of ``level`` read as ``layer``."""
    frame = layer.frame
    codes = codes_as_text(frame[level.id]) if level.id in frame.columns else None
    parents = (
        codes_as_text(frame[level.parent])
        if level.parent is not None and level.parent in frame.columns
        else None
    )
    shapes = shapes_of(frame)
    return UnitLevel(
        level, layer, codes, parents, shapes, is_placed(layer, shapes), shapes.repaired()
    )


def check_unit_level(units: UnitLevel, project_file: str) -> list[Problem]:
    """Features, declared fields, geometries and codes of one level."""
    level, layer, name = units.level, units.layer, units.name
    problems = []
    if layer.frame.empty:
        problems.append(
            Problem(
                "error",
                name,
                _("{source} has no features.", source=layer.source),
                _("point the level to the layer that holds its units."),
            )
        )
    declared = {"id": level.id}
    if level.label is not None:
        declared["label"] = level.label
    if level.parent is not None:
        declared["parent"] = level.parent
    problems += missing_fields(name, layer, declared, project_file)
    problems += geometry_problems(
        name, layer, units.shapes, GEOMETRY_TYPES["units"], _("units"), units.codes
    )
    if units.codes is not None:
        problems += check_codes(
            name,
            layer.source,
            units.codes,
            level.id,
            what=_("{level} units", level=level.name),
            parts_fix=_(
                "if they are parts of one unit, set dissolve = true in the [[units.levels]] "
                "entry of '{level}' in {file}; ",
                level=level.name,
                file=project_file,
            ),
        )
    return problems


def check_codes(
    name: str, source: str, codes: pd.Series, field: str, what: str, parts_fix: str = ""
) -> list[Problem]:
    """Null and duplicate codes (of units, or of census rows).

    ``parts_fix`` starts the fix of duplicates with the way to merge parts of one unit.
    """
    problems = []
    empty = codes.isna().to_numpy()
    if empty.any():
        problems.append(
            Problem(
                "error",
                name,
                ngettext(
                    "{source}: {count} {what} have no id in '{field}' (rows {rows}).",
                    "{source}: {count} {what} have no id in '{field}' (rows {rows}).",
                    int(empty.sum()),
                    source=source,
                    count=int(empty.sum()),
                    what=what,
                    field=field,
                    rows=examples(rows(empty)),
                ),
                _("give every unit its code in '{field}'.", field=field),
            )
        )
    duplicated = codes[codes.duplicated(keep=False) & codes.notna()]
    if not duplicated.empty:
        counts = duplicated.value_counts()
        listed = examples([f"{code!r} ({count}×)" for code, count in counts.items()], quote=False)
        problems.append(
            Problem(
                "error",
                name,
                ngettext(
                    "{source}: {count} id(s) in '{field}' are used by several {what}: {listed}.",
                    "{source}: {count} id(s) in '{field}' are used by several {what}: {listed}.",
                    len(counts),
                    source=source,
                    count=len(counts),
                    field=field,
                    what=what,
                    listed=listed,
                ),
                _(
                    "each unit needs its own code: {parts_fix}merge the duplicated features "
                    "(QGIS: Dissolve by the id field) or correct the codes.",
                    parts_fix=parts_fix,
                ),
            )
        )
    return problems


def check_hierarchy(spec: UnitsSpec, units: dict[str, UnitLevel]) -> list[Problem]:
    """Each level that was read against its parent level: parents, then nesting."""
    problems = []
    for child_level in spec.levels[1:]:
        child = units.get(child_level.name)
        parent = units.get(spec.parent_of(child_level.name).name)
        if child is None or parent is None:
            continue
        problems += check_parents(child, parent)
        problems += check_nesting(child, parent)
    return problems


def check_parents(child: UnitLevel, parent: UnitLevel) -> list[Problem]:
    """Every child names an existing parent; every parent has children."""
    if child.parents is None or parent.codes is None:
        return []
    problems = []
    known = parent.usable_codes
    orphan = ~child.parents.isin(known).to_numpy()
    if orphan.any():
        ids = child.codes if child.codes is not None else pd.Series(rows(orphan))
        pairs = [
            f"{code!r} → {parent_code if parent_code is not None else '(empty)'!r}"
            for code, parent_code in zip(
                ids[orphan].fillna("(no id)"), child.parents[orphan], strict=True
            )
        ]
        problems.append(
            Problem(
                "error",
                child.name,
                ngettext(
                    "{count} {child} unit(s) name in '{field}' a {parent} that does not exist: "
                    "{pairs} (the {parent} ids look like {known}).",
                    "{count} {child} unit(s) name in '{field}' a {parent} that does not exist: "
                    "{pairs} (the {parent} ids look like {known}).",
                    int(orphan.sum()),
                    count=int(orphan.sum()),
                    child=child.level.name,
                    field=child.level.parent,
                    parent=parent.level.name,
                    pairs=examples(pairs, quote=False),
                    known=examples(sorted(known), limit=3),
                ),
                _(
                    "correct '{field}' so it holds the '{parent_id}' of the {parent} each unit "
                    "belongs to.",
                    field=child.level.parent,
                    parent_id=parent.level.id,
                    parent=parent.level.name,
                ),
            )
        )
    childless = sorted(known - set(child.parents.dropna()))
    if childless:
        problems.append(
            Problem(
                "warning",
                parent.name,
                ngettext(
                    "{count} {parent} unit(s) have no {child}: {listed}.",
                    "{count} {parent} unit(s) have no {child}: {listed}.",
                    len(childless),
                    count=len(childless),
                    parent=parent.level.name,
                    child=child.level.name,
                    listed=examples(childless),
                ),
                _(
                    "check '{field}' in the {child} layer; a unit without children gets no "
                    "indicators.",
                    field=child.level.parent,
                    child=child.level.name,
                ),
            )
        )
    return problems


def _inside_shares(children: np.ndarray, parents: np.ndarray, crs) -> np.ndarray:
    """Share of each child's area inside its parent (pairwise), in an equal-area projection."""
    # Most children lie entirely inside their parent: a prepared "covers" test settles
    # them cheaply, and only the others are intersected and measured.
    shapely.prepare(parents)
    share = np.ones(len(children))
    partial = ~shapely.covers(parents, children)
    if partial.any():
        inside = shapely.intersection(children[partial], parents[partial])
        child_area = equal_area_km2(gpd.GeoSeries(children[partial], crs=crs))
        inside_area = equal_area_km2(gpd.GeoSeries(inside, crs=crs))
        share[partial] = np.divide(
            inside_area, child_area, out=np.ones_like(child_area), where=child_area > 0
        )
    return share


def check_nesting(child: UnitLevel, parent: UnitLevel) -> list[Problem]:
    """Each child lies at least NESTING_MIN_SHARE inside its declared parent."""
    if (
        child.parents is None
        or child.codes is None
        or parent.codes is None
        or not child.placed
        or not parent.placed
    ):
        return []
    crs = child.layer.frame.crs
    parent_geometries = (
        gpd.GeoSeries(parent.geometries, crs=parent.layer.frame.crs).to_crs(crs).values
    )
    unique = ~parent.codes.duplicated(keep=False) & parent.codes.notna()
    parent_by_code = pd.Series(
        parent_geometries[unique.to_numpy()], index=parent.codes[unique].to_numpy()
    )
    child_geometries = child.geometries
    usable = (
        child.parents.isin(parent_by_code.index).to_numpy()
        & ~shapely.is_missing(child_geometries)
        & ~shapely.is_empty(child_geometries)
    )
    if not usable.any():
        return []
    share = _inside_shares(
        child_geometries[usable], parent_by_code.loc[child.parents[usable]].to_numpy(), crs
    )
    outside = share < NESTING_MIN_SHARE
    if not outside.any():
        return []
    codes = child.codes[usable][outside]
    parent_codes = child.parents[usable][outside]
    order = np.argsort(share[outside])
    listed = [
        _(
            "{code!r} ({share:.1f} % inside {parent!r})",
            code=codes.iloc[i],
            share=100 * share[outside][i],
            parent=parent_codes.iloc[i],
        )
        for i in order
    ]
    return [
        Problem(
            "error",
            child.name,
            ngettext(
                "{count} {child} unit(s) lie less than {share:g} % inside their {parent}: "
                "{listed}.",
                "{count} {child} unit(s) lie less than {share:g} % inside their {parent}: "
                "{listed}.",
                int(outside.sum()),
                count=int(outside.sum()),
                child=child.level.name,
                share=100 * NESTING_MIN_SHARE,
                parent=parent.level.name,
                listed=examples(listed, quote=False),
            ),
            _(
                "check their '{field}' codes, and that both levels come from the same boundary "
                "set (same source, same date, same CRS).",
                field=child.level.parent,
            ),
        )
    ]
