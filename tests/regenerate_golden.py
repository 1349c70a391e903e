"""Rewrite tests/golden/*.md from the seeds: ``python tests/regenerate_golden.py``.

Run it after an intended change to the import rules, then read the diff
(``git diff tests/golden``) before committing: every changed line is a change in what
editors get from a seed.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from microsite.clipping import parse_seed  # noqa: E402

GOLDEN = REPO / "tests" / "golden"


def golden_text(seed: Path) -> str:
    """What import makes of ``seed``, as the content file it would write."""
    return parse_seed(seed.name, seed.read_bytes()).to_markdown()


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        target = GOLDEN / f"{seed.stem}.md"
        target.write_text(golden_text(seed), "utf-8")
        print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
