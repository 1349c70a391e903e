"""Pictures made at build time: share cards for articles and responsive renditions of editors' pictures.

Everything here is a pure function of its arguments (bytes in, bytes out; the only files read are
fonts), and the same arguments give byte-identical output: no timestamps, no metadata, fixed
encoder settings. A build caches each output under ``content_key(ENGINE, ...inputs)``; ``ENGINE``
names this module's drawing revision and the library versions that shape the bytes, so an
upgrade never reuses a stale picture.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import random
import struct
import unicodedata
import warnings
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import PIL
from PIL import Image, ImageCms, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError, features

# Bump REVISION when a change here changes the bytes of any output.
REVISION = "1"
ENGINE = (f"imaging/{REVISION} pillow/{PIL.__version__} freetype/{features.version('freetype2')} "
          f"raqm/{features.version('raqm')} webp/{features.version('webp')} jpeg/{features.version('jpg')} "
          f"zlib/{features.version('zlib')}")

# Fixed encoder settings, and never a timestamp, comment, EXIF or colour profile passed to them.
WEBP_OPTIONS = {"quality": 80, "method": 4, "exact": False}  # method 6: 5x slower with alpha, 1% smaller
JPEG_OPTIONS = {"quality": 82, "optimize": True, "progressive": True, "subsampling": "4:2:0"}
PNG_OPTIONS = {"optimize": False, "compress_level": 6}  # level 9: 3x slower for a tenth smaller

# Fonts tried, in order, for text the site's font cannot draw (its font is Latin-only). The first
# that has every character of the text is used; the card's bytes then depend on which is installed,
# which is why a build should include the chosen path in its cache key (``card_fonts`` says which).
FALLBACK_FONTS: tuple[Path, ...] = tuple(Path(p) for p in (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",  # Debian, Ubuntu
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",  # Fedora
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",  # Arch
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",  # macOS
))


# --- share cards -----------------------------------------------------------------------------------

CARD_SIZE = (1200, 630)  # what Facebook, LinkedIn and X's large summary card all crop least
MARGIN = 72
TEXT_WIDTH = 720  # the text column; the art lives to its right
TITLE_STEPS = ((64, 3), (56, 4))  # (px, lines): a title that needs a fourth line is set smaller
KICKER_SIZE = 30
KICKER_TRACKING = 2.5  # px between capitals, so the kicker reads as a label, not a sentence
SITE_SIZE = 28
SITE_WIDTH = 540  # narrower than the column: at the bottom the orbits reach into it
TITLE_WEIGHT = 700
LABEL_WEIGHT = 500
ART_SCALE = 3  # the art is drawn this much larger and reduced: Pillow's shapes have no anti-aliasing
ELLIPSIS = "…"


@dataclass(frozen=True)
class Palette:
    """The card's colours, as RGB tuples."""

    background: tuple[int, int, int]
    title: tuple[int, int, int]
    kicker: tuple[int, int, int]
    muted: tuple[int, int, int]
    planet_dark: tuple[int, int, int]
    planet_light: tuple[int, int, int]
    orbit: tuple[int, int, int]
    orbit_far: tuple[int, int, int]
    star: tuple[int, int, int]
    craft: tuple[int, int, int]
    panel: tuple[int, int, int]


DARK = Palette(background=(11, 21, 48), title=(255, 255, 255), kicker=(242, 169, 59), muted=(170, 182, 210),
               planet_dark=(16, 34, 78), planet_light=(72, 132, 214), orbit=(120, 150, 210),
               orbit_far=(46, 64, 110), star=(150, 165, 205), craft=(242, 169, 59), panel=(190, 205, 235))
LIGHT = Palette(background=(246, 242, 234), title=(11, 21, 48), kicker=(168, 98, 10), muted=(84, 96, 124),
                planet_dark=(62, 104, 186), planet_light=(176, 210, 246), orbit=(60, 80, 130),
                orbit_far=(200, 196, 190), star=(206, 200, 188), craft=(214, 136, 22), panel=(70, 90, 140))


@dataclass(frozen=True)
class TitleLayout:
    """How a title is set on a card: its lines (the last may end in an ellipsis), size and font."""

    lines: tuple[str, ...]
    size: int
    font_path: Path | None  # None: no font draws the title, so the card goes without it


