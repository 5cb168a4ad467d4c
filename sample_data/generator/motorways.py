"""Motorways: laid over the network last, on bridges at every crossing, joined at interchanges."""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from .common import lonlat_path
from .geometry import merge_spans, substring, wiggly_line
from .network import Roads
from .settlements import Town, urban_towns

MOTORWAYS = [
    (
        "A1",
        [
            (-7.12, 33.79),
            (-7.020, 33.835),
            (-6.880, 33.900),
            (-6.795, 33.975),
            (-6.770, 34.040),
            (-6.705, 34.130),
            (-6.560, 34.235),
            (-6.430, 34.400),
            (-6.300, 34.600),
            (-6.130, 34.850),
            (-6.050, 34.960),
        ],
    ),
    (
        "A2",
        [
            (-6.795, 33.975),
            (-6.650, 33.960),
            (-6.520, 33.965),
            (-6.314, 33.910),
            (-6.066, 33.840),
            (-5.800, 33.900),
            (-5.600, 33.930),
        ],
    ),
]
# Interchanges: motorway joined to the ordinary network near these towns.
INTERCHANGE_TOWNS = [
    "04.501.01.05",
    "04.501.01.07",
    "04.441.01.0",
    "04.281.01.01",
    "04.291.01.05",
    "04.291.01.01",
    "04.291.01.17",
]
#: Half the length of a motorway overpass, each side of the road it crosses (m).
OVERPASS_HALF_LENGTH = 40.0


def add_motorways(rng, roads: Roads, towns: list[Town]) -> None:
    """Motorways pass over every other road on bridges and join it at interchanges."""
    other_union = shapely.union_all([item["geometry"] for item in roads.lines])
    courses = []
    for name, waypoints in MOTORWAYS:
        line = LineString(wiggly_line(rng, lonlat_path(waypoints), 300.0, 150.0))
        crossings = shapely.get_parts(line.intersection(other_union))
        positions = sorted(line.project(point) for point in crossings if point.geom_type == "Point")
        courses.append((name, line, positions))
    for name, line, positions in courses:
        add_with_overpasses(roads, name, line, positions)
    add_interchanges(roads, towns)


def add_with_overpasses(roads: Roads, name: str, line: LineString, positions: list) -> None:
    """Add a motorway, as bridges around the ``positions`` where it crosses a road."""
    spans = merge_spans(
        [
            (max(p - OVERPASS_HALF_LENGTH, 0.0), min(p + OVERPASS_HALF_LENGTH, line.length))
            for p in positions
        ]
    )
    cursor = 0.0
    for start, end in spans:
        if start > cursor:
            roads.add(substring(line, cursor, start), "motorway", name)
        roads.add(substring(line, start, end), "motorway", name, bridge=1)
        cursor = end
    if cursor < line.length:
        roads.add(substring(line, cursor, line.length), "motorway", name)


def add_interchanges(roads: Roads, towns: list[Town]) -> None:
    """Link the motorway vertex nearest each interchange town to the main roads.

    The vertex is taken more than 150 m from any overpass, so that the link lands on the
    ground-level motorway.
    """
    motorway_vertices = roads.vertices(
        lambda item: item["class"] == "motorway" and not item["bridge"]
    )
    bridge_ends = roads.vertices(lambda item: item["class"] == "motorway" and item["bridge"])
    far_from_bridges = cKDTree(bridge_ends).query(motorway_vertices)[0] > 150.0
    candidates = motorway_vertices[far_from_bridges]
    ground = roads.vertices(
        lambda item: item["class"] in ("trunk", "primary", "secondary") and not item["bridge"]
    )
    ground_tree = cKDTree(ground)
    by_code = urban_towns(towns)
    for code in INTERCHANGE_TOWNS:
        town = by_code[code]
        centre = np.array([town.x, town.y])
        on_motorway = candidates[np.argmin(np.hypot(*(candidates - centre).T))]
        _distance, nearest = ground_tree.query(on_motorway)
        target = ground[nearest]
        if np.hypot(*(target - on_motorway)) > 5.0:
            roads.add(np.array([on_motorway, target]), "motorway", f"Échangeur {town.name}")
