"""Why a value or an indicator is not published: the texts, in one place.

A value that is empty carries its reason in the ``quality`` column of every output; an
indicator that is not computed at all carries one in the run's not-computed list. Both are
written in English, from the templates below, where they are found: the coverage flags of
:mod:`observatory.quality`, the flags of the finalizers (a ratio or a share with a zero or
missing base, a growth rate of a zero figure, SDG 11.3.1 with a near-zero growth) and the
plan of :mod:`observatory.engine`. The outputs written in the project's language translate
them (:func:`observatory.report.labels.reason_label`) by finding the template a text was made
from; ``indicators.csv`` and ``provenance.json`` keep the English text, the same in every
project.

Every template and every fragment put into one (``{what}``) is marked with :func:`N_`, so
that Babel's extractor puts it in the catalogs.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs (Babel's extractor finds it); translated when shown."""
    return message


# -- values not published (the quality column) ------------------------------------------------
LOW_COVERAGE = N_("not published: the {raster} raster covers {share} of the unit (below {minimum})")
RATIO_ZERO_BASE = N_("not computed: the base of the ratio (denominator) is 0")
RATIO_MISSING_BASE = N_("not computed: the base of the ratio (denominator) is missing")
RATIO_MISSING_NUMERATOR = N_("not computed: the numerator of the ratio is missing")
NO_POPULATION = N_("not computed: nobody lives in the unit (0 people on the population grid)")
MISSING_POPULATION = N_("not computed: the population of the unit is missing")
GROWTH_ZERO = N_("not computed: {what} of {year} is 0")
GROWTH_NEGATIVE = N_("not computed: {what} of {year} is negative")
GROWTH_MISSING = N_("not computed: {what} of {year} is missing")
#: What a growth rate is of, in :data:`GROWTH_ZERO` and the like.
THE_FIGURE = N_("the figure")
THE_BUILT_UP_AREA = N_("the built-up area")
THE_POPULATION = N_("the population")
NEAR_ZERO_GROWTH = N_(
    "not published: population growth {pgr} %/yr is too close to 0 for a meaningful ratio "
    "(|PGR| < {stable} %/yr); see lcr and pgr"
)
#: Any reason a value is not published (:func:`observatory.quality.flag_not_published`).
NOT_PUBLISHED = N_("not published: {reason}")
#: A coarser unit summed from finest units of which some have no value, or none lies in it.
SOME_UNITS_WITHOUT_VALUE = N_("{missing} of its {units} {level} units have no value")
HOLDS_NO_UNIT = N_("it holds no {level} unit")
#: A unit without census figure for a year, one of whose units has none, or whose coarser
#: unit (that the census of the year is at) has none.
NO_CENSUS_FIGURE = N_("no census {year} figure")
SOME_UNITS_WITHOUT_CENSUS = N_("no census {year} figure for {missing} of its {units} {level} units")
COARSER_WITHOUT_CENSUS = N_("no census {year} figure for its {level} {code}")

# -- indicators not computed (the not-computed list) ------------------------------------------
NEEDS = N_("needs {inputs}")
NO_COMMON_YEAR = N_("no year common to {roles}")
NO_COMMON_PAIR = N_("no pair of years common to {roles}")
PERIOD_GRID = N_("{period}: the population grid {reason}")
NOT_ON_POPULATION_GRID = N_(
    "the {raster} raster is not on the population grid of {year} ({grid} vs {population})"
)
GRIDS_DIFFER = N_(
    "the {role} grids of {start} and {end} differ ({first} vs {second}), so their cells cannot "
    "be compared"
)
EMPTY_LAYER = N_("the {role} layer has no features")
LAYER_ELSEWHERE = N_("no feature of the {role} layer lies within the extent of the units")
#: What an indicator needs, in :data:`NEEDS`.
NEEDED_INPUTS = {
    "population": N_("a census table ([census]) or a population raster ([rasters].population)"),
    "population_grid": N_("a population raster ([rasters].population)"),
    "built_up": N_("a built-up raster ([rasters].built_up)"),
    "land": N_("a land raster ([rasters].land)"),
    "pm25": N_("a PM2.5 raster ([rasters].pm25)"),
}
NEEDED_LAYER = N_("a '{role}' layer ([layers].{role})")
COARSER_LEVEL_ONLY = N_(
    "{periods} from the {level} level up only: census {years} is at {level} level"
)
#: Why the cells of a population grid cannot be summed into the 1 km cells of the Degree of
#: Urbanisation (:func:`observatory.checks.grids.degurba_grid_reason`).
CELLS_NOT_DIVIDING = N_(
    "its {width} × {height} m cells do not divide 1 km a whole number of times, so they cannot "
    "be summed into the 1 km cells of the Degree of Urbanisation"
)
ORIGIN_OFF_GRID = N_(
    "its origin ({x}, {y}) is not on a corner of the 1 km grid of {crs}, so its cells cannot be "
    "summed into 1 km cells"
)

#: Every template, for the outputs that translate them.
TEMPLATES = (
    LOW_COVERAGE,
    RATIO_ZERO_BASE,
    RATIO_MISSING_BASE,
    RATIO_MISSING_NUMERATOR,
    NO_POPULATION,
    MISSING_POPULATION,
    GROWTH_ZERO,
    GROWTH_NEGATIVE,
    GROWTH_MISSING,
    NEAR_ZERO_GROWTH,
    SOME_UNITS_WITHOUT_VALUE,
    HOLDS_NO_UNIT,
    SOME_UNITS_WITHOUT_CENSUS,
    COARSER_WITHOUT_CENSUS,
    NO_CENSUS_FIGURE,
    NEEDS,
    NO_COMMON_YEAR,
    NO_COMMON_PAIR,
    PERIOD_GRID,
    NOT_ON_POPULATION_GRID,
    GRIDS_DIFFER,
    EMPTY_LAYER,
    LAYER_ELSEWHERE,
    NEEDED_LAYER,
    COARSER_LEVEL_ONLY,
    CELLS_NOT_DIVIDING,
    ORIGIN_OFF_GRID,
    NOT_PUBLISHED,  # last: the reasons above that start as it does are matched first
)
#: Every fragment that goes into a template whole, translated with it.
FRAGMENTS = (THE_FIGURE, THE_BUILT_UP_AREA, THE_POPULATION, *NEEDED_INPUTS.values())
