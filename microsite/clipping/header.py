"""The header of a clipping: headline, deck, date, byline and dateline among the first units."""

from __future__ import annotations

import collections
import datetime as dt
import re

from ..errors import warning
from ..model import Month, long_date
from ..text import sentences
from .captions import (
    _BULLET,
    _CREDIT_LINE,
    _IMAGE_MARKER,
    _PICTURE_STAMP,
    _POST_BY,
    _credit_follows,
    _dated_credit,
    _only_credit,
    caption_of,
    credit_alone,
)
from .datelines import _BYLINE, _DESK_AGENCY, _byline_date, _credit_line, split_dateline
from .dates import find_date, parse_date_prefix
from .residue import (
    _LABEL_LINE,
    _LABEL_PREFIX,
    _METADATA,
    _NAV_LINE,
    _TEASER,
    RELATIVE_TIME,
    _is_residue,
    _labels_title,
    _small_alt_text,
)
from .state import Unit, _Reading
from .titles import _capitalise, _plain_summary, _plain_title
from .words import _TERMINAL, _UNSPACED, _fold, _function_words, _is_prose, _n_words, _stems


def _read_header(units: list[Unit], reading: _Reading, residue: re.Pattern[str]) -> tuple[str, list[Unit]]:
    """Find the headline, deck, date and dateline among the first units; return the title
    ("" when the text has no headline) and the units of the story, header removed.

    Pages put their name, navigation and section above the headline, and the deck,
    byline, date and photo below it: of the lines that read as a headline, the one
    nearest the story is the headline, unless it is a long line right after a shorter
    one (an agency's deck, written without a full stop).
    """
    start = _body_start(units, reading, residue)
    header, rest = units[:start], list(units[start:])
    title = ""
    candidates: list[tuple[int, int, str]] = []  # (score, position, text)
    decks: list[tuple[int, str]] = []  # (position, text) of sentences that may be the standfirst
    dates: list[tuple[int, dt.date]] = []
    kept: list[Unit] = []  # captions met in the header go to the top of the story
    shown: set[str] = set()
    breaks: set[int] = set()  # positions of dates, bylines and captions: they end a run of headline lines
    crumbed: set[str] = set()
    captioned: set[int] = set()  # positions of captions kept for the story
    after_date = False
    common = _function_words(reading.language)
    story = _stems(" ".join(u.text for u in rest[:3]), common)
    for position, unit in enumerate(header):
        line = _unglued_kicker(unit.text, reading.language)
        if stamped := _PICTURE_STAMP.match(line):
            # Sputnik's sites print the headline's picture between the headline and the deck,
            # stamped with the day of publication: a caption, and the page's date, but no
            # break between the headline and what follows (its deck)
            when, _, _ = find_date(stamped.group(0)[stamped.end("credit"):], reading.language)
            if when is not None:
                dates.append((position, when))
            kept.append(Unit(line, unit.line))
            shown.update(_fold(part) for part in (line, stamped.group("caption")))
            continue
        # (a line that shares no word with the story, "Ваши билеты в личном кабинете", is a site's)
        seen_headline = any(c[0] >= 3 and _n_words(c[2]) >= 4 and (not story or _stems(c[2], common) & story)
                            for c in candidates)  # not a site name
        following = header[position + 1].text if position + 1 < len(header) else ""
        if following.startswith(line) and (_only_credit(credit := following[len(line):].strip(" -–—|"))
                                           or credit_alone(credit) is not None):  # "...2021.PHOTO: AFP"
            continue  # a picture's alt text, then its caption with the credit
        if following and len(following) > 20 and line.startswith(following) and len(line) - len(following) <= 10:
            continue  # alt text that adds ", photo" to the caption that follows
        if _small_alt_text(line, reading.text):
            continue  # "yulia peresild tom cruise": a picture's alt text, its names written small
        if _n_words(line) <= 2 and not re.search(r"\d", line) and following \
                and (caption_of(following) or _IMAGE_MARKER.match(following)):
            continue  # "Soyuz undocking": a picture's label above its caption (three words may be a headline)
        if seen_headline and position + 1 < len(header) and _fold(line) == _fold(header[position + 1].text) \
                and len(line) > 30:
            continue  # a picture's alt text, then the same words as its caption: the caption follows
        date, remainder = parse_date_prefix(line, reading.language)
        if remainder is not None:
            if date is None:
                _note_date(reading, date, unit)
            else:
                dates.append((position, date))
            after_date = True
            breaks.add(position)
            if not remainder or _is_residue(remainder, residue) or _n_words(remainder) <= 3 \
                    or re.search(r"\s[—–-]\s*[A-ZА-ЯЁ]{2,6}$", remainder) \
                    or _METADATA.search(remainder) or _NAV_LINE.match(remainder) \
                    or (_n_words(remainder) < 10 and find_date(remainder, reading.language)[0] is not None):
                # "| Updated 17/10/2021"
                continue
            line = remainder
        elif (when := _byline_date(line, reading.language)) is not None:
            dates.append((position, when))
            after_date = True
            breaks.add(position)
            continue
        when, start, end = find_date(line, reading.language) if len(line) <= 60 else (None, 0, 0)
        if when is not None and len(re.findall(r"[^\W\d_]{3,}", line[:start] + " " + line[end:])) <= 2:
            dates.append((position, when))  # "So. Nov 24th, 2024": a date line, whatever its punctuation
            breaks.add(position)
            continue
        if (alone := split_dateline(line, reading.language)) is not None and not alone.rest \
                and (alone.agency or alone.date):
            # "MADRID, 14 May. (EUROPA PRESS) -" on a line of its own, above the lede
            reading.dateline, reading.agency = alone.place, alone.agency or reading.agency
            breaks.add(position)
            continue
        if desk := _DESK_AGENCY.match(line):
            reading.agency = reading.agency or desk.group("agency").strip()
            continue
        if _BYLINE.match(line) and not (_n_words(line) >= 15 and line[-1] in _TERMINAL):
            # (not a sentence that opens with the word: Luxembourgish "De Film ..." is "The film")
            breaks.add(position)
            continue
        if crumb := _ends_in_other_line(line, header):
            crumbed.add(_fold(crumb).rstrip("."))  # "Home WorldEurope <headline>": a breadcrumb run together
            continue
        if _NAV_LINE.match(line):
            crumbs = re.split(r"\s(?:[·•|›»>/]|::)\s", line)
            crumbed.add(_fold(crumbs[-1]).rstrip("."))  # a breadcrumb ends with the headline
            when, _, _ = find_date(" ".join(crumbs[:-1]), reading.language)  # "Main » 2021 » October » 9"
            if when is not None:
                dates.append((position, when))
            continue
        if not candidates and re.fullmatch(_TEASER, line, re.IGNORECASE) and _n_words(line) >= 5:
            candidates.append((2, position, line))  # weak: any headline below it wins
            continue
        if _is_residue(line, residue) or _LABEL_LINE.match(line) \
                or (_menu(line, reading.language) and not any(c[0] >= 3 and _n_words(c[2]) >= 4
                                                              for c in candidates)
                    and len(_stems(line, common) & story) < 2):  # (a title-case headline tells the story)
            continue
        repeated = seen_headline and position > 0 and _fold(line) == _fold(header[position - 1].text)
        if repeated:
            reading.captions.add(_fold(line))
        if credit_alone(line) is not None:  # the credit line under a caption kept just before
            breaks.add(position)
            if position - 1 in captioned:
                kept.append(unit)
            continue
        if _IMAGE_MARKER.match(line) or caption_of(line) or _credit_line(line, reading) \
                or _credit_follows(header, position) and not _echoed_below_credit(header, position, common) \
                or repeated:
            breaks.add(position)
            captioned.add(position)
            kept.append(Unit(line, unit.line))
            shown.update(_fold(part) for part in (line, *(caption_of(line) or ())))
            continue
        if _fold(line) in shown or any(c.startswith(_fold(line)) for c in shown if len(line) > 30):
            continue  # the same caption again, without its credit
        score = _headline_score(line, after_date)
        # (or one long sentence, with its full stop or cut off at a comma, too short for a deck:
        # "date 2023-04 The film premiered before ...")
        if score == 0 and _n_words(line) >= 15 and not _is_deck(line) \
                and (len(sentences(line)) >= 2 or line[-1] in _TERMINAL
                     # (words, not the commas of a lost list: "Filed under , , , ,")
                     or _n_words(line) <= 25 and _n_words(re.sub(r"[^\w\s]", " ", line)) >= 15):
            kept.append(Unit(line, unit.line))  # prose the header rules do not know: never lose it
            continue
        if _fold(line).rstrip(".") in crumbed and _n_words(line) >= 4:
            score = 10  # the page's own breadcrumb names it (a section's name it names too is no headline)
        if score > 0:
            candidates.append((score, position, line))
        if _is_deck(line) or score == 0 and 25 < _n_words(line) <= 60 and len(sentences(line)) == 1:
            decks.append((position, line))  # (a standfirst too long for a headline, with no full stop)
    best = _settle_headline(candidates, breaks, header, reading, kept, story)
    if best is not None:
        title = _clean_headline(best[2], reading.text)
        # Above the headline, a long sentence describing a scene is a picture's caption
        # (its credit lost); a standfirst there is short.
        for p, t in [d for d in decks if d[0] < best[1] and _n_words(d[1]) > 35]:
            decks.remove((p, t))
            reading.captions.add(_fold(t))
            kept.insert(0, Unit(t, header[p].line))
        # and so is a long line right above the headline that lost to it (the run's first,
        # much longer than the next): never dropped with the header
        for _, p, t in [c for c in candidates if c[1] == best[1] - 1 and _n_words(c[2]) >= 14
                        and all(d[0] != c[1] for d in decks)]:
            reading.captions.add(_fold(t))
            kept.insert(0, Unit(t, header[p].line))
        # The standfirst: a sentence near the headline, or the longer line right after it.
        decks = [d for d in decks if not _labels_title(d[1], title)]
        near = [d for d in decks if d[0] != best[1]]
        # (or one a picture or a counter apart: "Together with her, ... will fly")
        # (or the line under the headline's byline, whatever its length: "Headline" / "by X" / "Deck")
        bylined = best[1] + 2 < len(header) and _BYLINE.match(header[best[1] + 1].text)
        # (or the next one, past a picture and a button with no break between: "Headline" /
        # picture / "Subscribe" / "Deck")
        after = min((p for _, p, _ in candidates if p > best[1]), default=-1)
        unbroken = not any(best[1] < b <= after for b in breaks)
        near += [(p, t) for _, p, t in candidates
                 if ((p == best[1] + 1 and _n_words(t) >= 8 or best[1] + 1 < p <= best[1] + 6 and _n_words(t) > 16
                      or p == after and unbroken and _n_words(t) >= 8)
                     and len(t) >= 0.8 * len(best[2]) or bylined and p == best[1] + 2 and _n_words(t) >= 8)
                 and (p, t) not in near and not _labels_title(t, title)]
        if near:
            chosen = min(near, key=lambda d: abs(d[0] - best[1]))
            reading.deck = _plain_summary(chosen[1])
            decks = [d for d in decks if d != chosen]
        kept += _deck_lines(candidates, best, decks, breaks, header, reading)
    elif rest and after_date and _headline_score(rest[0].text, True) > 0 and len(rest) > 1:
        title = _clean_headline(rest.pop(0).text, reading.text)
    # Sentences of the header that are neither headline nor deck are the story's: without a
    # headline, a chapeau above the byline is the first paragraph.
    kept += [Unit(text, header[p].line) for p, text in decks if best is None or p != best[1]]
    if dates and reading.date is None:
        # A site's clock sits above the headline; the story's date below it wins.
        below = [d for p, d in dates if best is not None and p > best[1]]
        reading.date = below[0] if below else dates[-1][1]
    # A paragraph kept from the header (one the page left without its full stop) may be the
    # lede, and carry the dateline: "14ymedio, ..., Havana, 4 April 2024 — The launch ..."
    prose = next((k for k, u in enumerate(kept) if _n_words(u.text) >= 15 and not caption_of(u.text)
                  and _fold(u.text) not in reading.captions), None)
    if prose is not None and split_dateline(kept[prose].text, reading.language) is not None:
        kept[prose] = _strip_lede_prefix(kept[prose], reading, residue)
    elif rest:
        written = rest[0].text
        rest[0] = _strip_lede_prefix(rest[0], reading, residue)
        reading.lede_as_written = written if _fold(written) != _fold(rest[0].text) else ""
        if not reading.lede_as_written and len(rest) > 1 and _n_words(written) <= 25 and not reading.dateline:
            # a short deck first, then the lede with its dateline: "Moskau Die Sowjetunion hat ..."
            rest[1] = _strip_lede_prefix(rest[1], reading, residue)
    return title, kept + rest


