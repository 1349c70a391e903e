"""Datelines ("MOSCOW, Oct 17 (Reuters) -"), bylines and the agencies that filed a story."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .captions import (
    _AGENCY,
    _CAPTION_CREDIT,
    _CREDIT_LINE,
    _IMAGE_MARKER,
    PICTURE_TAG,
    SOURCE_WORDS,
    _dated_credit,
    credit_alone,
)
from .dates import find_date
from .residue import _LABEL_LINE
from .state import _Reading
from .words import _function_words, _n_words

# News agencies as they write themselves: a byline ("Jane Doe, Reuters") or a credit line
# ("with inputs from PTI") that names one names who filed the story. Longer names first.
_NEWS_AGENCIES = (r"Associated Press|Agence France-Presse|Agencia EFE|Agência Brasil|Europa Press|RIA Novosti|"
                  r"Reuters|Bloomberg|Interfax|Kazinform|Sputnik|Xinhua|AFP|AP|TASS|PTI|IANS|ANI|UPI|dpa|ANSA|EFE|Lusa")


# "agencies": the credit of a story put together from several wires
_WIRES_WORD = r"وكالات|Agencies|Agencias|Agências|Agenzie|Agenturen|Agences|Агентства"


_BYLINE = re.compile(
    r"^(?:[•·▪*–-]\s+)?(?:(By|by(?=\s+[A-Z])|Authored by|Submitted by|Written by|Words by|Story by|Reported by|"
    r"Di|Por|Von|Par|De|Автор:?|Текст:|Text:|Texto:|Redazione|"
    r"Da Redação|Redação|Redaktion|"
    r"Редакция|"
    r"Avec notre (?:correspondante?|envoyée? spéciale?)|From our correspondent)"
    r"(\s+|,|$)|(?:作者|记者|記者|编辑|編輯|责任编辑|責任編輯|责编|撰文)\s*[:：]|"
    r"[^\W\d_][\w .'’-]{2,40}, (?:The )?(?:" + _NEWS_AGENCIES + r"|"
    r"[\w ]{0,30}\b(?:Correspondent|Editor|Reporter|Writer|Reviewer|Critic|Columnist)"
    r"(?: (?:for|of|at) [\w ()]{2,50})?)$)",
    re.IGNORECASE,
)


# "Da Redação, com Agência Brasil", "Redazione, con ANSA": the desk and the agency it used.
_DESK_AGENCY = re.compile(r"^(?:Da Redação|Redação|Redazione|Redaktion|Редакция|Staff)[,\s]+(?:com|con|with|mit|с)\s+"
                          r"(?:(?:a|o|la|le|l'|die|der|the)\s+)?(?P<agency>[^\W\d_][\w .'-]{1,40})$", re.IGNORECASE)


@dataclass(frozen=True)
class Dateline:
    place: str
    agency: str
    date: dt.date | None
    rest: str


# (and "Source" in the other languages of the coverage: "Πηγή: ΑΠΕ-ΜΠΕ" names who filed it, not where)
_CREDIT_WORD = re.compile(r"(?i)(credits?|note|nota|update|editor|editors|correction|disclaimer|"
                          + SOURCE_WORDS + r")$")


# AP's abbreviations of US states, as datelines write them ("MOUNTAIN VIEW, Calif. —").
_STATE_ABBREVIATIONS = frozenset("Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss "
                                 "Mo Mont Neb Nev Okla Ore Pa Tenn Va Vt Wash Wis Wyo".split())


_CAPS_PLACE = re.compile(r"[A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’-]+(?: [A-ZÀ-ÞА-ЯЁ][A-ZÀ-ÞА-ЯЁ'’-]+){0,3}(?=[\s,./(:–—-])")


_PLACE = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:[ -][^\W\d_][^\W\d_'’.-]*){0,3}?(?=[\s,./(:–—-])")


_PARENS = re.compile(r"\s*\((?P<inside>[^()\n]{2,60})\)")


_SLASHED = re.compile(r"\s*/(?P<inside>[^/\n]{2,30})/\.?")


_SEPARATOR = re.compile(r"\s*(?:[–—:]|-{1,3})\s*")


# Wire tags in brackets, where Korean and Japanese papers put the dateline: "[모스크바=AP/뉴시스]
# 유세진 기자 =" (the place, the agency, the reporter), "【モスクワ共同】" (the place, Kyodo).
_BRACKETED_TAG = re.compile(
    r"\[(?!(?:" + PICTURE_TAG + r")\s*=)(?P<place>[^=\[\]\n]{1,30})=(?P<agency>[^\[\]\n]{1,30})\]"
    r"\s*(?:[^\s=]{2,5}\s*(?:기자|특파원)\s*=\s*)?|"
    r"【(?P<place2>[^】\n]{1,12}?)(?P<agency2>共同|時事|ロイター|AFP時事|ＡＦＰ時事|新華社|聯合|ブルームバーグ)?】")
# An outlet named by its web address beside a place in capitals, then a dash:
# "REPUBLIKA.CO.ID, MOSKOW -- ...", "KAZAKHSTAN, KOMPAS.TV - ..."
# An outlet's web address: "KOMPAS.TV", "Liputan6.com", "24h.com.vn"
_OUTLET = r"(?:[A-Z][A-Z0-9-]*(?:\.[A-Z]{2,4}){1,2}|[A-Za-z0-9][a-z0-9-]*(?:\.[a-z]{2,4}){1,2})"
_OUTLET_AND_PLACE = re.compile(rf"(?:(?P<outlet>{_OUTLET}),\s+"
                               rf"(?P<place>[A-Z][A-Z ]{{2,30}}?|[A-Z][a-z]+(?: [A-Z][a-z]+)?)|"
                               rf"(?P<place2>[A-Z][A-Z ]{{2,30}}?),\s+(?P<outlet2>{_OUTLET}))\s*(?:--?|[–—])\s+(?=\S)")
# Chinese wire openings: "(中央社莫斯科17日綜合外電報導)", "新华社莫斯科10月17日电", "10月18日电".
_CHINESE_WIRE = re.compile(r"[(（]?(?P<agency>中央社|新华社|新華社|中新社|中新网|中新網)?"
                           r"(?P<place>[^\d\s()（）]{1,8}?)?"
                           r"(?:\d{1,2}月)?\d{1,2}日(?:綜合外電報導|综合外电报道|(?:電|电|讯|訊)(?![话話视視影台脑腦子力车車]))"
                           r"[)）]?\s*")  # (not "17日电影", the film on the 17th)
# An outlet's address and a stop opening the lede: "ERNUR.KZ. Ресейлік ..."
_OUTLET_STOP = re.compile(rf"(?P<agency>{_OUTLET})\.\s+(?=\S)")
# A Chinese outlet, the day and "reports": "快科技3月15日消息，..."
_CHINESE_REPORTS = re.compile(r"(?P<agency>[^\d\s,，。(（]{2,8}?)(?:\d{1,2}月)?\d{1,2}日消息[,，]\s*")
# A source in brackets, then a dash, and no place: "(Thethaovanhoa.vn) - Tàu vũ trụ ...", or
# the site's address alone, as Indonesian sites open their stories ("Suara.com - Aktris ...")
_SOURCE_FIRST = re.compile(rf"(?:\((?P<agency>{_OUTLET})\)|(?P<address>{_OUTLET}))\s*[–—-]{{1,2}}\s+(?=\S)")


def _speaker(place: str) -> bool:
    """Whether a "place" before a colon is an interview's speaker: a first name, then the
    surname in capitals, as Russian and French papers print them ("Юлия ПЕРЕСИЛЬД: «..."). A
    city is all capitals ("NEW DELHI:") or none ("New Delhi:")."""
    first, _, last = place.partition(" ")
    return bool(last) and last.isupper() and len(last) > 1 and not first.isupper()


def split_dateline(paragraph: str, language: str) -> Dateline | None:
    """The dateline at the start of a lede, if any: "BAIKONUR /Kazakhstan/, October 4. /TASS/.",
    "MOSCOW, Oct 17 (Reuters) -", "Baikonur (Kazakhstan) (AFP) -", "(ANSA) - ROMA, 17 OTT -",
    "МОСКВА, 17 октября. /ТАСС/.", "Oct. 5 (UPI) --", "BAIKONUR. KAZINFORM –".

    Read part by part: an agency in brackets before the place; the place; a region in
    slashes or brackets; after commas a region and a date; an agency in brackets or
    slashes (or after a dash, Russian style); then a dash, a colon, or the full stop that
    closes a date or agency. A place in capitals, or a place named with an agency or a
    date, makes a dateline; anything less is the start of a sentence.
    """
    if len(paragraph) <= 120 and credit_alone(paragraph) is not None:
        return None  # "Nyitókép: MTI/AP/Roszkozmosz": a picture's credit, whatever its label
    if tag := _BRACKETED_TAG.match(paragraph):
        place, agency = tag.group("place") or tag.group("place2"), tag.group("agency") or tag.group("agency2") or ""
        return Dateline(re.sub(r"\(.*?\)", "", place).strip(), agency.strip(), None, paragraph[tag.end():])
    if (wire := _CHINESE_WIRE.match(paragraph)) and wire.end() < len(paragraph):
        return Dateline(wire.group("place") or "", wire.group("agency") or "", None, paragraph[wire.end():])
    if (source := _OUTLET_STOP.match(paragraph) or _CHINESE_REPORTS.match(paragraph)) \
            and source.end() < len(paragraph):
        return Dateline("", source.group("agency"), None, paragraph[source.end():])
    if (danda := re.match(r"(?P<place>[\u0900-\u097f]{2,20}(?: [\u0900-\u097f]{2,20})?)\s?।\s+(?=\S)", paragraph)) \
            and _n_words(paragraph[danda.end():]) >= 10:
        # "मॉस्को। अंतरिक्ष के ...", "नई दिल्ली। ...": Hindi papers end the place with a danda
        return Dateline(danda.group("place"), "", None, paragraph[danda.end():])
    if (tag := re.match(r"\((?P<agency>" + _NEWS_AGENCIES + r"|CNN(?: [A-Z][a-z]+)?|BBC)\)\s*[–—-]?\s*(?=\w|[\"“«])",
                        paragraph)) and _n_words(paragraph[tag.end():]) >= 5 \
            and split_dateline(paragraph[tag.end():], language) is None:  # ("(ANSA) - MOSCA, 17 OTT - ...")
        # "(CNN) A Russian film crew ...", "(Reuters) - ...": who filed the story, in brackets before the lede
        return Dateline("", tag.group("agency"), None, paragraph[tag.end():])
    if (bracketed := re.match(r"\((?P<place>[A-ZÀ-Þ][a-zà-ÿ]+(?:[ -][A-ZÀ-Þ][a-zà-ÿ]+){0,2})\)\s+(?=[A-ZÀ-Þ\"“«])",
                              paragraph)) and not re.fullmatch(_AGENCY, bracketed.group("place")):
        # "(Moscow) The first feature film ...": the place alone in brackets, as Canadian papers print it
        return Dateline(bracketed.group("place"), "", None, paragraph[bracketed.end():])
    if source := _SOURCE_FIRST.match(paragraph):
        return Dateline("", source.group("agency") or source.group("address"), None, paragraph[source.end():])
    if named := _OUTLET_AND_PLACE.match(paragraph):
        place, outlet = named.group("place") or named.group("place2"), named.group("outlet") or named.group("outlet2")
        return Dateline(_place_name(place.strip(), ""), outlet, None, paragraph[named.end():])
    if (signed := re.match(r"(?P<head>[^—–\n]{8,90}?)\s+[—–]\s+(?=[A-ZÀ-ÞА-ЯЁ\"“«])", paragraph)) \
            and signed.group("head").count(",") >= 2:
        parts = [x.strip() for x in signed.group("head").split(",")]
        when, _, _ = find_date(parts[-1], language)
        if when is not None and all(x[:1].isupper() or x[:1].isdigit() for x in parts):
            # "14ymedio, Juan Diego Rodríguez, Havana, 4 April 2024 — ...": outlet, author, place, date
            return Dateline(_place_name(parts[-2], ""), parts[0], when, paragraph[signed.end():])
    if places := re.match(r"(?P<places>[A-ZÀ-Þ]{3,}(?: [A-ZÀ-Þ]{3,})?(?:/[A-ZÀ-Þ]{3,}(?: [A-ZÀ-Þ]{3,})?)+)\s+"
                          r"(?=[A-ZÀ-Þ][a-zà-ÿ])", paragraph):
        # "MOSKVA/LOS ANGELES Rusko ...": two places, one story
        return Dateline("/".join(_place_name(x, "") for x in places.group("places").split("/")), "", None,
                        paragraph[places.end():])
    if tag := re.match(r"(?P<agency>[A-Z]{3,}-[A-Z]{3,})\s+(?=[A-Z][a-z])", paragraph):
        return Dateline("", _tidy(tag.group("agency")), None, paragraph[tag.end():])  # "OREANDA-NEWS  Partially ..."
    if (two := re.match(r"(?P<place>[A-ZÀ-ÞА-ЯЁ][^\W\d_]{2,} [A-ZÀ-ÞА-ЯЁ][^\W\d_]{2,}):\s+(?=[A-ZÀ-ÞА-ЯЁ\"“«])",
                        paragraph)) and not _LABEL_LINE.match(two.group("place")) \
            and not _CREDIT_WORD.match(two.group("place")) and not _speaker(two.group("place")):
        return Dateline(two.group("place"), "", None, paragraph[two.end():])  # "New Delhi: The crew ..."
    s = re.sub(r"\(\(([^()\n]{2,60})\)\)", r"(\1)", paragraph[:200])  # "((rezonodwes.com))"
    agency = region = ""
    date = None
    if lead := re.match(r"\((?P<inside>[^()\n]{2,25})\)\s*[–—-]+\s*", s):  # "(ANSA) - ROMA, 17 OTT -"
        agency, s = lead.group("inside"), s[lead.end():]
    found, start, end = find_date(s[:40], language, need_year=False)
    if found is not None and start == 0:  # "Oct. 5 (UPI) --": a date and an agency, no place
        date, place, s = found, "", s[end:]
    else:
        match = _CAPS_PLACE.match(s) or _PLACE.match(s)  # "MOUNTAIN VIEW, Calif. —" is one place
        if not match:
            return None
        place, s = match.group(), s[match.end():]
        if _n_words(place) > 4 or len(place) > 40:
            return None  # a run of Chinese or Japanese characters is no place name, however it ends
    if (part := _SLASHED.match(s)) or ((part := _PARENS.match(s)) and _PARENS.match(s[part.end():])):
        region, s = part.group("inside"), s[part.end():]  # "/Kazakhstan/", "(Kazakhstan) (AFP)"
    if place and date is None and s[:1] == " ":  # "Moskva 20. apríla (TASR) —": a date with no comma
        when, start, end = find_date(s[1:32], language, need_year=False)
        if when is not None and start == 0 and _PARENS.match(s[1 + end:]):
            date, s = when, s[1 + end:]
    while s.startswith(","):  # ", Kazakhstan", ", Oct. 5", ", 17 октября"
        after = s[1:]
        lead = len(after) - len(after.lstrip())
        when, start, end = find_date(after[:40], language, need_year=False)
        if when is not None and start == lead and date is None:
            date, s = when, after[end:]
            continue
        part = re.match(r"\s*(?P<part>(?:[A-Z]\.){2,3}(?=\s*[–—-])|[^\W\d_][^\W\d_ -]{1,30}?(?=\s*[,(/.–—:-]))",
                        after)  # "Kazakhstan", "U.K."
        if part and not region and date is None and _n_words(part.group("part")) <= 3 \
                and part.group("part")[:1].isupper():
            region, s = part.group("part"), after[part.end():]
            if region in _STATE_ABBREVIATIONS and re.match(r"\.\s*[–—-]", s):  # "Calif. —" keeps its stop
                region, s = region + ".", s[1:]
            continue
        return None  # "NASA, SpaceX and ...": what follows the comma is neither
    closed = False
    if place and not date and (stop := re.match(r"\.\s*", s)):
        when, start, end = find_date(s[stop.end():stop.end() + 24], language, need_year=False)
        if when is not None and start == 0:  # "MOSCOW. Oct 5 (Interfax) -"
            date, s = when, s[stop.end() + end:]
    if place and " " not in place and not (region or date or agency) and re.match(r"\.\s+[^\W\d_]", s) \
            and not re.match(r"\.\s*[A-ZА-ЯЁ]{3,}\b\s*[–—-]", s):
        # "Moskau. Am Dienstag ...": a town and a full stop, the German house style
        rest = s[1:].strip() + paragraph[200:]
        if len(place) >= 4 and place[:1].isupper() and not place.isupper() \
                and place.casefold() not in _function_words(language) and rest[:1].isupper():
            return Dateline(_place_name(place, ""), "", None, rest)
        return None
    if s.startswith("."):
        s, closed = s[1:], bool(date)
    if part := _PARENS.match(s) or _SLASHED.match(s):
        agency, s, closed = agency or part.group("inside"), s[part.end():], True
        if re.match(r"\.\s*[–—-]", s):  # "Moscow, Oct 17 (EFE).- ..."
            s = s[1:]
    elif date and ((part := re.match(r"\s*[–—]\s*(?P<inside>[^\W\d_][^\n.–—]{1,25}?)\.\s", s))
                   or (part := re.match(r"\s*[–—-]\s*(?P<inside>[A-ZА-ЯЁ][A-ZА-ЯЁ0-9 -]{1,25})\.$", s))):
        # "— РИА Новости. ...", or a line of its own ending in an agency in capitals: "- DIXINEWS."
        agency, s, closed = part.group("inside"), s[part.end() - 1:].lstrip("."), True
    elif place and (part := re.match(r"\s*[–—-]\s*(?P<inside>" + _NEWS_AGENCIES + r"|" + _WIRES_WORD
                                     + r")\s*$", s)):
        agency, s, closed = part.group("inside"), "", True  # "موسكو – وكالات" alone on the first line
    elif place and (part := re.match(r"\s*\.?\s*(?P<inside>[A-ZА-ЯЁ]{3,}[\w-]*)(?=\s*[–—-])", s)):
        agency, s = part.group("inside"), s[part.end():]  # "BAIKONUR. KAZINFORM –"
    separator = _SEPARATOR.match(s)
    if separator:
        s = s[separator.end():]
        when, start, end = find_date(s[:24], language, need_year=False)
        if when is not None and start == 0 and (after := re.match(r"\s*[:–—-]+\s*", s[end:])):
            date, s = date or when, s[end + after.end():]  # "KAZAKHSTAN:17/10/21: Russian actress ..."
    elif not closed:
        return None
    rest = s.lstrip() + paragraph[200:]
    if not date and (re.fullmatch(_AGENCY, place) or _CAPTION_CREDIT.match(rest) and _n_words(rest) <= 12):
        return None  # "TASS – Photo by X / Wikimedia Commons": a credit, not a dateline
    letters = re.sub(r"\W", "", place)
    capitals = letters.isupper() and len(letters) >= 3
    if not rest[:1].isupper() and rest[:1] not in "\"“«„'‘(" and not rest[:1].isdigit():
        return None
    colon = separator is not None and (separator.group().strip() == ":"
                                       or re.fullmatch(r"\s+[-–—]\s+", separator.group()) is not None)
    # "Moscow: A Russian actress ...", "Moskau - Die Dreharbeiten ...": one place name and a colon or a
    # spaced dash, as some outlets write it
    named = colon and " " not in place and place[:1].isupper() and len(place) >= 4 and not _LABEL_LINE.match(place) \
        and not _IMAGE_MARKER.match(place + ":") and not _CREDIT_WORD.match(place) \
        and place.casefold() not in _function_words(language)
    if not (capitals or agency or date or named) or (place and not capitals and not (agency or date or named)):
        return None
    if capitals and len(letters) < 4 and language != "en" and not (agency or date or region) and separator \
            and re.fullmatch(r"\s+[-–—]\s+", separator.group()) and place == letters:
        return Dateline("", place, None, rest.strip())  # "TTO - Sau khi ...": the outlet's initials, then a dash
    if capitals and not (agency or date or region) and (len(letters) < 4 or not separator or _LABEL_LINE.match(place)):
        return None  # "LIVE: ...", "VIDEO: ...": a section label, not a place
    agency = _tidy(agency)
    if re.fullmatch(r"[\w-]+\.[a-z]{2,}", agency):
        agency = ""  # "((rezonodwes.com))": the site names itself; it is no agency
    if agency and (_n_words(agency) > 4 or agency[:1].islower() and not agency.isalpha()):
        return None
    return Dateline(_place_name(place, region), agency, date, rest.strip())


def _tidy(name: str) -> str:
    """"KAZINFORM" -> "Kazinform"; short capitals (TASS, AFP) and mixed case stay; of a long
    bracket ("UrduPoint / Pakistan Point News - 5th Oct, 2021") the first name."""
    name = re.split(r"\s+[/|–—-]\s+|,", name)[0].strip(" .")
    if name.isupper() and len(name.replace(" ", "")) > 5:  # "EUROPA PRESS" -> "Europa Press"
        return " ".join("-".join(part.capitalize() for part in word.split("-")) for word in name.split())
    return name


# Places that are written in capitals whatever the dateline's case: "ISS, March 30. /TASS/."
_ACRONYM_PLACES = frozenset({"ISS", "МКС", "UAE", "USA", "UK", "EU", "NASA"})


def _place_name(place: str, region: str) -> str:
    """"BAIKONUR", "Kazakhstan" -> "Baikonur, Kazakhstan": how a reader writes it."""
    def tidy(name: str) -> str:
        return " ".join("-".join(part.capitalize() for part in w.split("-"))  # "НУР-СУЛТАН" -> "Нур-Султан"
                        if w.isupper() and len(w) > 2 and "." not in w and w not in _ACRONYM_PLACES
                        else w  # "U.K." stays
                        for w in name.split())

    return ", ".join(part for part in (tidy(place), tidy(region.strip())) if part)


def _byline_date(line: str, language: str) -> dt.date | None:
    """The date of a byline or date line ("By Jane Doe | Updated 10:32 AM ET, Tue October 5,
    2021"): a short line with a date in it and few other words."""
    if len(line) > 160 or re.search(r"[\"“”«»„]|[.!?]\s+[A-ZА-Я]", line) or line.rstrip()[-1:] in "!?":
        return None  # a quotation or a sentence that mentions a date
    date, start, end = find_date(line, language)
    if date is None or _dated_credit(line)[1] is not None:  # a picture's date and credit
        return None
    others = re.findall(r"[^\W\d_]{2,}", line[:start] + " " + line[end:])
    if len(others) > 8 and not _BYLINE.match(line):
        return None
    return date


def _credit_line(line: str, reading: _Reading) -> bool:
    credit = _CREDIT_LINE.match(line)
    if credit:
        reading.credit = credit.group("credit").strip().rstrip(")").strip()
        # "with inputs from PTI", "Reporting by ... for Reuters": one news agency is the agency
        named = {m.group() for m in _WIRE.finditer(reading.credit)}
        if len(named) == 1 and not reading.agency:
            reading.agency = named.pop()
    return bool(credit)


# A byline printed among the paragraphs: only openings no subheading has ("De Baikonur a
# la estación" is a subheading, so "De", "Di", "Por" are not here).
_BODY_BYLINE = re.compile(r"^(?:[•·▪*–-]\s+)?(?:(?:By|Written by|Words by|Story by)\s+[A-Z]|"
                          r"Avec notre (?:correspondante?|envoyée? spéciale?)\b|"
                          r"From our (?:correspondent|reporter)\b|Автор:|Текст:|Text:|Texto:|Autor:)")


_WIRE = re.compile(r"\b(?:" + _NEWS_AGENCIES + r")\b")
