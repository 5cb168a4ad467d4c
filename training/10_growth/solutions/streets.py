"""Exercise street_metrics: a model answer.

Street density and intersection density of a district.

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

from collections import Counter

import geopandas as gpd

METRIC_CRS = "EPSG:26191"  # Merchich / Nord Maroc, metres


def street_metrics(roads: gpd.GeoDataFrame, zone: gpd.GeoDataFrame) -> dict[str, float]:
    """{"street_density": km per km², "intersection_density": intersections per km²}."""
    lines = roads.to_crs(METRIC_CRS).geometry
    area_km2 = float(zone.to_crs(METRIC_CRS).geometry.area.sum()) / 1_000_000
    length_km = float(lines.length.sum()) / 1000
    # the first and last point of every segment, rounded to the centimetre
    ends = [
        tuple(round(value, 2) for value in point)
        for line in lines
        for point in (line.coords[0], line.coords[-1])
    ]
    street_ends = Counter(ends)
    intersections = sum(1 for count in street_ends.values() if count >= 3)
    return {
        "street_density": length_km / area_km2,
        "intersection_density": intersections / area_km2,
    }


if __name__ == "__main__":
    print(
        street_metrics(
            gpd.read_file("10_growth/streets.geojson"), gpd.read_file("10_growth/zone.geojson")
        )
    )
