"""Checks of module 12 (preparing layers from downloads): ``prepare osm`` and ``prepare grids``.

Every expected answer is computed from what the trainee's run wrote and from the downloads:

- prepare_osm: the layers of ``12_prepare/helsinki/osm.gpkg`` (registered in the project
  file's ``[layers]`` by the command) are compared with the layers the library makes of the
  extract in memory (:func:`observatory.prepare.workflow.osm_layers`, the default buffer);
  the counts of what was left out come from that same run.
- prepare_ghsl: the raster ``prepare grids`` registered in ``[rasters]`` must carry the tags
  the command writes and the grid the units call for (2 km margin); its total is compared
  with the sum of the valid cells of the two tiles read over that grid, here.
"""

from __future__ import annotations

import numpy as np
from rasterio.crs import CRS

from observatory.errors import ObservatoryError
from observatory.io.raster import read_raster, read_raster_tags
from observatory.io.tiles import read_window, tile_info
from observatory.io.vector import read_layer
from observatory.kernels.grid import Grid
from observatory.prepare.grids import DEFAULT_MARGIN_M, target_grid
from observatory.prepare.osm import ROLES
from observatory.prepare.workflow import osm_layers
from observatory.project import load_project
from observatory.workshop import CheckFailed
from observatory.workshop.compare import Mistake, number_item, text_item

DOWNLOADS = "12_prepare/downloads"
EXTRACT = f"{DOWNLOADS}/helsinki_cut.osm.pbf"
HELSINKI = "12_prepare/helsinki"
OSM_ANSWERS = "12_prepare/osm_answers.toml"
OSM_COMMAND = f"observatory prepare osm {EXTRACT} {HELSINKI}"
FLANDERS = "12_prepare/west_flanders"
GHSL_ANSWERS = "12_prepare/ghsl_answers.toml"
TILES = ("R3_C19", "R4_C19")
TILE_PATTERN = "GHS_POP_E2020_GLOBE_R2023A_54009_1000_V1_0_{}.tif"
GHSL_COMMAND = (
    f'observatory prepare grids {FLANDERS} --population "{DOWNLOADS}/GHS_POP_E2020_*.tif"'
)
#: The degrees of a 1 km GHSL cell in the WGS84 products (30 arc-seconds).
CELL_DEGREES = 30 / 3600


def _project(folder, command):
    try:
        return load_project(folder / "observatory.toml")
    except ObservatoryError as error:
        raise CheckFailed(
            f"{folder.name}/observatory.toml cannot be read ({error}); put it back with "
            f"observatory training reset, then run {command}",
            f"{folder.name}/observatory.toml ne peut pas être lu ({error}) ; remettez-le avec "
            f"observatory training reset, puis lancez {command}",
        ) from None


def _prepared_layers(context):
    """The trainee's project and the layers its run of prepare osm wrote."""
    project = _project(context.path(HELSINKI), OSM_COMMAND)
    missing = [role for role in ROLES if role not in project.layers]
    if missing:
        raise CheckFailed(
            f"{HELSINKI}/observatory.toml has no [layers] {', '.join(missing)} yet: from your "
            f"workspace, run {OSM_COMMAND}",
            f"{HELSINKI}/observatory.toml n'a pas encore de [layers] {', '.join(missing)} : "
            f"depuis votre espace de travail, lancez {OSM_COMMAND}",
        )
    units = project.units.path_of(project.units.levels[0])
    written = project.layers["roads"].path
    if not written.is_file() or written.stat().st_mtime < units.stat().st_mtime:
        raise CheckFailed(
            f"{written.name} is missing or older than the units: run {OSM_COMMAND} --overwrite",
            f"{written.name} manque ou est plus ancien que les unités : lancez {OSM_COMMAND} "
            "--overwrite",
        )
    layers = {role: read_layer(spec.path, layer=spec.layer) for role, spec in project.layers.items()
              if role in ROLES}  # fmt: skip
    return project, layers


def _road_lengths(roads):
    return roads.geometry.length.groupby(roads["class"].astype(str)).sum()


