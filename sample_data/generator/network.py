"""The road lines being drawn, and the connected pieces of the walkable network."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from shapely.geometry import LineString

WALKABLE_EXCLUDED = {"motorway"}


def is_walkable(item: dict) -> bool:
    """Whether a road line can be walked (everything but motorways)."""
    return item["class"] not in WALKABLE_EXCLUDED


class Roads:
    """Collects road lines (VECTOR_CRS) with their class, name and bridge flag."""

    def __init__(self) -> None:
        self.lines: list[dict] = []

    def add(self, coords, road_class: str, name: str, bridge: int = 0) -> None:
        """Add a line longer than 1 m, given as a LineString or its coordinates."""
        line = coords if isinstance(coords, LineString) else LineString(np.asarray(coords))
        if line.length > 1.0:
            self.lines.append(
                {"geometry": line, "class": road_class, "name": name, "bridge": bridge}
            )

    def vertices(self, keep: Callable[[dict], bool]) -> np.ndarray:
        """The vertices (n × 2) of the lines for which ``keep`` is true."""
        return np.concatenate(
            [shapely.get_coordinates(item["geometry"]) for item in self.lines if keep(item)]
        )

    def walkable_vertices(self) -> np.ndarray:
        """The vertices of every walkable line."""
        return self.vertices(is_walkable)


def walk_components(lines: list[dict]) -> tuple[int, np.ndarray, list]:
    """Node walkable lines at true crossings (bridges only at their ends) and label components.

    Returns the number of components, the component label of each noded segment, and the
    segments themselves.
    """
    walkable = [item for item in lines if is_walkable(item)]
    ground = [item["geometry"] for item in walkable if not item["bridge"]]
    bridges = [item["geometry"] for item in walkable if item["bridge"]]
    noded = list(shapely.get_parts(shapely.union_all(ground))) + bridges
    ends = np.array([[seg.coords[0], seg.coords[-1]] for seg in noded]).reshape(-1, 2)
    keys, node_ids = np.unique(np.round(ends, 6), axis=0, return_inverse=True)
    node_ids = node_ids.reshape(-1, 2)
    adjacency = sparse.coo_matrix(
        (np.ones(len(noded)), (node_ids[:, 0], node_ids[:, 1])), shape=(len(keys), len(keys))
    )
    count, labels = csgraph.connected_components(adjacency, directed=False)
    return count, labels[node_ids[:, 0]], noded
