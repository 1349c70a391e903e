"""The one Python-Markdown setup every page body goes through.

Everything here extends Python-Markdown through its registries, with named processors
and explicit priorities:

* raw HTML is text, never markup (the HTML preprocessor and inline pattern are removed),
  so a ``<script>`` in a seed or a content file shows as characters and never runs;
* ``Caption:`` blocks become figure captions with their photo credit;
* links are checked and rewritten: ``/...`` gets the site's base path (and must name a
  page of the site), links to other content files (``../people/klim-shipenko.md``)
  become their page URL, links with unsafe schemes (``javascript:``) are removed, and an
  image needs alt text; a link is judged by the URL a browser reads from it, after
  character references and the URL parser's whitespace rules (``jav&#x61;script:``);
* names of people and topics are linked by ``linking.EntityLinker``;
* Markdown nested too deeply (lists, quotes, emphasis) is a problem with its line,
  never a traceback;
* the final HTML passes an allowlist sanitizer (Ammonia, through ``nh3``) that keeps
  exactly the tags, attributes and URL schemes this setup makes: a last line of
  defence, should a processor above ever let something through.

``convert_bodies`` converts every body of a site, reusing the conversions of an earlier
build (``ConvertCache``) when nothing they depend on changed.
"""

from __future__ import annotations

import hashlib
import html
import html.entities
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import HtmlInlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from .errors import Problem, ProjectError, error, quoted, shown, warning
from .linking import AliasIndex, EntityLinker, LinkContext, Mention, entities_of
from .metadata import FEED_SIZE
from .model import Site
from .parallel import Progress, parallel_map
from .pictures import BODY_SIZES, Picture, attributes, is_picture, resolve
from .text import UNPRINTABLE

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
MAX_NESTING = 100  # levels of lists, quotes and emphases inside each other; no text needs a tenth
TOO_DEEP = f"Markdown nested too deeply (lists, quotes or emphasis more than {MAX_NESTING} levels)"


def _bare(text: str) -> str:
    """An input value for a message without quotes (a path, a URL), cut like quoted ones."""
    return quoted(text)[1:-1]


# --------------------------------------------------------------------------- URLs as browsers read them

# Python-Markdown placeholders that can still be in an attribute when treeprocessors run:
# a backslash-escaped character (STX 46 ETX for "\.") and the "&" of an obfuscated
# mailto: link (STX amp ETX).
_ESCAPED = re.compile(r"\x02(\d+)\x03")
# HTML's character references: numeric, and named (the legacy names may lack the ";").
_CHARACTER_REFERENCE = re.compile(r"&(?:#([0-9]+);?|#[xX]([0-9a-fA-F]+);?|([A-Za-z][A-Za-z0-9]*;?))")
_LONGEST_NAME = max(len(name) for name in html.entities.html5)
# The WHATWG URL parser strips C0 controls and spaces around a URL and drops every tab
# and newline inside it before it reads the scheme: "java\tscript:" is "javascript:".
_URL_EDGES = "".join(chr(c) for c in range(0x21))
_URL_DROPPED = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def typed(value: str) -> str:
    """An attribute value from the tree as the editor typed it (Python-Markdown's placeholders undone)."""
    value = value.replace(AMP_SUBSTITUTE, "&")
    return _ESCAPED.sub(lambda m: "\\" + chr(int(m.group(1))), value) if "\x02" in value else value


def browser_url(value: str) -> str:
    """The URL a browser reads from an attribute value written as ``value``.

    Character references are decoded as the HTML tokenizer decodes them in an
    attribute, then the URL parser's preprocessing is applied.
    """
    value = value.replace(AMP_SUBSTITUTE, "&")
    if "\x02" in value:
        value = _ESCAPED.sub(lambda m: chr(int(m.group(1))), value)
    if "&" in value:
        value = _CHARACTER_REFERENCE.sub(_decode_reference, value)
    return _URL_DROPPED.sub("", value.strip(_URL_EDGES))


def _decode_reference(match: re.Match[str]) -> str:
    """One character reference in an attribute value, decoded as the HTML tokenizer does."""
    decimal, hexadecimal, name = match.groups()
    if name is None:
        digits = (decimal or hexadecimal).lstrip("0") or "0"
        number = int(digits, 10 if decimal else 16) if len(digits) <= 8 else 0x110000  # never a huge int
        if number == 0 or number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
            return "\ufffd"
        if 0x80 <= number <= 0x9F:
            return html.unescape(f"&#{number};")  # the Windows-1252 characters HTML reads these as
        return chr(number)
    # The longest name the reference starts with: with its ";", or a legacy name without.
    for length in range(min(len(name), _LONGEST_NAME), 1, -1):
        candidate = name[:length]
        if candidate in html.entities.html5:
            rest = name[length:]
            following = rest[:1] or match.string[match.end():match.end() + 1]
            if not candidate.endswith(";") and (following.isascii() and following.isalnum() or following == "="):
                break  # "&copy=x" stays as typed inside an attribute, for historical reasons
            return html.entities.html5[candidate] + rest
    return match.group(0)


