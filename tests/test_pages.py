"""What every page carries (metadata, JSON-LD, local assets) and what the home page is made of."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import article, copy_seed_project, make_project
from microsite.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("seed")
    copy_seed_project(root)
    assert main(["--project", str(root), "build", "--base-url", "https://example.github.io/first-film/"]) == 0
    return root / "site"


class Head(HTMLParser):
    """Meta tags, links, scripts and JSON-LD of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.scripts: list[dict] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self.scripts.append(attrs)
            self._in_jsonld = attrs.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(data)


def head_of(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text("utf-8"))
    return parser


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def test_every_page_has_canonical_open_graph_twitter_and_json_ld(built):
    for page in pages(built):
        head = head_of(page)
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert len(canonical) == 1 and canonical[0].startswith("https://example.github.io/first-film/"), page
        for key in ("description", "og:title", "og:description", "og:url", "og:type", "og:image",
                    "twitter:card", "twitter:title", "twitter:image"):
            assert head.meta.get(key), f"{page}: no {key}"
        assert head.meta["og:url"] == canonical[0]
        # the page's own card; the 404 page, never shared, keeps the site's
        # (further pages of a list share the first page's)
        folder = re.sub(r"(^|/)page/\d+$", "", page.parent.relative_to(built).as_posix()).strip(".")
        card = "https://example.github.io/first-film/" + ("assets/social-card." if page.name == "404.html"
                                                          else f"{folder}/card.jpg".lstrip("/"))
        assert head.meta["og:image"].startswith(card), page
        assert len(head.jsonld) == 1, page
        data = json.loads(head.jsonld[0])
        assert data["@context"] == "https://schema.org"


def test_json_ld_types_for_articles_people_and_topics(built):
    article_data = json.loads(head_of(built / "articles/russian-crew-blasts-off-to-film-first-film-in-space"
                                      / "index.html").jsonld[0])
    assert article_data["@type"] == "NewsArticle"
    assert article_data["datePublished"] == "2021-10-05"
    assert {"@type": "Person", "name": "Klim Shipenko",
            "url": "https://example.github.io/first-film/people/klim-shipenko/"} in article_data["mentions"]
    person = json.loads(head_of(built / "people/klim-shipenko/index.html").jsonld[0])
    assert person["@type"] == "Person"
    assert "Chipenko" in person["alternateName"]
    assert json.loads(head_of(built / "topics/roscosmos/index.html").jsonld[0])["@type"] == "Organization"
    assert json.loads(head_of(built / "index.html").jsonld[0])["@type"] == "WebSite"


def test_json_ld_cannot_be_broken_out_of(tmp_path, cli):
    title = "Bad </script><script>alert(1)</script> & co"
    project = make_project(tmp_path / "p", {"content/articles/a.md": article(f'"{title}"')})
    assert cli(project, "build").status == 0
    html = (project / "site/articles/a/index.html").read_text("utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</script" not in block and "<" not in block
    assert json.loads(block)["headline"] == title
    assert html.count("<script") == 1  # the JSON-LD block, nothing injected


def test_nothing_is_loaded_from_other_hosts(built):
    for page in pages(built):
        head = head_of(page)
        for script in head.scripts:
            assert not script.get("src", "").startswith(("http:", "https:", "//")), page
        for link in head.links:
            if link.get("rel") in ("stylesheet", "preload", "icon", "modulepreload"):
                assert link["href"].startswith("/first-film/"), (page, link)
    for css in (built / "assets").glob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text("utf-8")), css
        assert "@import" not in css.read_text("utf-8")


def test_assets_are_fingerprinted_and_css_points_at_fingerprinted_fonts(built):
    names = sorted(p.name for p in (built / "assets").rglob("*") if p.is_file())
    assert all(re.search(r"\.[0-9a-f]{10}\.\w+$", name) for name in names), names
    css = next((built / "assets").glob("style.*.css")).read_text("utf-8")
    font = re.search(r'url\("(fonts/space-grotesk-latin-wght-normal\.[0-9a-f]{10}\.woff2)"\)', css).group(1)
    assert (built / "assets" / font).is_file()
    assert "@media print" in css and "prefers-color-scheme: dark" in css


def test_changing_an_asset_changes_its_name(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A")})
    assert cli(project, "build").status == 0
    before = {p.name for p in (project / "site/assets").glob("style.*.css")}
    css = project / "templates/assets/style.css"
    css.write_text(css.read_text("utf-8") + "\n/* changed */\n", "utf-8")
    assert cli(project, "build").status == 0
    after = {p.name for p in (project / "site/assets").glob("style.*.css")}
    assert before and after and before.isdisjoint(after)


def test_home_page_tells_the_story_from_editor_content(built):
    home = (built / "index.html").read_text("utf-8")
    for fact in ("Crew", "Spacecraft", "Launch", "Docking", "Stay", "Return", "The film"):
        assert f"<dt>{fact}</dt>" in home
    assert "08:55 GMT" in home and "Baikonur Cosmodrome" in home and "17 October" in home
    assert "automated docking system malfunctioned" in home and "12 days" in home
    assert '<ol class="timeline">' in home and home.count('<li class="card">') == 5


def test_timeline_comes_from_content_not_the_template(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A"),
        "content/timeline.md": "---\ntitle: Timeline\nevents:\n- date: 2021-10-05\n  time: 08:55 GMT\n"
                               "  title: An editor's event\n  text: Written by *hand*.\n  sources: [a]\n---\n",
    })
    assert cli(project, "build").status == 0
    home = (project / "site/index.html").read_text("utf-8")
    assert "<h3>An editor&#39;s event</h3>" in home and "Written by <em>hand</em>." in home
    assert '<time datetime="2021-10-05">5 October 2021 · 08:55 GMT</time>' in home


