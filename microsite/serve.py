"""The ``serve`` command: a live preview for editors, on livereload.

* A poll of ``content/``, ``templates/``, ``seeds/`` and ``pyproject.toml`` notices new,
  changed, deleted and renamed files (a full snapshot is compared each time, so
  deletions are never missed) and waits until the files have stopped changing.
* One ``Builder`` keeps the site in memory and rebuilds only what the change affects,
  into a folder that is swapped in whole; the browser is told to reload only then.
* When a build fails, the last good site stays online and every page shows the
  problems (file, line, message) in an overlay; the next good build reloads it away.
* Search is indexed right after each swap, beside the site, so reloads never wait for it.

The server itself is livereload's (tornado), with this module's handlers for the site:
they serve only files inside the built site, under the configured base path.
"""

from __future__ import annotations

import contextlib
import gc
import html
import json
import logging
import mimetypes
import os
import posixpath
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import livereload
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from .config import Project, base_path_of
from .errors import MicrositeError, Problem, ProjectError, UsageError, error
from .files import is_inside
from .output import _exchange
from .pipeline import Builder, with_drafts
from .search import index_site

POLL_SECONDS = 0.1  # how often the watched files are looked at
mimetypes.add_type("font/woff2", ".woff2")
STATUS_PATH = "/__microsite__/status"
WATCHED = ("content", "templates", "seeds", "pyproject.toml")


