"""Render stage: the site model to a sorted list of ``(file path, bytes)`` outputs.

One Jinja2 environment, configured once (StrictUndefined, autoescape); templates all
inherit from ``base.html``. Nothing here writes to disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import posixpath
import re
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.meta
from markupsafe import Markup

from . import imaging, metadata
from .chart import timeline_svg
from .config import Project
from .errors import Problem, ProjectError, error
from .linking import Linked
from .model import Article, Entity, Illustration, Origin, Site, Teaser, long_date, page_count, paged, same_objects
from .parallel import Progress, parallel_map
from .pictures import BODY_SIZES, EXTENSIONS, INFOBOX_SIZES, Picture, read_picture
from .pictures import markup as picture_markup

Output = tuple[str, "bytes | Path"]  # (path inside site/, content, or a file to copy there)

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
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(project.templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Sources are compared on every build (see _template_digests), which clears the
        # cache when one changed; checking file times on every page as well costs time.
        auto_reload=False,
    )
    env.filters["longdate"] = format_date
    env.filters["language_name"] = language_name
    env.filters["text_dir"] = text_direction
    env.filters["script_lang"] = script_language
    env.filters["group_label"] = group_label
    env.filters["host"] = url_host
    env.filters["tojsonld"] = metadata.to_jsonld
    set_helpers(env, project, assets)
    return env


def set_helpers(env: jinja2.Environment, project: Project, assets: dict[str, Asset]) -> None:
    """The URL helpers templates call, for this build's base URL and assets.

    A long-lived environment (``serve``) gets them again for every build; its compiled
    templates stay, and are compiled again only when their files change.
    """
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

    def absolute_asset(name: str) -> str:
        """An asset's absolute URL, for Open Graph images."""
        return absolute(asset(name)[len(base_path):])

    env.globals.update(url=url, absolute=absolute, asset=asset, absolute_asset=absolute_asset)


def format_date(value: dt.date | None) -> str:
    """"5 October 2021", "April 2023" for a month, "Undated" for none."""
    return long_date(value) if value else "Undated"


# The languages import detects most in news about the story, by their English names; any
# other tag is shown as written.
LANGUAGES = {
    "ar": "Arabic", "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew",
    "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "kk": "Kazakh",
    "ko": "Korean", "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian",
    "zh": "Chinese",
}


def language_name(tag: str) -> str:
    """"Russian" for "ru" (and for "ru-RU"); an unlisted tag as written."""
    return LANGUAGES.get(tag.split("-")[0].lower(), tag)


# Languages written right to left: their text needs dir="rtl", or its punctuation and
# numbers land on the wrong side of each line.
RIGHT_TO_LEFT = frozenset("ar arc ckb dv fa he ks ps sd ug ur yi".split())


def text_direction(language: str) -> str:
    """"rtl" for a language written right to left ("ar", "he-IL"), else ""."""
    return "rtl" if (language or "").split("-")[0].lower() in RIGHT_TO_LEFT else ""


# Scripts that name one language, for the lang of a spelling shown alone (an alias).
# Cyrillic, Arabic and Han letters serve several languages, so they get none.
_SCRIPT_LANGUAGES = (
    ("\u0370", "\u03ff", "el"), ("\u1f00", "\u1fff", "el"), ("\u3040", "\u30ff", "ja"), ("\uac00", "\ud7af", "ko"),
    ("\u1100", "\u11ff", "ko"), ("\u0e00", "\u0e7f", "th"), ("\u0590", "\u05ff", "he"), ("\u10a0", "\u10ff", "ka"),
    ("\u0530", "\u058f", "hy"), ("\u0d00", "\u0d7f", "ml"), ("\u0b80", "\u0bff", "ta"), ("\u0980", "\u09ff", "bn"),
)


# How a topic's kind key reads as a heading (plural) and after "Topics ·" (singular).
_KIND_LABELS = {"film": ("Films", "Film"), "organisation": ("Organisations", "Organisation"),
                "organization": ("Organizations", "Organization"), "place": ("Places", "Place"),
                "media": ("Media", "Media"), "event": ("Events", "Event"), "rocket": ("Rockets", "Rocket"),
                "spacecraft": ("Spacecraft", "Spacecraft"), "person": ("People", "Person")}


def group_label(category: str, plural: bool = True) -> str:
    """A person's role or a topic's kind as readers see it: roles are written for them
    ("Crew of Soyuz MS-19"); a kind is a key ("film"), shown as "Films" or "Film"."""
    if category in _KIND_LABELS:
        return _KIND_LABELS[category][0 if plural else 1]
    if category[:1].isupper() or " " in category:
        return category
    word = category[:1].upper() + category[1:]
    return word + "s" if plural and not word.endswith("s") else word


