"""Link stage: every name in the story, under every spelling, linked to its page.

One ``AliasIndex`` holds every alias of every person and topic. Matching walks the
words of a text once and looks each word up in a dictionary keyed by an alias's first
word, so its cost grows with the text, not with the number of entities.

``EntityLinker`` is the Python-Markdown Treeprocessor that uses it: it records every
mention of an article (with the sentence around it) and links the first linkable
mention of each entity, never inside headings, code or links, never to the page it
is on. ``link_site`` converts every body through it and derives what the mentions
feed: backlinks, spellings by source, co-mentions and related articles.
"""

from __future__ import annotations

import difflib
import functools
import html
import itertools
import operator
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import regex
import stop_words
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from . import names
from .errors import Problem, ProjectError, error, quoted, shown, warning
from .model import Article, Entity, Site, Teaser, article_order, same_objects, teaser
from .text import FUNCTION_WORDS, INVISIBLE, NATIONALITIES, describe_char, excerpt, sentence_spans

# An alias starts and ends with a letter or digit; a vowel sign may end it (Devanagari "नासा").
_ALIAS_SHAPE = re.compile(r"\w(.*[\w\u0900-\u0dff\u0e30-\u0e4e\u1000-\u109f])?", re.DOTALL)
# Python-Markdown placeholders still in the tree when treeprocessors run: escaped
# characters (STX 42 ETX) and stashed raw text such as entities (STX wzxhzdk:3 ETX).
_PLACEHOLDER = re.compile(r"\x02(?:wzxhzdk:(\d+)|(\d+))\x03")

# Elements whose text is never linked (their mentions still count, but for code).
NO_LINK = frozenset({"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "kbd", "samp"})
NO_TEXT = frozenset({"code", "pre", "script", "style", "kbd", "samp"})
# Elements whose text forms one passage, for the sentence around a mention.
BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "td", "th", "dt", "dd"})
CONTAINERS = frozenset({"ul", "ol", "dl", "table", "thead", "tbody", "tr", "blockquote", "figure", "div"})


class Match(NamedTuple):
    """One occurrence of an alias in a text (a named tuple: made by the thousand, cheaply).

    ``variant`` marks a Latin spelling matched only through its folded key (see
    ``names``): linked, and reported so that an editor confirms it as an alias.
    """

    start: int
    end: int
    slug: str
    spelling: str
    variant: bool = False


class Mention(NamedTuple):
    """An entity named in an article: the spelling used, and for its first mention in
    the article, the sentence around it (later mentions need no sentence: "" and "")."""

    slug: str
    spelling: str
    before: str
    after: str


class Folded(NamedTuple):
    """An alias under its folded keys, one per word (``("sipenko",)``, ``("soius", "ms", "19")``)."""

    keys: tuple[str, ...]
    slug: str
    alias: str
    caps: bool  # an acronym: it matches only a word written in capitals too


