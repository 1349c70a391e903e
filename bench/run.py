"""One benchmark run: this generator and Pelican (and Hugo, if present) on the same corpus.

    python bench/run.py                      # N=5000 articles, M=500 people and topics
    python bench/run.py --articles 500 --entities 50

Measures, on one synthetic corpus (bench/corpus.py):

* our cold full build (no cache), a full build after a template change, a no-op
  rebuild, a one-article edit inside a running ``serve``, and peak memory;
* Pelican (installed from PyPI into its own virtual environment here) building the
  same articles with tags and feeds, cold;
* the Python-Markdown floor: converting the same bodies, nothing else, on one core;
* Hugo (Debian's ``hugo``) when it is installed.

Every figure is printed with its ratio to Pelican's cold build from the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import write_pelican_project, write_project  # noqa: E402
from processes import same_command, wait_for_helpers  # noqa: E402
from serve_edit import measure_edits  # noqa: E402

PELICAN = "pelican[markdown]>=4.9,<5"


@dataclass
class Figure:
    name: str
    seconds: float
    note: str = ""
    memory_mb: float | None = None


@dataclass
class Run:
    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(f"  {figure.name}: {figure.seconds:.2f} s" + (f" ({figure.note})" if figure.note else ""), flush=True)
        return figure


# --------------------------------------------------------------------------- measuring


class PeakMemory:
    """The largest total memory of a process and all its descendants, sampled every 20 ms.

    Each process counts its proportional set size (PSS): pages shared between processes
    (forked workers share most of their parent's memory) are divided among them, so
    the sum is the memory the whole tree really occupies. Our build hands housekeeping
    (saving its cache, deleting the replaced site) to detached processes, which leave the
    tree: they are found by their command line, which is the build's own, and counted too.
    """

    def __init__(self, pid: int, command: list[str]):
        self.pid = pid
        self.command = command
        self.peak_kb = 0
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            pids = set(_tree(self.pid)) | set(same_command(self.command))
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in pids))
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return self.peak_kb / 1024


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float, str, float]:
    """Run a command; its wall time, peak memory of its process tree (MB), its output, and
    the seconds its detached helpers ran on after it ended (waited for, not counted)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = PeakMemory(process.pid, command)
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    helpers = wait_for_helpers(command)  # their memory counts; their time is reported by the caller
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{output}")
    return seconds, peak, output, helpers


# --------------------------------------------------------------------------- the runs


def ours(run: Run, work: Path, edits: int) -> None:
    project, out = work / "ours", work / "ours-site"
    build = [sys.executable, str(REPO / "build.py"), "-C", str(project), "build", "--out", str(out), "--timings"]
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    seconds, peak, output, helpers = timed(build)
    stages = _stages(output)
    run.add(Figure("ours: cold full build (no cache)", seconds, _summary(output, stages, helpers), peak))
    if "search" in stages:
        run.add(Figure("ours: cold full build, less the search index", seconds - stages["search"],
                       "the build's own stage timings; Pagefind indexing left out", peak))
    time.sleep(2.5)  # past the cache's 2 s window for trusting unchanged files
    base = project / "templates" / "base.html"
    text = base.read_text("utf-8")
    base.write_text(text.replace("</footer>", "<!-- a template change -->\n</footer>", 1), "utf-8")
    time.sleep(2.5)
    seconds, peak, output, helpers = timed(build)
    run.add(Figure("ours: full build after a template change", seconds,
                   "base.html footer edited; " + _summary(output, _stages(output), helpers), peak))
    time.sleep(2.5)
    seconds, peak, output, _ = timed(build)
    run.add(Figure("ours: no-op rebuild", seconds, output.strip().splitlines()[-1][:60] + "...", peak))
    rebuild, end_to_end = serve_edits(project, work / "ours-preview", edits)
    run.add(Figure("ours: one-article edit in serve (rebuild)", rebuild, f"median of {edits}; serve's own figure"))
    run.add(Figure("ours: one-article edit in serve (save to served)", end_to_end,
                   "median; includes the 100 ms poll and 100 ms settle"))


def _stages(output: str) -> dict[str, float]:
    """The seconds of each stage, from ``build --timings``' line "stages: load 1.05 s, ..."."""
    for line in output.splitlines():
        if line.startswith("stages: "):
            return {name: float(value) for name, value, _ in
                    (part.split() for part in line[len("stages: "):].split(", "))}
    return {}


def _summary(output: str, stages: dict[str, float], helpers: float) -> str:
    busiest = ", ".join(f"{name} {seconds:.1f}" for name, seconds in
                        sorted(stages.items(), key=lambda item: -item[1])[:4])
    return f"stages (s): {busiest}; detached cache save ran {helpers:.1f} s more"


def serve_edits(project: Path, out: Path, edits: int) -> tuple[float, float]:
    """Median rebuild time and save-to-served time of one-article edits in a running serve."""
    article = sorted((project / "content" / "articles").glob("*.md"))[42]
    measured = measure_edits(project, article, out, edits, settle=1.0)
    return statistics.median(measured.rebuilds), statistics.median(measured.end_to_end)


FLOOR = """
import glob, sys, time
import frontmatter, markdown
bodies = [frontmatter.load(f).content for f in sorted(glob.glob(sys.argv[1] + "/content/articles/*.md"))]
md = markdown.Markdown(extensions=["tables", "fenced_code", "footnotes", "sane_lists", "toc"])
started = time.perf_counter()
for body in bodies:
    md.reset()
    md.convert(body)
print(time.perf_counter() - started)
"""


def floor(run: Run, work: Path) -> Figure:
    _, _, output, _ = timed([sys.executable, "-c", FLOOR, str(work / "ours")])
    return run.add(Figure("Python-Markdown floor, one core", float(output.strip().splitlines()[-1]),
                          "same bodies, same extensions, nothing else"))


def pelican(run: Run, work: Path, n: int, m: int) -> Figure:
    venv = work / "pelican-venv"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", PELICAN], check=True)
    project = write_pelican_project(work / "pelican", n, m, mentioned=m)
    output_dir = project / "output"
    shutil.rmtree(output_dir, ignore_errors=True)
    version = subprocess.run([str(venv / "bin" / "pelican"), "--version"], capture_output=True, text=True).stdout
    seconds, peak, _, _ = timed([str(venv / "bin" / "pelican"), "content", "-o", str(output_dir), "-s",
                              "pelicanconf.py", "-q"], cwd=project)
    return run.add(Figure("Pelican: cold build", seconds, f"Pelican {version.strip()}, tags and Atom feeds", peak))


HUGO_LAYOUTS = {
    "layouts/_default/baseof.html": "<!doctype html><html><head><title>{{ .Title }}</title></head>"
                                    "<body>{{ block \"main\" . }}{{ end }}</body></html>",
    "layouts/_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}"
                                    "{{ range .Params.tags }}<a href=\"{{ \"tags/\" | relURL }}{{ . | urlize }}/\">"
                                    "{{ . }}</a>{{ end }}{{ end }}",
    "layouts/_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}"
                                  "<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ end }}",
}


def hugo(run: Run, work: Path, n: int, m: int) -> Figure | None:
    binary = shutil.which("hugo")
    if not binary:
        print("  Hugo: not installed (Debian's hugo); left out", flush=True)
        return None
    project = work / "hugo"
    pelican_project = work / "pelican"
    shutil.rmtree(project, ignore_errors=True)
    (project / "content" / "articles").mkdir(parents=True)
    (project / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Synthetic corpus"\n'
                                       "[pagination]\n  pagerSize = 50\n", "utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, "utf-8")
    for source in sorted((pelican_project / "content").glob("*.md")):
        head, body = source.read_text("utf-8").split("\n\n", 1)
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        tags = json.dumps([t.strip() for t in meta["Tags"].split(",") if t.strip()])
        (project / "content" / "articles" / source.name).write_text(
            f"---\ntitle: {json.dumps(meta['Title'])}\ndate: {meta['Date']}\ntags: {tags}\n---\n\n{body}", "utf-8")
    seconds, peak, _, _ = timed([binary, "--source", str(project), "--quiet"])
    return run.add(Figure("Hugo: cold build", seconds, "minimal layouts", peak))


# --------------------------------------------------------------------------- report


TARGETS = {
    "ours: cold full build (no cache)": "<= 0.35 x Pelican; <= 1.25 x floor / cores",
    "ours: cold full build, less the search index": "(what the targets compare, were search left out)",
    "ours: full build after a template change": "<= 0.12 x Pelican",
    "ours: no-op rebuild": "< 0.5 s",
    "ours: one-article edit in serve (rebuild)": "< 0.15 s",
}


def report(run: Run, reference: Figure, floor_figure: Figure, cores: int, n: int, m: int) -> None:
    print(f"\n{n} articles, {m} people and topics; {cores} cores; reference: Pelican's cold build "
          f"({reference.seconds:.2f} s)\n")
    print(f"| {'figure':<52} | {'seconds':>8} | {'x Pelican':>9} | target |")
    print(f"|{'-' * 54}|{'-' * 10}|{'-' * 11}|--------|")
    rows = list(run.figures)
    rows.insert(rows.index(floor_figure) + 1, Figure("Python-Markdown floor / cores", floor_figure.seconds / cores))
    for figure in rows:
        print(f"| {figure.name:<52} | {figure.seconds:>8.2f} | {figure.seconds / reference.seconds:>9.3f} | "
              f"{TARGETS.get(figure.name, '')} |")
    cold = next(f for f in run.figures if f.name.startswith("ours: cold"))
    per_core = floor_figure.seconds / cores
    print(f"\ncold build / (floor / cores) = {cold.seconds / per_core:.2f} (target <= 1.25)")
    for figure in run.figures:
        if figure.name.startswith("ours: cold full build, less"):
            print(f"cold build less the search index / (floor / cores) = {figure.seconds / per_core:.2f}")
    print("\nnotes:")
    for figure in run.figures:
        if figure.note:
            print(f"  {figure.name}: {figure.note}")
    if cold.memory_mb and reference.memory_mb:
        print(f"peak memory, all processes: ours {cold.memory_mb:.0f} MB (cold build), Pelican "
              f"{reference.memory_mb:.0f} MB: ratio {cold.memory_mb / reference.memory_mb:.2f} (target <= 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--entities", type=int, default=500)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--work", type=Path, default=HERE / ".work", help="scratch folder (kept for inspection)")
    args = parser.parse_args()
    work = args.work.absolute()
    work.mkdir(parents=True, exist_ok=True)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    print(f"corpus: {args.articles} articles, {args.entities} people and topics, in {work}", flush=True)
    write_project(work / "ours", args.articles, args.entities, mentioned=args.entities)
    run = Run()
    reference = pelican(run, work, args.articles, args.entities)
    floor_figure = floor(run, work)
    hugo(run, work, args.articles, args.entities)
    ours(run, work, args.edits)
    report(run, reference, floor_figure, cores, args.articles, args.entities)


if __name__ == "__main__":
    main()