def share_card(title: str, kicker: str, site_title: str, font_path: Path, *, dark: bool = True,
               fallback_fonts: tuple[Path, ...] = FALLBACK_FONTS) -> bytes:
    """A 1200x630 JPEG to show when the page is shared: kicker, title and site title on the left, art on the right.

    JPEG, not PNG: a site makes one card per page, and a PNG of this size takes 26 ms to
    encode (100 KB) against about 1 ms (25 KB).

    Text the font cannot draw is set in the first of ``fallback_fonts`` that can; text that no font
    can draw is left off rather than drawn as empty boxes.
    """
    palette = DARK if dark else LIGHT
    card = _chrome(palette, kicker, site_title, font_path, fallback_fonts).copy()
    _draw_title(ImageDraw.Draw(card), card_layout(title, font_path, fallback_fonts=fallback_fonts), font_path,
                palette)
    return _card_jpeg(card)


@lru_cache(maxsize=16)
def _chrome(palette: Palette, kicker: str, site_title: str, font_path: Path,
            fallback_fonts: tuple[Path, ...]) -> Image.Image:
    """The art with the kicker and the site's name: the same on most cards of a site (every
    report's kicker is alike), so drawn once; the letter-spaced kicker is drawn letter by
    letter, which made it half of a card's time. Callers draw on a copy."""
    card = _art(palette).copy()
    draw = ImageDraw.Draw(card)
    _draw_kicker(draw, kicker, font_path, fallback_fonts, palette)
    _draw_site_title(draw, site_title, font_path, fallback_fonts, palette)
    return card


def card_layout(title: str, font_path: Path, *, fallback_fonts: tuple[Path, ...] = FALLBACK_FONTS) -> TitleLayout:
    """How ``share_card`` sets ``title``: the largest step of TITLE_STEPS it fits, else the smallest, ellipsised."""
    text, path = _settable(_clean(title), font_path, fallback_fonts)
    if path is None or not text:
        return TitleLayout((), TITLE_STEPS[-1][0], None)
    for size, most in TITLE_STEPS:
        font = _font(path, size, TITLE_WEIGHT if path == font_path else None)
        lines = _lines(text, font.getlength, TEXT_WIDTH)
        if len(lines) <= most:
            return TitleLayout(lines, size, path)
    return TitleLayout(_at_most(lines, most, font.getlength, TEXT_WIDTH), size, path)


def card_lines(title: str, font_path: Path, *, fallback_fonts: tuple[Path, ...] = FALLBACK_FONTS) -> tuple[str, ...]:
    """The lines ``share_card`` draws for ``title``; () when no font can draw it."""
    return card_layout(title, font_path, fallback_fonts=fallback_fonts).lines


def card_fonts(texts: tuple[str, ...], font_path: Path,
               fallback_fonts: tuple[Path, ...] = FALLBACK_FONTS) -> tuple[Path | None, ...]:
    """The font each of ``texts`` would be drawn in (None: left off), for a build's cache key."""
    return tuple(_settable(_clean(text), font_path, fallback_fonts)[1] for text in texts)


def drawable(text: str, font_path: Path) -> bool:
    """Whether the font at ``font_path`` has a glyph for every character of ``text`` (spaces aside)."""
    text = _clean(text)
    if text.isascii() and _covers_ascii(str(font_path)):
        return True  # most titles: one answer for the font instead of one look-up per letter
    if _right_to_left(text) and not _raqm():
        return False  # without a shaping engine Arabic and Hebrew come out reversed and unjoined
    return all(_has_glyph(str(font_path), ch) for ch in set(text) if ch != " " and ch not in _JOINERS)


def _draw_kicker(draw: ImageDraw.ImageDraw, kicker: str, font_path: Path, fallbacks: tuple[Path, ...],
                 palette: Palette) -> None:
    text, path = _settable(_clean(kicker).upper(), font_path, fallbacks)
    if path is None or not text:
        return
    font = _font(path, KICKER_SIZE, LABEL_WEIGHT if path == font_path else None)
    if _trackable(text):
        line = _wrap(text, lambda s: _tracked_length(font, s), TEXT_WIDTH, 1)[0]
        _draw_tracked(draw, (MARGIN, MARGIN + KICKER_SIZE), line, font, palette.kicker)
    else:
        line = _wrap(text, font.getlength, TEXT_WIDTH, 1)[0]
        draw.text(_line_start(line, MARGIN + KICKER_SIZE), line, font=font, fill=palette.kicker, anchor=_anchor(line))


