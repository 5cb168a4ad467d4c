"""A room of trainees: every workspace in a folder, with its progress, for the trainer.

The trainer gathers the trainees' workspaces in one folder (copied from their USB sticks or
a shared drive), each made by ``observatory training start``, as subfolders one or two
levels down (``room/amina``, ``room/group-a/karim``). :func:`gather_room` reads the progress
record of each one; a workspace that cannot be read (a corrupt record, a folder of another
tool) is skipped with its reason, and the others are still reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from observatory.errors import InputFileNotFoundError, ObservatoryError, ProjectFileError
from observatory.workshop.manifest import QUIZ_FILE, Course
from observatory.workshop.quiz import Quiz, load_quiz
from observatory.workshop.workspace import (
    ATTEMPTS,
    FAILED,
    LAST_ATTEMPT,
    PASSED,
    PROGRESS_FILE,
    QUIZ_KINDS,
    SETTINGS_FILE,
    STATUS,
    Workspace,
    bundled_course,
)

#: How deep below the room's folder workspaces are looked for.
SEARCH_DEPTH = 2


@dataclass(frozen=True)
class ExerciseProgress:
    """One trainee's record of one exercise.

    Attributes
    ----------
    status : {'passed', 'failed'} or None
        The last verdict; None when the exercise was never checked.
    attempts : int or None
        Checks run; None when the workspace predates the count (it had a status only).
    last_attempt : str or None
        Local time of the last check, ISO 8601 (``2026-05-12T10:31:05+01:00``).
    """

    status: str | None
    attempts: int | None
    last_attempt: str | None


@dataclass(frozen=True)
class TraineeProgress:
    """The progress of one workspace.

    Attributes
    ----------
    trainee : str
        The name given at ``training start --name``, else the workspace folder's name.
    folder : Path
        The workspace.
    exercises : dict of str to ExerciseProgress
        Every exercise of the course, in its order.
    current_module : str or None
        The module of the first exercise not passed yet; None when every one has passed.
    quiz : dict of str to int or None
        Score of each quiz (``pre``, ``post``); None when not taken.
    """

    trainee: str
    folder: Path
    language: str
    exercises: dict[str, ExerciseProgress]
    current_module: str | None
    quiz: dict[str, int | None]

    @property
    def passed(self) -> int:
        return sum(record.status == PASSED for record in self.exercises.values())


@dataclass(frozen=True)
class Room:
    """Every readable workspace of a folder, and those skipped with why."""

    folder: Path
    course: Course
    quiz: Quiz | None
    trainees: tuple[TraineeProgress, ...]
    skipped: tuple[tuple[Path, str], ...]


def find_workspaces(folder: Path) -> list[Path]:
    """The workspaces in ``folder``: itself, or its subfolders up to :data:`SEARCH_DEPTH`
    levels down (a workspace's own subfolders are not searched), in name order."""
    if (folder / SETTINGS_FILE).is_file():
        return [folder]
    found, level = [], [folder]
    for _ in range(SEARCH_DEPTH):
        below = []
        for parent in level:
            for child in sorted(p for p in parent.iterdir() if p.is_dir()):
                if child.name.startswith("."):
                    continue  # hidden, or a copy being written (.name.partial)
                (found if (child / SETTINGS_FILE).is_file() else below).append(child)
        level = below
    return sorted(found, key=lambda path: path.relative_to(folder).parts)


def gather_room(folder: Path | str, *, course: Course | None = None) -> Room:
    """Read the progress of every workspace in ``folder``, trainees in name order.

    Raises
    ------
    InputFileNotFoundError
        If ``folder`` does not exist or holds no workspace.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileNotFoundError(
            f"{folder} is not a folder; give the folder that holds the trainees' workspaces."
        )
    paths = find_workspaces(folder)
    if not paths:
        raise InputFileNotFoundError(
            f"{folder} holds no training workspace (no {SETTINGS_FILE} in it or in its "
            f"subfolders, {SEARCH_DEPTH} levels down); copy the trainees' workspaces, each "
            "made by 'observatory training start', into it as subfolders."
        )
    course = course or bundled_course()
    quiz = load_quiz(course.root) if (course.root / QUIZ_FILE).is_file() else None
    trainees, skipped = [], []
    for path in paths:
        try:
            trainees.append(read_trainee(Workspace(path, course), quiz))
        except ObservatoryError as error:
            skipped.append((path, str(error)))
    trainees.sort(key=lambda trainee: (trainee.trainee.casefold(), str(trainee.folder)))
    return Room(folder, course, quiz, tuple(trainees), tuple(skipped))


def read_trainee(workspace: Workspace, quiz: Quiz | None) -> TraineeProgress:
    """The progress of ``workspace``; ProjectFileError when its files are not a workspace's."""
    settings = workspace.settings()
    if not isinstance(settings, dict) or "language" not in settings:
        raise ProjectFileError(
            f"{workspace.root / SETTINGS_FILE} has no [workshop] language: it was not made by "
            "'observatory training start'."
        )
    tables = workspace.record_tables()
    _check_record(workspace, tables)
    exercises = {
        exercise.name: ExerciseProgress(
            tables[STATUS].get(exercise.name),
            tables[ATTEMPTS].get(exercise.name),
            tables[LAST_ATTEMPT].get(exercise.name),
        )
        for exercise in workspace.course.exercises
    }
    upcoming = workspace.next_exercise()
    scores = {
        kind: quiz.score(answers) if quiz and (answers := tables[f"quiz_{kind}"]) else None
        for kind in QUIZ_KINDS
    }
    return TraineeProgress(
        trainee=workspace.trainee,
        folder=workspace.root,
        language=workspace.language,
        exercises=exercises,
        current_module=upcoming.module if upcoming else None,
        quiz=scores,
    )


def _check_record(workspace: Workspace, tables: dict[str, dict]) -> None:
    """ProjectFileError naming the first value of the progress record that is not valid."""
    checks = {
        STATUS: lambda value: value in (PASSED, FAILED),
        ATTEMPTS: lambda value: type(value) is int and value > 0,
        LAST_ATTEMPT: lambda value: isinstance(value, str),
        **{f"quiz_{kind}": lambda value: isinstance(value, str) for kind in QUIZ_KINDS},
    }
    for table, valid in checks.items():
        for key, value in tables[table].items():
            if not valid(value):
                raise ProjectFileError(
                    f"{workspace.root / PROGRESS_FILE}: [{table}] {key} = {value!r} is not a "
                    "value 'observatory training' writes; the record was edited or damaged."
                )
