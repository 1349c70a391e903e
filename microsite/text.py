"""Plain-text helpers shared by stages: sentences and short excerpts."""

from __future__ import annotations

import re
import unicodedata

# A sentence ends at . ! ? or … before a capital or a digit, in Latin, Greek or Cyrillic.
# A sentence ends at a full stop and a space before a capital, or (in text pasted without
# its spaces: "este domingo.La nave") at a stop glued between a word and a capitalised one.
_SENTENCE_BREAK = (r"(?<=[.!?…])[\"”’»)]*\s+(?=[\"“‘«„(]?[0-9A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁ])"
                   r"|(?<=[a-zß-öø-ÿа-яё]{3}[.!?])(?=[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zß-öø-ÿа-яё]+\s)"
                   r"|(?<=[。！？])[」』）]*\s*(?=\S)"  # Chinese and Japanese need no space after a stop
                   r"|(?<=।)\s+(?=\S)"  # the danda of Hindi and other languages of India
                   r"|(?<=[가-힣][.!?])\s+(?=[가-힣\"“‘'(])")  # Korean: "... 향했다. 러시아는 ..."
# The break (group 1) comes right after a stop, which the search takes first: a pattern that
# begins with a look-behind is tried at every character, one that begins with the class of
# stops jumps from stop to stop (15x faster on whole articles, the same matches). A
# break holds no stop, so no stop a search needs is inside the last break found.
_SENTENCE_END = re.compile(f"[.!?…。！？।]({_SENTENCE_BREAK})")
_ABBREVIATION = re.compile(
    r"\b(Mr|Ms|Mrs|Dr|St|Jr|Sr|Prof|Gen|Lt|Col|No|U\.S|U\.K|vs|approx|e\.g|i\.e|[ap]\.m|[A-Z]|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"(?:am|vom|zum|bis|den|dem|der|seit|ab|im) \d{1,2})\.$"  # "am 5. Oktober": a German ordinal
)


# Characters no web page or XML feed may carry: C0 controls but tab, line feed and
# carriage return; DEL and the C1 controls; Unicode's noncharacters. (HTML parsers
# report them as errors, and XML parsers refuse the whole feed.)
UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ud800-\udfff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)


def first_unprintable(text: str) -> tuple[int, str] | None:
    """(1-based line, "U+001B") of the first character UNPRINTABLE finds, or None."""
    found = UNPRINTABLE.search(text)
    if found is None:
        return None
    return text.count("\n", 0, found.start()) + 1, f"U+{ord(found.group()):04X}"


# Controls that reorder the display of the text around them (embeddings, overrides and
# isolates): "\u202eabc" shows as "cba". Text that needs them is written without them
# in titles and names; the marks U+200E/U+200F stay allowed.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def first_bidi_control(text: str) -> str:
    """"U+202E (RIGHT-TO-LEFT OVERRIDE)" for the first bidirectional control in ``text``, or ""."""
    found = BIDI_CONTROLS.search(text)
    return describe_char(found.group()) if found else ""


# Characters that show as nothing inside a word: the soft hyphen, zero-width spaces,
# joiners and marks, bidirectional controls, the byte-order mark, and the fillers that
# render blank. Names are matched as if they were not there. (Variation selectors are
# not among them: they choose how the character before them looks, as in emoji.)
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                       "\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0]")


def first_invisible(text: str) -> str:
    """The first character of ``text`` that shows as nothing (INVISIBLE, or any other format
    control), described as "U+200B (ZERO WIDTH SPACE)", or ""."""
    found = INVISIBLE.search(text)
    if found:
        return describe_char(found.group())
    for char in text:
        if unicodedata.category(char) == "Cf":
            return describe_char(char)
    return ""


def describe_char(char: str) -> str:
    """A character as messages name it: "U+00A0 (NO-BREAK SPACE)"."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, not split after abbreviations such as "Ms." or "U.S."."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start:match.start(1)]):
            continue
        spans.append((start, match.start(1) + len(match.group(1).rstrip())))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, stripped."""
    return [text[a:b].strip() for a, b in sentence_spans(text)]


def excerpt(text: str, start: int, end: int, width: int = 110,
            spans: list[tuple[int, int]] | None = None) -> tuple[str, str, str]:
    """The sentence around ``text[start:end]`` as (before, match, after).

    A long sentence is shortened to about ``width`` characters on each side of the
    match, cut at spaces and marked with an ellipsis. ``spans`` are the text's
    sentence spans, when the caller has them already.
    """
    for a, b in spans if spans is not None else sentence_spans(text):
        if a <= start < b:
            break
    else:
        a, b = 0, len(text)
    before, after = text[a:start].lstrip(), text[end:b].rstrip()
    if len(before) > width:
        before = "…" + before[-width:].split(" ", 1)[-1]
    if len(after) > width:
        after = after[:width].rsplit(" ", 1)[0] + "…"
    return before, text[start:end], after


# English words capitalised because they start a sentence or a title, never a name of their
# own (suggest), and never part of a longer name around an alias (link).
FUNCTION_WORDS = frozenset("""
    a an the in on at for but and or as after before while when with from by to of this that these those
    it its he she they we i you his her their our there here if then so yet also however meanwhile
    therefore according such other modern taking during since until once both each every all some many
    most more one two three four five first second last next new what which who whom whose why how
    later earlier now today yesterday tomorrow still even just only instead indeed thus hence besides
    moreover furthermore nevertheless nonetheless although though because despite unlike like among
    between under over above below without within into onto upon across along around behind beyond near
    not no yes us my your let do does did is are was were be been has have had will would can could
    should must might shall where whether either neither nor than rather almost already again ever never
    mr ms mrs dr i'm it's he's she's we're they're
    """.split())

# Nationality words and the demonyms of the story's places: capitalised, never a name of
# their own (suggest), never a longer name after a person's (link), never a case of the
# place (link: "Russian" is no case of Russia). English, then the other languages of the
# coverage (German, Dutch, French, Italian, Spanish, Portuguese, Polish, Czech, Greek,
# Russian). Kept in one place for both stages.
NATIONALITIES = frozenset("""
    russian russians american americans british britons brits french japanese kazakh kazakhs kazakhstani
    european chinese german soviet italian spanish indian korean muscovite russo-american
    russisch russische russischen russischer russisches russen russin amerikanisch amerikanische
    amerikanischen amerikaner sowjetisch sowjetische sowjetischen kasachisch kasachische moskauer britisch
    russe russes américain américaine américains soviétique kazakhe moscovite
    russo russa russi americano americana americani sovietico sovietica moscovita
    ruso rusa rusos rusas americanos americanas soviético soviética
    rosjanie rosjanin rosyjski rosyjska rosyjskie amerykanie amerykański radziecki
    rusové rus ruský ruská ruské ruští američané americký sovětský
    ρώσοι ρώσος ρωσίδα ρωσικός ρωσική ρωσικό αμερικανοί αμερικανός σοβιετικός
    русские русский русская россияне российский американцы американский советский
    amerikaan amerikanen amerikaanse amerykanin amerykanka amerykanie amerikanac amerikanci američana
    američanka američki američka amerikanka rus rusi ruski ruska rusa rusů japonci japanac japanci
    """.split())
