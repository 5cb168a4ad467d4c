"""Clusters of grid cells labelled tile by tile and merged across the tile seams.

A world grid at 1 km has 649 M cells; one ``int32`` label grid of it is 2.6 GB. Here each tile
is labelled on its own (:func:`scipy.ndimage.label`, 4- or 8-connectivity), its labels are
shifted to be unique over the grid, and the labels that meet across a seam (the last row of a
tile and the first row of the tile below it, the last column and the first column of the tile
to its right, and with 8-connectivity the diagonal pairs, at the corners too) are merged with a
union-find (:func:`scipy.sparse.csgraph.connected_components` over the seam pairs). Each merged
cluster is named by its smallest label, its *root*. Labels are never stored: a pass that needs
them labels the tile again, which gives the same labels.

The population of every cluster is summed in the order of the whole-grid path (cells in raster
order within blocks of :data:`~observatory.degurba.preprocess.ROW_CHUNK` rows, blocks one after
the other), so each sum is the same float64 number whatever the tiles, and a cluster whose sum
is exactly at a threshold is classified as it was. The grid does not wrap at its edges (cells
in the first and last columns of a world grid are not neighbours), as before.

The tiles are labelled independently of each other (:func:`label_tile`), so they can be
labelled by an :class:`~observatory.parallel.Executor` on other processes; their results are
read in raster order, so the classes are the same cell for cell wherever they were labelled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from scipy import ndimage, sparse
from scipy.sparse.csgraph import connected_components

from observatory.degurba.preprocess import ROW_CHUNK
from observatory.errors import ParameterError
from observatory.parallel import SERIAL, Executor

#: Default tile of the classification: 1,024 rows (two sum blocks) by 2,048 columns, 8 MB of
#: int32 labels.
DEFAULT_TILE_SHAPE = (1024, 2048)

#: Cells whose labels are kept between the passes over the tiles of one mask (8 bytes a
#: cell, 134 MB at most); tiles beyond are labelled again, with the same labels. (While the
#: tiles of a mask are labelled, the labels of all its cells are held, 8 bytes a cell of the
#: mask, before those beyond are let go.)
KEPT_CELLS = 1 << 24
#: What the progress of the labelling of the tiles is told (translated by
#: :data:`observatory.report.progress.WORK_LABELS`).
TILES_LABEL = "Degree of Urbanisation, tiles"

#: ``mask_of(rows, cols)`` gives the boolean mask of the cells ``[rows, cols]``.
MaskOf = Callable[[slice, slice], np.ndarray]
#: A function of flat cell indices (an array) giving one value per cell.
CellsFunction = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Tiling:
    """A grid cut into tiles of ``tile_shape`` cells (smaller at the right and bottom edges).

    Attributes
    ----------
    shape : tuple of int
        Rows and columns of the grid.
    tile_shape : tuple of int
        Rows and columns of a tile; a tile as large as the grid (or larger) is the whole grid.
    """

    shape: tuple[int, int]
    tile_shape: tuple[int, int] = DEFAULT_TILE_SHAPE

    def __post_init__(self) -> None:
        if len(self.tile_shape) != 2 or min(self.tile_shape) < 1:
            raise ParameterError(
                f"tile shape {self.tile_shape!r} is not valid; give rows and columns, both >= 1."
            )

    @property
    def counts(self) -> tuple[int, int]:
        """Number of tile rows and tile columns."""
        return (
            max(1, -(-self.shape[0] // self.tile_shape[0])),
            max(1, -(-self.shape[1] // self.tile_shape[1])),
        )

    def tiles(self) -> Iterator[tuple[int, int, slice, slice]]:
        """``(tile row, tile column, rows, cols)`` of every tile, in raster order."""
        (height, width), (tile_rows, tile_cols) = self.shape, self.tile_shape
        row_count, col_count = self.counts
        for i in range(row_count):
            rows = slice(i * tile_rows, min((i + 1) * tile_rows, height))
            for j in range(col_count):
                yield i, j, rows, slice(j * tile_cols, min((j + 1) * tile_cols, width))


def structure(contiguity: int) -> np.ndarray:
    """The :func:`scipy.ndimage.label` structure of 4- (rook) or 8-connectivity (queen)."""
    return ndimage.generate_binary_structure(2, 1 if contiguity == 4 else 2)


@dataclass(frozen=True)
class Clusters:
    """The clusters of a mask, labelled tile by tile (:func:`label_clusters`).

    Attributes
    ----------
    tiling : Tiling
    mask_of : callable
        Gives the mask of a tile again when its labels are needed and were not kept.
    contiguity : int
        4 or 8.
    offsets : numpy.ndarray of int64
        Per tile (raster order), the number added to its labels; -1 for a tile without cells.
    count : int
        Number of labels over all tiles; labels run from 1 to ``count``.
    merged, roots : numpy.ndarray of int64
        The labels that meet another tile's across a seam (sorted) and the root of each.
    kept : dict
        Tile index → (flat indices of its cells within the tile, their labels), for the
        tiles whose labels were kept (up to :data:`KEPT_CELLS` cells in all); the other tiles
        are labelled again when needed.
    """

    tiling: Tiling
    mask_of: MaskOf
    contiguity: int
    offsets: np.ndarray
    count: int
    merged: np.ndarray
    roots: np.ndarray
    kept: dict[int, tuple[np.ndarray, np.ndarray]]

    def root_of(self, labels: np.ndarray) -> np.ndarray:
        """The root (cluster name) of grid-wide labels."""
        if self.merged.size == 0:
            return labels
        index = np.minimum(np.searchsorted(self.merged, labels), self.merged.size - 1)
        return np.where(self.merged[index] == labels, self.roots[index], labels)

    def tile_cells(self) -> Iterator[tuple[slice, np.ndarray, np.ndarray]]:
        """``(rows, cells, roots)`` of every tile holding cells of the mask, in raster order:
        the rows of the tile, the flat indices of its cells in the grid (raster order) and
        their roots."""
        width = self.tiling.shape[1]
        for k, (_, _, rows, cols) in enumerate(self.tiling.tiles()):
            if self.offsets[k] < 0:
                continue
            if k in self.kept:
                cells, labels = self.kept[k]
            else:
                cells, labels = _tile_labels(self.mask_of(rows, cols), self.contiguity)
            positions = grid_positions(rows, cols, cells, width)
            yield rows, positions, self.root_of(labels + self.offsets[k])


def _tile_labels(mask: np.ndarray, contiguity: int) -> tuple[np.ndarray, np.ndarray]:
    """Flat indices of the cells of a tile's mask and their labels (1 to n)."""
    labels, _ = ndimage.label(mask, structure=structure(contiguity))
    return _cells_and_labels(mask, labels)


