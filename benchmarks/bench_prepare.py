"""Benchmark: ``prepare osm`` readers and ``prepare grids`` regridding.

Run ``python -m benchmarks.bench_prepare [--tiles N] [--extract PATH]``. The OSM part reads
one extract with four readers, each in a fresh process so that its peak resident memory is
its own:

- ``observatory``: :func:`observatory.io.osm.read_osm` with the selection of
  ``prepare osm`` (pyosmium, node locations in libosmium's index, key filter in C++);
- ``gdal``: GDAL's OSM driver through pyogrio, the three layers ``prepare osm`` needs
  (``lines`` with a highway, ``points``, ``multipolygons``), each a pass over the file;
- ``pyrosm``: ``OSM(path).get_network("walking")`` plus ``get_pois`` (the whole file in
  memory, as pyrosm works);
- ``osmium-file-index``: the Observatory reader forced to keep node locations in a file;
- ``observatory-region``: the Observatory reader with the bounding box of one copy, as
  ``prepare osm`` reads a region out of a country extract.

GDAL's reading includes turning the ``other_tags`` of the lines into dicts (bridge, tunnel,
layer and the names in other languages are there), which ``prepare osm`` would need.

The extract is the real ``Helsinki.osm.pbf`` (685 kB, ODbL © OpenStreetMap contributors) and,
with ``--tiles N``, a synthetic extract made of N × N shifted copies of it (ids offset per
copy, written by pyosmium), to see how time and memory grow with the file. The grid part moves
a 0.0008° WorldPop-like raster covering 1° × 1° onto a 100 m ESRI:54009 grid.

OSMnx reads OSM XML or the Overpass API, not ``.osm.pbf``, so it does not appear here.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.machine import describe

HELSINKI = Path("/work/shared/realdata/other/osm/Helsinki.osm.pbf")
READERS = ("observatory", "osmium-file-index", "observatory-region", "gdal", "pyrosm")
#: The bounding box of the Helsinki extract itself: with ``--tiles`` it is 1 copy of N × N,
#: as a region is a part of a country extract.
REGION = (24.9351, 60.1641, 24.9535, 60.1792)


def tiled_extract(source: Path, target: Path, tiles: int) -> Path:
    """Write ``tiles`` × ``tiles`` copies of ``source`` side by side (ids offset per copy)."""
    import osmium

    objects: dict[str, list] = {"n": [], "w": [], "r": []}
    for entity in osmium.FileProcessor(str(source)):
        objects[entity.type_str()].append(_frozen(entity))
    lons = [location[0] for *_, location in objects["n"]]
    lats = [location[1] for *_, location in objects["n"]]
    width, height = (max(lons) - min(lons)) * 1.05, (max(lats) - min(lats)) * 1.05
    offset = 10**10
    with osmium.SimpleWriter(str(target), overwrite=True) as writer:
        for copy in range(tiles * tiles):
            dx, dy = (copy % tiles) * width, (copy // tiles) * height
            for osm_id, tags, (lon, lat) in objects["n"]:
                writer.add_node(
                    osmium.osm.mutable.Node(
                        id=osm_id + copy * offset, tags=tags, location=(lon + dx, lat + dy)
                    )
                )
        for copy in range(tiles * tiles):
            for osm_id, tags, refs in objects["w"]:
                shifted = [ref + copy * offset for ref in refs]
                writer.add_way(
                    osmium.osm.mutable.Way(id=osm_id + copy * offset, tags=tags, nodes=shifted)
                )
        for copy in range(tiles * tiles):
            for osm_id, tags, members in objects["r"]:
                shifted = [(kind, ref + copy * offset, role) for kind, ref, role in members]
                writer.add_relation(
                    osmium.osm.mutable.Relation(
                        id=osm_id + copy * offset, tags=tags, members=shifted
                    )
                )
    return target


def _frozen(entity):
    tags = {tag.k: tag.v for tag in entity.tags}
    if entity.is_node():
        location = entity.location
        return entity.id, tags, (location.lon, location.lat) if location.valid() else (0, 0)
    if entity.is_way():
        return entity.id, tags, [node.ref for node in entity.nodes]
    return entity.id, tags, [(m.type, m.ref, m.role) for m in entity.members]


def _read_observatory(path: Path, store: str | None, bbox=None) -> dict:
    from observatory.io.osm import read_osm
    from observatory.prepare.tags import osm_selection

    features = read_osm(path, osm_selection(), location_store=store, bbox=bbox)
    return {kind: len(getattr(features, kind)) for kind in ("points", "lines", "areas")}


def _hstore(text) -> dict:
    """GDAL's ``other_tags`` ("k"=>"v","k2"=>"v2") as a dict, as prepare would need it."""
    if not isinstance(text, str):
        return {}
    return dict(re.findall(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"', text))


def _read_gdal(path: Path) -> dict:
    import pyogrio

    lines = pyogrio.read_dataframe(path, layer="lines", where="highway IS NOT NULL")
    lines["tags"] = [_hstore(text) for text in lines["other_tags"]]  # bridge, tunnel, name:*
    points = pyogrio.read_dataframe(path, layer="points")
    areas = pyogrio.read_dataframe(path, layer="multipolygons", on_invalid="ignore")
    return {"points": len(points), "lines": len(lines), "areas": len(areas)}


def _read_pyrosm(path: Path) -> dict:
    from pyrosm import OSM

    osm = OSM(str(path))
    network = osm.get_network(network_type="walking")
    pois = osm.get_pois(custom_filter={"amenity": True, "leisure": True, "highway": ["bus_stop"]})
    return {"lines": len(network), "pois": 0 if pois is None else len(pois)}


def run_reader(reader: str, path: Path) -> None:
    """Read ``path`` with one reader and print its figures as JSON (one child process)."""
    import warnings

    warnings.simplefilter("ignore")
    started = time.perf_counter()
    if reader == "observatory":
        counts = _read_observatory(path, None)
    elif reader == "osmium-file-index":
        counts = _read_observatory(path, "sparse_file_array")
    elif reader == "observatory-region":
        counts = _read_observatory(path, None, bbox=REGION)
    elif reader == "gdal":
        counts = _read_gdal(path)
    else:
        counts = _read_pyrosm(path)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"reader": reader, "seconds": seconds, "peak_mb": peak_mb, **counts}))


