"""Benchmark: ``observatory compute`` on a Morocco-size project, and the sample at 50 m.

``python -m benchmarks.bench_national [--scale 0.25 0.5 1] [--data DIR] [--memory-cap-gb 14]``
generates (or reuses, see :mod:`benchmarks.national_project`) the project of each scale
factor ``f`` (1 = national: 1,500 communes, 75 M cells of 100 m, 200,000 roads) and runs
``observatory compute PROJECT -o OUT`` on it in a child process of its own; it prints the wall
time, the CPU time and the peak resident memory of that child (``ru_maxrss`` from
``wait4``), and the load average before and after. ``--rsk`` runs the bundled sample at 100 m
and at 50 m instead (each 100 m cell split into four with :func:`benchmarks.finer_grid.split_cells`:
counts / 4, PM2.5 unchanged).

Every child's address space is capped (``RLIMIT_AS``, ``--memory-cap-gb``, lowered to what
the machine has available) so that a run that would not fit fails at once with a
MemoryError instead of making a shared machine swap. A scale whose peak, extrapolated
linearly from the largest one that ran, would pass the cap is skipped.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.finer_grid import split_cells
from benchmarks.machine import describe
from benchmarks.national_project import DEFAULT_DATA, ensure_project
from benchmarks.national_territory import Parameters
from observatory.sample import write_sample_project

REPOSITORY = Path(__file__).resolve().parents[1]
CLI = "import sys; from observatory.cli.main import main; sys.argv[0] = 'observatory'; main()"
#: How each raster of the sample is split to make it 50 m.
RSK_SPLITS = {
    "population_2014.tif": "count",
    "population_2024.tif": "count",
    "built_up_2014.tif": "count",
    "built_up_2024.tif": "count",
    "land.tif": "count",
}


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def available_gb() -> float:
    """Memory the machine has available now (MemAvailable), in GB."""
    with open("/proc/meminfo", encoding="utf-8") as info:
        line = next(line for line in info if line.startswith("MemAvailable"))
    return int(line.split()[1]) / 1024**2


def run_capped(command: list[str], cap_gb: float, log: Path) -> dict:
    """Run ``command`` in a child whose address space is capped at ``cap_gb``; its wall and
    CPU time (s), peak resident memory (GB) and exit status."""
    cap = int(cap_gb * 1024**3)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    before = load()
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as output:
        child = subprocess.Popen(
            command, cwd=REPOSITORY, stdout=output, stderr=subprocess.STDOUT, preexec_fn=limit
        )
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if code == 0:
        outcome = "ok"
    elif "MemoryError" in text or "Unable to allocate" in text or "bad_alloc" in text:
        outcome = "out of memory (over the cap)"
    else:
        outcome = f"failed ({code}): {lines[-1] if lines else 'no output'}"
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_gb": usage.ru_maxrss / 1024**2,
        "outcome": outcome,
        "load": f"{before} → {load()}",
    }


def compute(project: Path, out: Path, cap_gb: float) -> dict:
    """``observatory compute project -o out`` in a capped child (``out`` is replaced)."""
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    log = out.with_name(out.name + ".log")
    command = [sys.executable, "-c", CLI, "compute", str(project), "-o", str(out)]
    return run_capped(command, cap_gb, log)


def print_row(label: str, result: dict) -> None:
    """One line of figures for a run."""
    print(
        f"{label}: compute {result['wall_s']:.1f} s wall, {result['cpu_s']:.1f} s CPU, "
        f"peak RSS {result['peak_gb']:.2f} GB, load {result['load']}: {result['outcome']}",
        flush=True,
    )


def national(scales: list[float], data: Path, cap_gb: float) -> None:
    """Generate (or reuse) and compute the project of each scale, smallest first."""
    largest: tuple[float, float] | None = None
    for scale in sorted(scales):
        if largest is not None and largest[1] * scale / largest[0] > 0.9 * cap_gb:
            predicted = largest[1] * scale / largest[0]
            print(
                f"f = {scale:g}: skipped, its peak would be about {predicted:.0f} GB "
                f"(cap {cap_gb:g} GB)"
            )
            continue
        parameters = Parameters(scale)
        started = time.perf_counter()
        project, timings = ensure_project(data, parameters)
        made = time.perf_counter() - started
        generated = f"generated in {made:.0f} s {timings}" if timings else "reused"
        rows, columns = parameters.shape
        print(
            f"f = {scale:g}: {rows:,} × {columns:,} cells, {parameters.count('communes'):,} "
            f"communes, {parameters.count('roads'):,} roads (target); project {generated}",
            flush=True,
        )
        result = compute(project, data / f"out-f{scale:g}", cap_gb)
        print_row(f"f = {scale:g}", result)
        if result["outcome"] == "ok":
            largest = (scale, result["peak_gb"])
        else:
            largest = (scale, cap_gb)


def rsk_projects(data: Path) -> dict[str, Path]:
    """The bundled sample at 100 m, and a copy of it at 50 m (made once under ``data``)."""
    coarse, fine = data / "rsk-100m", data / "rsk-50m"
    if not (coarse / "observatory.toml").is_file():
        write_sample_project(coarse, overwrite=True)
    if not (fine / "split.done").is_file():
        shutil.rmtree(fine, ignore_errors=True)
        shutil.copytree(coarse, fine)
        for name, kind in RSK_SPLITS.items():
            split_cells(coarse / "rasters" / name, fine / "rasters" / name, 2, kind)
        (fine / "split.done").write_text("split by benchmarks/finer_grid.py, factor 2\n")
    return {"100 m": coarse, "50 m": fine}


def rsk(data: Path, cap_gb: float) -> None:
    """Compute the sample at 100 m and at 50 m; the ratio of their peaks."""
    peaks = {}
    for label, project in rsk_projects(data).items():
        result = compute(project, data / f"out-rsk-{label.replace(' ', '')}", cap_gb)
        print_row(f"RSK sample at {label}", result)
        peaks[label] = result["peak_gb"]
    print(f"peak at 50 m / peak at 100 m: {peaks['50 m'] / peaks['100 m']:.2f} (target ≤ 1.2)")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the national sizes, or the sample with ``--rsk``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, nargs="+", default=[0.25])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--memory-cap-gb", type=float, default=14.0)
    parser.add_argument("--rsk", action="store_true", help="the sample at 100 m and 50 m")
    args = parser.parse_args(argv)
    cap_gb = min(args.memory_cap_gb, available_gb() - 2.0)
    print(f"address-space cap of each compute: {cap_gb:.1f} GB", flush=True)
    if args.rsk:
        rsk(args.data, cap_gb)
    else:
        national(args.scale, args.data, cap_gb)
    print(describe())


if __name__ == "__main__":
    main()
