"""A seed's text to units (a paragraph or a stand-alone line each), and its language."""

from __future__ import annotations

import re

from ..text import INVISIBLE, UNPRINTABLE
from .captions import _BULLET, _IMAGE_MARKER, credit_alone
from .state import Unit
from .words import _n_words


def split_units(text: str) -> list[Unit]:
    """Paragraphs and stand-alone lines of normalised text, each with its first line.

    Blank lines separate paragraphs; inside a block, lines are joined only when the block
    is hard-wrapped prose (its lines run to a similar width and break mid-sentence), so a
    page copied with one line per paragraph keeps its paragraphs.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    # Zero-width characters, soft hyphens, and the display-reordering controls that would
    # make a title read otherwise than it says (U+202E): nothing a reader should get.
    text = INVISIBLE.sub(_unless_joining, text)
    text = UNPRINTABLE.sub("", text)  # stray control characters of copied text; no page may carry them
    units: list[Unit] = []
    block: list[tuple[str, int]] = []
    for number, raw in enumerate([*text.split("\n"), ""], start=1):
        line = _unglued(_undoubled(re.sub(r" {2,}", " ", raw.strip())))
        if line:
            block.append((line, number))
            continue
        if block:
            units.extend(_block_units(block))
            block = []
    return units


def _unglued(line: str) -> str:
    """A line whose sentences a copy glued together ("... crew members.The re-docking ...",
    "porażką.Przypomnijmy") with the space put back: a lower-case word, its stop, then a
    capitalised word. (Never in "U.S.", "ISS.The" or a web address, whose letters differ.)"""
    def spaced(match: re.Match[str]) -> str:
        before, stop, after = match.groups()
        if before[-2:].islower() and after[0].isupper() and after[1:].islower():
            return f"{before}{stop} {after}"
        return match.group()
    return _GLUED_SENTENCE.sub(spaced, line)


_GLUED_SENTENCE = re.compile(r"(?<![\w./@-])([^\W\d_]{2,})([.!?])([^\W\d_]{2,})(?![\w/@-]|\.[^\W\d_])")


# Letters of the scripts whose spelling needs the zero-width joiners (Persian "بین‌المللی",
# Hindi, Malayalam, Sinhala): Hebrew and Arabic to Sinhala, and Arabic presentation forms.
_JOINED_SCRIPT = re.compile(r"[\u0590-\u08ff\u0900-\u0dff\ufb1d-\ufdff\ufe70-\ufefc]")


def _unless_joining(match: re.Match[str]) -> str:
    """Nothing for an invisible character, except a zero-width (non-)joiner between two
    letters of a script that spells with it: there it is part of the word."""
    text, at = match.string, match.start()
    if match.group() in "\u200c\u200d" and 0 < at < len(text) - 1 \
            and _JOINED_SCRIPT.match(text[at - 1]) and _JOINED_SCRIPT.match(text[at + 1]):
        return match.group()
    return ""


def _undoubled(line: str) -> str:
    """A line that says the same thing twice in a row (a picture's alt text glued to its
    caption: "The crew lands. Photo: X The crew lands. Photo: X") once."""
    half = len(line) // 2
    if len(line) >= 41 and line[half] == " " and line[:half] == line[half + 1:]:
        return line[:half]
    # (or with nothing between the two: "페레실드 /연합뉴스페레실드 /연합뉴스")
    if len(line) >= 30 and len(line) % 2 == 0 and line[:half] == line[half:]:
        return line[:half]
    return line


def _block_units(block: list[tuple[str, int]]) -> list[Unit]:
    """The units of one block of lines: one joined paragraph, or a unit per line."""
    lines = [line for line, _ in block]
    if len(lines) > 1 and (_hard_wrapped(lines) or _broken_phrase(lines)):
        return [Unit(" ".join(lines), block[0][1])]
    cleaned = [Unit(_GALLERY.sub("", line).strip(), number) for line, number in block]
    return [unit for unit in cleaned if unit.text]


# A photo gallery's counter and buttons around a caption: "1 of 5 | ...", "... AP Show More Show Less".
_GALLERY = re.compile(r"^\d{1,2} (?:of|из|di|de|von) ?\d{1,2}\b\s*\|?\s*|^\d{1,2} ?/ ?\d{1,2}\s*\|\s*"
                      r"|\s*(?:\b[A-Z]{2,5}\s+)?Show More Show Less$")


def _broken_phrase(lines: list[str]) -> bool:
    """Whether a block is one phrase set over short lines, as a headline on a banner is
    ("Актриса Юлия Пересильд," / "Режиссер Клим Шипенко," / "Летчик-космонавт Антон Шкаплеров" /
    "отправились в космос ..."): a list of names ending in commas, then its verb in lower case."""
    if len(lines) > 5 or _n_words(" ".join(lines)) > 30 or not lines[0][:1].isupper():
        return False
    return lines[-1][:1].islower() and any(line.endswith(",") for line in lines[:-1]) \
        and all(line[-1] not in ".!?:;…" and not _BULLET.match(line) for line in lines[:-1])


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether a block's line breaks are a column width's, not the author's: every line but
    the last runs to nearly the block's width, most break mid-sentence, and none starts
    a list item or a post's attribution."""
    if any(_BULLET.match(line) or line[:1] in "—–" or _IMAGE_MARKER.match(line) or credit_alone(line)
           for line in lines[1:]):
        return False  # a list, a post's attribution, a photo's credit: lines of their own
    if any(b.startswith(a) or a.startswith(b) for a, b in zip(lines, lines[1:], strict=False)):
        return False  # a picture's alt text above its caption
    if len(lines) == 2 and not lines[1][:1].islower():  # a headline and its date, a title and a lede
        return False
    body = lines[:-1]
    widest = max(len(line) for line in lines)
    if widest > 100 or widest < 55:  # nobody wraps at 100+ columns, or under 55
        return False
    mid_sentence = sum(1 for line in body if line[-1] not in ".!?:;…\"”»")
    return mid_sentence >= 0.6 * len(body) and all(len(line) >= 0.7 * widest for line in body)


def detect_language(units: list[Unit], default: str = "en") -> str:
    """The language of the story's text (ISO 639-1), by py3langid; ``default`` for short texts.

    Only the longer units are read: headlines, credits and residue are too short to
    tell, and a page's English furniture must not outvote a Russian story.
    """
    text = " ".join(u.text for u in units if _n_words(u.text) >= 8)
    if len(text) < 80:
        return default
    import py3langid  # imported here: only an import of a new seed needs it

    language, _ = py3langid.classify(text)
    return language
