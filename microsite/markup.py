"""The one Python-Markdown setup every page body goes through.

Everything here extends Python-Markdown through its registries, with named processors
and explicit priorities:

* raw HTML is text, never markup (the HTML preprocessor and inline pattern are removed),
  so a ``<script>`` in a seed or a content file shows as characters and never runs;
* ``Caption:`` blocks become figure captions with their photo credit;
* links are checked and rewritten: ``/...`` gets the site's base path, links to other
  content files (``../people/klim-shipenko.md``) become their page URL, and links with
  unsafe schemes (``javascript:``) are removed.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .errors import Problem, ProjectError, error, warning
from .linking import AliasIndex, EntityLinker, LinkContext, Mention, entities_of
from .metadata import FEED_SIZE
from .model import Site

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass
class DocumentContext:
    """What the processors need to know about the document being converted."""

    path: str = ""  # project-relative source path, for messages and relative links
    body: str = ""  # the Markdown source, to find the line of a problem
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, needle: str) -> int:
        """The file line where ``needle`` first occurs in the body (the body's first line if nowhere)."""
        index = self.body.find(needle)
        return self.body_line + (self.body[:index].count("\n") if index >= 0 else 0)


class CaptionProcessor(BlockProcessor):
    """``Caption: text`` (+ an optional ``Photo: credit`` line) to a figure caption.

    Seeds often keep an image's caption without the image; the caption is still part
    of the story, so it is shown as a caption with its credit.
    """

    START = re.compile(r"^Caption:[ \t]*")
    CREDIT = re.compile(r"^(Photos?|Photograph|Image|Picture|Video|Credit|Foto):\s*\S", re.IGNORECASE)

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(self.START.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        lines = self.START.sub("", blocks.pop(0)).split("\n")
        credit = lines.pop() if len(lines) > 1 and self.CREDIT.match(lines[-1]) else ""
        figure = etree.SubElement(parent, "figure", {"class": "caption"})
        caption = etree.SubElement(figure, "figcaption")
        text = etree.SubElement(caption, "span", {"class": "caption-text"})
        text.text = "\n".join(lines)
        if credit:
            small = etree.SubElement(caption, "small", {"class": "caption-credit"})
            small.text = credit


class LinkProcessor(Treeprocessor):
    """Check and rewrite link targets (see the module docstring)."""

    def __init__(self, md: markdown.Markdown, ext: SiteExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            if attribute and element.get(attribute) is not None:
                self._rewrite(element, attribute)

    def _rewrite(self, element: etree.Element, attribute: str) -> None:
        target = element.get(attribute, "").strip()
        doc = self.ext.doc
        parts = urlsplit(target)
        if parts.scheme:
            if parts.scheme.lower() not in SAFE_SCHEMES:
                del element.attrib[attribute]
                message = f"link to {target!r} uses the unsafe scheme '{parts.scheme}:'; it was removed"
                doc.problems.append(error(doc.path, doc.line_of(target), message,
                                          "link to an http(s) address or a page of the site"))
            return
        if parts.netloc or not parts.path:  # //host/... or #fragment only
            return
        if parts.path.startswith("/"):
            element.set(attribute, self.ext.base_path + target.lstrip("/"))
        elif parts.path.endswith(".md"):
            self._content_link(element, attribute, parts.path, target)

    def _content_link(self, element: etree.Element, attribute: str, path: str, target: str) -> None:
        """A relative link to another content file becomes that page's URL."""
        doc = self.ext.doc
        wanted = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), path))
        url = self.ext.source_urls.get(wanted)
        if url is None and wanted in self.ext.drafts:
            # The page is a draft, left out of this build: keep the words, drop the link.
            element.tag = "span"
            del element.attrib[attribute]
            doc.problems.append(warning(doc.path, doc.line_of(target),
                                        f"links to {wanted}, which is a draft; the link is left out until it is "
                                        "published", "remove 'draft: true' there, or build with --drafts"))
            return
        if url is None:
            doc.problems.append(error(doc.path, doc.line_of(target),
                                      f"links to {target!r}, but {wanted} does not exist",
                                      "fix the path (it is relative to this file) or remove the link"))
            return
        fragment = target.partition("#")[2]
        element.set(attribute, self.ext.base_path + url.lstrip("/") + (f"#{fragment}" if fragment else ""))


class SiteExtension(Extension):
    """Registers this project's processors and removes raw HTML handling."""

    def __init__(self, base_path: str = "/", source_urls: dict[str, str] | None = None,
                 drafts: tuple[str, ...] = ()):
        super().__init__()
        self.base_path = base_path
        self.source_urls = source_urls or {}
        self.drafts = frozenset(drafts)
        self.doc = DocumentContext()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.parser.blockprocessors.register(CaptionProcessor(md.parser), "caption", 18)
        # After "inline" (20) so links made by inline patterns exist; before prettify (10).
        md.treeprocessors.register(LinkProcessor(md, self), "site_links", 15)

    def reset(self) -> None:
        self.doc = DocumentContext()


