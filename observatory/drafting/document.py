"""The draft project file as sections of entries, each guess with its CHECK note, and its text.

A :class:`Section` is a TOML table (``[project]``) or one element of an array of tables
(``[[units.levels]]``); an :class:`Entry` is one ``key = value`` line. Either may carry a
``check``: the note written as ``# CHECK: ...`` above it, saying what was guessed and from
what, for the technician to confirm. A section or entry may be written commented out when
the draft is unsure it belongs in the project at all.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from observatory.io.project_file import toml_key, toml_value

#: Width of the comment lines of the draft.
WIDTH = 95
#: How a CHECK note starts (``observatory validate`` does not read comments).
CHECK = "# CHECK: "
_MORE = "#   "


@dataclass
class Entry:
    """One ``key = value`` line of a section."""

    key: str
    value: Any
    check: str | None = None
    commented: bool = False


@dataclass
class Section:
    """One table of the draft, with its comments, CHECK note and entries."""

    header: str
    array: bool = False
    entries: list[Entry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    check: str | None = None
    commented: bool = False

    def add(self, key: str, value: Any, check: str | None = None, *, commented: bool = False):
        """Append ``key = value`` (skipped when ``value`` is None)."""
        if value is not None:
            self.entries.append(Entry(key, value, check, commented))

    def checks(self) -> int:
        """CHECK notes of the section and its entries."""
        return (self.check is not None) + sum(entry.check is not None for entry in self.entries)


def comment(text: str, *, first: str = "# ", then: str = "# ") -> list[str]:
    """``text`` as comment lines of at most :data:`WIDTH` characters, the first starting
    with ``first`` and the others with ``then``."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=then,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def section_lines(section: Section) -> list[str]:
    """The lines of one section, commented out when it is."""
    lines = [line for note in section.notes for line in comment(note)]
    if section.check:
        lines += comment(section.check, first=CHECK, then=_MORE)
    header = f"[[{section.header}]]" if section.array else f"[{section.header}]"
    lines.append(f"# {header}" if section.commented else header)
    for entry in section.entries:
        if entry.check:
            lines += comment(entry.check, first=CHECK, then=_MORE)
        line = f"{toml_key(entry.key)} = {toml_value(entry.value)}"
        lines.append(f"# {line}" if section.commented or entry.commented else line)
    return lines


def document_text(header: list[str], sections: list[Section]) -> str:
    """The draft's text: the header comments, then each section after a blank line."""
    lines = list(header)
    for section in sections:
        lines += ["", *section_lines(section)]
    return "\n".join(lines) + "\n"
