"""The documentation site builds with warnings as errors, and its indicator reference, generated
from the registry, lists every registered indicator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from observatory.indicators.registry import catalogue

ROOT = Path(__file__).resolve().parents[1]


def test_docs_build_strictly_and_reference_every_indicator(tmp_path):
    site = tmp_path / "site"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    reference = (site / "reference" / "indicators" / "index.html").read_text(encoding="utf-8")
    headings = set(re.findall(r'<h2 id="([^"]+)"', reference))
    expected = set(catalogue())
    assert expected <= headings, expected - headings
    for module in ("01_getting_started", "08_plugins"):
        for language in ("en", "fr"):
            assert (site / "training" / f"{module}.{language}" / "index.html").is_file()
    for document in ("schedule.en", "quiz.fr", "facilitator-notes.fr"):
        assert (site / "trainer" / document / "index.html").is_file()
