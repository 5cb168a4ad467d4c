"""Exact zonal statistics with coverage weights computed once and reused.

An observatory sums many rasters (years, themes) over the same units. The exact share of every
cell that lies inside every unit (its *coverage fraction*, computed by exactextract from the
polygon edges, not from cell centres) depends only on the units and the grid, so
:class:`CoverageMatrix` computes it once, as a sparse matrix ``C`` of shape
``(n_units, n_cells)``, and every zonal sum is then one sparse product ``C @ values``.

Areas are never measured in degrees or in a projection: :func:`equal_area_km2` measures
them as geodesic polygons on the WGS 84 ellipsoid, right at any latitude and across the
antimeridian.

Sources
-------
- D. Baston, *exactextract* (https://github.com/isciences/exactextract): exact cell coverage
  fractions of polygons, the same ones its ``sum`` and ``weighted_sum`` operations use.
- C. F. F. Karney (2013), Algorithms for geodesics, *Journal of Geodesy* 87, 43–55,
  doi:10.1007/s00190-012-0578-z (area of a geodesic polygon), as GeographicLib and
  ``pyproj.Geod`` compute it.
"""

from __future__ import annotations

from collections.abc import Iterator

import geopandas
import numpy as np
import scipy.sparse
import shapely
from exactextract import Feature, FeatureSource, exact_extract
from exactextract.raster import RasterSource
from pyproj import CRS as ProjCRS
from pyproj import Geod, Transformer

from observatory.errors import CRSError, GridMismatchError, InputDataError
from observatory.kernels.grid import Grid, Raster, warp_command

_UNIT_FIELD = "unit_position"
_POLYGON_TYPE_IDS = (3, 6)  # shapely type ids of Polygon and MultiPolygon
_MULTI_TYPE_IDS = (4, 5, 6, 7)  # multi-part geometries and collections
_WGS84_LONLAT = ProjCRS.from_epsg(4326)
_WGS84 = Geod(ellps="WGS84")


class _WKBFeature(Feature):
    """One unit handed to exactextract as WKB, carrying its position in the input series."""

    def __init__(self, wkb: bytes, position: int) -> None:
        super().__init__()
        self._wkb = wkb
        self._properties = {_UNIT_FIELD: position}

    def geometry(self) -> bytes:
        return self._wkb

    def set_geometry_format(self) -> str:
        return "wkb"

    def get(self, name: str) -> int:
        return self._properties[name]

    def set(self, name: str, value: object) -> None:
        self._properties[name] = value

    def fields(self) -> list[str]:
        return list(self._properties)


class _WKBFeatureSource(FeatureSource):
    """The non-empty units of a GeoSeries, already in the grid's CRS, as WKB features."""

    def __init__(self, wkbs: np.ndarray, positions: np.ndarray) -> None:
        super().__init__()
        self._wkbs = wkbs
        self._positions = positions

    def count(self) -> int:
        return len(self._wkbs)

    def __iter__(self) -> Iterator[_WKBFeature]:
        for wkb, position in zip(self._wkbs, self._positions, strict=True):
            yield _WKBFeature(wkb, int(position))

    def srs_wkt(self) -> None:
        # The geometries were reprojected to the grid's CRS before; no CRS check is left to do.
        return None


class _CellIdSource(RasterSource):
    """A raster of the grid's extent whose value is each cell's flat id, made window by window.

    exactextract's ``values`` operation on it returns the ids of the cells a polygon covers, in
    the same order as its ``coverage`` operation, without a grid-sized array in memory.
    """

    def __init__(self, grid: Grid) -> None:
        super().__init__()
        self._grid = grid
        self._dtype = _index_dtype(grid.height * grid.width)

    def res(self) -> tuple[float, float]:
        return (self._grid.cell_width, self._grid.cell_height)

    def extent(self) -> tuple[float, float, float, float]:
        return self._grid.bounds

    def srs_wkt(self) -> None:
        return None

    def nodata_value(self) -> None:
        return None

    def read_window(self, x0: int, y0: int, nx: int, ny: int) -> np.ndarray:
        rows = np.arange(y0, y0 + ny, dtype=self._dtype)[:, np.newaxis]
        return rows * self._grid.width + np.arange(x0, x0 + nx, dtype=self._dtype)


def _require_crs(geometries: geopandas.GeoSeries, name: str) -> None:
    if geometries.crs is None:
        raise CRSError(
            f"{name} have no CRS, so they cannot be placed on a raster or measured; set the CRS "
            "they were drawn in (e.g. GeoSeries.set_crs('EPSG:4326'), or add the .prj / fix the "
            "layer in QGIS)."
        )