def _deck_lines(candidates: list[tuple[int, int, str]], best: tuple[int, int, str], decks: list[tuple[int, str]],
                breaks: set[int], header: list[Unit], reading: _Reading) -> list[Unit]:
    """A deck of several short lines under the headline, as Korean and Chinese papers print
    it ("심장질환 우주비행사 치료 여의사 스토리" / "가가린 우주센터서 4달간 ..."): each line reads
    as a headline, none is the headline, and they are the story's points, kept as a list at
    its top instead of being dropped with the header."""
    below = sorted((c for c in candidates if c[1] > best[1] and 4 <= _n_words(c[2]) <= 12
                    and all(c[1] != d[0] for d in decks) and _fold(c[2]) != _fold(reading.deck)
                    # not a widget's "No time to read?", a video's "... 03:37", an editor's "Red: Dwi"
                    and c[2][-1] not in ".?!:" and not re.search(r"\d:\d\d$|^\w+:", c[2])),
                   key=lambda c: c[1])
    run: list[tuple[int, int, str]] = []
    for candidate in below:
        if any(best[1] < b <= candidate[1] for b in breaks) or run and candidate[1] != run[-1][1] + 1:
            break
        run.append(candidate)
    if len(run) < 2:
        return []
    return [Unit("• " + text, header[p].line) for _, p, text in run]


