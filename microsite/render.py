"""Render stage: the site model to a sorted list of ``(file path, bytes)`` outputs.

One Jinja2 environment, configured once (StrictUndefined, autoescape); templates all
inherit from ``base.html``. Nothing here writes to disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from . import metadata
from .config import Project
from .errors import Problem, ProjectError, error
from .linking import Linked
from .model import Entity, Site

Output = tuple[str, bytes]  # (path inside site/, content)

ASSETS_DIR = "assets"


@dataclass(frozen=True)
class Asset:
    """A theme file published under a content-hashed name, so a deploy never serves stale CSS."""

    name: str  # as templates ask for it: "style.css"
    path: str  # as published: "assets/style.3f2a9c1e.css"
    data: bytes


def collect_assets(templates: Path) -> dict[str, Asset]:
    """Every file in ``templates/assets``, fingerprinted with a hash of its content.

    Stylesheets are fingerprinted last, after their ``url(...)`` references to other
    assets (fonts, images) have been rewritten to those assets' fingerprinted names,
    so a changed font also changes the name of the CSS that loads it.
    """
    folder = templates / ASSETS_DIR
    files = sorted(f for f in folder.rglob("*") if f.is_file() and not f.name.startswith(".")) \
        if folder.is_dir() else []
    raw = {f.relative_to(folder).as_posix(): f.read_bytes() for f in files}
    assets: dict[str, Asset] = {}
    for name in sorted(raw, key=lambda n: (n.endswith(".css"), n)):
        data = _rewrite_css_urls(name, raw[name], assets) if name.endswith(".css") else raw[name]
        digest = hashlib.sha256(data).hexdigest()[:10]
        stem, dot, ext = name.rpartition(".")
        published = f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"
        assets[name] = Asset(name, f"{ASSETS_DIR}/{published}", data)
    return assets


_CSS_URL = re.compile(rb"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _rewrite_css_urls(name: str, data: bytes, assets: dict[str, Asset]) -> bytes:
    """Point ``url(...)`` in a stylesheet at the fingerprinted names of the assets it uses."""
    here = posixpath.dirname(name)

    def replace(match: re.Match[bytes]) -> bytes:
        ref = match.group(2).decode("utf-8").strip()
        if re.match(r"^(data:|https?:|//|#)", ref):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(here, ref.split("#")[0].split("?")[0]))
        if target not in assets:
            raise ProjectError(error(f"templates/{ASSETS_DIR}/{name}", data[: match.start()].count(b"\n") + 1,
                                     f"url({ref}) names no file in templates/{ASSETS_DIR}/",
                                     "fix the path (relative to the stylesheet) or add the file"))
        relative = posixpath.relpath(assets[target].path, posixpath.join(ASSETS_DIR, here))
        return b'url("' + relative.encode("utf-8") + b'")'

    return _CSS_URL.sub(replace, data)


def make_environment(project: Project, assets: dict[str, Asset]) -> jinja2.Environment:
    """The one Jinja environment of a build, with the site's URL helpers as globals."""
    base_path = project.config.base_path
    base_url = project.config.base_url

    def url(path: str) -> str:
        """A site path ("/articles/") with the base path in front ("/repo/articles/")."""
        return base_path + path.lstrip("/")

    def absolute(path: str) -> str:
        """A site path as an absolute URL, for canonical links and feeds."""
        return base_url + path.lstrip("/")

    def asset(name: str) -> str:
        if name not in assets:
            raise jinja2.TemplateRuntimeError(f"no asset named {name!r} in templates/{ASSETS_DIR}/")
        return base_path + assets[name].path

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    def absolute_asset(name: str) -> str:
        """An asset's absolute URL, for Open Graph images."""
        return absolute(asset(name)[len(base_path):])

    env.globals.update(url=url, absolute=absolute, asset=asset, absolute_asset=absolute_asset)
    env.filters["longdate"] = format_date
    env.filters["tojsonld"] = metadata.to_jsonld
    return env


def format_date(value: dt.date | None) -> str:
    """"5 October 2021" (no leading zero, no locale dependence)."""
    return f"{value.day} {value:%B} {value.year}" if value else "Undated"


# --------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class SiteInfo:
    """What every template may know about the site as a whole.

    Templates see this, never the whole ``Site``: a page's output is then a function of
    its own context, which ``RenderCache`` can compare between builds.
    """

    config: Any
    article_count: int
    people_count: int
    topic_count: int


