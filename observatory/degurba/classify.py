"""The Degree of Urbanisation of the rasters and unit layers a user gives, stage by stage.

``observatory degurba grid`` and ``observatory degurba units`` read their files, hand them to
:func:`classify_grid_rasters` and :func:`classify_unit_layer`, and write what comes back. These
accept what users have at hand (built-up and land as m² per cell or as shares, population grids
finer than 1 km) and return the classes with the figures the commands report. Pure: rasters and
frames in, rasters and frames out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely

from observatory.degurba.grid import (
    LEVEL1_CODES,
    LEVEL1_COLOURS,
    LEVEL2_CODES,
    LEVEL2_COLOURS,
    class_summary,
)
from observatory.degurba.preprocess import GRID_CELL_M, repeat_to_fine_grid
from observatory.degurba.rasters import classify_rasters
from observatory.degurba.rules import DegurbaRules
from observatory.degurba.units import (
    UNIT_LEVEL1_CODES,
    UNIT_LEVEL2_CODES,
    classify_units,
    level1_of_unit_class,
    unit_class_area,
    unit_class_population,
)
from observatory.errors import InputDataError
from observatory.kernels.blocks import surface_in_m2
from observatory.kernels.cell_areas import cell_areas_m2
from observatory.kernels.grid import Raster
from observatory.kernels.zonal import CoverageMatrix
from observatory.messages import _
from observatory.parallel import Executor

if TYPE_CHECKING:
    import geopandas as gpd

#: Class code written where a class grid has no data (never a class).
CLASS_NODATA = 255


def _silent(message: str) -> None:
    """A progress reporter that says nothing."""


@dataclass(frozen=True)
class GridClassification:
    """The classes of the 1 km cells and what they hold.

    Attributes
    ----------
    classes : Raster
        The class of every 1 km cell, nodata :data:`CLASS_NODATA`.
    level : int
        1 or 2.
    rules : DegurbaRules
        The rules applied.
    summary : list of dict
        Cells, area, population and population share per class
        (:func:`~observatory.degurba.grid.class_summary`).
    """

    classes: Raster
    level: int
    rules: DegurbaRules
    summary: list[dict[str, object]]

    @property
    def codes(self) -> dict[int, str]:
        """Class code → name at this level."""
        return LEVEL1_CODES if self.level == 1 else LEVEL2_CODES

    @property
    def colours(self) -> dict[int, tuple[int, int, int, int]]:
        """Class code → RGBA colour of the GHS-SMOD legend at this level."""
        return LEVEL1_COLOURS if self.level == 1 else LEVEL2_COLOURS

    @property
    def description(self) -> str:
        """A one-line title, e.g. ``Degree of Urbanisation level 2 (ghsl-2023)``."""
        return f"Degree of Urbanisation level {self.level} ({self.rules.name})"

    @property
    def tags(self) -> dict[str, str]:
        """Level, rule set and every rule value, to keep with the class grid."""
        return {
            "degurba_level": str(self.level),
            "degurba_rules": self.rules.name,
            "degurba_parameters": json.dumps(asdict(self.rules)),
        }


def classify_grid_rasters(
    population,
    *,
    rules: DegurbaRules,
    level: int,
    built_up=None,
    land=None,
    progress: Callable[[str], None] = _silent,
    executor: Executor | None = None,
) -> GridClassification:
    """Classify the 1 km cells of a population grid (stage 1) and sum up each class.

    Parameters
    ----------
    population : Raster or RasterFile
        People per cell, on a projected grid of 1 km or finer nesting in the 1 km grid. A
        :class:`~observatory.kernels.grid.RasterFile` is read a band of rows at a time.
    rules : DegurbaRules
    level : int
        1 or 2.
    built_up, land : Raster or RasterFile, optional
        Built-up surface and permanent land, in m² per cell or as shares of the cell (see
        (:func:`~observatory.kernels.blocks.surface_in_m2`), on the
        population's 1 km grid or a finer grid nesting in it.
    progress : callable, optional
        Called with a line saying what is being done (summing a finer grid, classifying).
    executor : Executor, optional
        Where the tiles of the classification are labelled (here, serially, by default).

    Returns
    -------
    GridClassification
    """
    inputs = {"population": population, "built-up": built_up, "land": land}
    for what, raster in inputs.items():
        if raster is None:
            continue
        if raster.grid.cell_width < GRID_CELL_M - 1e-6:
            progress(
                _(
                    "summing the {size:g} m {what} grid to 1 km cells",
                    size=raster.grid.cell_width,
                    what=what,
                )
            )
        if what != "population":
            inputs[what] = surface_in_m2(raster)
    progress(_("classifying the 1 km cells at level {level}", level=level))
    classes, prepared = classify_rasters(
        population,
        rules=rules,
        level=level,
        built_up=inputs["built-up"],
        land=inputs["land"],
        executor=executor,
    )
    codes = LEVEL1_CODES if level == 1 else LEVEL2_CODES
    summary = class_summary(
        classes.data,
        prepared.source_population,
        codes=codes,
        cell_area_km2=cell_areas_m2(classes.grid) / 1e6,
    )
    with_nodata = Raster(classes.data, classes.grid, CLASS_NODATA, classes.name)
    return GridClassification(with_nodata, level, rules, summary)


@dataclass(frozen=True)
class UnitClassification:
    """The class of every unit of a layer, with its population and shares per grid class.

    Attributes
    ----------
    table : GeoDataFrame
        The id field, the geometry, ``degurba_l1`` (and ``degurba_l2`` at level 2),
        ``population`` and ``share_<grid class>`` (share of the unit's population in each
        grid class, NaN for a unit without population).
    classes : numpy.ndarray
        The unit class codes at ``level``.
    level : int
        1 or 2.
    """

    table: gpd.GeoDataFrame
    classes: np.ndarray
    level: int

    def counts(self) -> list[tuple[int, str, int]]:
        """(code, name, number of units) of every unit class at this level, in code order."""
        names = UNIT_LEVEL1_CODES if self.level == 1 else UNIT_LEVEL2_CODES
        counts = np.bincount(self.classes.astype(np.int64), minlength=max(names) + 1)
        return [(code, name, int(counts[code])) for code, name in names.items()]


def grid_class_codes(classes: Raster) -> dict[int, str]:
    """The codes of a class grid's level (2 when any code is 10 or more), code → name.

    Raises
    ------
    InputDataError
        If the grid holds a code that is not a class of that level.
    """
    present = set(np.unique(classes.data[classes.valid_mask()]).tolist())
    codes = LEVEL2_CODES if any(code >= 10 for code in present) else LEVEL1_CODES
    if not present <= set(codes):
        raise InputDataError(
            f"{classes.name} holds codes {sorted(present - set(codes))} that are not "
            "Degree of Urbanisation classes; give a grid written by 'observatory degurba grid'."
        )
    return codes


def classify_unit_layer(
    units: gpd.GeoDataFrame,
    *,
    id_field: str,
    classes: Raster,
    population: Raster,
    level: int,
    unit_rules: str = "2024",
    name: str = "the units",
    progress: Callable[[str], None] = _silent,
) -> UnitClassification:
    """Classify spatial units from the population of each grid class inside them (stage 2).

    The population grid's cells take the class of the 1 km cell they nest in; exact
    cell-coverage fractions then give the population and area of each unit in each class,
    and :func:`~observatory.degurba.units.classify_units` the unit classes.

    Parameters
    ----------
    units : GeoDataFrame
        The units, with the field ``id_field`` and polygons in any CRS.
    id_field : str
        The field holding each unit's code (kept in the table returned).
    classes : Raster
        A class grid written by ``observatory degurba grid`` (level 1 or 2 codes).
    population : Raster
        People per cell on a projected grid nesting in the class grid, ideally finer (100 m).
    level : int
        Level of the unit classes, 1 or 2 (2 needs a level 2 class grid).
    unit_rules : {"2024", "2021"}
        Level 2 unit rules.
    name : str
        What the units are (their file), for error messages.
    progress : callable, optional
        Called with a line saying what is being done.

    Returns
    -------
    UnitClassification

    Raises
    ------
    InputDataError
        If ``id_field`` is not a field of ``units``, a unit has no geometry or an invalid one
        (a self-intersecting "bow-tie" would be given a wrong area and population), or the
        class grid holds other codes.
    CRSError, GridMismatchError
        If the population grid is not projected or does not nest in the class grid.
    """
    if id_field not in units.columns:
        raise InputDataError(
            f"field '{id_field}' is not in {name}; it has: "
            f"{', '.join(c for c in units.columns if c != 'geometry')}; give one of these as "
            "the id field (--id)."
        )
    _require_valid_geometries(units, id_field, name)
    population.grid.require_projected(population.name)
    grid_codes = grid_class_codes(classes)
    codes = tuple(grid_codes)
    grid = population.grid
    progress(
        _(
            "overlaying {count} units on the {height} x {width} grid",
            count=len(units),
            height=grid.height,
            width=grid.width,
        )
    )
    fine_classes = repeat_to_fine_grid(classes, grid)
    coverage = CoverageMatrix.build(units.geometry, grid, name=name).matrix
    population_by_class = unit_class_population(
        coverage, population.filled(0.0), fine_classes, codes
    )
    area_by_class = unit_class_area(
        coverage, fine_classes, codes, cell_area_km2=cell_areas_m2(grid) / 1e6
    )
    unit_classes = classify_units(
        population_by_class, codes, area_by_class=area_by_class, level=level, rules=unit_rules
    )
    table = units[[id_field, "geometry"]].copy()
    if level == 2:
        table["degurba_l1"] = level1_of_unit_class(unit_classes)
        table["degurba_l2"] = unit_classes
    else:
        table["degurba_l1"] = unit_classes
    total = population_by_class.sum(axis=1)
    table["population"] = total
    for k, code in enumerate(codes):
        table[f"share_{_slug(grid_codes[code])}"] = np.where(
            total > 0, population_by_class[:, k] / np.where(total > 0, total, 1), np.nan
        )
    return UnitClassification(table, unit_classes, level)


#: shapely's type ids of Polygon and MultiPolygon.
POLYGON_TYPE_ID, MULTIPOLYGON_TYPE_ID = 3, 6


def _require_valid_geometries(units: gpd.GeoDataFrame, id_field: str, name: str) -> None:
    """Refuse units that are not polygons, or without a geometry or with an invalid one,
    naming them.

    Raises
    ------
    InputDataError
        Naming up to five units, the reason of the first and the fix.
    """
    geometries = units.geometry.to_numpy()
    missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    kinds = shapely.get_type_id(geometries)
    not_areas = ~missing & ~np.isin(kinds, (POLYGON_TYPE_ID, MULTIPOLYGON_TYPE_ID))
    if not_areas.any():
        first = geometries[not_areas][0].geom_type
        raise InputDataError(
            f"{int(not_areas.sum())} unit(s) of {name} are not polygons (the first a {first}, "
            f"{id_field} {units[id_field][not_areas].astype(str).iloc[0]}); give the layer of "
            "the units' areas (--layer), not their centres or outlines."
        )
    invalid = ~missing & ~shapely.is_valid(geometries)
    for mask, what in ((missing, "no geometry"), (invalid, "an invalid geometry")):
        if not mask.any():
            continue
        ids = units[id_field][mask].astype(str).tolist()
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        reason = (
            f" (first: {shapely.is_valid_reason(geometries[mask][0])})" if invalid is mask else ""
        )
        raise InputDataError(
            f"{len(ids)} unit(s) of {name} have {what}: {id_field} {shown}{reason}; their "
            "classes would be wrong. Repair them (QGIS: Vector > Geometry Tools > Fix "
            "Geometries) or remove them, then run again."
        )


def _slug(name: str) -> str:
    """A class name as part of a column name: ``semi-dense urban cluster`` → ``semi_dense_…``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
