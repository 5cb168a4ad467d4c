"""Transit stops: tram stops along the Rabat-Salé lines, real train stations, bus stops."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString, Point

from .common import TO_VECTOR, VECTOR_CRS, VECTOR_TO_GRID, lonlat_path
from .geometry import too_close
from .grids import Grids
from .network import Roads

# Approximate courses of the two Rabat-Salé tram lines.
TRAM_LINES = [
    (
        "L1",
        [
            (-6.760, 34.050),
            (-6.790, 34.045),
            (-6.812, 34.037),
            (-6.824, 34.030),
            (-6.834, 34.020),
            (-6.843, 34.010),
            (-6.852, 33.998),
            (-6.862, 33.983),
        ],
    ),
    (
        "L2",
        [
            (-6.770, 34.068),
            (-6.795, 34.057),
            (-6.812, 34.037),
            (-6.824, 34.030),
            (-6.840, 34.024),
            (-6.858, 34.012),
            (-6.872, 34.000),
            (-6.888, 33.988),
        ],
    ),
]
# Real ONCF stations of the region; positions approximate.
TRAIN_STATIONS = [
    ("Rabat-Ville", (-6.8370, 34.0160)),
    ("Rabat-Agdal", (-6.8530, 34.0000)),
    ("Salé-Ville", (-6.8170, 34.0400)),
    ("Salé-Tabriquet", (-6.7875, 34.0640)),
    ("Témara", (-6.9120, 33.9250)),
    ("Skhirate", (-7.0420, 33.8500)),
    ("Kénitra", (-6.5870, 34.2525)),
    ("Sidi Yahya El Gharb", (-6.3080, 34.3050)),
    ("Sidi Slimane", (-5.9250, 34.2620)),
    ("Sidi Kacem", (-5.7100, 34.2250)),
    ("Mechraa Bel Ksiri", (-5.9550, 34.5680)),
    ("Souk El Arbaa", (-6.0000, 34.6850)),
]
TRAM_SPACING = 650.0
BUS_SPACING = 300.0
#: Persons per cell from which a road point may get a bus stop.
BUS_MIN_PEOPLE = 35


def build_transit(rng, grids: Grids, people: np.ndarray, roads: Roads) -> gpd.GeoDataFrame:
    """Tram, train and bus stops, numbered ``STP00001``… in that order."""
    stops = tram_stops() + train_stations() + bus_stops(rng, grids, people, roads)
    frame = gpd.GeoDataFrame(stops, crs=VECTOR_CRS)
    frame.insert(0, "stop_id", [f"STP{i + 1:05d}" for i in range(len(frame))])
    return frame


def stop(name: str, mode: str, synthetic: int, position: str, point: Point) -> dict:
    """One stop; tram and train stops have a high capacity, bus stops a low one."""
    return {
        "name": name,
        "mode": mode,
        "capacity": "low" if mode == "bus" else "high",
        "synthetic": synthetic,
        "position": position,
        "geometry": point,
    }


def tram_stops() -> list[dict]:
    """A stop every TRAM_SPACING metres along each tram line, from its first end."""
    stops = []
    for line_name, points in TRAM_LINES:
        line = LineString(lonlat_path(points))
        for number, distance in enumerate(np.arange(0, line.length + 1, TRAM_SPACING), start=1):
            stops.append(
                stop(
                    f"Tram {line_name} – station {number:02d}",
                    "tram",
                    1,
                    "generated along the approximate line course",
                    line.interpolate(distance),
                )
            )
    return stops


def train_stations() -> list[dict]:
    """The region's real stations, at approximate positions."""
    return [
        stop(f"Gare {name}", "train", 0, "approximate", Point(TO_VECTOR.transform(*lon_lat)))
        for name, lon_lat in TRAIN_STATIONS
    ]


def bus_stops(rng, grids: Grids, people: np.ndarray, roads: Roads) -> list[dict]:
    """Bus stops on the roads of populated cells, BUS_SPACING metres apart at least.

    Candidates lie every 450 m along ordinary roads and every 900 m along residential
    streets (none on motorways, footways or bridges); they are kept in a random order.
    """
    candidates = []
    for item in roads.lines:
        if item["class"] in ("motorway", "footway") or item["bridge"]:
            continue
        line = item["geometry"]
        step = 450.0 if item["class"] != "residential" else 900.0
        for distance in np.arange(step / 2, line.length, step):
            candidates.append(line.interpolate(distance))
    coords = np.array([[p.x, p.y] for p in candidates])
    gx, gy = VECTOR_TO_GRID.transform(coords[:, 0], coords[:, 1])
    rows, cols = grids.grid.index_of(gx, gy)
    kept = coords[people[rows, cols] > BUS_MIN_PEOPLE]
    taken: list[np.ndarray] = []
    for index in rng.permutation(len(kept)):
        if not too_close(kept[index], taken, BUS_SPACING):
            taken.append(kept[index])
    return [
        stop(f"Arrêt de bus n° {number} (synthétique)", "bus", 1, "synthetic", Point(x, y))
        for number, (x, y) in enumerate(taken, start=1)
    ]
