"""Urban centres as a set of cells: the majority rule and the filling of gaps.

Urban centres hold a small part of a grid (0.04 % of the cells of the world), so they are kept
as the sorted flat indices of their cells with the number of the centre of each
(:class:`CentreCells`), not as a grid of centre numbers (2.6 GB for the world in int32). The
majority rule looks at the 8 neighbours of the cells next to a centre and the gap filling at
the bounding box of each centre, so neither needs more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from observatory.degurba.preprocess import UNPOPULATED_NON_LAND, WATER
from observatory.errors import ParameterError

#: Offsets (row, column) of the 8 neighbours of a cell.
NEIGHBOUR_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


@dataclass(frozen=True)
class CentreCells:
    """The cells of urban centres and the number of the centre of each.

    Attributes
    ----------
    shape : tuple of int
        Rows and columns of the grid.
    cells : numpy.ndarray of int64
        Flat (row-major) indices of the cells, sorted.
    numbers : numpy.ndarray of int32
        Centre number of each cell (1 to n).
    """

    shape: tuple[int, int]
    cells: np.ndarray
    numbers: np.ndarray

    @classmethod
    def from_grid(cls, centres: np.ndarray) -> CentreCells:
        """The cells of a grid of centre numbers (0 = none)."""
        flat = np.asarray(centres).reshape(-1)
        cells = np.flatnonzero(flat)
        return cls(np.shape(centres), cells, flat[cells].astype(np.int32))

    def to_grid(self) -> np.ndarray:
        """The grid of centre numbers (int32, 0 = none)."""
        grid = np.zeros(self.shape, dtype=np.int32)
        grid.reshape(-1)[self.cells] = self.numbers
        return grid

    def number_at(self, cells: np.ndarray) -> np.ndarray:
        """Centre number at flat indices (0 where no centre)."""
        if self.cells.size == 0:
            return np.zeros(cells.shape, dtype=np.int32)
        index = np.minimum(np.searchsorted(self.cells, cells), self.cells.size - 1)
        return np.where(self.cells[index] == cells, self.numbers[index], 0)

    def with_cells(self, cells: np.ndarray, numbers: np.ndarray) -> CentreCells:
        """These centres and new cells (sorted, none of them in a centre yet)."""
        at = np.searchsorted(self.cells, cells)
        return CentreCells(
            self.shape,
            np.insert(self.cells, at, cells),
            np.insert(self.numbers, at, numbers.astype(np.int32)),
        )


def smoothed(
    centres: CentreCells, *, variant: str, flags: np.ndarray, majority_neighbours: int
) -> CentreCells:
    """Iterative majority-rule edge smoothing (see :func:`smooth_edges`).

    Parameters
    ----------
    centres : CentreCells
    variant : {"r2023a", "r2022a"}
    flags : numpy.ndarray of uint8
        Cell flags, flat (row-major), with the bits :data:`WATER` and
        :data:`UNPOPULATED_NON_LAND`.
    majority_neighbours : int
        Threshold of the R2022A variant.

    Returns
    -------
    CentreCells
    """
    if variant not in ("r2023a", "r2022a"):
        raise ParameterError(f"majority rule variant {variant!r} is not r2023a or r2022a.")
    height, width = centres.shape
    added = centres.cells
    while added.size:
        candidates = _neighbours_of(added, height, width)
        candidates = candidates[centres.number_at(candidates) == 0]
        if variant == "r2023a":
            candidates = candidates[(flags[candidates] & WATER) == 0]
        if candidates.size == 0:
            break
        rows, cols = np.divmod(candidates, width)
        neighbour_ids = np.zeros((candidates.size, 8), dtype=np.int32)
        valid = np.ones((candidates.size, 8), dtype=bool)
        for k, (dr, dc) in enumerate(NEIGHBOUR_OFFSETS):
            r, c = rows + dr, cols + dc
            inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
            index = r[inside] * width + c[inside]
            ids = centres.number_at(index)
            neighbour_ids[inside, k] = ids
            valid[inside, k] = (ids > 0) | ((flags[index] & (WATER | UNPOPULATED_NON_LAND)) == 0)
        same = neighbour_ids[:, :, None] == neighbour_ids[:, None, :]
        counts = same.sum(axis=2)
        counts[neighbour_ids == 0] = 0
        best = counts.argmax(axis=1)
        best_count = counts[np.arange(candidates.size), best]
        if variant == "r2023a":
            joins = (best_count > 0) & (2 * best_count > valid.sum(axis=1))
        else:
            joins = best_count >= majority_neighbours
        added = candidates[joins]
        centres = centres.with_cells(added, neighbour_ids[np.flatnonzero(joins), best[joins]])
    return centres


def _neighbours_of(cells: np.ndarray, height: int, width: int) -> np.ndarray:
    """Flat indices of the distinct 8-neighbours (inside the grid) of flat cell indices."""
    rows, cols = np.divmod(cells, width)
    found = []
    for dr, dc in NEIGHBOUR_OFFSETS:
        r, c = rows + dr, cols + dc
        inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
        found.append(r[inside] * width + c[inside])
    return np.unique(np.concatenate(found))


def smooth_edges(
    centres: np.ndarray,
    *,
    variant: str,
    water: np.ndarray,
    unpopulated_non_land: np.ndarray,
    majority_neighbours: int = 5,
) -> np.ndarray:
    """Iterative majority-rule edge smoothing of urban centres.

    Passes are synchronous (each decides from the state at its start) and repeat until a pass
    adds no cell. A candidate is a cell outside every centre that touches a centre
    (8-neighbourhood).

    - ``"r2022a"`` (GHSL DP2022): a candidate joins centre c when at least
      ``majority_neighbours`` (5) of its 8 neighbours belong to c.
    - ``"r2023a"`` (GHSL DP2023 footnote 29): water cells are never candidates. A neighbour is
      *valid* unless it is a water cell or an unpopulated non-land cell that is not itself in a
      centre; a neighbour outside the grid is valid and belongs to no centre. A candidate joins
      c when ``2 * (neighbours in c) > (valid neighbours)``.

    Parameters
    ----------
    centres : numpy.ndarray of int
        Centre number per cell (0 = none).
    variant : {"r2023a", "r2022a"}
    water, unpopulated_non_land : numpy.ndarray of bool
        From :class:`~observatory.degurba.preprocess.PreparedGrid`.
    majority_neighbours : int
        Threshold of the R2022A variant.

    Returns
    -------
    numpy.ndarray of int32
        A new array; the input is not modified.
    """
    flags = np.where(water, WATER, np.uint8(0)) | np.where(
        unpopulated_non_land, UNPOPULATED_NON_LAND, np.uint8(0)
    )
    result = smoothed(
        CentreCells.from_grid(centres),
        variant=variant,
        flags=flags.reshape(-1),
        majority_neighbours=majority_neighbours,
    )
    return result.to_grid()


def gaps_filled(centres: CentreCells, *, max_cells: int) -> CentreCells:
    """Centres with their holes of at most ``max_cells`` cells filled (see :func:`fill_gaps`).

    A hole of centre c is a 4-connected group of cells outside c inside its bounding box that
    does not reach the box's edge, so c alone encloses it. Which cells are holes of c does not
    depend on the other centres being filled, so the holes of every centre are found first;
    a cell in holes of two centres (nested) goes to the lower number, as when centres are
    filled in number order.
    """
    if max_cells < 1 or centres.cells.size == 0:
        return centres
    width = centres.shape[1]
    order = np.argsort(centres.numbers, kind="stable")
    numbers, cells = centres.numbers[order], centres.cells[order]
    starts = np.flatnonzero(np.diff(numbers, prepend=0))
    found_cells, found_numbers = [], []
    for start, stop in zip(starts, [*starts[1:], numbers.size], strict=True):
        holes = _holes(cells[start:stop], width, max_cells)
        if holes.size:
            found_cells.append(holes)
            found_numbers.append(np.full(holes.size, numbers[start], dtype=np.int32))
    if not found_cells:
        return centres
    holes, owners = np.concatenate(found_cells), np.concatenate(found_numbers)
    empty = centres.number_at(holes) == 0
    holes, owners = holes[empty], owners[empty]
    order = np.lexsort((owners, holes))
    holes, owners = holes[order], owners[order]
    first = np.flatnonzero(np.diff(holes, prepend=-1))
    return centres.with_cells(holes[first], owners[first])


def _holes(cells: np.ndarray, width: int, max_cells: int) -> np.ndarray:
    """Flat indices of the holes of at most ``max_cells`` cells of one centre's cells."""
    rows, cols = np.divmod(cells, width)
    top, left = rows.min(), cols.min()
    box_height, box_width = rows.max() - top + 1, cols.max() - left + 1
    if box_height < 3 or box_width < 3:
        return np.zeros(0, dtype=np.int64)
    outside = np.ones((box_height + 2, box_width + 2), dtype=bool)
    outside[rows - top + 1, cols - left + 1] = False
    pieces, count = ndimage.label(outside, structure=ndimage.generate_binary_structure(2, 1))
    if count < 2:
        return np.zeros(0, dtype=np.int64)
    is_hole = np.bincount(pieces.ravel()) <= max_cells
    is_hole[0] = False
    is_hole[pieces[0, 0]] = False  # the padded frame: connected to the outside
    hole_rows, hole_cols = np.nonzero(is_hole[pieces])
    return (hole_rows - 1 + top) * width + (hole_cols - 1 + left)


def fill_gaps(centres: np.ndarray, *, max_cells: int) -> np.ndarray:
    """Fill the holes of each urban centre that have at most ``max_cells`` cells.

    A hole of centre c is a 4-connected group of cells outside c that does not reach the edge
    of the grid and is enclosed by c alone; cells of another centre inside it count in its
    size but keep their centre. With 1 km² cells and ``max_gap_km2 = 15``, holes of up to 14
    cells are filled (GHSL: "gaps < 15 km²").

    Parameters
    ----------
    centres : numpy.ndarray of int
        Centre number per cell (0 = none).
    max_cells : int
        Largest hole that is filled.

    Returns
    -------
    numpy.ndarray of int32
        A new array.
    """
    return gaps_filled(CentreCells.from_grid(centres), max_cells=max_cells).to_grid()
