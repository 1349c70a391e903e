"""The shortcuts of alias matching give the answers of the full rules.

Matching tries the aliases that begin with a word as one pattern (``_spelt``) and falls
back to the trie walk only when that cannot decide; it searches again after a match
instead of scanning its words; it skips searches that cannot succeed. Each test pins
one of those decisions, and one compares the shortcut with the walk on many texts.
"""

from __future__ import annotations

import random
import re
import textwrap
import xml.etree.ElementTree as etree

from conftest import REPO
from microsite.linking import BLOCKS, AliasIndex, LinkContext, Match, _passage_text, _text_nodes
from microsite.markup import Renderer

ALIASES = {
    "Volkov": "oleg-volkov", "Oleg Volkov": "oleg-volkov", "Volkov, Anton": "anton-volkov",
    "Volkov Station": "volkov-station", "VOLKOV-STATION": "volkov-station", "Soyuz MS-19": "soyuz-ms-19",
    "MS-19": "soyuz-ms-19", "Soyuz": "soyuz", "Moscou": "moscow", "NASA": "nasa", "Yuri Gagarin": "yuri-gagarin",
    "国际空间站": "iss", "Station spatiale internationale": "iss",
}
PEOPLE = {"oleg-volkov", "anton-volkov", "yuri-gagarin"}


def index(**options) -> AliasIndex:
    return AliasIndex(ALIASES, people=PEOPLE, **options)


def spelt(text: str, extra: dict | None = None) -> list[tuple[str, str]]:
    return [(m.spelling, m.slug) for m in index().find(text, extra)]


def test_a_longer_spelling_running_on_into_a_word_leaves_the_shorter():
    assert spelt("the Soyuz MS-19a flew") == [("Soyuz", "soyuz")]
    assert spelt("the Soyuz MS-19 flew") == [("Soyuz MS-19", "soyuz-ms-19")]
    assert spelt("the Volkov Station, in orbit") == [("Volkov Station", "volkov-station")]


def test_a_longer_spelling_switched_off_leaves_the_shorter():
    assert spelt("the Volkov Station crew", {"Volkov Station": None}) == [("Volkov", "oleg-volkov")]
    assert spelt("the Volkov Station crew", {"Volkov Station": None, "Volkov": None}) == []


def test_words_inside_a_match_are_not_matched_again_but_inside_a_rejected_one_are():
    assert [(m.start, m.spelling) for m in index().find("Oleg Volkov met Volkov, Anton today")] == [
        (0, "Oleg Volkov"), (16, "Volkov, Anton")]
    # The Oleg Volkov Prize is not the person; the words inside it are still read.
    negated = index(negatives={"oleg-volkov": ("Oleg Volkov Prize",)})
    assert negated.find("the Oleg Volkov Prize") == []
    assert negated.spans("the Oleg Volkov Prize") == [(4, 15), (9, 15)]


def test_a_time_word_before_a_place_also_at_a_line_break():
    assert spelt("à dix heures, heure de Moscou") == []
    assert spelt("à dix heures, heure de \nMoscou") == []
    assert spelt("la ville de Moscou") == [("Moscou", "moscow")]
    assert spelt("Moscou") == [("Moscou", "moscow")]


def test_a_capitalised_word_after_a_person_makes_a_longer_name_a_lower_case_one_does_not():
    assert spelt("the Yuri Gagarin Cosmonaut Training Center") == []
    assert spelt("Yuri Gagarin flew first") == [("Yuri Gagarin", "yuri-gagarin")]
    assert spelt("Yuri Gagarin Monday") == [("Yuri Gagarin", "yuri-gagarin")]


def test_other_spellings_are_still_found():
    assert spelt("VOLKOV-STATION reports") == [("VOLKOV-STATION", "volkov-station")]
    assert spelt("a Volkov-led crew and Soyuz MS-19") == [("Volkov", "oleg-volkov"), ("Soyuz MS-19", "soyuz-ms-19")]
    assert spelt("了NASA和") == [("NASA", "nasa")]
    assert spelt("在国际空间站上") == [("国际空间站", "iss")]
    assert spelt("Station Spatiale Internationale") == [("Station Spatiale Internationale", "iss")]
    assert [(m.start, m.end) for m in index().find("Vol\u200bkov said")] == [(0, 7)]
    assert spelt("@Volkov and #NASA") == []


