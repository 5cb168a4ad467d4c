"""A results folder of the tiny project (see builders.py) for the map and atlas tests.

The units carry Arabic names (``name_ar``), as the Rabat-Salé-Kénitra sample does, so the
Arabic atlas can show them; the project's language is French. Headless Chromium runs the
browser tests when it is installed (Debian package ``chromium``; ``.ci/run`` installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from builders import build_project

from observatory.engine import run
from observatory.project import load_project
from observatory.report.outputs import write_outputs

ARABIC_NAMES = {
    "regions": ["الرباط-سلا-القنيطرة"],
    "provinces": ["سلا", "الصخيرات-تمارة"],
    "communes": ["الشمال الغربي", "الجنوب الغربي", "الشمال الشرقي", "الجنوب الشرقي"],
}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (apt-get install chromium; .ci/run does it)",
)


def _add_arabic_names(sample) -> None:
    for layer, names in ARABIC_NAMES.items():
        sample.units[layer]["name_ar"] = names


def write_results(folder: Path) -> Path:
    """Compute the tiny project (with Arabic unit names) into ``folder / "results"``."""
    project = build_project(folder / "project", edit=_add_arabic_names)
    results = run(load_project(project))
    output = folder / "results"
    write_outputs(results, output, overwrite=False)
    return output


def chromium(*arguments: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """Run headless Chromium with the flags of an offline, sandbox-free test run."""
    with tempfile.TemporaryDirectory(prefix="observatory-chromium-") as profile:
        return subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                *arguments,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