@pytest.mark.parametrize("value, shown", [
    ("*The Challenge*: a doctor", "<em>The Challenge</em>: a doctor"),  # emphasis, not a list
    ("> 400 km up", "&gt; 400 km up"),  # not a quote
    ("- 5 degrees", "- 5 degrees"),  # not a list
    ("1. stage", "1. stage"),  # not a numbered list
    ("# of crew: 3", "# of crew: 3"),  # not a heading
    ("---", "---"),  # not a rule
])
def test_facts_and_events_are_one_paragraph_of_inline_markdown(tmp_path, cli, value, shown):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A", date="2021-10-05"),
        "content/home.md": f"---\ntitle: Home\nfacts:\n- label: Fact\n  value: {json.dumps(value)}\n---\n\nHome.\n",
        "content/timeline.md": f"---\ntitle: T\nevents:\n- date: 2021-10-05\n  title: E\n  text: {json.dumps(value)}\n"
                               "---\n",
    })
    assert cli(project, "build").status == 0
    home = (project / "site/index.html").read_text("utf-8")
    assert f"<dd>{shown}" in home and f"<p>{shown}</p>" in home


def test_timeline_event_without_a_date_is_an_error_with_its_line(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A", date="2021-10-05"),
        "content/timeline.md": "---\ntitle: T\nevents:\n- date: 2021-10-05\n  title: Fine\n- title: No date\n---\n",
    })
    result = cli(project, "check")
    assert result.status == 1
    assert result.err == (
        "content/timeline.md:6: 'events' item 2: missing 'date' (fields: date, time, title, text, sources)\n"
        "check: 1 error(s), 0 warning(s)\n")


def test_fact_citing_a_missing_article_is_a_warning_with_its_line(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A", date="2021-10-05"),
        "content/home.md": "---\ntitle: H\nfacts:\n- label: Crew\n  value: Three\n  sources: [nope]\n---\n",
    })
    result = cli(project, "check")
    assert result.status == 0
    assert result.err == (
        "content/home.md:4: warning: facts: item 1 cites the article 'nope', which does not exist; the citation "
        "is left out\n  hint: use the article's slug, its file name without .md\n")
    assert result.out == "check: 0 error(s), 1 warning(s)\n"


def test_search_can_index_titles_and_names_only(tmp_path, cli):
    pyproject = '[tool.microsite]\ntitle = "T"\nbase_url = "https://example.org/"\nsearch = "titles"\n'
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A report", "Long text that search leaves out.", date="2021-10-05"),
        "content/people/klim-shipenko.md": "---\nname: Klim Shipenko\naliases: [Chipenko]\n---\n\nBody.\n",
    }, pyproject=pyproject)
    assert cli(project, "build").status == 0
    page = (project / "site/articles/a/index.html").read_text("utf-8")
    assert '<article class="story">' in page and '<header class="page-head measure" data-pagefind-body>' in page
    person = (project / "site/people/klim-shipenko/index.html").read_text("utf-8")
    assert '<header class="page-head entity-head measure" data-pagefind-body>' in person
    assert "Chipenko" in person.split("data-pagefind-body>", 1)[1].split("</header>", 1)[0]


def test_search_can_be_turned_off(tmp_path, cli):
    """No index, no search page, and no page that points to one: a reader never meets a dead link."""
    pyproject = '[tool.microsite]\ntitle = "T"\nbase_url = "https://example.org/sub/"\nsearch = "off"\n'
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A report", "Klim Shipenko filmed in orbit.", date="2021-10-05"),
        "content/people/klim-shipenko.md": "---\nname: Klim Shipenko\n---\n\nBody.\n",
    }, pyproject=pyproject)
    assert cli(project, "build").status == 0
    site = project / "site"
    assert not (site / "pagefind").exists() and not (site / "search").exists()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text("utf-8")
        assert "/search/" not in html and "/pagefind/" not in html, page  # (data-pagefind-* marks are inert)
    assert "/search/" not in (site / "sitemap.xml").read_text("utf-8")
    assert (site / "articles/a/index.html").exists()
    assert "Try the home page." in (site / "404.html").read_text("utf-8")
    assert cli(project, "check").status == 0


@pytest.mark.parametrize("setting, status", [("", 0), ('search = "off"\n', 1)])
def test_a_link_to_the_search_page_is_checked_against_the_setting(tmp_path, cli, setting, status):
    """With search off there is no /search/ page, so an editor's link to it is a dead link."""
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A report", "See [the search](/search/) page.", date="2021-10-05"),
    }, pyproject='[tool.microsite]\ntitle = "T"\n' + setting)
    result = cli(project, "build")
    assert result.status == status
    if status:
        assert "content/articles/a.md:6: links to /search/, which is not a page of this site" in result.err


def test_unknown_search_setting_is_an_error(tmp_path, cli):
    project = make_project(tmp_path / "p", pyproject='[tool.microsite]\nsearch = "everything"\n')
    result = cli(project, "build")
    assert result.status == 1
    assert result.err == ("pyproject.toml:2: [tool.microsite] search must be \"full\", \"titles\" or \"off\"\n"
                          "  hint: got 'everything'\n")