def url_host(address: str) -> str:
    """"cnnbrasil.com.br" for "https://www.cnnbrasil.com.br/a/b": the part a reader recognises."""
    host = urlsplit(address).hostname or address
    return host.removeprefix("www.")


def translation_note(origin: Origin, text_language: str) -> str:
    """How the text on the page relates to the original, in a reader's words."""
    into = language_name(text_language)
    source = f" from {language_name(origin.language)}" if origin.language and origin.language != text_language else ""
    if origin.translated == "machine":
        return f"Machine translation into {into}{source}; read quotes with care"
    if origin.translated == "human":
        return f"Translated into {into}{source}"
    if origin.translated == "no":
        return f"None; published in {into}"
    return f"Not recorded (the original is in {language_name(origin.language)})" if source else "Not recorded"


def script_language(text: str) -> str:
    """The language a spelling's letters can only be ("Σιπένκο" el, "페레실드" ko, katakana
    ja), else "": a screen reader then reads it in that language's voice."""
    for char in text:
        for low, high, language in _SCRIPT_LANGUAGES:
            if low <= char <= high:
                return language
    return ""


def text_language(language: str, site_language: str) -> str:
    """The ``lang`` an article's text needs: its language when that is not the site's, else ""."""
    if not language or language.split("-")[0].lower() == site_language.split("-")[0].lower():
        return ""
    return language


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
        self.files_dir: Path | None = None  # where share cards and pictures are kept between builds (None: in memory)
        self.env: jinja2.Environment | None = None
        self.templates: Path | None = None
        self.sources: dict[str, bytes] = {}
        self.digests: dict[str, str] = {}
        self.card_keys: dict[tuple[str, str, str, str], str] = {}  # (font, site, title, kicker) -> card key
        self.sitemap: tuple[tuple, bytes] = ((), b"")  # (what it lists, its bytes)
        # The cards in the card folder as the last build left it (key -> its file): 5,500 paths
        # made afresh were 25 ms of every edit in serve.
        self.card_files: dict[str, Path] = {}
        self.article_specs: dict[str, tuple[tuple, PageSpec]] = {}  # see _articles
        self.cards: tuple = ((), (), {}, {})  # see _cards_of
        self.card_outputs: tuple = ()  # see _card_outputs

    def environment(self, project: Project, assets: dict[str, Asset]) -> jinja2.Environment:
        """The environment of the last build, with this build's helpers (a new one if needed)."""
        if self.env is None or self.templates != project.templates:
            self.env, self.templates = make_environment(project, assets), project.templates
        else:
            set_helpers(self.env, project, assets)
        return self.env


@dataclass(frozen=True)
class PageSpec:
    """One page to render: its template and a context builder with the exact inputs it uses.

    ``build(absolute, *args)`` makes the template context from ``args`` alone, so a page
    whose args equal the last build's (and whose template, assets and site-wide values
    did not change) is not rendered again; its context is not even built.
    """

    url: str
    template: str
    build: Callable[..., dict[str, Any]]
    args: tuple


def render_site(linked: Linked, project: Project, cache: RenderCache | None = None,
                images: bool = True, later: list[Callable[[], None]] | None = None) -> list[Output]:
    """Every file of the site except ``.nojekyll`` and the search index, sorted by path.

    Template mistakes on any page are collected (one problem per template line) and
    raised together. Without ``images``, share cards and pictures are left out (the
    pages still name them): nothing is drawn or written for a build that will not be written.
    With ``later``, share cards missing from the build cache are drawn by a job added
    there, which must run before the outputs are written (see _draw_cards).
    """
    assets = collect_assets(project.templates)
    env = cache.environment(project, assets) if cache else make_environment(project, assets)
    absolute = env.globals["absolute"]
    site = linked.site
    info = SiteInfo(site.config, len(site.articles), len(site.people), len(site.topics))
    common = {"site": info, "nav": _nav(site)}
    outputs = [(a.path, a.data) for a in assets.values()]
    specs = [*_home(linked), *_indexes(linked), *_articles(linked, cache), *_entities(linked), *_free_pages(linked),
             *_redirects(linked)]
    machine_specs, machine_outputs = _machine_files(
        linked, [p.url for p in specs if p.template not in ("404.html", "search.html", "redirect.html")], absolute,
        cache)
    specs += machine_specs
    outputs += machine_outputs
    digests = _template_digests(env, project, cache)
    cards, share = _cards_of(linked, specs, cache)
    font = card_font(project.templates) if site.config.share_cards else None
    share = share if font else {}
    if images:  # without (check, or a build that has failed already), pages are rendered for their problems
        outputs += _card_outputs(cards, font, card_site_name(site.config.title), cache, later) if font else []
        outputs += _picture_outputs(site.pictures, project.root, cache)
    shared = (tuple(a.path for a in assets.values()), info, tuple(common["nav"]))
    rendered: dict[str, tuple[tuple, bytes]] = {}
    todo: list[tuple[PageSpec, tuple]] = []
    for spec in specs:
        signature = (digests.get(spec.template), shared, share.get(spec.url), spec.args)
        cached = cache.pages.get(spec.url) if cache else None
        if cached is not None and cached[0] == signature:
            rendered[spec.url] = cached
        else:
            todo.append((spec, signature))

    def render_one(i: int) -> bytes | list[Problem]:
        spec = todo[i][0]
        context = {**common, **spec.build(absolute, *spec.args), "page_url": spec.url,
                   "share_image": share.get(spec.url, "")}
        try:
            return _render(env, project, spec.template, context).encode("utf-8")
        except ProjectError as exc:
            return list(exc.problems)

    progress = Progress("rendering", len(todo))
    problems: dict[tuple, Problem] = {}
    for (spec, signature), result in zip(todo, parallel_map(render_one, len(todo), progress), strict=True):
        if isinstance(result, list):
            for problem in result:
                problems.setdefault((problem.path, problem.line, problem.message), problem)
        else:
            rendered[spec.url] = (signature, result)
    progress.done()
    if problems:
        raise ProjectError(list(problems.values()))
    outputs += [(output_path(spec.url), rendered[spec.url][1]) for spec in specs]
    if cache is not None:
        cache.pages = rendered
    return sorted(outputs)