def _unglued_kicker(line: str, language: str) -> str:
    """A headline without the kicker the copy glued to it: "Filmdreh im WeltraumSie ist die
    erste ..." is "Sie ist die erste ...". Only where the glued word is a function word of
    the language, so that "SpaceX" or "YouTube" stay whole."""
    glued = re.search(r"(?<=[a-zß-ÿа-яё])([A-ZÀ-ÞА-ЯЁ][a-zß-ÿа-яё]{1,5})\s", line)
    if glued and _n_words(line[:glued.start()]) >= 2 \
            and glued.group(1).casefold() in _function_words(language):
        return line[glued.start():]
    return line


def _settle_headline(candidates: list[tuple[int, int, str]], breaks: set[int], header: list[Unit],
                     reading: _Reading, kept: list[Unit], story: set[str]) -> tuple[int, int, str] | None:
    """The headline among the candidates, once the page's pictures have had their say: a
    short line with a credit under it is a caption, a line that shares no word with the
    story yields to one that does, and a caption that says the headline again, or a line
    below the headline printed twice, never takes its place."""
    common = _function_words(reading.language)
    for candidate in [c for c in candidates if c[1] + 1 < len(header) and _n_words(c[2]) <= 20
                      and credit_alone(header[c[1] + 1].text) is not None]:
        if any(c[1] < candidate[1] and c[0] >= 3 and _n_words(c[2]) >= 4 for c in candidates):
            # under the headline, a short line with a credit below it is the picture's caption
            candidates.remove(candidate)
            breaks.add(candidate[1])
            reading.captions.add(_fold(candidate[2]))
            kept.append(Unit(candidate[2], header[candidate[1]].line))
    best = _choose_headline(candidates, breaks)
    if best is None:
        return None
    # A headline tells the story in brief: it shares words with the lede. A line that
    # shares none (a banner, a menu, a motto, a credit) loses to one that shares some.
    if story and not _stems(best[2], common) & story:
        sharing = [c for c in candidates if c != best and c[0] >= 3 and len(_stems(c[2], common) & story) >= 2]
        best = sharing[-1] if sharing else best
    earlier = [c for c in candidates if c[1] < best[1] and c[0] >= 3 and _n_words(c[2]) >= 4]
    echoes = [c for c in earlier if any(c[1] < b < best[1] for b in breaks) and _says_again(c[2], best[2], common)]
    if echoes:  # "Photo: BBC" / "Russia will shoot a film in space": the caption says the headline again
        reading.captions.add(_fold(best[2]))
        kept.append(Unit(best[2], header[best[1]].line))
        best = echoes[-1]
    # "Headline" / "by time news" / "Deck": a byline between two headline-like lines sits
    # under the headline, and the line below it is the deck
    above = [c for c in candidates if c[1] == best[1] - 2 and c[0] >= 3 and _n_words(c[2]) >= 4]
    if above and _BYLINE.match(header[best[1] - 1].text) and _stems(above[0][2], common) & story:
        best = above[0]
    printed = collections.Counter(_fold(u.text) for u in header)
    doubled = [c for c in earlier if c[1] < best[1] and printed[_fold(c[2])] >= 2 and printed[_fold(best[2])] < 2]
    if doubled:  # the headline printed twice (the page's title, then its picture's): the line below is the deck
        best = doubled[-1]
        reading.captions.discard(_fold(best[2]))
    return best


