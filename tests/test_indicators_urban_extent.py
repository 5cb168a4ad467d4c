"""The urban extent's consumers summed a band of rows at a time give the whole grid's
figures: urban_extent_area, the expansion types and the built-up area of SDG 11.7.1, from
built-up rasters in memory or on file."""

from __future__ import annotations

import numpy as np
import pytest
from blocked import as_file, scene_units, use_small_blocks
from test_kernels_extent import scene_built_up_m2

from observatory.indicators import inputs as inputs_module
from observatory.indicators import streets
from observatory.indicators.expansion import expansion_area_km2, urban_extent_area
from observatory.indicators.inputs import Inputs
from observatory.indicators.registry import Period, get_indicator
from observatory.kernels import change as change_module
from observatory.kernels import extent as extent_module

YEARS = (2014, 2024)


def scene_inputs(tmp_path, on_file: bool) -> Inputs:
    """The scene's units with the built-up m² of 2014 and 2024 (as RasterFiles when
    ``on_file``: put in place of the in-memory rasters, as the engine gives them)."""
    built = {year: scene_built_up_m2(year) for year in YEARS}
    inputs = Inputs(scene_units(), rasters={"built_up": built})
    if on_file:
        inputs.rasters["built_up"] = {
            year: as_file(raster, tmp_path) for year, raster in built.items()
        }
    return inputs


def params_of(indicator_id: str, **overrides) -> dict:
    return get_indicator(indicator_id).resolve_params(overrides)


def figures(inputs: Inputs) -> dict[str, np.ndarray]:
    """Every figure the urban extent feeds, by name."""
    out = {"extent": urban_extent_area(inputs, Period(2024), params_of("urban_extent_area"))}
    areas = expansion_area_km2(inputs, Period(2024, 2014), params_of("urban_expansion_infill"))
    out |= {name: areas[name] for name in areas.columns}
    for choice in streets.BUILT_UP_AREAS:
        params = params_of("sdg_11_7_1_share", built_up_area=choice)
        grid, bua_m2, cells = streets.built_up_area_cells(inputs, 2024, params)
        bua = streets.surfaces_km2(
            inputs, grid, lambda start, stop, m2=bua_m2: {"bua": m2(start, stop)}
        )
        out |= {f"{choice} cells": cells, f"{choice} m2": bua_m2(0, grid.height)}
        out[f"{choice} area"] = bua["bua"]
    return {name: np.asarray(values, dtype=float) for name, values in out.items()}


@pytest.mark.parametrize("on_file", [False, True])
def test_figures_by_blocks_of_two_rows_are_those_of_the_whole_grid(tmp_path, monkeypatch, on_file):
    whole = figures(scene_inputs(tmp_path, on_file))
    use_small_blocks(monkeypatch, inputs_module, extent_module, change_module, streets)
    blocked = figures(scene_inputs(tmp_path, on_file))
    assert list(blocked) == list(whole)
    for name, values in whole.items():
        assert values.sum() > 0, name
        if name.endswith(("cells", "m2")):  # cells and their m²: bit for bit
            np.testing.assert_array_equal(blocked[name], values, err_msg=name)
        else:  # sums of blocks: the same up to the order of the additions
            np.testing.assert_allclose(blocked[name], values, rtol=1e-12, err_msg=name)