def _draw_title(draw: ImageDraw.ImageDraw, layout: TitleLayout, font_path: Path, palette: Palette) -> None:
    if layout.font_path is None:
        return
    font = _font(layout.font_path, layout.size, TITLE_WEIGHT if layout.font_path == font_path else None)
    leading = round(layout.size * 1.14)
    baseline = MARGIN + KICKER_SIZE + 40 + round(layout.size * 0.8)
    for line in layout.lines:
        draw.text(_line_start(line, baseline), line, font=font, fill=palette.title, anchor=_anchor(line))
        baseline += leading


def _draw_site_title(draw: ImageDraw.ImageDraw, site_title: str, font_path: Path, fallbacks: tuple[Path, ...],
                     palette: Palette) -> None:
    bottom = CARD_SIZE[1] - MARGIN
    # A short amber rule: the card's signature, and a divider between the story and who tells it.
    draw.rectangle((MARGIN, bottom - SITE_SIZE - 26, MARGIN + 56, bottom - SITE_SIZE - 22), fill=palette.kicker)
    text, path = _settable(_clean(site_title), font_path, fallbacks)
    if path is None or not text:
        return
    font = _font(path, SITE_SIZE, LABEL_WEIGHT if path == font_path else None)
    line = _wrap(text, font.getlength, SITE_WIDTH, 1)[0]
    draw.text((MARGIN, bottom), line, font=font, fill=palette.muted, anchor="ls")


def _line_start(line: str, baseline: int) -> tuple[int, int]:
    """Where a line starts: the left edge of the text column, or its right edge for right-to-left text."""
    return (MARGIN + TEXT_WIDTH if _right_to_left(line) else MARGIN, baseline)


def _anchor(line: str) -> str:
    return "rs" if _right_to_left(line) else "ls"


def _trackable(text: str) -> bool:
    """Whether letters may be spaced out: Latin, Greek and Cyrillic letters stand alone; drawn one by one,
    Arabic would lose its joins and Devanagari its conjuncts."""
    return all(ord(ch) < 0x0530 or 0x1E00 <= ord(ch) < 0x2070 for ch in text)


def _tracked_length(font: ImageFont.FreeTypeFont, text: str) -> float:
    clusters = list(_clusters(text))
    return sum(font.getlength(c) for c in clusters) + KICKER_TRACKING * max(len(clusters) - 1, 0)


def _draw_tracked(draw: ImageDraw.ImageDraw, origin: tuple[int, int], text: str, font: ImageFont.FreeTypeFont,
                  fill: tuple[int, int, int]) -> None:
    x, y = origin
    for cluster in _clusters(text):
        draw.text((x, y), cluster, font=font, fill=fill, anchor="ls")
        x += font.getlength(cluster) + KICKER_TRACKING


def _clusters(text: str) -> Iterator[str]:
    """Characters with their combining marks, so spacing letters out never separates an accent from its letter."""
    cluster = ""
    for ch in text:
        if cluster and unicodedata.combining(ch):
            cluster += ch
            continue
        if cluster:
            yield cluster
        cluster = ch
    if cluster:
        yield cluster


# --- text: cleaning, glyph coverage, wrapping ------------------------------------------------------

# Zero-width joiners change how Persian and Indic text joins; the shaping engine draws nothing for them.
_JOINERS = frozenset("\u200c\u200d")


def _clean(text: str) -> str:
    """NFC text on one line: every kind of space a plain space (fonts lack the rarer ones), controls and
    invisible format characters (soft hyphens, bidi marks) dropped, as a font would draw them as boxes."""
    if text.isascii() and text.isprintable():  # most titles: nothing to normalise or drop (5,500 cards: 0.4 s)
        return " ".join(text.split())
    keep_joiners = _raqm()
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and not (keep_joiners and ch in _JOINERS):
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


@lru_cache(maxsize=1)
def _raqm() -> bool:
    """Whether Pillow shapes text with Raqm (which draws the zero-width joiners' effect)."""
    return features.check_feature("raqm")


