"""Exercise lcrpgr_formula: SDG 11.3.1, the ratio of land consumption rate to population
growth rate, written by hand.

    LCR = ln(Urb_t2 / Urb_t1) / y        PGR = ln(Pop_t2 / Pop_t1) / y
    LCRPGR = LCR / PGR

Urb: built-up area (km²), Pop: population, y: years between t1 and t2 (UN-Habitat SDG 11.3.1
metadata). Check with: observatory training check lcrpgr_formula
"""

import math  # noqa: F401  (math.log is the natural logarithm ln)


def lcrpgr(urb_t1: float, urb_t2: float, pop_t1: float, pop_t2: float, years: float) -> float:
    """LCRPGR of a territory; ``math.nan`` when the population did not change (PGR = 0)."""
    # TODO 1: lcr = math.log(urb_t2 / urb_t1) / years
    # TODO 2: pgr = math.log(pop_t2 / pop_t1) / years
    # TODO 3: return math.nan when pgr == 0, else lcr / pgr
    raise NotImplementedError("TODO: write the SDG 11.3.1 formula")
