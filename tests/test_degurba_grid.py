"""Tests of Degree of Urbanisation stage 1 (preprocessing and grid classes) on tiny grids.

Every grid has 1 km² cells, land share 1 and no built-up unless a test says otherwise, so a
cell's density equals its population.
"""

from pathlib import Path

import numpy as np
import pytest
from affine import Affine
from rasterio.crs import CRS

from observatory.degurba.grid import (
    class_summary,
    classify_grid,
    fill_gaps,
    level1_from_level2,
    smooth_edges,
    urban_centres,
)
from observatory.degurba.preprocess import (
    aggregate_to_coarse_grid,
    prepare_grid,
    repeat_to_fine_grid,
    share_from_m2,
)
from observatory.degurba.rules import rules_from_name
from observatory.errors import CRSError, GridMismatchError, InputDataError, ParameterError
from observatory.kernels import grid as grid_module
from observatory.kernels.grid import Grid, Raster

GHSL_2023 = rules_from_name("ghsl-2023")


def classify(population, *, level, rules=GHSL_2023, built=None, land=None):
    prepared = prepare_grid(
        np.asarray(population, dtype=float), rules=rules, built_share=built, land_share=land
    )
    return classify_grid(prepared, rules=rules, level=level)


def two_cells(first, second, shape=(5, 6)):
    """A grid of zeros with two 4-adjacent populated cells at (2, 2) and (2, 3)."""
    population = np.zeros(shape)
    population[2, 2], population[2, 3] = first, second
    return population


# --- preprocessing -------------------------------------------------------------------------


def test_shares_from_m2_divide_by_the_cell_area():
    # 200,000 m² of a 1 km² cell is 0.2; 1,000,000 m² is 1.
    np.testing.assert_allclose(share_from_m2(np.array([200_000, 1_000_000])), [0.2, 1.0])


def test_coastal_cell_with_half_land_has_double_density():
    # pop 900 on land share 0.5 → 900 / 0.5 = 1800 inhabitants per km² of land.
    prepared = prepare_grid(np.array([[900.0]]), rules=GHSL_2023, land_share=np.array([[0.5]]))
    assert prepared.density[0, 0] == 1800.0


def test_built_up_share_of_land_is_rounded_to_three_decimals():
    # 0.0998 built on land 0.5 → 0.1996 → rounds to 0.2, which meets the 0.2 threshold.
    prepared = prepare_grid(
        np.array([[0.0]]),
        rules=GHSL_2023,
        built_share=np.array([[0.0998]]),
        land_share=np.array([[0.5]]),
    )
    assert prepared.built_share[0, 0] == 0.2


def test_water_needs_little_land_no_people_and_no_built_up():
    # land 0.4/pop 0/built 0 → water; pop 1 → not; built 0.01 → not; land 0.5 → not;
    # nodata population (NaN) counts as 0 → water.
    population = np.array([[0.0, 1.0, 0.0, 0.0, np.nan]])
    land = np.array([[0.4, 0.4, 0.4, 0.5, 0.4]])
    built = np.array([[0.0, 0.0, 0.01, 0.0, 0.0]])
    prepared = prepare_grid(population, rules=GHSL_2023, built_share=built, land_share=land)
    assert prepared.water.tolist() == [[True, False, False, False, True]]
    assert classify(population, level=2, built=built, land=land).tolist() == [[10, 11, 11, 11, 10]]
    assert classify(population, level=1, built=built, land=land).tolist() == [[0, 1, 1, 1, 0]]


def test_prepare_grid_refuses_arrays_of_different_shapes():
    with pytest.raises(InputDataError, match="land grid has shape"):
        prepare_grid(np.zeros((2, 2)), rules=GHSL_2023, land_share=np.ones((3, 3)))


def test_prepare_grid_does_not_change_its_inputs():
    population = np.array([[np.nan, 5.0]])
    prepare_grid(population, rules=GHSL_2023)
    assert np.isnan(population[0, 0]) and population[0, 1] == 5.0


# --- urban centres: thresholds -------------------------------------------------------------


