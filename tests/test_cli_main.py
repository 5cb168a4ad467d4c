"""The top-level group: version, help, logging options, error handling, plugin commands."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from importlib.metadata import EntryPoint
from pathlib import Path

import click
import pytest
from builders import build_project
from click.testing import CliRunner

from observatory.__about__ import __version__
from observatory.cli import main as cli_main
from observatory.cli.options import COURSE_LANGUAGES, LANGUAGES
from observatory.errors import InputDataError
from observatory.io.outputs import OUTPUT_NAMES


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
                assert tuple(param.type.choices) in (LANGUAGES, COURSE_LANGUAGES), path
                users["lang"].append(" ".join(path))
    assert sorted(users["output"]) == [
        "access",
        "compare",
        "compute",
        "degurba grid",
        "degurba units",
        "demo",
        "export opensdg",
        "export sdmx",
        "map",
        "prepare osm",
        "report",
        "training report",
    ]
    assert {
        "indicators list",
        "indicators show",
        "training start",
        "training check",
        "training quiz",
        "training report",
    } <= set(users["lang"])


def test_published_languages_are_those_with_a_catalog():
    from observatory.report.i18n import languages

    assert sorted(LANGUAGES) == sorted(languages())


# --- interruptions and the console, in a real process ---------------------------------------

REPOSITORY = Path(__file__).resolve().parents[1]
COMMAND = "import sys; from observatory.cli.main import main; sys.argv[0] = 'observatory'; main()"


def start_cli(*args, **env):
    """The command line in its own process, running this checkout's code."""
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY), **env}
    return subprocess.Popen(
        [sys.executable, "-c", COMMAND, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
        cwd=REPOSITORY,
    )


def files_and_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def started_computing(tmp_path):
    """A project, its files, and a compute run into ``out`` that has claimed its folder."""
    project = build_project(tmp_path / "project")
    before = files_and_bytes(project)
    output = tmp_path / "out"
    process = start_cli("compute", project, "-o", output)
    deadline = time.monotonic() + 120
    while not (output / ".observatory.lock").exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never claimed its output folder"
        time.sleep(0.05)
    return project, before, output, process


def test_sigterm_stops_like_ctrl_c_and_leaves_nothing(tmp_path):
    project, before, output, process = started_computing(tmp_path)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 143, stderr
    assert "Interrupted (SIGTERM)" in stderr.decode() and b"Traceback" not in stderr
    assert not output.exists()  # the run made it; its lock and staging went with it
    assert files_and_bytes(project) == before


def test_after_sigkill_the_next_run_takes_the_stale_lock_over(tmp_path):
    project, before, output, process = started_computing(tmp_path)
    process.kill()
    process.communicate(timeout=60)
    assert (output / ".observatory.lock").exists()  # nothing could clean up after SIGKILL
    (output / ".observatory-k1ll3d").mkdir(exist_ok=True)  # as if killed while writing
    again = CliRunner().invoke(
        cli_main.cli, ["compute", str(project), "-o", str(output), "--indicator", "population"]
    )
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in output.iterdir()) == sorted(OUTPUT_NAMES)
    assert files_and_bytes(project) == before


def test_a_cp1252_console_or_pipe_never_makes_the_command_fail(tmp_path):
    folder = tmp_path / "مشروع"  # Arabic: not in cp1252 (é is)
    build_project(folder)
    (folder / "census.csv").unlink()  # a problem: printed as "message → fix"
    process = start_cli("validate", folder, PYTHONIOENCODING="cp1252")
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 1, stderr
    assert b"UnicodeEncodeError" not in stderr and b"Traceback" not in stderr
    text = stdout.decode("cp1252")
    assert "census.csv does not exist" in text
    assert " ? " in text and "→" not in text  # the arrow and the Arabic are replaced
