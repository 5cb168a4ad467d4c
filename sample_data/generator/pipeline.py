"""The build, step by step: each step takes what the earlier ones made."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import pyogrio

from .built_up import build_built_up
from .common import FIXED_DATE
from .facilities import build_facilities
from .grids import build_grids
from .output import write_project_file, write_rasters, write_units, write_vector_layers
from .pm25 import build_pm25
from .population import build_population
from .roads import build_roads
from .settlements import build_towns, plan_growth
from .units import build_units


@contextmanager
def timed(timings: dict[str, float], step: str):
    """Record the seconds a step takes in ``timings[step]``."""
    started = time.perf_counter()
    yield
    timings[step] = round(time.perf_counter() - started, 1)


def build(out_dir: Path) -> dict[str, float]:
    """Write the whole sample project into ``out_dir`` and return step timings (s)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ["OGR_CURRENT_DATE"] = FIXED_DATE
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    timings: dict[str, float] = {}
    with timed(timings, "units"):
        units = build_units()
    with timed(timings, "grids"):
        grids = build_grids(units)
    with timed(timings, "settlements"):
        towns = build_towns(units)
        plan_growth(towns, units, grids)
    with timed(timings, "roads"):
        roads, villages = build_roads(units, towns)
    with timed(timings, "population"):
        population = build_population(units, grids, towns, villages, roads)
    with timed(timings, "built_up"):
        built = build_built_up(grids, towns, population)
    with timed(timings, "facilities"):
        facilities = build_facilities(units, grids, towns, roads, population[2024])
    with timed(timings, "pm25"):
        pm25 = build_pm25(grids, population[2024], roads)
    with timed(timings, "write"):
        write_project_file(out_dir)
        write_units(out_dir, units)
        write_vector_layers(out_dir, roads, facilities)
        write_rasters(out_dir, grids, population, built, pm25)
    return timings
