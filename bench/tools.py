"""The three generators the benchmark runs on one corpus: ours, Pelican and Hugo.

Each is a ``Tool``: the command that builds its project, what a cold build removes
first, the two template changes (one in the footer of every page, one inside the main
part of every article page), and how its dev server is run for the edit-to-served
measurement. Pelican and Hugo get the same articles as ours (corpus.py), with every
named person and topic as a tag.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from corpus import write_pelican_project, write_project
from measure import Measured, measure
from serve_edit import Output, edit_series, fetch, free_port, measure_edits

REPO = Path(__file__).resolve().parents[1]
PELICAN = "pelican[markdown]>=4.9,<5"
# An element with no text and a class: it changes every page's bytes, not what search reads.
FOOTER_MARK = '<span class="bench-change"></span>'
MAIN_CLASS = "bench-change"
EDITED = 42  # the article edited in the dev servers: the 43rd in sorted order
POLL = 0.01  # seconds between requests for the edited page
SETTLE = 1.0  # seconds left to a server after each edit's rebuild, so one edit's work does not slow the next


@dataclass
class Served:
    """One dev-server session's edits, in seconds."""

    end_to_end: list[float]  # each edit, from saving the file to the page served with it
    rebuilds: list[float]  # the server's own figure for each rebuild it reported after its first build


def own_figures(lines: list[str], pattern: str, unit: float) -> list[float]:
    """The server's own rebuild times in ``lines`` (joined: a console may wrap a long line), in seconds."""
    return [float(value) * unit for value in re.findall(pattern, " ".join(lines))]


@dataclass
class Change:
    """One template edit: the first ``old`` in ``path`` becomes ``new``; ``revert`` puts the file back."""

    path: Path
    old: str
    new: str
    original: str = ""

    def apply(self) -> None:
        self.original = self.path.read_text("utf-8")
        if self.old not in self.original:
            raise SystemExit(f"{self.path}: {self.old!r} not found; the benchmark's template change needs updating")
        self.path.write_text(self.original.replace(self.old, self.new, 1), "utf-8")

    def revert(self) -> None:
        self.path.write_text(self.original, "utf-8")


@dataclass
class Tool:
    name: str  # "ours", "pelican", "hugo"
    version: str
    build_argv: list[str]
    cwd: Path | None
    cold_paths: list[Path]  # removed before a cold build: output and caches
    changes: dict[str, Change]  # "footer", "main"
    article: Path  # the article edited in the dev server
    serve: Callable[[int, str], Served]  # (edits, marker) -> what the edits measured
    helper_argv: list[str] | None = None  # ours: the command line its detached helpers keep
    notes: list[str] = field(default_factory=list)
    operations: tuple[str, ...] = ("cold", "footer", "main", "noop", "serve")  # what this tool is measured on

    def build(self) -> Measured:
        return measure(self.build_argv, self.cwd, self.helper_argv)

    def cold(self) -> Measured:
        for path in self.cold_paths:
            shutil.rmtree(path, ignore_errors=True)
        return self.build()


def _changes(base: Path, article: Path, body_class: str) -> dict[str, Change]:
    """A tool's two template changes: a mark before the footer of every page (``base``), and a
    class on the element around an article's body (``body_class`` in ``article``)."""
    return {"footer": Change(base, "</footer>", FOOTER_MARK + "</footer>"),
            "main": Change(article, f'class="{body_class}"', f'class="{body_class} {MAIN_CLASS}"')}


def _article(folder: Path) -> Path:
    return sorted(folder.glob("*.md"))[EDITED]


def _stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------- ours


CODE = ("build.py", "microsite", "templates")  # what a snapshot of the generator holds


def snapshot(work: Path, ref: str) -> tuple[Path, str]:
    """A frozen copy of the generator to benchmark, in WORK/code, and what it is.

    ``ref`` "worktree" copies the working tree as it is at the start; any other value is a
    git revision, exported with ``git archive``. Builds run ``WORK/code/build.py``, which
    imports the ``microsite`` package beside it: edits made in the checkout during the
    run (which would also invalidate the build cache, keyed on the generator's code)
    do not reach the measurements.
    """
    target = work / "code"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if ref == "worktree":
        shutil.copy2(REPO / "build.py", target / "build.py")
        for folder in CODE[1:]:
            shutil.copytree(REPO / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
        return target, _git("describe", "--always", "--dirty") + ", working tree copied at the start"
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref, *CODE], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target, f"{_git('rev-parse', '--short', ref)} ({ref})"


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()


