"""Tests of observatory.kernels.extent and .change: the Atlas urban extent on built-up m²
and infill / extension / leapfrog / inclusion.

Every case is drawn on 100 m cells (10,000 m², 1 ha). The small circle of the hand cases is
r = 150 m: it holds the 3 x 3 block around a cell (the diagonal neighbours are 141 m away),
so a cell's circle share is (built-up m² in its 3 x 3) / (10,000 x cells of the 3 x 3 inside
the grid). Fringe 100 m = the four side neighbours of a cell (the diagonal ones are 141 m).
"""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from rasterio.crs import CRS

from observatory.errors import CRSError, GridMismatchError, ParameterError
from observatory.kernels.change import (
    EXTENSION,
    INFILL,
    LEAPFROG,
    classify_new_built_up,
    expansion,
)
from observatory.kernels.extent import (
    CAPTURED_OPEN_SPACE,
    FRINGE_OPEN_SPACE,
    NO_DATA,
    RURAL_BUILT_UP,
    RURAL_OPEN_SPACE,
    SUBURBAN_BUILT_UP,
    URBAN_BUILT_UP,
    built_up_m2,
    urban_extent,
    walking_circle,
)
from observatory.kernels.grid import Grid, Raster

CELL = 100.0
HA = 10_000.0
UTM_31N = CRS.from_epsg(32631)
SMALL = {
    "radius_m": 150.0,
    "urban_share": 0.5,
    "suburban_share": 0.25,
    "fringe_m": 100.0,
    "captured_max_ha": 200.0,
}


def grid_of(shape: tuple[int, int], crs: CRS = UTM_31N) -> Grid:
    return Grid(crs, Affine(CELL, 0.0, 500_000.0, 0.0, -CELL, 4_000_000.0), *shape)


def plan(text: str, **values: float) -> np.ndarray:
    """Built-up m² from a drawing: '#' 8,000 m², '.' 0, other letters as given."""
    table = {"#": 8000.0, ".": 0.0, **values}
    return np.array([[table[c] for c in line.strip()] for line in text.strip().splitlines()])


def extent_of(built: np.ndarray, **overrides):
    return urban_extent(built, grid_of(built.shape), **{**SMALL, **overrides})


def raster(built: np.ndarray, nodata: float | None = None) -> Raster:
    return Raster(built, grid_of(built.shape), nodata=nodata, name="built")


