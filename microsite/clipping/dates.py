"""Dates in the languages of the coverage, read with dateparser: headers, bylines, datelines."""

from __future__ import annotations

import datetime as dt
import functools
import re

from ..model import Month
from .words import _library_code, _n_words

# The parsers dateparser offers that read what a text states; relative dates ("2 hours
# ago"), timestamps and digit runs without separators would give dates nobody wrote.
_DATE_SETTINGS = {"PARSERS": ["absolute-time", "custom-formats"], "RETURN_AS_TIMEZONE_AWARE": False,
                  "RELATIVE_BASE": dt.datetime(2000, 1, 1), "PREFER_DAY_OF_MONTH": "first"}


@functools.lru_cache(maxsize=32)
def _date_parser(languages: tuple[str, ...], parts: tuple[str, ...], order: str = ""):
    from dateparser.date import DateDataParser

    settings = {**_DATE_SETTINGS, "REQUIRE_PARTS": list(parts), **({"DATE_ORDER": order} if order else {})}
    try:
        return DateDataParser(languages=list(languages), settings=settings)
    except ValueError:  # a language dateparser does not know: English alone
        return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=16)
def _date_words(languages: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern for spans that may be a date: numbers, the languages' month names, and the
    words that join them ("17 de outubro de 2021"), from dateparser's own locale data."""
    from dateparser.languages.loader import default_loader

    months: set[str] = set()
    weekdays: set[str] = set()
    for language in languages:
        try:
            info = default_loader.get_locale(language).info
        except (KeyError, ValueError):
            continue
        for name in ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december"):
            months.update(w for w in info.get(name, ()) if w.strip() and len(w) > 1 and not w.isdigit())
        for name in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
            weekdays.update(w for w in info.get(name, ()) if w.strip() and len(w) > 1 and not w.isdigit())

    def alternatives(words: set[str]) -> str:
        return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))

    joiners = r"(?:de|del|of|di|the)"
    token = rf"(?:\d{{1,4}}(?:st|nd|rd|th|er|º)?\.?|(?:{alternatives(months)})\.?)"
    # A weekday only opens a date ("Tuesday, October 5"): after one, "Die" is an article.
    weekday = rf"(?:(?:{alternatives(weekdays)})\.?,?\s+)?"
    return re.compile(rf"(?<!\w){weekday}{token}(?:(?:[\s,./-]+|\s+{joiners}\s+){token}){{0,5}}(?!\w)",
                      re.IGNORECASE)


_ISO_TIMESTAMP = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}")


# "2021年10月17日" (Chinese, Japanese), "2021년 10월 17일" (Korean): numbers and the unit words,
# which dateparser's spans of words and numbers cannot find.
_EAST_ASIAN_DATE = re.compile(r"(\d{4})\s?[年년]\s?(\d{1,2})\s?[月월](?:\s?(\d{1,2})\s?[日일])?")


# The Levantine names of the months ("17 تشرين الأول 2021"), which dateparser's Arabic lacks.
_LEVANTINE_MONTHS = {"كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
                     "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12}
_LEVANTINE_DATE = re.compile(r"(\d{1,2})\s+(" + "|".join(sorted(_LEVANTINE_MONTHS, key=len, reverse=True))
                             + r")\s+(\d{4})")
# A date of the Solar Hijri calendar, which Iranian and Afghan outlets print: "25 مهر 1400".
_JALALI_DATE = re.compile(r"([0-9۰-۹]{1,2})\s+(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)"
                          r"\s+(1[34][0-9]{2}|۱[۳۴][۰-۹]{2})")


def _calendar_date(text: str) -> tuple[dt.date | None, int, int]:
    """A date written with numbers and a unit or month word dateparser's spans miss: East
    Asian ("2021年10月17日"), Levantine Arabic, Solar Hijri; only when it is the text's first number."""
    for pattern, read in _CALENDAR_DATES:
        found = pattern.search(text)
        if found is None or re.search(r"[0-9۰-۹]", text[:found.start()]):
            continue
        try:
            when = read(found)
        except (ValueError, TypeError):  # "2021年13月40日"
            continue
        if when is not None:
            return when, found.start(), found.end()
    return None, -1, -1


def _east_asian(found: re.Match[str]) -> dt.date:
    year, month, day = (int(g) if g else 0 for g in found.groups())
    return dt.date(year, month, day) if day else Month(year, month)


def _levantine(found: re.Match[str]) -> dt.date:
    return dt.date(int(found.group(3)), _LEVANTINE_MONTHS[found.group(2)], int(found.group(1)))


def _jalali(found: re.Match[str]) -> dt.date | None:
    from dateparser.calendars.jalali import JalaliCalendar  # needs convertdate

    data = JalaliCalendar(found.group()).get_date()
    return data.date_obj.date() if data and data.date_obj else None


_CALENDAR_DATES = ((_EAST_ASIAN_DATE, _east_asian), (_LEVANTINE_DATE, _levantine), (_JALALI_DATE, _jalali))


_CYRILLIC_WORD = re.compile(r"[а-яё]{3,}", re.IGNORECASE)


_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "bg", "be", "sr", "mk"})


