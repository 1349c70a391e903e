"""Rename and delete without breaking the site (issue 15, items 1 and 2): mv rewrites every
link and redirects the old address; a rename by hand gets a hint; rm lists what cites a
page and, with --unlink, leaves a site that builds clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import article, copy_seed_project, make_project, snapshot

OLD = "content/articles/russian-actress-and-director-fly-to-iss.md"
NEW = "content/articles/afp-launch-report.md"


def files_citing(project: Path, name: str) -> list[str]:
    return sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*.md")
                  if name in p.read_text("utf-8"))


@pytest.fixture
def seed_project(tmp_path) -> Path:
    return copy_seed_project(tmp_path / "seed")


def test_mv_renames_an_article_thirty_files_cite_and_the_site_equals_a_clean_build(seed_project, cli, tmp_path):
    citing = files_citing(seed_project, "russian-actress-and-director-fly-to-iss")
    assert len(citing) >= 30
    assert cli(seed_project, "build").status == 0
    result = cli(seed_project, "mv", OLD, NEW)
    assert result.status == 0, result.err
    assert not (seed_project / OLD).exists() and (seed_project / NEW).is_file()
    assert files_citing(seed_project, "russian-actress-and-director-fly-to-iss.md") == []
    assert files_citing(seed_project, "russian-actress-and-director-fly-to-iss") == [NEW]  # its redirect_from
    assert 'article = "content/articles/afp-launch-report.md"' in (seed_project / "seeds/imported.toml").read_text()
    checked = cli(seed_project, "check")
    assert checked.status == 0 and "0 error(s), 0 warning(s)" in checked.out
    assert cli(seed_project, "build").status == 0
    assert cli(seed_project, "build", "--no-cache", "--out", str(tmp_path / "clean")).status == 0
    site = seed_project / "site"
    assert snapshot(site) == snapshot(tmp_path / "clean")  # the rebuild is what a clean build makes
    redirect = (site / "articles/russian-actress-and-director-fly-to-iss/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/articles/afp-launch-report/">' in redirect
    assert '<link rel="canonical" href="http://127.0.0.1:8000/articles/afp-launch-report/">' in redirect
    assert '<meta name="robots" content="noindex">' in redirect
    assert "russian-actress-and-director-fly-to-iss" not in (site / "sitemap.xml").read_text("utf-8")
    links = [html for p in site.rglob("*.html") if "fly-to-iss" not in p.as_posix()
             for html in re.findall(r'href="([^"]+)"', p.read_text("utf-8"))]
    assert not [h for h in links if "russian-actress-and-director-fly-to-iss" in h]
    assert sum("/articles/afp-launch-report/" in h for h in links) >= 30


def test_mv_dry_run_shows_diffs_and_writes_nothing(seed_project, cli):
    before = snapshot(seed_project)
    result = cli(seed_project, "mv", OLD, NEW, "--dry-run")
    assert result.status == 0
    assert f"rename {OLD} -> {NEW}" in result.out
    assert "+- /articles/russian-actress-and-director-fly-to-iss/" in result.out
    assert "+[^2]: [Russian actress" in result.out and "dry run: nothing was written" in result.out
    assert snapshot(seed_project) == before


def test_a_rename_by_hand_gets_the_command_that_fixes_every_link(seed_project, cli):
    (seed_project / OLD).rename(seed_project / NEW)
    result = cli(seed_project, "check")
    assert result.status == 1
    assert (f"hint: {OLD} was renamed to {NEW}, it seems: python build.py mv {OLD} {NEW} rewrites every link to it"
            in result.err)
    fixed = cli(seed_project, "mv", OLD, NEW)
    assert fixed.status == 0 and "renamed to content/articles/afp-launch-report.md already" in fixed.out
    assert cli(seed_project, "check").status == 0


def test_mv_renames_a_person_in_the_slugs_articles_cite(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/people/klim.md": "---\nname: Klim Shipenko\naliases: [Klimenko]\n---\n\nThe director.\n",
        "content/articles/a.md": article("A", "The director spoke.", date="2021-10-05", people="[klim]"),
        "content/articles/b.md": "---\ntitle: B\ndate: 2021-10-05\npeople:\n- klim\nlinks:\n  Klimenko: klim\n---\n\n"
                                 "Klimenko filmed. See [him](../people/klim.md) and [his page](/people/klim/).\n",
    })
    result = cli(project, "mv", "content/people/klim.md", "content/people/klim-shipenko.md")
    assert result.status == 0, result.err
    a = (project / "content/articles/a.md").read_text("utf-8")
    b = (project / "content/articles/b.md").read_text("utf-8")
    assert "people: [klim-shipenko]" in a
    assert "- klim-shipenko\n" in b and "Klimenko: klim-shipenko" in b
    assert "(../people/klim-shipenko.md)" in b and "(/people/klim-shipenko/)" in b
    assert cli(project, "build").status == 0
    assert (project / "site/people/klim/index.html").read_text("utf-8").count("/people/klim-shipenko/") >= 2


@pytest.mark.parametrize(("old", "new", "message"), [
    (OLD, "content/articles/filmmaker-and-actress-join-cosmonaut-for-first-film-in-orbit.md", "exists already"),
    (OLD, "content/people/afp.md", "a page keeps its kind"),
    (OLD, "content/articles/Bad Name.md", "lower-case letters, digits and hyphens"),
    ("content/articles/nothing-here.md", NEW, "does not exist"),
    ("README.md", NEW, "is not a content page"),
])
def test_mv_refuses_what_it_cannot_do_and_changes_nothing(seed_project, cli, old, new, message):
    before = snapshot(seed_project)
    result = cli(seed_project, "mv", old, new)
    assert result.status == 2 and message in result.err
    assert snapshot(seed_project) == before


def test_rm_of_a_cited_article_lists_what_cites_it_and_keeps_it(seed_project, cli):
    before = snapshot(seed_project)
    result = cli(seed_project, "rm", OLD)
    assert result.status == 1
    assert "content/home.md:" in result.err and "cites it by its slug" in result.err
    assert "content/people/yulia-peresild.md:" in result.err and "links to it" in result.err
    assert f"python build.py rm {OLD} --unlink" in result.err
    assert snapshot(seed_project) == before


def test_rm_unlink_leaves_a_site_that_builds_clean_and_the_seed_stays_out(seed_project, cli):
    result = cli(seed_project, "rm", OLD, "--unlink")
    assert result.status == 0, result.err
    assert not (seed_project / OLD).exists()
    assert files_citing(seed_project, "russian-actress-and-director-fly-to-iss") == []
    notes = (seed_project / "content/people/yulia-peresild.md").read_text("utf-8")
    assert "[^3]: Russian actress and director fly to the ISS to shoot the first film in space" in notes
    checked = cli(seed_project, "check")
    assert checked.status == 0 and "0 error(s), 0 warning(s)" in checked.out
    built = cli(seed_project, "build")
    assert built.status == 0 and "imported" not in built.out  # the deleted article's seed is not imported again
    assert len(list((seed_project / "content/articles").glob("*.md"))) == 4


def test_a_redirect_may_not_take_the_address_of_a_page(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A", "Text.", date="2021-10-05", redirect_from="[/articles/b/]"),
        "content/articles/b.md": article("B", "Text.", date="2021-10-05"),
        "content/articles/c.md": article("C", "Text.", date="2021-10-05", redirect_from="[https://x.org/]"),
    })
    result = cli(project, "check")
    assert result.status == 1
    assert "content/articles/a.md:4: redirect_from: /articles/b/ is the address of content/articles/b.md" in result.err
    assert "content/articles/c.md:4: 'redirect_from' item 1 must be an old address of a page of this site" in result.err


@pytest.mark.parametrize(("value", "message"), [
    ("[/index.html]", "'redirect_from' item 1 must be an old address of a page of this site"),
    ("[/about/index.html]", "redirect_from: /about/ is the address of content/pages/about.md"),
    ("[/About/]", "redirect_from: /About/ is the address of content/pages/about.md"),
    ("[/people/laika/]", "redirect_from: /people/laika/ is the address of content/people/laika.md"),
    ("[/assets/x/]", "redirect_from: /assets/x/ is the address of the generator's folder /assets/"),
    ("[/feed.xml]", "'redirect_from' item 1 must be an old address of a page of this site"),
    ("[/people/laika/card.jpg]", "'redirect_from' item 1 must be an old address of a page of this site"),
    ("['/x/../etc/']", "'redirect_from' item 1 must be an old address of a page of this site"),
])
def test_a_redirect_never_replaces_a_page_or_a_file_the_build_writes(tmp_path, cli, value, message):
    project = make_project(tmp_path / "p", {
        "content/pages/about.md": "---\ntitle: About\n---\n\nText.\n",
        "content/people/laika.md": "---\nname: Laika\n---\n\nThe dog.\n",
        "content/articles/a.md": article("A", "Text.", date="2021-10-05", redirect_from=value),
    })
    result = cli(project, "build")
    assert result.status == 1 and message in result.err, result.err


def small_site(tmp_path, extra: dict[str, str | bytes]) -> Path:
    return make_project(tmp_path / "p", {
        "content/articles/iss.md": article("ISS", "The station.", date="2021-10-05"),
        "content/people/klim-shipenko.md": "---\nname: Klim Shipenko\n---\n\nThe director.\n",
        **extra})


def test_mv_keeps_bom_and_crlf_leaves_code_alone_and_merges_redirects(tmp_path, cli):
    body = ("See [the station](iss.md \"ISS\") and `[code](iss.md)`.\r\n\r\n```\r\n[example](iss.md)\r\n```\r\n")
    project = small_site(tmp_path, {
        "content/articles/b.md": b"\xef\xbb\xbf"
                                 + ("---\r\ntitle: B\r\ndate: 2021-10-05\r\n---\r\n\r\n" + body).encode(),
    })
    (project / "content/articles/iss.md").write_text(
        article("ISS", "The station.", date="2021-10-05", redirect_from="[/articles/older/]"), "utf-8")
    assert cli(project, "mv", "content/articles/iss.md", "station.md").status == 0  # a bare name: same folder
    data = (project / "content/articles/b.md").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    text = data.decode("utf-8-sig")
    assert '[the station](station.md "ISS")' in text
    assert "`[code](iss.md)`" in text and "[example](iss.md)" in text  # code is shown as written
    moved = (project / "content/articles/station.md").read_text("utf-8")
    assert moved.count("redirect_from") == 1 and "- /articles/older/\n- /articles/iss/\n" in moved
    assert cli(project, "check").status == 0
    # renamed back: its address now is no redirect of its own
    assert cli(project, "mv", "content/articles/station.md", "content/articles/iss.md").status == 0
    back = (project / "content/articles/iss.md").read_text("utf-8")
    assert "- /articles/station/" in back and "- /articles/iss/" not in back
    assert cli(project, "check").status == 0


def test_mv_refuses_to_rewrite_a_file_that_is_not_utf8_and_changes_nothing(tmp_path, cli):
    project = small_site(tmp_path, {
        "content/articles/latin.md": ("---\ntitle: Caf\u00e9\ndate: 2021-10-05\n---\n\nSee [it](iss.md).\n")
        .encode("cp1252")})
    before = snapshot(project)
    result = cli(project, "mv", "content/articles/iss.md", "content/articles/station.md")
    assert result.status == 2 and "content/articles/latin.md needs a change but is not saved as UTF-8" in result.err
    assert snapshot(project) == before


def test_mv_refuses_a_name_the_site_uses_for_its_own_pages(tmp_path, cli):
    project = small_site(tmp_path, {"content/pages/about.md": "---\ntitle: About\n---\n\nText.\n"})
    result = cli(project, "mv", "content/pages/about.md", "content/pages/search.md")
    assert result.status == 2 and "/search/ is the address of one of the site's own pages" in result.err


def test_rm_unlink_handles_reference_links_nested_brackets_and_links_entries(tmp_path, cli):
    project = small_site(tmp_path, {
        "content/articles/b.md": "---\ntitle: B\ndate: 2021-10-05\nlinks:\n  Klimenko: klim-shipenko\n---\n\n"
                                 "Klimenko saw the [station][iss] and "
                                 "[**a [big] one**](../people/klim-shipenko.md).\n\n"
                                 "[iss]: iss.md\n",
        "content/articles/c.md": "---\ntitle: C\ndate: 2021-10-05\npeople:\n  - klim-shipenko\n---\n\nText.\n",
        "content/home.md": "---\ntitle: Home\nfacts:\n- label: Crew\n  value: Three\n  sources:\n  - iss\n---\n\nHi.\n",
    })
    assert cli(project, "rm", "content/people/klim-shipenko.md", "--unlink").status == 0
    b = (project / "content/articles/b.md").read_text("utf-8")
    assert "**a [big] one**" in b and "klim-shipenko" not in b and "links: {}" in b
    assert "people: []" in (project / "content/articles/c.md").read_text("utf-8")
    assert cli(project, "rm", "content/articles/iss.md", "--unlink").status == 0
    b = (project / "content/articles/b.md").read_text("utf-8")
    assert "saw the station and" in b and "[iss]" not in b
    assert "sources: []" in (project / "content/home.md").read_text("utf-8")
    checked = cli(project, "check")
    assert checked.status == 0, checked.err
