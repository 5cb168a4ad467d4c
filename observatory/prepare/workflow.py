"""The ``prepare`` jobs from end to end: read the sources, build the layers, write them, and
register them in the project file.

Each job checks every output before writing anything (an existing file or project-file entry
is only replaced with ``overwrite``), writes files atomically, then edits
``observatory.toml`` (:mod:`observatory.io.project_file`). Validating the result is left to
the caller (the command line runs ``observatory validate``'s checks).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from observatory.errors import InputDataError, OutputExistsError
from observatory.io.atomic import check_writable
from observatory.io.osm import read_osm
from observatory.io.project_file import set_table_entries
from observatory.io.raster import write_raster
from observatory.io.tiles import expand_paths, read_window, tile_info
from observatory.io.vector import read_layer, write_geopackage
from observatory.prepare import grids as grid_steps
from observatory.prepare import osm as prepare_osm_layers
from observatory.prepare.grids import GridInputs, PreparedGrid
from observatory.prepare.osm import FIELD_SETTINGS, ROLES, PreparedOsm
from observatory.prepare.tags import merged_mapping
from observatory.project import Project

Progress = Callable[[str], None]


@dataclass(frozen=True)
class OsmOutcome:
    """What ``prepare osm`` wrote: the file, the layers, and the project-file entries."""

    output: Path
    prepared: PreparedOsm
    entries: dict[str, dict[str, str]]
    replaced: list[str]
    warnings: list[str]


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to the project folder (forward slashes), or absolute elsewhere."""
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def check_outputs(project: Project, table: str, keys: list[str], files: list[Path], *,
                  overwrite: bool) -> None:  # fmt: skip
    """Refuse, before anything is written, to replace files or entries without ``overwrite``,
    and always refuse to write over an input that the job does not replace."""
    existing = project.settings.get(table, {})
    taken = [key for key in keys if key in existing]
    if taken and not overwrite:
        raise OutputExistsError(
            f"{project.file}: [{table}] already has {', '.join(taken)}; add --overwrite to "
            "replace them (their files too)."
        )
    replaced_inputs = {
        spec.path for role, spec in project.layers.items() if table == "layers" and role in keys
    } | {
        path
        for role, by_year in project.rasters.items()
        if table == "rasters" and role in keys
        for path in by_year.values()
    }
    inputs = set(project.input_paths()) - replaced_inputs
    for file in files:
        if file.resolve() in inputs:
            raise OutputExistsError(
                f"{file} is an input of the project ({project.file}); choose another output."
            )
        check_writable(file, overwrite=overwrite)


def osm_layers(
    project: Project,
    extract: Path,
    *,
    buffer_m: float | None = None,
    progress: Progress | None = None,
) -> PreparedOsm:
    """The layers ``prepare osm`` makes of ``extract`` for ``project``, in memory (nothing is
    written): the units plus ``buffer_m`` (default ``[prepare.osm].buffer_m`` or 3,000 m)."""
    report = progress or (lambda message: None)
    overrides = project.settings.get("prepare", {}).get("osm", {})
    mapping = merged_mapping(overrides, file=str(project.file))
    if buffer_m is None:
        buffer_m = float(overrides.get("buffer_m", prepare_osm_layers.DEFAULT_BUFFER_M))
    report("reading the units")
    coarsest = project.units.levels[0]
    area = prepare_osm_layers.study_area(
        read_layer(project.units.path_of(coarsest), layer=coarsest.layer), buffer_m=buffer_m
    )
    features = read_osm(extract, mapping.selection(), bbox=area.bbox_lonlat, progress=report)
    report("building the layers")
    return prepare_osm_layers.prepare_layers(features, mapping, area)


