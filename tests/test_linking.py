"""Cross-linking rules and overrides, each on small strings; bad entity input, exact texts."""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import article, copy_seed_project, make_project, snapshot
from microsite.config import Config
from microsite.linking import AliasIndex, LinkContext
from microsite.markup import Renderer
from microsite.model import Article, Entity, Site, Source
from microsite.pipeline import link

ALIASES = {
    "Klim Shipenko": "klim-shipenko", "Shipenko": "klim-shipenko", "Chipenko": "klim-shipenko",
    "Yulia Peresild": "yulia-peresild", "Peresild": "yulia-peresild", "Ms. Peresild": "yulia-peresild",
    "NASA": "nasa", "Soviet Union": "soviet-union", "Soyuz MS-19": "soyuz-ms-19", "MS-19": "soyuz-ms-19",
}
URLS = {slug: f"/people/{slug}/" for slug in set(ALIASES.values())}


def render(markdown: str, base_path: str = "/", **context) -> str:
    renderer = Renderer(base_path, None, AliasIndex(ALIASES), URLS)
    html, problems = renderer.convert(textwrap.dedent(markdown), "content/articles/x.md", 1, LinkContext(**context))
    assert problems == []
    return html


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="entity" href="([^"]+)">([^<]+)</a>', html)


def test_longest_alias_first():
    html = render("Klim Shipenko directs.")
    assert links(html) == [("/people/klim-shipenko/", "Klim Shipenko")]


def test_first_mention_linked_later_ones_plain():
    html = render("Shipenko directs. Later Shipenko films.\n\nShipenko again.")
    assert links(html) == [("/people/klim-shipenko/", "Shipenko")]
    assert html.count("Shipenko") == 3


def test_whole_words_only():
    assert links(render("Shipenkov and Shipenkos and the ex-Soviet Union state.")) == []
    assert links(render("MS-19a is not the craft.")) == []
    # "-era" makes an adjective of the name, which still names it
    assert [text for _, text in links(render("the Soviet Union-era plan"))] == ["Soviet Union"]


def test_possessive_stays_outside_the_link():
    assert '<a class="entity" href="/people/klim-shipenko/">Shipenko</a>’s film' in render("Shipenko’s film")
    assert '<a class="entity" href="/people/yulia-peresild/">Peresild</a>\'s role' in render("Peresild's role")


def test_names_are_case_sensitive():
    assert links(render("nasa and nASA are not NASA.")) == [("/people/nasa/", "NASA")]
    # An acronym of four letters or more written as a word is the same name ("Nasa" in
    # British and Dutch styles).
    assert links(render("nasa is not Nasa.")) == [("/people/nasa/", "Nasa")]


def test_alias_with_punctuation_inside():
    html = render("With Ms. Peresild aboard Soyuz MS-19.")
    assert links(html) == [("/people/yulia-peresild/", "Ms. Peresild"), ("/people/soyuz-ms-19/", "Soyuz MS-19")]


@pytest.mark.parametrize("markdown", [
    "## Shipenko speaks\n\nShipenko said.",
    "`Shipenko` in code. Shipenko said.",
    "    Shipenko in a code block\n\nShipenko said.",
    "[Shipenko](https://example.org/) wrote. Shipenko said.",
])
def test_never_in_headings_code_or_links(markdown):
    html = render(markdown)
    assert links(html) == [("/people/klim-shipenko/", "Shipenko")]
    assert html.endswith('<a class="entity" href="/people/klim-shipenko/">Shipenko</a> said.</p>')


def test_never_on_the_entity_own_page():
    html = render("Klim Shipenko works with Peresild.", self_slug="klim-shipenko")
    assert links(html) == [("/people/yulia-peresild/", "Peresild")]


def test_links_carry_the_base_path():
    assert links(render("NASA.", base_path="/first-film/")) == [("/first-film/people/nasa/", "NASA")]


def test_links_inside_emphasis_and_captions():
    html = render("*Shipenko* leads.\n\nCaption: Peresild waves.\nPhoto: NASA")
    assert links(html) == [("/people/klim-shipenko/", "Shipenko"), ("/people/yulia-peresild/", "Peresild"),
                           ("/people/nasa/", "NASA")]


