"""Load stage: content files to one validated, frozen ``Site``.

Every content file is Markdown with YAML front matter. Front matter is a schema per
kind of content; every problem in every file is collected, with its line, before the
build stops, so an editor fixes them all in one round.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import frontmatter
import yaml

from .config import Project
from .errors import Problem, ProjectError, error, quoted, shown, warning
from .files import MAX_FILE_BYTES, link_problem, read_plain, read_project_file, refuse_binary, too_large
from .model import (
    TRANSLATED,
    Article,
    Entity,
    Event,
    Fact,
    Home,
    Illustration,
    Month,
    Origin,
    Page,
    Site,
    Source,
    Timeline,
    article_order,
    same_objects,
)
from .parallel import parallel_map
from .pictures import Picture, describe_file, is_picture, resolve
from .slugs import RESERVED_WHY, is_reserved, is_valid_slug, slug_problem, slugify
from .text import first_bidi_control, first_invisible, first_unprintable

_HANDLER = frontmatter.YAMLHandler()
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML that leaves dates as text, so ``2021-13-45`` is our error with a line."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

# Folders of content/ and the kind of content each holds.
KINDS = {"articles": "article", "people": "person", "topics": "topic", "pages": "page"}
# Files at the top of content/ that hold one page's own content.
SINGLETONS = {"home.md": "home", "timeline.md": "timeline"}

# URLs the generator itself publishes; no content file may claim them.
RESERVED_URLS = {
    "/": "the home page",
    "/articles/": "the articles index",
    "/articles/page/": "the pages of the articles index",
    "/people/": "the people index",
    "/topics/": "the topics index",
    "/search/": "the search page",
    "/sources/": "the sources page",
    "/assets/": "the theme's assets",
    "/pagefind/": "the search index",
}


# Folders whose every address the build fills itself (assets, the search index, pictures' renditions,
# the articles index's further pages): no redirect may be written into them.
GENERATED = ("/assets/", "/pagefind/", "/images/", "/articles/page/")


@dataclass(frozen=True)
class Document:
    """A content file split into validated-later front matter and Markdown body."""

    path: str
    meta: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int

    def line(self, key: str) -> int:
        """The line a front matter key is on (1 when the key is absent)."""
        return self.key_lines.get(key, 1)


# --------------------------------------------------------------------------- reading


def read_text(project: Project, path: Path, data: bytes | None = None,
              notes: list[Problem] | None = None) -> str:
    """A content file's text, NFC with LF line ends; errors name the line.

    Decoded as seeds are: UTF-8 (BOM allowed), UTF-16 with a BOM (what some Windows
    editors save), and a file with no UTF-8 in it as Windows-1252, with a warning in
    ``notes``; a file that mixes encodings is an error. ``data`` is the file's bytes when
    the caller has read them already (through ``read_project_file`` too: only regular
    files inside the project are ever read).
    """
    rel = project.rel(path)
    if data is None:
        data = read_project_file(project.root, path, rel, "a content file", "split it into several pages")
    elif len(data) > MAX_FILE_BYTES:
        raise too_large(rel, len(data), "a content file", "split it into several pages")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16's NUL bytes are no binary file
        refuse_binary(rel, data, "content files")
    if not data.strip():
        text, found = "", []
    else:
        from .clipping.decoding import decode_seed  # the seeds' decoder, for the same rules

        text, found = decode_seed(rel, data, "content files")
    if notes is not None:
        notes.extend(found)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if found := first_unprintable(text):
        raise ProjectError(error(rel, found[0], f"contains the control character {found[1]}, "
                                                "which no web page or feed may carry", _UNPRINTABLE_HINT))
    # One spelling of each letter: "é" typed as e + combining accent is the same name as "é".
    return unicodedata.normalize("NFC", text)


_UNPRINTABLE_HINT = "delete it (editors show it as a box, a '?' or a code like ^[ or <0x1b>)"


def parse_document(path: str, text: str) -> Document:
    """Split front matter from body and parse the YAML, keeping each key's line."""
    matches = list(_HANDLER.FM_BOUNDARY.finditer(text)) if _HANDLER.detect(text) else []
    if not matches or matches[0].start() != 0:
        raise ProjectError(error(path, 1, "no front matter: the file must start with a line '---'",
                                 "add '---', the fields (title: ...), and '---' at the top of the file"))
    if len(matches) < 2:
        raise ProjectError(error(path, 1, "front matter is not closed",
                                 "add a line '---' after the last front matter field"))
    opening, closing = matches[0], matches[1]
    first_line = text[: opening.end()].count("\n") + 1
    meta, lines = _parse_yaml(path, text[opening.end(): closing.start()], first_line)
    body = text[closing.end():]
    body_line = text[: closing.end()].count("\n") + 1
    stripped = body.lstrip("\n")
    return Document(path, meta, lines, stripped, body_line + body.count("\n") - stripped.count("\n"))