def url_scheme(url: str) -> str:
    """The scheme of a URL as the browser reads it ("javascript"), or "" for a relative URL."""
    found = _SCHEME.match(url)
    return found.group(1).lower() if found else ""


@dataclass(frozen=True)
class LinkWorld:
    """What links in a body can point at: the site's files and pages."""

    source_urls: dict[str, str] = field(default_factory=dict)  # content file -> URL
    drafts: frozenset[str] = frozenset()  # content files left out as drafts
    broken: frozenset[str] = frozenset()  # content files that failed to load (reported already)
    page_urls: frozenset[str] | None = None  # every page URL; None skips checking "/..." links
    pictures: dict[str, Picture] = field(default_factory=dict)  # picture files of content/ by path

    @classmethod
    def of(cls, site: Site, check_pages: bool = True) -> LinkWorld:
        return cls(site.source_urls(), frozenset(site.drafts), frozenset(site.broken),
                   site.page_urls() if check_pages else None, {p.path: p for p in site.pictures})

    def content(self, path: str) -> tuple[str, str]:
        """("url", URL), ("draft", ""), ("broken", "") or ("missing", "") for a content file."""
        if path in self.source_urls:
            return "url", self.source_urls[path]
        if path in self.drafts:
            return "draft", ""
        return ("broken", "") if path in self.broken else ("missing", "")

    def page(self, path: str) -> bool:
        """Whether a site path ("/articles/x/") is a page or file the site publishes."""
        if self.page_urls is None or path in self.page_urls:
            return True
        last = path.rsplit("/", 1)[-1]
        looks_like_page = path.endswith("/") or last.endswith(".html") or "." not in last
        return not looks_like_page  # assets and other files are not checked here

    def answer(self, kind: str, key: str) -> object:
        if kind == "picture":
            return self.pictures.get(key)
        return self.content(key) if kind == "content" else self.page(key)


