"""Write the outputs of ``compute``: GeoPackage, CSV, XLSX and provenance, atomically.

All files are first written into a staging folder inside the output folder and moved into
place only when every one of them is complete; an existing output is kept unless
``overwrite`` is given (checked before anything is computed or written).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pyogrio

from observatory.io.atomic import atomic_directory, check_writable
from observatory.io.geopackage import (
    GEOMETRY_COLUMN,
    class_breaks,
    graduated_qml,
    layer_styles_table,
)
from observatory.io.tables import write_csv, write_xlsx

OUTPUT_NAMES = ("indicators.gpkg", "indicators.csv", "indicators.xlsx", "provenance.json")
#: Indicators preferred for the default map of a layer, in order.
DEFAULT_MAP = ("population_density", "sdg_11_3_1", "built_up_share", "population")


def check_outputs(directory: Path, *, overwrite: bool) -> None:
    """Raise OutputExistsError before any work when an output exists and may not be replaced."""
    for name in OUTPUT_NAMES:
        check_writable(Path(directory) / name, overwrite=overwrite)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(paths: list[Path]) -> dict[str, str]:
    """SHA-256 of every input file (a GDAL sidecar or folder is hashed only if a file)."""
    return {str(path): sha256(path) for path in paths if Path(path).is_file()}


def _default_column(columns: list[str]) -> str | None:
    for indicator_id in DEFAULT_MAP:
        matches = sorted(
            c
            for c in columns
            if c.startswith(f"{indicator_id}_")
            and c[len(indicator_id) + 1 :].replace("_", "").isdigit()
        )
        if matches:
            return matches[-1]
    return None


def _aliases(results, frame, language: str) -> dict[str, str]:
    titles = {}
    for result in results.level_results:
        title = result.indicator.text("title", language)
        titles[f"{result.indicator.id}_{result.period.label}"] = f"{title} {result.period.label}"
    base = {
        "unit_id": "Code",
        "unit_name": "Nom" if language == "fr" else "Name",
        "parent_id": "Code parent" if language == "fr" else "Parent code",
    }
    return {c: titles.get(c, base.get(c, c)) for c in frame.columns if c != "geometry"}


def write_outputs(results, directory: Path, *, overwrite: bool) -> list[Path]:
    """Write indicators.gpkg/.csv/.xlsx and provenance.json into ``directory``."""
    directory = Path(directory)
    check_outputs(directory, overwrite=overwrite)
    language = "fr" if results.project.language == "fr" else "en"
    long_table = results.long_table()
    provenance = results.provenance(input_hashes(results.project.input_paths()))
    with atomic_directory(directory, overwrite=overwrite) as staging:
        geopackage = staging / "indicators.gpkg"
        styles = {}
        for level in results.levels():
            frame = results.wide(level)
            pyogrio.write_dataframe(
                frame, geopackage, layer=level, driver="GPKG", GEOMETRY_NAME=GEOMETRY_COLUMN
            )
            column = _default_column(list(frame.columns))
            if column is not None:
                qml = graduated_qml(
                    column,
                    class_breaks(frame[column].to_numpy()),
                    _aliases(results, frame, language),
                )
                styles[level] = (f"{level}: {column}", qml)
        if styles:
            pyogrio.write_dataframe(
                layer_styles_table(styles), geopackage, layer="layer_styles", driver="GPKG"
            )
        write_csv(staging / "indicators.csv", long_table, overwrite=False)
        write_xlsx(
            staging / "indicators.xlsx",
            {"indicators": long_table, "not computed": _skipped_table(results)},
            overwrite=False,
        )
        (staging / "provenance.json").write_text(
            json.dumps(provenance, indent=2, ensure_ascii=False), encoding="utf-8"
        )
    return [directory / name for name in OUTPUT_NAMES]


def _skipped_table(results) -> pd.DataFrame:
    return pd.DataFrame(
        {"indicator": list(results.skipped), "reason": list(results.skipped.values())}
    )
