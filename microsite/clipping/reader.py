"""parse_seed: a seed's bytes to an ``ArticleDraft``, through the stages of the package."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import ProjectError, error, warning
from ..text import sentences
from .attribution import cited_reporting
from .body import _body_blocks
from .captions import _CREDIT_LINE, _PICTURE_WORD
from .decoding import decode_seed, repair_mojibake
from .header import _headline_score, _read_header, _trailing_date
from .markdown import _is_paragraph, _plain
from .residue import _COMMENTS, _TAIL_START, _compile_residue, _is_residue, _tail_label, _unmarked
from .state import ArticleDraft, Unit, _Reading
from .titles import _capitalise, is_truncated, summary_from_lede, title_from_lede
from .units import detect_language, split_units
from .words import _TERMINAL, _function_words, _is_prose, _n_words, _stems


def _without_teasers_of_itself(units: list[Unit]) -> list[Unit]:
    """The units without the page's teasers of its own lede: a line cut with an ellipsis
    that a later paragraph begins with ("On September 19-23, the festival ... the Ministry...")."""
    def teases(k: int) -> bool:
        text = units[k].text
        if not text.endswith(("...", "…")):
            return False
        start = _straight_quotes(text.rstrip(".… "))
        if len(start) < 30:
            return False
        for later in (_straight_quotes(u.text) for u in units[k + 1:k + 8]):
            if later.startswith(start) and len(later) > len(start):
                return True
            # (after a breadcrumb run into it: "HomeLatest NewsCosmonaut Oleg Novitsky on ... "I...")
            at = start.find(later[:30])
            if at > 0 and len(start) - at >= 30 and later.startswith(start[at:]) and _n_words(start[:at]) <= 6:
                return True
        return False
    return [u for k, u in enumerate(units) if not teases(k)]


def _straight_quotes(text: str) -> str:
    """The text with its quotation marks all alike, as a copy of a line may set them otherwise."""
    return re.sub(r"[“”„«»\"]", '"', re.sub(r"[‘’‚]", "'", text))


def _without_watermark(units: list[Unit]) -> list[Unit]:
    """The units without a scraper's watermark: the same string of ten characters or more
    glued after the full stop of three paragraphs or more ("... 在太空实景拍摄的故事片。9VK莫卡妮生活网-
    记录每日创新科技时尚娱乐生活Mocany"). A story's own words end in a stop; a watermark does not."""
    found: dict[str, int] = {}
    for a, b in zip(units, units[1:], strict=False):
        common = os.path.commonprefix([a.text[::-1], b.text[::-1]])[::-1]
        if len(common) >= 10 and common[-1] not in _TERMINAL:
            found[common] = found.get(common, 0) + 1
    for mark in sorted(found, key=len, reverse=True):
        # (glued to paragraphs: a headline printed three times on its own is no watermark)
        glued = [u for u in units if u.text != mark and u.text.endswith(mark) and u.text[:-len(mark)][-1:] in _TERMINAL]
        if len(glued) >= 3:
            return [Unit(u.text[:-len(mark)].rstrip(), u.line) if u.text.endswith(mark) else u
                    for u in units if u.text != mark]
    return units


def _credit_unglued(unit: Unit) -> list[Unit]:
    """A picture's credit and the paragraph a copy glued to it, as two units: "Foto: Andrey
    Shelepin / dpa/RoscosmosNach Dreharbeiten auf der ISS ist ..." (the credit's last word in
    lower case, then the paragraph's first word with its capital)."""
    glued = _GLUED_CREDIT.match(unit.text)
    # (a paragraph: its full stop, and two sentences or a long one; "Imagem: DivulgaçãoAtriz russa
    # ... decolam" is a picture's credit, then its caption, and stays one unit)
    rest = glued.group("rest") if glued else ""
    if not rest or rest[-1] not in _TERMINAL or not (len(sentences(rest)) >= 2 or _n_words(rest) >= 25):
        return [unit]
    return [Unit(glued.group("credit"), unit.line), Unit(glued.group("rest"), unit.line)]


_GLUED_CREDIT = re.compile(r"^(?P<credit>(?:" + _PICTURE_WORD + r"|Photos|Credit)\s*:\s*"
                           r"[^.!?:]{2,80}?[a-zà-ÿа-яё])(?P<rest>[A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё]+\s.{40,})$")


def parse_seed(name: str, data: bytes, residue_patterns: tuple[str, ...] = ()) -> ArticleDraft:
    """Turn one seed text into an article draft. Pure: the same inputs give the same draft.

    ``name`` is the seed's file name (recorded as ``seed`` and used in messages as
    ``seeds/<name>``); ``residue_patterns`` extend ``DEFAULT_RESIDUE``.
    """
    path = f"seeds/{name}"
    text, notes = decode_seed(path, data)
    text, repaired = repair_mojibake(path, text)
    # a page's description, cut, then its date and site: "... en... 14.05.2021, Sputnik Mundo"
    units = _without_teasers_of_itself(_without_watermark(
        [part for u in split_units(text) for part in _credit_unglued(Unit(_unmarked(u.text), u.line))]))
    if not units:
        raise ProjectError(error(path, 0, "seed is empty: it holds only spaces and control characters",
                                 "add the article text or remove the file"))
    reading = _Reading(path, text, warnings=[*notes, *repaired])
    reading.language = detect_language(units)
    residue = _compile_residue(residue_patterns)
    units, tail = _drop_tail(units, residue)
    title, units = _read_header(units, reading, residue)
    reading.title = title
    body = _body_blocks(units, reading, residue)
    paragraphs = [b for b in body if _is_paragraph(b)]
    if not body:
        raise ProjectError(error(path, 0, "no article text left after removing headers and residue",
                                 "check that the file holds the article's paragraphs"))
    # A page of a caption and a list has no paragraph: its first item stands for the lede.
    first = paragraphs[0] if paragraphs else next((b for b in body if not b.startswith("Caption: ")), body[0])
    lede = _plain(re.sub(r"^(?:- |> |## |Caption: )", "", first).split("\n")[0])
    if not title and tail and len(paragraphs) >= 2 and _headline_after_story(paragraphs[-1], lede, reading.language):
        # A blog's repost: the teaser, then the source's headline, then the blog's footer (a
        # text cut mid-sentence has no footer, and its last line only looks like a headline).
        title = _plain(paragraphs[-1])
        body.remove(paragraphs.pop())
    if not title:
        title = title_from_lede(lede, reading.language)
    if not title.strip():  # a lede of punctuation alone: the build would refuse an empty title
        title = _capitalise(Path(name).stem.replace("-", " ").replace("_", " ").strip()) or "Untitled"
        reading.warnings.append(warning(path, 0, f"no headline or first sentence to take a title from; "
                                                 f"titled {title!r} after the file name",
                                        "write the title into the new content file"))
    if reading.date is None:
        reading.date = _trailing_date(units, reading)
    if reading.date is None and tail and re.match(r"(?:Reviewed|Posted|Written|Published) by\b", tail[0].text):
        # "Reviewed by X / on / October 06, 2021": the footer's byline dates the post
        reading.date = _trailing_date(tail[:4], reading)
    return ArticleDraft(
        seed=name,
        title=title,
        body="\n\n".join(body) + "\n",
        date=reading.date,
        summary=reading.deck or summary_from_lede(lede),
        credit=reading.credit,
        # Judged on the story's last block: one that ends in a caption, a post or a list
        # ended where the page put them, not mid-sentence.
        truncated=bool(paragraphs) and _is_paragraph(body[-1]) and is_truncated(_plain(body[-1])),
        language=reading.language,
        dateline=reading.dateline,
        agency=reading.agency,
        based_on=cited_reporting("\n\n".join(b for b in body if _is_paragraph(b)), reading.credit),
        warnings=tuple(reading.warnings),
    )


def _headline_after_story(paragraph: str, lede: str, language: str) -> bool:
    """Whether the story's last paragraph is its headline, printed after it: a line shaped
    like a headline that shares three content words with the lede."""
    text = _plain(paragraph)
    common = _function_words(language)
    shared = {w[:4] for w in _stems(text, common)} & {w[:4] for w in _stems(lede, common)}  # "film", "filmed"
    return 4 <= _n_words(text) <= 20 and text[-1] not in ".!?…:;,。！？" and _headline_score(text, False) > 0 \
        and len(shared) >= 3


def _drop_tail(units: list[Unit], residue: re.Pattern[str]) -> tuple[list[Unit], list[Unit]]:
    """Drop blocks of links to other stories and the page's tail; return the units kept
    and the tail dropped after the story's end.

    After a heading such as "Related Stories" or "Leia também", the lines that are not
    sentences are other stories' headlines. From a comment form on, or from such a
    heading after which prose no longer dominates, nothing is the story's any more
    unless it is a real paragraph of prose.
    """
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        i += 1
        label = unit.text.rstrip(" :：")
        # The table's headings end the story only after it has begun ("Últimas noticias" also
        # heads a page's top), and only when no sentence follows them: a box of links inside
        # the story ("Tin liên quan" between two paragraphs) is one line, dropped as residue.
        tail_heading = _tail_label().fullmatch(label) and any(_is_prose(u.text) for u in out) \
            and not any(u.text[-1] in _TERMINAL and _n_words(u.text) >= 12 for u in units[i:])
        if len(out) < 2 or not (_TAIL_START.match(label) or tail_heading):
            out.append(unit)
            continue
        rest = units[i:]
        # (and the credit line, "with inputs from PTI", which names who filed the story)
        # (a teaser's summary cut with an ellipsis is not the story's)
        prose = [u for u in rest if (_is_prose(u.text) or _CREDIT_LINE.match(u.text))
                 and not _is_residue(u.text, residue) and not u.text.endswith(("...", "…"))]
        if out and _n_words(out[-1].text) < 5 and out[-1].text[-1] not in _TERMINAL and len(out) > 2:
            out.pop()  # "Questo contenuto è" / "riservato agli abbonati": the notice's first half
        if _COMMENTS.match(unit.text) or len(prose) * 2 < len(rest):
            return out + prose, units[i - 1:]
        while i < len(units) and i < len(units) and units[i].text[-1] not in _TERMINAL:
            i += 1  # the headlines of the linked stories
    return out, []
