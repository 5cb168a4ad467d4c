"""Stage 1 of the Degree of Urbanisation: classifying the cells of a 1 km² grid.

Level 1 codes: 3 urban centre, 2 urban cluster, 1 rural, 0 water.
Level 2 codes (GHS-SMOD): 30 urban centre, 23 dense urban cluster, 22 semi-dense urban cluster,
21 suburban or peri-urban, 13 rural cluster, 12 low-density rural, 11 very low-density rural,
10 water.

Rules (all thresholds "at least", all taken from :class:`~observatory.degurba.rules.DegurbaRules`):

- urban centre: cells with density >= ``uc_density`` (or built-up share of permanent land >=
  ``uc_built_threshold``) grouped with ``uc_contiguity``; groups with population >= ``uc_size``
  (size tested before smoothing); then the iterative majority rule (R2023A or R2022A); then
  holes smaller than ``uc_max_gap_km2`` are filled. Each centre keeps its own identity.
- level 2 in this order, each class taking only cells not yet classified: 30; 23 (dense
  clusters of population >= ``duc_size``); 22 (semi-dense clusters none of whose cells lie
  within ``sduc_buffer_km`` (Chebyshev distance in cells) of a 30 or 23 cell); 21 (the other
  cells of urban clusters: density >= ``ucl_density``, ``ucl_contiguity``, population >=
  ``ucl_size``); 13 (rural clusters of population >= ``rc_size``); 12 (density >=
  ``ldr_density``); 11 (the rest); water (11 cells that are water) → 10.
- level 1 is the first digit of level 2 (30 → 3; 23, 22, 21 → 2; 13, 12, 11 → 1; 10 → 0), as
  GHS-SMOD aggregates its classes: a dense or semi-dense cluster is part of the level 1 urban
  clusters even when the built-up criterion or the 2024 semi-dense rule (>= 900, >= 2,500)
  makes it out of cells that a density >= 300, >= 5,000 cluster alone would leave rural.

Sources: Eurostat et al. (2021) *Applying the Degree of Urbanisation*, chapters 6-8 (updated
July 2024); GHSL Data Package 2022 footnote 25 and 2023 footnotes 29-30; the operational order
of flexurba (Van Migerode et al. 2024, EPB 51(7)), which reproduces GHS-SMOD.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from observatory.degurba.preprocess import ROW_CHUNK, PreparedGrid
from observatory.degurba.rules import DegurbaRules
from observatory.errors import ParameterError

LEVEL1_CODES = {3: "urban centre", 2: "urban cluster", 1: "rural", 0: "water"}
LEVEL2_CODES = {
    30: "urban centre",
    23: "dense urban cluster",
    22: "semi-dense urban cluster",
    21: "suburban or peri-urban",
    13: "rural cluster",
    12: "low density rural",
    11: "very low density rural",
    10: "water",
}
#: Colours of the GHS-SMOD legend (RGBA), used for the class GeoTIFF colour table.
LEVEL2_COLOURS = {
    30: (255, 0, 0, 255),
    23: (115, 38, 0, 255),
    22: (168, 112, 0, 255),
    21: (255, 255, 0, 255),
    13: (55, 86, 35, 255),
    12: (171, 205, 102, 255),
    11: (205, 245, 122, 255),
    10: (122, 182, 245, 255),
}
LEVEL1_COLOURS = {
    3: LEVEL2_COLOURS[30],
    2: LEVEL2_COLOURS[21],
    1: LEVEL2_COLOURS[12],
    0: LEVEL2_COLOURS[10],
}
#: Offsets (row, column) of the 8 neighbours of a cell.
NEIGHBOUR_OFFSETS = ((-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1))


def _structure(contiguity: int) -> np.ndarray:
    return ndimage.generate_binary_structure(2, 1 if contiguity == 4 else 2)


def _label_sums(labels: np.ndarray, count: int, values: np.ndarray) -> np.ndarray:
    """Sum of ``values`` per label (index = label), by row blocks to bound memory."""
    sums = np.zeros(count + 1)
    for start in range(0, labels.shape[0], ROW_CHUNK):
        rows = slice(start, start + ROW_CHUNK)
        sums += np.bincount(labels[rows].ravel(), weights=values[rows].ravel(), minlength=count + 1)
    return sums


class _ClusterFinder:
    """Labels clusters of cells above a threshold, remembering the last labelling.

    Several classes use the same cells and contiguity (urban centres and dense urban clusters;
    suburban cells and rural clusters), so the last labelling is reused when it matches.
    """

    def __init__(self, grid: PreparedGrid) -> None:
        self.grid = grid
        self._key: tuple | None = None
        self._labels: np.ndarray | None = None
        self._sums: np.ndarray | None = None

    def dense_cells(self, density: float, built: float | None) -> np.ndarray:
        """Cells with density >= ``density`` or (when given) built-up share >= ``built``."""
        mask = self.grid.density >= density
        if built is not None:
            mask |= self.grid.built_share >= built
        return mask

    def clusters(
        self, *, density: float, built: float | None, contiguity: int, size: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Labels of the contiguous dense cells and, per label, whether its population is at
        least ``size``.

        Returns
        -------
        labels : numpy.ndarray of int32
            0 outside dense cells, else the cluster number.
        kept : numpy.ndarray of bool
            ``kept[label]`` is True when the population is at least ``size`` (never for 0).
        """
        key = (density, built, contiguity)
        if key != self._key:
            self._labels = self._sums = None  # free the previous labelling first
            labels, count = ndimage.label(
                self.dense_cells(density, built), structure=_structure(contiguity)
            )
            self._sums = _label_sums(labels, count, self.grid.population)
            self._labels, self._key = labels, key
        kept = self._sums >= size
        kept[0] = False
        return self._labels, kept