class AliasIndex:
    """Every alias of every entity, for leftmost-longest, whole-word matching.

    Aliases are matched as written (case-sensitively), and also in capitals
    (``MOSCOW`` in a dateline is Moscow). They live in a trie keyed by their tokens
    (words and punctuation marks), so finding the aliases that start at a word costs
    the length of the longest alias there, however many entities share its first word.

    Where no alias matched, a capitalised word in Cyrillic or Greek is looked up by its
    folded keys (``names.keys``: transliterated, and for Russian also its dictionary
    forms), so ``Роскосмоса`` is Roscosmos; a Latin word is looked up that way only for
    the entities in ``variants`` (``Schipenko`` for Shipenko), and its match says so.
    ``negatives`` holds, per entity, phrases in which its aliases name something else.
    """

    def __init__(self, aliases: dict[str, str], variants: frozenset[str] | set[str] = frozenset(),
                 negatives: dict[str, tuple[str, ...]] | None = None, owners: dict[str, tuple[str, str]] | None = None,
                 people: frozenset[str] | set[str] = frozenset(), titles: dict[str, str] | None = None):
        """``aliases`` maps each spelling to the slug of its entity; ``owners`` maps a slug
        to its entity's name and file, for the message on a variant spelling."""
        self.aliases = dict(sorted(aliases.items()))
        self.owners = dict(sorted((owners or {}).items()))
        self.people = frozenset(people)  # slugs of people: a title after a person's name is a longer name
        self.titles = dict(sorted((titles or {}).items()))  # spellings that name an entity only when quoted
        self.variants = frozenset(variants)
        self.negatives = {slug: tuple(sorted(p)) for slug, p in sorted((negatives or {}).items()) if p}
        self._trie = _build_trie(self.aliases)
        self._starts = _word_starts(self._trie)
        self._patterns: dict[str, tuple[re.Pattern[str], dict[str, str]] | None] = {}  # see _spelt

    @functools.cached_property
    def _capitals(self) -> dict:
        """The trie of every alias in capitals, made the first time a text has a word in
        capitals that no alias spells so (a site of 100,000 aliases and no dateline never pays)."""
        written = {}
        for alias, slug in self.aliases.items():
            capitals = alias.upper()
            if capitals != alias and len(capitals) == len(alias) and capitals not in self.aliases:
                written.setdefault(capitals, slug)
        return _build_trie(written)

    @functools.cached_property
    def _stems(self) -> dict[str, tuple[Folded, ...]]:
        """Aliases by the key of their first word without its last vowel ("sipenk")."""
        table: dict[str, list[Folded]] = {}
        for entries in self._folded.values():
            for entry in entries:
                if stem := _vowel_stem(entry.keys[0]):
                    table.setdefault(stem, []).append(entry)
        return {k: tuple(v) for k, v in sorted(table.items())}

    @functools.cached_property
    def _folded(self) -> dict[str, tuple[Folded, ...]]:
        """Aliases by their folded keys, made the first time a text needs them."""
        return _fold_table(self.aliases)

    @functools.cached_property
    def _glued(self) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]] | None:
        """Aliases in scripts that glue words together (Han, kana, Hangul with its
        particles, Arabic with its prefixes): one pattern, longest first, and each alias
        by its letters without separators. None when the site has no such alias."""
        found = sorted((a for a in self.aliases if _GLUED_SCRIPTS.search(a)), key=lambda a: (-len(a), a))
        if not found:
            return None
        parts = [f"[\\s{_NAME_DOTS}]*".join(re.escape(p) for p in re.split(f"[\\s{_NAME_DOTS}]+", a)) for a in found]
        keys = {_SEPARATED.sub("", a): (a, self.aliases[a]) for a in reversed(found)}
        return re.compile("|".join(parts)), keys

    @functools.cached_property
    def _quoted(self) -> tuple[re.Pattern[str], dict[str, str]] | None:
        """The titles that name an entity only in quotation marks, one pattern, longest first."""
        if not self.titles:
            return None
        found = sorted(self.titles, key=lambda t: (-len(t), t))
        pattern = "|".join(re.escape(t) for t in found)
        return (re.compile(f"(?<=[{_OPENING_QUOTES}])\\s?(?:{pattern})\\s?(?=[{_CLOSING_QUOTES}])", re.IGNORECASE),
                {t.casefold(): slug for t, slug in self.titles.items()})

    def _in_quotes(self, text: str, taken: list[Match], extra: dict[str, str | None] | None) -> list[Match]:
        """A title written between quotation marks: «Вызов», „Provocarea”, ‘도전’, 《挑战》. A
        film's title in many languages is also the word "challenge", which it names only so."""
        pattern, slugs = self._quoted
        found: list[Match] = []
        for hit in pattern.finditer(text):
            start, end = hit.span()
            while text[start].isspace():
                start += 1
            while text[end - 1].isspace():
                end -= 1
            slug = slugs[text[start:end].casefold()]
            if any(m.start < end and start < m.end for m in taken + found):
                continue
            if extra and extra.get(text[start:end], slug) != slug:
                continue
            found.append(Match(start, end, slug, text[start:end]))
        return found

    def _scripted(self, text: str, taken: list[Match], extra: dict[str, str | None] | None) -> list[Match]:
        """Matches of aliases written in scripts that glue words, inside longer words:
        "国际空间站" in "在国际空间站上", "페레실드" in "페레실드는", "ناسا" in "وناسا"."""
        pattern, keys = self._glued
        found: list[Match] = []
        busy = [(m.start, m.end) for m in taken]
        for hit in pattern.finditer(text):
            start, end = hit.span()
            alias, slug = keys[_SEPARATED.sub("", hit.group())]
            if not _glued_bounds(text, start, end) or any(a < end and start < b for a, b in busy):
                continue
            if extra and extra.get(hit.group(), slug) != slug:
                continue
            match = Match(start, end, slug, hit.group())
            if not self._elsewhere(text, match):
                found.append(match)
                busy.append((start, end))
        return found

    def _in_longer_name(self, text: str, match: Match) -> bool:
        """Whether a person's name runs on into the name of something named after them:
        "Yuri Gagarin Cosmonaut Training Center", "Gagarin Street". A day or month, a
        function word or another alias after it leave the name as it is, and so does any
        word after a spelling with a case ending ("Schipenkos Film"). Topics are left to
        their ``not:`` lists ("Radio Sputnik", "Sputnik Srbija"): after a place or an
        organisation a capitalised word is as often a title ("NASA Administrator") or, in
        German, any noun ("Roskosmos Chef")."""
        if match.slug not in self.people or match.variant or text[match.end + 1:match.end + 2].islower():
            return False  # (a lower-case letter after the space is no capital: no search needed)
        after = _NEXT_CAPITALISED.match(text, match.end)
        return bool(after) and not _ordinary(after.group(1)) and not self._names_at(text, after.start(1))

    def _names_at(self, text: str, start: int) -> bool:
        """Whether an alias (as written) starts at ``start``: two names side by side."""
        token = _NEXT_TOKEN.match(text, start)
        return bool(token) and token.group(1) in self._trie

    def prepare(self) -> None:
        """Make the tables every text will need before workers fork, so that each builds
        none of them again: the folded keys when entities match variants, and the
        glued-script pattern, and the capitals trie (but for a site of tens of thousands of
        aliases, which may never need it and should not hold it twice)."""
        if self.variants:
            _ = self._folded, self._stems
        if len(self.aliases) <= 20_000:
            _ = self._capitals
        _ = self._glued

    def signature(self) -> dict[str, tuple[str, ...]]:
        """What decides the matches, entry by entry, to tell which texts a change can reach."""
        found: dict[str, tuple[str, ...]] = {alias: (slug,) for alias, slug in self.aliases.items()}
        for slug in self.variants:
            found["\x02" + slug] = ("variants",)
        for slug, phrases in self.negatives.items():
            found["\x01" + slug] = phrases
        for title, slug in self.titles.items():
            found["\x03" + title] = (slug,)
        return found

    def reaches(self, text: str, changed: list[str]) -> bool:
        """Whether ``text`` may match differently after the ``changed`` entries of ``signature``:
        it holds a changed alias as written, in capitals, or under its folded key."""
        if any(c[:1] in ("\x01", "\x02") for c in changed):
            return True  # a negative phrase or the variants switch changed: rare, and any text may be touched
        titles = [c[1:].casefold() for c in changed if c[:1] == "\x03"]
        if titles and any(t in text.casefold() for t in titles):
            return True
        changed = [c for c in changed if c[:1] != "\x03"]
        if any(c in text or c.upper() in text or _SEPARATED.sub("", c) in text for c in changed):
            return True
        firsts = {names.fold(words[0]) for c in changed if (words := _WORD.findall(c))}
        return any(not firsts.isdisjoint(names.keys(w)) for w in _CAPITALISED.findall(text))

    def find(self, text: str, extra: dict[str, str | None] | None = None, language: str = "") -> list[Match]:
        """Non-overlapping matches in ``text``, left to right, the longest alias first.

        ``extra`` holds per-article overrides: a spelling mapped to a slug adds or
        redirects that alias, mapped to None switches it off. Invisible characters
        (a zero-width space, a soft hyphen) do not hide a name: matching reads the text
        without them, and the matches' offsets are those of ``text``.
        """
        if text.isascii() or INVISIBLE.search(text) is None:
            return self._find(text, extra, language=language)
        visible, where = _without_invisible(text)
        return [m._replace(start=where[m.start], end=where[m.end - 1] + 1)
                for m in self._find(visible, extra, language=language)]

    def spans(self, text: str, extra: dict[str, str | None] | None = None, language: str = "") -> list[tuple[int, int]]:
        """Where ``text`` names an entity, and where an alias stands in a phrase that is
        not the entity ("Moscow time"): neither is a new name (for ``suggest``)."""
        rejected: list[tuple[int, int]] = []
        found = self._find(text, extra, rejected, language) if text.isascii() or INVISIBLE.search(text) is None \
            else self.find(text, extra, language)
        return sorted([(m.start, m.end) for m in found] + rejected)

    def _find(self, text: str, extra: dict[str, str | None] | None,
              rejected: list[tuple[int, int]] | None = None, language: str = "") -> list[Match]:
        local = _build_trie({k: v for k, v in extra.items() if v}) if extra else {}
        trie = self._trie
        # The regular expression skips, at C speed, every word whose first character
        # begins no alias (most words: names are capitalised); the rest is one lookup.
        starts = _word_starts({**trie, **local}) if local else self._starts
        matches: list[Match] = []
        # A match ends at a word boundary, where no word runs on: searching again from its
        # end finds the words a scan of the whole text would find after it, and skips those
        # inside it ("Volkov" in "Oleg Volkov") without a step in Python.
        position = 0
        while (word := starts.search(text, position)) is not None:
            start, position = word.span()
            token = word.group()
            capitals = token not in trie and token not in local
            if capitals and len(token) >= 4 and token.istitle() and token.upper() in trie \
                    and token.upper() in self.aliases and token.isalpha():
                # An acronym written as a word ("Nasa" for NASA), as some outlets style them.
                if not _glued_before(text, start) and _word_ends(text, position):
                    match = Match(start, position, self.aliases[token.upper()], token)
                    if not self._elsewhere(text, match):
                        matches.append(match)
                continue
            if capitals and not (len(token) > 1 and token.isupper() and token in self._capitals):
                continue
            if _glued_before(text, start):
                continue
            match = self._match_at(text, start, local, extra, self._capitals if capitals else None, token)
            if match and self._elsewhere(text, match):
                if rejected is not None:
                    rejected.append((match.start, match.end))
            elif match:
                matches.append(match)
                position = match.end
        plain = text.isascii()  # no glued script, no Cyrillic or Greek: known without a scan
        if self._glued is not None and not plain and _GLUED_SCRIPTS.search(text):
            matches = sorted(matches + self._scripted(text, matches, extra))
        if self._quoted is not None and _OPENING_QUOTE.search(text):
            matches = sorted(matches + self._in_quotes(text, matches, extra))
        lemmas = _lemmatised(language)
        if (self.variants or lemmas or not plain and names.other_script(text)) and self._folded:
            fuzzy = self._fuzzy(text, matches, extra, lemmas, rejected)
            if fuzzy:
                covered = [(m.start, m.end) for m in fuzzy]
                matches = sorted([m for m in matches if not any(a <= m.start and m.end <= b for a, b in covered)]
                                 + fuzzy)
        return matches

    def _match_at(self, text: str, start: int, local: dict, extra: dict | None,
                  trie: dict | None, token: str) -> Match | None:
        """The longest alias starting at ``start`` that is spelt exactly so in ``text``
        (in ``trie``, when that is not the aliases as written). ``token`` is the word at
        ``start``, the first token of the aliases as written that may start there."""
        spelt = self._spelt(token) if trie is None and not local else None
        if spelt is not None:
            hit = spelt[0].match(text, start)
            if hit is None:
                return self._other_case_at(text, start, extra)  # no alias of this word is spelt so here
            alias, end = hit.group(), hit.end()
            slug = spelt[1][alias]
            if _word_ends(text, end) and not (extra and alias in extra and extra[alias] != slug):
                return Match(start, end, slug, alias)
            # Rare: the longest spelling runs on into a word, or this article switched it
            # off; the walk below tries the shorter ones in the same order.
        candidates = _walk(trie or self._trie, text, start)
        if local:  # rare: an article's own spellings join the site's, longest first again
            candidates = sorted(candidates + _walk(local, text, start), key=lambda c: (-len(c[0]), c[0], c[1]))
        for alias, slug in candidates:
            if extra and alias in extra and extra[alias] != slug:
                continue  # switched off, or redirected by this article's own entry
            end = start + len(alias)
            if text.startswith(alias, start) and _word_ends(text, end):
                return Match(start, end, slug, alias)
        if trie is None:
            return self._other_case_at(text, start, extra)
        return None

    def _spelt(self, token: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
        """The aliases whose first token is the word ``token``, as one pattern and by slug
        (see ``_spelt_pattern``), made the first time a text has the word."""
        if token not in self._patterns:
            self._patterns[token] = _spelt_pattern(token, self._trie[token])
        return self._patterns[token]

    def _other_case_at(self, text: str, start: int, extra: dict | None) -> Match | None:
        """A name of several words written in another case than its alias ("Station Spatiale
        Internationale" for "Station spatiale internationale", "Stazione spaziale
        internazionale"): the first word as written, the rest in any case. Only aliases of
        two words or more that are not common words qualify ("The challenge" is no title)."""
        for alias, slug in _walk_any_case(self._trie, text, start):
            end = start + len(alias)
            written = text[start:end]
            if written.casefold() != alias.casefold() or not _word_ends(text, end) or not _caseless(alias):
                continue
            if extra and extra.get(written, slug) != slug:
                continue
            return Match(start, end, slug, written)
        return None

    def _fuzzy(self, text: str, taken: list[Match], extra: dict[str, str | None] | None,
               lemmas: str = "", rejected: list[tuple[int, int]] | None = None) -> list[Match]:
        """Matches by folded keys, for capitalised words that no alias matched (see the class)."""
        found: list[Match] = []
        busy = list(taken)
        resume = 0
        # Only capitalised words can start such a match: found at C speed (\\p{Lu}).
        for capital in _CAPITAL_WORD.finditer(text):
            start = capital.start()
            if start < resume or _glued_before(text, start) or any(m.start <= start < m.end for m in busy):
                continue
            match = self._fuzzy_at(text, start, capital.end(), capital.group(), lemmas)
            if match and extra and extra.get(match.spelling, match.slug) != match.slug:
                match = None  # the article maps this spelling elsewhere, or switches it off
            inside = [m for m in busy if m.start < match.end and match.start < m.end] if match else []
            # A longer spelling of the same entity takes in an exact match it covers:
            # "Julija Peresild" is one mention, not "Julija" and the alias "Peresild".
            if match and any(m.slug != match.slug or m.start < match.start or m.end > match.end for m in inside):
                match = None
            if match and self._elsewhere(text, match):
                if rejected is not None:  # "ora Moscovei": a time zone, and no new name either
                    rejected.append((match.start, match.end))
            elif match:
                found.append(match)
                busy = [m for m in busy if m not in inside] + [match]
                resume = match.end
        return found

    def _fuzzy_at(self, text: str, start: int, end: int, word: str, lemmas: str = "") -> Match | None:
        """The longest folded alias whose keys are those of the words from ``start`` on."""
        script = names.other_script(word)
        if not script and lemmas:
            # A dictionary form in the text's language (Polish "Rosji", Finnish "Venäjän")
            # is the word itself to the dictionary: any entity, no warning.
            found = self._by_lemma(text, start, end, word, lemmas)
            if found:
                return found
        firsts = names.keys(word) if script else _latin_keys(word)
        # A Latin case ending may replace a name's last vowel (Croatian "Šipenka" for
        # Šipenko): a word with an ending looks up the aliases by their stems too.
        # Only a person's name takes a case ending here: a place's would be its adjective
        # as often as its case ("Ruska", "Americană", "Ruský" are Russian, American).
        lookups = [(first, self._folded.get(first, ())) for first in firsts]
        if not script and len(firsts) > 1:
            lookups += [(first, self._stems.get(first, ())) for first in firsts[1:]]
        for first, entries in lookups:
            for entry in entries:
                if not script and entry.slug not in self.variants:
                    continue
                if entry.caps and not word.isupper():
                    continue
                person = entry.slug in self.people
                if not script and not person and first != firsts[0]:
                    continue
                keys_of = names.keys if script else _latin_keys if person else _latin_key
                last = _rest_matches(text, end, entry.keys, keys_of)
                if last is None or not _word_ends(text, last):
                    continue
                return Match(start, last, entry.slug, text[start:last], variant=not script)
        return None

    def _by_lemma(self, text: str, start: int, end: int, word: str, language: str) -> Match | None:
        """The longest alias whose words are the dictionary forms of the words from ``start`` on."""
        def keys_of(w: str) -> tuple[str, ...]:
            return (names.fold(w), *(names.fold(x) for x in names.latin_lemmas(w, language)))

        lemmas = names.latin_lemmas(word, language)
        for first in {names.fold(x) for x in lemmas}:
            for entry in self._folded.get(first, ()):
                if entry.caps:
                    continue
                last = _rest_matches(text, end, entry.keys, keys_of)
                if last is not None and _word_ends(text, last):
                    return Match(start, last, entry.slug, text[start:last])
        return None

    def _elsewhere(self, text: str, match: Match) -> bool:
        """Whether the words around ``match`` make it name something else: a time zone
        ("Moscow time"), or a phrase its entity lists under ``not:``."""
        if _TIME_AFTER.match(text, match.end) or _after_time_word(text, match.start):
            return True
        if self._in_longer_name(text, match):
            return True
        for phrase in self.negatives.get(match.slug, ()):
            window = text[max(0, match.start - len(phrase)):match.end + len(phrase)]
            offset = max(0, match.start - len(phrase))
            for found in re.finditer(re.escape(phrase), window, re.IGNORECASE):
                if offset + found.start() < match.end and match.start < offset + found.end():
                    return True
        return False


# A place named for its time zone is not the place: "Moscow time", "(Moscow Standard Time)",
# "Moskauer Zeit" is an adjective and never matches; "heure de Moscou", "ora di Mosca".
_TIME_AFTER = re.compile(r"[ \u00a0](?:[Ss]tandard |[Dd]aylight |[Ss]ummer |[Mm]ean )?[Tt]ime\b|[ \u00a0]Zeit\b"
                         r"|(?:时间|時間|标准时间|標準時| ?시간)")  # 莫斯科时间, モスクワ時間, 모스크바 시간
# Romanian puts the place in the genitive right after "ora" ("ora Moscovei"); machine
# translation writes "Time Moscou" and "Temps de Moscou".
_TIME_WORDS_BEFORE = ("heure de", "ora di", "hora de", "horário de", "ora", "time", "temps de")
_TIME_BEFORE = re.compile("(?:" + "|".join(f"\\b[{w[0].upper()}{w[0]}]{w[1:]} " for w in _TIME_WORDS_BEFORE) + ")$")
# How they end: most names follow no such ending, and need no search before them.
_TIME_BEFORE_ENDS = frozenset(w[-1] + " " for w in _TIME_WORDS_BEFORE)
_CAPITALISED = re.compile(r"\b[^\W\d_]\w*")
_NEXT_CAPITALISED = regex.compile(r"[ \u00a0](\p{Lu}[\w'’-]*)")
# Capitalised words after a person's name that leave it as it is: nationalities, days,
# months and abbreviations of time (function words come from text.py and stop-words).
_CALENDAR = frozenset("""
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    gmt utc bst msk edt est pdt pst cet cest
    """.split())


def _after_time_word(text: str, start: int) -> bool:
    """Whether a word for the time ends just before ``start`` ("heure de Moscou")."""
    # _TIME_BEFORE ends with "$", which also matches before one line break at the end.
    end = start - 1 if text[start - 1:start] == "\n" else start
    return text[max(0, end - 2):end] in _TIME_BEFORE_ENDS \
        and _TIME_BEFORE.search(text, max(0, start - 16), start) is not None


@functools.cache
def _all_stop_words() -> frozenset[str]:
    """The function words of every language stop-words knows ("En", "Os", "Negli", "und")."""
    return frozenset().union(*(_stop_words(code)[1] for code in sorted(stop_words.LANGUAGE_MAPPING)))


def _ordinary(word: str) -> bool:
    """A capitalised word that leaves a name next to it as it is (see ``_in_longer_name``)."""
    folded = word.casefold().rstrip("'’s")
    return (folded in _CALENDAR or folded in NATIONALITIES or word.casefold() in FUNCTION_WORDS
            or word.casefold() in _all_stop_words() or word.isupper() and len(word) <= 4 or not word[:1].isalpha())


@functools.lru_cache(maxsize=256)
def _lemmatised(language: str) -> str:
    """The language code whose dictionary forms the linker looks up ("" for none: English,
    or no language given)."""
    code = language.split("-")[0].lower()
    return "" if not code or code == "en" else code


def _latin_key(word: str) -> tuple[str, ...]:
    """A Latin word's key alone, without case endings (for places and organisations)."""
    return (names.fold(word),)


@functools.lru_cache(maxsize=65536)
def _latin_keys(word: str) -> tuple[str, ...]:
    """A Latin word's key, and its key without a case ending ("Schipenkos", Polish
    "Muskiem", Czech "Šipenkovi", Croatian "Klimom", Hungarian "Peresildnek"), longest
    stem first. Only entities with ``variants: true`` are looked up so, and each such
    spelling is reported."""
    key = names.fold(word)
    if word.casefold() in NATIONALITIES:
        return (key,)  # "Russian" is no case of Russia, nor "American" of America
    stems = [key[:-len(e)] for e in _ENDINGS if key.endswith(e) and len(key) - len(e) >= 3]
    return tuple(dict.fromkeys([key, *sorted(stems, key=len, reverse=True)]))


# Case endings of the languages that inflect names written in Latin letters (Polish,
# Czech, Slovak, Croatian, Serbian, Slovene, Hungarian, Finnish, Estonian, Baltic, German
# genitive), as ``names.fold`` writes them (y and j are i, w is v); and "-ová", which
# makes a woman's surname in Czech and Slovak ("Julija Peresildová").
_ENDINGS = tuple(sorted(set("""
    a u e i o m n s t om em im ou ovi iem ei ego emu ie ien iin nak nek val vel ot et rol ban ben ba be la le
    lla lle lta sta ssa ist ile iga ga ta as is us in ia na ksi nin nun ova ovou ove
    """.split()), key=lambda e: (-len(e), e)))


# What may stand between the words of a name: spaces, a hyphen, or a dot inside a
# designation ("Soyuz-2.1a", "Союз 2.1а").
_JOINS = re.compile(r"[ \u00a0]*-?[ \u00a0]*|\.")


def _rest_matches(text: str, end: int, keys: tuple[str, ...], keys_of=names.keys) -> int | None:
    """Where the name ends when the words after ``end`` carry ``keys[1:]``, separated by
    spaces, a hyphen or a designation's dot only; None otherwise."""
    for key in keys[1:]:
        following = _FOLLOWING_WORD.match(text, end)
        if following is None or not _JOINS.fullmatch(following.group(1)):
            return None
        found = keys_of(following.group(2))
        if key not in found and not (keys_of is _latin_keys and (_vowel_stem(key) in found[1:]
                                                                 or _swapped(key, found[0]))):
            return None
        end = following.end()
    return end


def _swapped(key: str, other: str) -> bool:
    """Two neighbouring letters swapped in a long surname after its first name ("Yulia
    Pereslid" for Peresild): a typist's slip, which the first name already vouches for."""
    if len(key) < 7 or len(key) != len(other) or key == other:
        return False
    diff = [i for i in range(len(key)) if key[i] != other[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and key[diff[0]] == other[diff[1]] \
        and key[diff[1]] == other[diff[0]]


def _vowel_stem(key: str) -> str | None:
    """A folded name without its last vowel, where a case ending may take its place."""
    return key[:-1] if len(key) >= 5 and key[-1] in "aeiou" else None


def _fold_table(aliases: dict[str, str]) -> dict[str, tuple[Folded, ...]]:
    """Aliases by the key of their first word, longest first; none too short to fold safely
    ("ISS" would fold to "is"), none already in another script's spelling only."""
    table: dict[str, list[Folded]] = {}
    for alias, slug in aliases.items():
        words = _WORD.findall(alias)
        keys = tuple(names.fold(w) for w in words)
        caps = alias.isupper()
        if not words or not all(keys) or len("".join(keys)) < (3 if caps else 4):
            continue
        table.setdefault(keys[0], []).append(Folded(keys, slug, alias, caps))
    return {first: tuple(sorted(set(entries), key=lambda e: (-len(e.keys), e.alias, e.slug)))
            for first, entries in sorted(table.items())}


# Scripts written without spaces between words (Han, kana), or with particles glued to
# nouns (Hangul): a Latin name written against them ("了NASA和") is still a word of its own.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD = re.compile(f"[^\\W{_CJK}]+|[{_CJK}]+")
_CAPITAL_WORD = regex.compile(f"(?<![^\\W{_CJK}])\\p{{Lu}}[^\\W{_CJK}]*")
_FOLLOWING_WORD = re.compile(f"(\\W*)([^\\W{_CJK}]+|[{_CJK}]+)")


def _without_invisible(text: str) -> tuple[str, list[int]]:
    """``text`` without INVISIBLE characters, and for each character left its offset in ``text``."""
    where = [i for i, char in enumerate(text) if not INVISIBLE.match(char)]
    return "".join(text[i] for i in where), where


def _word_starts(trie: dict) -> re.Pattern[str]:
    """A pattern for the words that begin with a character some alias begins with."""
    firsts = sorted({token[0] for token in trie if token})
    if not firsts:
        return re.compile(r"(?!)")  # matches nothing
    # The class first and the look-behind after it (over that character and the one
    # before): the search then skips at C speed to the next character of the class.
    return re.compile("[" + "".join(re.escape(c) for c in firsts) + f"](?<![^\\W{_CJK}].)[^\\W{_CJK}]*")


_TOKEN = re.compile(f"[^\\W{_CJK}]+|[{_CJK}]+|[^\\w\\s]")
_NEXT_TOKEN = re.compile(f"\\s*([^\\W{_CJK}]+|[{_CJK}]+|[^\\w\\s])")
_END = ""  # trie key under which a node keeps the aliases that end there


def _build_trie(aliases: dict[str, str]) -> dict:
    """Nested dicts keyed by alias tokens; ``node[_END]`` lists the (alias, slug) ending there,
    longest first (aliases of the same tokens differ only in spacing)."""
    root: dict = {}
    for alias, slug in aliases.items():
        node = root
        for token in _TOKEN.findall(alias):
            node = node.setdefault(token, {})
        ends = node.setdefault(_END, [])
        ends.append((alias, slug))
        ends.sort(key=lambda c: (-len(c[0]), c[0], c[1]))
    return root


# Aliases that begin with one word, tried by one pattern; a word that begins more is left
# to the trie walk, which costs the same however many there are.
_MOST_SPELT = 64
_PLAIN_WORD = re.compile(f"[^\\W{_CJK}]+")


def _spelt_pattern(token: str, node: dict) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The aliases below the trie ``node`` of ``token`` as one pattern, longest first, and
    each alias's slug: where the pattern matches, its text is the longest of them spelt
    exactly so. This is the alias ``_walk`` would choose, when a word boundary follows it.
    None for a token the walk reads otherwise (punctuation, or Han, kana and Hangul,
    which the walk reads as a whole run) and for a word that begins too many aliases."""
    if not _PLAIN_WORD.fullmatch(token):
        return None
    found: list[tuple[str, str]] = []
    todo = [node]
    while todo and len(found) <= _MOST_SPELT:
        below = todo.pop()
        found += below.get(_END, ())
        todo += [child for key, child in below.items() if key != _END]
    if len(found) > _MOST_SPELT:
        return None
    found.sort(key=lambda c: (-len(c[0]), c[0]))
    return re.compile("|".join(re.escape(alias) for alias, _ in found)), dict(found)


def _walk_any_case(trie: dict, text: str, position: int) -> list[tuple[str, str]]:
    """Like ``_walk``, but only the first token must be written as in the alias."""
    found: list[tuple[str, str]] = []
    token = _NEXT_TOKEN.match(text, position)
    node = trie.get(token.group(1)) if token else None
    while node is not None:
        position = token.end()
        token = _NEXT_TOKEN.match(text, position)
        if token is None:
            break
        wanted = token.group(1).casefold()
        node = next((child for key, child in node.items() if key and key.casefold() == wanted), None)
        if node is not None:
            found[:0] = node.get(_END, ())
    return found


@functools.lru_cache(maxsize=4096)
def _caseless(alias: str) -> bool:
    """Whether ``alias`` may match in another case: two words or more that are not English
    function words ("Station spatiale internationale" yes, "The Challenge" no)."""
    content = [w for w in _WORD.findall(alias) if w.casefold() not in _stop_words("en")[1] and not w.isdigit()]
    return len(content) >= 2 and not alias.isupper()


def _walk(trie: dict, text: str, position: int) -> list[tuple[str, str]]:
    """Every (alias, slug) whose tokens are the tokens of ``text`` from ``position`` on, longest first.

    Spaces between tokens are skipped here; the caller compares the exact spelling.
    """
    found: list[tuple[str, str]] = []
    node = trie
    while True:
        token = _NEXT_TOKEN.match(text, position)
        node = node.get(token.group(1)) if token else None
        if node is None:
            return found
        found[:0] = node.get(_END, ())  # deeper nodes hold longer aliases: they go first
        position = token.end()


_OPENING_QUOTES = "«„“\"‘'‚《『「‹"
_CLOSING_QUOTES = "»“”\"’'》』」›"
_OPENING_QUOTE = re.compile(f"[{_OPENING_QUOTES}]")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f]")
_HANGUL = re.compile("[\uac00-\ud7af]")
_GLUED_SCRIPTS = re.compile(f"[{_CJK}\u0600-\u06ff\u0750-\u077f]")
_NAME_DOTS = "·・∙•‧"  # between the parts of a name in Chinese and Japanese ("尤利娅·佩雷西尔德")
_SEPARATED = re.compile(f"[\\s{_NAME_DOTS}]+")
_ARABIC_PREFIXES = "وفبلك"  # and, so, with, to, like: written onto the next word


def _glued_bounds(text: str, start: int, end: int) -> bool:
    """Where a glued script's alias may start and end: anywhere in Han and kana; at a word's
    start in Hangul (particles follow); in Arabic script at a word's start or after one or
    two prefix letters, and at a word's end."""
    first = text[start]
    if _HANGUL.match(first):
        return start == 0 or not _HANGUL.match(text[start - 1])
    if _ARABIC_LETTER.match(first):
        before = start
        while before > 0 and start - before < 2 and text[before - 1] in _ARABIC_PREFIXES:
            before -= 1
        starts = before == 0 or not _ARABIC_LETTER.match(text[before - 1])
        return starts and (end == len(text) or not _ARABIC_LETTER.match(text[end]))
    return True


def _word_ends(text: str, end: int) -> bool:
    """Whether ``end`` is a word boundary ("Shipenko’s" yes, "Shipenkov" and "Shipenko-led" no)."""
    if end >= len(text):
        return True
    char = text[end]
    if char.isalnum() or char == "_":
        return _CJK_CHAR.match(char) is not None and _CJK_CHAR.match(text[end - 1]) is None
    if char == "-" and end + 1 < len(text) and text[end + 1].isalnum():
        # "Elon Musk-ekin" (Basque), "Cruise-n" (Finnish): a case ending after a hyphen
        # ends the name; so does another name ("Russia-United States") and a word that
        # makes an adjective of it ("Kremlin-friendly", "a Shipenko-led crew", German
        # "US-amerikanisch"), which still names it. A designation goes on ("MS-19",
        # "Soyuz-FG"): "Soyuz" is not the name there.
        # "Russia-U.S. talks": an abbreviation with its full stops is another name too.
        return text[end + 1].islower() or text[end + 1].isupper() and (text[end + 2:end + 3].islower()
                                                                        or text[end + 2:end + 3] == ".")
    return True


_WORD_BEFORE = re.compile(r"\w+$")


def _glued_before(text: str, start: int) -> bool:
    """"ex-Soviet": a word glued to the previous one by a hyphen is not a name of its own;
    nor is "@Roscosmos" or "#Roscosmos": a handle or a hashtag names an account, not the entity."""
    if start >= 1 and text[start - 1] in "@#＠":
        return True
    if not (start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()):
        return False
    # "Russia-United States": two names joined are each a name; "ex-Soviet" is not.
    before = _WORD_BEFORE.search(text, 0, start - 1)
    return not (before and before.group()[:1].isupper() and text[start:start + 1].isupper())


# --------------------------------------------------------------------------- the Treeprocessor


@dataclass
class LinkContext:
    """Per-document settings of the linker, and what it found."""

    self_slug: str | None = None
    overrides: dict[str, str | None] = field(default_factory=dict)
    collect: bool = False
    # Entities linked already on this page, when a page is made of several bodies
    # (the home page's facts, text and timeline): each is still linked only once.
    linked: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # entities whose first mention is recorded
    variants: set[tuple[str, str]] = field(default_factory=set)  # (slug, spelling) reported already
    language: str = ""  # the text's language, for its dictionary forms ("Rosji" is Rosja)


class EntityLinker(Treeprocessor):
    """Find mentions and link each entity's first linkable mention (see module docstring)."""

    def __init__(self, md, index: AliasIndex, urls: dict[str, str], base_path: str):
        super().__init__(md)
        self.index = index
        self.urls = urls  # slug -> site URL of the entity page
        self.base_path = base_path
        self.context = LinkContext()
        self.doc: Any = None  # the DocumentContext being converted, for warnings (set by the Renderer)

    def run(self, root: etree.Element) -> None:
        """One pass over the text nodes in document order: each is searched once, and
        its matches are both recorded as mentions and, the first time, linked."""
        if not self.index.aliases and not self.context.overrides and not self.context.collect:
            return  # nothing to link, and no passages wanted (a site with no people or topics yet)
        collect = self.context.collect
        nodes, passages = _text_nodes(root, collect)
        if collect:
            self.context.passages.extend(self._plain(text) if "\x02" in text else text for text in passages)
        linked = self.context.linked
        if self.context.self_slug:
            linked.add(self.context.self_slug)
        spans: dict[int, list[tuple[int, int]]] = {}
        find, overrides, language = self.index.find, self.context.overrides, self.context.language
        # Linking a node changes only that node's text (and adds links after it), so
        # every later node still holds the text it had when the list was made.
        for owner, child, text, linkable, where in nodes:
            matches = find(text, overrides, language)
            if not matches:
                continue
            if self.doc is not None:
                self._report_variants(matches)
            if where is not None:
                self._mentions(matches, passages, where, spans)
            if linkable:
                self._link(owner, child, text, matches, linked)

    def _report_variants(self, matches: list[Match]) -> None:
        """A warning for each spelling linked only as a variant, once per document."""
        for match in matches:
            if not match.variant or (match.slug, match.spelling) in self.context.variants:
                continue
            self.context.variants.add((match.slug, match.spelling))
            name, path = self.index.owners.get(match.slug, (match.slug, "its page"))
            self.doc.problems.append(warning(
                self.doc.path, self.doc.line_of(match.spelling),
                f"{quoted(match.spelling)} is linked to {name} as a variant spelling",
                f"if it is {name}, add it to 'aliases:' in {path}; if not, map it with 'links:' in this file "
                f"({match.spelling}: false) or list the phrase under 'not:' in {path}"))

    def _mentions(self, matches: list[Match], passages: list[str], where: tuple[int, int],
                  spans: dict[int, list[tuple[int, int]]]) -> None:
        """Record each match with the sentence of its passage around it."""
        number, offset = where
        text = passages[number]
        seen = self.context.seen
        for match in matches:
            if match.slug in seen:
                self.context.mentions.append(Mention(match.slug, match.spelling, "", ""))
                continue
            seen.add(match.slug)
            if number not in spans:
                spans[number] = sentence_spans(text)  # once per passage, for all its mentions
            before, spelling, after = excerpt(text, offset + match.start, offset + match.end, spans=spans[number])
            if "\x02" in before or "\x02" in after:
                before, after = self._plain(before), self._plain(after)
            self.context.mentions.append(Mention(match.slug, spelling, before, after))

    def _link(self, owner: etree.Element, child: etree.Element | None, text: str, matches: list[Match],
              linked: set[str]) -> None:
        """Link the first mentions in one text node (``owner.text``, or ``child.tail``)."""
        chosen = []
        for match in matches:
            if match.slug not in linked and match.slug in self.urls:
                linked.add(match.slug)
                chosen.append(match)
        if not chosen:
            return
        elements = []
        for i, match in enumerate(chosen):
            link = etree.Element("a", {"class": "entity", "href": self.base_path + self.urls[match.slug].lstrip("/")})
            link.text = AtomicString(match.spelling)
            link.tail = text[match.end: chosen[i + 1].start if i + 1 < len(chosen) else len(text)]
            elements.append(link)
        prefix = text[: chosen[0].start]
        if child is None:
            owner.text = prefix
            position = 0
        else:
            child.tail = prefix
            position = list(owner).index(child) + 1
        for offset, element in enumerate(elements):
            owner.insert(position + offset, element)

    def _plain(self, text: str) -> str:
        """Text with Python-Markdown's placeholders replaced by what they stand for."""
        def replace(match: re.Match[str]) -> str:
            if match.group(2):
                return chr(int(match.group(2)))
            stash = self.md.htmlStash.rawHtmlBlocks
            index = int(match.group(1))
            return html.unescape(str(stash[index])) if index < len(stash) else ""
        return _PLACEHOLDER.sub(replace, text)


# A text node to search: (element, None, ...) for an element's text, (parent, child, ...)
# for a child's tail; then its text, whether it may be linked, and (passage number,
# offset in that passage) when passages are wanted and it is part of one.
_TextNode = tuple[etree.Element, etree.Element | None, str, bool, tuple[int, int] | None]


def _text_nodes(root: etree.Element, passages: bool) -> tuple[list[_TextNode], list[str]]:
    """The text nodes of ``root`` in document order, but for code (and nodes without text
    or with atomic text), and, when ``passages``, the passage text of every block.

    Text in headings and links is not linkable (its mentions still count). A block's
    passage is its text with that of its inline elements, without nested blocks or code
    (``_passage_text``); blocks are numbered in document order. One walk makes both: a
    node's passage is its element's when that is a block, else the passage of the element
    around it, for an inline element (a container's text belongs to none).
    """
    nodes: list[_TextNode] = []
    texts: list[list[str]] = []  # the parts of each passage
    ends: list[int] = []  # the length of each passage so far
    todo: list[tuple[etree.Element, etree.Element | None, bool, int | None]] = [(root, None, True, None)]
    while todo:
        owner, child, linkable, number = todo.pop()
        if child is None:  # entering ``owner``: ``number`` is the passage around it
            tag = owner.tag
            if tag in NO_TEXT:
                if passages:  # blocks inside code keep their numbers (none in practice)
                    for block in owner.iter():
                        if block.tag in BLOCKS:
                            texts.append([_passage_text(block)])
                            ends.append(0)
                continue
            if not passages or tag in CONTAINERS:
                number = None
            elif tag in BLOCKS:
                number = len(texts)
                texts.append([])
                ends.append(0)
            linkable = linkable and tag not in NO_LINK
            text = owner.text
            # Children in reverse: each one's tail comes after everything inside it.
            for element in reversed(owner):
                todo.append((owner, element, linkable, number))
                todo.append((element, None, linkable, number))
        else:
            text = child.tail
        if not text:
            continue
        where = None
        if number is not None:
            where = (number, ends[number])
            texts[number].append(text)
            ends[number] += len(text)
        if not isinstance(text, AtomicString):
            nodes.append((owner, child, text, linkable, where))
    return nodes, ["".join(parts) for parts in texts]


def _passage_text(block: etree.Element) -> str:
    """A block's text with its inline elements, without nested blocks or code."""
    parts = [block.text or ""]
    for child in block:
        if child.tag not in BLOCKS and child.tag not in CONTAINERS and child.tag not in NO_TEXT:
            parts.append(_passage_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# --------------------------------------------------------------------------- validation


def build_index(site: Site, warnings: list[Problem] | None = None) -> AliasIndex:
    """The site's alias index; raise a ProjectError for conflicts and bad references.

    Warnings (citations of articles that are gone) are added to ``warnings``.
    """
    problems = index_problems(site)
    if any(p.is_error for p in problems):
        raise ProjectError(problems)
    if warnings is not None:
        warnings.extend(problems)
    return alias_index(site)


class _LastResult:
    """A function's result for the last inputs, recognised by identity. The site's people
    and topics are the very tuples of the last build after an edit that changed no person
    or topic (content._patched, in serve), and what is made of them alone took about 10 ms
    of every rebuild at 500 of them. The inputs are frozen, so the same objects give the
    same result."""

    def __init__(self) -> None:
        self.key: tuple = ()
        self.value: Any = None

    def get(self, key: tuple, make: Callable[[], Any]) -> Any:
        if not same_objects(key, self.key):
            self.key, self.value = (), None  # until made: a failure leaves no stale result
            self.value = make()
            self.key = key
        return self.value


_ENTITY_PROBLEMS = _LastResult()
_ALIAS_INDEX = _LastResult()


def index_problems(site: Site) -> list[Problem]:
    """Conflicting aliases and slugs, and references to entities or articles that do not exist."""
    return [*_ENTITY_PROBLEMS.get((site.people, site.topics, site.config), lambda: _check_entities(site)),
            *_check_references(site)]


def name_alias(name: str) -> str:
    """An entity's name as one of its aliases: without the punctuation at its ends that an
    alias may not have ("Martin Luther King Jr." is matched as "...Jr", "Yahoo!" as "Yahoo")."""
    return re.sub(r"^\W+|\W+$", "", name) or name


def alias_index(site: Site) -> AliasIndex:
    """Every alias of the site's entities (the first claim of a conflicting alias wins),
    with the entities that match variant spellings and the phrases each excludes. The last
    build's very index while its people and topics are the same objects: its tables (made
    by ``prepare``, 3 ms at 500 entities) come with it."""
    return _ALIAS_INDEX.get((site.people, site.topics), lambda: _alias_index(site))


def _alias_index(site: Site) -> AliasIndex:
    aliases: dict[str, str] = {}
    entities = entities_of(site)
    for entity in entities.values():
        for alias in (name_alias(entity.name), *entity.aliases):
            aliases.setdefault(alias, entity.slug)
    variants = {slug for slug, e in entities.items() if e.variants}
    negatives = {slug: e.negatives for slug, e in entities.items() if e.negatives}
    owners = {slug: (e.name, e.source.path) for slug, e in entities.items() if e.variants}
    people = {slug for slug, e in entities.items() if e.kind == "person"}
    titles = {title: slug for slug, e in entities.items() for title in e.titles}
    return AliasIndex(aliases, variants, negatives, owners, people, titles)


def entities_of(site: Site) -> dict[str, Entity]:
    """People and topics by slug (unique across both, which ``build_index`` checks)."""
    return {e.slug: e for e in sorted((*site.people, *site.topics), key=lambda e: e.source.path)}


def _check_entities(site: Site) -> list[Problem]:
    """Two entities with one slug, aliases claimed twice or looking alike, aliases that cannot match."""
    problems: list[Problem] = []
    slugs: dict[str, Entity] = {}
    owners: dict[str, Entity] = {}
    titles: dict[str, Entity] = {}
    looks: dict[str, tuple[str, Entity, str]] = {}
    for entity in sorted((*site.people, *site.topics), key=lambda e: e.source.path):
        other = slugs.setdefault(entity.slug, entity)
        if other is not entity:
            problems.append(error(entity.source.path, entity.source.line("slug"),
                                  f"the slug '{entity.slug}' is already used by {other.source.path}",
                                  "people and topics share one set of slugs; rename one file or set 'slug:'"))
        for key, alias in [("name", name_alias(entity.name))] + [(f"aliases[{i}]", a)
                                                                 for i, a in enumerate(entity.aliases)]:
            problems += _alias_problems(entity, key, alias, owners, looks, site.config.language)
        for i, title in enumerate(entity.titles):
            owner = titles.setdefault(title.casefold(), entity)
            if owner.slug != entity.slug:
                problems.append(error(entity.source.path, entity.source.line(f"titles[{i}]"),
                                      f"title {quoted(title)} is also claimed by {owner.source.path}",
                                      "a title can name one entity only; remove it from one file"))
    return sorted(set(problems))


def _alias_problems(entity: Entity, key: str, alias: str, owners: dict[str, Entity],
                    looks: dict[str, tuple[str, Entity, str]], language: str) -> list[Problem]:
    """What is wrong with one alias: its shape, another entity's claim or look-alike, a common word."""
    path, line = entity.source.path, entity.source.line(key)
    if not _ALIAS_SHAPE.fullmatch(alias):
        return [error(path, line, f"alias {shown(alias)} must start and end with a letter or digit",
                      "leave quotes and punctuation out of aliases")]
    owner = owners.setdefault(alias, entity)
    if owner.slug != entity.slug:
        return [error(path, line, f"alias {quoted(alias)} is also claimed by {owner.source.path}",
                      "an alias can name one entity only; remove it from one file, or map it for one article "
                      "with 'links:' in that article")]
    problems = []
    twin = looks.setdefault(_look(alias), (alias, entity, key))
    if twin[1].slug != entity.slug:
        problems.append(_look_alike((alias, entity, key), twin))
    if word := common_word(alias, language):
        what = (f"a common {word} word: it would link that word" if len(alias.split()) == 1
                else f"made of common {word} words: it would link them")
        problems.append(error(path, line, f"alias {quoted(alias)} is {what} in every article",
                              "list longer spellings (a full name), or map the word for one article with 'links:' "
                              "in that article"))
    return problems


def _look_alike(one: tuple[str, Entity, str], other: tuple[str, Entity, str]) -> Problem:
    """The error for two entities' aliases that look the same, on the one with the odd character."""
    if _odd_character(one[0]) or not _odd_character(other[0]):
        odd, plain = one, other
    else:
        odd, plain = other, one
    alias, entity, key = odd
    return error(entity.source.path, entity.source.line(key),
                 f"alias {quoted(alias)} looks the same as {quoted(plain[0])} of {plain[1].source.path}, but "
                 f"holds {_odd_character(alias) or 'a different character'}",
                 "retype it with plain letters and spaces; two entities cannot share a spelling")


def _odd_character(alias: str) -> str:
    """The first character of ``alias`` that changes its look when folded ("U+00A0 (NO-BREAK SPACE)"), or ""."""
    for char in alias:
        if char != " " and (char.isspace() or INVISIBLE.match(char) or unicodedata.normalize("NFKC", char) != char):
            return describe_char(char)
    return ""


def _look(alias: str) -> str:
    """What an alias looks like on a page: compatibility forms folded (NFKC), every run of
    space-like characters one space, invisible characters gone."""
    return " ".join(INVISIBLE.sub("", unicodedata.normalize("NFKC", alias)).split())


@functools.lru_cache(maxsize=8)
def _stop_words(language: str) -> tuple[str, frozenset[str]]:
    """(language name, its function and very common words) from the stop-words package;
    no words for a language it does not know."""
    code = language.split("-")[0].split("_")[0].lower()
    try:
        words = stop_words.get_stop_words(code)
    except stop_words.StopWordError:
        return "", frozenset()
    words = [*words, *_MODERN_GREEK.split()] if code == "el" else words
    return stop_words.LANGUAGE_MAPPING.get(code, code).capitalize(), frozenset(w.casefold() for w in words)


# stop-words' Greek list is Ancient Greek (οἱ, οὐκ, οὖν): the articles, prepositions and
# conjunctions of the modern language, which news is written in, are added here.
_MODERN_GREEK = """
    ο η το οι τα του της των τον την τους τις στο στη στην στον στα στις στους στης στου
    ένας μια μία ένα ενός μιας και κι με σε για από που ως θα να δεν μην ή αλλά όμως ότι πως
    """


def common_word(alias: str, language: str) -> str:
    """The language's name when ``alias`` is one of its common words ("The", "in", "in the"),
    else "". Acronyms ("US", "IT") and names that merely contain such words ("The Who") are
    not: aliases are matched case-sensitively, so only those spellings would be linked."""
    name, words = _stop_words(language)
    parts = alias.split()
    if not words or (alias.isupper() and len(alias) > 1):
        return ""
    if len(parts) > 1 and not alias.islower():
        return ""
    return name if all(part.casefold() in words for part in parts) else ""


def _check_references(site: Site) -> list[Problem]:
    """``people``, ``topics`` and ``links`` entries of articles must name existing entities."""
    people = {e.slug for e in site.people}
    topics = {e.slug for e in site.topics}
    problems: list[Problem] = []
    articles = {a.slug for a in site.articles}
    drafts = {path.rsplit("/", 1)[-1].removesuffix(".md") for path in site.drafts
              if path.startswith("content/articles/")}
    for owner, key, records in _sourced(site):
        for i, record in enumerate(records):
            for slug in record.sources:
                if slug in drafts:  # left out of this build with its article; shown again once published
                    problems.append(warning(owner.source.path, owner.source.line(f"{key}[{i}]"),
                                            f"{key}: item {i + 1} cites the article '{slug}', which is a draft; "
                                            "the citation is left out until it is published",
                                            "remove 'draft: true' there, or build with --drafts"))
                    continue
                if slug not in articles:
                    problems.append(_missing(owner.source.path, owner.source.line(f"{key}[{i}]"), slug, articles,
                                             f"{key}: item {i + 1} cites the article"))
    for article in site.articles:
        src = article.source
        for i, slug in enumerate(article.people):
            problems += _reference(src.path, _item_line(article, "people", i), slug, people, topics, "person", "people")
        for i, slug in enumerate(article.topics):
            problems += _reference(src.path, _item_line(article, "topics", i), slug, topics, people, "topic", "topics")
        for spelling, slug in article.links:
            if slug is not None and slug not in people | topics:
                problems.append(_missing(src.path, src.line(f"links.{spelling}"), slug, people | topics,
                                         f"links: '{spelling}' points to"))
    return problems


def _sourced(site: Site) -> list[tuple[Any, str, tuple]]:
    """(owner, key, records) of every list whose records cite articles by slug."""
    found: list[tuple[Any, str, tuple]] = []
    if site.home:
        found.append((site.home, "facts", site.home.facts))
    if site.timeline:
        found.append((site.timeline, "events", site.timeline.events))
    return found


def _item_line(article: Article, key: str, index: int) -> int:
    """The line of a list item, or of its key when the list was written as one value."""
    lines = article.source.lines
    return lines.get(f"{key}[{index}]", lines.get(key, 1))


def _reference(path: str, line: int, slug: str, wanted: set[str], other: set[str], kind: str,
               other_key: str) -> list[Problem]:
    if slug in wanted:
        return []
    if slug in other:
        key = "topics" if other_key == "people" else "people"
        return [error(path, line, f"'{slug}' is not a {kind}", f"list it under '{key}:' instead of '{other_key}:'")]
    return [_missing(path, line, slug, wanted, f"{other_key}: lists")]


def _missing(path: str, line: int, slug: str, known: set[str], what: str) -> Problem:
    close = difflib.get_close_matches(slug, sorted(known), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    if "cites the article" in what:  # the fact stands; only the citation goes
        return warning(path, line, f"{what} '{slug}', which does not exist; the citation is left out",
                       hint + "use the article's slug, its file name without .md")
    return error(path, line, f"{what} '{slug}', which has no page",
                 hint + "create it with: python build.py new person|topic \"Name\", or fix the slug")


# --------------------------------------------------------------------------- what mentions feed


@dataclass(frozen=True)
class Backlink:
    """An article that mentions an entity: its first mention and every spelling it used."""

    article: Teaser  # what the entity's page shows of the article: an edit to its text leaves this equal
    mention: Mention | None  # None when only the article's front matter associates them, or the entity's page cites it
    spellings: tuple[str, ...]
    cited: bool = False  # the entity's own page cites this article (a footnote), though the text may not name it


@dataclass(frozen=True)
class Linked:
    """The site with bodies converted and cross-links derived."""

    site: Site
    bodies: dict[str, str]  # page URL -> HTML of its Markdown body
    entities: dict[str, Entity]  # slug -> entity
    mentions: dict[str, tuple[Mention, ...]]  # article URL -> mentions in document order
    passages: dict[str, tuple[str, ...]]  # article URL -> plain text of each passage
    article_entities: dict[str, tuple[str, ...]]  # article URL -> slugs, by name
    article_named: dict[str, tuple[Entity, ...]]  # article URL -> those entities
    backlinks: dict[str, tuple[Backlink, ...]]  # slug -> articles, in article order
    co_mentions: dict[str, tuple[tuple[str, int], ...]]  # slug -> (slug, shared articles)
    related: dict[str, tuple[tuple[Teaser, int], ...]]  # article URL -> (teaser of another, shared entities)
    feed_bodies: dict[str, str] = field(default_factory=dict)  # newest articles, absolute links
    warnings: tuple[Problem, ...] = ()  # found while converting bodies
    teasers: dict[str, Teaser] = field(default_factory=dict)  # article URL -> what other pages show of it


class DeriveCache:
    """What ``derive`` worked out in the last build, reused for articles that did not change."""

    def __init__(self) -> None:
        self.articles: dict[str, tuple[tuple, tuple[str, ...], tuple[tuple[str, Backlink], ...]]] = {}
        self.names: tuple[tuple[str, str, str, str], ...] = ()  # what article pages show of each entity
        self.backlinks: dict[str, tuple[Backlink, ...]] = {}
        self.changes = 0  # builds that recomputed anything since the cache was made
        self.co_mentions: dict[str, tuple[tuple[str, int], ...]] = {}
        self.related = RelatedCache()
        self.teasers: dict[str, tuple[Article, Teaser]] = {}  # article URL -> (article, its teaser)


def derive(site: Site, bodies: dict[str, str], mentions: dict[str, tuple[Mention, ...]],
           passages: dict[str, tuple[str, ...]], warnings: tuple[Problem, ...] = (),
           feed_bodies: dict[str, str] | None = None, cache: DeriveCache | None = None,
           cites: dict[str, tuple[str, ...]] | None = None) -> Linked:
    """Backlinks, co-mentions and related articles from the mentions of every article.

    A report counts for an entity when its text names it, when its front matter
    associates them, or when the entity's own page cites it (``cites``: entity URL ->
    the article URLs its body links to), so that no page shows a count its own
    footnotes contradict. With a ``cache``, work is redone only for articles whose
    mentions or associations changed, and for the entities and articles those changes
    can reach.
    """
    entities = entities_of(site)
    # What article pages show of an entity; while it stays the same, so do their entries.
    names = tuple((slug, e.name, e.kind, e.category) for slug, e in entities.items())
    per_article: dict[str, tuple[str, ...]] = {}
    named: dict[str, tuple[Entity, ...]] = {}
    backlinks: dict[str, list[Backlink]] = {slug: [] for slug in entities}
    previous = cache.articles if cache and cache.names == names else {}
    current: dict[str, tuple[tuple, tuple[str, ...], tuple[tuple[str, Backlink], ...]]] = {}
    teasers = _teasers(site.articles, cache)
    for article in site.articles:
        key = (article, mentions[article.url])
        cached = previous.get(article.url)
        entry = cached if cached is not None and cached[0] == key else \
            _article_links(article, teasers[article.url], key, entities)
        current[article.url] = entry
        per_article[article.url] = entry[1]
        named[article.url] = entry[3]
        for slug, backlink in entry[2]:
            backlinks[slug].append(backlink)
    _add_citations(site, entities, backlinks, cites or {}, named, teasers)
    changed_slugs = _changed_slugs(previous, current) if cache and previous else None
    co = _co_mentions(per_article, entities, cache.co_mentions if cache else None, changed_slugs)
    lists = _same_tuples(backlinks, cache.backlinks if cache else {})
    if cache is not None:
        if any(current[url] is not previous.get(url) for url in current) or previous.keys() != current.keys():
            cache.changes += 1
        cache.articles, cache.co_mentions, cache.names, cache.backlinks = current, co, names, lists
    return Linked(
        site=site, bodies=bodies, entities=entities, mentions=mentions, passages=passages,
        article_entities=per_article, article_named=named,
        backlinks=lists,
        co_mentions=co,
        related=_related(site.articles, per_article, teasers, cache=cache.related if cache else None),
        teasers=teasers,
        feed_bodies=feed_bodies or {},
        warnings=warnings,
    )


def _add_citations(site: Site, entities: dict[str, Entity], backlinks: dict[str, list[Backlink]],
                   cites: dict[str, tuple[str, ...]], named: dict[str, tuple[Entity, ...]],
                   teasers: dict[str, Teaser]) -> None:
    """The articles an entity's page cites and that do not name it, added to its backlinks
    in article order (each the same object from build to build, for the render cache),
    and the entity to what those articles' pages list: the link goes both ways."""
    order = {a.url: i for i, a in enumerate(site.articles)}
    by_url = {a.url: a for a in site.articles}
    for slug, entity in entities.items():
        cited = cites.get(entity.url)
        if not cited:
            continue  # most entities cite nothing: no need to list what names them
        listed = {b.article.url for b in backlinks[slug]}
        extra = [url for url in cited if url not in listed and url in by_url]
        if extra:
            backlinks[slug] = sorted(backlinks[slug] + [_citation(teasers[url]) for url in extra],
                                     key=lambda b: order[b.article.url])
        for url in extra:
            named[url] = tuple(sorted((*named[url], entity), key=lambda e: (e.name.lower(), e.slug)))


@functools.lru_cache(maxsize=4096)
def _citation(shown: Teaser) -> Backlink:
    return Backlink(shown, None, (), cited=True)


def _teasers(articles: tuple[Article, ...], cache: DeriveCache | None) -> dict[str, Teaser]:
    """Each article's teaser (URL -> teaser): the last build's very object while the article
    is the same object, or while its new teaser equals the old one (an edit to the text only)."""
    previous = cache.teasers if cache is not None else {}
    kept: dict[str, tuple[Article, Teaser]] = {}
    for article in articles:
        before = previous.get(article.url)
        if before is None or before[0] is not article:
            made = teaser(article)
            before = (article, before[1] if before is not None and before[1] == made else made)
        kept[article.url] = before
    if cache is not None:
        cache.teasers = kept
    return {url: shown for url, (_, shown) in kept.items()}


def _article_links(article: Article, shown: Teaser, key: tuple, entities: dict[str, Entity]) -> tuple:
    """An article's entities, in name order, the backlink it gives each (showing ``shown``, the
    article's teaser), and the entities themselves."""
    found = key[1]
    slugs = _article_slugs(article, found, entities)
    links = []
    for slug in slugs:
        own = [m for m in found if m.slug == slug]
        links.append((slug, Backlink(shown, own[0] if own else None, tuple(sorted({m.spelling for m in own})))))
    return key, slugs, tuple(links), tuple(entities[s] for s in slugs)


def _same_tuples(lists: dict[str, list], previous: dict[str, tuple]) -> dict[str, tuple]:
    """Each list as a tuple: the last build's tuple when it holds the very same items.

    The renderer compares a page's inputs with the last build's; identical tuples
    compare at once, equal ones item by item.
    """
    result = {}
    for key, items in lists.items():
        before = previous.get(key)
        result[key] = before if before is not None and same_objects(before, items) else tuple(items)
    return result


def _changed_slugs(previous: dict, current: dict) -> set[str]:
    """Entities named by an article that was added, removed or changed (before or after)."""
    changed: set[str] = set()
    for url in previous.keys() | current.keys():
        before, after = previous.get(url), current.get(url)
        if before is None or after is None or before[1] != after[1]:
            changed.update(before[1] if before else (), after[1] if after else ())
    return changed


def _article_slugs(article: Article, mentions: tuple[Mention, ...], entities: dict[str, Entity]) -> tuple[str, ...]:
    slugs = {m.slug for m in mentions} | set(article.people) | set(article.topics)
    return tuple(sorted((s for s in slugs if s in entities), key=lambda s: (entities[s].name.lower(), s)))


def _co_mentions(per_article: dict[str, tuple[str, ...]], entities: dict[str, Entity],
                 previous: dict | None = None, changed: set[str] | None = None,
                 most: int = 8) -> dict[str, tuple[tuple[str, int], ...]]:
    """For each entity, the others named in the same articles, most shared first.

    Given the last build's result, only the entities named by changed articles are
    counted again (and all of them when entities themselves changed).
    """
    if previous is None or changed is None or previous.keys() != entities.keys():
        todo = set(entities)
    else:
        todo = changed | {s for s, items in previous.items() if any(o not in entities for o, _ in items)}
    counts: dict[str, Counter[str]] = {slug: Counter() for slug in todo}
    for slugs in per_article.values():
        for slug in slugs:
            if slug in counts:
                counts[slug].update(s for s in slugs if s != slug)
    result = {}
    for slug in entities:
        if slug in counts:
            items = sorted(counts[slug].items(), key=lambda item: (-item[1], entities[item[0]].name.lower(), item[0]))
            result[slug] = tuple(items[:most])
        else:
            result[slug] = previous[slug]
    return result


class RelatedCache:
    """The related articles of the last build, so a build recounts only the articles a change can move.

    An article's related list depends on its own entities and on those of every
    article sharing one with it; articles that share no entity with a changed article
    keep their list.
    """

    def __init__(self) -> None:
        self.slugs: dict[str, tuple[str, ...]] = {}
        self.order: dict[str, tuple] = {}
        self.related: dict[str, tuple[tuple[str, int], ...]] = {}
        self.objects: dict[str, Article] = {}  # the article objects the lists below hold
        self.lists: dict[str, tuple[tuple[Teaser, int], ...]] = {}
        self.holders: dict[str, set[str]] = {}  # article URL -> URLs whose list holds it


def _related(articles: tuple[Article, ...], per_article: dict[str, tuple[str, ...]],
             teasers: dict[str, Teaser] | None = None, most: int = 4,
             cache: RelatedCache | None = None) -> dict[str, tuple[tuple[Teaser, int], ...]]:
    """Articles sharing the most entities with each article; ties by date, then URL.

    In date-then-URL order, an article's position is its tie-break.
    """
    if teasers is None:
        teasers = {a.url: teaser(a) for a in articles}
    if cache is not None and _same_structure(articles, per_article, cache):
        return _renew_lists(articles, teasers, cache)
    order = {a.url: article_order(a) for a in articles}
    articles = tuple(sorted(articles, key=lambda a: order[a.url]))
    rank = {a.url: i for i, a in enumerate(articles)}
    posting: dict[str, list[int]] = {}
    for article in articles:
        for slug in per_article[article.url]:
            posting.setdefault(slug, []).append(rank[article.url])
    todo = _affected(articles, per_article, order, posting, cache) if cache else set(rank)
    result: dict[str, tuple[tuple[str, int], ...]] = {}
    for article in articles:
        url = article.url
        result[url] = _rank_related(rank[url], per_article[url], posting, articles, most) if url in todo \
            else cache.related[url]
    by_url = {a.url: a for a in articles}
    # A list is made again when it changed, or holds an article that is a new object now.
    renewed = {a.url for a in articles if cache is None or cache.objects.get(a.url) is not a}
    lists = {}
    for url, items in result.items():
        previous = cache.lists.get(url) if cache else None
        if previous is not None and url not in todo and not any(other in renewed for other, _ in items):
            lists[url] = previous
        else:
            lists[url] = tuple((teasers[other], n) for other, n in items)
    if cache is not None:
        cache.slugs, cache.order, cache.related = dict(per_article), order, result
        cache.objects, cache.lists = by_url, lists
        cache.holders = {}
        for url, items in result.items():
            for other, _ in items:
                cache.holders.setdefault(other, set()).add(url)
    return lists


def _same_structure(articles: tuple[Article, ...], per_article: dict[str, tuple[str, ...]],
                    cache: RelatedCache) -> bool:
    """Whether only article objects changed since the last build, not what related lists rank by."""
    if len(articles) != len(cache.objects):
        return False
    for article in articles:
        slugs, before = per_article[article.url], cache.slugs.get(article.url)
        if before is not slugs and before != slugs:
            return False  # an article's entities changed (also when only another page changed)
        earlier = cache.objects.get(article.url)
        if earlier is not article and (earlier is None or cache.order[article.url] != article_order(article)):
            return False
    return True


def _renew_lists(articles: tuple[Article, ...], teasers: dict[str, Teaser],
                 cache: RelatedCache) -> dict[str, tuple[tuple[Teaser, int], ...]]:
    """The last build's lists, with new teasers put into the lists that hold the changed articles."""
    renewed = [a for a in articles if cache.objects[a.url] is not a]
    if renewed:
        cache.objects = {a.url: a for a in articles}
        lists = dict(cache.lists)
        for article in renewed:
            for holder in cache.holders.get(article.url, ()):
                lists[holder] = tuple((teasers[other], n) for other, n in cache.related[holder])
        cache.lists = lists
    return cache.lists


def _rank_related(me: int, slugs: tuple[str, ...], posting: dict[str, list[int]], articles: tuple[Article, ...],
                  most: int) -> tuple[tuple[str, int], ...]:
    """The ``most`` articles sharing most entities with article number ``me``."""
    shared = Counter(itertools.chain.from_iterable(posting[slug] for slug in slugs))
    shared.pop(me, None)
    # One integer per candidate orders by count (descending), then by position; map and
    # sorted do the per-candidate work in C, which matters with thousands of candidates.
    size = len(articles) + 1
    keys = sorted(map(operator.sub, shared.keys(), map(operator.mul, shared.values(), itertools.repeat(size))))
    return tuple((articles[key % size].url, -(key // size)) for key in keys[:most])


def _affected(articles: tuple[Article, ...], per_article: dict[str, tuple[str, ...]], order: dict[str, tuple],
              posting: dict[str, list[int]], cache: RelatedCache) -> set[str]:
    """URLs whose related list may differ from the last build's."""
    changed = {a.url for a in articles if cache.slugs.get(a.url) != per_article[a.url]
               or cache.order.get(a.url) != order[a.url]}
    changed |= set(cache.slugs) - set(per_article)
    touched = {slug for url in changed for slug in (*cache.slugs.get(url, ()), *per_article.get(url, ()))}
    affected = {articles[i].url for slug in touched for i in posting.get(slug, ())}
    return (affected | changed) & set(per_article)