def _says_again(line: str, shorter: str, common: frozenset[str]) -> bool:
    """Whether ``line`` holds most (60%) of the content words of ``shorter``: a caption that
    says the headline again, or the headline a caption repeats."""
    said = _stems(shorter, common)
    return bool(said) and len(_stems(line, common) & said) >= 0.6 * len(said)


def _echoed_below_credit(header: list[Unit], position: int, common: frozenset[str]) -> bool:
    """Whether the line after the credit under ``position`` says the same in fewer words: then
    the credit opens that caption ("Photo: BBC" / "Russia will shoot a film in space") and the
    line above is the headline, not a caption."""
    if position + 2 >= len(header):
        return False
    return _n_words(header[position + 2].text) <= 12 \
        and _says_again(header[position].text, header[position + 2].text, common)


def _ends_in_other_line(line: str, header: list[Unit]) -> str:
    """The header line that ``line`` ends with after a few words of its own ("Home WorldEurope
    Russian film crew returns"), or "": a breadcrumb whose separators the copy lost."""
    for other in header:
        text = other.text
        prefix = line[: -len(text)].rstrip()
        if _n_words(text) >= 4 and text != line and line.endswith(" " + text) \
                and _n_words(prefix) <= 4 and prefix[-1:] not in ".!?:":  # ("New propaganda. <headline>")
            return text
    return ""


