"""Exercise street_metrics: street density and intersection density of a district, written
by hand.

    street density       = Σ street length (km) / area (km²)
    intersection density = number of intersections / area (km²)

An intersection is a node where at least 3 street ends meet: a dead end (1 end) and a bend
or a plain vertex (2 ends) are not intersections. The streets of 10_growth/streets.geojson
are already split at every node (each line is one segment between two nodes) and all lie
inside the district 10_growth/zone.geojson. Both layers are in EPSG:4326 (degrees):
measure lengths and areas in a projected CRS in metres first.
Source: UN-Habitat (2013), Streets as Public Spaces; docs/methods/streets.md. Check with:
    observatory training check street_metrics
"""

import geopandas as gpd
import shapely  # noqa: F401  (shapely.get_coordinates gives the points of lines)

METRIC_CRS = "EPSG:26191"  # Merchich / Nord Maroc, metres


def street_metrics(roads: gpd.GeoDataFrame, zone: gpd.GeoDataFrame) -> dict[str, float]:
    """{"street_density": km per km², "intersection_density": intersections per km²}."""
    # TODO 1: reproject both layers to METRIC_CRS (lengths in m, areas in m²)
    # TODO 2: area_km2 = the zone's area / 1_000_000; length_km = the roads' length / 1000
    # TODO 3: the two end points of every segment (roads.geometry.boundary, or
    #         shapely.get_coordinates), counted per position: intersections are the
    #         positions with at least 3 ends
    raise NotImplementedError("TODO: measure the streets and count the intersections")


if __name__ == "__main__":
    print(
        street_metrics(
            gpd.read_file("10_growth/streets.geojson"), gpd.read_file("10_growth/zone.geojson")
        )
    )
