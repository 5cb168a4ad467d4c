"""File access for the project commands: the template, the project file, layer reads.

``observatory init`` reads the project-file template shipped inside the package and writes
it into the user's folder, and ``observatory validate`` reads every layer of a project; the
files are opened here, since only :mod:`observatory.io` touches files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import geopandas as gpd
from pyogrio.errors import DataLayerError, DataSourceError

from observatory.errors import InputDataError
from observatory.io.atomic import atomic_path


def package_text(name: str) -> str:
    """The UTF-8 text of the file ``name`` shipped in the ``observatory`` package."""
    return resources.files("observatory").joinpath(name).read_text(encoding="utf-8")


def write_text_atomically(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file renamed when complete.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is False.
    """
    with atomic_path(path, overwrite=overwrite) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")


def read_vector_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    """Read the layer ``layer`` of a vector file already listed by the caller.

    :func:`observatory.io.vector.read_layer` lists the file's layers before reading, which
    opens the file a second time; a caller checking many layers of the same files (the
    validation) lists each file once and reads each layer with this.

    Raises
    ------
    InputDataError
        If the layer cannot be read.
    """
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except (DataSourceError, DataLayerError) as error:
        raise InputDataError(f"{path} (layer {layer}): {error}") from None
