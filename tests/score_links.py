"""First-mention recall and false links per language, and what suggest finds, on the linking corpus.

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
"Moscow time". Names that have no page are planted for ``suggest``:
``{Akihiko Hoshide|+hoshide}`` (one group per id after "+", every spelling of it must
come out as one suggestion), and ``{Τομ Κρουζ|~tom-cruise}`` (a spelling that must be
listed as close to that entity). Neither may be linked.
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

MARK = re.compile(r"\{([^{}|]+)\|([+~]?[a-z0-9-]+)\}")
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
            if slug[0] not in "+~":
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


@dataclass
class SuggestScore:
    planted: dict[str, set[str]]  # group id -> spellings
    close: dict[str, str]  # spelling -> slug it must be close to
    found: list[str] = field(default_factory=list)  # group ids found whole, as one suggestion
    split: list[str] = field(default_factory=list)  # group ids missing, or spread over suggestions
    close_found: list[str] = field(default_factory=list)
    close_missed: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)  # suggestions of nothing planted
    never: list[str] = field(default_factory=list)  # suggestions that are stop words, months, abbreviations
    dangerous: list[str] = field(default_factory=list)  # close to an alias whose numbers differ


def score_suggest(folder: Path) -> SuggestScore:
    """Run suggest on the corpus as the articles of a copy of this site."""
    import shutil
    import tempfile

    from microsite.linking import build_index
    from microsite.pipeline import link
    from microsite.suggest import _DIGITS, _never_names, suggest

    planted: dict[str, set[str]] = defaultdict(set)
    close: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("content", "templates"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        languages = {}
        for path in sorted(folder.glob("*.md")):
            text = path.read_text("utf-8")
            for spelling, mark in MARK.findall(text):
                if mark[0] == "+":
                    planted[mark[1:]].add(spelling)
                elif mark[0] == "~":
                    close[spelling] = mark[1:]
            language, body, _ = parse(path)
            languages[path.stem] = language
            (root / "content" / "articles" / f"corpus-{path.name}").write_text(
                f"---\ntitle: {path.stem}\nlanguage: {language}\n---\n\n{body}", "utf-8")
        site, _ = load_site(load_project(root))
        index = build_index(site)
        # The site's own articles stay (pages cite them); only what the corpus names counts.
        found = [s for s in suggest(link(site, passages=True)[0], index)
                 if any("/corpus-" in p.path for p in s.places)]
    score = SuggestScore(dict(planted), close)
    every_never = frozenset().union(*(_never_names(lang) for lang in set(languages.values())))
    for group, spellings in sorted(planted.items()):
        holders = [s for s in found if spellings & {s.name, *s.spellings}]
        whole = len(holders) == 1 and spellings <= {holders[0].name, *holders[0].spellings}
        (score.found if whole else score.split).append(group)
    for spelling, slug in sorted(close.items()):
        hit = any(s.name == spelling and s.close_owner.endswith(f"/{slug}.md") for s in found)
        (score.close_found if hit else score.close_missed).append(spelling)
    known = set().union(*planted.values()) | set(close)
    for s in found:
        if not ({s.name, *s.spellings} & known):
            score.noise.append(s.name)
        if s.name.casefold() in every_never:
            score.never.append(s.name)
        if s.close_to and _DIGITS.findall(s.name) != _DIGITS.findall(s.close_to):
            score.dangerous.append(f"{s.name} ~ {s.close_to}")
    return score


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
    sg = score_suggest(folder)
    suggestions = len(sg.found) + len(sg.close_found) + len(sg.noise)
    print(f"\nsuggest: {len(sg.found)} of {len(sg.planted)} planted names found whole (grouped), "
          f"{len(sg.close_found)} of {len(sg.close)} close spellings found; "
          f"noise {len(sg.noise)} of {suggestions} suggestions; stop words {len(sg.never)}; "
          f"dangerous near misses {len(sg.dangerous)}")
    for label, items in (("missing or split", sg.split), ("close missed", sg.close_missed), ("noise", sg.noise),
                         ("stop word", sg.never), ("dangerous", sg.dangerous)):
        for item in items:
            print(f"  {label}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
