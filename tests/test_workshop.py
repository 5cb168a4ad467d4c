"""The workshop runner on a tiny course written in a temporary folder.

The tiny course has one module and three exercises:

- ``add``: the answer file ``m1/answer.toml`` must say ``total = 5`` (2 + 3, worked out by
  hand); the starter says ``total = "TODO"``;
- ``double``: ``m1/double.py`` must define ``double(x)`` returning ``2 * x``; the check calls
  it with 21 and expects 42;
- ``broken_check``: its check itself divides by zero (an unexpected error).

``checks.py`` also has checks that no exercise names, for tests that replace an exercise's
check or time limit: one whose reference value takes 1.5 s, one that warns and logs.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from observatory.errors import OutputExistsError, ProjectFileError
from observatory.io.tables import read_toml
from observatory.workshop import (
    CheckItem,
    find_workspace,
    load_course,
    start_workspace,
)
from observatory.workshop import workspace as workspace_module
from observatory.workshop.checks import explain_error

MANIFEST = """
format = 1

[modules.m1]
title = { en = "Module one", fr = "Module un" }

[[exercises]]
name = "add"
module = "m1"
title = { en = "Add", fr = "Additionner" }
files = ["m1/answer.toml"]
check = "m1/checks.py:check_add"
hint = { en = "Two plus three.", fr = "Deux plus trois." }

[[exercises]]
name = "double"
module = "m1"
title = { en = "Double", fr = "Doubler" }
files = ["m1/double.py"]
inputs = ["m1/given.txt"]
check = "m1/checks.py:check_double"
hint = { en = "Multiply by two.", fr = "Multipliez par deux." }

[[exercises]]
name = "broken_check"
module = "m1"
title = { en = "Broken", fr = "Cassé" }
files = ["m1/answer.toml"]
check = "m1/checks.py:check_broken"
hint = { en = "None.", fr = "Aucun." }
"""

CHECKS = """
from observatory.workshop import CheckFailed
from observatory.workshop.compare import number_item


def check_add(context):
    answers = context.answers("m1/answer.toml")
    return [number_item("Total", "Total", answers.get("total"), 2 + 3)]


def check_double(context):
    module = context.load_module("m1/double.py")
    if not hasattr(module, "double"):
        raise CheckFailed("double is missing", "double manque")
    return [(module.double(21) == 42, "double(21) is 42", "double(21) vaut 42")]


def check_broken(context):
    return [(1 / 0 > 0, "never", "jamais")]


def check_slow_reference(context):
    import time

    expected = context.shared("slow", lambda: time.sleep(1.5) or 42)
    return [(context.load_module("m1/double.py").double(21) == expected, "42", "42")]


def check_warns(context):
    import logging
    import warnings

    logging.getLogger("observatory.course").warning("a note from the check")
    warnings.warn("a warning of the check", UserWarning)
    return [(True, "never reached", "jamais atteint")]
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def course_folder(tmp_path) -> Path:
    root = tmp_path / "course"
    write(root / "README.md", "# Tiny course\n")
    write(root / "exercises.toml", MANIFEST)
    write(root / "m1" / "README.en.md", "# Module one\n")
    write(root / "m1" / "checks.py", CHECKS)
    write(root / "m1" / "answer.toml", 'total = "TODO"\n')
    write(root / "m1" / "solutions" / "answer.toml", "total = 5\n")
    write(root / "m1" / "double.py", 'def double(x):\n    raise NotImplementedError("TODO")\n')
    write(root / "m1" / "solutions" / "double.py", "def double(x):\n    return 2 * x\n")
    write(root / "m1" / "given.txt", "read only\n")
    return root


@pytest.fixture
def sample_folder(tmp_path) -> Path:
    root = tmp_path / "sample"
    write(root / "README.md", "# Sample\n")
    write(root / "observatory.toml", "[project]\n")
    write(root / "build.py", "# not copied\n")
    return root


@pytest.fixture
def workspace(tmp_path, course_folder, sample_folder):
    return start_workspace(
        tmp_path / "ws",
        language="fr",
        course=load_course(course_folder),
        sample_folder=sample_folder,
    )


def test_start_copies_pages_starters_and_data_but_not_checks_or_solutions(workspace):
    root = workspace.root
    assert (root / "m1" / "answer.toml").read_text(encoding="utf-8") == 'total = "TODO"\n'
    assert (root / "m1" / "README.en.md").is_file()
    assert (root / "m1" / "given.txt").is_file()
    assert (root / "data" / "observatory.toml").is_file()
    assert (root / "README.md").is_file()
    for course_only in ("m1/checks.py", "m1/solutions", "exercises.toml", "data/build.py"):
        assert not (root / course_only).exists(), course_only
    assert workspace.language == "fr"
    assert workspace.trainee == "ws"
    assert workspace.progress() == {}


