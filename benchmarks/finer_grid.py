"""A copy of a project whose rasters are on a finer grid: each cell split in ``factor²``.

Memory and time benchmarks need the same territory at 50 m (or finer) cells: this writes a
copy of a project folder where every raster of a counting role (population: people per
cell; built-up and land: m² per cell) is split evenly (each fine cell gets ``1 / factor²``
of its cell, so every total is kept) and every other raster (PM2.5 in µg/m³, a
concentration) is left as it is. Run ``python -m benchmarks.finer_grid SOURCE TARGET
[--factor 2]``; :func:`write_finer_project` is the function other benchmarks reuse.

The split rasters are written block by block of rows, so a national grid fits in memory.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import rasterio
from rasterio.windows import Window

from observatory.project import load_project

#: Roles whose cells hold amounts (people, m²) that a split shares among the fine cells.
SPLIT_ROLES = ("population", "built_up", "land")
#: Rows of the source raster read at once.
_SOURCE_ROWS = 256


def write_finer_project(source: Path, target: Path, *, factor: int = 2) -> Path:
    """Copy the project folder ``source`` into ``target`` with its counting rasters split.

    Parameters
    ----------
    source : Path
        A project folder (with ``observatory.toml``).
    target : Path
        Where the copy goes (must not exist).
    factor : int
        Each cell becomes ``factor × factor`` cells (2: 100 m → 50 m).

    Returns
    -------
    Path
        ``target``.
    """
    source, target = Path(source), Path(target)
    shutil.copytree(source, target)
    project = load_project(source)
    for role, by_year in project.rasters.items():
        if role not in SPLIT_ROLES:
            continue
        for path in by_year.values():
            relative = Path(path).resolve().relative_to(source.resolve())
            split_raster(Path(path), target / relative, factor=factor)
    return target


def split_raster(source: Path, target: Path, *, factor: int) -> None:
    """Write ``source`` onto cells ``factor`` times smaller, each holding ``1 / factor²`` of
    its cell (nodata stays nodata; integer rasters become float32 so nothing is rounded)."""
    with rasterio.open(source) as dataset:
        profile = dataset.profile.copy()
        nodata = dataset.nodata
        dtype = np.result_type(dataset.dtypes[0], np.float32)
        profile.update(
            height=dataset.height * factor,
            width=dataset.width * factor,
            transform=dataset.transform @ rasterio.Affine.scale(1 / factor),
            dtype=dtype.name,
            tiled=True,
            blockxsize=256,
            blockysize=256,
            compress="deflate",
        )
        target.unlink(missing_ok=True)
        with rasterio.open(target, "w", **profile) as out:
            for start in range(0, dataset.height, _SOURCE_ROWS):
                rows = min(_SOURCE_ROWS, dataset.height - start)
                block = dataset.read(1, window=Window(0, start, dataset.width, rows))
                values = block.astype(dtype) / factor**2
                if nodata is not None:
                    values[block == nodata] = nodata
                fine = np.repeat(np.repeat(values, factor, axis=0), factor, axis=1)
                window = Window(0, start * factor, out.width, rows * factor)
                out.write(fine, 1, window=window)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--factor", type=int, default=2)
    arguments = parser.parse_args()
    print(write_finer_project(arguments.source, arguments.target, factor=arguments.factor))


if __name__ == "__main__":
    main()
