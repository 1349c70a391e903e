"""Faults a build must survive: being killed at any moment, a full disk, a read-only folder.

Each leaves ``site/`` exactly as one complete build left it (the last good one or the
new one, never a mix and never missing), says what went wrong in one message without
a traceback, and the next normal build recovers on its own.

The disk faults are real ones: a small tmpfs and a read-only bind mount, made in a
user and mount namespace (``unshare -rm``), which needs no privileges on the host.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from conftest import REPO, Run, article, make_project, run_script, snapshot
from microsite import output
from microsite.output import OWN_SUFFIX, _larger_than, _marker_text, write_site

sys.path.insert(0, str(REPO / "bench"))
from processes import wait_for_helpers  # noqa: E402  (bench/processes.py)

LEADS = [("Oleg", "Volkov"), ("Anna", "Sokolova"), ("Pavel", "Lebedev"), ("Irina", "Kozlova"), ("Yuri", "Orlov")]


def corpus(articles: int, extras: int = 0, paragraphs: int = 3) -> dict[str, str]:
    """Articles naming a few people by name and alias, plus ``extras`` people nobody mentions.

    The extras only make the site's top folders hold more than 500 entries, so that the
    replaced site is deleted by a detached process (output._discard), as on a large site.
    """
    files = {}
    for first, last in LEADS:
        files[f"content/people/{first}-{last}.md".lower()] = (
            f"---\nname: {first} {last}\naliases: [{last}]\nrole: Crew\n---\n\n{first} {last} flew.\n")
    for i in range(extras):
        files[f"content/people/extra-person-{i}.md"] = f"---\nname: Extra Person {i}\n---\n\nNobody names them.\n"
    for i in range(articles):
        (first, last), (_, other) = LEADS[i % 5], LEADS[(i * 3 + 1) % 5]
        body = "\n\n".join(f"Part {j} of story {i}: {first} {last} met {other} before flight {i}; later "
                           f"{last} said the cameras kept rolling through the night." for j in range(paragraphs))
        files[f"content/articles/story-{i:03d}.md"] = article(f"Story number {i}", body,
                                                             date=f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}")
    return files


def edit(project: Path) -> None:
    """An editor's session: a few articles changed, one added, one deleted.

    Each changed file is replaced, not rewritten: the project may be a hard-linked copy.
    """
    articles = project / "content" / "articles"
    for i in (3, 40, 77, 120):
        path = articles / f"story-{i:03d}.md"
        text = path.read_text("utf-8")
        path.unlink()
        path.write_text(text + "\nEdited: Sokolova called it the best take.\n", "utf-8")
    (articles / "story-new.md").write_text(article("A new story", "Orlov and Lebedev came back.", date="2021-10-20"),
                                           "utf-8")
    (articles / "story-010.md").unlink()


def command(project: Path, *args: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--project", str(project), "build", *args]


def copy_project(source: Path, target: Path, link: bool = False) -> Path:
    """A copy of a project; with ``link``, of hard links (fast: a build never writes a file in place)."""
    shutil.copytree(source, target, symlinks=True, copy_function=os.link if link else shutil.copy2)
    return target


def leftovers(site: Path, theirs: Iterable[str] = ()) -> list[str]:
    """Everything named ``.site.*`` beside ``site``: temporary or replaced folders of builds and
    their marker files (``<folder>.microsite``), except the names in ``theirs`` (someone else's)."""
    return sorted(p.name for p in site.parent.glob(f".{site.name}.*") if p.name not in theirs)


def marker_inode(site: Path) -> int | None:
    try:
        return (site / ".nojekyll").stat().st_ino
    except OSError:
        return None


# --------------------------------------------------------------------------- killed builds

KILL_ARTICLES = 260  # with the extras: 1000+ files, a build of ~1.5 s on two cores
KILL_EXTRAS = 250


class Watch:
    """A build in its own process group, watched until a condition holds, then killed."""

    def __init__(self, project: Path):
        self.argv = command(project)
        self.site = project / "site"
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, cwd=project, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.missing = 0  # polls that found no site/ at all: must stay 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def until(self, condition: Callable[[], bool], limit: float = 10.0) -> bool:
        """Poll ``condition`` (and that site/ is there) until it holds or the build ends."""
        while self.elapsed() < limit:
            if marker_inode(self.site) is None:
                self.missing += 1
            if condition():
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.001)
        return False

    def kill(self) -> float:
        """SIGKILL the build, its workers and Pagefind (all in its process group)."""
        at = self.elapsed()
        with contextlib.suppress(ProcessLookupError):  # it had ended, and been killed already
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.communicate()
        return at


