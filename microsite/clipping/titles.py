"""A title and a summary from a lede when a clipping has no headline, and truncation."""

from __future__ import annotations

import re

from ..text import sentences
from .dates import find_date
from .words import _FINITE, _TERMINAL, _function_words, _n_words

_TITLE_MAX = 80


_SENTENCE_TITLE_MAX = 120  # about as long as the longest headlines in the corpus


_LONG_TITLE_MAX = 150  # a whole sentence or clause that cannot be cut well: long, but complete


# Where the only cut leaves a verb waiting for its object ("Cosmonaut Oleg Novitsky
# revealed"), a whole sentence up to this long is the title: long, but it says something.
_WHOLE_RATHER_THAN_BROKEN = 200


_CUT_MAX = _TITLE_MAX  # a title cut from a longer sentence: headline-sized


_SUMMARY_MAX = 300


# Words before which a long lede can be cut into a headline-sized title.
_CUT_WORDS = (
    "as", "to", "on", "in", "for", "with", "after", "before", "from", "while", "which",
    "who", "where", "amid", "during", "because", "since", "when", "by", "at", "into",
)


# Words a title must not end on: the verb or adjective that the cut-off part completes.
_NO_CUT_AFTER = frozenset(
    "set due about expected going able trying planning scheduled poised likely ready hoping seeking aiming "
    "is are was were be been being has have had will would can could may might must shall should to "
    "the a an of and or".split()
)


def title_from_lede(lede: str, language: str = "en") -> str:
    """A headline-sized title from the first sentence of the lede.

    Asides go first (brackets, ", which ...,", an age or an apposition), and so does an
    opening phrase with no subject ("Taking ... to the next level, a crew returned ...").
    A sentence still too long is cut before a clause, a preposition or (in other
    languages) a function word, so the title stays a readable phrase that ends on a word
    of weight: never inside a list of names, nor on a verb that waits for its object.
    """
    sentence = _title_sentence(sentences(lede)[0] if lede else "", language)
    # A whole sentence says who did what; a cut one may not (least of all where the verb
    # comes last: "... hat eine Filmcrew am Dienstag die ISS erreicht"). In every language, a
    # cut of a sentence under 150 characters mostly left a clause waiting for its object.
    if _size(sentence) <= _LONG_TITLE_MAX:
        return _capitalise(sentence)
    if language in _VERB_FINAL and _size(sentence) <= _VERB_FINAL_TITLE_MAX:
        return _capitalise(sentence)  # Turkish, Persian, Japanese...: every clause ends on its verb, so no cut reads
    common = _function_words(language) if language != "en" else frozenset()
    # "After twelve days in orbit, ...", "Il 5 ottobre 2021, ...": the phrase of time or place
    # before the subject is no title on its own; the title goes on past it.
    skip = _opening_phrase_end(sentence, language)
    clause = re.match(r"^(.+?)(?:[,;:،]\s|\s[–—]\s)", sentence[skip:])
    if clause and _clause_title(sentence[:skip] + clause.group(1), sentence[skip + clause.end():], language, common):
        return _capitalise(sentence[:skip] + clause.group(1))  # the first clause: its subject, verb and object
    cuts = [m.start() for m in re.finditer(r"\s(?:" + "|".join(_CUT_WORDS) + r")\s|[,;:،]\s|\s[–—-]\s", sentence)]
    before = _CUT_BEFORE.get(language, common)  # prepositions where known: a stop word may be a noun's own
    cuts += [m.start() for m in re.finditer(r"\s(\w+)(?=[\s,;:])", sentence) if m.group(1).casefold() in before]
    # Not before a relative clause with no comma ("the motion picture | which was filmed ... will
    # be shown"): it belongs to the subject, whose verb comes after it.
    cuts = sorted(c for c in cuts if c > skip and _cut_reads(sentence, c, common, language)
                  and not re.match(r"\s(?:which|who|whom|whose|that)\s", sentence[c:]))
    span = {c: _size(sentence[:c]) for c in cuts}  # how long each cut reads
    # (in other languages, where a cut is told by prepositions alone, the longer cut keeps the verb)
    short = _CUT_MAX if language == "en" else _SENTENCE_TITLE_MAX
    cut = _longest_cut(sentence, [c for c in cuts if span[c] <= short])
    if language == "en" and cut and not _FINITE.search(sentence[:cut]):
        # "The special screening of the film, the first shot in space" has no verb yet: a longer
        # cut that has one ("..., was held at a cinema") says what happened
        verbal = [c for c in cuts if span[c] <= _LONG_TITLE_MAX and _FINITE.search(sentence[:c])]
        cut = (_longest_cut(sentence, [c for c in verbal if span[c] <= _SENTENCE_TITLE_MAX])
               or min(verbal, default=0) or cut)
    if cut and _waits_for_object(sentence[:cut], language):
        # "... Klim Shipenko returned", "... è stato lanciato": go on to the next place
        # where the phrase is complete ("... returned to Earth today").
        longer = next((c for c in cuts if cut < c and span[c] <= _LONG_TITLE_MAX
                       and not _waits_for_object(sentence[:c], language)), 0)
        if not longer and _size(sentence) <= _WHOLE_RATHER_THAN_BROKEN:
            return _capitalise(sentence)
        cut = longer or cut
    cut = cut or _longest_cut(sentence, [c for c in cuts if span[c] <= _SENTENCE_TITLE_MAX])
    # Nothing that short: the first complete phrase, long as it is, beats a cut mid-phrase.
    # (one where the phrase is whole first: "... regresaron | a la Tierra" waits for where to)
    cut = cut or min((c for c in cuts if span[c] <= _LONG_TITLE_MAX and not _waits_for_object(sentence[:c], language)),
                     default=0) or min((c for c in cuts if span[c] <= _LONG_TITLE_MAX), default=0)
    if cut:
        return _capitalise(sentence[:cut].rstrip(" ,;:،"))
    if _size(sentence) <= _WHOLE_RATHER_THAN_BROKEN:  # no place to cut: a long title beats a broken one
        return _capitalise(sentence)
    return _capitalise(sentence[:_TITLE_MAX].rsplit(" ", 1)[0].rstrip(" ,;:،") + "…")


