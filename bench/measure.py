"""Measuring one command: wall time, CPU time and peak memory of everything it runs.

The command's own process tree is accounted by the kernel: ``os.wait4`` returns the
user and system time of the process and of every descendant it waited for (workers,
Pagefind). Our build also hands housekeeping (saving its cache, deleting the replaced
site) to detached helpers that double-fork out of the tree, so no one in the tree
waits for them; they are found by their command line, which is the build's own (as in
processes.py), and their own session, and their CPU time is read from /proc while they run.

Memory is the proportional set size (PSS) of every process, sampled every 20 ms:
pages shared between processes (forked workers share most of their parent's memory)
are divided among them, so the sum is what the whole tree really occupies. Linux only.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
INTERVAL = 0.02  # seconds between samples
PSS_SHARE = 0.03  # the most of one core that reading PSS may take (see Sampler)
HELPER_LIMIT = 600.0  # seconds to wait for detached helpers before giving up on them


@dataclass
class ProcessShare:
    """What the processes of one kind (one label) used, e.g. all of a build's workers."""

    memory_mb: float = 0.0  # the largest sum of their PSS in one sample
    count: int = 0  # the most of them alive at once
    cpu: float = 0.0  # user + system seconds, the last value seen of each (sampled: a lower bound)


@dataclass
class Measured:
    """One run of one command."""

    wall: float  # from launch to the command's exit (what a user waits for)
    cpu: float  # user + system seconds of the whole tree, children included, plus detached helpers
    helpers_cpu: float  # the detached helpers' share of ``cpu`` (sampled)
    until_helpers: float  # from launch until no detached helper is left (``wall`` when there are none;
    # sampled: the last moment one was seen alive, so up to one interval early)
    peak_mb: float  # the largest PSS sum of all its processes in one sample
    processes: dict[str, ProcessShare] = field(default_factory=dict)
    output: str = ""
    sampler_cpu: float = 0.0  # CPU seconds the measuring itself took (the sampler thread)


@dataclass
class _Seen:
    """One process as last sampled."""

    label: str
    cpu_ticks: int


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _stat(pid: int) -> list[bytes] | None:
    """The fields of /proc/PID/stat after the command name (which may hold spaces)."""
    data = _read(f"/proc/{pid}/stat")
    return data.rpartition(b")")[2].split() if data else None


def _pss_kb(pid: int) -> int:
    data = _read(f"/proc/{pid}/smaps_rollup") or b""
    for line in data.splitlines():
        if line.startswith(b"Pss:"):
            return int(line.split()[1])
    return 0


class ProcessTable:
    """The processes alive, with each one's parent and the command line it was born with.

    Reading every process's files at every sample would cost the machine more than the
    benchmark may take from it; only processes not seen before are read. A parent is the
    one at first sight (a process whose parent ends stays under it here), and a command
    line the one at first sight, which is all that finding a build's forks needs: a fork
    is born with its parent's command line.
    """

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.born_as: dict[int, bytes] = {}

    def refresh(self) -> None:
        live = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for pid in self.parent.keys() - live:
            del self.parent[pid]
            self.born_as.pop(pid, None)
        for pid in live - self.parent.keys():
            stat = _stat(pid)
            if stat:
                self.parent[pid] = int(stat[1])
                self.born_as[pid] = _read(f"/proc/{pid}/cmdline") or b""

    def tree(self, root: int) -> set[int]:
        """``root`` and its descendants alive, if ``root`` is."""
        if root not in self.parent:
            return set()
        children: dict[int, list[int]] = {}
        for pid, parent in self.parent.items():
            children.setdefault(parent, []).append(pid)
        found, todo = {root}, [root]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def born_with(self, cmdline: bytes) -> set[int]:
        return {pid for pid, born in self.born_as.items() if born == cmdline}


