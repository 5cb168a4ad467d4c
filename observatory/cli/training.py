"""``observatory training``: the self-checking workshop (list, start, check, hint, solution,
reset, and for the course's room, quiz and report), in English, French or Arabic."""

from __future__ import annotations

import os
from pathlib import Path

import click

from observatory.cli.options import lang_option, workspace_lang_option, workspace_option
from observatory.cli.training_room import quiz, report
from observatory.report.training import STATUS_MARKS as MARKS
from observatory.workshop import Exercise, Verdict, Workspace, find_workspace, start_workspace
from observatory.workshop.workspace import PASSED, locale_language

TEXTS = {
    "en": {
        "progress": "Observatory training: {passed}/{total} exercises passed",
        "next": "Next: observatory training check {name}",
        "all_done": "Every exercise has passed. Well done!",
        "started": "Your workspace is ready in {root}.\nGo there and begin:\n  cd {root}\n"
        "  observatory training list\nThe sample project is in {data}; "
        "read {page} first.",
        "exercise": "Exercise {name}: {title}",
        "files": "Your file(s): {files}",
        "passed": "Passed! See a model answer with: observatory training solution {name}",
        "failed": "Not passed yet. Fix what is marked ✗ and check again. "
        "Stuck? observatory training hint {name}",
        "hint": "Hint for {name}:",
        "not_passed_yet": "You have not passed '{name}' yet. Trying first teaches more. "
        "Show the solution anyway?",
        "solution_of": "--- solution of {file} ---",
        "commands": "--- commands of the model answer, run from the workspace ---",
        "applied": "The solution now replaces your file {file}.",
        "reset_confirm": "Put back the starter file(s) of '{name}'? Your changes will be lost.",
        "reset_done": "Starter file restored: {file}",
        "cancelled": "Nothing changed.",
        "language_from_locale": "Language of the course: English ({setting}); choose "
        "another with --lang (en, fr, ar).",
        "language_default": "Language of the course: English (no language setting found); "
        "choose another with --lang (en, fr, ar).",
        "hint_in_english": "",
    },
    "fr": {
        "progress": "Formation Observatory : {passed}/{total} exercices réussis",
        "next": "Suivant : observatory training check {name}",
        "all_done": "Tous les exercices sont réussis. Bravo !",
        "started": "Votre espace de travail est prêt dans {root}.\nAllez-y et commencez :\n"
        "  cd {root}\n  observatory training list\nLe projet d'exemple est dans {data} ; "
        "lisez d'abord {page}.",
        "exercise": "Exercice {name} : {title}",
        "files": "Vos fichiers : {files}",
        "passed": "Réussi ! Une réponse modèle : observatory training solution {name}",
        "failed": "Pas encore réussi. Corrigez ce qui est marqué ✗ et vérifiez à nouveau. "
        "Bloqué ? observatory training hint {name}",
        "hint": "Indice pour {name} :",
        "not_passed_yet": "Vous n'avez pas encore réussi « {name} ». Chercher d'abord vous "
        "apprendra davantage. Afficher quand même la solution ?",
        "solution_of": "--- solution de {file} ---",
        "commands": "--- commandes de la réponse modèle, lancées depuis l'espace de travail ---",
        "applied": "La solution remplace maintenant votre fichier {file}.",
        "reset_confirm": "Remettre le(s) fichier(s) de départ de « {name} » ? Vos modifications "
        "seront perdues.",
        "reset_done": "Fichier de départ remis : {file}",
        "cancelled": "Rien n'a changé.",
        "language_from_locale": "Langue du cours : français ({setting}) ; pour une autre, "
        "--lang (en, fr, ar).",
        "hint_in_english": "",
    },
    "ar": {
        "progress": "تكوين Observatory: {passed}/{total} تمارين ناجحة",
        "next": "التالي: observatory training check {name}",
        "all_done": "نجحت في كل التمارين. أحسنت!",
        "started": "فضاء عملك جاهز في {root}.\nانتقل إليه وابدأ:\n  cd {root}\n"
        "  observatory training list\nمشروع العينة موجود في {data}؛ اقرأ أولاً {page}.",
        "exercise": "التمرين {name}: {title}",
        "files": "ملفاتك: {files}",
        "passed": "نجحت! لرؤية جواب نموذجي: observatory training solution {name}",
        "failed": "لم تنجح بعد. صحح ما عليه علامة ✗ ثم أعد التحقق. "
        "هل أنت عالق؟ observatory training hint {name}",
        "hint": "تلميح للتمرين {name}:",
        "not_passed_yet": "لم تنجح بعد في '{name}'. المحاولة أولاً تعلّم أكثر. "
        "هل تريد رؤية الحل رغم ذلك؟",
        "solution_of": "--- حل {file} ---",
        "applied": "الحل يعوّض الآن ملفك {file}.",
        "reset_confirm": "إرجاع ملفات البداية للتمرين '{name}'؟ ستضيع تعديلاتك.",
        "reset_done": "أُرجع ملف البداية: {file}",
        "cancelled": "لم يتغير شيء.",
        "language_from_locale": "لغة التكوين: العربية ({setting})؛ لاختيار لغة أخرى "
        "--lang (en, fr, ar).",
        "hint_in_english": "(هذا التلميح غير مترجم إلى العربية بعد، وهذه صيغته الإنجليزية.)",
        "verdict_in_english": "(بعض رسائل هذا التحقق غير مترجمة إلى العربية بعد: تظهر "
        "بالإنجليزية.)",
    },
}

