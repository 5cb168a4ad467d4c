"""The ``observatory`` command group: options, error handling, built-in and plugin commands.

This is the only place that turns an :class:`~observatory.errors.ObservatoryError` into
``Error: ...`` on stderr and exit code 1. Any other exception is a bug: it keeps its traceback.
Ctrl-C and SIGTERM stop a command the same way: what was being written is removed, a message
says so, and the exit code is 130 (Ctrl-C) or 143 (SIGTERM). The console never makes the
command fail: text its encoding cannot show (a cp1252 console or pipe) is replaced.
"""

from __future__ import annotations

import importlib
import logging
import signal
import sys
from importlib.metadata import entry_points

import click

from observatory.__about__ import __version__
from observatory.cli.language import error_translator
from observatory.cli.options import TERMINATION, Terminated, lang_option, stop_if_terminated
from observatory.errors import ObservatoryError, error_message
from observatory.io.atomic import release_folders
from observatory.messages import _

#: Built-in commands as "module:attribute", added to the group in this order.
BUILTIN_COMMANDS = (
    "observatory.cli.project:init",
    "observatory.cli.project:validate",
    "observatory.cli.compute:sample_data",
    "observatory.cli.compute:compute",
    "observatory.cli.compute:demo",
    "observatory.cli.indicators:indicators",
    "observatory.cli.degurba:degurba",
    "observatory.cli.training:training",
    "observatory.cli.access:access",
    "observatory.cli.prepare:prepare",
    "observatory.cli.report:map_command",
    "observatory.cli.report:report_command",
    "observatory.cli.export:export",
    "observatory.cli.compare:compare",
)

PLUGIN_GROUP = "observatory.commands"

EXAMPLES = """
\b
Examples:
  observatory demo                       compute everything on the bundled sample
  observatory sample-data rsk            write the sample project into ./rsk
  observatory init my-region             start a project file for your own data
  observatory validate my-region         check every layer, list every problem
  observatory compute my-region -o out   compute the indicators into ./out
  observatory indicators show sdg_11_3_1 --lang fr
"""


def _stop_on_sigterm(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # let the clean-up finish
    TERMINATION.set()
    raise Terminated


class ObservatoryGroup(click.Group):
    """A click group that reports user errors as ``Error: ...`` with exit code 1, and an
    interruption (Ctrl-C, SIGTERM) with a message and exit code 130 or 143."""

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            stop_if_terminated()  # a SIGTERM whose exception was swallowed on the way
            return result
        except ObservatoryError as error:
            t = error_translator(ctx)
            click.echo(t.text(_("Error: {message}", message=error_message(error))), err=True)
            ctx.exit(1)
        except KeyboardInterrupt as stop:
            terminated = isinstance(stop, Terminated)
            interrupted = _(
                "Interrupted ({signal}): stopped before the end; files being written were "
                "removed and no output was replaced.",
                signal="SIGTERM" if terminated else "Ctrl-C",
            )
            click.echo("\n" + error_translator(ctx).text(interrupted), err=True)
            ctx.exit(143 if terminated else 130)
        finally:
            release_folders()


def _broken_plugin_command(name: str, target: str, error: Exception) -> click.Command:
    """A stand-in command explaining why the plugin ``name`` could not be loaded."""
    reason = f"{type(error).__name__}: {error}"

    @click.command(
        name=name,
        help=f"[broken plugin] {target} could not be loaded ({reason}).",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    def broken() -> None:
        raise ObservatoryError(
            f"the plugin command '{name}' ({target}) could not be loaded: {reason}. "
            "Reinstall or update the package that provides it."
        )

    return broken


def _load_target(target: str) -> click.Command:
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def add_commands(group: click.Group) -> None:
    """Add the built-in commands, then the plugins of the ``observatory.commands`` group."""
    for target in BUILTIN_COMMANDS:
        group.add_command(_load_target(target))
    for entry_point in entry_points(group=PLUGIN_GROUP):
        if entry_point.name in group.commands:
            continue  # a plugin may not replace a built-in command
        try:
            command = entry_point.load()
        except Exception as error:  # any failure in third-party code is reported, not raised
            command = _broken_plugin_command(entry_point.name, entry_point.value, error)
        group.add_command(command, name=entry_point.name)


def _configure_logging(verbosity: int) -> None:
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("observatory")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logging.captureWarnings(True)


@click.group(cls=ObservatoryGroup, epilog=EXAMPLES)
@click.version_option(__version__, prog_name="observatory")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-vv for debug).")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress or notes on stderr: only warnings and errors."
)
@lang_option(
    "Language of the messages (default: a training workspace's, else the system's locale, "
    "else the project's language, else English).",
    default=None,
)
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool, lang: str | None) -> None:
    """Observatory: territorial indicators (SDG 11, Degree of Urbanisation, access to
    services) for regional observatories, from a project file describing your layers."""
    _configure_logging(-1 if quiet else verbose)
    ctx.ensure_object(dict)


add_commands(cli)


def _console_never_fails() -> None:
    """Let stdout and stderr replace what their encoding cannot show instead of raising
    UnicodeEncodeError (a cp1252 console or a redirected pipe on Windows)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def main() -> None:
    """Console-script entry point."""
    _console_never_fails()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    cli(prog_name="observatory")
