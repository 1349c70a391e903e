"""What machines read: the Atom feed, the sitemap, robots.txt and the GitHub Pages workflow.

The feed, sitemap and robots.txt are checked in the site built for the domain root and
in the one built for a GitHub Pages project path: every URL in them must be absolute
and under the build's base URL. A small site of its own checks the feed's every field,
character references in bodies (which a feed carries as escaped text, never as XML
entities) and the note on a truncated source.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from browser_support import REPO, BuiltSite, require_module

from conftest import article, make_project
from microsite.cli import main
from microsite.metadata import FEED_SIZE

# The fixtures: root_site, project_site.
pytest_plugins = ["browser_support"]

SITEMAP_XSD = Path(__file__).with_name("sitemap.xsd")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"

both_sites = pytest.mark.parametrize("which", ["root", "project"])


@pytest.fixture
def site(request, which) -> BuiltSite:
    return request.getfixturevalue(f"{which}_site")


def file_for(site: BuiltSite, url: str) -> Path | None:
    """The built file a static host serves for an absolute URL under the base URL, if any."""
    if not url.startswith(site.base_url):
        return None
    rel = unquote(url[len(site.base_url):].split("#", 1)[0].split("?", 1)[0])
    path = site.path / rel / "index.html" if rel == "" or rel.endswith("/") else site.path / rel
    return path if path.is_file() else None


def article_urls(site: BuiltSite) -> set[str]:
    return {f"{site.base_url}articles/{p.parent.name}/" for p in (site.path / "articles").glob("*/index.html")}


# --------------------------------------------------------------------------- Atom feed


@both_sites
def test_feed_is_valid_atom_with_an_entry_per_article_and_absolute_urls(site):
    feedparser = require_module("feedparser")
    path = site.path / "feed.xml"
    assert path.is_file(), "no feed.xml in the built site"
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, f"feed.xml is not well-formed: {feed.get('bozo_exception')!r}"
    assert feed.version == "atom10", f"feed.xml is {feed.version!r}, not Atom 1.0"
    assert feed.feed.get("title") and feed.feed.get("updated"), "an Atom feed needs a title and updated"

    urls = [("feed id", feed.feed.get("id", ""))]
    urls += [(f"feed link rel={link.get('rel')}", link.get("href", "")) for link in feed.feed.get("links", [])]
    for entry in feed.entries:
        assert entry.get("title") and entry.get("updated"), f"an Atom entry needs a title and updated: {entry}"
        urls.append((f"entry id of {entry.title!r}", entry.get("id", "")))
        urls += [(f"entry link rel={link.get('rel')} of {entry.title!r}", link.get("href", ""))
                 for link in entry.get("links", [])]
    # rel="via" is the original report, at its outlet: absolute, and elsewhere by design.
    outside = [f"{what}: {url!r}" for what, url in urls
               if not url.startswith(site.base_url) and not (what.startswith("entry link rel=via")
                                                             and url.startswith("https://"))]
    assert outside == [], f"not absolute under {site.base_url}:\n  " + "\n  ".join(outside)

    self_links = [link.href for link in feed.feed.links if link.get("rel") == "self"]
    assert self_links == [f"{site.base_url}feed.xml"]
    entry_pages = {link.href for entry in feed.entries for link in entry.links if link.get("rel") == "alternate"}
    assert len(feed.entries) == len(article_urls(site)), "the feed should have one entry per article"
    assert entry_pages == article_urls(site)
    assert [url for url in entry_pages if file_for(site, url) is None] == []


# --------------------------------------------------------------------------- a small site's feed, field by field

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://example.org/sub/"
# Character references an editor (or a seed) may write; the feed must carry them as
# escaped text, never as the undefined XML entities "&eacute;" or "&nbsp;".
REFERENCES = "Caf&eacute; in orbit&nbsp;today &copy; Roscosmos"
SHOWN = "Café in orbit\u00a0today © Roscosmos"
NOTE = ("The source text ends here. The report we received stops mid-sentence; nothing after this point is "
        "available.")
SMALL_PYPROJECT = f"""\
[project]
name = "feed-test"
version = "0"

