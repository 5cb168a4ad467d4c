"""Exercise census_check: a model answer."""

import pandas as pd


def province_table(communes, grid: pd.Series, census: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per province: grid, census and gap_percent = 100 × (grid − census) / census."""
    province_of = pd.Series(
        communes["province_code"].astype(str).to_numpy(), index=communes["code"].astype(str)
    )
    counts = pd.to_numeric(census[f"population_{year}"])
    counts.index = census["code"].astype(str)
    table = pd.DataFrame(
        {
            "grid": grid.groupby(province_of).sum(),
            "census": counts.reindex(province_of.index).groupby(province_of).sum(),
        }
    )
    table["gap_percent"] = 100 * (table["grid"] - table["census"]) / table["census"]
    return table