def test_density_exactly_1500_and_total_exactly_50000_is_an_urban_centre():
    # Cells 1500 and 48,500: both dense (>= 1500), 4-adjacent, total 50,000 >= 50,000.
    classes = classify(two_cells(1500, 48_500), level=1)
    assert classes[2, 2] == 3 and classes[2, 3] == 3
    assert (classes == 3).sum() == 2


def test_density_1499_99_is_not_dense():
    # The 1499.99 cell is not dense, so the dense cluster is the 48,500 cell alone: no centre.
    # At level 1 both cells form an urban cluster (>= 300, 8-conn, 49,999.99 >= 5,000).
    assert classify(two_cells(1499.99, 48_500), level=1)[2, 2:4].tolist() == [2, 2]
    # At level 2 the 48,500 cell is a dense urban cluster (23) and the 1499.99 cell, within
    # 2 km of it, is suburban (21) through the 300/8-conn/5,000 cluster.
    assert classify(two_cells(1499.99, 48_500), level=2)[2, 2:4].tolist() == [21, 23]


def test_total_49999_is_a_dense_urban_cluster_not_a_centre():
    # 1500 + 48,499 = 49,999 < 50,000 → not a centre; >= 5,000 → dense urban cluster (23).
    assert classify(two_cells(1500, 48_499), level=2)[2, 2:4].tolist() == [23, 23]
    assert classify(two_cells(1500, 48_499), level=1)[2, 2:4].tolist() == [2, 2]


def test_diagonal_blocks_are_two_4_connected_clusters_but_one_8_connected_cluster():
    # Two cells of 30,000 touching only at a corner.
    population = np.zeros((4, 4))
    population[1, 1] = population[2, 2] = 30_000
    # 4-connectivity: two clusters of 30,000 < 50,000 → no centre; each >= 5,000 → 23.
    assert classify(population, level=2)[[1, 2], [1, 2]].tolist() == [23, 23]
    # Urban cluster (8-connectivity): one cluster of 60,000 → level 1 class 2.
    assert classify(population, level=1)[[1, 2], [1, 2]].tolist() == [2, 2]
    # With uc_contiguity = 8 the two cells form one centre of 60,000.
    queen = rules_from_name("ghsl-2023", {"uc_contiguity": 8})
    assert classify(population, level=1, rules=queen)[[1, 2], [1, 2]].tolist() == [3, 3]


def test_coastal_cell_with_land_share_half_joins_a_centre():
    # 900 on land 0.5 → 1800 >= 1500 → dense; 900 + 49,100 = 50,000 → centre.
    land = np.ones((5, 6))
    land[2, 2] = 0.5
    assert classify(two_cells(900, 49_100), level=1, land=land)[2, 2:4].tolist() == [3, 3]
    # With full land the same cell has density 900 → not dense → 49,100 alone → no centre.
    assert classify(two_cells(900, 49_100), level=1)[2, 2:4].tolist() == [2, 2]


def test_built_up_option_on_and_off():
    # Density 800 with built-up 0.55: dense only through the built-up criterion.
    # 800 + 49,200 = 50,000 → a centre when the 800 cell counts.
    built = np.zeros((5, 6))
    built[2, 2] = 0.55
    population = two_cells(800, 49_200)
    with_50 = rules_from_name("ghsl-2022")  # built-up >= 0.50
    without = rules_from_name("eurostat-2021")  # no built-up criterion
    assert classify(population, level=1, rules=with_50, built=built)[2, 2:4].tolist() == [3, 3]
    assert classify(population, level=1, rules=without, built=built)[2, 2:4].tolist() == [2, 2]
    # At 0.45 the ghsl-2022 threshold of 0.50 is not met, but ghsl-2023's 0.20 is.
    built[2, 2] = 0.45
    assert classify(population, level=1, rules=with_50, built=built)[2, 2:4].tolist() == [2, 2]
    assert classify(population, level=1, built=built)[2, 2:4].tolist() == [3, 3]


# --- majority rule -------------------------------------------------------------------------


