"""Exercise repair_geometries: spot and repair the invalid plots of a field survey.

02_layers/survey_plots.geojson holds five plots digitised by hand. Some are not valid
polygons (a bow tie, a spike drawn back on itself): GIS software then gives wrong areas,
fails on intersections or drops them silently.

Check with: observatory training check repair_geometries
"""

import geopandas as gpd


def invalid_plots(plots: gpd.GeoDataFrame) -> list[str]:
    """The plot_id of every plot whose geometry is not valid, in the layer's order."""
    # TODO: use plots.is_valid (True/False for each row) to select the invalid rows.
    #       shapely.is_valid_reason(geometry) says why a geometry is invalid.
    raise NotImplementedError("TODO: list the plot_id of the invalid plots")


def repair_plots(plots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of ``plots`` with every geometry valid, keeping every plot and its area.

    Only polygons may remain: a repair that leaves lines or points (a GeometryCollection)
    must keep only its polygonal parts.
    """
    # TODO 1: repaired = plots.geometry.make_valid()  (buffer(0) loses half of a bow tie!)
    # TODO 2: where the result is a GeometryCollection, keep only its polygons, e.g. with
    #         shapely.get_parts and shapely.multipolygons, or .explode() and a dissolve.
    # TODO 3: return plots.set_geometry(...) so the input is not changed.
    raise NotImplementedError("TODO: repair the geometries")
