"""The course manifest ``training/exercises.toml``: modules and exercises, in order.

Format (version 1)::

    format = 1

    [modules.01_getting_started]
    title = { en = "Getting started", fr = "Premiers pas", ar = "..." }   # ar optional

    [[exercises]]
    name = "fix_project_file"                       # unique, used on the command line
    module = "01_getting_started"                   # a key of [modules]
    title = { en = "...", fr = "..." }
    files = ["01_getting_started/observatory.toml"] # what the trainee edits
    inputs = []                                     # read-only files the exercise provides
    check = "01_getting_started/checks.py:check_project_file"
    hint = { en = "...", fr = "...", ar = "..." }     # ar optional: English when missing
    time_limit = 60                                 # seconds (optional, default 60)
    commands = ["observatory compute data -o results"]  # of the model answer (optional)

Paths are relative to the course folder, and the same paths are used in the trainee's
workspace. The solution of ``<module>/<file>`` is ``<module>/solutions/<file>``.
``time_limit`` bounds the time the check may take, the trainee's code included, the course's
reference values excluded (see :mod:`observatory.workshop.runner`).
``commands`` are the ``observatory`` command lines of the model answer, run in the workspace
folder before its files are copied (an exercise checked on the outputs the trainee made).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from observatory.errors import ProjectFileError
from observatory.io.tables import read_toml

MANIFEST = "exercises.toml"
FORMAT_VERSION = 1
#: Languages of the course; every text must be given in the first two, Arabic falls back to
#: English where it is not given yet (the pages and the hints say so).
LANGUAGES = ("en", "fr", "ar")
REQUIRED_LANGUAGES = ("en", "fr")
SOLUTIONS = "solutions"
#: The quiz taken before and after the course (see :mod:`observatory.workshop.quiz`).
QUIZ_FILE = "quiz.toml"
#: The trainer's pack: schedule, notes, slides, answer key; never copied to a workspace.
TRAINER_FOLDER = "trainer"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")
#: Seconds a check may run when its exercise sets no ``time_limit``.
DEFAULT_TIME_LIMIT = 60.0
#: The program every command of a model answer runs.
COMMAND = "observatory"


@dataclass(frozen=True)
class Module:
    """A module of the course: its folder name and title in every language."""

    id: str
    title: dict[str, str]

    def text(self, language: str) -> str:
        """The title in ``language``, else in English."""
        return self.title.get(language) or self.title["en"]

    def page(self, language: str) -> str:
        """Path of the learner page in ``language``, relative to the course folder."""
        return f"{self.id}/README.{language}.md"


@dataclass(frozen=True)
class Exercise:
    """One exercise of the manifest.

    Attributes
    ----------
    name : str
        Unique name, as typed in ``observatory training check NAME``.
    module : str
        Id of the module (its folder).
    title, hint : dict
        Texts by language (``en``, ``fr``, and ``ar`` where given).
    files : tuple of str
        Files the trainee edits, relative to the course folder (and the workspace).
    inputs : tuple of str
        Read-only files the exercise provides.
    check : str
        ``<path of a Python file>:<function name>``.
    time_limit : float
        Seconds the check may run before it is stopped (default 60).
    commands : tuple of str
        The ``observatory`` command lines of the model answer, run from the workspace.
    """

    name: str
    module: str
    title: dict[str, str]
    files: tuple[str, ...]
    inputs: tuple[str, ...]
    check: str
    hint: dict[str, str]
    time_limit: float = DEFAULT_TIME_LIMIT
    commands: tuple[str, ...] = ()

    @property
    def check_file(self) -> str:
        return self.check.partition(":")[0]

    @property
    def check_function(self) -> str:
        return self.check.partition(":")[2]

    def solution_of(self, file: str) -> str:
        """The solution that mirrors the starter ``file``: ``<module>/solutions/<rest>``."""
        module, _, rest = file.partition("/")
        return f"{module}/{SOLUTIONS}/{rest}"

    def text(self, key: str, language: str) -> str:
        """The text ``key`` (``title``, ``hint``) in ``language``, else in English."""
        texts = getattr(self, key)
        return texts.get(language) or texts["en"]

    def has_text(self, key: str, language: str) -> bool:
        """True when the text ``key`` is given in ``language`` (not an English fallback)."""
        return language in getattr(self, key)


@dataclass(frozen=True)
class Course:
    """The course folder and its manifest."""

    root: Path
    modules: dict[str, Module]
    exercises: tuple[Exercise, ...]

    def exercise(self, name: str) -> Exercise:
        """The exercise ``name``; ProjectFileError listing the names otherwise."""
        for exercise in self.exercises:
            if exercise.name == name:
                return exercise
        known = ", ".join(exercise.name for exercise in self.exercises)
        raise ProjectFileError(
            f"there is no exercise '{name}'; run 'observatory training list' to see them ({known})."
        )


def language_texts(entry: dict, key: str, where: str) -> dict[str, str]:
    """``entry[key]``, a text for each of :data:`LANGUAGES`; ProjectFileError naming ``where``."""
    texts = entry.get(key)
    if not isinstance(texts, dict) or any(
        not isinstance(texts.get(lang), str) or not texts[lang].strip()
        for lang in REQUIRED_LANGUAGES
    ):
        raise ProjectFileError(
            f"{where}: '{key}' needs a text for each of {', '.join(REQUIRED_LANGUAGES)}."
        )
    return {
        lang: texts[lang].strip()
        for lang in LANGUAGES
        if isinstance(texts.get(lang), str) and texts[lang].strip()
    }


def _paths(entry: dict, key: str, where: str, *, required: bool) -> tuple[str, ...]:
    paths = entry.get(key, [] if not required else None)
    if not isinstance(paths, list) or (required and not paths):
        raise ProjectFileError(f"{where}: '{key}' must be a list of paths in the course folder.")
    return tuple(str(path) for path in paths)


def _time_limit(entry: dict, where: str) -> float:
    seconds = entry.get("time_limit", DEFAULT_TIME_LIMIT)
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, (int, float))
        or not 0 < seconds < float("inf")
    ):
        raise ProjectFileError(
            f"{where}: 'time_limit' must be a number of seconds above 0, not {seconds!r}."
        )
    return float(seconds)


def _commands(entry: dict, where: str) -> tuple[str, ...]:
    commands = entry.get("commands", [])
    if not isinstance(commands, list) or any(
        not isinstance(command, str) or command.split()[:1] != [COMMAND] for command in commands
    ):
        raise ProjectFileError(
            f"{where}: 'commands' must be a list of command lines that start with '{COMMAND}'."
        )
    return tuple(commands)


def parse_course(document: dict, root: Path) -> Course:
    """Check the manifest ``document`` of the course folder ``root`` and build the Course."""
    source = root / MANIFEST
    if document.get("format") != FORMAT_VERSION:
        raise ProjectFileError(
            f"{source}: format = {document.get('format')!r} is not supported; this version of "
            f"observatory reads format = {FORMAT_VERSION}. Update observatory."
        )
    modules = {
        module_id: Module(
            module_id, language_texts(entry, "title", f"{source} [modules.{module_id}]")
        )
        for module_id, entry in document.get("modules", {}).items()
    }
    exercises = []
    for position, entry in enumerate(document.get("exercises", []), start=1):
        where = f"{source} exercise {position} ({entry.get('name', 'no name')})"
        name = entry.get("name", "")
        if not NAME_PATTERN.match(name) or name in {e.name for e in exercises}:
            raise ProjectFileError(f"{where}: 'name' must be unique, lower case, a-z 0-9 _.")
        if entry.get("module") not in modules:
            raise ProjectFileError(f"{where}: 'module' must be one of {', '.join(modules)}.")
        check = entry.get("check", "")
        if not re.match(r"^[^:]+\.py:[A-Za-z_]\w*$", check):
            raise ProjectFileError(f"{where}: 'check' must read 'path/to/file.py:function'.")
        exercises.append(
            Exercise(
                name=name,
                module=entry["module"],
                title=language_texts(entry, "title", where),
                files=_paths(entry, "files", where, required=True),
                inputs=_paths(entry, "inputs", where, required=False),
                check=check,
                hint=language_texts(entry, "hint", where),
                time_limit=_time_limit(entry, where),
                commands=_commands(entry, where),
            )
        )
    if not exercises:
        raise ProjectFileError(f"{source}: the course has no [[exercises]].")
    return Course(root=root, modules=modules, exercises=tuple(exercises))


def load_course(root: Path) -> Course:
    """Read ``root/exercises.toml``."""
    return parse_course(read_toml(Path(root) / MANIFEST), Path(root))