def _require_north_up(grid: Grid) -> None:
    transform = grid.transform
    if grid.crs is None:
        raise CRSError("The raster grid has no CRS; assign the CRS it was made in.")
    if transform.b != 0 or transform.d != 0 or transform.a <= 0 or transform.e >= 0:
        raise InputDataError(
            f"The raster grid {tuple(transform)[:6]} is rotated or not north-up; warp it to a "
            "north-up grid first (gdalwarp with -t_srs and -tr)."
        )


def _index_dtype(*sizes: int) -> type:
    return np.int32 if max(sizes, default=0) < np.iinfo(np.int32).max else np.int64


def polygon_wkbs(
    geometries: geopandas.GeoSeries, grid: Grid, *, name: str = "The units"
) -> tuple[np.ndarray, np.ndarray]:
    """The present polygons of ``geometries`` in the CRS of ``grid``, as WKB, with their
    positions in the series (missing and empty geometries are left out).

    Raises
    ------
    CRSError
        If the geometries or the grid have no CRS.
    InputDataError
        If a geometry is not a polygon or multipolygon, or the grid is rotated or south-up.
    """
    _require_crs(geometries, name)
    _require_north_up(grid)
    if ProjCRS.from_user_input(geometries.crs) != ProjCRS.from_user_input(grid.crs):
        geometries = geometries.to_crs(grid.crs)
    values = geometries.values
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    positions = np.flatnonzero(present)
    polygonal = np.isin(shapely.get_type_id(values[positions]), _POLYGON_TYPE_IDS)
    if not polygonal.all():
        first = positions[~polygonal][0]
        raise InputDataError(
            f"{name}: the geometry at position {first} is a {values[first].geom_type}; "
            "zonal statistics need polygons or multipolygons (buffer points or lines into "
            "areas first, or drop them)."
        )
    return shapely.to_wkb(values[positions]), positions


