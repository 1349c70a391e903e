"""The body of a clipping: paragraphs, subheadings, lists, captions and posts, the tail dropped."""

from __future__ import annotations

import collections
import re

from ..text import sentences
from .captions import (
    _BULLET,
    _CREDIT_LINE,
    _IMAGE_MARKER,
    _LABELLED_LEAD,
    _POST_BY,
    _POST_BY_NAME,
    _POST_TAIL,
    _caption_block,
    _caption_markdown,
    _credit_follows,
    _dated_credit,
    _describes_picture,
    _only_credit,
    _post_markdown,
    _split_post,
    _take_agency_tag,
    caption_of,
    credit_alone,
)
from .datelines import _BODY_BYLINE, _BRACKETED_TAG, _OUTLET_AND_PLACE, _byline_date, _credit_line, split_dateline
from .dates import _ISO_TIMESTAMP
from .markdown import _is_paragraph, _plain, escape_markdown
from .residue import _NAV_LINE, _is_residue, _labels_title, _small_alt_text, _tag_line
from .state import Unit, _Reading
from .words import _TERMINAL, _fold, _function_words, _lower, _n_words, _stems


def _body_blocks(units: list[Unit], reading: _Reading, residue: re.Pattern[str]) -> list[str]:
    """Classify each unit (residue, caption, post, credit, list, subheading, paragraph) into Markdown."""
    out: list[str] = []
    # A page shows a caption or a description twice, or the whole story twice (a teaser,
    # then the story with its byline): the story has each once, and its headline on top.
    seen: set[str] = {_fold(t) for t in (reading.title, reading.lede_as_written) if t}
    in_list = False
    i = 0
    units = _trim_tail(units, residue, reading.language)
    # A few lower-case words with no stop, printed more than once ("the challenge"): a
    # picture's alt text, which the copy kept without the picture.
    counts = collections.Counter(line.strip() for line in reading.text.splitlines())
    alt = {t for t, n in counts.items() if n > 1 and t.islower() and _n_words(t) <= 4 and t[-1] not in _TERMINAL}
    while i < len(units):
        text = re.sub(r"\s+\|$", "", units[i].text)  # "... by professional actors. |": a link bar's separator
        i += 1
        if ((tag := _BRACKETED_TAG.match(text)) or (tag := _OUTLET_AND_PLACE.match(text))) and tag.end() < len(text):
            # "[모스크바=AP/뉴시스]", "REPUBLIKA.CO.ID, MOSKOW --": a wire's tag, on the lede under a long
            # caption, or on each caption
            if not reading.dateline and (dateline := split_dateline(text, reading.language)) is not None:
                reading.dateline, reading.agency = dateline.place, reading.agency or dateline.agency
            text = text[tag.end():]
        key = _fold(text)
        if not text or key in seen or text in alt or _is_residue(text, residue) or _NAV_LINE.match(text) \
                or _labels_title(text, reading.title):
            continue
        following = units[i].text if i < len(units) else ""
        if _small_alt_text(text, reading.text) and _n_words(text) <= 8 and text[-1] not in ".!?…:。！？":
            continue  # "russia filming movie outer space": a picture's alt text among the paragraphs
        if _tag_line(text) and (_tag_line(following) or i > 1 and _tag_line(units[i - 2].text)):
            continue  # "actrices" / "cine" / "espacio": the page's tags, one per line
        if len(following) > 20 and text != following and (text.startswith(following) or following.startswith(text)) \
                and abs(len(text) - len(following)) <= 10:
            continue  # a picture's alt text, then its caption
        if len(text) > 15 and following.startswith(text) \
                and credit_alone(following[len(text):].strip(" .-–—|")) is not None:
            continue  # alt text, then the same words with the picture's credit: "... angkasa. (Photo by X on Unsplash)"
        if following == text and 3 <= _n_words(text) <= 40 and len(sentences(text)) <= 2 \
                and any(_is_paragraph(block) for block in out):  # (above the story: the headline twice)
            # The same words twice in a row: a picture's alt text, then its caption. The
            # caption's credit, if any, is on the line after the second.
            credited = _credit_follows(units, i)
            out.append(_caption_block(text, credit_alone(units[i + 1].text) or "" if credited else "",
                                      reading.language))
            seen.add(key)
            i += 2 if credited else 1
            continue
        seen.add(key)
        if _n_words(text) <= 7 and text[-1] not in ".!?。！？" and "@" not in text and not _BULLET.match(text) \
                and (":" not in text.split()[0] or _ISO_TIMESTAMP.match(text)) \
                and (when := _byline_date(text, reading.language)) is not None:
            # a byline's date line inside the page: "22nd October 2021, 20:45 GMT+11"
            reading.date = reading.date or when
            if out and re.fullmatch(r"(?:## )?[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){1,2}", out[-1]):
                out.pop()  # the author's name above it
            continue
        if "twitter.com/" in text or "t.co/" in text or _POST_TAIL.search(text) or _POST_BY.match(text):
            linked = "twitter.com/" in text or "t.co/" in text
            text, attribution = _split_post(text)
            signed = _POST_BY.match(following) or linked and _POST_BY_NAME.match(following)
            if attribution is None and signed:  # (no unit follows: "following" is "" and matches nothing)
                attribution, i = signed, i + 1  # the post, then who posted it
                out.append(_post_markdown(out, text, attribution, reading))
                in_list = False
                continue
            if attribution:
                out.append(_post_markdown(out, text, attribution, reading))
                in_list = False
                continue
            if text and len(text) <= 600:  # a post whose widget lost its attribution: quoted, unsigned
                out.append("\n".join(f"> {escape_markdown(line)}" for line in text.split("\n")))
                in_list = False
                continue
        if key in reading.captions and not caption_of(text):
            out.append(f"Caption: {escape_markdown(text)}")
            continue
        if (marker := _IMAGE_MARKER.match(text)) and not _LABELLED_LEAD.match(text):
            caption = marker.group("rest")
            if _only_credit(caption):
                continue  # "Фото: Рамиль Ситдиков / РИА Новости": the credit of a picture the text lost
            if not caption and i < len(units):
                caption, i = units[i].text, i + 1
            if caption:
                out.append(_caption_markdown(caption, reading.language))
                seen.update(_fold(part) for part in (caption, *(caption_of(caption) or ())))
            continue
        if len(text) <= 80 and (alone := split_dateline(text, reading.language)) is not None and not alone.rest \
                and alone.date is not None:
            # "Москва, 4 мая - DIXINEWS." on its own line under the lede's picture
            reading.dateline = reading.dateline or alone.place
            reading.agency = reading.agency or alone.agency
            continue
        if _BODY_BYLINE.match(text) and _n_words(text) <= 20 and text[-1] not in _TERMINAL:
            continue  # "Avec notre correspondante à Moscou, Anissa El Jabri" under the chapeau
        if _credit_line(text, reading):
            continue
        if i == len(units) and _n_words(text) >= 25:  # "... expedition. (Xinhua)": who filed the story
            text = _take_agency_tag(text, reading, last=True)
        if found := caption_of(text):
            if out and _is_paragraph(out[-1]) and _fold(_plain(out[-1])) == _fold(found[0]):
                out.pop()  # the picture's alt text, printed before its caption
            out.append(_caption_block(*found, reading.language))
            seen.add(_fold(found[0]))
            continue
        if _credit_follows(units, i - 1):  # "Caption text.\n(Andrey Shelepin/GCTC/Roscosmos via Reuters)"
            credit = credit_alone(units[i].text)
            caption = _BULLET.sub(r"\g<text>", text)
            if credit is None:  # "Oct. 5, 2021. (Image credit: NASA TV)": the picture's date joins its caption
                when, credit = _dated_credit(units[i].text)
                caption = f"{caption} {when.rstrip('.')}."
            out.append(_caption_block(caption, credit or "", reading.language))
            seen.add(_fold(text))
            i += 1
            continue
        if credit_alone(text) is not None:
            continue  # the credit of a picture the copy lost
        if (bullet := _BULLET.match(text)) and _spoken_line(units, i - 1):
            bullet = None  # "– In four months it is impossible ...": a reply, dashed as Russian prints speech
        if bullet:
            item = "- " + escape_markdown(bullet.group("text"))
            if in_list:
                out[-1] += "\n" + item
            else:
                out.append(item)
            in_list = True
            continue
        in_list = False
        if reading.language == "en" and i < len(units) and _describes_picture(text):
            out.append(f"Caption: {escape_markdown(text)}")
            continue
        if _is_subheading(text, out, i < len(units)) or (i < len(units) and _BULLET.match(units[i].text)
                                                          and _is_subheading(text, ["start"], True)):
            out.append("## " + escape_markdown(text, heading=True))
            continue
        text = _take_agency_tag(text, reading, last=i == len(units))
        out.append(escape_markdown(text))
    return out


