"""Files of the HTML atlas: its templates and assets in, its pages out, unit names read.

The templates and the CSS and JavaScript are package data of
:mod:`observatory.report.atlas`; the atlas is written as one flat folder, atomically
(:func:`observatory.io.atomic.atomic_directory`). Unit names in another language than the
results' are read from the project's own units file, which the provenance names.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

import pyogrio

from observatory.io.atomic import atomic_directory

log = logging.getLogger(__name__)
PACKAGE = "observatory.report.atlas"


def read_atlas_sources() -> dict[str, str]:
    """Name → text of every template (``templates/*.html``) and asset (``assets/*``)."""
    sources = {}
    root = resources.files(PACKAGE)
    for folder in ("templates", "assets"):
        for entry in root.joinpath(folder).iterdir():
            if entry.is_file() and not entry.name.startswith("."):
                sources[f"{folder}/{entry.name}"] = entry.read_text(encoding="utf-8")
    return sources


def write_atlas_files(directory: Path, files: dict[str, str], *, overwrite: bool) -> list[Path]:
    """Write ``files`` (name → text, UTF-8) into ``directory``, all or none.

    Raises
    ------
    OutputExistsError
        If one of the files exists and ``overwrite`` is False (nothing is written).
    """
    directory = Path(directory)
    with atomic_directory(directory, overwrite=overwrite) as staging:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
    return [directory / name for name in files]


def read_unit_names(provenance: dict, language: str) -> dict[tuple[str, str], str]:
    """(level, unit id) → the unit's name in ``language``, from the project's units file.

    A level's layer gives names when it has a field ``name_<language>`` (e.g. ``name_ar``
    in the sample); a level or a project without one gives none, and so does a units file
    that moved since the run (the atlas then keeps the names of the results).
    """
    try:
        project_file = Path(provenance["project"]["file"])
        units = provenance["project"]["settings"]["units"]
        levels = units["levels"]
    except (KeyError, TypeError):
        return {}
    field = f"name_{language}"
    names: dict[tuple[str, str], str] = {}
    for level in levels:
        try:
            path = project_file.parent / level.get("path", units.get("path", ""))
            frame = pyogrio.read_dataframe(
                path, layer=level.get("layer"), columns=[level["id"], field], read_geometry=False
            )
        except (OSError, KeyError, ValueError, pyogrio.errors.DataSourceError) as error:
            log.info(
                "no %s names for level %s in %s (%s)", language, level.get("name"), path, error
            )
            continue
        if field not in frame.columns:
            continue
        for unit_id, name in zip(frame[level["id"]].astype(str), frame[field], strict=True):
            if isinstance(name, str) and name.strip():
                names[(level["name"], unit_id)] = name.strip()
    return names
