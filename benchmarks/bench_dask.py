"""Benchmark: the tiles of the Degree of Urbanisation labelled by 1, 2 and 4 local Dask workers.

Run ``python -m benchmarks.bench_dask [morocco|europe|world]`` (europe by default): the
synthetic grid of :mod:`benchmarks.bench_degurba` is prepared once, then classified at level 2
serially (in this process) and on local clusters of 2 and 4 worker processes of one thread
each (``--workers 2`` and ``--workers 4``). Starting a cluster is timed apart from the
classification; the SHA-256 of the class grid must be the same for every run.
"""

from __future__ import annotations

import hashlib
import sys
import time

from benchmarks.bench_degurba import SIZES, synthetic_grid
from benchmarks.machine import describe
from observatory.degurba import classify_grid, prepare_grid, rules_from_name
from observatory.distributed import DaskExecutor
from observatory.parallel import SERIAL

WORKERS = (1, 2, 4)


def classify(prepared, rules, executor) -> tuple[float, str]:
    """Seconds to classify at level 2 and the SHA-256 of the classes."""
    start = time.perf_counter()
    classes = classify_grid(prepared, rules=rules, level=2, executor=executor)
    return time.perf_counter() - start, hashlib.sha256(classes.data).hexdigest()


def main(argv: list[str]) -> None:
    size = argv[0] if argv else "europe"
    rules = rules_from_name("ghsl-2023")
    population, built, land = synthetic_grid(SIZES[size])
    prepared = prepare_grid(population, rules=rules, built_share=built, land_share=land)
    print(describe())
    for workers in WORKERS:
        started = time.perf_counter()
        executor = SERIAL if workers == 1 else DaskExecutor(workers=workers)
        startup = time.perf_counter() - started
        try:
            seconds, digest = classify(prepared, rules, executor)
        finally:
            if workers > 1:
                executor.close()
        print(
            f"size={size} workers={workers} startup_s={startup:.2f} classify_s={seconds:.2f} "
            f"sha256={digest}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