def prepare_osm(
    project: Project,
    extract: Path,
    *,
    output: Path,
    buffer_m: float | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> OsmOutcome:
    """OSM extract → roads, schools, health, transit stops and open spaces of ``project``.

    The layers go into the GeoPackage ``output`` and are registered in ``[layers]``.
    ``buffer_m`` (default ``[prepare.osm].buffer_m`` or 3,000 m) is the margin taken around
    the units.
    """
    report = progress or (lambda message: None)
    check_outputs(project, "layers", list(ROLES), [output], overwrite=overwrite)
    prepared = osm_layers(project, extract, buffer_m=buffer_m, progress=report)
    # Layers much thinner than the census population are reported by the validation that
    # 'prepare osm' runs on what it wrote (checks.plausibility.thin_layer_problems).
    warnings = list(prepared.warnings)
    report(f"writing {output}")
    write_geopackage(output, prepared.layers, overwrite=overwrite)
    location = relative_path(output, project.root)
    entries = {
        role: {"path": location, "layer": role, **FIELD_SETTINGS.get(role, {})} for role in ROLES
    }
    replaced = set_table_entries(project.file, "layers", entries, overwrite=overwrite)
    return OsmOutcome(output, prepared, entries, replaced, warnings)


@dataclass(frozen=True)
class GridsOutcome:
    """What ``prepare grids`` wrote: one raster per role and year, and the entries."""

    grids: list[PreparedGrid]
    files: list[Path]
    entries: dict[str, object]
    replaced: list[str]


def _grid_inputs(sources: dict[str, list[str]]) -> list[GridInputs]:
    groups = []
    for role, values in sources.items():
        tiles = []
        for value in values:
            year, pattern = grid_steps.split_year(value)
            tiles.extend((year, tile_info(path)) for path in expand_paths(pattern))
        groups.extend(grid_steps.group_by_year(role, tiles))
    for group in groups:
        grid_steps.check_same_source_lattice(group)
    return groups


def _raster_tags(group: GridInputs, grid: PreparedGrid) -> dict[str, str]:
    return {
        "observatory_prepare": "grids",
        "role": group.role,
        "year": "" if group.year is None else str(group.year),
        "method": grid.method,
        "sources": ";".join(tile.path.name for tile in group.tiles),
        "total_before": repr(grid.total_before),
        "total_after": repr(grid.total_after),
    }


def prepare_grids(
    project: Project,
    sources: dict[str, list[str]],
    *,
    folder: Path,
    margin_m: float = grid_steps.DEFAULT_MARGIN_M,
    resolution: float = grid_steps.DEFAULT_RESOLUTION_M,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> GridsOutcome:
    """GHSL tiles / WorldPop rasters → the ``[rasters]`` of ``project`` (see
    :mod:`observatory.prepare.grids` for the method).

    ``sources`` maps a role (``population``, ``built_up``, ``land``) to the values given on
    the command line: paths, glob patterns, or ``YEAR=PATH``. Rasters are written into
    ``folder`` as ``ROLE_YEAR.tif`` (``land.tif``).
    """
    report = progress or (lambda message: None)
    groups = _grid_inputs(sources)
    names = {
        (g.role, g.year): folder / (f"{g.role}.tif" if g.year is None else f"{g.role}_{g.year}.tif")
        for g in groups
    }
    check_outputs(project, "rasters", list(sources), list(names.values()), overwrite=overwrite)
    coarsest = project.units.levels[0]
    units = read_layer(project.units.path_of(coarsest), layer=coarsest.layer)
    prepared = []
    for group in groups:
        fallback = grid_steps.reference_lattice(groups, group.role, resolution=resolution)
        lattice = grid_steps.role_lattice(group, fallback)
        target = grid_steps.target_grid(lattice, units.total_bounds, units.crs, margin_m=margin_m)
        label = f"{group.role} {group.year or ''}".strip()
        report(f"{label}: {len(group.tiles)} file(s) → {target.height:,} × {target.width:,} cells")
        windows = [
            window
            for tile in group.tiles
            if (window := read_window(tile.path, target.bounds, bounds_crs=target.crs))
        ]
        if not windows:
            raise InputDataError(
                f"none of the {label} files ({', '.join(t.path.name for t in group.tiles)}) "
                f"covers the units of {project.file}; download the tiles that hold the region."
            )
        grid = grid_steps.prepare_group(group, windows, target)
        path = names[(group.role, group.year)]
        write_raster(path, grid.raster, overwrite=overwrite, tags=_raster_tags(group, grid))
        prepared.append(grid)
    entries: dict[str, object] = {}
    for (role, year), path in names.items():
        location = relative_path(path, project.root)
        if year is None:
            entries[role] = location
        else:
            entries.setdefault(role, {})[str(year)] = location
    replaced = set_table_entries(project.file, "rasters", entries, overwrite=overwrite)
    return GridsOutcome(prepared, list(names.values()), entries, replaced)
