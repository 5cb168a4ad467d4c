"""The bundled sample project (Rabat-Salé-Kénitra): where it is and how to copy it out.

In an installed wheel the sample sits in ``observatory/_bundled/sample_data``; in a source
checkout (editable install) it is the repository's ``sample_data/`` folder.
"""

from __future__ import annotations

from pathlib import Path

from observatory.errors import InputFileNotFoundError
from observatory.io.files import copy_tree

PACKAGE_ROOT = Path(__file__).resolve().parent
#: Files of the sample folder that are not part of the project a user gets.
NOT_COPIED = ("build.py", "generator", "__pycache__")


def bundled_folder(name: str) -> Path:
    """The bundled folder ``name`` (``sample_data`` or ``training``)."""
    for candidate in (PACKAGE_ROOT / "_bundled" / name, PACKAGE_ROOT.parent / name):
        if (candidate / "README.md").is_file():
            return candidate
    raise InputFileNotFoundError(
        f"the bundled {name} folder is missing from this installation; reinstall observatory."
    )


def write_sample_project(directory: Path | str, *, overwrite: bool = False) -> Path:
    """Copy the sample project into ``directory``; return the path of its project file."""
    target = Path(directory)
    copy_tree(bundled_folder("sample_data"), target, ignore=NOT_COPIED, overwrite=overwrite)
    return target / "observatory.toml"
