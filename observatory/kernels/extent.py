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

Everything works with ``scipy.ndimage`` (correlation with a disc footprint, Euclidean
distance transform, connected-component labelling); no loop visits cells. The built-up grid
is read a band of rows at a time (each with the rows its circle or fringe reaches above and
below it, so the results are those of the whole grid, bit for bit); what is whole is compact:
the uint8 codes, a few boolean masks and the int32 labels of the groups of open cells.

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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from observatory.errors import ParameterError
from observatory.kernels.grid import Grid, Raster, row_blocks

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
class BuiltUpGrid:
    """The built-up m² of every cell of a grid and the cells with data, a band of rows at a
    time.

    ``read(start, stop)`` gives, for rows ``start`` to ``stop`` (excluded), the float64
    built-up m² (0 where there is no data) and the boolean cells with data. Made from a
    raster (:meth:`of_raster`: a :class:`~observatory.kernels.grid.Raster` or a
    :class:`~observatory.kernels.grid.RasterFile`, read by windows) or from arrays in memory
    (:meth:`of_arrays`).
    """

    grid: Grid
    read: Callable[[int, int], tuple[np.ndarray, np.ndarray]]

    @classmethod
    def of_raster(cls, built, *, value_kind: str = "m2") -> BuiltUpGrid:
        """The :func:`built_up_m2` of ``built``'s windows and their cells with data."""
        built.grid.require_projected(built.name)
        require_value_kind(value_kind)

        def read(start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
            window = built.window(start, stop)
            return built_up_m2(window, value_kind=value_kind), window.valid_mask()

        return cls(built.grid, read)

    @classmethod
    def of_arrays(cls, built_m2: np.ndarray, grid: Grid, valid: np.ndarray) -> BuiltUpGrid:
        """Built-up m² and cells with data given whole (the m² of cells without data as 0)."""

        def read(start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
            rows = slice(start, stop)
            return np.where(valid[rows], built_m2[rows], 0.0), valid[rows]

        return cls(grid, read)


@dataclass(frozen=True)
class UrbanExtent:
    """The urban extent of one date, cell by cell.

    Attributes
    ----------
    codes : numpy.ndarray
        uint8 cell codes (:data:`URBAN_BUILT_UP`, ..., :data:`NO_DATA`) of the whole grid.
    built : BuiltUpGrid
        The built-up m² the extent was drawn from, read again for :meth:`extent_m2`.
    """

    codes: np.ndarray
    built: BuiltUpGrid

    @property
    def grid(self) -> Grid:
        return self.built.grid

    @property
    def cells(self) -> np.ndarray:
        """Cells with some land in the extent (urban, suburban, fringe or captured)."""
        return np.isin(self.codes, EXTENT_CODES)

    def extent_m2(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """m² inside the urban extent of the cells of rows ``start`` to ``stop`` (excluded;
        the whole grid by default): the cell's area for urban and suburban cells, its open m²
        (area − built-up m²) for fringe and captured cells, 0 otherwise."""
        stop = self.grid.height if stop is None else stop
        codes = self.codes[start:stop]
        built, _ = self.built.read(start, stop)
        area = self.grid.cell_area
        urbanised = (codes == URBAN_BUILT_UP) | (codes == SUBURBAN_BUILT_UP)
        opened = (codes == FRINGE_OPEN_SPACE) | (codes == CAPTURED_OPEN_SPACE)
        return np.where(urbanised, area, np.where(opened, area - built, 0.0))


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
    require_value_kind(value_kind)
    values = built.filled(0.0)
    if value_kind == "share":
        values = values * built.grid.cell_area
    return np.clip(values, 0.0, built.grid.cell_area)


def require_value_kind(value_kind: str) -> None:
    """ParameterError unless ``value_kind`` is "m2" or "share" (:func:`built_up_m2`)."""
    if value_kind not in ("m2", "share"):
        raise ParameterError(
            f"value_kind = {value_kind!r} is not known; use 'm2' (m² of built-up surface per "
            "cell, as GHSL BUILT-S) or 'share' (0-1)."
        )


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


def _with_halo(grid: Grid, start: int, stop: int, halo: int) -> tuple[int, int]:
    """Rows ``start`` to ``stop`` widened by ``halo`` rows each side, within the grid."""
    return max(0, start - halo), min(grid.height, stop + halo)


def _built_up_codes(
    built: BuiltUpGrid, radius_m: float, urban_share: float, suburban_share: float
) -> np.ndarray:
    """Codes urban, suburban and rural built-up (by the cell's circle share), rural open
    space and no data of every cell, a band of rows at a time.

    Each band is read with the rows of the walking circle above and below it, so its circle
    shares are those of the whole grid, bit for bit.
    """
    grid = built.grid
    halo = walking_circle(grid, radius_m=radius_m).shape[0] // 2
    codes = np.empty(grid.shape, dtype=np.uint8)
    for start, stop in row_blocks(grid):
        low, high = _with_halo(grid, start, stop, halo)
        built_m2, valid = built.read(low, high)
        share = circle_share(built_m2, grid, valid, radius_m=radius_m)
        inner = slice(start - low, stop - low)
        has_built, share = built_m2[inner] > 0, share[inner]
        band = np.where(valid[inner], RURAL_OPEN_SPACE, NO_DATA).astype(np.uint8)
        band[has_built] = RURAL_BUILT_UP
        band[has_built & (share >= suburban_share)] = SUBURBAN_BUILT_UP
        band[has_built & (share > urban_share)] = URBAN_BUILT_UP
        codes[start:stop] = band
    return codes


def _fringe(codes: np.ndarray, urbanised: np.ndarray, grid: Grid, fringe_m: float) -> np.ndarray:
    """Cells with data, not urbanised, whose centre is at most ``fringe_m`` from the centre
    of an urbanised cell.

    The distances are taken band by band of rows, each with the rows within ``fringe_m``
    above and below it: a cell's nearest urbanised cell within ``fringe_m`` is always among
    them, so the cells found are those of the whole grid's distance transform.
    """
    fringe = np.zeros(grid.shape, dtype=bool)
    halo = int(fringe_m // grid.cell_height) + 1
    for start, stop in row_blocks(grid):
        low, high = _with_halo(grid, start, stop, halo)
        near = urbanised[low:high]
        if not near.any():
            continue
        distance = ndimage.distance_transform_edt(
            ~near, sampling=(grid.cell_height, grid.cell_width)
        )[start - low : stop - low]
        rows = slice(start, stop)
        fringe[rows] = (codes[rows] != NO_DATA) & ~urbanised[rows] & (distance <= fringe_m)
    return fringe


def _captured_groups(
    outside: np.ndarray, codes: np.ndarray, built: BuiltUpGrid, captured_max_ha: float
) -> np.ndarray:
    """Cells of the 4-connected groups of ``outside`` that are enclosed and small enough.

    A group touching the grid's edge or a cell without data (code :data:`NO_DATA`) could go
    on beyond what is known, so it is not captured; the others are captured when their open
    land is < the limit. The groups are labelled on the whole grid (int32); their open m²
    are added a band of rows at a time, in the order of the cells (as ``numpy.bincount``
    adds them), and the cells next to no data are found band by band.
    """
    groups, n_groups = ndimage.label(outside, structure=_ROOK)
    if not n_groups:
        return np.zeros(outside.shape, dtype=bool)
    grid = built.grid
    open_m2 = np.zeros(n_groups + 1)
    open_ended = np.zeros(n_groups + 1, dtype=bool)
    for edge in (groups[0], groups[-1], groups[:, 0], groups[:, -1]):
        open_ended[edge] = True
    for start, stop in row_blocks(grid):
        built_m2, valid = built.read(start, stop)
        band = groups[start:stop]
        np.add.at(open_m2, band.ravel(), np.where(valid, grid.cell_area - built_m2, 0.0).ravel())
        low, high = _with_halo(grid, start, stop, 1)
        no_data_near = ndimage.binary_dilation(codes[low:high] == NO_DATA, structure=_ROOK)
        open_ended[band[no_data_near[start - low : stop - low]]] = True
    captured = open_m2 / 1e4 < captured_max_ha
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


def extent_of_built_up(
    built: BuiltUpGrid,
    *,
    radius_m: float = 564.0,
    urban_share: float = 0.5,
    suburban_share: float = 0.25,
    fringe_m: float = 100.0,
    captured_max_ha: float = 200.0,
) -> UrbanExtent:
    """The Atlas of Urban Expansion urban extent of a grid of built-up m² (module docstring).

    Parameters
    ----------
    built : BuiltUpGrid
        Built-up m² per cell and cells with data, on a projected grid in metres; read a band
        of rows at a time (:func:`~observatory.kernels.grid.row_blocks`).
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

    Returns
    -------
    UrbanExtent
        Its codes are the only array of the grid's size it keeps (uint8); on the way, a few
        boolean masks of the grid and the int32 labels of the open groups are made, never a
        float array of the whole grid.
    """
    _check_extent_parameters(urban_share, suburban_share, fringe_m, captured_max_ha)
    grid = built.grid
    grid.require_projected("the built-up grid")
    codes = _built_up_codes(built, radius_m, urban_share, suburban_share)
    urbanised = (codes == URBAN_BUILT_UP) | (codes == SUBURBAN_BUILT_UP)
    fringe = _fringe(codes, urbanised, grid, fringe_m)
    outside = (codes != NO_DATA) & ~urbanised & ~fringe
    del urbanised
    codes[fringe] = FRINGE_OPEN_SPACE
    del fringe
    codes[_captured_groups(outside, codes, built, captured_max_ha)] = CAPTURED_OPEN_SPACE
    return UrbanExtent(codes=codes, built=built)


def urban_extent(
    built_m2: np.ndarray,
    grid: Grid,
    *,
    valid: np.ndarray | None = None,
    **extent_parameters: float,
) -> UrbanExtent:
    """:func:`extent_of_built_up` of built-up m² given as an array of ``grid``'s shape.

    ``valid`` marks the cells with data (all cells by default); ``extent_parameters`` are
    those of :func:`extent_of_built_up`.
    """
    valid = np.ones(built_m2.shape, dtype=bool) if valid is None else valid
    return extent_of_built_up(BuiltUpGrid.of_arrays(built_m2, grid, valid), **extent_parameters)
