"""Small street layers shared by the tests of observatory.kernels.network.

Coordinates are metres in UTM 29N (EPSG:32629).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString

from observatory.kernels.network import build_network, nearest_distance, snap_points

CRS = "EPSG:32629"


def lines(*geometries):
    return gpd.GeoSeries(list(geometries), crs=CRS)


def distance(network, origin_xy, destination_xy):
    origins = snap_points(network, np.atleast_2d(origin_xy))
    destinations = snap_points(network, np.atleast_2d(destination_xy))
    return nearest_distance(network, origins, destinations)


def street_grid():
    """3 x 3 street grid, 100 m blocks, drawn as 6 straight lines that share no vertex at the
    inner crossings: noding must create the 9 nodes and 12 edges of 100 m."""
    horizontal = [LineString([(0, y), (200, y)]) for y in (0, 100, 200)]
    vertical = [LineString([(x, 0), (x, 200)]) for x in (0, 100, 200)]
    return build_network(lines(*horizontal, *vertical))


def bridge_layer():
    road = LineString([(0, 0), (200, 0)])
    below = LineString([(100, -200), (100, -100)])
    bridge = LineString([(100, -100), (100, 100)])  # crosses the road at (100, 0), no vertex
    above = LineString([(100, 100), (100, 200)])
    return lines(road, below, bridge, above)
