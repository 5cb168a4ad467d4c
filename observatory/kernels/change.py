"""Built-up change between two dates: infill, extension, leapfrog and inclusion in m².

The new built-up m² of a cell are ``max(b2 − b1, 0)`` (built-up m² at t2 minus t1; a loss is
not new built-up). With ``E1`` and ``E2`` the urban extents of t1 and t2
(:func:`observatory.kernels.extent.urban_extent`), the new built-up m² of every cell go to
exactly one type (Atlas of Urban Expansion, Angel et al. 2016, ch. 3, on a continuous grid):

- **infill** (1): the cell is in ``E1`` (its new built-up stands on open land of the t1
  extent, i.e. urbanised open space);
- **extension** (2): the cell is outside ``E1`` and its new development is contiguous with
  ``E1``: the cell is a *development cell* (at least ``min_new_m2`` new built-up m²) of an
  8-connected cluster of development cells outside ``E1`` that touches ``E1`` (a side or a
  corner), or it has fewer new m² but touches ``E1`` or such a cluster itself;
- **leapfrog** (3): the other cells outside ``E1`` with new built-up.

So infill + extension + leapfrog = Σ max(b2 − b1, 0), which is the built-up change
Σ (b2 − b1) on a grid where no cell loses built-up. **Inclusion** is the open land that the
extent gained without building on it: the open m² at t2 (area − b2) of the cells in ``E2``
and not in ``E1``.

``min_new_m2`` (900 m² by default, one 30 m Landsat pixel, the smallest new development the
Atlas can see) keeps a cell that gained a few m² from chaining distant growth to the
extent: its m² are still counted, but a cluster only grows through development cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from observatory.kernels.extent import (
    EXTENT_CODES,
    BuiltUpGrid,
    UrbanExtent,
    extent_of_built_up,
    require_non_negative,
)
from observatory.kernels.grid import Raster, require_same_grid, row_blocks

#: Expansion codes of :attr:`Expansion.classes`.
NO_NEW_BUILT_UP = 0
INFILL = 1
EXTENSION = 2
LEAPFROG = 3
EXPANSION_NAMES = {INFILL: "infill", EXTENSION: "extension", LEAPFROG: "leapfrog"}

_QUEEN = np.ones((3, 3), dtype=bool)


@dataclass(frozen=True)
class Expansion:
    """Built-up change between t1 and t2, cell by cell.

    Attributes
    ----------
    classes : Raster
        uint8 codes 0-3 (:data:`INFILL`, :data:`EXTENSION`, :data:`LEAPFROG`) of the whole
        grid.
    extent_t1, extent_t2 : UrbanExtent
        Whose built-up m² are read again, a band of rows at a time, for :meth:`area_m2`.
    """

    classes: Raster
    extent_t1: UrbanExtent
    extent_t2: UrbanExtent

    def area_m2(self, start: int = 0, stop: int | None = None) -> dict[str, np.ndarray]:
        """m² per cell of infill, extension, leapfrog and inclusion of rows ``start`` to
        ``stop`` (excluded; the whole grid by default), ready for zonal sums.

        ``A_k(cell) = new_m2 · [class = k]``, so infill + extension + leapfrog = new_m2;
        inclusion is the open m² at t2 (area − b2) of the cells in the t2 extent and not in
        the t1 extent.
        """
        grid = self.classes.grid
        stop = grid.height if stop is None else stop
        new_m2, built_t2 = _new_m2(self.extent_t1, self.extent_t2, start, stop)
        classes = self.classes.data[start:stop]
        areas = {
            name: np.where(classes == code, new_m2, 0.0) for code, name in EXPANSION_NAMES.items()
        }
        in_t2 = np.isin(self.extent_t2.codes[start:stop], EXTENT_CODES)
        included = in_t2 & ~np.isin(self.extent_t1.codes[start:stop], EXTENT_CODES)
        areas["inclusion"] = np.where(included, grid.cell_area - built_t2, 0.0)
        return areas


def _new_m2(
    extent_t1: UrbanExtent, extent_t2: UrbanExtent, start: int, stop: int
) -> tuple[np.ndarray, np.ndarray]:
    """New built-up m², max(b2 − b1, 0), and built-up m² at t2 (b2) of rows ``start`` to
    ``stop`` (excluded)."""
    built_t1, _ = extent_t1.built.read(start, stop)
    built_t2, _ = extent_t2.built.read(start, stop)
    return np.clip(built_t2 - built_t1, 0.0, None), built_t2


def classify_new_built_up(
    new_m2: np.ndarray, extent_t1: np.ndarray, *, min_new_m2: float
) -> np.ndarray:
    """Infill / extension / leapfrog code of every cell with new built-up (module docstring).

    Parameters
    ----------
    new_m2 : numpy.ndarray
        New built-up m² per cell.
    extent_t1 : numpy.ndarray
        Boolean: cells of the t1 urban extent.
    min_new_m2 : float
        New built-up m² from which a cell carries the contiguity of a cluster (>=).

    Returns
    -------
    numpy.ndarray
        uint8 codes 0-3.
    """
    require_non_negative("min_new_m2", min_new_m2)
    return _classes(new_m2 > 0, new_m2 >= min_new_m2, extent_t1)


def _classes(new: np.ndarray, at_least_min: np.ndarray, extent_t1: np.ndarray) -> np.ndarray:
    """:func:`classify_new_built_up` of the boolean masks of the cells with new built-up
    m² and of those with at least ``min_new_m2`` of them (masks of the whole grid)."""
    classes = np.full(new.shape, NO_NEW_BUILT_UP, dtype=np.uint8)
    classes[new & extent_t1] = INFILL
    outer = new & ~extent_t1
    development = outer & at_least_min
    touches_extent = ndimage.binary_dilation(extent_t1, structure=_QUEEN)
    clusters, n_clusters = ndimage.label(development, structure=_QUEEN)
    contiguous = np.zeros(n_clusters + 1, dtype=bool)
    contiguous[clusters[touches_extent & development]] = True
    contiguous[0] = False
    del touches_extent
    extension = development & contiguous[clusters]
    del clusters
    reached = ndimage.binary_dilation(extent_t1 | extension, structure=_QUEEN)
    extension |= outer & ~development & reached
    classes[outer] = LEAPFROG
    classes[extension] = EXTENSION
    return classes


def expansion_between(
    extent_t1: UrbanExtent, extent_t2: UrbanExtent, *, min_new_m2: float = 900.0
) -> Expansion:
    """The types of the new built-up m² between two urban extents (module docstring).

    Parameters
    ----------
    extent_t1, extent_t2 : UrbanExtent
        Urban extents of t1 and t2 on one grid; their built-up m² are read a band of rows
        at a time, for the masks of the new built-up (the only whole arrays: booleans, the
        uint8 classes and the int32 labels of the clusters).
    min_new_m2 : float
        See :func:`classify_new_built_up`; 900 m² (one 30 m pixel) by default.

    Returns
    -------
    Expansion
    """
    require_non_negative("min_new_m2", min_new_m2)
    grid = extent_t1.grid
    new = np.zeros(grid.shape, dtype=bool)
    at_least_min = np.zeros(grid.shape, dtype=bool)
    for start, stop in row_blocks(grid):
        new_m2, _ = _new_m2(extent_t1, extent_t2, start, stop)
        new[start:stop] = new_m2 > 0
        at_least_min[start:stop] = new_m2 >= min_new_m2
    classes = _classes(new, at_least_min, extent_t1.cells)
    return Expansion(
        classes=Raster(classes, grid, nodata=None, name="urban expansion classes"),
        extent_t1=extent_t1,
        extent_t2=extent_t2,
    )


def extent_of(built, *, value_kind: str = "m2", **extent_parameters: float) -> UrbanExtent:
    """The urban extent of the built-up raster ``built`` (a Raster or a RasterFile, read a
    band of rows at a time; cells without data left out)."""
    return extent_of_built_up(
        BuiltUpGrid.of_raster(built, value_kind=value_kind), **extent_parameters
    )


def expansion(
    built_t1: Raster,
    built_t2: Raster,
    *,
    value_kind: str = "m2",
    min_new_m2: float = 900.0,
    **extent_parameters: float,
) -> Expansion:
    """Urban extents of t1 and t2 and the types of the new built-up m² between them.

    Parameters
    ----------
    built_t1, built_t2 : Raster
        Built-up surface at t1 and t2 on the same projected grid.
    value_kind : {"m2", "share"}
        "m2" for m² of built surface per cell (GHSL GHS-BUILT-S), "share" for 0-1.
    min_new_m2 : float
        See :func:`classify_new_built_up`; 900 m² (one 30 m pixel) by default.
    **extent_parameters
        ``radius_m``, ``urban_share``, ``suburban_share``, ``fringe_m``, ``captured_max_ha``
        of :func:`~observatory.kernels.extent.extent_of_built_up` (Atlas defaults).

    Returns
    -------
    Expansion

    Raises
    ------
    GridMismatchError
        If the two rasters are not on the same grid.
    ParameterError
        For a parameter out of range.
    """
    require_same_grid(built_t1, built_t2)
    extent_t1 = extent_of(built_t1, value_kind=value_kind, **extent_parameters)
    extent_t2 = extent_of(built_t2, value_kind=value_kind, **extent_parameters)
    return expansion_between(extent_t1, extent_t2, min_new_m2=min_new_m2)
