"""The ``serve`` command: a live preview for editors, on livereload.

* The operating system's file notifications (through watchfiles) say when something in
  ``content/``, ``templates/``, ``seeds/`` or ``pyproject.toml`` changed; once the files
  have stopped changing, one look at them all is compared with the last build's (so new,
  changed, deleted and renamed files are all seen). While nothing changes, nothing is
  read; where there are no notifications, every file is looked at ten times a second,
  as before (said once on the console).
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
import platform
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import livereload
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop, web
from watchfiles._rust_notify import RustNotify

from .config import Project, base_path_of
from .errors import MicrositeError, Problem, ProjectError, UsageError, error
from .files import is_inside
from .output import _exchange
from .pipeline import Builder, Superseded, with_drafts
from .search import index_site

mimetypes.add_type("font/woff2", ".woff2")
STATUS_PATH = "/__microsite__/status"
WATCHED = ("content", "templates", "seeds", "pyproject.toml")


# --------------------------------------------------------------------------- watching

# How often watchfiles looks at what the system reported; it hands a change over after
# two steps (the second without a new path), so this is most of the time between a save
# and its build once the listing is patched rather than scanned. 10 ms: 15 ms a save
# sooner than 25 ms, for some 100 wake-ups a second in place of 40 while idle (0.2 %
# of a core became about 0.5 %, see bench/serve_idle.py).
STEP_MS = 10
SETTLE_STEP_MS = 5  # the same while a change settles: a few wake-ups, once per save, not all the time
DEBOUNCE_MS = 500  # at most this long does one batch of changes gather in watchfiles before it is handed over
POLL_SECONDS = 0.1  # where there are no notifications: how often every watched file is looked at, as before
RETRY_SECONDS = 1.0  # a folder that could not be watched (it went meanwhile) is looked at again this soon
CHECK_SECONDS = 0.001  # how long a build waits to hear of a change before it writes (see ``_unchanged``)
MOST_DROPPED = 3  # builds dropped in a row (see ``_unchanged``); the next one writes, changes or not
VERIFY_SECONDS = 0.25  # a listing patched from the notifications is checked by a whole scan once quiet this long
REWATCH_ATTEMPTS = 3  # scans in a row while the folders to watch keep changing under us


@dataclass
class Scan:
    """One look at the watched files: the listing, and where the next change to it will be heard.

    Every path but the listing's is real (links resolved), as the notifications report them.
    """

    root: str  # the project
    skip: str | None = None  # the preview's output folder: never an input (see ``scan``)
    skip_id: tuple[int, int] | None = None  # the same as (device, inode), when it exists
    listing: dict[str, tuple[int, int]] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)  # each folder whose entries are in the listing
    linked: set[str] = field(default_factory=set)  # the files that listed links lead to
    # Each listed folder's name in the listing; "" for one listed under two names or more
    # (through a folder link), whose files the listing holds twice.
    names: dict[str, str] = field(default_factory=dict)

    def watch_set(self) -> frozenset[str]:
        """The folders to watch, each without its subfolders: the root (for the top-level names),
        every listed folder, and the folders of linked files."""
        return frozenset({self.root, *self.folders, *(os.path.dirname(path) for path in self.linked)})

    def relevant(self, path: str) -> bool:
        """Whether a change reported at ``path`` can change the listing.

        Only an optimisation: a change that cannot costs a scan that finds the listing as it was.
        """
        folder, name = os.path.split(path)
        if name.startswith(".") or name == "__pycache__" or (self.skip and is_inside(path, self.skip)):
            return False  # editors' swap files, the preview's temporary files, caches, the preview itself
        return (folder in self.folders or path in self.folders or path in self.linked
                or (folder == self.root and name in WATCHED))

    def patched(self, paths: set[str]) -> Scan | None:
        """This scan with the files at the reported ``paths`` looked at again; None where
        only a whole scan can say what changed.

        Only for plain files in folders listed under one name: a change to a folder (made,
        removed, replaced) changes what is watched, and a link or a file reachable under
        two names is listed by the scan's rules, which a whole scan applies.
        """
        listing = dict(self.listing)
        for path in sorted(paths):
            folder, name = os.path.split(path)
            prefix = self.names.get(folder, "")
            if not prefix or path in self.folders or path in self.linked:
                return None
            if name.startswith(".") or name == "__pycache__" or (self.skip and is_inside(path, self.skip)):
                continue  # never listed (see ``_scan``)
            info = _lstat(path)
            if info is None:
                listing.pop(f"{prefix}/{name}", None)
            elif stat.S_ISDIR(info.st_mode) or stat.S_ISLNK(info.st_mode):
                return None
            else:
                listing[f"{prefix}/{name}"] = (info.st_mtime_ns, info.st_size)
        return replace(self, listing=listing)

    def note_link(self, path: str, anywhere: bool = False) -> None:
        """A listed link to a file, or to nothing yet: what it leads to is watched too, when that
        is inside the project (or ``anywhere``) and its folder exists. A link out of the
        project is an error whatever the file holds."""
        real = os.path.realpath(path)
        if (anywhere or is_inside(real, self.root)) and os.path.isdir(os.path.dirname(real)):
            self.linked.add(real)


def snapshot(root: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """Every watched file (project-relative path) with its modification time and size.

    Never raises: an entry that cannot be read (a link loop, a dangling link, a folder
    without permission) is listed as the link itself or left out, so the watcher keeps
    running and the build it starts reports the problem with the file's name.
    """
    return scan(root, skip).listing


def scan(root: Path, skip: Path | None = None) -> Scan:
    """``snapshot``'s listing, with the folders to watch for the next change to it.

    ``skip``, the preview's output folder, is neither listed nor entered: were it inside a
    watched folder, each build would change the listing and so start the next one. serve
    refuses an ``--out`` inside content/, templates/ or seeds/, but not one that leads
    there through a link.
    """
    real_root = os.path.realpath(root)
    out = _stat(skip) if skip is not None else None
    found = Scan(real_root, os.path.realpath(skip) if skip is not None else None,
                 (out.st_dev, out.st_ino) if out else None)
    top = _lstat(real_root)
    for name in WATCHED:
        path = os.path.join(root, name)
        info = _stat(path)
        if info is None:
            info = _lstat(path)
            if info is not None:
                found.listing[name] = (info.st_mtime_ns, info.st_size)
                found.note_link(path, anywhere=True)  # a dangling link, until what it names appears
        elif stat.S_ISDIR(info.st_mode):  # followed wherever it leads: the project says where its folders are
            above = {(info.st_dev, info.st_ino)} | ({(top.st_dev, top.st_ino)} if top else set())
            _scan(found, path, name, frozenset(above))
        else:
            found.listing[name] = (info.st_mtime_ns, info.st_size)
            if os.path.islink(path):
                found.note_link(path, anywhere=True)
    return found


def _scan(found: Scan, path: str, rel: str, above: frozenset[tuple[int, int]]) -> None:
    """Add the files under the folder ``path`` to ``found``; ``above``: the folders it is inside.

    A linked folder is scanned when it is inside the project (``found.root``) and not one
    of the folders holding the link: a link to ".." would otherwise be scanned again and
    again, and one to "/" would have the whole disk read (and watched). Other links are
    listed as themselves, so adding or removing one still rebuilds.
    """
    try:
        with os.scandir(path) as listing:
            entries = list(listing)
    except OSError:
        return  # removed while we looked, or unreadable: the build says which
    real = os.path.realpath(path)
    found.folders.add(real)
    found.names[real] = "" if real in found.names else rel
    for entry in entries:
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        name = f"{rel}/{entry.name}"
        try:
            info, linked = entry.stat(), entry.is_symlink()  # stat follows a link
        except OSError:  # a link loop (ELOOP), a dangling link, no permission: the link is the change
            info = _lstat(entry.path)
            if info is None:
                continue
            linked = stat.S_ISLNK(info.st_mode)  # dangling: what it names may appear
        folder, key = stat.S_ISDIR(info.st_mode), (info.st_dev, info.st_ino)
        if folder and key == found.skip_id:
            continue
        if folder and key not in above and (not linked or is_inside(os.path.realpath(entry.path), found.root)):
            _scan(found, entry.path, name, above | {key})
            continue
        found.listing[name] = (info.st_mtime_ns, info.st_size)
        if linked and not folder:
            found.note_link(entry.path)


def _stat(path: str | Path) -> os.stat_result | None:
    """What ``path`` is (a link followed), or None when it cannot be reached."""
    try:
        return os.stat(path)
    except OSError:
        return None


def _lstat(path: str) -> os.stat_result | None:
    """The entry itself (not what a link points at), or None when it is gone."""
    try:
        return os.lstat(path)
    except OSError:
        return None


class _Notifier:
    """Changes in a set of folders as the operating system reports them, through watchfiles
    (inotify, FSEvents, ReadDirectoryChangesW); where it reports none, the old way: a scan
    of every watched file each ``POLL_SECONDS``, compared with the one before.

    Not watchfiles' own poller (``force_polling``): it keeps modification times in whole
    seconds, so a second save within the second of the first would never be seen.
    watchfiles' ``RustNotify`` is used directly (its documented "rust backend"), not
    through ``watchfiles.watch``: only there are the watches known to be in place once
    it returns, which the scan after a new folder appeared relies on (see
    ``SiteWatcher._refresh``).
    """

    def __init__(self, root: str, look: Callable[[], dict[str, tuple[int, int]]], say: Callable[[str], None]) -> None:
        self.look, self.say = look, say
        self.rust: RustNotify | None = None
        self.folders: frozenset[str] = frozenset()  # what is watched
        # A watched folder itself was reported (removed, moved, made again): its watch may be
        # gone, or on another folder now, though the paths to watch are the same as before.
        self.stale = False
        self.seen: dict[str, tuple[int, int]] = {}  # the last scan (kept up to date by the watcher), when polling
        self.polling = False
        if reason := _polling_asked(root):
            self._poll(reason)

    def watch(self, folders: frozenset[str]) -> None:
        """Watch ``folders``, each without its subfolders; the new watches start before the old ones stop.

        Not recursively: notify's recursive watches follow every link, into "/" too; the
        scan decides which folders count, by its own rules, and so which to watch.
        Raises FileNotFoundError or PermissionError when a folder went or was locked since the scan.
        """
        if not self.polling:
            try:
                fresh = RustNotify(sorted(folders), False, False, 0, False, False)
            except (FileNotFoundError, PermissionError):
                raise
            except (OSError, RuntimeError) as exc:  # no inotify instance or watch left, no notifications here
                self._poll(f"file notifications are not available ({exc})")
            else:
                self.close()
                self.rust = fresh
        self.folders, self.stale = folders, False

    def _poll(self, reason: str) -> None:
        """Poll from now on, and say so (once: it never goes back), since polling costs CPU all the time."""
        self.close()
        self.polling = True
        self.say(f"watching for changes by polling (every file, every {POLL_SECONDS * 1000:.0f} ms): {reason}")

    def wait(self, timeout: float | None, stop: threading.Event, step_ms: int = STEP_MS) -> set[str] | str:
        """The paths changed, handed over once no new change came for a step; else "changed"
        (polling: something did), "timeout", "stop", or "lost" when the notifications may
        have missed a change (they failed, or the folders could not be watched again)."""
        if self.polling:
            return self._poll_wait(timeout, stop)
        if self.rust is None:
            return "stop" if stop.wait(RETRY_SECONDS) else "lost"
        try:
            got = self.rust.watch(DEBOUNCE_MS, step_ms, 0 if timeout is None else max(1, round(timeout * 1000)),
                                  stop)
        except RuntimeError as exc:  # WatchfilesRustInternalError: a failed watcher stays failed
            self._poll(f"file notifications failed ({exc})")
            return "lost"
        if isinstance(got, str):
            return got
        paths = {path for _, path in got}
        self.stale = self.stale or not self.folders.isdisjoint(paths)
        return paths

    def _poll_wait(self, timeout: float | None, stop: threading.Event) -> str:
        """Polling's ``wait``: a scan each ``POLL_SECONDS`` until one differs from the last ("changed")."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            pause = POLL_SECONDS if deadline is None else min(POLL_SECONDS, deadline - time.monotonic())
            if stop.wait(max(pause, 0)):
                return "stop"
            listing = self.look()
            if listing != self.seen:
                self.seen = listing
                return "changed"
            if deadline is not None and time.monotonic() >= deadline:
                return "timeout"

    def close(self) -> None:
        if self.rust is not None:
            self.rust.close()
        self.rust = None


