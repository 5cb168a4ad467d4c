"""Exercise people_per_school: a model answer.

The schools (EPSG:26191) are reprojected to the units' CRS and joined to the unit that
contains them; the counts are the denominators, the census population the numerators.
"""

import geopandas as gpd
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
    units = inputs.units
    population = inputs.population(period.end)
    schools = inputs.layer("schools").to_crs(units.crs)
    joined = gpd.sjoin(schools[["geometry"]], units[["geometry"]], predicate="within")
    counts = joined["unit_id"].value_counts().reindex(units.index, fill_value=0)
    return pd.DataFrame(
        {"numerator": population, "denominator": counts.astype("float64")}, index=units.index
    )
