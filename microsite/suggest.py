"""Suggest stage: names in articles that no person or topic page covers yet.

Two lists for editors: names without a page, each with the other spellings of the same
name grouped under it ("Akihiko Hoshide", also "Hoshide"); and spellings close to an
alias that exists already (the same name under another transliteration or script, or
one letter off), which most likely belong in that entity's ``aliases``.

A name is a run of capitalised words, with lower-case particles inside ("Mark Vande
Hei", "White Sun of the Desert"), numbers after it ("Expedition 66"), a title in
quotation marks («Время первых»), or a list of common words after "the" that names one
thing ("the Yellow, Black and White studio"). Words capitalised only because they start
a sentence, the language's function words, months, days, time zones, units and
abbreviations such as CEO or TV are never names. Two names that differ in a number or
designation (Soyuz MS-18, Soyuz MS-19) are never offered as spellings of each other:
they are different things.

``write_drafts`` turns chosen suggestions into draft person or topic pages.
"""

from __future__ import annotations

import functools
import os
import re
from collections import defaultdict
from dataclasses import dataclass

from anyascii import anyascii

from . import names as folding
from .linking import AliasIndex, Linked, _all_stop_words, _stop_words
from .model import Article
from .text import FUNCTION_WORDS as _FUNCTION_WORDS
from .text import NATIONALITIES, sentence_spans

_TOKEN = re.compile(r"[^\W_][\w’'-]*")
# An elided article or preposition glued to the next word (Italian, French).
_ELISION = re.compile(r"(?:[LlDdNnSsCcJjMmTt]|[Dd]ell|[Nn]ell|[Aa]ll|[Dd]all|[Ss]ull|[Qq]u|[Uu]n)['’](?=[^\W\d_])")
# A possessive ("Shipenko’s") or a case ending after an apostrophe (Turkish "Rusya’nın").
_SUFFIX = re.compile(r"['’]([^\W\d_]{0,5})$|-$")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_HANGUL = re.compile("[\uac00-\ud7a3]+")  # a Korean particle after an apostrophe ("MS-18'이")
# Lower-case words allowed inside a name ("White Sun of the Desert", "Vasco da Gama").
# Not Spanish "y" ("Shane Kimbrough y Megan McArthur" are two people).
_CONNECTORS = frozenset("of for the de da do dos du von van der den al bin la las los le del di".split())
# "for" joins a name only after the head of an institution's ("Center for Cosmonaut Training",
# "State Corporation for Space Activities"; not "MiG-29 for Lockheed Martin").
_INSTITUTIONS = frozenset("""center centre corporation agency institute committee commission council foundation
    society organization organisation office ministry department school academy association union fund museum
    complex program programme bureau service""".split())
# Capitalised words that are not names on their own: nationalities, and abbreviations,
# time zones and units that news copy capitalises (the months and days of every
# language come from dateparser, the function words from stop-words).
_NOT_NAMES = _FUNCTION_WORDS | NATIONALITIES | frozenset("""
    uhr gmt utc bst cet cest mez mesz eet eest msk edt est cdt cst mdt mst pdt pst
    aedt aest acst awst ist jst kst hkt sgt
    ceo cfo coo cto md mp mep pm am tv hd uhd dvd vip ok faq pdf url urls www http https gps ai pr
    km kg cm mm mph kmh kph ghz mhz gb mb tb
    oct sept jan feb mar apr jun jul aug sep nov dec mon tue tues wed thu thurs fri sat sun
    photo photos video image images source sources update updated read reads more share reply comments
    copyright courtesy credit credits aboard handout rights reserved comment article chapter section paragraph
    page figure table selč seč
    """.split())
# Function words that a name never holds capitalised, but a headline in title case does.
_HEADLINE_WORDS = _FUNCTION_WORDS - frozenset("one two three four five first second last next new the of and".split())
# Titles and jobs written before a name ("Director Doug Liman", "Cosmonaut Oleg Novitsky").
_ROLES = frozenset("""
    actor actress director producer cosmonaut astronaut commander captain president minister premier senator
    spokesman spokeswoman spokesperson head chief general colonel major lieutenant sergeant pilot engineer
    chairman chairwoman governor mayor ambassador professor doctor journalist correspondent reporter
    bachelor master administrator director-general col gen lt sgt capt cmdr
    """.split())
# Points of the compass, alone a direction or the geopolitical "West", in a name its first
# word ("North Korea", "Far East").
_COMPASS = frozenset("west east north south western eastern northern southern westerners easterners".split())
# After a nationality, these words make a name of their own ("Soviet Union").
_NAME_HEADS = frozenset("union federation republic empire army navy academy government".split())
_DIGITS = re.compile(r"\d+")
_ZONE = re.compile(r"\b(?:Standard|Daylight|Summer|Mean|Saving) Time$")
# An aircraft's, a craft's or a mission's designation: letters, a hyphen, a number ("Su-25").
_DESIGNATION = re.compile(r"([^\W\d_]{1,5})-\d{1,4}[^\W\d_]?")
# A title in quotation marks: «Вызов», „Die Herausforderung“, "Dream of Red Mansions".
_QUOTED = re.compile(r"«([^«»\n]{2,80})»|„([^„“”\n]{2,80})[“”]|“([^“”\n]{2,80})”|\"([^\"\n]{2,80})\""
                     r"|《([^《》\n]{1,30})》|『([^『』\n]{1,30})』|(?<!\w)‘([^‘’\n]{2,80})’(?!\w)")


@dataclass(frozen=True)
class Place:
    """Where a candidate name occurs: an article file and the line of its first occurrence there."""

    path: str
    line: int


@dataclass(frozen=True)
class Suggestion:
    """A name without a page: where it occurs, its other spellings, and the alias it is close to (if any)."""

    name: str
    places: tuple[Place, ...]
    count: int
    close_to: str = ""  # an existing alias this looks like a spelling of
    close_owner: str = ""  # the file of the entity that alias belongs to
    spellings: tuple[str, ...] = ()  # other spellings of the same name, most frequent first
    sentences: tuple[tuple[str, str], ...] = ()  # (article path, sentence) naming it, for a draft page
    holds: bool = False  # the name holds that alias at its start ("Roscosmos State Corporation")