def find_date(text: str, language: str, need_year: bool = True) -> tuple[dt.date | None, int, int]:
    """The first date ``text`` states: (date or Month, start, end); (None, -1, -1) when none.

    A day, month and year give a date; a month and year alone give a Month. Without
    ``need_year``, a day and month suffice (a dateline's "October 4"), in the year 1900:
    the caller supplies the year.
    """
    if (iso := _ISO_TIMESTAMP.search(text)) and not re.search(r"\d", text[:iso.start()]):
        try:  # "2021-05-14T18:57+0000", a page's machine-readable time
            return dt.date(*map(int, iso.groups())), iso.start(), iso.start() + 10
        except ValueError:
            pass
    if (calendar := _calendar_date(text))[0] is not None:
        return calendar
    languages = _date_languages(language)
    if _CYRILLIC_WORD.search(text) and not set(languages) & _CYRILLIC_LANGUAGES:
        languages += ("ru",)  # "Posted 11 ноября 2021" on a page in English: the site's own dates
    for span in _date_words(languages).finditer(text):
        tokens = list(re.finditer(r"\S+", span.group()))
        if not any(t.group()[:1].isdigit() for t in tokens):
            continue
        if re.fullmatch(r"\d{4}-\d{1,2}", tokens[0].group()) and len(tokens) > 1:
            # "date 2021-10 17 ottobre 2021": the month, then the day in words; "date 2021-10
            # 5 października, ...": the month, then the lede's own date, which is not the page's
            rest = text[span.start() + tokens[1].start():span.end()].rstrip(" ,./-")
            day = _parse_date(rest, languages, need_year=True)
            year, month = map(int, tokens[0].group().split("-"))
            if day is not None and not isinstance(day, Month) and (day.year, day.month) == (year, month):
                return day, span.start(), span.end()
            tokens = tokens[:1]
        # The longest reading that is a date, from the span's first word or a later one
        # ("10:55, 17 October 2021" is a clock time, then the date).
        for first in range(len(tokens)):
            begin = span.start() + tokens[first].start()
            for count in range(len(tokens), first, -1):
                end = span.start() + tokens[count - 1].end()
                found = _parse_date(text[begin:end].rstrip(" ,./-"), languages, need_year)
                if found is not None:
                    return found, begin, end
    return None, -1, -1


@functools.lru_cache(maxsize=16)
def _date_languages(language: str) -> tuple[str, ...]:
    """The text's language as dateparser names it ("no" is its "nb"), then English; a
    language dateparser does not read (Latin, Haitian) leaves English alone."""
    from dateparser.data.languages_info import language_order

    code = _library_code(language)
    return tuple(dict.fromkeys((code, "en") if code in language_order else ("en",)))


def _parse_date(candidate: str, languages: tuple[str, ...], need_year: bool) -> dt.date | None:
    digits = re.findall(r"\d+", candidate)
    if not digits or (len(digits) == 1 and not re.search(r"[^\W\d_]", candidate)):
        return None  # a lone number is never a date
    has_year = any(len(d) == 4 and 1900 <= int(d) <= 2100 for d in digits)
    short_year = not has_year and bool(re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2}", candidate))  # "17/10/21"
    has_year = has_year or short_year
    if need_year and not has_year:
        return None
    parts = ("month", "year") if has_year else ("day", "month")
    # "05.10.2021" is day first wherever it is written; "05/10/2021" is day first in every
    # language of the coverage but English, where dateparser reads it month first.
    order = "DMY" if re.search(r"\d\.\d{1,2}\.\d", candidate) or languages[0] != "en" else ""
    data = _date_parser(languages, parts, order).get_date_data(candidate)
    if data is None or data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "month" and not re.search(r"[^\W\d_]|\d{4}-\d{1,2}\b|\b\d{1,2}[./]\d{4}", candidate):
        return None  # "2021,, 07" is a year and an hour, not July: a month alone is named or written 2021-07
    if not has_year:
        return day.replace(year=1900) if data.period == "day" else None
    if str(day.year) not in digits and not (short_year and str(day.year)[2:] == digits[-1]):
        return None  # a two-digit reading of something else
    return Month(day.year, day.month) if data.period == "month" else day