@dataclass(frozen=True)
class Card:
    """A page's share card: where it is published, and what it says."""

    url: str  # "/articles/x/card.jpg"
    title: str
    kicker: str


def _cards_of(linked: Linked, specs: list[PageSpec], cache: RenderCache | None
              ) -> tuple[dict[str, Card], dict[str, str]]:
    """The cards of the pages (page URL -> card) and where each is published (page URL ->
    card URL): the last build's very dicts while every input is the same object, or (the
    addresses) equal. Made afresh they were 5 ms of every rebuild in serve at 5,000 articles,
    and the same dicts let the cards' outputs be reused too (see _card_outputs)."""
    site = linked.site
    key = (*(linked.teasers[a.url] for a in site.articles), site.people, site.topics, site.pages, site.home,
           site.config)
    urls = tuple(spec.url for spec in specs)
    if cache is not None and cache.cards[0] == urls and same_objects(key, cache.cards[1]):
        return cache.cards[2], cache.cards[3]
    cards = _card_specs(linked, specs)
    share = {url: card.url for url, card in cards.items()}
    if cache is not None:
        cache.cards = (urls, key, cards, share)
    return cards, share


def _card_specs(linked: Linked, specs: list[PageSpec]) -> dict[str, Card]:
    """The card of every page that can be shared (page URL -> card); the further pages of a
    list share the first page's card."""
    site = linked.site
    first: dict[str, Card] = {
        "/": Card("/card.jpg", site.home.title if site.home else site.config.title, "The story, told by the reports"),
        "/articles/": Card("/articles/card.jpg", "All the reports", f"{len(site.articles)} news reports"),
        "/people/": Card("/people/card.jpg", "People", f"{len(site.people)} people in the reports"),
        "/topics/": Card("/topics/card.jpg", "Topics", f"{len(site.topics)} topics in the reports"),
        "/sources/": Card("/sources/card.jpg", "Sources", "Who published each report"),
        "/search/": Card("/search/card.jpg", "Search", "Every report, person and topic"),
    }
    for article in site.articles:
        first[article.url] = Card(article.url + "card.jpg", article.title, article.kicker or "News report")
    for entity in linked.entities.values():
        kind = "People" if entity.kind == "person" else "Topics"
        kicker = f"{kind} · {group_label(entity.category, plural=False)}" if entity.category else kind
        first[entity.url] = Card(entity.url + "card.jpg", entity.name, kicker)
    for page in site.pages:
        first[page.url] = Card(page.url + "card.jpg", page.title, "About the site")
    cards = {}
    for spec in specs:
        url = spec.url
        owner = _PAGED.sub("/", url) if "/page/" in url else url
        if owner in first:
            cards[url] = first[owner]
    return cards


_PAGED = re.compile(r"/page/\d+/$")


def card_site_name(title: str) -> str:
    """The site's name as a card's footer shows it: "Name: what it is about" is cut to its
    name when whole it would not fit the line (and end in an ellipsis)."""
    name, colon, _ = title.partition(": ")
    return name if colon and len(title) > 40 else title


def card_font(templates: Path) -> Path | None:
    """The theme's font for share cards: the first in ``assets/fonts`` (None: no cards)."""
    fonts = templates / ASSETS_DIR / "fonts"
    found = sorted(p for p in fonts.glob("*") if p.suffix.lower() in (".woff2", ".woff", ".ttf", ".otf")) \
        if fonts.is_dir() else []
    return found[0] if found else None


