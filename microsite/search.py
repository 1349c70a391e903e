"""Search stage: a Pagefind index of the rendered site, written beside its pages.

Pagefind (PyPI ``pagefind[extended]``) reads the finished HTML, so it runs on the
temporary output folder after every page is written and before the folder replaces
``site/``: a failed indexing leaves the last good site in place.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .errors import MicrositeError


def search_key(outputs: list[tuple[str, bytes]]) -> str:
    """A hash of everything the index is made from: each page's address and what Pagefind reads
    of its main content.

    Pagefind reads only what is inside ``<main>`` (the templates mark the indexed part there):
    the text, the elements it is in, and of their attributes the ids (sub-results point at
    headings), ``lang``, ``data-pagefind-*``, and a picture's ``src`` and ``alt``. Classes,
    styles and link targets it does not index, so a change to those (or to the header, the
    footer or the styles) leaves the key as it was and the index is reused, not rebuilt.
    """
    digest = hashlib.sha256()
    for path, data in outputs:
        if path.endswith(".html") and isinstance(data, bytes):
            start, end = data.find(b"<main"), data.rfind(b"</main>")
            digest.update(path.encode() + b"\0" + _indexed(data[start:end] if 0 <= start < end else data) + b"\0")
    return digest.hexdigest()


_TAG = re.compile(rb"<(/?)([a-zA-Z][\w-]*)([^>]*)>")
_KEPT = re.compile(rb'\s((?:id|lang|alt|src|data-pagefind-[\w-]+)(?:="[^"]*")?)')


def _indexed(html: bytes) -> bytes:
    """``html`` as Pagefind reads it: text and element names, with the attributes it uses only."""
    def tag(m: re.Match) -> bytes:
        return b"<" + m.group(1) + m.group(2) + b"".join(b" " + a for a in _KEPT.findall(m.group(3))) + b">"

    return _TAG.sub(tag, html)


def copy_index(site: Path, folder: Path) -> bool:
    """Hard-link the search index of the built ``site`` into ``folder``; False if there is none."""
    source = site / "pagefind"
    if not source.is_dir():
        return False
    try:
        shutil.copytree(source, folder / "pagefind", copy_function=os.link)
    except OSError:
        shutil.rmtree(folder / "pagefind", ignore_errors=True)
        return False
    return True


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
