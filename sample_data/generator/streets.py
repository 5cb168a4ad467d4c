"""Town street grids with their ring boulevard, new-neighbourhood grids, and medina lanes."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

from .common import TO_VECTOR
from .geometry import connector
from .network import Roads
from .settlements import Town

#: Directions of the 72 sides of a town's ring road (the last closes it).
RING_ANGLES = np.linspace(0, 2 * np.pi, 73)
MEDINAS = ((-6.836, 34.025, "Médina de Rabat"), (-6.822, 34.039, "Médina de Salé"))


def add_street_grids(rng, roads: Roads, towns: list[Town]) -> None:
    """Streets of every town of 6,000 people or more and of its leapfrog sites; medinas."""
    for town in towns:
        if town.population_2014 < 6000:
            continue
        spacing = 170.0 if town.population_2014 > 150000 else 210.0
        ring_class = "secondary" if town.population_2014 > 30000 else "tertiary"
        outline = town.radius_2024() * town.outline(RING_ANGLES)
        street_grid(
            rng,
            roads,
            (town.x, town.y),
            outline,
            spacing=spacing,
            ring_class=ring_class,
            name=town.name,
        )
        for site in town.leapfrog:
            add_new_neighbourhood(rng, roads, town, site)
    for lon, lat, name in MEDINAS:
        add_medina(roads, TO_VECTOR.transform(lon, lat), name)


def street_grid(rng, roads: Roads, centre, radii, *, spacing, ring_class, name) -> None:
    """A rotated grid of residential streets inside an outline, and a ring road on it.

    ``radii`` is the outline's distance from ``centre`` at each of :data:`RING_ANGLES`.
    Streets overshoot the ring by 15 m, so each of them crosses it.
    """
    x, y = centre
    ring = np.column_stack([x + radii * np.cos(RING_ANGLES), y + radii * np.sin(RING_ANGLES)])
    outline = Polygon(ring).buffer(15.0)
    angle = rng.uniform(0, np.pi / 2)
    direction = np.array([np.cos(angle), np.sin(angle)])
    normal = np.array([-direction[1], direction[0]])
    reach = float(radii.max()) + 30.0
    offsets = np.arange(-reach, reach, spacing) + rng.uniform(0, spacing)
    for axis, across in ((direction, normal), (normal, direction)):
        for offset in offsets:
            middle = np.array([x, y]) + offset * across
            chord = LineString([middle - reach * axis, middle + reach * axis])
            for piece in shapely.get_parts(chord.intersection(outline)):
                if piece.length > spacing:
                    roads.add(piece, "residential", f"Rue {name}")
    roads.add(ring, ring_class, f"Boulevard {name}")


def add_new_neighbourhood(rng, roads: Roads, town: Town, site: tuple[float, float]) -> None:
    """A round 450 m street grid on a leapfrog site, joined by an avenue to the network."""
    name = f"{town.name} (nouveau quartier)"
    lx, ly = site
    street_grid(
        rng, roads, site, np.full(73, 450.0), spacing=150.0, ring_class="tertiary", name=name
    )
    vertices = roads.walkable_vertices()
    start = np.array([lx + 450.0, ly])
    outside = np.hypot(*(vertices - np.array([lx, ly])).T) > 500.0
    candidates = vertices[outside]
    target = candidates[np.argmin(np.hypot(*(candidates - start).T))]
    roads.add(connector(rng, start, target), "secondary", f"Avenue {name}")


def add_medina(roads: Roads, centre, name: str) -> None:
    """A 660 m square of footways every 70 m, in both directions."""
    x, y = centre
    for k in range(-4, 5):
        for axis in (np.array([1.0, 0.0]), np.array([0.0, 1.0])):
            across = axis[::-1]
            middle = np.array([x, y]) + k * 70.0 * across
            roads.add([middle - 330 * axis, middle + 330 * axis], "footway", f"Derb ({name})")
