"""Exercise zonal_population: people per commune from the 100 m population grid.

A zonal sum adds the cells inside each commune, each weighted by the fraction of the cell
that lies inside it (exact coverage): S_i = Σ_k c_ik × x_k.

Check with: observatory training check zonal_population
"""

from pathlib import Path

import pandas as pd

from observatory.io.raster import read_raster  # noqa: F401  (you will need these)
from observatory.io.vector import read_layer  # noqa: F401
from observatory.kernels.zonal import CoverageMatrix  # noqa: F401


def commune_population(project_folder: Path, year: int) -> pd.Series:
    """People per commune in ``year`` from the grid rasters/population_<year>.tif.

    Returns a Series indexed by commune code.
    """
    # TODO 1: communes = read_layer(project_folder / "units.gpkg", layer="communes")
    # TODO 2: raster = read_raster(project_folder / "rasters" / f"population_{year}.tif")
    # TODO 3: coverage = CoverageMatrix.build(communes.geometry, raster.grid)
    #         (it reprojects the communes to the grid's CRS for you)
    # TODO 4: return pd.Series(coverage.sum(raster), index=communes["code"])
    raise NotImplementedError("TODO: compute the zonal sums of the population grid")
