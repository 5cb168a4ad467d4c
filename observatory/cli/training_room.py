"""``observatory training quiz`` (a trainee, in a workspace) and ``observatory training
report`` (the trainer, on the room's folder of workspaces).

Their messages go through the gettext catalogs (:func:`observatory.report.i18n.translator`);
the quiz's questions are the course's, in the workspace's language.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from observatory.cli.options import (
    lang_option,
    output_option,
    overwrite_option,
    workspace_lang_option,
    workspace_option,
)
from observatory.errors import OutputExistsError
from observatory.io.workshop import check_report_path, write_report_table
from observatory.report.i18n import Translator, translator
from observatory.report.training import room_frame, room_text
from observatory.workshop import find_workspace
from observatory.workshop.quiz import Question, Quiz, load_quiz
from observatory.workshop.room import Room, gather_room
from observatory.workshop.workspace import QUIZ_KINDS


def _ask(question: Question, t: Translator) -> str:
    """Prompt until the answer is one of the question's letters; return that letter."""
    letters = ", ".join(question.letters)
    while True:
        typed = click.prompt(
            t.gettext("Your answer ({letters})").format(letters=letters),
            default="",
            show_default=False,
        )
        letter = question.letter(typed)
        if letter is not None:
            return letter
        click.echo(t.gettext("Answer with one letter: {letters}.").format(letters=letters))


def _corrections(quiz: Quiz, answers: dict[str, str], language: str, t: Translator) -> None:
    for question in quiz.wrong(answers):
        number = quiz.questions.index(question) + 1
        click.echo(
            t.gettext("{number}. {concept}: the answer is {answer}. {why}").format(
                number=number,
                concept=question.concept.get(language, question.concept["en"]),
                answer=question.answer,
                why=question.why.get(language, question.why["en"]),
            )
        )


@click.command()
@click.argument("kind", type=click.Choice(QUIZ_KINDS))
@click.option("--again", is_flag=True, help="Take the quiz again, replacing your answers.")
@workspace_lang_option
@workspace_option
def quiz(kind: str, again: bool, lang: str | None, workspace_path: Path) -> None:
    """The course's quiz: 'pre' on the first morning, 'post' on the last afternoon.

    Your answers are recorded in the workspace, for the trainer's report; after the post
    quiz, the questions you missed are explained.
    """
    workspace = find_workspace(workspace_path)
    language = lang or workspace.language
    t = translator(language)
    questions = load_quiz(workspace.course.root)
    total = len(questions.questions)
    earlier = workspace.quiz_answers(kind)
    if earlier and not again:
        raise OutputExistsError(
            f"you have already taken the {kind} quiz (score {questions.score(earlier)}/{total}); "
            f"take it again with 'observatory training quiz {kind} --again'."
        )
    click.echo(t.gettext("Quiz: {total} questions, one answer each.").format(total=total))
    answers = {}
    for number, question in enumerate(questions.questions, start=1):
        text = question.text.get(language, question.text["en"])
        choices = question.choices.get(language, question.choices["en"])
        click.echo(f"\n{number}/{total}. {text}")
        for letter, choice in zip(question.letters, choices, strict=True):
            click.echo(f"  {letter}. {choice}")
        answers[question.id] = _ask(question, t)
    workspace.record_quiz(kind, answers)
    score = questions.score(answers)
    click.echo("")
    click.echo(t.gettext("Your score: {score}/{total}.").format(score=score, total=total))
    if kind == QUIZ_KINDS[0]:
        click.echo(t.gettext("Your answers are recorded. The same quiz comes back at the end."))
        return
    before = workspace.quiz_answers(QUIZ_KINDS[0])
    if before:
        click.echo(
            t.gettext("Before the course: {score}/{total}.").format(
                score=questions.score(before), total=total
            )
        )
    _corrections(questions, answers, language, t)


def _room_language(room: Room) -> str:
    """The language most of the room's workspaces use (English for an empty room)."""
    languages = Counter(trainee.language for trainee in room.trainees)
    return languages.most_common(1)[0][0] if languages else "en"


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@output_option("Also write the report to FILE: .xlsx or .csv.", file=True, required=False)
@overwrite_option
@lang_option("Language of the report (default: the one most workspaces use).", default=None)
def report(folder: Path, output: Path | None, overwrite: bool, lang: str | None) -> None:
    """The progress of every workspace in FOLDER (the trainer's room), one row per trainee.

    FOLDER holds the trainees' workspaces (made by 'training start') as subfolders, one or
    two levels down. A workspace that cannot be read is named in a warning and left out.
    """
    if output is not None:
        check_report_path(output, overwrite=overwrite)
    room = gather_room(folder)
    t = translator(lang or _room_language(room))
    for path, reason in room.skipped:
        message = t.gettext("Warning: {workspace} is left out of the report: {reason}")
        click.echo(message.format(workspace=path, reason=reason), err=True)
    if output is not None:
        frame = room_frame(room, t)
        write_report_table(output, frame, sheet=t.gettext("trainees"), overwrite=overwrite)
    click.echo(room_text(room, t))
    if output is not None:
        click.echo(t.gettext("Report written to {path}.").format(path=output))
