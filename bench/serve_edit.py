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
import http.client
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
from processes import wait_for_helpers  # noqa: E402


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
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return ""  # not served yet, or a file read while its writer rewrites it (a static server)


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


class Output:
    """The lines a running process prints, read in the background."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self.ended = False
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.lines.append(line.strip())
        self.ended = True

    def wait_for(self, text: str, after: int = 0, timeout: float = 900) -> bool:
        """Wait until a line from number ``after`` on contains ``text``; False on timeout or if the process ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ended = self.ended  # read first: the lines are complete once it is set
            if any(text in line for line in self.lines[after:]):
                return True
            if ended:
                return False
            time.sleep(0.01)
        return False


def edit_series(article: Path, url: str, edits: int, output: Output, done: str, token: str = "BENCH-EDIT",
                poll: float = 0.01, settle: float = 0.5, timeout: float = 300) -> list[float]:
    """Edit ``article`` ``edits`` times; for each, the seconds from saving it to ``url`` serving the new text.

    Each edit replaces the last one's paragraph with ``token``-N. The page is fetched every
    ``poll`` seconds. After it shows the edit, the server is left to finish that rebuild
    (until it prints a new line containing ``done``) and then ``settle`` seconds more, so
    one edit's background work does not slow the next. The caller restores the article.
    """
    original = article.read_text("utf-8")
    end_to_end = []
    for n in range(edits):
        marker = f"{token}-{n}-END"  # the end mark keeps "-1" from matching "-10"
        before = len(output.lines)
        saved = time.perf_counter()
        article.write_text(original.rstrip("\n") + f"\n\nEdited paragraph {marker}.\n", "utf-8")
        while marker not in fetch(url):
            if time.perf_counter() - saved > timeout:
                raise SystemExit(f"the edit was not served within {timeout} s:\n" + "\n".join(output.lines[-20:]))
            time.sleep(poll)
        end_to_end.append(time.perf_counter() - saved)
        output.wait_for(done, before, timeout=60)
        time.sleep(settle)
    return end_to_end


def measure_edits(root: Path, article: Path, out: Path, edits: int, settle: float = 0.5, poll: float = 0.002,
                  token: str = "BENCH-EDIT", build_py: Path = REPO / "build.py") -> Edits:
    """Start ``serve`` on ``root``, edit ``article`` ``edits`` times, restore it; the timings.

    ``settle`` is the pause after each rebuild, so the search index catches up and one
    edit's background work does not slow the next; ``poll`` the pause between requests
    for the page; ``build_py`` the generator to run.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}/articles/{article.stem}/"
    started = time.perf_counter()
    command = [sys.executable, str(build_py), "-C", str(root), "serve", "--port", str(port),
               "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = Output(process)
    original = article.read_text("utf-8")
    try:
        if not output.wait_for("serving "):
            raise SystemExit("serve did not start:\n" + "\n".join(output.lines))
        start = time.perf_counter() - started
        time.sleep(settle)
        first = len(output.lines)  # what came before is the first build
        end_to_end = edit_series(article, url, edits, output, "rebuilt in ", token, poll, settle)
        rebuilds = [float(line.split()[2]) / 1000 for line in output.lines[first:] if line.startswith("rebuilt in ")]
        return Edits(start, rebuilds[:edits], end_to_end, output.lines[0])
    finally:
        article.write_text(original, "utf-8")
        process.terminate()
        process.wait(60)
        wait_for_helpers(command)  # serve's housekeeping must not run into the next measurement


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
