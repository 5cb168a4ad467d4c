"""What an indicator function receives: the project's layers in memory, with shared caches.

:class:`Inputs` holds the finest level of units, the census population mapped onto them
(:func:`~observatory.kernels.interpolate.census_on_finest` when the census is given for a
coarser level), the rasters by role and year, and the other layers by role. It computes the
things many indicators share once per run (exact coverage matrices of the units over each
grid, areas, population per unit) and offers a cache for heavier shared work (a street
graph, snapping).

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

from observatory.errors import InputDataError
from observatory.kernels.cell_areas import cell_areas_m2
from observatory.kernels.grid import Grid, Raster, as_m2_per_cell, row_blocks
from observatory.kernels.interpolate import census_on_finest
from observatory.kernels.zonal import CoverageMatrix, equal_area_km2
from observatory.parallel import SERIAL, Executor

log = logging.getLogger(__name__)

RASTER_ROLES = ("population", "built_up", "land", "pm25")
#: Raster roles in m² per cell; given as shares of the cell (every value within 0-1), they
#: are turned into m² (:func:`~observatory.kernels.grid.as_m2_per_cell`).
SURFACE_ROLES = ("built_up", "land")
LAYER_ROLES = ("roads", "schools", "health", "transit_stops", "open_spaces")


class Inputs:
    """The layers of a project, in memory, for the finest level of units.

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
        ``{role: {year or None: Raster}}``.
    layers : mapping, optional
        ``{role: GeoDataFrame}``.
    fields : mapping, optional
        ``{role: {setting: field name}}``, e.g. ``{"schools": {"capacity": "seats"}}``.
    executor : Executor, optional
        Where the work that splits runs (the tiles of the Degree of Urbanisation): here,
        serially (:data:`~observatory.parallel.SERIAL`) by default.
    """

    # One keyword argument per kind of input the layers give, and where the work runs.
    def __init__(  # noqa: PLR0913
        self,
        units: gpd.GeoDataFrame,
        *,
        census: pd.DataFrame | None = None,
        census_level: str | None = None,
        ancestors: pd.DataFrame | None = None,
        coarser_census: Mapping[str, pd.DataFrame] | None = None,
        rasters: Mapping[str, Mapping[int | None, Raster]] | None = None,
        layers: Mapping[str, gpd.GeoDataFrame] | None = None,
        fields: Mapping[str, Mapping[str, str]] | None = None,
        executor: Executor | None = None,
    ) -> None:
        self.units = units
        self.executor = executor or SERIAL
        self.rasters = {
            role: {
                year: as_m2_per_cell(raster) if role in SURFACE_ROLES else raster
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

    def raster(self, role: str, year: int | None = None) -> Raster:
        """The raster of ``role`` for ``year``; a raster without year serves every year."""
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

    def coverage(self, grid: Grid) -> CoverageMatrix:
        """Exact cell-coverage fractions of the units over ``grid`` (computed once per grid)."""
        key = ("coverage", grid.crs.to_string(), tuple(grid.transform), grid.shape)
        return self.cached(key, lambda: CoverageMatrix.build(self.units.geometry, grid))

    def zonal_blocks(
        self,
        grid: Grid,
        cell_values: Callable[[int, int], Mapping[str, np.ndarray]],
        *,
        label: str = "zonal sums",
    ) -> dict[str, pd.Series]:
        """Σ_k c_ik · x_k for every unit and every quantity ``cell_values`` gives, block by
        block of rows of ``grid`` (:func:`~observatory.kernels.grid.row_blocks`).

        ``cell_values(start, stop)`` returns {name: float array of shape ``(stop - start,
        grid.width)``} for rows ``start`` to ``stop`` (nodata already as 0); only one block
        of them is in memory at a time. Returns {name: sums indexed by unit}.
        """
        coverage = self.coverage(grid).matrix.tocsc()
        totals: dict[str, np.ndarray] = {}
        for start, stop in row_blocks(grid):
            block = coverage[:, start * grid.width : stop * grid.width]
            for name, values in cell_values(start, stop).items():
                partial = block @ np.asarray(values, dtype=np.float64).ravel()
                totals[name] = partial if name not in totals else totals[name] + partial
        return {name: pd.Series(sums, index=self.units.index) for name, sums in totals.items()}

    def zonal_sum(self, role: str, year: int | None = None) -> pd.Series:
        """Σ coverage × cell value of a raster for every unit."""
        raster = self.raster(role, year)
        return pd.Series(self.coverage(raster.grid).sum(raster), index=self.units.index)

    def cell_areas(self, grid: Grid) -> np.ndarray:
        """The area in m² on the ellipsoid of every cell of ``grid``
        (:func:`~observatory.kernels.cell_areas.cell_areas_m2`, once per grid)."""
        key = ("cell areas", grid.crs.to_string(), tuple(grid.transform), grid.shape)
        return self.cached(key, lambda: cell_areas_m2(grid))

    def surface_km2(self, raster: Raster) -> np.ndarray:
        """Σ_k c_ik · v_k · A_k / (a · 10⁶) for every unit: a raster of m² per cell (GHSL
        BUILT-S, LAND; nodata as 0) in km² on the ellipsoid.

        ``v_k`` is in m² of the cell's nominal area ``a`` (width × height in the grid's
        CRS) and ``A_k`` the cell's area on the ellipsoid, so a cell entirely built up counts
        its true area whatever the projection distorts.
        """
        grid = raster.grid
        scale = self.cell_areas(grid) / (grid.cell_area * 1e6)
        return self.coverage(grid).sum(Raster(raster.filled(0.0) * scale, grid, None, raster.name))

    def raster_coverage(self, role: str, year: int | None = None) -> pd.DataFrame:
        """The area of every unit and the part of it the raster of ``role`` covers.

        ``covered`` = Σ_k c_ik · A_k · [cell k holds data] (A_k the cell's area on the
        ellipsoid) and ``area`` the unit's geodesic area (:meth:`area_km2`), both in km², so
        their ratio is the share of the unit the raster covers whatever the grid: cells
        outside the grid, nodata and NaN cells count as not covered. Sums of both over units
        give the covered share of a coarser unit.
        """
        raster = self.raster(role, year)

        def compute() -> pd.DataFrame:
            grid = raster.grid
            valid = Raster(raster.valid_mask() * grid.cell_area, grid, None, raster.name)
            return pd.DataFrame(
                {"covered": self.surface_km2(valid), "area": self.area_km2().to_numpy()},
                index=self.units.index,
            )

        return self.cached(("raster coverage", role, year), compute)

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
            land = self.raster("land")
            water_m2 = land.grid.cell_area - land.filled(land.grid.cell_area)
            water = Raster(np.clip(water_m2, 0, None), land.grid, None, land.name)
            return (self.area_km2() - self.surface_km2(water)).clip(lower=0.0)

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
