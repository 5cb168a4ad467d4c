"""Exercise commune_areas: the area of every commune in km².

The communes of data/units.gpkg are in EPSG:4326: their coordinates are degrees, and an
"area" in square degrees means nothing (a square degree is about 9,200 km² at Rabat's
latitude, and less towards the poles). Measure in an equal-area projection instead.

Check with: observatory training check commune_areas
"""

import geopandas as gpd
import pandas as pd


def commune_areas(communes: gpd.GeoDataFrame) -> pd.Series:
    """Area of each commune in km², indexed by the commune code (column "code").

    Parameters
    ----------
    communes : geopandas.GeoDataFrame
        The "communes" layer of data/units.gpkg, as read by
        observatory.io.vector.read_layer (CRS EPSG:4326).
    """
    # TODO 1: project the geometries to an equal-area CRS, e.g. "ESRI:54009" (Mollweide,
    #         the CRS of the sample's rasters) with communes.to_crs(...).
    # TODO 2: take .area (m² in that CRS) and divide by 1,000,000 to get km².
    # TODO 3: return a pandas Series indexed by communes["code"].
    raise NotImplementedError("TODO: measure the areas in km² in an equal-area CRS")
