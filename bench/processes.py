"""Finding a build's detached helpers, for the benchmark and for tests/test_faults.py.

The build hands housekeeping (saving its cache, deleting the replaced site) to detached
processes that leave its process tree; they keep the build's command line, which is how
they are found here.
"""

from __future__ import annotations

import os
import time


def same_command(argv: list[str]) -> list[int]:
    """Processes running exactly ``argv``."""
    wanted = "\0".join(argv).encode() + b"\0"
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as handle:
                    if handle.read() == wanted:
                        found.append(int(name))
            except OSError:
                pass
    return found


def wait_for_helpers(argv: list[str], limit: float = 600.0) -> float:
    """Wait (at most ``limit`` seconds) until no detached helper of ``argv`` runs; the seconds that took.

    A measurement or a test that went on at once would share the cores, or the
    files, with the last build's housekeeping.
    """
    started = time.perf_counter()
    while same_command(argv) and time.perf_counter() - started < limit:
        time.sleep(0.02)
    return time.perf_counter() - started
