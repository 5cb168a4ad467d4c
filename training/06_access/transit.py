"""Exercise transit_rule: the SDG 11.2.1 rule of convenient access to public transport,
written by hand.

A person is covered when the walking distance along the streets to the nearest low-capacity
stop (bus) is at most 500 m, or to the nearest high-capacity stop (tram, train) at most
1000 m. Both thresholds include their limit (≤). People who cannot reach any stop have an
infinite distance (``inf``): they are not covered, but they still count in the population.

    share = 100 × Σ people[covered] / Σ people

Source: UN-Habitat, SDG indicator 11.2.1 metadata. Check with:
    observatory training check transit_rule
"""

import numpy as np

LOW_CAPACITY_M = 500.0
HIGH_CAPACITY_M = 1000.0


def covered(d_low: np.ndarray, d_high: np.ndarray) -> np.ndarray:
    """True where a person is covered, from the distances (m) to the nearest low-capacity and
    high-capacity stop (``inf`` where none can be reached)."""
    # TODO 1: compare d_low with LOW_CAPACITY_M and d_high with HIGH_CAPACITY_M (≤, not <)
    # TODO 2: a person is covered when either holds: combine the two arrays with |
    raise NotImplementedError("TODO: write the SDG 11.2.1 rule")


def covered_share(people: np.ndarray, d_low: np.ndarray, d_high: np.ndarray) -> float:
    """Percentage of ``people`` who are covered (population-weighted)."""
    # TODO 3: add up the people where covered(d_low, d_high) is True
    # TODO 4: divide by ALL the people (unreachable ones included), times 100
    raise NotImplementedError("TODO: weight the rule by the population")
