"""The language a command speaks in: its messages, the ``Error: ...`` line, its summaries.

The first of these decides:

1. the global option ``observatory --lang LANG COMMAND ...``;
2. inside a training workspace (a folder holding ``workshop.toml``, or one below it), the
   workspace's language, chosen at ``training start``;
3. the system's locale, as ``training start`` reads it: the first of ``LC_ALL``,
   ``LC_MESSAGES`` and ``LANG`` that is set (``fr_MA.UTF-8`` gives French; ``C.UTF-8`` or a
   language without catalog gives English);
4. when none of them is set (as on most Windows machines), the ``language`` of the project
   the command reads (``[project]``);
5. English.

The locale comes before the project: the project's ``language`` is the language its outputs
are published in, which need not be the reader's; a trainee's workspace says whom the
messages are for.

``--json`` output stays in English, the same on every machine. The languages of published
files (maps, atlas) are chosen by their own ``--lang`` and the project, not here.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from observatory.report.i18n import Translator, languages, translator
from observatory.workshop.workspace import locale_language, workspace_language

#: Where the command records the language it settled on, for the error handler.
LANGUAGE_KEY = "language"


def command_language(
    ctx: click.Context, *, project_language: str | None = None, place: Path | None = None
) -> str:
    """The language of the command's messages (see the module's docstring) and record it.

    Parameters
    ----------
    ctx : click.Context
        The command's context (the global ``--lang`` is on its root).
    project_language : str, optional
        The ``language`` of the project the command reads, once read.
    place : Path, optional
        The folder the command works on (a project's): a workspace holding it counts, as
        does one holding the current folder.
    """
    root = ctx.find_root()
    chosen = root.params.get("lang")
    if chosen is None:
        for folder in (place, Path.cwd()):
            if folder is not None and chosen is None:
                chosen = workspace_language(folder)
    if chosen is None:
        from_locale, setting = locale_language(os.environ, languages())
        if setting is not None:
            chosen = from_locale
        elif project_language in languages():
            chosen = project_language
        else:
            chosen = "en"
    root.ensure_object(dict)[LANGUAGE_KEY] = chosen
    return chosen


def command_translator(
    ctx: click.Context, *, project_language: str | None = None, place: Path | None = None
) -> Translator:
    """The :class:`Translator` of :func:`command_language`."""
    return translator(command_language(ctx, project_language=project_language, place=place))


def error_translator(ctx: click.Context) -> Translator:
    """The translator of an ``Error: ...`` line: the language the command settled on, else
    the one it would have (when it failed before reading its project)."""
    recorded = (ctx.find_root().obj or {}).get(LANGUAGE_KEY)
    return translator(recorded or command_language(ctx))
