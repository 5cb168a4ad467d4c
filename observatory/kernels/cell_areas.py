"""The true area of the cells of a grid, on the WGS 84 ellipsoid.

A raster of m² per cell (GHSL BUILT-S, GHSL LAND) measures each cell as its nominal area,
the cell's width × height in the grid's CRS. That is the area on the ground only in a
projection that keeps areas on the ellipsoid. GHSL's ESRI:54009 does not: PROJ computes
Mollweide on a sphere of radius *a* (the ellipsoid's semi-major axis) with the geodetic
latitude taken as the sphere's, so a cell's area on the ellipsoid is its nominal area ×
(1 − e²) / (1 − e² sin² φ)²: 0.25 % less at 34° N, 0.14 % more at 51° N, 0.52 % more at
70° N. PROJ's own scale factors (``pyproj.Proj.get_factors``) report an areal scale of 1
there, since they are computed on that sphere, so they cannot correct it.

:func:`cell_areas_m2` measures every cell instead: its corners are taken to the Lambert
cylindrical equal-area projection of WGS 84 (``+proj=cea +datum=WGS84``), which keeps areas
on the ellipsoid exactly, and the quadrilateral they make is measured there. Edges straight
in the grid's CRS are then straight in the equal-area plane; for cells of a few kilometres
or less the two differ by less than 1e-7 of the cell's area (tested against
``pyproj.Geod`` on densified cells). Grids whose rows are parallels with equally spaced
meridians (Mollweide, sinusoidal, Eckert, Equal Earth, every cylindrical projection) have one
area per row, so one column of cells is measured; other grids (UTM, Lambert, LAEA) have every
cell measured, by blocks of rows.

Sources
-------
- J. P. Snyder (1987), *Map Projections: A Working Manual*, USGS Professional Paper 1395:
  the cylindrical equal-area projection on the ellipsoid (pp. 81–82) and Mollweide on the
  sphere (pp. 249–252).
"""

from __future__ import annotations

import functools

import numpy as np
from pyproj import CRS, Transformer

from observatory.kernels.grid import Grid

#: Lambert cylindrical equal-area on WGS 84: areas in it are areas on the ellipsoid.
_EQUAL_AREA_PLANE = CRS.from_proj4("+proj=cea +datum=WGS84 +units=m +no_defs +type=crs")
_LONLAT = CRS.from_epsg(4326)
#: Rows of cells measured at once on a grid whose cells differ along each row.
_ROW_BLOCK = 256
#: Degrees within which sampled latitudes (longitude steps) count as equal.
_SAME_DEGREES = 1e-9


def cell_areas_m2(grid: Grid, rows: tuple[int, int] | None = None) -> np.ndarray:
    """The area in m² on the WGS 84 ellipsoid of every cell of a projected grid.

    Parameters
    ----------
    grid : Grid
        A north-up grid in a projected CRS.
    rows : (int, int), optional
        Only the rows ``start`` to ``stop`` (excluded), as measured for the whole grid (a
        block of rows, :func:`~observatory.kernels.grid.row_blocks`).

    Returns
    -------
    numpy.ndarray
        float64 m², broadcastable to ``grid.shape`` (to ``(stop - start, width)`` with
        ``rows``): shape ``(height, 1)`` when every cell of a row has the same area (the
        rows are parallels with equally spaced meridians, as in ESRI:54009), else
        ``grid.shape``. A cell outside the area where its CRS is
        defined has area 0 when cells are measured one by one; with one area per row, it
        has its row's (such cells, beyond the edge of a world Mollweide grid, hold no data).

    Notes
    -----
    Each cell's four corners are projected to the cylindrical equal-area plane of WGS 84
    (Snyder 1987, pp. 81–82), their longitudes unwrapped across ±180°, and the quadrilateral
    measured by the shoelace formula.
    """
    transform = grid.transform
    first, last = (0, grid.height) if rows is None else rows
    if _rows_have_one_area(grid):
        # A few columns, so that each row has one inside the CRS's domain (0 outside).
        columns = transform.c + transform.a * np.minimum(_sample_columns(grid), grid.width - 1)
        edges = transform.f + transform.e * np.arange(first, last + 1)
        areas = _quadrilateral_areas(grid.crs, columns, edges, transform.a, joined=False)
        return areas.max(axis=1, keepdims=True)
    columns = transform.c + transform.a * np.arange(grid.width)
    areas = np.empty((last - first, grid.width))
    for start in range(first, last, _ROW_BLOCK):
        stop = min(start + _ROW_BLOCK, last)
        edges = transform.f + transform.e * np.arange(start, stop + 1)
        areas[start - first : stop - first] = _quadrilateral_areas(
            grid.crs, columns, edges, transform.a
        )
    return areas


