"""Exercise lcrpgr_formula: SDG 11.3.1, the ratio of land consumption rate to population
growth rate, written by hand.

    LCR = ln(Urb_t2 / Urb_t1) / y        PGR = ln(Pop_t2 / Pop_t1) / y
    LCRPGR = LCR / PGR

Urb: built-up area (km²), Pop: population, y: years between t1 and t2 (UN-Habitat SDG 11.3.1
metadata). Check with: observatory training check lcrpgr_formula
"""

import math  # noqa: F401  (math.log is the natural logarithm ln)

#: |PGR| (per year) below which the population counts as stable and the ratio has no value:
#: 0.001 = 0.1 % per year, Observatory's threshold (a census count off by 1 % moves PGR by
#: 0.1 %/yr over ten years, so a smaller rate cannot be told from no growth).
STABLE_POPULATION_RATE = 0.001


def lcrpgr(urb_t1: float, urb_t2: float, pop_t1: float, pop_t2: float, years: float) -> float:
    """LCRPGR of a territory; ``math.nan`` when the population barely changed."""
    # TODO 1: lcr = math.log(urb_t2 / urb_t1) / years
    # TODO 2: pgr = math.log(pop_t2 / pop_t1) / years
    # TODO 3: return math.nan when abs(pgr) < STABLE_POPULATION_RATE, else lcr / pgr
    #         (keep the sign: a falling population gives a negative ratio)
    raise NotImplementedError("TODO: write the SDG 11.3.1 formula")
