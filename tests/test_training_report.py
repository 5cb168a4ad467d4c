"""``observatory training quiz`` and ``observatory training report`` on the tiny course of
test_workshop.py (with a two-question quiz added), and the trainer's pack of the real course:
its quiz pages are the rendering of ``training/quiz.toml``, its schedule names every exercise.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from test_workshop import course_folder, sample_folder, write  # noqa: F401  (fixtures)

from observatory.cli.main import cli
from observatory.errors import ProjectFileError
from observatory.io.tables import read_toml
from observatory.report.i18n import translator
from observatory.report.training import quiz_markdown
from observatory.workshop import bundled_course
from observatory.workshop import workspace as workspace_module
from observatory.workshop.quiz import load_quiz

TRAINER = Path(__file__).resolve().parents[1] / "training" / "trainer"

QUIZ = """
format = 1

[[questions]]
id = "sum"
concept = { en = "Sums", fr = "Sommes" }
text = { en = "2 + 3?", fr = "2 + 3 ?" }
choices = { en = ["4", "5", "6"], fr = ["4", "5", "6"] }
answer = "B"
why = { en = "Count on your fingers.", fr = "Comptez sur vos doigts." }

[[questions]]
id = "double"
concept = { en = "Doubles", fr = "Doubles" }
text = { en = "Twice 21?", fr = "Deux fois 21 ?" }
choices = { en = ["42", "21"], fr = ["42", "21"] }
answer = "A"
why = { en = "21 + 21 = 42.", fr = "21 + 21 = 42." }
"""


@pytest.fixture
def bundled(monkeypatch, course_folder, sample_folder):  # noqa: F811
    write(course_folder / "quiz.toml", QUIZ)
    write(course_folder / "trainer" / "schedule.en.md", "# Answers for the trainer\n")
    folders = {"training": course_folder, "sample_data": sample_folder}
    monkeypatch.setattr(workspace_module, "bundled_folder", folders.__getitem__)
    start = datetime.fromisoformat("2026-05-12T09:00:00+01:00")
    ticks = iter(range(1000))
    monkeypatch.setattr(workspace_module, "now", lambda: start + timedelta(minutes=next(ticks)))


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def run(*args: str, input: str | None = None):
    result = invoke(*args, input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture
def room(tmp_path, bundled) -> Path:
    """amina: add passed at once, double failed twice, quiz before 1/2; karim: everything
    passed, add at the second attempt, both quizzes; youssef (two levels down): nothing."""
    room = tmp_path / "room"
    amina, karim, youssef = room / "amina", room / "karim", room / "group-b" / "youssef"
    run("training", "start", str(amina), "--lang", "fr", "--name", "Amina B.")
    run("training", "start", str(karim), "--lang", "en")
    run("training", "start", str(youssef), "--lang", "fr")
    run("training", "solution", "add", "--apply", "--yes", "--workspace", str(amina))
    run("training", "check", "add", "--workspace", str(amina))
    run("training", "check", "double", "--workspace", str(amina))
    run("training", "check", "double", "--workspace", str(amina))
    run("training", "quiz", "pre", "--workspace", str(amina), input="b\nb\n")
    run("training", "check", "add", "--workspace", str(karim))
    for name in ("add", "double", "broken_check"):
        run("training", "solution", name, "--apply", "--yes", "--workspace", str(karim))
    run("training", "check", "add", "--workspace", str(karim))
    run("training", "check", "double", "--workspace", str(karim))
    run("training", "quiz", "pre", "--workspace", str(karim), input="a\nb\n")
    run("training", "quiz", "post", "--workspace", str(karim), input="b\na\n")
    return room


def test_the_report_of_a_room_is_one_line_per_trainee(room):
    result = invoke("training", "report", str(room))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"Salle de formation {room} : 3 espace(s) de travail, 3 exercices",
        "",
        "Stagiaire  Réussis  Module en cours  Quiz avant  Quiz après  Exercices",
        "Amina B.   1/3      m1               1/2         –           ✓✗·",
        "karim      2/3      m1               0/2         2/2         ✓✓·",
        "youssef    0/3      m1               –           –           ···",
        "",
        "✓ réussi, ✗ pas encore réussi, · pas essayé ; un groupe de marques par module (m1 à m1).",
        "Pas encore réussi, essayé (essais) : double : Amina B. (2)",
    ]


def test_the_report_in_english_when_asked(room):
    result = invoke("training", "report", str(room), "--lang", "en")
    assert "Trainee   Passed  Current module  Quiz before  Quiz after  Exercises" in result.output
    assert "Not passed yet, tried (attempts): double: Amina B. (2)" in result.output


def test_the_report_file_has_attempts_and_times(room, tmp_path):
    result = invoke("training", "report", str(room), "-o", str(tmp_path / "room.csv"))
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"Rapport écrit dans {tmp_path / 'room.csv'}.\n")
    table = pd.read_csv(tmp_path / "room.csv", encoding="utf-8-sig", dtype=str)
    assert list(table.columns[:8]) == [
        "Stagiaire",
        "Réussis",
        "Module en cours",
        "Quiz avant",
        "Quiz après",
        "add",
        "add : essais",
        "add : dernier essai",
    ]
    rows = table.set_index("Stagiaire").fillna("")
    assert rows.loc["Amina B.", ["add", "add : essais", "double", "double : essais"]].tolist() == [
        "✓",
        "1",
        "✗",
        "2",
    ]
    # amina's checks ran at 09:00, 09:01, 09:02; karim's add at 09:03 and 09:04
    assert rows.loc["Amina B.", "double : dernier essai"] == "2026-05-12 09:02"
    assert rows.loc["karim", ["add : essais", "add : dernier essai"]].tolist() == [
        "2",
        "2026-05-12 09:04",
    ]
    assert rows.loc["youssef", ["add", "add : essais", "add : dernier essai"]].tolist() == [
        "·",
        "",
        "",
    ]


def test_the_report_as_a_workbook(room, tmp_path):
    output = tmp_path / "room.xlsx"
    assert invoke("training", "report", str(room), "-o", str(output)).exit_code == 0
    table = pd.read_excel(output, sheet_name="stagiaires")
    assert table["Stagiaire"].tolist() == ["Amina B.", "karim", "youssef"]
    assert table["double : essais"].tolist()[:2] == [2, 1]
    again = invoke("training", "report", str(room), "-o", str(output))
    assert again.exit_code == 1
    assert "Error: " in again.output and "--overwrite" in again.output
    assert invoke("training", "report", str(room), "-o", str(output), "--overwrite").exit_code == 0


def test_a_report_file_of_another_kind_is_refused_before_anything(room, tmp_path):
    result = invoke("training", "report", str(room), "-o", str(tmp_path / "room.ods"))
    assert result.exit_code == 1
    assert "room.ods: the report is written as CSV or Excel" in result.output
    assert "Salle de formation" not in result.output


def test_a_folder_without_workspaces_is_a_user_error(tmp_path, bundled):
    (tmp_path / "empty" / "notes").mkdir(parents=True)
    result = invoke("training", "report", str(tmp_path / "empty"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'empty'} holds no training workspace")
    assert "made by 'observatory training start', into it as subfolders" in result.output
    assert "Traceback" not in result.output


def test_a_damaged_workspace_is_named_in_a_warning_and_the_others_are_reported(room):
    write(room / "karim" / "progress.toml", "[exercises\n")
    write(room / "foreign" / "workshop.toml", "[tool]\nname = 'other'\n")
    write(room / "zoe" / "workshop.toml", '[workshop]\nlanguage = "fr"\n')
    write(room / "zoe" / "progress.toml", '[attempts]\nadd = "many"\n')
    result = invoke("training", "report", str(room))
    assert result.exit_code == 0
    assert f"Attention : {room / 'karim'} est laissé hors du rapport : " in result.stderr
    assert "progress.toml: not valid TOML" in result.stderr
    assert f"{room / 'foreign'} est laissé hors du rapport" in result.stderr
    assert "it was not made by 'observatory training start'" in result.stderr
    assert "[attempts] add = 'many' is not a value 'observatory training' writes" in result.stderr
    assert re.findall(r"^(\S+(?: B\.)?) +\d/3", result.stdout, re.M) == ["Amina B.", "youssef"]


def test_a_workspace_made_before_attempts_were_recorded_is_reported(room):
    write(room / "karim" / "progress.toml", '[exercises]\n"add" = "passed"\n')
    output = room.parent / "room.csv"
    result = invoke("training", "report", str(room), "-o", str(output))
    assert "karim      1/3      m1               –           –           ✓··" in result.output
    karim = pd.read_csv(output, encoding="utf-8-sig", dtype=str).fillna("").iloc[1]
    assert karim[["add", "add : essais", "add : dernier essai"]].tolist() == ["✓", "", ""]


def test_the_quiz_asks_again_until_a_letter_and_records_the_answers(room):
    amina = room / "amina"
    result = invoke("training", "quiz", "post", "--workspace", str(amina), input="e\n\nbb\nc\nA\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Répondez par une lettre : A, B, C.") == 3
    assert "1/2. 2 + 3 ?\n  A. 4\n  B. 5\n  C. 6\n" in result.output
    assert "Votre score : 1/2." in result.output
    assert "Avant le cours : 1/2." in result.output
    assert "1. Sommes : la réponse est B. Comptez sur vos doigts." in result.output
    assert "2. Doubles" not in result.output  # answered right: not explained
    record = read_toml(amina / "progress.toml")
    assert record["quiz_pre"] == {"sum": "B", "double": "B"}
    assert record["quiz_post"] == {"sum": "C", "double": "A"}


def test_the_pre_quiz_keeps_its_answers_secret_and_is_taken_once(room):
    karim = room / "karim"
    again = invoke("training", "quiz", "pre", "--workspace", str(karim), input="b\na\n")
    assert again.exit_code == 1
    assert "Error: you have already taken the pre quiz (score 0/2)" in again.output
    assert "--again" in again.output
    retaken = invoke(
        "training", "quiz", "pre", "--again", "--workspace", str(karim), input="b\na\n"
    )
    assert "Your score: 2/2." in retaken.output
    assert "the answer is" not in retaken.output
    assert read_toml(karim / "progress.toml")["quiz_pre"] == {"sum": "B", "double": "A"}


def test_start_copies_neither_the_quiz_nor_the_trainer_pack(room):
    assert not (room / "amina" / "quiz.toml").exists()
    assert not (room / "amina" / "trainer").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('answer = "B"', 'answer = "D"', "'answer' must be one letter of ABC"),
        ('fr = ["42", "21"]', 'fr = ["42"]', "as many in every language"),
        ('id = "double"', 'id = "sum"', "'id' must be unique"),
        ('why = { en = "21 + 21 = 42.", fr', 'why = { en = "", fr', "'why' needs a text"),
    ],
)
def test_quiz_mistakes_name_the_question_and_key(tmp_path, old, new, message):
    write(tmp_path / "quiz.toml", QUIZ.replace(old, new))
    with pytest.raises(ProjectFileError, match=re.escape(message)):
        load_quiz(tmp_path)


def test_the_course_quiz_covers_the_concepts_with_varied_answers():
    quiz = load_quiz(bundled_course().root)
    assert 10 <= len(quiz.questions) <= 12
    assert {question.answer for question in quiz.questions} == set("ABCD")
    assert quiz.score({question.id: question.answer for question in quiz.questions}) == len(
        quiz.questions
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_printed_quiz_is_the_rendering_of_the_course_quiz(language):
    """Regenerate after editing training/quiz.toml: python -c "from observatory.workshop
    import bundled_course; from observatory.workshop.quiz import load_quiz; from
    observatory.report.training import quiz_markdown; from observatory.report.i18n import
    translator; print(quiz_markdown(load_quiz(bundled_course().root), translator('fr')),
    end='')" > training/trainer/quiz.fr.md (and en)."""
    expected = quiz_markdown(load_quiz(bundled_course().root), translator(language))
    assert (TRAINER / f"quiz.{language}.md").read_text(encoding="utf-8") == expected


