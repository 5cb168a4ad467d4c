"""Exercise lcrpgr_formula: a model answer.

Hand check: 100 → 121 km² and 1.0 → 1.1 million people in 10 years give
LCR = ln(1.21) / 10 = 2 ln(1.1) / 10 and PGR = ln(1.1) / 10, so LCRPGR = 2 exactly; with the
population falling from 1.1 to 1.0 million, PGR = -ln(1.1) / 10 and LCRPGR = -2: the sign
says that land was consumed while people left (abs() would hide it).
"""

import math

#: |PGR| (per year) below which the population counts as stable: 0.1 % per year.
STABLE_POPULATION_RATE = 0.001


def lcrpgr(urb_t1: float, urb_t2: float, pop_t1: float, pop_t2: float, years: float) -> float:
    """LCRPGR of a territory; ``math.nan`` when the population barely changed."""
    lcr = math.log(urb_t2 / urb_t1) / years
    pgr = math.log(pop_t2 / pop_t1) / years
    if abs(pgr) < STABLE_POPULATION_RATE:  # the ratio of a rate to a rate near 0 means nothing
        return math.nan
    return lcr / pgr
