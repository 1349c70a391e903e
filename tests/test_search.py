"""The search stage's own contract: how Pagefind is run, and that how it is run changes nothing
in the index it writes."""

from __future__ import annotations

from pathlib import Path

import microsite.parallel as parallel
from conftest import article, make_project, run_script, snapshot
from microsite.search import PAGEFIND_MALLOC_CONF, index_site, pagefind_environment, search_key


def test_pagefind_gets_the_tuned_allocator_unless_the_user_set_one():
    assert pagefind_environment({"PATH": "/bin"}) == {"PATH": "/bin", "_RJEM_MALLOC_CONF": PAGEFIND_MALLOC_CONF}
    # Someone who tuned jemalloc for their machine keeps their setting.
    assert pagefind_environment({"_RJEM_MALLOC_CONF": "narenas:1"})["_RJEM_MALLOC_CONF"] == "narenas:1"


def test_the_allocator_setting_leaves_the_index_byte_identical(tmp_path: Path, monkeypatch):
    bodies = [f"Mission note {n}: Klimenko and Peresild rehearse scene {n} aboard the station." for n in range(12)]
    project = make_project(tmp_path / "p", {f"content/articles/note-{n}.md": article(f"Note {n}", body,
                                                                                     date=f"2021-10-{n + 5:02d}")
                                            for n, body in enumerate(bodies)})
    assert run_script(project, "build").status == 0
    site = project / "site"
    index_site(site, "en", output=tmp_path / "tuned")
    # jemalloc's own defaults, as Pagefind ran before the setting was added.
    monkeypatch.setenv("_RJEM_MALLOC_CONF", "dirty_decay_ms:10000,muzzy_decay_ms:0")
    index_site(site, "en", output=tmp_path / "default")
    tuned, default = snapshot(tmp_path / "tuned"), snapshot(tmp_path / "default")
    assert any(name.startswith("fragment/") for name in tuned)
    assert tuned == default == snapshot(site / "pagefind")


def _pages(count: int, text: str = "Orbit") -> list[tuple[str, bytes]]:
    page = '<header>x</header><main class="c{i}"><p id="p{i}">{text} {i}</p></main>'
    pages = [(f"articles/a{i}/index.html", page.format(i=i, text=text).encode()) for i in range(count)]
    return [*pages, ("card.jpg", b"\xff\xd8"), ("feed.xml", b"<feed/>")]


def test_the_search_key_is_the_same_on_any_number_of_cores(monkeypatch):
    pages = _pages(200)  # enough to be shared out among workers
    shared = search_key(pages)
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    assert search_key(pages) == shared


def test_the_search_key_follows_what_pagefind_reads_only():
    key = search_key(_pages(70))
    restyled = [(path, data.replace(b'class="c', b'class="d').replace(b"<header>x", b"<header>y"))
                for path, data in _pages(70)]
    assert search_key(restyled) == key  # a class and the header: not indexed
    assert search_key(_pages(70, "Soyuz")) != key  # the text
    renamed = [(path.replace("a69", "b69"), data) for path, data in _pages(70)]
    assert search_key(renamed) != key  # an address