def _draw_cards(cards: dict[str, Card], font: Path, site_title: str, cache: RenderCache | None,
                later: list[Callable[[], None]] | None = None) -> list[Output]:
    """Every card as an output, drawn only when no earlier build drew the same one.

    With a card folder (the build cache's), a card is a file there named by its content
    key, and its output is that file's path, copied into the site when written: a site of
    5,000 pages holds no 300 MB of pictures in memory. Without one, cards are bytes.

    With a folder and ``later``, the missing cards are not drawn here: a job that draws them
    is added to ``later``, which the write stage runs once the pages are on disk, while
    Pagefind indexes them (their outputs already name the files the job makes).
    """
    unique = sorted({card.url: card for card in cards.values()}.values(), key=lambda c: c.url)
    imaging.forget_changed_fonts(font)
    # The drawing code itself is part of the key: a change to it draws every card afresh.
    font_key = imaging.content_key(font.read_bytes(), Path(imaging.__file__).read_bytes())
    # Kept between the builds of serve: finding the fonts of 5,500 cards took a second of each edit.
    known = cache.card_keys if cache is not None else {}
    keys = []
    for c in unique:
        key = known.get((font_key, site_title, c.title, c.kicker))
        if key is None:
            key = known[font_key, site_title, c.title, c.kicker] = imaging.content_key(
                imaging.ENGINE, font_key, site_title, c.title, c.kicker,
                *map(str, imaging.card_fonts((c.title, c.kicker, site_title), font)))
        keys.append(key)
    folder = _card_folder(cache)
    kept: dict[str, Path | bytes] = {}
    if folder is not None:
        # Cards this process filed are taken as there (serve): 5,500 stats were 0.1 s of each edit.
        filed = cache.card_files if cache is not None else {}
        for key in keys:
            path = filed.get(key)
            if path is None and (folder / f"{key}.jpg").is_file():
                path = folder / f"{key}.jpg"
            if path is not None:
                kept[key] = path
    todo = sorted({key: i for i, key in enumerate(keys) if key not in kept}.values())
    deferred = folder is not None and later is not None

    def draw(i: int) -> Path | bytes:
        # The worker files the card itself: only its path travels back (20 KB less per card
        # through the pipe, and one write fewer in the parent).
        card, key = unique[todo[i]], keys[todo[i]]
        data = imaging.share_card(card.title, card.kicker, site_title, font)
        return _file_card(folder, key, data) if deferred else _keep_card(folder, key, data)

    def draw_all() -> None:
        progress = Progress("drawing share cards", len(todo))
        for i, kept_card in zip(todo, parallel_map(draw, len(todo), progress), strict=True):
            kept[keys[i]] = kept_card
        progress.done()
        if folder is not None and (cache is None or set(keys) != cache.card_files.keys() or todo):
            _prune_cards(folder, set(keys))  # (a listing of 5,500 files: not when the set is the last one)
            if cache is not None:
                cache.card_files = {key: path for key in keys if isinstance(path := kept[key], Path)}

    if deferred and todo:
        kept.update({keys[i]: folder / f"{keys[i]}.jpg" for i in todo})
        later.append(draw_all)
    else:
        draw_all()  # (nothing to draw: only the folder to keep in step, now)
    return [(output_path(card.url), kept[key]) for card, key in zip(unique, keys, strict=True)]


def _card_outputs(cards: dict[str, Card], font: Path, site_title: str, cache: RenderCache | None,
                  later: list[Callable[[], None]] | None = None) -> list[Output]:
    """_draw_cards's outputs; the last build's while the cards are the very same dict (see
    _cards_of), the font file and the site's name the same, and every card is filed."""
    try:
        stat = font.stat()
    except OSError:
        stat = None
    key = (cards, font, (stat.st_mtime_ns, stat.st_size) if stat else None, site_title)
    if cache is not None and cache.card_outputs and cache.card_outputs[0] is cards \
            and cache.card_outputs[1:4] == key[1:]:
        return cache.card_outputs[4]
    deferred = len(later) if later is not None else 0
    outputs = _draw_cards(cards, font, site_title, cache, later)
    if cache is not None:
        # Not while a drawing is left for later: it may yet fail (the next build looks again).
        cache.card_outputs = (*key, outputs) if later is None or len(later) == deferred else ()
    return outputs


def _card_folder(cache: RenderCache | None, name: str = "cards") -> Path | None:
    """The build cache's folder for drawn files of one kind (None: keep them in memory)."""
    if cache is None or cache.files_dir is None:
        return None
    folder = cache.files_dir / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only project: they stay in memory
    return folder


def _file_card(folder: Path, key: str, data: bytes, suffix: str = ".jpg") -> Path:
    """The card as a file of ``folder`` named by its key, written atomically; OSError if it cannot be
    (its output names that file already: the write stage reports the error, and writes nothing)."""
    target = folder / f"{key}{suffix}"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _keep_card(folder: Path | None, key: str, data: bytes, suffix: str = ".jpg") -> Path | bytes:
    """The file as a file of ``folder`` named by its key (written atomically), or its bytes."""
    if folder is None:
        return data
    try:
        return _file_card(folder, key, data, suffix)
    except OSError:  # a read-only or full cache: the bytes do (and no temporary file is left)
        return data


