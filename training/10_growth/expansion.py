"""Exercise urban_expansion: land consumption, population growth and their ratio (SDG
11.3.1) for a whole table of units, written by hand.

    LCR = 100 × ln(Urb_t2 / Urb_t1) / (t2 − t1)     (% per year)
    PGR = 100 × ln(Pop_t2 / Pop_t1) / (t2 − t1)     (% per year)
    LCRPGR = LCR / PGR, no value (nan) when |PGR| < 0.1 % per year

Urb: built-up area (km²), Pop: population. The table has one row per unit and the columns
built_up_km2_<year> and population_<year>, e.g. built_up_km2_2014, population_2024.
Source: UN-Habitat, SDG indicator 11.3.1 metadata. Check with:
    observatory training check urban_expansion
"""

import numpy as np  # noqa: F401  (np.log is the natural logarithm ln)
import pandas as pd

#: |PGR| (% per year) below which the population counts as stable: no ratio.
STABLE_POPULATION_PERCENT = 0.1


def growth_table(units: pd.DataFrame, t1: int, t2: int) -> pd.DataFrame:
    """Columns lcr, pgr (% per year) and lcrpgr, one row per unit (the index of ``units``)."""
    # TODO 1: years = t2 - t1 (do not write 10: periods have their own length)
    # TODO 2: lcr = 100 * np.log(units[f"built_up_km2_{t2}"] / units[f"built_up_km2_{t1}"]) / years
    # TODO 3: pgr, the same with the population columns
    # TODO 4: lcrpgr = lcr / pgr, keeping its sign, and np.nan where abs(pgr) < the threshold
    #         (pd.Series.where or np.where); return pd.DataFrame({"lcr": ..., "pgr": ..., ...})
    raise NotImplementedError("TODO: write LCR, PGR and their ratio")
