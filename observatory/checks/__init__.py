"""Validation: check functions over the layers of a project.

Each check takes the :class:`~observatory.layers.Layers` of a project and returns
:class:`~observatory.problems.Problem` objects.

:func:`check_layers` runs every check and returns every problem at once; a layer that could
not be read is one problem, and only the checks that need that layer are skipped.
``observatory validate`` prints them (:func:`validate_project`); ``compute`` and ``access``
run the same checks on the layers they then compute from, and stop at the first error.

:func:`run_checks` does the same and also keeps what the checks derive for the computation:
the parents found spatially (:mod:`~observatory.checks.parents`) for the levels that name no
``parent`` field, computed once and used by the hierarchy
(:func:`observatory.hierarchy.unit_hierarchy`).

The checks are grouped by what they check: :mod:`~observatory.checks.units` (codes,
geometries, parents, nesting), :mod:`~observatory.checks.parents` (parents found
spatially), :mod:`~observatory.checks.census` (each table, and
:mod:`~observatory.checks.census_figures` for what they say together, with
:mod:`~observatory.checks.crosswalk`),
:mod:`~observatory.checks.rasters`, :mod:`~observatory.checks.layers` (the layers of
``[layers]``) and :mod:`~observatory.checks.parameters`;
:mod:`~observatory.checks.vectors` holds what every vector layer is checked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from observatory.census import CensusFigures
from observatory.checks.census import check_census
from observatory.checks.extent import UnitsExtent
from observatory.checks.grids import check_degurba_inputs, check_same_grid_across_years
from observatory.checks.layers import check_layer
from observatory.checks.parameters import check_parameters
from observatory.checks.parents import LevelCount, SpatialParents, find_parents, level_counts
from observatory.checks.plausibility import (
    THIN_ROLES,
    census_totals,
    check_census_changes,
    check_population_totals,
    thin_layer_problems,
)
from observatory.checks.raster_values import check_raster_values
from observatory.checks.rasters import check_raster, check_years
from observatory.checks.units import UnitLevel, check_hierarchy, check_unit_level, unit_level
from observatory.kernels.grid import Grid
from observatory.layers import Layers, load_layers, raster_name
from observatory.problems import Problem, has_errors
from observatory.project import Project


@dataclass(frozen=True)
class CheckedLayers:
    """The layers of a project, every problem found in them, and what the checks derived.

    Attributes
    ----------
    layers : Layers
        The layers as read.
    problems : list of Problem
        As :func:`check_layers`.
    parents : dict
        Level name → :class:`~observatory.checks.parents.SpatialParents`, for the levels
        whose parents were found spatially.
    """

    layers: Layers
    problems: list[Problem]
    parents: dict[str, SpatialParents]

    @property
    def parent_ids(self) -> dict[str, pd.Series]:
        """Level name → the parent code of each unit (by unit code).

        For the levels whose parents were found spatially; what
        :func:`~observatory.hierarchy.unit_hierarchy` takes.
        """
        return {name: found.parent_ids for name, found in self.parents.items()}

    def level_counts(self) -> list[LevelCount]:
        """The number of units of every level read, with how their parents were found."""
        return level_counts(self.layers, self.parents)


def validate_project(project: Project) -> list[Problem]:
    """Read every layer of ``project`` and report every problem found.

    Parameters
    ----------
    project : Project
        A loaded project (:func:`observatory.project.load_project`).

    Returns
    -------
    list of Problem
        As :func:`check_layers`. Empty when all is well.
    """
    return check_project(project).problems


def check_project(project: Project) -> CheckedLayers:
    """Read every layer of ``project`` and check them (:func:`run_checks`)."""
    return run_checks(load_layers(project))


def check_layers(layers: Layers) -> list[Problem]:
    """Every problem of the layers of a project.

    Returns
    -------
    list of Problem
        Errors and warnings in the order the inputs are checked: missing files, units (each
        level, then parents and nesting, then the parents found spatially), census, rasters,
        other layers; an input that could not be read is reported in its place, then the
        parameters. Empty when all is well.
    """
    return run_checks(layers).problems


def run_checks(layers: Layers) -> CheckedLayers:
    """Check the layers of a project: every problem, and the parents found spatially.

    Returns
    -------
    CheckedLayers
        ``layers``, the problems of :func:`check_layers` and the parents found spatially
        for the levels that name no ``parent`` field.
    """
    project = layers.project
    units = {
        level.name: unit_level(level, layers.units[level.name])
        for level in project.units.levels
        if level.name in layers.units
    }
    extent = UnitsExtent(list(units.values()))
    problems = list(layers.missing_files)
    for level in project.units.levels:
        problems += _unreadable(layers, f"units.{level.name}")
        if level.name in units:
            problems += check_unit_level(units[level.name], project.file.name)
    problems += check_hierarchy(project.units, units)
    parents = find_parents(project.units, units)
    for found in parents.values():
        problems += found.problems
    found, figures = _check_census_tables(layers, units, parents)
    problems += found
    problems += _check_rasters(layers, extent)
    if figures is not None and not has_errors(problems):
        problems += check_population_totals(layers, census_totals(figures), extent)
    for role, spec in project.layers.items():
        name = f"layers.{role}"
        problems += _unreadable(layers, name)
        if role in layers.layers:
            problems += check_layer(name, spec, layers.layers[role], extent, project.file.name)
    if figures is not None and not has_errors(problems):
        problems += _thin_layers(layers, units, figures)
    problems += check_parameters(project.parameters, project.file.name)
    return CheckedLayers(layers, problems, parents)


def _check_census_tables(
    layers: Layers, units: dict[str, UnitLevel], parents: dict[str, SpatialParents]
) -> tuple[list[Problem], CensusFigures | None]:
    """The problems of the census tables and crosswalks, and their figures.

    The figures are None without ``[census]`` or when the tables have an error.
    """
    census = layers.project.census
    if census is None:
        return [], None
    problems = []
    for table in (*census.crosswalks, *census.tables):
        problems += _unreadable(layers, table.key)
    found, figures = check_census(
        layers, units, {name: spatial.parent_ids for name, spatial in parents.items()}
    )
    problems += found
    if figures is None or has_errors(found):
        return problems, None
    return problems + check_census_changes(figures), figures


def _thin_layers(
    layers: Layers, units: dict[str, UnitLevel], figures: CensusFigures
) -> list[Problem]:
    """Facility layers much thinner than the latest census population of the finest units.

    See :func:`~observatory.checks.plausibility.thin_layer_problems`; nothing when the
    census gives no year at the finest level.
    """
    finest = layers.project.units.levels[-1].name
    counts = figures.levels.get(finest)
    if counts is None or counts.empty or finest not in units:
        return []
    level = units[finest]
    zones = gpd.GeoSeries(level.geometries, index=level.codes, crs=level.layer.frame.crs)
    population = counts[max(counts.columns)]
    problems = []
    for role, layer in layers.layers.items():
        if role in THIN_ROLES:
            problems += thin_layer_problems(
                role,
                layer.frame.geometry,
                zones,
                population,
                level=level.level.name,
                source=layer.source,
            )
    return problems


def _unreadable(layers: Layers, name: str) -> list[Problem]:
    """The problem of reading the input ``name`` (empty when it was read)."""
    return [layers.unreadable[name]] if name in layers.unreadable else []


def _check_rasters(layers: Layers, extent: UnitsExtent) -> list[Problem]:
    """Each raster, then the rasters together."""
    problems = []
    grids: dict[str, dict[int | None, Grid]] = {}
    project_grid = _project_grid(layers)
    for role, by_year in layers.project.rasters.items():
        for year, path in by_year.items():
            name = raster_name(role, year)
            problems += _unreadable(layers, name)
            layer = layers.rasters.get(role, {}).get(year)
            if layer is None:
                continue
            found = check_raster(name, role, path, layer, extent, project_grid=project_grid)
            problems += found
            if layer.raster.grid.crs is not None:
                grids.setdefault(role, {})[year] = layer.raster.grid
                if not has_errors(found):
                    problems += check_raster_values(name, role, path, layer, extent)
    problems += check_years(layers.project.rasters)
    for role in ("population", "built_up"):
        problems += check_same_grid_across_years(role, grids.get(role, {}))
    problems += check_degurba_inputs(grids)
    return problems


def _project_grid(layers: Layers) -> Grid | None:
    """The grid the fixes warp the other rasters onto.

    The first projected grid of the population, built-up and land rasters, in that order.
    """
    for role in ("population", "built_up", "land"):
        for layer in layers.rasters.get(role, {}).values():
            crs = layer.raster.grid.crs
            if crs is not None and crs.is_projected:
                return layer.raster.grid
    return None