def _prune_cards(folder: Path, names: set[str], pattern: str = "*.jpg") -> None:
    """Forget what this build no longer uses: the folder holds this build's files only."""
    for path in folder.glob(pattern):
        if path.name not in names and path.stem not in names:
            path.unlink(missing_ok=True)


def _picture_outputs(pictures: tuple[Picture, ...], root: Path, cache: RenderCache | None) -> list[Output]:
    """Every rendition of every picture (WebP and its fallback at each width), made with Pillow
    only when the build cache does not hold it already."""
    folder = _card_folder(cache, "pictures")
    # Kept under the picture's content and the resizing code and library versions: an upgrade or
    # a new quality setting makes them again (the published URL names the content only).
    engine = imaging.content_key(imaging.ENGINE, Path(imaging.__file__).read_bytes())[:12]
    wanted = {p: [(w, kind, f"{p.key}.{engine}.{w}.{EXTENSIONS[kind]}") for kind in ("webp", p.fallback)
                  for w in p.widths] for p in pictures}
    kept: dict[str, Path | bytes] = {}
    if folder is not None:
        kept = {name: folder / name for names in wanted.values() for *_, name in names if (folder / name).is_file()}
    todo = [p for p, names in wanted.items() if any(name not in kept for *_, name in names)]

    def make(i: int) -> tuple[tuple[int, str, bytes], ...]:
        data = read_picture(root, todo[i].path)
        if isinstance(data, str):
            raise ProjectError([error(todo[i].path, 0, data)])
        return tuple((r.width, r.format, r.data) for r in imaging.responsive(data))

    progress = Progress("resizing pictures", len(todo))
    for picture, renditions in zip(todo, parallel_map(make, len(todo), progress), strict=True):
        for width, kind, data in renditions:
            name = f"{picture.key}.{engine}.{width}.{EXTENSIONS[kind]}"
            kept[name] = _keep_card(folder, name, data, suffix="") if folder is not None else data
    progress.done()
    if folder is not None:
        _prune_cards(folder, {name for names in wanted.values() for *_, name in names}, "*")
    return [(output_path(p.url(w, kind)), kept[name]) for p, names in wanted.items() for w, kind, name in names]


def _template_digests(env: jinja2.Environment, project: Project, cache: RenderCache | None) -> dict[str, str]:
    """For each template, a hash of its source and every template it extends, includes or imports.

    A template whose references cannot be worked out statically (a name in a variable)
    depends on every template. The hashes are worked out again only when a source changed.
    """
    sources = {name: (project.templates / name).read_bytes() for name in env.list_templates()
               if not name.startswith(ASSETS_DIR + "/")}
    if cache is not None and cache.sources == sources:
        return cache.digests
    if env.cache is not None:
        # Jinja notices changed templates by their mtime, which two quick saves can
        # share; when a source changed, nothing compiled before is trusted.
        env.cache.clear()
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
    if cache is not None:
        cache.sources, cache.digests = sources, digests
    return digests


HOME_ARTICLES = 6  # newest reports shown as cards on the home page
PEOPLE_INTRO = ("Everyone the reports name, grouped by their part in the story, with the number of reports that "
                "name each.")
TOPICS_INTRO = ("Organisations, places, craft, films and events the reports name, grouped by kind, with the number "
                "of reports that name each.")


def _home(linked: Linked) -> list[PageSpec]:
    site = linked.site
    fragments = tuple((key, html) for key, html in linked.bodies.items() if key == "/" or key.startswith("/#"))
    # Only the articles the facts and timeline cite: the page stays the same size however many there are.
    records = [*(site.home.facts if site.home else ()), *(site.timeline.events if site.timeline else ())]
    wanted = {slug for record in records for slug in record.sources}
    shown = linked.teasers
    cited = tuple(shown[a.url] for a in site.articles if a.slug in wanted)
    topics = sorted(((e, len(linked.backlinks[e.slug])) for e in site.topics),
                    key=lambda item: (-item[1], item[0].name.lower(), item[0].url))
    args = (site.home, site.timeline, fragments, tuple(shown[a.url] for a in site.articles[:HOME_ARTICLES]),
            len(site.articles), cited,
            _groups(site.people, linked), tuple(topics[:16]), site.config)
    return [PageSpec("/", "home.html", _home_context, args)]