def test_the_shortcut_chooses_as_the_walk_does(monkeypatch):
    """Texts put together from pieces of aliases, words and punctuation: the matches
    with the pattern of each first word are those of the trie walk alone."""
    pieces = ["Volkov", "Oleg", "Anton", "Station", "Stations", "MS", "19", "Soyuz", "NASA", "Nasa", "Moscou",
              "VOLKOV", "heure de", "ora", "said", "the", "a", "-", ",", ", ", ".", "’s", "-led", "\n", "  ", " ",
              "国际", "空间站", "\u00a0", "Yuri", "Gagarin", "Street", "spatiale", "Spatiale", "internationale"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) + rng.choice(["", " ", " ", ","]) for _ in range(rng.randint(1, 12)))
             for _ in range(3000)]
    extras = [None, {"Volkov Station": None}, {"Oleg Volkov": None, "MS-19": None}]
    fast = [index().find(text, extra) for text in texts for extra in extras]
    monkeypatch.setattr(AliasIndex, "_spelt", lambda self, token: None)
    assert fast == [index().find(text, extra) for text in texts for extra in extras]
    assert sum(map(len, fast)) > 1000  # the texts do name entities


def test_passages_and_where_each_text_node_starts_in_its_passage():
    renderer = Renderer("/", None, index(), {})
    body = textwrap.dedent("""\
        # Oleg *Volkov* speaks

        A paragraph with `code Volkov` and [a link](https://example.org) and **bold _both_** words.

        - item one
        - item with *emphasis*

            nested paragraph after the item

        > quoted text with *Volkov*
        >
        > second quoted paragraph

        | a | b |
        |---|---|
        | Volkov | *x* |

        Footnoted.[^1]

        [^1]: The note, with Volkov.
        """)
    trees: list[etree.Element] = []
    renderer.md.treeprocessors["entity_links"].run = trees.append  # the tree as the linker gets it
    renderer.convert(body, "content/articles/x.md", 1, LinkContext(collect=True))
    root = trees[0]
    nodes, passages = _text_nodes(root, True)
    assert passages == [_passage_text(block) for block in root.iter() if block.tag in BLOCKS]
    assert "code Volkov" not in "".join(text for _, _, text, _, _ in nodes)
    for _, _, text, _, where in nodes:
        if where is not None:
            number, offset = where
            assert passages[number][offset:offset + len(text)] == text
    assert not any(linkable for owner, child, _, linkable, _ in nodes if owner.tag == "h1" and child is None)
    assert all(where is None for _, _, _, _, where in _text_nodes(root, False)[0])


def test_match_offsets_are_those_of_the_text():
    found = index().find("said Oleg Volkov")
    assert found == [Match(5, 16, "oleg-volkov", "Oleg Volkov")]


def _spans_by_look_behind(text: str) -> list[tuple[int, int]]:
    """sentence_spans as it was written first: the break pattern tried at every character."""
    from microsite.text import _ABBREVIATION, _SENTENCE_BREAK
    spans, start = [], 0
    for match in re.finditer(_SENTENCE_BREAK, text):
        if _ABBREVIATION.search(text[start:match.start()]):
            continue
        spans.append((start, match.start() + len(match.group(0).rstrip())))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def test_sentences_split_where_the_look_behind_pattern_splits_them():
    """The stop-first pattern of text.sentence_spans finds exactly the breaks of the pattern it
    speeds up: on every text of the import corpus and the seeds, and on 100,000 generated
    strings of stops, closing and opening quotes, spaces and letters of each script it knows."""
    from microsite.text import sentence_spans
    real = [path.read_text("utf-8", errors="replace")
            for path in sorted((REPO / "tests" / "import_corpus").glob("*.txt")) + sorted((REPO / "seeds").glob("*"))]
    assert len(real) > 20
    rng = random.Random(7)
    pieces = list("abcxyz ABCÀΑАЯЁая..!?…。！？।\"”’»)“‘«„(」』）가힣\n\t09") + ["Mr.", "U.S.", "am 5.", "Oct.", "e.g."]
    made = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(100_000)]
    for text in real + made:
        assert sentence_spans(text) == _spans_by_look_behind(text), repr(text[:200])