@dataclass
class DocumentContext:
    """What the processors need to know about the document being converted, and what they saw."""

    path: str = ""  # project-relative source path, for messages and relative links
    body: str = ""  # the Markdown source, to find the line of a problem
    body_line: int = 1
    problems: list[Problem] = field(default_factory=list)
    # Every question asked of the LinkWorld and its answer, so a cached conversion
    # can tell whether it still holds after files were added, removed or renamed.
    lookups: list[tuple[str, str, object]] = field(default_factory=list)

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
    CREDIT = re.compile(r"^(Photos?|Photograph|Image|Picture|Video|Credit|Fotos?|Imagem|Immagine|Bild|Crédito|Crédit|"
                        r"Фото|Видео|사진|写真|图片|صورة|عکس|Φωτογραφία|צילום):\s*\S", re.IGNORECASE)

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
    """Check and rewrite link targets and images (see the module docstring)."""

    def __init__(self, md: markdown.Markdown, ext: SiteExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        # A list: a picture becomes a <picture> with an <img> of its own, whose address
        # is final and must not be rewritten again.
        for element in list(root.iter()):
            if element.tag == "img" and not (element.get("alt") or "").strip():
                self._missing_alt(element)
            attribute = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            if attribute and element.get(attribute) is not None:
                self._rewrite(element, attribute)

    def _missing_alt(self, element: etree.Element) -> None:
        doc = self.ext.doc
        src = typed(element.get("src", ""))
        doc.problems.append(error(doc.path, doc.line_of(f"]({src}") if src else doc.body_line,
                                  f"image {shown(src)} has no alt text",
                                  f"describe the image for readers who cannot see it: ![what it shows]({_bare(src)})"))

    def _rewrite(self, element: etree.Element, attribute: str) -> None:
        raw = element.get(attribute, "")
        written = typed(raw).strip()  # to quote it and find its line
        # Judged and routed by what a browser reads: "jav&#x61;script:" is "javascript:".
        url = browser_url(raw)
        scheme = url_scheme(url)
        if scheme:
            if scheme not in SAFE_SCHEMES:
                self._unsafe(element, attribute, written, url, scheme)
            return
        parts = urlsplit(url)
        if parts.netloc or not parts.path:  # //host/... or #fragment only
            return
        if parts.path.startswith("/"):
            self._site_link(element, attribute, parts.path, url, written)
        elif element.tag == "img" and is_picture(parts.path):
            self._picture(element, parts.path, written)
        elif parts.path.endswith(".md"):
            self._content_link(element, attribute, parts.path, url, written)

    def _unsafe(self, element: etree.Element, attribute: str, written: str, url: str, scheme: str) -> None:
        """A link whose scheme could run code (javascript:, vbscript:, data: ...) is removed and reported."""
        doc = self.ext.doc
        del element.attrib[attribute]
        reads = f" (which a browser reads as {shown(url)})" if url != written else ""
        message = (f"link to {shown(written)}{reads} uses the scheme '{scheme}:', which could run code in a "
                   "reader's browser")
        doc.problems.append(error(doc.path, doc.line_of(written), message,
                                  "link to an http(s) or mailto: address or to a page of the site"))

    def _site_link(self, element: etree.Element, attribute: str, path: str, url: str, written: str) -> None:
        """A link written from the site root: it gets the base path, and must name a page."""
        doc = self.ext.doc
        exists = self.ext.world.page(path)
        doc.lookups.append(("page", path, exists))
        if not exists:
            doc.problems.append(error(doc.path, doc.line_of(written), f"links to {_bare(path)}, which is not a page "
                                      "of this site", "fix the address, or link to the content file: "
                                      "[text](../articles/x.md)"))
        element.set(attribute, self.ext.base_path + url.lstrip("/"))

    def _picture(self, element: etree.Element, path: str, written: str) -> None:
        """A picture of the content folder becomes a ``<picture>``: WebP and fallback renditions
        at a few widths, with the picture's own width and height."""
        doc = self.ext.doc
        wanted = resolve(doc.path, path)
        picture = self.ext.world.pictures.get(wanted)
        doc.lookups.append(("picture", wanted, picture))
        if picture is None:
            doc.problems.append(error(doc.path, doc.line_of(written),
                                      f"shows the picture {shown(written)}, but {_bare(wanted)} is not a picture "
                                      "file in content/", "fix the path (it is relative to this file)"))
            return
        source, image = attributes(picture, element.get("alt", ""), BODY_SIZES, self.ext.base_path)
        title, tail = element.get("title"), element.tail
        element.clear()
        element.tag, element.tail = "picture", tail
        etree.SubElement(element, "source", source)
        img = etree.SubElement(element, "img", image)
        if title:
            img.set("title", title)

    def _content_link(self, element: etree.Element, attribute: str, path: str, url: str, written: str) -> None:
        """A relative link to another content file becomes that page's URL."""
        doc = self.ext.doc
        wanted = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), path))
        state, page_url = self.ext.world.content(wanted)
        doc.lookups.append(("content", wanted, (state, page_url)))
        if state == "draft":
            # The page is a draft, left out of this build: keep the words, drop the link.
            element.tag = "span"
            del element.attrib[attribute]
            doc.problems.append(warning(doc.path, doc.line_of(written),
                                        f"links to {_bare(wanted)}, which is a draft; the link is left out until it "
                                        "is published", "remove 'draft: true' there, or build with --drafts"))
        elif state == "missing":
            doc.problems.append(error(doc.path, doc.line_of(written),
                                      f"links to {shown(written)}, but {_bare(wanted)} does not exist",
                                      "fix the path (it is relative to this file) or remove the link"))
        elif state == "url":
            fragment = url.partition("#")[2]
            element.set(attribute, self.ext.base_path + page_url.lstrip("/") + (f"#{fragment}" if fragment else ""))


_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z0-9]+);")
# Python-Markdown's "entity" pattern, for references of at most 8 digits: a longer one
# is no character anyway, stays text (ReferenceGuard shows it as typed), and never
# reaches html.unescape, whose int() refuses 4,300 digits and more with a ValueError.
_ENTITY = r"(&(?:\#[0-9]{1,8}|\#[xX][0-9a-fA-F]{1,8}|[a-zA-Z0-9]+);)"


