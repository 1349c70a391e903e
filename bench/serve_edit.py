"""Time from saving one article to the rebuilt page being served by ``serve``.

    python bench/serve_edit.py                 # the seed site
    python bench/serve_edit.py --articles 5000 --entities 500   # a synthetic site

Starts ``serve`` on a copy of the project, then edits one article N times. For each
edit it reports two figures: the rebuild time ``serve`` prints (from noticing the
change to the new site swapped in) and the end-to-end time from the file being saved
to the new text being served, which adds the wait for the files to settle.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import write_project  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def project_copy(work: Path, articles: int, entities: int) -> tuple[Path, Path]:
    """The project to serve and the article to edit in it."""
    root = work / "project"
    if articles:
        write_project(root, articles, entities, mentioned=min(entities, 200))
        return root, root / "content/articles/article-00042.md"
    root.mkdir()
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root, root / "content/articles/russian-crew-blasts-off-to-film-first-film-in-space.md"


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=0, help="synthetic articles (0: the seed site)")
    parser.add_argument("--entities", type=int, default=500)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    try:
        root, article = project_copy(work, args.articles, args.entities)
        run(root, article, work / "preview", args.edits)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@dataclass
class Edits:
    """What one series of edits in a running ``serve`` measured, in seconds."""

    start: float  # from launching serve to its first "serving" line
    rebuilds: list[float]  # serve's own "rebuilt in" figures
    end_to_end: list[float]  # from saving the file to the new text being served
    first_line: str


def measure_edits(root: Path, article: Path, out: Path, edits: int, settle: float = 0.5) -> Edits:
    """Start ``serve`` on ``root``, edit ``article`` ``edits`` times, restore it; the timings.

    ``settle`` is the pause after each rebuild, so the search index catches up and one
    edit's background work does not slow the next.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}/articles/{article.stem}/"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "-C", str(root), "serve", "--port",
                                str(port), "--out", str(out)], stdout=subprocess.PIPE, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line.strip())
            if line.startswith("serving "):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    original = article.read_text("utf-8")
    try:
        if not ready.wait(900):
            raise SystemExit("serve did not start:\n" + "\n".join(lines))
        start = time.perf_counter() - started
        time.sleep(settle)
        first = len(lines)  # what came before is the first build
        end_to_end = []
        for n in range(edits):
            token = f"BENCH-EDIT-{n}"
            before = len(lines)
            saved = time.perf_counter()
            article.write_text(original.rstrip("\n") + f"\n\nEdited paragraph {token}.\n", "utf-8")
            while token not in fetch(url):
                time.sleep(0.002)
            end_to_end.append(time.perf_counter() - saved)
            while len(lines) == before:
                time.sleep(0.01)
            time.sleep(settle)
        rebuilds = [float(line.split()[2]) / 1000 for line in lines[first:] if line.startswith("rebuilt in ")]
        return Edits(start, rebuilds[:edits], end_to_end, lines[0])
    finally:
        article.write_text(original, "utf-8")
        process.terminate()
        process.wait(60)


def run(root: Path, article: Path, out: Path, edits: int) -> None:
    measured = measure_edits(root, article, out, edits)
    print(f"first build and start: {measured.start:.2f} s ({measured.first_line})")
    rebuilds, end_to_end = measured.rebuilds, measured.end_to_end
    print(f"edits: {edits}; rebuild (serve's own figure): median {statistics.median(rebuilds) * 1000:.0f} ms, "
          f"max {max(rebuilds) * 1000:.0f} ms")
    print(f"save -> new page served: median {statistics.median(end_to_end) * 1000:.0f} ms, "
          f"max {max(end_to_end) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
