"""Options and helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path

import click

project_argument = click.argument(
    "project", required=False, default=".", type=click.Path(path_type=Path)
)
overwrite_option = click.option(
    "--overwrite", is_flag=True, help="Replace outputs that already exist."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "fr"]),
    default="en",
    show_default=True,
    help="Language of titles and texts.",
)


def progress_printer(ctx: click.Context):
    """A function printing one progress line on stderr (silent with -q)."""
    quiet = ctx.find_root().params.get("quiet", False)

    def report(message: str) -> None:
        if not quiet:
            click.echo(f"… {message}", err=True)

    return report