def _menu(line: str, language: str) -> bool:
    """A menu of sections ("Última Hora País Mundo Cultura Desporto Opinião"): six or more
    capitalised words and not one function word among them, which a headline always has."""
    words = [w for w in line.split() if re.search(r"[^\W\d_]", w)]  # "&" is not a word
    common = _function_words(language)
    # Short function words only: the stop lists also hold "home" and "world".
    return len(words) >= 6 and all(w[:1].isupper() for w in words) \
        and not any(len(w) <= 3 and w.casefold() in common for w in words)


def _choose_headline(candidates: list[tuple[int, int, str]], breaks: set[int]) -> tuple[int, int, str] | None:
    """The headline among header lines that read as one (score, position, text).

    The last run of such lines before the story (with nothing but furniture between them:
    a date, byline or caption ends a run) is the site's name, the headline and its deck
    in that order; the headline is the first of them, unless that one is much longer
    than the next (a caption above the headline, written without its credit).
    """
    if not candidates:
        return None
    if named := [c for c in candidates if c[0] >= 10]:
        return named[-1]
    strong = [c for c in candidates if c[0] >= 3 and _n_words(c[2]) >= 4] \
        or [c for c in candidates if c[0] >= 3]
    if not strong:  # only weak lines: the best of them, the nearest the story among equals
        best = max(c[0] for c in candidates)
        chosen = [c for c in candidates if c[0] == best][-1]
        # a name alone ("Юлия Пересильд", a portrait's caption) says less than the lede
        words = chosen[2].split()
        return None if len(words) == 2 and all(w[:1].isupper() for w in words) else chosen
    run = [strong[-1]]
    for candidate in reversed(strong[:-1]):
        if any(candidate[1] < b < run[0][1] for b in breaks):
            break
        run.insert(0, candidate)
    while len(run) > 1 and _n_words(run[0][2]) >= max(14, 1.5 * _n_words(run[1][2])):
        run.pop(0)
    earlier = [c for c in strong if c[1] < run[0][1] and _n_words(c[2]) >= 5 and not c[2].isupper()]
    if len(run) == 1 and _n_words(run[0][2]) > 16 and earlier:
        # A long line alone under a picture, a counter or a date, with a headline above
        # them: the standfirst, which some pages print below the headline's picture.
        return earlier[-1]
    return run[0]


def _body_start(units: list[Unit], reading: _Reading, residue: re.Pattern[str]) -> int:
    """The index of the first unit of the story itself: the first paragraph of prose that
    is not a caption, a deck before a headline or a byline, or furniture; or the first
    list of the story, with its heading. Only the first few units can be header; a text
    of short paragraphs is read a second time with a lower bar, and a text whose lines
    all stop short (an excerpt) a third time, by length alone."""
    for least, closed in ((20, True), (8, True), (40, False)):
        headline_seen = False
        counted = 0  # units read: a widget's residue lines (a weather box, rates) do not count
        for i, unit in enumerate(units):
            text = unit.text
            _, remainder = parse_date_prefix(text, reading.language)
            if remainder is not None:
                text = remainder
            if text and _is_residue(text, residue):
                continue
            counted += 1
            if counted > 30:
                break
            if not text or caption_of(text) or _IMAGE_MARKER.match(text):
                continue
            if i + 2 < len(units) and credit_alone(units[i + 1].text) is not None and _n_words(text) <= 60 \
                    and len(sentences(text)) <= 2 and _headline_score(units[i + 2].text, False) >= 3 \
                    and units[i + 2].text[-1] not in _TERMINAL:
                continue  # a picture's caption, its credit on the next line, above the headline
            # "Key points" and its list, under the headline; not a menu of one-word items
            if i > 1 and (bullet := _BULLET.match(text)) and _n_words(bullet.group("text")) >= 4:
                before = units[i - 1].text
                heading = _headline_score(before, False) > 0 and _n_words(before) <= 6 \
                    and _byline_date(before, reading.language) is None
                return i - 1 if heading else i
            lede = _is_lede(text, least) if closed else _n_words(text) >= least
            if lede and not (least == 20 and _n_words(text) < 45
                             and _header_follows(units, i, residue, reading, headline_seen)):
                # A dateline opens the story, or a paragraph that says the same again in
                # other words: a short paragraph before it is the deck.
                if _n_words(text) < 60 and split_dateline(text, reading.language) is None:
                    j = i + 1
                    while j < min(i + 5, len(units)):
                        # (a residue line such as "LEGGI ANCHE: ..." is no dateline, whatever its capitals)
                        # ("THE TEAM: Actress ... Photo: Roscosmos" is a caption, whatever its capitals)
                        if split_dateline(units[j].text, reading.language) is not None \
                                and not _is_residue(units[j].text, residue) and not caption_of(units[j].text) \
                                or _fold(units[j].text) == _fold(text) \
                                or _restates(units[j].text, text) and not caption_of(units[j].text):
                            return j
                        # over the deck's picture, a date line or a label, not over the story's paragraphs
                        if j > i + 1 and not (caption_of(units[j].text) or _n_words(units[j - 1].text) <= 3
                                              or _is_residue(units[j - 1].text, residue)
                                              or _is_residue(units[j].text, residue)
                                              or _BYLINE.match(units[j].text) or _CREDIT_LINE.match(units[j].text)
                                              or credit_alone(units[j].text) is not None
                                              or credit_alone(units[j - 1].text) is not None
                                              or _byline_date(units[j].text, reading.language)):
                            break
                        j += 1
                return _with_short_lede(units, i, reading)
            if _headline_score(text, False) >= 3 and _n_words(text) >= 5 and not _NAV_LINE.match(text):
                headline_seen = True
    return 0


