"""answer_line_hint: the usual slips on the line a TOML error points to, told with the fix."""

from __future__ import annotations

import sys

import pytest

from observatory.workshop.toml_hints import answer_line_hint

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def _hint_of(line: str):
    """The hint for ``line`` in a small answer file, from the reader's own error."""
    text = f'# answers\nname = "ok"\n{line}\n'
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return answer_line_hint(text, str(error))
    raise AssertionError(f"{line!r} is valid TOML")


@pytest.mark.parametrize(
    ("line", "english"),
    [
        ("share = 60,4", "a decimal number takes a point in this file: share = 60.4"),
        ("people = 3 104 934", "write the number without spaces: people = 3104934"),
        ("above = True", "true and false are written in lower case"),
        ("above = vrai", "above = true or above = false"),
        ("regime = « expansion »", 'use straight double quotes "...", not « » or “ ”'),
        ("regime = “expansion”", 'regime = "expansion"'),
        ("province = 04.421", 'a code is a text, between double quotes: province = "04.421"'),
        ('reason = "A', 'a quote is not closed: reason = "A"'),
        ("reason = A", 'a text goes between double quotes: reason = "A"'),
    ],
)
def test_the_usual_slips_are_told_with_the_line_written_right(line, english):
    number, shown, (hint_en, hint_fr, hint_ar) = _hint_of(line)
    assert (number, shown) == (3, line)
    assert english in hint_en
    assert hint_fr and hint_ar and hint_fr != hint_en


def test_a_slip_it_does_not_know_gives_no_hint():
    assert _hint_of("codes = [1, 2") is None  # a list left open
    assert answer_line_hint("a = 1\n", "no line in this message") is None
    assert answer_line_hint("a = 1\n", "at line 9, column 1") is None  # past the end
