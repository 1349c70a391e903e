"""``serve``'s watcher: the system's file notifications (watchfiles), not polling.

These drive ``SiteWatcher`` in this process, with a stand-in for the builder that
records the listing each build gets, so they can count scans and wait on builds as
events rather than on a server's output. test_serve.py drives the real ``serve``.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_serve import edit, start_serve

from conftest import copy_seed_project, snapshot
from microsite import serve as serve_module
from microsite.pipeline import Builder, Superseded, with_drafts
from microsite.serve import SiteWatcher

TIMEOUT = 30  # seconds for anything the watcher should do; generous for a slow, busy CI machine
IDLE = 1.0  # seconds of quiet in which an idle watcher must read nothing

Listing = dict[str, tuple[int, int]]


class Builds:
    """The stand-in builder: the listing of every build, in order."""

    def __init__(self) -> None:
        self.listings: list[Listing] = []
        self.changed = threading.Condition()

    def rebuild(self, listing: Listing, proceed: Callable[[], bool] | None = None) -> None:
        with self.changed:
            self.listings.append(dict(listing))
            self.changed.notify_all()

    def wait_for(self, wanted: Callable[[Listing], bool], timeout: float = TIMEOUT) -> Listing:
        """The latest build's listing, once one has what is ``wanted``."""
        with self.changed:
            assert self.changed.wait_for(lambda: self.listings and wanted(self.listings[-1]), timeout), \
                f"no such build within {timeout} s; builds: {self.listings}"
            return self.listings[-1]

    def count(self) -> int:
        with self.changed:
            return len(self.listings)

    def more_within(self, count: int, seconds: float) -> bool:
        """Whether a build beyond the first ``count`` happens within ``seconds``."""
        with self.changed:
            return self.changed.wait_for(lambda: len(self.listings) > count, seconds)