def _spoken_line(units: list[Unit], i: int) -> bool:
    """Whether a dashed unit is a speaker's words, not a list item: a paragraph of prose
    (two sentences, or twenty words) with no dashed neighbour, as papers in Russian and the
    languages near it set direct speech."""
    text = units[i].text
    if not text.startswith(("– ", "— ", "- ")):
        return False
    if text[-1] not in _TERMINAL and not (text[0] in "–—" and _n_words(text) >= 20):
        return False  # (a reply the copy cut off mid-sentence is still a reply)
    if not (_n_words(text) >= 20 or _n_words(text) >= 10 and len(sentences(text)) >= 2):
        return False
    # (a hyphen also marks a list's items: with another dashed line beside it, it is one)
    return text[0] in "–—" or not any(0 <= k < len(units) and _BULLET.match(units[k].text) for k in (i - 1, i + 1))


def _trim_tail(units: list[Unit], residue: re.Pattern[str], language: str) -> list[Unit]:
    """Drop the page's furniture after the story, from the end: residue, and short lines
    that are not sentences and hold no function word of the text's language ("Partilhar",
    "JMR // VM", "Mais lidas"). A story cut off mid-sentence ends in words such as "from
    the", so it stays, and stays marked as truncated."""
    common = _function_words(language)
    end = len(units)
    while end > 1:
        text = units[end - 1].text
        if not text:
            end -= 1
            continue
        if caption_of(text) or _POST_TAIL.search(text) or _POST_BY.match(text) or _IMAGE_MARKER.match(text) \
                or _CREDIT_LINE.match(text):
            break
        words = re.findall(r"[^\W\d_]+", _lower(text))
        # (a quotation cut off is the story's: '"Ludo smo sretni' opens with its quotation mark)
        bare = _n_words(text) < 8 and text[-1] not in _TERMINAL and not any(w in common for w in words) \
            and text[0] not in "\"“„«‘'"
        bare = bare or text.startswith("/") and _n_words(text) <= 4  # an aggregator's "/Media reports."
        bare = bare or text.endswith(":") and _n_words(text) <= 3  # "Mais informações:" with nothing after it
        # another story's headline cut to fit its link: "The prequel to the horror film "Orphan"..."
        bare = bare or _n_words(text) <= 12 and bool(re.search(r"[\w\"”»)] ?(?:\.\.\.|…)$", text)) \
            and _teaser_run(units, end - 1)
        if _is_residue(text, residue) or bare:
            end -= 1
            continue
        break
    return _drop_unrelated_teasers(units[:end], language)