def _parse_yaml(path: str, source: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse a front matter block to (mapping, key -> line)."""
    loader = _FrontMatterLoader(source)
    try:
        _refuse_anchors(path, source, first_line)
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            what = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise ProjectError(error(path, first_line + node.start_mark.line,
                                     f"front matter must be a mapping of fields, not {what}",
                                     "write one 'key: value' per line, e.g. 'title: My title'"))
        return _mapping(path, loader, node, first_line)
    except yaml.MarkedYAMLError as exc:
        line, problem = _yaml_problem(exc, source, first_line)
        hint = "check the indentation and quote values that contain ': ' or start with a symbol"
        raise ProjectError(error(path, line, f"invalid YAML in front matter: {problem}", hint)) from None
    except yaml.YAMLError as exc:
        raise ProjectError(error(path, first_line, f"invalid YAML in front matter: {exc}",
                                 "check the front matter syntax")) from None
    finally:
        loader.dispose()


def _refuse_anchors(path: str, source: str, first_line: int) -> None:
    """Refuse YAML anchors (&name) and aliases (*name), with their line.

    No field needs them, and they make a few hundred bytes expand to gigabytes (the
    "billion laughs"): refusing them before anything is built keeps loading linear.
    """
    if "&" not in source and "*" not in source:
        return
    events = _FrontMatterLoader(source)
    try:
        while events.check_event():
            event = events.get_event()
            alias = isinstance(event, yaml.AliasEvent)
            if alias or getattr(event, "anchor", None):
                what = f"the alias *{event.anchor}" if alias else f"the anchor &{event.anchor}"
                raise ProjectError(error(path, first_line + event.start_mark.line,
                                         f"YAML anchors and aliases are not allowed in front matter "
                                         f"({quoted(what, 40)[1:-1]})",
                                         "write each value out in full; to start a value with & or *, "
                                         "put it in quotes"))
    finally:
        events.dispose()


def _yaml_problem(exc: yaml.MarkedYAMLError, source: str, first_line: int) -> tuple[int, str]:
    """The file line and wording of a YAML error.

    When the parser only noticed the problem at the end of the block (an unclosed
    bracket or quote), the line where the construct started is the one to fix.
    """
    problem = " ".join(str(exc.problem or exc).split())
    mark, context = exc.problem_mark, exc.context_mark
    at_end = mark is not None and not source[mark.index:].strip()
    # An unclosed "[" or "{" is noticed on a later line ("people: [a, b" then "date: ..."):
    # the line to fix is the one that opened it.
    unclosed = context is not None and mark is not None and context.line < mark.line and "flow" in str(exc.context)
    if context is not None and (mark is None or at_end or unclosed):
        what = " ".join(str(exc.context).split())
        return first_line + context.line, f"{problem} ({what} that starts here)"
    return (first_line + mark.line if mark else first_line), problem


def _mapping(path: str, loader: Any, node: yaml.MappingNode, first_line: int) -> tuple[dict, dict]:
    """The top-level mapping with each key's line; duplicate keys are errors."""
    meta: dict[str, Any] = {}
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = first_line + key_node.start_mark.line
        if not isinstance(key, str):
            problems.append(error(path, line, f"front matter key {shown(key)} is not a name",
                                  "keys are words such as title"))
        elif key in meta:
            problems.append(error(path, line, f"{quoted(key)} appears twice in the front matter "
                                              f"(first on line {lines[key]})", "keep one of them"))
        else:
            meta[key] = loader.construct_object(value_node, deep=True)
            lines[key] = line
            lines.update(_item_lines(loader, key, value_node, first_line))
    if problems:
        raise ProjectError(problems)
    return meta, lines


def _item_lines(loader: Any, key: str, node: yaml.Node, first_line: int) -> dict[str, int]:
    """Lines of the items of a list ("key[0]") or the entries of a mapping ("key.name")."""
    if isinstance(node, yaml.SequenceNode):
        return {f"{key}[{i}]": first_line + item.start_mark.line for i, item in enumerate(node.value)}
    if isinstance(node, yaml.MappingNode):
        return {f"{key}.{loader.construct_object(k, deep=True)}": first_line + k.start_mark.line for k, _ in node.value}
    return {}


def dump_front_matter(meta: dict[str, object], body: str) -> str:
    """A content file's text: front matter in the given key order, then the body."""
    post = frontmatter.Post(body.strip("\n"), **meta)
    text = frontmatter.dumps(post, sort_keys=False, allow_unicode=True, width=10_000) + "\n"
    # PyYAML escapes characters beyond the BMP in double-quoted values ("\U00020A0A"); a
    # combining mark right after such an escape would join its last digit once the file
    # is read as NFC ("A" + U+0300 = "À") and break the escape: escape the mark too.
    return _ESCAPE_THEN_MARK.sub(lambda m: m.group(1) + "".join(f"\\u{ord(c):04X}" for c in m.group(2)), text)


_ESCAPE_THEN_MARK = re.compile(r"(\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))([\u0300-\u036f\u1ab0-\u1aff"
                               r"\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+)")


def _seed_line(text: str) -> str:
    """The ``seed:`` of a front matter too broken to parse, read as a plain line."""
    head = text.split("\n---", 1)[0]
    match = re.search(r"""^seed:\s*["']?([^"'\n#]+?)["']?\s*(#.*)?$""", head, re.MULTILINE)
    return match.group(1).strip() if match else ""


def read_seed_field(root: Path, path: Path) -> str:
    """The ``seed`` a content file records, even when the rest of its front matter is broken
    ("" for a file that cannot be read at all: loading reports that)."""
    try:
        data = read_project_file(root, path, path.name, "a content file", "")
    except ProjectError:
        return ""
    text = data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    try:
        seed = parse_document(path.name, text).meta.get("seed")
        return seed if isinstance(seed, str) else ""
    except ProjectError:
        return _seed_line(text)


# --------------------------------------------------------------------------- schema


def _as_text(value: Any) -> tuple[Any, str]:
    if isinstance(value, str):
        return _printable(value.strip())
    return None, f"must be text, not {_type_name(value)}; put it in quotes"


def _printable(text: str) -> tuple[Any, str]:
    """``text``, or why not: a YAML escape such as "\\e" can put a control character in a value,
    and a bidirectional override makes a title read differently from what it says."""
    found = first_unprintable(text)
    if found:
        return None, f"contains the control character {found[1]}, which no web page or feed may carry"
    if bidi := first_bidi_control(text):
        return None, (f"contains {bidi}, an invisible control that reorders how the text around it is shown; "
                      "delete it")
    return unicodedata.normalize("NFC", text), ""  # a YAML escape can spell "é" as e + U+0301


def _visible(value: tuple[Any, str]) -> tuple[Any, str]:
    """A name or alias without invisible characters, which would make two spellings look alike."""
    text, message = value
    if message or text is None:
        return text, message
    for item in text if isinstance(text, tuple) else (text,):
        if found := first_invisible(item):
            return None, f"contains an invisible character, {found}, in {shown(item)}; retype it without it"
    return text, ""


def _as_name(value: Any) -> tuple[Any, str]:
    return _visible(_as_text(value))


def _as_aliases(value: Any) -> tuple[Any, str]:
    return _visible(_as_list(value))


def _as_bool(value: Any) -> tuple[Any, str]:
    return (value, "") if isinstance(value, bool) else (None, f"must be true or false, not {shown(value)}")


def _as_int(value: Any) -> tuple[Any, str]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, ""
    return None, f"must be a whole number, not {shown(value)}"


def _as_date(value: Any) -> tuple[Any, str]:
    if value is None:  # "date: null": undated on purpose
        return None, ""
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if isinstance(value, dt.date):  # YAML's own date (a datetime keeps only its day)
        text = value.isoformat()[:10]
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):  # a source that gives only the month
        year, month = map(int, match.groups())
        return (Month(year, month), "") if 1 <= month <= 12 else (None, f"is not a real month ({shown(text)})")
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", text)
    if match:
        try:
            return dt.date(*map(int, match.groups())), ""
        except ValueError as exc:
            return None, f"is not a real date ({shown(text)}: {exc})"
    return None, f"must be a date written YYYY-MM-DD (or YYYY-MM when only the month is known), not {shown(value)}"


