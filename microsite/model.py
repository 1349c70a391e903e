"""The site model: frozen dataclasses that every stage after load reads.

Nothing here does I/O. Sequences are tuples so a model can be shared between
stages (and, later, processes) without anyone changing it underneath another.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cached_property

from .config import Config
from .pictures import Picture


class Month(dt.date):
    """A date known only to the month ("date: 2023-04"): a news text that says "April 2023".

    It is the month's first day for sorting and arithmetic, so an article dated to a month
    sorts after every article of a known day in that month (newest first) and before the
    month that follows; it writes itself as "2023-04", which HTML's ``<time>``, JSON-LD and
    sitemaps accept as a month.
    """

    def __new__(cls, year: int, month: int) -> Month:
        return super().__new__(cls, year, month, 1)

    def __reduce__(self) -> tuple:  # the date's own pickling would call __new__ with bytes
        return (Month, (self.year, self.month))

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def long_date(day: dt.date) -> str:
    """"5 October 2021" (no leading zero, no locale dependence); "April 2023" for a Month."""
    if isinstance(day, Month):
        return f"{MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Source:
    """Where a piece of content came from, for messages: file, body line, field lines.

    ``key_lines`` maps front matter keys to their lines; list items and mapping entries
    have their own entries ("aliases[2]", "links.Klimenko") so a message can point at
    the exact line to fix.
    """

    path: str
    body_line: int = 1
    key_lines: tuple[tuple[str, int], ...] = ()

    def line(self, key: str) -> int:
        """The line of a front matter key or item (1, the top of the file, when unknown)."""
        return self.lines.get(key, 1)

    @cached_property
    def lines(self) -> dict[str, int]:
        """``key_lines`` as a mapping, made once: an entity may have thousands of aliases."""
        return dict(self.key_lines)


# How a report reached the site: "machine" (a translation service), "human", "no" (read as written).
TRANSLATED = ("machine", "human", "no")


@dataclass(frozen=True)
class Origin:
    """Who published a report and how it reached the site: an article's ``source:`` field.

    Import fills what a text states (the agencies whose reporting it cites); editors own
    the rest. Every field may be unknown ("" or ()), and pages say so rather than guess.
    """

    outlet: str = ""  # who published the text the site has: "CNN Brasil"
    url: str = ""  # where the original is
    language: str = ""  # the original's language (BCP 47), when the site has a translation
    translated: str = ""  # one of TRANSLATED, or "" when unknown
    author: str = ""
    based_on: tuple[str, ...] = ()  # outlets and agencies whose reporting it cites: ("AFP",)


@dataclass(frozen=True)
class Illustration:
    """A page's own picture (its ``image:`` field): a picture file of the content folder."""

    path: str  # "content/images/crew.jpg", resolved from the field's src
    alt: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class Article:
    """One news article, usually imported from a seed and then edited by hand."""

    slug: str
    title: str
    body: str
    source: Source
    date: dt.date | None = None
    summary: str = ""
    seed: str = ""
    credit: str = ""
    truncated: bool = False
    draft: bool = False
    language: str = ""  # BCP 47 tag of the text when it is not the site's language
    dateline: str = ""  # where the report was filed: "Baikonur, Kazakhstan"
    agency: str = ""  # the news agency that filed it: "TASS"
    kicker: str = ""  # the line above the title: "News report · Soyuz MS-19 launch"
    origin: Origin = Origin()
    # The report's one name on every page ("CNN Brasil"): the editor's ``label:``, else made
    # by load from the outlet (see content.report_labels), else the title.
    label: str = ""
    image: Illustration | None = None
    redirects: tuple[str, ...] = ()  # old URLs that redirect here (redirect_from:), e.g. after a rename
    people: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    # (spelling, entity slug or None to switch the spelling off) for this article only
    links: tuple[tuple[str, str | None], ...] = ()

    @cached_property
    def url(self) -> str:
        return f"/articles/{self.slug}/"


@dataclass(frozen=True)
class Teaser:
    """What other pages show of an article (a card, a link, a backlink, a related report):
    every field of its front matter, not its text. An edit to the text leaves the teaser
    equal, and so the pages that list the article (indexes, the people and topics it names,
    its neighbours) are not rendered again for it. A template that asks a listed article for
    its ``body`` gets an error naming the line, not an empty string."""

    slug: str
    title: str
    date: dt.date | None
    summary: str
    seed: str
    credit: str
    truncated: bool
    draft: bool
    language: str
    dateline: str
    agency: str
    kicker: str
    origin: Origin
    label: str
    image: Illustration | None
    redirects: tuple[str, ...]
    people: tuple[str, ...]
    topics: tuple[str, ...]
    links: tuple[tuple[str, str | None], ...]

    @cached_property
    def url(self) -> str:
        return f"/articles/{self.slug}/"


_TEASER_FIELDS = tuple(f.name for f in fields(Teaser))


def teaser(article: Article) -> Teaser:
    return Teaser(*(getattr(article, name) for name in _TEASER_FIELDS))


