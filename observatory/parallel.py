"""Where independent pieces of work run: here, one after the other, or on other processes.

Work that splits (the blocks of rows of a zonal pass, the tiles of the Degree of
Urbanisation, the rasters of several years) is written as ``executor.map(function, items)``:
the results come back in the order of ``items``, so reductions add them up in the same
order whichever executor ran them, and results do not depend on where the work was done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol


class Executor(Protocol):
    """Runs ``function`` on each item; returns the results in the order of the items."""

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]: ...


class SerialExecutor:
    """Runs every piece of work in this process, in order (the default)."""

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
        return [function(item) for item in items]


SERIAL = SerialExecutor()
