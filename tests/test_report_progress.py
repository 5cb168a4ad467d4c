"""Tests of observatory.report.progress: one progress line with the time left.

A fake clock says when each piece is done; a fake terminal is a StringIO that says it is one.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from affine import Affine
from click.testing import CliRunner
from rasterio.crs import CRS

from observatory.cli.main import cli
from observatory.degurba.tiles import TILES_LABEL
from observatory.io.raster import write_raster
from observatory.kernels.grid import Grid, Raster
from observatory.report import progress
from observatory.report.i18n import translator
from observatory.report.progress import WORK_LABELS, ProgressLine, duration_text


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def drive(line: ProgressLine, clock: Clock, label: str, total: int, seconds_each: float):
    for done in range(1, total + 1):
        line(label, done, total)
        clock.now += seconds_each


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "1 s"),
        (8, "8 s"),
        (59.5, "1 min"),
        (80, "1 min 20 s"),
        (81, "1 min 30 s"),
        (3599, "1 h 0 min"),
        (7500, "2 h 5 min"),
    ],
)
def test_durations_as_a_person_says_them(seconds, text):
    assert duration_text(seconds, translator("en")) == text


def test_the_time_left_is_the_time_per_piece_so_far_times_the_pieces_left():
    clock = Clock()
    line = ProgressLine(io.StringIO(), clock=clock, terminal=False)
    line("zonal sums, 100 m grid", 1, 40)
    clock.now += 11 * 5.0  # 11 pieces in 55 s since the first: 5 s a piece
    assert line.text("zonal sums, 100 m grid", 12, 40, clock.now) == (
        "zonal sums, 100 m grid: 12/40 blocks, about 2 min 20 s left"
    )


def test_a_terminal_redraws_one_line_in_place_and_clears_it_at_the_end():
    clock, stream = Clock(), Terminal()
    line = ProgressLine(stream, clock=clock)
    drive(line, clock, "zonal sums", 4, 10.0)
    written = stream.getvalue()
    assert written.count("\n") == 0
    assert written.split("\r")[1:4] == [
        "zonal sums: 1/4 blocks",
        "zonal sums: 2/4 blocks, about 20 s left",
        "zonal sums: 3/4 blocks, about 10 s left",
    ]
    assert written.endswith("\r" + " " * len("zonal sums: 2/4 blocks, about 20 s left") + "\r")


def test_a_terminal_is_redrawn_at_most_five_times_a_second():
    clock, stream = Clock(), Terminal()
    drive(ProgressLine(stream, clock=clock), clock, "zonal sums", 1000, 0.001)
    assert stream.getvalue().count("\r") < 10


def test_a_log_gets_the_quarters_of_long_work_and_nothing_of_short_work():
    clock, stream = Clock(), io.StringIO()
    line = ProgressLine(stream, clock=clock)
    drive(line, clock, "zonal sums", 10, 0.1)
    assert stream.getvalue() == ""
    drive(line, clock, "zonal sums", 40, 1.0)
    assert stream.getvalue().splitlines() == [
        "… zonal sums: 10/40 blocks, about 30 s left",
        "… zonal sums: 20/40 blocks, about 20 s left",
        "… zonal sums: 30/40 blocks, about 10 s left",
        "… zonal sums: 40/40 blocks",
    ]


def test_a_new_pass_of_the_same_work_starts_its_clock_again():
    clock, stream = Clock(), Terminal()
    line = ProgressLine(stream, clock=clock)
    drive(line, clock, "zonal sums", 3, 100.0)
    line("zonal sums", 1, 3)
    clock.now += 1.0
    line("zonal sums", 2, 3)
    assert stream.getvalue().endswith("\rzonal sums: 2/3 blocks, about 1 s left")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Degré d’urbanisation, tuiles : 2/4 blocs, encore 20 s environ"),
        ("ar", "درجة التمدن، المربعات: 2/4 كتل، يتبقى نحو 20 ث"),
    ],
)
def test_the_line_is_in_the_language_asked(language, text):
    clock = Clock()
    line = ProgressLine(io.StringIO(), language=language, clock=clock, terminal=False)
    line(TILES_LABEL, 1, 4)
    clock.now += 10.0
    assert line.text(TILES_LABEL, 2, 4, clock.now) == text


def test_the_labels_of_the_work_that_splits_are_translated():
    assert TILES_LABEL in WORK_LABELS


@pytest.mark.parametrize(("quiet", "shown"), [([], True), (["-q"], False)])
def test_degurba_grid_tells_its_progress_unless_quiet(tmp_path, monkeypatch, quiet, shown):
    monkeypatch.setattr(progress, "MILESTONE_AFTER_S", 0.0)  # every pass is long enough
    population = np.zeros((5, 6))
    population[2, 2:4] = 1500, 48_500
    grid = Grid(CRS.from_epsg(3035), Affine(1000.0, 0, 4e6, 0, -1000.0, 3e6), 5, 6)
    write_raster(tmp_path / "pop.tif", Raster(population, grid, None, "pop"), overwrite=True)
    args = ["degurba", "grid", "--population", str(tmp_path / "pop.tif"), "-o", tmp_path / "c.tif"]
    result = CliRunner().invoke(cli, [*quiet, *map(str, args)])
    assert result.exit_code == 0, result.output
    assert ("… Degree of Urbanisation, tiles: 1/1 block\n" in result.output) is shown
