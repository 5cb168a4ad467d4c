"""Exercise indicator_sheet: a model answer. Write it for Excel with
``sheet.to_excel("sheet.xlsx", index=False)``."""

import pandas as pd


def indicator_sheet(long_table: pd.DataFrame, indicator: str, period: str, level: str):
    """Columns unit_id, unit_name, value, rank (1 = highest value), sorted by rank."""
    rows = long_table[
        (long_table["level"] == level)
        & (long_table["indicator"] == indicator)
        & (long_table["period"].astype(str) == period)
    ]
    sheet = rows[["unit_id", "unit_name", "value"]].copy()
    sheet["rank"] = sheet["value"].rank(ascending=False, method="min").astype(int)
    return sheet.sort_values("rank").reset_index(drop=True)
