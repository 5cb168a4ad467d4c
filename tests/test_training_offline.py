"""The course the way a trainee in a room without internet takes it: from the wheel, with no
package index, modules in order, module 8's plugin installed, every check still passing.

The wheel of this source tree is built (hatchling, from the dev extra, no build isolation)
and installed with ``--no-index`` into a fresh virtual environment whose only other packages
are those of the running environment, seen through a ``.pth`` file naming a folder of links
to them (the wheelhouse a trainer brings, already installed): neither pip, setuptools nor
Observatory itself come from there. pip reads no configuration file, so no local folder of
wheels is searched either. In that environment: ``training start``, the solution of every
exercise, ``pip install --no-build-isolation -e 08_plugins`` and plain ``pip install -e``
(the template's own backend, nothing to download), ``indicators list``, every check again
in order, and ``training list`` with every exercise passed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Entries of the running environment's site-packages the new one must not see: the
#: installers, Observatory itself (editable or not) and every .pth file.
NOT_SHARED = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "wheel", "observatory")
NOT_SHARED_PREFIXES = ("territorial_observatory", "_editable_impl", "__editable__", "rsk_")
#: Run inside the new environment: check exercises of the workspace (argv[1]), in order,
#: after applying each solution when argv[2] is "solve"; print the verdicts as JSON.
DRIVER = """
import json, sys
import observatory
from observatory.workshop import find_workspace


def main(folder, mode):
    workspace = find_workspace(folder)
    verdicts = {}
    for exercise in workspace.course.exercises:
        if mode == "solve":
            workspace.apply_solution(exercise)
        if mode == "check-all" or exercise.module == "08_plugins":
            verdict = workspace.check(exercise)
            verdicts[exercise.name] = [verdict.passed, [i.message_en for i in verdict.items]]
    print(json.dumps({"observatory": observatory.__file__, "verdicts": verdicts}))


if __name__ == "__main__":  # the check's worker process imports this file again
    main(*sys.argv[1:])
"""

#: Run inside the new environment: the names of the exercises of the installed course.
COUNT = (
    "import json; from observatory.workshop import bundled_course; "
    "print(json.dumps({'names': [e.name for e in bundled_course().exercises]}))"
)

pytestmark = pytest.mark.slow


def _run(command, *, here: bool = False, **options) -> str:
    """Run ``command`` with no pip configuration; outside this Python's own settings (its
    PYTHONPATH) unless ``here`` (building the wheel with this environment's hatchling)."""
    drop = ("PIP_",) if here else ("PIP_", "PYTHON")
    environment = {key: value for key, value in os.environ.items() if not key.startswith(drop)}
    environment.update(
        PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1"
    )
    done = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
        **options,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def _shared_packages(folder: Path) -> Path:
    """A folder of links to the running environment's packages, but for :data:`NOT_SHARED`."""
    folder.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        name = entry.name
        stem = name.split("-")[0].split(".")[0]
        if stem in NOT_SHARED or name.startswith(NOT_SHARED_PREFIXES) or name.endswith(".pth"):
            continue
        if name != "__pycache__":
            (folder / name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """``(python of the new environment, pip command for it, workspace)``."""
    pytest.importorskip("hatchling", reason="building the wheel needs the dev extra")
    base = tmp_path_factory.mktemp("offline")
    pip = [sys.executable, "-m", "pip"]
    _run([*pip, "wheel", ROOT, "--no-deps", "--no-build-isolation", "-w", base / "dist"], here=True)
    (wheel,) = (base / "dist").glob("territorial_observatory-*.whl")
    _run([sys.executable, "-m", "venv", "--without-pip", base / "venv"])
    python = base / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    shared = _shared_packages(base / "shared")
    (Path(purelib.strip()) / "shared_wheelhouse.pth").write_text(f"{shared}\n", encoding="utf-8")
    venv_pip = [*pip, "--python", python]
    _run([*venv_pip, "install", "--no-index", wheel])
    workspace = base / "ws"
    _run([python.with_name("observatory"), "training", "start", workspace, "--lang", "fr"])
    return python, venv_pip, workspace


def _driver(python, workspace, mode) -> dict:
    script = workspace.parent / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    return json.loads(
        _run([python, script, workspace, mode], cwd=workspace.parent).splitlines()[-1]
    )


def test_the_course_from_the_wheel_offline_with_the_plugin_installed(offline):
    python, pip, workspace = offline
    cli = [python.with_name("observatory")]
    first = _driver(python, workspace, "solve")
    assert Path(first["observatory"]).is_relative_to(workspace.parent / "venv")
    assert all(passed for passed, _ in first["verdicts"].values()), first["verdicts"]

    _run([*pip, "install", "--no-index", "--no-build-isolation", "-e", workspace / "08_plugins"])
    _run([*pip, "install", "--no-index", "-e", workspace / "08_plugins"])  # the same, isolated
    assert "people_per_school" in _run([*cli, "indicators", "list"])

    again = _driver(python, workspace, "check-all")
    failed = {
        name: messages for name, (passed, messages) in again["verdicts"].items() if not passed
    }
    assert failed == {}
    total = len(json.loads(_run([python, "-c", COUNT]))["names"])
    assert len(again["verdicts"]) == total
    listing = _run([*cli, "training", "list", "--workspace", workspace])
    assert f"{total}/{total}" in listing


def test_a_bad_package_name_stops_pip_in_a_few_lines_of_the_course_language(offline):
    _, pip, workspace = offline
    project = workspace / "08_plugins" / "pyproject.toml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace('name = "rsk-indicators"', 'name = "RSK indicators"'), "utf-8")
    try:
        command = [*pip, "install", "--no-index", "--no-build-isolation", "-e", project.parent]
        environment = {**os.environ, "PIP_CONFIG_FILE": os.devnull}
        environment.pop("PYTHONPATH", None)
        done = subprocess.run(
            [str(part) for part in command], capture_output=True, text=True, env=environment
        )
    finally:
        project.write_text(text, encoding="utf-8")
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "'RSK indicators' n'est pas un nom de paquet valide" in output
    assert "Traceback" not in output