[tool.microsite]
title = "Feed & test"
description = "A site <for> the feed"
author = "The editors"
base_url = "{BASE}"
"""
SMALL_FILES = {
    "content/articles/cafe.md": article("Café in orbit", f"{REFERENCES}, and Klim Shipenko <b>filmed</b>.\n\n"
                                        "The report stops in the", date="2021-10-06", summary="At the café.",
                                        truncated="true"),
    "content/articles/undated.md": article("Undated report", "No date, no summary, a [link](/articles/)."),
    "content/people/klim-shipenko.md": "---\nname: Klim Shipenko\n---\n\nThe director.\n",
    "seeds/cafe-seed.txt": f"date 2021-10-07\nA seed from orbit\n\nThe seed says {REFERENCES} and more.\n",
    **{f"content/articles/old-{i:02d}.md": article(f"Old report {i}", "Text.", date=f"2021-09-{i:02d}")
       for i in range(1, FEED_SIZE - 2)},
}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """A built project of FEED_SIZE articles: one from a seed, one truncated, one undated."""
    project = make_project(tmp_path_factory.mktemp("feed") / "p", SMALL_FILES, pyproject=SMALL_PYPROJECT)
    assert main(["--project", str(project), "build"]) == 0
    return project


def strict_xml(path: Path):
    etree = require_module("lxml.etree")
    return etree.fromstring(path.read_bytes(), etree.XMLParser(recover=False, resolve_entities=False,
                                                               no_network=True))


def entry_text(entry) -> str:
    """The text a reader shows for an entry's content (its HTML, parsed)."""
    lxml_html = require_module("lxml.html")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html" and len(content) == 0, "content must be HTML as escaped text"
    return lxml_html.fragment_fromstring(content.text, create_parent="div").text_content()


def test_character_references_in_bodies_give_a_feed_every_parser_accepts(small):
    feedparser = require_module("feedparser")
    path = small / "site" / "feed.xml"
    feed = strict_xml(path)  # raises on "&eacute;" and any other undefined entity
    entries = {e.findtext(f"{ATOM}id"): e for e in feed.iter(f"{ATOM}entry")}
    for url in (f"{BASE}articles/cafe/", f"{BASE}articles/a-seed-from-orbit/"):
        assert SHOWN in entry_text(entries[url]), url
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    cafe = next(e for e in parsed.entries if e.id == f"{BASE}articles/cafe/")
    assert "Café" in cafe.content[0].value and "©" in cafe.content[0].value
    assert "\u00a0" in entry_text(entries[f"{BASE}articles/cafe/"])  # the no-break space, as a character


def test_a_truncated_source_says_so_in_its_entry_as_on_its_page(small):
    feed = strict_xml(small / "site" / "feed.xml")
    with_note = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry") if NOTE in entry_text(e)]
    assert with_note == [f"{BASE}articles/cafe/"]
    page = (small / "site" / "articles" / "cafe" / "index.html").read_text("utf-8")
    assert "<strong>The source text ends here.</strong> The report we received stops mid-sentence" in page


def test_the_feed_carries_every_field(small):
    feed = strict_xml(small / "site" / "feed.xml")
    assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "en"
    fields = {tag: feed.findtext(f"{ATOM}{tag}") for tag in ("title", "subtitle", "id", "updated", "generator")}
    assert fields == {"title": "Feed & test", "subtitle": "A site <for> the feed", "id": BASE,
                      "updated": "2021-10-07T00:00:00Z", "generator": "microsite"}
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "The editors"
    assert [dict(link.attrib) for link in feed.findall(f"{ATOM}link")] == [
        {"rel": "alternate", "type": "text/html", "href": BASE},
        {"rel": "self", "type": "application/atom+xml", "href": f"{BASE}feed.xml"}]
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == FEED_SIZE
    assert [e.findtext(f"{ATOM}id") for e in entries[:2]] == [f"{BASE}articles/a-seed-from-orbit/",
                                                               f"{BASE}articles/cafe/"]
    cafe, undated = entries[1], entries[-1]
    assert [(child.tag.removeprefix(ATOM), dict(child.attrib), child.text) for child in cafe][:-1] == [
        ("title", {}, "Café in orbit"),
        ("id", {}, f"{BASE}articles/cafe/"),
        ("link", {"rel": "alternate", "type": "text/html", "href": f"{BASE}articles/cafe/"}, None),
        ("updated", {}, "2021-10-06T00:00:00Z"),
        ("published", {}, "2021-10-06T00:00:00Z"),
        ("summary", {}, "At the café."),
        ("author", {}, "\n      "),
        ("category", {"term": "klim-shipenko", "label": "Klim Shipenko"}, None)]
    # No outlet is known for it: its author says so, rather than leave the editors as the author.
    assert cafe.findtext(f"{ATOM}author/{ATOM}name") == "Outlet not stated"
    # Links in the content are absolute: a feed reader shows it away from the site.
    assert f'<a class="entity" href="{BASE}people/klim-shipenko/">Klim Shipenko</a>' in cafe.findtext(f"{ATOM}content")
    assert "&lt;b&gt;filmed&lt;/b&gt;" in cafe.findtext(f"{ATOM}content")  # raw HTML in Markdown stays text
    # Atom wants a date on every entry: an undated article carries the feed's.
    assert undated.findtext(f"{ATOM}id") == f"{BASE}articles/undated/"
    assert undated.findtext(f"{ATOM}updated") == "2021-10-07T00:00:00Z"
    assert undated.find(f"{ATOM}published") is None and undated.find(f"{ATOM}summary") is None
    assert f'href="{BASE}articles/"' in undated.findtext(f"{ATOM}content")


