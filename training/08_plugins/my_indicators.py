"""Exercise people_per_school: your own indicator, registered like a plugin.

An indicator is a function decorated with @indicator. It receives the project's Inputs
(units of the finest level, population, layers), the period and its parameters, and returns,
for every commune, components that can be summed: here the population (numerator) and the
number of schools (denominator). Observatory sums them up to provinces and the region and
divides there, so a province's value is Σ people / Σ schools, never a mean of ratios.

Check with: observatory training check people_per_school
"""

import geopandas as gpd  # noqa: F401  (you will need it for the spatial join)
import pandas as pd

from observatory.indicators.registry import indicator


@indicator(
    id="people_per_school",
    title={"en": "People per school", "fr": "Habitants par école"},
    description={
        "en": "Population divided by the number of schools located in the unit.",
        "fr": "Population divisée par le nombre d'écoles situées dans l'unité.",
    },
    unit="people/school",
    theme="access",
    references=("Observatory training, module 8",),
    method="population / number of schools (points within the unit)",
    needs=("population", "schools"),
    kind="ratio",
    years_from=("population",),
)
def people_per_school(inputs, period, params) -> pd.DataFrame:
    """numerator = population in period.end; denominator = schools inside each unit."""
    units = inputs.units  # finest units, indexed by unit id, in their own CRS
    schools = inputs.layer("schools")  # points, in another CRS
    # TODO 1: population = inputs.population(period.end)
    # TODO 2: reproject the schools to units.crs and find the unit of each school with
    #         gpd.sjoin(schools_in_units_crs, units[["geometry"]], predicate="within")
    #         (the joined frame has the unit id in the column "unit_id")
    # TODO 3: count the schools per unit id, with 0 for units that have none
    # TODO 4: return pd.DataFrame({"numerator": ..., "denominator": ...}, index=units.index)
    raise NotImplementedError(f"TODO: compute people per school ({len(units)}, {len(schools)})")
