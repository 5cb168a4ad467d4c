"""Files of the package and of the user: bundled text read, text written atomically, bundled
folders (sample project, training workspace) copied out."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from observatory.errors import OutputExistsError
from observatory.io.atomic import atomic_path, check_location, writing


def package_text(name: str) -> str:
    """The UTF-8 text of the file ``name`` shipped in the ``observatory`` package."""
    return resources.files("observatory").joinpath(name).read_text(encoding="utf-8")


def write_text_atomically(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file renamed when complete.

    Raises
    ------
    OutputExistsError
        If ``path`` exists and ``overwrite`` is False.
    """
    with atomic_path(path, overwrite=overwrite) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")


def copy_tree(
    source: Path, target: Path, *, ignore: Sequence[str] = (), overwrite: bool = False
) -> None:
    """Copy the files under ``source`` into ``target``, refusing to replace existing files.

    Every file is checked before anything is copied, so a refused copy writes nothing. The
    copy goes to a temporary sibling folder first and is moved into place when complete.

    Raises
    ------
    OutputExistsError
        If a file would be replaced and ``overwrite`` is False.
    OutputLocationError
        If ``target`` is a file, cannot be written, or writing fails (full disk...).
    """
    target = Path(target)
    check_location(target)
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
    with writing(target):
        if staging.exists():
            shutil.rmtree(staging)
        try:
            shutil.copytree(source, staging, ignore=ignored)
            shutil.copytree(staging, target, dirs_exist_ok=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