def check_prepare_osm(context):
    """What prepare osm kept and left out, answered from the trainee's osm.gpkg (which must
    be what the library makes of the extract with the default buffer)."""
    project, layers = _prepared_layers(context)
    reference = osm_layers(project, context.path(EXTRACT))
    different = [role for role in ROLES if len(layers[role]) != len(reference.layers[role])]
    if different:
        raise CheckFailed(
            f"osm.gpkg does not hold what prepare osm makes of the extract with the default "
            f"buffer ({', '.join(different)} differ): run {OSM_COMMAND} --overwrite, "
            "without --buffer.",
            f"osm.gpkg ne contient pas ce que prepare osm tire de l'extrait avec la marge par "
            f"défaut ({', '.join(different)} diffèrent) : lancez {OSM_COMMAND} --overwrite, "
            "sans --buffer.",
        )
    answers = context.answers(OSM_ANSWERS)
    roads = reference.reports["roads"]
    first_reason = roads.dropped.most_common(1)[0][1] if roads.dropped else -1
    stops = reference.reports["transit_stops"]
    lengths = _road_lengths(layers["roads"])
    high = int((layers["transit_stops"]["capacity"].astype(str) == "high").sum())
    crs = CRS.from_user_input(layers["roads"].crs).to_string()
    return [
        number_item(
            "Streets kept",
            "Rues gardées",
            answers.get("roads_kept"),
            len(layers["roads"]),
            mistakes=[
                Mistake(
                    len(layers["roads"]) + sum(roads.dropped.values()),
                    "that counts the lines left out too; give the lines kept.",
                    "cela compte aussi les lignes écartées ; donnez les lignes gardées.",
                )
            ],
        ),
        number_item(
            "Street lines left out",
            "Lignes de rue écartées",
            answers.get("roads_left_out"),
            sum(roads.dropped.values()),
            mistakes=[
                Mistake(
                    first_reason,
                    "that is the first reason only; add the lines of every 'left out' row of "
                    "roads.",
                    "c'est la première raison seulement ; additionnez les lignes de chaque "
                    "ligne « left out » de roads.",
                )
            ],
        ),
        number_item("Schools", "Écoles", answers.get("schools"), len(layers["schools"])),
        number_item(
            "Health facilities",
            "Établissements de santé",
            answers.get("health"),
            len(layers["health"]),
        ),
        number_item(
            "Public transport stops kept",
            "Arrêts de transport public gardés",
            answers.get("transit_stops"),
            len(layers["transit_stops"]),
            mistakes=[
                Mistake(
                    stops.kept + sum(stops.dropped.values()),
                    "that counts the stops merged into another of the same station; a "
                    "station is one stop.",
                    "cela compte les arrêts fusionnés avec un autre de la même station ; une "
                    "station est un seul arrêt.",
                )
            ],
        ),
        number_item(
            "High-capacity stops",
            "Arrêts à haute capacité",
            answers.get("high_capacity_stops"),
            high,
        ),
        text_item(
            "Road class with the most length",
            "Classe de route la plus longue",
            answers.get("longest_class"),
            str(lengths.idxmax()),
        ),
        number_item(
            "Length of the streets (km)",
            "Longueur des rues (km)",
            answers.get("roads_km"),
            float(lengths.sum()) / 1000,
            rel=5e-3,
            mistakes=[
                Mistake(
                    float(lengths.sum()),
                    "that is in metres (the unit of the layer's CRS); divide by 1,000.",
                    "c'est en mètres (l'unité du SCR de la couche) ; divisez par 1 000.",
                )
            ],
        ),
        text_item(
            "CRS of the layers",
            "SCR des couches",
            answers.get("layers_crs"),
            crs,
            mistakes=[
                Mistake(
                    crs.split(":")[-1],
                    f"write the code with its authority, as QGIS shows it: {crs}.",
                    f"écrivez le code avec son autorité, comme QGIS l'affiche : {crs}.",
                ),
                Mistake(
                    "EPSG:4326",
                    "that is the CRS of the units (degrees); prepare osm writes in metres.",
                    "c'est le SCR des unités (en degrés) ; prepare osm écrit en mètres.",
                ),
                Mistake(
                    "EPSG:3067",
                    "that is Finland's national CRS; prepare osm does not guess it: with units "
                    "in degrees it takes their UTM zone (see the layer's properties).",
                    "c'est le SCR national finlandais ; prepare osm ne le devine pas : avec "
                    "des unités en degrés, il prend leur zone UTM (voyez les propriétés de la "
                    "couche).",
                ),
            ],
        ),
    ]


