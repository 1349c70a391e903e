"""Spellings of one name: the keys under which the link stage matches what exact aliases miss.

Coverage writes a name the way its language does: ``Schipenko`` (German), ``Chkaplerov``
(French), ``Šipenko`` (Czech), ``Novizkij``, ``Peressild``, or in Cyrillic and inflected
(``Юлии Пересильд``, ``Роскосмоса``). ``fold`` maps all of them to one key: the word in
Latin letters (anyascii), lower case, with the usual differences between transliteration
schemes removed. ``keys`` adds the dictionary forms of a Russian word (pymorphy3's
lemmas), so an inflected form has the key of its nominative.

These keys are deliberately loose; the link stage uses them only where no exact alias
matched, only for words written with a capital, and reports every Latin spelling it
matched this way so that an editor confirms it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

# Letters whose Latin transliteration anyascii would flatten before the scheme rules see
# them: Czech/Slovak š, č, ž are sh, ch, zh; Polish sz, cz, rz likewise.
_BEFORE = str.maketrans({"š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh", "ć": "ch", "Ć": "Ch",
                         "ś": "sh", "Ś": "Sh", "ź": "zh", "Ź": "Zh"})
# Transliteration schemes, in the order they must apply: a longer group before its parts.
_SCHEMES = (
    ("shch", "s"), ("tsch", "s"), ("sch", "s"), ("sz", "s"), ("cz", "s"), ("sh", "s"), ("ch", "s"),  # ш щ ч
    ("kh", "h"), ("zh", "z"), ("rz", "z"),  # х ж
    ("tz", "s"), ("ts", "s"), ("z", "s"),  # ц з: German z and English ts; German s and English z
    ("ck", "sk"),  # Czech and Polish -ck- is ц+к (Novickij, Nowicki); German ck never spells a Russian name
    ("c", "k"), ("q", "k"), ("x", "ks"), ("ph", "f"), ("w", "v"),
    ("ou", "u"), ("oe", "u"),  # French ou, Dutch oe (Poetin, Joelia)
    ("lj", "l"), ("nj", "n"),  # Serbian and Croatian љ њ; Russian drops the soft sign after l and n
    ("j", "i"), ("y", "i"),  # й, я/ю/е written ya, ja, ia ...; -iy, -ij, -y, -i endings
)
# Greek writes foreign d, b, g and u with two letters, and y before a vowel as gi; after a
# vowel, ντ and μπ are nt and mp (Αντόν is Anton, Περεσίλντ is Peresild); χ is h (Χόλιγουντ).
_GREEK = re.compile(r"(?<![αεηιουωάέήίόύώ])(?:ντ|μπ)|γκ|γι(?=[αεηιουωάέήίόύώ])|ο[υύ]|χ")
_GREEK_NEW = {"ντ": "d", "μπ": "b", "γκ": "g", "γι": "i", "ου": "u", "ού": "u", "χ": "h"}
_SCHEME = re.compile("|".join(re.escape(old) for old, _ in _SCHEMES))
_NEW = dict(_SCHEMES)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"(.)\1+")
# Scripts whose words are matched by transliteration (Latin letters are matched by variants).
_OTHER_SCRIPT = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_GREEK_LETTER = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The key of ``word``: one string for its spellings across transliteration schemes.

    ``fold("Schipenko") == fold("Chipenko") == fold("Шипенко")``; digits are kept as they
    are, so ``MS-18`` and ``MS-19`` stay apart.
    """
    text = unicodedata.normalize("NFC", word).translate(_BEFORE).lower()
    if _OTHER_SCRIPT.search(text):
        text = _GREEK.sub(lambda m: _GREEK_NEW[m.group()], text)
    text = anyascii(text).lower()
    text = _NOT_ALNUM.sub("", text)
    text = _SCHEME.sub(lambda m: _NEW[m.group()], text)
    text = _DOUBLED.sub(r"\1", text).replace("io", "e")  # ё: Pyotr, Piotr, Петр (written without its dots)
    text = text.replace("ie", "e")  # ь and е: Artemyev, Артемьев; Polish Szypienko
    if text.endswith("of"):  # -off, -ov, -ow: one surname
        text = text[:-2] + "ov"
    elif text.endswith("ine") and len(text) > 5:  # French -ine for -in: Rogozine, Gagarine
        text = text[:-1]
    return text