# Words before which a lede in another language can be cut: prepositions and conjunctions
# that open a phrase of its own (not "di", "de", "do": a genitive belongs to its noun).
_CUT_BEFORE = {language: frozenset(words.split()) for language, words in {
    "it": "a ad al alla allo ai agli alle da dal dalla dallo dai dagli dalle in nel nella nei negli nelle con su sul "
          "sulla per tra fra dopo durante verso presso senza mentre perché quando che",
    "es": "a al en con desde hasta durante tras para por sobre hacia entre según sin mientras porque cuando que",
    "pt": "a ao à em no na nos nas com desde até durante após para por pelo pela sobre entre segundo sem "
          "enquanto porque quando que",
    "fr": "à au aux en dans avec depuis pendant après pour par sur vers entre selon sans lors alors quand qui que",
    "ru": "в во на с со по к ко от до из за для при под над о об у через после перед около между чтобы когда",
}.items()}


# Auxiliaries that follow a subject's closing comma ("..., tous deux Russes, | ont reçu"):
# a cut there leaves the subject without its verb.
_AUXILIARY = {
    "en": "was|were|is|are|has|have|had|will|would|can|could",
    "fr": "ont|a|est|sont|avait|avaient|sera|seront|va|vont",
    "it": "ha|hanno|è|sono|era|erano|sarà|saranno|aveva|avevano",
    "es": "ha|han|es|son|fue|fueron|será|serán|está|están|había|habían",
    "pt": "foi|foram|é|são|tem|têm|será|serão|está|estão|havia",
}


# Words that open a phrase of time or place before a sentence's subject.
_OPENING_WORDS = frozenset(
    "after before during following on in at over since amid despite earlier later within "
    "dopo prima durante nel nella nei ieri oggi depois antes após em no na ontem hoje después tras en ayer hoy "
    "après avant pendant lors hier nach vor während am im seit gestern heute "
    "после перед во в на спустя вчера сегодня po w we przed v ve před "
    "beyond besides para além oltre más "
    # and subordinating conjunctions: "Although the Americans spoke first, | the Russians ..."
    # is no title without the clause it waits for
    "although though while whereas because when if as once bár amikor mivel miután хотя когда если пока "
    "obwohl nachdem weil wenn quand lorsque bien aunque cuando mientras embora quando enquanto sebbene benché "
    "mentre chociaż gdy kiedy ačkoli když zatímco hoewel terwijl toen "
    "als wanneer omdat nadat indien zodra sobald deși când dacă după în "
    "meski meskipun ketika saat setelah sebelum ενώ όταν αν".split()
)


