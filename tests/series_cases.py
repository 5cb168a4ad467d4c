"""The tiny project of builders.py with three census and raster years: 2000, 2005, 2015.

Every cell of the 2014 population grid of builders.py is multiplied by 1, 1.1 and 1.21
(so each commune and the region grow by 10 % from 2000 to 2005 and again from 2005 to
2015), every cell of its 2014 built-up grid by 1, 1.2 and 1.44 (20 % each step); the census
holds the commune totals of the population grids. The years are unevenly spaced (5, then 10
years) so that a rate divided by the wrong length shows.

=========  ===========================  =====================================
commune    population 2000, 2005, 2015  built-up km² 2000, 2005, 2015
=========  ===========================  =====================================
04.001 NW  400, 440, 484                2, 2.4, 2.88
04.002 SW  1200, 1320, 1452             0.4, 0.48, 0.576
04.003 NE  800, 880, 968                1, 1.2, 1.44
04.004 SE  1600, 1760, 1936             0, 0, 0 (no built-up: no land consumption rate)
region 04  4000, 4400, 4840             3.4, 4.08, 4.896
=========  ===========================  =====================================
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import builders
import numpy as np

YEARS = (2000, 2005, 2015)
POPULATION_GROWTH = dict(zip(YEARS, (1.0, 1.1, 1.21), strict=True))
BUILT_UP_GROWTH = dict(zip(YEARS, (1.0, 1.2, 1.44), strict=True))


def _scaled(raster, factor: float, name: str):
    data = np.round(raster.data.astype("float64") * factor).astype("float32")
    return dataclasses.replace(raster, data=data, name=name)


def _three_years(sample: builders.SampleProject) -> None:
    population = sample.rasters["population"][2014]
    built_up = sample.rasters["built_up"][2014]
    sample.rasters["population"] = {
        year: _scaled(population, factor, f"population {year}")
        for year, factor in POPULATION_GROWTH.items()
    }
    sample.rasters["built_up"] = {
        year: _scaled(built_up, factor, f"built_up {year}")
        for year, factor in BUILT_UP_GROWTH.items()
    }
    per_cell = builders.POPULATION_PER_CELL[2014]
    census = sample.census[["code", "name"]].copy()
    for year, factor in POPULATION_GROWTH.items():
        census[f"population_{year}"] = [
            str(round(4 * per_cell[code] * factor)) for code in census["code"]
        ]
    sample.census = census


def _census_years(config: dict) -> None:
    config["census"]["population"] = {str(year): f"population_{year}" for year in YEARS}


def three_year_project(folder: Path) -> Path:
    """Write the three-year project into ``folder`` and return it."""
    return builders.build_project(folder, edit=_three_years, edit_config=_census_years)
