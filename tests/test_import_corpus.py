"""The development corpus of news clippings (tests/import_corpus/): each imports exactly as
its expectations and its golden file say. ``python tests/score_import.py -v`` shows the
table per pattern class and every failed expectation."""

from __future__ import annotations

import tomllib

import pytest

from score_import import CLASSES, CORPUS, fixtures, score

FIXTURES = fixtures()


def test_the_corpus_covers_every_class_in_four_languages():
    classes: dict[str, set[str]] = {}
    for path in FIXTURES:
        want = tomllib.loads(path.with_suffix(".toml").read_text("utf-8"))
        for name in want.get("classes", ()):
            classes.setdefault(name, set()).add(want.get("language", "en"))
    assert len(FIXTURES) >= 30
    assert set(classes) == set(CLASSES)
    assert len({lang for langs in classes.values() for lang in langs}) >= 4


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_imports_as_expected(path):
    result = score(path)
    assert not result.failures, "\n".join(result.failures)
    assert result.golden == "same", (
        f"{path.stem}: import output differs from {CORPUS.name}/{path.stem}.md; read the difference, then "
        f"delete the .md and run python tests/score_import.py --write {path.stem}"
    )