def _home_context(absolute, home, timeline, fragments, articles, total, cited, groups, topics, config) -> dict:
    return {
        "home": home, "timeline": timeline, "fragments": {key: Markup(html) for key, html in fragments},
        "timeline_chart": Markup(timeline_svg(timeline.events, timeline.title)) if timeline else "",
        "articles": articles, "article_total": total,
        "articles_by_slug": {a.slug: a for a in cited},
        "people_groups": groups, "top_topics": topics, "jsonld": metadata.website(config, absolute),
    }


def _indexes(linked: Linked) -> list[PageSpec]:
    site = linked.site
    return [
        *_article_index(linked),
        PageSpec("/people/", "entities.html", _entities_context,
                 ("People", PEOPLE_INTRO, len(site.people), _groups(site.people, linked), "/people/", site.config)),
        PageSpec("/topics/", "entities.html", _entities_context,
                 ("Topics", TOPICS_INTRO, len(site.topics), _groups(site.topics, linked), "/topics/", site.config)),
        PageSpec("/sources/", "sources.html", _sources_context, (_listed(outlets(site.articles), linked.teasers),
                                                                  site.config)),
        *([PageSpec("/search/", "search.html", _plain_context,
                    ("SearchResultsPage", "Search", "/search/", "Search the microsite.", site.config))]
          if site.config.has_search else []),
        PageSpec("/404.html", "404.html", _plain_context,
                 ("WebPage", "Page not found", "/404.html", "There is no page at this address.", site.config)),
    ]


NO_OUTLET = "Outlet not stated"
SOURCES_INTRO = ("Who published each report, in which language, how it reached this site, and whose reporting "
                 "it draws on.")


def outlets(articles: tuple[Article, ...]) -> tuple[tuple[str, tuple[Article, ...]], ...]:
    """The reports grouped by who published them (the outlet, else the agency that filed
    them), outlets by name and the reports that name no outlet last."""
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(article.origin.outlet or article.agency or NO_OUTLET, []).append(article)
    order = sorted(groups, key=lambda name: (name == NO_OUTLET, name.casefold(), name))
    return tuple((name, tuple(groups[name])) for name in order)


def _listed(groups: tuple[tuple[str, tuple[Article, ...]], ...],
            teasers: dict[str, Teaser]) -> tuple[tuple[str, tuple[Teaser, ...]], ...]:
    """The groups with the teaser of each report, not the report: an edit to a report's text
    leaves them equal, so the Sources page (5,000 rows on a large site, 0.2 s) is not rendered
    again for it."""
    return tuple((name, tuple(teasers[a.url] for a in articles)) for name, articles in groups)


def _sources_context(absolute, groups, config) -> dict:
    cited: dict[str, int] = {}
    for _, articles in groups:
        for article in articles:
            for name in article.origin.based_on:
                cited[name] = cited.get(name, 0) + 1
    return {"groups": groups, "intro": SOURCES_INTRO, "no_outlet": NO_OUTLET,
            "report_total": sum(len(a) for _, a in groups),
            "cited": sorted(cited.items(), key=lambda item: (-item[1], item[0].casefold())),
            "jsonld": metadata.web_page("CollectionPage", "Sources", "/sources/", SOURCES_INTRO, config, absolute)}


def _entities_context(absolute, title, intro, total, groups, url, config) -> dict:
    return {"title": title, "intro": intro, "total": total, "groups": groups,
            "jsonld": metadata.web_page("CollectionPage", title, url, intro, config, absolute)}


def _plain_context(absolute, kind, name, url, description, config) -> dict:
    return {"jsonld": metadata.web_page(kind, name, url, description, config, absolute)}


def _pagination(url: str, number: int, count: int) -> dict[str, Any]:
    """What a page of a paginated list needs for its navigation."""
    return {"page_number": number, "page_count": count,
            "newer_page": paged(url, number - 1) if number > 1 else None,
            "older_page": paged(url, number + 1) if number < count else None,
            "page_urls": [paged(url, n) for n in range(1, count + 1)]}


def _article_index(linked: Linked) -> list[PageSpec]:
    """The articles index, ``page_size`` articles a page."""
    articles, size = linked.site.articles, linked.site.config.page_size
    count = page_count(len(articles), size)
    shown = tuple(linked.teasers[a.url] for a in articles)
    return [PageSpec(paged("/articles/", n), "articles.html", _article_index_context,
                     (shown[(n - 1) * size: n * size], len(articles), n, count, linked.site.config))
            for n in range(1, count + 1)]


def _article_index_context(absolute, articles, total, number, count, config) -> dict:
    url = paged("/articles/", number)
    return {"articles": articles, "article_total": total, **_pagination("/articles/", number, count),
            "jsonld": metadata.web_page("CollectionPage", "All articles", url, "Every news report of the launch.",
                                        config, absolute)}


# "Related reports" ranks the others only when there are more of them than it shows.
RELATED_SHOWN = 4


