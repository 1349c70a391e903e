"""A build does work in proportion to what changed: what it skips, and that skipping stays exact.

The benchmark (bench/run.py) measures the time; these tests pin down the mechanisms
behind it, each against a clean build's output.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import microsite.imaging as imaging
import microsite.markup as markup
import microsite.pipeline as pipeline
import microsite.render as render
from conftest import PYPROJECT, REPO, article, make_project, snapshot
from microsite.cli import main
from microsite.errors import ProjectError
from microsite.output import Digest, write_site
from microsite.pipeline import Builder, with_drafts

sys.path.insert(0, str(REPO / "bench"))
from corpus import write_project  # noqa: E402


def _build(project: Path, *args: str) -> None:
    assert main(["--project", str(project), "build", *args]) == 0
    _wait_saved(project)  # the build saves what it wrote in a detached process: the next build reads it


def _wait_saved(project: Path, limit: float = 10.0, out: Path | None = None) -> None:
    written = project / ".cache" / "microsite" / "written.pickle"
    marker = (out or project / "site") / ".nojekyll"
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if written.exists() and written.stat().st_mtime_ns >= marker.stat().st_mtime_ns:
            return
        time.sleep(0.02)
    raise AssertionError("the build did not save what it wrote")


def _settle() -> None:
    time.sleep(2.1)  # past the build cache's window for trusting an unchanged stat


def test_a_template_change_links_unchanged_files_from_the_last_site(tmp_path):
    files = {f"content/articles/a{i}.md": article(f"Report {i}", "Text.", date=f"2021-10-0{i}") for i in range(1, 4)}
    project = make_project(tmp_path / "p", files)
    _build(project)
    card = project / "site/articles/a1/card.jpg"
    page = project / "site/articles/a1/index.html"
    card_inode, page_inode = card.stat().st_ino, page.stat().st_ino
    _settle()
    base = project / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</footer>", "<!-- changed -->\n</footer>", 1), "utf-8")
    _settle()
    _build(project)
    assert card.stat().st_ino == card_inode  # the same file, linked into the new site, not copied
    assert page.stat().st_ino != page_inode  # the page changed: written afresh
    assert "<!-- changed -->" in page.read_text("utf-8")
    assert snapshot(project / "site") == _clean(project, tmp_path / "clean")


def test_a_built_file_changed_by_hand_is_written_again_not_linked(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    _build(project)
    card = project / "site/articles/a/card.jpg"
    card.write_bytes(b"scribbled over")  # its size and time no longer match what the build wrote
    _settle()
    base = project / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</footer>", "<!-- changed -->\n</footer>", 1), "utf-8")
    _settle()
    _build(project)
    assert card.read_bytes() != b"scribbled over"
    assert snapshot(project / "site") == _clean(project, tmp_path / "clean")


def test_a_build_into_another_folder_does_not_use_what_was_written_elsewhere(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    _build(project)
    other = tmp_path / "other"
    assert main(["--project", str(project), "build", "--out", str(other)]) == 0
    assert snapshot(other) == snapshot(project / "site")
    assert (other / "articles/a/card.jpg").stat().st_ino != (project / "site/articles/a/card.jpg").stat().st_ino


def _change_footer(project: Path, mark: str) -> None:
    base = project / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("</footer>", f"<!-- {mark} -->\n</footer>", 1), "utf-8")
    _settle()


def _spare(project: Path) -> Path:
    return project / ".cache" / "microsite" / "spare"


def _inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")}


def _with_kept_site(tmp_path: Path) -> Path:
    """A project of one article, built, then built again after a footer change: its first site is kept."""
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    _build(project)
    _change_footer(project, "one")
    _build(project)
    return project


def test_the_replaced_site_is_kept_and_the_next_template_change_writes_over_it(tmp_path):
    files = {f"content/articles/a{i}.md": article(f"Report {i}", "Text.", date=f"2021-10-0{i}") for i in range(1, 4)}
    project = make_project(tmp_path / "p", files)
    original = (project / "templates" / "base.html").read_text("utf-8")
    _build(project)
    assert not _spare(project).exists()  # a first build replaces nothing
    first = _inodes(project / "site")
    _change_footer(project, "one")
    _build(project)
    assert _inodes(_spare(project)).items() >= {k: v for k, v in first.items() if not k.startswith("pagefind")}.items()
    assert not (_spare(project) / "pagefind").exists()  # made or linked afresh by the build that takes it
    kept = _inodes(_spare(project))
    _change_footer(project, "two")
    _build(project)
    now = _inodes(project / "site")
    page = "articles/a1/index.html"
    # The kept site became the new one: its folders and its page files, written over in place.
    assert now[page] == kept[page] and now["articles/a1"] == kept["articles/a1"] and now["articles"] == kept["articles"]
    assert "<!-- two -->" in (project / "site" / page).read_text("utf-8")
    assert snapshot(project / "site") == _clean(project, tmp_path / "clean")
    # And again, with an article added and one deleted: a folder made, one removed.
    (project / "content/articles/a4.md").write_text(article("Report 4", "More.", date="2021-10-04"), "utf-8")
    (project / "content/articles/a2.md").unlink()
    _change_footer(project, "three")
    _build(project)
    assert not (project / "site/articles/a2").exists()
    assert snapshot(project / "site") == _clean(project, tmp_path / "clean2")
    # Back to the first footer: each page is shorter than the kept one it is written over.
    (project / "templates" / "base.html").write_text(original, "utf-8")
    _settle()
    _build(project)
    assert snapshot(project / "site") == _clean(project, tmp_path / "clean3")


def test_a_file_the_live_site_shares_with_the_kept_one_is_never_written_through(tmp_path):
    """The first rebuild links unchanged files (share cards) from the live site, so the kept site
    shares them with the next one: a build that changes them must write new files, not the shared ones."""
    files = {f"content/articles/a{i}.md": article(f"Report {i}", "Text.", date=f"2021-10-0{i}") for i in range(1, 3)}
    # Without search: a new site title changes the pages' text, and a build that indexes it takes no kept site.
    project = make_project(tmp_path / "p", files, pyproject=PYPROJECT + 'search = "off"\n')
    _build(project)
    _change_footer(project, "one")
    _build(project)  # cards linked from the first site, which is now kept
    card = "articles/a1/card.jpg"
    assert (project / "site" / card).stat().st_nlink > 1
    live = snapshot(project / "site")
    config = project / "pyproject.toml"
    config.write_text(config.read_text("utf-8").replace('title = "', 'title = "Renamed ', 1), "utf-8")
    _settle()
    _build(project)  # every card and page changes; it writes over the kept site, whose cards the live one shares
    assert snapshot(_spare(project)) == {k: v for k, v in live.items() if not k.startswith("pagefind/")}
    assert snapshot(project / "site") == _clean(project, tmp_path / "clean")


def test_what_is_found_in_the_kept_site_beyond_the_record_is_not_published(tmp_path):
    project = _with_kept_site(tmp_path)
    spare = _spare(project)
    (spare / "stray.html").write_text("<p>not ours</p>", "utf-8")
    (spare / "articles/a/index.html").write_text("<p>edited by hand</p>", "utf-8")
    (spare / "pagefind").mkdir()
    (spare / "pagefind/pagefind-entry.json").write_text("{}", "utf-8")
    (spare / "articles/link.html").symlink_to(project / "pyproject.toml")
    os.remove(spare / "index.html")
    (spare / "index.html").mkdir()  # a folder where a page goes
    _change_footer(project, "two")
    _build(project)
    assert snapshot(project / "site") == _clean(project, tmp_path / "clean")
    assert (project / "pyproject.toml").is_file()


@pytest.mark.parametrize("thing", ["file", "link"])
def test_a_file_or_link_where_the_site_is_kept_is_replaced_by_it(tmp_path, thing):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    _build(project)
    spare = _spare(project)
    if thing == "file":
        spare.write_text("someone's notes", "utf-8")
    else:
        spare.symlink_to(project / "content")
    _change_footer(project, "one")
    _build(project)
    assert spare.is_dir() and not spare.is_symlink() and (spare / "index.html").is_file()
    assert (project / "content/articles/a.md").is_file()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []
    assert snapshot(project / "site") == _clean(project, tmp_path / "clean")


def test_a_build_into_another_file_system_leaves_the_kept_site_alone(tmp_path):
    project = _with_kept_site(tmp_path)
    kept = snapshot(_spare(project))
    elsewhere = _tmpfs(tmp_path)
    if os.stat(elsewhere).st_dev == os.stat(project).st_dev:
        pytest.skip("no second file system (/dev/shm) on this machine to build into")
    for mark in ("two", "three"):  # the second reuses the first's index: it takes a kept site if it can
        _change_footer(project, mark)
        assert main(["--project", str(project), "build", "--out", str(elsewhere / "site")]) == 0
        _wait_saved(project, out=elsewhere / "site")
    assert snapshot(_spare(project)) == kept
    assert main(["--project", str(project), "build"]) == 0
    assert snapshot(elsewhere / "site") == snapshot(project / "site")


def test_a_build_whose_pages_pagefind_reads_starts_from_a_new_folder(tmp_path):
    """Pagefind lists pages in the file system's order, which for a folder written over depends on
    its history (tmpfs): so a text change, which Pagefind indexes, is written to a new folder and
    gives exactly a clean build's index, while the kept site is replaced by the one it replaces."""
    root = _tmpfs(tmp_path)
    files = {f"content/articles/a{i:02d}.md": article(f"Report {i}", f"Text number {i}.", date=f"2021-10-{i:02d}")
             for i in range(1, 25)}
    project = make_project(root / "p", files)
    _build(project)
    _change_footer(project, "one")
    _build(project)
    kept = _inodes(_spare(project))["articles"]
    for i in (3, 11, 17):  # re-made, so the kept folders would list them in another order
        path = project / f"content/articles/a{i:02d}.md"
        path.write_text(path.read_text("utf-8").replace("Text number", "Changed text number"), "utf-8")
    (project / "content/articles/a30.md").write_text(article("Report 30", "A new one.", date="2021-10-30"), "utf-8")
    _settle()
    _build(project)
    assert (project / "site/articles").stat().st_ino != kept
    assert _inodes(_spare(project))["articles"] != kept  # the one this build replaced is kept instead
    assert snapshot(project / "site") == _clean(project, root / "clean")