def _right_to_left(text: str) -> bool:
    """Whether the first letter with a direction is right-to-left (Arabic, Hebrew...)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _settable(text: str, font_path: Path, fallbacks: tuple[Path, ...]) -> tuple[str, Path | None]:
    """The text as it will be drawn, and the font to draw it in (None: no font can).

    When no font has every character, emoji and other pictographs are left out before giving up: a
    rocket no font has should not cost the card its title.
    """
    path = _font_path_for(text, font_path, fallbacks)
    if path is None:
        text = " ".join("".join(ch for ch in text if not _pictograph(ch)).split())
        path = _font_path_for(text, font_path, fallbacks)
    return text, path


def _pictograph(ch: str) -> bool:
    """Emoji and other symbols, with the selectors and skin tones that modify them."""
    return unicodedata.category(ch) == "So" or "\ufe00" <= ch <= "\ufe0f" or "\U0001f3fb" <= ch <= "\U0001f3ff"


def _font_path_for(text: str, font_path: Path, fallbacks: tuple[Path, ...]) -> Path | None:
    if drawable(text, font_path):
        return font_path
    return next((path for path in fallbacks if path.is_file() and drawable(text, path)), None)


@lru_cache(maxsize=64)
def _font(path: Path, size: int, weight: int | None) -> ImageFont.FreeTypeFont:
    """The font at ``size``; a variable font set to ``weight`` when it has a weight axis (else as it comes)."""
    font = ImageFont.truetype(str(path), size)
    if weight is not None:
        try:
            axes = font.get_variation_axes()
            font.set_variation_by_axes([_axis_value(axis, weight) for axis in axes])
        except (OSError, ValueError):
            pass  # not a variable font, or FreeType without variation support: its own weight will do
    return font


def _axis_value(axis: Mapping[str, Any], weight: int) -> float:
    """``weight`` (within the font's range) on the weight axis; any other axis at its default."""
    if axis["name"] != b"Weight":
        return axis["default"]
    return min(max(weight, axis["minimum"]), axis["maximum"])


# U+FFFF is a noncharacter no font maps, so what a font draws for it is its .notdef glyph: the box.
_UNMAPPED = "\uffff"


@lru_cache(maxsize=16)
def _covers_ascii(path: str) -> bool:
    """Whether the font draws every printable ASCII character (then it draws any ASCII text)."""
    return all(_has_glyph(path, chr(code)) for code in range(0x21, 0x7F))


@lru_cache(maxsize=8192)
def _has_glyph(path: str, ch: str) -> bool:
    return _glyph_signature(path, ch) != _glyph_signature(path, _UNMAPPED)


@lru_cache(maxsize=8192)
def _glyph_signature(path: str, ch: str) -> tuple[tuple[int, int], bytes, float]:
    """What the font draws for ``ch``: the bitmap and the advance (a blank .notdef still has an advance)."""
    font = _font(Path(path), 48, None)
    mask = font.getmask(ch)
    return mask.size, bytes(mask), font.getlength(ch)


def _wrap(text: str, measure: Callable[[str], float], width: float, most: int) -> tuple[str, ...]:
    """``text`` broken into at most ``most`` lines no wider than ``width``; an ellipsis ends the last
    line when text is left over."""
    return _at_most(_lines(text, measure, width), most, measure, width)


def _at_most(lines: tuple[str, ...], most: int, measure: Callable[[str], float], width: float) -> tuple[str, ...]:
    if len(lines) <= most:
        return lines
    return (*lines[: most - 1], _ellipsised(lines[most - 1], measure, width))


def _lines(text: str, measure: Callable[[str], float], width: float) -> tuple[str, ...]:
    """``text`` broken into lines no wider than ``width``, greedily: each line takes what fits.

    Each piece is measured once, and a line's width is the sum of its pieces and spaces:
    measuring every candidate line whole took a fifth of a share card's time (a call costs
    the same 13 µs whatever its length). Shaping and kerning do not reach across a space;
    pieces joined without one (Chinese characters, a split word) are measured whole.
    """
    # What joining two pieces with a space adds: the space, and the letter-spacing on both its
    # sides when ``measure`` spaces letters out (the kicker's).
    space = measure("x x") - 2 * measure("x")
    lines: list[str] = []
    line, line_width = "", 0.0
    for unit, spaced, unit_width in _units(text, measure, width):
        if not line:
            joined, joined_width = unit, unit_width
        elif spaced:
            joined, joined_width = f"{line} {unit}", line_width + space + unit_width
        else:
            joined = line + unit
            joined_width = measure(joined)
        if line and joined_width > width:
            lines.append(line)
            line, line_width = unit, unit_width
        else:
            line, line_width = joined, joined_width
    lines.append(line)
    return tuple(lines)


def _units(text: str, measure: Callable[[str], float], width: float) -> Iterator[tuple[str, bool, float]]:
    """The pieces a line may break between, each with whether a space goes before it and its width:
    words; each Chinese or Japanese character (those scripts break anywhere); and letters of a word
    too long for a line."""
    for word in text.split(" "):
        spaced = True
        for piece in _breakable(word):
            for part, part_width in _hard_split(piece, measure, width):
                yield part, spaced, part_width
                spaced = False


def _breakable(word: str) -> Iterator[str]:
    run = ""
    for ch in word:
        if run and _may_break(run[-1], ch):
            yield run
            run = ""
        run += ch
    if run:
        yield run


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between two characters of a word: next to a Chinese or Japanese
    character, but never before closing punctuation (、。」) or a mark, nor after opening punctuation (「)."""
    if unicodedata.category(after)[0] == "M" or unicodedata.category(after) in ("Pe", "Po", "Pf"):
        return False
    if unicodedata.category(before) in ("Ps", "Pi") or before in _JOINERS or after in _JOINERS:
        return False
    return _is_wide(before) or _is_wide(after)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _hard_split(piece: str, measure: Callable[[str], float], width: float) -> Iterator[tuple[str, float]]:
    """A piece wider than a line, cut into pieces that fit (a long URL, a German compound)."""
    whole = measure(piece)
    if whole <= width:  # nearly always: one measure instead of one per letter
        yield piece, whole
        return
    part = ""
    for cluster in _clusters(piece):
        if part and measure(part + cluster) > width:
            yield part, measure(part)
            part = cluster
        else:
            part += cluster
    if part:
        yield part, measure(part)


def _ellipsised(text: str, measure: Callable[[str], float], width: float) -> str:
    """``text`` cut, at a space where it can be, so that it and an ellipsis fit ``width``."""
    words = text.split(" ")
    while len(words) > 1 and measure(_with_ellipsis(" ".join(words))) > width:
        words.pop()
    clusters = list(_clusters(" ".join(words)))  # one word left, or none between Chinese characters
    while len(clusters) > 1 and measure(_with_ellipsis("".join(clusters))) > width:
        clusters.pop()
    return _with_ellipsis("".join(clusters))


def _with_ellipsis(text: str) -> str:
    return text.rstrip(" ,;:.-\u2013\u2014") + ELLIPSIS


# --- the art ---------------------------------------------------------------------------------------

PLANET = (1100, 600, 270)  # centre x, centre y, radius in card pixels: a planet rising from the corner
ORBITS = ((370, 88), (480, 128))  # half axes of the orbits around the planet's centre
TILT = 14.0  # degrees: the orbits rise to the left, towards the text
CRAFT_AT = 0.8 * math.pi  # where on the inner orbit's near half the craft is: clear of the planet and the text


@lru_cache(maxsize=2)  # the same for every card of a palette; callers draw on a copy
def _art(palette: Palette) -> Image.Image:
    """The background: stars, a lit planet, two orbits (far halves behind the planet, near halves in front), a craft."""
    size = (CARD_SIZE[0] * ART_SCALE, CARD_SIZE[1] * ART_SCALE)
    art = Image.new("RGB", size, palette.background)
    draw = ImageDraw.Draw(art)
    _stars(draw, palette)
    colours = (palette.orbit, palette.orbit_far)
    for axes, colour in zip(ORBITS, colours, strict=True):
        _orbit(draw, axes, colour, near=False)
    _planet(draw, palette)
    for axes, colour in zip(ORBITS, colours, strict=True):
        _orbit(draw, axes, colour, near=True)
    _craft(draw, palette)
    return art.reduce(ART_SCALE)


def _stars(draw: ImageDraw.ImageDraw, palette: Palette) -> None:
    # A fixed seed: the same sky on every card, and the same bytes on every build.
    sky = random.Random(2021)
    for _ in range(48):
        x, y = sky.uniform(MARGIN + TEXT_WIDTH + 40, CARD_SIZE[0] - 12), sky.uniform(12, CARD_SIZE[1] - 12)
        radius = sky.choice((0.9, 1.1, 1.1, 1.5, 2.0)) * ART_SCALE
        shade = _mix(palette.background, palette.star, sky.uniform(0.3, 0.9))
        draw.ellipse(_box(x * ART_SCALE, y * ART_SCALE, radius, radius), fill=shade)


def _planet(draw: ImageDraw.ImageDraw, palette: Palette) -> None:
    """A faint halo, then concentric discs, each smaller, lighter and nearer the light (top left): a lit sphere."""
    cx, cy, radius = PLANET
    for step in range(12):  # the halo: the atmosphere catching the light
        r = (radius + 26 - 2 * step) * ART_SCALE
        draw.ellipse(_box(cx * ART_SCALE, cy * ART_SCALE, r, r),
                     fill=_mix(palette.background, palette.planet_light, 0.012 * (step + 1)))
    steps = 90
    for step in range(steps):
        t = step / (steps - 1)
        r = radius * (1 - 0.8 * t) * ART_SCALE
        shift = radius * 0.45 * t
        x, y = (cx - shift * 0.8) * ART_SCALE, (cy - shift) * ART_SCALE
        draw.ellipse(_box(x, y, r, r), fill=_mix(palette.planet_dark, palette.planet_light, t ** 1.5))
    rim = radius * ART_SCALE  # a thin bright limb on the lit side
    draw.arc(_box(cx * ART_SCALE, cy * ART_SCALE, rim, rim), 200, 290, fill=palette.planet_light, width=2 * ART_SCALE)


def _orbit(draw: ImageDraw.ImageDraw, axes: tuple[int, int], colour: tuple[int, int, int], *, near: bool) -> None:
    """Half an ellipse round the planet: the far half (drawn before the planet, so it passes behind) or the near."""
    start = 0.0 if near else math.pi
    points = [_orbit_point(axes, start + math.pi * i / 240) for i in range(241)]
    draw.line([(x * ART_SCALE, y * ART_SCALE) for x, y in points], fill=colour, width=2 * ART_SCALE, joint="curve")


def _orbit_point(axes: tuple[int, int], angle: float) -> tuple[float, float]:
    """The point at ``angle`` on an orbit; angles 0 to pi are its near half (below the centre before tilting)."""
    x, y = axes[0] * math.cos(angle), axes[1] * math.sin(angle)
    turn = math.radians(TILT)
    return PLANET[0] + x * math.cos(turn) - y * math.sin(turn), PLANET[1] + x * math.sin(turn) + y * math.cos(turn)


def _craft(draw: ImageDraw.ImageDraw, palette: Palette) -> None:
    """A small amber body flying along the inner orbit, with a solar panel on a strut to either side."""
    x, y = _orbit_point(ORBITS[0], CRAFT_AT)
    ahead = _orbit_point(ORBITS[0], CRAFT_AT - 0.01)
    heading = math.atan2(ahead[1] - y, ahead[0] - x)
    side = (-math.sin(heading), math.cos(heading))  # across the direction of flight
    ends = [(x + side[0] * d, y + side[1] * d) for d in (-24, 24)]
    draw.line([(px * ART_SCALE, py * ART_SCALE) for px, py in ends], fill=palette.panel, width=ART_SCALE)
    for offset in (-22, 22):
        centre = (x + side[0] * offset, y + side[1] * offset)
        _rectangle(draw, centre, 4.5, 9, heading, palette.panel)
    _rectangle(draw, (x, y), 11, 7, heading, palette.craft)


def _rectangle(draw: ImageDraw.ImageDraw, centre: tuple[float, float], half_length: float, half_width: float,
               heading: float, colour: tuple[int, int, int]) -> None:
    """A filled rectangle turned to ``heading``, in card pixels."""
    cos, sin = math.cos(heading), math.sin(heading)
    corners = [(half_length, half_width), (half_length, -half_width), (-half_length, -half_width),
               (-half_length, half_width)]
    draw.polygon([((centre[0] + dx * cos - dy * sin) * ART_SCALE, (centre[1] + dx * sin + dy * cos) * ART_SCALE)
                  for dx, dy in corners], fill=colour)


def _box(x: float, y: float, rx: float, ry: float) -> tuple[float, float, float, float]:
    return (x - rx, y - ry, x + rx, y + ry)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


# White on navy keeps its edges at 4:2:0 (quality 88 at 4:4:4: 82 KB, 6 ms). Without Huffman
# optimisation a card takes 1.2 ms to encode instead of 2.0 ms and weighs 25 KB instead of 19 KB
# (measured on a three-line title): 4.4 s of CPU less on a cold build of 5,500 cards, for
# files that only link previews fetch.
CARD_JPEG_OPTIONS = {"quality": 80, "subsampling": "4:2:0", "optimize": False}


def _card_jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", **CARD_JPEG_OPTIONS)  # no EXIF, no JFIF comment: the same bytes each build
    return out.getvalue()


# --- responsive renditions of editors' pictures ----------------------------------------------------

MAX_PIXELS = 50_000_000  # a 50 MP camera's full frame; beyond that a picture is a mistake or a decompression bomb
WIDTHS = (480, 960, 1600)  # a phone, a tablet or small laptop, a large screen at 2x; plus the original
# Only the formats a web page can show: Pillow also opens EPS (through Ghostscript), PSD and more. (The
# JPEG opener also reads the MPO files many cameras write: a JPEG with a second, preview picture.)
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MEDIA_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}

# What Pillow raises for broken data depends on the format and where the data breaks.
_BROKEN = (OSError, ValueError, SyntaxError, EOFError, IndexError, struct.error, zlib.error)


class ImageError(ValueError):
    """A picture that cannot be used: not an image, empty, truncated, or too large."""


@dataclass(frozen=True)
class Rendition:
    """One encoded size of a picture."""

    width: int
    height: int
    format: str  # "webp", or the fallback: "jpeg" (opaque) or "png" (with transparency)
    data: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def responsive(data: bytes, widths: tuple[int, ...] = WIDTHS, *, max_pixels: int = MAX_PIXELS) -> tuple[Rendition, ...]:
    """A WebP and a fallback of the picture at each of ``widths`` narrower than it, and at its own width.

    The picture is turned upright (EXIF orientation), converted to sRGB, and stripped of all metadata
    (location, camera, date); it is never enlarged. Sorted by format, then width.
    """
    if any(not isinstance(width, int) or width < 1 for width in widths):
        raise ValueError(f"widths must be positive whole numbers of pixels, not {widths!r}")
    picture = _decode(data, max_pixels)
    fallback = "png" if picture.mode == "RGBA" else "jpeg"
    renditions = []
    for width in sorted({w for w in widths if w < picture.width} | {picture.width}):
        scaled = _scaled(picture, width)
        renditions += [Rendition(width, scaled.height, kind, _encode(scaled, kind)) for kind in ("webp", fallback)]
    return tuple(sorted(renditions, key=lambda r: (r.format, r.width)))


def describe(data: bytes, *, max_pixels: int = MAX_PIXELS) -> tuple[int, int, str]:
    """(width, height, fallback format) of the picture ``responsive`` makes from ``data``: what a
    page's markup needs before any rendition exists. Decodes the whole picture (a see-through
    pixel decides between a JPEG and a PNG fallback)."""
    picture = _decode(data, max_pixels)
    return picture.width, picture.height, "png" if picture.mode == "RGBA" else "jpeg"


def image_size(data: bytes, *, max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """The picture's (width, height) as shown, that is after its EXIF orientation; read from the header alone."""
    with _opened(data, max_pixels) as image:
        width, height = image.size
        # Orientations 5 to 8 turn the picture a quarter: width and height swap.
        return (height, width) if _orientation(image) in (5, 6, 7, 8) else (width, height)