class ReferenceGuard(Postprocessor):
    """Character references a page may not carry are shown as typed, not decoded.

    Python-Markdown leaves any ``&...;`` alone as "already an entity", so ``&#27;`` or
    ``&#xD800;`` would reach the page as a control character or a surrogate (a parse
    error, and an XML feed that no reader accepts), and ``&bogus;`` as a broken one.
    """

    def run(self, text: str) -> str:
        return _REFERENCE.sub(self._keep_or_escape, text) if "&" in text else text

    @staticmethod
    def _keep_or_escape(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("#"):
            digits = (name[2:] if name[1] in "xX" else name[1:]).lstrip("0")
            # Past 8 digits the number is out of range anyway (and int() refuses 4,300 and more).
            number = 0 if len(digits) > 8 else int(digits or "0", 16 if name[1] in "xX" else 10)
            ok = 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF and number != 0x0D \
                and not UNPRINTABLE.fullmatch(chr(number))
        else:
            ok = name + ";" in html.entities.html5
        return match.group(0) if ok else "&amp;" + match.group(0)[1:]


# --------------------------------------------------------------------------- nesting and sanitizing


class TooDeep(Exception):
    """The document nests lists, quotes or emphases more than MAX_NESTING levels."""


# Elements that make no nesting level of their own: a list item or a paragraph belongs
# to its list or quote.
_FLAT = frozenset({"li", "p"})


class NestingLimit(Treeprocessor):
    """Stops a document whose lists, quotes or emphases nest more than MAX_NESTING levels.

    Deeper trees make Python-Markdown and the processors after this one recurse past
    Python's limit, at a depth that depends on the call stack; a fixed limit, checked
    without recursion, gives every build the same answer.
    """

    def run(self, root: etree.Element) -> None:
        stack = [(root, 0)]
        while stack:
            element, depth = stack.pop()
            for child in element:
                level = depth + (child.tag not in _FLAT)
                if level > MAX_NESTING:
                    raise TooDeep
                stack.append((child, level))


class FootnoteList(Treeprocessor):
    """Footnotes a reader can find and press: the list gets a heading instead of a rule,
    and references written side by side are kept apart by a comma (¹,²,³, which a
    screen reader reads as "1, 2, 3" and not "123"). Their size is the stylesheet's."""

    def run(self, root: etree.Element) -> None:
        for block in root.iter():
            children = list(block)
            for before, sup in zip(children, children[1:], strict=False):
                if _footnote_ref(before) and _footnote_ref(sup) and not (before.tail or "").strip():
                    separator = etree.Element("span", {"class": "fn-sep"})
                    separator.text = ","
                    sup.insert(0, separator)
        for block in root.iter("div"):
            if block.get("class") == "footnote" and len(block) and block[0].tag == "hr":
                heading = etree.Element("h2", {"class": "footnotes-title"})
                heading.text = "Sources cited"
                heading.tail = block[0].tail
                block.remove(block[0])
                block.insert(0, heading)


def _footnote_ref(element: etree.Element) -> bool:
    return element.tag == "sup" and len(element) > 0 and element[-1].get("class") == "footnote-ref"


_QUOTE_MARK = re.compile(r" {0,3}> ?")
_ITEM_MARK = re.compile(r"( *)(?:[*+-]|\d{1,9}[.)]) +")
_EMPHASIS_RUN = re.compile(r"[*_]+")


def nesting_of(line: str) -> int:
    """About how many levels of quotes, lists and emphases a line of Markdown opens.

    An estimate, to point at the line where a document gets too deep, not a parser.
    """
    depth, rest = _block_levels(line)
    return depth + max(map(len, _EMPHASIS_RUN.findall(rest)), default=0)


def _block_levels(line: str) -> tuple[int, str]:
    """How many list and quote levels a line opens, and the rest of the line."""
    depth, position, line = 0, 0, line.expandtabs(4)
    while True:
        quote = _QUOTE_MARK.match(line, position)
        item = None if quote else _ITEM_MARK.match(line, position)
        if not (quote or item):
            return depth, line[position:]
        depth += 1 if quote else len(item.group(1)) // 4 + 1  # Python-Markdown nests a list by 4 spaces
        position = (quote or item).end()


_BACKSLASHED = re.compile(r"\\.")
_BACKTICKS = re.compile(r"`+")
MAX_UNCLOSED = 200  # "[" without "]", or "](" without ")", in one paragraph; and twice as many runs of "`"
MAX_PARAGRAPH_LINES = 2000
# Characters that can start inline Markdown (an escape, code, emphasis, a link, an image,
# a reference): a long news paragraph has a few dozen, a long page a few hundred.
_INLINE_MARKER = re.compile(r"[\\`*_\[!<&]")
MAX_PARAGRAPH_MARKERS = 5_000
MAX_MARKERS = 100_000


def costly_line(body: str) -> tuple[int, str] | None:
    """(0-based line, message) of the first block that would keep Python-Markdown busy for minutes.

    Several of its parsers cost time in the square of what a paragraph holds: the link
    parser looks for the end of every "[" and "](" from where it starts (10 kB of "["
    took 15 s, 100 kB half an hour), the code-span pattern does the same for runs of
    backticks, reference definitions are taken out of a paragraph one at a time, and
    every inline element rebuilds the text of its paragraph (320 kB of "&#1;" took 22 s);
    lists nested hundreds of levels cost seconds a level; and each inline element costs
    about 60 microseconds (2 MB of "*a" took 24 s). All are refused before parsing: none
    occurs in real text.
    """
    if (len(body) <= 20_000 and body.count("[") <= MAX_UNCLOSED and body.count("`") <= 2 * MAX_UNCLOSED
            and body.count("\n") <= MAX_PARAGRAPH_LINES and body.count(">") <= 2 * MAX_NESTING
            and " " * (8 * MAX_NESTING) not in body):
        return None  # the common case, decided without a scan
    if (markers := len(_INLINE_MARKER.findall(body))) > MAX_MARKERS:
        return 0, (f"Markdown too costly to convert: {markers:,} characters that start inline Markdown "
                   f"(at most {MAX_MARKERS:,} a page)")
    start, block = 0, []
    for number, line in enumerate([*body.split("\n"), ""]):
        if _block_levels(line)[0] > 2 * MAX_NESTING:
            return too_deep_line(body), TOO_DEEP
        if line.strip():
            if not block:
                start = number
            block.append(line)
            continue
        if block and (why := _costly_paragraph(block)):
            return start, f"Markdown too costly to convert: {why}"
        block = []
    return None


def _costly_paragraph(lines: list[str]) -> str:
    """What makes one paragraph (lines without a blank one) too costly to parse, or ""."""
    if len(lines) > MAX_PARAGRAPH_LINES:
        return f"a paragraph of more than {MAX_PARAGRAPH_LINES} lines (put blank lines between its parts)"
    text = "\n".join(lines)
    if _unclosed(text) > MAX_UNCLOSED:
        return f"more than {MAX_UNCLOSED} unclosed '[' or '](' in one paragraph"
    if len(_BACKTICKS.findall(text)) > 2 * MAX_UNCLOSED:
        return f"more than {2 * MAX_UNCLOSED} runs of '`' in one paragraph"
    # Every inline element rebuilds the text of its paragraph: the cost is the square of their number.
    if len(_INLINE_MARKER.findall(text)) > MAX_PARAGRAPH_MARKERS:
        return (f"more than {MAX_PARAGRAPH_MARKERS:,} characters that start inline Markdown in one paragraph "
                "(put blank lines between its parts)")
    return ""


def _unclosed(text: str) -> int:
    """The most "[" open at once, or "](" waiting for their ")", in a paragraph."""
    text = _BACKSLASHED.sub("", text)
    depth = deepest = waiting = 0
    for match in re.finditer(r"\]\(|[\[\])]", text):
        token = match.group()
        if token == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif token == ")":
            waiting = max(0, waiting - 1)
        else:
            depth = max(0, depth - 1)
            waiting += token == "]("
    return max(deepest, waiting)


def too_deep_line(body: str) -> int:
    """The 0-based line of ``body`` where nesting first goes past MAX_NESTING (else the deepest line)."""
    depths = [nesting_of(line) for line in body.split("\n")]
    deepest = max(range(len(depths)), key=lambda i: depths[i])
    return next((i for i, depth in enumerate(depths) if depth > MAX_NESTING), deepest)


def _sanitizer() -> nh3.Cleaner:
    """The allowlist of what this Markdown setup writes, and nothing else.

    Tags and attributes of Python-Markdown with tables, fenced code, footnotes,
    sane lists and toc (heading ids, a ``[TOC]`` list), of captions (figure), of links
    made into text (a draft's span keeps its title), and of entity links.
    """
    headings = {f"h{level}" for level in range(1, 7)}
    tags = {"a", "blockquote", "br", "code", "div", "em", "figcaption", "figure", "hr", "img", "li", "ol", "p", "pre",
            "picture", "small", "source", "span", "strong", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
            *headings}
    attributes = {"a": {"href", "title"}, "ol": {"start"}, "span": {"title"},
                  "img": {"alt", "src", "title", "srcset", "sizes", "width", "height", "loading", "decoding"},
                  "source": {"type", "srcset", "sizes"},
                  "li": {"id"}, "sup": {"id"}, "pre": {"class", "id"}, "code": {"class"},
                  **{heading: {"id"} for heading in headings}}
    classes = {"a": {"entity", "footnote-ref", "footnote-backref"}, "div": {"footnote", "toc"},
               "figure": {"caption"}, "span": {"caption-text", "fn-sep"}, "small": {"caption-credit"},
               "h2": {"footnotes-title"}}
    # The tables extension aligns columns with exactly these styles.
    aligned = {"style": {f"text-align: {side};" for side in ("left", "center", "right")}}
    return nh3.Cleaner(tags=tags, attributes=attributes, allowed_classes=classes,
                       tag_attribute_values={"th": aligned, "td": aligned}, url_schemes=set(SAFE_SCHEMES),
                       link_rel=None, strip_comments=True)


class Sanitizer(Postprocessor):
    """The final HTML through the allowlist of ``_sanitizer``: what the processors above
    should never let through (an event attribute, a ``javascript:`` URL, a tag of raw
    HTML) is dropped here even if one of them does. It also serializes the HTML afresh
    (``<hr>``, characters instead of references such as ``&eacute;``)."""

    cleaner = _sanitizer()

    def run(self, text: str) -> str:
        return self.cleaner.clean(text) if text else text


class SiteExtension(Extension):
    """Registers this project's processors and removes raw HTML handling."""

    def __init__(self, base_path: str = "/", world: LinkWorld | None = None):
        super().__init__()
        self.base_path = base_path
        self.world = world or LinkWorld()
        self.doc = DocumentContext()

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(HtmlInlineProcessor(_ENTITY, md), "entity", 80)  # replaces the built-in one
        md.parser.blockprocessors.register(CaptionProcessor(md.parser), "caption", 18)
        # After "inline" (20) so links made by inline patterns exist; before prettify (10).
        md.treeprocessors.register(LinkProcessor(md, self), "site_links", 15)
        # After "inline" (20), which makes the emphases; before the processors that recurse.
        md.treeprocessors.register(NestingLimit(md), "nesting_limit", 19)
        # After "footnote-duplicate" (15), which adds the last back-references; before prettify (10).
        md.treeprocessors.register(FootnoteList(md), "footnote_list", 11)
        # Sees the final text, before the sanitizer would decode "&#27;" into a character.
        md.postprocessors.register(ReferenceGuard(md), "reference_guard", 5)
        md.postprocessors.register(Sanitizer(md), "sanitizer", 0)  # last: nothing changes the HTML after it

    def reset(self) -> None:
        self.doc = DocumentContext()


class Renderer:
    """Converts Markdown bodies to HTML with one configured Python-Markdown instance."""

    def __init__(self, base_path: str = "/", world: LinkWorld | None = None, index: AliasIndex | None = None,
                 entity_urls: dict[str, str] | None = None):
        self.site = SiteExtension(base_path, world)
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
        html, doc = self.convert_document(body, path, body_line, link)
        return html, doc.problems

    def convert_document(self, body: str, path: str = "", body_line: int = 1,
                         link: LinkContext | None = None) -> tuple[str, DocumentContext]:
        """Like ``convert``, with everything the processors recorded about the document."""
        self.md.reset()
        doc = self.site.doc = DocumentContext(path=path, body=body, body_line=body_line)
        self.linker.context = link or LinkContext()
        self.linker.doc = doc
        if costly := costly_line(body):
            hint = "nest fewer lists or quotes inside each other" if costly[1] == TOO_DEEP else \
                "split the paragraph, close its brackets, or write them as \\[ \\] \\`"
            doc.problems.append(error(path, body_line + costly[0], costly[1], hint))
            return "", doc
        try:
            html = self.md.convert(body)
        except (TooDeep, RecursionError):
            # Lists nested a few hundred deep make Python-Markdown's parser recurse past
            # Python's limit before NestingLimit sees the tree; either way, one problem.
            self.md.parser.state.clear()  # a parse cut short leaves its states behind
            doc.problems.append(error(path, body_line + too_deep_line(body), TOO_DEEP,
                                      "nest fewer lists or quotes inside each other"))
            html = ""
        return html, doc


# --------------------------------------------------------------------------- a whole site


@dataclass(frozen=True)
class Conversion:
    """One converted body and what it depends on besides its own text.

    ``key`` holds the inputs themselves (compared by identity, fast, within a process);
    a conversion restored from the build cache has only ``digest``, a hash of them.
    """

    key: tuple | None
    digest: str
    html: str
    problems: tuple[Problem, ...]
    mentions: tuple[Mention, ...]
    passages: tuple[str, ...]
    lookups: tuple[tuple[str, str, object], ...]


class ConvertCache:
    """Conversions kept between builds, by body: reused while their inputs hold.

    A conversion depends on its Markdown and settings (its key), on the answers the
    site gave to its link lookups, and on the aliases that occur in its text. When
    aliases change (a person added, a spelling listed), only bodies that contain one of
    the changed aliases are converted again.
    """

    def __init__(self) -> None:
        self.entries: dict[str, Conversion] = {}
        self.aliases: dict[str, tuple[str, ...]] = {}
        self.changes = 0  # builds that converted or dropped a body since the cache was made
        # The last build's jobs (name -> its source item, settings, job), within one process.
        self.jobs: dict[str, tuple[object, tuple, Job]] = {}
        # The last build's LinkWorld, within one process: every kept conversion's lookups
        # were answered alike in it (made there, or checked against it).
        self.world: LinkWorld | None = None

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.jobs, self.world = {}, None

    def changed_aliases(self, current: dict[str, tuple[str, str]]) -> list[str]:
        return sorted(a for a in self.aliases.keys() | current.keys() if self.aliases.get(a) != current.get(a))

    def __getstate__(self) -> dict:
        """For the build cache: the inputs themselves stay out, their digest is enough."""
        entries = {name: replace(c, key=None) for name, c in self.entries.items()}
        return {"entries": entries, "aliases": self.aliases, "changes": self.changes}


@dataclass(frozen=True)
class Converted:
    """Every body of a site as HTML, with the mentions and passages of each article."""

    bodies: dict[str, str]
    mentions: dict[str, tuple[Mention, ...]]
    passages: dict[str, tuple[str, ...]]
    feed_bodies: dict[str, str]
    warnings: tuple[Problem, ...] = ()
    converted: int = 0  # bodies actually converted (not reused), for progress reports
    cites: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity URL -> article URLs its body links to


@dataclass(frozen=True)
class Job:
    """One body to convert, with everything its conversion depends on besides the site."""

    name: str  # the page URL, or "feed:" + URL for an article's feed entry
    body: str
    path: str
    body_line: int
    base_path: str
    overrides: tuple[tuple[str, str | None], ...] = ()
    self_slug: str | None = None
    collect: bool = False  # record mentions (articles)
    passages: bool = False  # keep the plain text of each passage (for suggest)
    language: str = ""  # the article's language, for the dictionary forms of its words

    @cached_property
    def key(self) -> tuple:
        """Once per job: a job kept from the last build gives its conversion the very same
        tuple, recognised by identity (see _Converter._still_valid)."""
        return (self.body, self.path, self.body_line, self.base_path, self.overrides, self.self_slug,
                self.collect, self.passages, self.language)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(repr(self.key).encode("utf-8")).hexdigest()


class _Converter:
    """Converts the bodies of one build: through the cache when there is one, on every core when many."""

    def __init__(self, site: Site, index: AliasIndex, cache: ConvertCache | None, world: LinkWorld):
        entities = entities_of(site)
        self.entity_urls = {slug: e.url for slug, e in entities.items()}
        self.index = index
        index.prepare()  # before the workers fork: they share the tables instead of each making them
        self.world = world
        # The same world as the last build's: no kept conversion's lookups need asking again.
        # 5,500 bodies' lookups asked again were 12-15 ms of every rebuild in serve at 5,000 articles.
        self.world_held = cache is not None and cache.world == world
        self.renderers: dict[str, Renderer] = {}
        self.cache = cache
        aliases = {alias: (*slugs, self.entity_urls.get(slugs[0], "")) for alias, slugs in index.signature().items()}
        self.changed = cache.changed_aliases(aliases) if cache else []
        if cache is not None:
            cache.aliases = aliases
        self.count = 0
        self.jobs: dict[str, tuple[object, tuple, Job]] = {}

    def job(self, name: str, source: object, settings: tuple, make: Callable[[], Job]) -> Job:
        """The job for body ``name``: the last build's very object while ``source`` (the article,
        entity or page, the same object while its file is unchanged) and ``settings`` are the
        same. 5,500 jobs made afresh were 14 ms of every rebuild in serve at 5,000 articles."""
        kept = self.cache.jobs.get(name) if self.cache is not None else None
        job = kept[2] if kept is not None and kept[0] is source and kept[1] == settings else make()
        self.jobs[name] = (source, settings, job)
        return job

    def renderer(self, base_path: str) -> Renderer:
        if base_path not in self.renderers:
            self.renderers[base_path] = Renderer(base_path, self.world, self.index, self.entity_urls)
        return self.renderers[base_path]

    def convert_all(self, jobs: list[Job]) -> dict[str, Conversion]:
        """The conversion of every job, reused or made; the cache keeps exactly these."""
        done: dict[str, Conversion] = {}
        todo = []
        for job in jobs:
            cached = self.cache.entries.get(job.name) if self.cache else None
            if cached is not None and self._still_valid(cached, job):
                done[job.name] = _keyed(cached, job)
            else:
                todo.append(job)
        progress = Progress("converting", len(todo))
        for job, conversion in zip(todo, parallel_map(lambda i: self.run(todo[i]), len(todo), progress), strict=True):
            done[job.name] = _keyed(conversion, job)
        progress.done()
        self.count = len(todo)
        if self.cache is not None:
            if todo or done.keys() != self.cache.entries.keys():
                self.cache.changes += 1
            self.cache.entries, self.cache.jobs, self.cache.world = done, self.jobs, self.world
        return done

    def run(self, job: Job) -> Conversion:
        context = LinkContext(overrides=dict(job.overrides), self_slug=job.self_slug, collect=job.collect,
                              language=job.language)
        html, doc = self.renderer(job.base_path).convert_document(job.body, job.path, job.body_line, context)
        return Conversion(job.key, job.digest, html, tuple(doc.problems), tuple(context.mentions),
                          tuple(context.passages) if job.passages else (), tuple(doc.lookups))

    def _still_valid(self, cached: Conversion, job: Job) -> bool:
        same = cached.key is job.key or (  # identity: made from this very job, kept from the last build
            cached.key == job.key if cached.key is not None else cached.digest == job.digest)
        if not same:
            return False
        if not self.world_held and any(self.world.answer(kind, target) != answer
                                       for kind, target, answer in cached.lookups):
            return False
        return not (self.changed and self.index.reaches(job.body, self.changed))


def _keyed(conversion: Conversion, job: Job) -> Conversion:
    """``conversion`` holding ``job``'s own key, so the next build knows it by identity. One
    made in a worker process came back with a copy of it (the body's text a second time,
    compared again by value in every rebuild: 17 ms each at 5,000 articles); one restored
    from the build cache has none."""
    return conversion if conversion.key is job.key else replace(conversion, key=job.key)


def convert_bodies(site: Site, index: AliasIndex, cache: ConvertCache | None = None,
                   check_pages: bool = True, strict: bool = True, passages: bool = False) -> Converted:
    """Convert every article, entity and page body; raise one ProjectError for all problems.

    Without ``strict``, errors come back with the warnings instead (for ``check``);
    ``passages`` keeps the plain text of every article passage (for ``suggest``).
    """
    converter = _Converter(site, index, cache, LinkWorld.of(site, check_pages))
    base, job = site.config.base_path, converter.job
    settings = (base, passages)
    jobs = [job(a.url, a, settings, lambda a=a: Job(a.url, a.body, a.source.path, a.source.body_line, base, a.links,
                                                    collect=True, passages=passages, language=a.language))
            for a in site.articles]
    jobs += [job(e.url, e, settings, lambda e=e: Job(e.url, e.body, e.source.path, e.source.body_line, base,
                                                     self_slug=e.slug))
             for e in entities_of(site).values()]
    jobs += [job(p.url, p, settings, lambda p=p: Job(p.url, p.body, p.source.path, p.source.body_line, base))
             for p in site.pages]
    # The newest articles again, with absolute links, for the Atom feed: a feed reader
    # shows an entry away from the site, where "/people/x/" means nothing.
    feed = site.articles[:FEED_SIZE]
    absolute = (site.config.base_url,)
    feed_jobs = [job("feed:" + a.url, a, absolute, lambda a=a: Job("feed:" + a.url, a.body, a.source.path,
                                                                  a.source.body_line, site.config.base_url, a.links,
                                                                  language=a.language))
                 for a in feed]
    done = converter.convert_all(jobs + feed_jobs)
    problems = [p for job in jobs for p in done[job.name].problems]
    bodies = {job.name: done[job.name].html for job in jobs}
    bodies.update(_home_parts(site, converter.renderer(base), problems))
    if strict and any(p.is_error for p in problems):
        raise ProjectError(problems)
    articles = {a.url for a in site.articles}
    cites = {e.url: tuple(sorted({answer[1] for kind, _, answer in done[e.url].lookups
                                  if kind == "content" and answer[0] == "url" and answer[1] in articles}))
             for e in entities_of(site).values()}
    return Converted(bodies, {a.url: done[a.url].mentions for a in site.articles},
                     {a.url: done[a.url].passages for a in site.articles},
                     {a.url: done["feed:" + a.url].html for a in feed}, tuple(problems), converter.count, cites)


def _home_parts(site: Site, renderer: Renderer, problems: list[Problem]) -> dict[str, str]:
    """The home page's bodies, facts and timeline events, in reading order.

    They share one set of linked entities, so the home page links each name once
    (which is also why they are always converted together, never from the cache).
    Keys: "/" and "/#timeline" for the bodies, "/#fact-N" and "/#event-N" for the
    inline Markdown of each fact value and event text.
    """
    linked: set[str] = set()
    # (key, Markdown, file, line of its first line): a fact's or event's problems point at its item.
    parts: list[tuple[str, str, str, int]] = []
    if site.home:
        home = site.home.source
        parts += [(f"/#fact-{i}", fact.value, home.path, home.line(f"facts[{i}]"))
                  for i, fact in enumerate(site.home.facts)]
        parts.append(("/", site.home.body, home.path, home.body_line))
    if site.timeline:
        timeline = site.timeline.source
        parts.append(("/#timeline", site.timeline.body, timeline.path, timeline.body_line))
        parts += [(f"/#event-{i}", event.text, timeline.path, timeline.line(f"events[{i}]"))
                  for i, event in enumerate(site.timeline.events)]
    out = {}
    for key, markdown_text, path, line in parts:
        inline = "#fact-" in key or "#event-" in key
        text = _one_paragraph(markdown_text) if inline else markdown_text
        html, found = renderer.convert(text, path, line, LinkContext(linked=linked))
        problems += found
        out[key] = _unwrap_paragraph(html, text) if inline else html
    return out


# What opens a block at the start of a line: a quote, a list item or a heading (their
# markers followed by a space), a rule ("---", "* * *"). "*The Challenge*" is emphasis.
_BLOCK_START = re.compile(r"(\d{1,9})([.)])(?= |$)|>|[*+-](?= |$)|#{1,6}(?= |$)|(?:[-*_] *){3,}$")


def _one_paragraph(text: str) -> str:
    """Inline Markdown as one paragraph: one line, and a first character that would open a
    list, a quote or a heading escaped, so "> x" or "1. x" shows as written."""
    text = " ".join(text.split())
    match = _BLOCK_START.match(text)
    if match and match.group(1):
        return f"{match.group(1)}\\{text[len(match.group(1)):]}"
    return "\\" + text if match else text


def _unwrap_paragraph(html_text: str, markdown_text: str) -> str:
    """Inline HTML of a one-paragraph conversion ("<p>x</p>" -> "x"). Anything else (a
    footnote, a reference definition that swallowed the text) is shown as plain text:
    the page puts this inside a paragraph, where no block may go."""
    if html_text.startswith("<p>") and html_text.endswith("</p>") and html_text.count("<p>") == 1 \
            and "</p>" not in html_text[:-4]:
        return html_text[3:-4]
    return html.escape(markdown_text, quote=False)
