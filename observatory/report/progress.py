"""Progress of the work that splits, with the time left, on stderr.

An :class:`~observatory.parallel.Executor` tells its progress function ``(label, done,
total)`` after each piece of work (a block of rows, a tile). :class:`ProgressLine` turns that
into one line::

    zonal sums, 100 m grid: 12/40 blocks, about 1 min 20 s left

On a terminal the line is redrawn in place (``\\r``) and cleared when the work is done, so
nothing is left behind. Elsewhere (a log file, a pipe, a CI job) a line is printed only when a
quarter of the work is crossed, and only for work that has run :data:`MILESTONE_AFTER_S`
seconds or more: a log gets at most four lines for a long pass and none for a short one.

The time left is the time per piece so far, measured from the first piece done (the start of
a pass, on Dask the start of its workers, is not a piece of work), times the pieces left.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TextIO

from observatory.report.i18n import Translator, translator
from observatory.report.labels import N_

#: Labels of the work that splits, marked for the catalogs; another label is shown as it is.
WORK_LABELS = (N_("Degree of Urbanisation, tiles"), N_("zonal sums"))
#: Without a terminal, work that has run this long (seconds) prints its quarters.
MILESTONE_AFTER_S = 5.0
#: On a terminal, the line is redrawn at most this often (seconds), and when the work ends.
REDRAW_EVERY_S = 0.2


def duration_text(seconds: float, t: Translator) -> str:
    """``seconds`` as a person says it: ``8 s``, ``1 min 20 s`` (tens of seconds), ``2 h 5
    min`` (minutes), rounded up."""
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return t.gettext("{seconds} s").format(seconds=seconds)
    if seconds < 3600:
        tens = 10 * math.ceil(seconds / 10)
        minutes, rest = divmod(tens, 60)
        if minutes < 60:
            if rest == 0:
                return t.gettext("{minutes} min").format(minutes=minutes)
            return t.gettext("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    hours, minutes = divmod(math.ceil(seconds / 60), 60)
    return t.gettext("{hours} h {minutes} min").format(hours=hours, minutes=minutes)


class ProgressLine:
    """A progress function of executors writing one line per pass to ``stream``.

    Parameters
    ----------
    stream : file
        Where the line goes (stderr).
    language : str
        Language of the line (a language of :mod:`observatory.report.i18n`).
    clock : callable
        Seconds, increasing (:func:`time.monotonic`; tests give a fake one).
    terminal : bool, optional
        Whether ``stream`` is a terminal; by default, ``stream.isatty()``.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        language: str = "en",
        clock: Callable[[], float] = time.monotonic,
        terminal: bool | None = None,
    ) -> None:
        self.stream = stream
        self.t = translator(language)
        self.clock = clock
        self.terminal = stream.isatty() if terminal is None else terminal
        self._pass: tuple[str, int] | None = None
        self._width = 0
        self._start(None, 0.0)

    def _start(self, work: tuple[str, int] | None, now: float) -> None:
        """A new pass: its first piece is done at ``now``."""
        self._pass, self._first_done_at, self._drawn_at = work, now, -math.inf
        self._done = self._quarter = 0

    def __call__(self, label: str, done: int, total: int) -> None:
        now = self.clock()
        if self._pass != (label, total) or done <= self._done:
            self._start((label, total), now)
        self._done = done
        text = self.text(label, done, total, now)
        if self.terminal:
            self._redraw(text, now, finished=done >= total)
        else:
            self._milestone(text, done, total, now)

    def text(self, label: str, done: int, total: int, now: float) -> str:
        """The line for ``done`` of ``total`` pieces at time ``now``."""
        t = self.t
        line = t.ngettext(
            "{label}: {done}/{total} block", "{label}: {done}/{total} blocks", total
        ).format(label=t.gettext(label), done=done, total=total)
        if done < 2 or done >= total:
            return line
        per_piece = (now - self._first_done_at) / (done - 1)
        left = duration_text(per_piece * (total - done), t)
        return t.gettext("{progress}, about {time} left").format(progress=line, time=left)

    def _redraw(self, text: str, now: float, *, finished: bool) -> None:
        if finished:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0
        elif now - self._drawn_at >= REDRAW_EVERY_S:
            self.stream.write("\r" + text.ljust(self._width))
            self._width, self._drawn_at = max(self._width, len(text)), now
        else:
            return
        self.stream.flush()

    def _milestone(self, text: str, done: int, total: int, now: float) -> None:
        quarter = 4 * done // total
        if quarter > self._quarter and now - self._first_done_at >= MILESTONE_AFTER_S:
            self.stream.write(f"… {text}\n")
            self.stream.flush()
        self._quarter = max(self._quarter, quarter)
