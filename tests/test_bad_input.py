"""The bad-input corpus: every file in tests/bad_input/ is one broken or hostile input.

Each case (TOML) gives the files to add to a small project that has already been built
once, and what the build must then print, exactly. For every case:

* the exit status is the case's (1 unless it says 0), and stderr is exactly its text,
  with no traceback;
* a failed build writes nothing at all (not even its cache) and leaves ``site/`` byte
  for byte as it was; a build that succeeds adds imported articles, the import ledger
  and its cache, and changes no other file in or beside the project;
* a case that builds lists pages and the text they must show (escaped, not run).

Case files:

    what = "one line saying what is wrong"
    status = 1                         # optional, default 1
    command = ["build"]                # optional
    stderr = "exact text"
    [files]    "path" = "text"         # written as UTF-8
    [bytes]    "path" = "text"         # each character U+0000..U+00FF is one byte
    [repeat]   "path" = {head = "", text = "...", times = N, tail = ""}
    [outside]  "path" = "text"         # beside the project, in ../outside/
    [symlinks] "path" = "target"       # a symbolic link in the project
    fifos = ["path", ...]              # named pipes in the project
    delete = ["path", ...]             # files of the first build's project to remove
    [before]   "path" = "text"         # written before the first build (e.g. a seed it imports)
    [page]     "site path" = ["text the page must contain", ...]
"""

from __future__ import annotations

import hashlib
import os
import time
import tomllib
from pathlib import Path

import pytest

from conftest import article, make_project

CASES = Path(__file__).parent / "bad_input"
CASE_FILES = sorted(CASES.glob("*.toml"))
BASE = {
    "content/articles/good.md": article("A good article", "Yuri Shipenko filmed in orbit.", date="2021-10-05"),
    "content/people/klim-shipenko.md": "---\nname: Klim Shipenko\naliases: [Shipenko, Chipenko]\n---\n\nDirector.\n",
}


def load_case(path: Path) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file, folder and link under ``folder`` with a digest of its content."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        rel_dir = os.path.relpath(dirpath, folder)
        dirnames[:] = sorted(d for d in dirnames if os.path.normpath(os.path.join(rel_dir, d)) not in skip)
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = os.path.normpath(os.path.join(rel_dir, name))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[rel] = "dir"
    return found


def settle_cache(project: Path) -> None:
    """Wait for the build's detached cache saves (its caches, and what it wrote), so that they are
    not taken for the next build's writes."""
    folder = project / ".cache" / "microsite"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (not (folder / "state.pickle").exists()
                                           or not (folder / "written.pickle").exists()
                                           or list(folder.glob(".state.pickle.*"))
                                           or list(folder.glob(".written.pickle.*"))):
        time.sleep(0.02)


def apply_case(case: dict, root: Path, project: Path) -> None:
    def write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    for rel, text in case.get("files", {}).items():
        write(project / rel, text.encode("utf-8"))
    for rel, text in case.get("bytes", {}).items():
        write(project / rel, text.encode("latin-1"))
    for rel, spec in case.get("repeat", {}).items():
        data = spec.get("head", "") + spec["text"] * spec["times"] + spec.get("tail", "")
        write(project / rel, data.encode("utf-8"))
    for rel, text in case.get("outside", {}).items():
        write(root / "outside" / rel, text.encode("utf-8"))
    for rel, target in case.get("symlinks", {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).symlink_to(target)
    for rel in case.get("fifos", []):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(project / rel)
    for rel in case.get("delete", []):
        (project / rel).unlink()


def test_the_corpus_covers_every_kind_of_bad_input():
    names = {path.stem for path in CASE_FILES}
    for needed in ["seed-empty", "seed-whitespace-only", "seed-latin-1", "seed-windows-1252", "seed-invalid-utf8",
                   "seed-20mb", "seed-one-megabyte-line", "seed-nul-bytes", "front-matter-broken-yaml",
                   "front-matter-list", "front-matter-impossible-date", "front-matter-tags-not-strings",
                   "title-html", "title-jinja", "slug-traversal", "slug-windows-reserved", "slug-empty",
                   "symlink-outside", "url-claimed-twice", "template-syntax-error", "template-undefined-variable",
                   # Hostile input nobody here wrote (issue 11)
                   "link-encoded-scheme", "feed-named-references", "front-matter-yaml-bomb", "front-matter-huge-value",
                   "fifo-article", "fifo-seed", "fifo-template", "symlink-loop-seed", "symlink-loop-content",
                   "symlink-loop-seed-check", "symlink-loop-seed-import", "seed-pdf", "content-zip",
                   "markdown-quotes-nested-deep", "markdown-unclosed-brackets", "base-url-malformed-ipv6",
                   "base-url-credentials", "title-bidi-override", "name-zero-width-space", "name-no-break-space",
                   "alias-common-words", "body-zero-width-joiner", "body-decomposed-name", "deleted-cited-article",
                   "output-backup-beside-site"]:
        assert needed in names
    for path in CASE_FILES:
        case = load_case(path)
        assert case["what"] and "stderr" in case, path.name
        assert set(case) <= {"what", "status", "command", "stderr", "files", "bytes", "repeat", "outside",
                             "symlinks", "fifos", "delete", "before", "page"}, path.name


@pytest.mark.parametrize("path", CASE_FILES, ids=[path.stem for path in CASE_FILES])
def test_bad_input(path, tmp_path, cli):
    case = load_case(path)
    project = make_project(tmp_path / "project", {**BASE, **case.get("before", {})})
    first = cli(project, "build")
    assert first.status == 0, first.err
    settle_cache(project)
    site_before = snapshot(project / "site")
    apply_case(case, tmp_path, project)
    rest_before = snapshot(tmp_path, skip=("project/site",))

    result = cli(project, *case.get("command", ["build"]))

    assert (result.status, result.err) == (case.get("status", 1), case["stderr"])
    assert "Traceback" not in result.out + result.err
    rest_after = snapshot(tmp_path, skip=("project/site",))
    if result.status:
        assert rest_after == rest_before, "a failed build wrote outside site/"
        assert snapshot(project / "site") == site_before, "a failed build changed site/"
    else:
        added = sorted(set(rest_after) - set(rest_before))
        # Imported articles, the import ledger and the build's cache: nothing else.
        assert all(rel.startswith(("project/content/", "project/.cache/")) or rel == "project/seeds/imported.toml"
                   for rel in added), added
        changed = [rel for rel in rest_before if rest_after.get(rel) != rest_before[rel]]
        assert all(rel.startswith("project/.cache/") for rel in changed), changed  # the build's own cache only
        site = project / "site"
        for rel, needles in case.get("page", {}).items():
            html = (site / rel).read_text("utf-8")
            for needle in needles:
                assert needle in html, f"{rel} does not show {needle!r}"
