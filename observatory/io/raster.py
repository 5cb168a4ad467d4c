"""GeoTIFF in and out: :class:`~observatory.kernels.grid.Raster` from and to files."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import rasterio
from rasterio.errors import RasterioIOError
from rasterio.windows import Window

from observatory.errors import InputDataError, InputFileNotFoundError
from observatory.io.atomic import atomic_path, check_writable
from observatory.kernels.grid import Grid, Raster, RasterFile


def read_raster(path: Path, *, band: int = 1) -> Raster:
    """Read one band of a raster file into memory."""
    return read_raster_and_band_count(path, band=band)[0]


def read_raster_tags(path: Path) -> dict[str, str]:
    """The metadata tags of ``path`` (e.g. those ``prepare grids`` writes: sources, totals)."""
    with _open(path) as dataset:
        return dict(dataset.tags())


def read_raster_and_band_count(path: Path, *, band: int = 1) -> tuple[Raster, int]:
    """Read one band of a raster file into memory, with the file's number of bands."""
    path = Path(path)
    with _open(path) as dataset:
        if not 1 <= band <= dataset.count:
            raise InputDataError(f"{path} has {dataset.count} band(s); band {band} does not exist.")
        grid = Grid(dataset.crs, dataset.transform, dataset.height, dataset.width)
        return Raster(dataset.read(band), grid, dataset.nodata, str(path)), dataset.count


def open_raster(path: Path, *, band: int = 1) -> tuple[RasterFile, int]:
    """One band of a raster file, its cells left in the file and read a block of rows at a
    time (:class:`~observatory.kernels.grid.RasterFile`), with the file's number of bands.
    Only the header is read here."""
    path = Path(path)
    with _open(path) as dataset:
        if not 1 <= band <= dataset.count:
            raise InputDataError(f"{path} has {dataset.count} band(s); band {band} does not exist.")
        grid = Grid(dataset.crs, dataset.transform, dataset.height, dataset.width)
        dtype = np.dtype(dataset.dtypes[band - 1])
        raster = RasterFile(grid, dataset.nodata, str(path), dtype, _RowReader(path, band))
        return raster, dataset.count


class _RowReader:
    """Reads rows of one band of a file, opening it for each block (picklable)."""

    def __init__(self, path: Path, band: int) -> None:
        self.path = path
        self.band = band

    def __call__(self, start: int, stop: int) -> np.ndarray:
        with _open(self.path) as dataset:
            return dataset.read(self.band, window=Window(0, start, dataset.width, stop - start))


def _open(path: Path):
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(f"raster {path} does not exist; check the path.")
    try:
        return rasterio.open(path)
    except RasterioIOError as error:
        raise InputDataError(
            f"{path} cannot be read as a raster ({error}); give a GeoTIFF."
        ) from None


def raster_grids(rasters: dict[str, dict[int | None, Path]]) -> dict[str, dict[str, dict]]:
    """The grid of every raster of a project, read from the file headers (no cell is read).

    Parameters
    ----------
    rasters : dict
        Role → {year or None: path}, as :attr:`observatory.project.Project.rasters`.

    Returns
    -------
    dict
        Role → {year (``"static"`` for a raster without year): {``crs``: the CRS as
        ``AUTHORITY:CODE`` (or its WKT), ``crs_unit``: the unit of its axes (``metre``),
        ``cell_size``: [width, height] of a cell in that unit}}; what ``provenance.json``
        records as ``grids`` so that results can be compared (``observatory compare``).
    """
    grids: dict[str, dict[str, dict]] = {}
    for role, by_year in rasters.items():
        for year, path in by_year.items():
            with _open(path) as dataset:
                crs = dataset.crs
                grids.setdefault(role, {})["static" if year is None else str(year)] = {
                    "crs": None if crs is None else crs.to_string(),
                    "crs_unit": None if crs is None else crs.linear_units,
                    "cell_size": [abs(dataset.transform.a), abs(dataset.transform.e)],
                }
    return grids


def write_raster(
    path: Path,
    raster: Raster,
    *,
    overwrite: bool,
    categories: dict[int, str] | None = None,
    colormap: dict[int, tuple[int, int, int, int]] | None = None,
    tags: dict[str, str] | None = None,
    description: str | None = None,
    style: str | None = None,
) -> None:
    """Write a single-band, DEFLATE-compressed, tiled GeoTIFF atomically.

    ``categories`` (class code → name) are written as GDAL category names and
    ``colormap`` as a colour table; ``style``, a QGIS QML text (for a class raster
    :func:`observatory.report.styles.paletted_qml`), is written beside the file with the
    same name and the suffix ``.qml``, so QGIS opens the raster with it.
    """
    data = np.asarray(raster.data)
    profile = {
        "driver": "GTiff",
        "height": raster.grid.height,
        "width": raster.grid.width,
        "count": 1,
        "dtype": data.dtype.name,
        "crs": raster.grid.crs,
        "transform": raster.grid.transform,
        "nodata": raster.nodata,
        "compress": "deflate",
        "tiled": raster.grid.width >= 256 and raster.grid.height >= 256,
    }
    if profile["tiled"]:
        profile.update(blockxsize=256, blockysize=256)
    check_writable(Path(path), overwrite=overwrite)  # before any sidecar is written
    # GeoTIFF keeps the colour table inside the file, category names in the GDAL sidecar
    # (PAM) that GDAL reads and the style in the one QGIS reads; the sidecars are written
    # first, atomically.
    if categories:
        with atomic_path(_sidecar(Path(path)), overwrite=True) as temporary:
            temporary.write_text(_category_names_xml(categories), encoding="utf-8")
    if style is not None:
        with atomic_path(Path(path).with_suffix(".qml"), overwrite=True) as temporary:
            temporary.write_text(style, encoding="utf-8")
    with atomic_path(path, overwrite=overwrite) as temporary:
        with rasterio.open(temporary, "w", **profile) as dataset:
            dataset.write(data, 1)
            if tags:
                dataset.update_tags(**tags)
            if description:
                dataset.set_band_description(1, description)
            if colormap:
                dataset.write_colormap(1, colormap)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".aux.xml")


def _category_names_xml(categories: dict[int, str]) -> str:
    """GDAL PAM XML with the band's category names (the list index is the class code)."""
    names = [""] * (max(categories) + 1)
    for code, name in categories.items():
        names[code] = name
    items = "".join(f"      <Category>{escape(name)}</Category>\n" for name in names)
    return (
        "<PAMDataset>\n"
        '  <PAMRasterBand band="1">\n'
        "    <CategoryNames>\n"
        f"{items}"
        "    </CategoryNames>\n"
        "  </PAMRasterBand>\n"
        "</PAMDataset>\n"
    )
