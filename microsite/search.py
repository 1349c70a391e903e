"""Search stage: a Pagefind index of the rendered site, written beside its pages.

Pagefind (PyPI ``pagefind[extended]``) reads the finished HTML, so it runs on the
temporary output folder after every page is written and before the folder replaces
``site/``: a failed indexing leaves the last good site in place.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from .errors import MicrositeError
from .parallel import parallel_map


def search_key(outputs: list[tuple[str, bytes]]) -> str:
    """A hash of everything the index is made from: each page's address and what Pagefind reads
    of its main content.

    Pagefind reads only what is inside ``<main>`` (the templates mark the indexed part there):
    the text, the elements it is in, and of their attributes the ids (sub-results point at
    headings), ``lang``, ``data-pagefind-*``, and a picture's ``src`` and ``alt``. Classes,
    styles and link targets it does not index, so a change to those (or to the header, the
    footer or the styles) leaves the key as it was and the index is reused, not rebuilt.
    """
    pages = [(path, data) for path, data in outputs if path.endswith(".html") and isinstance(data, bytes)]

    def page_digest(i: int) -> bytes:
        path, data = pages[i]
        start, end = data.find(b"<main"), data.rfind(b"</main>")
        return hashlib.sha256(path.encode() + b"\0" + _indexed(data[start:end] if 0 <= start < end else data)).digest()

    # A page's digest at a time, on every core: the same key however the pages are shared
    # out (0.38 s in one process at 6,000 pages).
    digest = hashlib.sha256()
    for page in parallel_map(page_digest, len(pages)):
        digest.update(page)
    return digest.hexdigest()


# The attributes Pagefind does not read, which templates change most (a class, a link target,
# ARIA, a picture's sizes). Dropped from the key with one substitution at C speed: a callback
# per tag that kept only the attributes Pagefind reads took 6.7 times as long (2.4 s at 6,000
# pages). An attribute not listed stays in the key: a change to it re-indexes, which costs
# time but is never wrong.
_NOT_INDEXED = re.compile(rb' (?:class|href|style|rel|target|role|width|height|loading|decoding|sizes|srcset|type|'
                          rb'datetime|hidden|tabindex|aria-[\w-]+|data-(?!pagefind-)[\w-]+)="[^"]*"')


def _indexed(html: bytes) -> bytes:
    """``html`` with the attributes Pagefind does not read taken out: its text, its elements, and the
    attributes it uses (ids, ``lang``, ``data-pagefind-*``, a picture's ``src`` and ``alt``)."""
    if _FROM_ATTRIBUTE.search(html):
        return html  # a template takes a meta or filter value from an attribute: every one counts
    return _NOT_INDEXED.sub(b"", html)


_FROM_ATTRIBUTE = re.compile(rb'data-pagefind-(?:meta|filter|sort)="[^"]*\[')


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


def index_site(folder: Path, language: str, output: Path | None = None, niceness: int = 0) -> None:
    """Write ``folder/pagefind/`` (or ``output``): the index and the search UI's scripts.

    ``niceness`` lowers Pagefind's priority (serve indexes in the background: the next
    edit's rebuild, which someone waits for, comes first)."""
    process = start_index(folder, language, output)
    if niceness:
        # Not POSIX, or ended already: then it runs at the usual priority.
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, process.pid, niceness)
    wait_index(process)


def start_index(folder: Path, language: str, output: Path | None = None) -> subprocess.Popen:
    """Start Pagefind on the pages in ``folder``; wait_index waits for it and reports a failure.

    Pagefind reads the file names under ``folder`` when it starts: files added after that (share
    cards, while it runs) are not its concern, and pages must all be there before."""
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent",
               "--force-language", language.split("-")[0].lower()]
    if output is not None:
        command += ["--output-path", str(output)]
    try:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                env=pagefind_environment(os.environ))
    except OSError as exc:
        raise MicrositeError(f"search indexing with Pagefind failed: {exc}") from None


# Pagefind's binary allocates with jemalloc (prefixed build: it reads _RJEM_MALLOC_CONF), whose
# default keeps freed pages for 10 s before handing them back, so the index's intermediate
# data piles up: at 5,000 articles its peak was 942 MB. Returning them after 200 ms, and
# skipping the "muzzy" second stage, gave 745-749 MB with the same user and system time
# (6.6-7.0 s and 1.4-3.2 s over two interleaved runs each) and byte-identical index files.
# Decay 0 saved 15 MB more for 1-3 s more of system time.
PAGEFIND_MALLOC_CONF = "dirty_decay_ms:200,muzzy_decay_ms:0"


def pagefind_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment to run Pagefind in: ``environ`` with its allocator tuned, unless the
    user tuned it already."""
    return {"_RJEM_MALLOC_CONF": PAGEFIND_MALLOC_CONF, **environ}


def wait_index(process: subprocess.Popen, timeout: float = 600) -> None:
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        stop_index(process)
        raise MicrositeError(f"search indexing with Pagefind failed: {exc}") from None
    if process.returncode != 0:
        detail = (output or "").strip() or f"exit status {process.returncode}"
        if "No module named pagefind" in detail:
            detail = "Pagefind is not installed; run: pip install -e ."
        raise MicrositeError(f"search indexing with Pagefind failed: {detail}")


def stop_index(process: subprocess.Popen) -> None:
    """End an indexing the build no longer needs (it failed elsewhere), and reap it."""
    if process.poll() is None:
        process.kill()
    process.communicate()