def same_objects(these: Sequence[object], those: Sequence[object]) -> bool:
    """Whether two sequences hold the very same objects, in order: how the stages tell, at a
    glance, that frozen inputs are those of the last build (serve's rebuilds reuse results so)."""
    return len(these) == len(those) and all(map(operator.is_, these, those))


@dataclass(frozen=True)
class Entity:
    """A person (``kind == "person"``) or a topic (organisation, place, craft ...)."""

    kind: str  # "person" or "topic"
    slug: str
    name: str
    body: str
    source: Source
    aliases: tuple[str, ...] = ()
    category: str = ""  # the role of a person, the kind of a topic
    summary: str = ""
    draft: bool = False
    variants: bool = False  # also link spellings that fold to an alias ("Schipenko"), each reported
    negatives: tuple[str, ...] = ()  # phrases in which an alias names something else ("Moscow time")
    titles: tuple[str, ...] = ()  # spellings that name it only in quotation marks ("La sfida", «Вызов»)
    image: Illustration | None = None
    redirects: tuple[str, ...] = ()  # old URLs that redirect here (redirect_from:)

    @cached_property
    def url(self) -> str:
        folder = "people" if self.kind == "person" else "topics"
        return f"/{folder}/{self.slug}/"


@dataclass(frozen=True)
class Page:
    """A free page such as About, at ``/<slug>/``."""

    slug: str
    title: str
    body: str
    source: Source
    summary: str = ""
    menu: int | None = None  # position in the site navigation; None keeps it out
    draft: bool = False
    image: Illustration | None = None
    redirects: tuple[str, ...] = ()  # old URLs that redirect here (redirect_from:)

    @property
    def url(self) -> str:
        return f"/{self.slug}/"


@dataclass(frozen=True)
class Fact:
    """One key fact on the home page; ``value`` is inline Markdown."""

    label: str
    value: str
    sources: tuple[str, ...] = ()  # slugs of the articles that report it


@dataclass(frozen=True)
class Event:
    """One moment of the mission timeline; ``text`` is inline Markdown."""

    date: dt.date
    title: str
    time: str = ""  # as the sources give it, e.g. "08:55 GMT"
    text: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Home:
    """The home page's own words (``content/home.md``): what happened, and the key facts."""

    title: str
    body: str
    source: Source
    summary: str = ""
    facts: tuple[Fact, ...] = ()

    url = "/"
    draft = False


@dataclass(frozen=True)
class Timeline:
    """The mission timeline (``content/timeline.md``), shown on the home page."""

    title: str
    body: str
    source: Source
    summary: str = ""
    events: tuple[Event, ...] = ()

    url = "/#timeline"
    draft = False


@dataclass(frozen=True)
class Site:
    """Everything the renderer needs, validated and sorted."""

    config: Config
    articles: tuple[Article, ...] = ()
    people: tuple[Entity, ...] = ()
    topics: tuple[Entity, ...] = ()
    pages: tuple[Page, ...] = ()
    home: Home | None = None
    timeline: Timeline | None = None
    pictures: tuple[Picture, ...] = ()  # every picture file of the content folder, by path
    drafts: tuple[str, ...] = ()  # source paths of drafts left out of this build
    broken: tuple[str, ...] = ()  # source paths that failed to load (only in a partial load, for check)

    def source_urls(self) -> dict[str, str]:
        """Map each content file (project-relative path) to the URL it is published at."""
        items = (*self.articles, *self.people, *self.topics, *self.pages, self.home, self.timeline)
        return {item.source.path: item.url for item in items if item is not None}

    def page_urls(self) -> frozenset[str]:
        """Every URL this site publishes a page or file at (entity pages beyond the first aside),
        redirects from old URLs included."""
        items = (*self.articles, *self.people, *self.topics, *self.pages)
        count = page_count(len(self.articles), self.config.page_size)
        index_pages = {paged("/articles/", n) for n in range(2, count + 1)}
        redirects = {old for item in items for old in item.redirects}
        fixed = frozenset(FIXED_URLS) - (set() if self.config.has_search else {"/search/"})
        return fixed | {item.url for item in items} | index_pages | redirects


def page_count(items: int, size: int) -> int:
    """How many pages ``items`` things fill at ``size`` a page (at least one)."""
    return max(1, -(-items // size))


def paged(url: str, number: int) -> str:
    """The URL of page ``number`` of a paginated list that starts at ``url``."""
    return url if number == 1 else f"{url}page/{number}/"


# URLs every site publishes besides its content pages.
FIXED_URLS = ("/", "/articles/", "/people/", "/topics/", "/sources/", "/search/", "/404.html", "/feed.xml",
              "/sitemap.xml", "/robots.txt")


def article_order(article: Article) -> tuple:
    """Newest first; undated articles last; ties broken by URL so order never wobbles."""
    if article.date is None:
        return (1, 0, article.url)
    return (0, -article.date.toordinal(), article.url)
