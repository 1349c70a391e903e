"""Suggest stage: names in articles that no person or topic page covers yet.

Two lists for editors: capitalised names without a page (skipping words that are only
capitalised because they start a sentence), and spellings close to an alias that
exists already (edit distance, or the same name under another transliteration), which
most likely belong in that entity's ``aliases``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from anyascii import anyascii

from .linking import AliasIndex, Linked
from .model import Article

_TOKEN = re.compile(r"[^\W_][\w’'-]*")
_POSSESSIVE = re.compile(r"(?:['’]s?|-)$")
# Lower-case words allowed inside a name ("White Sun of the Desert", "Vasco da Gama").
_CONNECTORS = frozenset("of the de da do dos du von van der den al bin y la le".split())
# Words capitalised because they start a sentence or a title; never the start of a name.
_FUNCTION_WORDS = frozenset("""
    a an the in on at for but and or as after before while when with from by to of this that these those
    it its he she they we i you his her their our there here if then so yet also however meanwhile
    therefore according such other modern taking during since until once both each every all some many
    most more one two three four five first second last next new what which who whom whose why how
    later earlier now today yesterday tomorrow still even just only instead indeed thus hence besides
    moreover furthermore nevertheless nonetheless although though because despite unlike like among
    between under over above below without within into onto upon across along around behind beyond near
    not no yes us my your let do does did is are was were be been has have had will would can could
    should must might shall where whether either neither nor than rather almost already again ever never
    mr ms mrs dr
    """.split())
# Capitalised words that are not names on their own: days, months, nationalities.
_NOT_NAMES = _FUNCTION_WORDS | frozenset("""
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december
    russian russians american americans british french japanese kazakh european chinese german soviet
    """.split())
# After a nationality, these words make a name of their own ("Soviet Union").
_NAME_HEADS = frozenset("union federation republic empire army navy academy government".split())


@dataclass(frozen=True)
class Place:
    """Where a candidate name occurs: an article file and the line of its first occurrence there."""

    path: str
    line: int


@dataclass(frozen=True)
class Suggestion:
    """A name without a page, with where it occurs, and the alias it is close to (if any)."""

    name: str
    places: tuple[Place, ...]
    count: int
    close_to: str = ""  # an existing alias this looks like a spelling of
    close_owner: str = ""  # the file of the entity that alias belongs to


def suggest(linked: Linked, index: AliasIndex) -> list[Suggestion]:
    """Every unlinked capitalised name in the articles, most frequent first."""
    counts: dict[str, int] = defaultdict(int)
    places: dict[str, dict[str, Place]] = defaultdict(dict)
    passages = [(a, p) for a in linked.site.articles for p in linked.passages[a.url]]
    common = frozenset(w for _, p in passages for w in _TOKEN.findall(p) if w.islower())
    for article, passage in passages:
        for name in candidate_names(passage, index, dict(article.links), common):
                counts[name] += 1
                places[name].setdefault(article.url, _place(article, name))
    owners = {alias: linked.entities[slug].source.path for alias, slug in index.aliases.items()}
    close = _CloseSpellings(index.aliases)
    result = []
    for name, count in counts.items():
        alias = close.find(name)
        result.append(Suggestion(name, tuple(sorted(places[name].values(), key=lambda p: (p.path, p.line))),
                                 count, alias, owners.get(alias, "")))
    return sorted(result, key=lambda s: (-s.count, s.name))


def candidate_names(text: str, index: AliasIndex, overrides: dict[str, str | None] | None = None,
                    common: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised names in one passage that no alias covers.

    ``common`` holds words seen in lower case elsewhere: one of them capitalised on its
    own ("Actress Yulia Peresild") is a title or a noun, not a name.
    """
    covered = [(m.start, m.end) for m in index.find(text, overrides)]
    names = []
    for run in _runs(text):
        words = [(s, e, w) for s, e, w in run if not any(a <= s < b for a, b in covered)]
        for part in _split_at_gaps(words, run):
            name = _clean(part, text, common)
            if name and name.lower() not in common and name.lower() not in _NOT_NAMES:
                names.append(name)
    return names


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Maximal runs of capitalised words (connectors allowed inside), as (start, end, word)."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for token in _TOKEN.finditer(text):
        word = _POSSESSIVE.sub("", token.group())
        if re.search(r"-[a-z]+$", word):  # "Soviet-designed", "US-based": adjectives, not names
            word = ""
        start, end = token.start(), token.start() + len(word)
        joined = current and text[current[-1][1]:start] == " "
        if word[:1].isupper() or (joined and (word in _CONNECTORS or word.isdigit())):
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