def _opening_phrase_end(sentence: str, language: str) -> int:
    """Where a sentence's opening phrase of time or place ends ("After twelve days in orbit, "),
    or 0 when it opens with its subject."""
    match = re.match(r"^([^,;:]{3,80}),\s", sentence)
    if not match:
        return 0
    head = match.group(1)
    # ("Six decades after the feat of Yuri Gagarin, ...", "Two weeks later, ...": a span of time)
    span = re.match(r"(?:\S+ ){1,2}(?:years?|decades?|months?|weeks?|days?|hours?|centuries) "
                    r"(?:after|before|later|earlier|ago|since)\b", head, re.IGNORECASE)
    if span or head.split()[0].casefold() in _OPENING_WORDS \
            or _n_words(head) <= 6 and find_date(head, language, need_year=False)[0] is not None:
        return match.end()
    return 0


def _size(text: str) -> int:
    """A title's length as a reader weighs it: a short bracket ("(ISS)", "(37)") adds no words
    to read, so it never decides where a title is cut."""
    return len(_BRACKET.sub("", text))


_BRACKET = re.compile(r"\s\([^()]{1,40}\)(?=[\s,.;:]|$)")


def _longest_cut(sentence: str, cuts: list[int]) -> int:
    """The last of ``cuts``, preferring a clause's end: it reads better than a phrase cut
    inside a list ("..., una sola cinepresa"). 0 when there is none."""
    clauses = [c for c in cuts if sentence[c] in ",;:،" and _n_words(sentence[:c]) >= 5]
    return max(clauses or cuts, default=0)


# A verb form that asks for what follows: an English past form, a Romance participle.
_PARTICIPLE = {
    "en": re.compile(r"[a-z]{3,}ed$"),
    "it": re.compile(r"[a-z]{3,}(?:at|it|ut)[oaie]$|[a-z]{2,}(?:ando|endo)$|[a-z]{3,}(?:are|ere|ire)$"),
    # (and the simple past and the gerund, which take their object too: "Rusia anunció", "já
    # chegou", "estarían llevando")
    "es": re.compile(r"[a-z]{3,}(?:ad|id)[oa]s?$|[a-záéíúñ]{2,}ó$|[a-z]{2,}(?:aron|ieron)$|[a-z]{2,}(?:ando|iendo)$"),
    "pt": re.compile(r"[a-z]{3,}(?:ad|id)[oa]s?$|[a-zãõçáéíóú]{3,}(?:ou|eu|iu)$|[a-z]{2,}(?:aram|eram|iram)$|"
                     r"[a-z]{2,}(?:ando|endo|indo)$"),
    "fr": re.compile(r"[a-z]{3,}(?:é|ée|és|ées|i|is|u|us)$"),
}


# English nouns that ask for what follows them: "as part of an ambitious bid | to film ...".
_WAITING_NOUNS = frozenset("bid attempt effort plan plans trip journey quest race deal decision chance".split())


# German and Dutch put the participle or the verb last: a cut clause misses it.
_VERB_LAST = frozenset({"de", "nl", "tr", "az", "kk", "uz", "fa", "hi", "ja", "ko"})


# Languages whose sentences end on their verb: a long title is better than one without it.
_VERB_FINAL = _VERB_LAST - {"de", "nl"}


_VERB_FINAL_TITLE_MAX = 240


# The verbs that say who said it: "..., the press service told TASS".
_REPORTED = r"said|says|told|reported|reports|announced"


