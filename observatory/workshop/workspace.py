"""The trainee's workspace: starting it, its settings and progress, solutions and resets.

Layout of a workspace made by ``observatory training start DIR``::

    DIR/workshop.toml        settings: the language of messages, the trainee's name
    DIR/progress.toml        the progress record (below)
    DIR/README.md            the course overview
    DIR/data/                the sample project (observatory.toml and its layers)
    DIR/<module>/            learner pages, starter files and inputs of each module

Checks, hints and solutions stay in the course installed with observatory; the workspace
holds only what the trainee reads and edits.

The progress record ``progress.toml`` has one table per kind of fact, keyed by exercise
name (or quiz question id)::

    [exercises]     "first_look" = "passed"        last verdict: "passed" or "failed"
    [attempts]      "first_look" = 3               checks run (since the last reset)
    [last_attempt]  "first_look" = "2026-05-12T10:31:05+01:00"
    [quiz_pre]      "crs_areas" = "B"              answers of the quiz before the course
    [quiz_post]     "crs_areas" = "C"              answers of the quiz after it

Workspaces made before attempts were recorded have only ``[exercises]``; they read as
exercises with no attempt count or time.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
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
from observatory.io.workshop import copy_file, read_text_file, write_simple_toml, write_text_file
from observatory.sample import NOT_COPIED, bundled_folder
from observatory.workshop.checks import Verdict
from observatory.workshop.manifest import (
    LANGUAGES,
    MANIFEST,
    QUIZ_FILE,
    SOLUTIONS,
    TRAINER_FOLDER,
    Course,
    Exercise,
    load_course,
)
from observatory.workshop.runner import run_check

SETTINGS_FILE = "workshop.toml"
PROGRESS_FILE = "progress.toml"
DATA_FOLDER = "data"
#: Course files that stay in the installed course (never copied to the workspace).
COURSE_ONLY = (
    SOLUTIONS,
    "checks.py",
    "__pycache__",
    "*.pyc",
    MANIFEST,
    "__init__.py",
    QUIZ_FILE,
    TRAINER_FOLDER,
)
PASSED, FAILED = "passed", "failed"
#: Tables of the progress record, in the order they are written.
STATUS, ATTEMPTS, LAST_ATTEMPT = "exercises", "attempts", "last_attempt"
QUIZ_KINDS = ("pre", "post")
RECORD_TABLES = (STATUS, ATTEMPTS, LAST_ATTEMPT, *(f"quiz_{kind}" for kind in QUIZ_KINDS))

#: How a command of a model answer is run: this Python, this observatory, its command line.
CLI_PROGRAM = (
    "import sys; from observatory.cli.main import main; sys.argv[0] = 'observatory'; main()"
)


#: Environment variables that name the user's language, in the order POSIX reads them.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def locale_language(
    environ: Mapping[str, str], available: tuple[str, ...] = LANGUAGES
) -> tuple[str, str | None]:
    """The course language of the system's locale, and the setting it was read from.

    The first of :data:`LOCALE_VARIABLES` that is set decides (``fr_FR.UTF-8`` and ``fr_MA``
    give ``fr``); a language not in ``available`` (the course's by default), or no setting,
    gives English.

    Returns
    -------
    (language, setting) : (str, str or None)
        ``setting`` is e.g. ``"LANG=fr_FR.UTF-8"``, None when no variable is set.
    """
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:
            code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
            return (code if code in available else "en"), f"{variable}={value}"
    return "en", None


def workspace_language(start: Path | str) -> str | None:
    """The language of the training workspace holding ``start`` (None outside one).

    Reads only the workspace's settings, not the course (for commands other than
    ``training`` run inside a workspace).
    """
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return _settings_language(folder)
    return None


def _settings_language(root: Path) -> str:
    settings = read_toml(root / SETTINGS_FILE).get("workshop", {})
    language = settings.get("language", "en")
    return language if language in LANGUAGES else "en"


def bundled_course() -> Course:
    """The course installed with observatory."""
    return load_course(bundled_folder("training"))


@dataclass
class Workspace:
    """A trainee's workspace folder and the course it follows."""

    root: Path
    course: Course

    def settings(self) -> dict:
        """The ``[workshop]`` table of ``workshop.toml``."""
        return read_toml(self.root / SETTINGS_FILE).get("workshop", {})

    @property
    def language(self) -> str:
        """The language chosen at ``training start`` (English when unset)."""
        return _settings_language(self.root)

    @property
    def trainee(self) -> str:
        """The name given at ``training start --name``, else the workspace folder's name."""
        name = self.settings().get("name")
        return name.strip() if isinstance(name, str) and name.strip() else self.root.name

    def record_tables(self) -> dict[str, dict]:
        """Every table of the progress record (empty tables for those not written yet)."""
        path = self.root / PROGRESS_FILE
        document = read_toml(path) if path.is_file() else {}
        for table in RECORD_TABLES:
            if not isinstance(document.get(table, {}), dict):
                raise ProjectFileError(
                    f"{path}: '{table}' must be a table ([{table}]); the record was damaged. "
                    "Delete the file to start the record again."
                )
        return {table: dict(document.get(table, {})) for table in RECORD_TABLES}

    def progress(self) -> dict[str, str]:
        """``{exercise name: "passed" | "failed"}`` for the exercises checked so far."""
        return self.record_tables()[STATUS]

    def record(self, name: str, status: str | None) -> None:
        """Record a check of exercise ``name`` with its outcome ``status``: the verdict, one
        more attempt and its time. None forgets the exercise (a reset)."""
        tables = self.record_tables()
        if status is None:
            for table in (STATUS, ATTEMPTS, LAST_ATTEMPT):
                tables[table].pop(name, None)
        else:
            tables[STATUS][name] = status
            tables[ATTEMPTS][name] = int(tables[ATTEMPTS].get(name, 0)) + 1
            tables[LAST_ATTEMPT][name] = now().isoformat(timespec="seconds")
        self._write_record(tables)

    def quiz_answers(self, kind: str) -> dict[str, str]:
        """``{question id: letter}`` of the quiz ``kind`` ('pre' or 'post'); empty if not taken."""
        return self.record_tables()[f"quiz_{kind}"]

    def record_quiz(self, kind: str, answers: dict[str, str]) -> None:
        """Store the answers of the quiz ``kind``, replacing those of an earlier attempt."""
        tables = self.record_tables()
        tables[f"quiz_{kind}"] = dict(answers)
        self._write_record(tables)

    def _write_record(self, tables: dict[str, dict]) -> None:
        order = [exercise.name for exercise in self.course.exercises]
        for table in (STATUS, ATTEMPTS, LAST_ATTEMPT):
            values = tables[table]
            tables[table] = {name: values[name] for name in order if name in values}
        write_simple_toml(
            self.root / PROGRESS_FILE,
            {table: values for table, values in tables.items() if values},
            header="Progress of this workspace, written by 'observatory training check' "
            "and 'observatory training quiz'.",
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


def now() -> datetime:
    """The local time of an attempt (replaced in tests)."""
    return datetime.now().astimezone()


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
    name: str | None = None,
    course: Course | None = None,
    sample_folder: Path | None = None,
) -> Workspace:
    """Copy the course's pages, starter files and the sample project into ``directory``.

    Parameters
    ----------
    directory : path
        A new or empty folder (existing files are never replaced).
    language : {'en', 'fr', 'ar'}
        The language of messages in this workspace. A module without a learner page in that
        language gets one made of a one-line note and the English page.
    name : str, optional
        The trainee's name, shown by ``observatory training report`` (default: the folder's).
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
    settings = {"language": language}
    if name is not None and name.strip():
        settings["name"] = name.strip()
    write_simple_toml(
        root / SETTINGS_FILE,
        {"workshop": settings},
        header="Observatory training workspace. Language of messages: en, fr or ar; "
        "name: the trainee's, for the trainer's report.",
    )
    _fill_missing_pages(course, root, language)
    return Workspace(root, course)


#: The line above an English page standing in for a page not translated yet.
UNTRANSLATED_PAGE = {
    "ar": "> هذه الصفحة غير مترجمة إلى العربية بعد: النص أدناه هو الصفحة الإنجليزية.\n\n",
    "fr": "> Cette page n'est pas encore traduite en français : voici la page anglaise.\n\n",
}


def _fill_missing_pages(course: Course, root: Path, language: str) -> None:
    """Write the English page, under a one-line note, where a module has none in ``language``."""
    if language == "en":
        return
    for module in course.modules.values():
        page = root / module.page(language)
        english = course.root / module.page("en")
        if not page.exists() and english.is_file():
            text = UNTRANSLATED_PAGE[language] + read_text_file(english)
            write_text_file(page, text, overwrite=False)