def _ghsl_reference(context, project):
    """The default grid of the units on the tiles' lattice, and the valid total of the tiles
    over it, over the whole tiles, and with their nodata cells counted as values."""
    tiles = [context.path(f"{DOWNLOADS}/{TILE_PATTERN.format(tile)}") for tile in TILES]
    lattice = tile_info(tiles[0]).grid
    units = read_layer(project.units.path_of(project.units.levels[0]))
    target = target_grid(Grid(lattice.crs, lattice.transform, 1, 1), units.total_bounds,
                         units.crs, margin_m=DEFAULT_MARGIN_M)  # fmt: skip
    inside, whole, raw, cells = 0.0, 0.0, 0.0, 0
    for path in tiles:
        window = read_window(path, target.bounds, pad=0)
        inside += float(window.filled(0.0).sum()) if window is not None else 0.0
        full = read_raster(path)
        whole += float(full.filled(0.0).sum())
        raw += float(np.asarray(full.data, dtype=float).sum())
        cells += full.grid.height * full.grid.width
    return target, {"inside": inside, "whole": whole, "whole_raw": raw, "tile_cells": cells}


def _prepared_grid(context):
    """The trainee's project and the population raster its run of prepare grids wrote."""
    project = _project(context.path(FLANDERS), GHSL_COMMAND)
    path = project.rasters.get("population", {}).get(2020)
    tags = read_raster_tags(path) if path is not None and path.is_file() else {}
    if tags.get("observatory_prepare") != "grids":
        raise CheckFailed(
            f"{FLANDERS} has no population grid written by prepare grids yet: from your "
            f"workspace, run {GHSL_COMMAND}",
            f"{FLANDERS} n'a pas encore de grille de population écrite par prepare grids : "
            f"depuis votre espace de travail, lancez {GHSL_COMMAND}",
        )
    missing = [tile for tile in TILES if tile not in tags.get("sources", "")]
    if missing:
        raise CheckFailed(
            f"The grid was made without the tile {', '.join(missing)}: the province lies "
            f"across two tiles (row 3 north of y = 6,000 km). Give both: {GHSL_COMMAND} "
            "--overwrite",
            f"La grille a été faite sans la tuile {', '.join(missing)} : la province est à "
            f"cheval sur deux tuiles (ligne 3 au nord de y = 6 000 km). Donnez les deux : "
            f"{GHSL_COMMAND} --overwrite",
        )
    return project, read_raster(path)