def _articles(linked: Linked, cache: RenderCache | None = None) -> list[PageSpec]:
    """The page of every article. With a cache, a page whose inputs are the very objects of
    the last build keeps its PageSpec (the inputs are frozen): making 5,000 afresh was 7 ms
    of every rebuild in serve."""
    site = linked.site
    articles = site.articles
    ranked = len(articles) - 1 > RELATED_SHOWN
    pictures: dict[str, Picture] | None = None
    shown = linked.teasers
    last = cache.article_specs if cache is not None else {}
    kept: dict[str, tuple[tuple, PageSpec]] = {}
    specs = []
    for index, article in enumerate(articles):
        url = article.url
        # Newer and older only between dated reports: undated ones have no place in time.
        newer = shown[articles[index - 1].url] if index > 0 and article.date and articles[index - 1].date else None
        older = shown[articles[index + 1].url] if index + 1 < len(articles) and article.date \
            and articles[index + 1].date else None
        inputs = (article, linked.bodies[url], newer, older, linked.article_named[url], linked.related[url], ranked,
                  site.config, site.pictures)
        before = last.get(url)
        if before is not None and same_objects(inputs, before[0]):
            spec = before[1]
        else:
            if pictures is None:
                pictures = {p.path: p for p in site.pictures}
            args = (article, inputs[1], newer, older, inputs[4], inputs[5][:RELATED_SHOWN] if ranked else (),
                    site.config, figure(article.image, pictures, "lead-picture", BODY_SIZES, site.config.base_path))
            spec = PageSpec(url, "article.html", _article_context, args)
        kept[url] = (inputs, spec)
        specs.append(spec)
    if cache is not None:
        cache.article_specs = kept
    return specs


def _article_context(absolute, article, body, newer, older, named, related, config, picture) -> dict:
    return {
        "article": article, "body": Markup(body), "newer": newer, "older": older, "figure": Markup(picture),
        "standfirst": "" if repeats_lede(article.summary, body) else article.summary,
        "translation_note": translation_note(article.origin, article.language or config.language),
        "reading_minutes": reading_minutes(article.body),
        "text_lang": text_language(article.language, config.language),
        "text_dir": text_direction(article.language),
        "people": [e for e in named if e.kind == "person"], "topics": [e for e in named if e.kind == "topic"],
        "related": related, "jsonld": metadata.news_article(article, named, config, absolute),
    }


def _entities(linked: Linked) -> list[PageSpec]:
    """A page per person and topic; its mentions continue on further pages when they are many."""
    size = linked.site.config.page_size
    labels = {a.url: a.label for a in linked.site.articles}
    pictures = {p.path: p for p in linked.site.pictures}
    specs = []
    for entity in linked.entities.values():
        backlinks = linked.backlinks[entity.slug]
        count = page_count(len(backlinks), size)
        co_mentions = tuple((linked.entities[s], n) for s, n in linked.co_mentions[entity.slug])
        body = label_footnotes(linked.bodies[entity.url], labels, linked.site.config.base_path)
        for number in range(1, count + 1):
            args = (entity, body if number == 1 else None,
                    backlinks[(number - 1) * size: number * size], len(backlinks), number, count, co_mentions,
                    linked.site.config,
                    figure(entity.image, pictures, "infobox", INFOBOX_SIZES, linked.site.config.base_path)
                    if number == 1 else "")
            specs.append(PageSpec(paged(entity.url, number), "entity.html", _entity_context, args))
    return specs


def _entity_context(absolute, entity, body, backlinks, total, number, count, co_mentions, config, picture) -> dict:
    if number == 1:
        jsonld = metadata.entity(entity, tuple(b.article for b in backlinks), absolute)
    else:
        jsonld = metadata.web_page("CollectionPage", f"{entity.name}: reports, page {number}",
                                   paged(entity.url, number), entity.summary, config, absolute)
    return {"entity": entity, "body": Markup(body) if body is not None else None, "backlinks": backlinks,
            "figure": Markup(picture),
            "notes": footnote_numbers(body or ""), "mention_total": total,
            "first_mention": (number - 1) * config.page_size + 1,
            **_pagination(entity.url, number, count), "co_mentions": co_mentions, "jsonld": jsonld}


_FOOTNOTE = re.compile(r'<li id="fn:([^"]+)">(.*?)</li>', re.DOTALL)
_HREF = re.compile(r'href="([^"#]+)"')


_NOTE_LINK = re.compile(r'(<li id="fn:[^"]+">\s*<p>)(<a href="([^"#]+)">)')


def label_footnotes(body: str, labels: dict[str, str], base_path: str) -> str:
    """Put each cited report's name before its note ("CNN Brasil: <title>"), so note 3 on
    this page and the report's name everywhere else are seen to be the same report."""

    def named(match: re.Match) -> str:
        path = "/" + match.group(3)[len(base_path):] if match.group(3).startswith(base_path) else ""
        label = labels.get(path)
        if not label:
            return match.group(0)
        return f'{match.group(1)}<span class="fn-label">{html.escape(label)}:</span> {match.group(2)}'

    return _NOTE_LINK.sub(named, body)