SLOT = re.compile(r"^\| (\d\d):(\d\d)–(\d\d):(\d\d) \|.*\| (\d+) \|$", re.M)


def unscheduled(schedule: str) -> set[str]:
    """The exercises of the course that ``schedule`` does not name in `code`."""
    named = set(re.findall(r"`([a-z0-9_]+)`", schedule))
    return {exercise.name for exercise in bundled_course().exercises} - named


def slots_that_do_not_add_up(schedule: str) -> list[str]:
    """The rows of the schedule whose minutes differ from their end minus their start."""
    wrong = []
    for slot in SLOT.finditer(schedule):
        h1, m1, h2, m2, minutes = map(int, slot.groups())
        if (h2 * 60 + m2) - (h1 * 60 + m1) != minutes:
            wrong.append(slot.group(0))
    return wrong


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_schedule_names_every_exercise_and_its_slots_add_up(language):
    schedule = (TRAINER / f"schedule.{language}.md").read_text(encoding="utf-8")
    assert unscheduled(schedule) == set(), f"exercises missing from schedule.{language}.md"
    assert len(SLOT.findall(schedule)) >= 50
    assert slots_that_do_not_add_up(schedule) == []


def test_the_schedule_checks_see_a_missing_exercise_and_a_wrong_slot():
    schedule = (TRAINER / "schedule.en.md").read_text(encoding="utf-8")
    assert unscheduled(schedule.replace("`census_check`", "census check")) == {"census_check"}
    wrong = schedule.replace("| `census_check` | 25 |", "| `census_check` | 30 |")
    assert slots_that_do_not_add_up(wrong) == ["| 14:10–14:35 | 3 | `census_check` | 30 |"]