_FONT_STAMPS: dict[str, tuple[int, int, int] | None] = {}


def forget_changed_fonts(*paths: Path) -> None:
    """Drop everything read from fonts once one of ``paths`` changed on disk since the last
    call. The fonts, their glyph coverage and the cards' common parts are kept in memory by
    file name, and serve runs for hours: a theme's font replaced under the same name was
    drawn from memory as the old one, into cards filed under the new font's key."""
    stamps = {}
    for path in paths:
        try:
            info = os.stat(path)
            stamps[str(path)] = (info.st_ino, info.st_mtime_ns, info.st_size)
        except OSError:
            stamps[str(path)] = None
    if any(name in _FONT_STAMPS and _FONT_STAMPS[name] != stamp for name, stamp in stamps.items()):
        for value in list(globals().values()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == __name__:
                value.cache_clear()
    _FONT_STAMPS.update(stamps)


def content_key(*parts: bytes | str) -> str:
    """The key an output is cached under: the SHA-256 (hex) of ``parts``, each prefixed with its kind and length.

    The prefixes keep parts apart, so ("ab", "c") and ("a", "bc"), or "a" and b"a", never share a key.
    Include ``ENGINE`` and every input that shapes the output (the picture's bytes, the widths, the
    title, the font's bytes) so that a change to any of them makes a new key.
    """
    digest = hashlib.sha256()
    for part in parts:
        raw, kind = (part.encode(), b"s") if isinstance(part, str) else (bytes(part), b"b")
        digest.update(kind + len(raw).to_bytes(8, "big") + raw)
    return digest.hexdigest()


def _decode(data: bytes, max_pixels: int) -> Image.Image:
    """The first frame, upright, in sRGB, as RGB, or RGBA when some pixel is see-through; with no metadata."""
    with _opened(data, max_pixels) as image:
        try:
            image.load()
            upright = _upright(image)
            picture = _normalised(_in_srgb(upright))
        except _BROKEN as error:
            raise ImageError(f"the image data is truncated or corrupt ({error})") from None
    picture.info = {}  # the encoders would carry over an ICC profile, EXIF or comments from here
    return picture


@contextmanager
def _opened(data: bytes, max_pixels: int) -> Iterator[Image.Image]:
    """``Image.open`` limited to the web's formats, with the size checked before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # _check_size says it better
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError:
        raise ImageError(f"the image is larger than {Image.MAX_IMAGE_PIXELS * 2 // 1_000_000} megapixels, "
                         "Pillow's limit against decompression bombs") from None
    except (UnidentifiedImageError, *_BROKEN):
        raise ImageError("not an image Pillow can read (JPEG, PNG, WebP or GIF expected)") from None
    with image:
        _check_size(image.size, max_pixels)
        yield image


def _check_size(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width < 1:
        raise ImageError("the image is 0 pixels wide")
    if height < 1:
        raise ImageError("the image is 0 pixels high")
    if width * height > max_pixels:
        raise ImageError(f"the image is {width}x{height} pixels, larger than {max_pixels / 1_000_000:g} megapixels; "
                         "scale it down before adding it")


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except (*_BROKEN, TypeError):
        return 1  # unreadable EXIF: shown as stored, as browsers do


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except (*_BROKEN, TypeError):
        return image.copy()  # unreadable EXIF: shown as stored, as browsers do


def _in_srgb(image: Image.Image) -> Image.Image:
    """The picture converted from its embedded colour profile to sRGB, which browsers assume when there is none:
    dropping a wide-gamut profile (a phone's Display P3) without converting would dull the colours."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the pixels as they are beat no picture


def _normalised(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the picture has transparency that some pixel uses."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):  # 16-bit grey: scale, as convert() would clip
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        image = image.convert("RGBA")
        if image.getchannel("A").getextrema()[0] < 255:
            return image
    return image.convert("RGB")


def _scaled(picture: Image.Image, width: int) -> Image.Image:
    if width == picture.width:
        return picture
    height = max(1, round(picture.height * width / picture.width))
    scaled = picture.resize((width, height), Image.Resampling.LANCZOS)
    scaled.info = {}
    return scaled


def _encode(image: Image.Image, kind: str) -> bytes:
    options = {"webp": WEBP_OPTIONS, "jpeg": JPEG_OPTIONS, "png": PNG_OPTIONS}[kind]
    out = io.BytesIO()
    image.save(out, kind.upper(), **options)
    return out.getvalue()
