"""Work that splits, run by Dask workers: on this machine or on a cluster.

:class:`DaskExecutor` is an :class:`~observatory.parallel.Executor` whose pieces of work run
on the workers of a ``dask.distributed`` cluster: a local one (``--workers N`` starts N worker
processes of one thread each) or one already running (``--scheduler ADDRESS``: a cluster of
dask-jobqueue, dask-kubernetes or Dask Gateway, or ``dask scheduler`` started by hand).
Results come back in the order of the items, so every sum adds them up in the same order
as the serial run: the results are the same, to the last bit.

Dask is an optional dependency (``pip install "territorial-observatory[dask]"``), imported
only when a :class:`DaskExecutor` is made.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from observatory.errors import DistributedError, ObservatoryError, ParameterError
from observatory.parallel import BlockProgress, Executor, SerialExecutor

INSTALL_HINT = 'pip install "territorial-observatory[dask]"'
#: Seconds to wait for a scheduler given by ``--scheduler`` before giving up.
CONNECT_TIMEOUT_S = 30


def import_distributed():
    """The ``dask.distributed`` module; DistributedError saying how to install it."""
    try:
        return importlib.import_module("dask.distributed")
    except ImportError as error:
        raise DistributedError(
            f"--workers and --scheduler run the work on Dask, which is not installed here "
            f"({error}); install it with: {INSTALL_HINT}"
        ) from None


class DaskExecutor:
    """Runs the pieces of work on the workers of a Dask cluster.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``); the cluster is someone else's
        and is left running when this executor closes.
    workers : int, optional
        Without ``scheduler``: start a local cluster of this many worker processes, one
        thread each, closed with this executor.
    progress : callable, optional
        Told ``(label, done, total)`` as the pieces of each :meth:`map` complete.
    processes : bool
        Local workers in processes (the default) or threads of this process (tests).
    """

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        progress: BlockProgress | None = None,
        processes: bool = True,
    ) -> None:
        if (scheduler is None) == (workers is None):
            raise ParameterError("give one of a Dask scheduler address and a number of workers.")
        distributed = import_distributed()
        self.progress = progress
        self._as_completed = distributed.as_completed
        self._cluster = None
        if scheduler is not None:
            try:
                self.client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as error:
                raise DistributedError(
                    f"--scheduler {scheduler}: no Dask scheduler answered there ({error}); "
                    "check the address (tcp://HOST:8786) and that the scheduler is running."
                ) from None
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=None,
            )
            self.client = distributed.Client(self._cluster)

    def map(
        self, function: Callable[[Any], Any], items: Iterable[Any], *, label: str = ""
    ) -> list[Any]:
        """``function`` of every item, computed on the workers, in the order of the items.

        The items are sent to the workers first (``scatter``), so large arrays go straight
        to the workers that need them. ``function`` must be picklable (a module-level
        function or a ``functools.partial`` of one).

        Raises
        ------
        ObservatoryError
            The error of the first piece that failed: as it was raised when it is one of
            Observatory's, else a DistributedError saying which piece failed and why.
        """
        items = list(items)
        if not items:
            return []
        scattered = self.client.scatter(items, hash=False)
        futures = self.client.map(function, scattered, pure=False)
        position = {future.key: index for index, future in enumerate(futures)}
        results: list[Any] = [None] * len(items)
        try:
            for done, future in enumerate(self._as_completed(futures), start=1):
                results[position[future.key]] = self._result(future, position, label, items)
                if self.progress is not None:
                    self.progress(label, done, len(items))
        finally:
            self.client.cancel([*futures, *scattered])
        return results

    @staticmethod
    def _result(future, position: dict, label: str, items: list) -> Any:
        """The result of one future, its error turned into an Observatory error."""
        if future.status != "error":
            return future.result()
        error = future.exception()
        if isinstance(error, ObservatoryError):
            raise error
        what = label or "a piece of work"
        raise DistributedError(
            f"{what}: piece {position[future.key] + 1} of {len(items)} failed on a Dask "
            f"worker: {type(error).__name__}: {error}"
        ) from error

    def close(self) -> None:
        """Disconnect, and stop the local cluster if this executor started it."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


@contextmanager
def open_executor(
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: BlockProgress | None = None,
) -> Iterator[Executor]:
    """The executor of a run, closed when the run ends (or fails).

    Parameters
    ----------
    workers : int, optional
        Local Dask worker processes; 1 (or None) runs everything in this process, serially:
        a single worker would only add the cost of sending the work to it.
    scheduler : str, optional
        Address of a running Dask scheduler.
    progress : callable, optional
        Told ``(label, done, total)`` after each piece of work.

    Raises
    ------
    ParameterError
        If both are given, or ``workers`` is below 1.
    DistributedError
        If Dask is needed and not installed, or the scheduler cannot be reached.
    """
    if workers is not None and scheduler is not None:
        raise ParameterError(
            "--workers and --scheduler cannot be used together: --workers starts a cluster "
            "on this machine, --scheduler uses one already running; give one of them."
        )
    if workers is not None and workers < 1:
        raise ParameterError(f"--workers {workers}: give 1 or more worker processes.")
    if scheduler is None and (workers is None or workers == 1):
        yield SerialExecutor(progress)
        return
    executor = DaskExecutor(scheduler=scheduler, workers=workers, progress=progress)
    try:
        yield executor
    finally:
        executor.close()
