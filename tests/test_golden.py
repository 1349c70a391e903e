"""Golden Markdown for the five seeds. Regenerate with ``python tests/regenerate_golden.py``."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from regenerate_golden import GOLDEN, REPO, golden_text

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def test_there_are_five_seeds_each_with_a_golden_file():
    assert len(SEEDS) == 5
    assert sorted(p.stem for p in GOLDEN.glob("*.md")) == [s.stem for s in SEEDS]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_import_matches_golden(seed: Path):
    expected = (GOLDEN / f"{seed.stem}.md").read_text("utf-8")
    assert golden_text(seed) == expected, "import output changed; see tests/regenerate_golden.py"


# SHA-256 of the five original texts in ../shared/seeds, taken when they were copied.
SHARED_SEEDS = {
    "000_251bfa7a82e3aae7.txt": "d88396e04aea180f6d0cded71b83e3fda6f10d63cb4e43781661d825bae3318a",
    "001_531122d5d6028f4c.txt": "53cb0978365db8887309f3e0bfa5a3877744a05736fc04058266a5102fa063e1",
    "002_71c4a0a1a95e626a.txt": "80b36f339b92f7e79867738596f4eb29860dc112bee76982101f55721aab5e02",
    "003_d6db8baa69644283.txt": "191ef7bb657d8535e58427643426ff71c920e6b1af9249a2514f110ff54fa3dc",
    "004_3df36105f315903a.txt": "c4d17c0e52f945866b24d14f1cbf95ac115770d4a35bda88ebac344854aa1a21",
}


def test_seeds_are_the_shared_texts_byte_for_byte():
    found = {seed.name: hashlib.sha256(seed.read_bytes()).hexdigest() for seed in SEEDS}
    assert found == SHARED_SEEDS
    shared = REPO.parent / "shared" / "seeds"
    for seed in SEEDS if shared.is_dir() else ():  # beside a developer's checkout, compare directly too
        assert seed.read_bytes() == (shared / seed.name).read_bytes()