# --------------------------------------------------------------------------- watching


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every watched file (project-relative path) with its modification time and size.

    Never raises: an entry that cannot be read (a link loop, a dangling link, a folder
    without permission) is listed as the link itself or left out, so the watcher keeps
    running and the build it starts reports the problem with the file's name.
    """
    found: dict[str, tuple[int, int]] = {}
    real_root = os.path.realpath(root)
    top = _lstat(real_root)
    for name in WATCHED:
        path = os.path.join(root, name)
        try:
            info = os.stat(path)
        except OSError:
            info = _lstat(path)
            if info is not None:
                found[name] = (info.st_mtime_ns, info.st_size)
            continue
        if stat.S_ISDIR(info.st_mode):  # followed wherever it leads: the project says where its folders are
            above = {(info.st_dev, info.st_ino)} | ({(top.st_dev, top.st_ino)} if top else set())
            _scan(path, name, found, frozenset(above), real_root)
        else:
            found[name] = (info.st_mtime_ns, info.st_size)
    return found


def _scan(path: str, rel: str, found: dict[str, tuple[int, int]], above: frozenset[tuple[int, int]],
          root: str) -> None:
    """Add the files under the folder ``path`` to ``found``; ``above``: the folders it is inside.

    A linked folder is scanned when it is inside the project (``root``, resolved) and
    not one of the folders holding the link: a link to ".." would otherwise be scanned
    again and again, and one to "/" would have the whole disk read ten times a second.
    Other links are listed as themselves, so adding or removing one still rebuilds.
    """
    try:
        with os.scandir(path) as listing:
            entries = list(listing)
    except OSError:
        return  # removed while we looked, or unreadable: the build says which
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        name = f"{rel}/{entry.name}"
        try:
            info = entry.stat()  # follows a link
            followed = stat.S_ISDIR(info.st_mode) and (info.st_dev, info.st_ino) not in above and (
                not entry.is_symlink() or is_inside(os.path.realpath(entry.path), root))
        except OSError:  # a link loop (ELOOP), a dangling link, no permission: the link is the change
            info, followed = _lstat(entry.path), False
            if info is None:
                continue
        if followed:
            _scan(entry.path, name, found, above | {(info.st_dev, info.st_ino)}, root)
        else:
            found[name] = (info.st_mtime_ns, info.st_size)


def _lstat(path: str) -> os.stat_result | None:
    """The entry itself (not what a link points at), or None when it is gone."""
    try:
        return os.lstat(path)
    except OSError:
        return None


@dataclass
class State:
    """What the server knows about the builds, shared by the build thread and the handlers."""

    out_dir: Path
    search_dir: Path
    base_path: str
    version: int = 0  # successful builds so far
    problems: list[Problem] = field(default_factory=list)
    building: bool = False
    has_site: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class SiteWatcher(Watcher):
    """livereload's watcher, replaced by snapshot polling that drives the builds.

    ``examine`` (called by livereload) reports a reload only once a build has finished
    and swapped the site in, or has failed (so the page shows the overlay).
    """

    def __init__(self, root: Path, rebuild, settle_seconds: float):
        super().__init__()
        self.root = root
        self.rebuild = rebuild
        self.settle = settle_seconds
        self.built = snapshot(root)
        self.seen = self.built
        self.seen_at = time.monotonic()
        self.pending_reload = False
        self.thread: threading.Thread | None = None
        self.callback = None
        self.finishing = False

    def start(self, callback) -> bool:
        self.callback = callback
        ioloop.PeriodicCallback(self.poll, POLL_SECONDS * 1000).start()
        return True  # we poll ourselves; livereload need not

    def poll(self) -> None:
        if self.finishing:
            return
        if self.thread is None or not self.thread.is_alive():
            current = snapshot(self.root)
            if current != self.seen:
                self.seen, self.seen_at = current, time.monotonic()
            elif current != self.built and time.monotonic() - self.seen_at >= self.settle:
                self.built = current
                self.thread = threading.Thread(target=self._build, daemon=True)
                self.thread.start()
        if self.pending_reload and self.callback is not None:
            self.callback()

    def _build(self) -> None:
        self.rebuild(self.built)
        self.pending_reload = True

    def finish(self, timeout: float) -> None:
        """Start no more builds; wait (at most ``timeout`` seconds) for the running one to end."""
        self.finishing = True
        if self.thread is not None:
            self.thread.join(timeout)

    def examine(self):
        if self._changes:
            return self._changes.pop()
        if self.pending_reload:
            self.pending_reload = False
            return "*", None
        return None, None


# --------------------------------------------------------------------------- building


class Preview:
    """The builds of one ``serve`` session, and what they report."""

    def __init__(self, root: Path, state: State, base_url: str, echo=print):
        self.state = state
        self.echo = echo
        self.indexer = _Indexer(self.index_search)
        self.builder = Builder(root, state.out_dir, configure=lambda p: with_drafts(
            replace(p, config=replace(p.config, base_url=base_url))), search=False, in_place=True,
            save_every_build=False)

    def rebuild(self, listing: dict[str, tuple[int, int]] | None = None) -> bool:
        """Build once; report the time or the problems. True when the site was swapped in.

        ``listing`` is the watcher's snapshot of the input files, taken just before.
        """
        state = self.state
        with state.lock:
            state.building = True
        try:
            result = self.builder.build(listing)
        except ProjectError as exc:
            return self._failed(list(exc.problems))
        except MicrositeError as exc:
            return self._failed([error("(build)", 0, str(exc))])
        except Exception as exc:  # a bug in the generator: keep serving the last good site
            traceback.print_exc()
            return self._failed([error("(build)", 0, f"internal error: {exc!r}", "this is a bug; please report it")])
        finally:
            with state.lock:
                state.building = False
        for problem in result.warnings:
            self.echo(problem.format())
        imported = "".join(f"; imported {seed} -> {target}" for seed, target in result.imported.written)
        what = f"{result.pages} pages, {result.converted} bodies converted" if result.written else "nothing changed"
        stages = ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in result.stages)
        self.echo(f"rebuilt in {result.seconds * 1000:.0f} ms ({what}; ms: {stages}){imported}")
        with state.lock:
            state.problems = []
            state.version += 1
            state.has_site = True
        if result.written:
            self.indexer.request()
        # What this build keeps for the next is long-lived: take it out of the cyclic
        # garbage collector's sweeps, which otherwise cost a large site 100s of ms a build.
        gc.freeze()
        return True

    def _failed(self, problems: list[Problem]) -> bool:
        with self.state.lock:
            self.state.problems = problems
        self.echo(f"build failed ({len(problems)} problem{'s' if len(problems) != 1 else ''}); "
                  "still serving the last good site:")
        for problem in problems:
            self.echo(problem.format())
        return False

    def index_search(self) -> None:
        """Index the site for search beside it, then swap the index in whole."""
        state = self.state
        fresh = Path(tempfile.mkdtemp(prefix="pagefind-", dir=state.search_dir.parent))
        try:
            index_site(state.out_dir, self.builder.project.config.language if self.builder.project else "en",
                       output=fresh)
            if not state.search_dir.exists() or not _exchange(fresh, state.search_dir):
                shutil.rmtree(state.search_dir, ignore_errors=True)
                os.replace(fresh, state.search_dir)
        except MicrositeError as exc:
            self.echo(f"search index not updated: {exc}")
        finally:
            shutil.rmtree(fresh, ignore_errors=True)


class _Indexer:
    """Runs the search indexing in the background, once more after every new request.

    Pagefind reads every page (seconds on a large site); a reload must not wait for it,
    nor the next build. A request during a run makes one more run after it.
    """

    def __init__(self, work) -> None:
        self.work = work
        self.wanted = threading.Event()
        self.finishing = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def request(self) -> None:
        self.wanted.set()

    def finish(self, timeout: float) -> None:
        """Start no more runs; wait (at most ``timeout`` seconds) for the running one to end."""
        self.finishing = True
        self.wanted.set()
        self.thread.join(timeout)

    def _loop(self) -> None:
        while True:
            self.wanted.wait()
            if self.finishing:
                return
            self.wanted.clear()
            self.work()


# --------------------------------------------------------------------------- serving


class SiteHandler(web.RequestHandler):
    """Serves the built site (and its search index) under the base path, nothing else."""

    def initialize(self, state: State) -> None:
        self.state = state

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        state = self.state
        rel = _safe_path(path)  # tornado has decoded %-escapes already
        if rel is None:
            return self._not_found()
        folder, inner = state.out_dir, rel
        if rel == "pagefind" or rel.startswith("pagefind/"):
            folder, inner = state.search_dir, rel[len("pagefind/"):]
        target = _inside(folder, inner)
        if target is not None and target.is_dir():
            if not self.request.path.endswith("/"):
                # To the folder's own address, made from the checked path: the request's could
                # start with "//", which a browser takes for another host ("//evil.example/").
                return self.redirect(state.base_path + (quote(rel) + "/" if rel else ""))
            # Checked like any file: the folder is inside, but its index.html may link out of it.
            target = _inside(folder, posixpath.join(inner, "index.html"))
        if target is None or not target.is_file():
            return self._not_found()
        self._send(200, target.read_bytes(), mimetypes.guess_type(target.name)[0] or "application/octet-stream")

    def _not_found(self) -> None:
        page = self.state.out_dir / "404.html"
        if page.is_file():
            return self._send(404, page.read_bytes(), "text/html")
        body = b"<!doctype html><html lang=en><head><title>Not built yet</title></head><body></body></html>"
        return self._send(404 if self.state.has_site else 503, body, "text/html")

    def _send(self, status: int, data: bytes, kind: str) -> None:
        self.set_status(status)
        if kind == "text/html" or kind.endswith("+xml") or kind.startswith("text/"):
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        if kind.startswith("text/html"):
            data = _with_overlay(data, self.state)
        if self.request.method != "HEAD":
            self.write(data)


class StatusHandler(web.RequestHandler):
    """The state of the builds as JSON (for the overlay's tests and for tools)."""

    def initialize(self, state: State) -> None:
        self.state = state

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        with self.state.lock:
            self.write(json.dumps({"version": self.state.version, "building": self.state.building,
                                   "problems": [p.format() for p in self.state.problems]}))


class RootRedirect(web.RequestHandler):
    def initialize(self, target: str) -> None:
        self.target = target

    def get(self) -> None:
        self.redirect(self.target)


def _safe_path(path: str) -> str | None:
    """A request path as a relative path inside the site, or None for anything that could leave it."""
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return posixpath.join(*parts) if parts else ""


def _inside(folder: Path, rel: str) -> Path | None:
    """``folder/rel`` if it exists and really is inside ``folder`` (symbolic links included)."""
    target = (folder / rel) if rel else folder
    try:
        # Strict: a path that cannot be resolved (missing, a name too long, a link loop) is not
        # in the site. Left to is_dir() and is_file(), the last two would raise: a 500.
        resolved, root = target.resolve(strict=True), folder.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return None
    return target if resolved == root or root in resolved.parents else None


OVERLAY = """<div id="microsite-problems" role="alert" style="position:fixed;inset:auto 0 0 0;z-index:2147483647;
max-height:60vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#fff;
font:14px/1.5 ui-monospace,monospace;box-shadow:0 -4px 24px rgb(0 0 0/40%);border-top:4px solid #ff5c5c">
<strong style="font-size:15px">The last build failed; this is the last good version of the page.</strong>
<ol style="margin:.5rem 0 0;padding-left:1.25rem">{items}</ol>
<p style="margin:.5rem 0 0;opacity:.8">Fix the file and save: the page reloads by itself.</p></div>"""


def _with_overlay(data: bytes, state: State) -> bytes:
    """The page with the current build problems shown on top of it, if there are any."""
    with state.lock:
        problems = list(state.problems)
    if not problems:
        return data
    items = "".join(f"<li style='white-space:pre-wrap'>{html.escape(p.format())}</li>" for p in problems)
    overlay = OVERLAY.format(items=items).encode("utf-8")
    index = data.rfind(b"</body>")
    return data[:index] + overlay + data[index:] if index >= 0 else data + overlay


class _Server(livereload.Server):
    """livereload's server with this module's handlers and quiet logging."""

    def __init__(self, state: State, watcher: SiteWatcher):
        super().__init__(watcher=watcher)
        self.state = state

    def get_web_handlers(self, script):
        # tornado's routes are regular expressions matched against the path as sent (still
        # %-encoded, as the normalised base path is): "+" or "(" in it are plain characters.
        # Each ends in an explicit "$": tornado adds one only to a pattern not ending in "$",
        # and an escaped "\$" at the end of a base path would pass for one.
        base = self.state.base_path
        handlers = [(re.escape(STATUS_PATH) + "$", StatusHandler, {"state": self.state})]
        if base != "/":
            handlers.append((r"/$", RootRedirect, {"target": base}))
            handlers.append((re.escape(base.rstrip("/")) + "$", RootRedirect, {"target": base}))
        handlers.append((re.escape(base) + r"(.*)$", SiteHandler, {"state": self.state}))
        return handlers

    def _setup_logging(self) -> None:
        # This module prints what editors need; livereload's and tornado's logs are noise.
        logging.getLogger("livereload").setLevel(logging.ERROR)
        logging.getLogger("tornado.access").setLevel(logging.ERROR)


def serve(project: Project, host: str, port: int, out_dir: Path | None = None, settle_seconds: float = 0.1) -> int:
    """Build, then serve and rebuild on every change until stopped. Returns the exit status.

    Ctrl+C, SIGTERM and SIGHUP (a closed terminal) all stop it the same way, at any
    moment, first build included: the running build and search indexing are let finish,
    the temporary folder is removed, and the status is 0, since being stopped is how a
    preview ends (not a failure, for a shell, a process manager or a CI step).
    """
    base_path = base_path_of(project.config.base_url)
    url = f"http://{_url_host(host)}:{port}{base_path}"
    previous = _set_handlers(_stop)
    work: Path | None = None
    preview: Preview | None = None
    watcher: SiteWatcher | None = None
    try:
        with _signals_blocked():  # so that no signal falls between making the folder and knowing its name
            work = Path(tempfile.mkdtemp(prefix="microsite-serve-"))
        state = State(out_dir=(out_dir or work / "site").absolute(), search_dir=work / "pagefind",
                      base_path=base_path)
        echo = _printer()
        preview = Preview(project.root, state, url, echo)
        # The first build happens before serving, so the first request finds a site (or the overlay).
        preview.rebuild()
        watcher = SiteWatcher(project.root, preview.rebuild, settle_seconds)
        # Reloads come only from finished builds, each wanted at once: no rate limit.
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
        server = _Server(state, watcher)
        # Said once the loop runs, that is once the server listens: the URL works when printed.
        ioloop.IOLoop.current().add_callback(echo, f"serving {url} (drafts included); press Ctrl+C to stop")
        try:
            server.serve(port=port, host=host, root=str(state.out_dir), restart_delay=0)  # returns on Ctrl+C
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port") from None
    except KeyboardInterrupt:
        pass  # stopped before the server ran (livereload catches it once it runs)
    finally:
        try:
            # Both write into the work folder: removed under them, it could come back in part.
            # (A second Ctrl+C or SIGTERM skips the wait, not the removal.)
            if watcher is not None:
                watcher.finish(STOP_WAIT_SECONDS)
            if preview is not None:
                preview.indexer.finish(STOP_WAIT_SECONDS)
        finally:
            # Ending anyway: a signal now would only cut the removal short (and it is quick).
            _set_handlers(signal.SIG_IGN)
            if work is not None:
                shutil.rmtree(work, ignore_errors=True)
            _restore_handlers(previous)
    return 0


STOP_WAIT_SECONDS = 30  # at most this long for a running build or indexing to end, once stopped
# Ctrl+C, and what a process manager (SIGTERM) or a closed terminal (SIGHUP) sends.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _stop(signum: int, frame: object) -> None:
    """Stop ``serve`` the way Ctrl+C does, out of the first build or out of the server's loop."""
    raise KeyboardInterrupt


def _set_handlers(handler: Any) -> dict[int, Any]:
    """Give every stop signal ``handler``; the handlers they had."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # only the main thread may set handlers (serve run in a thread, by a test)
    return {number: signal.signal(number, handler) for number in STOP_SIGNALS}


def _restore_handlers(previous: dict[int, Any]) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold the stop signals back for a moment; one that came meanwhile arrives (and stops serve) after it.

    Only while this is the one thread: a signal for the process goes to another thread
    when this one blocks it, and Python runs its handler in this thread all the same.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.active_count() > 1:
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOP_SIGNALS))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _url_host(host: str) -> str:
    """``host`` as it is written in a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _printer():
    lock = threading.Lock()

    def echo(text: str) -> None:
        with lock:
            print(text, flush=True)
            sys.stdout.flush()

    return echo