class RenderCache:
    """Rendered pages kept between builds: a page is rendered again only when its
    template (with everything it extends or includes), the assets or its context changed."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[tuple, bytes]] = {}


def render_site(linked: Linked, project: Project, cache: RenderCache | None = None) -> list[Output]:
    """Every file of the site except ``.nojekyll`` and the search index, sorted by path.

    Template mistakes on any page are collected (one problem per template line) and
    raised together.
    """
    assets = collect_assets(project.templates)
    env = make_environment(project, assets)
    absolute = env.globals["absolute"]
    site = linked.site
    info = SiteInfo(site.config, len(site.articles), len(site.people), len(site.topics))
    common = {"site": info, "nav": _nav(site)}
    outputs = [(a.path, a.data) for a in assets.values()]
    pages = [*_home(linked, absolute), *_indexes(linked, absolute), *_articles(linked, absolute),
             *_entities(linked, absolute), *_free_pages(linked, absolute), *_machine_files(linked)]
    digests = _template_digests(env, project)
    asset_paths = tuple(a.path for a in assets.values())
    rendered: dict[str, tuple[tuple, bytes]] = {}
    problems: dict[tuple, Problem] = {}
    for url, template, context in pages:
        context = {**common, **context, "page_url": url}
        signature = (digests.get(template), asset_paths, context)
        cached = cache.pages.get(url) if cache else None
        if cached is not None and cached[0] == signature:
            rendered[url] = cached
        else:
            try:
                rendered[url] = (signature, _render(env, project, template, context).encode("utf-8"))
            except ProjectError as exc:
                for problem in exc.problems:
                    problems.setdefault((problem.path, problem.line, problem.message), problem)
                continue
        outputs.append((output_path(url), rendered[url][1]))
    if problems:
        raise ProjectError(list(problems.values()))
    if cache is not None:
        cache.pages = rendered
    return sorted(outputs)


def _template_digests(env: jinja2.Environment, project: Project) -> dict[str, str]:
    """For each template, a hash of its source and every template it extends, includes or imports.

    A template whose references cannot be worked out statically (a name in a variable)
    depends on every template.
    """
    sources = {name: (project.templates / name).read_bytes() for name in env.list_templates()
               if not name.startswith(ASSETS_DIR + "/")}
    references: dict[str, set[str]] = {}
    for name, source in sources.items():
        try:
            found = set(jinja2.meta.find_referenced_templates(env.parse(source.decode("utf-8", "replace"))))
        except jinja2.TemplateSyntaxError:
            found = set()  # rendering reports the error with its line
        references[name] = set(sources) if None in found else {f for f in found if f in sources}
    digests = {}
    for name in sources:
        closure, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in closure:
                closure.add(current)
                todo.extend(references.get(current, ()))
        digests[name] = hashlib.sha256(b"".join(n.encode() + b"\0" + sources[n] for n in sorted(closure))).hexdigest()
    return digests


Page = tuple[str, str, dict[str, Any]]  # (URL, template, context)


def _home(linked: Linked, absolute) -> list[Page]:
    site = linked.site
    fragments = {key: Markup(html) for key, html in linked.bodies.items() if key.startswith("/")}
    groups = _groups(site.people, linked)
    topics = sorted(((e, len(linked.backlinks[e.slug])) for e in site.topics),
                    key=lambda item: (-item[1], item[0].name.lower(), item[0].url))
    context = {
        "home": site.home, "timeline": site.timeline, "fragments": fragments, "articles": site.articles,
        "articles_by_slug": {a.slug: a for a in site.articles},
        "report_numbers": {a.slug: i for i, a in enumerate(site.articles, 1)},
        "people_groups": groups, "top_topics": topics[:16], "jsonld": metadata.website(linked, absolute),
    }
    return [("/", "home.html", context)]


def _indexes(linked: Linked, absolute) -> list[Page]:
    site = linked.site
    people = "Everyone the reports name, grouped by their part in the story, with the number of reports " \
             "that name each."
    topics = "Organisations, places, craft, films and events the reports name, grouped by kind, with the " \
             "number of reports that name each."
    return [
        ("/articles/", "articles.html", {"articles": site.articles, "jsonld": metadata.web_page(
            "CollectionPage", "All articles", "/articles/", "Every news report of the launch.", linked, absolute)}),
        ("/people/", "entities.html", {"title": "People", "intro": people, "total": len(site.people),
                                       "groups": _groups(site.people, linked), "jsonld": metadata.web_page(
                                           "CollectionPage", "People", "/people/", people, linked, absolute)}),
        ("/topics/", "entities.html", {"title": "Topics", "intro": topics, "total": len(site.topics),
                                       "groups": _groups(site.topics, linked), "jsonld": metadata.web_page(
                                           "CollectionPage", "Topics", "/topics/", topics, linked, absolute)}),
        ("/search/", "search.html", {"jsonld": metadata.web_page(
            "SearchResultsPage", "Search", "/search/", "Search the microsite.", linked, absolute)}),
        ("/404.html", "404.html", {"jsonld": metadata.web_page(
            "WebPage", "Page not found", "/404.html", "There is no page at this address.", linked, absolute)}),
    ]


def _articles(linked: Linked, absolute) -> list[Page]:
    articles = linked.site.articles
    pages = []
    for index, article in enumerate(articles):
        slugs = linked.article_entities[article.url]
        pages.append((article.url, "article.html", {
            "article": article, "body": Markup(linked.bodies[article.url]),
            "newer": articles[index - 1] if index > 0 else None,
            "older": articles[index + 1] if index + 1 < len(articles) else None,
            "reading_minutes": reading_minutes(article.body),
            "people": [linked.entities[s] for s in slugs if linked.entities[s].kind == "person"],
            "topics": [linked.entities[s] for s in slugs if linked.entities[s].kind == "topic"],
            "related": linked.related[article.url], "jsonld": metadata.news_article(article, linked, absolute),
        }))
    return pages


def _entities(linked: Linked, absolute) -> list[Page]:
    return [(entity.url, "entity.html", {
        "entity": entity, "body": Markup(linked.bodies[entity.url]), "backlinks": linked.backlinks[entity.slug],
        "co_mentions": [(linked.entities[s], n) for s, n in linked.co_mentions[entity.slug]],
        "jsonld": metadata.entity(entity, linked, absolute),
    }) for entity in linked.entities.values()]


def _free_pages(linked: Linked, absolute) -> list[Page]:
    return [(page.url, "page.html", {"page": page, "body": Markup(linked.bodies[page.url]),
                                     "jsonld": metadata.page(page, linked, absolute)})
            for page in linked.site.pages]


def _machine_files(linked: Linked) -> list[Page]:
    """The Atom feed, the sitemap and robots.txt, rendered from templates too."""
    entries = [metadata.FeedEntry(e.article, e.updated, Markup(e.html), e.entities)
               for e in metadata.feed_entries(linked)]
    return [
        ("/feed.xml", "feed.xml", {"entries": entries, "feed_updated": metadata.feed_updated(linked.site.articles)}),
        ("/sitemap.xml", "sitemap.xml", {"entries": metadata.sitemap_entries(linked)}),
        ("/robots.txt", "robots.txt", {}),
    ]


def _groups(entities: tuple[Entity, ...], linked: Linked) -> list[tuple[str, list[tuple[Entity, int]]]]:
    """Entities grouped by role or kind, each with its article count.

    Groups whose members are named most come first; inside a group, the most named
    entity first; names, then URLs, break ties.
    """
    groups: dict[str, list[tuple[Entity, int]]] = {}
    for entity in entities:
        groups.setdefault(entity.category or "Other", []).append((entity, len(linked.backlinks[entity.slug])))
    for members in groups.values():
        members.sort(key=lambda item: (-item[1], item[0].name.lower(), item[0].url))
    return sorted(groups.items(), key=lambda group: (-group[1][0][1], group[0].lower()))


def _nav(site: Site) -> list[tuple[str, str]]:
    """(label, URL) of the site navigation: fixed sections, then pages that ask for it."""
    pages = sorted((p for p in site.pages if p.menu is not None), key=lambda p: (p.menu, p.url))
    fixed = [("Home", "/"), ("Articles", "/articles/"), ("People", "/people/"), ("Topics", "/topics/"),
             ("Search", "/search/")]
    return fixed + [(p.title, p.url) for p in pages]


def reading_minutes(body: str) -> int:
    """Minutes a reader needs at about 230 words a minute (at least one)."""
    return max(1, round(len(body.split()) / 230))


def output_path(url: str) -> str:
    """The file a URL is served from: pretty URLs end in index.html."""
    path = url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def _render(env: jinja2.Environment, project: Project, name: str, context: dict[str, Any]) -> str:
    """Render one template; template mistakes become problems naming the template line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        path = project.rel(Path(exc.filename)) if exc.filename else f"templates/{name}"
        raise ProjectError(error(path, exc.lineno or 0, f"template syntax error: {exc.message}",
                                 "see https://jinja.palletsprojects.com/templates/")) from None
    except jinja2.TemplateNotFound as exc:
        raise ProjectError(error(f"templates/{name}", 0, f"template not found: {exc.name}",
                                 "add the template or fix the name in {% extends %} / {% include %}")) from None
    except (jinja2.UndefinedError, jinja2.TemplateRuntimeError, TypeError, ValueError) as exc:
        path, line = _template_frame(project, exc) or (f"templates/{name}", 0)
        raise ProjectError(error(path, line, f"template error: {exc}",
                                 "check the variable names this template uses (first seen rendering "
                                 f"{context.get('page_url', '?')})")) from None


def _template_frame(project: Project, exc: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in an exception's traceback."""
    templates = str(project.templates.resolve())
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(templates):
            found = (project.rel(Path(frame.filename).resolve()), frame.lineno or 0)
    return found
