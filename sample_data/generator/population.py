"""Synthetic population grids whose exact-coverage sum over every commune is its census count."""

from __future__ import annotations

import numpy as np
import shapely
from rasterio import features
from scipy import linalg, ndimage, sparse

from .common import (
    CELL,
    GRID_CRS,
    POPULATION_NODATA,
    VECTOR_CRS,
    YEARS,
    grid_point,
    part_rng,
    vector_to_grid_coords,
)
from .grids import Grids, GridSpec, smooth_field
from .network import Roads
from .settlements import Town, Village
from .units import Units

#: Share of a rural commune's people dispersed along its roads.
DISPERSED_SHARE = 0.12


def build_population(
    units: Units, grids: Grids, towns: list[Town], villages: list[Village], roads: Roads
) -> dict[int, np.ndarray]:
    """Persons per 100 m cell for each census year (float32, nodata outside the region).

    A weight surface (towns, villages, people dispersed along rural roads, modulated by a
    smooth random texture and by the arrondissements' densities) is scaled to the census
    of each commune by :func:`fit_to_census`.
    """
    rng = part_rng("population")
    shape = grids.grid.shape
    texture = np.exp(0.35 * smooth_field(rng, shape, 3.0))
    lots = smooth_field(rng, shape, 1.5) > 1.5
    arrondissements = arrondissement_factor(units, grids.grid)
    road_distance = distance_to_roads(roads, grids.grid)
    dispersed = np.exp(-road_distance / 200.0) * (road_distance < 700) * texture
    dispersed *= owner_is_rural(units, grids)
    village_sizes = np.zeros(len(units.communes))
    for village in villages:
        village_sizes[village.commune] += village.size
    surfaces = {}
    for year in YEARS:
        surface = np.zeros(shape)
        for town in towns:
            add_town(surface, town, year, grids, texture, lots)
        for village in villages:
            # the villages of a rural commune share half of its people, by size
            commune = village.commune
            people = 0.5 * units.population[year][commune] * village.size / village_sizes[commune]
            add_village(surface, village, people, grids, texture)
        surface += scaled_per_commune(dispersed, DISPERSED_SHARE, units.population[year], grids)
        surface *= arrondissements
        surfaces[year] = surface
    return {
        year: fit_to_census(surfaces[year], units.population[year], grids, year)
        for year in surfaces
    }


def distance_to_roads(roads: Roads, grid: GridSpec) -> np.ndarray:
    """Distance (m) from each cell to the nearest cell with a road other than a motorway."""
    road_mask = features.rasterize(
        (
            (shapely.transform(item["geometry"], vector_to_grid_coords), 1)
            for item in roads.lines
            if item["class"] != "motorway"
        ),
        out_shape=grid.shape,
        transform=grid.transform,
        fill=0,
        dtype="uint8",
    )
    return ndimage.distance_transform_edt(road_mask == 0) * CELL


def add_town(surface, town: Town, year: int, grids: Grids, texture, lots) -> None:
    """Add a town's people of ``year`` to ``surface``: core, extension and leapfrog.

    In 2014 the town's vacant ``lots`` are empty; in 2024 they are built over if the town
    grew (infill). Growth above 5 % goes to the extension sector and leapfrog sites.
    """
    gx, gy = grid_point(town.x, town.y)
    radius = town.radius
    window, dist = grids.kernel_window(gx, gy, 3 * radius)
    angle = np.arctan2(grids.cy[window] - gy, grids.cx[window] - gx)
    relative = dist / (radius * town.outline(angle))
    core = 1.0 / (1.0 + relative**6)
    core_weights = core * texture[window]
    if year == 2014 or not town.infill:
        holes = lots[window] & (relative < 1)
        core_weights = np.where(holes, 0.0, core_weights)
    if year == 2014:
        base, growth = town.population_2014, 0.0
    else:
        base = min(town.population_2024, town.population_2014 * 1.05)
        growth = max(town.population_2024 - base, 0.0)
    parts = [(core_weights, base)]
    if growth > 0 and town.extension is not None:
        leap_share = 0.35 if town.leapfrog else 0.0
        parts.append(
            (extension_weights(town, angle, relative) * texture[window], growth * (1 - leap_share))
        )
        for site in town.leapfrog:
            add_leapfrog(surface, site, growth * leap_share, grids, texture)
    elif growth > 0:
        parts.append((core * texture[window], growth))
    for weights, total in parts:
        add_component(surface, window, weights, total)


