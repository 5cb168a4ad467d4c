"""Where the units are, in any CRS: what the rasters and the other layers are checked
against."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box

from observatory.checks.units import UnitLevel
from observatory.kernels.grid import Grid
from observatory.kernels.zonal import equal_area_km2
from observatory.kernels.zonal_blocks import BlockedZonal


class UnitsExtent:
    """The geometries of the coarsest level of units that can be placed, reprojected and
    measured on demand (once per CRS, and once per grid's bounds)."""

    def __init__(self, levels: Sequence[UnitLevel]) -> None:
        self._levels = levels
        self._in_crs: dict[str, gpd.GeoSeries | None] = {}
        self._covered_share: dict[tuple, float | None] = {}
        self._blocked: dict[str, BlockedZonal | None] = {}
        self._memo: dict = {}

    def geometries(self) -> gpd.GeoSeries | None:
        """The present geometries of the coarsest placed level (coarsest first), or None."""
        for units in self._levels:
            if not units.placed:
                continue
            geometries = units.geometries
            keep = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
            if keep.any():
                return gpd.GeoSeries(geometries[keep], crs=units.layer.frame.crs)
        return None

    def in_crs(self, crs) -> gpd.GeoSeries | None:
        """:meth:`geometries` reprojected to ``crs``."""
        key = crs.to_wkt()
        if key not in self._in_crs:
            extent = self.geometries()
            self._in_crs[key] = None if extent is None else extent.to_crs(crs)
        return self._in_crs[key]

    def covered_share(self, grid: Grid) -> float | None:
        """Share of the units' area inside the bounds of ``grid`` (None without units)."""
        key = (grid.crs.to_wkt(), grid.bounds)
        if key not in self._covered_share:
            units = self.in_crs(grid.crs)
            share = None
            if units is not None:
                inside = shapely.intersection(units.values, box(*grid.bounds))
                total = equal_area_km2(units).sum()
                covered = equal_area_km2(gpd.GeoSeries(inside, crs=units.crs)).sum()
                share = covered / total if total > 0 else None
            self._covered_share[key] = share
        return self._covered_share[key]

    def blocked(self, grid: Grid) -> BlockedZonal | None:
        """The polygons of :meth:`geometries` on the CRS of ``grid``, for coverage block by
        block of rows (once per CRS); None without placed polygons."""
        key = grid.crs.to_wkt()
        if key not in self._blocked:
            units = self.in_crs(grid.crs)
            if units is not None:
                units = units[units.geom_type.isin(("Polygon", "MultiPolygon")).to_numpy()]
            self._blocked[key] = BlockedZonal(units) if units is not None and len(units) else None
        return self._blocked[key]

    def cell_coverage(self, grid: Grid, start: int, stop: int) -> np.ndarray | None:
        """The share of each cell of the rows ``start`` to ``stop`` of ``grid`` inside the
        units (flat, row-major), computed exactly from the polygons; None without placed
        polygons."""
        blocked = self.blocked(grid)
        if blocked is None:
            return None
        matrix = blocked.block_coverage(grid, start, stop)
        return np.minimum(np.asarray(matrix.sum(axis=0)).ravel(), 1.0)

    def memo(self, key, factory):
        """``factory()`` computed once for ``key`` (what several checks read of a raster)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]
