"""Tests of observatory.distributed: the work that splits, run by Dask workers.

One local cluster of 2 worker processes (``processes=True``, as ``--workers 2`` starts) is
shared by the module: starting it takes about 3 s. Every result it gives must equal the
serial run's exactly: the DEGURBA classes cell for cell, the sample's urbanisation
indicators to the last bit.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from test_degurba_grid import WHOLE_GRID_CLASSES, synthetic_inputs

from observatory import distributed
from observatory.cli.main import cli
from observatory.degurba import classify_grid, prepare_grid, rules_from_name
from observatory.distributed import DaskExecutor, open_executor
from observatory.engine import run
from observatory.errors import DistributedError, InputDataError, ParameterError
from observatory.parallel import SerialExecutor
from observatory.project import load_project
from observatory.sample import write_sample_project

pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def dask_workers():
    calls: list[tuple[str, int, int]] = []
    executor = DaskExecutor(workers=2, progress=lambda *call: calls.append(call))
    executor.calls = calls
    yield executor
    executor.close()


def double(value: int) -> int:
    return 2 * value


def refuse(value: int) -> int:
    if value == 3:
        raise InputDataError("population.tif: value 3 is not valid; fix the grid.")
    return value


def divide(value: int) -> float:
    return 1 / (value - 2)


def test_results_come_back_in_the_order_of_the_items_with_progress(dask_workers):
    dask_workers.calls.clear()
    assert dask_workers.map(double, range(20), label="doubles") == [2 * i for i in range(20)]
    assert [call[1] for call in dask_workers.calls] == list(range(1, 21))
    assert {(label, total) for label, _, total in dask_workers.calls} == {("doubles", 20)}
    assert dask_workers.map(double, [], label="nothing") == []


def test_an_observatory_error_on_a_worker_keeps_its_type_and_message(dask_workers):
    with pytest.raises(InputDataError, match=r"^population.tif: value 3 is not valid"):
        dask_workers.map(refuse, range(6), label="checks")


def test_any_other_error_on_a_worker_says_which_piece_failed(dask_workers):
    with pytest.raises(DistributedError) as raised:
        dask_workers.map(divide, range(5), label="ratios")
    assert str(raised.value) == (
        "ratios: piece 3 of 5 failed on a Dask worker: ZeroDivisionError: division by zero"
    )


def test_degurba_tiles_labelled_by_dask_equal_the_serial_classes(dask_workers):
    rules = rules_from_name("ghsl-2023")
    population, built, land = synthetic_inputs(3)
    prepared = prepare_grid(population, rules=rules, built_share=built, land_share=land)
    dask_workers.calls.clear()
    classes = classify_grid(
        prepared, rules=rules, level=2, tile_shape=(16, 16), executor=dask_workers
    )
    serial = classify_grid(prepared, rules=rules, level=2, tile_shape=(16, 16))
    assert np.array_equal(classes, serial)
    assert np.array_equal(classes, np.load(WHOLE_GRID_CLASSES)["seed3_ghsl-2023"])
    # 6 x 8 tiles of 16 x 16 cells, for each mask the rules cluster.
    assert {total for _, _, total in dask_workers.calls} == {48}


class Swapped(SerialExecutor):
    """An executor that gives the results of the first two pieces in the wrong order."""

    def map(self, function, items, *, label=""):
        results = super().map(function, items, label=label)
        return [results[1], results[0], *results[2:]]


def test_the_degurba_check_sees_tiles_put_back_in_the_wrong_order():
    rules = rules_from_name("ghsl-2023")
    population, built, land = synthetic_inputs(3)
    prepared = prepare_grid(population, rules=rules, built_share=built, land_share=land)
    classes = classify_grid(prepared, rules=rules, level=2, tile_shape=(16, 16), executor=Swapped())
    assert not np.array_equal(classes, np.load(WHOLE_GRID_CLASSES)["seed3_ghsl-2023"])


def test_the_sample_computed_on_dask_equals_the_serial_run(dask_workers, tmp_path):
    # the Degree of Urbanisation's tiles, and the blocks of rows of the zonal statistics
    # (the sample's 100 m grid is two blocks) that the population, built-up and SDG 11.6.2
    # indicators read
    project = load_project(write_sample_project(tmp_path / "rsk", region="rsk"))
    ids = [
        "degurba_l1",
        "degurba_l2",
        "urban_centre_population_share",
        "population",
        "built_up_area",
        "land_consumption_rate",
        "sdg_11_6_2",
    ]
    serial = run(project, indicator_ids=ids)
    on_dask = run(project, indicator_ids=ids, executor=dask_workers)
    labels = {label.split(",")[0] for label, _, _ in dask_workers.calls}
    # the blocks of the raster statistics and of the class sums went to the workers
    assert {"raster statistics", "Degree of Urbanisation"} <= labels, labels
    assert len(on_dask.level_results) == len(serial.level_results) > 0
    for ours, theirs in zip(on_dask.level_results, serial.level_results, strict=True):
        assert (ours.indicator.id, ours.period, ours.level) == (
            theirs.indicator.id,
            theirs.period,
            theirs.level,
        )
        pd.testing.assert_frame_equal(ours.values, theirs.values, check_exact=True)


def test_one_worker_runs_here_without_dask():
    with open_executor(workers=1) as executor:
        assert isinstance(executor, SerialExecutor)
    with open_executor() as executor:
        assert isinstance(executor, SerialExecutor)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"workers": 2, "scheduler": "tcp://localhost:8786"}, "cannot be used together"),
        ({"workers": 0}, "--workers 0: give 1 or more"),
    ],
)
def test_open_executor_refuses_wrong_options(options, message):
    with pytest.raises(ParameterError, match=message), open_executor(**options):
        pass


def test_a_scheduler_that_does_not_answer_is_an_error(monkeypatch):
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT_S", 1)
    with pytest.raises(DistributedError, match=r"--scheduler tcp://127.0.0.1:9: no Dask sch"):
        DaskExecutor(scheduler="tcp://127.0.0.1:9")


def test_without_dask_workers_exit_1_saying_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    write_sample_project(tmp_path / "rsk", region="rsk")
    result = CliRunner().invoke(
        cli, ["compute", str(tmp_path / "rsk"), "-o", str(tmp_path / "out"), "--workers", "2"]
    )
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: --workers and --scheduler run the work on Dask")
    assert result.output.rstrip().endswith('pip install "territorial-observatory[dask]"')
    assert not (tmp_path / "out").exists()
