"""Cross-links in the built seed site, checked on the HTML a reader gets."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import pytest

from conftest import REPO, copy_seed_project, snapshot

REQUIRED_PEOPLE = ["yulia-peresild", "klim-shipenko", "anton-shkaplerov", "oleg-novitsky", "pyotr-dubrov",
                   "dmitry-rogozin", "dmitry-peskov", "konstantin-ernst", "tom-cruise", "elon-musk"]
REQUIRED_TOPICS = ["the-challenge", "soyuz-ms-19", "international-space-station", "roscosmos",
                   "baikonur-cosmodrome", "nasa", "spacex", "channel-one"]


class Body(HTMLParser):
    """Text runs of an article body in document order, with where each run sits."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.runs: list[tuple[str, str | None, bool]] = []  # (text, entity link href, in heading/code)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        tags = [t for t, _ in self.stack]
        inside = "a" in tags or any(t in tags for t in ("h1", "h2", "h3", "h4", "code", "pre"))
        if tag == "a" and attrs.get("class") == "entity" and inside:
            self.problems.append(f"entity link inside {tags}")
        if tag not in ("br", "img", "hr", "input", "meta", "link"):
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        href = next((a.get("href") for t, a in self.stack if t == "a" and a.get("class") == "entity"), None)
        plain_link = any(t == "a" and a.get("class") != "entity" for t, a in self.stack)
        unlinkable = plain_link or any(t in tags for t in ("h1", "h2", "h3", "h4", "code", "pre"))
        self.runs.append((data, href, unlinkable))


def body_of(page: str) -> Body:
    """The article body: the element with class "body", up to its closing tag."""
    start = re.search(r'<div class="body[" ][^>]*>', page).end()
    depth, position = 1, start
    for tag in re.finditer(r"<(/?)div\b[^>]*>", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            position = start + tag.start()
            break
    parser = Body()
    parser.feed(page[start:position])
    return parser


def aliases_of(slug: str) -> list[str]:
    for folder in ("people", "topics"):
        path = REPO / "content" / folder / f"{slug}.md"
        if path.exists():
            meta = frontmatter.load(path).metadata
            return sorted({meta["name"], *meta.get("aliases", [])}, key=len, reverse=True)
    raise AssertionError(f"no entity {slug}")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("seed")
    copy_seed_project(root)
    from microsite.cli import main

    assert main(["--project", str(root), "build"]) == 0
    return root


def article_pages(site: Path) -> dict[str, str]:
    return {p.parent.name: p.read_text("utf-8") for p in sorted((site / "articles").glob("*/index.html"))}


def test_required_entity_pages_exist(built):
    for slug in REQUIRED_PEOPLE:
        assert (built / "site/people" / slug / "index.html").is_file(), slug
    for slug in REQUIRED_TOPICS:
        assert (built / "site/topics" / slug / "index.html").is_file(), slug


@pytest.mark.parametrize("slug", REQUIRED_PEOPLE + REQUIRED_TOPICS)
def test_first_mention_in_each_article_links_to_the_entity(built, slug):
    folder = "people" if slug in REQUIRED_PEOPLE else "topics"
    target = f"/{folder}/{slug}/"
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, aliases_of(slug))) + r")(?![\w]|-\w)")
    mentioned_somewhere = False
    for name, page in article_pages(built / "site").items():
        body = body_of(page)
        assert body.problems == [], name
        links = [(text, href) for text, href, _ in body.runs if href == target]
        first = next(((text, href) for text, href, unlinkable in body.runs
                      if not unlinkable and (href == target or (href is None and pattern.search(text)))), None)
        if first is None:
            assert links == [], f"{name} links {slug} without naming it"
            continue
        mentioned_somewhere = True
        assert first[1] == target, f"first mention of {slug} in {name} is not linked: {first[0]!r}"
        assert len(links) == 1, f"{name} links {slug} {len(links)} times"
    assert mentioned_somewhere


def test_no_entity_page_links_to_itself(built):
    for folder in ("people", "topics"):
        for page in sorted((built / "site" / folder).glob("*/index.html")):
            own = f'href="/{folder}/{page.parent.name}/"'
            main = page.read_text("utf-8").split("<main", 1)[1]
            assert own not in main, page


def test_entity_pages_list_every_article_that_mentions_them_with_snippets(built):
    pages = article_pages(built / "site")
    for slug in REQUIRED_PEOPLE + REQUIRED_TOPICS:
        folder = "people" if slug in REQUIRED_PEOPLE else "topics"
        entity_page = (built / "site" / folder / slug / "index.html").read_text("utf-8")
        listed = set(re.findall(r'<li>\s*<a href="/articles/([^/]+)/">', entity_page.split('id="mentions-title"')[1]))
        linking = {name for name, page in pages.items() if f'class="entity" href="/{folder}/{slug}/"' in page}
        assert linking <= listed, slug
        assert entity_page.count('<blockquote class="snippet">') >= len(linking), slug


def test_director_page_shows_each_spelling_by_source(built):
    """One list of reports, each with the spellings it used and the notes that cite it."""
    page = (built / "site/people/klim-shipenko/index.html").read_text("utf-8")
    listing = page.split('id="mentions-title"')[1].split("</ol>")[0]
    rows = {slug: re.findall(r"<q>([^<]*)</q>", meta) for slug, meta in re.findall(
        r'<li>\s*<a href="/articles/([^/]+)/">[^<]*</a>\s*<span class="meta">(.*?)</span>\s*<', listing, re.S)}
    assert rows["russian-actress-and-director-fly-to-iss"] == ["Chipenko", "Klim Chipenko"]
    assert rows["actor-and-director-launched-to-make-first-film-in-cosmos"] == ["Klim Shipenko", "Klimenko", "Shipenko"]
    assert "<mark>Klim Chipenko</mark>" in page
    assert 'id="spellings-title"' not in page  # said once, in the list
    assert re.search(r'cited in note <a class="note-link" href="#fn:\d+">\d+</a>', listing)


def test_new_entity_page_links_existing_seed_articles_unchanged(tmp_path):
    from microsite.cli import main

    root = tmp_path / "seed"
    copy_seed_project(root)
    (root / "content/people/konstantin-kalachev.md").unlink()
    assert main(["--project", str(root), "build"]) == 0
    article = root / "site/articles/russian-actress-and-director-fly-to-iss/index.html"
    assert "/people/konstantin-kalachev/" not in article.read_text("utf-8")
    articles_before = snapshot(root / "content/articles")
    (root / "content/people/konstantin-kalachev.md").write_text(
        "---\nname: Konstantin Kalachev\naliases:\n- Kalachev\nrole: Commentators and journalists\n---\n\n"
        "A political analyst.\n", "utf-8")
    assert main(["--project", str(root), "build"]) == 0
    assert ('<a class="entity" href="/people/konstantin-kalachev/">Konstantin Kalachev</a> told AFP'
            in article.read_text("utf-8").replace('<a class="entity" href="/topics/agence-france-presse/">AFP</a>',
                                                  "AFP"))
    assert snapshot(root / "content/articles") == articles_before