def test_override_maps_a_spelling_for_one_article():
    html = render("Peresild and Klimenko film.", overrides={"Klimenko": "klim-shipenko"})
    assert links(html) == [("/people/yulia-peresild/", "Peresild"), ("/people/klim-shipenko/", "Klimenko")]
    assert links(render("Peresild and Klimenko film.")) == [("/people/yulia-peresild/", "Peresild")]


def test_override_switches_a_spelling_off_for_one_article():
    context = LinkContext(overrides={"NASA": None}, collect=True)
    renderer = Renderer("/", None, AliasIndex(ALIASES), URLS)
    html, _ = renderer.convert("NASA and Shipenko.", "x.md", 1, context)
    assert links(html) == [("/people/klim-shipenko/", "Shipenko")]
    assert [m.slug for m in context.mentions] == ["klim-shipenko"]


def test_mentions_keep_the_sentence_around_them():
    context = LinkContext(collect=True)
    Renderer("/", None, AliasIndex(ALIASES), URLS).convert(
        "First sentence here. The director Klim Shipenko said it. Last one.", "x.md", 1, context)
    [mention] = context.mentions
    assert (mention.before, mention.spelling, mention.after) == ("The director ", "Klim Shipenko", " said it.")


def test_index_matching_does_not_depend_on_entity_order():
    forward = AliasIndex(ALIASES).find("Klim Shipenko and MS-19")
    backward = AliasIndex(dict(reversed(list(ALIASES.items())))).find("Klim Shipenko and MS-19")
    assert forward == backward


# --------------------------------------------------------------------------- derived data


def entity(slug: str, name: str, kind: str = "person", aliases: tuple[str, ...] = ()) -> Entity:
    folder = "people" if kind == "person" else "topics"
    return Entity(kind, slug, name, "", Source(f"content/{folder}/{slug}.md"), aliases=aliases)


def make_article(slug: str, body: str, date: str | None = None, **kw) -> Article:
    import datetime as dt

    when = dt.date.fromisoformat(date) if date else None
    return Article(slug, slug.title(), body, Source(f"content/articles/{slug}.md"), date=when, **kw)


def test_backlinks_spellings_related_and_co_mentions():
    site = Site(
        Config(),
        articles=(
            make_article("a", "Klim Shipenko met Peresild. Shipenko smiled.", "2021-10-05"),
            make_article("b", "Chipenko and Peresild and NASA.", "2021-10-04"),
            make_article("c", "Nothing here.", None, people=("klim-shipenko",)),
            make_article("d", "Peresild alone.", "2021-10-04"),
        ),
        people=(entity("klim-shipenko", "Klim Shipenko", aliases=("Shipenko", "Chipenko")),
                entity("yulia-peresild", "Yulia Peresild", aliases=("Peresild",))),
        topics=(entity("nasa", "NASA", "topic"),),
    )
    linked, _ = link(site)
    backlinks = linked.backlinks["klim-shipenko"]
    assert [(b.article.slug, b.spellings) for b in backlinks] == [
        ("a", ("Klim Shipenko", "Shipenko")), ("b", ("Chipenko",)), ("c", ())]
    assert backlinks[2].mention is None
    # ties (c, d: one shared name each) go to the dated article first
    assert [(a.slug, n) for a, n in linked.related["/articles/a/"]] == [("b", 2), ("d", 1), ("c", 1)]
    assert linked.co_mentions["klim-shipenko"] == (("yulia-peresild", 2), ("nasa", 1))
    assert linked.article_entities["/articles/b/"] == ("klim-shipenko", "nasa", "yulia-peresild")


# --------------------------------------------------------------------------- whole builds


PERSON = """\
---
name: {name}
aliases:{aliases}
role: Crew
---

About {name}.
"""


def person(name: str, *aliases: str) -> str:
    return PERSON.format(name=name, aliases="".join(f"\n- {a}" for a in aliases) or " []")