def extension_weights(town: Town, angle: np.ndarray, relative: np.ndarray) -> np.ndarray:
    """A ring just outside the town, in the sector of its extension."""
    delta = np.angle(np.exp(1j * (angle - town.extension)))
    outer = town.radius_2024() * 1.25 / town.radius
    ring = ((relative > 0.95) & (relative < outer)).astype(float)
    sector = np.exp(-((delta / 0.9) ** 4))
    return ring * sector


def add_leapfrog(surface, site, total: float, grids: Grids, texture) -> None:
    """Spread ``total`` people over a 420 m disc around a leapfrog site."""
    gx, gy = grid_point(*site)
    window, dist = grids.kernel_window(gx, gy, 900.0)
    add_component(surface, window, (dist < 420.0) * texture[window], total)


def add_village(surface, village: Village, total: float, grids: Grids, texture) -> None:
    """Spread ``total`` people over a Gaussian blob whose width follows the village's size."""
    gx, gy = grid_point(village.x, village.y)
    scale = 110.0 + 90.0 * village.size
    window, dist = grids.kernel_window(gx, gy, 3 * scale)
    add_component(surface, window, np.exp(-((dist / scale) ** 2)) * texture[window], total)


def add_component(surface, window, weights, total) -> None:
    """Add ``total`` people to ``surface[window]`` in proportion to ``weights``."""
    mass = weights.sum()
    if mass > 0 and total > 0:
        surface[window] += weights * (total / mass)


def owner_is_rural(units: Units, grids: Grids) -> np.ndarray:
    """Whether each cell centre lies in a rural commune."""
    rural = (units.communes["status"] == "rural").values
    return np.where(grids.owner >= 0, rural[grids.owner.clip(0)], False)


def scaled_per_commune(weights, share: float, population, grids: Grids) -> np.ndarray:
    """``weights`` scaled so that each commune holds ``share`` of its ``population``."""
    mass = grids.cover.T @ weights.ravel()
    factor = np.divide(share * population, mass, out=np.zeros_like(mass), where=mass > 0)
    per_cell = np.where(grids.owner >= 0, factor[grids.owner.clip(0)], 0.0)
    return weights * per_cell


def arrondissement_factor(units: Units, grid: GridSpec) -> np.ndarray:
    """Relative density of Rabat's and Salé's arrondissements (census 2024), per cell."""
    table = units.census.arrondissements.set_index("code")
    frame = units.arrondissements.to_crs(VECTOR_CRS)
    density = table.loc[frame["code"], "population_2024"].astype(float).values / (
        frame.area.values / 1e6
    )
    mean = {
        commune: density[(frame["commune"] == commune).values].mean()
        for commune in frame["commune"].unique()
    }
    relative = [density[i] / mean[commune] for i, commune in enumerate(frame["commune"])]
    factor = features.rasterize(
        zip(units.arrondissements.to_crs(GRID_CRS).geometry, relative, strict=False),
        out_shape=grid.shape,
        transform=grid.transform,
        fill=1.0,
        dtype="float64",
    )
    return np.sqrt(factor)


def fit_to_census(surface: np.ndarray, population, grids: Grids, year: int) -> np.ndarray:
    """Scale each commune's weights so that exact-coverage sums equal the census.

    With cell values ``v = w * (F a)`` (F the coverage fractions, a one factor per
    commune), the commune sums are ``F^T v = (F^T diag(w) F) a``: a small linear system.
    """
    weights = surface.ravel()
    system = (grids.cover.T @ sparse.diags(weights) @ grids.cover).toarray()
    factors = linalg.solve(system, population)
    if np.any(factors <= 0):
        raise RuntimeError(f"population fit for {year} gave a non-positive factor")
    values = weights * (grids.cover @ factors)
    values = quantise(values.astype(np.float32))
    values = values.reshape(grids.grid.shape)
    return np.where(grids.in_region, values, np.float32(POPULATION_NODATA))


def quantise(values: np.ndarray) -> np.ndarray:
    """Round float32 values to 11 mantissa bits (relative error < 0.05 %) to compress well."""
    bits = values.view(np.uint32)
    rounded = (bits + np.uint32(0x800)) & np.uint32(0xFFFFF000)
    return rounded.view(np.float32)
