"""The course's quiz, ``training/quiz.toml``: multiple-choice questions taken before and after.

Format (version 1)::

    format = 1

    [[questions]]
    id = "crs_areas"                                   # unique, lower case, a-z 0-9 _
    concept = { en = "CRS and areas", fr = "SCR et surfaces" }
    text = { en = "...", fr = "..." }
    choices = { en = ["...", "...", "...", "..."], fr = ["...", "...", "...", "..."] }
    answer = "B"                                       # the letter of the right choice
    why = { en = "...", fr = "..." }                   # shown after the post quiz

The same questions are asked before the course (``pre``) and after it (``post``), so the
two scores measure what the course taught. The quiz file stays in the installed course
(the answers are in it); the trainee's answers go to the workspace's progress record.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from observatory.errors import InputFileNotFoundError, ProjectFileError
from observatory.io.tables import read_toml
from observatory.workshop.manifest import (
    FORMAT_VERSION,
    LANGUAGES,
    NAME_PATTERN,
    QUIZ_FILE,
    REQUIRED_LANGUAGES,
    language_texts,
)

#: Choices per question are lettered A, B, C...
LETTERS = string.ascii_uppercase
MIN_CHOICES, MAX_CHOICES = 2, 6


@dataclass(frozen=True)
class Question:
    """One multiple-choice question, its texts by language and the letter of its answer."""

    id: str
    concept: dict[str, str]
    text: dict[str, str]
    choices: dict[str, tuple[str, ...]]
    answer: str
    why: dict[str, str]

    @property
    def letters(self) -> str:
        """The letters of the choices: ``"ABCD"`` for four."""
        return LETTERS[: len(self.choices["en"])]

    def letter(self, typed: str) -> str | None:
        """The choice ``typed`` names (``"b"``, ``" B "`` and ``"B."`` name B); None otherwise."""
        letter = typed.strip().rstrip(".)").strip().upper()
        return letter if len(letter) == 1 and letter in self.letters else None


@dataclass(frozen=True)
class Quiz:
    """The questions of the quiz, in order."""

    questions: tuple[Question, ...]

    def score(self, answers: dict[str, str]) -> int:
        """How many of ``answers`` (``{question id: letter}``) are right."""
        return sum(answers.get(question.id) == question.answer for question in self.questions)

    def wrong(self, answers: dict[str, str]) -> list[Question]:
        """The questions ``answers`` gets wrong or leaves out."""
        return [q for q in self.questions if answers.get(q.id) != q.answer]


def _texts(entry: dict, key: str, where: str) -> dict[str, str]:
    """The texts of ``key`` on one line each (the quiz file may wrap them)."""
    return {
        lang: " ".join(text.split()) for lang, text in language_texts(entry, key, where).items()
    }


def _choices(entry: dict, where: str) -> dict[str, tuple[str, ...]]:
    choices = entry.get("choices")
    languages = [
        lang
        for lang in LANGUAGES
        if lang in REQUIRED_LANGUAGES or (isinstance(choices, dict) and lang in choices)
    ]
    lists = [choices.get(lang) if isinstance(choices, dict) else None for lang in languages]
    counts = {len(found) if isinstance(found, list) else -1 for found in lists}
    if len(counts) != 1 or not MIN_CHOICES <= counts.pop() <= MAX_CHOICES:
        raise ProjectFileError(
            f"{where}: 'choices' needs a list of {MIN_CHOICES} to {MAX_CHOICES} texts for each "
            f"of {', '.join(languages)}, as many in every language."
        )
    if any(not isinstance(text, str) or not text.strip() for found in lists for text in found):
        raise ProjectFileError(f"{where}: every choice must be a text that is not empty.")
    return {
        lang: tuple(" ".join(text.split()) for text in found)
        for lang, found in zip(languages, lists, strict=True)
    }


def parse_quiz(document: dict, source: Path) -> Quiz:
    """Check the quiz ``document`` read from ``source`` and build the :class:`Quiz`."""
    if document.get("format") != FORMAT_VERSION:
        raise ProjectFileError(
            f"{source}: format = {document.get('format')!r} is not supported; this version of "
            f"observatory reads format = {FORMAT_VERSION}. Update observatory."
        )
    questions: list[Question] = []
    for position, entry in enumerate(document.get("questions", []), start=1):
        where = f"{source} question {position} ({entry.get('id', 'no id')})"
        question_id = entry.get("id", "")
        if not NAME_PATTERN.match(question_id) or question_id in {q.id for q in questions}:
            raise ProjectFileError(f"{where}: 'id' must be unique, lower case, a-z 0-9 _.")
        choices = _choices(entry, where)
        answer = entry.get("answer")
        letters = LETTERS[: len(choices["en"])]
        if not isinstance(answer, str) or not re.fullmatch(f"[{letters}]", answer):
            raise ProjectFileError(f"{where}: 'answer' must be one letter of {letters}.")
        questions.append(
            Question(
                id=question_id,
                concept=_texts(entry, "concept", where),
                text=_texts(entry, "text", where),
                choices=choices,
                answer=answer,
                why=_texts(entry, "why", where),
            )
        )
    if not questions:
        raise ProjectFileError(f"{source}: the quiz has no [[questions]].")
    return Quiz(tuple(questions))


def load_quiz(course_root: Path) -> Quiz:
    """Read ``course_root/quiz.toml``."""
    source = Path(course_root) / QUIZ_FILE
    if not source.is_file():
        raise InputFileNotFoundError(f"{source} is missing: this course has no quiz.")
    return parse_quiz(read_toml(source), source)