def ours(work: Path, n: int, m: int, code: str = "worktree") -> Tool:
    generator, version = snapshot(work, code)
    project = write_project(work / "ours", n, m, mentioned=m, templates=generator / "templates")
    out = work / "ours-site"
    argv = [sys.executable, str(generator / "build.py"), "-C", str(project), "build", "--out", str(out), "--timings"]
    article = _article(project / "content" / "articles")

    def serve(edits: int, marker: str) -> Served:
        measured = measure_edits(project, article, work / "ours-preview", edits, settle=SETTLE, poll=POLL,
                                 token=marker, build_py=generator / "build.py")
        return Served(measured.end_to_end, measured.rebuilds)

    return Tool("ours", version, argv, None, [project / ".cache", out],
                _changes(project / "templates" / "base.html", project / "templates" / "article.html", "body prose"),
                article, serve, helper_argv=argv)


def ours_without_search(work: Path, with_search: Tool) -> Tool:
    """Ours on a copy of the same project with ``search = "off"``: the cold build measured
    without its search index, rather than estimated from the Pagefind processes' share."""
    source = with_search.changes["footer"].path.parents[1]
    project = work / "ours-nosearch"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(source, project, ignore=shutil.ignore_patterns(".cache"))
    settings = project / "pyproject.toml"
    text = settings.read_text("utf-8")
    if "[tool.microsite]\n" not in text:
        raise SystemExit(f"{settings}: no [tool.microsite] table to turn search off in")
    settings.write_text(text.replace("[tool.microsite]\n", '[tool.microsite]\nsearch = "off"\n', 1), "utf-8")
    out = work / "ours-nosearch-site"
    argv = [*with_search.build_argv[:3], str(project), "build", "--out", str(out), "--timings"]
    return Tool("ours-nosearch", with_search.version, argv, None, [project / ".cache", out], {}, _article(
        project / "content" / "articles"), with_search.serve, helper_argv=argv, operations=("cold",))


# --------------------------------------------------------------------------- Pelican


PELICAN_SETTINGS = """
# Added by bench/tools.py: a copy of the default theme, to edit; the content cache on,
# so a rebuild after a template change reads the articles from it.
THEME = "theme"
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CACHE_PATH = "cache"
"""


def pelican_venv(work: Path) -> Path:
    """Pelican from PyPI in its own virtual environment, made on the first run."""
    venv = work / "pelican-venv"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", PELICAN], check=True)
    return venv


def pelican(work: Path, n: int, m: int) -> Tool:
    venv = pelican_venv(work)
    binary = str(venv / "bin" / "pelican")
    project = write_pelican_project(work / "pelican", n, m, mentioned=m)
    themes = next((venv / "lib").glob("python*/site-packages/pelican/themes"))
    shutil.copytree(themes / "notmyidea", project / "theme")  # Pelican's default theme
    with (project / "pelicanconf.py").open("a", encoding="utf-8") as handle:
        handle.write(PELICAN_SETTINGS)
    article = _article(project / "content")
    argv = [binary, "content", "-o", "output", "-s", "pelicanconf.py", "-q"]

    def serve(edits: int, marker: str) -> Served:
        return pelican_serve(binary, project, article, edits, marker)

    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    templates = project / "theme" / "templates"
    return Tool("pelican", version, argv, project, [project / "output", project / "cache"],
                _changes(templates / "base.html", templates / "article.html", "entry-content"), article, serve)


def pelican_serve(binary: str, project: Path, article: Path, edits: int, marker: str) -> Served:
    """``pelican --autoreload`` writing output/, a static server serving it; save-to-served per edit."""
    port = free_port()
    watcher = subprocess.Popen([binary, "content", "-o", "output", "-s", "pelicanconf.py", "--autoreload"],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(project / "output")], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{article.stem}.html"
    return _session([watcher, server], Output(watcher), url, article, edits, marker,
                    ready="Done: Processed", done="Done: Processed",
                    figure=r"Done: Processed .*? in ([\d.]+) seconds", scale=1)


