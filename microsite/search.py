"""Search stage: a Pagefind index of the rendered site, written beside its pages.

Pagefind (PyPI ``pagefind[extended]``) reads the finished HTML, so it runs on the
temporary output folder after every page is written and before the folder replaces
``site/``: a failed indexing leaves the last good site in place.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import MicrositeError


def index_site(folder: Path, language: str, output: Path | None = None) -> None:
    """Write ``folder/pagefind/`` (or ``output``): the index and the search UI's scripts."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent",
               "--force-language", language.split("-")[0].lower()]
    if output is not None:
        command += ["--output-path", str(output)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MicrositeError(f"search indexing with Pagefind failed: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        if "No module named pagefind" in detail:
            detail = "Pagefind is not installed; run: pip install -e ."
        raise MicrositeError(f"search indexing with Pagefind failed: {detail}")