def _as_language(value: Any) -> tuple[Any, str]:
    """A language tag as HTML's lang attribute takes it: "ru", "pt-BR" (BCP 47)."""
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value.strip()):
        primary, *rest = value.strip().split("-")
        return "-".join([primary.lower(), *rest]), ""
    return None, f"must be a language tag such as 'en', 'ru' or 'pt-BR', not {shown(value)}"


def _as_list(value: Any) -> tuple[Any, str]:
    if isinstance(value, str):  # "people: klim-shipenko" means a list of one
        value = [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        for item in value:
            if (refused := _printable(item))[1]:
                return refused
        return tuple(v.strip() for v in value), ""
    bad = [v for v in value if not isinstance(v, str)] if isinstance(value, list) else [value]
    return None, f"must be a list of text items; {shown(bad[0])} is {_type_name(bad[0])}"


def _as_links(value: Any) -> tuple[Any, str]:
    if not isinstance(value, dict):
        return None, "must map a spelling to an entity slug (or false), e.g. 'Klimenko: klim-shipenko'"
    items = []
    for spelling, target in value.items():
        if not isinstance(spelling, str) or not (isinstance(target, str) or target is False):
            return None, f"entry {shown(spelling)}: {shown(target)} must map text to an entity slug or false"
        if (refused := _visible(_printable(spelling)))[1]:
            return refused
        items.append((spelling, target.strip() if isinstance(target, str) else None))
    return tuple(sorted(items)), ""


def _as_url(value: Any) -> tuple[Any, str]:
    """An absolute http(s) address: a relative one would point into this site."""
    if isinstance(value, str) and re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", value.strip()):
        try:
            urlsplit(value.strip()).hostname  # noqa: B018 - "https://[foo/x" is refused here, not in a template
        except ValueError:
            return None, f"is not a web address a browser can open: {shown(value)}"
        return _printable(value.strip())
    return None, f"must be the full address of the original, starting https://, not {shown(value)}"


def _as_translated(value: Any) -> tuple[Any, str]:
    if value is False:  # YAML reads a bare "no" as false
        return "no", ""
    if isinstance(value, str) and value.strip().lower() in TRANSLATED:
        return value.strip().lower(), ""
    return None, f"must be one of {', '.join(TRANSLATED)} (how the text on the site was translated), not {shown(value)}"


# An article's ``source:`` mapping: field -> check.
ORIGIN_FIELDS: dict[str, Callable[[Any], tuple[Any, str]]] = {
    "outlet": _as_text, "url": _as_url, "language": _as_language, "translated": _as_translated, "author": _as_text,
    "based_on": _as_list,
}


def _as_origin(value: Any) -> tuple[Any, Any]:
    """``source:`` as an Origin; an empty value (``source:`` alone) means nothing is known."""
    if value is None:
        return Origin(), ""
    if not isinstance(value, dict):
        return None, ("must be a mapping of fields, e.g. 'outlet: CNN Brasil' on the next line, indented "
                      f"(fields: {', '.join(ORIGIN_FIELDS)})")
    fields = {}
    for key, raw in value.items():
        if key not in ORIGIN_FIELDS:
            close = difflib.get_close_matches(str(key), ORIGIN_FIELDS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            return None, (str(key), f"has an unknown field {shown(key)}; {hint}"
                          f"fields: {', '.join(ORIGIN_FIELDS)}")
        if raw is None:
            continue  # "url:" left empty: not known yet
        clean, message = ORIGIN_FIELDS[key](raw)
        if message:
            return None, (key, f"field '{key}' {message}")
        fields[key] = clean
    return Origin(**fields), ""


def _as_redirects(value: Any) -> tuple[Any, Any]:
    """``redirect_from:``: old site paths ("/articles/old-name/") that should lead here."""
    items, message = _as_list(value)
    if message:
        return None, message
    paths = []
    for i, item in enumerate(items):
        # A page's address is a folder ("/articles/old-name/"; "/articles/old-name/index.html" is the
        # same); segments with a dot would be files the build writes itself (feed.xml, card.jpg).
        path = re.sub(r"index\.html$", "", item)
        path = path if path.endswith("/") else path + "/"
        if not re.fullmatch(r"(?:/[\w~%-]+)+/", path):
            return None, (i, f"item {i + 1} must be an old address of a page of this site, written from its root, "
                             f"such as '/articles/old-name/', not {shown(item)}")
        paths.append(path)
    return tuple(dict.fromkeys(paths)), ""


IMAGE_FIELDS = ("src", "alt", "caption", "credit")


def _as_image(value: Any) -> tuple[Any, Any]:
    """``image:`` as a mapping: src (a picture file, relative to this file) and alt are required."""
    if not isinstance(value, dict):
        return None, ("must be a mapping with src and alt, e.g. 'src: ../images/crew.jpg' and "
                      "'alt: What the picture shows' on the next lines, indented")
    fields = {}
    for key, raw in value.items():
        if key not in IMAGE_FIELDS:
            return None, (str(key), f"has an unknown field {shown(key)}; fields: {', '.join(IMAGE_FIELDS)}")
        clean, message = _as_text(raw)
        if message:
            return None, (key, f"field '{key}' {message}")
        fields[key] = clean
    if not fields.get("alt"):
        return None, ("alt" if "alt" in value else "src" if "src" in value else 0,
                      "needs 'alt': say what the picture shows, for readers who cannot see it")
    src = fields.get("src", "")
    if not src or re.match(r"[a-z][a-z0-9+.-]*:|/", src, re.IGNORECASE) or not is_picture(src):
        return None, ("src", f"field 'src' must be a JPEG, PNG, WebP or GIF file in content/, written relative "
                             f"to this file (e.g. '../images/crew.jpg'), not {shown(src)}")
    return fields, ""


def _as_slug(value: Any) -> tuple[Any, str]:
    if isinstance(value, str) and is_valid_slug(value):
        return value, ""
    if isinstance(value, str):
        return None, slug_problem(value)
    return None, f"must be lower-case letters, digits and hyphens, such as 'my-page', not {shown(value)}"


def _as_records(fields: dict[str, tuple[_Check, bool]], what: str) -> _Check:
    """A validator for a list of mappings with the given fields (check, required)."""

    def check(value: Any) -> tuple[Any, Any]:
        if not isinstance(value, list):
            return None, f"must be a list of {what}, each a mapping such as '- {next(iter(fields))}: ...'"
        records = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                return None, (i, f"item {i + 1} must be a mapping of fields ({', '.join(fields)})")
            unknown = sorted(set(map(str, item)) - set(fields))
            missing = [k for k, (_, required) in fields.items() if required and item.get(k) in (None, "")]
            if unknown or missing:
                detail = f"unknown field '{unknown[0]}'" if unknown else f"missing '{missing[0]}'"
                return None, (i, f"item {i + 1}: {detail} (fields: {', '.join(fields)})")
            record = {}
            for key, raw in item.items():
                clean, message = fields[key][0](raw)
                if message:
                    return None, (i, f"item {i + 1}: '{key}' {message}")
                record[key] = clean
            records.append(record)
        return tuple(records), ""

    return check


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping",
            type(None): "empty"}.get(type(value), type(value).__name__)


_Check = Callable[[Any], tuple[Any, str]]
_COMMON: dict[str, _Check] = {"summary": _as_text, "draft": _as_bool, "slug": _as_slug}
SCHEMAS: dict[str, dict[str, _Check]] = {
    "article": {"title": _as_text, "date": _as_date, "seed": _as_text, "credit": _as_text, "kicker": _as_text,
                "truncated": _as_bool, "language": _as_language, "dateline": _as_text, "agency": _as_text,
                "source": _as_origin, "label": _as_text, "image": _as_image, "people": _as_list, "topics": _as_list,
                "links": _as_links, "redirect_from": _as_redirects,                **_COMMON},
    "person": {"name": _as_name, "aliases": _as_aliases, "role": _as_text, "variants": _as_bool, "not": _as_list,
               "titles": _as_aliases, "image": _as_image, "redirect_from": _as_redirects,
               **_COMMON},
    "topic": {"name": _as_name, "aliases": _as_aliases, "kind": _as_text, "variants": _as_bool, "not": _as_list,
              "titles": _as_aliases, "image": _as_image, "redirect_from": _as_redirects, **_COMMON},
    "page": {"title": _as_text, "menu": _as_int, "image": _as_image, "redirect_from": _as_redirects, **_COMMON},
    "home": {"title": _as_text, "summary": _as_text,
             "facts": _as_records({"label": (_as_text, True), "value": (_as_text, True),
                                   "sources": (_as_list, False)}, "facts")},
    "timeline": {"title": _as_text, "summary": _as_text,
                 "events": _as_records({"date": (_as_date, True), "time": (_as_text, False),
                                        "title": (_as_text, True), "text": (_as_text, False),
                                        "sources": (_as_list, False)}, "events")},
}
REQUIRED = {"article": "title", "person": "name", "topic": "name", "page": "title", "home": "title",
            "timeline": "title"}


def validate(doc: Document, kind: str) -> tuple[dict[str, Any], list[Problem]]:
    """Check a document's front matter against its kind's schema; return clean values."""
    schema = SCHEMAS[kind]
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, raw in doc.meta.items():
        if key not in schema:
            close = difflib.get_close_matches(key, schema, n=1)
            hint = (f"did you mean '{close[0]}'? " if close else "") + "known fields: " + ", ".join(sorted(schema))
            problems.append(error(doc.path, doc.line(key), f"unknown front matter field {quoted(key)}", hint))
            continue
        value, message = schema[key](raw)
        if isinstance(message, tuple):  # a problem in one item of a list or mapping: point at its line
            index, message = message
            item = f"{key}.{index}" if isinstance(index, str) else f"{key}[{index}]"
            problems.append(error(doc.path, doc.line(item) if item in doc.key_lines else doc.line(key),
                                  f"'{key}' {message}"))
        elif message:
            problems.append(error(doc.path, doc.line(key), f"'{key}' {message}"))
        else:
            values[key] = value
    required = REQUIRED[kind]
    if required not in doc.meta or values.get(required) == "":
        problems.append(error(doc.path, 1, f"missing {required}: every {kind} needs a non-empty '{required}'",
                              f"add a line '{required}: ...' to the front matter"))
    return values, problems


# --------------------------------------------------------------------------- building the model


@dataclass(frozen=True)
class Loaded:
    """One content file after parsing and validation: its model object, or the problems."""

    kind: str
    item: Any | None  # None when the file has errors
    problems: tuple[Problem, ...]
    seed: str = ""  # an article's seed field, found even when the file has errors


class LoadCache:
    """Parsed content files kept between builds (``serve``), keyed by path.

    A file is parsed again when its stat changed; a stat that looks unchanged is only
    trusted for files older than the last look by a clear margin, so two saves within
    the file system's timestamp granularity are never mistaken for one (as "racy git").
    """

    TRUST_AFTER_NS = 2_000_000_000

    def __init__(self) -> None:
        self.entries: dict[str, tuple[tuple[int, int, int], str, Loaded]] = {}
        # path -> ((mtime_ns, size), sha256, the picture or why it is none)
        self.pictures: dict[str, tuple[tuple[int, int], str, Picture | str]] = {}
        self.changes = 0  # entries added, replaced or dropped since the cache was made
        self.labeled: dict[str, tuple[Article, str, Article]] = {}  # see report_labels
        self._root = self._real_root = ""
        self.last: _LastLoad | None = None  # the last load from a listing, within one process (see _patched)

    def __getstate__(self) -> dict:
        """For the build cache: the last load is for the next build of this process only."""
        return {**self.__dict__, "last": None}

    def lookup(self, root: str, rel: str, kind: str, stamp: tuple[int, int] | None = None
               ) -> Loaded | tuple[tuple[int, int], str, bytes | None]:
        """The parsed file ``root/rel`` when its stat (``stamp``, or a fresh one) or its content
        says it is unchanged; otherwise what ``store`` needs: (stamp, digest, the file's bytes).

        Paths are plain strings here: this runs for every file of every build, and on a
        site of thousands of files pathlib's objects cost more than the lookups.
        """
        cached = self.entries.get(rel)
        try:
            if stamp is None:
                status = os.stat(os.path.join(root, rel))
                stamp = (status.st_mtime_ns, status.st_size)
        except OSError:
            return (0, 0), "", None  # load_file reports it
        if cached and cached[0] == stamp and cached[2].kind == kind \
                and time.time_ns() - stamp[0] > self.TRUST_AFTER_NS:
            return cached[2]
        data = read_plain(self.real_root(root), rel)
        if data is None:  # a link, a FIFO, a file too large ...: load_file says what
            return (0, 0), "", None
        digest = hashlib.sha256(data).hexdigest()
        if cached is not None and cached[1] == digest and cached[2].kind == kind:
            self.store(rel, stamp, digest, cached[2])
            return cached[2]
        return stamp, digest, data

    def real_root(self, root: str) -> str:
        """The real path of the project root (links resolved), worked out once."""
        if self._root != root:
            self._root, self._real_root = root, os.path.realpath(root)
        return self._real_root

    def store(self, rel: str, stamp: tuple[int, int], digest: str, loaded: Loaded) -> None:
        self.entries[rel] = (stamp, digest, loaded)
        self.changes += 1

    def forget_all_but(self, paths: set[str]) -> None:
        """Drop the files that are gone."""
        for rel in set(self.entries) - paths:
            del self.entries[rel]
            self.changes += 1


def load_file(project: Project, path: Path, kind: str, data: bytes | None = None) -> Loaded:
    """Parse and validate one content file."""
    rel = project.rel(path)
    notes: list[Problem] = []
    try:
        doc = parse_document(rel, read_text(project, path, data, notes))
    except ProjectError as exc:
        seed = _seed_line(data.decode("utf-8", "replace")) if data is not None and kind == "article" else ""
        return Loaded(kind, None, tuple(exc.problems), seed)
    values, problems = validate(doc, kind)
    problems[:0] = notes
    item = _build(kind, doc, values, path.stem, problems)
    seed = doc.meta.get("seed") if kind == "article" and isinstance(doc.meta.get("seed"), str) else ""
    return Loaded(kind, item, tuple(problems), seed)


def load_site(project: Project, cache: LoadCache | None = None, partial: bool = False,
              listing: dict[str, tuple[int, int]] | None = None,
              extra: dict[str, bytes] | None = None) -> tuple[Site, list[Problem]]:
    """Read, validate and sort every content file; raise one ProjectError with every error.

    Returns the site and the warnings found on the way. With ``partial``, errors do
    not raise: the site holds every file that loaded, ``site.broken`` names the others,
    and the errors come back with the warnings (``check`` uses this to go on and find
    the problems of the later stages too). ``listing`` is a fresh stat of every file
    (``serve`` has one from its watcher), which spares a walk of the content folder.
    ``extra`` holds files that are not on disk yet (path -> bytes): the articles an
    import is about to write, loaded with the rest before anything is written.
    """
    cache = cache if cache is not None else LoadCache()
    if listing is not None and not extra:
        patched = _patched(project, cache, listing, partial)
        if patched is not None:
            return patched
    site, problems = _load_whole(project, cache, partial, listing, extra)
    # Kept for the next load from a listing (serve), except one with import files in it.
    cache.last = _LastLoad(project.root, project.config, partial, dict(listing), site, tuple(problems)) \
        if listing is not None and not extra else None
    return site, problems


def _load_whole(project: Project, cache: LoadCache, partial: bool, listing: dict[str, tuple[int, int]] | None,
                extra: dict[str, bytes] | None) -> tuple[Site, list[Problem]]:
    problems: list[Problem] = []
    drafts: list[str] = []
    broken: list[str] = []
    items: dict[str, list[Any]] = {kind: [] for kind in (*KINDS.values(), *SINGLETONS.values())}
    picture_files: list[str] = []
    files = discover(project, problems, listing, picture_files)
    if extra:
        files = sorted({*files, *((rel, "article") for rel in extra)})
    results = _load_all(project, cache, files, listing, extra or {})
    for rel, kind in files:
        loaded = results[rel]
        problems.extend(loaded.problems)
        item = loaded.item
        if item is None:
            broken.append(rel)
        elif not item.draft or project.config.drafts:
            items[kind].append(item)
        else:
            drafts.append(rel)
    cache.forget_all_but({rel for rel, _ in files})
    pictures = _load_pictures(project, cache, problems, sorted(picture_files))
    problems.extend(_missing_pictures([i for group in items.values() for i in group], pictures))
    singles = [i for kind in SINGLETONS.values() for i in items.pop(kind, [])]
    problems.extend(_url_conflicts([i for group in items.values() for i in group]))
    if any(p.is_error for p in problems) and not partial:
        raise ProjectError(problems)
    articles, label_problems = report_labels(sorted(items["article"], key=article_order), cache.labeled)
    problems.extend(label_problems)
    site = Site(
        config=project.config,
        articles=articles,
        people=tuple(sorted(items["person"], key=lambda e: e.url)),
        topics=tuple(sorted(items["topic"], key=lambda e: e.url)),
        pages=tuple(sorted(items["page"], key=lambda p: p.url)),
        home=next((i for i in singles if isinstance(i, Home)), None),
        timeline=next((i for i in singles if isinstance(i, Timeline)), None),
        pictures=tuple(pictures[path] for path in sorted(pictures)),
        drafts=tuple(drafts),
        broken=tuple(broken),
    )
    return site, problems


@dataclass(frozen=True)
class _LastLoad:
    """A load from a listing, for the next one to patch (see _patched)."""

    root: Path
    config: Any
    partial: bool
    listing: dict[str, tuple[int, int]]
    site: Site
    problems: tuple[Problem, ...]


def _patched(project: Project, cache: LoadCache, listing: dict[str, tuple[int, int]],
             partial: bool) -> tuple[Site, list[Problem]] | None:
    """The last load with the articles whose text alone changed put in; None when anything
    else may have changed (then the whole site is loaded).

    In serve, most saves change one article's text. Loading the whole site for it (5,500
    files looked up, labelled, checked for clashing URLs, sorted) took 29 ms at 5,000
    articles. What an article's text alone cannot change: which files there are, their
    order (by date and URL), labels, URLs, drafts, pictures, nor any problem but its own;
    so an article that loads with the same front matter and the same problems takes the
    old one's place, and the rest stays as it was.
    """
    last = cache.last
    if last is None or last.root != project.root or last.partial != partial or last.config != project.config \
            or listing.keys() != last.listing.keys():
        return None
    now = time.time_ns()
    # Files whose stat changed, and those too recent for an unchanged stat to be trusted.
    suspects = [rel for rel, stamp in listing.items()
                if stamp != last.listing[rel] or now - stamp[0] <= LoadCache.TRUST_AFTER_NS]
    by_path = {a.source.path: i for i, a in enumerate(last.site.articles)} if suspects else {}
    articles = list(last.site.articles)
    root = str(project.root)
    for rel in suspects:
        if not rel.startswith("content/"):
            if rel.startswith(("seeds/", "templates/")) or rel == "pyproject.toml":
                continue  # not content: the config is compared above, the rest is not load's
            return None
        before = cache.entries.get(rel)
        if before is None:
            return None  # a picture, or a file load does not read
        old = before[2]
        answer = cache.lookup(root, rel, old.kind, listing[rel])
        if answer is old:
            continue  # the same bytes
        index = by_path.get(rel)
        if index is None or isinstance(answer, Loaded) or answer[2] is None:
            return None  # not a loaded article (a person, a page, a draft left out, a broken file), or unreadable
        stamp, digest, data = answer
        loaded = load_file(project, project.root / rel, "article", data)
        if loaded.item is None or loaded.problems != old.problems or loaded.seed != old.seed \
                or replace(loaded.item, body=old.item.body) != old.item:
            return None
        cache.store(rel, stamp, digest, loaded)
        articles[index] = _relabel(loaded.item, articles[index], cache)
    if same_objects(articles, last.site.articles) and listing == last.listing:
        return last.site, list(last.problems)
    site = replace(last.site, articles=tuple(articles))
    cache.last = replace(last, listing=dict(listing), site=site)
    return site, list(last.problems)


def _relabel(article: Article, labelled: Article, cache: LoadCache) -> Article:
    """``article`` with the label its last version had (``labelled``), as report_labels gives it."""
    if article is cache.labeled.get(article.url, (None,))[0]:
        return labelled
    named = article if article.label == labelled.label else replace(article, label=labelled.label)
    cache.labeled[article.url] = (article, labelled.label, named)
    return named


def _load_pictures(project: Project, cache: LoadCache, problems: list[Problem], found: list[str]
                   ) -> dict[str, Picture]:
    """The picture files ``found`` in the content folder, described (from the cache when they
    did not change); one that cannot be read is an error naming it."""
    pictures = {}
    kept = {}
    for rel in found:
        kept[rel] = describe_file(project.root, rel, cache.pictures.get(rel))
        described = kept[rel][2]
        if isinstance(described, str):
            problems.append(error(rel, 0, described, "replace it with a JPEG, PNG, WebP or GIF file, or remove it"))
        else:
            pictures[rel] = described
    if kept != cache.pictures:
        cache.pictures = kept
        cache.changes += 1
    return pictures


def _missing_pictures(items: list[Any], pictures: dict[str, Picture]) -> list[Problem]:
    """An ``image:`` whose file is not a picture of the content folder, named on its src line."""
    problems = []
    for item in items:
        image = getattr(item, "image", None)
        if image is not None and image.path not in pictures:
            problems.append(error(item.source.path, item.source.line("image.src"),
                                  f"'image' field 'src' points at {_bare_path(image.path)}, which is not a picture "
                                  "in content/", "the path is relative to this file, e.g. '../images/crew.jpg'"))
    return problems


def _bare_path(path: str) -> str:
    return path if path.startswith("content/") else f"{path} (outside content/)"


SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_date(day: dt.date | None) -> str:
    if day is None:
        return "undated"
    if isinstance(day, Month):
        return f"{SHORT_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def report_labels(articles: list[Article], memo: dict[str, tuple[Article, str, Article]] | None = None
                  ) -> tuple[tuple[Article, ...], list[Problem]]:
    """Give every article its one name on the site (``label``), in the order given.

    The editor's ``label:`` wins. Otherwise the outlet (or the agency that filed it) names
    it, with its date when the outlet published more than one report, and the title when
    nothing says who published it. Two reports left with one name are told apart by a
    number, and the editor is warned: a name readers see on several pages must be stable.

    ``memo`` (the load cache's) keeps each labelled article between builds: an article
    whose file and name did not change is the same object as in the last build, which is
    how the later stages see, at a glance, what an edit did not touch.
    """
    names = [a.label or a.origin.outlet or a.agency for a in articles]
    shared = Counter(names)
    labels = []
    for article, name in zip(articles, names, strict=True):
        if article.label or (name and shared[name] == 1):
            labels.append(name)
        else:
            labels.append(f"{name}, {_short_date(article.date)}" if name else article.title)
    seen: Counter[str] = Counter()
    named, problems = [], []
    for article, label in zip(articles, labels, strict=True):
        seen[label] += 1
        if seen[label] > 1:
            problems.append(warning(article.source.path, article.source.line("label"),
                                    f"another report is already called {quoted(label)}; this one is shown as "
                                    f"{quoted(f'{label} ({seen[label]})')}",
                                    "give each report its own 'label:' (the name readers see on every page)"))
            label = f"{label} ({seen[label]})"
        kept = memo.get(article.url) if memo is not None else None
        if kept is not None and kept[0] is article and kept[1] == label:
            named.append(kept[2])
        else:
            named.append(article if article.label == label else replace(article, label=label))
    if memo is not None:
        memo.clear()
        memo.update({a.url: (a, n.label, n) for a, n in zip(articles, named, strict=True)})
    return tuple(named), problems


