"""The cell values :class:`~observatory.indicators.inputs.Inputs` sums over its units, block
by block of rows (:class:`~observatory.kernels.zonal_blocks.BlockedZonal`).

:class:`GridStatistics` gives, for one grid, every statistic of the project's rasters on it
in one pass over the blocks: each block's coverage fractions are computed once for all of
them, and only one block of one raster is in memory at a time. For each raster ``(role,
year)`` on the grid, with ``a`` the cell's nominal area and ``s_k = A_k / (a · 10⁶)`` (A_k
the cell's area on the ellipsoid, :func:`~observatory.kernels.cell_areas.cell_areas_m2`):

- ``("sum", role, year)``: x_k, nodata as 0 (:meth:`Inputs.zonal_sum`);
- ``("covered", role, year)``: a · [cell k holds data] · s_k, km² (:meth:`Inputs.raster_coverage`);
- ``("surface", role, year)``, built-up and land: b_k · s_k, km² (:meth:`Inputs.surface_km2`);
- ``("water", "land", None)``: max(a − l_k, 0) · s_k, km² (:meth:`Inputs.land_area_km2`);
- ``("weighted", role, year, population year)`` and ``("weights", ...)``, on a population
  grid for each raster sampled at its cell centres (PM2.5): P_k · C_k and P_k over the cells
  where C_k is known (:meth:`Inputs.population_weighted`).

The classes are picklable (rasters read from files are :class:`~observatory.kernels.grid.
RasterFile`), so blocks can be computed on other processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from observatory.kernels.cell_areas import cell_areas_m2
from observatory.kernels.grid import Grid, Raster, RasterFile, SharesAsM2, sample_at_centres

#: A raster as :class:`Inputs` holds it: in memory, in its file, or shares read as m².
AnyRaster = Raster | RasterFile | SharesAsM2
#: Raster roles averaged over the people of a population grid, sampled at its cell centres.
SAMPLED_ROLES = ("pm25",)


def km2_scale(grid: Grid, start: int, stop: int) -> np.ndarray:
    """s_k = A_k / (a · 10⁶) of the rows ``start`` to ``stop``: m² of nominal cell area
    into km² on the ellipsoid."""
    return cell_areas_m2(grid, rows=(start, stop)) / (grid.cell_area * 1e6)


@dataclass(frozen=True)
class SurfaceValues:
    """b_k · s_k of a raster of m² per cell (nodata as 0): km² on the ellipsoid."""

    raster: AnyRaster

    def __call__(self, start: int, stop: int) -> dict[str, np.ndarray]:
        scale = km2_scale(self.raster.grid, start, stop)
        return {"surface": self.raster.window(start, stop).filled(0.0) * scale}


@dataclass(frozen=True)
class GridStatistics:
    """Every statistic of the rasters on one grid (see the module), block by block.

    Attributes
    ----------
    grid : Grid
        The grid.
    rasters : tuple
        ``((role, year), raster)`` of the rasters on ``grid``.
    surface_roles : tuple of str
        Roles in m² per cell (their ``surface``; ``water`` for ``land``).
    sampled : tuple
        ``((role, year), raster)`` of the rasters (any grid) averaged over the people of
        the population rasters of ``grid``.
    """

    grid: Grid
    rasters: tuple[tuple[tuple[str, int | None], AnyRaster], ...]
    surface_roles: tuple[str, ...]
    sampled: tuple[tuple[tuple[str, int | None], AnyRaster], ...] = ()

    def __call__(self, start: int, stop: int) -> Iterator[tuple[tuple, np.ndarray]]:
        grid = self.grid
        scale = km2_scale(grid, start, stop)
        block = grid.rows(start, stop)
        samples = None
        for (role, year), raster in self.rasters:
            window = raster.window(start, stop)
            yield ("sum", role, year), window.filled(0.0)
            yield ("covered", role, year), (window.valid_mask() * grid.cell_area) * scale
            if role in self.surface_roles:
                yield ("surface", role, year), window.filled(0.0) * scale
            if role == "land":
                water_m2 = grid.cell_area - window.filled(grid.cell_area)
                yield ("water", role, year), np.clip(water_m2, 0, None) * scale
            if role == "population" and self.sampled:
                if samples is None:
                    samples = [(key, sample_at_centres(r, block)) for key, r in self.sampled]
                people = window.filled(0.0)
                for (sampled_role, sampled_year), values in samples:
                    measured = ~np.isnan(values)
                    key = (sampled_role, sampled_year, year)
                    yield ("weighted", *key), np.where(measured, people * values, 0.0)
                    yield ("weights", *key), np.where(measured, people, 0.0)
