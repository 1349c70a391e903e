"""Score import on the development corpus: ``python tests/score_import.py [-v] [--write]``.

Each fixture in ``tests/import_corpus/`` is a news clipping written for this project
(``NAME.txt``) with what a careful editor expects of its import (``NAME.toml``: title,
date, dateline, language, summary, paragraphs, residue, captions, posts, lists,
truncation) and, once reviewed, the exact content file import writes (``NAME.md``, the
golden file). The script prints, per pattern class, how many fixtures import exactly as
expected: every expectation holds and the output equals the golden file.

``-v`` lists each failed expectation; ``--write`` writes the golden files of fixtures
whose expectations all hold and that have none yet (read them before committing);
``--corpus DIR`` scores another folder written the same way, such as a sample of real
pages kept outside the project (without golden files, "exact" then means every
expectation holds).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from microsite.clipping import ArticleDraft, parse_seed  # noqa: E402

CORPUS = REPO / "tests" / "import_corpus"
CLASSES = ("dates", "headline", "residue", "social", "captions", "layout", "language", "mojibake")


@dataclass
class Score:
    name: str
    classes: tuple[str, ...]
    language: str = "en"
    failures: list[str] = field(default_factory=list)
    golden: str = "missing"  # "same", "different" or "missing"

    @property
    def exact(self) -> bool:
        return not self.failures and self.golden in ("same", "none")


def fixtures(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.glob("*.txt") if p.with_suffix(".toml").exists())


def blocks(draft: ArticleDraft) -> list[str]:
    return [b for b in draft.body.strip("\n").split("\n\n") if b]


def plain(text: str) -> str:
    """Markdown escapes undone and white space folded, for comparing with expected text."""
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|])", r"\1", text).replace("Caption&#58;", "Caption:")
    return " ".join(text.split())


def paragraphs(draft: ArticleDraft) -> list[str]:
    return [b for b in blocks(draft) if not b.startswith(("## ", "Caption: ", "> ", "- "))]


def check(draft: ArticleDraft, want: dict) -> list[str]:
    """Every expectation of ``want`` that ``draft`` does not meet, as a sentence."""
    failed: list[str] = []

    def expect(ok: bool, message: str) -> None:
        if not ok:
            failed.append(message)

    paras = [plain(p) for p in paragraphs(draft)]
    body = plain(draft.body)
    if "title" in want:
        expect(draft.title == want["title"], f"title {draft.title!r}, expected {want['title']!r}")
    elif want.get("title_from_lede"):
        first = paras[0] if paras else ""
        stem = draft.title.rstrip("…")
        expect(bool(stem) and first.startswith(stem.split(",")[0][:30]),
               f"title {draft.title!r} is not cut from the lede {first[:60]!r}")
    got_date = draft.date.isoformat() if draft.date else None
    expect(got_date == want.get("date"), f"date {got_date}, expected {want.get('date')}")
    for key in ("dateline", "agency", "language"):
        if key in want or key != "language":
            expect(getattr(draft, key) == want.get(key, ""),
                   f"{key} {getattr(draft, key)!r}, expected {want.get(key, '')!r}")
    if "summary_starts" in want:
        expect(draft.summary.startswith(want["summary_starts"]),
               f"summary {draft.summary[:70]!r} does not start {want['summary_starts']!r}")
    if "first_paragraph_starts" in want:
        first = paras[0] if paras else ""
        expect(first.startswith(want["first_paragraph_starts"]),
               f"first paragraph {first[:70]!r} does not start {want['first_paragraph_starts']!r}")
    if "paragraphs" in want:
        expect(len(paras) == want["paragraphs"], f"{len(paras)} paragraphs, expected {want['paragraphs']}")
    for line in want.get("residue", []):
        where = [k for k, text in (("title", draft.title), ("summary", draft.summary), ("body", body))
                 if plain(line) in text]
        expect(not where, f"residue {line!r} in the {', '.join(where)}")
    captions = [plain(b[len("Caption: "):]) for b in blocks(draft) if b.startswith("Caption: ")]
    for i, start in enumerate(want.get("captions", [])):
        expect(any(c.startswith(start) for c in captions), f"caption {start!r} is not a caption")
        leaks = [k for k, text in (("title", draft.title), ("summary", draft.summary)) if start in text]
        leaks += ["a paragraph"] if any(start in p for p in paras) else []
        expect(not leaks, f"caption {start!r} is in the {', '.join(leaks)}")
        credits = want.get("caption_credits", [])
        if i < len(credits):
            expect(any(c.startswith(start) and c.endswith(plain(credits[i])) for c in captions),
                   f"caption {start!r} lacks its credit {credits[i]!r}")
    quotes = [plain(b.replace("\n>", " ").lstrip("> ")) for b in blocks(draft) if b.startswith("> ")]
    for post in want.get("posts", []):
        match = [q for q in quotes if q.startswith(post["starts"])]
        expect(bool(match), f"post {post['starts']!r} is not a quotation")
        if match:
            q = match[0]
            expect(f"— {post['author']} ({post['handle']})" in q, f"post {post['starts']!r}: author/handle in {q!r}")
            expect("pic.twitter.com" not in q and "t.co/" not in q, f"post {post['starts']!r} keeps its link")
            if "date" in post:
                expect(_long(post["date"]) in q, f"post {post['starts']!r}: no date {_long(post['date'])!r}")
    if "bullets" in want:
        items = sum(1 for b in blocks(draft) if b.startswith("- ") for _ in b.split("\n"))
        expect(items == want["bullets"], f"{items} list items, expected {want['bullets']}")
    for heading in want.get("subheadings", []):
        expect(any(plain(b) == f"## {heading}" for b in blocks(draft)), f"subheading {heading!r} missing")
    expect(draft.truncated == want.get("truncated", False),
           f"truncated {draft.truncated}, expected {want.get('truncated', False)}")
    repaired = any("decoded twice" in w.message for w in draft.warnings)
    expect(repaired == want.get("mojibake", False), f"mojibake warning {repaired}, expected {want.get('mojibake')}")
    return failed


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _long(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"


def score(path: Path, write: bool = False) -> Score:
    want = tomllib.loads(path.with_suffix(".toml").read_text("utf-8"))
    result = Score(path.stem, tuple(want.get("classes", ())), want.get("language", "en"))
    try:
        draft = parse_seed(path.name, path.read_bytes())
    except Exception as exc:  # noqa: BLE001 - a crash is a score of its own
        result.failures.append(f"import failed: {exc}")
        return result
    result.failures = check(draft, want)
    golden = path.with_suffix(".md")
    text = draft.to_markdown()
    if path.parent != CORPUS and not golden.exists():
        result.golden = "none"  # a sample outside the project: its expectations are the measure
    elif golden.exists():
        result.golden = "same" if golden.read_text("utf-8") == text else "different"
    elif write and not result.failures:
        golden.write_text(text, "utf-8")
        result.golden = "same"
    return result


def table(scores: list[Score]) -> str:
    lines = [f"{'class':<10} {'exact':>5} / {'of':<3}  fixtures not exact", "-" * 60]
    for name in CLASSES:
        members = [s for s in scores if name in s.classes]
        bad = [s.name for s in members if not s.exact]
        lines.append(f"{name:<10} {len(members) - len(bad):>5} / {len(members):<3}  {', '.join(bad)}")
    exact = sum(s.exact for s in scores)
    languages = sorted({s.language for s in scores})
    lines += ["-" * 60, f"{'all':<10} {exact:>5} / {len(scores):<3}  languages: {', '.join(languages)}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every failed expectation")
    parser.add_argument("--write", action="store_true", help="write missing golden files of passing fixtures")
    parser.add_argument("--corpus", type=Path, default=CORPUS,
                        help="score another folder of clippings written the same way (NAME.txt + NAME.toml)")
    parser.add_argument("names", nargs="*", help="only these fixtures (file stems)")
    args = parser.parse_args(argv)
    paths = [p for p in fixtures(args.corpus) if not args.names or p.stem in args.names]
    scores = [score(p, args.write) for p in paths]
    if args.verbose:
        for s in scores:
            for failure in s.failures + ([f"golden file {s.golden}"] if s.golden != "same" else []):
                print(f"{s.name}: {failure}")
        print()
    print(table(scores))
    return 0 if all(s.exact for s in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
