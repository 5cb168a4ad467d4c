"""A raster on a grid ``factor`` times finer, written a band of rows at a time.

``split_cells(src, dst, factor=2, kind="count")`` splits each cell into ``factor²`` cells:
counts (people, m² of built-up or land) are shared among them so that every cell's total is
kept exactly (integers: the remainder goes one unit at a time to the first sub-cells, in row
order), values (PM2.5, densities) are repeated. Nodata cells stay nodata. Used by
``benchmarks.bench_national --rsk`` to run the bundled sample at 50 m.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from rasterio.windows import Window

#: Source rows read and written at a time.
BAND_ROWS = 256
KINDS = ("count", "value")


def split_cells(src_tif: Path | str, dst_tif: Path | str, factor: int = 2, kind: str = "count"):
    """Write ``dst_tif``: ``src_tif`` (band 1) on a grid ``factor`` times finer.

    Parameters
    ----------
    src_tif, dst_tif
        The source GeoTIFF and the one to write (tiled 256 × 256, DEFLATE, same CRS, origin,
        data type, nodata and tags; cell size divided by ``factor``).
    factor
        Fine cells per source cell along each axis (2: each 100 m cell makes four 50 m cells).
    kind
        ``"count"``: a fine cell holds 1/factor² of its source cell (sum kept: exactly, for
        integer types); ``"value"``: a fine cell holds its source cell's value.
    """
    if kind not in KINDS or factor < 1:
        raise ValueError(f"kind must be one of {KINDS} and factor ≥ 1, not {kind!r}, {factor}")
    with rasterio.open(src_tif) as src:
        profile = src.profile | {
            "height": src.height * factor,
            "width": src.width * factor,
            "transform": src.transform @ src.transform.scale(1 / factor),
            "tiled": True,
            "blockxsize": 256,
            "blockysize": 256,
            "compress": "DEFLATE",
            "bigtiff": "IF_SAFER",
        }
        with rasterio.open(dst_tif, "w", **profile) as dst:
            dst.update_tags(**src.tags())
            for top in range(0, src.height, BAND_ROWS):
                height = min(BAND_ROWS, src.height - top)
                cells = src.read(1, window=Window(0, top, src.width, height))
                fine = _split(cells, factor, kind, src.nodata)
                dst.write(fine, 1, window=Window(0, top * factor, dst.width, height * factor))


def _split(cells: np.ndarray, factor: int, kind: str, nodata: float | None) -> np.ndarray:
    """The fine cells of a block of source cells."""
    repeat = np.repeat(np.repeat(cells, factor, axis=0), factor, axis=1)
    if kind == "value":
        return repeat
    parts = factor * factor
    if np.issubdtype(cells.dtype, np.integer):
        share, remainder = np.divmod(repeat, parts)
        rows, columns = np.indices(repeat.shape)
        order = (rows % factor) * factor + columns % factor
        fine = (share + (order < remainder)).astype(cells.dtype)
    else:
        fine = (repeat / parts).astype(cells.dtype)
    if nodata is not None:
        missing = np.isnan(repeat) if np.isnan(nodata) else repeat == nodata
        fine[missing] = repeat[missing]
    return fine
