"""Compare boilerplate removal on the import corpus: our rules, jusText and trafilatura.

    pip install justext lxml_html_clean trafilatura   # only for this comparison
    python bench/boilerplate.py

For each fixture of tests/import_corpus, the lines its expectations list as residue
should go, and every paragraph of prose (20 words or more, not residue) should stay.
jusText and trafilatura read HTML, so each unit of the seed (a paragraph or stand-alone
line, as import splits it) is given to them as a ``<p>``; jusText gets the stop list of
the fixture's language. The figures decided which one import uses (see the README).
"""

from __future__ import annotations

import html
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from microsite.clipping import parse_seed, repair_mojibake, split_units  # noqa: E402

CORPUS = REPO / "tests" / "import_corpus"
STOPLISTS = {"en": "English", "ru": "Russian", "it": "Italian", "pt": "Portuguese", "de": "German", "es": "Spanish",
             "fr": "French"}


def fold(text: str) -> str:
    return " ".join(text.split())


def middle(text: str) -> str:
    third = len(text) // 3
    return text[third:third + 40]


def cases():
    for path in sorted(CORPUS.glob("*.txt")):
        want = tomllib.loads(path.with_suffix(".toml").read_text("utf-8"))
        text, _ = repair_mojibake(path.name, path.read_text("utf-8"))  # judged on the text as it should read
        units = [fold(u.text) for u in split_units(text)]
        residue = {fold(r) for r in want.get("residue", [])}
        prose = [u for u in units if len(u.split()) >= 20 and u not in residue]
        yield path, want, units, residue, prose


def score(kept_of) -> tuple[int, int, int, int]:
    """(residue lines removed, residue lines, prose paragraphs lost, prose paragraphs)."""
    removed = total = lost = paragraphs = 0
    for path, want, units, residue, prose in cases():
        kept = kept_of(path, want, units)
        present = [r for r in residue if r in units]
        total += len(present)
        removed += sum(1 for r in present if not any(r == k for k in kept))
        paragraphs += len(prose)
        # A paragraph is kept when its middle is: import moves a dateline at its start to the
        # front matter and a credit or picture link at its end to a caption or quotation.
        lost += sum(1 for p in prose if not any(middle(p) in k for k in kept))
    return removed, total, lost, paragraphs


def ours(path, want, units) -> list[str]:
    draft = parse_seed(path.name, path.read_bytes())
    # What the reader gets: the summary (a deck), the body with captions and quoted posts.
    text = fold(" ".join([draft.summary, draft.body.replace("\\", "").replace("\n> ", " ").replace("\n>", " ")]))
    return [u for u in units if u in text or middle(u) in text]


def justext_kept(path, want, units) -> list[str]:
    import justext

    page = "<html><body>" + "".join(f"<p>{html.escape(u)}</p>" for u in units) + "</body></html>"
    stoplist = justext.get_stoplist(STOPLISTS[want.get("language", "en")])
    return [fold(p.text) for p in justext.justext(page.encode("utf-8"), stoplist) if not p.is_boilerplate]


def trafilatura_kept(path, want, units) -> list[str]:
    import trafilatura

    page = "<html><body><article>" + "".join(f"<p>{html.escape(u)}</p>" for u in units) + "</article></body></html>"
    return [fold(line) for line in (trafilatura.extract(page) or "").split("\n")]


def main() -> None:
    tools = [("import's rules", ours), ("jusText 3", justext_kept), ("trafilatura 2", trafilatura_kept)]
    print(f"{'':16} {'residue removed':>16} {'prose lost':>12}")
    for name, kept_of in tools:
        try:
            removed, total, lost, paragraphs = score(kept_of)
        except ImportError as exc:
            print(f"{name:16} not installed ({exc.name}); see the docstring")
            continue
        print(f"{name:16} {removed:>9} / {total:<5} {lost:>6} / {paragraphs:<5}")


if __name__ == "__main__":
    main()
