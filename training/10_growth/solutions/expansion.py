"""Exercise urban_expansion: a model answer.

Land consumption, population growth and their ratio (SDG 11.3.1) for a table of units.

    LCR = 100 × ln(Urb_t2 / Urb_t1) / (t2 − t1)     (% per year)
    PGR = 100 × ln(Pop_t2 / Pop_t1) / (t2 − t1)     (% per year)
    LCRPGR = LCR / PGR, no value (nan) when |PGR| < 0.1 % per year

Urb: built-up area (km²), Pop: population. The table has one row per unit and the columns
built_up_km2_<year> and population_<year>, e.g. built_up_km2_2014, population_2024.
Source: UN-Habitat, SDG indicator 11.3.1 metadata. Check with:
    observatory training check urban_expansion
"""

import numpy as np
import pandas as pd

#: |PGR| (% per year) below which the population counts as stable: no ratio.
STABLE_POPULATION_PERCENT = 0.1


def growth_table(units: pd.DataFrame, t1: int, t2: int) -> pd.DataFrame:
    """Columns lcr, pgr (% per year) and lcrpgr, one row per unit (the index of ``units``)."""
    years = t2 - t1
    lcr = 100 * np.log(units[f"built_up_km2_{t2}"] / units[f"built_up_km2_{t1}"]) / years
    pgr = 100 * np.log(units[f"population_{t2}"] / units[f"population_{t1}"]) / years
    # a falling population gives a negative PGR and a negative ratio: never abs()
    lcrpgr = (lcr / pgr).where(pgr.abs() >= STABLE_POPULATION_PERCENT)
    return pd.DataFrame({"lcr": lcr, "pgr": pgr, "lcrpgr": lcrpgr})