def _load_all(project: Project, cache: LoadCache, files: list[tuple[str, str]],
              listing: dict[str, tuple[int, int]] | None, extra: dict[str, bytes]) -> dict[str, Loaded]:
    """Every file parsed: from the cache where unchanged, the others on every core."""
    results: dict[str, Loaded] = {}
    pending = []
    root = str(project.root)
    for rel, kind in files:
        if rel in extra:  # not on disk yet; the stamp (0, 0) makes the next build read the file
            data = extra[rel]
            pending.append((rel, project.root / rel, kind, (0, 0), hashlib.sha256(data).hexdigest(), data))
            continue
        answer = cache.lookup(root, rel, kind, listing.get(rel) if listing else None)
        if isinstance(answer, Loaded):
            results[rel] = answer
        else:
            pending.append((rel, project.root / rel, kind, *answer))
    parsed = parallel_map(lambda i: load_file(project, pending[i][1], pending[i][2], pending[i][5]), len(pending))
    for (rel, _, _, stamp, digest, data), loaded in zip(pending, parsed, strict=True):
        if data is not None:
            cache.store(rel, stamp, digest, loaded)
        results[rel] = loaded
    return results


def discover(project: Project, problems: list[Problem], listing: dict[str, tuple[int, int]] | None = None,
             pictures: list[str] | None = None) -> list[tuple[str, str]]:
    """Every content file (project-relative path) with its kind, sorted; stray Markdown is warned about.
    The picture files met on the way are added to ``pictures``: one walk of the folder finds both."""
    if listing is not None:
        names = [rel[len("content/"):] for rel in listing if rel.startswith("content/")]
    else:
        names = []
        content = str(project.content)
        for folder, dirs, files in os.walk(content):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in dirs:  # os.walk does not enter linked folders; one leading out (or nowhere) is an error
                path = Path(folder, name)
                if problem := link_problem(project.root, path, project.rel(path)):
                    problems.append(problem)
            inside = os.path.relpath(folder, content).replace(os.sep, "/")
            names += [name if inside == "." else f"{inside}/{name}" for name in files]
    found: list[tuple[str, str]] = []
    for rel in names:
        folder, _, name = rel.rpartition("/")
        if name.startswith(".") or any(p.startswith(".") for p in folder.split("/")):
            continue
        if not name.endswith(".md"):
            if pictures is not None and is_picture(name):
                pictures.append(f"content/{rel}")
                continue
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix.lower() in ("md", "markdown", "mdown", "mkd"):  # "Crew.MD", "notes.markdown"
                problems.append(warning(f"content/{rel}", 0, f"is not read: content files end in '.md', not "
                                        f"'.{suffix}'", f"rename it to {stem}.md"))
            continue
        kind = KINDS.get(folder) if folder in KINDS else SINGLETONS.get(rel) if not folder else None
        if kind is None:
            problems.append(warning(f"content/{rel}", 0,
                                    "is not in content/articles, people, topics or pages "
                                    f"(nor one of {', '.join(sorted(SINGLETONS))}); ignored",
                                    "move it into the folder for its kind of content"))
        else:
            found.append((f"content/{rel}", kind))
    return sorted(found)