def centre_ring(cells, label=1, shape=(5, 5)):
    centres = np.zeros(shape, dtype=np.int32)
    for row, col in cells:
        centres[row, col] = label
    return centres


NO_WATER = np.zeros((5, 5), dtype=bool)
FIVE_OF_EIGHT = [(1, 1), (1, 2), (1, 3), (2, 1), (3, 1)]  # around the focal cell (2, 2)


def smooth(centres, variant, water=NO_WATER, non_land=NO_WATER):
    return smooth_edges(centres, variant=variant, water=water, unpopulated_non_land=non_land)


@pytest.mark.parametrize("variant", ["r2022a", "r2023a"])
def test_majority_rule_adds_a_cell_with_5_of_8_neighbours_in_one_centre(variant):
    # (2, 2) has 5 of its 8 neighbours in centre 1 → joins (R2022A: 5 >= 5; R2023A: 2*5 > 8).
    # No other cell has more than 3 centre neighbours, before or after.
    result = smooth(centre_ring(FIVE_OF_EIGHT), variant)
    expected = centre_ring([*FIVE_OF_EIGHT, (2, 2)])
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("variant", ["r2022a", "r2023a"])
def test_majority_rule_does_not_add_a_cell_with_4_of_8(variant):
    # (2, 2) has 4 of 8: R2022A 4 < 5; R2023A 2*4 = 8 is not > 8.
    centres = centre_ring(FIVE_OF_EIGHT[:4])
    np.testing.assert_array_equal(smooth(centres, variant), centres)


@pytest.mark.parametrize("variant", ["r2022a", "r2023a"])
def test_majority_rule_needs_one_single_centre(variant):
    # 5 neighbours split 3 (centre 1, row 1) / 2 (centre 2, row 3): no centre has 5, or a
    # majority of 8 → nothing joins.
    centres = centre_ring([(1, 1), (1, 2), (1, 3)]) + centre_ring([(3, 1), (3, 2)], label=2)
    np.testing.assert_array_equal(smooth(centres, variant), centres)


def test_r2023a_counts_the_majority_among_valid_neighbours_only():
    # (2, 2): 3 centre neighbours (row 1), 3 water neighbours (row 3), 2 land (2,1), (2,3).
    # Valid = 8 - 3 water = 5; 2*3 = 6 > 5 → joins. R2022A: 3 < 5 → does not.
    centres = centre_ring([(1, 1), (1, 2), (1, 3)])
    water = NO_WATER.copy()
    water[3, 1:4] = True
    assert smooth(centres, "r2023a", water=water)[2, 2] == 1
    assert smooth(centres, "r2022a", water=water)[2, 2] == 0
    # Unpopulated non-land cells (land < 0.5, pop 0, some built-up) are ignored the same way.
    assert smooth(centres, "r2023a", non_land=water)[2, 2] == 1
    # With land instead of water: 2*3 = 6 is not > 8.
    assert smooth(centres, "r2023a")[2, 2] == 0


def test_r2023a_never_adds_a_water_cell_but_r2022a_does():
    water = NO_WATER.copy()
    water[2, 2] = True
    centres = centre_ring(FIVE_OF_EIGHT)
    assert smooth(centres, "r2023a", water=water)[2, 2] == 0
    assert smooth(centres, "r2022a", water=water)[2, 2] == 1


def test_r2023a_counts_neighbours_outside_the_grid_as_valid_non_centre_cells():
    # (0, 2) on the top edge: 5 neighbours inside, 4 of them in the centre, 3 outside.
    # Valid = 8 (outside cells count), 2*4 = 8 is not > 8 → does not join.
    centres = centre_ring([(0, 1), (0, 3), (1, 1), (1, 2)])
    assert smooth(centres, "r2023a")[0, 2] == 0


def test_majority_rule_repeats_until_nothing_is_added():
    # Pass 1: (2, 2) joins with 5 of 8. Pass 2: (2, 3) then has (1,2), (1,3), (1,4), (2,2),
    # (2,4)... : here (1,4) and (2,4) are centre too, so (2,3) has 5 → joins only in pass 2.
    cells = [*FIVE_OF_EIGHT, (1, 4), (2, 4)]
    result = smooth(centre_ring(cells), "r2022a")
    assert result[2, 2] == 1 and result[2, 3] == 1


