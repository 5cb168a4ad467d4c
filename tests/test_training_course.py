"""Proof that the course works: on a workspace made as a trainee would (``training start``
with the bundled course and sample), every exercise fails its check as shipped and passes
with its solution; hints and pages exist in both languages; every file the manifest names
exists and every file of the course is named by the manifest (no orphans either way)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from observatory.workshop import bundled_course, start_workspace
from observatory.workshop.manifest import (
    MANIFEST,
    QUIZ_FILE,
    REQUIRED_LANGUAGES,
    SOLUTIONS,
    TRAINER_FOLDER,
)

COURSE = bundled_course()
EXERCISES = [exercise.name for exercise in COURSE.exercises]
#: Files of the course folder that no exercise names: the overview, the manifest, and per
#: module its learner pages and its checks.
#: The trainer's pack (tests/test_training_report.py checks the schedule and the quiz pages).
TRAINER_DOCUMENTS = (
    "schedule",
    "prerequisites",
    "objectives",
    "facilitator-notes",
    "slides",
    "quiz",
)
COURSE_FILES = {"README.md", MANIFEST, QUIZ_FILE, f"{TRAINER_FOLDER}/README.md"} | {
    f"{TRAINER_FOLDER}/{document}.{language}.md"
    for document in TRAINER_DOCUMENTS
    for language in REQUIRED_LANGUAGES
}
PAGE_HEADINGS = {
    "en": ("**Questions.**", "**Objectives.**", "## Exercises", "## Key points"),
    "fr": ("**Questions.**", "**Objectifs.**", "## Exercices", "## Points clés"),
}
MODULE_FILES = {f"README.{language}.md" for language in REQUIRED_LANGUAGES} | {"checks.py"}
#: Pages that may be missing (the workspace then shows the English page under a note).
OPTIONAL_PAGES = ("README.ar.md",)
#: The modules whose learner page is in Arabic (training/README.md says so).
ARABIC_MODULES = ("01_getting_started", "02_layers")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return start_workspace(tmp_path_factory.mktemp("course") / "ws", language="fr")


@pytest.mark.parametrize("name", EXERCISES)
def test_exercise_fails_as_shipped_and_passes_with_its_solution(workspace, name):
    exercise = workspace.course.exercise(name)
    shipped = workspace.check(exercise)
    assert not shipped.passed, [item.message_en for item in shipped.items]
    workspace.apply_solution(exercise)
    solved = workspace.check(exercise)
    assert solved.passed, [item.message_en for item in solved.items if not item.passed]
    workspace.reset(exercise)
    assert not workspace.check(exercise).passed


@pytest.mark.parametrize("name", EXERCISES)
def test_exercise_has_title_and_hint_in_both_languages(name):
    exercise = COURSE.exercise(name)
    for language in REQUIRED_LANGUAGES:
        assert len(exercise.hint[language]) > 40
        assert exercise.title[language]
    assert exercise.hint["en"] != exercise.hint["fr"]


def test_every_module_has_pages_in_both_languages_and_exercises():
    used = {exercise.module for exercise in COURSE.exercises}
    assert used == set(COURSE.modules)
    for module in COURSE.modules.values():
        for language in REQUIRED_LANGUAGES:
            page = (COURSE.root / module.page(language)).read_text(encoding="utf-8")
            for heading in PAGE_HEADINGS[language]:
                assert heading in page, (module.page(language), heading)
        count = sum(exercise.module == module.id for exercise in COURSE.exercises)
        assert 1 <= count <= 5, module.id


def test_every_named_file_exists_with_its_solution():
    for exercise in COURSE.exercises:
        for file in exercise.files:
            assert (COURSE.root / file).is_file(), file
            assert (COURSE.root / exercise.solution_of(file)).is_file(), file
        for file in exercise.inputs:
            assert (COURSE.root / file).is_file(), file
        assert (COURSE.root / exercise.check_file).is_file(), exercise.check


def test_no_orphan_file_in_the_course():
    named = set(COURSE_FILES)
    for exercise in COURSE.exercises:
        named.update(exercise.files, exercise.inputs, [exercise.check_file])
        named.update(exercise.solution_of(file) for file in exercise.files)
    for module in COURSE.modules:
        named.update(f"{module}/{name}" for name in MODULE_FILES)
        named.update(
            f"{module}/{name}" for name in OPTIONAL_PAGES if (COURSE.root / module / name).is_file()
        )
    present = {
        path.relative_to(COURSE.root).as_posix()
        for path in COURSE.root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert present - named == set(), "files no exercise uses"
    assert named - present == set(), "files the manifest names but the course lacks"


def test_solutions_mirror_starter_files_only():
    for module in COURSE.modules:
        solutions = COURSE.root / module / SOLUTIONS
        for path in solutions.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                starter = Path(module) / path.relative_to(solutions)
                assert (COURSE.root / starter).is_file(), starter


#: ``pip install observatory`` (any options between): that name on the package index is an
#: unrelated package; Observatory is ``territorial-observatory``.
WRONG_INSTALL = re.compile(r"pip\s+install\s+(?:-\S+\s+)*['\"]?observatory\b(?![-_.\w])")
#: Words of the sentences that warn against the wrong name.
WARNINGS = ("would install an", "installerait un", "يثبّت حزمة أخرى")
WRONG_DEPENDENCY = re.compile(r"""dependencies\s*=\s*\[[^\]]*["']observatory\s*["'<>=~!;\[]""")


def test_no_course_text_installs_the_unrelated_package_called_observatory():
    assert WRONG_INSTALL.search("python -m pip install observatory")
    assert WRONG_INSTALL.search("py -m pip install --upgrade observatory")
    assert not WRONG_INSTALL.search("python -m pip install territorial-observatory")
    assert WRONG_DEPENDENCY.search('dependencies = ["observatory"]')
    assert not WRONG_DEPENDENCY.search('dependencies = ["territorial-observatory"]')
    found = []
    for path in sorted(COURSE.root.rglob("*")):
        if path.is_file() and path.suffix in {".md", ".toml", ".py"}:
            for line in path.read_text(encoding="utf-8").splitlines():
                if any(warning in line for warning in WARNINGS):
                    continue  # the sentence that says not to type it
                for pattern in (WRONG_INSTALL, WRONG_DEPENDENCY):
                    found += [f"{path.name}: {m.group(0)}" for m in pattern.finditer(line)]
    assert found == []
    page = (COURSE.root / "01_getting_started" / "README.fr.md").read_text(encoding="utf-8")
    assert "python -m pip install territorial-observatory" in page


def test_the_arabic_modules_have_their_page_and_their_hints_in_arabic():
    for module in ARABIC_MODULES:
        page = (COURSE.root / module / "README.ar.md").read_text(encoding="utf-8")
        assert page.startswith("# الوحدة") and "## التمارين" in page
        assert COURSE.modules[module].text("ar") != COURSE.modules[module].title["en"]
        for exercise in COURSE.exercises:
            if exercise.module == module:
                assert exercise.has_text("hint", "ar") and exercise.has_text("title", "ar")
    readme = (COURSE.root / "README.md").read_text(encoding="utf-8")
    assert all(f"{module}/README.ar.md" in readme for module in ARABIC_MODULES)