class Sampler:
    """Samples memory and CPU of a command's processes until it and its detached helpers end.

    ``helper_argv``: the command line the build's detached helpers keep (ours only);
    without it nothing outside the tree is counted.

    Which processes run, and their CPU times, are read every 20 ms (cheap). Their PSS is
    not: the kernel walks a process's page tables to sum it, about 15 ms of CPU for a
    process of 800 MB, and that CPU is taken from the machine the measured command runs
    on. So PSS is read every 20 ms only while that is cheap, and less often as it gets
    dear, keeping the sampler's PSS reading to PSS_SHARE of one core.
    """

    def __init__(self, pid: int, started: float, helper_argv: list[str] | None):
        self.pid = pid
        self.started = started
        self.helper_argv = helper_argv
        self.helper_bytes = _argv_bytes(helper_argv) if helper_argv else b""
        self.table = ProcessTable()
        self.root_done = threading.Event()
        self.seen: dict[int, _Seen] = {}
        self.helper_pids: set[int] = set()
        self.peak_kb = 0
        self.shares: dict[str, ProcessShare] = {}
        self.until_helpers = 0.0
        self.next_pss = 0.0
        self.cpu = 0.0  # this thread's own CPU seconds: what measuring cost the machine
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        deadline = None
        while True:
            done = self.root_done.is_set()  # read before sampling: a last sample follows the exit
            helpers = self._sample(include_tree=not done)
            if helpers:  # the last moment one was seen alive: the end is within one interval after
                self.until_helpers = time.perf_counter() - self.started
            if done:
                deadline = deadline or time.perf_counter() + HELPER_LIMIT
                if not helpers or time.perf_counter() > deadline:
                    self.cpu = time.thread_time()
                    return
            time.sleep(INTERVAL)

    def _sample(self, include_tree: bool) -> int:
        """One sample; the number of detached helpers alive."""
        self.table.refresh()
        members = self.table.tree(self.pid) if include_tree else set()
        # Workers share the build's command line too, but not a helper's own session (it calls setsid),
        # and they are waited for, so wait4 counts them: they must not be counted twice.
        candidates = self.table.born_with(self.helper_bytes) - {self.pid} if self.helper_argv else set()
        helpers = {pid for pid in candidates if self._is_helper(pid)}
        self.helper_pids |= helpers
        alive: dict[int, str] = {}
        for pid in members | helpers:
            if label := self._observe(pid):
                alive[pid] = label
        counts: dict[str, int] = {}
        for label in alive.values():
            counts[label] = counts.get(label, 0) + 1
        for label, count in counts.items():
            share = self.shares.setdefault(label, ProcessShare())
            share.count = max(share.count, count)
        if alive and time.perf_counter() >= self.next_pss:
            self._memory(alive)
        return len(helpers)

    def _observe(self, pid: int) -> str | None:
        """Record ``pid``'s CPU time; its label, or None when it is gone or exiting."""
        stat = _stat(pid)
        if stat is None:
            return None
        ticks = int(stat[11]) + int(stat[12])  # utime + stime
        cmdline = _read(f"/proc/{pid}/cmdline")
        if stat[0] == b"Z" or not cmdline:
            # Exiting (its memory already given back, so no command line) or ended and not yet
            # waited for: its times are final, but it no longer shows what kind it was.
            if pid in self.seen:
                self.seen[pid].cpu_ticks = ticks
            return None
        label = self._label(pid, cmdline)
        if label is not None:
            self.seen[pid] = _Seen(label, ticks)
        return label

    def _memory(self, alive: dict[int, str]) -> None:
        """Sum the PSS of the processes alive, in all and by label; schedule the next reading."""
        began, cost = time.perf_counter(), time.thread_time()
        total, by_label = 0, {}
        for pid, label in alive.items():
            pss = _pss_kb(pid)
            total += pss
            by_label[label] = by_label.get(label, 0) + pss
        self.peak_kb = max(self.peak_kb, total)
        for label, kb in by_label.items():
            share = self.shares.setdefault(label, ProcessShare())
            share.memory_mb = max(share.memory_mb, kb / 1024)
        self.next_pss = began + max(INTERVAL, (time.thread_time() - cost) / PSS_SHARE)

    def _is_helper(self, pid: int) -> bool:
        if not self.helper_argv or pid in self.helper_pids:
            return pid in self.helper_pids
        stat = _stat(pid)
        return bool(stat) and int(stat[3]) == pid and _read(f"/proc/{pid}/cmdline") == self.helper_bytes

    def _label(self, pid: int, cmdline: bytes) -> str | None:
        """What kind of process ``pid`` is: main, worker, detached helper, or its program's name."""
        comm = (_read(f"/proc/{pid}/comm") or b"").decode(errors="replace").strip()
        if not comm:
            return None
        if pid == self.pid:
            return f"{comm} (main)"
        if pid in self.helper_pids:
            return f"{comm} (detached helper)"
        if cmdline == _read(f"/proc/{self.pid}/cmdline"):
            return f"{comm} (worker)"  # forked from the main process and still running its code
        if b"\0-m\0pagefind\0" in cmdline:
            return "pagefind (python launcher)"
        return comm

    def finish(self) -> tuple[float, float, float, dict[str, ProcessShare]]:
        """Wait for the helpers; their CPU seconds, the time until none was left, peak MB, and shares."""
        self.root_done.set()
        self.thread.join()
        for seen in self.seen.values():
            self.shares.setdefault(seen.label, ProcessShare()).cpu += seen.cpu_ticks / TICKS
        helpers_cpu = sum(self.seen[pid].cpu_ticks for pid in self.helper_pids if pid in self.seen) / TICKS
        return helpers_cpu, self.until_helpers, self.peak_kb / 1024, self.shares


def _argv_bytes(argv: list[str]) -> bytes:
    return "\0".join(argv).encode() + b"\0"


class Failed(RuntimeError):
    """A measured command exited with an error."""


def measure(command: list[str], cwd: Path | None = None, helper_argv: list[str] | None = None) -> Measured:
    """Run ``command`` to its end and until its detached helpers (if ``helper_argv``) end."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = Sampler(process.pid, started, helper_argv)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    # wait4, not Popen.wait: it returns the rusage of the process and of all it waited for.
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    process.stdout.close()
    helpers_cpu, until_helpers, peak_mb, shares = sampler.finish()
    output = "".join(lines)
    if process.returncode != 0:
        raise Failed(f"failed ({process.returncode}): {' '.join(command)}\n{output[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime + helpers_cpu
    return Measured(wall, cpu, helpers_cpu, max(until_helpers, wall), peak_mb, shares, output, sampler.cpu)