# --- gap filling ---------------------------------------------------------------------------


def ring_with_hole(hole_rows, hole_cols):
    """Centre 1 everywhere in a 9 x 11 grid except a rectangular hole."""
    centres = np.ones((9, 11), dtype=np.int32)
    centres[hole_rows, hole_cols] = 0
    return centres


def test_a_hole_of_14_km2_is_filled():
    centres = ring_with_hole(slice(2, 4), slice(2, 9))  # 2 x 7 = 14 cells
    assert (fill_gaps(centres, max_cells=14) == 1).all()


def test_a_hole_of_15_km2_is_not_filled():
    centres = ring_with_hole(slice(2, 5), slice(2, 7))  # 3 x 5 = 15 cells
    np.testing.assert_array_equal(fill_gaps(centres, max_cells=14), centres)


def test_gap_at_the_grid_edge_is_not_a_hole():
    centres = np.ones((4, 4), dtype=np.int32)
    centres[0, 1:3] = 0  # open to the top edge
    np.testing.assert_array_equal(fill_gaps(centres, max_cells=14), centres)


def test_gap_filling_in_the_pipeline_uses_15_km2():
    # A 7 x 7 centre of 2,000 per cell (98,000 with the hole at 0) with a 1-cell lake in the
    # middle: the lake is water (land 0), never joins by the majority rule, but is a hole of
    # 1 km² < 15 km² → filled → urban centre.
    population = np.zeros((9, 9))
    population[1:8, 1:8] = 2000
    population[4, 4] = 0
    land = np.ones((9, 9))
    land[4, 4] = 0
    prepared = prepare_grid(population, rules=GHSL_2023, land_share=land)
    centres = urban_centres(prepared, rules=GHSL_2023)
    assert centres[4, 4] == 1 and (centres[1:8, 1:8] == 1).all()
    no_fill = rules_from_name("ghsl-2023", {"uc_gap_fill": "false"})
    assert classify(population, level=1, land=land, rules=no_fill)[4, 4] == 0


# --- level 2 -------------------------------------------------------------------------------


def test_semi_dense_cluster_must_be_farther_than_2_km_from_dense_clusters():
    # (0, 0) = 6000: a dense urban cluster (>= 1500, >= 5,000). Two cells of 1250 (>= 900,
    # 2,500 >= 2,500) start at column 3 (3 cells away: outside the 2-cell buffer) → 22.
    population = np.zeros((3, 8))
    population[0, 0] = 6000
    population[0, 3:5] = 1250
    classes = classify(population, level=2)
    assert classes[0, 0] == 23 and classes[0, 3:5].tolist() == [22, 22]
    # Starting at column 2 it is inside the buffer: not semi-dense; its 300/8-conn cluster
    # holds 2,500 < 5,000 → not suburban; >= 500 → rural cluster (13).
    population[0, 3:5] = 0
    population[0, 2:4] = 1250
    assert classify(population, level=2)[0, 2:4].tolist() == [13, 13]


def test_semi_dense_size_threshold_is_2500():
    # 1250 + 1249.99 = 2,499.99 < 2,500 → a rural cluster, not semi-dense.
    population = np.zeros((3, 8))
    population[1, 4:6] = [1250, 1249.99]
    assert classify(population, level=2)[1, 4:6].tolist() == [13, 13]