class Scans:
    """Counts the watcher's looks at the files (``serve.scan``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = serve_module.scan

        def counted(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(serve_module, "scan", counted)


@pytest.fixture(autouse=True)
def notifications(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the machine running the tests asks of watchfiles, these test notifications first."""
    monkeypatch.delenv("WATCHFILES_FORCE_POLLING", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for rel, text in {"pyproject.toml": "[tool.microsite]\ntitle = 'Watched'\n",
                      "content/articles/first.md": "---\ntitle: First\n---\n\nText.\n",
                      "content/people/someone.md": "---\nname: Someone\n---\n",
                      "templates/base.html": "<html></html>\n",
                      "seeds/001.txt": "A seed\n\nIts text.\n"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    return root


@contextmanager
def watching(project: Path, settle: float = 0.1, out: Path | None = None,
             build: Callable[[Listing, Callable[[], bool]], None] | None = None,
             on_built: Callable[[], object] = lambda: None) -> Iterator[tuple[SiteWatcher, Builds, list[str]]]:
    """A running watcher on ``project``, its builds (unless ``build`` stands in for them), and what it said."""
    builds, said = Builds(), []
    watcher = SiteWatcher(project, build or builds.rebuild, settle, out_dir=out, echo=said.append)
    watcher.begin(on_built=on_built)
    try:
        yield watcher, builds, said
    finally:
        watcher.finish(TIMEOUT)
        assert watcher.thread is not None and not watcher.thread.is_alive()


def stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def has(rel: str, path: Path) -> Callable[[Listing], bool]:
    """A listing with ``rel`` as ``path`` is now."""
    now = stamp(path)
    return lambda listing: listing.get(rel) == now


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


# --------------------------------------------------------------------------- notifications, not polling


def test_an_idle_watcher_reads_nothing_and_still_hears_a_change(project, monkeypatch):
    scans = Scans(monkeypatch)
    with watching(project) as (watcher, builds, said):
        assert not watcher.notifier.polling and said == []
        started = scans.calls
        time.sleep(IDLE)  # the old watcher scanned every file ten times in this second
        assert scans.calls == started
        article = project / "content/articles/first.md"
        append(article, "An edit.\n")
        builds.wait_for(has("content/articles/first.md", article))
        assert scans.calls == started  # one plain file: the last listing, patched
        time.sleep(IDLE)
        assert scans.calls == started + 1  # and checked by one whole scan once quiet, then nothing
        assert builds.count() == 1


def test_a_new_file_in_a_new_folder_is_seen_and_then_watched(project):
    with watching(project) as (watcher, builds, _said):
        deep = project / "content/pictures/2021/october"
        deep.mkdir(parents=True)
        picture = deep / "launch.txt"
        picture.write_text("one", "utf-8")
        builds.wait_for(has("content/pictures/2021/october/launch.txt", picture))
        assert str(deep.resolve()) in watcher.current.watch_set()
        picture.write_text("one, then two", "utf-8")  # heard from the new folder's own watch
        builds.wait_for(has("content/pictures/2021/october/launch.txt", picture))


def test_a_folder_made_and_filled_at_once_is_seen_whole(project):
    """Its files were written before its watch could start: the scan after the watch finds them."""
    with watching(project) as (_watcher, builds, _said):
        staging = project / "staging"
        (staging / "a/b").mkdir(parents=True)
        for n in range(20):
            (staging / "a/b" / f"{n}.md").write_text(f"file {n}", "utf-8")
        os.rename(staging / "a", project / "content/topics")  # moved in whole, as a checkout or an unzip may
        listing = builds.wait_for(lambda listing: "content/topics/b/19.md" in listing)
        assert sorted(rel for rel in listing if rel.startswith("content/topics/")) == sorted(
            f"content/topics/b/{n}.md" for n in range(20))


def test_a_folder_removed_and_made_again_is_watched_again(project):
    """Same path, new folder: the old folder's watch went with it."""
    people = project / "content/people"
    with watching(project) as (_watcher, builds, _said):
        shutil.rmtree(people)
        people.mkdir()
        person = people / "again.md"
        person.write_text("again", "utf-8")
        builds.wait_for(has("content/people/again.md", person))
        append(person, " and edited")
        builds.wait_for(has("content/people/again.md", person))


def test_deleted_files_and_folders_are_seen(project):
    with watching(project) as (_watcher, builds, _said):
        (project / "content/articles/first.md").unlink()
        builds.wait_for(lambda listing: "content/articles/first.md" not in listing)
        shutil.rmtree(project / "content/people")
        builds.wait_for(lambda listing: not any(rel.startswith("content/people/") for rel in listing))
        shutil.rmtree(project / "seeds")  # a watched folder itself
        listing = builds.wait_for(lambda listing: not any(rel.startswith("seeds") for rel in listing))
        assert "templates/base.html" in listing


def test_atomic_saves_are_seen(project):
    """Editors write a temporary file and rename it over the old one (the old file's inode is gone)."""
    article, settings = project / "content/articles/first.md", project / "pyproject.toml"
    with watching(project) as (_watcher, builds, _said):
        hidden = article.with_name(".first.md.swp")
        hidden.write_text("---\ntitle: First, saved\n---\n\nText.\n", "utf-8")
        os.replace(hidden, article)
        builds.wait_for(has("content/articles/first.md", article))

        visible = article.with_name("first.md.tmp")  # some editors' temporary files are not hidden
        visible.write_text("---\ntitle: First, saved again\n---\n\nText.\n", "utf-8")
        os.replace(visible, article)
        listing = builds.wait_for(has("content/articles/first.md", article))
        assert "content/articles/first.md.tmp" not in listing

        backup = project / "pyproject.toml~"  # at the top level: the old file kept as a backup, then a new one
        os.rename(settings, backup)
        settings.write_text("[tool.microsite]\ntitle = 'Saved'\n", "utf-8")
        builds.wait_for(has("pyproject.toml", settings))
        append(settings, "# and edited in place after the swap\n")
        builds.wait_for(has("pyproject.toml", settings))


def test_a_burst_of_saves_is_one_build(project):
    article = project / "content/articles/first.md"
    with watching(project, settle=1.0) as (_watcher, builds, _said):
        for n in range(20):  # 10 ms apart: well within the settle time, even on a slow, busy machine
            append(article, f"Save {n}.\n")
            time.sleep(0.01)
        builds.wait_for(has("content/articles/first.md", article))
        assert not builds.more_within(1, IDLE), builds.listings
        assert builds.count() == 1


def test_a_file_written_in_pieces_slower_than_a_step_is_built_once_whole(project):
    """Pieces 60 ms apart are handed over one by one (watchfiles waits a step, 10 ms, for more); each
    starts the scan and the settle again, so the one build sees the last piece."""
    article = project / "content/articles/first.md"
    with watching(project, settle=0.5) as (_watcher, builds, _said):
        for n in range(6):
            append(article, f"Piece {n}.\n")
            time.sleep(0.06)
        listing = builds.wait_for(has("content/articles/first.md", article))
        assert not builds.more_within(1, IDLE), builds.listings
        assert builds.count() == 1 and listing["content/articles/first.md"] == stamp(article)


def test_a_patched_listing_is_what_a_whole_scan_says(project):
    """Plain files changed, made, removed, renamed and saved atomically: the last listing
    patched with their paths is the listing a whole scan takes."""
    real = project.resolve()
    before = serve_module.scan(project)
    append(project / "content/articles/first.md", "More.\n")
    (project / "content/articles/second.md").write_text("---\ntitle: Second\n---\n", "utf-8")
    (project / "content/people/someone.md").unlink()
    os.rename(project / "templates/base.html", project / "templates/page.html")
    swap = project / "content/articles/.third.md.swp"
    swap.write_text("---\ntitle: Third\n---\n", "utf-8")
    os.replace(swap, project / "content/articles/third.md")
    changed = {"content/articles/first.md", "content/articles/second.md", "content/people/someone.md",
               "templates/base.html", "templates/page.html", "content/articles/.third.md.swp",
               "content/articles/third.md"}
    kept = dict(before.listing)
    patched = before.patched({str(real / rel) for rel in changed})
    assert patched is not None and patched.listing == serve_module.scan(project).listing != kept
    assert before.listing == kept  # the scan it came from is left as it was


def test_what_only_a_whole_scan_can_list_is_not_patched(project):
    """A folder made or removed, a link, a top-level name, a file under two names, or a
    change polling reported without a path: each needs the scan's rules (and new watches)."""
    real = project.resolve()
    (project / "content/extra").mkdir()
    (project / "content/articles/link.md").symlink_to("first.md")
    (project / "content/alias").symlink_to("articles")  # content/articles, listed under two names
    found = serve_module.scan(project)
    assert "content/alias/first.md" in found.listing and "content/articles/first.md" in found.listing
    for path in (real / "content/extra", real / "content/new-folder", real / "content/articles/link.md",
                 real / "pyproject.toml", real / "content/articles/first.md", ""):
        if str(path) == str(real / "content/new-folder"):
            (project / "content/new-folder").mkdir()
        assert found.patched({str(path)}) is None, path
    (project / "content/people/other.md").write_text("---\nname: Other\n---\n", "utf-8")
    assert found.patched({str(real / "content/people/other.md")}).listing == serve_module.scan(project).listing


def test_a_change_the_notifications_missed_is_built_once_they_pause(project, monkeypatch):
    """inotify drops reports when its queue overflows: the file the reports missed is
    found by the whole scan that follows a patched listing, and built."""
    article, missed = project / "content/articles/first.md", project / "content/people/someone.md"
    old, wait = stamp(missed), serve_module._Notifier.wait

    def dropping(*args, **kwargs):
        got = wait(*args, **kwargs)
        return got - {str(missed.resolve())} if isinstance(got, set) else got

    monkeypatch.setattr(serve_module._Notifier, "wait", dropping)
    with watching(project) as (_watcher, builds, _said):
        append(missed, "Missed.\n")
        append(article, "Heard.\n")
        builds.wait_for(has("content/articles/first.md", article))
        first = builds.listings[0]  # (not the latest: on a slow machine the check may have built by now)
        assert first["content/articles/first.md"] == stamp(article)
        assert first["content/people/someone.md"] == old  # built from the patched listing
        builds.wait_for(has("content/people/someone.md", missed))
        assert builds.count() == 2 and not builds.more_within(2, IDLE)


def test_a_change_heard_during_a_build_drops_it_before_it_writes(project):
    """The next piece of a file, written while the build of its first piece runs: that build
    is told not to write (nothing is announced) and the next one, with the whole file, is."""
    article = project / "content/articles/first.md"
    listings, answers, announced = [], [], threading.Semaphore(0)

    def build(listing: Listing, proceed: Callable[[], bool]) -> None:
        listings.append(dict(listing))
        if len(listings) == 1:
            append(article, "The second piece.\n")
            time.sleep(0.5)  # many of watchfiles' steps: the change is heard by now, even on a busy machine
        answers.append(proceed())

    with watching(project, settle=0.0, build=build, on_built=announced.release) as (watcher, _builds, _said):
        append(article, "The first piece.\n")
        assert announced.acquire(timeout=TIMEOUT)
        assert answers == [False, True] and len(listings) == 2
        assert listings[1]["content/articles/first.md"] == stamp(article) != listings[0]["content/articles/first.md"]
        assert watcher.built == listings[1]
        assert not announced.acquire(timeout=IDLE) and len(listings) == 2  # and no build more


def test_files_that_never_stop_changing_still_get_a_build_written(project):
    """A file changed during every build (a log written into content/): after a few dropped
    builds, one writes anyway, so the preview does not wait for a pause that never comes."""
    log = project / "content/articles/first.md"
    answers, announced = [], threading.Semaphore(0)

    def build(listing: Listing, proceed: Callable[[], bool]) -> None:
        if not answers:
            for n in range(serve_module.MOST_DROPPED + 2):
                append(log, f"Line {n}.\n")
                time.sleep(0.06)
        if len(answers) <= serve_module.MOST_DROPPED:
            append(log, "One more line.\n")
            time.sleep(0.3)  # heard by now, even on a busy machine
        answers.append(proceed())

    with watching(project, settle=0.0, build=build, on_built=announced.release):
        append(log, "Start.\n")
        assert announced.acquire(timeout=TIMEOUT)
        assert answers[:serve_module.MOST_DROPPED + 1] == [False] * serve_module.MOST_DROPPED + [True]


def test_a_build_that_must_not_write_leaves_the_site_and_the_content_as_they_were(tmp_path):
    """Dropped before writing: no page written, no seed imported, and the next build is whole."""
    project = copy_seed_project(tmp_path / "project")
    out = tmp_path / "preview"
    builder = Builder(project, out, configure=with_drafts, search=False, in_place=True, save_every_build=False)
    builder.build()
    site, content = snapshot(out), snapshot(project / "content")
    article = next((project / "content/articles").glob("*.md"))
    article.write_text(article.read_text("utf-8") + "\nA new sentence.\n", "utf-8")
    (project / "seeds/a-new-report.txt").write_text("A new report\n\nBy A. Writer\n\nSome text.\n", "utf-8")
    with pytest.raises(Superseded):
        builder.build(proceed=lambda: False)
    assert snapshot(out) == site
    assert snapshot(project / "content").keys() == content.keys()
    builder.build(proceed=lambda: True)
    assert "A new sentence." in (out / "articles" / article.stem / "index.html").read_text("utf-8")
    assert snapshot(project / "content").keys() > content.keys()  # the seed, imported now


def test_changes_that_cannot_matter_read_nothing(project, monkeypatch):
    """Hidden files, caches, other top-level files and the preview's own output inside content/."""
    out = project / "content/preview"
    out.mkdir()
    (out / "index.html").write_text("old", "utf-8")
    scans = Scans(monkeypatch)
    with watching(project, out=out) as (watcher, builds, _said):
        assert str(out.resolve()) not in watcher.current.watch_set()
        assert not any(rel.startswith("content/preview") for rel in watcher.built)
        started = scans.calls
        (project / "content/articles/.first.md.swp").write_text("swap", "utf-8")
        (project / "content/__pycache__").mkdir()
        (project / "content/__pycache__/x.pyc").write_bytes(b"\0")
        (project / "README.md").write_text("readme", "utf-8")
        (project / ".cache/microsite").mkdir(parents=True)
        (out / "index.html").write_text("new", "utf-8")
        shutil.rmtree(out)  # replaced whole, as the first build into a folder does
        out.mkdir()
        (out / "index.html").write_text("newer", "utf-8")
        time.sleep(IDLE)
        assert scans.calls == started and builds.count() == 0
        article = project / "content/articles/first.md"
        append(article, "Still heard.\n")
        listing = builds.wait_for(has("content/articles/first.md", article))
        assert not any(rel.startswith("content/preview") for rel in listing)


def test_links_are_watched_by_the_scan_rules(project):
    """A folder link inside the project is watched where it leads; one out of it (to "/") is not
    followed, nor watched; a linked file is heard when its target changes, or appears; a loop is listed."""
    shared, notes = project / "shared", project / "notes"
    shared.mkdir()
    notes.mkdir()
    (shared / "x.md").write_text("x", "utf-8")
    (notes / "n.md").write_text("n", "utf-8")
    (project / "content/same").symlink_to("../shared")
    (project / "content/disk").symlink_to("/")
    (project / "content/articles/linked.md").symlink_to("../../notes/n.md")
    (project / "content/articles/later.md").symlink_to("../../notes/later.md")  # dangling, for now
    with watching(project) as (watcher, builds, _said):
        watched = watcher.current.watch_set()
        assert str(shared.resolve()) in watched and str(notes.resolve()) in watched and "/" not in watched
        assert "content/disk" in watcher.built and "content/same/x.md" in watcher.built
        append(shared / "x.md", "y")
        builds.wait_for(has("content/same/x.md", shared / "x.md"))
        append(notes / "n.md", "m")
        builds.wait_for(has("content/articles/linked.md", notes / "n.md"))
        (notes / "later.md").write_text("later", "utf-8")
        builds.wait_for(has("content/articles/later.md", notes / "later.md"))
        (project / "content/articles/loop.md").symlink_to("loop.md")
        builds.wait_for(lambda listing: "content/articles/loop.md" in listing)


def test_an_output_folder_linked_into_content_starts_no_rebuild_loop(tmp_path):
    """serve refuses an --out inside content/, but not one that leads there through a link:
    the preview's own files are still never read as input (they were: each build started
    another, longer one)."""
    project = copy_seed_project(tmp_path / "project")
    (tmp_path / "link").symlink_to(project / "content")
    server, ready = start_serve(project, tmp_path / "link" / "preview")
    try:
        assert ready.wait(60), "serve did not start:\n" + "\n".join(server.lines)
        version = server.status()["version"]
        edit(next((project / "content/articles").glob("russian-team*.md")), "\n---\n", "\n---\n\nAn edit.\n")
        server.wait_for_version(version)
        server.wait_until_quiet(quiet=2.0, timeout=TIMEOUT)
        assert server.attempts() == 2, "\n".join(server.lines)  # the first build and the edit's
    finally:
        server.process.terminate()
        server.process.wait(10)


# --------------------------------------------------------------------------- polling where there are no notifications


class Unavailable:
    """watchfiles' RustNotify where the system gives no notifications (inotify's watch limit reached)."""

    def __init__(self, *args) -> None:
        raise OSError(28, "OS file watch limit reached")


REAL_NOTIFY = serve_module.RustNotify


def test_without_notifications_it_polls_and_says_so_once(project, monkeypatch):
    monkeypatch.setattr(serve_module, "RustNotify", Unavailable)
    with watching(project) as (watcher, builds, said):
        assert watcher.notifier.polling
        assert len(said) == 1 and "polling" in said[0] and "watch limit" in said[0], said
        fresh = project / "content/articles/new/one.md"
        fresh.parent.mkdir()
        fresh.write_text("one", "utf-8")
        builds.wait_for(has("content/articles/new/one.md", fresh))
        append(fresh, "two")  # within the same second: seen all the same
        builds.wait_for(has("content/articles/new/one.md", fresh))
    assert len(said) == 1, said


class FailsOnce:
    """A RustNotify whose watcher fails while running (as on an error from the system)."""

    failed = False

    def __init__(self, *args):
        self.real = REAL_NOTIFY(*args)

    def watch(self, *args):
        if not FailsOnce.failed:
            FailsOnce.failed = True
            raise RuntimeError("error in underlying watcher: test")
        return self.real.watch(*args)

    def close(self) -> None:
        self.real.close()


def test_a_failing_watcher_is_replaced_by_polling(project, monkeypatch):
    monkeypatch.setattr(serve_module, "RustNotify", FailsOnce)
    monkeypatch.setattr(FailsOnce, "failed", False)
    with watching(project) as (watcher, builds, said):
        article = project / "content/articles/first.md"
        append(article, "Edited.\n")
        builds.wait_for(has("content/articles/first.md", article))
        assert watcher.notifier.polling and len(said) == 1 and "failed" in said[0], said


def test_polling_can_be_asked_for(project, monkeypatch):
    monkeypatch.setenv("WATCHFILES_FORCE_POLLING", "1")
    with watching(project) as (watcher, builds, said):
        assert watcher.notifier.polling and said == ["watching for changes by polling (every file, every 100 ms): "
                                                     "WATCHFILES_FORCE_POLLING is set"]
        article = project / "content/articles/first.md"
        append(article, "Edited.\n")
        builds.wait_for(has("content/articles/first.md", article))


# --------------------------------------------------------------------------- stopping


@pytest.mark.parametrize("moment", ["idle", "settling"])
def test_stopping_ends_the_watcher_promptly(project, moment):
    builds = Builds()
    watcher = SiteWatcher(project, builds.rebuild, 5.0 if moment == "settling" else 0.1)
    watcher.begin(on_built=lambda: None)
    if moment == "settling":  # waiting for the files to settle, for a long while
        append(project / "content/articles/first.md", "Edited.\n")
        time.sleep(0.2)
    started = time.monotonic()
    watcher.finish(TIMEOUT)
    assert time.monotonic() - started < 2  # within a few of watchfiles' steps; slack for a slow machine
    assert watcher.thread is not None and not watcher.thread.is_alive()
    assert watcher.notifier.rust is None and builds.count() == 0
