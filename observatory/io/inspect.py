"""Small text files for the project commands: the shipped template, the written project file.

``observatory init`` reads the project-file template shipped inside the package and writes
it into the user's folder; both go through here, since only :mod:`observatory.io` touches
files.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from observatory.io.atomic import atomic_path


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
