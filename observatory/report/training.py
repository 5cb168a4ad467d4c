"""What the trainer reads: the room's progress as a table, the quiz as a printable page.

``room_frame`` is the table written to CSV or XLSX (one row per trainee, three columns per
exercise); ``room_text`` is the same room printed on the console, one line per trainee with
one mark per exercise; ``quiz_markdown`` renders the quiz of the course with its answer key
(the pages ``training/trainer/quiz.<lang>.md`` are this rendering).
"""

from __future__ import annotations

import pandas as pd

from observatory.report.i18n import Translator
from observatory.workshop.quiz import Quiz
from observatory.workshop.room import Room, TraineeProgress
from observatory.workshop.workspace import FAILED, PASSED, QUIZ_KINDS

#: The mark of each status, as ``observatory training list`` shows it.
STATUS_MARKS = {PASSED: "✓", FAILED: "✗", None: "·"}
NO_SCORE = "–"


def _score(trainee: TraineeProgress, kind: str, room: Room) -> str:
    score = trainee.quiz[kind]
    return NO_SCORE if score is None or room.quiz is None else f"{score}/{len(room.quiz.questions)}"


def _minute(timestamp: str | None) -> str:
    """``2026-05-12T10:31:05+01:00`` as ``2026-05-12 10:31`` (the time where it was taken)."""
    return "" if timestamp is None else timestamp[:16].replace("T", " ")


def _summary_columns(t: Translator) -> list[str]:
    return [
        t.gettext("Trainee"),
        t.gettext("Passed"),
        t.gettext("Current module"),
        t.gettext("Quiz before"),
        t.gettext("Quiz after"),
    ]


def _summary(trainee: TraineeProgress, room: Room, t: Translator) -> list[str]:
    return [
        trainee.trainee,
        f"{trainee.passed}/{len(room.course.exercises)}",
        trainee.current_module or t.gettext("all passed"),
        _score(trainee, QUIZ_KINDS[0], room),
        _score(trainee, QUIZ_KINDS[1], room),
    ]


def room_frame(room: Room, t: Translator) -> pd.DataFrame:
    """One row per trainee: the summary, then for each exercise its mark (✓ passed, ✗ not
    passed yet, · not tried), its attempts and the time of the last one."""
    columns = _summary_columns(t)
    attempts = []
    for name in (exercise.name for exercise in room.course.exercises):
        attempts.append(t.gettext("{exercise}: attempts").format(exercise=name))
        columns += [name, attempts[-1], t.gettext("{exercise}: last attempt").format(exercise=name)]
    rows = []
    for trainee in room.trainees:
        row = _summary(trainee, room, t)
        for record in trainee.exercises.values():
            row += [STATUS_MARKS[record.status], record.attempts, _minute(record.last_attempt)]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    frame[attempts] = frame[attempts].astype("Int64")
    return frame


def _marks(trainee: TraineeProgress, room: Room) -> str:
    """One mark per exercise, a group per module: ``✓✓ ✓✗ ··``."""
    groups: dict[str, str] = {}
    for exercise in room.course.exercises:
        mark = STATUS_MARKS[trainee.exercises[exercise.name].status]
        groups[exercise.module] = groups.get(exercise.module, "") + mark
    return " ".join(groups.values())


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def room_text(room: Room, t: Translator) -> str:
    """The room on the console: a line per trainee, the legend, and who is stuck where."""
    rows = [[*_summary_columns(t), t.gettext("Exercises")]]
    rows += [[*_summary(trainee, room, t), _marks(trainee, room)] for trainee in room.trainees]
    modules = list(room.course.modules)
    lines = [
        t.gettext("Training room {folder}: {count} workspace(s), {total} exercises").format(
            folder=room.folder, count=len(room.trainees), total=len(room.course.exercises)
        ),
        "",
        *_aligned(rows),
        "",
        t.gettext(
            "✓ passed, ✗ not passed yet, · not tried; one group of marks per module "
            "({first} to {last})."
        ).format(first=modules[0], last=modules[-1]),
    ]
    for exercise in room.course.exercises:
        stuck = [
            f"{trainee.trainee} ({trainee.exercises[exercise.name].attempts or '?'})"
            for trainee in room.trainees
            if trainee.exercises[exercise.name].status == FAILED
        ]
        if stuck:
            lines.append(
                t.gettext("Not passed yet, tried (attempts): {exercise}: {trainees}").format(
                    exercise=exercise.name, trainees=", ".join(stuck)
                )
            )
    return "\n".join(lines)


def quiz_markdown(quiz: Quiz, t: Translator) -> str:
    """The quiz as a page to print, questions first, then the answer key with the reasons."""
    language = t.language
    title, key = t.gettext("Observatory course: quiz before and after"), t.gettext("Answer key")
    lines = [
        f"# {title}",
        "",
        t.gettext(
            "The same questions are asked on the first morning and on the last afternoon: in "
            "a workspace, 'observatory training quiz pre' and 'observatory training quiz "
            "post'; 'observatory training report' shows both scores. One answer per question."
        ),
    ]
    for number, question in enumerate(quiz.questions, start=1):
        lines += ["", f"## {number}. {question.concept[language]}", "", question.text[language]]
        lines += [""] + [
            f"- **{letter}.** {choice}"
            for letter, choice in zip(question.letters, question.choices[language], strict=True)
        ]
    lines += ["", f"## {key}", ""]
    lines += [
        f"{number}. **{question.answer}**: {question.why[language]}"
        for number, question in enumerate(quiz.questions, start=1)
    ]
    return "\n".join(lines) + "\n"
