"""Benchmark: ``observatory compute`` on the bundled sample (Rabat-Salé-Kénitra).

Run ``python -m benchmarks.bench_compute``. Times the whole job as a user runs it (read the
project, compute every indicator for every level and period, write the four outputs) and each
indicator step, and reports the peak memory (resident set size) of the process.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from benchmarks.machine import describe
from observatory.engine import run
from observatory.project import load_project
from observatory.report.outputs import write_outputs
from observatory.sample import bundled_folder


def main() -> None:
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()

    def progress(message: str) -> None:
        steps.append((message, time.perf_counter()))

    project = load_project(bundled_folder("sample_data"))
    results = run(project, progress=progress)
    computed = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        write_outputs(results, Path(folder), overwrite=False)
    finished = time.perf_counter()

    print(describe())
    print(
        f"compute on the sample: {finished - started:.1f} s in all "
        f"(engine {computed - started:.1f} s, writing the outputs {finished - computed:.1f} s)"
    )
    ends = [t for _, t in steps[1:]] + [computed]
    for (message, start), end in zip(steps, ends, strict=True):
        print(f"  {end - start:7.2f} s  {message}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak_mb:,.0f} MB")
    rows = len(results.long_table())
    print(f"long table: {rows:,} rows; indicators not computed: {results.skipped or 'none'}")


if __name__ == "__main__":
    main()
