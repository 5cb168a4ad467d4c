"""The vector layers of the generated national-size project: roads and facilities.

Roads are a street grid (200 m) over every settlement, a jittered rural lattice whose spacing
makes the total about the asked count, arterials along the minimum spanning tree of the
settlements (cut into pieces of at most 2 km, a few of them bridges), and one connector from
each town centre to the nearest lattice node, so the network is one piece. Schools, health
facilities and stops are points near towns (by population) or in the countryside (by rural
density); open spaces are squares, gardens and parks in towns. All are drawn in the grid CRS
and written in EPSG:26191 with the fields of the bundled sample.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay, cKDTree

from benchmarks.national_territory import CELL, COARSE, GRID_CRS, LEFT, TOP, Territory

LAYERS_CRS = "EPSG:26191"
STREET_SPACING = 200.0
ARTERIAL_PIECE = 2000.0
BRIDGE_SHARE = 0.03
#: Smallest settlement (2014 people, at least) at each end of an arterial of this class.
ARTERIAL_CLASSES = ((200_000, "motorway"), (50_000, "trunk"), (10_000, "primary"))


def _towns_xy(territory: Territory) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre (grid CRS metres) and 2024 radius (m) of each settlement."""
    s = territory.settlements
    x = LEFT + (s.columns + 0.5) * CELL
    y = TOP - (s.rows + 0.5) * CELL
    return x, y, s.radius[2024] * CELL + CELL


