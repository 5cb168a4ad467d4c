"""Read back a results folder written by ``observatory compute`` (for map, report, export).

The folder's ``indicators.csv`` is the long table, ``indicators.gpkg`` holds one layer per
level with the units' geometry and the wide columns, and ``provenance.json`` says which
project, languages, inputs and settings produced them. Codes stay text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from observatory.errors import InputDataError, InputFileNotFoundError

REQUIRED = ("indicators.csv", "indicators.gpkg", "provenance.json")
TEXT_COLUMNS = ("level", "unit_id", "unit_name", "indicator", "period", "unit", "note", "quality")
NUMBER_COLUMNS = ("value", "numerator", "denominator", "coverage")


@dataclass(frozen=True)
class PublishedResults:
    """The content of a results folder.

    Attributes
    ----------
    folder : Path
        The results folder.
    long : pandas.DataFrame
        The long table (``level, unit_id, unit_name, indicator, period, value, unit,
        numerator, denominator, ...``), codes and periods as text, values as floats.
    layers : dict of str to geopandas.GeoDataFrame
        One layer per level, coarsest first: ``unit_id``, ``unit_name``, ``parent_id``, the
        wide columns and the geometry.
    provenance : dict
        The parsed ``provenance.json``.
    """

    folder: Path
    long: pd.DataFrame
    layers: dict[str, gpd.GeoDataFrame]
    provenance: dict[str, Any]

    @property
    def levels(self) -> list[str]:
        """Level names, coarsest first."""
        return list(self.layers)

    @property
    def language(self) -> str:
        """The project's language (``en`` when the provenance does not say)."""
        settings = self.provenance.get("project", {}).get("settings", {})
        return settings.get("project", {}).get("language", "en")

    @property
    def name(self) -> str:
        """The project's name."""
        settings = self.provenance.get("project", {}).get("settings", {})
        return settings.get("project", {}).get("name", self.folder.name)


def read_published(folder: Path) -> PublishedResults:
    """Read the results folder ``folder`` written by ``observatory compute``.

    Raises
    ------
    InputFileNotFoundError
        If the folder or one of its files is missing.
    InputDataError
        If a file cannot be read as the output of ``compute``.
    """
    folder = Path(folder)
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    if missing:
        raise InputFileNotFoundError(
            f"{folder} is not a results folder of 'observatory compute' (no "
            f"{', '.join(missing)}); run 'observatory compute PROJECT -o {folder}' first."
        )
    try:
        provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
        long = pd.read_csv(
            folder / "indicators.csv",
            dtype={c: "string" for c in TEXT_COLUMNS},
            keep_default_na=False,
            na_values={c: [""] for c in NUMBER_COLUMNS},
            encoding="utf-8-sig",
        )
        for column in TEXT_COLUMNS:
            if column in long.columns:
                long[column] = long[column].astype(object)
        order = [level["name"] for level in provenance["project"]["settings"]["units"]["levels"]]
        available = {str(name) for name in pyogrio.list_layers(folder / "indicators.gpkg")[:, 0]}
        layers = {
            level: gpd.read_file(folder / "indicators.gpkg", layer=level, engine="pyogrio")
            for level in order
            if level in available
        }
    except (OSError, ValueError, KeyError, pyogrio.errors.DataSourceError) as error:
        raise InputDataError(
            f"{folder}: cannot read the results ({error}); run 'observatory compute' again "
            "into an empty folder."
        ) from None
    return PublishedResults(folder=folder, long=long, layers=layers, provenance=provenance)