def test_suburban_rural_cluster_and_low_density_codes():
    population = np.zeros((3, 9))
    population[0, 0] = 6000  # dense urban cluster (23)
    population[1, 1] = 400  # 8-adjacent to it: 300/8-conn cluster of 6,400 → suburban (21)
    population[0, 5] = 499  # 300/8-conn cluster of 499 < 500 → not a rural cluster; >= 50 → 12
    population[2, 7] = 500  # cluster of 500 → rural cluster (13)
    population[2, 3] = 50  # >= 50 → low density rural (12)
    population[2, 4] = 49.99  # < 50 → very low density rural (11)
    classes = classify(population, level=2)
    assert classes[0, 0] == 23 and classes[1, 1] == 21
    assert classes[0, 5] == 12 and classes[2, 7] == 13
    assert classes[2, 3] == 12 and classes[2, 4] == 11
    # Level 1 of the same grid: 23 and 21 are one urban cluster; the rest is rural.
    level1 = classify(population, level=1)
    assert level1[0, 0] == 2 and level1[1, 1] == 2 and level1[2, 7] == 1


def test_small_semi_dense_and_built_up_dense_clusters_are_urban_clusters_at_level_1():
    # Two cells of 1250 (>= 900, 4-conn, 2,500 >= 2,500, far from any dense cluster): a
    # semi-dense urban cluster (22) although its 300/8-conn cluster holds 2,500 < 5,000.
    population = np.zeros((5, 12))
    population[1, 1:3] = 1250
    # 4,900 dense people next to a cell of 200 whose built-up share is 0.5: one dense
    # cluster (>= 1500 or built-up >= 0.2, 4-conn) of 5,100 >= 5,000 → 23 for both cells,
    # though neither density >= 300 cluster alone reaches 5,000.
    population[3, 8:10] = [4900, 200]
    built = np.zeros((5, 12))
    built[3, 9] = 0.5
    level2 = classify(population, level=2, built=built)
    assert level2[1, 1:3].tolist() == [22, 22] and level2[3, 8:10].tolist() == [23, 23]
    # Level 1 is the first digit of level 2: both clusters are urban clusters (2).
    level1 = classify(population, level=1, built=built)
    assert level1[1, 1:3].tolist() == [2, 2] and level1[3, 8:10].tolist() == [2, 2]
    assert (level1 == level1_from_level2(level2)).all()


def test_level1_from_level2_uses_the_tens_digit_and_water_zero():
    codes = np.array([30, 23, 22, 21, 13, 12, 11, 10], dtype=np.uint8)
    assert level1_from_level2(codes).tolist() == [3, 2, 2, 2, 1, 1, 1, 0]


def test_classify_grid_refuses_level_3():
    prepared = prepare_grid(np.zeros((2, 2)), rules=GHSL_2023)
    with pytest.raises(ParameterError, match="level 3"):
        classify_grid(prepared, rules=GHSL_2023, level=3)


def test_class_summary_counts_population_and_area():
    # Classes 3, 3, 1, 0 with 10, 20, 5, NaN people → centre 30 (2 km²), rural 5 (1 km²).
    summary = class_summary(
        np.array([[3, 3], [1, 0]]),
        np.array([[10.0, 20.0], [5.0, np.nan]]),
        codes={3: "urban centre", 2: "urban cluster", 1: "rural", 0: "water"},
        cell_area_km2=1.0,
    )
    assert summary[0] == {
        "code": 3,
        "name": "urban centre",
        "cells": 2,
        "area_km2": 2.0,
        "population": 30.0,
        "population_share": 30 / 35,
    }
    assert summary[1]["cells"] == 0 and summary[3]["population"] == 0.0


# --- 1 km sums of finer grids -------------------------------------------------------------


def fine_raster(data, *, x0=4_000_000.0, y0=3_000_000.0, size=100.0, crs="EPSG:3035"):
    grid = Grid(
        crs=CRS.from_user_input(crs),
        transform=Affine(size, 0, x0, 0, -size, y0),
        height=data.shape[0],
        width=data.shape[1],
    )
    return Raster(data=data, grid=grid, nodata=-1.0, name="pop100.tif")


def test_100m_population_is_summed_into_its_1km_cell():
    # 20 x 10 cells of 100 m = two 1 km cells stacked; each 100 m cell holds 1 person
    # except one nodata cell in the top block → 99 and 100.
    data = np.ones((20, 10))
    data[0, 0] = -1.0
    coarse = aggregate_to_coarse_grid(fine_raster(data))
    assert coarse.data.tolist() == [[99.0], [100.0]]
    assert coarse.grid.transform == Affine(1000, 0, 4_000_000, 0, -1000, 3_000_000)


