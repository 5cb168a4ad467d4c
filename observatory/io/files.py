"""Copying bundled folders (sample project, training workspace) out to the user."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from observatory.errors import OutputExistsError


def copy_tree(
    source: Path, target: Path, *, ignore: Sequence[str] = (), overwrite: bool = False
) -> None:
    """Copy the files under ``source`` into ``target``, refusing to replace existing files.

    Every file is checked before anything is copied, so a refused copy writes nothing. The
    copy goes to a temporary sibling folder first and is moved into place when complete.
    """
    target = Path(target)
    ignored = shutil.ignore_patterns(*ignore)
    existing = []
    for path in source.rglob("*"):
        relative = path.relative_to(source)
        if any(ignored(str(path.parent), [part]) for part in relative.parts):
            continue
        if path.is_file() and (target / relative).exists():
            existing.append(target / relative)
    if existing and not overwrite:
        raise OutputExistsError(
            f"{existing[0]} already exists ({len(existing)} file(s) would be replaced); "
            "choose an empty folder or add --overwrite."
        )
    staging = target.with_name(f".{target.name}.partial")
    if staging.exists():
        shutil.rmtree(staging)
    try:
        shutil.copytree(source, staging, ignore=ignored)
        shutil.copytree(staging, target, dirs_exist_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
