"""Reading names: the words and years in a file, layer, field or column name.

``"hcp_province_code"`` → ``hcp province code``; ``"gemeente2024"`` → ``gemeente 2024``;
``"NIS_code"`` → ``nis code``; ``"Écoles primaires"`` → ``ecoles primaires``. Accents are
dropped and case folded, so a list of words (``ecole``) matches every spelling.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[a-z]+|\d+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def plain(text: str) -> str:
    """``text`` without accents, in lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(name: str) -> list[str]:
    """The words and numbers of a name, in order (camelCase split too)."""
    return _WORD.findall(plain(_CAMEL.sub(" ", name)))


def has_word(name: str, vocabulary: frozenset[str] | set[str]) -> bool:
    """Whether one of the words of ``name`` is in ``vocabulary``."""
    return not vocabulary.isdisjoint(words(name))


def years(name: str) -> list[int]:
    """The years (1900 to 2099) written in a name, in order: ``pop2014`` → ``[2014]``.

    A year is four digits standing apart from other digits (``P_2019``, ``E2020``); the
    digits of a longer number (``54009``) are not one.
    """
    return [int(match) for match in _YEAR.findall(name)]


def slug(name: str) -> str:
    """A level name made from a layer name: words joined by ``_``, numbers dropped."""
    kept = [word for word in words(name) if not word.isdigit()]
    return "_".join(kept) or "level"


def counted(number: int, word: str) -> str:
    """``number`` and ``word``, in the plural unless it is 1: ``"1 polygon"``, ``"2 units"``."""
    return f"{number} {word}" if number == 1 else f"{number} {word}s"
