"""Exercise school_seats_2sfca: a model answer.

School seats per child by the two-step floating catchment area method (2SFCA).

    Step 1, each school j:  R_j = S_j / Σ_{k: d_kj ≤ d0} s × P_k   (0 when no child is there)
    Step 2, each cell k:    A_k = Σ_{j: d_kj ≤ d0} R_j

S_j seats of school j, P_k people of cell k, s the share of people of school age, d_kj the
walking distance (m) from cell k to school j (``inf`` when it cannot be reached), d0 the
catchment (1000 m, limit included: ≤). A_k is in seats per school-age child.

Source: Luo, W. & Wang, F. (2003), Environment and Planning B 30(6). Check with:
    observatory training check school_seats_2sfca
"""

import numpy as np

CATCHMENT_M = 1000.0
SCHOOL_AGE_SHARE = 0.2


def seats_per_child(
    people: np.ndarray,
    seats: np.ndarray,
    distance: np.ndarray,
    catchment_m: float = CATCHMENT_M,
    school_age_share: float = SCHOOL_AGE_SHARE,
) -> np.ndarray:
    """A_k, seats per school-age child of each cell.

    ``people`` has one value per cell (k), ``seats`` one per school (j), ``distance`` one row
    per cell and one column per school, in metres.
    """
    children = np.asarray(people, dtype=float) * school_age_share
    inside = np.asarray(distance) <= catchment_m  # inf <= 1000 is False: unreachable is out
    demand = children @ inside  # children in each school's catchment
    ratio = np.divide(
        np.asarray(seats, dtype=float), demand, out=np.zeros(len(seats)), where=demand > 0
    )
    return inside @ ratio


if __name__ == "__main__":
    # The hand-size example of the module page: A = [0.2, 0.32, 0.12]
    example = seats_per_child(
        np.array([500.0, 1000.0, 250.0]),
        np.array([60.0, 30.0, 45.0]),
        np.array([[400.0, 1500.0, 2500.0], [1000.0, 800.0, 3000.0], [np.inf, 600.0, 1800.0]]),
    )
    print(example)
