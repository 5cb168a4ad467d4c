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

A world grid (649 M cells at 1 km) is classified in bounded memory: one uint8 flag a cell
holds every density mask of the rules (derived in row blocks by
:func:`~observatory.degurba.preprocess.prepare_grid`), clusters are labelled tile by tile and
merged across the tile seams (:mod:`observatory.degurba.tiles`), and urban centres are kept
as a set of cells (:mod:`observatory.degurba.centres`). The classes are the same for every
tile shape, cell for cell, and the same as those of one labelling of the whole grid. The grid
does not wrap: the first and last columns of a world grid are not neighbours.

Sources: Eurostat et al. (2021) *Applying the Degree of Urbanisation*, chapters 6-8 (updated
July 2024); GHSL Data Package 2022 footnote 25 and 2023 footnotes 29-30; the operational order
of flexurba (Van Migerode et al. 2024, EPB 51(7)), which reproduces GHS-SMOD.
"""

from __future__ import annotations

import numpy as np

from observatory.degurba.centres import (
    CentreCells,
    fill_gaps,
    gaps_filled,
    smooth_edges,
    smoothed,
)
from observatory.degurba.preprocess import ROW_CHUNK, WATER, PreparedGrid
from observatory.degurba.rules import DegurbaRules
from observatory.degurba.tiles import (
    DEFAULT_TILE_SHAPE,
    BitMask,
    CellsFunction,
    Clusters,
    Tiling,
    cluster_sums,
    flag_clusters,
    label_clusters,
)
from observatory.errors import ParameterError
from observatory.parallel import Executor
from observatory.reasons import N_

__all__ = [
    "LEVEL1_CODES",
    "LEVEL1_COLOURS",
    "LEVEL2_CODES",
    "LEVEL2_COLOURS",
    "class_summary",
    "classify_grid",
    "fill_gaps",
    "level1_from_level2",
    "smooth_edges",
    "urban_centres",
]

#: Class names of the grid, in English (files keep them); marked for the catalogs, so that
#: the commands show them in their language.
LEVEL1_CODES = {3: N_("urban centre"), 2: N_("urban cluster"), 1: N_("rural"), 0: N_("water")}
LEVEL2_CODES = {
    30: N_("urban centre"),
    23: N_("dense urban cluster"),
    22: N_("semi-dense urban cluster"),
    21: N_("suburban or peri-urban"),
    13: N_("rural cluster"),
    12: N_("low density rural"),
    11: N_("very low density rural"),
    10: N_("water"),
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


class _ClusterFinder:
    """The clusters of the classes, found tile by tile from one grid of cell flags.

    Every mask the rules use (density >= a threshold, or built-up share >= another) is one
    bit of a uint8 flag per cell, with the water and unpopulated non-land bits of the majority
    rule: one pass over the prepared grid derives them all, 1 byte a cell. Clusters of each
    (mask, contiguity) are labelled tile by tile and their populations summed once
    (:mod:`observatory.degurba.tiles`); classes that share them (urban centres and dense urban
    clusters, suburban cells and rural clusters) take them again with their own size.
    """

    def __init__(
        self,
        grid: PreparedGrid,
        rules: DegurbaRules,
        tile_shape: tuple[int, int],
        executor: Executor | None = None,
    ):
        self.grid = grid
        self.tiling = Tiling(grid.shape, tuple(tile_shape))
        self.executor = executor
        flags = grid.cell_flags(rules)
        self.bits, self.flags = flags.bits, flags.values
        self._found: dict[tuple, tuple[Clusters, np.ndarray]] = {}

    def clusters(
        self, *, density: float, built: float | None, contiguity: int, size: float
    ) -> tuple[Clusters, np.ndarray]:
        """The clusters of the cells with density >= ``density`` (or built-up share >=
        ``built`` when given) and, per root, whether their population is at least ``size``
        (never for 0)."""
        key = (density, built, contiguity)
        if key not in self._found:
            mask_of = BitMask(self.flags, self.bits[(density, built)])
            found = label_clusters(
                mask_of, self.tiling, contiguity=contiguity, executor=self.executor
            )
            self._found[key] = (found, cluster_sums(found, self.grid.population_at))
        found, sums = self._found[key]
        kept = sums >= size
        kept[0] = False
        return found, kept


def urban_centres(
    grid: PreparedGrid,
    *,
    rules: DegurbaRules,
    tile_shape: tuple[int, int] = DEFAULT_TILE_SHAPE,
    executor: Executor | None = None,
) -> np.ndarray:
    """Urban centres, each with its own number (0 = not a centre).

    Dense cells (density >= ``uc_density``, or built-up share >= ``uc_built_threshold`` when
    ``uc_built_criterion``) are grouped with ``uc_contiguity``; groups with population >=
    ``uc_size`` are centres, numbered in the raster order of their first cell. Then
    :func:`smooth_edges` and :func:`fill_gaps` as the rules say.

    Parameters
    ----------
    grid : PreparedGrid
        Output of :func:`~observatory.degurba.preprocess.prepare_grid`.
    rules : DegurbaRules
        Thresholds and switches.
    tile_shape : tuple of int
        Rows and columns of the tiles the clusters are labelled in (the result does not
        depend on it).
    executor : Executor, optional
        Where the tiles are labelled (here, serially, by default; the result does not depend
        on it).

    Returns
    -------
    numpy.ndarray of int32
        Centre number per cell, numbered 1..n.
    """
    finder = _ClusterFinder(grid, rules, tile_shape, executor)
    return _urban_centres(finder, rules).to_grid()


def _urban_centres(finder: _ClusterFinder, rules: DegurbaRules) -> CentreCells:
    clusters, kept = finder.clusters(
        density=rules.uc_density,
        built=rules.uc_built_threshold if rules.uc_built_criterion else None,
        contiguity=rules.uc_contiguity,
        size=rules.uc_size,
    )
    cells, roots = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for _, tile_cells, tile_roots in clusters.tile_cells():
        keep = kept[tile_roots]
        cells.append(tile_cells[keep])
        roots.append(tile_roots[keep])
    cells, roots = np.concatenate(cells), np.concatenate(roots)
    order = np.argsort(cells, kind="stable")
    cells, roots = cells[order], roots[order]
    # Numbers follow the raster order of each centre's first cell, as one labelling of the
    # whole grid numbers them.
    _, first, index = np.unique(roots, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int32)
    rank[np.argsort(first)] = np.arange(1, first.size + 1, dtype=np.int32)
    centres = CentreCells(finder.grid.shape, cells, rank[index])
    if rules.uc_smoothing != "none":
        centres = smoothed(
            centres,
            variant=rules.uc_smoothing,
            flags=finder.flags.reshape(-1),
            majority_neighbours=rules.uc_majority_neighbours,
        )
    if rules.uc_gap_fill:
        max_cells = _cells_below_area(rules.uc_max_gap_km2, finder.grid.cell_area_km2)
        centres = gaps_filled(centres, max_cells=max_cells)
    return centres


def _cells_below_area(area_km2: float, cell_area_km2: float) -> int:
    """Largest number of cells whose area is strictly below ``area_km2``."""
    cells = int(np.ceil(area_km2 / cell_area_km2 - 1e-9)) - 1
    return max(cells, 0)


def classify_grid(
    grid: PreparedGrid,
    *,
    rules: DegurbaRules,
    level: int = 1,
    tile_shape: tuple[int, int] = DEFAULT_TILE_SHAPE,
    executor: Executor | None = None,
) -> np.ndarray:
    """Classify every cell at level 1 (codes 3, 2, 1, 0) or level 2 (30 ... 10).

    Level 1 is the first digit of level 2 (:func:`level1_from_level2`), so the two levels
    always agree cell for cell: level 2 only splits the level 1 classes. See the module
    docstring for the rules and their order. Clusters are labelled tile by tile and merged
    across the tile seams (:mod:`observatory.degurba.tiles`); the classes are the same for any
    tile shape, cell for cell.

    Parameters
    ----------
    grid : PreparedGrid
        Output of :func:`~observatory.degurba.preprocess.prepare_grid`.
    rules : DegurbaRules
        Rule set (see :func:`~observatory.degurba.rules.rules_from_name`).
    level : {1, 2}
    tile_shape : tuple of int
        Rows and columns of a tile (1,024 x 2,048 by default).
    executor : Executor, optional
        Where the tiles are labelled (here, serially, by default); the classes are the same
        cell for cell.

    Returns
    -------
    numpy.ndarray of uint8
        Class code per cell.
    """
    if level not in (1, 2):
        raise ParameterError(f"Degree of Urbanisation level {level!r} is not valid; use 1 or 2.")
    classes = _level2_classes(_ClusterFinder(grid, rules, tile_shape, executor), rules)
    if level == 1:
        for start in range(0, classes.shape[0], ROW_CHUNK):
            rows = slice(start, start + ROW_CHUNK)
            classes[rows] = level1_from_level2(classes[rows])
    return classes


def _level2_classes(finder: _ClusterFinder, rules: DegurbaRules) -> np.ndarray:
    """Level 2 class of every cell, each class taking only cells not yet classified."""
    grid = finder.grid
    classes = np.zeros(grid.shape, dtype=np.uint8)
    classes.reshape(-1)[_urban_centres(finder, rules).cells] = 30
    clusters, kept = finder.clusters(
        density=rules.duc_density,
        built=rules.duc_built_threshold if rules.duc_built_criterion else None,
        contiguity=rules.duc_contiguity,
        size=rules.duc_size,
    )
    _assign(classes, clusters, [(23, kept)])
    buffer_cells = int(rules.sduc_buffer_km / np.sqrt(grid.cell_area_km2) + 1e-9)
    clusters, kept = finder.clusters(
        density=rules.sduc_density,
        built=None,
        contiguity=rules.sduc_contiguity,
        size=rules.sduc_size,
    )
    kept &= ~flag_clusters(clusters, _near_dense(classes, buffer_cells))
    _assign(classes, clusters, [(22, kept)])
    suburban, kept_suburban = finder.clusters(
        density=rules.ucl_density, built=None, contiguity=rules.ucl_contiguity, size=rules.ucl_size
    )
    rural, kept_rural = finder.clusters(
        density=rules.rc_density, built=None, contiguity=rules.rc_contiguity, size=rules.rc_size
    )
    if rural is suburban:
        _assign(classes, suburban, [(21, kept_suburban), (13, kept_rural)])
    else:
        _assign(classes, suburban, [(21, kept_suburban)])
        _assign(classes, rural, [(13, kept_rural)])
    _assign_the_rest(classes, finder.flags, finder.bits[(rules.ldr_density, None)])
    return classes


def _assign(classes: np.ndarray, clusters: Clusters, codes: list[tuple[int, np.ndarray]]) -> None:
    """Give each code, in turn, to the unclassified cells of the clusters it keeps."""
    flat = classes.reshape(-1)
    for _, cells, roots in clusters.tile_cells():
        for code, kept in codes:
            chosen = cells[kept[roots]]
            flat[chosen[flat[chosen] == 0]] = code


def _near_dense(classes: np.ndarray, buffer_cells: int) -> CellsFunction:
    """``near(cells)``: whether each cell of flat indices ``cells`` lies within
    ``buffer_cells`` (Chebyshev distance) of a classified cell (30 or 23 when called)."""
    height, width = classes.shape
    reach = range(-buffer_cells, buffer_cells + 1)

    def near(cells: np.ndarray) -> np.ndarray:
        rows, cols = np.divmod(cells, width)
        found = np.zeros(cells.size, dtype=bool)
        for dr in reach:
            for dc in reach:
                r, c = rows + dr, cols + dc
                inside = (r >= 0) & (r < height) & (c >= 0) & (c < width)
                found[inside] |= classes[r[inside], c[inside]] > 0
        return found

    return near


def _assign_the_rest(classes: np.ndarray, flags: np.ndarray, low_density_bit: np.uint8) -> None:
    """12 for the unclassified cells of density >= ``ldr_density``, else 10 for water cells,
    else 11 (the order of the rules: 12, then 11, then the 11 cells of water become 10)."""
    every_flag = np.arange(256, dtype=np.uint8)
    rest = np.where(
        (every_flag & low_density_bit) != 0,
        np.uint8(12),
        np.where((every_flag & WATER) != 0, np.uint8(10), np.uint8(11)),
    )
    for start in range(0, classes.shape[0], ROW_CHUNK):
        rows = slice(start, start + ROW_CHUNK)
        out = classes[rows]
        out += rest[flags[rows]] * (out == 0).view(np.uint8)


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
