"""Add entries to a table of ``observatory.toml`` by a careful text edit.

The ``prepare`` commands register what they wrote (``[layers].roads``, ``[rasters].population``)
in the user's project file. The file is the user's: its comments, order and layout are kept.
The edit touches only the lines of the entries it writes:

- an entry that does not exist is added at the end of its table (the table is added at the
  end of the file when it is missing);
- an entry that exists is replaced only with ``overwrite``: a one-line ``key = ...`` in the
  table, or a ``[table.key]`` section, which is replaced by a one-line entry;
- anything else (a dotted key such as ``roads.path = ...``) is left to the user.

The edited text is parsed again before it is written (atomically) and must hold exactly the
new entries, so a bad edit never reaches the disk.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from observatory.errors import OutputExistsError, ProjectFileError
from observatory.io.files import write_text_atomically
from observatory.io.tables import read_toml, tomllib

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_value(value: Any) -> str:
    """An inline TOML value: a string, number, boolean, or a table/array of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_key(key)} = {toml_value(item)}" for key, item in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def toml_key(key: Any) -> str:
    text = str(key)
    return text if _BARE_KEY.match(text) else json.dumps(text, ensure_ascii=False)


def _header_name(line: str) -> str | None:
    match = _HEADER.match(line)
    if not match or line.lstrip().startswith("#"):
        return None
    return ".".join(part.strip().strip('"') for part in match.group(1).split("."))


def _sections(lines: list[str]) -> list[tuple[str, int, int]]:
    """(table name, first line, end line) of every section; the top of the file is ``""``."""
    starts = [(name, i) for i, line in enumerate(lines) if (name := _header_name(line))]
    bounds = [("", 0), *starts]
    ends = [start for _, start in starts] + [len(lines)]
    return [(name, start, end) for (name, start), end in zip(bounds, ends, strict=True)]


def _key_line(lines: list[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
    for i in range(start, end):
        if pattern.match(lines[i]):
            return i
    return None


def _last_content_line(lines: list[str], start: int, end: int) -> int:
    last = start
    for i in range(start, end):
        if lines[i].strip():
            last = i
    return last


def _edited(lines: list[str], table: str, entries: Mapping[str, Any]) -> list[str]:
    lines = list(lines)
    for key, value in entries.items():
        entry = f"{toml_key(key)} = {toml_value(value)}"
        sections = _sections(lines)
        own = [(s, e) for name, s, e in sections if name == f"{table}.{key}"]
        if own:
            start, end = own[0]
            del lines[start:end]
            sections = _sections(lines)
        found = [(s, e) for name, s, e in sections if name == table]
        if not found:
            if lines and lines[-1].strip():
                lines.append("")
            lines.extend([f"[{table}]", entry])
            continue
        start, end = found[0]
        existing = _key_line(lines, start + 1, end, key)
        if existing is not None:
            lines[existing] = entry
        else:
            lines.insert(_last_content_line(lines, start, end) + 1, entry)
    return lines


def set_table_entries(
    path: Path, table: str, entries: Mapping[str, Any], *, overwrite: bool
) -> list[str]:
    """Write ``entries`` into ``[table]`` of the project file at ``path``, keeping the rest.

    Parameters
    ----------
    path : pathlib.Path
        The project file.
    table : str
        A top-level table (``layers``, ``rasters``).
    entries : mapping
        Key → value (a string, number or inline table).
    overwrite : bool
        Replace entries that exist; without it an existing entry is refused.

    Returns
    -------
    list of str
        The keys that replaced an existing entry.

    Raises
    ------
    OutputExistsError
        If an entry exists and ``overwrite`` is False (nothing is written).
    ProjectFileError
        If the file cannot be edited safely (the message says what to change by hand).
    """
    path = Path(path)
    document = read_toml(path)
    current = document.get(table, {})
    if not isinstance(current, dict):
        raise ProjectFileError(f"{path}: {table}: expected a table; fix it, then run again.")
    replaced = [key for key in entries if key in current]
    if replaced and not overwrite:
        raise OutputExistsError(
            f"{path}: [{table}] already has {', '.join(replaced)}; add --overwrite to replace "
            "them, or remove them from the project file."
        )
    text = path.read_text(encoding="utf-8")
    lines = _edited(text.splitlines(), table, entries)
    new_text = "\n".join(lines) + "\n"
    try:
        edited = tomllib.loads(new_text)
    except tomllib.TOMLDecodeError as error:
        raise ProjectFileError(
            f"{path}: the project file could not be edited automatically ({error}); add these "
            f"lines to [{table}] by hand: "
            + "; ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in entries.items())
        ) from None
    expected = {**document, table: {**current, **entries}}
    wrong = [key for key, value in entries.items() if edited.get(table, {}).get(key) != value]
    if wrong or edited != expected:
        raise ProjectFileError(
            f"{path}: [{table}] {', '.join(wrong) or 'entries'} could not be set automatically "
            "(written as dotted keys?); write them as one line each, e.g. "
            f"{toml_key(next(iter(entries)))} = {toml_value(next(iter(entries.values())))}."
        )
    write_text_atomically(path, new_text, overwrite=True)
    return replaced