def _restates(paragraph: str, deck: str) -> bool:
    """Whether ``paragraph`` opens with the deck's words, give or take a few (a standfirst
    that the lede repeats, edited: "... Shipenko and actor ..." / "... Shipenko, actor ...")."""
    deck_words = re.findall(r"\w+", deck.casefold())
    words = re.findall(r"\w+", paragraph.casefold())
    if len(deck_words) < 8 or len(words) <= len(deck_words):  # the lede says more than its deck
        return False
    opening = words[: len(deck_words) + 3]
    return len(set(deck_words) & set(opening)) >= 0.8 * len(set(deck_words))


# "ANSA/EPA |": a picture desk's credit whose caption and picture the copy lost.
_LEADING_CREDIT_ALONE = re.compile(r"^[A-Z][\w.&-]*(?:\s*/\s*[A-Z][\w.&-]*)+\s*\|$")


def _with_short_lede(units: list[Unit], i: int, reading: _Reading) -> int:
    """Move the story's start back over a short first paragraph right before it: one
    sentence of eight words or more, after the headline, with no byline or date between
    ("Si sono concluse le riprese del primo film nello spazio." then the long paragraph)."""
    while i > 1 and split_dateline(units[i].text, reading.language) is None:
        text = units[i - 1].text
        words = _n_words(text)
        if not (8 <= words < 20 and text[-1] in ".!?…" and len(sentences(text)) <= 2) or caption_of(text) \
                or _byline_date(text, reading.language) is not None or _BYLINE.match(text) \
                or parse_date_prefix(text, reading.language)[0] is not None:
            break
        above = units[i - 2].text
        pictured = bool(caption_of(above) or credit_alone(above) or _LEADING_CREDIT_ALONE.match(above)
                        or _IMAGE_MARKER.match(above))
        if not pictured and (_headline_score(above, False) < 3 or _is_deck(above)):
            break  # only a short paragraph right under the headline, or under its picture, is the lede
        i -= 1
    return i


def _is_lede(text: str, least: int = 20) -> bool:
    """A unit that reads as the story's first paragraph: a sentence of ``least`` words or
    more, or two sentences."""
    words = _n_words(text)
    if text[-1] not in _TERMINAL:
        return False
    return words >= least or (words >= min(12, least) and len(sentences(text)) >= 2)


def _header_follows(units: list[Unit], i: int, residue: re.Pattern[str], reading: _Reading,
                    headline_seen: bool) -> bool:
    """Whether a byline or a date line (or, before any headline, a headline with its byline
    or date under it) comes after unit ``i`` before any other prose: then unit ``i`` is a
    deck (standfirst) or a teaser, not the lede. A headline-like line followed by prose is
    the story's first subheading."""
    for j in range(i + 1, min(i + 4, len(units))):
        text = units[j].text
        if _is_date_or_byline(text, reading):
            return True
        if _is_residue(text, residue) or caption_of(text) or _LABEL_LINE.match(text):
            continue
        if headline_seen or _headline_score(text, False) < 3:
            return False
        after = [u.text for u in units[j + 1:j + 4] if not _is_residue(u.text, residue)]
        return bool(after) and (_is_date_or_byline(after[0], reading) or bool(caption_of(after[0])))
    return False


def _is_date_or_byline(text: str, reading: _Reading) -> bool:
    return parse_date_prefix(text, reading.language)[0] is not None \
        or _byline_date(text, reading.language) is not None or bool(_BYLINE.match(text))


