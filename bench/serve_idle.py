"""What a running ``serve`` costs while nobody edits, and how soon it shows an edit.

    python bench/serve_idle.py                          # N=5000 articles, M=500 people and topics
    python bench/serve_idle.py --articles 500 --entities 50
    python bench/serve_idle.py --repo /tmp/other-checkout   # that checkout's build.py (to compare)

Writes a synthetic project (``corpus.py``), starts ``build.py serve`` on it, waits for the
first build and the search indexing after it to end, then measures the CPU time of
serve's process tree over ``--idle`` seconds (from /proc: user + system time of serve,
of its children it waited for, and of those still running), as a percentage of one core.
Then it edits one article ``--edits`` times and reports, for each, the time from saving
the file to the page being served with the new text. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_project  # noqa: E402
from serve_edit import fetch, free_port  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
ARTICLE = "article-00042"


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces), or None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rpartition(")")[2].split()
    except OSError:
        return None


def descendants(pid: int) -> list[int]:
    """The processes below ``pid`` (children, their children ...)."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat_fields(int(name))):
            parents[int(name)] = int(fields[1])  # state, then ppid
    found, frontier = [], [pid]
    while frontier:
        below = [child for child, parent in parents.items() if parent in frontier]
        found += below
        frontier = below
    return found


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid``, of the children it waited for, and of its live descendants."""
    fields = _stat_fields(pid)
    if fields is None:
        raise SystemExit("serve ended")
    ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    for child in descendants(pid):
        if child_fields := _stat_fields(child):
            ticks += int(child_fields[11]) + int(child_fields[12])
    return ticks / TICKS


class Serve:
    """A running ``build.py serve`` and its output."""

    def __init__(self, build_py: Path, root: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen([sys.executable, str(build_py), "--project", str(root), "serve", "--port",
                                         str(self.port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def built(self) -> bool:
        """Whether a first build has finished (the status page answers only once serving)."""
        text = fetch(self.url + "__microsite__/status")
        return bool(text) and json.loads(text)["version"] >= 1 and not json.loads(text)["building"]

    def indexed(self) -> bool:
        """Whether the preview's search index is being served (serve indexes once the saves
        pause for 2 s: until then, no child process does not mean the indexing is over)."""
        return bool(fetch(self.url + "pagefind/pagefind-entry.json"))

    def wait_until_idle(self, timeout: float, quiet: float = 1.0) -> None:
        """Wait for the first build and its search index, then until serve has had no child
        process (search indexing) for ``quiet`` s."""
        deadline = time.monotonic() + timeout
        since = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("serve ended:\n" + "\n".join(self.lines))
            if self.built() and self.indexed() and not descendants(self.process.pid):
                since = since or time.monotonic()
                if time.monotonic() - since >= quiet:
                    return
            else:
                since = None
            time.sleep(0.05)
        raise SystemExit(f"serve was not idle within {timeout} s:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def idle_cpu(serve: Serve, seconds: float) -> float:
    """Percent of one core that serve's process tree used over ``seconds`` of nobody editing."""
    before, started = tree_cpu_seconds(serve.process.pid), time.monotonic()
    time.sleep(seconds)
    used, elapsed = tree_cpu_seconds(serve.process.pid) - before, time.monotonic() - started
    return 100 * used / elapsed


def edit_latency(serve: Serve, article: Path, token: str, timeout: float = 300) -> tuple[float, str]:
    """Seconds from saving ``article`` with ``token`` added to its page being served with it,
    and what serve said of that build."""
    url = serve.url + f"articles/{article.stem}/"
    before = len(serve.lines)
    saved = time.perf_counter()
    with article.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\nEdited paragraph {token}.\n")
    while token not in fetch(url):
        if time.perf_counter() - saved > timeout:
            raise SystemExit(f"the edit was not served within {timeout} s:\n" + "\n".join(serve.lines))
        time.sleep(0.01)  # gently: each request takes the server's thread (and the GIL) from the build
    took = time.perf_counter() - saved
    deadline = time.monotonic() + 30  # serve says so just after the site is swapped in
    while time.monotonic() < deadline:
        if said := next((line for line in serve.lines[before:] if line.startswith("rebuilt in ")), ""):
            return took, said
        time.sleep(0.01)
    return took, "(no rebuild line)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--entities", type=int, default=500)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle CPU measured")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--repo", type=Path, default=HERE.parent, help="the checkout whose build.py runs")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-idle-"))
    try:
        root = write_project(work / "project", args.articles, args.entities)
        run(args.repo / "build.py", root, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(build_py: Path, root: Path, args: argparse.Namespace) -> None:
    print(f"{args.articles} articles, {args.entities} people and topics; serve from {build_py}")
    started = time.perf_counter()
    serve = Serve(build_py, root)
    try:
        serve.wait_until_idle(timeout=1800)
        print(f"first build and search index: {time.perf_counter() - started:.1f} s ({serve.lines[0]})")
        for line in serve.lines[1:]:
            print(f"  serve said: {line}")
        print(f"idle CPU over {args.idle:.0f} s: {idle_cpu(serve, args.idle):.2f} % of one core "
              f"(/proc counts in steps of {100 / TICKS / args.idle:.2f} %)")
        latencies = []
        for n in range(args.edits):
            took, said = edit_latency(serve, root / "content/articles" / f"{ARTICLE}.md", f"IDLE-BENCH-{n}")
            latencies.append(took)
            print(f"edit {n + 1}: save -> new page served in {took * 1000:.0f} ms (serve: {said})")
            # The search index of that build, before the next edit: it starts after 2 s without a save.
            serve.wait_until_idle(timeout=600, quiet=3.0)
        print(f"save -> new page served: median {statistics.median(latencies) * 1000:.0f} ms")
    finally:
        serve.stop()


if __name__ == "__main__":
    main()