# "On October 5, 2021 ...", "Il 5 ottobre ...": a preposition before a date starts a sentence.
_PREPOSITIONS = frozenset("on in at by from since until till before after of il lo la le el em en no na am im vom "
                          "seit ab au du dal del desde durante a à в во с со до к от".split())


_DATE_SHAPE = re.compile(r"^(?:[^\W\d_]+:?\s+)?(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{4})\b")


_TIME = (r"^[\s,.|·•]*(?:(?:at|um|às|ore|в|à)\s+)?\d{1,2}[:.h]\d{2}(?::\d{2})?(?!\d)(?:\s*[ap]\.?m\.?)?"
         r"(?:\s*(?:[A-Z]{2,5}|Uhr|GMT[+-]?\d*|UTC[+-]?\d*))?")


@functools.lru_cache(maxsize=64)
def _weekday(language: str) -> re.Pattern[str]:
    """A weekday's name in ``language`` (and English) at the start of a text, from dateparser's locale data."""
    from dateparser.languages.loader import default_loader

    names: set[str] = set()
    for code in {language, "en"}:
        try:
            info = default_loader.get_locale(code).info
        except (KeyError, ValueError):
            continue
        for name in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
            names.update(w for w in info.get(name, ()) if len(w) > 2 and not w.isdigit())
    alternatives = "|".join(sorted((re.escape(w) for w in names), key=len, reverse=True))
    return re.compile(rf"[\s,]*(?:{alternatives})\b\.?,?", re.IGNORECASE)


def parse_date_prefix(line: str, language: str = "en") -> tuple[dt.date | None, str | None]:
    """Split a leading date off a line: (date, rest of line).

    The date may follow a label of two words at most ("date", "Published:") and a time
    may follow it. Returns (None, None) when the line does not start with a date.
    """
    line = re.sub(r"^[•·▪–-]\s+", "", line)  # "• Data publikacji: 05.10.2021, 12:10": a bulleted date line
    line = re.sub(r"(?<=\b(?:19|20)\d\d)(?=[A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё])", " ", line)  # "July 21, 2021Coffee or Die"
    line = re.sub(r"^([^\W\d_]{3,})(?=\d)", r"\1 ", line)  # "Общество23 октября 2021": a section label glued on
    date, start, end = find_date(line[:80], language)
    # Up to two words of label before the date ("date", "Published:", "Posted on"); a word
    # and a comma is a place ("Moscovo, 05 out 2021 (Lusa) -"): that is a dateline.
    label = line[:start].split()
    # (Chinese and Japanese write a label without spaces: "发布时间：" is one, a clause is not)
    unspaced = len(re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]", line[:start]))
    if date is None or len(label) > 2 or unspaced > 6 or re.search(r"[.!?]|,\s*$", line[:start]) \
            or (label and all(w.casefold() in _PREPOSITIONS for w in label)):
        shaped = _DATE_SHAPE.match(line)  # "date 2021-13-45": a date header, but no real date
        return (None, line[shaped.end():].strip()) if shaped else (None, None)
    if re.match(r"\s*(?:года?|г\.|roku|r\.)\s+[^\W\d_]", line[end:]) and not line[:start].strip() \
            and line[-1] in ".!?…" and _n_words(line) >= 8:
        return None, None  # "5 октября 2021 года участники ... полетели в космос.": a sentence opens with its date
    rest = re.sub(r"^\s*(?:года|г\.)(?=[\s,.|]|$)", "", line[end:])  # "17 октября 2021 года, 14:05": the year's word
    # (the time may follow a separator, and run into the lede: "17.10.2021. | 09:35Ruska glumica ...")
    rest = re.sub(_TIME, "", rest)
    # "1 Temmuz 2021 Perşembe 5:52 pm - Güncelleme: 1 Temmuz 2021 Perşembe 5:54 pm": the
    # weekday after the date, and a second date line (when it was updated) after the first
    if (day := _weekday(language).match(rest)) and re.match(r"[\s,]*(?:\d|$)", rest[day.end():]):
        rest = re.sub(_TIME, "", rest[day.end():])
    if (second := re.match(r"\s*[-–—|·•]\s*(?=\S)", rest)) \
            and parse_date_prefix(rest[second.end():], language)[1] == "":
        rest = ""
    if rest.startswith(",") and re.match(r",\s*(?:the|a|an|la|il|le|o|a|der|die|das)?\s*[^\W\d_]", rest) \
            and not line[:start].strip():
        return None, None  # "October 5, 2021, the spacecraft docked ...": a sentence that opens with its date
    if re.match(r"(?:、|，|に|には|、)", rest) and not line[:start].strip():
        return None, None  # "2021年10月5日、ロシア人の女優が ...": the same in Japanese and Chinese
    return date, rest.lstrip(" |,:–—-·").strip()