class CoverageMatrix:
    """Exact coverage fractions of the cells of a grid by a series of units.

    ``matrix[i, k]`` is the fraction of cell ``k`` (row-major flat index, ``row * width +
    col``) that lies inside unit ``i``, in [0, 1]. A zonal sum is then

    .. math:: S_i = \\sum_k c_{ik} \\, x_k ,

    which is exactly exactextract's ``sum`` operation, computed once per raster as a sparse
    matrix-vector product instead of a new polygon-raster overlay per raster.

    Attributes
    ----------
    matrix : scipy.sparse.csr_array
        Shape ``(n_units, grid.height * grid.width)``, float64 coverage fractions. exactextract
        computes them in single precision, so the fractions of a cell shared by several units
        add up to 1 within about 1e-7; sums match exactextract's own ``sum`` to 1e-12.
    grid : Grid
        The grid the cells belong to.
    """

    def __init__(self, matrix: scipy.sparse.csr_array, grid: Grid) -> None:
        n_cells = grid.height * grid.width
        if matrix.shape[1] != n_cells:
            raise GridMismatchError(
                f"The coverage matrix has {matrix.shape[1]} columns but its grid has "
                f"{n_cells} cells; build it with CoverageMatrix.build(units, grid)."
            )
        self.matrix = matrix
        self.grid = grid

    @classmethod
    def build(
        cls, geometries: geopandas.GeoSeries, grid: Grid, *, name: str = "The units"
    ) -> CoverageMatrix:
        """Compute the coverage fractions of ``grid``'s cells by each geometry.

        Parameters
        ----------
        geometries : geopandas.GeoSeries
            Polygons of the units, in any CRS; they are reprojected to ``grid.crs``. Row ``i``
            of the matrix is the ``i``-th geometry (positional order). Empty or missing
            geometries give empty rows; the parts of a unit outside the grid are ignored.
        grid : Grid
            A north-up grid with a CRS.
        name : str
            What the geometries are, for error messages.

        Returns
        -------
        CoverageMatrix

        Raises
        ------
        CRSError
            If the geometries or the grid have no CRS.
        InputDataError
            If a geometry is not a polygon or multipolygon, or the grid is rotated or
            south-up.

        Notes
        -----
        The fractions come from exactextract's ``coverage`` operation (Baston, exactextract);
        the cell of each fraction from its ``values`` operation on a raster of cell ids made on
        the fly, which is faster than its ``cell_id`` operation. No raster values are read.
        """
        wkbs, positions = polygon_wkbs(geometries, grid, name=name)
        return cls.from_wkb(wkbs, positions, len(geometries), grid)

    @classmethod
    def from_wkb(
        cls, wkbs: np.ndarray, positions: np.ndarray, n_units: int, grid: Grid
    ) -> CoverageMatrix:
        """The coverage fractions of ``grid``'s cells by polygons given as WKB in its CRS
        (:func:`polygon_wkbs`): row ``positions[j]`` of the ``n_units`` rows is the polygon
        ``wkbs[j]``, the other rows are empty. A block of rows of a grid (:meth:`Grid.rows`)
        gets the fractions of the whole grid's cells, exactextract clipping to it."""
        _require_north_up(grid)
        n_cells = grid.height * grid.width
        lengths = np.zeros(n_units, dtype=np.int64)
        cell_ids: list[np.ndarray] = []
        fractions: list[np.ndarray] = []
        if len(positions):
            features = _WKBFeatureSource(wkbs, positions)
            results = exact_extract(
                _CellIdSource(grid), features, ["values", "coverage"], include_cols=[_UNIT_FIELD]
            )
            # Rows must follow the input order; exactextract returns one result per feature.
            for result in sorted(results, key=lambda r: r["properties"][_UNIT_FIELD]):
                properties = result["properties"]
                lengths[properties[_UNIT_FIELD]] = len(properties["values"])
                cell_ids.append(properties["values"])
                fractions.append(properties["coverage"])

        nnz = int(lengths.sum())
        index_dtype = _index_dtype(n_cells, nnz)
        indptr = np.zeros(n_units + 1, dtype=index_dtype)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.concatenate(cell_ids, dtype=index_dtype) if cell_ids else indptr[:0]
        data = np.concatenate(fractions) if fractions else np.zeros(0)
        matrix = scipy.sparse.csr_array((data, indices, indptr), shape=(n_units, n_cells))
        return cls(matrix, grid)

    @property
    def n_units(self) -> int:
        return self.matrix.shape[0]

    def _require_on_grid(self, raster: Raster) -> None:
        if not self.grid.same_as(raster.grid):
            theirs, ours = raster.grid, self.grid
            raise GridMismatchError(
                f"{raster.name} is not on the grid the units were overlaid on "
                f"({theirs.crs}, {theirs.shape}, {tuple(theirs.transform)[:6]} vs "
                f"{ours.crs}, {ours.shape}, {tuple(ours.transform)[:6]}); warp it onto that "
                f"grid, e.g. {warp_command(ours)}, or build a CoverageMatrix for its grid."
            )

    def _filled_values(self, raster: Raster) -> np.ndarray:
        """Flat cell values with nodata (and NaN) as 0, without copying when nothing is missing."""
        valid = raster.valid_mask()
        if valid.all():
            return raster.data.ravel()
        return np.where(valid, raster.data, 0).ravel()

    def sum(self, raster: Raster) -> np.ndarray:
        """Coverage-weighted sum of a raster over each unit.

        .. math:: S_i = \\sum_k c_{ik} \\, x_k

        with nodata and NaN cells counted as 0 (exactextract's ``sum`` skips them, which is
        the same). Source: exactextract ``sum``.

        Parameters
        ----------
        raster : Raster
            Values on ``self.grid``.

        Returns
        -------
        numpy.ndarray
            float64, one sum per unit (0 for empty units).

        Raises
        ------
        GridMismatchError
            If the raster is not on the grid the matrix was built for.
        """
        self._require_on_grid(raster)
        # scipy accumulates in float64 whatever the raster's dtype.
        return self.matrix @ self._filled_values(raster)

    def weighted_mean(self, values: Raster, weights: Raster) -> tuple[np.ndarray, np.ndarray]:
        """Numerator and denominator of the coverage- and weight-weighted mean of a raster.

        .. math::
            N_i = \\sum_k c_{ik} \\, w_k \\, v_k , \\qquad D_i = \\sum_k c_{ik} \\, w_k ,
            \\qquad \\bar v_i = N_i / D_i

        over the cells where ``values`` has data (cells where ``values`` is nodata are left out
        of both; nodata weights count as 0). This is the population-weighted mean of SDG
        11.6.2 (UN SDG metadata 11.6.2: Σ(P·C)/ΣP) and exactextract's ``weighted_mean``;
        keeping N and D lets higher levels add them up before dividing.

        Parameters
        ----------
        values : Raster
            The quantity to average (e.g. PM2.5 concentration).
        weights : Raster
            The weights (e.g. population), on the same grid.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Numerator and denominator per unit, float64.
        """
        self._require_on_grid(values)
        self._require_on_grid(weights)
        valid_values = values.valid_mask()
        masked_weights = np.where(valid_values & weights.valid_mask(), weights.data, 0)
        masked_weights = masked_weights.astype(np.float64, copy=False).ravel()
        products = masked_weights * np.where(valid_values, values.data, 0).ravel()
        return self.matrix @ products, self.matrix @ masked_weights

    def covered_cells(self, unit_index: int) -> tuple[np.ndarray, np.ndarray]:
        """Flat cell ids (``row * width + col``) and coverage fractions of one unit."""
        if not -self.n_units <= unit_index < self.n_units:
            raise IndexError(f"unit_index {unit_index} is out of range for {self.n_units} units")
        unit_index %= self.n_units
        start, stop = self.matrix.indptr[unit_index], self.matrix.indptr[unit_index + 1]
        return self.matrix.indices[start:stop].copy(), self.matrix.data[start:stop].copy()