def _build(kind: str, doc: Document, values: dict[str, Any], stem: str, problems: list[Problem]) -> Any:
    """The model object for one validated document, or None when it cannot be built."""
    slug = values.get("slug") or slugify(stem, max_words=20)
    if not is_valid_slug(slug):
        why = (f"the file name gives the URL slug {shown(slug)}, but {RESERVED_WHY}" if is_reserved(slug)
               else f"the file name gives no usable URL slug ({shown(slug)})")
        problems.append(error(doc.path, 1, why,
                              "rename the file to lower-case letters, digits and hyphens, or set 'slug:'"))
        return None
    if not values.get(REQUIRED[kind]) or any(p.path == doc.path and p.is_error for p in problems):
        return None
    source = Source(doc.path, doc.body_line, tuple(sorted(doc.key_lines.items())))
    common = {"slug": slug, "body": doc.body, "source": source,
              "summary": values.get("summary", ""), "draft": values.get("draft", False)}
    if kind in ("article", "person", "topic", "page") and "redirect_from" in values:
        common["redirects"] = values["redirect_from"]
    if kind in ("article", "person", "topic", "page") and "image" in values:
        image = values["image"]
        common["image"] = Illustration(resolve(doc.path, image["src"]), image["alt"], image.get("caption", ""),
                                       image.get("credit", ""))
    if kind == "article":
        return Article(title=values["title"], date=values.get("date"), seed=values.get("seed", ""),
                       credit=values.get("credit", ""), truncated=values.get("truncated", False),
                       language=values.get("language", ""), dateline=values.get("dateline", ""),
                       agency=values.get("agency", ""), kicker=values.get("kicker", ""),
                       origin=values.get("source", Origin()), label=values.get("label", ""),
                       people=values.get("people", ()), topics=values.get("topics", ()),
                       links=values.get("links", ()), **common)
    if kind == "page":
        return Page(title=values["title"], menu=values.get("menu"), **common)
    if kind == "home":
        facts = tuple(Fact(f["label"], f["value"], f.get("sources", ())) for f in values.get("facts", ()))
        return Home(values["title"], doc.body, source, values.get("summary", ""), facts)
    if kind == "timeline":
        events = tuple(sorted((Event(e["date"], e["title"], e.get("time", ""), e.get("text", ""),
                                     e.get("sources", ())) for e in values.get("events", ())),
                              key=lambda e: (e.date, e.time, e.title)))
        return Timeline(values["title"], doc.body, source, values.get("summary", ""), events)
    category = values.get("role" if kind == "person" else "kind", "")
    return Entity(kind=kind, name=values["name"], aliases=values.get("aliases", ()), category=category,
                  variants=values.get("variants", False), negatives=values.get("not", ()),
                  titles=values.get("titles", ()), **common)