def _headline_score(line: str, after_date: bool) -> int:
    """How much a line looks like a headline: 0 means it is not one.

    A headline is one line of 3 to 25 words with no closing full stop; after a date
    header, one short sentence also counts (the header line of some sources holds it).
    """
    words = _n_words(line)
    if words < 2 or words > 25 or len(line) > 180 or "\n" in line or line.startswith("▲"):
        return 0  # ("▲ ..." is a caption in Korean papers)
    if _POST_BY.match(line) or _BULLET.match(line) or "@" in line or "http" in line:
        return 0
    if len(re.findall(r"[^\W\d_]{2,}", line)) < 2 and len(_UNSPACED.findall(line)) < 4:
        return 0  # "2023 2021 2020 2019": a menu of years, no words (a Chinese line is one run of them)
    if line[-1] in ".:;,…。" and not line.endswith("..."):
        # A short sentence is a headline only where nothing better is: some sites end
        # their headlines with a full stop, and some sources put one on the date line.
        if line[-1] in ".。" and len(sentences(line)) == 1 and (words <= 12 or after_date and words <= 16):
            return 1
        if line[-1] in ".。" and _LABEL_PREFIX.match(line) and len(sentences(line)) == 1:
            return 2  # "LIVE: The crew is back on Earth.": a section's label opens a headline, not a paragraph
        return 0
    score = 3
    if line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"“«'‘":
        score += 1
    if line.isupper():
        score -= 2
    if 5 <= words <= 16:
        score += 1
    if words == 2:
        score -= 3
    if line[:1].islower():  # "estación espacial internacional (eei)": a page's tag; headlines open with a capital
        score = min(score, 2)
    return max(score, 0)


def _is_deck(line: str) -> bool:
    """A standfirst: one or two sentences summarising the story, ending as sentences end."""
    return line[-1] in ".!?。！？" and 5 <= _n_words(line) <= 60


def _named_elsewhere(tail: str, text: str) -> bool:
    """Whether the end of a headline is a name the page shows again ("Tecnoplaneta" in
    "Receba as notícias do Tecnoplaneta"): the site's own name."""
    return _n_words(tail) <= 4 and tail[:1].isupper() and text.count(tail) >= 2


def _clean_headline(line: str, text: str = "") -> str:
    """A headline without its section label ("Video. ", "LIVE: ") and the site's name
    after it (" - Science & Space", " | The Daily X")."""
    line = _LABEL_PREFIX.sub("", line).lstrip(":;,.–—- ")  # (": Primer tráiler de ...": a lost label's colon)
    # a section's name in capitals before the headline: "THE HAPPENING WORLD: Soyuz MS-19 to Launch ..."
    line = re.sub(r"^[A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’&-]+(?: [A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’&-]+){1,3}:\s+"
                  r"(?=[A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё])", "", line)
    # a relative time stamp glued after it: 'Фильм "Вызов" 5 месяцев назад', '... 3 hours ago'
    line = re.sub(rf"\s+{RELATIVE_TIME}$", "", line, flags=re.IGNORECASE)
    line = re.sub(r"^[a-zà-ÿ]{2,8}\.\s+(?=[A-ZÀ-ÞА-ЯЁ])", "", line)  # "look. Russia releases ...": a kicker
    # what a blog platform glues after it: the reading time ("...?7 min read"), or a section and
    # the site's address joined by hyphens ("... for 12 days-Research-cnBeta.COM")
    line = re.sub(r"(?<=\S)\s*\d{1,2}\s?min(?:ute)?s? read$", "", line, flags=re.IGNORECASE)
    line = re.sub(r"(?<=[^\W\d_])(?:-[^\W\d_]{2,20}){0,2}-[\w-]{2,30}\.(?:com|net|org|cn|ru|info)$", "", line,
                  flags=re.IGNORECASE)
    if (kicker := re.match(r"^([^|\s]{1,6}|[^\W\d_]+(?: [^\W\d_]+)?)\s?\|\s?(?=\S)", line)) \
            and _n_words(line[kicker.end():]) >= 5 and "|" not in line[kicker.end():]:
        line = line[kicker.end():]  # "空间站|首位在太空拍电影的...", "Space | Russian crew ...": the section
    for separator in (" | ", " – ", " — ", " - ", " :: ", " · "):
        head, sep, tail = line.rpartition(separator)
        # "... an 'Experiment' – Director": one word the story writes in lower case says who
        # said it; it is no site's name.
        common_word = separator != " | " and _n_words(tail) == 1 and not _LABEL_LINE.match(tail) \
            and re.search(rf"\b{re.escape(tail.casefold())}\b", re.sub(r"\S*://\S*", "", text)) is not None
        if sep and _n_words(head) >= 3 and not common_word \
                and (_site_name(tail, separator == " | ") or _named_elsewhere(tail, text)):
            line = head
            break
    return _plain_title(line)


