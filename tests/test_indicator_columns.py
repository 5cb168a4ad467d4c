"""Published columns mean what they say, for every registered indicator (issue 19).

On the default test project (``tests/builders.py``, with a PM2.5 raster added so that no
indicator is skipped) every row of the long table obeys one of two rules:

- a row publishing a numerator and a denominator has value = scale × numerator / denominator
  (scale 100 for a unit in %, 1 otherwise), and no value where the denominator is 0;
- a row publishing a numerator only (a count) has value = numerator.

Rows publishing neither (rates, classes, component rows such as ``_share``) say what they
are in their own columns and units.
"""

from __future__ import annotations

import numpy as np
import pytest
from builders import build_project, sample_grid

from observatory.engine import run
from observatory.indicators.registry import catalogue
from observatory.kernels.grid import Raster
from observatory.project import load_project


def with_pm25(sample) -> None:
    grid = sample_grid()
    sample.rasters["pm25"] = {2024: Raster(np.full(grid.shape, 12.0, "float32"), grid, -200.0)}


@pytest.fixture(scope="module")
def long_table(tmp_path_factory):
    folder = build_project(tmp_path_factory.mktemp("columns"), edit=with_pm25)
    results = run(load_project(folder))
    assert results.skipped == {}
    return results.long_table()


def test_every_registered_indicator_is_published(long_table):
    assert set(catalogue()) <= set(long_table["indicator"])


def test_value_is_numerator_over_denominator_where_both_are_published(long_table):
    both = long_table.dropna(subset=["numerator", "denominator"])
    assert len(both["indicator"].unique()) >= 10
    scale = np.where(both["unit"].str.startswith("%"), 100.0, 1.0)
    numerator = both["numerator"].to_numpy(float)
    denominator = both["denominator"].to_numpy(float)
    value = both["value"].to_numpy(float)
    defined = denominator != 0
    expected = scale[defined] * numerator[defined] / denominator[defined]
    assert value[defined] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert np.isnan(value[~defined]).all()


def test_value_is_the_numerator_where_only_a_numerator_is_published(long_table):
    counts = long_table[long_table["numerator"].notna() & long_table["denominator"].isna()]
    assert {"built_up_area", "urban_extent_area", "urban_expansion_infill"} <= set(
        counts["indicator"]
    )
    assert counts["value"].to_numpy(float) == pytest.approx(counts["numerator"].to_numpy(float))
