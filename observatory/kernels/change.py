"""Built-up change: Atlas of Urban Expansion urban extent and the types of new development.

Between two dates t1 and t2, every cell that becomes built-up is classed as

- **infill** (1): inside the urban extent of t1;
- **extension** (2): outside it, in a patch of new built-up cells that touches it;
- **leapfrog** (3): outside it, in a patch that does not touch it.

The urban extent follows the Atlas of Urban Expansion (Angel et al. 2016, ch. 3): each built-up
cell is *urban*, *suburban* or *rural* by the share of built-up cells in its walking-distance
circle of 1 km² (r = 564 m); open cells within 100 m of urban or suburban built-up cells are
*fringe open space*; open areas enclosed by these and smaller than 200 ha are *captured open
space*; the urban extent is urban + suburban built-up + fringe + captured open space.

Everything works on whole grids with ``scipy.ndimage`` (correlation with a disc footprint,
Euclidean distance transform, connected-component labelling); no loop visits cells.

Sources
-------
- S. Angel, A. M. Blei, J. Parent, P. Lamson-Hall, N. Galarza Sánchez et al. (2016), *Atlas of
  Urban Expansion — 2016 Edition, Vol. 1: Areas and Densities*, ch. 3. NYU / UN-Habitat /
  Lincoln Institute. (Urban / suburban / rural built-up at > 50 % / 25-50 % / < 25 % in the
  1 km² circle; fringe open space <= 100 m; captured open space < 200 ha; infill, extension
  and leapfrog.)
- ``lbarleta/urban-footprint``, ``urban_footprint/__init__.py``: the same scheme in code
  (``RADIUS = 564``, class limits 0.25 and 0.5, fringe 100 m, captured 200 ha).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from observatory.errors import ParameterError
from observatory.kernels.grid import Grid, Raster, require_same_grid

#: Urban-extent codes returned by :func:`urban_extent`.
RURAL_OPEN_SPACE = 0
URBAN_BUILT_UP = 1
SUBURBAN_BUILT_UP = 2
RURAL_BUILT_UP = 3
FRINGE_OPEN_SPACE = 4
CAPTURED_OPEN_SPACE = 5
EXTENT_CODES = (URBAN_BUILT_UP, SUBURBAN_BUILT_UP, FRINGE_OPEN_SPACE, CAPTURED_OPEN_SPACE)

#: Expansion codes returned by :func:`expansion_classes`.
NO_NEW_BUILT_UP = 0
INFILL = 1
EXTENSION = 2
LEAPFROG = 3
EXPANSION_NAMES = {INFILL: "infill", EXTENSION: "extension", LEAPFROG: "leapfrog"}

_QUEEN = np.ones((3, 3), dtype=bool)
_ROOK = ndimage.generate_binary_structure(2, 1)


def _require_fraction(name: str, value: float, *, allow_zero: bool) -> None:
    low_ok = value >= 0 if allow_zero else value > 0
    if not (low_ok and value <= 1):
        bound = "[0, 1]" if allow_zero else "(0, 1]"
        raise ParameterError(f"{name} = {value!r} must be a share in {bound}, e.g. 0.5.")


def _require_non_negative(name: str, value: float) -> None:
    if not value >= 0:
        raise ParameterError(f"{name} = {value!r} must be zero or positive.")


def built_up_cells(built: Raster, *, threshold: float, value_kind: str) -> np.ndarray:
    """Which cells count as built-up.

    A cell is built-up when its built-up share ``s`` satisfies ``s >= threshold``, where
    ``s = value / cell_area`` for ``value_kind="m2"`` (GHSL GHS-BUILT-S gives m² of built
    surface per cell) and ``s = value`` for ``value_kind="share"``. Nodata cells are not
    built-up.

    Parameters
    ----------
    built : Raster
        Built-up surface on a projected grid in metres.
    threshold : float
        Share in (0, 1]. The Atlas of Urban Expansion classifies each pixel by its dominant
        cover, so a fractional cell is built-up when at least half of it is: 0.5.
    value_kind : {"m2", "share"}
        What the values are.

    Returns
    -------
    numpy.ndarray
        Boolean array of the grid's shape.
    """
    _require_fraction("built_threshold", threshold, allow_zero=False)
    built.grid.require_projected(built.name)
    if value_kind == "m2":
        shares = built.filled(0.0) / built.grid.cell_area
    elif value_kind == "share":
        shares = built.filled(0.0)
    else:
        raise ParameterError(
            f"value_kind = {value_kind!r} is not known; use 'm2' (m² of built-up surface per "
            "cell, as GHSL BUILT-S) or 'share' (0-1)."
        )
    return shares >= threshold


def walking_circle(grid: Grid, *, radius_m: float) -> np.ndarray:
    """Footprint of the cells whose centres lie within ``radius_m`` of a cell's centre.

    With 100 m cells and r = 564 m (a circle of 1 km², Angel et al. 2016) it holds 97 cells.

    Returns
    -------
    numpy.ndarray
        Boolean footprint of odd size, centred on the middle cell.
    """
    if not radius_m > 0:
        raise ParameterError(f"radius_m = {radius_m!r} must be positive, e.g. 564.0.")
    half_rows = int(radius_m // grid.cell_height)
    half_cols = int(radius_m // grid.cell_width)
    rows, cols = np.ogrid[-half_rows : half_rows + 1, -half_cols : half_cols + 1]
    return (rows * grid.cell_height) ** 2 + (cols * grid.cell_width) ** 2 <= radius_m**2


def urban_extent(
    built: np.ndarray,
    grid: Grid,
    *,
    radius_m: float,
    urban_share: float,
    suburban_share: float,
    fringe_m: float,
    captured_max_ha: float,
    valid: np.ndarray | None = None,
) -> np.ndarray:
    """Classify a built-up grid into the Atlas of Urban Expansion urban-extent classes.

    For every built-up cell, the walking-circle share is

    .. math:: b = \\frac{\\#\\{\\text{built-up cells in the circle}\\}}
                       {\\#\\{\\text{cells with data in the circle}\\}}

    (the circle of :func:`walking_circle`, centre included; cells outside the grid or without
    data are left out of both counts). Then, after Angel et al. (2016), ch. 3:

    - urban built-up (1) when ``b > urban_share``; suburban built-up (2) when
      ``suburban_share <= b <= urban_share``; rural built-up (3) otherwise;
    - fringe open space (4): a cell that is not urban or suburban built-up, whose centre is at
      most ``fringe_m`` from the centre of an urban or suburban built-up cell (with 100 m cells
      and 100 m, its four side neighbours);
    - captured open space (5): the open cells of a 4-connected group of cells outside classes
      1, 2 and 4 that does not reach the grid's edge (so it is enclosed by them; a group at the
      edge could go on outside the grid) and covers less than ``captured_max_ha``;
    - rural open space (0): everything else.

    The urban extent is the union of classes 1, 2, 4 and 5 (:data:`EXTENT_CODES`).

    Parameters
    ----------
    built : numpy.ndarray
        Boolean built-up cells (see :func:`built_up_cells`).
    grid : Grid
        The projected grid of ``built``, in metres.
    radius_m : float
        Radius of the walking circle; Atlas: 564 m (1 km²).
    urban_share, suburban_share : float
        Class limits of ``b``; Atlas: 0.5 and 0.25.
    fringe_m : float
        Width of fringe open space; Atlas: 100 m.
    captured_max_ha : float
        Captured open space is smaller than this; Atlas: 200 ha.
    valid : numpy.ndarray, optional
        Cells with data; all cells by default.

    Returns
    -------
    numpy.ndarray
        uint8 codes 0-5, the grid's shape.
    """
    _require_fraction("urban_share", urban_share, allow_zero=True)
    _require_fraction("suburban_share", suburban_share, allow_zero=True)
    if suburban_share > urban_share:
        raise ParameterError(
            f"suburban_share = {suburban_share!r} is above urban_share = {urban_share!r}; "
            "the Atlas of Urban Expansion uses 0.25 and 0.5."
        )
    _require_non_negative("fringe_m", fringe_m)
    _require_non_negative("captured_max_ha", captured_max_ha)
    grid.require_projected("the built-up grid")
    if valid is None:
        valid = np.ones(built.shape, dtype=bool)
    built = built & valid

    circle = walking_circle(grid, radius_m=radius_m).astype(np.float64)
    built_count = ndimage.correlate(built.astype(np.float64), circle, mode="constant", cval=0.0)
    data_count = ndimage.correlate(valid.astype(np.float64), circle, mode="constant", cval=0.0)
    share = np.divide(built_count, data_count, out=np.zeros(built.shape), where=data_count > 0)

    codes = np.full(built.shape, RURAL_OPEN_SPACE, dtype=np.uint8)
    codes[built] = RURAL_BUILT_UP
    codes[built & (share >= suburban_share)] = SUBURBAN_BUILT_UP
    codes[built & (share > urban_share)] = URBAN_BUILT_UP

    urbanised = (codes == URBAN_BUILT_UP) | (codes == SUBURBAN_BUILT_UP)
    if urbanised.any():
        distance = ndimage.distance_transform_edt(
            ~urbanised, sampling=(grid.cell_height, grid.cell_width)
        )
        codes[~urbanised & (distance <= fringe_m)] = FRINGE_OPEN_SPACE

    outside = ~np.isin(codes, (URBAN_BUILT_UP, SUBURBAN_BUILT_UP, FRINGE_OPEN_SPACE))
    groups, n_groups = ndimage.label(outside, structure=_ROOK)
    if n_groups:
        sizes_ha = np.bincount(groups.ravel(), minlength=n_groups + 1) * grid.cell_area / 1e4
        edge_groups = np.unique(
            np.concatenate([groups[0], groups[-1], groups[:, 0], groups[:, -1]])
        )
        captured = sizes_ha < captured_max_ha
        captured[edge_groups] = False
        captured[0] = False  # label 0 is the extent itself
        codes[captured[groups] & ~built] = CAPTURED_OPEN_SPACE
    return codes


def expansion_classes(  # noqa: PLR0913 (the method's thresholds, keyword-only)
    built_t1: Raster,
    built_t2: Raster,
    *,
    built_threshold: float = 0.5,
    value_kind: str = "m2",
    radius_m: float = 564.0,
    urban_share: float = 0.5,
    suburban_share: float = 0.25,
    fringe_m: float = 100.0,
    captured_max_ha: float = 200.0,
) -> Raster:
    """Type of every cell newly built between t1 and t2: infill, extension or leapfrog.

    New built-up cells are built-up at t2 and not at t1 (:func:`built_up_cells`). With ``E`` the
    urban extent of t1 (:func:`urban_extent`):

    - infill (1): new cells in ``E``;
    - extension (2): new cells outside ``E`` whose 8-connected patch of new cells outside ``E``
      touches ``E`` (shares a side or a corner with one of its cells);
    - leapfrog (3): the other new cells;
    - 0: no new built-up.

    So infill + extension + leapfrog = all new built-up cells. Source: Angel et al. (2016),
    *Atlas of Urban Expansion*, ch. 3.

    Parameters
    ----------
    built_t1, built_t2 : Raster
        Built-up surface at t1 and t2 on the same projected grid.
    built_threshold : float
        Built-up share from which a cell counts as built-up (>=); 0.5, a majority of the cell
        as in the Atlas's per-pixel classification.
    value_kind : {"m2", "share"}
        "m2" for m² of built surface per cell (GHSL GHS-BUILT-S), "share" for 0-1.
    radius_m, urban_share, suburban_share, fringe_m, captured_max_ha : float
        Urban-extent parameters, see :func:`urban_extent`; defaults are the Atlas's 564 m,
        0.5, 0.25, 100 m and 200 ha.

    Returns
    -------
    Raster
        uint8 codes 0-3 on the grid of ``built_t1``.

    Raises
    ------
    GridMismatchError
        If the two rasters are not on the same grid.
    ParameterError
        For a parameter out of range.
    """
    require_same_grid(built_t1, built_t2)
    was_built = built_up_cells(built_t1, threshold=built_threshold, value_kind=value_kind)
    is_built = built_up_cells(built_t2, threshold=built_threshold, value_kind=value_kind)
    extent_codes = urban_extent(
        was_built,
        built_t1.grid,
        radius_m=radius_m,
        urban_share=urban_share,
        suburban_share=suburban_share,
        fringe_m=fringe_m,
        captured_max_ha=captured_max_ha,
        valid=built_t1.valid_mask(),
    )
    in_extent = np.isin(extent_codes, EXTENT_CODES)
    new = is_built & ~was_built

    classes = np.full(new.shape, NO_NEW_BUILT_UP, dtype=np.uint8)
    classes[new & in_extent] = INFILL
    outer_new = new & ~in_extent
    patches, n_patches = ndimage.label(outer_new, structure=_QUEEN)
    if n_patches:
        next_to_extent = ndimage.binary_dilation(in_extent, structure=_QUEEN)
        touching = np.zeros(n_patches + 1, dtype=bool)
        touching[np.unique(patches[next_to_extent & outer_new])] = True
        touching[0] = False
        classes[outer_new] = np.where(touching[patches[outer_new]], EXTENSION, LEAPFROG)
    return Raster(classes, built_t1.grid, nodata=None, name="urban expansion classes")


def new_built_up_area_m2(classes: Raster) -> dict[str, Raster]:
    """Area of new built-up per cell and expansion type, ready for zonal sums.

    Each newly built cell counts its whole area (the Atlas counts classified pixels):

    .. math:: A_{k}(\\text{cell}) = \\text{cell area} \\cdot [\\text{class} = k]

    for k in infill, extension, leapfrog, so the three rasters add up to the new built-up area.

    Parameters
    ----------
    classes : Raster
        Output of :func:`expansion_classes`.

    Returns
    -------
    dict of str to Raster
        ``{"infill": ..., "extension": ..., "leapfrog": ...}``, float64 m² per cell.
    """
    area = classes.grid.cell_area
    return {
        name: Raster(
            np.where(classes.data == code, area, 0.0),
            classes.grid,
            nodata=None,
            name=f"new built-up area, {name} (m²)",
        )
        for code, name in EXPANSION_NAMES.items()
    }