def other_script(word: str) -> bool:
    """Whether ``word`` is written in Cyrillic or Greek letters."""
    return _OTHER_SCRIPT.search(word) is not None


@functools.lru_cache(maxsize=65536)
def keys(word: str) -> tuple[str, ...]:
    """The keys of ``word`` and of its dictionary forms (for Russian words), most literal first."""
    found = [fold(word)]
    if _CYRILLIC.search(word):
        found += [fold(lemma) for lemma in _lemmas(word)]
    elif _GREEK_LETTER.search(word) and found[0].endswith("s") and len(found[0]) > 4:
        found.append(found[0][:-1])  # a Greek genitive in -ς: Ρωσίας, Ρωσία
    return tuple(dict.fromkeys(k for k in found if k))


def _lemmas(word: str) -> list[str]:
    """Russian dictionary forms of ``word`` (all readings: "Юлию" may be Юлия or Юлий),
    and for an adjective also its nominative in the same gender ("Международной" gives
    международный and международная, so "Международная космическая станция" matches)."""
    found = set()
    for parse in _morph().parse(word):
        found.add(parse.normal_form)
        nominative = parse.inflect({"nomn"})
        if nominative is not None:
            found.add(nominative.word)
    return sorted(found)


@functools.cache
def _morph():
    """pymorphy3's Russian analyser, loaded once per process, on first need (about 50 ms)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


class Dictionaries:
    """simplemma's dictionaries, at most two languages in memory at once: each takes 50 to
    150 MB, and its default keeps eight (1.3 GB on a site in twenty languages). suggest
    reads the articles language by language, so each dictionary loads once."""

    def __init__(self) -> None:
        from simplemma import Lemmatizer
        from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
        from simplemma.strategies.dictionaries import DefaultDictionaryFactory

        factory = DefaultDictionaryFactory(cache_max_size=2)
        self._lookup = DictionaryLookupStrategy(factory)
        self._lemmatizer = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))

    def known(self, word: str, language: str) -> bool:
        try:
            return self._lookup.get_lemma(word, _SIMPLEMMA_CODES.get(language, language)) is not None
        except (KeyError, OSError) as exc:
            raise ValueError(language) from exc

    def lemmatize(self, word: str, language: str) -> str:
        return self._lemmatizer.lemmatize(word, _SIMPLEMMA_CODES.get(language, language))


# simplemma keeps Croatian, Serbian, Bosnian and Montenegrin in one dictionary
# (Serbo-Croatian, "hbs"), and Norwegian Bokmål under "nb" only.
_SIMPLEMMA_CODES = {"hr": "hbs", "sr": "hbs", "bs": "hbs", "cnr": "hbs", "sh": "hbs", "no": "nb"}


@functools.cache
def dictionary() -> Dictionaries:
    """The process's simplemma dictionaries (link and suggest share them)."""
    return Dictionaries()


@functools.lru_cache(maxsize=65536)
def latin_lemmas(word: str, language: str) -> tuple[str, ...]:
    """The dictionary forms of a word in a language written in Latin letters, by
    simplemma (Polish "Rosji" gives Rosja, "Kazachstanie" Kazachstan; Finnish "Venäjän"
    Venäjä); none for English, for a language simplemma lacks, or a word it does not know.
    Adjectives lemmatise to adjectives ("Ruska" to ruski), so they never become the place."""
    code = language.split("-")[0].lower()
    if not code or code == "en":
        return ()
    try:
        lemma = dictionary().lemmatize(word, code)
    except ValueError:
        return ()
    return (lemma,) if lemma != word and lemma[:1].isupper() else ()
