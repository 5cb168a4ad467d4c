"""The top-level group: version, help, logging options, error handling, plugin commands."""

from __future__ import annotations

import ast
from importlib.metadata import EntryPoint
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from observatory.__about__ import __version__
from observatory.cli import main as cli_main
from observatory.cli.options import LANGUAGES
from observatory.errors import InputDataError


def invoke(*args: str):
    return CliRunner().invoke(cli_main.cli, list(args))


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_commands_and_examples():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("init", "validate", "compute", "demo", "sample-data", "indicators"):
        assert command in result.output
    assert "Examples:" in result.output
    assert "observatory compute my-region -o out" in result.output


def test_unknown_command_is_a_usage_error():
    result = invoke("no-such-command")
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_observatory_errors_become_one_line_and_exit_1():
    @cli_main.cli.command(name="fail-for-test")
    def fail() -> None:
        raise InputDataError("units.gpkg: field 'code' not found; fix [units].")

    try:
        result = invoke("fail-for-test")
    finally:
        cli_main.cli.commands.pop("fail-for-test")
    assert result.exit_code == 1
    assert result.output == "Error: units.gpkg: field 'code' not found; fix [units].\n"
    assert "Traceback" not in result.output


def test_other_exceptions_are_bugs_and_keep_their_traceback():
    @cli_main.cli.command(name="bug-for-test")
    def bug() -> None:
        raise ZeroDivisionError("a bug")

    try:
        result = invoke("bug-for-test")
    finally:
        cli_main.cli.commands.pop("bug-for-test")
    assert result.exit_code == 1
    assert isinstance(result.exception, ZeroDivisionError)


def test_a_plugin_that_fails_to_load_becomes_a_command_explaining_why(monkeypatch):
    broken = EntryPoint(
        name="broken", value="no_such_module_xyz:command", group=cli_main.PLUGIN_GROUP
    )
    monkeypatch.setattr(
        cli_main, "entry_points", lambda group: [broken] if group == cli_main.PLUGIN_GROUP else []
    )
    monkeypatch.setattr(cli_main, "BUILTIN_COMMANDS", ())
    group = cli_main.ObservatoryGroup(name="test")
    cli_main.add_commands(group)
    result = CliRunner().invoke(group, ["broken"])
    assert result.exit_code == 1
    assert "Error: the plugin command 'broken' (no_such_module_xyz:command) could not be" in (
        result.output
    )
    assert "ModuleNotFoundError" in result.output
    help_text = CliRunner().invoke(group, ["--help"]).output
    assert "[broken plugin]" in help_text


def test_a_plugin_may_not_replace_a_builtin(monkeypatch):
    plugin = EntryPoint(name="validate", value="click:echo", group=cli_main.PLUGIN_GROUP)
    monkeypatch.setattr(cli_main, "entry_points", lambda group: [plugin])
    group = cli_main.ObservatoryGroup(name="test")
    cli_main.add_commands(group)
    assert group.commands["validate"].callback.__module__ == "observatory.cli.project"


@pytest.mark.parametrize("flag", ["-q", "-v", "-vv"])
def test_verbosity_flags_are_accepted(flag):
    assert invoke(flag, "indicators", "list").exit_code == 0


CLI_SOURCES = sorted((Path(cli_main.__file__).parent).glob("*.py"))


def declared_flags(path: Path) -> set[str]:
    """The flags of the click.option(...) calls written in one module."""
    flags = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "option":
            flags.update(
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and str(arg.value).startswith("-")
            )
    return flags


def commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name), command


@pytest.mark.parametrize("flag", ["-o", "--output", "--lang"])
def test_shared_options_are_declared_once_in_options(flag):
    declaring = [path.name for path in CLI_SOURCES if flag in declared_flags(path)]
    assert declaring == ["options.py"]


def test_every_output_and_lang_option_comes_from_options():
    users = {"output": [], "lang": []}
    for path, command in commands(cli_main.cli):
        for param in command.params:
            if param.name == "output":
                assert param.opts == ["-o", "--output"], path
                assert param.help, path
                users["output"].append(" ".join(path))
            elif param.name == "lang":
                assert param.opts == ["--lang"], path
                assert tuple(param.type.choices) == LANGUAGES, path
                users["lang"].append(" ".join(path))
    assert sorted(users["output"]) == [
        "access",
        "compute",
        "degurba grid",
        "degurba units",
        "demo",
        "export opensdg",
        "export sdmx",
    ]
    assert {"indicators list", "indicators show", "training start", "training check"} <= set(
        users["lang"]
    )