def _ghsl_items(answers, raster, totals):
    grid, nodata = raster.grid, raster.nodata
    values = np.asarray(raster.data, dtype=float)
    empty = int((~raster.valid_mask()).sum())
    cells = grid.height * grid.width
    return [
        number_item(
            "Total population of the prepared grid",
            "Population totale de la grille préparée",
            answers.get("population_total"),
            totals["inside"],
            rel=1e-4,
            mistakes=[
                Mistake(
                    totals["whole"],
                    "that is the sum of the whole tiles, far beyond the province; sum the "
                    "prepared grid (population_2020.tif) only.",
                    "c'est la somme des tuiles entières, bien au-delà de la province ; "
                    "additionnez la grille préparée (population_2020.tif) seulement.",
                ),
                Mistake(
                    float(values.sum()),
                    f"that counts the cells without data (value {nodata:g}, the sea) as "
                    "people; leave them out (the nodata of the raster).",
                    f"cela compte les cellules sans donnée (valeur {nodata:g}, la mer) comme "
                    "des habitants ; laissez-les de côté (le nodata du raster).",
                ),
                Mistake(
                    totals["whole_raw"],
                    "that is the sum of the whole tiles with their cells without data "
                    f"({nodata:g}) counted as people; sum the prepared grid, without nodata.",
                    "c'est la somme des tuiles entières avec leurs cellules sans donnée "
                    f"({nodata:g}) comptées comme des habitants ; additionnez la grille "
                    "préparée, sans le nodata.",
                ),
            ],
        ),
        number_item(
            "Cells of the prepared grid",
            "Cellules de la grille préparée",
            answers.get("cells"),
            cells,
            mistakes=[
                Mistake(
                    grid.height,
                    "that is the number of rows; give rows × columns.",
                    "c'est le nombre de lignes ; donnez lignes × colonnes.",
                ),
                Mistake(
                    grid.width,
                    "that is the number of columns; give rows × columns.",
                    "c'est le nombre de colonnes ; donnez lignes × colonnes.",
                ),
                Mistake(
                    totals["tile_cells"],
                    "that is the cells of the two tiles; give those of the prepared grid.",
                    "ce sont les cellules des deux tuiles ; donnez celles de la grille préparée.",
                ),
            ],
        ),
        number_item(
            "Cells without data (the sea)",
            "Cellules sans donnée (la mer)",
            answers.get("cells_without_data"),
            empty,
        ),
        number_item(
            "Cell size (m)",
            "Taille des cellules (m)",
            answers.get("cell_size_m"),
            grid.cell_width,
            rel=1e-3,
            mistakes=[
                Mistake(
                    grid.cell_width / 10,
                    "that is the 100 m product; these tiles are the 1 km one (_1000_ in "
                    "their names: the cell size in metres).",
                    "c'est le produit à 100 m ; ces tuiles sont celui à 1 km (_1000_ dans "
                    "leur nom : la taille des cellules en mètres).",
                ),
                Mistake(
                    CELL_DEGREES,
                    "that is in degrees (30 arc-seconds, the WGS84 products); the grid is in "
                    "ESRI:54009, in metres.",
                    "c'est en degrés (30 secondes d'arc, les produits WGS84) ; la grille est "
                    "en ESRI:54009, en mètres.",
                ),
            ],
        ),
        text_item(
            "CRS of the prepared grid",
            "SCR de la grille préparée",
            answers.get("grid_crs"),
            "ESRI:54009",
            also=["Mollweide", "World Mollweide", "World_Mollweide"],
            mistakes=[
                *(
                    Mistake(
                        written,
                        "World Mollweide's code is given by ESRI, not EPSG: write ESRI:54009, "
                        "as QGIS shows it.",
                        "le code de World Mollweide est donné par ESRI, pas par l'EPSG : "
                        "écrivez ESRI:54009, comme QGIS l'affiche.",
                    )
                    for written in ("EPSG:54009", "54009")
                ),
                Mistake(
                    "EPSG:31370",
                    "that is the CRS of the units (Lambert 72); prepare grids keeps the "
                    "tiles' CRS, cell for cell.",
                    "c'est le SCR des unités (Lambert 72) ; prepare grids garde celui des "
                    "tuiles, cellule pour cellule.",
                ),
                Mistake(
                    "EPSG:4326",
                    "GHSL tiles in ESRI:54009 stay in it; EPSG:4326 is WorldPop's CRS.",
                    "les tuiles GHSL en ESRI:54009 y restent ; EPSG:4326 est le SCR de WorldPop.",
                ),
            ],
        ),
    ]


def check_prepare_ghsl(context):
    """The population grid prepare grids cut from both tiles, on the default extent; its
    total, cells, cells without data, cell size and CRS as the trainee's grid says."""
    project, raster = _prepared_grid(context)
    target, totals = _ghsl_reference(context, project)
    if (raster.grid.height, raster.grid.width) != (target.height, target.width) or not all(
        abs(a - b) < 1e-6
        for a, b in zip(raster.grid.transform[:6], target.transform[:6], strict=True)
    ):
        raise CheckFailed(
            f"The grid ({raster.grid.height} × {raster.grid.width} cells) is not the one the "
            f"units call for ({target.height} × {target.width}, 2 km margin): run "
            f"{GHSL_COMMAND} --overwrite, without --margin.",
            f"La grille ({raster.grid.height} × {raster.grid.width} cellules) n'est pas celle "
            f"que demandent les unités ({target.height} × {target.width}, marge de 2 km) : "
            f"lancez {GHSL_COMMAND} --overwrite, sans --margin.",
        )
    return _ghsl_items(context.answers(GHSL_ANSWERS), raster, totals)