class Renderer:
    """Converts Markdown bodies to HTML with one configured Python-Markdown instance."""

    def __init__(self, base_path: str = "/", source_urls: dict[str, str] | None = None,
                 index: AliasIndex | None = None, entity_urls: dict[str, str] | None = None,
                 drafts: tuple[str, ...] = ()):
        self.site = SiteExtension(base_path, source_urls, drafts)
        self.md = markdown.Markdown(
            extensions=[self.site, "tables", "fenced_code", "footnotes", "sane_lists", "toc"],
            extension_configs={"toc": {"toc_depth": "2-4"}},
            output_format="html",
        )
        self.linker = EntityLinker(self.md, index or AliasIndex({}), entity_urls or {}, base_path)
        # After "site_links" (15), which must not see the entity links' final URLs; before
        # "prettify" (10). The abbreviation extension's linker runs at 7 for the same reasons.
        self.md.treeprocessors.register(self.linker, "entity_links", 12)

    def convert(self, body: str, path: str = "", body_line: int = 1,
                link: LinkContext | None = None) -> tuple[str, list[Problem]]:
        """HTML for one body, and the problems found in it (with their file lines).

        ``link`` sets what the entity linker does for this body (its own entity, the
        article's overrides, whether to record mentions) and receives what it found.
        """
        self.md.reset()
        self.site.doc = DocumentContext(path=path, body=body, body_line=body_line)
        self.linker.context = link or LinkContext()
        html = self.md.convert(body)
        return html, self.site.doc.problems


@dataclass(frozen=True)
class Converted:
    """Every body of a site as HTML, with the mentions and passages of each article."""

    bodies: dict[str, str]
    mentions: dict[str, tuple[Mention, ...]]
    passages: dict[str, tuple[str, ...]]
    feed_bodies: dict[str, str]
    warnings: tuple[Problem, ...] = ()


def _home_parts(site: Site, renderer: Renderer, problems: list[Problem]) -> dict[str, str]:
    """The home page's bodies, facts and timeline events, in reading order.

    They share one set of linked entities, so the home page links each name once.
    Keys: "/" and "/#timeline" for the bodies, "/#fact-N" and "/#event-N" for the
    inline Markdown of each fact value and event text.
    """
    linked: set[str] = set()
    parts: list[tuple[str, str, object]] = []
    if site.home:
        parts += [(f"/#fact-{i}", fact.value, site.home) for i, fact in enumerate(site.home.facts)]
        parts.append(("/", site.home.body, site.home))
    if site.timeline:
        parts.append(("/#timeline", site.timeline.body, site.timeline))
        parts += [(f"/#event-{i}", event.text, site.timeline) for i, event in enumerate(site.timeline.events)]
    out = {}
    for key, markdown_text, owner in parts:
        html, found = renderer.convert(markdown_text, owner.source.path, owner.source.body_line,
                                       LinkContext(linked=linked))
        problems += found
        out[key] = _unwrap_paragraph(html) if "#fact-" in key or "#event-" in key else html
    return out


def _unwrap_paragraph(html: str) -> str:
    """Inline HTML of a one-paragraph conversion ("<p>x</p>" -> "x")."""
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def convert_bodies(site: Site, index: AliasIndex) -> Converted:
    """Convert every article, entity and page body; raise one ProjectError for all problems."""
    entities = entities_of(site)
    renderer = Renderer(site.config.base_path, site.source_urls(), index,
                        {slug: e.url for slug, e in entities.items()}, site.drafts)
    bodies: dict[str, str] = {}
    mentions: dict[str, tuple[Mention, ...]] = {}
    passages: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    jobs = [(a, LinkContext(overrides=dict(a.links), collect=True)) for a in site.articles]
    jobs += [(e, LinkContext(self_slug=e.slug)) for e in entities.values()]
    jobs += [(p, LinkContext()) for p in site.pages]
    for item, context in jobs:
        bodies[item.url], found = renderer.convert(item.body, item.source.path, item.source.body_line, context)
        problems += found
        if context.collect:
            mentions[item.url] = tuple(context.mentions)
            passages[item.url] = tuple(context.passages)
    bodies.update(_home_parts(site, renderer, problems))
    if any(p.is_error for p in problems):
        raise ProjectError(problems)
    return Converted(bodies, mentions, passages, _feed_bodies(site, index), tuple(problems))


def _feed_bodies(site: Site, index: AliasIndex, size: int = FEED_SIZE) -> dict[str, str]:
    """The newest articles' bodies again, with absolute links, for the Atom feed.

    A feed reader shows an entry away from the site, where "/people/x/" means nothing.
    """
    entities = entities_of(site)
    renderer = Renderer(site.config.base_url, site.source_urls(), index,
                        {slug: e.url for slug, e in entities.items()}, site.drafts)
    bodies = {}
    for article in site.articles[:size]:
        context = LinkContext(overrides=dict(article.links))
        bodies[article.url], _ = renderer.convert(article.body, article.source.path, article.source.body_line,
                                                  context)
    return bodies