def test_partial_blocks_at_the_edge_are_summed_into_a_whole_1km_cell():
    # 15 columns of 100 m: the second 1 km cell gets only 5 columns (5 x 10 = 50 people).
    coarse = aggregate_to_coarse_grid(fine_raster(np.ones((10, 15))))
    assert coarse.data.tolist() == [[100.0, 50.0]]


def test_finer_grid_is_refused_in_a_geographic_crs():
    # 0.001° at the equator: about 111 m, so cells of 100 m (not 1000 m, as the hint said).
    raster = fine_raster(np.ones((10, 10)), x0=0.0, y0=0.0, size=0.001, crs="EPSG:4326")
    with pytest.raises(CRSError, match=r"equal-area grid.*'gdalwarp -t_srs ESRI:54009 -tr 100 100"):
        aggregate_to_coarse_grid(raster)


def test_finer_grid_with_a_non_dividing_cell_size_is_refused():
    # The fix warps onto the closest cells that divide 1 km (250 m, not 100 m as it said),
    # in the grid's own CRS, over its extent widened to whole kilometres.
    with pytest.raises(ParameterError, match="300 x 300 cells") as refused:
        aggregate_to_coarse_grid(fine_raster(np.ones((10, 10)), size=300.0))
    assert (
        "'gdalwarp -t_srs EPSG:3035 -tr 250 250 -te 4000000 2997000 4003000 3000000 -r sum "
        "IN.tif OUT.tif'"
    ) in str(refused.value)


def test_finer_grid_with_a_misaligned_origin_is_refused():
    # -tap -tr 100 100 (the former hint) aligns on 100 m only; the fix gives a 1 km-aligned
    # extent.
    with pytest.raises(GridMismatchError, match="not on a corner") as refused:
        aggregate_to_coarse_grid(fine_raster(np.ones((10, 10)), x0=4_000_050.0))
    assert "-tr 100 100 -te 4000000 2999000 4002000 3000000" in str(refused.value)


def test_a_1km_grid_comes_back_as_it_is_wherever_its_origin():
    # already 1 km cells: no sums, so the origin need not be a multiple of 1000 m
    data = np.array([[5.0, -1.0]])
    coarse = aggregate_to_coarse_grid(fine_raster(data, x0=4_000_050.0, size=1000.0))
    assert np.array_equal(coarse.data, [[5.0, np.nan]], equal_nan=True)
    assert coarse.grid.transform == Affine(1000, 0, 4_000_050, 0, -1000, 3_000_000)


def test_coarser_grid_is_refused():
    # -r sum onto finer cells would count each person four times: the fix says so.
    with pytest.raises(ParameterError, match=r"2000 x 2000 cells.*source's 1 km or 100 m grid"):
        aggregate_to_coarse_grid(fine_raster(np.ones((2, 2)), size=2000.0))


def test_class_of_the_containing_1km_cell_is_repeated_on_the_100m_grid():
    classes = Raster(
        data=np.array([[30, 11]], dtype=np.uint8),
        grid=Grid(CRS.from_epsg(3035), Affine(1000, 0, 4_000_000, 0, -1000, 3_000_000), 1, 2),
        nodata=255,
        name="classes.tif",
    )
    # A 100 m grid starting 500 m into the first cell, 17 columns: 5 in the first 1 km cell,
    # 10 in the second, 2 beyond the class grid (nodata 255).
    fine = Grid(CRS.from_epsg(3035), Affine(100, 0, 4_000_500, 0, -100, 3_000_000), 2, 17)
    fine_classes = repeat_to_fine_grid(classes, fine)
    assert fine_classes[0].tolist() == [30] * 5 + [11] * 10 + [255] * 2


# --- tiles ---------------------------------------------------------------------------------
#
# The classification labels clusters tile by tile (observatory.degurba.tiles); the classes must
# not depend on the tiles. The reference is the whole-grid path as it was before tiling:
# tests/data/degurba_whole_grid_classes.npz holds its classes of the seeded grids below.

