"""Write-then-rename: an output appears complete or not at all, and never where it must not.

Every writer in :mod:`observatory.io` writes to a temporary file in the target's folder and
renames it over the target only when the write has finished, so an interrupted or failed
run never leaves a half-written output, and an existing output is only replaced when the
caller allows it. An operating-system error while writing (a file in the way, permission
denied, a full disk) becomes an :class:`~observatory.errors.OutputLocationError` naming the
path and the fix.

A run writing into a folder first claims it (:func:`claim_folder`): a lock file holding the
process id keeps a second run out at once, a lock left by a process that no longer exists is
taken over, and the staging folders a killed run left behind are removed.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pyogrio.errors import DataLayerError, DataSourceError

from observatory.errors import ObservatoryError, OutputExistsError, OutputLocationError

#: Name of the lock file a run keeps in the folder it writes into.
LOCK_NAME = ".observatory.lock"
#: Prefix of the staging folders :func:`atomic_directory` makes inside its target.
STAGING_PREFIX = ".observatory-"

_FIXES = {
    errno.ENOSPC: "free some disk space or choose another output folder",
    errno.EDQUOT: "free some disk space or choose another output folder",
    errno.EACCES: "choose a folder you may write to, or ask for write permission",
    errno.EPERM: "choose a folder you may write to, or ask for write permission",
    errno.EROFS: "the disk is read-only; choose another output folder",
    errno.ENOTDIR: "a file is in the way of a folder: move it or choose another output",
    errno.EEXIST: "a file is in the way: move it or choose another output",
    errno.EISDIR: "a folder is in the way of a file: move it or choose another output",
}
#: Folders claimed by this process → the folders the claim created (deepest first).
_claims: dict[Path, list[Path]] = {}


def check_writable(target: Path, *, overwrite: bool) -> None:
    """Raise OutputExistsError when ``target`` exists and ``overwrite`` is False."""
    if target.exists() and not overwrite:
        raise OutputExistsError(
            f"{target} already exists; choose another output or add --overwrite to replace it."
        )


def write_error(error: OSError, target: Path | str) -> OutputLocationError:
    """The user error for an operating-system error met while writing ``target``."""
    where = error.filename or target
    reason = error.strerror or str(error)
    fix = _FIXES.get(error.errno, "check the path and the disk, then run again")
    return OutputLocationError(f"cannot write {where}: {reason}; {fix}.")


def _driver_write_error(error: Exception, target: Path | str) -> OutputLocationError:
    """The user error for a GDAL driver failing to write ``target`` (it gives no errno: a
    nearly full disk is the usual cause, said so when the disk has under 1 MB left)."""
    folder = next(path for path in (Path(target), *Path(target).parents) if path.is_dir())
    if shutil.disk_usage(folder).free < 1 << 20:
        fix = _FIXES[errno.ENOSPC].replace("free", "the disk is full: free", 1)
    else:
        fix = "check that the disk has room and the folder can be written, then run again"
    return OutputLocationError(f"cannot write {target}: {error}; {fix}.")


@contextlib.contextmanager
def writing(target: Path | str) -> Iterator[None]:
    """Turn an OSError (or a GDAL driver's write failure) raised inside the block into an
    OutputLocationError naming the path."""
    try:
        yield
    except ObservatoryError:
        raise
    except OSError as error:
        raise write_error(error, target) from error
    except (DataSourceError, DataLayerError) as error:
        raise _driver_write_error(error, target) from error


def check_location(
    directory: Path | str, outputs: Iterable[Path] = (), inputs: Iterable[Path] = ()
) -> None:
    """Check, before any work, that outputs can be written into ``directory``.

    The folder (or the nearest folder above it that exists) must be a folder this process
    may write into, not claimed by another running process; no output may be an input, and
    the folder may not be an input or lie inside one.

    Raises
    ------
    OutputLocationError
        Naming the path in the way and the fix.
    """
    directory = Path(directory)
    _refuse_inputs(directory, list(outputs), inputs)
    existing = next(path for path in (directory, *directory.parents) if path.exists())
    if not existing.is_dir():
        what = "is a file" if existing == directory else f"cannot be made: {existing} is a file"
        raise OutputLocationError(
            f"the output folder {directory} {what}; give the path of a folder."
        )
    if not _may_write(existing):
        raise OutputLocationError(
            f"cannot write into {existing}: permission denied; choose a folder you may write "
            "to, or ask for write permission."
        )
    _refuse_if_locked(directory)


def _may_write(folder: Path) -> bool:
    """Whether this process may create files in ``folder``."""
    return os.access(folder, os.W_OK | os.X_OK)


def _refuse_inputs(directory: Path, outputs: list[Path], inputs: Iterable[Path]) -> None:
    """Raise when an output would replace an input, or the folder is or lies in an input."""
    resolved = directory.resolve()
    for source in inputs:
        source_path = Path(source).resolve()
        if resolved == source_path or source_path in resolved.parents:
            raise OutputLocationError(
                f"the output folder {directory} is the input {source} or lies inside it; "
                "choose an output folder outside the inputs."
            )
        for output in outputs:
            if Path(output).resolve() == source_path:
                raise OutputLocationError(
                    f"writing into {directory} would replace the input {source} with "
                    f"{Path(output).name}; choose another output folder (e.g. a new "
                    "'results' folder)."
                )


def _refuse_if_locked(directory: Path) -> None:
    """Raise when another running process holds the lock of ``directory``."""
    owner = _lock_owner(directory / LOCK_NAME)
    if owner is not None and owner != os.getpid() and _alive(owner):
        raise OutputLocationError(
            f"another run (process {owner}) is writing into {directory}; wait until it ends "
            f"or choose another output folder (if no run is going on, delete "
            f"{directory / LOCK_NAME})."
        )


def _lock_owner(lock: Path) -> int | None:
    """The process id written in ``lock``, or None when there is no readable lock."""
    try:
        return int(lock.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    """Whether a process with this id exists (one of another user counts)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def claim_folder(directory: Path | str) -> None:
    """Create ``directory`` if needed and lock it for this process until
    :func:`release_folders` (called at exit too).

    A lock of a process that no longer exists is taken over, and the staging folders such
    a run left (``.observatory-*``) are removed. Claiming a folder twice is harmless.

    Raises
    ------
    OutputLocationError
        If another running process holds the lock, or the folder cannot be made.
    """
    directory = Path(directory)
    if directory in _claims:
        return
    missing = [path for path in (directory, *directory.parents) if not path.exists()]
    if not _claims:
        atexit.register(release_folders)
    # Recorded before the lock exists, so that an interrupt arriving between taking the lock
    # and returning still releases it (release_folders removes only this process's lock).
    _claims[directory] = missing
    try:
        with writing(directory):
            directory.mkdir(parents=True, exist_ok=True)
            _take_lock(directory)
    except Exception:
        _release(directory, _claims.pop(directory))
        raise
    for leftover in directory.glob(f"{STAGING_PREFIX}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _take_lock(directory: Path) -> None:
    lock = directory / LOCK_NAME
    mine = f"{os.getpid()}\n"
    try:
        with open(lock, "x", encoding="ascii") as handle:
            handle.write(mine)
        return
    except FileExistsError:
        pass
    _refuse_if_locked(directory)  # else the lock is stale (or ours): take it over
    handle, name = tempfile.mkstemp(prefix=".observatory-lock-", dir=directory)
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(mine)
    os.replace(name, lock)
    if _lock_owner(lock) != os.getpid():  # another run took the stale lock at the same time
        _refuse_if_locked(directory)


def release_folders() -> None:
    """Remove this process's locks, and the folders its claims created when left empty."""
    while _claims:
        _release(*_claims.popitem())


def _release(directory: Path, created: list[Path]) -> None:
    """Remove the lock of ``directory`` if this process holds it, and the folders of
    ``created`` (those claiming it made) when they are empty."""
    lock = directory / LOCK_NAME
    if _lock_owner(lock) == os.getpid():
        lock.unlink(missing_ok=True)
    for folder in created:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty


@contextlib.contextmanager
def atomic_path(target: Path | str, *, overwrite: bool) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it to ``target`` on success.

    On any exception the temporary file is removed and ``target`` is left untouched; an
    OSError becomes an OutputLocationError naming the path.
    """
    target = Path(target)
    check_writable(target, overwrite=overwrite)
    with writing(target):
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
                with contextlib.suppress(OSError):
                    leftover.unlink()


@contextlib.contextmanager
def atomic_directory(target: Path | str, *, overwrite: bool) -> Iterator[Path]:
    """Yield a temporary folder next to ``target`` whose files are moved in on success.

    Files already in ``target`` that the run did not produce are kept; files it produced
    replace existing ones only when ``overwrite`` is True (checked before anything is
    written, so a refused run writes nothing). The staging folder is removed whatever
    happens; an OSError becomes an OutputLocationError naming the path.
    """
    target = Path(target)
    with writing(target):
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=target))
        try:
            yield staging
            produced = sorted(p for p in staging.iterdir())
            for path in produced:
                check_writable(target / path.name, overwrite=overwrite)
            for path in produced:
                os.replace(path, target / path.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