def suggest(linked: Linked, index: AliasIndex) -> list[Suggestion]:
    """Every unlinked name in the articles, grouped by spelling, most frequent first."""
    counts: dict[str, int] = defaultdict(int)
    maybe: dict[str, int] = defaultdict(int)  # one word at a sentence's start: a name if a longer one holds it
    words: dict[str, int] = defaultdict(int)  # dictionary words: names only as spellings of a known one
    holding: dict[str, str] = {}  # a longer name that starts with a known alias -> that alias as written
    languages: dict[str, str] = {}  # the language of the first article each name was seen in
    places: dict[str, dict[str, Place]] = defaultdict(dict)
    sentences: dict[str, list[tuple[str, str]]] = defaultdict(list)
    # Language by language, so that each dictionary loads once (see names.Dictionaries).
    articles = sorted(linked.site.articles, key=lambda a: a.language or linked.site.config.language)
    passages = [(a, p) for a in articles for p in linked.passages[a.url]]
    def language_of(article: Article) -> str:
        return (article.language or linked.site.config.language).split("-")[0].lower()

    # Per language: "gravity" in an English report does not make "Gravity" a common word
    # in a Dutch one, where it is a film's title.
    by_language: dict[str, list[str]] = defaultdict(list)
    for article, passage in passages:
        by_language[language_of(article)].append(passage)
    common = {code: _common(texts) for code, texts in sorted(by_language.items())}
    anywhere = frozenset().union(*common.values())
    for article, passage in passages:
        language = article.language or linked.site.config.language
        for name, kind in _candidates(passage, index, dict(article.links), common[language_of(article)], language,
                                      anywhere):
            if kind.startswith("holds:"):
                holding.setdefault(name, kind.removeprefix("holds:"))
                kind = "name"
            {"name": counts, "start": maybe, "word": words}[kind][name] += 1
            languages.setdefault(name, language)
            places[name].setdefault(article.url, _place(article, name))
            if len(sentences[name]) < 5:
                sentences[name].append((article.source.path, _sentence(passage, name)))
    longer = [folding.fold(w) for name in counts if len(_words(name)) > 1 for w in (_words(name)[0], _words(name)[-1])]
    for name, count in maybe.items():
        # A word that opens sentences is a name when a longer name holds it, or when it
        # opens two or more, or has a number, or (in English, whose dictionary is the
        # largest) is five letters long, and is no word of any language we know
        # ("Lazutkin: ...", "Salyut 7", "Newsweek reported"; not "Jeg", "Opnieuw", "На 5").
        english = languages[name].startswith("en")
        if name not in counts and (folding.fold(name) in longer or (count >= 2 or _DIGITS.search(name)
                                                                    or english and len(name) >= 5)
                                   and _unknown_word(name.split()[0], languages[name])):
            counts[name] = count
    owners = {alias: linked.entities[slug].source.path for alias, slug in index.aliases.items()}
    folded_owners = {folding.fold(alias): path for alias, path in sorted(owners.items(), reverse=True)}
    close = _CloseSpellings(index.aliases)
    for name, count in words.items():
        if name not in counts and close.find(name, strict=True):
            counts[name] = count
    result = []
    for name in [n for n in counts if n in index.aliases]:
        del counts[name]  # an alias as written, which the linker left alone where it is glued to a credit
    for group in _groups(counts, anywhere):
        head = group[0]
        alias = next((found for name in group if (found := close.find(name))), "")
        held = "" if alias else next((holding[name] for name in group if name in holding), "")
        where = {p for name in group for p in places[name].values()}
        said = [s for name in group for s in sentences[name]]
        owner = owners.get(alias, "") if alias else folded_owners.get(folding.fold(held), "")
        result.append(Suggestion(head, tuple(sorted(where, key=lambda p: (p.path, p.line))),
                                 sum(counts[n] for n in group), alias or held, owner, tuple(group[1:]),
                                 tuple(dict.fromkeys(said))[:5], bool(held)))
    return sorted(result, key=lambda s: (-s.count, s.name))


def _common(passages) -> frozenset[str]:
    """The words seen in lower case, except those far more often written alone with a
    capital inside a sentence: "Earth" is a name in "back to Earth" though "the earth"
    occurs. A capital before another name ("President Vladimir Putin") does not count."""
    lower: dict[str, int] = defaultdict(int)
    capital: dict[str, int] = defaultdict(int)
    for passage in passages:
        tokens = list(_TOKEN.finditer(passage))
        for i, match in enumerate(tokens):
            word = match.group()
            if word.islower():
                lower[word] += 1
            elif word[:1].isupper() and word[1:].islower() and not _starts_sentence(passage, match.start()) and \
                    not (i + 1 < len(tokens) and tokens[i + 1].group()[:1].isupper()):
                capital[word.lower()] += 1
    return frozenset(w for w, n in lower.items() if w in _ROLES or capital.get(w, 0) < max(3, 3 * n))


def candidate_names(text: str, index: AliasIndex, overrides: dict[str, str | None] | None = None,
                    common: frozenset[str] = frozenset(), language: str = "en") -> list[str]:
    """The names in one passage that no alias covers, in text order.

    ``common`` holds words seen in lower case elsewhere: one of them capitalised on its
    own ("Actress Yulia Peresild") is a title or a noun, not a name.
    """
    return [name for name, kind in _candidates(text, index, overrides, common, language) if kind == "name"]


