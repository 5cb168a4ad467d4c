"""The urban extent of the Atlas of Urban Expansion on a continuous built-up grid.

The Atlas (Angel et al. 2016, ch. 3) classifies 30 m Landsat pixels that are either built-up
or open. A GHSL-style grid gives instead the built-up m² of every cell (0 to the cell's area),
so each cell holds some built-up land and some open land. Observatory applies the Atlas's
rules to those m² without rounding a cell to built or open:

- the walking-circle share of a cell is the built-up m² in its circle of 1 km² over the m²
  of the cells with data in the circle;
- the built-up m² of a cell are *urban* (share > 50 %), *suburban* (25-50 %) or *rural*
  (< 25 %), all by the cell's own share;
- a cell holding urban or suburban built-up m² is *urbanised*: all of it is in the extent
  (its open m² lie within about 100 m of that built-up land: fringe open space);
- the open m² of a cell whose centre is within 100 m of the centre of an urbanised cell are
  *fringe open space*;
- the open m² of a 4-connected group of the remaining cells, enclosed by urbanised and fringe
  cells (it touches neither the grid's edge nor a cell without data) and holding less than
  200 ha of open land, are *captured open space*;
- the urban extent is the urban and suburban built-up m² plus the fringe and captured open
  m²; rural built-up m² are outside it, wherever they lie.

Everything works on whole grids with ``scipy.ndimage`` (correlation with a disc footprint,
Euclidean distance transform, connected-component labelling); no loop visits cells.

Sources
-------
- S. Angel, A. M. Blei, J. Parent, P. Lamson-Hall, N. Galarza Sánchez et al. (2016), *Atlas of
  Urban Expansion — 2016 Edition, Vol. 1: Areas and Densities*, ch. 3. NYU / UN-Habitat /
  Lincoln Institute: urban / suburban / rural built-up at > 50 % / 25-50 % / < 25 % built-up in
  the walking-distance circle of 1 km²; fringe open space within 100 m of urban and suburban
  built-up; captured open space under 200 ha; urban extent = urban + suburban built-up +
  fringe + captured open space.
- ``lbarleta/urban-footprint``: the same scheme in code (radius 564 m, limits 0.25 and 0.5,
  fringe 100 m, captured 200 ha).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from observatory.errors import ParameterError
from observatory.kernels.grid import Grid, Raster

#: Cell codes of :class:`UrbanExtent` (what a cell holds).
RURAL_OPEN_SPACE = 0  #: no built-up, outside the extent
URBAN_BUILT_UP = 1  #: urban built-up m² (and fringe open m²)
SUBURBAN_BUILT_UP = 2  #: suburban built-up m² (and fringe open m²)
RURAL_BUILT_UP = 3  #: rural built-up m², outside the extent
FRINGE_OPEN_SPACE = 4  #: fringe open m² (and any rural built-up m²)
CAPTURED_OPEN_SPACE = 5  #: captured open m² (and any rural built-up m²)
NO_DATA = 255
EXTENT_CODES = (URBAN_BUILT_UP, SUBURBAN_BUILT_UP, FRINGE_OPEN_SPACE, CAPTURED_OPEN_SPACE)

_ROOK = ndimage.generate_binary_structure(2, 1)


@dataclass(frozen=True)
class UrbanExtent:
    """The urban extent of one date, cell by cell.

    Attributes
    ----------
    codes : numpy.ndarray
        uint8 cell codes (:data:`URBAN_BUILT_UP`, ..., :data:`NO_DATA`).
    extent_m2 : numpy.ndarray
        m² of the cell inside the urban extent: the cell's area for urban and suburban cells,
        its open m² (area − built-up m²) for fringe and captured cells, 0 otherwise.
    circle_share : numpy.ndarray
        Built-up share of the walking circle of every cell (0-1).
    grid : Grid
    """

    codes: np.ndarray
    extent_m2: np.ndarray
    circle_share: np.ndarray
    grid: Grid

    @property
    def cells(self) -> np.ndarray:
        """Cells with some land in the extent (urban, suburban, fringe or captured)."""
        return np.isin(self.codes, EXTENT_CODES)

    def extent_raster(self) -> Raster:
        """:attr:`extent_m2` as a raster, ready for zonal sums."""
        return Raster(self.extent_m2, self.grid, nodata=None, name="urban extent (m²)")


def require_fraction(name: str, value: float, *, allow_zero: bool) -> None:
    """ParameterError unless ``value`` is a share in [0, 1] (or (0, 1])."""
    low_ok = value >= 0 if allow_zero else value > 0
    if not (low_ok and value <= 1):
        bound = "[0, 1]" if allow_zero else "(0, 1]"
        raise ParameterError(f"{name} = {value!r} must be a share in {bound}, e.g. 0.5.")


def require_non_negative(name: str, value: float) -> None:
    """ParameterError unless ``value`` >= 0."""
    if not value >= 0:
        raise ParameterError(f"{name} = {value!r} must be zero or positive.")


def built_up_m2(built: Raster, *, value_kind: str = "m2") -> np.ndarray:
    """Built-up m² of every cell, clipped to [0, cell area]; 0 where there is no data.

    ``value_kind`` "m2" reads m² of built-up surface per cell (GHSL BUILT-S); "share" reads a
    0-1 share and multiplies it by the cell's area.
    """
    built.grid.require_projected(built.name)
    if value_kind == "m2":
        values = built.filled(0.0)
    elif value_kind == "share":
        values = built.filled(0.0) * built.grid.cell_area
    else:
        raise ParameterError(
            f"value_kind = {value_kind!r} is not known; use 'm2' (m² of built-up surface per "
            "cell, as GHSL BUILT-S) or 'share' (0-1)."
        )
    return np.clip(values, 0.0, built.grid.cell_area)


def walking_circle(grid: Grid, *, radius_m: float) -> np.ndarray:
    """Footprint of the cells whose centres lie within ``radius_m`` of a cell's centre.

    With 100 m cells and r = 564 m (a circle of 1 km², Angel et al. 2016) it holds 97 cells.
    """
    if not radius_m > 0:
        raise ParameterError(f"radius_m = {radius_m!r} must be positive, e.g. 564.0.")
    half_rows = int(radius_m // grid.cell_height)
    half_cols = int(radius_m // grid.cell_width)
    rows, cols = np.ogrid[-half_rows : half_rows + 1, -half_cols : half_cols + 1]
    return (rows * grid.cell_height) ** 2 + (cols * grid.cell_width) ** 2 <= radius_m**2


def circle_share(
    built_m2: np.ndarray, grid: Grid, valid: np.ndarray, *, radius_m: float
) -> np.ndarray:
    """Σ built-up m² / Σ cell m² over the cells with data of every cell's walking circle.

    Cells outside the grid or without data are left out of both sums.
    """
    circle = walking_circle(grid, radius_m=radius_m).astype(np.float64)
    built = ndimage.correlate(np.where(valid, built_m2, 0.0), circle, mode="constant", cval=0.0)
    land = ndimage.correlate(valid * grid.cell_area, circle, mode="constant", cval=0.0)
    return np.divide(built, land, out=np.zeros(built.shape), where=land > 0)


def _captured_groups(
    outside: np.ndarray, open_m2: np.ndarray, valid: np.ndarray, captured_max_ha: float
) -> np.ndarray:
    """Cells of the 4-connected groups of ``outside`` that are enclosed and small enough.

    A group touching the grid's edge or a cell without data could go on beyond what is known,
    so it is not captured; the others are captured when their open land is < the limit.
    """
    groups, n_groups = ndimage.label(outside, structure=_ROOK)
    if not n_groups:
        return np.zeros(outside.shape, dtype=bool)
    sizes_ha = np.bincount(groups.ravel(), weights=open_m2.ravel(), minlength=n_groups + 1) / 1e4
    next_to_no_data = ndimage.binary_dilation(~valid, structure=_ROOK)
    open_ended = np.unique(
        np.concatenate(
            [groups[0], groups[-1], groups[:, 0], groups[:, -1], groups[next_to_no_data]]
        )
    )
    captured = sizes_ha < captured_max_ha
    captured[open_ended] = False
    captured[0] = False  # label 0: the cells that are not outside
    return captured[groups]


def _check_extent_parameters(
    urban_share: float, suburban_share: float, fringe_m: float, captured_max_ha: float
) -> None:
    require_fraction("urban_share", urban_share, allow_zero=True)
    require_fraction("suburban_share", suburban_share, allow_zero=True)
    if suburban_share > urban_share:
        raise ParameterError(
            f"suburban_share = {suburban_share!r} is above urban_share = {urban_share!r}; "
            "the Atlas of Urban Expansion uses 0.25 and 0.5."
        )
    require_non_negative("fringe_m", fringe_m)
    require_non_negative("captured_max_ha", captured_max_ha)


def urban_extent(
    built_m2: np.ndarray,
    grid: Grid,
    *,
    radius_m: float = 564.0,
    urban_share: float = 0.5,
    suburban_share: float = 0.25,
    fringe_m: float = 100.0,
    captured_max_ha: float = 200.0,
    valid: np.ndarray | None = None,
) -> UrbanExtent:
    """The Atlas of Urban Expansion urban extent of a grid of built-up m² (module docstring).

    Parameters
    ----------
    built_m2 : numpy.ndarray
        Built-up m² per cell (:func:`built_up_m2`).
    grid : Grid
        The projected grid of ``built_m2``, in metres.
    radius_m : float
        Radius of the walking circle; Atlas: 564 m (1 km²).
    urban_share, suburban_share : float
        Urban when the circle share is > ``urban_share``; suburban when it is from
        ``suburban_share`` to ``urban_share`` inclusive; Atlas: 0.5 and 0.25.
    fringe_m : float
        Fringe open space: cell centres at most this far from an urbanised cell's centre
        (with 100 m cells and 100 m, its four side neighbours); Atlas: 100 m.
    captured_max_ha : float
        Captured open space holds less open land than this; Atlas: 200 ha.
    valid : numpy.ndarray, optional
        Cells with data; all cells by default.

    Returns
    -------
    UrbanExtent
    """
    _check_extent_parameters(urban_share, suburban_share, fringe_m, captured_max_ha)
    grid.require_projected("the built-up grid")
    valid = np.ones(built_m2.shape, dtype=bool) if valid is None else valid
    built = np.where(valid, built_m2, 0.0)
    share = circle_share(built, grid, valid, radius_m=radius_m)

    codes = np.full(built.shape, RURAL_OPEN_SPACE, dtype=np.uint8)
    has_built = built > 0
    codes[has_built] = RURAL_BUILT_UP
    codes[has_built & (share >= suburban_share)] = SUBURBAN_BUILT_UP
    codes[has_built & (share > urban_share)] = URBAN_BUILT_UP
    urbanised = (codes == URBAN_BUILT_UP) | (codes == SUBURBAN_BUILT_UP)

    fringe = np.zeros(built.shape, dtype=bool)
    if urbanised.any():
        distance = ndimage.distance_transform_edt(
            ~urbanised, sampling=(grid.cell_height, grid.cell_width)
        )
        fringe = valid & ~urbanised & (distance <= fringe_m)
    codes[fringe] = FRINGE_OPEN_SPACE

    open_m2 = np.where(valid, grid.cell_area - built, 0.0)
    captured = _captured_groups(valid & ~urbanised & ~fringe, open_m2, valid, captured_max_ha)
    codes[captured] = CAPTURED_OPEN_SPACE
    codes[~valid] = NO_DATA

    extent_m2 = np.where(urbanised, grid.cell_area, np.where(fringe | captured, open_m2, 0.0))
    return UrbanExtent(codes=codes, extent_m2=extent_m2, circle_share=share, grid=grid)
