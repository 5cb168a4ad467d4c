"""The language of a command's messages: --lang, a training workspace, the locale, the project;
module 1's broken project validated in French, the course in Arabic end to end."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from observatory.cli.main import cli

MODULE_1 = "01_getting_started"


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory):
    """A French and an Arabic workspace of the bundled course (made once: copying is slow)."""
    folder = tmp_path_factory.mktemp("courses")
    made = {}
    for language in ("fr", "ar"):
        result = invoke("training", "start", folder / language, "--lang", language)
        assert result.exit_code == 0, result.output
        made[language] = folder / language
    return made


def test_module_1_broken_project_is_validated_in_french_in_a_french_workspace(
    workspaces, monkeypatch
):
    root = workspaces["fr"]
    monkeypatch.chdir(root)
    result = invoke("validate", MODULE_1)
    assert result.exit_code == 1
    assert result.output.startswith("Erreur : ")
    assert "TOML non valide (erreur du lecteur TOML : Illegal character" in result.output
    project = root / MODULE_1 / "observatory.toml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("(training)\n", '(training)"\n'), encoding="utf-8")
    result = invoke("validate", MODULE_1)
    assert result.exit_code == 1
    output = result.output
    assert "ERREUR  rasters.population.2024: " in output
    assert "population_2024.tiff n'existe pas (indiqué par rasters.population.2024" in output
    assert "couche « commune » introuvable dans" in output
    assert "l'un de ces noms de couche" in output
    assert "colonne « pop_2024 » (census.population.2024) introuvable dans census.csv" in output
    assert "3 erreurs, 0 avertissement dans" in output
    assert "Unités : region: 1 unité; province: 7 unités" in output
    project.write_text(text, encoding="utf-8")


def test_the_sample_warnings_in_french_and_english(workspaces, monkeypatch):
    data = workspaces["fr"] / "data"
    french = invoke("validate", data)
    assert french.exit_code == 0
    assert "ATTENTION census: census.csv: 1 unité croît ou décroît de plus de 10 % par an" in (
        french.output
    )
    assert "25\u202f078 → 73\u202f985" in french.output
    assert "0 erreur, 5 avertissements" in french.output
    english = invoke("--lang", "en", "validate", data)
    assert "WARNING census: census.csv: 1 unit grows or shrinks by more than 10 %" in (
        english.output
    )
    assert "0 error(s), 5 warning(s)" in english.output


def test_the_locale_decides_outside_a_workspace_and_the_project_when_none_is_set(
    workspaces, tmp_path, monkeypatch
):
    sample = tmp_path / "sample"
    assert invoke("sample-data", sample).exit_code == 0  # language = "fr"
    assert "0 error(s)" in invoke("validate", sample).output  # LANG=C.UTF-8: English
    monkeypatch.setenv("LANG", "fr_MA.UTF-8")
    assert "0 erreur" in invoke("validate", sample).output
    monkeypatch.delenv("LANG")
    assert "0 erreur" in invoke("validate", sample).output  # no locale: the project's
    assert "0 خطأ" in invoke("--lang", "ar", "validate", sample).output


def test_an_error_before_the_project_is_read_speaks_the_locale(tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    result = invoke("validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert result.output.startswith("Erreur : ")


def test_the_course_in_arabic(workspaces):
    root = workspaces["ar"]
    listed = invoke("training", "list", "--workspace", root)
    assert listed.exit_code == 0
    assert "الخطوات الأولى" in listed.output and "تمارين ناجحة" in listed.output
    hint = invoke("training", "hint", "fix_project_file", "--workspace", root)
    assert "شغّل `observatory validate 01_getting_started`" in hint.output
    assert "غير مترجم" not in hint.output
    english_hint = invoke("training", "hint", "zonal_population", "--workspace", root)
    assert "هذا التلميح غير مترجم إلى العربية بعد" in english_hint.output
    assert (root / MODULE_1 / "README.ar.md").read_text(encoding="utf-8").startswith("# الوحدة 1")
    fallback = (root / "03_population" / "README.ar.md").read_text(encoding="utf-8")
    assert fallback.startswith("> هذه الصفحة غير مترجمة إلى العربية بعد")
    assert "# Module 3" in fallback


def test_a_check_in_arabic_shows_validate_in_arabic(workspaces):
    root = workspaces["ar"]
    result = invoke("training", "check", "fix_project_file", "--workspace", root)
    assert result.exit_code == 1
    assert "لا يمكن قراءة ملف المشروع بعد" in result.output
    assert "ليس TOML صالحاً" in result.output
    assert "لم تنجح بعد" in result.output
