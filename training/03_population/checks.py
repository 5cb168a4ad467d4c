"""Checks of module 3 (population from grids).

The reference zonal sums are computed here with the library (CoverageMatrix over the
population raster of the workspace's data), then aggregated to provinces with the parent
codes of the communes layer and compared with the census.
"""

from __future__ import annotations

import pandas as pd

from observatory.io.raster import read_raster
from observatory.io.tables import read_table
from observatory.io.vector import read_layer
from observatory.kernels.zonal import CoverageMatrix
from observatory.workshop.compare import number_item, series_item, text_item

YEAR = 2024
#: Largest relative gap between the grid and the census for "the grid matches the census".
CENSUS_TOLERANCE = 0.01


def _reference(data):
    communes = read_layer(data / "units.gpkg", layer="communes")
    raster = read_raster(data / "rasters" / f"population_{YEAR}.tif")
    codes = communes["code"].astype(str)
    by_commune = pd.Series(CoverageMatrix.build(communes.geometry, raster.grid).sum(raster), codes)
    province_of = pd.Series(communes["province_code"].astype(str).to_numpy(), index=codes)
    census = read_table(data / "census.csv").set_index("code")[f"population_{YEAR}"]
    census = pd.to_numeric(census).reindex(codes)
    return {
        "communes": by_commune,
        "provinces": by_commune.groupby(province_of).sum(),
        "census_provinces": census.groupby(province_of).sum(),
    }


def check_zonal_population(context):
    """The trainee's commune sums equal the library's to 1e-6 (relative)."""
    reference = context.shared("population_reference", lambda: _reference(context.data))
    module = context.load_module("03_population/zonal.py")
    got = module.commune_population(context.data, YEAR)
    return [
        series_item(
            f"People per commune in {YEAR}",
            f"Habitants par commune en {YEAR}",
            got,
            reference["communes"],
        )
    ]


def check_census_check(context):
    """Largest province, region total (±0.1 %), and whether every province is within 1 %."""
    reference = context.shared("population_reference", lambda: _reference(context.data))
    answers = context.answers("03_population/answers.toml")
    provinces = reference["provinces"]
    gap = (provinces - reference["census_provinces"]).abs() / reference["census_provinces"]
    return [
        text_item(
            "Largest province in 2024",
            "Province la plus peuplée en 2024",
            answers.get("largest_province_2024"),
            provinces.idxmax(),
        ),
        number_item(
            "Region total of the grid",
            "Total régional de la grille",
            answers.get("region_grid_2024"),
            float(provinces.sum()),
            rel=1e-3,
        ),
        text_item(
            "Grid within 1 % of the census in every province",
            "Grille à moins de 1 % du recensement dans chaque province",
            answers.get("grid_matches_census"),
            bool((gap <= CENSUS_TOLERANCE).all()),
        ),
    ]