def _trim_connectors(run: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    while run and not run[-1][2][:1].isupper():
        run = run[:-1]
    return run


def _split_at_gaps(words: list[tuple[int, int, str]], run: list[tuple[int, int, str]]) -> list[list]:
    """Pieces of a run left between the words an alias covered."""
    pieces: list[list] = [[]]
    kept = {w[0] for w in words}
    for word in run:
        if word[0] in kept:
            pieces[-1].append(word)
        elif pieces[-1]:
            pieces.append([])
    return [_trim_connectors(p) for p in pieces if p]


def _clean(words: list[tuple[int, int, str]], text: str, common: frozenset[str]) -> str:
    """The name a run stands for, or "" when it is sentence-start noise or not a name.

    Leading function words go ("The Soviets" -> "Soviets"), and so do leading words
    seen in lower case ("Actress Yulia Peresild") and nationalities, unless a word such
    as "Union" follows and makes them part of the name.
    """
    while len(words) > 1 and _leading_noise(words, common):
        words = words[1:]
    if words and words[0][2].lower() in _FUNCTION_WORDS:
        words = words[1:]
    words = _trim_connectors(words)
    if not words or (len(words) == 1 and len(words[0][2]) < 2):
        return ""
    if len(words) == 1 and _starts_sentence(text, words[0][0]):
        return ""  # "Meanwhile", "Space is appealing": capitalised only by position
    return text[words[0][0]:words[-1][1]]


def _leading_noise(words: list[tuple[int, int, str]], common: frozenset[str]) -> bool:
    first, second = words[0][2].lower(), words[1][2].lower()
    if first in _NOT_NAMES - _FUNCTION_WORDS:
        return second not in _NAME_HEADS
    return first in _FUNCTION_WORDS or first in common


def _starts_sentence(text: str, start: int) -> bool:
    """At the start of the passage, after closing punctuation, or opening a quotation."""
    before = text[:start].rstrip(" ")
    return not before or before[-1] in ".!?:;…“\"‘'(«"


def _place(article: Article, name: str) -> Place:
    """The first line of the article's Markdown where ``name`` (or its first word) occurs."""
    body = article.body
    index = body.find(name)
    if index < 0:
        index = max(body.find(name.split()[0]), 0)
    return Place(article.source.path, article.source.body_line + body[:index].count("\n"))


# --------------------------------------------------------------------------- close spellings

_SKELETON_RULES = [
    (r"[^a-z ]", ""), (r"sch", "sh"), (r"ch", "sh"), (r"kh", "h"), (r"ck", "k"), (r"ph", "f"), (r"c", "k"),
    (r"x", "ks"), (r"w", "v"), (r"j", "y"), (r"y", "i"), (r"ie", "e"), (r"(.)\1+", r"\1"),
]


def skeleton(name: str) -> str:
    """A name with transliteration differences folded: Chipenko ~ Shipenko, Novitskiy ~ Novitsky."""
    text = anyascii(name).lower()
    for pattern, replacement in _SKELETON_RULES:
        text = re.sub(pattern, replacement, text)
    return text.strip()


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
    """Finds the alias a new spelling is most likely a variant of."""

    def __init__(self, aliases: dict[str, str]):
        self.by_skeleton: dict[str, str] = {}
        self.words: dict[int, list[str]] = defaultdict(list)
        for alias in sorted(aliases):
            self.by_skeleton.setdefault(skeleton(alias), alias)
            self.words[len(alias.split())].append(alias)

    def find(self, name: str) -> str:
        """The closest alias with the same number of words, or ""."""
        same = self.by_skeleton.get(skeleton(name))
        if same:
            return same
        if len(name) < 5:
            return ""
        limit = 1 if len(name) < 8 else 2
        best = sorted((edit_distance(name.lower(), alias.lower(), limit), alias)
                      for alias in self.words[len(name.split())])
        return best[0][1] if best and best[0][0] <= limit else ""


def format_suggestions(suggestions: list[Suggestion]) -> str:
    """The report ``python build.py suggest`` prints."""
    new = [s for s in suggestions if not s.close_to]
    variants = [s for s in suggestions if s.close_to]
    sections = []
    if new:
        width = max(len(s.name) for s in new)
        sections.append([f"Names in articles without a page ({len(new)}):"] +
                        [f"  {s.name:<{width}}  {s.count:>3}x  {_where(s)}" for s in new])
    if variants:
        width = max(len(s.name) for s in variants)
        sections.append([f"Spellings close to an existing alias, not listed yet ({len(variants)}):"] +
                        [f"  {s.name:<{width}}  {s.count:>3}x  like '{s.close_to}' ({s.close_owner}); {_where(s)}"
                         for s in variants])
    if not sections:
        return "Nothing to suggest: every capitalised name in the articles belongs to a person or topic."
    return "\n\n".join("\n".join(lines) for lines in sections)


def _where(s: Suggestion) -> str:
    return ", ".join(f"{p.path}:{p.line}" for p in s.places)