def test_the_feed_keeps_the_newest_articles_only(tmp_path):
    files = {f"content/articles/a-{i:02d}.md": article(f"Report {i}", "Text.", date=f"2021-09-{i:02d}")
             for i in range(1, FEED_SIZE + 3)}
    project = make_project(tmp_path / "p", files, pyproject=SMALL_PYPROJECT)
    assert main(["--project", str(project), "build"]) == 0
    ids = [e.findtext(f"{ATOM}id") for e in strict_xml(project / "site" / "feed.xml").iter(f"{ATOM}entry")]
    assert ids == [f"{BASE}articles/a-{i:02d}/" for i in range(FEED_SIZE + 2, 2, -1)]


def test_feed_and_sitemap_are_the_same_bytes_in_every_build(small, tmp_path):
    again = tmp_path / "again"
    assert main(["--project", str(small), "build", "--no-cache", "--out", str(again)]) == 0
    for name in ("feed.xml", "sitemap.xml"):
        assert (again / name).read_bytes() == (small / "site" / name).read_bytes(), name
    assert not (REPO / "templates" / "feed.xml").exists() and not (REPO / "templates" / "sitemap.xml").exists()


def test_sitemap_gives_articles_their_date(small):
    etree = require_module("lxml.etree")
    document = strict_xml(small / "site" / "sitemap.xml")
    assert etree.XMLSchema(etree.parse(str(SITEMAP_XSD))).validate(etree.ElementTree(document))
    lastmod = {url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod")
               for url in document.iter(f"{SITEMAP_NS}url")}
    assert lastmod[f"{BASE}articles/cafe/"] == "2021-10-06"
    assert lastmod[f"{BASE}articles/undated/"] is None and lastmod[BASE] is None
    assert list(lastmod) == sorted(lastmod)


# --------------------------------------------------------------------------- sitemap


@both_sites
def test_sitemap_is_valid_and_lists_the_pages_under_the_base_url(site):
    etree = require_module("lxml.etree")
    path = site.path / "sitemap.xml"
    assert path.is_file(), "no sitemap.xml in the built site"
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    document = etree.parse(str(path))
    assert schema.validate(document), "sitemap.xml does not follow the sitemaps.org 0.9 schema:\n" + "\n".join(
        f"  line {e.line}: {e.message}" for e in schema.error_log)

    locs = [loc.text.strip() for loc in document.iter(f"{SITEMAP_NS}loc")]
    assert len(locs) == len(set(locs)), "a URL is listed twice"
    outside = [loc for loc in locs if not loc.startswith(site.base_url)]
    assert outside == [], f"not absolute under {site.base_url}: {outside}"
    missing = [loc for loc in locs if file_for(site, loc) is None]
    assert missing == [], f"listed but not in the built site: {missing}"
    not_found_page = site.path / "404.html"
    listed_404 = [loc for loc in locs if file_for(site, loc) == not_found_page or loc.endswith("404.html")]
    assert listed_404 == [], "the 404 page must not be in the sitemap"
    assert site.base_url in locs, "the home page is not in the sitemap"
    assert article_urls(site) <= set(locs), f"articles not in the sitemap: {sorted(article_urls(site) - set(locs))}"


# --------------------------------------------------------------------------- robots.txt


@both_sites
def test_robots_txt_names_the_sitemap_by_its_absolute_url(site):
    path = site.path / "robots.txt"
    assert path.is_file(), "no robots.txt in the built site"
    sitemaps = [line.split(":", 1)[1].strip() for line in path.read_text("utf-8").splitlines()
                if line.lower().startswith("sitemap:")]
    assert sitemaps == [f"{site.base_url}sitemap.xml"], f"Sitemap lines of robots.txt: {sitemaps}"


# --------------------------------------------------------------------------- GitHub Pages workflow


def test_pages_workflow_follows_the_github_workflow_schema():
    require_module("check_jsonschema")
    assert WORKFLOW.is_file(), f"{WORKFLOW.relative_to(REPO)} is missing: the site has no deployment workflow"
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(WORKFLOW)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{WORKFLOW.relative_to(REPO)} is not a valid workflow:\n{proc.stdout}{proc.stderr}"
