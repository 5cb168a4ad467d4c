"""Validation: check functions over the layers of a project.

Each check takes the :class:`~observatory.layers.Layers` of a project and returns
:class:`~observatory.problems.Problem` objects.

:func:`check_layers` runs every check and returns every problem at once; a layer that could
not be read is one problem, and only the checks that need that layer are skipped.
``observatory validate`` prints them (:func:`validate_project`); ``compute`` and ``access``
run the same checks on the layers they then compute from, and stop at the first error.

The checks are grouped by what they check: :mod:`~observatory.checks.units` (codes,
geometries, parents, nesting), :mod:`~observatory.checks.census`,
:mod:`~observatory.checks.rasters`, :mod:`~observatory.checks.layers` (the layers of
``[layers]``) and :mod:`~observatory.checks.parameters`;
:mod:`~observatory.checks.vectors` holds what every vector layer is checked for.
"""

from __future__ import annotations

import geopandas as gpd

from observatory.checks.census import check_census
from observatory.checks.extent import UnitsExtent
from observatory.checks.grids import check_degurba_inputs, check_same_grid_across_years
from observatory.checks.layers import check_layer
from observatory.checks.parameters import check_parameters
from observatory.checks.plausibility import (
    THIN_ROLES,
    census_numbers,
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
    return check_layers(load_layers(project))


def check_layers(layers: Layers) -> list[Problem]:
    """Every problem of the layers of a project.

    Returns
    -------
    list of Problem
        Errors and warnings in the order the inputs are checked: missing files, units (each
        level, then parents and nesting), census, rasters, other layers; an input that could
        not be read is reported in its place, then the parameters. Empty when all is well.
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
    problems += _unreadable(layers, "census")
    counts = None
    if project.census is not None and layers.census is not None:
        level = units.get(project.census.level)
        found = check_census(project.census, layers.census, level, project.file.name)
        problems += found
        if level is not None and level.codes is not None and not has_errors(found):
            counts = census_numbers(project.census, layers.census, level)
            problems += check_census_changes(project.census, counts)
    problems += _check_rasters(layers, extent)
    if counts is not None and not has_errors(problems):
        problems += check_population_totals(layers, counts, extent)
    for role, spec in project.layers.items():
        name = f"layers.{role}"
        problems += _unreadable(layers, name)
        if role in layers.layers:
            problems += check_layer(name, spec, layers.layers[role], extent, project.file.name)
    if counts is not None and not has_errors(problems):
        problems += _thin_layers(layers, units[project.census.level], counts)
    problems += check_parameters(project.parameters, project.file.name)
    return problems


def _thin_layers(layers: Layers, level: UnitLevel, counts) -> list[Problem]:
    """Facility layers much thinner than the latest census population of their units.

    See :func:`~observatory.checks.plausibility.thin_layer_problems`.
    """
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