BLOCK = plan(
    """
    ............
    ............
    .###........
    .#.#........
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


def test_built_up_m2_reads_m2_or_shares_and_clips_to_the_cell():
    grid = grid_of((1, 4))
    values = np.array([[2500.0, 12_000.0, -1.0, -3.0]])
    assert built_up_m2(Raster(values, grid, nodata=-1.0)).tolist() == [[2500, HA, 0, 0]]
    shares = Raster(np.array([[0.25, 1.0, 0.0, 0.5]]), grid)
    assert built_up_m2(shares, value_kind="share").tolist() == [[2500, HA, 0, 5000]]
    with pytest.raises(ParameterError, match="value_kind = 'percent'"):
        built_up_m2(shares, value_kind="percent")


@pytest.mark.parametrize(
    ("m2_per_cell", "code"),
    [
        (2499.0, RURAL_BUILT_UP),  # 9 x 2,499 / 90,000 = 0.2499 < 0.25
        (2500.0, SUBURBAN_BUILT_UP),  # exactly 0.25: suburban (>=)
        (5000.0, SUBURBAN_BUILT_UP),  # exactly 0.5: still suburban (urban needs > 0.5)
        (5001.0, URBAN_BUILT_UP),
    ],
)
def test_circle_share_thresholds_on_built_up_m2(m2_per_cell, code):
    # A 3 x 3 grid with the same m² everywhere: every cell's circle share is m² / 10,000
    # (a corner cell has 4 cells with data in its circle, 4 x m² / 40,000).
    result = extent_of(np.full((3, 3), m2_per_cell))
    assert np.all(result.codes == code)


def test_every_built_up_m2_counts_a_cell_with_one_m2_in_a_dense_block_is_urban():
    built = np.full((3, 3), HA)
    built[1, 1] = 1.0  # (8 x 10,000 + 1) / 90,000 = 0.89
    result = extent_of(built)
    assert result.codes[1, 1] == URBAN_BUILT_UP
    assert result.extent_m2()[1, 1] == HA  # the whole cell: its open m² are fringe


def test_urban_extent_of_the_hand_drawn_block():
    result = extent_of(BLOCK)
    # Corner (2,1): 3 built cells of the 3 x 3, 24,000 / 90,000 = 0.27, suburban. Side-middle
    # (2,2): 5 built cells, 0.44, suburban.
    assert result.codes[2, 1] == SUBURBAN_BUILT_UP
    assert result.codes[2, 2] == SUBURBAN_BUILT_UP
    # The hole (3,2) and the side neighbours of the ring are 100 m away: fringe.
    assert result.codes[3, 2] == FRINGE_OPEN_SPACE
    assert result.codes[3, 4] == FRINGE_OPEN_SPACE and result.codes[1, 2] == FRINGE_OPEN_SPACE
    # The diagonal corner (1,0) is 141 m from (2,1): not fringe.
    assert result.codes[1, 0] == RURAL_OPEN_SPACE
    # 8 ring cells + the hole + 3 side neighbours on each of the 4 sides = 21 cells of 1 ha.
    assert result.cells.sum() == 21
    assert result.extent_m2().sum() == 21 * HA


def test_fringe_cells_count_their_open_m2_and_rural_built_up_stays_outside():
    # With suburban_share 0.4 only the side-middles of the ring (0.44) are suburban; the
    # corners (0.27) hold rural built-up, and lie next to a side-middle: fringe cells whose
    # 2,000 open m² are in the extent and whose 8,000 built-up m² are not.
    built = BLOCK.copy()
    built[3, 4] = 300.0  # next to (3,3); its share (2 corners + (3,3) + 300) / 90,000 = 0.27
    built[0, 9] = 8000.0  # a lone cell: 8,000 / 60,000 = 0.13, rural built-up, no fringe
    result = extent_of(built, suburban_share=0.4)
    assert result.codes[2, 1] == FRINGE_OPEN_SPACE and result.extent_m2()[2, 1] == 2000.0
    assert result.codes[3, 4] == FRINGE_OPEN_SPACE
    assert result.extent_m2()[3, 4] == HA - 300.0
    assert result.codes[0, 9] == RURAL_BUILT_UP and result.extent_m2()[0, 9] == 0.0
    assert result.codes[0, 8] == RURAL_OPEN_SPACE


RING = plan(
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


def test_an_enclosed_open_area_under_the_limit_is_captured_open_space():
    # Ring cells: 3 to 5 built cells in their 3 x 3, suburban. The centre (4,4) is 200 m from
    # the ring: an enclosed hole of 1 ha of open land, captured under 200 ha, not under 0.5 ha.
    result = extent_of(RING)
    assert result.codes[2, 4] == SUBURBAN_BUILT_UP
    assert result.codes[3, 3] == FRINGE_OPEN_SPACE
    assert result.codes[4, 4] == CAPTURED_OPEN_SPACE
    assert result.extent_m2()[4, 4] == HA
    assert result.codes[0, 0] == RURAL_OPEN_SPACE  # open, but reaches the grid's edge
    assert extent_of(RING, captured_max_ha=1.0).codes[4, 4] == RURAL_OPEN_SPACE  # 1 ha !< 1
    # The limit counts open land: 1 ha minus 5,000 m² of rural built-up is 0.5 ha < 0.6 ha.
    with_house = RING.copy()
    with_house[4, 4] = 5000.0  # 5 of the 3 x 3 are fringe, so its share is 0.06: rural
    result = extent_of(with_house, captured_max_ha=0.6)
    assert result.codes[4, 4] == CAPTURED_OPEN_SPACE
    assert result.extent_m2()[4, 4] == 5000.0


def test_a_hole_next_to_cells_without_data_is_not_captured():
    valid = np.ones(RING.shape, dtype=bool)
    valid[4, 5] = False  # the hole's east neighbour has no data: the hole may go on there
    result = extent_of(RING, valid=valid)
    assert result.codes[4, 4] == RURAL_OPEN_SPACE
    assert result.codes[4, 5] == NO_DATA and result.extent_m2()[4, 5] == 0.0


def classes_between(before: np.ndarray, after: np.ndarray, **overrides):
    return expansion(raster(before), raster(after), **{**SMALL, **overrides})


def test_a_hole_filled_inside_is_infill_a_corner_touch_is_extension_one_cell_beyond_leapfrog():
    after = BLOCK.copy()
    after[3, 2] = 2000.0  # the hole of the ring, fringe at t1: infill
    after[5, 5] = 3000.0  # touches the fringe cell (4,4) at a corner only: extension
    after[3, 6] = 4000.0  # (3,5) between it and the fringe cell (3,4) gets nothing: leapfrog
    after[1, 9:11] = 1500.0  # a patch far away: leapfrog
    change = classes_between(BLOCK, after)
    codes = change.classes.data
    assert codes[3, 2] == INFILL
    assert codes[5, 5] == EXTENSION
    assert codes[3, 6] == LEAPFROG
    assert codes[1, 9:11].tolist() == [LEAPFROG, LEAPFROG]
    assert np.count_nonzero(codes) == 5
    areas = {name: r.sum() for name, r in change.area_m2().items()}
    assert areas["infill"] == 2000.0
    assert areas["extension"] == 3000.0
    assert areas["leapfrog"] == 4000.0 + 3000.0


def test_a_cluster_of_development_cells_touching_the_extent_is_extension_in_full():
    after = BLOCK.copy()
    after[3, 5:9] = 1000.0  # (3,5) touches the fringe (3,4); (3,6)-(3,8) only through it
    codes = classes_between(BLOCK, after).classes.data
    assert codes[3, 5:9].tolist() == [EXTENSION] * 4


@pytest.mark.parametrize(("first_m2", "far_type"), [(899.0, LEAPFROG), (900.0, EXTENSION)])
def test_a_cell_under_min_new_m2_counts_but_does_not_carry_contiguity(first_m2, far_type):
    # (3,5) touches the extent (fringe (3,4)); (3,6) touches only (3,5).
    new = np.zeros(BLOCK.shape)
    new[3, 5] = first_m2
    new[3, 6] = 5000.0
    in_extent = extent_of(BLOCK).cells
    codes = classify_new_built_up(new, in_extent, min_new_m2=900.0)
    assert codes[3, 5] == EXTENSION  # touches the extent itself, whatever its m²
    assert codes[3, 6] == far_type  # extension only through a development cell (>= 900)


def test_open_land_newly_inside_the_extent_is_inclusion():
    # t1: the ring without three cells of its east wall, so its inside reaches the east edge
    # through (4,6), 200 m from the wall's ends. With suburban_share 0.15 the wall's ends keep
    # 2 built cells of 9 (16,000 / 90,000 = 0.18): suburban. t2 closes the wall.
    before = RING.copy()
    before[3:6, 6] = 0.0
    options = {"suburban_share": 0.15}
    change = classes_between(before, RING, **options)
    assert change.extent_t1.codes[4, 4] == RURAL_OPEN_SPACE
    assert change.extent_t2.codes[4, 4] == CAPTURED_OPEN_SPACE
    codes = change.classes.data
    assert codes[3, 6] == INFILL and codes[5, 6] == INFILL  # fringe of the wall's ends at t1
    assert codes[4, 6] == EXTENSION  # outside E1, touching (3,6) and (5,6)
    # Newly in the extent and open at t2: the captured hole (4,4), the fringe (4,5) and
    # (3,7), (4,7), (5,7) east of the closed wall: 5 ha; (4,6) is built over, 2,000 m² open.
    included = change.extent_t2.cells & ~change.extent_t1.cells
    assert sorted(zip(*np.nonzero(included), strict=True)) == [
        (3, 7), (4, 4), (4, 5), (4, 6), (4, 7), (5, 7)
    ]  # fmt: skip
    assert change.area_m2()["inclusion"].sum() == 5 * HA + 2000.0


def test_conservation_infill_extension_and_leapfrog_add_up_to_the_built_up_change():
    rng = np.random.default_rng(3)
    # a dense west (every cell 40-100 % built) and a sparse east (10 % of cells built)
    dense = np.arange(50) < 20
    odds = np.where(dense, 1.0, 0.1)
    before = np.where(rng.random((40, 50)) < odds, rng.uniform(0.4 * HA, HA, (40, 50)), 0.0)
    growth = np.where(rng.random((40, 50)) < 0.4, rng.uniform(0, 3000, (40, 50)), 0.0)
    after = np.minimum(before + growth, HA)
    change = expansion(raster(before), raster(after))  # Atlas defaults, r = 564 m
    areas = change.area_m2()
    total = sum(areas[name].sum() for name in ("infill", "extension", "leapfrog"))
    assert total == pytest.approx(after.sum() - before.sum(), rel=1e-12)
    assert all(areas[name].sum() > 0 for name in ("infill", "extension", "leapfrog"))
    # A loss is not new built-up: the types add up to the gains only.
    after[0, 0], before[0, 0] = 0.0, 5000.0
    change = expansion(raster(before), raster(after))
    total = sum(r.sum() for name, r in change.area_m2().items() if name != "inclusion")
    assert total == pytest.approx(np.clip(after - before, 0, None).sum(), rel=1e-12)


def test_inputs_are_not_mutated():
    grown = BLOCK.copy()
    grown[3, 2] = 2000.0
    t1, t2 = raster(BLOCK.copy()), raster(grown)
    before = (t1.data.copy(), t2.data.copy())
    expansion(t1, t2, **SMALL)
    assert np.array_equal(t1.data, before[0]) and np.array_equal(t2.data, before[1])


def test_rasters_on_different_grids_are_refused():
    other = Raster(np.zeros((7, 12)), grid_of((7, 12), crs=CRS.from_epsg(32630)), name="b2024")
    with pytest.raises(GridMismatchError, match="b2024"):
        expansion(raster(BLOCK), other)


def test_a_geographic_grid_is_refused():
    grid = grid_of((2, 2), crs=CRS.from_epsg(4326))
    built = Raster(np.zeros((2, 2)), grid, name="built_2014.tif")
    with pytest.raises(CRSError, match=r"built_2014.tif is in the geographic CRS"):
        expansion(built, built)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("value_kind", "percent", "value_kind = 'percent'"),
        ("radius_m", -1.0, "radius_m = -1.0"),
        ("urban_share", 1.5, "urban_share = 1.5"),
        ("suburban_share", 0.6, "suburban_share = 0.6 is above urban_share"),
        ("fringe_m", -5.0, "fringe_m = -5.0"),
        ("captured_max_ha", -1.0, "captured_max_ha = -1.0"),
        ("min_new_m2", -1.0, "min_new_m2 = -1.0"),
    ],
)
def test_parameters_out_of_range_are_refused_by_name(option, value, message):
    with pytest.raises(ParameterError, match=message):
        expansion(raster(BLOCK), raster(BLOCK), **{**SMALL, option: value})