def _candidates(text: str, index: AliasIndex, overrides: dict[str, str | None] | None,
                common: frozenset[str], language: str, anywhere: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(name, kind) in text order. The kind is "name"; or "start" for one word at the start
    of a sentence, a name only if a longer name elsewhere ends or starts with it
    ("Hoshide"); or "word" for a dictionary word, a name only as the spelling of a known
    one (Turkish "Rusya" for Russia: dictionaries list some places in lower case).
    ``common`` holds the words seen in lower case in the article's language, ``anywhere``
    those seen in any: "Space" after "European" is a common word even in an Indonesian
    report, so "European Space Agency" is a name there."""
    covered = index.spans(text, overrides, language)
    never = _never_names(language)
    lead = _leading_words(language)
    found: list[tuple[int, str, str]] = []
    quoted = _quoted_titles(text, covered, never) + _katakana_names(text, covered) + _domains(text, covered) \
        + _caseless_countries(text, covered, language)
    found += [(start, name, "name") for start, name in quoted]
    covered = covered + [(start, start + len(name)) for start, name in quoted]
    headlines = _title_case_lines(text, language)
    for run in _joined_lists(text, _runs(text), covered):
        words = [(s, e, w) for s, e, w in run if not any(a <= s < b for a, b in covered)]
        titled = any(a <= run[0][0] < b for a, b in headlines)
        whole, held = _around_known_name(text, run, words, covered, lead, language, index)
        if held == _NOTHING:
            continue
        if whole:
            if not titled:
                found.append((run[0][0], whole, f"holds:{held}" if held else "name"))
            continue
        for part in (piece for gap in _split_at_gaps(words, run) for piece in _split_at_roles(gap)):
            name, tentative = _clean(part, text, anywhere or common, lead, _dates(language), language)
            if name and titled:
                name = _without_headline_words(name, language)
            if name and name.lower() not in common and not _never(name, never) and name.casefold() not in _COMPASS and \
                    not _a_noun(text, part, name, language):
                kind = "word" if _common_words(name, language) else "start" if tentative else "name"
                start = text.find(name, part[0][0])
                found.append((start, _with_known_surname(text, start, name, covered), kind))
    return [(name, kind) for _, name, kind in sorted(found)]


_NOTHING = "\x00"  # what _around_known_name gives for a run that names nothing new


def _around_known_name(text: str, run: list[tuple[int, int, str]], words: list[tuple[int, int, str]],
                       covered: list[tuple[int, int]], lead: frozenset[str], language: str,
                       index: AliasIndex) -> tuple[str, str]:
    """A longer name that holds a known one at its start or end, as (the whole of it,
    the known name when it opens the whole), rather than the leftover words.

    Ending with a known name, it is a name of its own ("Radio Sputnik", "Hero of
    Russia"); in English only, since elsewhere a common noun before a name is as often
    its description ("Regisseur Klim Schipenko"). Opening with one and going on in
    common words, it is most likely a longer name of the known one ("Roscosmos State
    Corporation", "Rusya Uzay Ajansı", "Baikonur Space Launch Site") or a name built on
    it (a newspaper "Moscow Times"), which an editor tells apart: it is listed with the
    known name it holds; after a person's name, common words say what they did, and the
    run names nothing new (``_NOTHING``). Going on in words no dictionary knows, it is
    two names side by side ("Soyuz MS-19 Matthias Maurer"), and the leftover words are
    the new one. Never when what is left is a title or a function word ("President
    Vladimir Putin", "The Kremlin")."""
    while run and (run[0][2].casefold() in lead or run[0][2] in _CONNECTORS):  # "For the Hero of Russia"
        words = [w for w in words if w != run[0]]
        run = run[1:]
    if not words or len(words) == len(run):
        return "", ""
    inside = [(a, b) for a, b in covered if run[0][0] <= a and b <= run[-1][1]]
    if len(inside) != 1:
        return "", ""
    a, b = inside[0]
    at_start, at_end = a == run[0][0], b == run[-1][1]
    if not (at_start or at_end) or any(w[0] < a for w in words) and any(w[0] >= b for w in words):
        return "", ""
    rest = [w[2] for w in words if w[2][:1].isupper()]
    folded = [w.casefold() for w in rest]
    if not rest or any(w in lead for w in folded):
        return "", ""
    if at_start and not at_end:  # "NASA TV", "Hollywood Reporter": a title or an abbreviation after it is no person's
        if not all(_english_word(w) or _dictionary_word(w, language) or w.casefold() in _NOT_NAMES | _ROLES
                   for w in rest) or any(w.casefold() in _dates(language) for w in rest):
            return "", ""
        if any(m.slug in index.people for m in index.find(text[a:b], None, language)):
            # after a person's name, common words say what they did ("Schipenkos Film") or
            # name what is named after them: neither is a new name
            return "", _NOTHING
        return text[run[0][0]:run[-1][1]], text[a:b]
    if not language.startswith("en") or any(w in _ROLES or w.removesuffix("s") in _ROLES or w in _NOT_NAMES
                                            for w in folded) or _before_of(run) != run \
            or any(w[2].isdigit() for w in words):
        return "", ""  # "Expedition 66 of the ISS" is Expedition 66, "Site 31 of the Baikonur Cosmodrome" Site 31
    person = any(m.slug in index.people for m in index.find(text[a:b], None, language))
    if person and any(w[2] == "of" for w in run):
        return "", ""  # no name runs "... of" into a person's ("Rumors of Putin")
    if person and " " in text[a:b].strip():
        # a name before a person's full name is another ("Presidents of Russia and Belarus
        # Vladimir Putin"); before a surname, it is a first name ("Anton Nikolaevich Shkaplerov")
        return "", ""
    return text[run[0][0]:run[-1][1]], ""


def _title_case_lines(text: str, language: str) -> list[tuple[int, int]]:
    """Where the lines of ``text`` that are in title case start and end."""
    spans, start = [], 0
    for line in text.split("\n"):
        if _title_case(line, language):
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _title_case(text: str, language: str) -> bool:
    """A heading or caption in title case ("Filming in Zero Gravity", "Chinese Shiyan-10
    Satellite Raises its Orbit"): its capitals say nothing about names. Not a sentence,
    which ends in a full stop, and not in languages that capitalise every noun, where a
    headline looks the same as any sentence."""
    if language.split("-")[0].lower() in _NOUNS_CAPITALISED:
        return False
    tokens = [t for t in _TOKEN.findall(text) if t[:1].isalpha()]
    content = [t for t in tokens if t.casefold() not in _FUNCTION_WORDS and len(t) > 2]
    if len(tokens) > 20 or len(content) < 2 or _LABEL.match(text) or text.rstrip().endswith("."):
        return False  # a sentence of names ("Russian President Vladimir Putin and the European Space Agency.")
    return all(t[:1].isupper() for t in content)


# A credit or source line ("Source: Daily Beast", "Photo: NASA"): a name follows the label.
_LABEL = re.compile(r"\s*[^\W\d_]+\s*:\s")


def _without_headline_words(name: str, language: str) -> str:
    """A name from a title-case line without the common words at its end ("Shiyan-10
    Satellite Raises" -> "Shiyan-10"); "" when every word is a common word ("Greater
    Purpose", "Zero Gravity"), which only a mention in running text makes a name."""
    words = name.split()
    while words and (_english_word(words[-1]) or _dictionary_word(words[-1], language)):
        words.pop()
    return " ".join(words)


# Articles and determiners before a German noun ("der Filmdreh", "des Theaterautors").
_GERMAN_ARTICLE = re.compile(r"\b(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|zum|zur|im|am|vom|beim|"
                             r"ins|ans|kein|keine|keinen|seinem|seiner|seine|ihrem|ihrer|ihre|dieser|diesem|dieses|"
                             r"jeder|jedem|d'|dem)\s+$", re.IGNORECASE)


def _a_noun(text: str, part: list[tuple[int, int, str]], name: str, language: str) -> bool:
    """A capitalised word that is a noun, not a name: in German one word after an article,
    in English a demonym ("Australian", "Shakespearean")."""
    code = language.split("-")[0].lower()
    if " " in name:
        return False
    if _demonym(name, code):
        return True
    if code in _NOUNS_CAPITALISED:
        return bool(_GERMAN_ARTICLE.search(text[max(0, part[0][0] - 12):part[0][0]]))
    return code == "en" and len(name) >= 7 and name.casefold().endswith(("ian", "ians", "ean", "eans", "ese"))


# The endings that make a people or an adjective of a country's name, by language (in
# Latin letters, as anyascii writes them): Japan -> Japanner, Japonia -> Japończyk,
# Ιαπωνία -> Ιάπωνας. English's apply in every language.
_DEMONYM_ENDINGS = {
    "en": "an ans ian ians ese i is ite ites ish",
    "nl": "s se er ers ner ners naar nees",
    "de": "er ern erin erinnen isch ische ischen ischer isches",
    "fr": "ais aise aises ois oise oises ien ienne iens iennes ain aine ains aines",
    "es": "ano ana anos anas es esa eses esas o a os as",
    "pt": "ano ana anos anas es esa eses esas o a os as",
    "it": "ano ana ani ane ese esi o a i e",
    "pl": "czyk czycy czyka czykiem czykowi czykom czykami czyków anie anin anina ski ska scy skie",
    "cs": "ec ci an ane ka ky ska ske",
    "sk": "ec ci an ania ka sky ska ske",
    "el": "as es oi os o ida ides",
    "ru": "ets tsy tsev ka ki skii skaia skie",
    "uk": "ets tsi ka ky skyi ska ski",
    "tr": "li lu lar ler",
    "sv": "are ar ska sk",
    "da": "er ere sk ske",
    "nb": "er ere sk ske",
}


@functools.lru_cache(maxsize=4096)
def _demonym(word: str, language: str) -> bool:
    """A people or an adjective made from a country's name in the article's language or
    English (CLDR's names, through Babel): "Japanner", "Japończyk", "Ιάπωνας". The name's
    stem must be all but at most two of its last letters, and the rest a demonym ending
    of that language: "Chinatown", "Francesco" and "Indiana" stay names."""
    flat = anyascii(word).lower()
    endings = set(_DEMONYM_ENDINGS["en"].split()) | set(_DEMONYM_ENDINGS.get(language, "").split())
    for country in _countries(language):
        shared = len(os.path.commonprefix([flat, country]))
        # the ending may take the place of the name's last letters (Australia -> Australians)
        if flat != country and any(4 <= k >= len(country) - 2 and flat[k:] in endings
                                   for k in range(shared, shared - 3, -1)):
            return True
    return False


def _a_place(word: str, language: str) -> bool:
    """A country or a region, or a compound that ends in one ("Zentralasien", "Nordkorea")."""
    lower = word.lower()
    return any(lower.endswith(region) for region in _regions(language) if len(region) >= 5)  # not "Roman" (Oman)


@functools.lru_cache(maxsize=64)
def _territories(language: str) -> tuple[tuple[str, str], ...]:
    """CLDR's names of countries ("RU") and world regions ("142") in ``language``, by
    Babel, as (code, name); none for a language CLDR does not know. "001", the world, is
    no place a report names."""
    from babel import Locale, UnknownLocaleError

    try:
        territories = Locale.parse(language).territories
    except (ValueError, UnknownLocaleError):
        return ()
    return tuple(sorted((code, name) for code, name in territories.items() if code != "001"))


@functools.lru_cache(maxsize=64)
def _regions(language: str) -> frozenset[str]:
    """The one-word names of countries and world regions in ``language``, lower case
    ("asien", "europa"): a compound ending in one is a place ("Zentralasien"), not a noun."""
    return frozenset(name.lower() for _, name in _territories(language) if " " not in name)


@functools.lru_cache(maxsize=64)
def _countries(language: str) -> tuple[str, ...]:
    """The one-word names of the world's countries in ``language`` and English, in Latin letters."""
    names = {anyascii(name).lower() for code in dict.fromkeys((language, "en")) for key, name in _territories(code)
             if key.isalpha() and " " not in name}
    return tuple(sorted(n for n in names if len(n) >= 4 and n.isalpha()))


def _common_words(name: str, language: str) -> bool:
    """A single dictionary word, or in German a noun phrase of them ("Chef der Behörde")."""
    words = name.split()
    if len(words) == 1:
        return _dictionary_word(name, language) or _compound(name, language)
    code = language.split("-")[0].lower()
    return code in _NOUNS_CAPITALISED and any(w in {"der", "des", "die", "dem", "den", "vun", "vum"} for w in words) \
        and all(_dictionary_word(w, language) or _compound(w, language) for w in words if w[:1].isupper())


def _with_known_surname(text: str, start: int, name: str, covered: list[tuple[int, int]]) -> str:
    """A first name before a known one-word alias is another spelling of a full name
    ("Peter Dubrov" for Pyotr Dubrov): the two together, for the close-spelling check."""
    end = start + len(name)
    if " " in name or not text.startswith(" ", end):
        return name
    for a, b in covered:
        if a == end + 1 and re.fullmatch(r"[^\W\d_]+", text[a:b]):
            return text[start:b]
    return name


@functools.lru_cache(maxsize=32)
def _never_names(language: str) -> frozenset[str]:
    """Words that are never a name on their own in ``language`` (and in English), casefolded."""
    words = set(_NOT_NAMES)
    for code in sorted({language.split("-")[0].lower() or "en", "en"}):
        words |= _stop_words(code)[1]
        words |= _calendar_words(code)
    return frozenset(words)


@functools.lru_cache(maxsize=32)
def _leading_words(language: str) -> frozenset[str]:
    """Words that open a run but are no part of the name after them: English function
    words ("The", "Meanwhile", not "New" or "Top": New Shepard, Top Gun), and the stop
    words of another language ("Der", "Los"), whose lists are short."""
    code = language.split("-")[0].lower() or "en"
    words = set(_FUNCTION_WORDS - {"new"})
    if code != "en":
        words |= _stop_words(code)[1]
    return frozenset(words)


def _calendar_words(language: str) -> frozenset[str]:
    """Month and weekday names of ``language``, from dateparser's locale data."""
    from dateparser.languages.loader import default_loader

    try:
        info = default_loader.get_locale(language).info
    except (KeyError, ValueError):
        return frozenset()
    keys = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return frozenset(w.casefold().rstrip(".") for key in keys for w in info.get(key, ()) if len(w) > 1)


# Languages that capitalise every noun: there a capitalised dictionary word is a noun
# unless English knows it as a proper name ("Weltall" is a word, "Washington" a name).
_NOUNS_CAPITALISED = frozenset({"de", "lb"})


@functools.lru_cache(maxsize=4096)
def _dictionary_word(word: str, language: str) -> bool:
    """Whether ``word`` is a common word of ``language`` (or English), by simplemma's
    dictionaries: its lemma is written in lower case ("Terre" -> terre, "Международной"
    -> международный), or, in German, it is a noun English does not know as a name."""
    code = language.split("-")[0].lower()
    if code == "en":
        return False  # English texts have the words seen in lower case instead ("Sputnik" is a name there)
    # The article's own language decides: an English word in a Dutch text is a title or a
    # name there ("Gravity", "The Martian"). English stands in for languages simplemma lacks.
    for lang in (code, "en"):
        try:
            lemma = folding.dictionary().lemmatize(word, lang)
            known = folding.dictionary().known(word, lang) or folding.dictionary().known(lemma, lang)
        except ValueError:  # a language simplemma has no dictionary for
            continue
        if not known:
            return False
        if lemma[:1].islower():
            return True
        if lang in _NOUNS_CAPITALISED:
            return not _dictionary_name(word) and not _a_place(word, lang)
        return False
    return False


# Languages that write compound nouns as one word.
_COMPOUNDING = frozenset({"de", "lb", "nl", "sv", "da", "no", "nb", "is"})


@functools.lru_cache(maxsize=4096)
def _compound(word: str, language: str) -> bool:
    """A compound of two dictionary words of four letters or more, as German writes its
    nouns ("Filmdreh", "Studiokulissen", "Siegesgedanken"): a noun, not a name."""
    code = language.split("-")[0].lower()
    if code not in _COMPOUNDING or len(word) < 8 or not word.isalpha():
        return False
    lower = word.lower()
    for cut in range(4, len(lower) - 3):
        head, tail = lower[:cut], lower[cut:]
        heads = (head, head[:-1]) if head.endswith("s") else (head,)  # the linking s: Sieg-es-gedanken
        try:
            if any(_dictionary_known(h, code) for h in heads) and _dictionary_known(tail, code) \
                    and tail not in _regions(code):
                return True
        except ValueError:
            return False
    return False


def _unknown_word(word: str, language: str) -> bool:
    """A Latin word of four letters or more that no stop list and no dictionary of the
    article's language or English knows."""
    if len(word) < 4 or not word.isascii() and not re.fullmatch(r"[A-Za-zÀ-ɏ]+", word):
        return False
    adverb = word.casefold().endswith("ly") and _english_word(word[:-2])  # "Originally", "Suddenly"
    plural = word.casefold().endswith("s") and (_english_word(word[:-1]) or _english_word(word[:-2]))  # "Billionaires"
    return word.casefold() not in _all_stop_words() and not _english_word(word) and not adverb and not plural \
        and not _common_words(word, language) and not _dictionary_known(word, language)


@functools.lru_cache(maxsize=4096)
def _dictionary_known(word: str, language: str) -> bool:
    """Whether simplemma's dictionary of ``language`` holds ``word`` in any case."""
    try:
        code = language.split("-")[0].lower()
        return any(folding.dictionary().known(form, code) for form in dict.fromkeys((word, word.lower(),
                                                                                       word.capitalize())))
    except ValueError:
        return False


@functools.lru_cache(maxsize=4096)
def _english_word(word: str) -> bool:
    """Whether ``word`` is a common English word (its lemma in lower case): "Yellow", not "Bezos"."""
    return folding.dictionary().known(word, "en") and folding.dictionary().lemmatize(word, "en")[:1].islower()


def _dictionary_name(word: str) -> bool:
    """Whether English knows ``word`` as a name (its lemma capitalised)."""
    return folding.dictionary().known(word, "en") and folding.dictionary().lemmatize(word, "en")[:1].isupper()


def _never(name: str, never: frozenset[str]) -> bool:
    """A name made only of words that are never names ("GMT", "Oct", "CEO", "TV", "Source").
    A designation is a name though its letters are a common word ("Su-25", "MS-18")."""
    if (code := _DESIGNATION.fullmatch(name)) and code.group(1).casefold() not in _NOT_NAMES - _FUNCTION_WORDS:
        return False
    if _ZONE.search(name):
        return True  # "Eastern Daylight Time", "Moscow Standard Time"
    words = [w for w in re.split(r"[\s-]+", name.casefold()) if w]
    return all(w in never or w.isdigit() for w in words)


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Maximal runs of capitalised words (connectors and numbers allowed inside), as (start, end, word)."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for token in _tokens(text):
        word = _without_suffix(token.group())
        if token.start() and text[token.start() - 1] in "@#＠":
            word = ""  # a handle or a hashtag names an account ("@Rogozin", "@Axiom_Space")
        if (adjective := re.search(r"-[^\W\d_]", word)) and adjective.group()[1].islower():
            # "CIA-recruited", "Soviet-designed": the name before the adjective it makes
            # ("Jean-Loup" is one name); nationalities and stop words go later
            word = word[:adjective.start()]
        start, end = token.start(), token.start() + len(word)
        if elided := _ELISION.match(word):  # "L'astronauta Samantha", "d'Alembert": the article is no part
            word, start = word[elided.end():], start + elided.end()
        gap = text[current[-1][1]:start] if current else ""
        # "James T. Kirk": an initial and its full stop stay inside the name
        joined = current and (gap == " " or gap == ". " and len(current[-1][2]) == 1 and current[-1][2].isupper()
                              or gap == "/" and current[-1][2].isdigit() and word.isdigit())  # "Expedition 39/40"
        # "Sojuza MS-15 25": a number after a designation is the day of a date ("39/40" is one)
        after_code = current and _DIGITS.search(current[-1][2]) and gap != "/"
        counted = word.isdigit() and _COUNTED.match(text, token.start() + len(word))
        connects = word in _CONNECTORS and (word != "for" or bool(current)
                                            and current[-1][2].casefold() in _INSTITUTIONS)
        if word[:1].isupper() or (joined and (connects or _designation(word) and not after_code and not counted)):
            if not joined:
                runs.append(current)
                current = []
            current.append((start, end, word))
            if len(word) < len(token.group()):  # a possessive ends the name
                runs.append(current)
                current = []
        else:
            runs.append(current)
            current = []
    runs.append(current)
    return [_trim_connectors(run) for run in runs if run]


class _Token:
    """A piece of a word that copying glued together, with the match interface _runs reads."""

    def __init__(self, text: str, start: int):
        self._text, self._start = text, start

    def group(self) -> str:
        return self._text

    def start(self) -> int:
        return self._start


# Where copying glued a caption's credit or label onto the word before it:
# "International Space StationPhoto", "BaikonurSHAMIL ZHUMATOV" ("SpaceX", "YouTube" stay whole).
_GLUED = re.compile(r"(?<=[a-zà-ÿа-я])(?=(?:Photo|Foto|Source|Credit|Getty)\b|[A-ZА-Я]{2})")


def _tokens(text: str):
    """The words of ``text``, with glued credits cut off (see _GLUED)."""
    for match in _TOKEN.finditer(text):
        word, start = match.group(), match.start()
        cuts = [m.start() for m in _GLUED.finditer(word)]
        if not cuts or start and text[start - 1] in "@#＠":  # a handle or a hashtag stays one word
            yield match
            continue
        for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True):
            yield _Token(word[a:b], start + a)


def _without_suffix(word: str) -> str:
    """``word`` without a possessive or an apostrophe case ending (lower case: "O’Neil" stays).
    In Cyrillic the apostrophe is a letter of Ukrainian and Belarusian ("Придністров'ї")."""
    if _CYRILLIC.search(word):
        return word.removesuffix("-")
    match = _SUFFIX.search(word)
    if match and (not match.group(1) or match.group(1).islower() or _HANGUL.fullmatch(match.group(1))):
        return word[:match.start()]
    return word


# Words that count what a number before them counts: "Kennedy Space Center 20 years later".
_COUNTED = re.compile(r"\s+(?:years?|days?|hours?|minutes?|months?|weeks?|people|times|km|kilometers|kilometres|"
                      r"miles|percent|per cent|million|billion)\b")


def _designation(word: str) -> bool:
    """A number that belongs to a name ("Expedition 66", "Apollo 13"); a year does not ("Cruise 2023")."""
    return word.isdigit() and len(word) <= 3


def _joined_lists(text: str, runs: list[list[tuple[int, int, str]]],
                  covered: list[tuple[int, int]]) -> list[list[tuple[int, int, str]]]:
    """Runs with "the A, B and C" joined into one name: after "the", or when every part
    is an English word, a list of single capitalised words names one thing (the studio
    "Yellow, Black and White"), where "Musk, Bezos and Branson" names three people."""
    out: list[list[tuple[int, int, str]]] = []
    i = 0
    while i < len(runs):
        j = i
        while (j + 1 < len(runs) and len(runs[j]) == 1 and len(runs[j + 1]) == 1
               and re.fullmatch(r",\s*|\s+(?:and|&)\s+|,\s*and\s+", text[runs[j][0][1]:runs[j + 1][0][0]])):
            j += 1
        pieces = runs[i:j + 1]
        after_the = re.search(r"\b[Tt]he\s+$", text[:runs[i][0][0]])
        words = all(_english_word(p[0][2]) for p in pieces)  # "studio Yellow, Black and White"
        if j - i >= 2 and (after_the or words) and \
                not any(a < p[0][1] and p[0][0] < b for p in pieces for a, b in covered):
            out.append([(pieces[0][0][0], pieces[-1][0][1], text[pieces[0][0][0]:pieces[-1][0][1]])])
        else:
            out.extend(pieces)
        i = j + 1
    return out


def _quoted_titles(text: str, covered: list[tuple[int, int]], never: frozenset[str]) -> list[tuple[int, str]]:
    """Titles in quotation marks: every word of note capitalised (English), any short
    capitalised phrase in guillemets or low-high quotes (where titles are sentence case),
    and whatever Chinese and Japanese put in title brackets (《挑战》, 『ザ・チャレンジ』)."""
    found = []
    for match in _QUOTED.finditer(text):
        group = next(g for g in range(1, 8) if match.group(g) is not None)
        title, start = match.group(group).strip(), match.start(group)
        if group in (5, 6):  # 《...》 and 『...』 hold the title of a work in Chinese and Japanese
            if title and not any(a < start + len(title) and start < b for a, b in covered):
                found.append((start, title))
            continue
        words = title.split()
        if not words or len(words) > 8 or title[-1] in ",.?;:…" or not title[0].isupper():
            continue
        if any(a < start + len(title) and start < b for a, b in covered):
            continue
        small = [w for w in _ELISION.sub("", title).split()[1:]
                 if w.casefold().strip("'’") in never and w.casefold() not in _CONNECTORS | {"the", "and"}]
        if len(small) >= 2 or small and len(words) >= 4 or _ELISION.match(title):
            continue  # a quoted sentence ("C'est un défi", "Мы снова первые в мире"), not a title;
            # one small word in a short title is a preposition ("Битва за Севастополь")
        sentence_case = group <= 2  # «...» and „...“
        if len(words) == 1 and (title.casefold() in never or not sentence_case):
            continue  # a single word in English quotes is a word being quoted, not a title
        if not sentence_case and not all(w[:1].isupper() or w in _CONNECTORS or w.casefold() in _FUNCTION_WORDS
                                         for w in words):
            continue
        found.append((start, title))
    return found


# Japanese writes a foreign person's name in katakana with a dot between its parts
# ("ユリア・ペレシルド"); a loanword has no dot.
_KATAKANA_NAME = re.compile("[\u30a1-\u30fa\u30fc-\u30ff]{2,}(?:[・=＝][\u30a1-\u30fa\u30fc-\u30ff]{2,})+")


# A site named by its domain ("Space.com", "Zakon.kz", "mk.ru"), not inside a web address
# or an e-mail address.
_DOMAIN = re.compile(r"(?<![\w./@-])[^\W_][\w-]*\.(?:com|org|net|info|news|tv|io|ru|kz|ua|by|de|fr|it|es|pt|pl|cz|"
                     r"sk|hu|ro|bg|rs|hr|gr|tr|nl|be|ch|at|se|no|dk|fi|jp|cn|kr|in|uk|us|ca|au|br|mx|ar)(?![\w/@-]|\.\w)",
                     re.IGNORECASE)


def _domains(text: str, covered: list[tuple[int, int]]) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _DOMAIN.finditer(text)
            if not any(a < m.end() and m.start() < b for a, b in covered)]


# Scripts without capitals, where no run of capitalised words can show a name.
_CASELESS = re.compile("[\u0600-\u06ff\u0590-\u05ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff"
                       "\uac00-\ud7a3]")


def _caseless_countries(text: str, covered: list[tuple[int, int]], language: str) -> list[tuple[int, str]]:
    """Countries and regions named in a script without capitals, by CLDR's names in the
    article's language (Babel): "塞尔维亚", "세르비아", "صربيا". Longest first, each once."""
    if not _CASELESS.search(text):
        return []
    pattern = _territory_pattern(language.split("-")[0].lower())
    if pattern is None:
        return []
    found: list[tuple[int, str]] = []
    taken = list(covered)
    for match in pattern.finditer(text):
        if not any(a < match.end() and match.start() < b for a, b in taken):
            found.append((match.start(), match.group()))
            taken.append(match.span())
    return found


@functools.lru_cache(maxsize=32)
def _territory_pattern(language: str) -> re.Pattern[str] | None:
    names = {name for _, name in _territories(language) if _CASELESS.search(name) and len(name) >= 2}
    if not names:
        return None
    # not the people of the place: 中国人, 日本人, 미국인
    return re.compile("(?:" + "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n))) + ")(?![人인])")


def _katakana_names(text: str, covered: list[tuple[int, int]]) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _KATAKANA_NAME.finditer(text)
            if not any(a < m.end() and m.start() < b for a, b in covered)]


def _trim_connectors(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    while run and not run[-1][2][:1].isupper() and not run[-1][2].isdigit():
        run = run[:-1]
    return run


def _split_at_roles(part: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """A run cut at the job words inside it, which stand between two names or before one:
    "Universal Pictures Chairman Donna Langley", "Flight Engineer Kate Rubins". A job
    word first or last is left to _clean and _job_title."""
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for i, word in enumerate(part):
        folded = word[2].casefold()
        if 0 < i < len(part) - 1 and (folded in _ROLES or folded.removesuffix("s") in _ROLES) \
                and _a_persons_name([w[2] for w in part[i + 1:]]):
            pieces.append([])
        else:
            pieces[-1].append(word)
    # what stands before the job word and only qualifies it goes too ("Deputy Prime Minister")
    return [p for p in (_trim_connectors(p) for p in pieces)
            if p and not all(w[2].casefold() in _ROLE_MODIFIERS for w in p)]


def _a_persons_name(words: list[str]) -> bool:
    """Two words or more, the last no dictionary word: a person's name ("Kate Rubins"),
    not an institution's ("Pilot School")."""
    return len(words) >= 2 and words[0][:1].isupper() and not _english_word(words[-1])


# Words that qualify a job before it ("Deputy Prime Minister", "Flight Engineer").
_ROLE_MODIFIERS = frozenset("deputy vice prime executive senior chief first acting former flight mission lead".split())


def _split_at_gaps(words: list[tuple[int, int, str]], run: list[tuple[int, int, str]]) -> list[list]:
    """Pieces of a run left between the words an alias covered."""
    pieces: list[list] = [[]]
    kept = {w[0] for w in words}
    for word in run:
        if word[0] in kept:
            pieces[-1].append(word)
        elif pieces[-1]:
            pieces.append([])
    return [p for p in (_trim_connectors(p) for p in pieces) if p and not p[0][2].isdigit()]


def _clean(words: list[tuple[int, int, str]], text: str, common: frozenset[str],
           never: frozenset[str], calendar: frozenset[str] = frozenset(), language: str = "en") -> tuple[str, bool]:
    """The name a run stands for ("" when it is not a name), and whether it is only tentative.

    Leading function words go ("The Soviets" -> "Soviets"), and so do leading words
    seen in lower case ("Actress Yulia Peresild") and nationalities, unless a word such
    as "Union" follows and makes them part of the name, or what is left would be one
    common word ("Star City" stays whole).
    """
    if len(words) > 1 and words[1][2] == "of" and _job_title([w[2] for w in words[:2]]):
        return "", False  # "Bachelor of Arts", "Head of Mission Control": a job or a degree
    while len(words) > 1 and _leading_noise(words, common, never, _starts_sentence(text, words[0][0]), language):
        words = words[1:]
    if words and words[0][2].casefold() in never:
        words = words[1:]
    while words and (words[0][2].isdigit() or words[0][2] in _CONNECTORS):  # "Article 83 of the ..."
        words = words[1:]
    words = _trim_connectors(_before_of(_without_date(words, calendar)))
    core = [w for w in words if not w[2].isdigit()]
    if not core or (len(core) == 1 and len(core[0][2]) < 2):
        return "", False
    name = text[words[0][0]:words[-1][1]]
    if _job_title([w[2] for w in words]):
        return "", False
    if any(w[2][:1].isupper() and w[2].casefold() in _HEADLINE_WORDS for w in words[1:]):
        return "", False  # a headline in title case ("Movie Is Hard", "Orbit After Initial Problems")
    if name.isupper() and any(len(w[2]) > 5 and "-" not in w[2] for w in core) and \
            any(_english_word(w[2].capitalize()) or w[2].casefold() in never for w in words):
        # a label in capitals ("ENGLISH", "SOUNDBITE OF EXPLOSION"); "ADRAS-J", "GLONASS" and
        # a photographer's credit ("MIKHAIL KLIMENTYEV") are names
        return "", False
    # "Meanwhile", "Space is appealing", "Integrating 35": capitalised only by position, unless
    # a longer name elsewhere holds the word
    return name, len(core) == 1 and _starts_sentence(text, core[0][0])


def _without_date(words: list[tuple[int, int, str]], calendar: frozenset[str]) -> list[tuple[int, int, str]]:
    """A run without the date written after it ("Expedition 67 March 29" -> "Expedition 67")."""
    while len(words) > 1 and words[-1][2].isdigit() and words[-2][2].casefold() in calendar:
        words = words[:-2]
    while len(words) > 1 and words[-1][2].casefold() in calendar:
        words = words[:-1]
    return words


@functools.lru_cache(maxsize=32)
def _dates(language: str) -> frozenset[str]:
    """Month and weekday names of ``language`` and English."""
    return _calendar_words(language.split("-")[0].lower() or "en") | _calendar_words("en")


def _before_of(words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A person's name, a designation or a name holding a word no dictionary knows ends at
    "of": "Alexander Misurkin of the Russian crew", "Expedition 66 of the ISS", "Rassvet
    Small Research Module of the Russian Segment". A common word before "of" is a name's
    head ("Hero of Russia", "Museum of Cosmonautics", "Russian Academy of Sciences")."""
    at = next((i for i, w in enumerate(words) if w[2] == "of"), None)
    if at is None or at < 2:
        return words
    head = [w[2] for w in words[:at]]
    if any(w.isdigit() or not (_english_word(w) or w.casefold() in NATIONALITIES) for w in head):
        return words[:at]
    return words


def _job_title(words: list[str]) -> bool:
    """A job, not a name: a role word last or before "of" ("Deputy Prime Minister",
    "Vice President of Mission"); "Space Command" is a name."""
    folded = [w.casefold() for w in words]
    return any((w in _ROLES or w.removesuffix("s") in _ROLES) and (i == len(folded) - 1 or folded[i + 1] == "of")
               for i, w in enumerate(folded))


def _leading_noise(words: list[tuple[int, int, str]], common: frozenset[str], never: frozenset[str],
                   opens: bool = False, language: str = "en") -> bool:
    """Whether the first word of a run is not part of the name: a function word of the
    language, a role ("Actress Yulia Peresild", "Director"), an adverb, or a nationality
    before a name ("American Tom Cruise", but "Soviet Union" and "European Space Agency"
    are names). Other common words stay: "Star City", "Top Gun", "Space Sleuthing Blog",
    "New Shepard"."""
    first, second = words[0][2].casefold(), words[1][2].casefold()
    if first in NATIONALITIES or _demonym(words[0][2], language):
        return second not in _NAME_HEADS and (second not in common or second.removesuffix("s") in _ROLES
                                              or words[1][2][:1].islower())  # "Japonais de 46 ans"
    if first in _NOT_NAMES - _FUNCTION_WORDS:
        return True  # "Copyright Evgeny Biyatov", "Courtesy of Mat Hampson"
    if first in _ROLES or first.removesuffix("s") in _ROLES or first in never:
        return True
    # "Suddenly Scientology", "Accompanying Maezawa": an adverb or a participle opening the sentence
    plain_rest = not any(_dictionary_word_anywhere(w[2], language) for w in words[1:] if w[2][:1].isupper())
    if language.split("-")[0].lower() in _NOUNS_CAPITALISED and plain_rest and len(first) >= 12 \
            and _compound(words[0][2], language):
        return True  # a German noun describing the name after it ("Regierungszeitung Rossijskaja Gaseta")
    if opens and not first.isupper() and (
            _sentence_word(words[0][2], language) and (plain_rest or not language.startswith("en"))
            or plain_rest and not language.startswith("en") and _dictionary_word(words[0][2], language)):
        # a word that opens the sentence before a name no dictionary knows: "Billionaires
        # Musk", "Magazyn Forbes", "Szef Tom Shelley" (not "Blue Origin", "Star City")
        return True
    # ("Daily Beast", "Weekly Standard" and "Flying Tigers" are too short for either)
    return first.endswith(("ly", "ing")) and len(first) >= 7 and (
        first in common | {"suddenly", "recently", "finally"} or opens and _english_word(words[0][2]))


def _sentence_word(word: str, language: str) -> bool:
    """A word that opens a sentence and is no part of the name after it: a common word in
    an inflected form ("Billionaires", "Paesi"). A name's first word is often a word in
    its dictionary form ("Bill Ingalls", "Mark Vande Hei", "Blue Origin", "Gazeta Wyborcza")."""
    if _english_word(word):
        return folding.dictionary().lemmatize(word, "en").casefold() != word.casefold()
    code = language.split("-")[0].lower()
    try:  # elsewhere an inflected form too, as a name's first word rarely is ("Paesi Nato", not "Gazeta Wyborcza")
        return _dictionary_word(word, language) and folding.dictionary().lemmatize(word, code).casefold() != \
            word.casefold()
    except ValueError:
        return False


def _dictionary_word_anywhere(word: str, language: str) -> bool:
    """A common word of the article's language or of English."""
    return _english_word(word) or _dictionary_word(word, language) or _compound(word, language)


def _starts_sentence(text: str, start: int) -> bool:
    """At the start of the passage, after closing punctuation, or opening a quotation."""
    before = text[:start].rstrip(" ")
    return not before or before[-1] in ".!?:;…“\"‘'«„—–-"  # "(" opens an aside, not a sentence: "(YouTube)"


def _place(article: Article, name: str) -> Place:
    """The first line of the article's Markdown where ``name`` (or its first word) occurs."""
    body = article.body
    index = body.find(name)
    if index < 0:
        index = max(body.find(name.split()[0]), 0)
    return Place(article.source.path, article.source.body_line + body[:index].count("\n"))


def _sentence(passage: str, name: str) -> str:
    """The sentence of ``passage`` that names ``name``."""
    at = passage.find(name)
    for start, end in sentence_spans(passage):
        if start <= at < end:
            return " ".join(passage[start:end].split())
    return " ".join(passage.split())


# --------------------------------------------------------------------------- grouping


def _groups(counts: dict[str, int], common: frozenset[str] = frozenset()) -> list[list[str]]:
    """Spellings of one name together, the most frequent full spelling first.

    Spellings with the same folded key are one name ("Astroscale Japan",
    "Astroscale-Japan"), and so are a word and its inflected forms ("Севастополь",
    "Севастополя") and an acronym and the name it abbreviates ("ESA", "European Space
    Agency"); a single word joins the one multi-word name it ends or starts
    ("Hoshide" with "Akihiko Hoshide"), unless several names share it, a number tells
    them apart, or it is a common word ("Center").
    """
    parent = {name: name for name in counts}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(a: str, b: str) -> None:
        parent[root(a)] = root(b)

    by_key: dict[tuple[str, ...], str] = {}
    for name in sorted(counts):
        key = _key(name)
        if key in by_key:
            join(name, by_key[key])
        else:
            by_key[key] = name
    by_lemma: dict[str, str] = {}
    for name in sorted(counts):  # "Севастополя" with "Севастополь": one of its dictionary forms
        if len(_words(name)) == 1:
            for key in folding.keys(name):
                if key in by_lemma:
                    join(name, by_lemma[key])
                else:
                    by_lemma[key] = name
    initials = {"".join(w[0] for w in _words(n) if w[0].isupper()): n for n in sorted(counts) if len(_words(n)) > 2}
    for name in sorted(counts):  # "ESA" with "European Space Agency"
        if name.isupper() and len(name) >= 2 and name in initials:
            join(name, initials[name])
    for name in sorted(counts):  # "ADRAS-J" with "Active Debris Removal" (by Astroscale-Japan)
        letters = re.sub(r"[^A-Z]", "", name)
        if name.isupper() and len(letters) >= 4 and name not in initials:
            spelled = [n for key, n in initials.items() if len(key) >= 3 and letters.startswith(key)]
            if len(spelled) == 1:
                join(name, spelled[0])
    longer = [n for n in counts if len(_words(n)) > 1 and not _DIGITS.search(n)]
    _join_full_names(sorted(longer), join, root)
    _join_close_spellings(sorted(counts), join)
    single = [n for n in counts if len(_words(n)) == 1 and not _DIGITS.search(n) and n.casefold() not in common]
    for word in sorted(single):
        fold = folding.fold(word)
        owners = {root(n) for n in longer if fold in (folding.fold(_words(n)[-1]), folding.fold(_words(n)[0]))}
        if len(owners) == 1:
            join(word, owners.pop())
    groups: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        groups[root(name)].append(name)
    order = lambda n: (-(len(_words(n)) > 1), -counts[n], -len(n), n)  # noqa: E731 (a sort key, named for reading)
    return sorted((sorted(g, key=order) for g in groups.values()), key=lambda g: g[0])


def _join_full_names(longer: list[str], join, root) -> None:
    """Names of two words or more that are one person's: the same first and last word
    ("Yuri Borisov", "Yury Ivanovich Borisov"), or the end of exactly one longer name
    ("Vande Hei" of "Mark Vande Hei")."""
    keys = {name: _key(name) for name in longer}
    ends: dict[tuple[str, str], str] = {}
    for name in longer:
        pair = (keys[name][0], keys[name][-1])
        if _english_word(_words(name)[-1]):
            continue  # "New York Times" and "New Times" are two papers; a surname is no common word
        if pair in ends:
            join(name, ends[pair])
        else:
            ends[pair] = name
    for name in longer:
        owners = {root(other) for other in longer
                  if len(keys[other]) > len(keys[name]) and keys[other][-len(keys[name]):] == keys[name]}
        if len(owners) == 1:
            join(name, owners.pop())


def _join_close_spellings(names: list[str], join) -> None:
    """Two spellings a letter apart of one long name, with the same words and numbers:
    "Mark Vande Hai" and "Mark Vande Hei", "Zhezkazgan" and "Dzhezkazgan"."""
    # Two strings a letter apart share a form with one letter deleted (or one is that
    # form of the other): bucketing by those forms finds the pairs without comparing all.
    buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
    for name in names:
        folded = skeleton(name)
        if len(folded) >= 8:
            for form in {folded} | {folded[:i] + folded[i + 1:] for i in range(len(folded))}:
                buckets[(len(_words(name)), form)].append(name)
    for group in buckets.values():
        for other in group[1:]:
            if other != group[0] and _same_numbers(group[0], other) and \
                    edit_distance(skeleton(group[0]), skeleton(other), 1) <= 1:
                join(group[0], other)


def _words(name: str) -> list[str]:
    return re.findall(r"\w+", name)


def _key(name: str) -> tuple[str, ...]:
    return tuple(folding.fold(w) for w in _words(name))


# --------------------------------------------------------------------------- close spellings


def skeleton(name: str) -> str:
    """A name with transliteration differences folded: Chipenko ~ Shipenko, Novitskiy ~ Novitsky."""
    return "".join(_key(name))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class _CloseSpellings:
    """Finds the alias a new spelling is most likely a variant of: the same folded key
    (another transliteration or script), or a letter or two off. Never one whose numbers
    differ: Soyuz MS-18 is not a misspelling of Soyuz MS-19, nor "Soyuz MS" of either."""

    def __init__(self, aliases: dict[str, str]):
        self.by_skeleton: dict[str, str] = {}
        self.words: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for alias in sorted(aliases):
            self.by_skeleton.setdefault(skeleton(alias), alias)
            self.words[len(_words(alias))].append((alias, " ".join(_key(alias))))

    def find(self, name: str, strict: bool = False) -> str:
        """The closest alias with the same number of words and the same numbers, or "".
        ``strict`` takes only the same folded spelling (for dictionary words: Turkish
        "Rusya" is Rusia, but Czech "Ruský", Russian, is not Rusko)."""
        same = self.by_skeleton.get(skeleton(name))
        if same and _same_numbers(name, same):
            return same
        if strict:
            return ""
        folded = skeleton(name)
        if len(folded) < 5:
            return ""
        script = _script_kind(name)
        limit = 1 if len(folded) < 7 else 2
        # a letter or two apart only within one script: "Boeing" is not "普京" folded
        candidates = [(alias, other) for alias, other in self.words[len(_words(name))]
                      if _same_numbers(name, alias) and _script_kind(alias) == script]
        best = sorted((edit_distance(folded, other.replace(" ", ""), limit), alias) for alias, other in candidates)
        if best and best[0][0] <= limit:
            return best[0][1]
        inflected = sorted(alias for alias, other in candidates if _inflected(" ".join(_key(name)), other))
        return inflected[0] if inflected else ""


def _script_kind(name: str) -> str:
    """"alphabet" for the scripts that transliterate letter by letter (Latin, Greek,
    Cyrillic), else "other" (Han, kana, Hangul, Arabic...), whose folded forms are too
    far from their Latin ones to count letters between them."""
    return "alphabet" if re.fullmatch(r"[\W\d_A-Za-z\u00c0-\u024f\u0370-\u04ff\u1e00-\u1fff]*", name) else "other"


def _inflected(folded: str, alias: str) -> bool:
    """Whether each word of ``folded`` is the alias's word with a case ending of at most
    three letters ("Klimom Šipenkom" for Klim Shipenko, "Peresildist" for Peresild)."""
    pairs = list(zip(folded.split(), alias.split(), strict=False))
    return len(alias.replace(" ", "")) >= 5 and all(
        w.startswith(a) and len(w) - len(a) <= 3 and (len(a) >= 3 or w == a) for w, a in pairs)


def _same_numbers(a: str, b: str) -> bool:
    return _DIGITS.findall(a) == _DIGITS.findall(b)


def format_suggestions(suggestions: list[Suggestion]) -> str:
    """The report ``python build.py suggest`` prints."""
    new = [s for s in suggestions if not s.close_to]
    variants = [s for s in suggestions if s.close_to]
    sections = []
    if new:
        width = max(len(s.name) for s in new)
        sections.append([f"Names in articles without a page ({len(new)}):"] +
                        [f"  {s.name:<{width}}  {s.count:>3}x  {_also(s)}{_where(s)}" for s in new])
    if variants:
        width = max(len(s.name) for s in variants)
        sections.append([f"Spellings close to an existing alias, not listed yet ({len(variants)}):"] +
                        [f"  {s.name:<{width}}  {s.count:>3}x  {'holds' if s.holds else 'like'} '{s.close_to}'"
                         f"{f' ({s.close_owner})' if s.close_owner else ''}; {_also(s)}{_where(s)}"
                         for s in variants])
    if not sections:
        return "Nothing to suggest: every capitalised name in the articles belongs to a person or topic."
    footer = ("Create a draft page for a name, with its spellings as aliases: "
              "python build.py suggest --write person|topic \"NAME\"")
    return "\n\n".join("\n".join(lines) for lines in sections) + ("\n\n" + footer if new else "")


def _also(s: Suggestion) -> str:
    return f"also {', '.join(repr(x) for x in s.spellings)}; " if s.spellings else ""


def _where(s: Suggestion) -> str:
    return ", ".join(f"{p.path}:{p.line}" for p in s.places)
