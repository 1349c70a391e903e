"""Whose reports these are: the ``source:`` field, what import reads of it from a text,
the one name a report has on every page, the source card, the feed, JSON-LD and the
Sources page."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import frontmatter
import pytest

from conftest import article, copy_seed_project, make_project
from microsite.cli import main
from microsite.clipping.attribution import cited_reporting
from microsite.seeds import parse_seed

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.github.io/first-film/"


def jsonld(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --------------------------------------------------------------------------- import


@pytest.mark.parametrize(("prose", "expected"), [
    ("The analyst told AFP that the launch was a political act.", ("AFP",)),
    ("As per AP, all three were in good health.", ("AP",)),
    ("“It will help us,” AP quoted the minister as saying.", ("AP",)),
    ("He told the Tass news agency he hoped for the best.", ("TASS",)),
    ("The landing went to plan, according to the Associated Press.", ("AP",)),
    ("Reuters reported on Monday that the crew was well.", ("Reuters",)),
    ("Le cosmonaute a déclaré à l'AFP qu'il était prêt.", ("AFP",)),
    ("Selon l'AFP, le tournage a duré douze jours.", ("AFP",)),
    ("Корабль пристыковался к станции, сообщает ТАСС.", ("TASS",)),
    ("Об этом заявил РИА Новости глава агентства.", ("RIA Novosti",)),
    ("Das sagte der dpa ein Sprecher der Agentur.", ("dpa",)),
    ("La actriz dijo a EFE que estaba feliz.", ("EFE",)),
    ("It told AFP one thing, and Reuters reported another.", ("AFP", "Reuters")),
    ("Заявил он журналистам, передает РИА «Новости».", ("RIA Novosti",)),
    ("A atriz falou em sua entrevista à AFP depois do treino.", ("AFP",)),
    ("Le réalisateur, dans un entretien avec l'AFP, a parlé du film.", ("AFP",)),
])
def test_the_reporting_a_text_cites_is_found_in_several_languages(prose, expected):
    assert cited_reporting(prose) == expected


@pytest.mark.parametrize("prose", [
    "The director told reporters he was tired.",  # no agency
    "Photo: Roscosmos via Reuters",  # a picture's credit is no attribution
    "They flew per ap the usual route.",  # "ap" in lower case is no agency
    "The APEC summit said nothing of it.",  # a longer word
    "Tass is a Russian news agency founded in 1904.",  # named, not cited
])
def test_names_that_are_not_attributions_are_left_alone(prose):
    assert cited_reporting(prose) == ()


def test_a_credit_line_names_the_outlet_whose_reporting_was_used():
    assert cited_reporting("", "With reporting from Jane Roe, from CNN") == ("CNN",)


def test_import_writes_the_cited_reporting_as_the_articles_source():
    seed = ("date 2021-10-05\nCrew reaches the station\n\n"
            "The crew of three reached the station on Tuesday after a manual docking, the commander told AFP "
            "in a call from orbit.\n\n"
            "Caption: The crew before launch.\nPhoto: Space agency via Reuters\n\n"
            "They will stay for twelve days and film scenes for a feature film, officials said on Tuesday.\n")
    draft = parse_seed("crew.txt", seed.encode())
    assert draft.based_on == ("AFP",)  # the photo's Reuters credit is not the text's source
    meta = frontmatter.loads(draft.to_markdown()).metadata
    assert meta["source"] == {"based_on": ["AFP"]}


def test_the_repositorys_seeds_cite_what_their_texts_say():
    found = {p.name[:3]: parse_seed(p.name, p.read_bytes()).based_on
             for p in sorted(Path(__file__).parent.parent.joinpath("seeds").glob("*.txt"))}
    assert found == {"000": ("TASS",), "001": (), "002": ("AP",), "003": ("AFP",), "004": ("CNN",)}


# --------------------------------------------------------------------------- the field and its errors


def source_article(source: str, **meta: str) -> str:
    return article("A report", "The crew landed.", date="2021-10-17", **meta).replace(
        "---\n\n", f"source:\n{source}---\n\n", 1)


@pytest.mark.parametrize(("source", "line", "message"), [
    ("  translated: maybe\n", 5, "'source' field 'translated' must be one of machine, human, no"),
    ("  url: example.com/story\n", 5, "'source' field 'url' must be the full address of the original"),
    ("  outlet: CNN\n  outlett: CNN\n", 6, "'source' has an unknown field 'outlett'; did you mean 'outlet'?"),
    ("  language: Portuguese!\n", 5, "'source' field 'language' must be a language tag"),
    ("  based_on: {AP: 1}\n", 5, "'source' field 'based_on' must be a list of text items"),
])
def test_a_bad_source_field_is_an_error_on_its_line(tmp_path, cli, source, line, message):
    project = make_project(tmp_path / "p", {"content/articles/a.md": source_article(source)})
    result = cli(project, "check")
    assert result.status == 1
    assert f"content/articles/a.md:{line}: {message}" in result.err


def test_a_source_that_is_not_a_mapping_says_how_to_write_one(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", source="CNN")})
    result = cli(project, "check")
    assert result.status == 1 and "'source' must be a mapping of fields, e.g. 'outlet: CNN Brasil'" in result.err


# --------------------------------------------------------------------------- one name per report


def built_pages(tmp_path, cli, files) -> Path:
    project = make_project(tmp_path / "p", files)
    result = cli(project, "build")
    assert result.status == 0, result.err
    return project


def test_a_report_is_named_by_its_outlet_with_its_date_only_when_the_outlet_has_several(tmp_path, cli):
    project = built_pages(tmp_path, cli, {
        "content/articles/a.md": source_article("  outlet: Daily Orbit\n"),
        "content/articles/b.md": article("B", "Text.", date="2021-10-05").replace(
            "---\n\n", "source:\n  outlet: Wire One\n---\n\n", 1),
        "content/articles/c.md": article("C", "Text.", date="2021-10-06").replace(
            "---\n\n", "source:\n  outlet: Wire One\n---\n\n", 1),
        "content/articles/d.md": article("Nobody's report", "Text."),
        "content/articles/e.md": article("E", "Text.", label="The editors' name"),
    })
    listing = (project / "site" / "articles" / "index.html").read_text("utf-8")
    labels = dict(re.findall(r'<a href="/articles/(\w)/">.*?<span class="report-label">(.*?)</span>', listing, re.S))
    assert labels == {"a": "Daily Orbit", "b": "Wire One, 5 Oct 2021", "c": "Wire One, 6 Oct 2021",
                      "d": "Nobody&#39;s report", "e": "The editors&#39; name"}


def test_two_reports_left_with_one_name_are_numbered_and_the_editor_is_warned(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", "Text.", label="Same"),
                                            "content/articles/b.md": article("B", "Text.", label="Same")})
    result = cli(project, "build")
    assert result.status == 0
    assert ("content/articles/b.md:3: warning: another report is already called 'Same'; "
            "this one is shown as 'Same (2)'") in result.err
    assert "<dt>Report</dt><dd>Same (2)</dd>" in (project / "site/articles/b/index.html").read_text("utf-8")


# --------------------------------------------------------------------------- the repository's site


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("sources")
    copy_seed_project(root)
    assert main(["--project", str(root), "build", "--base-url", BASE]) == 0
    return root, root / "site"


def seed_articles(root: Path) -> dict[str, dict]:
    """slug -> front matter of every article, with its label as the site resolves it."""
    from microsite.config import load_project
    from microsite.content import load_site

    site, _ = load_site(load_project(root))
    return {a.slug: a for a in site.articles}


def test_every_article_names_its_outlet_on_its_page_and_in_the_feed(seed_site):
    root, site = seed_site
    articles = seed_articles(root)
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    authors = {e.findtext(f"{ATOM}id"): e.findtext(f"{ATOM}author/{ATOM}name") for e in feed.iter(f"{ATOM}entry")}
    for slug, item in articles.items():
        outlet = item.origin.outlet or item.agency or "Outlet not stated"
        page = (site / "articles" / slug / "index.html").read_text("utf-8")
        card = text_of(page[page.index('class="source-card'):page.index("</section>", page.index("source-card"))])
        assert "Published by" in card and (outlet if item.origin.outlet else "Not stated") in card, slug
        assert authors[f"{BASE}articles/{slug}/"] == outlet, slug
        data = jsonld(page)
        if item.origin.outlet:
            assert data["publisher"] == {"@type": "NewsMediaOrganization", "name": outlet}
        based = [b.get("url") or b["publisher"]["name"] for b in data.get("isBasedOn", [])]
        assert based == ([item.origin.url] if item.origin.url else []) + list(item.origin.based_on), slug
    stated = [a for a in articles.values() if a.origin.outlet]
    assert len(stated) == 4  # one text names no outlet, and the editors did not find where it ran


def test_the_card_says_how_the_text_was_translated(seed_site):
    _, site = seed_site
    page = (site / "articles/russian-team-leaves-baikonur-to-shoot-first-film-in-space/index.html").read_text("utf-8")
    assert "<dt>Translation</dt><dd>Machine translation into English from Portuguese; read quotes with care</dd>" \
        in page
    assert "<dt>Draws on reporting by</dt><dd>CNN</dd>" in page


def test_one_name_for_each_report_on_the_home_page_lists_notes_and_the_sources_page(seed_site):
    root, site = seed_site
    articles = seed_articles(root)
    home = (site / "index.html").read_text("utf-8")
    sources = (site / "sources" / "index.html").read_text("utf-8")
    listing = (site / "articles" / "index.html").read_text("utf-8")
    peresild = (site / "people" / "yulia-peresild" / "index.html").read_text("utf-8")
    for slug, item in articles.items():
        url = f"/first-film/articles/{slug}/"
        label = item.label.replace("'", "&#39;")
        assert re.search(rf'<a href="{url}" title="[^"]*">{re.escape(label)}</a>', home), slug  # facts, timeline
        assert f'<span class="report-label">{label}</span>' in listing
        shown_as = f"<dt>Cited as</dt><dd>{label}</dd>" if item.label != item.origin.outlet else f">{label} <span"
        assert shown_as in sources, slug
        # a note on a person's page starts with the report's name
        assert f'<span class="fn-label">{label}:</span> <a href="{url}">' in peresild, slug
    assert "Report 1" not in home and "report-no" not in home  # the old numbering is gone


def test_the_sources_page_groups_reports_by_outlet(seed_site):
    root, site = seed_site
    articles = seed_articles(root)
    page = (site / "sources" / "index.html").read_text("utf-8")
    headings = re.findall(r'<h2 id="outlet-\d+">(.*?) <span class="count">', page)
    outlets = sorted({a.origin.outlet for a in articles.values() if a.origin.outlet}, key=str.casefold)
    assert headings == [*outlets, "Outlet not stated"]
    for slug in articles:
        assert f'href="/first-film/articles/{slug}/"' in page
    assert '<a href="/first-film/sources/" aria-current="page">Sources</a>' in page
    assert "https://example.github.io/first-film/sources/" in (site / "sitemap.xml").read_text("utf-8")


def test_no_article_page_repeats_its_deck_as_its_first_paragraph(seed_site):
    root, site = seed_site
    for slug in seed_articles(root):
        page = (site / "articles" / slug / "index.html").read_text("utf-8")
        deck = re.search(r'<p class="standfirst"[^>]*>(.*?)</p>', page, re.S)
        body = page[page.index('<div class="body prose"'):]
        first = text_of(re.search(r"<p>(.*?)</p>", body, re.S).group(1)).strip()
        if deck:
            words = text_of(deck.group(1)).strip()
            assert not first.startswith(words[: max(40, len(words) // 2)]), slug


def test_a_wire_story_that_names_no_outlet_is_published_by_its_agency(tmp_path, cli):
    project = built_pages(tmp_path, cli, {"content/articles/wire.md": article(
        "Crew lands", "The capsule landed on time.", date="2021-10-17", dateline="Moscow", agency="TASS")})
    page = (project / "site/articles/wire/index.html").read_text("utf-8")
    assert "<dt>Published by</dt><dd>TASS</dd>" in page and "<dt>Filed from</dt><dd>Moscow · TASS</dd>" in page
    assert jsonld(page)["publisher"] == {"@type": "NewsMediaOrganization", "name": "TASS"}
    feed = ET.fromstring((project / "site/feed.xml").read_bytes())
    assert feed.findtext(f"{ATOM}entry/{ATOM}author/{ATOM}name") == "TASS"
    assert '<span class="report-label">TASS</span>' in (project / "site/articles/index.html").read_text("utf-8")
