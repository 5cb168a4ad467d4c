"""Tests of observatory.degurba.centres: urban centres kept as cells, not as a grid.

The majority rule and the gap filling themselves are tested on small grids in
tests/test_degurba_grid.py (through smooth_edges and fill_gaps); here are the cell set and the
cases where the order of the centres matters.
"""

import numpy as np

from observatory.degurba.centres import CentreCells, fill_gaps, gaps_filled


def test_cells_and_grid_go_back_and_forth():
    grid = np.zeros((3, 4), dtype=np.int32)
    grid[0, 1], grid[2, 3], grid[1, 0] = 2, 1, 2
    centres = CentreCells.from_grid(grid)
    assert centres.cells.tolist() == [1, 4, 11]  # sorted flat indices
    assert centres.numbers.tolist() == [2, 2, 1]
    assert np.array_equal(centres.to_grid(), grid)
    assert centres.number_at(np.array([0, 1, 11, 5])).tolist() == [0, 2, 1, 0]
    grown = centres.with_cells(np.array([0, 5]), np.array([2, 1]))
    assert grown.cells.tolist() == [0, 1, 4, 5, 11]
    assert grown.numbers.tolist() == [2, 2, 2, 1, 1]


def test_no_centre_has_no_cells():
    centres = CentreCells.from_grid(np.zeros((2, 2), dtype=np.int32))
    assert centres.number_at(np.array([0, 3])).tolist() == [0, 0]
    assert gaps_filled(centres, max_cells=14) is centres


def nested(outer, inner):
    """A 7 x 7 grid: centre ``outer`` rings a 3 x 3 block whose ring is centre ``inner``
    around one empty cell, (3, 3)."""
    grid = np.zeros((7, 7), dtype=np.int32)
    grid[1:6, 1:6] = outer
    grid[2:5, 2:5] = inner
    grid[3, 3] = 0
    return grid


def test_a_cell_in_holes_of_two_nested_centres_goes_to_the_lower_number():
    # (3, 3) is a hole of the inner centre (1 cell) and lies in a hole of the outer one (the
    # 9 cells inside it, 8 of them the inner centre's, which keep their number). Filled in
    # number order, the first centre takes it.
    filled = fill_gaps(nested(outer=1, inner=2), max_cells=14)
    assert filled[3, 3] == 1 and (filled[2:5, 2:5][filled[2:5, 2:5] != 1] == 2).all()
    assert fill_gaps(nested(outer=2, inner=1), max_cells=14)[3, 3] == 1
    # With holes of up to 8 cells the outer centre's hole (9 cells) is too large.
    assert fill_gaps(nested(outer=1, inner=2), max_cells=8)[3, 3] == 2


def test_a_gap_between_two_centres_is_a_hole_of_neither():
    # Two centres side by side enclose the empty cell (1, 2) together, not one alone.
    grid = np.zeros((3, 5), dtype=np.int32)
    grid[:, :2], grid[:, 3:] = 1, 2
    grid[0, 2] = grid[2, 2] = 1
    assert fill_gaps(grid, max_cells=14)[1, 2] == 0