def tmp_has(site: Path, rel: str) -> Callable[[], bool]:
    """True once a build's temporary folder beside ``site`` holds ``rel``."""
    return lambda: any((site.parent / name / rel).exists() for name in leftovers(site) if ".tmp-" in name)


def swapped(site: Path) -> Callable[[], bool]:
    """True once ``site`` is another folder than it is now (its marker is another file)."""
    first = marker_inode(site)
    return lambda: marker_inode(site) != first


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A folder on a tmpfs (/dev/shm) when one has room, else ``tmp_path``.

    A SIGKILL leaves the page cache as it was, so a kill tests the same order of
    operations on a tmpfs as on a disk, and the builds there take half the time.
    """
    shm = Path("/dev/shm")
    try:
        stat = os.statvfs(shm)
        roomy = os.access(shm, os.W_OK) and stat.f_bavail * stat.f_frsize > 512 * 2**20
    except OSError:
        roomy = False
    if not roomy:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="microsite-faults-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_killed_build_leaves_the_old_or_the_new_site_and_the_next_build_recovers(scratch):
    began = time.perf_counter()
    pristine = make_project(scratch / "pristine", corpus(KILL_ARTICLES, KILL_EXTRAS))
    assert run_script(pristine, "build").status == 0
    wait_for_helpers(command(pristine))  # its cache is saved before the project is copied
    old = snapshot(pristine / "site")
    assert _larger_than(pristine / "site", 500)  # so a replaced site is deleted by a detached process

    def fresh(name: str) -> Path:
        """The edited project with the old site and the old build cache, as before a build."""
        project = copy_project(pristine, scratch / name, link=True)
        edit(project)
        return project

    # The new site: one build of a fresh copy, watched to the end for when it swaps the
    # folders and when it ends.
    expected = fresh("expected")
    watch = Watch(expected)
    first = marker_inode(expected / "site")
    assert watch.until(lambda: marker_inode(expected / "site") != first)
    swap = watch.elapsed()
    _, err = watch.proc.communicate()
    assert watch.proc.returncode == 0, err
    duration = watch.elapsed()
    assert watch.missing == 0
    new = snapshot(expected / "site")
    assert old != new and len(old) > 1000
    wait_for_helpers(watch.argv)
    assert leftovers(expected / "site") == []
    setup = time.perf_counter() - began

    def after(delay: float) -> Callable[[Watch], bool]:
        return lambda w: w.until(lambda: w.elapsed() >= delay) or True

    def on(condition: Callable[[Path], Callable[[], bool]]) -> Callable[[Watch], bool]:
        return lambda w: w.until(condition(w.site))

    timed = 8
    points: list[tuple[str, Callable[[Watch], bool]]] = [
        (f"after {d:.2f} s", after(d)) for d in (i * 1.1 * duration / (timed - 1) for i in range(timed))]
    points += [
        (f"after {swap - 0.03:.2f} s (swap - 30 ms)", after(swap - 0.03)),
        (f"after {swap + 0.005:.2f} s (swap + 5 ms)", after(swap + 0.005)),
        ("temporary folder made", on(lambda site: lambda: any(".tmp-" in n for n in leftovers(site)))),
        ("pages written, index running", on(lambda site: tmp_has(site, ".nojekyll"))),
        ("index written, before swap", on(lambda site: tmp_has(site, "pagefind/pagefind-entry.json"))),
        ("just after swap", on(swapped)),
    ]
    print(f"\nkill test in {scratch}: {len(old)} files in the old site, {len(new)} in the new; "
          f"a build swaps at {swap:.2f} s and ends at {duration:.2f} s; setup {setup:.1f} s")
    outcomes = []
    for n, (label, trigger) in enumerate(points):
        project = fresh(f"kill-{n}")
        site = project / "site"
        watch = Watch(project)
        seen = trigger(watch)
        ended = watch.proc.poll() is not None
        at = watch.kill()
        assert watch.missing == 0, f"{label}: site/ was missing while the build ran"
        assert site.is_dir(), f"{label}: site/ is missing after the kill"
        got = snapshot(site)
        assert got in (old, new), f"{label}: site/ is neither the old nor the new site"
        outcome = "old" if got == old else "new"

        next_started = time.perf_counter()
        recovered = run_script(project, "build")
        next_took = time.perf_counter() - next_started
        assert recovered.status == 0, f"{label}: the next build failed:\n{recovered.err}"
        assert recovered.err == ""
        assert snapshot(site) == new, f"{label}: the next build did not give the new site"
        helpers = wait_for_helpers(watch.argv)
        assert leftovers(site) == [], f"{label}: left beside site/ after the next build"
        shutil.rmtree(project)
        outcomes.append(outcome)
        note = " (the build had ended)" if ended else ""
        note += "" if seen else " (event not seen)"
        print(f"  kill {label:<36} at {at:4.2f} s -> {outcome}{note}; the next build recovered "
              f"in {next_took:.2f} s, its helpers ended {helpers:.2f} s later")
    total = time.perf_counter() - began
    print(f"  old {outcomes.count('old')}, new {outcomes.count('new')}; whole test {total:.1f} s")
    assert "old" in outcomes and "new" in outcomes  # the points span the build


# --------------------------------------------------------------------------- only a build's own leftovers


def killed_write(site: Path, when: str) -> int:
    """Run ``write_site`` into ``site`` in a process that SIGKILLs itself at ``when``; its (dead) pid.

    ``finish``: with the new site complete in its temporary folder, before the swap.
    ``rename``: in the two-rename swap (no renameat2), after the old site was moved
    aside and before the new one took its place (so ``site`` is missing).
    """
    script = f"""if True:
        import os, signal, sys
        from pathlib import Path
        from microsite import output
        site = Path(sys.argv[1])
        def die(*args):
            os.kill(os.getpid(), signal.SIGKILL)
        rename = os.rename
        def rename_or_die(src, dst):
            (die if Path(dst) == site else rename)(src, dst)
        if {when!r} == "rename":
            output._exchange = lambda a, b: False
            os.rename = rename_or_die
        output.write_site([("index.html", b"<p>killed</p>")], site, finish=die if {when!r} == "finish" else None)
        """
    proc = subprocess.Popen([sys.executable, "-c", script, str(site)], cwd=REPO, stderr=subprocess.PIPE, text=True)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, err
    return proc.pid


def dead_pid() -> int:
    """The process id of a process that has ended (as a killed build's has)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def plant_theirs(root: Path) -> tuple[list[str], Callable[[], dict[str, bytes]]]:
    """Folders and files of an editor beside ``root/site``, named like a build's; their names, and a
    function giving every byte of them."""
    dead = dead_pid()  # in a name, the pid of a build that died: only a build's marker makes it a leftover
    files = {
        ".site.my-backup/index.html": "<p>my own copy</p>", ".site.my-backup/articles/a/index.html": "<p>a</p>",
        ".site.x-y/notes.txt": "notes", ".site.tmp-1-abc/draft.html": "<p>draft</p>",
        f".site.tmp-{dead}-abc/draft.html": "<p>another draft</p>",
        # A marker-like file of theirs: the right name, but not a build's text.
        f".site.tmp-{dead}-0badc0de/kept.txt": "kept",
        f".site.tmp-{dead}-0badc0de{OWN_SUFFIX}": "my notes about that folder\n",
        "elsewhere/precious.txt": "precious",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    # A link named like a build's folder, even with a build's marker: never followed into.
    link = f".site.tmp-{dead}-abcdef01"
    (root / link).symlink_to(root / "elsewhere")
    (root / (link + OWN_SUFFIX)).write_bytes(_marker_text(root / "site"))
    names = sorted({rel.split("/")[0] for rel in files if rel.startswith(".")} | {link, link + OWN_SUFFIX})

    def contents() -> dict[str, bytes]:
        found = {}
        for name in [*names, "elsewhere"]:
            path = root / name
            found[name] = os.readlink(path).encode() if path.is_symlink() else b""
            found.update({f"{name}/{k}": v for k, v in snapshot(path).items()} if path.is_dir() else
                         {name: path.read_bytes()})
        return found

    return names, contents


def test_folders_beside_the_site_that_no_build_made_survive_every_build(scratch):
    """Named like a build's (``.site.*-*``) or not, with or without a marker-like file: an
    editor's folders stay byte for byte, while what killed builds left is removed."""
    # Over 500 pages in a folder: each replaced site is deleted by a detached process.
    project = make_project(scratch / "project", corpus(3, extras=510))
    site = project / "site"
    theirs, contents = plant_theirs(project)
    before = contents()
    story = project / "content" / "articles" / "story-001.md"
    for round in range(4):
        story.write_text(story.read_text("utf-8") + f"\nRound {round}: Orlov.\n", "utf-8")  # so the site changes
        if round == 1:  # a build killed with its new site complete, and one killed before its folder existed
            dead = killed_write(site, "finish")
            (project / f".site.tmp-{dead}-0123abcd{OWN_SUFFIX}").write_bytes(_marker_text(site))
            left = leftovers(site, theirs)
            assert len(left) == 3 and sum(name.endswith(OWN_SUFFIX) for name in left) == 2, left
        result = run_script(project, "build")
        assert result.status == 0, result.err
        assert wait_for_helpers(command(project)) < 30
        assert leftovers(site, theirs) == [], f"round {round}"
        assert contents() == before, f"round {round}: an editor's folder beside site/ changed"
        assert _larger_than(site, 500) and f"Round {round}: Orlov." in (
            site / "articles" / "story-001" / "index.html").read_text("utf-8")


def test_two_rename_swap_killed_between_the_renames_is_undone_by_the_next_build(tmp_path, monkeypatch):
    """Where there is no renameat2: the old site, moved aside when the build died, comes back."""
    site = tmp_path / "site"
    theirs, contents = plant_theirs(tmp_path)
    before = contents()
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    write_site([("index.html", b"<p>one</p>")], site)
    write_site([("index.html", b"<p>two</p>")], site)  # the two-rename swap, uninterrupted
    assert snapshot(site) == {".nojekyll": b"", "index.html": b"<p>two</p>"}
    assert leftovers(site, theirs) == []

    killed_write(site, "rename")
    assert not site.exists()  # the window the README admits: site/ missing until the next build
    assert sorted(name.split("-")[0] for name in leftovers(site, theirs)) == [".site.old", ".site.old",
                                                                             ".site.tmp", ".site.tmp"]
    output._clean_leftovers(site)  # what the next build does first
    assert snapshot(site) == {".nojekyll": b"", "index.html": b"<p>two</p>"}
    assert leftovers(site, theirs) == []
    write_site([("index.html", b"<p>three</p>")], site)
    assert snapshot(site) == {".nojekyll": b"", "index.html": b"<p>three</p>"}
    assert leftovers(site, theirs) == [] and contents() == before


def test_a_build_only_removes_what_is_marked_with_its_own_text(tmp_path):
    """Stray markers (a build killed between its marker and its folder) go; look-alikes stay."""
    site = tmp_path / "site"
    write_site([("index.html", b"<p>one</p>")], site)
    dead = killed_write(site, "finish")
    ours = [f".site.tmp-{dead}-0123abcd{OWN_SUFFIX}", f".site.old-{dead}-4567abcd{OWN_SUFFIX}"]
    for name in ours:
        (tmp_path / name).write_bytes(_marker_text(site))
    # Killed between making its marker and writing it: an empty or half-written marker, no folder.
    begun = {f".site.tmp-{dead}-5555abcd{OWN_SUFFIX}": b"",
             f".site.tmp-{dead}-6666abcd{OWN_SUFFIX}": _marker_text(site)[:5]}
    for name, data in begun.items():
        (tmp_path / name).write_bytes(data)
    ours += list(begun)
    look_alikes = {
        f".site.tmp-{dead}-89abcdef{OWN_SUFFIX}": _marker_text(tmp_path / "other"),  # another output folder's
        f".site.tmp-{dead}-0000abcd{OWN_SUFFIX}": _marker_text(site) + b"\n",  # not exactly a build's text
        f".site.tmp-{dead}-1111abcd{OWN_SUFFIX}/inside.txt": b"a folder with a marker's name",
        f".site.tmp-{dead}-2222abcd": b"a file with a folder's name",
        f".site.new-{dead}-3333abcd{OWN_SUFFIX}": _marker_text(site),  # not a kind of folder a build makes
    }
    for rel, data in look_alikes.items():
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    os.mkfifo(tmp_path / f".site.tmp-{dead}-4444abcd{OWN_SUFFIX}")  # reading it would block the build
    theirs = sorted({rel.split("/")[0] for rel in look_alikes} | {f".site.tmp-{dead}-4444abcd{OWN_SUFFIX}"})
    assert len(leftovers(site, theirs)) == 2 + len(ours)  # the killed build's folder and marker, the strays
    write_site([("index.html", b"<p>two</p>")], site)
    assert leftovers(site, theirs) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "site") == theirs
    for rel, data in look_alikes.items():
        assert (tmp_path / rel).read_bytes() == data


# --------------------------------------------------------------------------- stale cache


def entry_inode(site: Path) -> int:
    return (site / "pagefind" / "pagefind-entry.json").stat().st_ino


def test_search_index_of_another_folder_is_never_reused(tmp_path):
    """The cache says what the last build indexed, not that the index in this folder is that one."""
    project = make_project(tmp_path / "project", {"content/articles/a.md": article("Alpha", "Zebrafish swim."),
                                                  "content/articles/b.md": article("Beta", "Nothing.")})
    site, other, fresh = project / "site", tmp_path / "other", tmp_path / "fresh"

    def build(*args: str) -> None:
        assert run_script(project, "build", *args).status == 0
        wait_for_helpers(command(project, *args))  # the cache is saved before the next build reads it

    build()  # site/ indexes the zebrafish
    (project / "content/articles/a.md").write_text(article("Alpha", "Quokkas hop."), "utf-8")
    build("--out", str(other))  # the cache now describes an index of the quokkas, in other/
    build()
    build("--no-cache", "--out", str(fresh))
    assert snapshot(site) == snapshot(fresh), "site/ kept the search index of the zebrafish"

    # Where the index in site/ is the one the cache describes, it is still reused (hard-linked).
    indexed = entry_inode(site)
    style = project / "templates" / "assets" / "style.css"
    style.write_text(style.read_text("utf-8") + "\nbody { margin: 0; }\n", "utf-8")  # no page's <main> changes
    build()
    assert entry_inode(site) == indexed
    build("--no-cache", "--out", str(fresh))
    assert snapshot(site) == snapshot(fresh)


# --------------------------------------------------------------------------- full disk, read-only folder


def namespaces_work() -> bool:
    """Whether this machine lets us make user and mount namespaces (and so tmpfs and bind mounts)."""
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def in_namespace(script: str, env: dict[str, str], results: Path) -> dict[str, Run]:
    """Run ``script`` (sh) in a new user and mount namespace; each ``run NAME ARGS`` in it
    runs build.py and leaves NAME's exit status and output in ``results``."""
    prelude = ('run() { name=$1; shift; rc=0; "$PY" "$BUILD" "$@" >"$T/$name.out" 2>"$T/$name.err" || rc=$?; '
               'echo $rc >"$T/$name.rc"; }\n')
    env = {**os.environ, **env, "PY": sys.executable, "BUILD": str(REPO / "build.py"), "T": str(results)}
    proc = subprocess.run(["unshare", "-rm", "sh", "-euc", prelude + script], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    runs = {}
    for rc in sorted(results.glob("*.rc")):
        name = rc.stem
        runs[name] = Run(int(rc.read_text()), (results / f"{name}.out").read_text(),
                         (results / f"{name}.err").read_text())
    return runs


def usage(folder: Path, index: bool | None = None) -> int:
    """Bytes ``folder``'s files take on a tmpfs (whole pages); only the search index, or all but it."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and index in (None, path.relative_to(folder).parts[0] == "pagefind"):
            total += -(-path.stat().st_size // page) * page
    return total


def assert_one_error(run: Run, out_dir: Path, reason: str, hint: str) -> None:
    """Exit status 1 and ``error: OUT_DIR: cannot write the site: REASON`` with its hint, nothing else."""
    assert run.status == 1, run
    assert "Traceback" not in run.err
    lines = run.err.splitlines()
    assert lines[0] == f"error: {out_dir}: cannot write the site: {reason}", run.err
    assert len(lines) == 2 and lines[1].startswith("  hint: ") and hint in lines[1], run.err


def small_projects(tmp_path: Path) -> tuple[Path, Path]:
    """A small project, and a copy with one article edited (so its search index changes too)."""
    small = make_project(tmp_path / "small", corpus(3))
    edited = copy_project(small, tmp_path / "edited")
    path = edited / "content" / "articles" / "story-001.md"
    path.write_text(path.read_text("utf-8") + "\nA new paragraph names Kozlova.\n", "utf-8")
    return small, edited


def test_full_disk_fails_with_one_message_and_keeps_the_previous_site(tmp_path):
    small, edited = small_projects(tmp_path)
    big = make_project(tmp_path / "big", corpus(80, paragraphs=6))
    sizes = {}
    for project in (small, edited, big):
        out = tmp_path / "measure" / project.name
        assert run_script(project, "build", "--out", str(out)).status == 0
        sizes[project.name] = usage(out, index=False), usage(out, index=True)
        wait_for_helpers(command(project, "--out", str(out)))
    if not namespaces_work():
        full_disk_fallback(tmp_path, small, big)
        return
    small_site = sum(sizes["small"])
    # A: the small site fits, the big one's pages do not fit beside it.
    # B: the edited site's pages fit beside the small site, its search index does not:
    #    Pagefind ignores write errors, so the build must notice the full disk itself.
    a_kb = (small_site + sizes["big"][0] // 2) // 1024
    b_kb = (small_site + sizes["edited"][0] + sizes["edited"][1] // 2) // 1024
    disk_a, disk_b, results = tmp_path / "disk-a", tmp_path / "disk-b", tmp_path / "results"
    for folder in (disk_a, disk_b, results):
        folder.mkdir()
    runs = in_namespace("""
        mount -t tmpfs -o size=${A_KB}k tmpfs "$A"
        mount -t tmpfs -o size=${B_KB}k tmpfs "$B"
        run a1 --project "$SMALL" build --out "$A/site"; cp -a "$A" "$T/a-before"
        run a2 --project "$BIG" build --out "$A/site"; cp -a "$A" "$T/a-after"
        run b1 --project "$SMALL" build --out "$B/site"; cp -a "$B" "$T/b-before"
        run b2 --project "$EDITED" build --out "$B/site"; cp -a "$B" "$T/b-after"
        """, {"A": str(disk_a), "B": str(disk_b), "A_KB": str(a_kb), "B_KB": str(b_kb),
              "SMALL": str(small), "BIG": str(big), "EDITED": str(edited)}, results)
    print(f"\nfull disk: tmpfs A {a_kb} KiB, B {b_kb} KiB; sizes (pages, index) {sizes}")
    for case, project in (("a", big), ("b", edited)):
        assert runs[f"{case}1"].status == 0, runs[f"{case}1"]
        print(f"  {case}2 ({project.name}) stderr: {runs[f'{case}2'].err!r}")
        out_dir = tmp_path / f"disk-{case}" / "site"
        assert_one_error(runs[f"{case}2"], out_dir, "No space left on device", "free some space")
        before, after = results / f"{case}-before", results / f"{case}-after"
        assert sorted(os.listdir(after)) == ["site"], "a half-written folder was left on the full disk"
        assert snapshot(after / "site") == snapshot(before / "site"), "the previous site changed"


def full_disk_fallback(tmp_path: Path, small: Path, big: Path) -> None:
    """Without namespaces: a file size limit (EFBIG), the nearest fault any user can cause."""
    out_dir = tmp_path / "limited" / "site"
    assert run_script(small, "build", "--out", str(out_dir)).status == 0
    wait_for_helpers(command(small, "--out", str(out_dir)))
    before = snapshot(out_dir)

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the signal kills the build
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    proc = subprocess.run(command(big, "--out", str(out_dir)), capture_output=True, text=True,
                          preexec_fn=limit, timeout=120)
    print(f"\nfull disk (fallback, RLIMIT_FSIZE) stderr: {proc.stderr!r}")
    assert_one_error(Run(proc.returncode, proc.stdout, proc.stderr), out_dir, "File too large", "ulimit -f")
    assert leftovers(out_dir) == [] and snapshot(out_dir) == before


def test_read_only_folder_fails_with_one_message_and_changes_nothing(tmp_path):
    small, edited = small_projects(tmp_path)
    outer = tmp_path / "outer"
    assert run_script(small, "build", "--out", str(outer / "site")).status == 0
    wait_for_helpers(command(small, "--out", str(outer / "site")))
    before = snapshot(outer)
    listing = sorted(os.listdir(outer))
    if namespaces_work():
        results = tmp_path / "results"
        results.mkdir()
        runs = in_namespace("""
            mount --bind "$O" "$O"
            mount -o remount,bind,ro "$O"
            run r1 --project "$EDITED" build --out "$O/site"
            run r2 --project "$EDITED" build --out "$O/sub/site"
            """, {"O": str(outer), "EDITED": str(edited)}, results)
        reason, hint = "Read-only file system", "read-only file system; choose a writable folder"
    elif os.geteuid() != 0:  # without namespaces, permissions stop anyone but root
        outer.chmod(0o555)
        try:
            runs = {name: run_script(edited, "build", "--out", str(out))
                    for name, out in (("r1", outer / "site"), ("r2", outer / "sub" / "site"))}
        finally:
            outer.chmod(0o755)
        reason, hint = "Permission denied", "make that folder writable"
    else:
        why = "root without user namespaces (unshare -rm): no way to make a folder read-only here"
        if os.environ.get("MICROSITE_REQUIRE_TOOLS"):  # CI: this must be tested, not skipped
            pytest.fail(why)
        pytest.skip(why)
    for name, out_dir in (("r1", outer / "site"), ("r2", outer / "sub" / "site")):
        print(f"\nread-only {name} stderr: {runs[name].err!r}")
        assert_one_error(runs[name], out_dir, reason, hint)
        assert str(out_dir.parent) in runs[name].err.splitlines()[1]  # the folder that must be writable
    assert sorted(os.listdir(outer)) == listing and snapshot(outer) == before


def test_a_template_change_inside_main_that_changes_no_indexed_text_reuses_the_search_index(tmp_path):
    """A class or a link target changed in <main> leaves what Pagefind indexes as it was."""
    project = make_project(tmp_path / "project", {"content/articles/a.md": article("Alpha", "Zebrafish swim.",
                                                                                   date="2021-10-05")})
    site, fresh = project / "site", tmp_path / "fresh"

    def build(*args: str) -> None:
        assert run_script(project, "build", *args).status == 0
        wait_for_helpers(command(project, *args))

    build()
    indexed = entry_inode(site)
    template = project / "templates" / "article.html"
    template.write_text(template.read_text("utf-8").replace('class="story"', 'class="story story-v2"'), "utf-8")
    build()
    assert 'class="story story-v2"' in (site / "articles/a/index.html").read_text("utf-8")
    assert entry_inode(site) == indexed  # reused, not made again
    build("--no-cache", "--out", str(fresh))
    assert snapshot(site) == snapshot(fresh)  # and the same as a fresh index
    template.write_text(template.read_text("utf-8").replace("<h1 ", '<h1 data-pagefind-weight="2" '), "utf-8")
    build()
    assert entry_inode(site) != indexed  # an attribute Pagefind reads: indexed again
