"""Results folders built in memory for the comparison tests, every number chosen by hand.

:func:`territory` makes a :class:`~observatory.io.published.PublishedResults` with a region
and its districts, square units in EPSG:3035 (metres), a long table of the values given and
a provenance in which a test changes one thing at a time (years, grids, sources,
parameters, version) to prove that each comparability note appears only when its cause is
there.
"""

from __future__ import annotations

import copy
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from observatory.io.published import PublishedResults

#: The grid of a 100 m population raster as compute records it.
GRID_100M = {"crs": "ESRI:54009", "crs_unit": "metre", "cell_size": [100.0, 100.0]}
GRID_1KM = {**GRID_100M, "cell_size": [1000.0, 1000.0]}
UNITS = {"population": "people", "school_access": "%", "degurba_l1": "class"}
BASE_PROVENANCE = {
    "tool": {"name": "observatory", "version": "0.1.0"},
    "project": {
        "file": "/nowhere/observatory.toml",
        "settings": {
            "project": {"name": "", "language": "en"},
            "rasters": {"population": {"2024": "rasters/population_2024.tif"}},
        },
    },
    "population_sources": {"2014": "census", "2020": "census", "2024": "census"},
    "grids": {"population": {"2024": GRID_100M}},
    "parameters": {
        "population": {},
        "school_access": {"threshold_m": 1000.0, "mode": "network"},
        "degurba_l1": {"rules": "ghsl-2023", "unit_rules": "2024"},
    },
}
#: Two territories: Alpha (region A, districts a1-a3) and Beta (region B, districts b1, b2);
#: a2 and b1 tie on population.
ALPHA = {
    ("population", "2024"): {"A": 600, "a1": 300, "a2": 200, "a3": 100},
    ("school_access", "2024"): {"A": 40, "a1": 50, "a2": 40, "a3": 30},
    ("degurba_l1", "2024"): {"A": 3, "a1": 3, "a2": 2, "a3": 1},
}
BETA = {
    ("population", "2024"): {"B": 250, "b1": 200, "b2": 50},
    ("school_access", "2024"): {"B": 52, "b1": 60, "b2": 20},
    ("degurba_l1", "2024"): {"B": 2, "b1": 3, "b2": 1},
}


def provenance(**changes) -> dict:
    """:data:`BASE_PROVENANCE` with top-level keys replaced (a deep copy)."""
    record = copy.deepcopy(BASE_PROVENANCE)
    record.update(copy.deepcopy(changes))
    return record


def _layer(codes: list[str], names: list[str], parent: str | None, side_m: float, row: int):
    geometries = [
        box(4_000_000 + i * side_m, 3_000_000 + row * 10_000, 4_000_000 + (i + 1) * side_m,
            3_000_000 + row * 10_000 + side_m)
        for i in range(len(codes))
    ]  # fmt: skip
    return gpd.GeoDataFrame(
        {"unit_id": codes, "unit_name": names, "parent_id": [parent] * len(codes)},
        geometry=geometries,
        crs="EPSG:3035",
    )


def territory(
    folder: Path,
    name: str,
    values: dict[tuple[str, str], dict[str, float]],
    codes: tuple[str, list[str]],
    *,
    side_m: float = 2000.0,
    record: dict | None = None,
    cells: dict[tuple[str, str, str], dict] | None = None,
    units: dict[str, str] | None = None,
) -> PublishedResults:
    """A results folder with the levels ``region`` (one unit) and ``district``.

    Parameters
    ----------
    values : dict
        (indicator, period) → {unit id → value} (the region's id among them, or not).
    codes : (str, list of str)
        The code of the region and those of its districts.
    side_m : float
        Side of the square districts (the region is a square of the same side).
    record : dict, optional
        The provenance (default :func:`provenance`); the project's name is set to ``name``.
    cells : dict, optional
        (indicator, period, unit id) → ``{"quality": flag, "coverage": share}`` (default
        "" and 1.0).
    units : dict, optional
        Indicator → unit of measure (default :data:`UNITS`).
    """
    region, districts = codes
    layers = {
        "region": _layer([region], [f"{name} region"], None, side_m, 0),
        "district": _layer(districts, [f"{name} {d}" for d in districts], region, side_m, 1),
    }
    level_of = {region: "region", **dict.fromkeys(districts, "district")}
    rows = []
    for (indicator_id, period), by_unit in values.items():
        for unit_id, value in by_unit.items():
            cell = (cells or {}).get((indicator_id, period, unit_id), {})
            rows.append(
                {
                    "level": level_of[unit_id],
                    "unit_id": unit_id,
                    "unit_name": f"{name} {unit_id}",
                    "indicator": indicator_id,
                    "period": period,
                    "value": float(value),
                    "unit": (units or UNITS)[indicator_id],
                    "numerator": np.nan,
                    "denominator": np.nan,
                    "note": "",
                    "coverage": cell.get("coverage", 1.0),
                    "quality": cell.get("quality", ""),
                }
            )
    record = copy.deepcopy(record if record is not None else provenance())
    record["project"]["settings"]["project"]["name"] = name
    return PublishedResults(
        folder=Path(folder), long=pd.DataFrame(rows), layers=layers, provenance=record
    )
