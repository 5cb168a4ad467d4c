"""Reading the tables of a project file's TOML document with messages that name their key.

:class:`TableReader` opens one table of the document, refuses unknown keys with the closest
allowed one, and reads values by type, each mistake a
:class:`~observatory.errors.ProjectFileError` naming the file and the dotted key
(``units.levels[2].parent``). :mod:`observatory.project` and :mod:`observatory.census_spec`
read the schema with it.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from observatory.errors import ProjectFileError

DOCS = "docs/project-file.md"


class TableReader:
    """Reads one table of the TOML document, reporting mistakes with their dotted key.

    Unknown keys are refused as soon as the table is opened, with the closest allowed key
    as a suggestion, so that a typo (``[unit]``) is reported as such and not as a missing
    ``[units]``.
    """

    def __init__(
        self, file: Path, table: dict[str, Any], prefix: str, allowed: tuple[str, ...]
    ) -> None:
        self.file = file
        self.table = table
        self.prefix = prefix
        for name in table:
            if name not in allowed:
                raise self.fail(self.key(name), unknown_key_problem(name, allowed))

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, key: str, problem: str) -> ProjectFileError:
        return ProjectFileError(f"{self.file}: {key}: {problem}")

    def get(
        self,
        name: str,
        kind: type | tuple[type, ...],
        *,
        required: bool,
        default: Any = None,
        example: str = "",
    ) -> Any:
        if name not in self.table:
            if required:
                hint = f", e.g. {example}" if example else ""
                raise self.fail(self.key(name), f"missing required key; add it{hint} (see {DOCS}).")
            return default
        value = self.table[name]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            if str in kinds and not isinstance(value, dict | list):
                fix = f'write it in quotes: {name} = "{value}"'
            else:
                fix = f"write it as {example}" if example else f"see {DOCS}"
            raise self.fail(
                self.key(name),
                f"expected {type_name(kinds)}, got {type_name((type(value),))} {value!r}; {fix}.",
            )
        return value

    def text(self, name: str, *, required: bool, example: str = "") -> str | None:
        """A non-empty string (a name or a field name)."""
        value = self.get(name, str, required=required, example=example)
        if value is not None and not value.strip():
            raise self.fail(self.key(name), "empty text; give a name.")
        return value

    def sub(self, name: str, allowed: tuple[str, ...], *, required: bool) -> TableReader | None:
        value = self.get(name, dict, required=required, example=f"[{self.key(name)}]")
        return None if value is None else TableReader(self.file, value, self.key(name), allowed)

    def path(self, name: str, *, example: str = "", required: bool = True) -> Path | None:
        value = self.get(name, str, required=required, example=example)
        if value is None:
            return None
        if not value.strip():
            raise self.fail(
                self.key(name), "empty path; give a file path relative to the project file."
            )
        escaped = [shown for char, shown in PATH_ESCAPES.items() if char in value]
        if escaped:
            raise self.fail(
                self.key(name),
                f"the path {value!r} holds {' and '.join(escaped)}: between double quotes a "
                "backslash starts an escape (\\n is a line break, \\t a tab). Write the path "
                "with / (C:/Users/...) or between single quotes ('C:\\Users\\...').",
            )
        return (self.file.parent / value).resolve()


#: Characters a Windows path gets from TOML escapes between double quotes (\n, \t, \b, \f,
#: \r), by how a message names them.
PATH_ESCAPES = {
    "\n": "a line break",
    "\t": "a tab",
    "\b": "a backspace",
    "\f": "a form feed",
    "\r": "a carriage return",
}


def unknown_key_problem(name: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    suggestion = f"did you mean '{close[0]}'? " if close else ""
    known = ", ".join(allowed) if allowed else "none"
    return f"unknown key '{name}'; {suggestion}The keys allowed here are: {known}."


#: How messages name the TOML types.
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
_TYPE_NAMES |= {dict: "a table", list: "an array"}


def type_name(kinds: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES.get(kind, kind.__name__) for kind in kinds)


def read_year(reader: TableReader, text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise reader.fail(reader.key(text), "a year must be 4 digits, e.g. 2024.")
    return int(text)
