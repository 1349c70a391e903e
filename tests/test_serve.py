"""``serve``: live preview in a real browser, the error overlay, and edits during rebuilds."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_support import open_page

from conftest import REPO, copy_seed_project, snapshot

pytest_plugins = ["browser_support"]

ARTICLE = "russian-team-leaves-baikonur-to-shoot-first-film-in-space"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    """A running ``serve`` process on a copy of the seed project."""

    project: Path
    url: str
    out: Path
    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "__microsite__/status", timeout=5) as response:
            return json.load(response)

    def get(self, path: str) -> str:
        """A page of the preview as text (404 pages too)."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.read().decode("utf-8")

    def wait_for_version(self, after: int, timeout: float = 20) -> dict:
        """Wait until a build newer than ``after`` has finished; its status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status["version"] > after and not status["building"]:
                return status
            time.sleep(0.05)
        raise AssertionError(f"no new build within {timeout} s; output:\n" + "\n".join(self.lines))

    def serving_line(self) -> str:
        """The line saying where it serves (the first build's warnings, if any, come before it)."""
        return next(line for line in self.lines if line.startswith("serving "))

    def attempts(self) -> int:
        """Builds that ended so far, good or failed (each prints one line)."""
        return sum(line.startswith(("rebuilt in ", "build failed")) for line in self.lines)

    def wait_for_attempt(self, after: int, timeout: float = 20) -> None:
        """Wait until more than ``after`` builds have ended."""
        deadline = time.monotonic() + timeout
        while self.attempts() <= after:
            assert time.monotonic() < deadline, f"no build within {timeout} s; output:\n" + "\n".join(self.lines)
            assert self.process.poll() is None, "serve ended:\n" + "\n".join(self.lines)
            time.sleep(0.05)

    def wait_until_quiet(self, quiet: float = 2.0, timeout: float = 60) -> dict:
        """Wait until no build has started or finished for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            status = self.status()
            key = (status["version"], status["building"], tuple(status["problems"]))
            if key != last:
                last, since = key, time.monotonic()
            elif not status["building"] and time.monotonic() - since >= quiet:
                return status
            time.sleep(0.05)
        raise AssertionError("the preview kept rebuilding; output:\n" + "\n".join(self.lines))


def start_serve(project: Path, out: Path | None, env: dict[str, str] | None = None) -> tuple[Served, threading.Event]:
    """``serve`` on ``project`` in a subprocess (with ``--out`` unless None), its output collected;
    the event is set once it says it is serving."""
    port = free_port()
    command = [sys.executable, str(REPO / "build.py"), "-C", str(project), "serve", "--port", str(port)]
    process = subprocess.Popen(command + (["--out", str(out)] if out else []), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
    server = Served(project, f"http://127.0.0.1:{port}/", out or Path(), process)
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            server.lines.append(line.rstrip("\n"))
            if line.startswith("serving http://"):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    return server, ready


@pytest.fixture
def served(tmp_path):
    server, ready = start_serve(copy_seed_project(tmp_path / "project"), tmp_path / "preview")
    assert ready.wait(60), "serve did not start:\n" + "\n".join(server.lines)
    yield server
    server.process.terminate()
    server.process.wait(10)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_serve_prints_its_address_and_the_build_time(served):
    assert re.fullmatch(r"rebuilt in \d+ ms \(\d+ pages, \d+ bodies converted; ms: restore \d+, load \d+, "
                        r"import \d+, link \d+, render \d+, write \d+, save \d+\)", served.lines[0])
    assert served.lines[1] == f"serving {served.url} (drafts included); press Ctrl+C to stop"
    with urllib.request.urlopen(served.url) as response:
        page = response.read().decode("utf-8")
    assert "livereload.js" in page and response.headers["Cache-Control"] == "no-store"


NEW_ARTICLE = """---
title: A preview test report
date: 2021-10-06
---

Yulia Peresild and Klim Shipenko began filming aboard the station. The crew practiced photography.
"""


def test_live_preview_in_the_browser(served, chromium_browser):
    article_file = served.project / "content" / "articles" / "preview-test.md"
    version = served.status()["version"]
    article_file.write_text(NEW_ARTICLE, "utf-8")
    served.wait_for_version(version)
    assert "/articles/preview-test/" in served.get("people/yulia-peresild/")  # listed on its people's pages
    time.sleep(0.5)  # let the reload of that build go out before the browser connects
    with open_page(chromium_browser, viewport={"width": 1280, "height": 800}) as (page, _log):
        page.goto(served.url + "articles/preview-test/")
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)

        # An edit shows up without reloading by hand.
        edit(article_file, "The crew practiced photography", "The crew rehearsed LIVE-EDIT photography")
        page.wait_for_function("() => document.body.innerText.includes('LIVE-EDIT')", timeout=20_000)

        # Broken front matter: the last good page stays, with the problem on top of it.
        edit(article_file, "\ntitle: ", "\ntitl: ")
        overlay = page.wait_for_selector("#microsite-problems", timeout=20_000)
        text = overlay.inner_text()
        assert "content/articles/preview-test.md:2: unknown front matter field 'titl'" in text
        assert "content/articles/preview-test.md:1: missing title" in text
        assert "LIVE-EDIT" in page.inner_text("main")

        # Fixed: the page reloads by itself, without the overlay.
        edit(article_file, "\ntitl: ", "\ntitle: ")
        page.wait_for_selector("#microsite-problems", state="detached", timeout=20_000)
        assert "LIVE-EDIT" in page.inner_text("main")

        # Deleted: gone from the index and from its people's pages.
        version = served.status()["version"]
        article_file.unlink()
        served.wait_for_version(version)
        page.wait_for_function("() => document.title.startsWith('Page not found')", timeout=20_000)
    assert "preview-test" not in served.get("articles/")
    for person in ("yulia-peresild", "klim-shipenko"):
        assert "preview-test" not in served.get(f"people/{person}/"), person


def test_deleting_an_article_that_other_pages_cite_shows_where(served):
    (served.project / "content" / "articles" / f"{ARTICLE}.md").unlink()
    status = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (status and status["problems"]):
        status = served.status()
        time.sleep(0.05)
    assert any(p.startswith("content/people/yulia-peresild.md:") and f"{ARTICLE}.md does not exist" in p
               for p in status["problems"])
    with urllib.request.urlopen(served.url + f"articles/{ARTICLE}/") as response:
        page = response.read().decode("utf-8")  # the last good site is still served, with the overlay
    assert 'id="microsite-problems"' in page


def test_new_seed_is_imported_and_appears(served):
    version = served.status()["version"]
    (served.project / "seeds" / "900_new.txt").write_text(
        "Crew of Soyuz MS-19 lands safely\n\nThe capsule with Klim Shipenko touched down on the steppe.\n", "utf-8")
    served.wait_for_version(version)
    served.wait_until_quiet(quiet=1.0)
    created = served.project / "content" / "articles" / "crew-of-soyuz-ms-19-lands-safely.md"
    assert created.is_file()
    with urllib.request.urlopen(served.url + "articles/crew-of-soyuz-ms-19-lands-safely/") as response:
        assert "touched down on the steppe" in response.read().decode("utf-8")


def test_edits_during_rebuilds_end_in_the_same_site_as_a_clean_build(served, tmp_path):
    project = served.project
    rng = random.Random(7)
    articles = sorted((project / "content" / "articles").glob("*.md"))
    new_article = project / "content/articles/written-during-the-preview.md"
    steps = [
        lambda: new_article.write_text(NEW_ARTICLE.replace("A preview test report", "Written during the preview"),
                                       "utf-8"),
        lambda: edit(articles[0], "\n---\n", "\n---\n\nA sentence added by an editor about Peresild.\n"),
        lambda: (project / "content/people/alexei-leonov.md").write_text(
            "---\nname: Alexei Leonov\naliases: [Leonov]\nrole: Historical figures\n---\n\nLeonov.\n", "utf-8"),
        lambda: edit(project / "content/people/oleg-novitsky.md", "- Novitskiy\n", "- Novitskiy\n- O. Novitsky\n"),
        lambda: new_article.rename(new_article.with_name("renamed-by-an-editor.md")),
        lambda: (project / "content/topics/twitter.md").unlink(),
        lambda: edit(project / "templates/base.html", "Published by", "Edited and published by"),
        lambda: edit(articles[2], "\ntitle: ", "\ntitle: Revised, "),
        lambda: edit(project / "pyproject.toml", 'title = "The Challenge', 'title = "The Challenge (preview)'),
        lambda: edit(articles[0], "A sentence added", "A sentence changed"),
        lambda: edit(project / "content/timeline.md", "title: Return to Earth", "title: Back on Earth"),
        lambda: (project / "content/articles/short-lived.md").write_text(NEW_ARTICLE, "utf-8"),
        lambda: (project / "content/articles/short-lived.md").unlink(),
    ]
    for step in steps:
        step()
        time.sleep(rng.uniform(0.0, 0.4))  # some edits land while a build is running
    served.wait_until_quiet()
    assert served.status()["problems"] == []

    clean = tmp_path / "clean"
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "-C", str(project), "build", "--drafts",
                           "--base-url", served.url, "--out", str(clean)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr

    def pages(folder: Path) -> dict[str, bytes]:
        return {k: v for k, v in snapshot(folder).items() if not k.startswith("pagefind/")}

    preview, fresh = pages(served.out), pages(clean)
    assert sorted(preview) == sorted(fresh)
    assert [k for k in fresh if preview[k] != fresh[k]] == []
    assert "Edited and published by" in preview["index.html"].decode("utf-8")


# --------------------------------------------------------------------------- the watcher keeps watching


def test_link_loops_do_not_stop_the_watcher(served):
    """A link loop (or a dangling link) in a watched folder: each save still starts a build, which
    says what is wrong, and the one after the links are gone shows every edit."""
    project = served.project
    links = [project / "content/articles/loop.md", project / "seeds/loop.txt", project / "content/people/gone.md"]
    attempts = served.attempts()
    links[0].symlink_to("loop.md")
    links[1].symlink_to("loop.txt")
    links[2].symlink_to("no-such-person.md")
    served.wait_for_attempt(attempts)  # the links themselves are a change
    problems = "\n".join(served.status()["problems"])
    assert "content/articles/loop.md" in problems and "seeds/loop.txt" in problems, problems  # said by the build

    attempts = served.attempts()
    article = next((project / "content/articles").glob("russian-team*.md"))
    edit(article, "\n---\n", "\n---\n\nLOOP-PROOF sentence about Peresild.\n")
    served.wait_for_attempt(attempts)

    version = served.status()["version"]
    for link in links:
        link.unlink()
    served.wait_for_version(version)
    assert served.status()["problems"] == []
    assert "LOOP-PROOF" in served.get(f"articles/{article.stem}/")


def test_snapshot_survives_whatever_a_folder_holds(tmp_path):
    from microsite.serve import snapshot

    root = tmp_path / "project"
    (root / "content/articles").mkdir(parents=True)
    (root / "content/articles/a.md").write_text("a", "utf-8")
    (root / "content/articles/loop.md").symlink_to("loop.md")  # ELOOP
    (root / "content/articles/dangling.md").symlink_to("missing.md")
    (root / "content/articles/z.md").write_text("z", "utf-8")  # after the broken links: still seen
    (root / "content/up").symlink_to("..")  # a folder link into what holds it: not scanned again and again
    (root / "content/same").symlink_to("articles")  # a folder link elsewhere in the project: scanned
    (root / "content/disk").symlink_to("/")  # out of the project: not read (the build refuses it)
    (root / "seeds").symlink_to("seeds")  # the watched folder itself a loop
    (root / "templates").mkdir()
    os.mkfifo(root / "templates/pipe")
    found = snapshot(root)
    assert sorted(found) == ["content/articles/a.md", "content/articles/dangling.md", "content/articles/loop.md",
                             "content/articles/z.md", "content/disk", "content/same/a.md", "content/same/dangling.md",
                             "content/same/loop.md", "content/same/z.md", "content/up", "seeds",
                             "templates/pipe"]
    if os.geteuid() != 0:  # root reads every folder
        (root / "content/articles").chmod(0)
        try:
            assert "content/articles/a.md" not in snapshot(root)
        finally:
            (root / "content/articles").chmod(0o755)


# --------------------------------------------------------------------------- stopping


@pytest.mark.parametrize(("name", "moment"), [("SIGTERM", "serving"), ("SIGHUP", "serving"), ("SIGINT", "serving"),
                                              ("SIGTERM", "first build"), ("SIGHUP", "rebuilding")])
def test_a_stopped_serve_leaves_no_temporary_folder(tmp_path, name, moment):
    """Ctrl+C, SIGTERM and SIGHUP, at any moment, end serve with status 0 and remove its work folder."""
    temp = tmp_path / "temp"
    temp.mkdir()
    project = copy_seed_project(tmp_path / "project")
    server, ready = start_serve(project, None, env={**os.environ, "TMPDIR": str(temp)})
    try:
        if moment == "first build":  # as soon as the work folder exists, long before the site does
            deadline = time.monotonic() + 30
            while not list(temp.glob("microsite-serve-*")):
                assert time.monotonic() < deadline and server.process.poll() is None, "\n".join(server.lines)
                time.sleep(0.001)
            assert not ready.is_set()
        else:
            assert ready.wait(60), "serve did not start:\n" + "\n".join(server.lines)
            assert [p.name.startswith("microsite-serve-") for p in temp.iterdir()] == [True]
        if moment == "rebuilding":
            attempts = server.attempts()
            edit(next((project / "content/articles").glob("russian-team*.md")), "\n---\n", "\n---\n\nMore.\n")
            deadline = time.monotonic() + 20
            while not server.status()["building"] and server.attempts() == attempts:
                assert time.monotonic() < deadline, "\n".join(server.lines)
                time.sleep(0.005)
        sent = time.monotonic()
        server.process.send_signal(getattr(signal, name))
        status = server.process.wait(15)
        took = time.monotonic() - sent
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()
    print(f"\n{name} while {moment}: exit status {status} after {took:.2f} s")
    assert status == 0, "\n".join(server.lines)
    assert "Traceback" not in "\n".join(server.lines)
    assert list(temp.iterdir()) == [], f"left in the temporary folder: {sorted(temp.rglob('*'))}"
    assert took < 10


def test_the_printed_address_brackets_an_ipv6_host():
    from microsite.serve import _url_host

    assert [_url_host(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]")] == ["127.0.0.1", "localhost", "[::1]",
                                                                                   "[::1]"]


@pytest.mark.parametrize("setting, runs", [("", 1), ('search = "off"\n', 0)])
def test_serve_indexes_for_search_only_when_the_site_has_search(tmp_path, monkeypatch, setting, runs):
    """With search off, a preview build starts no Pagefind run (the default asks for one: the check bites)."""
    from microsite import serve as serve_module
    project = copy_seed_project(tmp_path / "project")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text("utf-8").replace("[tool.microsite]\n", "[tool.microsite]\n" + setting),
                         "utf-8")
    requested: list[int] = []
    monkeypatch.setattr(serve_module._Indexer, "request", lambda self: requested.append(1))
    state = serve_module.State(out_dir=tmp_path / "site", search_dir=tmp_path / "pagefind", base_path="/")
    preview = serve_module.Preview(project, state, "http://127.0.0.1:8000/", echo=lambda line: None)
    try:
        assert preview.rebuild()
    finally:
        preview.indexer.finish(5)
    assert len(requested) == runs
    assert (tmp_path / "site/search/index.html").exists() == bool(runs)


def test_a_preview_build_collects_cycles_once_after_the_build_and_frees_them(tmp_path, monkeypatch):
    """During a rebuild the cyclic collector waits (threshold raised, then restored, also when the
    build fails); ``tidy`` collects before freezing, so no cycle the build left is frozen for good."""
    import gc
    import weakref

    from microsite import serve as serve_module
    project = copy_seed_project(tmp_path / "project")
    state = serve_module.State(out_dir=tmp_path / "site", search_dir=tmp_path / "pagefind", base_path="/")
    preview = serve_module.Preview(project, state, "http://127.0.0.1:8000/", echo=lambda line: None)
    monkeypatch.setattr(serve_module._Indexer, "request", lambda self: None)
    before = gc.get_threshold()
    seen, left = [], []
    real_build = preview.builder.build

    class Node:
        pass

    def build(listing=None, proceed=None):
        seen.append(gc.get_threshold()[0])
        node = Node()
        node.self = node  # a cycle: freed only by the collector
        left.append(weakref.ref(node))
        return real_build(listing, proceed)

    monkeypatch.setattr(preview.builder, "build", build)
    try:
        assert preview.rebuild()
        assert gc.get_threshold() == before and seen == [serve_module.REBUILD_GC_THRESHOLD]
        preview.tidy()
        assert left[0]() is None
        (project / "templates" / "base.html").write_text("{% broken", "utf-8")
        assert not preview.rebuild()
        assert gc.get_threshold() == before
    finally:
        preview.indexer.finish(5)
        gc.unfreeze()


def test_search_indexing_waits_for_the_edits_to_pause():
    """Saves in quick succession start no indexing; it runs once they pause, and once more for a
    request that came while it ran (its index would miss that build)."""
    from microsite.serve import _Indexer
    runs: list[float] = []

    def work() -> None:
        runs.append(time.monotonic())
        time.sleep(0.5)

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 10
        while len(runs) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(runs) == count

    indexer = _Indexer(work, quiet=1.0)
    try:
        for _ in range(10):  # a build every 0.05 s: never 1 s of quiet, even on a slow machine
            indexer.request()
            last = time.monotonic()
            time.sleep(0.05)
        assert runs == []
        wait_for(1)
        assert runs[0] - last >= 0.95
        time.sleep(0.1)
        indexer.request()  # while it runs: one more after it, once quiet again
        asked = time.monotonic()
        wait_for(2)
        assert runs[1] - asked >= 0.95
    finally:
        indexer.finish(5)
    assert not indexer.thread.is_alive()


def _read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def test_a_page_asked_for_during_a_build_is_answered_after_it_with_the_new_version(tmp_path):
    """As MkDocs' server does: no page from half a build, and no request taking turns at the
    interpreter with the build. The server is not blocked meanwhile (the wait is in a thread):
    its status answers at once."""
    import asyncio

    from tornado import httpserver, web

    from microsite import serve as serve_module
    out = tmp_path / "site"
    (out / "articles/a").mkdir(parents=True)
    (out / "articles/a/index.html").write_text("<html><body>old</body></html>", "utf-8")
    state = serve_module.State(out_dir=out, search_dir=tmp_path / "pagefind", base_path="/", has_site=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started, loop_box = threading.Event(), []

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        status = re.escape(serve_module.STATUS_PATH) + "$"
        app = web.Application([(status, serve_module.StatusHandler, {"state": state}),
                               (r"/(.*)$", serve_module.SiteHandler, {"state": state})])
        server = httpserver.HTTPServer(app)
        server.listen(port, "127.0.0.1")
        loop_box.append(serve_module.ioloop.IOLoop.current())
        started.set()
        loop_box[0].start()
        server.stop()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(30)
    answers: list[str] = []
    try:
        with state.lock:
            state.building = True
            state.idle.clear()
        asking = threading.Thread(target=lambda: answers.append(_read(f"http://127.0.0.1:{port}/articles/a/")))
        asking.start()
        time.sleep(0.3)
        assert answers == []  # held while the build runs
        assert json.loads(_read(f"http://127.0.0.1:{port}{serve_module.STATUS_PATH}"))["building"] is True
        (out / "articles/a/index.html").write_text("<html><body>new</body></html>", "utf-8")
        with state.lock:
            state.building = False
            state.idle.set()
        asking.join(30)
        assert answers and "new" in answers[0]
    finally:
        with state.lock:
            state.building = False
            state.idle.set()
        loop_box[0].add_callback(loop_box[0].stop)
        thread.join(30)
