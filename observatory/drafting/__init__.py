"""A draft ``observatory.toml`` from the files a technician has (``observatory init --from``).

:func:`draft_project` takes what :func:`observatory.io.inventory.read_inventory` found in
the files and guesses the project file: polygon layers become unit levels
(:mod:`.units`), tables census tables or a crosswalk (:mod:`.census`), rasters and the
other layers get a role from their names (:mod:`.roles`). Every guess is written with a
``# CHECK:`` note above it saying what was guessed and from what, so that the technician
reviews them and ``observatory validate`` finishes the job. Nothing here opens a file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath

from observatory.drafting.census import draft_census
from observatory.drafting.document import Section, comment, document_text
from observatory.drafting.roles import draft_layers, draft_rasters, is_open_space
from observatory.drafting.units import LevelGuess, guess_levels, guessed_language, level_sections
from observatory.io.inventory import Inventory

__all__ = ["Draft", "draft_project"]

_HEADER = (
    "Every guess has a '# CHECK:' line above it saying what was guessed and from what: read "
    "each one, correct the value if it is wrong, then delete the CHECK line. Tables written "
    "commented out were found but not placed with confidence: uncomment them if they belong "
    "to the project.",
    "Then run `observatory validate` in this folder: it opens every layer and lists every "
    "problem with its fix. Paths are relative to this file; the keys are documented in "
    "docs/project-file.md.",
)


@dataclass(frozen=True)
class Draft:
    """The draft project file: its text, its number of CHECK notes and a short summary."""

    text: str
    checks: int
    summary: list[str]


def relative_path(path: Path, folder: Path) -> str:
    """``path`` as written in a project file in ``folder``: relative, with ``/``.

    An absolute path is kept where no relative one exists (another drive on Windows).
    """
    try:
        return PurePath(os.path.relpath(path, folder)).as_posix()
    except ValueError:
        return PurePath(path).as_posix()


def _project_section(folder: Path, levels: list[LevelGuess]) -> Section:
    section = Section("project")
    section.add("name", folder.name, "project name taken from the folder name")
    section.add("language", *guessed_language(levels))
    return section


def _levels_summary(levels: list[LevelGuess]) -> list[str]:
    if not levels:
        return ["no polygon layer for the unit levels: [[units.levels]] must be written"]
    found = ", ".join(
        f"{level.name} ({level.layer.name}, {level.layer.features})" for level in levels
    )
    return [f"unit levels, coarsest first: {found}"]


def draft_project(inventory: Inventory, folder: Path, *, sources: Sequence[Path]) -> Draft:
    """Draft the project file of ``folder`` from what ``sources`` hold.

    Parameters
    ----------
    inventory : Inventory
        What the files hold (:func:`observatory.io.inventory.read_inventory`).
    folder : pathlib.Path
        The project folder: the draft's paths are written relative to it.
    sources : sequence of pathlib.Path
        The paths the inventory was read from, listed at the top of the draft.

    Returns
    -------
    Draft
        Its text is valid TOML; the keys it cannot guess hold ``"FIELD"``.
    """
    folder = Path(folder).absolute()

    def where(path: Path) -> str:
        return relative_path(path, folder)

    polygons = [
        v
        for v in inventory.vectors
        if v.geometry == "polygon" and v.features and not is_open_space(v)
    ]
    levels = guess_levels(polygons)
    census = draft_census(inventory.tables, levels, where)
    rasters = draft_rasters(inventory.rasters, census.years, where)
    layers = draft_layers([v for v in inventory.vectors if v not in polygons], where)
    sections = [
        _project_section(folder, levels),
        *level_sections(levels, where),
        *census.sections,
        *rasters.sections,
        *layers.sections,
    ]
    unused = [
        *(
            (table.path.name + (f" (sheet {table.sheet})" if table.sheet else ""), why)
            for table, why in census.unused
        ),
        *rasters.unused,
        *layers.unused,
        *((path.name, why) for path, why in inventory.skipped),
    ]
    header = comment("observatory.toml drafted by `observatory init --from` from:")
    header += [f"#   {where(Path(source).absolute())}" for source in sources]
    for paragraph in _HEADER:
        header += ["#", *comment(paragraph)]
    footer = ["", "# Found but not used:"] if unused else []
    footer += [
        line
        for name, why in unused
        for line in comment(f"{name}: {why}", first="#   ", then="#     ")
    ]
    text = document_text(header, sections) + ("\n".join(footer) + "\n" if footer else "")
    summary = [
        f"read {len(inventory.vectors)} vector layer(s), {len(inventory.tables)} table(s) and "
        f"{len(inventory.rasters)} raster(s)",
        *_levels_summary(levels),
        *census.summary,
        *rasters.summary,
        *layers.summary,
        *(f"not used: {name} ({why})" for name, why in unused),
    ]
    return Draft(text, sum(section.checks() for section in sections), summary)
