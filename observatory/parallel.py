"""Where independent pieces of work run: here, one after the other, or on other processes.

Work that splits (the blocks of rows of a zonal pass, the tiles of the Degree of
Urbanisation, the rasters of several years) is written as ``executor.map(function, items)``:
the results come back in the order of ``items``, so reductions add them up in the same
order whichever executor ran them, and results do not depend on where the work was done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

#: Told after each piece of work: what the work is (``"zonal sums, 100 m grid"``), how many
#: pieces are done and how many there are in all.
BlockProgress = Callable[[str, int, int], None]


class Executor(Protocol):
    """Runs ``function`` on each item; returns the results in the order of the items, and
    tells its progress function (if any) after each item, under ``label``."""

    def map(
        self, function: Callable[[Any], Any], items: Iterable[Any], *, label: str = ""
    ) -> list[Any]: ...


class SerialExecutor:
    """Runs every piece of work in this process, in order (the default)."""

    def __init__(self, progress: BlockProgress | None = None) -> None:
        self.progress = progress

    def map(
        self, function: Callable[[Any], Any], items: Iterable[Any], *, label: str = ""
    ) -> list[Any]:
        items = list(items)
        results = []
        for done, item in enumerate(items, start=1):
            results.append(function(item))
            if self.progress is not None:
                self.progress(label, done, len(items))
        return results


SERIAL = SerialExecutor()
