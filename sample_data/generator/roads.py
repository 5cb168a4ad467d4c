"""The synthetic road network: main routes, town connectors, streets, rivers, motorways."""

from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import LineString

from .common import lonlat_path, part_rng
from .geometry import connector, split_at_crossings, wiggly_line
from .motorways import add_motorways
from .network import Roads, walk_components
from .settlements import Town, Village, place_villages
from .streets import add_street_grids
from .units import Units

# Main roads as waypoints (lon, lat): approximate courses of the real routes, drawn by hand.
MAIN_ROADS = [
    (
        "trunk",
        "N1",
        [
            (-7.12, 33.80),
            (-7.040, 33.852),
            (-6.905, 33.925),
            (-6.845, 34.005),
            (-6.826, 34.030),
            (-6.790, 34.045),
            (-6.733, 34.125),
            (-6.640, 34.205),
            (-6.580, 34.258),
            (-6.470, 34.380),
            (-6.300, 34.520),
            (-6.130, 34.620),
            (-5.998, 34.683),
            (-5.940, 34.800),
            (-5.920, 34.960),
        ],
    ),
    (
        "trunk",
        "N4",
        [
            (-6.580, 34.258),
            (-6.450, 34.285),
            (-6.305, 34.305),
            (-6.120, 34.285),
            (-5.926, 34.265),
            (-5.707, 34.221),
            (-5.520, 34.170),
        ],
    ),
    (
        "trunk",
        "N6",
        [
            (-6.845, 34.005),
            (-6.700, 33.990),
            (-6.520, 33.983),
            (-6.314, 33.894),
            (-6.180, 33.850),
            (-6.066, 33.824),
            (-5.850, 33.850),
            (-5.600, 33.880),
        ],
    ),
    (
        "primary",
        "R401",
        [
            (-6.845, 34.005),
            (-6.800, 33.900),
            (-6.793, 33.805),
            (-6.740, 33.660),
            (-6.706, 33.529),
            (-6.650, 33.380),
        ],
    ),
    ("primary", "N13", [(-5.707, 34.221), (-5.800, 34.400), (-5.957, 34.565), (-5.998, 34.683)]),
    ("primary", "R408", [(-5.957, 34.565), (-5.730, 34.540), (-5.510, 34.495)]),
    ("primary", "R413", [(-5.998, 34.683), (-6.150, 34.800), (-6.290, 34.880)]),
    (
        "primary",
        "R404",
        [(-6.066, 33.824), (-6.150, 33.650), (-6.100, 33.520), (-6.000, 33.420), (-5.950, 33.300)],
    ),
    ("primary", "R405", [(-6.066, 33.824), (-5.950, 34.000), (-5.926, 34.265)]),
    ("primary", "R406", [(-6.314, 33.894), (-6.500, 33.700), (-6.706, 33.529)]),
    ("primary", "R322", [(-6.905, 33.925), (-6.915, 33.823), (-6.793, 33.805)]),
    ("secondary", "R411", [(-6.580, 34.258), (-6.650, 34.255), (-6.665, 34.265)]),
    ("secondary", "R302", [(-7.040, 33.852), (-6.960, 33.760), (-6.900, 33.650)]),
]
# Approximate courses of the Bou Regreg and Sebou estuaries (streets stop at them; roads
# crossing them are bridges).
RIVERS = [
    (
        "Bou Regreg",
        [
            (-6.838, 34.036),
            (-6.825, 34.028),
            (-6.812, 34.018),
            (-6.800, 34.005),
            (-6.790, 33.990),
            (-6.770, 33.975),
        ],
    ),
    (
        "Sebou",
        [
            (-6.668, 34.268),
            (-6.640, 34.275),
            (-6.610, 34.280),
            (-6.585, 34.278),
            (-6.560, 34.270),
            (-6.520, 34.275),
            (-6.480, 34.290),
        ],
    ),
]
#: Half the width of an estuary (m).
RIVER_HALF_WIDTH = 90.0


def build_roads(units: Units, towns: list[Town]) -> tuple[Roads, list[Village]]:
    """Draw the whole network, placing the villages on it as it grows.

    The steps share one random generator, in this order: main roads, town connectors,
    villages and their tracks, street grids, river cuts, connectivity repair, motorways.
    """
    rng = part_rng("roads")
    roads = Roads()
    for road_class, name, waypoints in MAIN_ROADS:
        roads.add(wiggly_line(rng, lonlat_path(waypoints), 250.0, 250.0), road_class, name)
    connect_towns(rng, roads, towns)
    villages = place_villages(rng, units, roads)
    add_street_grids(rng, roads, towns)
    cut_rivers(roads)
    repair_connectivity(rng, roads)
    add_motorways(rng, roads, towns)
    return roads, villages


def connect_towns(rng, roads: Roads, towns: list[Town]) -> None:
    """Join every town more than 50 m from the network to it, nearest town first."""
    tree = cKDTree(roads.walkable_vertices())
    order = sorted(towns, key=lambda town: tree.query([town.x, town.y])[0])
    for town in order:
        vertices = roads.walkable_vertices()
        tree = cKDTree(vertices)
        start = np.array([town.x, town.y])
        distance, nearest = tree.query(start)
        if distance > 50:
            road_class = "secondary" if town.urban else "tertiary"
            roads.add(
                connector(rng, start, vertices[nearest]), road_class, f"Route communale {town.name}"
            )


def cut_rivers(roads: Roads) -> None:
    """Streets stop at the estuaries; other roads cross them on bridges."""
    rivers = [LineString(lonlat_path(points)).buffer(RIVER_HALF_WIDTH) for _name, points in RIVERS]
    kept = []
    for item in roads.lines:
        pieces = [(item["geometry"], item["bridge"])]
        for river in rivers:
            pieces = [
                cut
                for piece, bridge in pieces
                for cut in cut_at_river(piece, bridge, item["class"], river)
            ]
        for piece, bridge in pieces:
            if piece.length > 30.0:
                kept.append({**item, "geometry": piece, "bridge": bridge})
    roads.lines = kept


def cut_at_river(piece: LineString, bridge: int, road_class: str, river) -> list[tuple]:
    """The parts of one line at a river, with their bridge flag.

    A street or footway stops at the banks; another road crosses on a bridge; a bridge or a
    line away from the river stays whole.
    """
    if bridge or not piece.intersects(river):
        return [(piece, bridge)]
    if road_class in ("residential", "footway"):
        return [(part, 0) for part in shapely.get_parts(piece.difference(river))]
    return split_at_crossings(piece, river)


def repair_connectivity(rng, roads: Roads) -> None:
    """Join every walkable component to the largest one with a short street (five rounds)."""
    for _round in range(5):
        count, labels, noded = walk_components(roads.lines)
        if count == 1 or len(set(labels)) == 1:
            return
        main = np.bincount(labels, weights=[seg.length for seg in noded]).argmax()
        main_coords = component_coordinates(noded, labels, main)
        tree = cKDTree(main_coords)
        for label in sorted(set(labels) - {main}):
            coords = component_coordinates(noded, labels, label)
            distances, nearest = tree.query(coords)
            best = int(np.argmin(distances))
            roads.add(
                connector(rng, coords[best], main_coords[nearest[best]]),
                "residential",
                "Rue de liaison (synthétique)",
            )


def component_coordinates(noded: list, labels: np.ndarray, label) -> np.ndarray:
    """The vertices of the noded segments of one component."""
    return np.concatenate(
        [
            shapely.get_coordinates(seg)
            for seg, lab in zip(noded, labels, strict=False)
            if lab == label
        ]
    )