def test_start_refuses_an_existing_workspace(workspace, course_folder, sample_folder):
    with pytest.raises(OutputExistsError, match="already a training workspace"):
        start_workspace(
            workspace.root,
            language="en",
            course=load_course(course_folder),
            sample_folder=sample_folder,
        )


def test_find_workspace_from_a_subfolder(workspace):
    found = find_workspace(workspace.root / "m1", course=workspace.course)
    assert found.root == workspace.root.resolve()


def test_find_workspace_outside_one_says_how_to_start(tmp_path):
    with pytest.raises(FileNotFoundError, match="observatory training start DIR"):
        find_workspace(tmp_path)


def test_check_fails_as_shipped_and_records_it(workspace):
    exercise = workspace.course.exercise("add")
    verdict = workspace.check(exercise)
    assert not verdict.passed
    assert verdict.items[0].message("fr") == "Total : pas encore de réponse (remplacez TODO)."
    assert workspace.progress() == {"add": "failed"}


def test_check_passes_with_the_solution_and_progress_is_a_plain_file(workspace, monkeypatch):
    clock = iter(["2026-05-12T10:31:05+01:00", "2026-05-12T10:40:00+01:00"])
    monkeypatch.setattr(workspace_module, "now", lambda: datetime.fromisoformat(next(clock)))
    exercise = workspace.course.exercise("add")
    workspace.check(exercise)
    workspace.apply_solution(exercise)
    assert workspace.check(exercise).passed
    assert read_toml(workspace.root / "progress.toml") == {
        "exercises": {"add": "passed"},
        "attempts": {"add": 2},
        "last_attempt": {"add": "2026-05-12T10:40:00+01:00"},
    }
    assert workspace.next_exercise().name == "double"


def test_a_todo_in_trainee_code_is_reported_in_words_with_file_and_line(workspace):
    verdict = workspace.check(workspace.course.exercise("double"))
    assert not verdict.passed
    assert verdict.items[0].message("en") == (
        "Not finished yet (m1/double.py, line 2): TODO. Replace the TODO with your code."
    )


def test_a_syntax_error_in_trainee_code_names_the_line(workspace):
    write(workspace.root / "m1" / "double.py", "def double(x)\n    return 2 * x\n")
    message = workspace.check(workspace.course.exercise("double")).items[0].message("en")
    assert message.startswith("Python cannot read your file (double.py, line 1:")
    assert "Traceback" not in message


def test_a_failing_check_becomes_a_friendly_verdict(workspace):
    verdict = workspace.check(workspace.course.exercise("broken_check"))
    assert not verdict.passed
    assert (
        verdict.items[0]
        .message("en")
        .startswith(
            "Your file could not be checked: a division by zero "
            "(ZeroDivisionError: division by zero)."
        )
    )
    assert (
        verdict.items[0]
        .message("fr")
        .startswith(
            "Votre fichier n'a pas pu être vérifié : une division par zéro (erreur Python : "
            "ZeroDivisionError : « division by zero »)."
        )
    )


def test_check_failed_stops_with_its_own_message(workspace):
    write(workspace.root / "m1" / "double.py", "def triple(x):\n    return 3 * x\n")
    verdict = workspace.check(workspace.course.exercise("double"))
    assert [item.message("fr") for item in verdict.items] == ["double manque"]


def test_the_latest_edit_of_a_trainee_file_is_the_one_checked(workspace):
    exercise = workspace.course.exercise("double")
    write(workspace.root / "m1" / "double.py", "def double(x):\n    return 2 * x\n")
    assert workspace.check(exercise).passed
    write(workspace.root / "m1" / "double.py", "def double(x):\n    return 3 * x\n")
    assert not workspace.check(exercise).passed


def test_a_trainee_file_saved_with_a_byte_order_mark_is_checked(workspace):
    path = workspace.root / "m1" / "double.py"
    path.write_bytes(b"\xef\xbb\xbf" + "# é\ndef double(x):\n    return 2 * x\n".encode())
    assert workspace.check(workspace.course.exercise("double")).passed


def variant(workspace, name: str = "double", **changes):
    """Exercise ``name`` of the tiny course with other settings (check, time limit)."""
    return dataclasses.replace(workspace.course.exercise(name), **changes)


