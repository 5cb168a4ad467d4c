"""Running a check in a worker process, with a time limit.

A trainee's code may loop forever, call ``os._exit`` or crash Python. A thread cannot be
stopped and ``signal.alarm`` does not exist on Windows, so each check runs in a worker
process, which is killed when the time limit is reached; the verdict then says why.

One worker serves every check of the calling process in turn, so the course's reference
values (:meth:`~observatory.workshop.checks.CheckContext.shared`) are still computed once per
process. It is started at the first check with the ``spawn`` method, the only one Windows
has, so every system runs the same code; a worker that had to be stopped is replaced at the
next check.

The clock (``time_limit`` of the exercise, 60 s by default) runs while the check loads the
trainee's files and calls the trainee's functions, that is the whole check, except while the
worker starts and while the course computes a reference value: neither depends on the
trainee, and both can take tens of seconds on a slow laptop.

The worker uses the calling process's warning filters and log levels, and its log records
are handled by the calling process's loggers, so its messages look as they would in-process.
The worker ends when the calling process does, however it ends. Ctrl-C interrupts the
calling process, which stops the worker; the worker itself ignores it
(a terminal sends it to both), from its first instruction on POSIX, which keeps the ignored
disposition across ``exec``, and once it is running on Windows.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import threading
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from observatory.workshop.checks import CheckItem, Verdict, check_items
from observatory.workshop.manifest import Course, Exercise

_SPAWN = multiprocessing.get_context("spawn")
#: Messages of the worker: the clock stops, runs again; a log record; the answer.
PAUSE, RESUME, LOG = "pause", "resume", "log"
ITEMS, COURSE_ERROR, INTERRUPTED = "items", "course_error", "interrupted"
#: What the calling process concludes when there is no answer.
TIMED_OUT, DIED = "timed_out", "died"
#: Loggers whose level the worker takes from the calling process.
LOGGERS = ("", "observatory")


@dataclass(frozen=True)
class _Request:
    """One check for the worker, with the calling process's warning filters and log levels."""

    course: Course
    exercise: Exercise
    workspace: Path
    warning_filters: list[tuple]
    log_levels: dict[str, int]


class WorkerTraceback(Exception):
    """The traceback, as text, of an error raised in the worker by a broken course."""


def run_check(course: Course, exercise: Exercise, workspace: Path) -> Verdict:
    """Run the check of ``exercise`` on the trainee's ``workspace`` within its time limit.

    Never raises for the trainee's mistakes: an infinite loop, ``sys.exit()`` or a crash of
    Python become failed items. A broken course raises its error; Ctrl-C (or a
    ``KeyboardInterrupt`` raised by the trainee's code) raises ``KeyboardInterrupt``.
    """
    request = _Request(
        course,
        exercise,
        Path(workspace),
        list(warnings.filters),
        {name: logging.getLogger(name).getEffectiveLevel() for name in LOGGERS},
    )
    try:
        kind, payload = _running_worker().ask(request, time_limit=exercise.time_limit)
    except BaseException:  # Ctrl-C while waiting: the worker goes with the calling process
        _stop_worker()
        raise
    if kind == ITEMS:
        return Verdict(exercise, payload)
    if kind == COURSE_ERROR:
        error, text = payload
        raise error from WorkerTraceback(text)
    _stop_worker()
    if kind == INTERRUPTED:
        raise KeyboardInterrupt
    return Verdict(exercise, [_timed_out(payload) if kind == TIMED_OUT else _died(payload)])


def _timed_out(seconds: float) -> CheckItem:
    return CheckItem(
        False,
        f"Your code did not finish in {seconds:g} s (an infinite loop?), so the check stopped "
        "it. Look for a loop whose condition never becomes false, or ask for a hint.",
        f"Votre code ne s'est pas terminé en {seconds:g} s (une boucle infinie ?) : la "
        "vérification l'a arrêté. Cherchez une boucle dont la condition ne devient jamais "
        "fausse, ou demandez un indice.",
        f"لم تنته شيفرتك في {seconds:g} ث (حلقة لا نهائية؟)، فأوقفها التحقق. ابحث عن حلقة "
        "لا يصبح شرطها خاطئاً أبداً، أو اطلب تلميحاً.",
    )


def _died(exit_code: int | None) -> CheckItem:
    return CheckItem(
        False,
        f"Python stopped while checking your file (exit code {exit_code}), without an error "
        "message. Does your code call os._exit(), or make Python crash another way?",
        f"Python s'est arrêté pendant la vérification de votre fichier (code de sortie "
        f"{exit_code}), sans message d'erreur. Votre code appelle-t-il os._exit(), ou fait-il "
        "planter Python autrement ?",
        f"توقفت Python أثناء التحقق من ملفك (رمز الخروج {exit_code}) دون رسالة خطأ. هل "
        "تستدعي شيفرتك os._exit() أو تجعل Python تتعطل بطريقة أخرى؟",
    )