def _url_conflicts(items: list[Any]) -> list[Problem]:
    """One error for every file that claims a URL already claimed by another."""
    problems = []
    owners: dict[str, str] = dict(RESERVED_URLS)
    for item in sorted(items, key=lambda i: i.source.path):
        url = item.url
        if url in owners:
            message = f"claims the URL {url}, which {owners[url]} already uses"
            problems.append(error(item.source.path, item.source.line("slug"), message,
                                  "rename the file or set a different 'slug:' in its front matter"))
        else:
            owners[url] = item.source.path
    # A redirect may only take an address no page has (a page always wins over a redirect), and
    # none in the generator's own folders; file systems that ignore case see "/About/" as "/about/".
    taken = {url.casefold(): who for url, who in owners.items()}
    for item in sorted(items, key=lambda i: i.source.path):
        for i, old in enumerate(getattr(item, "redirects", ())):
            reserved = RESERVED_URLS.get(old) or next((f"the generator's folder {prefix}" for prefix in GENERATED
                                                       if old.startswith(prefix)), None)
            if reserved or old.casefold() in taken:
                problems.append(error(item.source.path, item.source.line(f"redirect_from[{i}]"),
                                      f"redirect_from: {old} is the address of "
                                      f"{reserved or taken[old.casefold()]}",
                                      "remove it: a page is published there, so nothing can redirect from it"))
                continue
            owners[old] = f"a redirect of {item.source.path}"
            taken[old.casefold()] = owners[old]
    return problems
