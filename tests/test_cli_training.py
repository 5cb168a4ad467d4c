"""``observatory training`` on the tiny course of test_workshop.py (installed in place of the
bundled course and sample): exit codes, messages in both languages, confirmations."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_workshop import course_folder, sample_folder, write  # noqa: F401  (fixtures)

from observatory.cli.main import cli
from observatory.workshop import workspace as workspace_module


@pytest.fixture
def bundled(monkeypatch, course_folder, sample_folder):  # noqa: F811
    folders = {"training": course_folder, "sample_data": sample_folder}
    monkeypatch.setattr(workspace_module, "bundled_folder", folders.__getitem__)


@pytest.fixture
def root(tmp_path, bundled):
    result = invoke("training", "start", str(tmp_path / "ws"), "--lang", "fr")
    assert result.exit_code == 0, result.output
    return tmp_path / "ws"


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture
def no_locale(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def test_start_says_where_to_go_in_the_chosen_language(tmp_path, bundled, no_locale):
    result = invoke("training", "start", str(tmp_path / "ws"))
    assert result.exit_code == 0
    assert "Language of the course: English (no language setting found)" in result.output
    assert "Your workspace is ready in" in result.output
    assert "m1/README.en.md" in result.output
    assert (tmp_path / "ws" / "m1" / "answer.toml").is_file()


def test_start_twice_is_a_user_error(root):
    result = invoke("training", "start", str(root))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "already a training workspace" in result.output


def test_list_shows_progress_marks_and_the_next_exercise(root):
    invoke("training", "solution", "add", "--apply", "--yes", "--workspace", str(root))
    invoke("training", "check", "add", "--workspace", str(root))
    invoke("training", "check", "double", "--workspace", str(root))
    result = invoke("training", "list", "--workspace", str(root))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Formation Observatory : 1/3 exercices réussis"
    assert "  m1: Module un" in lines
    assert "    ✓ add           Additionner" in lines
    assert "    ✗ double        Doubler" in lines
    assert "    · broken_check  Cassé" in lines
    assert lines[-1] == "Suivant : observatory training check double"


def test_check_without_name_checks_the_next_one_and_fails_with_exit_1(root):
    result = invoke("training", "check", "--workspace", str(root), "--lang", "en")
    assert result.exit_code == 1
    assert "Exercise add: Add" in result.output
    assert "✗ Total: not answered yet (replace TODO)." in result.output
    assert "Stuck? observatory training hint add" in result.output
    assert "Traceback" not in result.output


def test_check_passes_after_the_solution_and_exits_0(root):
    invoke("training", "solution", "add", "--apply", "--yes", "--workspace", str(root))
    result = invoke("training", "check", "add", "--workspace", str(root))
    assert result.exit_code == 0
    assert "✓ Total : 5 est juste." in result.output
    assert "Réussi !" in result.output


def test_a_broken_check_is_a_verdict_not_a_traceback(root):
    result = invoke("training", "check", "broken_check", "--workspace", str(root))
    assert result.exit_code == 1
    assert (
        "Votre fichier n'a pas pu être vérifié : une division par zéro (erreur Python : "
        "ZeroDivisionError" in result.output
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_hint_in_both_languages(root):
    assert invoke("training", "hint", "add", "--workspace", str(root)).output == (
        "Indice pour add :\nDeux plus trois.\n"
    )
    english = invoke("training", "hint", "add", "--lang", "en", "--workspace", str(root))
    assert english.output == "Hint for add:\nTwo plus three.\n"


def test_solution_asks_before_a_pass_and_can_be_declined(root):
    result = invoke("training", "solution", "add", "--workspace", str(root), input="n\n")
    assert "Vous n'avez pas encore réussi « add »" in result.output
    assert "Rien n'a changé." in result.output
    assert "total = 5" not in result.output


def test_solution_is_shown_after_confirmation(root):
    result = invoke("training", "solution", "add", "--workspace", str(root), input="y\n")
    assert "--- solution de m1/answer.toml ---\ntotal = 5\n" in result.output


def test_reset_restores_the_starter_after_confirmation(root):
    invoke("training", "solution", "add", "--apply", "--yes", "--workspace", str(root))
    declined = invoke("training", "reset", "add", "--workspace", str(root), input="n\n")
    assert (root / "m1" / "answer.toml").read_text(encoding="utf-8") == "total = 5\n"
    assert "Rien n'a changé." in declined.output
    result = invoke("training", "reset", "add", "--workspace", str(root), input="y\n")
    assert result.exit_code == 0
    assert (root / "m1" / "answer.toml").read_text(encoding="utf-8") == 'total = "TODO"\n'


def test_unknown_exercise_is_a_user_error(root):
    result = invoke("training", "hint", "nope", "--workspace", str(root))
    assert result.exit_code == 1
    assert "Error: there is no exercise 'nope'" in result.output


def test_commands_outside_a_workspace_say_how_to_start(tmp_path, bundled):
    result = invoke("training", "list", "--workspace", str(tmp_path))
    assert result.exit_code == 1
    assert "observatory training start DIR" in result.output


def test_sys_exit_in_trainee_code_does_not_end_the_command(root):
    write(root / "m1" / "double.py", "import sys\nsys.exit(3)\n")
    result = invoke("training", "check", "double", "--workspace", str(root))
    assert result.exit_code == 1  # not 3: the verdict is "not passed yet"
    assert "✗ Votre code appelle sys.exit(3) (m1/double.py, ligne 2)" in result.output
    assert "Pas encore réussi." in result.output


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("LANG", "fr_FR.UTF-8", "Langue du cours : français (LANG=fr_FR.UTF-8)"),
        ("LANG", "fr_MA", "Langue du cours : français (LANG=fr_MA)"),
        ("LC_ALL", "fr_MA.UTF-8", "Langue du cours : français (LC_ALL=fr_MA.UTF-8)"),
        ("LANG", "de_DE.UTF-8", "Language of the course: English (LANG=de_DE.UTF-8)"),
        ("LANG", "ar_MA.UTF-8", "لغة التكوين: العربية (LANG=ar_MA.UTF-8)"),
    ],
)
def test_start_without_lang_follows_the_locale_and_says_so(
    tmp_path, bundled, no_locale, variable, value, said
):
    no_locale.setenv(variable, value)
    result = invoke("training", "start", str(tmp_path / "ws"))
    assert result.exit_code == 0, result.output
    assert said in result.output
    language = "fr" if said.startswith("Langue") else "ar" if said.startswith("لغة") else "en"
    settings = (tmp_path / "ws" / "workshop.toml").read_text(encoding="utf-8")
    assert f'"language" = "{language}"' in settings


def test_lc_all_comes_before_lang(tmp_path, bundled, no_locale):
    no_locale.setenv("LANG", "en_GB.UTF-8")
    no_locale.setenv("LC_ALL", "fr_FR.UTF-8")
    assert "Langue du cours : français" in invoke("training", "start", str(tmp_path / "ws")).output


def test_an_explicit_lang_wins_over_the_locale(tmp_path, bundled, no_locale):
    no_locale.setenv("LANG", "fr_FR.UTF-8")
    result = invoke("training", "start", str(tmp_path / "ws"), "--lang", "en")
    assert result.exit_code == 0
    assert "Your workspace is ready" in result.output
    assert "Langue du cours" not in result.output


def test_a_language_the_course_lacks_is_refused_with_those_it_has(tmp_path, bundled):
    result = invoke("training", "start", str(tmp_path / "ws"), "--lang", "de")
    assert result.exit_code == 2
    assert "'de' is not one of 'en', 'fr', 'ar'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "ws").exists()