def _tmpfs(tmp_path: Path) -> Path:
    """A folder on /dev/shm (where a folder lists its files in the order they were made) when there is one."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        return tmp_path
    folder = shm / f"microsite-spare-{os.getpid()}-{tmp_path.name}"
    folder.mkdir()
    _made_on_shm.append(folder)
    return folder


_made_on_shm: list[Path] = []


@pytest.fixture(autouse=True)
def _remove_shm_folders():
    yield
    while _made_on_shm:
        shutil.rmtree(_made_on_shm.pop(), ignore_errors=True)


def test_a_one_off_build_lets_go_of_its_pages_before_search_starts(tmp_path):
    """The build command ends after one build: once the pages are on disk, the process holds
    them no longer (Pagefind and the share-card workers start next), and the record of what
    was written holds digests."""
    held = {f"articles/a{i}/index.html": f"<p>page {i}</p>".encode() * 50 for i in range(20)}
    held["feed.xml"] = b"<feed/>"
    baseline = {rel: sys.getrefcount(data) for rel, data in held.items()}
    counts: dict[str, int] = {}

    def start(folder: Path) -> None:
        counts.update({rel: sys.getrefcount(data) for rel, data in held.items()})

    written = write_site([(rel, held[rel]) for rel in sorted(held)], tmp_path / "site", start=start, release=True)
    assert {rel: n for rel, n in counts.items() if rel.endswith(".html")} == \
        {rel: n for rel, n in baseline.items() if rel.endswith(".html")}
    assert snapshot(tmp_path / "site") == {**held, ".nojekyll": b""}
    assert all(isinstance(data, Digest) and data == Digest.of(held[rel]) for rel, (data, _, _) in written.items())


def test_the_build_command_lets_go_of_its_pages_and_a_kept_builder_does_not(tmp_path, monkeypatch):
    released = []

    def spy(*args, **kwargs):
        released.append(kwargs.get("release"))
        return write_site(*args, **kwargs)

    monkeypatch.setattr(pipeline, "write_site", spy)
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    assert main(["--project", str(project), "build", "--no-cache"]) == 0
    Builder(project, tmp_path / "other", persist=False).build()  # (serve and tests build again with theirs)
    assert released == [True, False]
    assert snapshot(tmp_path / "other") == snapshot(project / "site")


def test_no_cache_keeps_no_site(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    for _ in range(2):
        assert main(["--project", str(project), "build", "--no-cache"]) == 0
    assert not (project / ".cache").exists()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def _clean(project: Path, out: Path) -> dict[str, bytes]:
    assert main(["--project", str(project), "build", "--no-cache", "--out", str(out)]) == 0
    return snapshot(out)


def test_a_no_op_build_answers_before_importing_the_pipeline(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    _build(project)
    _settle()
    _build(project)  # its record trusts the files: they are older than the build cache's window now
    code = ("import sys; from microsite.cli import main; status = main(['--project', sys.argv[1], 'build']); "
            "print(sorted(m for m in sys.modules if m in ('microsite.pipeline', 'markdown', 'jinja2'))); "
            "sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, cwd=REPO,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "is up to date" in done.stdout
    assert done.stdout.strip().endswith("[]")  # nothing of the pipeline was imported


def test_a_no_op_build_still_prints_the_last_builds_warnings(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": "---\ntitle: Undated\n---\n\nText.\n"})
    first = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project)],
                           capture_output=True, text=True, timeout=60)
    assert "no date" in first.stderr
    _wait_saved(project)
    _settle()
    again = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project)],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "is up to date" in again.stdout
    assert again.stderr == first.stderr


def test_a_card_that_cannot_be_drawn_while_search_runs_leaves_the_last_site(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    _build(project)
    before = snapshot(project / "site")
    (project / "content/articles/b.md").write_text(article("Another report", "More text."), "utf-8")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(imaging, "share_card", broken)
    assert main(["--project", str(project), "build"]) == 1
    assert snapshot(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]  # no temporary folder left
    assert not _pagefind_running(project)


def _pagefind_running(project: Path) -> bool:
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/cmdline", "rb") as handle:
                    command = handle.read()
            except OSError:
                continue
            if b"pagefind" in command and str(project).encode() in command:
                return True
    return False


def test_a_teaser_is_everything_an_article_has_but_its_text():
    """Pages that list an article hold its teaser; a field added to Article and forgotten there
    would be missing from every card, backlink and related link."""
    from dataclasses import fields

    from microsite.model import Article, Teaser
    assert {f.name for f in fields(Article)} - {f.name for f in fields(Teaser)} == {"body", "source"}
    assert {f.name for f in fields(Teaser)} <= {f.name for f in fields(Article)}


def test_a_template_asking_a_listed_report_for_its_text_gets_a_clear_error(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.", date="2021-10-05")})
    cards = project / "templates" / "_article_cards.html"
    cards.write_text(cards.read_text("utf-8").replace("<h3", "{{ item.body }}<h3", 1), "utf-8")
    result = cli(project, "build")
    assert result.status == 1 and "Traceback" not in result.err
    assert "templates/_article_cards.html:5: template error:" in result.err
    assert "has each one's front matter, not its text" in result.err


@pytest.fixture
def large(tmp_path) -> Path:
    return write_project(tmp_path / "site", 120, 16, seed=5)


def test_a_body_edit_renders_again_only_the_pages_whose_bytes_change(large, tmp_path, monkeypatch):
    builder = Builder(large, tmp_path / "preview", configure=with_drafts, search=False, in_place=True,
                      save_every_build=False)
    builder.build()
    before = snapshot(tmp_path / "preview")
    rendered: list[str] = []
    real = render._render

    def recording(env, project, name, context):
        rendered.append(context["page_url"])
        return real(env, project, name, context)

    monkeypatch.setattr(render, "_render", recording)
    target = sorted((large / "content" / "articles").glob("*.md"))[7]
    target.write_text(target.read_text("utf-8").replace("\n\n", "\n\nOne sentence more.\n\n", 1), "utf-8")
    builder.build()
    url = f"/articles/{target.stem}/"
    assert url in rendered
    assert "/sources/" not in rendered  # it lists every report, but nothing it shows changed
    assert "/articles/" not in rendered
    # Only pages whose bytes change are rendered: the article itself, not the pages that list
    # it, quote it elsewhere or link to it as a neighbour or related report (their teasers).
    after = snapshot(tmp_path / "preview")
    changed = {"/" + name.removesuffix("index.html") for name, data in after.items()
               if name.endswith(".html") and before.get(name) != data}
    assert sorted(rendered) == sorted(changed) == [url]
    fresh = tmp_path / "fresh"
    assert main(["--project", str(large), "build", "--drafts", "--no-cache", "--out", str(fresh)]) == 0
    preview = {k: v for k, v in snapshot(tmp_path / "preview").items() if not k.startswith("pagefind/")}
    assert preview == {k: v for k, v in snapshot(fresh).items() if not k.startswith("pagefind/")}


def test_conversions_made_in_workers_are_known_by_identity_in_the_next_builds(large, tmp_path, monkeypatch):
    """A body converted in a worker process comes back with a copy of its inputs; it is kept
    with its job's own, so the next builds check each kept body by identity instead of
    comparing its text again (17 ms of every rebuild in serve at 5,000 articles, where the
    first build converts on every core)."""
    real = markup.parallel_map

    def as_from_workers(func, count, progress=None):
        return [pickle.loads(pickle.dumps(made)) for made in real(func, count, progress)]

    monkeypatch.setattr(markup, "parallel_map", as_from_workers)
    builder = Builder(large, tmp_path / "preview", configure=with_drafts, search=False, in_place=True,
                      save_every_build=False)
    builder.build()
    cache = builder.convert_cache
    assert all(cache.entries[name].key is job.key for name, (_, _, job) in cache.jobs.items())
    target = sorted((large / "content" / "articles").glob("*.md"))[3]
    for n in range(2):
        target.write_text(target.read_text("utf-8") + f"\nEdit {n}.\n", "utf-8")
        assert builder.build().converted <= 2  # its page (and feed entry, if it has one): nothing else
        assert all(cache.entries[name].key is job.key for name, (_, _, job) in cache.jobs.items())


def test_a_kept_conversion_is_checked_again_once_what_its_links_point_at_changes(tmp_path):
    """While the files and pages of the site stay the same, kept bodies' links are not looked
    up again; once one of them goes, the body linking to it is reported, in the same process."""
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A", "See [the other report](b.md)."),
        "content/articles/b.md": article("B", "Text."),
        "content/articles/c.md": article("C", "Text."),
    })
    builder = Builder(project, tmp_path / "preview", configure=with_drafts, search=False, in_place=True,
                      save_every_build=False)
    builder.build()
    (project / "content/articles/c.md").write_text(article("C", "Other text."), "utf-8")
    assert builder.build().converted == 2  # its page and its feed entry
    (project / "content/articles/b.md").unlink()
    with pytest.raises(ProjectError) as failed:
        builder.build()
    assert any(p.path == "content/articles/a.md" and "b.md" in p.message for p in failed.value.problems)