def roads(territory: Territory) -> gpd.GeoDataFrame:
    """The road layer (fields road_id, name, class, bridge, synthetic)."""
    rng = np.random.default_rng([territory.parameters.seed, 4])
    streets = _streets(rng, territory)
    arterials, arterial_classes, bridges = _arterials(rng, territory)
    target = territory.parameters.count("roads")
    remaining = max(target - len(streets) - len(arterials) - len(territory.settlements.rows), 0)
    lattice, lattice_classes, nodes = _lattice(rng, territory, max(remaining, target // 5))
    x, y, _ = _towns_xy(territory)
    nearest = cKDTree(nodes).query(np.column_stack([x, y]))[1]
    connectors = np.stack([np.column_stack([x, y]), nodes[nearest]], axis=1)
    pieces = np.concatenate([streets, arterials, connectors, lattice])
    classes = np.concatenate(
        [
            np.full(len(streets), "residential"),
            arterial_classes,
            np.full(len(connectors), "tertiary"),
            lattice_classes,
        ]
    )
    bridge = np.zeros(len(pieces), dtype=np.int64)
    bridge[len(streets) : len(streets) + len(arterials)] = bridges
    names = {
        "residential": "Rue (synthétique)",
        "tertiary": "Piste (synthétique)",
        "secondary": "Route provinciale (synthétique)",
        "primary": "Route régionale (synthétique)",
        "trunk": "Route nationale (synthétique)",
        "motorway": "Autoroute (synthétique)",
    }
    frame = gpd.GeoDataFrame(
        {
            "road_id": [f"RD{n:07d}" for n in range(1, len(pieces) + 1)],
            "name": [names[c] for c in classes],
            "class": classes,
            "bridge": bridge,
            "synthetic": np.ones(len(pieces), dtype=np.int64),
        },
        geometry=shapely.linestrings(pieces),
        crs=GRID_CRS,
    )
    return frame.to_crs(LAYERS_CRS)


def _streets(rng: np.random.Generator, territory: Territory) -> np.ndarray:
    """Street segments (n, 2, 2) of a jittered 200 m grid over each settlement's disc; the
    grid's node (0, 0) is the town centre."""
    x, y, radius = _towns_xy(territory)
    segments = []
    for cx, cy, r in zip(x, y, radius, strict=True):
        n = math.ceil(r / STREET_SPACING)
        a, b = np.meshgrid(np.arange(-n, n + 1), np.arange(-n, n + 1), indexing="ij")
        jitter = rng.uniform(-0.2, 0.2, (2, *a.shape)) * STREET_SPACING
        jitter[:, n, n] = 0.0
        nx = cx + a * STREET_SPACING + jitter[0]
        ny = cy + b * STREET_SPACING + jitter[1]
        keep = (np.hypot(a, b) * STREET_SPACING <= r) & territory.inside(nx, ny)
        nodes = np.stack([nx, ny], axis=-1)
        along_a = keep[:-1, :] & keep[1:, :]
        along_b = keep[:, :-1] & keep[:, 1:]
        segments.append(np.stack([nodes[:-1, :][along_a], nodes[1:, :][along_a]], axis=1))
        segments.append(np.stack([nodes[:, :-1][along_b], nodes[:, 1:][along_b]], axis=1))
    return np.concatenate(segments) if segments else np.zeros((0, 2, 2))


def _arterials(
    rng: np.random.Generator, territory: Territory
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arterial pieces (n, 2, 2) along the minimum spanning tree of the town centres, their
    class and bridge flag (0/1)."""
    x, y, _ = _towns_xy(territory)
    points = np.column_stack([x, y])
    size = territory.settlements.size[2014]
    if len(points) >= 4:
        triangles = Delaunay(points).simplices
        pairs = np.concatenate([triangles[:, [0, 1]], triangles[:, [1, 2]], triangles[:, [0, 2]]])
    else:
        pairs = np.array([(i, j) for i in range(len(points)) for j in range(i + 1, len(points))])
    length = np.hypot(*(points[pairs[:, 0]] - points[pairs[:, 1]]).T)
    graph = coo_matrix((length, (pairs[:, 0], pairs[:, 1])), shape=(len(points),) * 2)
    tree = minimum_spanning_tree(graph.tocsr()).tocoo()
    pieces, classes = [], []
    for i, j in zip(tree.row, tree.col, strict=True):
        count = max(1, math.ceil(np.hypot(*(points[i] - points[j])) / ARTERIAL_PIECE))
        steps = np.linspace(0.0, 1.0, count + 1)[:, None]
        line = points[i] + steps * (points[j] - points[i])
        pieces.append(np.stack([line[:-1], line[1:]], axis=1))
        smaller = min(size[i], size[j])
        road_class = next((c for least, c in ARTERIAL_CLASSES if smaller >= least), "secondary")
        classes.append(np.full(count, road_class))
    if not pieces:
        return np.zeros((0, 2, 2)), np.zeros(0, dtype=str), np.zeros(0, dtype=np.int64)
    pieces = np.concatenate(pieces)
    bridges = (rng.random(len(pieces)) < BRIDGE_SHARE).astype(np.int64)
    return pieces, np.concatenate(classes), bridges


def _lattice(
    rng: np.random.Generator, territory: Territory, count: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """About ``count`` segments (n, 2, 2) of a jittered square lattice over the territory,
    their class (every fifth line secondary) and the lattice's nodes (m, 2)."""
    land_area = float((territory.labels >= 0).sum()) * (CELL * COARSE) ** 2
    spacing = math.sqrt(2 * land_area / max(count, 1))
    height, width = (np.array(territory.labels.shape) * CELL * COARSE / spacing).astype(int) + 1
    a, b = np.meshgrid(np.arange(width), np.arange(height), indexing="ij")
    jitter = rng.uniform(-0.3, 0.3, (2, *a.shape)) * spacing
    nx = LEFT + (a + 0.5) * spacing + jitter[0]
    ny = TOP - (b + 0.5) * spacing + jitter[1]
    keep = territory.inside(nx, ny)
    nodes = np.stack([nx, ny], axis=-1)
    along_a = keep[:-1, :] & keep[1:, :]
    along_b = keep[:, :-1] & keep[:, 1:]
    segments = np.concatenate(
        [
            np.stack([nodes[:-1, :][along_a], nodes[1:, :][along_a]], axis=1),
            np.stack([nodes[:, :-1][along_b], nodes[:, 1:][along_b]], axis=1),
        ]
    )
    main_a = np.broadcast_to(b[:-1, :] % 5 == 0, along_a.shape)[along_a]
    main_b = np.broadcast_to(a[:, :-1] % 5 == 0, along_b.shape)[along_b]
    classes = np.where(np.concatenate([main_a, main_b]), "secondary", "tertiary")
    return segments, classes, nodes[keep]


def _near_towns(
    rng: np.random.Generator, territory: Territory, count: int, weights: np.ndarray
) -> np.ndarray:
    """``count`` points (n, 2) around town centres picked by ``weights``, spread over the
    town (normal, sd half its radius), all on land."""
    x, y, radius = _towns_xy(territory)
    found = np.zeros((0, 2))
    while len(found) < count:
        town = rng.choice(len(x), size=2 * count, p=weights / weights.sum())
        px = x[town] + rng.normal(0.0, 0.5, 2 * count) * radius[town]
        py = y[town] + rng.normal(0.0, 0.5, 2 * count) * radius[town]
        inside = territory.inside(px, py)
        found = np.concatenate([found, np.column_stack([px, py])[inside]])
    return found[:count]


def _in_countryside(rng: np.random.Generator, territory: Territory, count: int) -> np.ndarray:
    """``count`` points (n, 2) on land, denser where the rural factor is high."""
    weights = territory.rural_factor.ravel().astype(np.float64)
    cells = rng.choice(weights.size, size=count, p=weights / weights.sum())
    rows, columns = np.divmod(cells, territory.labels.shape[1])
    side = CELL * COARSE
    x = LEFT + (columns + rng.random(count)) * side
    y = TOP - (rows + rng.random(count)) * side
    return np.column_stack([x, y])


def facilities(territory: Territory) -> dict[str, gpd.GeoDataFrame]:
    """Schools, health facilities, transit stops and open spaces (the sample's fields)."""
    rng = np.random.default_rng([territory.parameters.seed, 5])
    count = territory.parameters.count
    size = territory.settlements.size[2024]
    layers = {
        "schools": _schools(rng, territory, count("schools"), size),
        "health": _health(rng, territory, count("health"), size),
        "transit_stops": _stops(rng, territory, count("transit_stops"), size),
        "open_spaces": _open_spaces(rng, territory, count("open_spaces"), size),
    }
    return {name: frame.to_crs(LAYERS_CRS) for name, frame in layers.items()}


def _frame(columns: dict, geometry: np.ndarray) -> gpd.GeoDataFrame:
    columns["synthetic"] = np.ones(len(geometry), dtype=np.int64)
    return gpd.GeoDataFrame(columns, geometry=geometry, crs=GRID_CRS)


def _schools(rng, territory: Territory, count: int, size: np.ndarray) -> gpd.GeoDataFrame:
    in_towns = round(0.55 * count)
    points = np.concatenate(
        [
            _near_towns(rng, territory, in_towns, size),
            _in_countryside(rng, territory, count - in_towns),
        ]
    )
    level = np.where(rng.random(count) < 0.7, "primary", "secondary")
    labels = {"primary": "École primaire", "secondary": "Collège"}
    number = np.arange(1, count + 1)
    return _frame(
        {
            "school_id": [f"SCH{n:06d}" for n in number],
            "name": [
                f"{labels[lv]} n° {n} (synthétique)" for lv, n in zip(level, number, strict=True)
            ],
            "level": level,
            "seats": rng.integers(12, 200, count) * 10,
        },
        shapely.points(points),
    )


def _health(rng, territory: Territory, count: int, size: np.ndarray) -> gpd.GeoDataFrame:
    in_towns = round(0.4 * count)
    points = np.concatenate(
        [
            _near_towns(rng, territory, in_towns, size),
            _in_countryside(rng, territory, count - in_towns),
        ]
    )
    kind = np.where(np.arange(count) < in_towns, "centre_de_sante", "dispensaire_rural")
    kind[: max(1, in_towns // 50)] = "hopital"
    number = np.arange(1, count + 1)
    return _frame(
        {
            "facility_id": [f"HLT{n:06d}" for n in number],
            "name": [f"Centre de santé n° {n} (synthétique)" for n in number],
            "kind": kind,
        },
        shapely.points(points),
    )


def _stops(rng, territory: Territory, count: int, size: np.ndarray) -> gpd.GeoDataFrame:
    points = _near_towns(rng, territory, count, size**1.2)
    mode = np.where(rng.random(count) < 0.03, "tram", "bus")
    mode[: max(1, count // 100)] = "train"
    number = np.arange(1, count + 1)
    return _frame(
        {
            "stop_id": [f"STP{n:06d}" for n in number],
            "name": [f"Arrêt n° {n} (synthétique)" for n in number],
            "mode": mode,
            "capacity": np.where(mode == "bus", "low", "high"),
            "position": np.full(count, "synthetic"),
        },
        shapely.points(points),
    )


def _open_spaces(rng, territory: Territory, count: int, size: np.ndarray) -> gpd.GeoDataFrame:
    centres = _near_towns(rng, territory, count, size)
    kind = rng.choice(["square", "garden", "park"], size=count, p=[0.45, 0.4, 0.15])
    half = {"square": (20, 60), "garden": (40, 100), "park": (100, 300)}
    low = np.array([half[k][0] for k in kind])
    high = np.array([half[k][1] for k in kind])
    half_x, half_y = rng.uniform(low, high), rng.uniform(low, high)
    boxes = shapely.box(
        centres[:, 0] - half_x,
        centres[:, 1] - half_y,
        centres[:, 0] + half_x,
        centres[:, 1] + half_y,
    )
    number = np.arange(1, count + 1)
    return _frame(
        {
            "space_id": [f"OPS{n:06d}" for n in number],
            "name": [f"Espace vert n° {n} (synthétique)" for n in number],
            "kind": kind,
        },
        shapely.multipolygons(boxes, indices=np.arange(count)),
    )
