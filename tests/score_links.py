"""First-mention recall and false links, per language, on the linking corpus.

    python tests/score_links.py [FOLDER]

Each file of ``tests/link_corpus/`` (or FOLDER) is an article written for this corpus,
modelled on real coverage, with every mention of a known entity marked
``{spelling|slug}``. The marks are removed, the text is converted with the entities of
``content/``, and the links on the page are compared with the marks:

- an entity's first mark outside a heading is a first mention that must be linked,
  on that spelling;
- any other link is a false link (a word that is not the entity, a wrong entity, a
  later mention).

Words left unmarked are not the entity: "mosca" (a fly), "вызов" (a challenge),
"Soyuz MS-18" (another spacecraft), "Moscow time".
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from microsite.config import load_project  # noqa: E402
from microsite.content import load_site  # noqa: E402
from microsite.linking import LinkContext, alias_index, entities_of  # noqa: E402
from microsite.markup import Renderer  # noqa: E402

MARK = re.compile(r"\{([^{}|]+)\|([a-z0-9-]+)\}")
LINK = re.compile(r'<a class="entity" href="/(?:people|topics)/([^/]+)/">([^<]+)</a>')


@dataclass
class Score:
    expected: list[tuple[str, str]] = field(default_factory=list)  # (slug, spelling) first mentions
    linked: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)
    false: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse(path: Path) -> tuple[str, str, list[tuple[str, str]]]:
    """(language, plain Markdown body, expected first links in order) of one corpus file."""
    text = path.read_text("utf-8")
    language = re.search(r"^language: *(\S+)", text, re.MULTILINE).group(1)
    body = text.split("\n---\n", 1)[1]
    expected: dict[str, str] = {}
    for line in body.splitlines():
        if line.lstrip().startswith("#"):
            continue  # headings are never linked; their mentions still count as mentions
        for spelling, slug in MARK.findall(line):
            expected.setdefault(slug, spelling)
    return language, MARK.sub(r"\1", body), list(expected.items())


def score_file(path: Path, renderer: Renderer) -> Score:
    _, body, expected = parse(path)
    html, problems = renderer.convert(body, f"tests/link_corpus/{path.name}", 1, LinkContext())
    got = LINK.findall(html)
    score = Score(expected=expected, warnings=[p.message for p in problems])
    wanted = set(expected)
    score.linked = [pair for pair in got if pair in wanted]
    score.missed = [pair for pair in expected if pair not in got]
    score.false = [pair for pair in got if pair not in wanted]
    return score


def renderer_for_site() -> Renderer:
    site, _ = load_site(load_project(REPO))
    urls = {slug: e.url for slug, e in entities_of(site).items()}
    return Renderer("/", None, alias_index(site), urls)


def score_folder(folder: Path) -> dict[str, dict[str, Score]]:
    """Scores by language, then by file name."""
    renderer = renderer_for_site()
    scores: dict[str, dict[str, Score]] = defaultdict(dict)
    for path in sorted(folder.glob("*.md")):
        language = parse(path)[0]
        scores[language][path.name] = score_file(path, renderer)
    return dict(sorted(scores.items()))


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else REPO / "tests" / "link_corpus"
    scores = score_folder(folder)
    print(f"{'language':<10}{'files':>6}{'first mentions':>16}{'linked':>8}{'recall':>8}{'false links':>13}")
    totals = [0, 0, 0, 0]
    for language, files in scores.items():
        expected = sum(len(s.expected) for s in files.values())
        linked = sum(len(s.linked) for s in files.values())
        false = sum(len(s.false) for s in files.values())
        totals = [totals[0] + len(files), totals[1] + expected, totals[2] + linked, totals[3] + false]
        print(f"{language:<10}{len(files):>6}{expected:>16}{linked:>8}{linked / max(expected, 1):>8.0%}{false:>13}")
    print(f"{'all':<10}{totals[0]:>6}{totals[1]:>16}{totals[2]:>8}{totals[2] / max(totals[1], 1):>8.0%}{totals[3]:>13}")
    for files in scores.values():
        for name, s in files.items():
            for slug, spelling in s.missed:
                print(f"  missed  {name}: {spelling!r} ({slug})")
            for slug, spelling in s.false:
                print(f"  false   {name}: {spelling!r} linked to {slug}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