# -- the calling process's side -----------------------------------------------------------
class _Worker:
    """The worker process and the calling process's end of the pipe to it."""

    def __init__(self) -> None:
        self.connection, worker_end = _SPAWN.Pipe()
        self.process = _SPAWN.Process(
            target=_serve, args=(worker_end,), name="observatory-check", daemon=True
        )
        with _ctrl_c_ignored():  # inherited on POSIX: Ctrl-C never reaches the worker
            self.process.start()
        worker_end.close()

    def ask(self, request: _Request, *, time_limit: float) -> tuple[str, Any]:
        """Send ``request`` and wait for the answer; ``(TIMED_OUT, time_limit)`` when the
        clock ran out first, ``(DIED, exit code)`` when the worker ended without one."""
        self.connection.send(request)
        deadline = time.monotonic() + time_limit
        paused_since: float | None = time.monotonic()  # until the worker takes the request
        while True:
            wait = None if paused_since is not None else max(deadline - time.monotonic(), 0.0)
            if not self.connection.poll(wait):
                return TIMED_OUT, time_limit
            try:
                kind, payload = self.connection.recv()
            except EOFError:
                self.process.join()
                return DIED, self.process.exitcode
            if kind == PAUSE:
                paused_since = time.monotonic()
            elif kind == RESUME and paused_since is not None:
                deadline += time.monotonic() - paused_since
                paused_since = None
            elif kind == LOG:
                logger = logging.getLogger(payload.name)
                if logger.isEnabledFor(payload.levelno):
                    logger.handle(payload)
            else:
                return kind, payload

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Ignore Ctrl-C in this block (a process started in it inherits that on POSIX)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)


_worker: _Worker | None = None


def _running_worker() -> _Worker:
    global _worker
    if _worker is None or not _worker.process.is_alive():
        _stop_worker()
        _worker = _Worker()
    return _worker


def _stop_worker() -> None:
    global _worker
    if _worker is not None:
        _worker.stop()
        _worker = None


# -- the worker's side ----------------------------------------------------------------------
class _ForwardHandler(logging.Handler):
    """Sends each log record to the calling process, its message already formatted."""

    def __init__(self, connection: Connection) -> None:
        super().__init__()
        self.connection = connection

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sent = copy.copy(record)
            sent.msg = record.getMessage()
            if record.exc_info:
                sent.msg += "\n" + logging.Formatter().formatException(record.exc_info)
            sent.args, sent.exc_info, sent.exc_text = None, None, None
            self.connection.send((LOG, sent))
        except Exception:  # a record that cannot be sent is reported by logging, not raised
            self.handleError(record)


def _serve(connection: Connection) -> None:
    """The worker's loop: answer each request until the calling process closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the calling process (Windows)
    threading.Thread(target=_end_with_the_caller, name="watch-the-caller", daemon=True).start()
    logging.getLogger().handlers[:] = [_ForwardHandler(connection)]
    logging.captureWarnings(True)
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        connection.send(_answer(request, connection))


def _end_with_the_caller() -> None:
    """End the worker when the calling process ends, even killed in the middle of a check
    (a trainee's infinite loop would otherwise never read the closed pipe)."""
    multiprocessing.connection.wait([multiprocessing.parent_process().sentinel])
    os._exit(1)


def _answer(request: _Request, connection: Connection) -> tuple[str, Any]:
    connection.send((RESUME, None))
    _use_settings(request)

    @contextlib.contextmanager
    def clock_stopped() -> Iterator[None]:
        connection.send((PAUSE, None))
        try:
            yield
        finally:
            connection.send((RESUME, None))

    try:
        return ITEMS, check_items(
            request.course, request.exercise, request.workspace, clock_stopped=clock_stopped
        )
    except KeyboardInterrupt:
        return INTERRUPTED, None
    except Exception as error:  # a broken course: raised again in the calling process
        return COURSE_ERROR, (_picklable(error), traceback.format_exc())


def _use_settings(request: _Request) -> None:
    """Take the calling process's warning filters and log levels."""
    warnings.resetwarnings()
    for action, message, category, module, lineno in request.warning_filters:
        pattern, where = (getattr(text, "pattern", text) or "" for text in (message, module))
        warnings.filterwarnings(action, pattern, category, where, lineno, append=True)
    for name, level in request.log_levels.items():
        logging.getLogger(name).setLevel(level)


def _picklable(error: Exception) -> Exception:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # an exception of the course that cannot travel: sent as text
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