def urban_centres(grid: PreparedGrid, *, rules: DegurbaRules) -> np.ndarray:
    """Urban centres, each with its own number (0 = not a centre).

    Dense cells (density >= ``uc_density``, or built-up share >= ``uc_built_threshold`` when
    ``uc_built_criterion``) are grouped with ``uc_contiguity``; groups with population >=
    ``uc_size`` are centres. Then :func:`smooth_edges` and :func:`fill_gaps` as the rules say.

    Parameters
    ----------
    grid : PreparedGrid
        Output of :func:`~observatory.degurba.preprocess.prepare_grid`.
    rules : DegurbaRules
        Thresholds and switches.

    Returns
    -------
    numpy.ndarray of int32
        Centre number per cell, numbered 1..n.
    """
    return _urban_centres(_ClusterFinder(grid), grid, rules)


def _urban_centres(finder: _ClusterFinder, grid: PreparedGrid, rules: DegurbaRules) -> np.ndarray:
    labels, kept = finder.clusters(
        density=rules.uc_density,
        built=rules.uc_built_threshold if rules.uc_built_criterion else None,
        contiguity=rules.uc_contiguity,
        size=rules.uc_size,
    )
    renumber = np.zeros(kept.size, dtype=np.int32)
    renumber[kept] = np.arange(1, int(kept.sum()) + 1, dtype=np.int32)
    centres = renumber[labels]
    if rules.uc_smoothing != "none":
        _smooth_edges_in_place(
            centres,
            variant=rules.uc_smoothing,
            water=grid.water,
            unpopulated_non_land=grid.unpopulated_non_land,
            majority_neighbours=rules.uc_majority_neighbours,
        )
    if rules.uc_gap_fill:
        _fill_gaps_in_place(
            centres, max_cells=_cells_below_area(rules.uc_max_gap_km2, grid.cell_area_km2)
        )
    return centres


def _cells_below_area(area_km2: float, cell_area_km2: float) -> int:
    """Largest number of cells whose area is strictly below ``area_km2``."""
    cells = int(np.ceil(area_km2 / cell_area_km2 - 1e-9)) - 1
    return max(cells, 0)


def smooth_edges(
    centres: np.ndarray,
    *,
    variant: str,
    water: np.ndarray,
    unpopulated_non_land: np.ndarray,
    majority_neighbours: int = 5,
) -> np.ndarray:
    """Iterative majority-rule edge smoothing of urban centres.

    Passes are synchronous (each decides from the state at its start) and repeat until a pass
    adds no cell. A candidate is a cell outside every centre that touches a centre
    (8-neighbourhood).

    - ``"r2022a"`` (GHSL DP2022): a candidate joins centre c when at least
      ``majority_neighbours`` (5) of its 8 neighbours belong to c.
    - ``"r2023a"`` (GHSL DP2023 footnote 29): water cells are never candidates. A neighbour is
      *valid* unless it is a water cell or an unpopulated non-land cell that is not itself in a
      centre; a neighbour outside the grid is valid and belongs to no centre. A candidate joins
      c when ``2 * (neighbours in c) > (valid neighbours)``.

    Parameters
    ----------
    centres : numpy.ndarray of int
        Centre number per cell (0 = none).
    variant : {"r2023a", "r2022a"}
    water, unpopulated_non_land : numpy.ndarray of bool
        From :class:`~observatory.degurba.preprocess.PreparedGrid`.
    majority_neighbours : int
        Threshold of the R2022A variant.

    Returns
    -------
    numpy.ndarray of int32
        A new array; the input is not modified.
    """
    out = np.array(centres, dtype=np.int32, order="C", copy=True)
    _smooth_edges_in_place(
        out,
        variant=variant,
        water=water,
        unpopulated_non_land=unpopulated_non_land,
        majority_neighbours=majority_neighbours,
    )
    return out


