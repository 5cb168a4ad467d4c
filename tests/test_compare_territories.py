"""Territories side by side: values as published, ranks with ties, and each note only when its
cause is there (the territories of compare_cases.py, numbers chosen by hand)."""

from __future__ import annotations

import numpy as np
import pytest
from compare_cases import ALPHA, BETA, GRID_1KM, GRID_100M, provenance, territory

from observatory.compare import Difference, compare_territories, territories_of
from observatory.errors import ParameterError


def alpha(tmp_path, values=ALPHA, **options):
    return territory(tmp_path / "alpha", "Alpha", values, ("A", ["a1", "a2", "a3"]), **options)


def beta(tmp_path, values=BETA, **options):
    return territory(tmp_path / "beta", "Beta", values, ("B", ["b1", "b2"]), **options)


def compared(tmp_path, level="district", **beta_options):
    return compare_territories([alpha(tmp_path), beta(tmp_path, **beta_options)], levels=(level,))


def notes(comparison, indicator_id):
    return next(i for i in comparison.indicators if i.spec.id == indicator_id).differences


def test_the_pooled_units_keep_their_values_and_ties_share_the_lowest_rank(tmp_path):
    comparison = compared(tmp_path)
    table = comparison.table
    assert table["territory"].tolist() == ["Alpha"] * 3 + ["Beta"] * 2
    assert table["unit_id"].tolist() == ["a1", "a2", "a3", "b1", "b2"]
    assert table["population_2024"].tolist() == [300, 200, 100, 200, 50]
    # 300 first; a2 and b1 tie at 200 and both take rank 2; 100 is then 4th, not 3rd
    assert table["population_rank"].tolist() == [1, 2, 4, 2, 5]
    assert table["school_access_rank"].tolist() == [2, 3, 4, 1, 5]
    assert table["degurba_l1_2024"].tolist() == [3, 2, 1, 3, 1]
    assert "degurba_l1_rank" not in table  # classes are not ranked
    assert all(not i.differences for i in comparison.indicators)
    assert comparison.general == ()


def test_without_a_level_each_territory_is_compared_at_its_coarsest(tmp_path):
    table = compare_territories([alpha(tmp_path), beta(tmp_path)]).table
    assert table[["level", "unit_id", "population_2024", "population_rank"]].values.tolist() == [
        ["region", "A", 600, 1],
        ["region", "B", 250, 2],
    ]


def test_one_level_per_territory_puts_a_region_beside_districts(tmp_path):
    table = compare_territories(
        [alpha(tmp_path), beta(tmp_path)], levels=("region", "district")
    ).table
    assert table["unit_id"].tolist() == ["A", "b1", "b2"]
    assert table["population_rank"].tolist() == [1, 2, 3]


def test_an_indicator_of_one_territory_only_is_listed_as_such_and_not_compared(tmp_path):
    only_population = {k: v for k, v in BETA.items() if k[0] == "population"}
    comparison = compare_territories([alpha(tmp_path), beta(tmp_path, values=only_population)])
    assert comparison.partial == {"school_access": ("Alpha",), "degurba_l1": ("Alpha",)}
    assert [i.spec.id for i in comparison.indicators] == ["population"]
    assert not any(c.startswith("school_access") for c in comparison.table.columns)


def test_other_years_are_never_aligned_each_latest_is_shown_and_said(tmp_path):
    values = {**BETA, ("population", "2020"): BETA[("population", "2024")]}
    del values[("population", "2024")]
    comparison = compared(tmp_path, values=values)
    assert notes(comparison, "population") == (
        Difference("periods", (("Alpha", "2024"), ("Beta", "2020"))),
    )
    assert notes(comparison, "school_access") == ()
    table = comparison.table
    assert "population_2024" not in table and "population_2020" not in table
    assert table["population_latest"].tolist() == [300, 200, 100, 200, 50]
    assert table["population_latest_period"].tolist() == ["2024"] * 3 + ["2020"] * 2
    population = next(i for i in comparison.indicators if i.spec.id == "population")
    assert population.ranked_on is None
    assert table["population_rank"].tolist() == [1, 2, 4, 2, 5]


def test_a_shared_year_is_aligned_and_ranked_on_when_the_latest_differ(tmp_path):
    alpha_values = {**ALPHA, ("population", "2014"): {"A": 500, "a1": 250, "a2": 90, "a3": 160}}
    beta_values = {
        ("population", "2014"): {"B": 200, "b1": 150, "b2": 50},
        ("population", "2020"): {"B": 300, "b1": 210, "b2": 90},
    }
    comparison = compare_territories(
        [alpha(tmp_path, values=alpha_values), beta(tmp_path, values=beta_values)],
        levels=("district",),
    )
    table = comparison.table
    assert table["population_2014"].tolist() == [250, 90, 160, 150, 50]
    assert table["population_latest"].tolist() == [300, 200, 100, 210, 90]
    # ranked on 2014, the latest year both have: 250, 160, 150, 90, 50
    assert table["population_rank"].tolist() == [1, 4, 2, 3, 5]
    assert comparison.indicators[0].ranked_on == "2014"


def test_a_grid_note_concerns_only_the_indicators_read_from_that_grid(tmp_path):
    comparison = compared(tmp_path, record=provenance(grids={"population": {"2024": GRID_1KM}}))
    assert notes(comparison, "school_access") == (
        Difference("grid", (("Alpha", GRID_100M), ("Beta", GRID_1KM)), subject="population"),
    )
    # population comes from the census in both: the population grid does not make it
    assert notes(comparison, "population") == ()


def test_a_grid_in_another_crs_is_a_difference_too(tmp_path):
    other = {**GRID_100M, "crs": "EPSG:3035"}
    comparison = compared(tmp_path, record=provenance(grids={"population": {"2024": other}}))
    assert [d.kind for d in notes(comparison, "school_access")] == ["grid"]


