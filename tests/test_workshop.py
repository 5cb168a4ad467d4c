"""The workshop runner on a tiny course written in a temporary folder.

The tiny course has one module and three exercises:

- ``add``: the answer file ``m1/answer.toml`` must say ``total = 5`` (2 + 3, worked out by
  hand); the starter says ``total = "TODO"``;
- ``double``: ``m1/double.py`` must define ``double(x)`` returning ``2 * x``; the check calls
  it with 21 and expects 42;
- ``broken_check``: its check itself divides by zero (an unexpected error).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from observatory.errors import OutputExistsError, ProjectFileError
from observatory.io.tables import read_toml
from observatory.workshop import (
    CheckItem,
    find_workspace,
    load_course,
    start_workspace,
)
from observatory.workshop.checks import explain_error
from observatory.workshop.compare import number_item, series_item, text_item

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


def test_check_passes_with_the_solution_and_progress_is_a_plain_file(workspace):
    exercise = workspace.course.exercise("add")
    workspace.apply_solution(exercise)
    assert workspace.check(exercise).passed
    assert read_toml(workspace.root / "progress.toml") == {"exercises": {"add": "passed"}}
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
        .startswith("Your file could not be checked: ZeroDivisionError: division by zero.")
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


def test_reset_puts_back_the_starter_and_forgets_progress(workspace):
    exercise = workspace.course.exercise("double")
    workspace.apply_solution(exercise)
    workspace.check(exercise)
    (workspace.root / "m1" / "given.txt").unlink()
    workspace.reset(exercise)
    assert "NotImplementedError" in (workspace.root / "m1" / "double.py").read_text("utf-8")
    assert (workspace.root / "m1" / "given.txt").is_file()
    assert "double" not in workspace.progress()


def test_solution_texts_mirror_the_starter_files(workspace):
    solution = workspace.solution(workspace.course.exercise("add"))
    assert solution == {"m1/answer.toml": "total = 5\n"}


def test_unknown_exercise_lists_the_names(workspace):
    with pytest.raises(ProjectFileError, match="there is no exercise 'nope'.*add, double"):
        workspace.course.exercise("nope")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("format = 1", "format = 2", "format = 2 is not supported"),
        ('"Two plus three."', '""', "exercise 1 \\(add\\): 'hint' needs a text"),
        ('"m1/checks.py:check_add"', '"m1/checks.py"', "'check' must read"),
        ('name = "double"', 'name = "add"', "exercise 2 \\(add\\): 'name' must be unique"),
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
    )


def test_number_item_says_too_high_or_too_low_without_the_answer():
    assert number_item("N", "N", 6, 5).message("en") == "N: 6 is too high."
    assert number_item("N", "N", "4", 5).message("fr") == "N : 4 est trop bas."
    assert number_item("N", "N", "5,0", 5).passed  # a French decimal comma is accepted
    assert number_item("N", "N", 5.004, 5, rel=1e-3).passed  # |5.004 − 5| = 0.004 ≤ 0.005
    assert not number_item("N", "N", True, 1).passed
    assert "not a number" in number_item("N", "N", "five", 5).message("en")


def test_text_item_ignores_case_and_spaces_and_booleans_must_be_booleans():
    assert text_item("L", "L", " Commune ", "commune").passed
    assert not text_item("L", "L", "province", "commune").passed
    assert text_item("B", "B", True, True).passed
    assert not text_item("B", "B", "true", True).passed


def test_series_item_names_the_first_unit_that_differs():
    expected = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    assert series_item("S", "S", expected.copy(), expected).passed
    wrong = pd.Series([1.0, 2.5, 3.0], index=["a", "b", "c"])
    assert series_item("S", "S", wrong, expected).message("en") == (
        "S: 1 of 3 values differ; e.g. unit b: 2.5 instead of 2."
    )
    short = expected.drop("c")
    assert "unit c is missing" in series_item("S", "S", short, expected).message("en")
    assert "got list" in series_item("S", "S", [1, 2, 3], expected).message("en")
