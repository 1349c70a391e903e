"""``python build.py suggest``: unlinked names, without sentence-start noise; close spellings."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import REPO, article, make_project
from microsite.linking import AliasIndex
from microsite.suggest import candidate_names, edit_distance, skeleton

INDEX = AliasIndex({"Klim Shipenko": "klim-shipenko", "Shipenko": "klim-shipenko", "NASA": "nasa",
                    "Oleg Novitsky": "oleg-novitsky", "Novitsky": "oleg-novitsky"})


@pytest.mark.parametrize("text, names", [
    ("Meanwhile, NASA had approached star Tom Cruise.", ["Tom Cruise"]),
    ("Image: the crew. Therefore the Soviet Union won.", ["Soviet Union"]),
    ("The Soviets launched Sputnik, the first satellite.", ["Soviets", "Sputnik"]),
    ("He said, “Space is appealing.”", []),
    ("The film The White Sun of the Desert is a classic.", ["White Sun of the Desert"]),
    ("Klim Shipenko met Vladimir Putin’s aide.", ["Vladimir Putin"]),
    ("Soviet-designed, US-based firms.", []),
    ("In April, on Tuesday, the Russian crew flew.", []),
])
def test_candidate_names(text, names):
    assert candidate_names(text, INDEX) == names


def test_words_seen_in_lower_case_are_not_names():
    assert candidate_names("a pre-flight talk, Actress Yulia Peresild said.", INDEX, common=frozenset({"actress"})) \
        == ["Yulia Peresild"]


@pytest.mark.parametrize("a, b", [("Chipenko", "Shipenko"), ("Novitskiy", "Novitsky"), ("Roskosmos", "Roscosmos"),
                                  ("Space-X", "SpaceX"), ("Julia Peresild", "Yulia Peresild")])
def test_transliteration_variants_share_a_skeleton(a, b):
    assert skeleton(a) == skeleton(b)


def test_edit_distance():
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("kitten", "sitting", 1) == 2  # stops once past the limit


def test_suggest_lists_names_and_close_spellings(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/one.md": article("One", "Meanwhile, Oleg Novitskiy met Konstantin Kalachev. "
                                                  "Later Konstantin Kalachev left."),
        "content/articles/two.md": article("Two", "Konstantin Kalachev spoke to Novitsky."),
        "content/people/oleg-novitsky.md": "---\nname: Oleg Novitsky\naliases: [Novitsky]\n---\n",
    })
    result = cli(project, "suggest")
    assert result.status == 0
    assert result.out == (
        "Names in articles without a page (1):\n"
        "  Konstantin Kalachev    3x  content/articles/one.md:5, content/articles/two.md:5\n"
        "\n"
        "Spellings close to an existing alias, not listed yet (1):\n"
        "  Oleg Novitskiy    1x  like 'Oleg Novitsky' (content/people/oleg-novitsky.md); content/articles/one.md:5\n")


def test_suggest_with_nothing_to_suggest(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/one.md": article("One", "nothing capitalised here.")})
    result = cli(project, "suggest")
    assert (result.status, result.out) == (0, "Nothing to suggest: every capitalised name in the articles belongs "
                                              "to a person or topic.\n")


@pytest.fixture
def seed_copy(tmp_path):
    root = tmp_path / "seed"
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


NOISE = ["Meanwhile", "Image", "However", "Therefore", "According", "Taking", "The ", "Its ", "Space ",
         "During", "Other", "Modern", "If ", "And ", "But ", "While", "Actress", "Monday", "Tuesday"]


def test_seed_site_suggestions_have_no_sentence_start_noise(seed_copy, cli):
    result = cli(seed_copy, "suggest")
    assert result.status == 0
    names = [line.split("  ")[0].strip() for line in result.out.splitlines() if line.startswith("  ")]
    for noise in NOISE:
        assert not any(name.startswith(noise) or name == noise.strip() for name in names), (noise, names)


def test_seed_site_lists_a_real_name_once_its_page_is_gone(seed_copy, cli):
    (seed_copy / "content/people/dmitry-peskov.md").unlink()
    novitsky = seed_copy / "content/people/oleg-novitsky.md"
    novitsky.write_text(re.sub(r"^- (Oleg )?Novitskiy\n", "", novitsky.read_text("utf-8"), flags=re.MULTILINE), "utf-8")
    result = cli(seed_copy, "suggest")
    assert result.status == 0, result.err
    assert re.search(r"^  Dmitry Peskov +2x  content/articles/\S+:\d+, content/articles/\S+:\d+$", result.out, re.M)
    assert re.search(r"^  (Oleg )?Novitskiy +\dx  like '(Oleg )?Novitsky' \(content/people/oleg-novitsky\.md\)",
                     result.out, re.M)
