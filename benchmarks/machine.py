"""The machine a benchmark ran on, printed with its figures."""

from __future__ import annotations

import os
import platform

import exactextract
import numpy as np
import rasterio
import scipy


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, load and library versions of this machine."""
    cpu = platform.processor() or "unknown"
    ram_kb = 0
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
        with open("/proc/meminfo", encoding="utf-8") as info:
            ram_kb = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return {
        "CPU": cpu,
        "load average (1, 5, 15 min) at the end": load,
        "cores (nproc)": str(os.cpu_count()),
        "RAM": f"{ram_kb / 1024**2:.1f} GiB",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "numpy / scipy": f"{np.__version__} / {scipy.__version__}",
        "exactextract": exactextract.__version__,
        "rasterio / GDAL": f"{rasterio.__version__} / {rasterio.__gdal_version__}",
    }


def describe() -> str:
    """:func:`machine` as one line per item."""
    return "\n".join(f"- {key}: {value}" for key, value in machine().items())
