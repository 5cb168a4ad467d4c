"""Exercise repair_geometries: a model answer.

P2 is a bow tie (its ring crosses itself): make_valid turns it into two triangles, a
MultiPolygon. P4 has a spike drawn out and back: make_valid returns the square plus the spike
as a line, in a GeometryCollection, of which only the polygon is kept. P5's courtyard touches
the outer wall at a single point, which is valid.
"""

import geopandas as gpd
import shapely


def invalid_plots(plots: gpd.GeoDataFrame) -> list[str]:
    """The plot_id of every plot whose geometry is not valid, in the layer's order."""
    return plots.loc[~plots.is_valid, "plot_id"].astype(str).tolist()


def _polygonal_part(geometry):
    parts = shapely.get_parts(geometry)
    polygons = [part for part in parts if part.geom_type in ("Polygon", "MultiPolygon")]
    merged = shapely.union_all(polygons)
    return (
        merged
        if merged.geom_type == "Polygon"
        else shapely.multipolygons(shapely.get_parts(merged))
    )


def repair_plots(plots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of ``plots`` with every geometry valid, keeping every plot and its area."""
    repaired = [_polygonal_part(geometry) for geometry in plots.geometry.make_valid()]
    return plots.set_geometry(gpd.GeoSeries(repaired, index=plots.index, crs=plots.crs))
