"""Write the outputs of ``compute``: GeoPackage, CSVs, XLSX and provenance, atomically.

All files are first written into a staging folder inside the output folder and moved into
place only when every one of them is complete; an existing output is kept unless
``overwrite`` is given. :func:`claim_outputs` checks the folder before anything is computed
(writable, not a file, no input in the way, no other run writing there) and locks it. What the files
hold (layers, styles, tables) is decided by :mod:`observatory.report.outputs`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from observatory.io.atomic import atomic_directory, check_location, check_writable, claim_folder
from observatory.io.geopackage import LayerStyle, write_styled_geopackage
from observatory.io.tables import Sheet, write_csv, write_xlsx

OUTPUT_NAMES = (
    "indicators.gpkg",
    "indicators.csv",
    "indicators_fr.csv",
    "indicators.xlsx",
    "provenance.json",
)


def check_outputs(directory: Path, *, overwrite: bool, inputs: Iterable[Path] = ()) -> None:
    """Raise before any work when the outputs cannot be written into ``directory``.

    Raises
    ------
    OutputLocationError
        If the folder is a file or cannot be written, another run is writing into it, or an
        output would replace one of ``inputs`` (see
        :func:`~observatory.io.atomic.check_location`).
    OutputExistsError
        If an output exists and ``overwrite`` is False.
    """
    outputs = [Path(directory) / name for name in OUTPUT_NAMES]
    check_location(directory, outputs, inputs)
    for path in outputs:
        check_writable(path, overwrite=overwrite)


def claim_outputs(directory: Path, *, overwrite: bool, inputs: Iterable[Path] = ()) -> None:
    """:func:`check_outputs`, then lock ``directory`` for this run and remove what a killed
    run left there (:func:`~observatory.io.atomic.claim_folder`)."""
    check_outputs(directory, overwrite=overwrite, inputs=inputs)
    claim_folder(directory)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: Files of a folder of shapefiles that make its layers (hashed for the provenance).
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def input_hashes(paths: list[Path]) -> dict[str, str]:
    """SHA-256 of every input file; for a folder of shapefiles, of each file of its layers."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                part for part in path.iterdir() if part.suffix.lower() in SHAPEFILE_PARTS
            )
        elif path.is_file():
            files.append(path)
    return {str(path): sha256(path) for path in files}


def write_output_files(
    directory: Path,
    *,
    layers: dict[str, gpd.GeoDataFrame],
    styles: dict[str, LayerStyle | list[LayerStyle]],
    table: pd.DataFrame,
    comma_table: pd.DataFrame,
    sheets: list[Sheet],
    provenance: dict[str, Any],
    overwrite: bool,
) -> list[Path]:
    """Write the files of :data:`OUTPUT_NAMES` into ``directory``, all or none.

    Parameters
    ----------
    directory : Path
        The output folder (created if needed).
    layers : dict of str to GeoDataFrame
        The layers of ``indicators.gpkg``, in order.
    styles : dict of str to LayerStyle or list of LayerStyle
        Layer → its QGIS style(s), stored in the GeoPackage's ``layer_styles`` table.
    table : DataFrame
        ``indicators.csv`` (``,`` separated, ``.`` decimal mark).
    comma_table : DataFrame
        ``indicators_fr.csv``, written ``;`` separated with the ``,`` decimal mark for
        spreadsheets in a French (comma-decimal) locale.
    sheets : list of Sheet
        The sheets of ``indicators.xlsx``, in order.
    provenance : dict
        ``provenance.json``.
    overwrite : bool
        Replace outputs that exist (without it, OutputExistsError before anything is written).
    """
    directory = Path(directory)
    check_outputs(directory, overwrite=overwrite)
    with atomic_directory(directory, overwrite=overwrite) as staging:
        write_styled_geopackage(staging / "indicators.gpkg", layers, styles)
        write_csv(staging / "indicators.csv", table, overwrite=False)
        write_csv(staging / "indicators_fr.csv", comma_table, overwrite=False, sep=";", decimal=",")
        write_xlsx(staging / "indicators.xlsx", sheets, overwrite=False)
        (staging / "provenance.json").write_text(
            json.dumps(provenance, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    return [directory / name for name in OUTPUT_NAMES]
