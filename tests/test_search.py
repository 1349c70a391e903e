"""The search stage's own contract: how Pagefind is run, and that how it is run changes nothing
in the index it writes."""

from __future__ import annotations

from pathlib import Path

from conftest import article, make_project, run_script, snapshot
from microsite.search import PAGEFIND_MALLOC_CONF, index_site, pagefind_environment


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
