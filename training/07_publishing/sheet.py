"""Exercise indicator_sheet: a ranked sheet of one indicator, from the long table of compute.

results/indicators.csv (and .xlsx) has one row per level, unit, indicator and period. A
sheet for a report keeps one indicator, one period and one level, ranked.

Check with: observatory training check indicator_sheet
"""

import pandas as pd


def indicator_sheet(long_table: pd.DataFrame, indicator: str, period: str, level: str):
    """Columns unit_id, unit_name, value, rank (1 = highest value), sorted by rank.

    ``long_table`` has the columns of indicators.csv (level, unit_id, unit_name, indicator,
    period, value, ...); ``period`` is text, e.g. "2024".
    """
    # TODO 1: keep the rows of this level, indicator and period
    # TODO 2: rank = value.rank(ascending=False, method="min").astype(int)
    # TODO 3: return the four columns sorted by rank, with a fresh index (reset_index)
    raise NotImplementedError("TODO: select, rank and sort")
