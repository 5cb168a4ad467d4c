"""The trainee's workspace: starting it, its settings and progress, solutions and resets.

Layout of a workspace made by ``observatory training start DIR``::

    DIR/workshop.toml        settings: the language of messages
    DIR/progress.toml        one line per exercise checked: "passed" or "failed"
    DIR/README.md            the course overview
    DIR/data/                the sample project (observatory.toml and its layers)
    DIR/<module>/            learner pages, starter files and inputs of each module

Checks, hints and solutions stay in the course installed with observatory; the workspace
holds only what the trainee reads and edits.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import observatory
from observatory.errors import (
    InputFileNotFoundError,
    OutputExistsError,
    ParameterError,
    ProjectFileError,
)
from observatory.io.files import copy_tree
from observatory.io.tables import read_toml
from observatory.io.workshop import copy_file, read_text_file, write_simple_toml
from observatory.sample import NOT_COPIED, bundled_folder
from observatory.workshop.checks import Verdict
from observatory.workshop.manifest import (
    LANGUAGES,
    MANIFEST,
    SOLUTIONS,
    Course,
    Exercise,
    load_course,
)
from observatory.workshop.runner import run_check

SETTINGS_FILE = "workshop.toml"
PROGRESS_FILE = "progress.toml"
DATA_FOLDER = "data"
#: Course files that stay in the installed course (never copied to the workspace).
COURSE_ONLY = (SOLUTIONS, "checks.py", "__pycache__", "*.pyc", MANIFEST, "__init__.py")
PASSED, FAILED = "passed", "failed"
#: How a command of a model answer is run: this Python, this observatory, its command line.
CLI_PROGRAM = (
    "import sys; from observatory.cli.main import main; sys.argv[0] = 'observatory'; main()"
)


#: Environment variables that name the user's language, in the order POSIX reads them.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def locale_language(environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The course language of the system's locale, and the setting it was read from.

    The first of :data:`LOCALE_VARIABLES` that is set decides (``fr_FR.UTF-8`` and ``fr_MA``
    give ``fr``); a language the course does not have, or no setting, gives English.

    Returns
    -------
    (language, setting) : (str, str or None)
        ``setting`` is e.g. ``"LANG=fr_FR.UTF-8"``, None when no variable is set.
    """
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            return (code if code in LANGUAGES else "en"), f"{variable}={value}"
    return "en", None


def bundled_course() -> Course:
    """The course installed with observatory."""
    return load_course(bundled_folder("training"))


@dataclass
class Workspace:
    """A trainee's workspace folder and the course it follows."""

    root: Path
    course: Course

    @property
    def language(self) -> str:
        """The language chosen at ``training start`` (English when unset)."""
        settings = read_toml(self.root / SETTINGS_FILE).get("workshop", {})
        language = settings.get("language", "en")
        return language if language in LANGUAGES else "en"

    def progress(self) -> dict[str, str]:
        """``{exercise name: "passed" | "failed"}`` for the exercises checked so far."""
        path = self.root / PROGRESS_FILE
        if not path.is_file():
            return {}
        return dict(read_toml(path).get("exercises", {}))

    def record(self, name: str, status: str | None) -> None:
        """Store the status of exercise ``name`` (None forgets it)."""
        progress = self.progress()
        if status is None:
            progress.pop(name, None)
        else:
            progress[name] = status
        ordered = {e.name: progress[e.name] for e in self.course.exercises if e.name in progress}
        write_simple_toml(
            self.root / PROGRESS_FILE,
            {"exercises": ordered},
            header="Progress of this workspace, written by 'observatory training check'.",
        )

    def next_exercise(self) -> Exercise | None:
        """The first exercise not passed yet (None when every exercise has passed)."""
        progress = self.progress()
        return next((e for e in self.course.exercises if progress.get(e.name) != PASSED), None)

    def check(self, exercise: Exercise) -> Verdict:
        """Run the exercise's check on this workspace and record the outcome."""
        verdict = run_check(self.course, exercise, self.root)
        self.record(exercise.name, PASSED if verdict.passed else FAILED)
        return verdict

    def solution(self, exercise: Exercise) -> dict[str, str]:
        """``{workspace file: text of its solution}``."""
        return {
            file: read_text_file(self.course.root / exercise.solution_of(file))
            for file in exercise.files
        }

    def apply_solution(self, exercise: Exercise) -> list[Path]:
        """Run the commands of the model answer of ``exercise`` in the workspace, then replace
        the trainee's files by the solution; return their paths."""
        for command in exercise.commands:
            run_command(command, self.root)
        for file in exercise.files:
            copy_file(self.course.root / exercise.solution_of(file), self.root / file)
        return [self.root / file for file in exercise.files]

    def reset(self, exercise: Exercise) -> list[Path]:
        """Put back the starter files of ``exercise`` and forget its progress."""
        for file in (*exercise.files, *exercise.inputs):
            copy_file(self.course.root / file, self.root / file)
        self.record(exercise.name, None)
        return [self.root / file for file in exercise.files]


def run_command(command: str, folder: Path) -> str:
    """Run the ``observatory`` command line ``command`` in ``folder`` with this Python and
    this observatory; its output. A command of the course that fails is a broken course."""
    arguments = shlex.split(command)[1:]
    package_parent = str(Path(observatory.__file__).resolve().parents[1])
    search = [package_parent, *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(search)}
    done = subprocess.run(
        [sys.executable, "-c", CLI_PROGRAM, *arguments],
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        check=False,
    )
    if done.returncode != 0:
        raise ProjectFileError(
            f"the course command '{command}' failed in {folder}: "
            f"{(done.stderr or done.stdout).strip()[-600:]}"
        )
    return done.stdout


def find_workspace(start: Path | str = ".", *, course: Course | None = None) -> Workspace:
    """The workspace holding ``start`` (``start`` or one of its parent folders)."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return Workspace(folder, course or bundled_course())
    raise InputFileNotFoundError(
        f"{start} is not inside a training workspace (no {SETTINGS_FILE} here or above); "
        "create one with 'observatory training start DIR' and run the command inside DIR."
    )


def start_workspace(
    directory: Path | str,
    *,
    language: str,
    course: Course | None = None,
    sample_folder: Path | None = None,
) -> Workspace:
    """Copy the course's pages, starter files and the sample project into ``directory``.

    Parameters
    ----------
    directory : path
        A new or empty folder (existing files are never replaced).
    language : {'en', 'fr'}
        The language of messages in this workspace.
    course, sample_folder : optional
        The course and sample project to copy (default: those installed with observatory).
    """
    if language not in LANGUAGES:
        raise ParameterError(f"language '{language}' is not available; use one of {LANGUAGES}.")
    course = course or bundled_course()
    root = Path(directory)
    if (root / SETTINGS_FILE).exists():
        raise OutputExistsError(
            f"{root} is already a training workspace; continue there with "
            "'observatory training list', or choose another folder."
        )
    copy_tree(sample_folder or bundled_folder("sample_data"), root / DATA_FOLDER, ignore=NOT_COPIED)
    copy_tree(course.root, root, ignore=COURSE_ONLY)
    write_simple_toml(
        root / SETTINGS_FILE,
        {"workshop": {"language": language}},
        header="Observatory training workspace. Language of messages: en or fr.",
    )
    return Workspace(root, course)
