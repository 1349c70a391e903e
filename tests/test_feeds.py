"""What machines read: the Atom feed, the sitemap, robots.txt and the GitHub Pages workflow.

The feed, sitemap and robots.txt are checked in the site built for the domain root and
in the one built for a GitHub Pages project path: every URL in them must be absolute
and under the build's base URL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from browser_support import REPO, BuiltSite, require_module

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
    outside = [f"{what}: {url!r}" for what, url in urls if not url.startswith(site.base_url)]
    assert outside == [], f"not absolute under {site.base_url}:\n  " + "\n  ".join(outside)

    self_links = [link.href for link in feed.feed.links if link.get("rel") == "self"]
    assert self_links == [f"{site.base_url}feed.xml"]
    entry_pages = {link.href for entry in feed.entries for link in entry.links if link.get("rel") == "alternate"}
    assert len(feed.entries) == len(article_urls(site)), "the feed should have one entry per article"
    assert entry_pages == article_urls(site)
    assert [url for url in entry_pages if file_for(site, url) is None] == []


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
