"""What import now records of a report reaches the reader: a month-only date, the
dateline and agency, the text's language; the summary is not shown twice; a handle
is not a name."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from conftest import article, make_project

LEDE = "Actress Yulia Peresild and director Klim Shipenko landed in Kazakhstan on Sunday after twelve days."


def build(tmp_path, cli, files):
    project = make_project(tmp_path / "p", files)
    result = cli(project, "build")
    assert result.status == 0, result.err
    return project / "site"


def test_a_month_only_date_reads_april_2023_and_sorts_within_its_month(tmp_path, cli):
    site = build(tmp_path, cli, {
        "content/articles/premiere.md": article("Premiere", date="2023-04", body="The film opens."),
        "content/articles/review.md": article("Review", date="2023-04-20", body="A review."),
        "content/articles/march.md": article("March", date="2023-03-31", body="Before."),
    })
    page = (site / "articles/premiere/index.html").read_text("utf-8")
    assert '<time datetime="2023-04">April 2023</time>' in page
    listing = (site / "articles/index.html").read_text("utf-8")
    order = [listing.index(f">{title}<") for title in ("Review", "Premiere", "March")]
    assert order == sorted(order)
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    updated = {e.find("a:title", ns).text: e.find("a:updated", ns).text for e in feed.findall("a:entry", ns)}
    assert updated["Premiere"] == "2023-04-01T00:00:00Z"
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    assert "<lastmod>2023-04-01</lastmod>" in sitemap
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["datePublished"] == "2023-04"


def test_a_bad_month_is_an_error_with_its_line(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", date="2023-13")})
    result = cli(project, "check")
    assert result.status == 1
    assert "content/articles/a.md:3: 'date' is not a real month ('2023-13')" in result.err


def test_dateline_agency_and_language_are_shown_and_marked_up(tmp_path, cli):
    body = "Актриса Юлия Пересильд и режиссер Клим Шипенко вернулись на Землю."
    site = build(tmp_path, cli, {"content/articles/ru.md": article(
        "Экипаж вернулся", date="2021-10-17", dateline="Москва", agency="ТАСС", language="ru", body=body)})
    page = (site / "articles/ru/index.html").read_text("utf-8")
    assert '<html lang="en"' in page  # the site's own words stay English
    assert '<h1 data-pagefind-meta="title" lang="ru">Экипаж вернулся</h1>' in page
    assert '<div class="body prose" lang="ru">' in page
    assert "<dt>Filed from</dt><dd>Москва · ТАСС</dd>" in page
    assert "<dt>Language</dt><dd>Russian</dd>" in page
    assert 'data-pagefind-filter="language:Russian"' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["inLanguage"] == "ru" and data["dateline"] == "Москва"
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "ТАСС"}
    feed = (site / "feed.xml").read_text("utf-8")
    assert '<entry xml:lang="ru">' in feed


def test_an_article_written_right_to_left_reads_right_to_left_wherever_it_is_shown(tmp_path, cli):
    body = "يبدأ طاقم سينمائي روسي رحلته إلى محطة الفضاء الدولية لتصوير فيلم يستغرق 12 يوما."
    site = build(tmp_path, cli, {
        "content/articles/ar.md": article("طاقم سينمائي روسي يصل إلى المحطة", date="2021-10-05", language="ar",
                                          summary="طاقم سينمائي روسي في طريقه إلى المحطة.", body=body),
        "content/articles/en.md": article("Crew lands", date="2021-10-17", body=LEDE)})
    page = (site / "articles/ar/index.html").read_text("utf-8")
    assert '<h1 data-pagefind-meta="title" lang="ar" dir="rtl">' in page
    assert '<div class="body prose" lang="ar" dir="rtl">' in page
    listing = (site / "articles/index.html").read_text("utf-8")
    # (on the heading, a block, so the title also aligns right; an inline link would stay left)
    assert re.search(r'<h2 dir="auto"><a href="[^"]*">طاقم سينمائي', listing)
    assert '<p dir="auto">طاقم سينمائي روسي في طريقه' in listing  # its summary too
    assert listing.count('dir="auto"') == 2  # the English title and summary keep the page's direction
    english = (site / "articles/en/index.html").read_text("utf-8")
    assert 'dir="rtl"' not in english and "<bdi>طاقم سينمائي" in english  # the neighbour's title, isolated


def test_an_article_in_the_site_language_carries_no_extra_lang(tmp_path, cli):
    site = build(tmp_path, cli, {"content/articles/en.md": article("Crew lands", language="en", body=LEDE)})
    page = (site / "articles/en/index.html").read_text("utf-8")
    assert ' lang="en"' not in page.split("<body", 1)[1] and "<dt>Language</dt>" not in page


def test_a_bad_language_tag_is_an_error(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", language="Russian!")})
    result = cli(project, "check")
    assert result.status == 1 and "'language' must be a language tag such as 'en', 'ru' or 'pt-BR'" in result.err


def test_the_summary_is_not_shown_again_above_the_same_first_paragraph(tmp_path, cli):
    site = build(tmp_path, cli, {
        "content/articles/same.md": article("Same", summary=LEDE, body=LEDE + " More follows."),
        "content/articles/deck.md": article("Deck", summary="A deck of its own.", body=LEDE),
    })
    same = (site / "articles/same/index.html").read_text("utf-8")
    assert 'class="standfirst"' not in same and f'<meta name="description" content="{LEDE}">' in same
    assert '<p class="standfirst">A deck of its own.</p>' in (site / "articles/deck/index.html").read_text("utf-8")


def test_a_handle_or_hashtag_is_not_a_mention(tmp_path, cli):
    site = build(tmp_path, cli, {
        "content/people/roscosmos.md": "---\nname: Roscosmos\n---\n\nThe agency.\n",
        "content/articles/a.md": article("A", body="> Docked!\n>\n> — Roscosmos (@Roscosmos), 5 October 2021\n\n"
                                              "Tagged #Roscosmos too."),
    })
    page = (site / "articles/a/index.html").read_text("utf-8")
    assert page.count('href="/people/roscosmos/"') >= 1
    assert "@<a" not in page and "#<a" not in page


def test_the_kicker_comes_from_content_and_topic_kinds_read_as_words(tmp_path, cli):
    """The kicker was hard-coded ("News report · Soyuz MS-19"), wrong for a landing story;
    topic groups were headed by their raw keys ("film", "organisation")."""
    project = make_project(tmp_path / "p", {
        "content/articles/one.md": article("One", "Text.", kicker="News report · Soyuz MS-18 landing"),
        "content/articles/two.md": article("Two", "NASA said so."),
        "content/topics/nasa.md": "---\nname: NASA\nkind: organisation\n---\n\nAn agency.\n",
    })
    assert cli(project, "build").status == 0
    site = project / "site"
    assert '<p class="kicker">News report · Soyuz MS-18 landing</p>' in (site / "articles/one/index.html").read_text()
    assert '<p class="kicker">News report</p>' in (site / "articles/two/index.html").read_text()
    topics = (site / "topics/index.html").read_text()
    assert '<h2 id="group-1">Organisations <span class="count">1</span></h2>' in topics
    assert "Topics</a> · Organisation</p>" in (site / "topics/nasa/index.html").read_text()


def test_related_reports_and_newer_older_only_where_they_add_something(tmp_path, cli):
    """With five reports, "Related reports" was every other report; Newer/Older linked undated ones."""
    files = {f"content/articles/a{n}.md": article(f"Report {n}", "Shipenko flew.", date=f"2021-10-0{n}")
             for n in range(1, 4)}
    files["content/articles/undated.md"] = article("Undated report", "Shipenko flew.")
    files["content/people/klim-shipenko.md"] = "---\nname: Klim Shipenko\naliases: [Shipenko]\n---\n\nDirector.\n"
    project = make_project(tmp_path / "p", files)
    assert cli(project, "build").status == 0
    site = project / "site"
    middle = (site / "articles/a2/index.html").read_text()
    assert "Related reports" not in middle  # four reports: the others are all there is
    assert 'rel="prev" href="/articles/a3/"' in middle and 'rel="next" href="/articles/a1/"' in middle
    oldest = (site / "articles/a1/index.html").read_text()
    assert 'rel="next"' not in oldest  # the undated report is no older neighbour
    assert 'class="pager' not in (site / "articles/undated/index.html").read_text()
    for n in range(4, 9):  # eight reports: now the related ones are a choice
        (project / f"content/articles/a{n}.md").write_text(article(f"Report {n}", "Shipenko flew.",
                                                                   date=f"2021-10-0{n}"), "utf-8")
    assert cli(project, "build").status == 0
    assert "Related reports" in (site / "articles/a2/index.html").read_text()


def test_share_titles_leave_out_the_site_name_where_it_makes_them_long(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/one.md": article("A Russian crew blasts off from Baikonur to shoot the first feature film in "
                                           "space", "Text."),
        "content/articles/two.md": article("Short", "Text."),
    })
    assert cli(project, "build").status == 0
    long_one = (project / "site/articles/one/index.html").read_text()
    short = (project / "site/articles/two/index.html").read_text()
    site_title = re.search(r"<title>Short · ([^<]+)</title>", short).group(1)
    title = "A Russian crew blasts off from Baikonur to shoot the first feature film in space"
    assert f'<meta property="og:title" content="{title}">' in long_one
    assert f'<meta property="og:title" content="Short · {site_title}">' in short
    assert f"<title>{title} · {site_title}</title>" in long_one
