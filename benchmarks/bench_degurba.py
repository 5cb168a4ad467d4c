"""Benchmark: level 2 Degree of Urbanisation of Morocco-, Europe- and world-size 1 km grids.

Run ``python -m benchmarks.bench_degurba [morocco|europe|world|all]``. Each size runs in its
own process so that its peak memory (``ru_maxrss``) is its own. The grids are synthetic, seeded
and generated in-process: a land mask of continents made of 100 km blocks, a sparse rural
background (30 % of land cells populated) and settlements of Pareto-distributed sizes (300 to a
few million people) spread as cones, with a built-up share rising with density. Generation is
timed apart, and so is its peak memory (the three input grids: 4.5 GB for the world); the
SHA-256 of the class grid shows that two runs (or two versions) gave the same class to every
cell.

References: JRC's GHS-DUG classifies Europe (about 32 M cells) in 10 s with 5.7 GB on a
laptop; flexurba (R) takes 187 s and 8.8 GB there, and about 145 minutes and 116 GB of RAM for
the world grid (``DoU_classify_grid`` documentation, 32 cores, 256 GB).
"""

from __future__ import annotations

import functools
import hashlib
import resource
import subprocess
import sys
import time

import numpy as np

from benchmarks.machine import describe
from observatory.degurba import classify_grid, prepare_grid, rules_from_name

SIZES = {"morocco": (1000, 1500), "europe": (4000, 8000), "world": (18_000, 36_082)}
SETTLEMENTS_PER_MILLION_CELLS = 300
ROW_CHUNK = 1000


@functools.cache
def _cone(top: int, bottom: int, left: int, right: int, radius: int) -> tuple[np.ndarray, float]:
    """A settlement's cone over rows ``top:bottom`` and columns ``left:right`` around its
    centre, and its sum (settlements of one radius away from the edges share one)."""
    r, c = np.ogrid[top:bottom, left:right]
    cone = np.maximum(0.0, 1.0 - np.hypot(r, c) / (radius + 0.5))
    return cone, cone.sum()


def synthetic_grid(
    shape: tuple[int, int], *, seed: int = 2024
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Population (float32), built-up share (float16) and land (bool) of a synthetic grid."""
    rng = np.random.default_rng(seed)
    height, width = shape
    block = 100
    coarse = rng.random((-(-height // block), -(-width // block))) < 0.35
    land = np.repeat(np.repeat(coarse, block, axis=0), block, axis=1)[:height, :width]
    population = np.zeros(shape, dtype=np.float32)
    for start in range(0, height, ROW_CHUNK):
        rows = slice(start, min(start + ROW_CHUNK, height))
        chunk_land = land[rows]
        populated = chunk_land & (rng.random(chunk_land.shape, dtype=np.float32) < 0.3)
        background = rng.exponential(40.0, chunk_land.shape).astype(np.float32)
        population[rows] = np.where(populated, background, 0)
    count = int(SETTLEMENTS_PER_MILLION_CELLS * height * width / 1e6)
    land_rows, land_cols = np.nonzero(coarse)
    picks = rng.integers(0, land_rows.size, count)
    centre_rows = land_rows[picks] * block + rng.integers(0, block, count)
    centre_cols = land_cols[picks] * block + rng.integers(0, block, count)
    sizes = np.minimum(300 * (1 + rng.pareto(0.9, count)), 5e6)
    for row, col, size in zip(centre_rows, centre_cols, sizes, strict=True):
        radius = int(np.sqrt(size / 4000.0)) + 1
        top, left = max(row - radius, 0), max(col - radius, 0)
        bottom, right = min(row + radius + 1, height), min(col + radius + 1, width)
        if top >= bottom or left >= right:
            continue
        cone, total = _cone(top - row, bottom - row, left - col, right - col, radius)
        population[top:bottom, left:right] += (size * cone / total).astype(np.float32)
    built = np.zeros(shape, dtype=np.float16)
    for start in range(0, height, ROW_CHUNK):
        rows = slice(start, min(start + ROW_CHUNK, height))
        built[rows] = np.minimum(population[rows] / 10_000.0, 0.9).astype(np.float16)
    return population, built, land


def peak_memory_gb() -> float:
    """Peak resident memory of this process (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def run(size: str) -> dict[str, float | str]:
    """Generate, prepare and classify one grid; wall times in seconds and peak memory in GB."""
    shape = SIZES[size]
    rules = rules_from_name("ghsl-2023")
    start = time.perf_counter()
    population, built, land = synthetic_grid(shape)
    generated = time.perf_counter()
    generation_peak = peak_memory_gb()
    prepared = prepare_grid(population, rules=rules, built_share=built, land_share=land)
    del population, built, land
    prepared_at = time.perf_counter()
    classes = classify_grid(prepared, rules=rules, level=2)
    classified = time.perf_counter()
    counts = sum(
        np.bincount(classes[rows : rows + ROW_CHUNK].ravel(), minlength=31)
        for rows in range(0, shape[0], ROW_CHUNK)
    )
    return {
        "cells": shape[0] * shape[1],
        "generate_s": generated - start,
        "prepare_s": prepared_at - generated,
        "classify_s": classified - prepared_at,
        "prepare_and_classify_s": classified - generated,
        "generation_peak_gb": generation_peak,
        "peak_gb": peak_memory_gb(),
        **{f"class_{code}": int(counts[code]) for code in (30, 23, 22, 21, 13, 12, 11, 10)},
        "sha256": hashlib.sha256(classes.data).hexdigest(),
    }


def main(argv: list[str]) -> None:
    which = argv[0] if argv else "all"
    if which in SIZES:
        result = run(which)
        print(
            " ".join(
                f"{key}={value:.6g}" if not isinstance(value, str) else f"{key}={value}"
                for key, value in result.items()
            )
        )
        return
    print(describe())
    for size in SIZES:
        subprocess.run([sys.executable, "-m", "benchmarks.bench_degurba", size], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
