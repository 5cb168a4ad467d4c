"""Exercise lcrpgr_formula: a model answer.

Hand check: 100 → 121 km² and 1.0 → 1.1 million people in 10 years give
LCR = ln(1.21) / 10 = 2 ln(1.1) / 10 and PGR = ln(1.1) / 10, so LCRPGR = 2 exactly.
"""

import math


def lcrpgr(urb_t1: float, urb_t2: float, pop_t1: float, pop_t2: float, years: float) -> float:
    """LCRPGR of a territory; ``math.nan`` when the population did not change (PGR = 0)."""
    lcr = math.log(urb_t2 / urb_t1) / years
    pgr = math.log(pop_t2 / pop_t1) / years
    if pgr == 0:
        return math.nan
    return lcr / pgr
