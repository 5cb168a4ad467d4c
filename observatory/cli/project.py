"""``observatory init`` and ``observatory validate``: start a project file, check a project."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click

from observatory.checks import validate_project
from observatory.io.files import write_text_atomically
from observatory.problems import Problem, has_errors
from observatory.project import PROJECT_FILE, load_project, template_text

_LABELS = {"error": "ERROR", "warning": "WARNING"}


@click.command(
    epilog="""
\b
Examples:
  observatory init my-region               write my-region/observatory.toml
  observatory init . --overwrite           replace the project file of this folder
"""
)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace an existing observatory.toml.")
def init(directory: Path, overwrite: bool) -> None:
    """Write a commented observatory.toml template into DIRECTORY.

    The template documents every key. Edit its paths and field names, then run
    'observatory validate DIRECTORY' to check every layer it names.
    """
    target = directory / PROJECT_FILE
    write_text_atomically(target, template_text(), overwrite=overwrite)
    click.echo(f"Wrote {target}. Edit it, then run: observatory validate {directory}")


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
    folder). Each problem has a severity, the layer, what is wrong and what to do. Exit code
    0 when there are only warnings (or nothing), 1 when there is any error.
    """
    loaded = load_project(project)
    problems = validate_project(loaded)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    if as_json:
        document = {
            "project": str(loaded.file),
            "errors": errors,
            "warnings": warnings,
            "problems": [problem.to_dict() for problem in problems],
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for problem in sorted(problems, key=lambda problem: problem.severity != "error"):
            click.echo(_line(problem))
        if not problems:
            click.echo("No problem found.")
        click.echo(f"{errors} error(s), {warnings} warning(s) in {loaded.file}")
    if has_errors(problems):
        ctx.exit(1)


def _line(problem: Problem) -> str:
    """The problem on one line, then its details (if any) indented, wrapped at 100."""
    line = f"{_LABELS[problem.severity]:<8}{problem.layer}: {problem.message} → {problem.fix}"
    if not problem.details:
        return line
    listed = textwrap.fill(
        ", ".join(problem.details), width=100, initial_indent=" " * 8, subsequent_indent=" " * 8
    )
    return f"{line}\n{' ' * 8}all {len(problem.details)}:\n{listed}"