def test_a_new_person_page_links_every_existing_article_without_editing_them(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/one.md": article("One", "Oleg Novitsky returns with the crew."),
        "content/articles/two.md": article("Two", "Novitskiy will assist the film crew."),
        "content/articles/three.md": article("Three", "No names here."),
    })
    articles_before = snapshot(project / "content" / "articles")
    (project / "content/people/oleg-novitsky.md").parent.mkdir(parents=True)
    (project / "content/people/oleg-novitsky.md").write_text(
        person("Oleg Novitsky", "Novitsky", "Oleg Novitskiy", "Novitskiy"), "utf-8")
    assert cli(project, "build").status == 0
    site = project / "site"
    one = (site / "articles/one/index.html").read_text("utf-8")
    two = (site / "articles/two/index.html").read_text("utf-8")
    assert '<a class="entity" href="/people/oleg-novitsky/">Oleg Novitsky</a> returns' in one
    assert '<a class="entity" href="/people/oleg-novitsky/">Novitskiy</a> will assist' in two
    page = (site / "people/oleg-novitsky/index.html").read_text("utf-8")
    assert "Named in 2 reports" in page
    assert "written <q>Novitskiy</q>" in page and "written <q>Oleg Novitsky</q>" in page
    assert snapshot(project / "content" / "articles") == articles_before


def test_entity_pages_and_indexes_are_built(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/one.md": article("One", "Shipenko met NASA."),
        "content/people/klim-shipenko.md": person("Klim Shipenko", "Shipenko"),
        "content/topics/nasa.md": "---\nname: NASA\nkind: organisation\n---\n\nNASA is an agency. Shipenko too.\n",
    })
    assert cli(project, "build").status == 0, cli
    site = project / "site"
    people = (site / "people/index.html").read_text("utf-8")
    assert '<h2 id="group-1">Crew <span class="count">1</span></h2>' in people
    topic = (site / "topics/nasa/index.html").read_text("utf-8")
    assert 'href="/topics/nasa/"' not in topic.split("<main", 1)[1].split("Named in", 1)[0]
    assert '<a class="entity" href="/people/klim-shipenko/">Shipenko</a> too.' in topic
    assert (site / "topics/index.html").is_file()


# --------------------------------------------------------------------------- bad input, exact texts


def test_alias_claimed_by_two_entities(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/people/klim-shipenko.md": person("Klim Shipenko", "Shipenko"),
        "content/people/other.md": person("Other Person", "Shipenko"),
    })
    result = cli(project, "check")
    assert result.status == 1
    assert result.err == (
        "content/people/other.md:4: alias 'Shipenko' is also claimed by content/people/klim-shipenko.md\n"
        "  hint: an alias can name one entity only; remove it from one file, or map it for one article with "
        "'links:' in that article\n"
        "check: 1 error(s), 0 warning(s)\n")


def test_two_entities_with_one_slug(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/people/nasa.md": person("Nasa Person"),
        "content/topics/nasa.md": "---\nname: NASA\nkind: organisation\n---\n",
    })
    result = cli(project, "build")
    assert result.status == 1
    assert result.err == (
        "content/topics/nasa.md:1: the slug 'nasa' is already used by content/people/nasa.md\n"
        "  hint: people and topics share one set of slugs; rename one file or set 'slug:'\n")


def test_references_to_missing_entities(tmp_path, cli):
    body = ("---\ntitle: A\npeople:\n- klim-shipenk\n- nasa\ntopics: [nope]\nlinks:\n  Klimenko: klim-shipenko2\n"
            "date: null\n---\n")
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": body,
        "content/people/klim-shipenko.md": person("Klim Shipenko"),
        "content/topics/nasa.md": "---\nname: NASA\nkind: organisation\n---\n",
    })
    result = cli(project, "check")
    assert result.status == 1
    assert result.err == (
        "content/articles/a.md:4: people: lists 'klim-shipenk', which has no page\n"
        "  hint: did you mean 'klim-shipenko'? create it with: python build.py new person|topic \"Name\", "
        "or fix the slug\n"
        "content/articles/a.md:5: 'nasa' is not a person\n"
        "  hint: list it under 'topics:' instead of 'people:'\n"
        "content/articles/a.md:6: topics: lists 'nope', which has no page\n"
        "  hint: create it with: python build.py new person|topic \"Name\", or fix the slug\n"
        "content/articles/a.md:8: links: 'Klimenko' points to 'klim-shipenko2', which has no page\n"
        "  hint: did you mean 'klim-shipenko'? create it with: python build.py new person|topic \"Name\", "
        "or fix the slug\n"
        "check: 4 error(s), 0 warning(s)\n")


