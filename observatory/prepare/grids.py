"""GHSL tiles and WorldPop rasters → the population, built-up and land rasters of a project.

What ``observatory prepare grids`` does with the files it is given, role by role and year by
year (no file is opened here; :mod:`observatory.io.tiles` reads the windows):

1. **Years.** A value ``2020=path.tif`` gives its year; otherwise the year is read from the
   file name: the GHSL epoch (``GHS_POP_E2020_...``), else a 4-digit year between 1970 and
   2100 standing alone between separators (WorldPop ``mar_ppp_2020_UNadj.tif``; not the
   GHSL release ``R2023A``). Land has no year.
2. **The target lattice.** The lattice of the first input that is in a projected CRS
   (population first, then built-up, then land): GHSL tiles are *cut* on it, cell for cell,
   never resampled. When every input is in degrees (WorldPop), the GHSL lattice: ESRI:54009
   at ``resolution`` (100 m by default) with its edges on multiples of 1 km.
3. **The extent.** The units' bounding box plus ``margin_m``, its edges snapped outwards to
   the lattice (to multiples of 1 km when the cell size divides 1 km, so that 1 km DEGURBA
   cells are whole).
4. **Inputs on another grid** (WorldPop in EPSG:4326) are mosaicked on their own lattice,
   then moved onto the target grid by :func:`observatory.kernels.regrid.regrid_sum`
   (area-weighted and sum-preserving); the totals before and after are reported.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from affine import Affine
from pyproj import CRS as ProjCRS
from rasterio.crs import CRS

from observatory.errors import GridMismatchError, ParameterError
from observatory.io.tiles import TileInfo
from observatory.kernels.grid import Grid, Raster, transform_coordinates
from observatory.kernels.regrid import aligned_grid, paste, regrid_sum, same_lattice

#: Raster roles ``prepare grids`` writes, in the order they are considered for the lattice.
GRID_ROLES = ("population", "built_up", "land")
#: Roles without a year.
STATIC_ROLES = ("land",)
#: The lattice used when every input is in degrees: the GHSL grid.
GHSL_CRS = "ESRI:54009"
DEFAULT_RESOLUTION_M = 100.0
DEFAULT_MARGIN_M = 2000.0
#: Extents are snapped to multiples of this (m) when the cell size divides it.
SNAP_M = 1000.0

_GHSL_EPOCH = re.compile(r"_E(\d{4})(?:_|$)")
_YEAR = re.compile(r"(?<![A-Za-z0-9])(19[7-9]\d|20\d\d|2100)(?![A-Za-z0-9])")
_EXPLICIT = re.compile(r"^(\d{4})=(.+)$")


@dataclass(frozen=True)
class GridInputs:
    """The files of one role and year (``year`` None for land)."""

    role: str
    year: int | None
    tiles: tuple[TileInfo, ...]


@dataclass(frozen=True)
class PreparedGrid:
    """One written raster: how it was made and its totals."""

    role: str
    year: int | None
    raster: Raster
    method: str  # "cut" or "regridded"
    total_before: float
    total_after: float

    @property
    def relative_difference(self) -> float:
        if self.total_before == 0:
            return 0.0 if self.total_after == 0 else math.inf
        return abs(self.total_after - self.total_before) / abs(self.total_before)


def split_year(value: str) -> tuple[int | None, str]:
    """``"2020=a.tif"`` → (2020, ``"a.tif"``); a plain path → (None, path)."""
    match = _EXPLICIT.match(value)
    return (int(match.group(1)), match.group(2)) if match else (None, value)


def year_from_name(path: Path) -> int | None:
    """The GHSL epoch or the year in a file name, None when there is none or several."""
    name = Path(path).name
    epoch = _GHSL_EPOCH.search(name)
    if epoch:
        return int(epoch.group(1))
    years = set(_YEAR.findall(name))
    return int(years.pop()) if len(years) == 1 else None


def group_by_year(role: str, tiles: list[tuple[int | None, TileInfo]]) -> list[GridInputs]:
    """Group the tiles of a role by year (given, or read from the name).

    Raises
    ------
    ParameterError
        If the year of a yearly role cannot be found.
    """
    if role in STATIC_ROLES:
        return [GridInputs(role, None, tuple(tile for _, tile in tiles))]
    groups: dict[int, list[TileInfo]] = {}
    for given, tile in tiles:
        year = given or year_from_name(tile.path)
        if year is None:
            raise ParameterError(
                f"--{role.replace('_', '-')} {tile.path}: no year in the file name; give it as "
                f"--{role.replace('_', '-')} 2020={tile.path}."
            )
        groups.setdefault(year, []).append(tile)
    return [GridInputs(role, year, tuple(group)) for year, group in sorted(groups.items())]


def _is_projected(crs) -> bool:
    return ProjCRS.from_user_input(crs).is_projected


def role_lattice(group: GridInputs, fallback: Grid) -> Grid:
    """The lattice a group is written on: its own when projected (GHSL: cut, never
    resampled), else ``fallback``."""
    grid = group.tiles[0].grid
    return Grid(grid.crs, grid.transform, 1, 1) if _is_projected(grid.crs) else fallback


def reference_lattice(groups: list[GridInputs], role: str, *, resolution: float) -> Grid:
    """The lattice for inputs of ``role`` in degrees: that of the first projected input
    (population first; built-up first for land, which must share its grid), else the GHSL
    lattice (ESRI:54009, ``resolution``, origin 0, 0)."""
    order = ("built_up", "population", "land") if role == "land" else GRID_ROLES
    for group in sorted(groups, key=lambda g: order.index(g.role)):
        grid = group.tiles[0].grid
        if _is_projected(grid.crs):
            return Grid(grid.crs, grid.transform, 1, 1)
    return Grid(CRS.from_user_input(GHSL_CRS), Affine(resolution, 0, 0, 0, -resolution, 0), 1, 1)


def _edge_points(bounds, crs, target_crs, count: int = 21):
    """Points along the four edges of ``bounds`` in ``crs``, transformed to ``target_crs``."""
    xs = np.linspace(bounds[0], bounds[2], count)
    ys = np.linspace(bounds[1], bounds[3], count)
    edge_x = np.concatenate([xs, xs, np.full(count, bounds[0]), np.full(count, bounds[2])])
    edge_y = np.concatenate([np.full(count, bounds[1]), np.full(count, bounds[3]), ys, ys])
    return transform_coordinates(crs, target_crs, edge_x, edge_y)


def target_grid(lattice: Grid, bounds, bounds_crs, *, margin_m: float) -> Grid:
    """The cells of ``lattice`` covering ``bounds`` (in ``bounds_crs``) plus ``margin_m``."""
    x, y = _edge_points(bounds, bounds_crs, lattice.crs)
    size = lattice.cell_width
    origin = (lattice.transform.c, lattice.transform.f)
    on_snap = all(abs(v % SNAP_M) < 1e-6 or abs(v % SNAP_M - SNAP_M) < 1e-6 for v in origin)
    step = SNAP_M if SNAP_M % size < 1e-9 and on_snap else size
    grown = (x.min() - margin_m, y.min() - margin_m, x.max() + margin_m, y.max() + margin_m)
    return aligned_grid(lattice.crs, grown, size, step=step, origin=origin)


def _nodata(tile: TileInfo) -> float:
    if tile.nodata is not None:
        return tile.nodata
    return float(np.iinfo(tile.dtype).max) if np.issubdtype(tile.dtype, np.integer) else -200.0


def check_same_source_lattice(group: GridInputs) -> None:
    """Tiles of one role and year must share a lattice (one product, one resolution).

    Raises
    ------
    GridMismatchError
        Naming the first tile that does not.
    """
    first = group.tiles[0]
    for tile in group.tiles[1:]:
        if not same_lattice(first.grid, tile.grid):
            raise GridMismatchError(
                f"{tile.path} is not on the grid of {first.path} (CRS {tile.grid.crs} vs "
                f"{first.grid.crs}, cell {tile.grid.cell_width:g} vs {first.grid.cell_width:g}); "
                f"give tiles of one product and one resolution for {group.role}."
            )


def source_grid(lattice: Grid, bounds, bounds_crs) -> Grid:
    """The cells of a source ``lattice`` covering ``bounds`` (in ``bounds_crs``), one cell
    more on each side: what must be read to fill a target grid."""
    x, y = _edge_points(bounds, bounds_crs, lattice.crs)
    inverse = ~lattice.transform
    cols, rows = inverse @ (x, y)
    col0, col1 = math.floor(np.min(cols)) - 1, math.ceil(np.max(cols)) + 1
    row0, row1 = math.floor(np.min(rows)) - 1, math.ceil(np.max(rows)) + 1
    transform = lattice.transform @ Affine.translation(col0, row0)
    return Grid(lattice.crs, transform, row1 - row0, col1 - col0)


def is_native(group: GridInputs, lattice: Grid) -> bool:
    """True when the group's tiles are on the target lattice (they are cut, not moved)."""
    return same_lattice(group.tiles[0].grid, lattice)


def prepare_group(group: GridInputs, windows: list[Raster], target: Grid) -> PreparedGrid:
    """The raster of one role and year on ``target``, from the windows read from its tiles.

    Native tiles are pasted cell for cell; others are mosaicked on their own lattice and
    moved by :func:`~observatory.kernels.regrid.regrid_sum`.
    """
    first = group.tiles[0]
    nodata = _nodata(first)
    if is_native(group, target):
        mosaic = paste(windows, target, nodata=nodata, dtype=first.dtype)
        total = float(mosaic.filled(0.0).sum())
        return PreparedGrid(group.role, group.year, mosaic, "cut", total, total)
    mosaic_grid = source_grid(first.grid, target.bounds, target.crs)
    mosaic = paste(windows, mosaic_grid, nodata=nodata, dtype=first.dtype)
    moved = regrid_sum(Raster(mosaic.data, mosaic_grid, nodata, str(first.path)), target)
    raster = Raster(moved.raster.data.astype("float32"), target, moved.raster.nodata, group.role)
    after = float(raster.filled(0.0).sum())
    return PreparedGrid(group.role, group.year, raster, "regridded", moved.inside_total, after)
