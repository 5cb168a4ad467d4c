"""Exercise map_classes: the classes of a choropleth map, as QGIS would draw them.

A map of communes groups the values into k classes. Quantiles put the same number of
communes in every class; mapclassify (installed with Observatory) computes them as QGIS does.

Check with: observatory training check map_classes
"""

import mapclassify  # noqa: F401  (you will need it)
import pandas as pd


def map_classes(values: pd.Series, k: int = 5) -> pd.Series:
    """Class of each value, 1 (lowest) to k (highest), by quantiles; same index as values."""
    # TODO 1: classifier = mapclassify.Quantiles(values.to_numpy(), k=k)
    # TODO 2: classifier.yb holds classes 0 .. k-1: add 1
    # TODO 3: return a Series with the index of values
    raise NotImplementedError("TODO: classify the values into k quantile classes")