def test_entity_without_a_name(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/people/nobody.md": "---\nrole: Crew\n---\n\nText.\n"})
    result = cli(project, "build")
    assert result.status == 1
    assert result.err == ("content/people/nobody.md:1: missing name: every person needs a non-empty 'name'\n"
                          "  hint: add a line 'name: ...' to the front matter\n")


def test_alias_that_cannot_match(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/topics/film.md": "---\nname: Film\nkind: film\n"
                                                                       "aliases:\n- '“Challenge”'\n---\n"})
    result = cli(project, "check")
    assert result.err.startswith("content/topics/film.md:5: alias '“Challenge”' must start and end with a letter "
                                 "or digit\n  hint: leave quotes and punctuation out of aliases\n")


def test_bad_entity_input_writes_nothing(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A")})
    assert cli(project, "build").status == 0
    before = snapshot(project / "site")
    (project / "content/people").mkdir(parents=True)
    (project / "content/people/x.md").write_text(person("X", "A"), "utf-8")
    (project / "content/people/y.md").write_text(person("Y", "A"), "utf-8")
    assert cli(project, "build").status == 1
    assert snapshot(project / "site") == before




def test_an_alias_ending_with_a_vowel_sign_is_accepted(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/topics/nasa.md": "---\nname: NASA\naliases: [नासा]\n---\n\nThe agency.\n",
        "content/articles/a.md": article("A", "नासा ने कहा।", date="2021-10-05", language="hi"),
    })
    result = cli(project, "build")
    assert result.status == 0, result.err
    assert '<a class="entity" href="/topics/nasa/">नासा</a>' in (project / "site/articles/a/index.html").read_text()


def test_a_report_the_entitys_own_page_cites_counts_for_it(tmp_path, cli):
    """'Named in 0 reports' under a footnote citing a report contradicted the page."""
    project = make_project(tmp_path / "p", {
        "content/articles/one.md": article("One", "The crew flew. No name here."),
        "content/articles/two.md": article("Two", "Shipenko directs."),
        "content/people/klim-shipenko.md": "---\nname: Klim Shipenko\naliases: [Shipenko]\n---\n\n"
                                          "He wrote the script.[^1]\n\n[^1]: [One](../articles/one.md)\n",
    })
    assert cli(project, "build").status == 0
    page = (project / "site/people/klim-shipenko/index.html").read_text("utf-8")
    assert "Named in 2 reports" in page
    assert "Cited on this page; the report's text does not name Klim Shipenko." in page


def test_every_entity_page_counts_the_reports_it_lists(tmp_path, cli):
    project = copy_seed_project(tmp_path / "seed")
    assert cli(project, "build").status == 0
    site = project / "site"
    pages = sorted(site.glob("people/*/index.html")) + sorted(site.glob("topics/*/index.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text("utf-8")
        count = int(re.search(r"Named in (\d+) report", html).group(1))
        section = html.split('id="mentions-title"', 1)[1].split("</ol>", 1)[0]
        listed = set(re.findall(r'<li>\s*<a href="(/articles/[^"]+)"', section))
        cited = set(re.findall(r'href="(/articles/[^"#]+/)"', html.split('class="body prose"', 1)[-1].split(
            'id="mentions-title"', 1)[0])) if 'class="body prose"' in html else set()
        assert count == len(listed), page
        assert cited <= listed, (page, cited - listed)  # every report the page cites is listed
        # and the link goes both ways: every report listed lists this person or topic
        entity_url = "/" + page.parent.relative_to(site).as_posix() + "/"
        for url in listed:
            report = (site / url.strip("/") / "index.html").read_text("utf-8")
            named = report.split('id="named-title"', 1)[1].split("</section>", 1)[0]
            assert f'href="{entity_url}"' in named, (url, entity_url)