@pytest.mark.parametrize(
    ("call", "shown"), [("sys.exit(3)", "sys.exit(3)"), ("exit()", "sys.exit()")]
)
def test_sys_exit_in_trainee_code_is_a_verdict_naming_the_line(workspace, call, shown):
    write(workspace.root / "m1" / "double.py", f"import sys\n{call}\n")
    verdict = workspace.check(workspace.course.exercise("double"))
    assert not verdict.passed
    assert (
        verdict.items[0]
        .message("en")
        .startswith(
            f"Your code called {shown} (m1/double.py, line 2), which stops Python: remove that call"
        )
    )
    assert verdict.items[0].message("fr").startswith(f"Votre code appelle {shown} (m1/double.py")


def test_an_infinite_loop_is_stopped_at_the_time_limit_and_the_next_check_runs(workspace):
    write(workspace.root / "m1" / "double.py", "def double(x):\n    while True:\n        x += 1\n")
    started = time.monotonic()
    verdict = workspace.check(variant(workspace, time_limit=0.5))
    assert time.monotonic() - started < 30
    assert [item.message("en") for item in verdict.items] == [
        "Your code did not finish in 0.5 s (an infinite loop?), so the check stopped it. "
        "Look for a loop whose condition never becomes false, or ask for a hint."
    ]
    assert "une boucle infinie" in verdict.items[0].message("fr")
    write(workspace.root / "m1" / "double.py", "def double(x):\n    return 2 * x\n")
    assert workspace.check(workspace.course.exercise("double")).passed


def test_the_time_limit_does_not_count_the_course_reference_values(workspace):
    write(workspace.root / "m1" / "double.py", "def double(x):\n    return 2 * x\n")
    slow = variant(workspace, check="m1/checks.py:check_slow_reference", time_limit=1)
    assert workspace.check(slow).passed  # the reference takes 1.5 s, the trainee's code 0


def test_python_stopped_by_the_trainee_code_is_a_verdict(workspace):
    write(workspace.root / "m1" / "double.py", "import os\nos._exit(7)\n")
    message = workspace.check(workspace.course.exercise("double")).items[0].message("en")
    assert message.startswith("Python stopped while checking your file (exit code 7)")
    assert workspace.check(workspace.course.exercise("add")).items  # a new worker answers


def test_a_keyboard_interrupt_in_trainee_code_stops_the_program(workspace):
    write(workspace.root / "m1" / "double.py", "raise KeyboardInterrupt\n")
    with pytest.raises(KeyboardInterrupt):
        workspace.check(workspace.course.exercise("double"))


def test_the_check_uses_the_callers_warning_filters_and_loggers(workspace, caplog):
    with caplog.at_level(logging.WARNING, logger="observatory"):
        verdict = workspace.check(variant(workspace, check="m1/checks.py:check_warns"))
    assert caplog.messages == ["a note from the check"]
    # filterwarnings = error (pyproject.toml) holds in the worker as it does here
    assert "UserWarning: a warning of the check" in verdict.items[0].message("en")


def test_a_broken_course_raises_its_error_from_the_worker(workspace):
    with pytest.raises(ProjectFileError, match="has no function check_nothing; fix 'check'"):
        workspace.check(variant(workspace, check="m1/checks.py:check_nothing"))


