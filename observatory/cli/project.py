"""``observatory init`` and ``observatory validate``: start a project file, check a project."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click

from observatory.checks import check_project
from observatory.cli.language import command_translator
from observatory.drafting import draft_project
from observatory.io.atomic import check_writable
from observatory.io.files import write_text_atomically
from observatory.io.inventory import read_inventory
from observatory.messages import Text, _, ngettext
from observatory.problems import Problem, has_errors
from observatory.project import PROJECT_FILE, load_project, template_text
from observatory.reasons import N_
from observatory.report.i18n import Translator

_LABELS = {"error": N_("ERROR"), "warning": N_("WARNING")}


@click.command(
    epilog="""
\b
Examples:
  observatory init my-region               write my-region/observatory.toml
  observatory init . --overwrite           replace the project file of this folder
  observatory init brussels --from data/boundaries --from data/population/*.csv
                                           draft it from a folder and tables
  observatory init rsk --from boundaries census rasters/*.tif
                                           paths may follow one --from
"""
)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.argument("more_sources", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")
@click.option(
    "--from",
    "sources",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Draft the project file from this file or folder (repeat it, or list more paths "
    "after it).",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing observatory.toml.")
def init(
    directory: Path, more_sources: tuple[Path, ...], sources: tuple[Path, ...], overwrite: bool
) -> None:
    """Write a commented observatory.toml into DIRECTORY.

    Without --from it is a template documenting every key: edit its paths and field names.
    With --from it is drafted from your files (vector layers, census tables, rasters; a
    folder is searched): every guess has a '# CHECK:' note above it to review. Then run
    'observatory validate DIRECTORY' to check every layer it names.
    """
    if more_sources and not sources:
        raise click.UsageError(
            "give the files to draft from after --from: observatory init DIR --from PATH..."
        )
    target = directory / PROJECT_FILE
    if not sources:
        write_text_atomically(target, template_text(), overwrite=overwrite)
        click.echo(f"Wrote {target}. Edit it, then run: observatory validate {directory}")
        return
    check_writable(target, overwrite=overwrite)
    paths = [*sources, *more_sources]
    draft = draft_project(read_inventory(paths), directory, sources=paths)
    write_text_atomically(target, draft.text, overwrite=overwrite)
    for line in draft.summary:
        click.echo(f"  {line}")
    click.echo(
        f"Wrote {target} with {draft.checks} CHECK mark(s) to review. Then run: "
        f"observatory validate {directory}"
    )


@click.command(
    epilog="""
\b
Examples:
  observatory validate                     check the project in this folder
  observatory validate my-region           check my-region/observatory.toml
  observatory validate rsk/observatory.toml --json > problems.json
"""
)
@click.argument("project", default=".", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.pass_context
def validate(ctx: click.Context, project: Path, as_json: bool) -> None:
    """Check a project: open every layer and list every problem.

    PROJECT is a folder holding observatory.toml, or the file itself (default: the current
    folder). Each problem has a severity, the layer, what is wrong and what to do; the last
    line counts the units of every level (and how their parents were found). Exit code 0
    when there are only warnings (or nothing), 1 when there is any error.
    """
    loaded = load_project(project)
    t = command_translator(ctx, project_language=loaded.language, place=project)
    checked = check_project(loaded)
    problems = checked.problems
    counts = checked.level_counts()
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    if as_json:
        document = {
            "project": str(loaded.file),
            "errors": errors,
            "warnings": warnings,
            "problems": [problem.to_dict() for problem in problems],
            "units": [count.to_dict() for count in counts],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for problem in sorted(problems, key=lambda problem: problem.severity != "error"):
            click.echo(_line(problem, t))
        if not problems:
            click.echo(t.gettext("No problem found."))
        click.echo(t.text(_summary(errors, warnings, loaded.file)))
        if counts:
            listed = "; ".join(t.text(count.text()) for count in counts)
            click.echo(t.text(_("Units: {counts}", counts=listed)))
    if has_errors(problems):
        ctx.exit(1)


#: Details printed under a problem; beyond, ``--json`` lists them all.
MAX_DETAILS = 60


def _summary(errors: int, warnings: int, file: Path) -> Text:
    """``0 error(s), 5 warning(s) in FILE``, with the plural forms of the language.

    English keeps ``error(s)`` (scripts and documents read that line); the catalogs give
    each language its forms (``1 erreur``, ``2 erreurs``).
    """
    return _(
        "{errors}, {warnings} in {file}",
        errors=ngettext("{count} error(s)", "{count} error(s)", errors, count=errors),
        warnings=ngettext("{count} warning(s)", "{count} warning(s)", warnings, count=warnings),
        file=file,
    )


def _line(problem: Problem, t: Translator) -> str:
    """The problem on one line, then its details (if any) indented, wrapped at 100."""
    label = t.gettext(_LABELS[problem.severity])
    label = label.ljust(max(8, len(label) + 1))  # ATTENTION is longer than WARNING
    line = f"{label}{problem.layer}: {t.text(problem.message)} → {t.text(problem.fix)}"
    details = problem.details
    if not details:
        return line
    shown = ", ".join(details[:MAX_DETAILS])
    if len(details) > MAX_DETAILS:
        more = len(details) - MAX_DETAILS
        shown += t.text(_(" and {more} more ('observatory validate --json' lists all)", more=more))
        heading = t.text(_("the first {shown} of {count}:", shown=MAX_DETAILS, count=len(details)))
    else:
        heading = t.text(_("all {count}:", count=len(details)))
    listed = textwrap.fill(shown, width=100, initial_indent=" " * 8, subsequent_indent=" " * 8)
    return f"{line}\n{' ' * 8}{heading}\n{listed}"