yes_option = click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")


def _say(language: str, key: str, **values) -> str:
    return TEXTS[language][key].format(**values)


def _open(workspace_path: Path, lang: str | None) -> tuple[Workspace, str]:
    """The workspace and the language of messages: --lang of the command, else the global
    ``observatory --lang``, else the workspace's."""
    workspace = find_workspace(workspace_path)
    context = click.get_current_context(silent=True)
    chosen = lang or (context.find_root().params.get("lang") if context else None)
    return workspace, chosen or workspace.language


@click.group()
def training() -> None:
    """The workshop: exercises on the sample data that check themselves.

    \b
    Examples:
      observatory training start my-course --lang fr --name "Amina B."
      cd my-course
      observatory training quiz pre
      observatory training list
      observatory training check
      observatory training hint fix_project_file
      observatory training report room -o room.xlsx   (the trainer)
    """


training.add_command(quiz)
training.add_command(report)


@training.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@lang_option(
    "Language of the pages and messages in this workspace (default: the system's language "
    "when the course has it, from LC_ALL, LC_MESSAGES or LANG; else English).",
    default=None,
    course=True,
)
@click.option(
    "--name",
    help="Your name, as the trainer's report shows it (default: the folder's name).",
)
def start(directory: Path, lang: str | None, name: str | None) -> None:
    """Copy the exercises and the sample data into DIRECTORY, ready to work offline."""
    context = click.get_current_context(silent=True)
    lang = lang or (context.find_root().params.get("lang") if context else None)
    chosen_for_you = lang is None
    if chosen_for_you:
        lang, setting = locale_language(os.environ)
    workspace = start_workspace(directory, language=lang, name=name)
    first = workspace.course.exercises[0]
    page = Path(workspace.course.modules[first.module].page(lang))
    click.echo(_say(lang, "started", root=directory, data=Path(directory) / "data", page=page))
    if chosen_for_you:
        key = "language_from_locale" if setting else "language_default"
        click.echo(_say(lang, key, setting=setting))


@training.command(name="list")
@workspace_lang_option
@workspace_option
def list_exercises(lang: str | None, workspace_path: Path) -> None:
    """Every exercise with its progress: ✓ passed, ✗ failed, · not checked yet."""
    workspace, language = _open(workspace_path, lang)
    progress = workspace.progress()
    course = workspace.course
    passed = sum(progress.get(e.name) == PASSED for e in course.exercises)
    click.echo(_say(language, "progress", passed=passed, total=len(course.exercises)))
    width = max(len(e.name) for e in course.exercises)
    current_module = None
    for exercise in course.exercises:
        if exercise.module != current_module:
            current_module = exercise.module
            module = course.modules[current_module]
            click.echo(f"\n  {module.id}: {module.text(language)}")
        mark = MARKS[progress.get(exercise.name)]
        click.echo(f"    {mark} {exercise.name:<{width}}  {exercise.text('title', language)}")
    upcoming = workspace.next_exercise()
    click.echo("")
    if upcoming is None:
        click.echo(_say(language, "all_done"))
    else:
        click.echo(_say(language, "next", name=upcoming.name))


