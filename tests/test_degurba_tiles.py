"""Tests of observatory.degurba.tiles: clusters labelled tile by tile, merged across seams.

Every labelling is checked against one :func:`scipy.ndimage.label` of the whole grid: the
tiled clusters must be the same groups of cells (cluster names may differ), and their sums the
same float64 numbers as the whole-grid path's (per block of rows, in raster order).
"""

import numpy as np
import pytest
from scipy import ndimage

from observatory.degurba import tiles
from observatory.degurba.tiles import (
    Tiling,
    cluster_sums,
    flag_clusters,
    label_clusters,
    structure,
)
from observatory.errors import ParameterError


def clusters_of(mask, tile_shape, contiguity):
    mask = np.asarray(mask, dtype=bool)

    def mask_of(rows, cols):
        return mask[rows, cols]

    return label_clusters(mask_of, Tiling(mask.shape, tile_shape), contiguity=contiguity)


def root_grid(clusters):
    """The root of every cell (0 outside the mask)."""
    grid = np.zeros(clusters.tiling.shape, dtype=np.int64)
    for _, cells, roots in clusters.tile_cells():
        grid.reshape(-1)[cells] = roots
    return grid


def same_groups(first, second):
    """True when two label grids split the cells into the same groups (names aside)."""
    inside = first > 0
    if not np.array_equal(inside, second > 0):
        return False
    pairs = np.unique(np.stack([first[inside], second[inside]]), axis=1)
    return np.unique(pairs[0]).size == pairs.shape[1] == np.unique(pairs[1]).size


def whole_labels(mask, contiguity):
    return ndimage.label(np.asarray(mask, dtype=bool), structure=structure(contiguity))[0]


def test_tiles_cover_the_grid_once_with_smaller_tiles_at_the_edges():
    tiling = Tiling((5, 7), (2, 3))
    assert tiling.counts == (3, 3)
    cover = np.zeros((5, 7), dtype=int)
    for _, _, rows, cols in tiling.tiles():
        cover[rows, cols] += 1
    assert (cover == 1).all()
    last = list(tiling.tiles())[-1]
    assert last[2] == slice(4, 5) and last[3] == slice(6, 7)  # 1 x 1 corner tile


@pytest.mark.parametrize("tile_shape", [(0, 4), (4, -1), (4,)])
def test_a_tile_shape_without_two_positive_sides_is_refused(tile_shape):
    with pytest.raises(ParameterError, match="tile shape"):
        Tiling((5, 5), tile_shape)