def equal_area_km2(geometries: geopandas.GeoSeries) -> np.ndarray:
    """Area of each geometry in km², measured on the WGS 84 ellipsoid.

    The vertices are taken to longitude and latitude on WGS 84 (EPSG:4326) and every ring is
    measured as a geodesic polygon, the exact area enclosed by the shortest lines on the
    ellipsoid between consecutive vertices (Karney 2013; computed by ``pyproj.Geod``):

    .. math:: A_i = \\big(\\sum_{\\text{exteriors}} |S_r|
              - \\sum_{\\text{holes}} |S_r|\\big) / 10^6 ,

    with :math:`S_r` the signed geodesic area of ring *r*. Nothing is projected, so no
    projection's distortion enters, at any latitude: a ring whose vertices cross ±180° (179°,
    −179°) is measured across the antimeridian, and a unit split into two polygons there
    measures the sum of its halves. A unit's area does not depend on the CRS of its file.

    Parameters
    ----------
    geometries : geopandas.GeoSeries
        Polygons in any CRS that can be taken to EPSG:4326.

    Returns
    -------
    numpy.ndarray
        float64 areas in km²; 0 for empty or missing geometries and for points and lines.

    Raises
    ------
    CRSError
        If the series has no CRS, or a vertex has no longitude and latitude (it lies outside
        the area where its CRS is defined).
    """
    _require_crs(geometries, "The geometries")
    areas = np.zeros(len(geometries), dtype=np.float64)
    rings, owners, exterior = _polygon_rings(geometries.to_numpy())
    if len(rings) == 0:
        return areas
    counts = shapely.get_num_coordinates(rings)
    xy = shapely.get_coordinates(rings)
    lonlat = xy
    if ProjCRS.from_user_input(geometries.crs) != _WGS84_LONLAT:
        to_lonlat = Transformer.from_crs(geometries.crs, _WGS84_LONLAT, always_xy=True)
        lonlat = np.column_stack(to_lonlat.transform(xy[:, 0], xy[:, 1]))
    unplaced = np.flatnonzero(~np.isfinite(lonlat).all(axis=1))
    if len(unplaced):
        x, y = xy[unplaced[0]]
        raise CRSError(
            f"Geometry {np.repeat(owners, counts)[unplaced[0]]} has a vertex ({x:.10g}, {y:.10g}) "
            f"that {geometries.crs} cannot place on the Earth, so its area cannot be measured; "
            "check that the layer's CRS is the one its coordinates were drawn in."
        )
    ring_m2 = _ring_areas_m2(lonlat, counts)
    np.add.at(areas, owners, np.where(exterior, ring_m2, -ring_m2) / 1e6)
    return areas


def _polygon_rings(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ring of every polygon in ``geometries``, its owner's position and whether it is
    an exterior ring (the first ring of each polygon); points and lines have no ring."""
    parts, owners = geometries, np.arange(len(geometries))
    while True:
        multi = np.isin(shapely.get_type_id(parts), _MULTI_TYPE_IDS)
        if not multi.any():
            break
        inner, where = shapely.get_parts(parts[multi], return_index=True)
        parts = np.concatenate([parts[~multi], inner])
        owners = np.concatenate([owners[~multi], owners[multi][where]])
    rings, polygon = shapely.get_rings(parts, return_index=True)
    exterior = np.r_[True, polygon[1:] != polygon[:-1]] if len(rings) else np.zeros(0, bool)
    return rings, owners[polygon], exterior


def _ring_areas_m2(lonlat: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Unsigned geodesic area in m² of each ring, ``counts`` vertices each in ``lonlat``."""
    ends = np.cumsum(counts)
    return np.abs(
        [
            _WGS84.polygon_area_perimeter(
                lonlat[end - count : end, 0], lonlat[end - count : end, 1]
            )[0]
            for end, count in zip(ends, counts, strict=True)
        ]
    )