WHOLE_GRID_CLASSES = Path(__file__).parent / "data" / "degurba_whole_grid_classes.npz"
TILE_SHAPES = [(7, 9), (13, 120), (90, 5), (16, 16)]


def synthetic_inputs(seed, shape=(90, 120)):
    """Population (float32), built-up share and land share of a small seeded grid: a sparse
    background, 14 cones of 400 to 9,000 people per km², lakes and coastal cells."""
    rng = np.random.default_rng(seed)
    height, width = shape
    population = rng.exponential(40.0, shape) * (rng.random(shape) < 0.6)
    rows, cols = np.ogrid[:height, :width]
    for _ in range(14):
        row, col = rng.integers(0, height), rng.integers(0, width)
        radius = rng.uniform(1.5, 12.0)
        peak = rng.uniform(400.0, 9000.0)
        population += peak * np.clip(1.0 - np.hypot(rows - row, cols - col) / radius, 0.0, None)
    land = np.ones(shape)
    for _ in range(25):
        row, col = rng.integers(0, height), rng.integers(0, width)
        land[row : row + rng.integers(1, 5), col : col + rng.integers(1, 5)] = rng.choice(
            [0.0, 0.3]
        )
    land[:, :3] = 0.0
    lakes = land < 0.5
    population[lakes & (rng.random(shape) < 0.8)] = 0.0
    built = np.clip(population / 12_000.0 + rng.normal(0.0, 0.03, shape), 0.0, 1.0)
    built[lakes & (rng.random(shape) < 0.7)] = 0.0
    return population.astype(np.float32), built, land


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rule_set", ["ghsl-2023", "ghsl-2022", "eurostat-2021"])
def test_tiled_classes_equal_those_of_the_whole_grid_path(seed, rule_set):
    expected = np.load(WHOLE_GRID_CLASSES)[f"seed{seed}_{rule_set}"]
    rules = rules_from_name(rule_set)
    population, built, land = synthetic_inputs(seed)
    prepared = prepare_grid(population, rules=rules, built_share=built, land_share=land)
    for tile_shape in [(10**6, 10**6), *TILE_SHAPES]:
        classes = classify_grid(prepared, rules=rules, level=2, tile_shape=tile_shape)
        assert np.array_equal(classes, expected), tile_shape
    assert (set(np.unique(expected)) - {12, 11, 10}) >= {30, 21}  # the grids hold towns


@pytest.mark.parametrize("seed", range(6))
def test_tiled_urban_centres_keep_the_numbers_of_the_whole_grid_path(seed):
    expected = np.load(WHOLE_GRID_CLASSES)[f"seed{seed}_centres"]
    population, built, land = synthetic_inputs(seed)
    prepared = prepare_grid(population, rules=GHSL_2023, built_share=built, land_share=land)
    for tile_shape in [(10**6, 10**6), (1, 1), *TILE_SHAPES]:
        centres = urban_centres(prepared, rules=GHSL_2023, tile_shape=tile_shape)
        assert np.array_equal(centres, expected), tile_shape