def footnote_numbers(body: str) -> dict[str, tuple[str, ...]]:
    """Which footnotes of a body cite each page: its URL as the body links it -> the notes' ids."""
    notes: dict[str, list[str]] = {}
    for number, text in _FOOTNOTE.findall(body):
        for href in dict.fromkeys(_HREF.findall(text)):
            notes.setdefault(href, []).append(number)
    return {href: tuple(numbers) for href, numbers in notes.items()}


def _redirects(linked: Linked) -> list[PageSpec]:
    """A page at each old address (``redirect_from:``) that sends the reader to the page's
    address now; out of the sitemap and the search index."""
    site = linked.site
    items = (*site.articles, *site.people, *site.topics, *site.pages)
    return [PageSpec(old, "redirect.html", _redirect_context, (item.url, getattr(item, "title", "") or item.name))
            for item in items for old in item.redirects]


def _redirect_context(absolute, target, title) -> dict:
    return {"target": target, "title": title}


def _free_pages(linked: Linked) -> list[PageSpec]:
    pictures = {p.path: p for p in linked.site.pictures}
    base_path = linked.site.config.base_path
    return [PageSpec(page.url, "page.html", _page_context,
                     (page, linked.bodies[page.url], linked.site.config,
                      figure(page.image, pictures, "lead-picture", BODY_SIZES, base_path)))
            for page in linked.site.pages]


def _page_context(absolute, page, body, config, picture) -> dict:
    return {"page": page, "body": Markup(body), "figure": Markup(picture),
            "jsonld": metadata.page(page, config, absolute)}


def figure(image: Illustration | None, pictures: dict[str, Picture], kind: str, sizes: str, base_path: str) -> str:
    """A page's own picture as a ``<figure>`` with its caption and credit ("" without one)."""
    picture = pictures.get(image.path) if image is not None else None
    if picture is None:
        return ""
    caption = ""
    if image.caption or image.credit:
        credit = f' <small class="caption-credit">{html.escape(image.credit)}</small>' if image.credit else ""
        caption = f"<figcaption>{html.escape(image.caption)}{credit}</figcaption>"
    return f'<figure class="{kind}">{picture_markup(picture, image.alt, sizes, base_path)}{caption}</figure>'



def _machine_files(linked: Linked, page_urls: list[str], absolute: Callable[[str], str],
                   cache: RenderCache | None = None) -> tuple[list[PageSpec], list[Output]]:
    """robots.txt (from its template), and the Atom feed and the sitemap (of ``page_urls``).

    The feed and the sitemap are XML documents built by ``metadata`` as element trees,
    not templates: there, escaping is the structure's job and cannot be forgotten.
    """
    site = linked.site
    feed = metadata.atom_feed(site.config, metadata.feed_entries(linked), metadata.feed_updated(site.articles),
                              absolute)
    entries = metadata.sitemap_entries(linked, page_urls)
    # Kept between the builds of serve: 6,000 addresses took 0.1 s of each edit to write out.
    key = (site.config.base_url, tuple(entries))
    if cache is not None and cache.sitemap[0] == key:
        sitemap = cache.sitemap[1]
    else:
        sitemap = metadata.sitemap(entries, absolute)
        if cache is not None:
            cache.sitemap = (key, sitemap)
    return ([PageSpec("/robots.txt", "robots.txt", _robots_context, ())],
            [(output_path("/feed.xml"), feed), (output_path("/sitemap.xml"), sitemap)])


def _robots_context(absolute) -> dict:
    return {}


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
             ("Sources", "/sources/")] + ([("Search", "/search/")] if site.config.has_search else [])
    return fixed + [(p.title, p.url) for p in pages]


_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)


def repeats_lede(summary: str, body_html: str) -> bool:
    """Whether the summary is the opening of the article's first paragraph: then the page
    shows it once, in the story, and keeps it for cards, feeds and search results."""
    first = _FIRST_PARAGRAPH.search(body_html)
    if not summary or first is None:
        return False
    def plain(text: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())
    return plain(first.group(1)).startswith(plain(summary).rstrip("…").rstrip())


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
        hint = ("a page that lists reports (cards, backlinks, related, newer and older) has each one's "
                "front matter, not its text or source file" if "Teaser object' has no attribute" in str(exc)
                else "check the variable names this template uses")
        raise ProjectError(error(path, line, f"template error: {exc}",
                                 f"{hint} (first seen rendering {context.get('page_url', '?')})")) from None


def _template_frame(project: Project, exc: BaseException) -> tuple[str, int] | None:
    """The innermost template file and line in an exception's traceback."""
    templates = str(project.templates.resolve())
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(templates):
            found = (project.rel(Path(frame.filename).resolve()), frame.lineno or 0)
    return found