def _child(reader: str, path: Path) -> dict:
    command = [sys.executable, "-m", "benchmarks.bench_prepare", "--child", reader, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        return {"reader": reader, "error": done.stderr.strip().splitlines()[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_osm(extracts: list[Path]) -> None:
    for path in extracts:
        print(f"\n{path.name}: {path.stat().st_size / 1024**2:,.1f} MB")
        for reader in READERS:
            figures = _child(reader, path)
            if "error" in figures:
                print(f"  {reader:<18} failed: {figures['error']}")
                continue
            counts = ", ".join(
                f"{key} {value:,}"
                for key, value in figures.items()
                if key not in ("reader", "seconds", "peak_mb")
            )
            print(
                f"  {reader:<18} {figures['seconds']:7.2f} s  peak {figures['peak_mb']:7,.0f} MB"
                f"  ({counts})"
            )


def bench_grids() -> None:
    import numpy as np
    from affine import Affine
    from rasterio.crs import CRS

    from observatory.kernels.grid import Grid, Raster
    from observatory.kernels.regrid import regrid_sum
    from observatory.prepare.grids import target_grid

    size = 1250  # 0.0008° cells over 1° × 1°, about 90 m × 90 m at 0°-1°N
    source = Raster(
        np.random.default_rng(0).gamma(0.5, 20.0, (size, size)),
        Grid(CRS.from_epsg(4326), Affine(0.0008, 0, 10.0, 0, -0.0008, 1.0), size, size),
        -99999.0,
        "worldpop",
    )
    lattice = Grid(CRS.from_user_input("ESRI:54009"), Affine(100, 0, 0, 0, -100, 0), 1, 1)
    target = target_grid(lattice, source.grid.bounds, source.grid.crs, margin_m=0)
    started = time.perf_counter()
    moved = regrid_sum(source, target)
    seconds = time.perf_counter() - started
    before, after = moved.inside_total, float(moved.raster.filled(0.0).sum())
    print(
        f"\nregrid {size:,} × {size:,} EPSG:4326 cells onto {target.height:,} × {target.width:,}"
        f" 100 m ESRI:54009 cells: {seconds:.2f} s; total before {before:,.3f}, after "
        f"{after:,.3f} (relative difference {abs(after - before) / before:.1e}; "
        f"{moved.source_total - before:,.0f} people of the source fall outside the target)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", type=int, default=16, help="copies per side (0: none)")
    parser.add_argument("--extract", type=Path, default=HELSINKI)
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        run_reader(arguments.child[0], Path(arguments.child[1]))
        return
    print(describe())
    with tempfile.TemporaryDirectory() as folder:
        extracts = [arguments.extract]
        if arguments.tiles:
            started = time.perf_counter()
            target = Path(folder) / f"tiled-{arguments.tiles}x{arguments.tiles}.osm.pbf"
            extracts.append(tiled_extract(arguments.extract, target, arguments.tiles))
            print(f"built {target.name} in {time.perf_counter() - started:.0f} s")
        bench_osm(extracts)
    bench_grids()


if __name__ == "__main__":
    main()