# A bar crossing the horizontal seam between rows 1 and 2, a bar crossing the vertical seam
# between columns 2 and 3, and two cells touching only at the corner of four tiles.
SEAMS = np.array(
    [
        [0, 1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [1, 1, 1, 1, 0, 1],
        [0, 0, 1, 0, 1, 0],
    ]
)


def test_clusters_are_merged_across_horizontal_and_vertical_seams():
    # Tiles of 2 x 3: the first bar spans tile rows 0-1, the second tile columns 0-1.
    roots = root_grid(clusters_of(SEAMS, (2, 3), 4))
    assert roots[0, 1] == roots[1, 1] == roots[2, 1]
    assert len({roots[4, 0], roots[4, 1], roots[4, 2], roots[4, 3], roots[5, 2]}) == 1
    assert same_groups(roots, whole_labels(SEAMS, 4))


def test_cells_touching_at_a_tile_corner_merge_only_with_8_connectivity():
    # Tiles of 5 x 5: rows 4|5 and columns 4|5 are seams, so (4, 4) and (5, 5) lie in two
    # tiles that touch only at the corner where four tiles meet.
    mask = np.zeros((10, 10), dtype=bool)
    mask[4, 4] = mask[5, 5] = True
    four = root_grid(clusters_of(mask, (5, 5), 4))
    eight = root_grid(clusters_of(mask, (5, 5), 8))
    assert four[4, 4] != four[5, 5]
    assert eight[4, 4] == eight[5, 5]
    # The other diagonal, (4, 5)-(5, 4), too.
    other = np.zeros((10, 10), dtype=bool)
    other[4, 5] = other[5, 4] = True
    roots = root_grid(clusters_of(other, (5, 5), 8))
    assert roots[4, 5] == roots[5, 4]


def test_a_spiral_through_many_tiles_is_one_cluster_and_a_u_joins_late():
    # A spiral of width 1 in a 12 x 12 grid crosses every tile of 3 x 3 (16 tiles); the
    # arms of the U at the bottom meet only in the last tile row.
    spiral = np.zeros((12, 12), dtype=bool)
    top, left, bottom, right = 0, 0, 11, 11
    while top <= bottom and left <= right:
        spiral[top, left : right + 1] = True
        spiral[top : bottom + 1, right] = True
        spiral[bottom, left : right + 1] = True
        spiral[top + 2 : bottom + 1, left] = True
        top, left, bottom, right = top + 2, left + 2, bottom - 2, right - 2
    for contiguity in (4, 8):
        roots = root_grid(clusters_of(spiral, (3, 3), contiguity))
        assert same_groups(roots, whole_labels(spiral, contiguity))
    u_shape = np.zeros((9, 7), dtype=bool)
    u_shape[:, 1] = u_shape[:, 5] = u_shape[8, 1:6] = True
    roots = root_grid(clusters_of(u_shape, (2, 2), 4))
    assert np.unique(roots[u_shape]).size == 1


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("contiguity", [4, 8])
def test_random_masks_give_the_groups_of_one_whole_grid_labelling(seed, contiguity):
    rng = np.random.default_rng(seed)
    mask = rng.random((37, 53)) < rng.uniform(0.3, 0.6)
    expected = whole_labels(mask, contiguity)
    for tile_shape in [(1, 1), (4, 5), (10, 53), (37, 7), (100, 100)]:
        roots = root_grid(clusters_of(mask, tile_shape, contiguity))
        assert same_groups(roots, expected), tile_shape


def test_the_grid_does_not_wrap_at_its_edges():
    # Cells in the first and last columns (the antimeridian of a world grid) stay apart.
    mask = np.zeros((3, 6), dtype=bool)
    mask[1, 0] = mask[1, 5] = True
    roots = root_grid(clusters_of(mask, (3, 3), 8))
    assert roots[1, 0] != roots[1, 5]


def whole_grid_sums(labels, values, chunk):
    """The sums of the whole-grid path: np.bincount per block of ``chunk`` rows, added up."""
    sums = np.zeros(labels.max() + 1)
    for start in range(0, labels.shape[0], chunk):
        rows = slice(start, start + chunk)
        sums += np.bincount(labels[rows].ravel(), weights=values[rows].ravel(), minlength=sums.size)
    return sums


def test_sums_follow_raster_order_not_tile_order():
    # One cluster of 2 x 2 cells: 1 and 2**53 on the first row, 1 and 0 on the second.
    # In raster order 1 + 2**53 rounds to 2**53 (ties to even), + 1 rounds again: 2**53.
    # Tile by tile (columns of 2 x 1) it would be (1 + 1) + 2**53 = 2**53 + 2.
    values = np.array([[1.0, 2.0**53], [1.0, 0.0]])
    clusters = clusters_of(np.ones((2, 2)), (2, 1), 4)
    sums = cluster_sums(clusters, lambda cells: values.reshape(-1)[cells])
    root = root_grid(clusters)[0, 0]
    assert sums[root] == 2.0**53
    assert sums[root] == whole_grid_sums(np.ones((2, 2), dtype=int), values, 512)[1]


@pytest.mark.parametrize("tile_shape", [(3, 4), (5, 29), (7, 2), (40, 40)])
def test_sums_are_those_of_the_whole_grid_path_when_blocks_and_tiles_differ(
    monkeypatch, tile_shape
):
    # Blocks of 4 rows and tiles of other heights: cells of a block come from two tile rows.
    monkeypatch.setattr(tiles, "ROW_CHUNK", 4)
    rng = np.random.default_rng(3)
    mask = rng.random((23, 29)) < 0.55
    values = rng.exponential(1.0, mask.shape) * 10.0 ** rng.integers(-8, 9, mask.shape)
    labels = whole_labels(mask, 8)
    expected = whole_grid_sums(labels, values, 4)
    clusters = clusters_of(mask, tile_shape, 8)
    sums = cluster_sums(clusters, lambda cells: values.reshape(-1)[cells])
    roots = root_grid(clusters)
    for label in range(1, labels.max() + 1):
        root = roots[labels == label][0]
        assert sums[root] == expected[label]  # the same float64 number, not just close


def test_labels_kept_and_labels_found_again_are_the_same(monkeypatch):
    rng = np.random.default_rng(5)
    mask = rng.random((30, 30)) < 0.5
    kept_all = root_grid(clusters_of(mask, (8, 8), 4))
    monkeypatch.setattr(tiles, "KEPT_CELLS", 40)  # keeps the first tile or so only
    partly = clusters_of(mask, (8, 8), 4)
    assert 0 < len(partly.kept) < 16
    assert np.array_equal(root_grid(partly), kept_all)


def test_flag_clusters_marks_the_clusters_with_a_flagged_cell():
    clusters = clusters_of(SEAMS, (2, 3), 4)
    flagged = flag_clusters(clusters, lambda cells: cells == 5 * 6 + 2)  # cell (5, 2)
    roots = root_grid(clusters)
    assert flagged[roots[4, 0]] and not flagged[roots[0, 1]] and not flagged[roots[4, 5]]
