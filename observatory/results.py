"""Results of a run: the long table, the wide table per level, and the provenance.

Output contract (DESIGN §6):

- long table columns ``level, unit_id, unit_name, indicator, period, value, unit,
  numerator, denominator`` (+ ``note`` for labels such as the SDG 11.3.1 regime), then
  ``coverage`` (share of the unit the rasters of a raster-based value cover) and
  ``quality`` (why a value is empty: low coverage, a zero base...; see
  :mod:`observatory.quality`);
- one wide layer per level with ``unit_id, unit_name, parent_id``, geometry and one column
  ``<indicator>_<period>`` per indicator and period, followed by
  ``<indicator>_<period>_quality`` when some unit of the level is flagged;
- the series of each level: its units in rows and the periods in columns, a block of rows
  per indicator (and component), with the reasons of the empty values in a ``quality``
  column (:meth:`Results.series`);
- ``provenance.json``: versions, resolved project, SHA-256 of every input, parameters,
  times, warnings.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from observatory.__about__ import __version__
from observatory.hierarchy import Hierarchy
from observatory.indicators.registry import Indicator, Period, period_order
from observatory.project import Project
from observatory.quality import QUALITY_COLUMNS

LONG_COLUMNS = [
    "level",
    "unit_id",
    "unit_name",
    "indicator",
    "period",
    "value",
    "unit",
    "numerator",
    "denominator",
    "note",
    "coverage",
    "quality",
]
#: Columns of a series (:meth:`Results.series`) before its periods; ``quality`` comes last.
SERIES_COLUMNS = ["unit_id", "unit_name", "parent_id", "indicator", "unit"]
LIBRARIES = (
    "numpy",
    "pandas",
    "scipy",
    "shapely",
    "pyproj",
    "pyogrio",
    "geopandas",
    "rasterio",
    "exactextract",
    "mapclassify",
    "click",
)


@dataclass
class LevelResult:
    """Finalized values of one indicator and period at one level."""

    indicator: Indicator
    period: Period
    level: str
    #: Indexed by unit id: ``value``, ``numerator`` and ``denominator`` when the indicator
    #: has them, extra columns (numeric components, text labels), and optionally
    #: ``coverage`` (float share) and ``quality`` (text, empty when the value is fine).
    values: pd.DataFrame

    def quality(self) -> pd.Series:
        """Why each value is not published (empty text when it is)."""
        if "quality" not in self.values.columns:
            return pd.Series("", index=self.values.index, dtype=object)
        return self.values["quality"].fillna("").astype(str)

    def coverage(self) -> pd.Series:
        """Share of each unit the indicator's rasters cover (NaN when it reads none)."""
        return self.values.get("coverage", pd.Series(np.nan, index=self.values.index))

    def value_columns(self) -> list[str]:
        """The columns of values: all but ``coverage`` and ``quality``."""
        return [c for c in self.values.columns if c not in QUALITY_COLUMNS]


def _library_versions() -> dict[str, str]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat(timespec="seconds")