def _cells_and_labels(mask: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flat indices (int32 when they fit) of the cells of a mask, and their labels."""
    cells = np.flatnonzero(mask)
    if mask.size <= np.iinfo(np.int32).max:
        cells = cells.astype(np.int32)
    return cells, labels.ravel()[cells]


def grid_positions(rows: slice, cols: slice, cells: np.ndarray, width: int) -> np.ndarray:
    """Flat indices in the grid (``width`` columns) of flat indices within the tile
    ``[rows, cols]``."""
    tile_rows, tile_cols = np.divmod(cells.astype(np.int64), cols.stop - cols.start)
    return (rows.start + tile_rows) * width + cols.start + tile_cols


def label_clusters(
    mask_of: MaskOf, tiling: Tiling, *, contiguity: int, executor: Executor | None = None
) -> Clusters:
    """Label the cells of a mask tile by tile and merge the labels that meet across seams.

    The tiles are labelled independently (:func:`label_tile`), through ``executor`` when
    given; their results are then read in raster order, so the labels, the merges and the
    classes do not depend on where the tiles were labelled.

    Parameters
    ----------
    mask_of : callable
        ``mask_of(rows, cols)`` → boolean mask of the cells ``[rows, cols]``; a
        :class:`BitMask` sends each tile to the executor as a view of its flags.
    tiling : Tiling
    contiguity : int
        4 or 8.
    executor : Executor, optional
        Where the tiles are labelled (:data:`~observatory.parallel.SERIAL` by default).

    Returns
    -------
    Clusters
    """
    height, width = tiling.shape
    row_count, col_count = tiling.counts
    work = [_tile_work(mask_of, rows, cols, contiguity) for _, _, rows, cols in tiling.tiles()]
    labelled = (executor or SERIAL).map(label_tile, work, label=TILES_LABEL)
    # Grid-wide labels on both sides of each horizontal seam (whole width) and each vertical
    # seam (whole height); a seam k lies between tile rows (columns) k and k + 1.
    above, below = np.zeros((2, row_count - 1, width), dtype=np.int64)
    left, right = np.zeros((2, col_count - 1, height), dtype=np.int64)
    offsets = np.full(row_count * col_count, -1, dtype=np.int64)
    kept: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    total = kept_cells = 0
    for k, ((i, j, rows, cols), tile) in enumerate(zip(tiling.tiles(), labelled, strict=True)):
        if tile is None:
            continue
        offsets[k] = total

        def wide(line: np.ndarray, total: int = total) -> np.ndarray:
            return np.where(line > 0, line.astype(np.int64) + total, 0)

        if i < row_count - 1:
            above[i, cols] = wide(tile.last_row)
        if i > 0:
            below[i - 1, cols] = wide(tile.first_row)
        if j < col_count - 1:
            left[j, rows] = wide(tile.last_column)
        if j > 0:
            right[j - 1, rows] = wide(tile.first_column)
        if kept_cells + tile.cells.size <= KEPT_CELLS:
            kept[k] = (tile.cells, tile.labels)
            kept_cells += tile.cells.size
        total += tile.count
    merged, roots = _merge(
        [*_seam_pairs(above, below, contiguity), *_seam_pairs(left, right, contiguity)]
    )
    return Clusters(tiling, mask_of, contiguity, offsets, total, merged, roots, kept)


@dataclass(frozen=True, eq=False)
class BitMask:
    """The cells whose flags hold ``bit``: a ``mask_of`` whose tiles go to the executor as
    views of the flags (1 byte a cell; nothing is copied in this process).

    Attributes
    ----------
    flags : numpy.ndarray of uint8
        One byte a cell of the grid.
    bit : int
        The bit of the mask.
    """

    flags: np.ndarray
    bit: int

    def __call__(self, rows: slice, cols: slice) -> np.ndarray:
        return (self.flags[rows, cols] & self.bit) != 0


@dataclass(frozen=True, eq=False)
class TileWork:
    """What labelling one tile takes: its mask (or its flags and the bit of the mask) and the
    contiguity. Picklable, so that another process can label it."""

    values: np.ndarray
    bit: int | None
    contiguity: int

    def mask(self) -> np.ndarray:
        """The boolean mask of the tile."""
        return self.values if self.bit is None else (self.values & self.bit) != 0


@dataclass(frozen=True, eq=False)
class TileLabels:
    """The labels (1 to ``count``) of one tile: its first and last rows and columns, and the
    flat indices of its cells within the tile with their labels."""

    count: int
    first_row: np.ndarray
    last_row: np.ndarray
    first_column: np.ndarray
    last_column: np.ndarray
    cells: np.ndarray
    labels: np.ndarray


def _tile_work(mask_of: MaskOf, rows: slice, cols: slice, contiguity: int) -> TileWork:
    if isinstance(mask_of, BitMask):
        return TileWork(mask_of.flags[rows, cols], mask_of.bit, contiguity)
    return TileWork(mask_of(rows, cols), None, contiguity)


def label_tile(work: TileWork) -> TileLabels | None:
    """Label the cells of one tile (:func:`scipy.ndimage.label`); None for a tile without
    cells. The per-tile task of :func:`label_clusters`."""
    mask = work.mask()
    if not mask.any():
        return None
    labels, count = ndimage.label(mask, structure=structure(work.contiguity))
    cells, cell_labels = _cells_and_labels(mask, labels)
    edges = (labels[0], labels[-1], labels[:, 0], labels[:, -1])
    return TileLabels(count, *(edge.copy() for edge in edges), cells, cell_labels)


def _seam_pairs(
    first: np.ndarray, second: np.ndarray, contiguity: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Pairs of neighbouring cells across seams: ``first[k, m]`` and ``second[k, m]`` face
    each other; with 8-connectivity ``first[k, m]`` also touches ``second[k, m ± 1]``."""
    pairs = [(first, second)]
    if contiguity == 8:
        pairs += [(first[:, :-1], second[:, 1:]), (first[:, 1:], second[:, :-1])]
    return pairs


def _merge(pairs: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Union-find over label pairs: the sorted labels that appear and the smallest label of
    the group each belongs to."""
    first = np.concatenate([a.ravel() for a, _ in pairs])
    second = np.concatenate([b.ravel() for _, b in pairs])
    touching = (first > 0) & (second > 0)
    first, second = first[touching], second[touching]
    if first.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    labels, index = np.unique(np.concatenate([first, second]), return_inverse=True)
    edges = sparse.coo_matrix(
        (np.ones(first.size, dtype=np.int8), (index[: first.size], index[first.size :])),
        shape=(labels.size, labels.size),
    )
    _, group = connected_components(edges, directed=False)
    # Labels are sorted, so the first label met in each group is its smallest.
    _, first_of_group = np.unique(group, return_index=True)
    return labels, labels[first_of_group[group]]


def cluster_sums(clusters: Clusters, values_at: CellsFunction) -> np.ndarray:
    """The sum of values over the cells of each cluster, indexed by root.

    Sums are taken as the whole-grid path takes them: per block of ``ROW_CHUNK`` rows, the
    cells of a cluster in raster order, then block after block. Tiles side by side are
    therefore put back in raster order before each block is summed.

    Parameters
    ----------
    clusters : Clusters
    values_at : callable
        ``values_at(cells)`` → the values of the cells of flat indices ``cells``.

    Returns
    -------
    numpy.ndarray of float64
        ``sums[root]``, of length ``clusters.count + 1``; 0 at other indices.
    """
    width = clusters.tiling.shape[1]
    sums = np.zeros(clusters.count + 1)
    pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    row_end = 0
    for rows, cells, roots in clusters.tile_cells():
        if rows.start >= row_end:
            pending = _add_blocks(sums, pending, width, up_to_row=rows.start)
            row_end = rows.stop
        pending.append((cells, roots, values_at(cells)))
    _add_blocks(sums, pending, width, up_to_row=None)
    return sums


def _add_blocks(
    sums: np.ndarray,
    pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    width: int,
    *,
    up_to_row: int | None,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Add to ``sums`` the blocks of rows that end at or before ``up_to_row`` (all with None);
    return the cells of the block not complete yet."""
    if not pending:
        return []
    positions, roots, values = (np.concatenate(part) for part in zip(*pending, strict=True))
    if len(pending) > 1:
        order = np.argsort(positions, kind="stable")
        positions, roots, values = positions[order], roots[order], values[order]
    blocks = positions // (ROW_CHUNK * width)
    done = blocks.size if up_to_row is None else np.searchsorted(blocks, up_to_row // ROW_CHUNK)
    starts = np.flatnonzero(np.diff(blocks[:done], prepend=-1))
    for start, stop in zip(starts, np.append(starts[1:], done), strict=False):
        names, index = np.unique(roots[start:stop], return_inverse=True)
        sums[names] += np.bincount(index, weights=values[start:stop])
    if done == blocks.size:
        return []
    return [(positions[done:], roots[done:], values[done:])]


def flag_clusters(clusters: Clusters, flagged_at: CellsFunction) -> np.ndarray:
    """Which clusters have at least one flagged cell, indexed by root.

    Parameters
    ----------
    clusters : Clusters
    flagged_at : callable
        ``flagged_at(cells)`` → whether each cell of flat indices ``cells`` is flagged.

    Returns
    -------
    numpy.ndarray of bool
        Of length ``clusters.count + 1``.
    """
    flagged = np.zeros(clusters.count + 1, dtype=bool)
    for _, cells, roots in clusters.tile_cells():
        flagged[roots[flagged_at(cells)]] = True
    return flagged
