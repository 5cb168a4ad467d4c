"""Options and helpers shared by the commands, each declared once.

A command takes an option from here rather than declaring its own, so the same option has
the same flags, type and wording everywhere; what differs from one command to another (the
help text, a default) is a parameter of the factory.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from observatory.cli.language import error_translator
from observatory.distributed import open_executor
from observatory.report.progress import ProgressLine

#: Languages of published texts (outputs, maps, atlas, metadata sheets): those with a
#: message catalog (tests/test_cli_main.py checks it against observatory.report.i18n).
LANGUAGES = ("ar", "en", "fr")
#: Languages of the training course and its messages (Arabic falls back to English where a
#: page, hint or message is not translated yet).
COURSE_LANGUAGES = ("en", "fr", "ar")

project_argument = click.argument(
    "project", required=False, default=".", type=click.Path(path_type=Path)
)
overwrite_option = click.option(
    "--overwrite", is_flag=True, help="Replace outputs that already exist."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def output_option(
    help_text: str, *, default: str | None = None, file: bool = False, required: bool | None = None
):
    """``-o/--output``: where a command writes, as a :class:`~pathlib.Path`.

    Parameters
    ----------
    help_text : str
        What the command writes there.
    default : str, optional
        The path used without the option (shown in ``--help``); without one the option is
        required.
    file : bool
        The output is one file (a folder given is refused), not a folder of outputs.
    required : bool, optional
        Whether the option must be given; by default, when it has no default. An optional
        output without a default lets the command choose the place.
    """
    return click.option(
        "-o",
        "--output",
        required=default is None if required is None else required,
        default=default,
        show_default=default is not None,
        type=click.Path(dir_okay=not file, path_type=Path),
        help=help_text,
    )


def lang_option(
    help_text: str = "Language of titles and texts.",
    *,
    default: str | None = "en",
    course: bool = False,
):
    """``--lang``: one of :data:`LANGUAGES` (of :data:`COURSE_LANGUAGES` for the course).

    Parameters
    ----------
    help_text : str
        What the language is for.
    default : str or None
        The language without the option (shown in ``--help``); None lets the command decide
        (the help should then say how).
    course : bool
        The option chooses the language of the training course.
    """
    return click.option(
        "--lang",
        type=click.Choice(COURSE_LANGUAGES if course else LANGUAGES),
        default=default,
        show_default=default is not None,
        help=help_text,
    )


workspace_lang_option = lang_option(
    "Language of messages (default: the workspace's, chosen at 'training start').",
    default=None,
    course=True,
)
workspace_option = click.option(
    "--workspace",
    "workspace_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="The workspace folder (default: the current folder or one above it).",
)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is so that it stops as on Ctrl-C."""


#: Set when SIGTERM arrived: the exception the signal handler raises can be swallowed where
#: it lands (a finalizer, a callback of a C library), so the run also stops at its next step.
TERMINATION = threading.Event()


def stop_if_terminated() -> None:
    """Raise :class:`Terminated` if SIGTERM arrived and the run has not stopped yet."""
    if TERMINATION.is_set():
        raise Terminated


def progress_printer(ctx: click.Context):
    """A function printing one progress line on stderr (silent with -q).

    Each call is also where a run stops if SIGTERM arrived (:func:`stop_if_terminated`).
    """
    quiet = ctx.find_root().params.get("quiet", False)

    def report(message: str) -> None:
        stop_if_terminated()
        if not quiet:
            click.echo(f"… {error_translator(ctx).text(message)}", err=True)

    return report


def executor_options(command):
    """``--workers N`` and ``--scheduler ADDRESS``: where the work that splits runs."""
    command = click.option(
        "--scheduler",
        metavar="ADDRESS",
        help="Run the work that splits on the Dask cluster of this scheduler "
        "(tcp://HOST:8786). Needs the dask extra.",
    )(command)
    return click.option(
        "--workers",
        type=click.IntRange(min=1),
        metavar="N",
        help="Run the work that splits on N local Dask worker processes (1: in this "
        "process, as without the option). Needs the dask extra.",
    )(command)


def open_run_executor(
    ctx: click.Context, *, workers: int | None, scheduler: str | None, language: str = "en"
):
    """The executor of a command (:func:`observatory.distributed.open_executor`), telling
    its progress on stderr (:class:`~observatory.report.progress.ProgressLine`; silent with
    -q). Each progress call is also where a run stops if SIGTERM arrived."""
    quiet = ctx.find_root().params.get("quiet", False)
    line = None if quiet else ProgressLine(sys.stderr, language=language)

    def progress(label: str, done: int, total: int) -> None:
        stop_if_terminated()
        if line is not None:
            line(label, done, total)

    return open_executor(workers=workers, scheduler=scheduler, progress=progress)