@dataclass
class Results:
    """Everything a run computed, with what is needed to write and explain it."""

    project: Project
    hierarchy: Hierarchy
    level_results: list[LevelResult]
    skipped: dict[str, str]
    warnings: list[str]
    population_sources: dict[str, str]
    started: float
    finished: float
    #: The census as used (:func:`observatory.census.census_provenance`); empty without one.
    census: dict[str, Any] = field(default_factory=dict)

    def long_table(self) -> pd.DataFrame:
        """One row per level, unit, indicator (or component) and period.

        A component row shares the coverage of its indicator's row and, when it is empty
        too, its quality.
        """
        frames = []
        for result in self.level_results:
            values = result.values[result.value_columns()]
            notes = [c for c in values.columns if not is_numeric_dtype(values[c])]
            extra_numeric = [
                c
                for c in values.columns
                if c not in ("value", "numerator", "denominator") and c not in notes
            ]
            quality = result.quality().to_numpy()
            base = {
                "level": result.level,
                "unit_id": values.index.astype(str),
                "unit_name": self.hierarchy.levels[result.level]["unit_name"]
                .reindex(values.index)
                .to_numpy(),
                "period": result.period.label,
                "unit": result.indicator.unit,
                "coverage": result.coverage().to_numpy(),
            }
            note = values[notes].astype(str).agg("; ".join, axis=1) if notes else ""
            frames.append(
                pd.DataFrame(
                    {
                        **base,
                        "indicator": result.indicator.id,
                        "value": values["value"].to_numpy(),
                        "numerator": values.get(
                            "numerator", pd.Series(np.nan, values.index)
                        ).to_numpy(),
                        "denominator": values.get(
                            "denominator", pd.Series(np.nan, values.index)
                        ).to_numpy(),
                        "note": note,
                        "quality": quality,
                    }
                )
            )
            for column in extra_numeric:
                component = values[column].to_numpy()
                frames.append(
                    pd.DataFrame(
                        {
                            **base,
                            "indicator": f"{result.indicator.id}_{column}",
                            "unit": result.indicator.unit_of(column),
                            "value": component,
                            "numerator": np.nan,
                            "denominator": np.nan,
                            "note": "",
                            "quality": np.where(pd.isna(component), quality, ""),
                        }
                    )
                )
        if not frames:
            return pd.DataFrame(columns=LONG_COLUMNS)
        table = pd.concat(frames, ignore_index=True)[LONG_COLUMNS]
        return table.astype({"unit_id": str, "period": str})

    def wide(self, level: str) -> gpd.GeoDataFrame:
        """The units of ``level`` with one column per indicator (or component) and period.

        After an indicator's columns, ``<indicator>_<period>_quality`` holds the reason a
        value is empty, when some unit of the level has one.
        """
        units = self.hierarchy.levels[level]
        frame = gpd.GeoDataFrame(
            {
                "unit_id": units.index.astype(str),
                "unit_name": units["unit_name"].to_numpy(),
                "parent_id": units["parent_id"].to_numpy(),
            },
            geometry=units.geometry.to_numpy(),
            crs=units.crs,
            index=units.index,
        )
        for result in self.level_results:
            if result.level != level:
                continue
            for column in result.value_columns():
                if column in ("numerator", "denominator"):
                    continue
                name = (
                    result.indicator.id
                    if column == "value"
                    else (f"{result.indicator.id}_{column}")
                )
                frame[f"{name}_{result.period.label}"] = (
                    result.values[column].reindex(units.index).to_numpy()
                )
            quality = result.quality().reindex(units.index).fillna("")
            if quality.str.len().any():
                frame[quality_column(result)] = quality.to_numpy()
        return frame.reset_index(drop=True)

    def series(self, level: str) -> pd.DataFrame:
        """The units of ``level`` in rows and the periods in columns, for every indicator.

        One block of rows per indicator and per component (named as in the long table,
        ``<indicator>_<component>``; a text component such as a class name holds text),
        each with every unit of the level in the hierarchy's order. The columns are
        :data:`SERIES_COLUMNS` (``unit`` is None for a text component), then one column
        per period of the level, years first and then change periods, each in
        :func:`~observatory.indicators.registry.period_order`, then ``quality``: the
        reasons of the row's flagged values, ``<period>: <reason>`` joined by ``; ``. A
        unit without a value in a period is NaN there, never 0.
        """
        units = self.hierarchy.levels[level]
        blocks: dict[str, dict[str, Any]] = {}
        for result in self.level_results:
            if result.level == level:
                _add_to_series(blocks, result, units.index)
        labels = {label for block in blocks.values() for label in block["values"]}
        periods = sorted(labels, key=lambda label: ("_" in label, period_order(label)))
        frames = [_series_block(name, block, units, periods) for name, block in blocks.items()]
        if not frames:
            return pd.DataFrame(columns=[*SERIES_COLUMNS, *periods, "quality"])
        return pd.concat(frames, ignore_index=True)

    def not_published(self) -> pd.DataFrame:
        """Every flagged value with its reason: level, unit, indicator, period, quality."""
        frames = []
        for result in self.level_results:
            quality = result.quality()
            flagged = quality[quality != ""]
            frames.append(
                pd.DataFrame(
                    {
                        "level": result.level,
                        "unit_id": flagged.index.astype(str),
                        "unit_name": self.hierarchy.levels[result.level]["unit_name"]
                        .reindex(flagged.index)
                        .to_numpy(),
                        "indicator": result.indicator.id,
                        "period": result.period.label,
                        "quality": flagged.to_numpy(),
                    }
                )
            )
        columns = ["level", "unit_id", "unit_name", "indicator", "period", "quality"]
        if not frames:
            return pd.DataFrame(columns=columns)
        return pd.concat(frames, ignore_index=True)[columns]

    def levels(self) -> list[str]:
        """Levels present in the results, coarsest first."""
        present = {result.level for result in self.level_results}
        return [level for level in self.hierarchy.levels if level in present]

    def provenance(self, input_hashes: dict[str, str]) -> dict[str, Any]:
        """Versions, resolved project, inputs with SHA-256, parameters, times, warnings."""
        project = self.project
        parameters = {}
        for result in self.level_results:
            spec = result.indicator
            parameters[spec.id] = spec.resolve_params(project.parameters.get(spec.id))
        return {
            "tool": {"name": "observatory", "version": __version__},
            "python": platform.python_version(),
            "platform": platform.platform(),
            "libraries": _library_versions(),
            "project": {"file": str(project.file), "settings": _jsonable(project.settings)},
            "inputs": input_hashes,
            "population_sources": self.population_sources,
            "census": _jsonable(self.census),
            "parameters": _jsonable(parameters),
            "indicators_computed": sorted({r.indicator.id for r in self.level_results}),
            "indicators_not_computed": self.skipped,
            "values_not_published": self.not_published().to_dict(orient="records"),
            "started": _timestamp(self.started),
            "finished": _timestamp(self.finished),
            "warnings": self.warnings,
        }


