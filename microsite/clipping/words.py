"""Words and punctuation of a clipping's language: stop words, crude stems, folding."""

from __future__ import annotations

import functools
import re

_TERMINAL = ".!?…\"”’»)]'。！？」』।"  # and the full stops of Chinese, Japanese and Hindi


# Chinese and Japanese are written without spaces between words: a run of their characters
# counts as a word for every two characters, about the length of a word in either.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _n_words(text: str) -> int:
    """How many words a text holds: its spaced words, and about one per two Chinese or Japanese characters."""
    unspaced = len(_UNSPACED.findall(text))
    return len(text.split()) + unspaced // 2 if unspaced else len(text.split())


def _library_code(language: str) -> str:
    """A language as dateparser and stop-words name it: py3langid's "no" is their "nb" (Bokmål)."""
    return {"no": "nb"}.get(language, language)


def _is_prose(text: str) -> bool:
    """A paragraph of running text: long enough, and ending as a sentence ends."""
    return _n_words(text) >= 25 and text[-1] in _TERMINAL


_FINITE = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|shall|should|may|might|must|"
                     r"do|does|did|says?|said|told)\b|\b\w{3,}ed\b(?! by\b)", re.IGNORECASE)


def _lower(text: str) -> str:
    """The text case-folded for comparing words: Turkish capital İ folds to "i" plus a
    combining dot, which splits "BİR" into "bi" and "r"; the dot goes."""
    return text.casefold().replace("\u0307", "")


def _fold(text: str) -> str:
    return " ".join(_lower(text).split())


def _stems(text: str, common: frozenset[str]) -> set[str]:
    """The content words of a text, cut to their first five letters: a crude stem that
    lets "película" meet "películas" in any language."""
    return {w[:5] for w in re.findall(r"[^\W\d_]{4,}", _lower(text)) if w not in common}


@functools.lru_cache(maxsize=16)
def _function_words(language: str) -> frozenset[str]:
    """The stop words of a language (the stop-words package), English's when it has none."""
    from stop_words import LANGUAGE_MAPPING, get_stop_words

    name = LANGUAGE_MAPPING.get(_library_code(language), language)
    try:
        return frozenset(get_stop_words(name))
    except Exception:  # noqa: BLE001 - the package raises its own error for unknown languages
        return frozenset(get_stop_words("en"))