def _polling_asked(root: str) -> str:
    """Why to poll from the start, much as ``watchfiles.watch`` decides; "" for no reason.

    WATCHFILES_FORCE_POLLING is watchfiles' own switch (for network and other file systems
    that report nothing); WSL's Windows drives (/mnt/c ...) send no notifications either.
    """
    asked = os.environ.get("WATCHFILES_FORCE_POLLING", "")
    if asked:
        return "" if asked.lower() in {"false", "disable", "disabled"} else "WATCHFILES_FORCE_POLLING is set"
    uname = platform.uname()
    if "microsoft-standard" in uname.release.lower() and uname.system == "Linux" and root.startswith("/mnt/"):
        return "a Windows drive under WSL sends no file notifications"
    return ""


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
    idle: threading.Event = field(default_factory=threading.Event)  # set while no build runs

    def __post_init__(self) -> None:
        self.idle.set()


class SiteWatcher(Watcher):
    """livereload's watcher, replaced by the system's file notifications, which drive the builds.

    One thread waits for a change, looks at the files, and (once they settle, when a
    ``settle_seconds`` is given) builds when the listing differs from the last build's.
    A change heard while the build runs, before it writes, drops that build and starts the
    next; one after is kept (by watchfiles) for the next round.
    While nothing changes nothing is read: the thread sleeps in watchfiles, which glances
    at what the system reported every ``STEP_MS``. ``examine`` (called by livereload)
    reports a reload once a build has finished and swapped the site in, or has failed
    (so the page shows the overlay).
    """

    def __init__(self, root: Path, rebuild: Callable[[dict[str, tuple[int, int]], Callable[[], bool]], object],
                 settle_seconds: float,
                 out_dir: Path | None = None, echo: Callable[[str], None] = print,
                 tidy: Callable[[], object] = lambda: None):
        super().__init__()
        self.root, self.rebuild, self.settle, self.out_dir, self.echo = root, rebuild, settle_seconds, out_dir, echo
        self.tidy = tidy  # after each build, once the reload is on its way
        self.notices: list[str] | None = []  # held until ``begin``: serve's first lines stay as they were
        self.stopping = threading.Event()
        self.notifier = _Notifier(os.path.realpath(root), lambda: scan(self.root, self.out_dir).listing, self._say)
        self.current, self.complete = Scan(""), False
        self.patched = False  # the listing was patched from the notifications since the last whole scan
        self.carried: set[str] = set()  # changes heard during a build that they dropped: the next round's
        self.dropped = 0  # builds dropped in a row
        # Watched from now on: serve makes this before its first build, so an edit made
        # during that build (seconds, on a large site) is built right after it.
        self.built = self._refresh().listing
        self.pending_reload = False
        self.thread: threading.Thread | None = None
        self.callback: Callable[[], object] | None = None
        self.loop: ioloop.IOLoop | None = None
        self.on_built: Callable[[], None] = self._announce

    def start(self, callback: Callable[[], object]) -> bool:
        """Called by livereload as the server starts: watch from the server's loop's first turn,
        after the "serving" line queued there, so anything said about watching follows it."""
        self.callback, self.loop = callback, ioloop.IOLoop.current()
        self.loop.add_callback(self.begin)
        return True  # we watch ourselves; livereload need not poll

    def begin(self, on_built: Callable[[], None] | None = None) -> None:
        """Say what was held back, then watch and build in a thread until ``finish``;
        ``on_built`` (called in that thread after each build) tells livereload, unless given."""
        for text in self.notices or ():
            self.echo(text)
        self.notices = None
        self.on_built = on_built or self.on_built
        if not self.stopping.is_set():
            self.thread = threading.Thread(target=self._run, name="microsite-watch", daemon=True)
            self.thread.start()

    def finish(self, timeout: float) -> None:
        """Start no more builds; wait (at most ``timeout`` seconds) for the running one to end."""
        self.stopping.set()  # watchfiles sees it within a step
        if self.thread is None:
            self.notifier.close()
        elif self.thread.ident is not None:  # else a stop signal cut its start short: it ends at once, if it runs
            self.thread.join(timeout)  # the thread closes the notifier as it ends

    def examine(self):
        if self._changes:
            return self._changes.pop()
        if self.pending_reload:
            self.pending_reload = False
            return "*", None
        return None, None

    def _say(self, text: str) -> None:
        if self.notices is None:
            self.echo(text)
        else:
            self.notices.append(text)

    def _run(self) -> None:
        try:
            while (found := self._wait_for_change()) is not None:
                self._build_if_changed(found)
        finally:
            self.notifier.close()

    def _wait_for_change(self) -> Scan | None:
        """Wait until something changed and then settled (or it is time to look again), and
        return the files as they settled; None once stopping.

        What changed is looked at as soon as a change is handed over, inside the settle: a
        change during the rest of the settle is heard (watchfiles keeps what came between
        two waits) and starts both again, so a look followed by a quiet rest is as good as
        one taken after the settle. A change to plain files only patches the last listing
        (``Scan.patched``); anything else, or a listing patched since the last whole scan
        and then left quiet for ``VERIFY_SECONDS``, gets a whole scan (see ``_refresh``)."""
        timeout = RETRY_SECONDS if not self.complete else VERIFY_SECONDS if self.patched else None
        heard, self.carried = self.carried, set()
        outcome = "change" if heard else self._next(timeout, heard=heard)
        found: Scan | None = None
        while outcome == "change":
            handed = time.monotonic()
            found = self._look(heard)
            heard.clear()
            if self.settle <= 0:
                outcome = "quiet"  # the build itself asks before it writes (see ``_unchanged``)
                break
            # The settle counts from the hand-over, the look inside it; in short steps, so
            # that what is left of it is waited, not rounded up to watchfiles' idle step.
            left = max(SETTLE_STEP_MS / 1000, self.settle - (time.monotonic() - handed))
            outcome = self._next(left, SETTLE_STEP_MS, heard)
        if outcome == "stop":
            return None
        # Quiet since the look: it holds. Otherwise (the first wait timed out, or the
        # notifications may have missed something) look afresh, whole.
        return found if found is not None and outcome == "quiet" else self._refresh()

    def _look(self, heard: set[str]) -> Scan:
        """The files after the changes ``heard``: the last listing patched, or a whole scan.

        A patch takes a fraction of a millisecond where the scan takes 20-25 ms at 5,000
        articles, which was most of the time between a save and its build. It trusts the
        notifications to have named every changed file; the whole scan after the next
        pause (``VERIFY_SECONDS``) does not, and builds again if they missed one.
        """
        patched = self.current.patched(heard) if self.complete and not self.notifier.stale and heard else None
        if patched is None:
            return self._refresh()
        self.current, self.patched = patched, True
        return patched

    def _next(self, timeout: float | None, step_ms: int = STEP_MS, heard: set[str] | None = None) -> str:
        """Wait (at most ``timeout`` seconds) for a change that can matter: "change";
        "quiet" after the timeout with none; "look" when the notifications may have missed
        one; "stop". The paths of the changes that can matter are added to ``heard``;
        where polling says only that something changed, none are, and "" is."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return "quiet"
            got = self.notifier.wait(left, self.stopping, step_ms)
            if isinstance(got, str):
                outcome = {"stop": "stop", "changed": "change", "timeout": "quiet"}.get(got, "look")
                if outcome == "change" and heard is not None:
                    heard.add("")  # polling: no path, so no patch (a whole scan)
                return outcome
            relevant = {path for path in got if self.current.relevant(path)}
            if relevant:
                if heard is not None:
                    heard |= relevant
                return "change"

    def _build_if_changed(self, found: Scan) -> None:
        listing, before = found.listing, self.built
        if listing != before and not self.stopping.is_set():
            self.built = listing
            self.rebuild(listing, self._unchanged)
            if self.carried:  # dropped before writing: the site is the last build's
                self.built, self.dropped = before, self.dropped + 1
                return
            self.dropped = 0
            self.pending_reload = True
            self.on_built()
            self.tidy()

    def _unchanged(self) -> bool:
        """Asked by the build before it writes: whether no change was heard since the files
        were looked at. If one was, the build is dropped and the next starts at once, with it.

        This is what keeps a file from being built half-written: its next piece, written
        while the build ran, drops the build. It takes 1-2 ms, once per build, where a
        settle before every build waited (10-25 ms) and covered only its own length.
        """
        if self.dropped >= MOST_DROPPED:
            return True  # files that never stop changing (a log written into content/): show something
        heard: set[str] = set()
        outcome = self._next(CHECK_SECONDS, 1, heard)
        if outcome in ("quiet", "stop"):
            return True  # (stopping: the build ends as it would have)
        self.carried = heard or {""}  # "look": the notifications may have missed one, so a whole scan
        return False

    def _refresh(self) -> Scan:
        """A fresh scan, taken once every folder it lists was being watched.

        A change after a folder's watch began is reported; one before is in the scan taken
        after it. So a folder that appears and is filled at once is seen whole, even though
        its own watch only starts once a scan has found it; and one removed and made again
        under the same name is watched anew (the old watch went with the old folder).

        A change to plain files is built from the last listing patched with the reported
        paths (``_look``), and this whole scan follows once the changes pause: the listing
        built last is then exactly what ``snapshot`` says, however the reports were merged,
        reordered or lost (inotify drops them when its queue overflows, and watchfiles does
        not pass that on); a difference is built at once. A file seen through a folder
        link under two names, or through a file link from another folder, is only ever
        listed by this scan.
        """
        self.patched = False
        for _ in range(REWATCH_ATTEMPTS):
            found = scan(self.root, self.out_dir)
            self.notifier.seen = found.listing  # what polling, if it comes to that, compares with
            wanted = found.watch_set()
            if wanted == self.notifier.folders and not self.notifier.stale:
                self.current, self.complete = found, True
                return found
            with contextlib.suppress(FileNotFoundError, PermissionError):  # a folder went since: look again
                self.notifier.watch(wanted)
        self.current, self.complete = found, False  # the folders keep changing: look again soon
        return found

    def _announce(self) -> None:
        """After a build (in the watching thread): have livereload ask ``examine``, on its loop."""
        if self.loop is not None and not self.stopping.is_set():
            with contextlib.suppress(RuntimeError):  # the loop closed: serve is ending
                self.loop.add_callback(self._deliver)

    def _deliver(self) -> None:
        """On the server's loop: call livereload until ``examine`` has said reload (it hands out
        livereload's own queued changes first)."""
        for _ in range(len(self._changes) + 1):
            if not self.pending_reload or self.callback is None:
                return
            self.callback()


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

    def rebuild(self, listing: dict[str, tuple[int, int]] | None = None,
                proceed: Callable[[], bool] | None = None) -> bool:
        """Build once; report the time or the problems. True when the site was swapped in.

        ``listing`` is the watcher's snapshot of the input files, taken just before;
        ``proceed`` says, before the build writes anything, whether they are still as
        they were (if not, the build is dropped, silently: the next one starts at once).
        """
        state = self.state
        with state.lock:
            state.building = True
            state.idle.clear()
        threshold = gc.get_threshold()
        # A rebuild allocates some 70,000 objects; at the usual threshold (700) the cyclic
        # collector ran about 100 times in each, 16-19 ms of a 165-180 ms rebuild at 5,000
        # articles (8 rebuilds each way, interleaved). It runs once, in ``tidy``, instead.
        gc.set_threshold(REBUILD_GC_THRESHOLD, *threshold[1:])
        try:
            result = self.builder.build(listing, proceed)
        except Superseded:
            return False
        except ProjectError as exc:
            return self._failed(list(exc.problems))
        except MicrositeError as exc:
            return self._failed([error("(build)", 0, str(exc))])
        except Exception as exc:  # a bug in the generator: keep serving the last good site
            traceback.print_exc()
            return self._failed([error("(build)", 0, f"internal error: {exc!r}", "this is a bug; please report it")])
        finally:
            gc.set_threshold(*threshold)
            with state.lock:
                state.building = False
                state.idle.set()
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
        if result.written and self.builder.project.config.has_search:
            self.indexer.request()
        return True

    @staticmethod
    def tidy() -> None:
        """After a build, once its reload is announced: collect what it left in reference
        cycles (some 6,000 objects a rebuild), then take what it keeps for the next out of
        the collector's sweeps, which would otherwise cost a large site 100s of ms a build.
        Collecting first matters: garbage frozen is never freed. Only objects made since
        the last freeze are looked at (6 ms at 5,000 articles)."""
        gc.collect()
        gc.freeze()

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
                       output=fresh, niceness=10)
            if not state.search_dir.exists() or not _exchange(fresh, state.search_dir):
                shutil.rmtree(state.search_dir, ignore_errors=True)
                os.replace(fresh, state.search_dir)
        except MicrositeError as exc:
            self.echo(f"search index not updated: {exc}")
        finally:
            shutil.rmtree(fresh, ignore_errors=True)