def _site_name(text: str, piped: bool) -> bool:
    """Whether the end of a headline names a site or section: a few capitalised words."""
    words = text.split()
    if not words or len(words) > (6 if piped else 4):
        return False
    if re.search(r"\.(com|org|net|ru|it|br|de|co\.uk)\b", text, re.IGNORECASE) or " & " in text:
        return True  # "The Daily Orbit.com", "science & space"
    return piped or all(w[:1].isupper() or w.casefold() in _NAME_JOINERS for w in words)


# Words that join the capitalised words of a name: "Gazzetta dello Spazio", "Diário do Cosmos".
_NAME_JOINERS = frozenset("& and of the e y et und и de del della dello dei degli di da do dos das der die des du "
                          "la le el o a".split())


_GERMAN_DATELINE = re.compile(r"([A-ZÄÖÜ][a-zäöüß]{3,}) (?=(?:Die|Der|Das|Ein|Eine)\s)")


def _strip_lede_prefix(unit: Unit, reading: _Reading, residue: re.Pattern[str]) -> Unit:
    """Take a date header ("date 2021-10-05 ...") or a dateline off the start of the lede."""
    text = re.sub(r"^[^/]{0,80}///\s*", "", unit.text)  # AFP's note on a new version: "Actualiza con ... ///"
    if (label := _LABEL_PREFIX.match(text)) and label.group().strip(" .:|–—-").isupper():
        text = text[label.end():]  # "EXCLUSIVE: Last month ...": the section's label, in capitals
    glued = re.match(r"([A-ZÀ-ÞА-ЯЁ][a-zß-ÿа-яё]{3,})([A-ZÀ-ÞА-ЯЁ][a-zß-ÿа-яё]{0,4})\s", text)
    if glued and glued.group(2).casefold() in _function_words(reading.language):
        text = f"{glued.group(1)}: {text[glued.end(1):]}"  # "BarcelonaLa actriz ...": a dateline lost its dash
    elif reading.language == "de" and (spaced := _GERMAN_DATELINE.match(text)):
        # "Moskau Die Sowjetunion hat ...": one noun, then an article, opens no German sentence
        text = f"{spaced.group(1)}: {text[spaced.end():]}"
    dateline = split_dateline(text, reading.language)  # "Kazakhstan:17/10/21: ..." is a place, then a date
    date, remainder = parse_date_prefix(text, reading.language) if dateline is None else (None, None)
    if remainder:
        _note_date(reading, date, unit)
        text = remainder
        dateline = split_dateline(text, reading.language)
    if dateline is not None:
        reading.dateline = dateline.place
        reading.agency = dateline.agency
        # A date in the header came first and stays; "KAZAKHSTAN:17/10/21:" gives a whole date,
        # "MOSCOW, October 17." only a day of a year the text does not say.
        if dateline.date is not None and reading.date is None and dateline.date.year != 1900:
            reading.date = dateline.date
        elif dateline.date is not None and isinstance(reading.date, Month) \
                and dateline.date.month == reading.date.month:
            # "date 2023-04" above "Moskva 20. apríla (TASR)": the day of that month
            reading.date = dt.date(reading.date.year, reading.date.month, dateline.date.day)
        elif dateline.date is not None and reading.date is None:
            reading.warnings.append(warning(
                reading.path, unit.line, f"the dateline gives {long_date(dateline.date).rsplit(' ', 1)[0]} but no "
                                         "year; the article is undated", "set date: in the new content file"))
        text = dateline.rest
    if text == unit.text or not text.strip():
        return unit
    return Unit(_capitalise(text), unit.line)  # "MOSCOW — the crew": "The crew"


def _note_date(reading: _Reading, date: dt.date | None, unit: Unit) -> None:
    """Keep the first date header's date; warn about one that is no real date."""
    if date is None:
        reading.warnings.append(warning(reading.path, unit.line,
                                        "the date in the header is not a valid date; the article is undated",
                                        "fix the date in the seed or set date: in the content file"))
    elif reading.date is None:
        reading.date = date


def _trailing_date(units: list[Unit], reading: _Reading) -> dt.date | None:
    """A date in a short line at the end ("Published on 17.10.2021"), when the header had none."""
    for unit in units[-3:]:
        # not a post's date, nor a picture's ("Oct. 5, 2021 (Video credit: NASA TV)")
        if len(unit.text) <= 100 and not _is_prose(unit.text) and "@" not in unit.text \
                and _dated_credit(unit.text)[1] is None:
            date, start, _ = find_date(unit.text, reading.language)
            if date is not None and start == 0 and parse_date_prefix(unit.text, reading.language) == (None, None):
                continue  # "2021年10月5日、the rocket ...": a sentence that opens with its date
            if date is not None:
                return date
    return None
