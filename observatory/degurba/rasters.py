"""Stage 1 of the Degree of Urbanisation from rasters, as every caller needs it.

``observatory degurba grid``, the urbanisation indicators and the workshop checks all start
from a population grid (1 km or finer) and, optionally, built-up and land grids in m² per cell;
:func:`classify_rasters` sums them into 1 km cells, turns built-up and land into shares of the
cell, and classifies. Pure: rasters in, rasters out. The fine rasters may be
:class:`~observatory.kernels.grid.RasterFile`: they are read a band of rows at a time, and only
the 1 km grids are whole in memory.
"""

from __future__ import annotations

from observatory.degurba.grid import classify_grid
from observatory.degurba.preprocess import (
    PreparedGrid,
    aggregate_to_coarse_grid,
    prepare_grid,
    share_from_m2,
)
from observatory.degurba.rules import DegurbaRules
from observatory.kernels.grid import Raster, require_same_grid
from observatory.parallel import Executor


def classify_rasters(
    population,
    *,
    rules: DegurbaRules,
    level: int,
    built_up=None,
    land=None,
    executor: Executor | None = None,
) -> tuple[Raster, PreparedGrid]:
    """Classify the 1 km cells of a population grid.

    Each raster is summed into the 1 km cells that contain it
    (:func:`~observatory.degurba.preprocess.aggregate_to_coarse_grid`; a 1 km raster stays as
    it is); built-up and land then become shares of the cell, ``m² / cell area``, and
    :func:`~observatory.degurba.preprocess.prepare_grid` and
    :func:`~observatory.degurba.grid.classify_grid` apply ``rules``.

    Parameters
    ----------
    population : Raster or RasterFile
        People per cell, on a projected grid of 1 km or finer nesting in the 1 km grid.
    rules : DegurbaRules
    level : int
        1 or 2.
    built_up, land : Raster or RasterFile, optional
        Built-up surface and permanent land in m² per cell (GHS-BUILT-S, GHSL LAND), on the
        population's 1 km grid or a finer grid nesting in it.
    executor : Executor, optional
        Where the tiles of the classification are labelled (here, serially, by default).

    Returns
    -------
    tuple of (Raster, PreparedGrid)
        The class of every 1 km cell (no nodata: water is a class) and the prepared grid
        (population, density, shares) it was classified from.

    Raises
    ------
    GridMismatchError
        If built-up or land do not sum to the population's 1 km grid.
    """
    coarse = aggregate_to_coarse_grid(population)
    shares = []
    for raster in (built_up, land):
        if raster is None:
            shares.append(None)
            continue
        summed = aggregate_to_coarse_grid(raster)
        require_same_grid(coarse, summed)
        shares.append(share_from_m2(summed.data, cell_area_m2=summed.grid.cell_area))
    prepared = prepare_grid(
        coarse.data,
        rules=rules,
        built_share=shares[0],
        land_share=shares[1],
        cell_area_km2=coarse.grid.cell_area / 1e6,
    )
    classes = classify_grid(prepared, rules=rules, level=level, executor=executor)
    name = f"Degree of Urbanisation level {level} of {population.name}"
    return Raster(classes, coarse.grid, None, name), prepared
