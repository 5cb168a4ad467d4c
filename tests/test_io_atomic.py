"""Write-then-rename, the output location checks and the lock of a folder being written."""

from __future__ import annotations

import errno
import os
import subprocess

import pytest

from observatory.errors import OutputExistsError, OutputLocationError
from observatory.io import atomic
from observatory.io.atomic import (
    LOCK_NAME,
    atomic_directory,
    atomic_path,
    check_location,
    claim_folder,
    release_folders,
    writing,
)


@pytest.fixture(autouse=True)
def no_claim_left():
    yield
    release_folders()


def a_dead_pid() -> int:
    """The id of a process that has ended (ids are not reused this quickly)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_atomic_path_renames_when_complete_and_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    with atomic_path(target, overwrite=False) as temporary:
        temporary.write_text("a,b\n")
    assert target.read_text() == "a,b\n"
    with pytest.raises(RuntimeError), atomic_path(target, overwrite=True) as temporary:
        temporary.write_text("half")
        raise RuntimeError("writer failed")
    assert target.read_text() == "a,b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_atomic_path_refuses_to_replace_without_overwrite(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep")
    with pytest.raises(OutputExistsError, match="--overwrite"):
        with atomic_path(target, overwrite=False):
            pass
    assert target.read_text() == "keep"


@pytest.mark.parametrize(
    ("code", "fix"),
    [
        (errno.ENOSPC, "free some disk space"),
        (errno.EACCES, "ask for write permission"),
        (errno.EROFS, "read-only"),
    ],
)
def test_os_errors_while_writing_name_the_path_and_the_fix(tmp_path, code, fix):
    target = tmp_path / "out.csv"
    with pytest.raises(OutputLocationError) as caught:
        with atomic_path(target, overwrite=False):
            raise OSError(code, os.strerror(code), str(target))
    assert str(caught.value).startswith(f"cannot write {target}: {os.strerror(code)}")
    assert fix in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_the_way_of_the_folder_is_an_output_error(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputLocationError, match="afile"):
        with atomic_path(tmp_path / "afile" / "sub" / "out.csv", overwrite=False):
            pass
    with pytest.raises(OutputLocationError, match=r"afile is a file; give the path of a folder"):
        check_location(tmp_path / "afile")
    with pytest.raises(OutputLocationError, match=r"cannot be made: .*afile is a file"):
        check_location(tmp_path / "afile" / "sub")


def test_a_folder_without_write_permission_is_refused(tmp_path, monkeypatch):
    # Tests may run as root, who may write anywhere: the permission answer is simulated.
    monkeypatch.setattr(atomic, "_may_write", lambda folder: False)
    with pytest.raises(OutputLocationError, match=rf"cannot write into {tmp_path}: permission"):
        check_location(tmp_path / "results")


def test_an_output_may_not_replace_or_hold_an_input(tmp_path):
    census = tmp_path / "indicators.csv"
    census.write_text("code,population\n")
    with pytest.raises(OutputLocationError, match=r"would replace the input .*indicators.csv"):
        check_location(tmp_path, [tmp_path / "indicators.csv"], [census])
    with pytest.raises(OutputLocationError, match="is the input"):
        check_location(census, [census / "indicators.csv"], [census])
    rasters = tmp_path / "rasters"
    rasters.mkdir()
    with pytest.raises(OutputLocationError, match="lies inside it"):
        check_location(rasters / "out", [], [rasters])
    check_location(tmp_path / "results", [tmp_path / "results" / "indicators.csv"], [census])


def test_writing_keeps_user_errors_as_they_are(tmp_path):
    with pytest.raises(OutputExistsError), writing(tmp_path):
        raise OutputExistsError("exists")


def test_atomic_directory_removes_its_staging_folder_whatever_happens(tmp_path):
    with pytest.raises(KeyboardInterrupt), atomic_directory(tmp_path, overwrite=False) as staging:
        (staging / "a.csv").write_text("x")
        (staging / "sub").mkdir()
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_claim_locks_the_folder_and_release_removes_what_it_made(tmp_path):
    folder = tmp_path / "new" / "results"
    claim_folder(folder)
    assert (folder / LOCK_NAME).read_text().split() == [str(os.getpid())]
    claim_folder(folder)  # a second claim by the same run is harmless
    check_location(folder)  # our own lock does not stop us
    release_folders()
    assert list(tmp_path.iterdir()) == []  # both folders were made by the claim and are empty


def test_a_folder_claimed_by_a_running_process_is_refused_at_once(tmp_path):
    sleeper = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / LOCK_NAME).write_text(f"{sleeper.pid}\n")
        for attempt in (check_location, claim_folder):
            with pytest.raises(
                OutputLocationError, match=rf"another run \(process {sleeper.pid}\)"
            ):
                attempt(tmp_path)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert (tmp_path / LOCK_NAME).read_text() == f"{sleeper.pid}\n"


def test_a_stale_lock_is_taken_over_and_a_killed_runs_staging_removed(tmp_path):
    (tmp_path / LOCK_NAME).write_text(f"{a_dead_pid()}\n")
    leftover = tmp_path / ".observatory-k1ll3d"
    leftover.mkdir()
    (leftover / "indicators.csv").write_text("half")
    (tmp_path / "kept.txt").write_text("a user's file")
    claim_folder(tmp_path)
    assert (tmp_path / LOCK_NAME).read_text().split() == [str(os.getpid())]
    assert not leftover.exists()
    release_folders()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]