def test_clusters_across_seams_corners_and_three_tiles_keep_their_classes():
    # Tiles of 8 x 8 cut this 20 x 24 grid at rows 8 and 16 and columns 8 and 16.
    population = np.zeros((20, 24))
    land = np.ones((20, 24))
    # A centre of 6 x 6 cells of 2,000 over the corner of four tiles, with a lake at the
    # corner cell (8, 8): 70,000 people; the lake is a hole of 1 km², filled → 30.
    population[5:11, 5:11] = 2000
    population[8, 8], land[8, 8] = 0, 0
    # A row of 19 cells of 400 over three tiles: one 300/8-conn cluster of 7,600 → 21 (cut
    # by the tiles, each piece would be under 5,000 → 13).
    population[2, 2:21] = 400
    # A dense cluster (15, 11) of 6,000 → 23, and 2 km from it, across the seam of row 16,
    # two cells of 1,250: too near to be semi-dense → their cluster of 2,500 → 13.
    population[15, 11] = 6000
    population[17, 12:14] = 1250
    # 30,000 in the first and in the last column: the grid does not wrap, so two dense
    # clusters (23), not one centre of 60,000.
    population[12, 0] = population[12, 23] = 30_000
    expected = np.full((20, 24), 11, dtype=np.uint8)
    expected[8, 8] = 10
    expected[5:11, 5:11] = 30
    expected[2, 2:21] = 21
    expected[15, 11] = 23
    expected[17, 12:14] = 13
    expected[12, [0, 23]] = 23
    prepared = prepare_grid(population, rules=GHSL_2023, land_share=land)
    for tile_shape in [(8, 8), (10**6, 10**6), (3, 5), (20, 1), (1, 24)]:
        classes = classify_grid(prepared, rules=GHSL_2023, level=2, tile_shape=tile_shape)
        np.testing.assert_array_equal(classes, expected, err_msg=str(tile_shape))
        level1 = classify_grid(prepared, rules=GHSL_2023, level=1, tile_shape=tile_shape)
        np.testing.assert_array_equal(level1, level1_from_level2(expected))


def test_a_tile_shape_without_two_positive_sides_is_refused():
    prepared = prepare_grid(np.zeros((3, 3)), rules=GHSL_2023)
    with pytest.raises(ParameterError, match="tile shape"):
        classify_grid(prepared, rules=GHSL_2023, level=2, tile_shape=(0, 5))


def test_1km_sums_do_not_depend_on_how_many_rows_are_summed_at_a_time(monkeypatch):
    # 100 m counts with nodata and a partial last row and column of 1 km cells: summed
    # 8 fine rows at a time (one 1 km row), and all at once, the sums are the same numbers.
    rng = np.random.default_rng(7)
    values = rng.exponential(3.0, (95, 123))
    values[rng.random(values.shape) < 0.1] = np.nan
    values[:20, :30] = np.nan  # 1 km cells without any data → NaN
    whole = aggregate_to_coarse_grid(fine_raster(values)).data
    monkeypatch.setattr(grid_module, "BLOCK_CELLS", 1)
    by_rows = aggregate_to_coarse_grid(fine_raster(values)).data
    assert whole.shape == (10, 13) and np.isnan(whole[0, 0])
    assert whole.tobytes() == by_rows.tobytes()


def test_prepared_grid_reads_its_inputs_in_blocks_and_derives_the_same_values():
    population, built, land = synthetic_inputs(1)
    prepared = prepare_grid(population, rules=GHSL_2023, built_share=built, land_share=land)
    assert prepared.source_population is population  # not copied
    block = prepared.block(slice(10, 20), slice(30, 50))
    np.testing.assert_array_equal(block.density, prepared.density[10:20, 30:50])
    np.testing.assert_array_equal(block.built_share, prepared.built_share[10:20, 30:50])
    assert prepared.density.dtype == np.float32 and prepared.water.dtype == bool
    cells = np.array([0, 5 * 120 + 7])
    np.testing.assert_array_equal(prepared.population_at(cells), prepared.population.ravel()[cells])


def test_classes_with_other_rules_than_the_prepared_ones_use_their_own_thresholds():
    # The cell flags of prepare_grid hold the density masks of its rules; classifying with
    # other rules derives theirs (water and built-up rounding stay those of the preparation).
    population, built, land = synthetic_inputs(2)
    eurostat = rules_from_name("eurostat-2021")
    prepared_2023 = prepare_grid(population, rules=GHSL_2023, built_share=built, land_share=land)
    prepared_2021 = prepare_grid(population, rules=eurostat, built_share=built, land_share=land)
    expected = np.load(WHOLE_GRID_CLASSES)["seed2_eurostat-2021"]
    np.testing.assert_array_equal(classify_grid(prepared_2021, rules=eurostat, level=2), expected)
    np.testing.assert_array_equal(classify_grid(prepared_2023, rules=eurostat, level=2), expected)
