"""Exercise map_classes: a model answer. To draw it, add the classes as a column of the
commune layer of indicators.gpkg and style it with Categorized in QGIS."""

import mapclassify
import pandas as pd


def map_classes(values: pd.Series, k: int = 5) -> pd.Series:
    """Class of each value, 1 (lowest) to k (highest), by quantiles; same index as values."""
    classifier = mapclassify.Quantiles(values.to_numpy(), k=k)
    return pd.Series(classifier.yb + 1, index=values.index)
