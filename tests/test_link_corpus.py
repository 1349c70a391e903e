"""The linking corpus (tests/link_corpus/): every first mention linked, nothing else, in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from score_links import score_folder, score_suggest

CORPUS = Path(__file__).parent / "link_corpus"
SCORES = score_folder(CORPUS)


def test_the_corpus_covers_at_least_six_languages():
    assert len(SCORES) >= 6
    assert sum(len(files) for files in SCORES.values()) >= 8


@pytest.mark.parametrize("name, score", [(name, s) for files in SCORES.values() for name, s in files.items()])
def test_every_first_mention_is_linked_and_nothing_else(name, score):
    assert score.missed == [], name
    assert score.false == [], name


def test_unmarked_false_friends_stay_plain():
    """The corpus holds words that equal an alias or its key and are not the entity."""
    text = "\n".join(p.read_text("utf-8") for p in CORPUS.glob("*.md"))
    for false_friend in ("Moscow time", "heure de Moscou", "Una mosca", "Это вызов", "Soyuz MS-18", "«Союз МС-18»"):
        assert false_friend in text


SUGGEST = score_suggest(CORPUS)


def test_suggest_finds_every_planted_name_grouped():
    assert len(SUGGEST.planted) >= 15
    assert SUGGEST.split == []  # each name once, with all its spellings
    assert SUGGEST.close_missed == []


def test_suggest_lists_no_stop_word_and_no_dangerous_near_miss():
    assert SUGGEST.never == []
    assert SUGGEST.dangerous == []
    suggestions = len(SUGGEST.found) + len(SUGGEST.close_found) + len(SUGGEST.noise)
    assert len(SUGGEST.noise) <= 0.2 * suggestions, SUGGEST.noise