def quality_column(result: LevelResult) -> str:
    """``<indicator>_<period>_quality``: the layer field of a result's quality flags."""
    return f"{result.indicator.id}_{result.period.label}_quality"


def _add_to_series(blocks: dict[str, dict[str, Any]], result: LevelResult, units: pd.Index):
    """Put the values and flags of ``result`` into the series ``blocks`` (name → block).

    A component row carries a flag only where the component is empty, as in the long
    table.
    """
    quality = result.quality().reindex(units).fillna("")
    for column in result.value_columns():
        if column in ("numerator", "denominator"):
            continue
        name = result.indicator.id if column == "value" else f"{result.indicator.id}_{column}"
        values = result.values[column].reindex(units)
        numeric = is_numeric_dtype(result.values[column])
        block = blocks.setdefault(
            name,
            {"unit": result.indicator.unit_of(column) if numeric else None, "values": {}},
        )
        block.setdefault("quality", {})[result.period.label] = (
            quality if column == "value" else quality.where(values.isna(), "")
        )
        block["values"][result.period.label] = values


def _series_block(
    name: str, block: dict[str, Any], units: pd.DataFrame, periods: list[str]
) -> pd.DataFrame:
    """The rows of one indicator (or component) of a series: every unit of the level."""
    frame = pd.DataFrame(
        {
            "unit_id": units.index.astype(str),
            "unit_name": units["unit_name"].to_numpy(),
            "parent_id": units["parent_id"].to_numpy(),
            "indicator": name,
            "unit": block["unit"],
        }
    )
    for label in periods:
        values = block["values"].get(label)
        frame[label] = np.nan if values is None else values.to_numpy()
    flagged = [label for label in periods if label in block["quality"]]
    reasons = zip(*(block["quality"][label].to_numpy() for label in flagged), strict=True)
    frame["quality"] = [
        "; ".join(
            f"{label}: {reason}" for label, reason in zip(flagged, row, strict=True) if reason
        )
        for row in reasons
    ]
    return frame


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    return value
