"""Metadata for machines: JSON-LD per page, Atom feed entries, sitemap entries.

Pure functions of the linked site; the templates turn them into markup.
"""

from __future__ import annotations

import datetime as dt
import json
import os
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
    return {
        "@context": "https://schema.org", "@type": "WebSite", "name": config.title, "url": absolute("/"),
        "description": config.description, "inLanguage": config.language,
        "publisher": {"@type": "Organization", "name": config.author},
        "potentialAction": {"@type": "SearchAction", "target": absolute("/search/") + "?q={query}",
                            "query-input": "required name=query"},
    }


def web_page(kind: str, name: str, url: str, description: str, config: Config, absolute) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": kind, "name": name, "url": absolute(url),
            "description": description, "inLanguage": config.language,
            "isPartOf": {"@type": "WebSite", "name": config.title, "url": absolute("/")}}


def news_article(article: Article, named: tuple[Entity, ...], config: Config, absolute) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
        "description": article.summary, "url": absolute(article.url), "mainEntityOfPage": absolute(article.url),
        "inLanguage": config.language, "isAccessibleForFree": True,
        "publisher": {"@type": "Organization", "name": config.author},
        "mentions": [_thing(entity, absolute) for entity in named],
    }
    if article.date:
        data["datePublished"] = article.date.isoformat()
    if article.credit:
        data["creditText"] = article.credit
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


@dataclass(frozen=True)
class FeedEntry:
    article: Article
    updated: str  # RFC 3339
    html: str  # the body with absolute links
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
        entries.append(FeedEntry(article, updated, linked.feed_bodies[article.url], entities))
    return entries


def _rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: dt.date | None = None


def sitemap_entries(linked: Linked, page_urls: list[str]) -> list[SitemapEntry]:
    """The given pages (all but the 404 and search pages), sorted by URL; articles with their date."""
    dates = {a.url: a.date for a in linked.site.articles}
    return [SitemapEntry(url, dates.get(url)) for url in sorted(page_urls)]
