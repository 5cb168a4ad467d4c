"""What an indicator function receives: the project's layers, with shared caches.

:class:`Inputs` holds the finest level of units, the census population mapped onto them
(:func:`~observatory.kernels.interpolate.census_on_finest` when the census is given for a
coarser level), the rasters by role and year, and the other layers by role. It computes the
things many indicators share once per run (areas, population per unit, the statistics of
every raster) and offers a cache for heavier shared work (a street graph, snapping).

Rasters stay in their files (:class:`~observatory.kernels.grid.RasterFile`; tests may give
in-memory rasters): every zonal statistic is computed block by block of rows
(:class:`~observatory.kernels.zonal_blocks.BlockedZonal`, through the ``executor``), the
statistics of all the rasters of one grid in one pass (:mod:`observatory.indicators.
raster_pass`), so memory depends on the block size and the number of units, not on the
size of the rasters.

It opens no file: the engine hands over the layers read by :mod:`observatory.layers`, and
tests build it directly from tiny in-memory layers.

Raster roles: ``population`` (people per cell), ``built_up`` (m² of built-up surface per
cell, as GHSL BUILT-S), ``land`` (m² of land per cell, as GHSL LAND; no year), ``pm25``
(µg/m³). Layer roles: ``roads``, ``schools``, ``health``, ``transit_stops``,
``open_spaces``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse

from observatory.errors import InputDataError
from observatory.indicators.raster_pass import (
    SAMPLED_ROLES,
    AnyRaster,
    GridStatistics,
    SurfaceValues,
)
from observatory.kernels.cell_areas import cell_areas_m2
from observatory.kernels.grid import Grid, m2_per_cell
from observatory.kernels.interpolate import census_on_finest
from observatory.kernels.zonal import equal_area_km2
from observatory.kernels.zonal_blocks import BlockedZonal, CellValues, grid_key
from observatory.parallel import SERIAL, Executor

log = logging.getLogger(__name__)

RASTER_ROLES = ("population", "built_up", "land", "pm25")
#: Raster roles in m² per cell; given as shares of the cell (every value within 0-1), they
#: are read as m² (:func:`~observatory.kernels.grid.m2_per_cell`).
SURFACE_ROLES = ("built_up", "land")
LAYER_ROLES = ("roads", "schools", "health", "transit_stops", "open_spaces")


class Inputs:
    """The layers of a project for the finest level of units.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Finest-level units, indexed by unit id (text), in any CRS that has one.
    census : pandas.DataFrame, optional
        Population by unit id (index, same ids as ``units``) and year (integer columns); or,
        with ``census_level`` and ``ancestors``, by id of the units of a coarser level.
    census_level : str, optional
        The level the census is given for, when it is not the level of ``units``.
    ancestors : pandas.DataFrame, optional
        With ``census_level`` or ``coarser_census``: the id of the unit of every level
        containing each unit (index: the ids of ``units``; one column per level, the level
        of ``units`` last). A census of a coarser level is shared among ``units`` in
        proportion to the population raster of its year; years without one are left out,
        with a warning.
    coarser_census : mapping, optional
        Level → population by unit id of that (coarser) level and year, shared among
        ``units`` as a coarser ``census`` is, besides ``census`` (years of their own: the
        census tables of several levels).
    rasters : mapping, optional
        ``{role: {year or None: RasterFile or Raster}}``; built-up and land rasters of shares
        of the cell are read as m² per cell (:func:`~observatory.kernels.grid.m2_per_cell`).
    layers : mapping, optional
        ``{role: GeoDataFrame}``.
    fields : mapping, optional
        ``{role: {setting: field name}}``, e.g. ``{"schools": {"capacity": "seats"}}``.
    executor : Executor, optional
        Where the work that splits runs (the blocks of rows of the zonal statistics, the
        tiles of the Degree of Urbanisation): here, one after the other
        (:data:`~observatory.parallel.SERIAL`), by default.
    """

    def __init__(  # noqa: PLR0913 (the layers, keyword-only, and where the work runs)
        self,
        units: gpd.GeoDataFrame,
        *,
        census: pd.DataFrame | None = None,
        census_level: str | None = None,
        ancestors: pd.DataFrame | None = None,
        coarser_census: Mapping[str, pd.DataFrame] | None = None,
        rasters: Mapping[str, Mapping[int | None, AnyRaster]] | None = None,
        layers: Mapping[str, gpd.GeoDataFrame] | None = None,
        fields: Mapping[str, Mapping[str, str]] | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.units = units
        self.executor = executor or SERIAL
        self._zonal = BlockedZonal(units.geometry, executor=self.executor)
        self.rasters = {
            role: {
                year: m2_per_cell(raster) if role in SURFACE_ROLES else raster
                for year, raster in by_year.items()
            }
            for role, by_year in (rasters or {}).items()
        }
        self.layers = dict(layers or {})
        self.fields = {role: dict(settings) for role, settings in (fields or {}).items()}
        self.warnings: list[str] = []
        self._cache: dict[Any, Any] = {}
        coarser = dict(coarser_census or {})
        if (
            census is not None
            and ancestors is not None
            and census_level not in (None, ancestors.columns[-1])
        ):
            coarser[census_level] = census
            census = None
        #: The census years given for a coarser level and shared by the raster.
        self.shared_census_years: set[int] = set()
        own = census if census is not None else pd.DataFrame(index=self.units.index)
        shared = [
            self._shared_census(counts, level, ancestors) for level, counts in coarser.items()
        ]
        self.census = pd.concat([own, *shared], axis=1) if shared else own

    def _shared_census(
        self, census: pd.DataFrame, census_level: str, ancestors: pd.DataFrame
    ) -> pd.DataFrame:
        """The census of the coarser ``census_level`` shared among ``units`` by the raster."""
        populations = self.rasters.get("population", {})
        grid_population = {
            year: self.zonal_sum("population", year)
            for year in census.columns
            if year in populations
        }
        shared, warnings = census_on_finest(
            census,
            ancestors[census_level],
            grid_population,
            census_level=census_level,
            finest_level=ancestors.columns[-1],
        )
        for warning in warnings:
            self.warn(warning)
        self.shared_census_years |= set(shared.columns)
        return shared

    # -- what is available -------------------------------------------------------------
    def has(self, role: str) -> bool:
        """True when the raster or layer role is present (``population`` counts the census,
        ``population_grid`` only the population raster)."""
        if role in ("population", "population_grid"):
            return bool(self.years(role))
        return bool(self.rasters.get(role)) or role in self.layers

    def years(self, role: str) -> list[int]:
        """Sorted years available for a raster role.

        Census years count for ``population``; ``population_grid`` is the population raster
        alone.
        """
        raster_role = "population" if role == "population_grid" else role
        found = {year for year in self.rasters.get(raster_role, {}) if year is not None}
        if role == "population":
            found |= {int(year) for year in self.census.columns}
        return sorted(found)

    def raster(self, role: str, year: int | None = None) -> AnyRaster:
        """The raster of ``role`` for ``year``; a raster without year serves every year.

        Read it a block of rows at a time (``.window(start, stop)`` over
        :func:`~observatory.kernels.grid.row_blocks`); ``.load()`` reads it whole."""
        by_year = self.rasters.get(role, {})
        if year in by_year:
            return by_year[year]
        if None in by_year:
            return by_year[None]
        raise InputDataError(f"no {role} raster for {year}; the project has {sorted(by_year)}.")

    def layer(self, role: str) -> gpd.GeoDataFrame:
        """The vector layer of ``role``."""
        if role not in self.layers:
            raise InputDataError(f"the project has no '{role}' layer in [layers].")
        return self.layers[role]

    def field(self, role: str, setting: str) -> str | None:
        """The field name configured for ``setting`` of layer ``role`` (None when unset)."""
        return self.fields.get(role, {}).get(setting)

    # -- shared computations ------------------------------------------------------------
    def cached(self, key: Any, factory: Callable[[], Any]) -> Any:
        """``factory()`` computed once per run for ``key``."""
        if key not in self._cache:
            self._cache[key] = factory()
        return self._cache[key]

    def warn(self, message: str) -> None:
        """Record a warning for the run's provenance and log it."""
        if message not in self.warnings:
            self.warnings.append(message)
            log.warning(message)

    def block_coverage(self, grid: Grid, start: int, stop: int) -> scipy.sparse.csr_array:
        """Exact coverage fractions of the units over rows ``start`` to ``stop`` of ``grid``
        (units × the block's cells, row-major), built for that block only."""
        return self._zonal.block_coverage(grid, start, stop)

    def zonal_blocks(
        self,
        grid: Grid,
        cell_values: CellValues,
        *,
        label: str = "zonal sums",
    ) -> dict[str, pd.Series]:
        """Σ_k c_ik · x_k for every unit and every quantity ``cell_values`` gives, block by
        block of rows of ``grid`` (:func:`~observatory.kernels.grid.row_blocks`).

        ``cell_values(start, stop)`` returns {name: float array of shape ``(stop - start,
        grid.width)``} for rows ``start`` to ``stop`` (nodata already as 0); only one block
        of them is in memory at a time, with the coverage fractions of that block
        (:class:`~observatory.kernels.zonal_blocks.BlockedZonal`). Returns {name: sums
        indexed by unit}. To run the blocks on other processes, ``cell_values`` must be
        picklable (an instance of a module-level class holding rasters and parameters).
        """
        sums = self._zonal.sums(grid, cell_values, label=label)
        return {name: pd.Series(total, index=self.units.index) for name, total in sums.items()}

    def grid_statistics(self, grid: Grid) -> dict[tuple, np.ndarray]:
        """Every statistic of the project's rasters on ``grid``, per unit, in one pass over
        its blocks (:class:`~observatory.indicators.raster_pass.GridStatistics`; once per
        grid)."""

        def compute() -> dict[tuple, np.ndarray]:
            on_grid = tuple(
                ((role, year), raster)
                for role, by_year in self.rasters.items()
                for year, raster in by_year.items()
                if raster.grid.same_as(grid)
            )
            sampled = tuple(
                ((role, year), raster)
                for role in SAMPLED_ROLES
                for year, raster in self.rasters.get(role, {}).items()
            )
            statistics = GridStatistics(grid, on_grid, SURFACE_ROLES, sampled)
            return self._zonal.sums(grid, statistics, label="raster statistics")

        return self.cached(("grid statistics", *grid_key(grid)), compute)

    def _statistic(self, name: str, role: str, year: int | None) -> np.ndarray:
        """One statistic of the raster of ``role`` and ``year`` (:meth:`grid_statistics`)."""
        by_year = self.rasters.get(role, {})
        year = year if year in by_year else None
        statistics = self.grid_statistics(self.raster(role, year).grid)
        return statistics.get((name, role, year), self._zeros())

    def _zeros(self) -> np.ndarray:
        """A sum over no cell (a grid without rows)."""
        return np.zeros(len(self.units))

    def zonal_sum(self, role: str, year: int | None = None) -> pd.Series:
        """Σ coverage × cell value of a raster for every unit."""
        return pd.Series(self._statistic("sum", role, year), index=self.units.index)

    def cell_areas(self, grid: Grid) -> np.ndarray:
        """The area in m² on the ellipsoid of every cell of ``grid``
        (:func:`~observatory.kernels.cell_areas.cell_areas_m2`, once per grid)."""
        key = ("cell areas", *grid_key(grid))
        return self.cached(key, lambda: cell_areas_m2(grid))

    def surface_km2(self, raster: AnyRaster) -> np.ndarray:
        """Σ_k c_ik · v_k · A_k / (a · 10⁶) for every unit: a raster of m² per cell (GHSL
        BUILT-S, LAND; nodata as 0) in km² on the ellipsoid.

        ``v_k`` is in m² of the cell's nominal area ``a`` (width × height in the grid's
        CRS) and ``A_k`` the cell's area on the ellipsoid, so a cell entirely built up counts
        its true area whatever the projection distorts. A raster of the project comes from
        :meth:`grid_statistics`; any other is summed block by block.
        """
        for role in SURFACE_ROLES:
            for year, held in self.rasters.get(role, {}).items():
                if held is raster:
                    return self._statistic("surface", role, year)
        return self._zonal.sums(raster.grid, SurfaceValues(raster), label="surfaces")["surface"]

    def raster_coverage(self, role: str, year: int | None = None) -> pd.DataFrame:
        """The area of every unit and the part of it the raster of ``role`` covers.

        ``covered`` = Σ_k c_ik · A_k · [cell k holds data] (A_k the cell's area on the
        ellipsoid) and ``area`` the unit's geodesic area (:meth:`area_km2`), both in km², so
        their ratio is the share of the unit the raster covers whatever the grid: cells
        outside the grid, nodata and NaN cells count as not covered. Sums of both over units
        give the covered share of a coarser unit.
        """

        def compute() -> pd.DataFrame:
            covered = self._statistic("covered", role, year)
            return pd.DataFrame(
                {"covered": covered, "area": self.area_km2().to_numpy()}, index=self.units.index
            )

        return self.cached(("raster coverage", role, year), compute)

    def population_weighted(self, role: str, year: int, population_year: int) -> pd.DataFrame:
        """Σ_k c_ik P_k C_k (``numerator``) and Σ_k c_ik P_k (``denominator``) of every unit
        over the cells k of the population grid of ``population_year`` where the raster of
        ``role`` (sampled at their centres, :func:`~observatory.kernels.grid.sample_at_centres`)
        has a value: a population-weighted mean's parts, for ``role`` in
        :data:`~observatory.indicators.raster_pass.SAMPLED_ROLES`."""
        year = year if year in self.rasters.get(role, {}) else None
        statistics = self.grid_statistics(self.raster("population", population_year).grid)
        parts = {
            column: statistics.get((name, role, year, population_year), self._zeros())
            for column, name in (("numerator", "weighted"), ("denominator", "weights"))
        }
        return pd.DataFrame(parts, index=self.units.index)

    def rasters_used(self, needs: tuple[str, ...], period) -> list[tuple[str, int | None]]:
        """The ``(role, year)`` of every raster an indicator needing ``needs`` reads for
        ``period`` (a :class:`~observatory.indicators.registry.Period`).

        The rasters of ``needs`` for the period's end (and start, for a change); the
        population grid nearest the end for ``population_grid`` (as the access and PM2.5
        indicators take it); the population raster for ``population`` in the years whose
        population comes from it or is shared by it from a coarser census.
        """
        years = [period.end] if period.start is None else [period.start, period.end]
        used = []
        for role in needs:
            if role == "population_grid":
                grid_years = self.years("population_grid")
                if grid_years:
                    nearest = min(grid_years, key=lambda y: (abs(y - period.end), y))
                    used.append(("population", nearest))
            elif role == "population":
                used += [
                    ("population", year)
                    for year in years
                    if year in self.rasters.get("population", {})
                    and (year in self.shared_census_years or year not in self.census.columns)
                ]
            elif role in RASTER_ROLES and self.has(role):
                by_year = self.rasters[role]
                used += [(role, year if year in by_year else None) for year in years]
        return list(dict.fromkeys(used))

    def area_km2(self) -> pd.Series:
        """Geodesic area of every unit in km², on the WGS 84 ellipsoid
        (:func:`~observatory.kernels.zonal.equal_area_km2`), whatever the CRS of the units
        and of the grids: the m² of the rasters are measured on the same ellipsoid
        (:meth:`surface_km2`), so a unit entirely built up is 100 % built up."""
        return self.cached(
            "area_km2",
            lambda: pd.Series(equal_area_km2(self.units.geometry), index=self.units.index),
        )

    def land_area_km2(self) -> pd.Series:
        """Unit area minus the water of the land grid (all area is land without a land grid).

        water = Σ_k c_ik · (a − l_k) · A_k / (a · 10⁶), with the land grid in m² of land
        per cell of nominal area a (GHSL LAND) and A_k the cell's area on the ellipsoid.
        """
        if not self.has("land"):
            return self.area_km2()

        def compute() -> pd.Series:
            water = self._statistic("water", "land", None)
            return (self.area_km2() - water).clip(lower=0.0)

        return self.cached("land_area_km2", compute)

    def population(self, year: int) -> pd.Series:
        """People per unit in ``year``: the census where it has the year, else the raster."""
        if year in self.census.columns:
            return self.census[year].astype("float64")
        if year in self.rasters.get("population", {}):
            return self.zonal_sum("population", year)
        raise InputDataError(
            f"no population for {year}: neither the census nor a population raster has it."
        )

    def population_source(self, year: int) -> str:
        """Where :meth:`population` takes the figures of ``year`` from."""
        return "census" if year in self.census.columns else "population raster"