def _smooth_edges_in_place(
    out: np.ndarray,
    *,
    variant: str,
    water: np.ndarray,
    unpopulated_non_land: np.ndarray,
    majority_neighbours: int,
) -> None:
    """:func:`smooth_edges` writing into ``out`` (C-contiguous int32), to spare a copy of
    the whole grid inside the pipeline."""
    if variant not in ("r2023a", "r2022a"):
        raise ParameterError(f"majority rule variant {variant!r} is not r2023a or r2022a.")
    height, width = out.shape
    flat = out.reshape(-1)
    water_flat = water.reshape(-1)
    ignored_flat = (water | unpopulated_non_land).reshape(-1)
    added = np.flatnonzero(flat)
    while added.size:
        candidates = _neighbours_of(added, height, width)
        candidates = candidates[flat[candidates] == 0]
        if variant == "r2023a":
            candidates = candidates[~water_flat[candidates]]
        if candidates.size == 0:
            break
        rows, cols = np.divmod(candidates, width)
        neighbour_ids = np.zeros((candidates.size, 8), dtype=np.int32)
        valid = np.ones((candidates.size, 8), dtype=bool)
        for k, (dr, dc) in enumerate(NEIGHBOUR_OFFSETS):
            r, c = rows + dr, cols + dc
            inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
            index = r[inside] * width + c[inside]
            ids = flat[index]
            neighbour_ids[inside, k] = ids
            valid[inside, k] = (ids > 0) | ~ignored_flat[index]
        same = neighbour_ids[:, :, None] == neighbour_ids[:, None, :]
        counts = same.sum(axis=2)
        counts[neighbour_ids == 0] = 0
        best = counts.argmax(axis=1)
        best_count = counts[np.arange(candidates.size), best]
        if variant == "r2023a":
            joins = (best_count > 0) & (2 * best_count > valid.sum(axis=1))
        else:
            joins = best_count >= majority_neighbours
        added = candidates[joins]
        flat[added] = neighbour_ids[np.flatnonzero(joins), best[joins]]


def _neighbours_of(cells: np.ndarray, height: int, width: int) -> np.ndarray:
    """Flat indices of the distinct 8-neighbours (inside the grid) of flat cell indices."""
    rows, cols = np.divmod(cells, width)
    found = []
    for dr, dc in NEIGHBOUR_OFFSETS:
        r, c = rows + dr, cols + dc
        inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
        found.append(r[inside] * width + c[inside])
    return np.unique(np.concatenate(found))


def fill_gaps(centres: np.ndarray, *, max_cells: int) -> np.ndarray:
    """Fill the holes of each urban centre that have at most ``max_cells`` cells.

    A hole of centre c is a 4-connected group of cells outside c that does not reach the edge
    of the grid and is enclosed by c alone; cells of another centre inside it count in its
    size but keep their centre. With 1 km² cells and ``max_gap_km2 = 15``, holes of up to 14
    cells are filled (GHSL: "gaps < 15 km²").

    Parameters
    ----------
    centres : numpy.ndarray of int
        Centre number per cell (0 = none).
    max_cells : int
        Largest hole that is filled.

    Returns
    -------
    numpy.ndarray of int32
        A new array.
    """
    out = np.array(centres, dtype=np.int32, copy=True)
    _fill_gaps_in_place(out, max_cells=max_cells)
    return out


def _fill_gaps_in_place(out: np.ndarray, *, max_cells: int) -> None:
    """:func:`fill_gaps` writing into ``out``. Centres are filled in number order; a cell in
    holes of two nested centres goes to the first."""
    if max_cells < 1:
        return
    four = _structure(4)
    for number, box in enumerate(ndimage.find_objects(out), start=1):
        if box is None:
            continue
        window = out[box]
        outside_centre = np.pad(window != number, 1, constant_values=True)
        pieces, count = ndimage.label(outside_centre, structure=four)
        if count < 2:
            continue
        sizes = np.bincount(pieces.ravel())
        is_hole = sizes <= max_cells
        is_hole[0] = False
        is_hole[pieces[0, 0]] = False  # the padded frame: connected to the outside
        window[is_hole[pieces[1:-1, 1:-1]] & (window == 0)] = number


