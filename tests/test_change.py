"""Tests of observatory.kernels.change: Atlas urban extent and infill / extension / leapfrog."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from rasterio.crs import CRS

from observatory.errors import CRSError, GridMismatchError, ParameterError
from observatory.kernels.change import (
    CAPTURED_OPEN_SPACE,
    EXTENSION,
    FRINGE_OPEN_SPACE,
    INFILL,
    LEAPFROG,
    RURAL_BUILT_UP,
    RURAL_OPEN_SPACE,
    SUBURBAN_BUILT_UP,
    URBAN_BUILT_UP,
    built_up_cells,
    expansion_classes,
    new_built_up_area_m2,
    urban_extent,
    walking_circle,
)
from observatory.kernels.grid import Grid, Raster

CELL = 100.0  # m, so a cell is 10,000 m² = 1 ha
UTM_31N = CRS.from_epsg(32631)


def grid_of(shape: tuple[int, int], crs: CRS = UTM_31N) -> Grid:
    return Grid(crs, Affine(CELL, 0.0, 500_000.0, 0.0, -CELL, 4_000_000.0), *shape)


def drawing(text: str) -> np.ndarray:
    """'#' is a built-up cell, '.' an open one."""
    return np.array([[c == "#" for c in line.strip()] for line in text.strip().splitlines()])


def built_m2(cells: np.ndarray) -> Raster:
    """GHSL-style built-up surface: 8,000 m² (share 0.8) in built cells, 1,000 m² elsewhere."""
    return Raster(np.where(cells, 8000.0, 1000.0), grid_of(cells.shape), name="built")


# The small circle of the hand cases: r = 150 m with 100 m cells holds the 3 x 3 block around
# a cell (the diagonal neighbours are 141 m away), so a share is (built in 3 x 3) / (cells of
# the 3 x 3 inside the grid). Fringe 100 m = the four side neighbours of a cell.
SMALL = {
    "radius_m": 150.0,
    "urban_share": 0.5,
    "suburban_share": 0.25,
    "fringe_m": 100.0,
    "captured_max_ha": 200.0,
}

T1 = drawing(
    """
    .......#....
    ............
    .###........
    .#.#........
    .###........
    ............
    ............
    """
)
T2 = drawing(
    """
    .......#....
    ............
    .###.#......
    .####....##.
    .###........
    ............
    ............
    """
)


def test_the_walking_circle_of_one_km2_holds_97_cells_of_one_ha():
    # Lattice points with i² + j² <= 5.64² = 31.8, by row i = 0, ±1, ..., ±5:
    # 11 + 2*11 + 2*11 + 2*9 + 2*7 + 2*5 = 97.
    assert walking_circle(grid_of((3, 3)), radius_m=564.0).sum() == 97
    assert walking_circle(grid_of((3, 3)), radius_m=150.0).tolist() == [[True] * 3] * 3


def test_built_up_cells_compare_the_share_to_the_threshold_at_least():
    grid = grid_of((1, 4))
    # 4,999 / 10,000 < 0.5; 5,000 / 10,000 = 0.5 counts (>=); nodata -1 does not.
    built = Raster(np.array([[4999.0, 5000.0, 10000.0, -1.0]]), grid, nodata=-1.0)
    assert built_up_cells(built, threshold=0.5, value_kind="m2").tolist() == [
        [False, True, True, False]
    ]
    shares = Raster(np.array([[0.2, 0.5, 0.49, 1.0]]), grid)
    assert built_up_cells(shares, threshold=0.5, value_kind="share").tolist() == [
        [False, True, False, True]
    ]


def test_urban_extent_of_the_hand_drawn_block():
    codes = urban_extent(T1, grid_of(T1.shape), **SMALL)
    # Side-middle cell (2,2): 3 x 3 rows 1-3, cols 1-3 holds (2,1) (2,2) (2,3) (3,1) (3,3):
    # 5/9 = 0.56 > 0.5, urban. Corner (2,1): rows 1-3, cols 0-2 holds (2,1) (2,2) (3,1):
    # 3/9 = 0.33, suburban. The lone cell (0,7): 1 built of the 6 cells of the 3 x 3 inside the
    # grid, 0.17 < 0.25, rural built-up.
    assert codes[2, 2] == URBAN_BUILT_UP
    assert codes[2, 1] == SUBURBAN_BUILT_UP
    assert codes[0, 7] == RURAL_BUILT_UP
    # The hole (3,2) and the side neighbours of the block are within 100 m: fringe open space.
    assert codes[3, 2] == FRINGE_OPEN_SPACE
    assert codes[3, 4] == FRINGE_OPEN_SPACE and codes[1, 2] == FRINGE_OPEN_SPACE
    # The diagonal corner (1,0) is 141 m from (2,1): not fringe.
    assert codes[1, 0] == RURAL_OPEN_SPACE
    # Fringe cells around a rural built-up cell do not exist.
    assert codes[0, 6] == RURAL_OPEN_SPACE


def test_infill_in_the_extent_extension_next_to_it_leapfrog_away_from_it():
    classes = expansion_classes(built_m2(T1), built_m2(T2), built_threshold=0.5, **SMALL)
    expected = np.zeros(T1.shape, dtype=np.uint8)
    expected[3, 2] = INFILL  # the hole of the block, fringe open space at t1
    expected[3, 4] = INFILL  # a side neighbour of the block, fringe open space at t1
    expected[2, 5] = EXTENSION  # outside the extent (200 m from the block), next to fringe (2,4)
    expected[3, 9] = LEAPFROG  # a patch of two cells far from the extent
    expected[3, 10] = LEAPFROG
    assert classes.data.tolist() == expected.tolist()
    assert classes.grid == grid_of(T1.shape)


def test_a_patch_touching_the_extent_is_extension_in_full():
    t2 = T1.copy()
    t2[3, 5:9] = True  # (3,5) touches the fringe cell (3,4); (3,6)-(3,8) only through (3,5)
    classes = expansion_classes(built_m2(T1), built_m2(t2), **SMALL).data
    assert classes[3, 5:9].tolist() == [EXTENSION] * 4


def test_infill_extension_and_leapfrog_add_up_to_the_new_built_up():
    rng = np.random.default_rng(3)
    t1 = rng.random((30, 40)) < 0.3
    t2 = t1 | (rng.random((30, 40)) < 0.2)
    t2[0, 0] = False  # one cell built at t1 and lost at t2 is not new built-up
    t1[0, 0] = True
    classes = expansion_classes(built_m2(t1), built_m2(t2), **SMALL)
    new = t2 & ~t1
    assert np.array_equal(classes.data > 0, new)
    areas = new_built_up_area_m2(classes)
    total = sum(raster.data for raster in areas.values())
    # Every new cell counts its whole 10,000 m², once.
    assert total.sum() == new.sum() * 10_000.0
    assert {name: int((raster.data > 0).sum()) for name, raster in areas.items()} == {
        "infill": int((classes.data == INFILL).sum()),
        "extension": int((classes.data == EXTENSION).sum()),
        "leapfrog": int((classes.data == LEAPFROG).sum()),
    }


def test_an_enclosed_open_area_under_the_limit_is_captured_open_space():
    ring = drawing(
        """
        .........
        .........
        ..#####..
        ..#...#..
        ..#...#..
        ..#...#..
        ..#####..
        .........
        .........
        """
    )
    # Every ring cell has 3 built cells in its 3 x 3 (3/9 = 0.33): suburban. The inner cells
    # next to the ring are fringe; the centre (4,4) is 200 m from the ring: an enclosed 1 ha
    # hole, captured when the limit is 200 ha, rural open space when it is 0.5 ha.
    codes = urban_extent(ring, grid_of(ring.shape), **SMALL)
    assert codes[2, 4] == SUBURBAN_BUILT_UP
    assert codes[3, 3] == FRINGE_OPEN_SPACE
    assert codes[4, 4] == CAPTURED_OPEN_SPACE
    assert codes[0, 0] == RURAL_OPEN_SPACE  # open, but reaches the grid's edge
    small_limit = urban_extent(ring, grid_of(ring.shape), **{**SMALL, "captured_max_ha": 0.5})
    assert small_limit[4, 4] == RURAL_OPEN_SPACE


def test_inputs_are_not_mutated():
    t1, t2 = built_m2(T1), built_m2(T2)
    before = (t1.data.copy(), t2.data.copy())
    expansion_classes(t1, t2, **SMALL)
    assert np.array_equal(t1.data, before[0]) and np.array_equal(t2.data, before[1])


def test_rasters_on_different_grids_are_refused():
    other = Raster(np.zeros((7, 12)), grid_of((7, 12), crs=CRS.from_epsg(32630)), name="b2024")
    with pytest.raises(GridMismatchError, match="b2024"):
        expansion_classes(built_m2(T1), other)


def test_a_geographic_grid_is_refused():
    grid = grid_of((2, 2), crs=CRS.from_epsg(4326))
    built = Raster(np.zeros((2, 2)), grid, name="built_2014.tif")
    with pytest.raises(CRSError, match=r"built_2014.tif is in the geographic CRS"):
        expansion_classes(built, built)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("built_threshold", 0.0, "built_threshold = 0.0"),
        ("built_threshold", 1.5, "built_threshold = 1.5"),
        ("value_kind", "percent", "value_kind = 'percent'"),
        ("radius_m", -1.0, "radius_m = -1.0"),
        ("suburban_share", 0.6, "suburban_share = 0.6 is above urban_share"),
        ("fringe_m", -5.0, "fringe_m = -5.0"),
    ],
)
def test_parameters_out_of_range_are_refused_by_name(option, value, message):
    with pytest.raises(ParameterError, match=message):
        expansion_classes(built_m2(T1), built_m2(T2), **{**SMALL, option: value})