def _teaser_run(units: list[Unit], i: int) -> bool:
    """Whether the unit at ``i`` stands among other short lines cut with an ellipsis: a
    block of links to other stories, not one sentence that trails off."""
    def cut(k: int) -> bool:
        return 0 <= k < len(units) and _n_words(units[k].text) <= 12 \
            and bool(re.search(r"(?:\.\.\.|…)$", units[k].text))
    return cut(i - 1) or cut(i + 1)


def _drop_unrelated_teasers(units: list[Unit], language: str) -> list[Unit]:
    """Drop other stories' teasers at the page's end: two or more headlines, each perhaps
    with a short summary, with no label above them and no words in common with the story
    ("Billy Idol habla sobre su documental" under a story about a film shot in orbit)."""
    starts: list[int] = []  # where each teaser begins, from the last one back
    end = len(units)
    while end > 2:
        if _teaser_headline(units[end - 1].text):
            end -= 1
        elif _teaser_headline(units[end - 2].text) and len(sentences(units[end - 1].text)) <= 3:
            end -= 2
        else:
            break
        starts.append(end)
    if len(starts) < 2:
        return units
    common = _function_words(language)
    story = _stems(" ".join(u.text for u in units[: starts[-1]]), common)
    unrelated = 0  # the teasers at the end that share nothing with the story
    for begin, stop in zip(starts, [len(units), *starts[:-1]], strict=True):
        words = _stems(" ".join(u.text for u in units[begin:stop]), common)
        if len(words & story) >= 2 or len(words & story) > len(words) // 5:
            break
        unrelated += 1
    return units[: starts[unrelated - 1]] if unrelated >= 2 else units


def _teaser_headline(text: str) -> bool:
    words = text.split()
    return 3 <= len(words) <= 18 and text[:1].isupper() and text.rstrip("\"”’»)")[-1:] not in _TERMINAL


def _is_subheading(block: str, previous: list[str], more_follow: bool) -> bool:
    """A short stand-alone line between paragraphs, without closing punctuation."""
    if "\n" in block or not previous or not more_follow:
        return False
    question = block.endswith("?") and _n_words(block) <= 12  # "Worum geht es in dem Film?"
    quoted = block[-1] in "\"”'’»)" and block[-2:-1] not in ".!?,"  # "De esto trata ‘El Desafío’"
    return (
        2 <= _n_words(block) <= 12
        and len(block) <= 90
        and (block[-1] not in ".!?:;,…\"”'’)»" or question or quoted)
        and (block[0].isupper() or block[0].isdigit() or block[0] in "\"“„«'‘")
    )