def _echo_verdict(verdict: Verdict, language: str) -> None:
    exercise = verdict.exercise
    title = exercise.text("title", language)
    click.echo(_say(language, "exercise", name=exercise.name, title=title))
    for item in verdict.items:
        click.echo(f"  {'✓' if item.passed else '✗'} {item.message(language)}")
    if language == "ar" and any(not item.message_ar for item in verdict.items):
        click.echo(_say(language, "verdict_in_english"))
    click.echo(_say(language, "passed" if verdict.passed else "failed", name=exercise.name))


@training.command()
@click.argument("name", required=False)
@workspace_lang_option
@workspace_option
@click.pass_context
def check(ctx: click.Context, name: str | None, lang: str | None, workspace_path: Path) -> None:
    """Check your work on exercise NAME (default: the first one not passed yet).

    Exit code 0 when it passes, 1 when it does not yet.
    """
    workspace, language = _open(workspace_path, lang)
    exercise = workspace.course.exercise(name) if name else workspace.next_exercise()
    if exercise is None:
        click.echo(_say(language, "all_done"))
        return
    click.echo(_say(language, "files", files=", ".join(exercise.files)))
    verdict = workspace.check(exercise)
    _echo_verdict(verdict, language)
    if not verdict.passed:
        ctx.exit(1)


@training.command()
@click.argument("name")
@workspace_lang_option
@workspace_option
def hint(name: str, lang: str | None, workspace_path: Path) -> None:
    """Show the hint of exercise NAME."""
    workspace, language = _open(workspace_path, lang)
    exercise = workspace.course.exercise(name)
    click.echo(_say(language, "hint", name=name))
    if not exercise.has_text("hint", language):
        click.echo(_say(language, "hint_in_english"))
    click.echo(exercise.text("hint", language))


def _confirmed(exercise: Exercise, workspace: Workspace, language: str, yes: bool) -> bool:
    if yes or workspace.progress().get(exercise.name) == PASSED:
        return True
    return click.confirm(_say(language, "not_passed_yet", name=exercise.name), default=False)


@training.command()
@click.argument("name")
@click.option("--apply", is_flag=True, help="Copy the solution over your file(s).")
@yes_option
@workspace_lang_option
@workspace_option
def solution(name: str, apply: bool, yes: bool, lang: str | None, workspace_path: Path) -> None:
    """Show the model solution of exercise NAME (asks first if you have not passed it)."""
    workspace, language = _open(workspace_path, lang)
    exercise = workspace.course.exercise(name)
    if not _confirmed(exercise, workspace, language, yes):
        click.echo(_say(language, "cancelled"))
        return
    if apply:
        for path in workspace.apply_solution(exercise):
            click.echo(_say(language, "applied", file=path))
        return
    if exercise.commands:
        click.echo(_say(language, "commands"))
        click.echo("\n".join(exercise.commands))
    for file, text in workspace.solution(exercise).items():
        click.echo(_say(language, "solution_of", file=file))
        click.echo(text)


@training.command()
@click.argument("name")
@yes_option
@workspace_lang_option
@workspace_option
def reset(name: str, yes: bool, lang: str | None, workspace_path: Path) -> None:
    """Put back the starter file(s) of exercise NAME (your changes are lost)."""
    workspace, language = _open(workspace_path, lang)
    exercise = workspace.course.exercise(name)
    if not yes and not click.confirm(_say(language, "reset_confirm", name=name), default=False):
        click.echo(_say(language, "cancelled"))
        return
    for path in workspace.reset(exercise):
        click.echo(_say(language, "reset_done", file=path))
