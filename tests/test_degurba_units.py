"""Tests of Degree of Urbanisation stage 2 (classes of spatial units), worked out by hand.

Rows are units; columns are the population (or area) in each grid class.
"""

import numpy as np
import pytest
import scipy.sparse

from observatory.degurba.units import (
    classify_units,
    level1_of_unit_class,
    unit_class_area,
    unit_class_population,
)
from observatory.errors import InputDataError, ParameterError

L1 = (3, 2, 1, 0)
L2 = (30, 23, 22, 21, 13, 12, 11, 10)


def test_level1_boundaries():
    population = np.array(
        [
            [50, 0, 50, 0],  # urban-centre share exactly 50 % → city (3)
            [49, 1, 50, 0],  # centre 49 %, rural exactly 50 % (not > 50 %) → town (2)
            [0, 49, 51, 0],  # rural 51 % > 50 % → rural area (1)
            [0, 10, 10, 80],  # water holds nobody in practice; shares are of non-water → town
        ]
    )
    assert classify_units(population, L1).tolist() == [3, 2, 1, 2]


def test_level1_from_level2_grid_codes():
    # Centre 30 = 50 % of 100 → city; rural 13+12+11 = 60 % → rural.
    population = np.array([[50, 0, 0, 10, 40, 0, 0, 0], [0, 20, 0, 20, 20, 20, 20, 0]])
    assert classify_units(population, L2, level=1).tolist() == [3, 1]


def test_level2_2024_rules():
    population = np.array(
        [
            [60, 10, 0, 10, 20, 0, 0, 0],  # centre 60 % → city (30)
            [10, 40, 0, 50, 0, 0, 0, 0],  # town; centre + DUC = 50 % → dense town (23)
            [0, 0, 20, 30, 50, 0, 0, 0],  # town (rural 50 %); SUrb + rural = 80 % → 21
            [0, 10, 60, 10, 20, 0, 0, 0],  # town; UC+DUC 10 %, SUrb+rural 30 % → 22
            [0, 0, 0, 10, 40, 30, 20, 0],  # rural 90 %; UC + clusters + RC = 50 % → village 13
            [0, 0, 0, 0, 0, 40, 60, 0],  # rural; clusters 0 %, VLDR 60 % → uninhabited 11
            [0, 0, 0, 0, 20, 50, 30, 0],  # rural; clusters 20 %, VLDR 30 % → dispersed 12
        ]
    )
    assert classify_units(population, L2, level=2).tolist() == [30, 23, 21, 22, 13, 11, 12]


def test_level2_2024_suburban_rule_uses_suburban_not_semi_dense_cells():
    # Town: rural 40 % <= 50 %. SDUC + rural = 100 % but SUrb + rural = 40 % < 50 %
    # → semi-dense town (22), as Eurostat's text says (flexurba's code would give 21).
    population = np.array([[0, 0, 60, 0, 40, 0, 0, 0]])
    assert classify_units(population, L2, level=2).tolist() == [22]


def test_level2_2021_plurality_rules():
    population = np.array(
        [
            [0, 30, 30, 40, 0, 0, 0, 0],  # DUC = SDUC (>=) and 60 > 40 → dense town (23)
            [0, 20, 40, 40, 0, 0, 0, 0],  # DUC < SDUC and 60 > 40 → semi-dense town (22)
            [0, 20, 20, 40, 20, 0, 0, 0],  # DUC + SDUC = 40 <= SUrb 40 → suburban (21)
            [0, 0, 0, 0, 40, 30, 30, 0],  # RC largest → village (13)
            [0, 0, 0, 0, 30, 30, 40, 0],  # VLDR largest → mostly uninhabited (11)
            [0, 0, 0, 0, 30, 30, 20, 0],  # RC = LDR tie → the denser class: village (13)
        ]
    )
    assert classify_units(population, L2, level=2, rules="2021").tolist() == [
        23,
        22,
        21,
        13,
        11,
        13,
    ]
    # The 5th row under the 2024 rules: clusters 30 % < 50 %, VLDR 40 % < 50 % → dispersed.
    assert classify_units(population[4:5], L2, level=2).tolist() == [12]


def test_unit_without_population_is_classified_by_land_area():
    population = np.zeros((3, 8))
    area = np.array(
        [
            [3, 0, 0, 0, 0, 0, 1, 0],  # 75 % of its land in the urban centre → city
            [0, 0, 0, 0, 0, 0, 2, 5],  # water left out: 100 % very low density → 1 / 11
            [0, 0, 0, 0, 0, 0, 0, 4],  # only water: no land, no people → rural / 11
        ]
    )
    assert classify_units(population, L2, area_by_class=area, level=1).tolist() == [3, 1, 1]
    assert classify_units(population, L2, area_by_class=area, level=2).tolist() == [30, 11, 11]


def test_populated_units_ignore_the_area_shares():
    population = np.array([[0, 0, 0, 0, 0, 0, 10, 0]])
    area = np.array([[9, 0, 0, 0, 0, 0, 1, 0]])
    assert classify_units(population, L2, area_by_class=area, level=2).tolist() == [11]


def test_level2_needs_level2_grid_codes_and_valid_options():
    with pytest.raises(ParameterError, match="level 2 class grid"):
        classify_units(np.ones((1, 4)), L1, level=2)
    with pytest.raises(ParameterError, match="2024 or 2021"):
        classify_units(np.ones((1, 4)), L1, rules="2023")
    with pytest.raises(InputDataError, match="expected \\(units, 4\\)"):
        classify_units(np.ones((1, 3)), L1)
    with pytest.raises(ParameterError, match="mix levels"):
        classify_units(np.ones((1, 2)), (30, 3))


def test_unit_class_population_is_a_coverage_weighted_sum_per_class():
    # Fine cells (row-major): pop 10, 20, 30, NaN with classes 30, 30, 11, 10.
    # Unit 0 covers cell 0 fully and half of cell 1: class 30 → 10 + 0.5 * 20 = 20.
    # Unit 1 covers half of cell 1, cells 2 and 3: 30 → 10; 11 → 30; 10 → NaN = 0.
    coverage = scipy.sparse.csr_matrix(np.array([[1.0, 0.5, 0, 0], [0, 0.5, 1.0, 1.0]]))
    population = np.array([[10.0, 20.0], [30.0, np.nan]])
    classes = np.array([[30, 30], [11, 10]])
    result = unit_class_population(coverage, population, classes, (30, 11, 10))
    np.testing.assert_allclose(result, [[20.0, 0.0, 0.0], [10.0, 30.0, 0.0]])
    # Area with 0.01 km² cells: unit 0 → 1.5 cells of class 30 = 0.015 km².
    area = unit_class_area(coverage, classes, (30, 11, 10), cell_area_km2=0.01)
    np.testing.assert_allclose(area, [[0.015, 0.0, 0.0], [0.005, 0.01, 0.01]])


def test_unit_class_population_refuses_a_coverage_matrix_of_another_grid():
    coverage = scipy.sparse.csr_matrix(np.ones((1, 5)))
    with pytest.raises(InputDataError, match="5 cells"):
        unit_class_population(coverage, np.ones((2, 2)), np.ones((2, 2)), (30,))


def test_level1_of_unit_class():
    assert level1_of_unit_class(np.array([30, 23, 22, 21, 13, 12, 11])).tolist() == [
        3,
        2,
        2,
        2,
        1,
        1,
        1,
    ]