def _quadrilateral_areas(
    crs, left_edges: np.ndarray, row_edges: np.ndarray, cell_width: float, *, joined=True
) -> np.ndarray:
    """Areas (m²) of the cells whose left edges are ``left_edges`` between consecutive
    ``row_edges``: shape ``(len(row_edges) - 1, len(left_edges))``.

    ``joined``: the cells are side by side (each one's right edge is the next one's left
    edge), so their corners are shared.
    """
    to_plane = _transformer(crs.to_wkt(), _EQUAL_AREA_PLANE.to_wkt())
    if joined:
        xs = np.concatenate([left_edges, left_edges[-1:] + cell_width])
    else:
        xs = np.column_stack([left_edges, left_edges + cell_width]).ravel()
    grid_x, grid_y = np.meshgrid(xs, row_edges)
    plane_x, plane_y = (np.asarray(v) for v in to_plane.transform(grid_x, grid_y))
    if not joined:
        return _shoelace(plane_x[:, 0::2], plane_x[:, 1::2], plane_y[:, 0::2], plane_y[:, 1::2])
    return _shoelace(plane_x[:, :-1], plane_x[:, 1:], plane_y[:, :-1], plane_y[:, 1:])


def _shoelace(
    left_x: np.ndarray, right_x: np.ndarray, left_y: np.ndarray, right_y: np.ndarray
) -> np.ndarray:
    """Area of each quadrilateral from the left and right corners of consecutive row edges
    (arrays of shape ``(rows + 1, cells)``), with longitudes unwrapped across ±180°."""
    half_turn = np.pi * _EQUAL_AREA_PLANE.ellipsoid.semi_major_metre
    x0, y0 = left_x[:-1], left_y[:-1]
    x1, y1 = right_x[:-1], right_y[:-1]
    x2, y2 = right_x[1:], right_y[1:]
    x3, y3 = left_x[1:], left_y[1:]
    # Corners PROJ cannot place are inf: their cells get no area, without a warning.
    with np.errstate(invalid="ignore"):
        # Across ±180°: every corner measured from the first, within half a turn of it.
        x1, x2, x3 = (np.mod(x - x0 + half_turn, 2 * half_turn) - half_turn for x in (x1, x2, x3))
        area = 0.5 * np.abs(-x2 * (y1 - y3) - (x1 - x3) * (y0 - y2))
    return np.where(np.isfinite(area), area, 0.0)


def _sample_columns(grid: Grid) -> np.ndarray:
    """Nine column edges spread over the grid (fewer on a narrow grid)."""
    return np.unique(np.linspace(0, grid.width, 9).round())


def _rows_have_one_area(grid: Grid) -> bool:
    """True when sampled row edges are parallels crossed by equally spaced meridians.

    Corners outside the CRS's domain (beyond the edge of a world Mollweide grid) are left
    out of the sample; a row edge with fewer than three corners inside is not used.
    """
    transform = grid.transform
    columns = _sample_columns(grid)
    rows = np.unique(np.linspace(0, grid.height, 5).round())
    to_lonlat = _transformer(grid.crs.to_wkt(), _LONLAT.to_wkt())
    grid_x, grid_y = np.meshgrid(
        transform.c + transform.a * columns, transform.f + transform.e * rows
    )
    lon, lat = (np.asarray(v) for v in to_lonlat.transform(grid_x, grid_y))
    checked = 0
    for row_lon, row_lat in zip(lon, lat, strict=True):
        placed = np.isfinite(row_lon) & np.isfinite(row_lat)
        if placed.sum() < 3:
            continue
        steps = np.diff(np.unwrap(row_lon[placed], period=360.0)) / np.diff(columns[placed])
        if np.ptp(row_lat[placed]) >= _SAME_DEGREES or np.ptp(steps) >= _SAME_DEGREES:
            return False
        checked += 1
    return checked > 0


@functools.lru_cache(maxsize=16)
def _transformer(source_wkt: str, target_wkt: str) -> Transformer:
    """The x/y transformer between two CRSs, made once (a grid measured block by block
    asks for it at every block, and making one takes tens of milliseconds)."""
    return Transformer.from_crs(source_wkt, target_wkt, always_xy=True)
