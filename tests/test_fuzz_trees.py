"""Random project trees: whatever lies in content/, seeds/ and templates/, build and check end.

A tree mixes regular files (articles, seeds, random bytes, binary formats), symbolic
links (to a sibling, to themselves, in loops, out of the project, to nothing, to a
folder), named pipes, folders nested deep, and Markdown nested deep. The only outcomes
allowed are exit status 0, 1 or 2, with no traceback, within a few seconds (a read of a
FIFO would block forever: an alarm turns that into a failure), and a failed build
leaves the last good site as it was.

CI runs a fixed set of examples; a longer random run:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz_trees.py
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import article, make_project, snapshot
from microsite.cli import main

EXAMPLES = 400 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 40
SECONDS = 30  # per command; a blocked read never returns, a build of a few files takes well under one

FOLDERS = ["content/articles", "content/people", "content/topics", "content/pages", "content", "seeds",
           "templates", "templates/assets", "content/articles/sub"]
NAMES = ["a.md", "b.md", "home.md", "timeline.md", "x.txt", "y.txt", "notes", ".hidden.md", "base.html",
         "style.css", "z.md"]

GOOD_BODY = "Klim Shipenko and Yulia Peresild flew to the ISS.\n"


def nested(depth: int) -> str:
    """A Markdown list, or block quote, nested ``depth`` levels deep."""
    return "".join("  " * i + "- level\n" for i in range(depth))


CONTENTS = st.one_of(
    st.just(article("A title", GOOD_BODY, date="2021-10-05").encode()),
    st.just(b"Crew reaches the station\n\nThe crew reached the station on Tuesday.\n"),
    st.binary(max_size=300),
    st.sampled_from([b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", b"\x89PNG\r\n\x1a\n\x00\x00", b"PK\x03\x04\x14\x00",
                     b"\x7fELF\x02\x01\x01", b"\xff\xfeS\x00h\x00", b"---\ntitle: [\n---\n", b""]),
    st.integers(1, 1200).map(lambda depth: article("Deep", nested(depth)).encode()),
    st.integers(1, 1200).map(lambda depth: article("Quotes", "> " * depth + "deep\n").encode()),
    st.just(b"---\nname: Klim Shipenko\naliases: [Shipenko, The]\n---\n\nX.\n"),
)

ENTRY = st.one_of(
    st.tuples(st.just("file"), CONTENTS),
    st.tuples(st.just("link"), st.sampled_from(["self", "loop", "sibling", "outside", "nowhere", "parent",
                                                "folder"])),
    st.tuples(st.just("fifo"), st.none()),
    st.tuples(st.just("deep"), st.integers(1, 60)),
)

TREE = st.lists(st.tuples(st.sampled_from(FOLDERS), st.sampled_from(NAMES), ENTRY), max_size=6,
                unique_by=lambda item: (item[0], item[1]))


def plant(project: Path, outside: Path, folder: str, name: str, entry: tuple) -> None:
    """Put one entry of a random tree into the project."""
    kind, value = entry
    path = project / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        return
    if kind == "file":
        path.write_bytes(value)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "deep":
        deep = path
        for i in range(value):
            deep = deep / f"d{i}"
        deep.mkdir(parents=True)
        (deep / "a.md").write_text(article("Deep down", GOOD_BODY), "utf-8")
    else:
        targets = {"self": name, "loop": f"{name}.other", "sibling": "a.md", "outside": str(outside / "secret.md"),
                   "nowhere": "missing.md", "parent": "..", "folder": str(project / "content")}
        path.symlink_to(targets[value])
        if value == "loop":
            (path.parent / f"{name}.other").symlink_to(name)


class Timeout(Exception):
    pass


def run(project: Path, *args: str) -> tuple[int, str]:
    """The command line in this process, with an alarm against anything that blocks."""
    def expired(signum, frame):
        raise Timeout(f"{' '.join(args)} did not finish within {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(SECONDS)
    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            status = main(["--project", str(project), *args])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return status, err.getvalue()


@settings(max_examples=EXAMPLES, deadline=None, derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "long",
          database=None, suppress_health_check=[HealthCheck.too_slow])
@given(TREE)
def test_any_project_tree_builds_or_fails_cleanly(tree):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        outside = root / "outside"
        outside.mkdir()
        (outside / "secret.md").write_text(article("Secret", "Private."), "utf-8")
        project = make_project(root / "project", {"content/articles/good.md": article("Good", GOOD_BODY)})
        status, err = run(project, "build", "--no-cache")
        assert status == 0, err
        before = snapshot(project / "site")
        for folder, name, entry in tree:
            plant(project, outside, folder, name, entry)
        for command in (["check"], ["build", "--no-cache"]):
            status, err = run(project, *command)
            assert status in (0, 1, 2), (command, status, err)
            assert "Traceback" not in err, err
            if command[0] == "build" and status:
                assert snapshot(project / "site") == before, "a failed build changed site/"
            if command[0] == "build" and not status:
                assert "Private." not in "".join(p.read_text("utf-8", "replace")
                                                 for p in (project / "site").rglob("*.html"))
