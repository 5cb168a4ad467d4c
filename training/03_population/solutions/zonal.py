"""Exercise zonal_population: a model answer."""

from pathlib import Path

import pandas as pd

from observatory.io.raster import read_raster
from observatory.io.vector import read_layer
from observatory.kernels.zonal import CoverageMatrix


def commune_population(project_folder: Path, year: int) -> pd.Series:
    """People per commune in ``year`` from the grid rasters/population_<year>.tif."""
    communes = read_layer(project_folder / "units.gpkg", layer="communes")
    raster = read_raster(project_folder / "rasters" / f"population_{year}.tif")
    coverage = CoverageMatrix.build(communes.geometry, raster.grid)
    return pd.Series(coverage.sum(raster), index=communes["code"].astype(str))
