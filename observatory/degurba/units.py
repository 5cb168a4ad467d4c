"""Stage 2 of the Degree of Urbanisation: classifying spatial units from their grid classes.

Unit classes (GHS-DUC style). Level 1: 3 city, 2 town and semi-dense area, 1 rural area.
Level 2: 30 city, 23 dense town, 22 semi-dense town, 21 suburban or peri-urban area, 13 village,
12 dispersed rural area, 11 mostly uninhabited area.

Level 1 (Eurostat et al. 2021, chapter 7): city when the share of the unit's population in
urban-centre cells is >= 50 %; rural area when the share in rural cells is > 50 %; otherwise
town and semi-dense area.

Level 2, 2024 rules (Eurostat online manual, chapter 7 as updated in July 2024): cities stay
cities; a town is a dense town when (UC + DUC) >= 50 %, else a suburban or peri-urban area when
(SUrb + rural) >= 50 %, else a semi-dense town; a rural area is a village when (UC + urban
clusters + RC) >= 50 %, else mostly uninhabited when VLDR >= 50 %, else a dispersed rural area.

Level 2, 2021 rules (manual 2021 edition, plurality): a town is a dense town when DUC >= SDUC
and DUC + SDUC > SUrb, a semi-dense town when DUC < SDUC and DUC + SDUC > SUrb, else suburban;
a rural area is a village, dispersed rural area or mostly uninhabited area according to which
of RC, LDR and VLDR holds the largest share (ties go to the denser class).

Shares are of the unit's total population; a unit without population is classified by the
shares of its land area (area in water cells left out). A unit with neither population nor
land is a rural area (level 2: mostly uninhabited).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse

from observatory.errors import InputDataError, ParameterError

UNIT_LEVEL1_CODES = {3: "city", 2: "town and semi-dense area", 1: "rural area"}
UNIT_LEVEL2_CODES = {
    30: "city",
    23: "dense town",
    22: "semi-dense town",
    21: "suburban or peri-urban area",
    13: "village",
    12: "dispersed rural area",
    11: "mostly uninhabited area",
}
UNIT_RULES = ("2024", "2021")
_GRID_LEVEL1 = (3, 2, 1, 0)
_GRID_LEVEL2 = (30, 23, 22, 21, 13, 12, 11, 10)
_WATER = {0, 10}


def unit_class_population(
    coverage: scipy.sparse.spmatrix,
    fine_population: np.ndarray,
    fine_classes: np.ndarray,
    class_codes: tuple[int, ...] | list[int],
) -> np.ndarray:
    """Population of each unit in each grid class, with exact cell-coverage fractions.

    ``P[u, k] = Σ_cells coverage[u, cell] · population[cell] · [class[cell] == class_codes[k]]``,
    i.e. one sparse product ``coverage @ W`` where ``W`` (cells × classes) holds each cell's
    population in the column of its class. Nodata (NaN) population counts as 0.

    Parameters
    ----------
    coverage : scipy.sparse matrix, shape (n_units, n_cells)
        Fraction of each fine cell inside each unit (e.g. ``CoverageMatrix.matrix`` from
        :mod:`observatory.kernels.zonal`), cells in row-major order of the fine grid.
    fine_population : numpy.ndarray, 2-D
        Population per fine cell (e.g. 100 m).
    fine_classes : numpy.ndarray, 2-D
        Grid class of each fine cell (the class of the 1 km cell containing it).
    class_codes : sequence of int
        Codes of the columns of the result.

    Returns
    -------
    numpy.ndarray, shape (n_units, len(class_codes))
    """
    weights = np.nan_to_num(np.asarray(fine_population, dtype="float64").ravel(), nan=0.0)
    return _class_product(coverage, weights, fine_classes, class_codes)


def unit_class_area(
    coverage: scipy.sparse.spmatrix,
    fine_classes: np.ndarray,
    class_codes: tuple[int, ...] | list[int],
    *,
    cell_area_km2: float | np.ndarray,
) -> np.ndarray:
    """Area (km²) of each unit in each grid class: ``coverage @ W`` with ``W`` the cell area in
    the column of the cell's class.

    Parameters
    ----------
    coverage : scipy.sparse matrix, shape (n_units, n_cells)
    fine_classes : numpy.ndarray, 2-D
    class_codes : sequence of int
    cell_area_km2 : float or numpy.ndarray
        Area of the fine cells: one number (0.01 for 100 m cells), or an array broadcastable
        to ``fine_classes`` (their areas on the ellipsoid,
        :func:`~observatory.kernels.cell_areas.cell_areas_m2` / 10⁶).

    Returns
    -------
    numpy.ndarray, shape (n_units, len(class_codes))
    """
    shape = np.shape(fine_classes)
    weights = np.broadcast_to(np.asarray(cell_area_km2, dtype="float64"), shape).ravel()
    return _class_product(coverage, weights, fine_classes, class_codes)


def _class_product(
    coverage: scipy.sparse.spmatrix,
    weights: np.ndarray,
    fine_classes: np.ndarray,
    class_codes: tuple[int, ...] | list[int],
) -> np.ndarray:
    classes = np.asarray(fine_classes).ravel()
    if coverage.shape[1] != classes.size or weights.size != classes.size:
        raise InputDataError(
            f"the coverage matrix has {coverage.shape[1]} cells but the fine grids have "
            f"{classes.size} and {weights.size}; build it on the population grid."
        )
    column = np.full(classes.size, -1, dtype=np.int64)
    for k, code in enumerate(class_codes):
        column[classes == code] = k
    used = column >= 0
    cells = np.flatnonzero(used)
    by_class = scipy.sparse.csr_matrix(
        (weights[used], (cells, column[used])), shape=(classes.size, len(class_codes))
    )
    return np.asarray((scipy.sparse.csr_matrix(coverage) @ by_class).todense())


def classify_units(
    population_by_class: np.ndarray,
    class_codes: tuple[int, ...] | list[int],
    *,
    area_by_class: np.ndarray | None = None,
    level: int = 1,
    rules: str = "2024",
) -> np.ndarray:
    """Degree of Urbanisation class of each unit from its population per grid class.

    See the module docstring for the rules. Thresholds are "at least 50 %" except the rural
    rule of level 1 ("more than 50 %").

    Parameters
    ----------
    population_by_class : numpy.ndarray, shape (n_units, n_classes)
        Population of each unit in each grid class (see :func:`unit_class_population`).
    class_codes : sequence of int
        Grid code of each column: level 1 codes (3, 2, 1, 0) or level 2 codes (30 ... 10);
        missing classes count as 0.
    area_by_class : numpy.ndarray, optional
        Area of each unit in each class, same shape; used for units without population.
    level : {1, 2}
        Level of the unit classes returned; level 2 needs level 2 grid codes.
    rules : {"2024", "2021"}
        Level 2 unit rules.

    Returns
    -------
    numpy.ndarray of uint8, shape (n_units,)
        Unit class codes (level 1: 3/2/1; level 2: 30/23/22/21/13/12/11).
    """
    if level not in (1, 2):
        raise ParameterError(f"Degree of Urbanisation level {level!r} is not valid; use 1 or 2.")
    if rules not in UNIT_RULES:
        raise ParameterError(f"unit rules {rules!r} are not valid; use 2024 or 2021.")
    population = np.asarray(population_by_class, dtype="float64")
    codes = [int(code) for code in class_codes]
    if population.ndim != 2 or population.shape[1] != len(codes):
        raise InputDataError(
            f"population_by_class has shape {population.shape}; expected (units, "
            f"{len(codes)}) to match class_codes {codes}."
        )
    unknown = set(codes) - set(_GRID_LEVEL1) - set(_GRID_LEVEL2)
    grid_level = 2 if any(code >= 10 for code in codes) else 1
    if unknown or (grid_level == 2 and set(codes) & {3, 2, 1}):
        raise ParameterError(
            f"class codes {codes} mix levels or include unknown codes; use the level 1 codes "
            f"{_GRID_LEVEL1} or the level 2 codes {_GRID_LEVEL2}."
        )
    if level == 2 and grid_level == 1:
        raise ParameterError(
            "level 2 unit classes need a level 2 class grid (codes 30 ... 10); classify the "
            "grid with --level 2."
        )
    shares = _shares(population, codes)
    if area_by_class is not None:
        area = np.asarray(area_by_class, dtype="float64")
        if area.shape != population.shape:
            raise InputDataError(
                f"area_by_class has shape {area.shape} but population_by_class has "
                f"{population.shape}."
            )
        no_people = population.sum(axis=1) <= 0
        area_shares = _shares(area, codes)
        for name in shares:
            shares[name] = np.where(no_people, area_shares[name], shares[name])
    level1 = np.where(
        shares["centre"] >= 0.5,
        3,
        np.where(shares["rural"] > 0.5, 1, np.where(shares["total"] > 0, 2, 1)),
    ).astype(np.uint8)
    if level == 1:
        return level1
    return _level2(level1, shares, rules)


def _shares(values: np.ndarray, codes: list[int]) -> dict[str, np.ndarray]:
    """Shares of each class group in the non-water total of each row (0 where it is 0)."""

    def column(*wanted: int) -> np.ndarray:
        picked = [k for k, code in enumerate(codes) if code in wanted]
        return values[:, picked].sum(axis=1)

    total = column(*(code for code in codes if code not in _WATER))
    safe = np.where(total > 0, total, 1.0)
    groups = {
        "centre": column(3, 30),
        "rural": column(1, 13, 12, 11),
        "urban_cluster": column(2, 23, 22, 21),
        "duc": column(23),
        "sduc": column(22),
        "surb": column(21),
        "rc": column(13),
        "ldr": column(12),
        "vldr": column(11),
    }
    shares = {name: np.where(total > 0, group / safe, 0.0) for name, group in groups.items()}
    shares["total"] = total
    return shares


def _level2(level1: np.ndarray, shares: dict[str, np.ndarray], rules: str) -> np.ndarray:
    city, town, rural = level1 == 3, level1 == 2, level1 == 1
    out = np.zeros(level1.shape, dtype=np.uint8)
    out[city] = 30
    empty = shares["total"] <= 0
    if rules == "2024":
        dense = shares["centre"] + shares["duc"] >= 0.5
        suburban = shares["surb"] + shares["rural"] >= 0.5
        out[town] = np.where(dense, 23, np.where(suburban, 21, 22))[town]
        village = shares["centre"] + shares["urban_cluster"] + shares["rc"] >= 0.5
        uninhabited = (shares["vldr"] >= 0.5) | empty
        out[rural] = np.where(village & ~empty, 13, np.where(uninhabited, 11, 12))[rural]
        return out
    clustered = shares["duc"] + shares["sduc"]
    town_class = np.where(
        clustered > shares["surb"], np.where(shares["duc"] >= shares["sduc"], 23, 22), 21
    )
    out[town] = town_class[town]
    rc, ldr, vldr = shares["rc"], shares["ldr"], shares["vldr"]
    rural_class = np.where((rc >= ldr) & (rc >= vldr) & ~empty, 13, np.where(ldr >= vldr, 12, 11))
    rural_class[empty] = 11
    out[rural] = rural_class[rural]
    return out


def level1_of_unit_class(codes: np.ndarray) -> np.ndarray:
    """Level 1 unit class of level 2 unit classes (30 → 3, 2x → 2, 1x → 1)."""
    return (np.asarray(codes) // 10).astype(np.uint8)