def _session(processes: list[subprocess.Popen], output: Output, url: str, article: Path, edits: int, marker: str,
             *, ready: str, done: str, figure: str, scale: float) -> Served:
    """One dev-server session: wait for the server (its ``ready`` line, then the page), make the edits,
    stop the server and put the article back. ``done`` ends one rebuild; ``figure`` finds the
    server's own rebuild time in its output (times ``scale``, in seconds)."""
    original = article.read_text("utf-8")
    try:
        if not output.wait_for(ready):
            raise SystemExit(f"{' '.join(map(str, processes[0].args[:2]))} did not start:\n"
                             + "\n".join(output.lines))
        _wait_served(url)
        time.sleep(SETTLE)
        first = len(output.lines)
        end_to_end = edit_series(article, url, edits, output, done, marker, POLL, SETTLE)
        return Served(end_to_end, own_figures(output.lines[first:], figure, scale))
    finally:
        article.write_text(original, "utf-8")
        _stop(*processes)


def _wait_served(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not fetch(url):
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} was not served within {timeout} s")
        time.sleep(0.05)


# --------------------------------------------------------------------------- Hugo


HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Synthetic corpus"
[pagination]
  pagerSize = 50
"""

# Minimal layouts: every page in baseof's <main>, with a footer on every page; an
# article's body inside a classed element, as in the other two.
HUGO_LAYOUTS = {
    "layouts/_default/baseof.html":
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body>"
        "<main>{{ block \"main\" . }}{{ end }}</main>\n"
        "<footer class=\"colophon\"><p>{{ .Site.Title }}</p></footer>\n</body></html>\n",
    "layouts/_default/single.html":
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><div class=\"body\">{{ .Content }}</div>"
        "{{ range .Params.tags }}<a href=\"{{ \"tags/\" | relURL }}{{ . | urlize }}/\">{{ . }}</a>{{ end }}"
        "</article>{{ end }}\n",
    "layouts/_default/list.html":
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}"
        "<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ end }}\n",
}


def hugo(work: Path) -> Tool | None:
    """Debian's ``hugo`` on the Pelican project's articles (converted front matter); None if not installed."""
    binary = shutil.which("hugo")
    if not binary:
        return None
    project = work / "hugo"
    shutil.rmtree(project, ignore_errors=True)
    (project / "content" / "articles").mkdir(parents=True)
    (project / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, "utf-8")
    for source in sorted((work / "pelican" / "content").glob("*.md")):
        head, body = source.read_text("utf-8").split("\n\n", 1)
        meta = dict(line.split(": ", 1) for line in head.splitlines())
        tags = json.dumps([t.strip() for t in meta["Tags"].split(",") if t.strip()])
        (project / "content" / "articles" / source.name).write_text(
            f"---\ntitle: {json.dumps(meta['Title'])}\ndate: {meta['Date']}\ntags: {tags}\n---\n\n{body}", "utf-8")
    article = _article(project / "content" / "articles")
    argv = [binary, "--source", str(project), "--quiet"]

    def serve(edits: int, marker: str) -> Served:
        return hugo_serve(binary, project, article, edits, marker)

    version = subprocess.run([binary, "version"], capture_output=True, text=True).stdout.split()[1]
    layouts = project / "layouts" / "_default"
    return Tool("hugo", version, argv, None, [project / "public", project / "resources"],
                _changes(layouts / "baseof.html", layouts / "single.html", "body"), article, serve)


def hugo_serve(binary: str, project: Path, article: Path, edits: int, marker: str) -> Served:
    """``hugo server`` with its defaults (fast render on, pages kept in memory); save-to-served per edit."""
    port = free_port()
    process = subprocess.Popen([binary, "server", "--source", str(project), "--port", str(port), "--bind",
                                "127.0.0.1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/articles/{article.stem}/"
    return _session([process], Output(process), url, article, edits, marker,
                    ready="Web Server is available", done="Total in", figure=r"Total in ([\d.]+) ms", scale=0.001)
