"""Write-then-rename: an output appears complete or not at all.

Every writer in :mod:`observatory.io` writes to a temporary file in the target's folder and
renames it over the target only when the write has finished, so an interrupted or failed
run never leaves a half-written output, and an existing output is only replaced when the
caller allows it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from observatory.errors import OutputExistsError


def check_writable(target: Path, *, overwrite: bool) -> None:
    """Raise OutputExistsError when ``target`` exists and ``overwrite`` is False."""
    if target.exists() and not overwrite:
        raise OutputExistsError(
            f"{target} already exists; choose another output or add --overwrite to replace it."
        )


@contextlib.contextmanager
def atomic_path(target: Path | str, *, overwrite: bool) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it to ``target`` on success.

    On any exception the temporary file is removed and ``target`` is left untouched.
    """
    target = Path(target)
    check_writable(target, overwrite=overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=f".part{target.suffix}", dir=target.parent
    )
    os.close(handle)
    temporary = Path(name)
    temporary.unlink()  # writers (GDAL) want to create the file themselves
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            if leftover.exists():
                leftover.unlink()


@contextlib.contextmanager
def atomic_directory(target: Path | str, *, overwrite: bool) -> Iterator[Path]:
    """Yield a temporary folder next to ``target`` whose files are moved in on success.

    Files already in ``target`` that the run did not produce are kept; files it produced
    replace existing ones only when ``overwrite`` is True (checked before anything is
    written, so a refused run writes nothing).
    """
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".observatory-", dir=target))
    try:
        yield staging
        produced = sorted(p for p in staging.iterdir())
        for path in produced:
            check_writable(target / path.name, overwrite=overwrite)
        for path in produced:
            os.replace(path, target / path.name)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
