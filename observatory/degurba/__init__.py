"""Degree of Urbanisation: stage 1 (grid cells) and stage 2 (spatial units), pure numpy/scipy.

Typical use::

    rules = rules_from_name("ghsl-2023")
    prepared = prepare_grid(population, rules=rules, built_share=built, land_share=land)
    classes = classify_grid(prepared, rules=rules, level=2)

See ``docs/methods/degurba.md`` for the rules, rule sets and codes.
"""

from observatory.degurba.classify import (
    CLASS_NODATA,
    GridClassification,
    UnitClassification,
    classify_grid_rasters,
    classify_unit_layer,
    grid_class_codes,
)
from observatory.degurba.grid import (
    LEVEL1_CODES,
    LEVEL1_COLOURS,
    LEVEL2_CODES,
    LEVEL2_COLOURS,
    class_summary,
    classify_grid,
    fill_gaps,
    level1_from_level2,
    smooth_edges,
    urban_centres,
)
from observatory.degurba.preprocess import (
    GRID_CELL_M,
    PreparedGrid,
    aggregate_to_coarse_grid,
    prepare_grid,
    repeat_to_fine_grid,
    share_from_m2,
)
from observatory.degurba.rasters import classify_rasters
from observatory.degurba.rules import (
    DEFAULT_RULE_SET,
    RULE_SETS,
    DegurbaRules,
    rule_set_table,
    rules_from_name,
)
from observatory.degurba.units import (
    UNIT_LEVEL1_CODES,
    UNIT_LEVEL2_CODES,
    classify_units,
    level1_of_unit_class,
    unit_class_area,
    unit_class_population,
)
from observatory.kernels.grid import as_m2_per_cell

__all__ = [
    "CLASS_NODATA",
    "DEFAULT_RULE_SET",
    "GRID_CELL_M",
    "LEVEL1_CODES",
    "LEVEL1_COLOURS",
    "LEVEL2_CODES",
    "LEVEL2_COLOURS",
    "RULE_SETS",
    "UNIT_LEVEL1_CODES",
    "UNIT_LEVEL2_CODES",
    "DegurbaRules",
    "GridClassification",
    "PreparedGrid",
    "UnitClassification",
    "aggregate_to_coarse_grid",
    "as_m2_per_cell",
    "class_summary",
    "classify_grid",
    "classify_grid_rasters",
    "classify_rasters",
    "classify_unit_layer",
    "classify_units",
    "fill_gaps",
    "grid_class_codes",
    "level1_from_level2",
    "level1_of_unit_class",
    "prepare_grid",
    "repeat_to_fine_grid",
    "rule_set_table",
    "rules_from_name",
    "share_from_m2",
    "smooth_edges",
    "unit_class_area",
    "unit_class_population",
    "urban_centres",
]