def test_population_from_a_raster_is_not_population_from_a_census(tmp_path):
    sources = {"2024": "population raster"}
    comparison = compared(tmp_path, record=provenance(population_sources=sources))
    assert notes(comparison, "population") == (
        Difference("population_source", (("Alpha", "census"), ("Beta", "population raster"))),
    )


@pytest.mark.parametrize(
    ("name", "alpha_value", "beta_value"),
    [("mode", "network", "straight-line"), ("threshold_m", 1000.0, 500.0)],
)
def test_a_parameter_that_differs_is_named_with_both_values(
    tmp_path, name, alpha_value, beta_value
):
    record = provenance()
    record["parameters"]["school_access"][name] = beta_value
    comparison = compared(tmp_path, record=record)
    assert notes(comparison, "school_access") == (
        Difference("parameter", (("Alpha", alpha_value), ("Beta", beta_value)), subject=name),
    )
    assert notes(comparison, "population") == ()


def test_a_rule_set_that_differs_is_a_parameter_of_the_class_indicator(tmp_path):
    record = provenance()
    record["parameters"]["degurba_l1"]["rules"] = "ghsl-2019"
    differences = notes(compared(tmp_path, record=record), "degurba_l1")
    assert differences == (
        Difference("parameter", (("Alpha", "ghsl-2023"), ("Beta", "ghsl-2019")), subject="rules"),
    )


def test_another_unit_of_measure_is_a_difference(tmp_path):
    units = {"population": "inhabitants", "school_access": "%", "degurba_l1": "class"}
    assert notes(compared(tmp_path, units=units), "population") == (
        Difference("unit", (("Alpha", "people"), ("Beta", "inhabitants"))),
    )


def test_flagged_and_partly_covered_values_are_counted_where_they_are(tmp_path):
    comparison = compared(
        tmp_path,
        cells={
            ("population", "2024", "b2"): {"quality": "not computed: the base is 0"},
            ("population", "2024", "b1"): {"coverage": 0.5},
        },
    )
    assert notes(comparison, "population") == (
        Difference("flags", (("Beta", (1, 2)),)),
        Difference("coverage", (("Beta", (1, 2)),)),
    )
    assert notes(comparison, "school_access") == ()


def test_a_coverage_just_at_the_threshold_is_full(tmp_path):
    comparison = compared(tmp_path, cells={("population", "2024", "b1"): {"coverage": 0.99}})
    assert notes(comparison, "population") == ()


def test_other_versions_and_unit_sizes_concern_every_indicator(tmp_path):
    record = provenance(tool={"name": "observatory", "version": "0.2.0"})
    comparison = compared(tmp_path, record=record, side_m=1000.0)
    version, sizes = comparison.general
    assert version == Difference("version", (("Alpha", "0.1.0"), ("Beta", "0.2.0")))
    assert sizes.kind == "unit_size"
    # 2 km x 2 km districts against 1 km x 1 km ones, in an equal-area CRS
    (_, (alpha_km2, alpha_level)), (_, (beta_km2, _)) = sizes.values
    assert (alpha_km2, beta_km2, alpha_level) == (
        pytest.approx(4, rel=1e-3),
        pytest.approx(1, rel=1e-3),
        "district",
    )


def test_units_less_than_twice_as_large_are_not_flagged(tmp_path):
    comparison = compared(tmp_path, side_m=1450.0)  # 2.1025 km² against 4 km²: x 1.9
    assert comparison.general == ()
    assert np.isclose(comparison.unit_areas["Beta"], 2.1025, rtol=1e-3)


def test_territories_of_the_same_name_are_told_apart_by_their_folder(tmp_path):
    twin = territory(tmp_path / "twin", "Alpha", BETA, ("B", ["b1", "b2"]))
    names = [t.name for t in territories_of([alpha(tmp_path), twin])]
    assert names == ["Alpha (alpha)", "Alpha (twin)"]


def test_a_level_a_results_folder_does_not_have_is_refused_with_those_it_has(tmp_path):
    with pytest.raises(
        ParameterError, match=r"--level: .*beta has no level 'commune'; use one of region, district"
    ):
        territories_of([alpha(tmp_path), beta(tmp_path)], ("district", "commune"))


def test_a_wrong_number_of_levels_and_a_folder_given_twice_are_refused(tmp_path):
    with pytest.raises(ParameterError, match="--level is given 3 times for 2 results folders"):
        territories_of([alpha(tmp_path), beta(tmp_path)], ("region",) * 3)
    with pytest.raises(ParameterError, match="is given twice"):
        territories_of([alpha(tmp_path), alpha(tmp_path)])


def test_the_latest_change_period_is_the_whole_span_not_the_last_step(tmp_path):
    growth = {"population_growth_rate": "% per year"}
    alpha_values = {("population_growth_rate", "2014_2024"): {"A": 1.0, "a1": 1.0}}
    beta_values = {
        ("population_growth_rate", "2018_2019"): {"B": 0.8, "b1": 0.8},
        ("population_growth_rate", "2019_2020"): {"B": 0.7, "b1": 0.7},
        ("population_growth_rate", "2018_2020"): {"B": 0.75, "b1": 0.75},
    }
    comparison = compare_territories(
        [
            alpha(tmp_path, values=alpha_values, units=growth),
            beta(tmp_path, values=beta_values, units=growth),
        ],
        levels=("region",),
    )
    table = comparison.table
    assert table["population_growth_rate_latest_period"].tolist() == ["2014_2024", "2018_2020"]
    assert table["population_growth_rate_latest"].tolist() == [1.0, 0.75]