def _title_sentence(sentence: str, language: str) -> str:
    """The sentence without its asides and its subjectless opening, ready to be a title."""
    # A bracket stays: "the International Space Station (ISS)" is the writer's own, and the
    # editors who scored 800 real ledes kept it in every title they wrote (a cut never opens one).
    shorter = sentence
    # (the relative pronouns of the coverage's languages; German's are its articles, so not German)
    relative = r"which|who|whose|where|including|such as|qui|dont|où|che|cui|que|cuy[oa]|donde|cuj[oa]|onde|" \
               r"котор\w+|где"
    if language == "de":  # German relative clauses always stand between commas: ", die ... verbracht hatte,"
        relative += r"|die|der|das|dem|den|deren|dessen"
    aside = re.search(r",\s+(?:" + relative + r")\s[^,()]+,\s*+", shorter)
    if aside and re.match(r"(?:[^,]+\s)?(?:" + _REPORTED + r"|according)\b",
                          shorter[aside.end():]) and _n_words(shorter[aside.end():]) <= 12:
        shorter = shorter[:aside.start()]  # "..., which ..., the press service told TASS": the claim alone
    elif aside and not re.match(r"(?:il|lo|la|l['’]|i|gli|le|un|una|uno|el|los|las|o|a|os|as|les|the|an?|der|die|"
                                r"das|ein|eine)\b", shorter[aside.end():]):
        # (not when a noun phrase follows: "..., che trasporta due passeggeri, l’attrice ..." lists who)
        shorter = shorter[:aside.start()] + " " + shorter[aside.end():]
    shorter = re.sub(r",\s+\d{2},\s+", " ", shorter)  # "Yulia Peresild, 37, and ..." (not "Tuesday, 5,")
    # "Rientra sulla Terra, atterrando in Kazakistan, la capsula ...": a gerund's clause is an aside
    if language in ("it", "es", "pt"):
        shorter = re.sub(r",\s+\w{3,}(?:ando|endo|indo)\s[^,()]{3,80},\s+", " ", shorter)
    # "Cruise, junto do diretor Doug Liman, revelou ...": who came along is an aside
    shorter = re.sub(r",\s+(?:junto (?:a|com|con|de|do|da)|insieme a|avec|together with|along with|alongside|"
                     r"accompanied by|acompañad[oa]s? (?:de|por)|acompanhad[oa]s? (?:de|por))\s[^,()]{3,80},\s+",
                     " ", shorter)
    if language == "en":  # "Komsomolskaya Pravda, a state-aligned outlet, gave ..."
        # (an apposition has no verb: ", the festival was held in Hurghada," is a clause)
        shorter = re.sub(r",\s+(?:a|an|the)\s[^,]{3,60},\s+(?=[a-z])",
                         lambda m: m.group() if _FINITE.search(m.group()) else " ", shorter)
        # "Putin on April 12, during a speech in the Kremlin, thanked ...": the subject meets its verb
        shorter = re.sub(r",\s+(?:during|after|before|while|despite|following|amid|at|in|on|with)\s[^,()]{3,80},\s+"
                         r"(?=(?!(?:and|but|or|which|who|where|when|the|a|an|as)\b)[a-z]+\s)(?![a-z]+\s+[A-Z])", " ",
                         shorter)  # (not "..., with cosmonaut X, | actress Y and ...": a list goes on)
        # At most eight words: "Cheering crowds greeted the crew as ..." is a subject, not an opener.
        opener = re.match(r"^[A-Z][a-z]+ing(?:\s[^\s,]+){1,7},\s+(?=\S)", shorter)
        if opener and not re.match(r"^(?:During|According|Following|Including|Regarding)\b", shorter):
            shorter = shorter[opener.end():]
    if language == "en":  # "..., Russian Presidential Culture Aide Vladimir Tolstoy told TASS": who said it
        shorter = re.sub(r",\s+(?:[^,]{3,80}\s)?(?:" + _REPORTED + r")(?: \w+)?[.!]?$", "", shorter)
    if _n_words(shorter) < 4:
        shorter = sentence
    # (a question keeps its mark: "who will be the first to shoot a film in orbit?")
    return shorter.rstrip(".…。। ").strip()


def _clause_title(clause: str, rest: str, language: str, common: frozenset[str]) -> bool:
    """Whether the sentence's first clause makes a title on its own."""
    words = clause.split()
    verb_last = language in _VERB_LAST  # a shorter clause is whole, a longer one cannot be cut
    limit = _LONG_TITLE_MAX if verb_last or language == "en" else _SENTENCE_TITLE_MAX
    return (_size(clause) <= limit and len(words) >= (5 if verb_last else 8)
            and not (language == "en" and words[0].casefold().endswith("ing"))
            # "A Russian actress who made the film, | returned to Earth": the subject, its verb to come
            and not (language == "en" and re.search(r"\s(?:who|which|that)\s", clause)
                     and re.match(r"(?:\w{3,}ed|" + _AUXILIARY["en"] + r")\b", rest))
            and not ((verb := _AUXILIARY.get(language)) and re.match(r"(?:" + verb + r")\s", rest))
            and words[-1].casefold() not in _NO_CUT_AFTER | common
            and clause.count("(") == clause.count(")")
            and not _in_list(rest, language))


