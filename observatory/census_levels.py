"""The census for the engine: the :class:`~observatory.indicators.inputs.Inputs` of each
level the indicators are computed at (:func:`level_inputs`).

The finest units get the census figures of their own level and, for the years a coarser
table gives, the figures shared among them by the population raster of that year
(:func:`~observatory.kernels.interpolate.census_on_finest`). A year given only at a coarser
level, without a raster of that year, cannot be shared: the indicators that need the
population are computed for the units of that level, from inputs of their own, and summed
up from there; the finer levels get no value for those years (the plan says why).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from observatory.census import CensusFigures, UnitTree, census_figures
from observatory.hierarchy import Hierarchy
from observatory.indicators.inputs import Inputs
from observatory.layers import Layers
from observatory.parallel import SERIAL, Executor


def unit_tree(hierarchy: Hierarchy) -> UnitTree:
    """The :class:`~observatory.census.UnitTree` of ``hierarchy``."""
    names = list(hierarchy.levels)
    return UnitTree(
        {name: hierarchy.levels[name].index for name in names},
        {name: hierarchy.levels[name]["parent_id"] for name in names[1:]},
    )


def layers_census(layers: Layers, hierarchy: Hierarchy) -> CensusFigures | None:
    """The census figures of checked ``layers`` (None without ``[census]``)."""
    spec = layers.project.census
    if spec is None:
        return None
    return census_figures(spec, layers.census, layers.crosswalks, unit_tree(hierarchy))


def census_counts(layers: Layers, hierarchy: Hierarchy) -> pd.DataFrame:
    """Census population of checked ``layers`` at the finest level a census table is of.

    The index holds the ids of that level's units (in their order, every unit: NaN where a
    unit has no figure), the columns the years of that level (integers). Rows matching no
    unit are left out (``validate`` lists them).
    """
    figures = layers_census(layers, hierarchy)
    level = list(figures.levels)[-1]
    return figures.at_level(level).rename_axis("unit_id")


def down_to(hierarchy: Hierarchy, level: str) -> Hierarchy:
    """The levels of ``hierarchy`` down to ``level``, as if it were the finest."""
    names = list(hierarchy.levels)[: list(hierarchy.levels).index(level) + 1]
    tree = unit_tree(hierarchy)
    ancestors = pd.DataFrame({name: tree.ancestors(level, name) for name in names})
    return Hierarchy(levels={name: hierarchy.levels[name] for name in names}, ancestors=ancestors)


@dataclass(frozen=True)
class LevelInputs:
    """The inputs of each level indicators are computed at.

    Attributes
    ----------
    inputs : dict
        Level → :class:`Inputs`: the finest level first, then each coarser level with
        census years of its own that no raster shares among the finest units.
    hierarchies : dict
        Level → the hierarchy down to that level (:func:`down_to`).
    figures : CensusFigures or None
        The census figures (None without census).
    tree : UnitTree
        The units of every level.
    """

    inputs: dict[str, Inputs]
    hierarchies: dict[str, Hierarchy]
    figures: CensusFigures | None
    tree: UnitTree

    @property
    def finest(self) -> Inputs:
        """The inputs of the finest level."""
        return next(iter(self.inputs.values()))

    def missing(self, computed_at: str, level: str, years) -> pd.Series:
        """Why each unit of ``level`` has no census figure for the census ``years`` read by
        an indicator computed at ``computed_at`` ("" where it has them)."""
        if self.figures is None:
            return pd.Series("", index=self.tree.codes[level], dtype=object)
        census = self.inputs[computed_at].census.columns
        return self.figures.missing(self.tree, level, [year for year in years if year in census])

    def population_sources(self) -> dict[str, str]:
        """Where the population of each year comes from, for the provenance."""
        finest = self.finest
        sources = {str(year): finest.population_source(year) for year in finest.years("population")}
        for level, inputs in list(self.inputs.items())[1:]:
            for year in inputs.census.columns:
                sources.setdefault(str(year), f"census ({level} level)")
        return dict(sorted(sources.items()))


def level_inputs(
    layers: Layers, hierarchy: Hierarchy, *, executor: Executor = SERIAL
) -> LevelInputs:
    """The :class:`Inputs` of the finest level of checked ``layers`` (census mapped onto
    it) and of each coarser level with census years of its own; their blocks of zonal
    statistics run on ``executor``."""
    project = layers.project
    figures = layers_census(layers, hierarchy)
    tree = unit_tree(hierarchy)
    rasters = {
        role: {year: layer.raster for year, layer in by_year.items()}
        for role, by_year in layers.rasters.items()
    }
    shared = {}
    own: dict[str, pd.DataFrame] = {}
    raster_years = set(rasters.get("population", {}))
    for level in reversed(tree.names[:-1]):
        years = figures.years_at(level) if figures else []
        if [year for year in years if year in raster_years]:
            shared[level] = figures.at_level(level)[[y for y in years if y in raster_years]]
        if [year for year in years if year not in raster_years]:
            own[level] = figures.on(tree, level)
    finest = hierarchy.finest
    census = figures.at_level(finest) if figures and finest in figures.levels else None

    def inputs_of(level: str, counts: pd.DataFrame | None, coarser=None) -> Inputs:
        return Inputs(
            hierarchy.levels[level],
            census=counts,
            coarser_census=coarser,
            ancestors=hierarchy.ancestors,
            rasters=rasters,
            layers={role: layer.frame for role, layer in layers.layers.items()},
            fields={role: spec.fields for role, spec in project.layers.items()},
            executor=executor,
        )

    inputs = {finest: inputs_of(finest, census, shared)}
    inputs.update({level: inputs_of(level, counts) for level, counts in own.items()})
    hierarchies = {level: down_to(hierarchy, level) for level in inputs}
    return LevelInputs(inputs, hierarchies, figures, tree)


def build_inputs(layers: Layers, hierarchy: Hierarchy, *, executor: Executor = SERIAL) -> Inputs:
    """The :class:`Inputs` of the finest level of checked ``layers``, census mapped onto it."""
    return level_inputs(layers, hierarchy, executor=executor).finest