def _checking_an_infinite_loop(tmp_path) -> subprocess.Popen:
    """``observatory training check`` of a looping trainee file, in its own process group,
    once its worker has started."""
    workspace = tmp_path / "ws"
    cli = [sys.executable, "-c", "from observatory.cli.main import main; main()", "training"]
    subprocess.run([*cli, "start", str(workspace)], check=True, capture_output=True)
    looping = "def commune_areas(c):\n    while True:\n        pass\n"
    write(workspace / "02_layers" / "areas.py", looping)
    command = subprocess.Popen(
        [*cli, "check", "commune_areas", "--workspace", str(workspace)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # as a command typed in a terminal: a test runner started in the background (``&``,
        # as CI may do) ignores Ctrl-C, and a Python started ignoring it never hears it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not any("spawn_main" in line for line in _running_members(command.pid, wait=False)):
        assert command.poll() is None and time.monotonic() < deadline, "no worker started"
        time.sleep(0.1)
    time.sleep(0.5)  # the worker is starting: Ctrl-C must not reach it either
    return command


@pytest.mark.skipif(sys.platform == "win32", reason="signals a process group")
def test_ctrl_c_during_a_check_stops_the_command_and_its_worker(tmp_path):
    command = _checking_an_infinite_loop(tmp_path)
    os.killpg(command.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    output = command.communicate(timeout=30)[0].decode()
    assert command.returncode == 130  # 128 + SIGINT, as the other commands (tests/test_cli_main.py)
    assert "Interrupted" in output and "Traceback" not in output
    assert _running_members(command.pid) == []  # the worker went with the command


@pytest.mark.skipif(sys.platform == "win32", reason="signals a process group")
def test_the_worker_ends_when_the_command_is_killed(tmp_path):
    command = _checking_an_infinite_loop(tmp_path)
    command.kill()  # the command only, not its worker
    command.communicate(timeout=30)
    assert _running_members(command.pid) == []


def _running_members(group: int, *, wait: bool = True) -> list[str]:
    """The processes of ``group`` that still run (zombies wait for init: they are done);
    with ``wait``, once none is left or after 10 s."""
    for _ in range(20 if wait else 1):
        listing = subprocess.run(
            ["ps", "-ww", "-o", "stat=,args=", "-g", str(group)], capture_output=True, text=True
        ).stdout
        running = [line for line in listing.splitlines() if not line.strip().startswith("Z")]
        if not running:
            break
        time.sleep(0.5)
    return running


def test_reset_puts_back_the_starter_and_forgets_progress(workspace):
    exercise = workspace.course.exercise("double")
    workspace.apply_solution(exercise)
    workspace.check(exercise)
    (workspace.root / "m1" / "given.txt").unlink()
    workspace.reset(exercise)
    assert "NotImplementedError" in (workspace.root / "m1" / "double.py").read_text("utf-8")
    assert (workspace.root / "m1" / "given.txt").is_file()
    assert "double" not in workspace.progress()
    assert workspace.record_tables()["attempts"] == {}


def test_solution_texts_mirror_the_starter_files(workspace):
    solution = workspace.solution(workspace.course.exercise("add"))
    assert solution == {"m1/answer.toml": "total = 5\n"}


def test_unknown_exercise_lists_the_names(workspace):
    with pytest.raises(ProjectFileError, match=r"there is no exercise 'nope'.*add, double"):
        workspace.course.exercise("nope")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("format = 1", "format = 2", "format = 2 is not supported"),
        ('"Two plus three."', '""', "exercise 1 \\(add\\): 'hint' needs a text"),
        ('"m1/checks.py:check_add"', '"m1/checks.py"', "'check' must read"),
        ('name = "double"', 'name = "add"', "exercise 2 \\(add\\): 'name' must be unique"),
        ('name = "double"', 'name = "double"\ntime_limit = 0', "'time_limit' must be a number"),
        ('name = "double"', 'name = "double"\ntime_limit = "1"', "seconds above 0, not '1'"),
    ],
)
def test_manifest_mistakes_name_the_exercise_and_key(course_folder, old, new, message):
    text = (course_folder / "exercises.toml").read_text(encoding="utf-8")
    write(course_folder / "exercises.toml", text.replace(old, new, 1))
    with pytest.raises(ProjectFileError, match=message):
        load_course(course_folder)


def test_explain_error_of_an_observatory_error(tmp_path):
    from observatory.errors import InputDataError

    item = explain_error(InputDataError("layer 'x' not found"), tmp_path)
    assert item == CheckItem(
        False,
        "Observatory stopped with an error: layer 'x' not found",
        "Observatory s'est arrêté sur une erreur : layer 'x' not found",
        "توقف Observatory بسبب خطأ: layer 'x' not found",
    )
    assert item.message("ar").startswith("توقف Observatory")


def test_an_observatory_error_made_of_a_template_is_explained_in_the_language(tmp_path):
    from observatory.errors import InputDataError
    from observatory.messages import _

    error = InputDataError(_("{path} holds no layer.", path="a.gpkg"))
    item = explain_error(error, tmp_path)
    assert item.message("en").endswith("a.gpkg holds no layer.")
    assert item.message("fr").endswith("a.gpkg ne contient aucune couche.")
    assert item.message("ar").endswith("a.gpkg لا يحتوي على أي طبقة.")


def test_an_item_without_arabic_shows_english_in_an_arabic_workspace():
    item = CheckItem(False, "English", "Français")
    assert item.message("ar") == "English"
    assert CheckItem(False, "English", "Français", "عربي").message("ar") == "عربي"


def test_a_todo_in_french_names_the_line_in_french(workspace):
    item = workspace.check(workspace.course.exercise("double")).items[0]
    assert item.message("fr") == (
        "Pas encore terminé (m1/double.py, ligne 2) : TODO. Remplacez le TODO par votre code."
    )


def test_an_error_of_python_is_explained_in_french_with_its_type(tmp_path):
    try:
        {"a": 1}["population"]
    except KeyError as error:
        item = explain_error(error, tmp_path)
    assert "une clé ou une colonne qui n'existe pas" in item.message("fr")
    assert "(erreur Python : KeyError : « 'population' »)" in item.message("fr")
    try:
        bool(np.array([True, False]))
    except ValueError as error:
        item = explain_error(error, tmp_path)
    assert "combinez des tableaux de True/False avec & et |" in item.message("fr")
    assert "combine arrays of True/False with & and |" in item.message("en")