def _cut_reads(sentence: str, cut: int, common: frozenset[str], language: str) -> bool:
    """Whether ``sentence[:cut]`` reads as a phrase: four words or more, not hanging on its
    verb ("... are set | to become"), no aside or bracket left open, not inside a list."""
    head = sentence[:cut]
    if (verb := _AUXILIARY.get(language)) and re.match(r"[,;]\s+(?:" + verb + r")\s", sentence[cut:]):
        return False  # "The screening of the film, Russia's first shot in space, | was held ...": the subject alone
    if re.search(r"\b(?:which|who|that|che|cui|que|qui|dont|который|которая|которые)(?:,\s[^,]*|\s+\S+)$", head):
        return False  # "la capsula che, con a bordo il cosmonauta ...": an aside left open
    if language == "en" and re.search(r"\s(?:who|which|that)\s", head) \
            and (re.search(r"\b(?:will|would|is|are|was|were|has|have|had|can|could)\b", sentence[cut:].split(",")[0])
                 or re.match(r"[,;]\s+\w{3,}ed\b", sentence[cut:])):  # "..., | returned to Earth": its verb
        return False  # "The actress who will be sent to the station | ... will be announced": the verb is to come
    if sentence[cut] == "," and language != "de" and re.match(
            r",\s+[A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё]+\s+[A-ZÀ-ÞА-ЯЁ][a-zà-ÿа-яё]+(?:\s+[a-zà-ÿа-яё]+|,)", sentence[cut:]):
        return False  # "... y el cosmonauta de la Agencia Espacial Rusa, | Oleg Novitski regresaron": the name is his
    return (_n_words(head) >= 4
            and head.split()[-1].casefold().strip(",;:،") not in _NO_CUT_AFTER | common
            and head.count("(") == head.count(")")
            and len(re.findall(r"\s[–—](?:\s|$)", head.rstrip())) % 2 == 0
            and not (sentence[cut] == "," and _in_list(sentence[cut + 1:], language))
            # "l’attrice Yulia Peresild | e il regista Klim Shipenko": the list of names goes on
            and not (language not in _VERB_LAST and re.match(
                r"\s(?:and|or|e|y|et|и|i|o|ou)\s(?:\S+\s+){0,3}[A-ZА-ЯЁ]", sentence[cut:])))


def _in_list(rest: str, language: str) -> bool:
    """Whether text after a comma goes on with a list of names ("..., actress Yulia Peresild
    and ..."). German capitalises every noun, so there a capital says nothing."""
    item = re.match(r"^\s*((?:[^\s,]+\s+){1,4})(?:and|or|e|y|et|и|i|o|ou)\s", rest)
    # or a role and a name and another comma: "..., director Klim Shipenko, ..."
    named = re.match(r"^\s*(?:[a-zа-яё][\w-]*\s+){1,3}[A-ZА-ЯЁ][\w-]+(?:\s+[A-ZА-ЯЁ][\w-]+){0,2},", rest)
    return language not in _VERB_LAST and bool(
        named or item and re.search(r"(?:^|\s)[A-ZА-ЯЁ]", item.group(1)))


def _waits_for_object(title: str, language: str) -> bool:
    """Whether a cut title ends on a verb form that waits for what follows it."""
    pattern = _PARTICIPLE.get(language)
    last = title.split()[-1] if title.split() else ""
    if language == "en" and re.search(r"\bto \w+$", title):  # "... who has to operate"
        return True
    if language == "en" and last.casefold() in _WAITING_NOUNS:  # "an ambitious bid", "a trip": to do what, where?
        return True
    if language == "en" and re.search(r"\b(?:(?:will|would|can|could|may|might|must|shall|should)\s+(?:be\s+)?\w+|"
                                      r"(?:is|are|was|were|be|been)\s+\w+ing)$", title):
        return True  # "... which will be shot", "... will travel", "... that was docking": in what, to where?
    if language == "en" and (re.fullmatch(r"[a-z]{3,}ed", last) or last in _IRREGULAR_PAST) \
            and not re.search(r"\b(?:has|have|had|is|are|was|were|be|been|being)\s+\w+$", title):
        return True  # "Roscosmos cosmonaut Oleg Novitsky revealed": revealed what? ("was held" is whole)
    return bool(pattern and pattern.fullmatch(last))


# Past forms of English verbs that take an object, as a cut may end on them.
_IRREGULAR_PAST = frozenset("said told made shot sent set held put saw seen gave given took taken brought built began "
                            "found thought chose chosen wrote written showed shown".split())


def summary_from_lede(lede: str) -> str:
    """The first sentences of the lede, up to about 300 characters."""
    summary = ""
    for sentence in sentences(lede):
        if summary and len(summary) + 1 + len(sentence) > _SUMMARY_MAX:
            break
        summary = f"{summary} {sentence}".strip()
    return _plain_summary(summary)


def _plain_summary(text: str) -> str:
    if len(text) > _SUMMARY_MAX:
        text = text[:_SUMMARY_MAX].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def is_truncated(last_paragraph: str) -> bool:
    """Whether the text stops mid-sentence: no closing punctuation at its very end, or an
    ellipsis where the page cut it ("…", "[...]")."""
    text = last_paragraph.rstrip()
    if not text:
        return False
    return text[-1] not in _TERMINAL or text.endswith(("...", "…", "[…]", "[...]"))


def _plain_title(line: str) -> str:
    """A headline line as a title: no closing full stop, first letter capitalised."""
    return _capitalise(line.rstrip(". ").strip())


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
