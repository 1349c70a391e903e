"""Work spread over every core, with results in the same order as a serial run.

Workers are forked from the build process, so they start with everything it has
already computed (the site model, the alias index, the Jinja environment) and
receive only item numbers; only results travel back. Where fork is unavailable, or
the work is small, items run in this process: the output is the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

MIN_ITEMS = 64  # below this, starting processes costs more than it saves
_WORK: dict[str, Callable[[int], Any]] = {}


def workers() -> int:
    """How many processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parallel_map(func: Callable[[int], Any], count: int, progress: Callable[[int], None] | None = None) -> list:
    """``[func(0), func(1), ... func(count - 1)]``, computed on every core when it pays."""
    jobs = workers()
    if jobs < 2 or count < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for i in range(count):
            results.append(func(i))
            if progress and i % 50 == 0:
                progress(i)
        return results
    _WORK["func"] = func  # inherited by the forked workers
    chunk = max(1, count // (jobs * 8))
    chunks = [range(start, min(start + chunk, count)) for start in range(0, count, chunk)]
    results = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        for part in pool.map(_run_chunk, chunks):
            results.extend(part)
            if progress:
                progress(len(results))
    _WORK.clear()
    return results


def detached(work: Callable[[], None]) -> None:
    """Run ``work`` in a detached process when this one has no other threads; else here.

    For housekeeping the result does not wait for (deleting a replaced site, saving
    the build cache): the command ends sooner, and if the process dies its work is
    only redone later. The double fork leaves no zombie behind.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        work()
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                os.setsid()
                # Let go of the terminal or pipe: whoever reads this command's output
                # (`build | tee log`, a CI step) must see it end when the command does.
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                work()
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _run_chunk(items: range) -> list:
    func = _WORK["func"]
    return [func(i) for i in items]


class Progress:
    """A one-line progress report on a terminal; silent when output goes elsewhere."""

    def __init__(self, label: str, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.label = label
        self.total = total
        self.enabled = total >= 200 and hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, done: int) -> None:
        if self.enabled:
            width = 30
            filled = int(width * done / max(1, self.total))
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total}")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (len(self.label) + 50) + "\r")
            self.stream.flush()
