"""The urban extent and the expansion types read a band of rows at a time give the codes,
classes and m² of the whole grid, bit for bit, from rasters in memory or on file."""

from __future__ import annotations

import numpy as np
import pytest
from blocked import SCENE, as_file, scene_built_up_shares, use_small_blocks

from observatory.kernels import change as change_module
from observatory.kernels import extent as extent_module
from observatory.kernels.change import expansion_between, extent_of
from observatory.kernels.extent import (
    CAPTURED_OPEN_SPACE,
    FRINGE_OPEN_SPACE,
    NO_DATA,
    RURAL_BUILT_UP,
    RURAL_OPEN_SPACE,
    SUBURBAN_BUILT_UP,
    URBAN_BUILT_UP,
)
from observatory.kernels.grid import Raster

#: Atlas parameters, and a wide fringe with a small circle (a halo of 3 rows, not 5).
PARAMETERS = [
    {},
    {"radius_m": 250.0, "fringe_m": 300.0, "suburban_share": 0.2, "captured_max_ha": 8.0},
]


def scene_built_up_m2(year: int = 2014) -> Raster:
    """Built-up m² of the scene (its shares × 1 ha, NaN without data), a third of its sparse
    cells open, with an open hole in the dense core (captured); 2024 adds growth."""
    shares = scene_built_up_shares().data.astype("float64")
    values = shares * 10_000.0
    values[(np.random.default_rng(5).random(SCENE.shape) < 0.3) & (shares < 0.3)] = 0.0
    values[17:23, 12:16] = 0.0
    if year == 2024:
        rng = np.random.default_rng(7)
        growth = np.where(rng.random(SCENE.shape) < 0.4, rng.uniform(0, 4000, SCENE.shape), 0)
        values = np.minimum(values + growth, 10_000.0)
        values[19:21, 13:15] = 10_000.0
    return Raster(values, SCENE, None, f"built-up {year}")


def rasters(tmp_path, on_file: bool):
    """The built-up m² of 2014 and 2024, in memory or as GeoTIFFs read back as RasterFiles."""
    built = [scene_built_up_m2(2014), scene_built_up_m2(2024)]
    return [as_file(raster, tmp_path) for raster in built] if on_file else built


def test_the_scene_holds_every_code():
    codes = extent_of(scene_built_up_m2()).codes
    expected = {
        URBAN_BUILT_UP,
        SUBURBAN_BUILT_UP,
        RURAL_BUILT_UP,
        RURAL_OPEN_SPACE,
        FRINGE_OPEN_SPACE,
        CAPTURED_OPEN_SPACE,
        NO_DATA,
    }
    assert set(np.unique(codes)) == expected


@pytest.mark.parametrize("on_file", [False, True])
@pytest.mark.parametrize("parameters", PARAMETERS)
def test_urban_extent_by_blocks_of_two_rows_is_that_of_the_whole_grid(
    tmp_path, monkeypatch, on_file, parameters
):
    built = rasters(tmp_path, on_file)[0]
    whole = extent_of(built, **parameters)
    use_small_blocks(monkeypatch, extent_module)
    blocked = extent_of(built, **parameters)
    np.testing.assert_array_equal(blocked.codes, whole.codes)
    np.testing.assert_array_equal(blocked.extent_m2(), whole.extent_m2())
    for start, stop in ((0, 2), (5, 18), (46, 47)):
        np.testing.assert_array_equal(blocked.extent_m2(start, stop), whole.extent_m2()[start:stop])


@pytest.mark.parametrize("on_file", [False, True])
@pytest.mark.parametrize("parameters", PARAMETERS)
def test_expansion_by_blocks_of_two_rows_is_that_of_the_whole_grid(
    tmp_path, monkeypatch, on_file, parameters
):
    before, after = rasters(tmp_path, on_file)

    def expansion():
        extents = extent_of(before, **parameters), extent_of(after, **parameters)
        return expansion_between(*extents, min_new_m2=900.0)

    whole = expansion()
    assert set(np.unique(whole.classes.data)) == {0, 1, 2, 3}
    use_small_blocks(monkeypatch, extent_module, change_module)
    blocked = expansion()
    np.testing.assert_array_equal(blocked.classes.data, whole.classes.data)
    whole_m2, blocked_m2 = whole.area_m2(), blocked.area_m2()
    assert list(blocked_m2) == ["infill", "extension", "leapfrog", "inclusion"]
    for name, values in whole_m2.items():
        assert values.sum() > 0
        np.testing.assert_array_equal(blocked_m2[name], values)
        np.testing.assert_array_equal(blocked.area_m2(9, 31)[name], values[9:31])