# The cyclic collector's first threshold during a rebuild (see Preview.rebuild).
REBUILD_GC_THRESHOLD = 100_000


# The search index of the preview is made once the edits pause this long: Pagefind reads
# every page (8 s of CPU at 5,000 articles), and an editor saving every few seconds would
# keep it running, on the cores the next rebuild needs, for an index the next save replaces.
INDEX_QUIET_SECONDS = 2.0


class _Indexer:
    """Runs the search indexing in the background, once the requests pause (``quiet`` seconds
    without a new one), and once more after a request that came during a run.

    Pagefind reads every page (seconds on a large site); a reload must not wait for it,
    nor the next build.
    """

    def __init__(self, work, quiet: float = INDEX_QUIET_SECONDS) -> None:
        self.work = work
        self.quiet = quiet
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
            self.wanted.clear()
            while not self.finishing and self.wanted.wait(self.quiet):  # another build meanwhile: wait again
                self.wanted.clear()
            if self.finishing:
                return
            self.work()


# --------------------------------------------------------------------------- serving


class SiteHandler(web.RequestHandler):
    """Serves the built site (and its search index) under the base path, nothing else."""

    def initialize(self, state: State) -> None:
        self.state = state

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    async def head(self, path: str) -> None:
        await self.get(path)

    async def get(self, path: str) -> None:
        """The file, once the running build (if any) has ended, as MkDocs' server does: a page
        asked for during a build is its new version, never a mix of two builds' pages, and
        requests do not take turns at the interpreter with the build (a page asked for every
        2 ms did). The wait happens in a worker thread, so the server is not blocked (its
        status, the reload socket); after ``HOLD_SECONDS`` the last site is served."""
        if self.state.building:
            await ioloop.IOLoop.current().run_in_executor(None, self.state.idle.wait, HOLD_SECONDS)
        self._serve(path)

    def _serve(self, path: str) -> None:
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


# Quiet time after a change is handed over, before the build (the listing is patched, or
# scanned, inside it). None by default: a build asks before it writes whether a change
# came meanwhile (``SiteWatcher._unchanged``), which covers one file written in pieces
# (the same path again, which watchfiles does not count as new) for the whole length of
# the build, 0.1 s or more at 5,000 articles, not only for a settle's. It was 0.1 s, then
# 50, 25 and 10 ms, each waited before every build.
SETTLE_SECONDS = 0.0


def serve(project: Project, host: str, port: int, out_dir: Path | None = None,
          settle_seconds: float = SETTLE_SECONDS) -> int:
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
        watcher = SiteWatcher(project.root, preview.rebuild, settle_seconds, out_dir=state.out_dir, echo=echo,
                              tidy=preview.tidy)
        # The first build happens before serving, so the first request finds a site (or the overlay).
        preview.rebuild()
        preview.tidy()
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


HOLD_SECONDS = 30  # at most this long does a request wait for the running build (see SiteHandler.get)
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