def classify_grid(grid: PreparedGrid, *, rules: DegurbaRules, level: int = 1) -> np.ndarray:
    """Classify every cell at level 1 (codes 3, 2, 1, 0) or level 2 (30 ... 10).

    Level 1 is the first digit of level 2 (:func:`level1_from_level2`), so the two levels
    always agree cell for cell: level 2 only splits the level 1 classes. See the module
    docstring for the rules and their order.

    Parameters
    ----------
    grid : PreparedGrid
        Output of :func:`~observatory.degurba.preprocess.prepare_grid`.
    rules : DegurbaRules
        Rule set (see :func:`~observatory.degurba.rules.rules_from_name`).
    level : {1, 2}

    Returns
    -------
    numpy.ndarray of uint8
        Class code per cell.
    """
    if level not in (1, 2):
        raise ParameterError(f"Degree of Urbanisation level {level!r} is not valid; use 1 or 2.")
    classes = _level2_classes(grid, rules)
    return classes if level == 2 else level1_from_level2(classes)


def _level2_classes(grid: PreparedGrid, rules: DegurbaRules) -> np.ndarray:
    """Level 2 class of every cell, each class taking only cells not yet classified."""
    finder = _ClusterFinder(grid)
    classes = np.where(_urban_centres(finder, grid, rules) > 0, np.uint8(30), np.uint8(0))
    labels, kept = finder.clusters(
        density=rules.duc_density,
        built=rules.duc_built_threshold if rules.duc_built_criterion else None,
        contiguity=rules.duc_contiguity,
        size=rules.duc_size,
    )
    classes[(classes == 0) & kept[labels]] = 23
    buffer_cells = int(rules.sduc_buffer_km / np.sqrt(grid.cell_area_km2) + 1e-9)
    near_dense = ndimage.maximum_filter(classes, size=2 * buffer_cells + 1) > 0
    labels, kept = finder.clusters(
        density=rules.sduc_density,
        built=None,
        contiguity=rules.sduc_contiguity,
        size=rules.sduc_size,
    )
    kept[np.unique(labels[near_dense])] = False
    del near_dense
    classes[(classes == 0) & kept[labels]] = 22
    for code, density, contiguity, size in (
        (21, rules.ucl_density, rules.ucl_contiguity, rules.ucl_size),
        (13, rules.rc_density, rules.rc_contiguity, rules.rc_size),
    ):
        labels, kept = finder.clusters(
            density=density, built=None, contiguity=contiguity, size=size
        )
        classes[(classes == 0) & kept[labels]] = code
    del labels
    unclassified = classes == 0
    classes[unclassified & (grid.density >= rules.ldr_density)] = 12
    classes[classes == 0] = 11
    classes[(classes == 11) & grid.water] = 10
    return classes


def level1_from_level2(classes: np.ndarray) -> np.ndarray:
    """Level 1 code of level 2 codes: 30 → 3, 23/22/21 → 2, 13/12/11 → 1, 10 → 0 (tens digit,
    water to 0)."""
    level1 = (np.asarray(classes) // 10).astype(np.uint8)
    level1[np.asarray(classes) == 10] = 0
    return level1


def class_summary(
    classes: np.ndarray,
    population: np.ndarray,
    *,
    codes: dict[int, str],
    cell_area_km2: float | np.ndarray,
) -> list[dict[str, object]]:
    """Population, area and number of cells per class.

    Parameters
    ----------
    classes : numpy.ndarray
        Class code per cell.
    population : numpy.ndarray
        Inhabitants per cell (NaN counts as 0).
    codes : dict
        Code → name, in the order of the rows returned.
    cell_area_km2 : float or numpy.ndarray
        The area of a cell, or of every cell (an array broadcastable to ``classes``).

    Returns
    -------
    list of dict
        One row per code: ``code``, ``name``, ``cells``, ``area_km2``, ``population``,
        ``population_share`` (of the total, 0-1).
    """
    flat_classes = np.asarray(classes).ravel().astype(np.int64)
    pop = np.nan_to_num(np.asarray(population, dtype="float64").ravel(), nan=0.0)
    cells = np.bincount(flat_classes, minlength=max(codes) + 1)
    people = np.bincount(flat_classes, weights=pop, minlength=max(codes) + 1)
    cell_areas = np.broadcast_to(np.asarray(cell_area_km2, dtype="float64"), np.shape(classes))
    areas = np.bincount(flat_classes, weights=cell_areas.ravel(), minlength=max(codes) + 1)
    total = people.sum()
    return [
        {
            "code": code,
            "name": name,
            "cells": int(cells[code]),
            "area_km2": float(areas[code]),
            "population": float(people[code]),
            "population_share": float(people[code] / total) if total > 0 else 0.0,
        }
        for code, name in codes.items()
    ]
