"""Metadata for machines: JSON-LD per page, the Atom feed and the sitemap.

Pure functions of the linked site. The templates turn JSON-LD into markup; the feed
and the sitemap are built here as XML trees (``xml.etree.ElementTree``), so every
value is escaped by the structure itself, never by remembering to: a body's HTML is
the escaped text of its ``<content type="html">``, whatever references it holds.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .config import Config
from .linking import Linked
from .model import Article, Entity, Page

FEED_SIZE = 20  # newest articles in /feed.xml; readers keep older ones themselves

# schema.org types for the kinds editors give topics.
TOPIC_TYPES = {
    "organisation": "Organization", "organization": "Organization", "media": "NewsMediaOrganization",
    "place": "Place", "film": "Movie", "event": "Event", "spacecraft": "Vehicle", "rocket": "Vehicle",
    "programme": "CreativeWork", "program": "CreativeWork",
}


def to_jsonld(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> block that no value can break out of.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so ``</script>`` in a title
    stays inside the string.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def website(config: Config, absolute) -> dict[str, Any]:
    data = {
        "@context": "https://schema.org", "@type": "WebSite", "name": config.title, "url": absolute("/"),
        "description": config.description, "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.author},
    }
    if config.has_search:  # a search engine may offer this box in its results: only where the page exists
        data["potentialAction"] = {"@type": "SearchAction", "target": absolute("/search/") + "?q={query}",
                                   "query-input": "required name=query"}
    return data


def web_page(kind: str, name: str, url: str, description: str, config: Config, absolute) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": kind, "name": name, "url": absolute(url),
            "description": description, "inLanguage": config.language,
            "isPartOf": {"@type": "WebSite", "name": config.title, "url": absolute("/")}}


def news_article(article: Article, named: tuple[Entity, ...], config: Config, absolute) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "description": article.summary, "url": absolute(article.url), "mainEntityOfPage": absolute(article.url),
        "inLanguage": article.language or config.language, "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": config.author},
        "mentions": [_thing(entity, absolute) for entity in named],
    }
    if article.dateline:
        data["dateline"] = article.dateline
    if article.agency:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.agency}
    if article.date:
        data["datePublished"] = article.date.isoformat()
    if article.credit:
        data["creditText"] = article.credit
    data.update(_provenance(article))
    return data


def _provenance(article: Article) -> dict[str, Any]:
    """Who published the report (``publisher``, ``author``) and what it is based on: the
    original at its own address, and the reporting of the agencies it cites."""
    origin, data = article.origin, {}
    if origin.outlet or article.agency:  # a wire story that names no outlet is the agency's
        data["publisher"] = {"@type": "NewsMediaOrganization", "name": origin.outlet or article.agency}
    if origin.author:
        data["author"] = {"@type": "Person", "name": origin.author}
    based_on: list[dict[str, Any]] = []
    if origin.url:
        original: dict[str, Any] = {"@type": "NewsArticle", "url": origin.url}
        if origin.language:
            original["inLanguage"] = origin.language
        if origin.outlet:
            original["publisher"] = {"@type": "NewsMediaOrganization", "name": origin.outlet}
        based_on.append(original)
    based_on += [{"@type": "NewsArticle", "publisher": {"@type": "NewsMediaOrganization", "name": name}}
                 for name in origin.based_on]
    if based_on:
        data["isBasedOn"] = based_on
    if origin.translated == "machine":
        data["translator"] = {"@type": "SoftwareApplication", "name": "machine translation"}
    return data


def entity(entity: Entity, articles: tuple[Article, ...], absolute) -> dict[str, Any]:
    """A Person (or Organization, Place ...) with the articles of this page that mention it."""
    data = _thing(entity, absolute)
    data["@context"] = "https://schema.org"
    if entity.summary:
        data["description"] = entity.summary
    aliases = [a for a in entity.aliases if a != entity.name]
    if aliases:
        data["alternateName"] = aliases
    data["subjectOf"] = [{"@type": "NewsArticle", "headline": a.title, "url": absolute(a.url)} for a in articles]
    return data


def _thing(entity: Entity, absolute) -> dict[str, Any]:
    kind = "Person" if entity.kind == "person" else TOPIC_TYPES.get(entity.category.lower(), "Thing")
    return {"@type": kind, "name": entity.name, "url": absolute(entity.url)}


def page(page: Page, config: Config, absolute) -> dict[str, Any]:
    kind = "AboutPage" if page.slug == "about" else "WebPage"
    return web_page(kind, page.title, page.url, page.summary, config, absolute)


# --------------------------------------------------------------------------- feed and sitemap


ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# What templates/article.html shows under a source text that stops mid-sentence. A feed
# reader shows the entry away from that page, so the entry's content says it too.
TRUNCATED_NOTE = ('<p class="truncated-note" role="note"><strong>The source text ends here.</strong> The report we '
                  "received stops mid-sentence; nothing after this point is available.</p>")
# Characters XML 1.0 does not allow at all, even escaped; the loaders refuse them in
# content already, so this only keeps a slip elsewhere from breaking the whole feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedEntry:
    article: Article
    updated: str  # RFC 3339
    html: str  # the body with absolute links (and the truncation note), as the entry's content
    entities: tuple[Entity, ...]


def feed_updated(articles: tuple[Article, ...]) -> str:
    """The newest article date; without any, SOURCE_DATE_EPOCH (never the clock)."""
    dates = [a.date for a in articles if a.date]
    if dates:
        return _rfc3339(max(dates))
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_entries(linked: Linked) -> list[FeedEntry]:
    """The newest articles for the Atom feed.

    Atom requires a date on every entry: an undated article carries the feed's own
    date (the newest article's), which is when it was known to exist at the latest.
    """
    fallback = feed_updated(linked.site.articles)
    entries = []
    for article in linked.site.articles[:FEED_SIZE]:
        updated = _rfc3339(article.date) if article.date else fallback
        entities = tuple(linked.entities[s] for s in linked.article_entities[article.url])
        html = linked.feed_bodies[article.url] + ("\n" + TRUNCATED_NOTE if article.truncated else "")
        entries.append(FeedEntry(article, updated, html, entities))
    return entries


def atom_feed(config: Config, entries: Iterable[FeedEntry], updated: str, absolute: Callable[[str], str]) -> bytes:
    """The Atom 1.0 document of ``entries`` (``absolute`` makes a site path an absolute URL)."""
    feed = etree.Element("feed", {"xmlns": ATOM_NS, "xml:lang": _xml(config.language)})
    _add(feed, "title", config.title)
    _add(feed, "subtitle", config.description)
    _add(feed, "id", absolute("/"))
    _add(feed, "link", rel="alternate", type="text/html", href=absolute("/"))
    _add(feed, "link", rel="self", type="application/atom+xml", href=absolute("/feed.xml"))
    _add(feed, "updated", updated)
    _add(_add(feed, "author"), "name", config.author)
    _add(feed, "generator", "microsite")
    for entry in entries:
        article = entry.article
        item = _add(feed, "entry", **({"xml:lang": article.language} if article.language else {}))
        _add(item, "title", article.title)
        _add(item, "id", absolute(article.url))
        _add(item, "link", rel="alternate", type="text/html", href=absolute(article.url))
        _add(item, "updated", entry.updated)
        if article.date:
            _add(item, "published", entry.updated)
        if article.summary:
            _add(item, "summary", article.summary)
        # The outlet is the entry's author: the words are theirs, not the editors'.
        # rel="via" (RFC 4287) points at the original.
        author = _add(item, "author")
        _add(author, "name", article.origin.outlet or article.agency or "Outlet not stated")
        if article.origin.url:
            _add(author, "uri", article.origin.url)
            _add(item, "link", rel="via", type="text/html", href=article.origin.url)
        for entity in entry.entities:
            _add(item, "category", term=entity.slug, label=entity.name)
        # type="html": the HTML is the element's text, escaped once; a reader unescapes
        # it and renders it. (Raw markup here would make "&eacute;" an undefined entity.)
        _add(item, "content", entry.html, type="html")
    return _document(feed)


def _day(day: dt.date) -> str:
    """YYYY-MM-DD field by field: a Month writes itself as "2023-04", which the sitemap
    schema (xsd:date) and Atom (a full timestamp) do not accept."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _rfc3339(day: dt.date) -> str:
    return f"{_day(day)}T00:00:00Z"


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: dt.date | None = None


def sitemap_entries(linked: Linked, page_urls: list[str]) -> list[SitemapEntry]:
    """The given pages (all but the 404 and search pages), sorted by URL; articles with their date."""
    dates = {a.url: a.date for a in linked.site.articles}
    return [SitemapEntry(url, dates.get(url)) for url in sorted(page_urls)]


def sitemap(entries: Iterable[SitemapEntry], absolute: Callable[[str], str]) -> bytes:
    """The sitemaps.org 0.9 document of ``entries``."""
    urlset = etree.Element("urlset", {"xmlns": SITEMAP_NS})
    for entry in entries:
        url = _add(urlset, "url")
        _add(url, "loc", absolute(entry.url))
        if entry.lastmod:
            _add(url, "lastmod", _day(entry.lastmod))
    return _document(urlset)


def _add(parent: etree.Element, tag: str, text: str | None = None, **attributes: str) -> etree.Element:
    """A child element with its text and attributes (ElementTree escapes them when it writes)."""
    element = etree.SubElement(parent, tag, {name: _xml(value) for name, value in attributes.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _xml(text: str) -> str:
    """``text`` with any character XML cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _document(root: etree.Element) -> bytes:
    """The UTF-8 bytes of an XML document, indented, the same for the same tree."""
    etree.indent(root, "  ")
    text = etree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")
