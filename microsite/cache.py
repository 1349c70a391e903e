"""The build cache: what one ``build`` leaves for the next, in ``.cache/microsite/``.

Three files and a folder, all replaced atomically and all safe to delete at any time:

* ``manifest.json``: what the last successful build read (every input file's size and
  modification time, the options, the generator's own code) and what it wrote. When
  nothing differs, the next build has nothing to do and says so at once.
* ``state.pickle``: the Builder's caches (parsed files, Markdown conversions, derived
  links), keyed by content: a build after a template change converts no Markdown.
* ``written.pickle``: what the last build wrote into its output folder (a digest, size and
  modification time per file), so the next build links unchanged files from there; and
  what the site it replaced holds.
* ``spare/``: the site the last build replaced, kept for the next build to write over
  (see output.Spare).

(``cards/`` and ``pictures/`` hold drawn files, named by their content.)

Everything is keyed by a fingerprint of the generator's own source and its libraries'
versions, so an upgrade can never reuse a stale result.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import pickle
import sys
import tempfile
import time
from dataclasses import astuple
from importlib import metadata
from pathlib import Path
from typing import Any

from .config import Project
from .errors import Problem

CACHE_DIR = Path(".cache") / "microsite"
SPARE = "spare"  # the folder in it that keeps the replaced site
WATCHED = ("content", "templates", "seeds", "pyproject.toml")
# Files modified this recently may change again within the file system's timestamp
# granularity without their stat changing: they are never taken as unchanged.
SETTLED_NS = 2_000_000_000


@functools.cache
def generator_fingerprint() -> str:
    """A hash of this package's source files and the versions of the libraries it builds with.

    Taken once per process: the code that runs is what was imported, whatever happens to the
    files later, and serve builds many times (reading 30 files and 12 package versions took
    5 ms of every rebuild).
    """
    digest = hashlib.sha256(sys.version.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in ("Markdown", "Jinja2", "python-frontmatter", "PyYAML", "anyascii", "pagefind", "nh3", "stop-words",
                 "pymorphy3", "pymorphy3-dicts-ru", "simplemma", "pillow"):
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()


def input_snapshot(root: Path) -> dict[str, list[int]]:
    """Every input file (relative path) with its size and modification time in ns."""
    found: dict[str, list[int]] = {}
    for name in WATCHED:
        top = root / name
        if top.is_file():
            stat = top.stat()
            found[name] = [stat.st_size, stat.st_mtime_ns]
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            for file in files:
                if file.startswith("."):
                    continue
                path = os.path.join(folder, file)
                try:
                    stat = os.stat(path)
                except OSError:  # a link loop or a dangling link: the build reports it; its own stat is enough
                    stat = os.lstat(path)
                found[os.path.relpath(path, root).replace(os.sep, "/")] = [stat.st_size, stat.st_mtime_ns]
    return found


def build_options(project: Project, out_dir: Path, search: bool = True, in_place: bool = False) -> dict[str, Any]:
    """The options a build's output depends on beyond its input files (kept in the manifest)."""
    return {"base_url": project.config.base_url, "drafts": project.config.drafts,
            "out": str(out_dir.absolute()), "search": search, "in_place": in_place}


def output_stamp(out_dir: Path) -> list[int] | None:
    """The identity of a built folder: its marker file is new in every build that writes."""
    try:
        stat = (out_dir / ".nojekyll").stat()
    except OSError:
        return None
    return [stat.st_ino, stat.st_mtime_ns]


def _unpickle(path: Path) -> Any:
    """The object pickled in ``path``, kept out of the cyclic garbage collector's sweeps.

    The millions of objects a large state makes would set off collections that scan them
    all, while it is read and again in the next stage (a 71 MB state of 5,000 articles:
    0.24 s to read with the collector paused, 0.74-0.90 s without, and 0.5 s more in the
    load stage after it). They live as long as the build, so they are frozen: the
    collector leaves them alone (serve freezes what each build keeps in the same way).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
        gc.freeze()
        return found
    finally:
        if enabled:
            gc.enable()


class BuildCache:
    """Reads and writes the cache folder of one project."""

    def __init__(self, project: Project, enabled: bool = True):
        self.folder = project.root / CACHE_DIR
        self.spare = self.folder / SPARE
        self.enabled = enabled
        self.fingerprint = generator_fingerprint() if enabled else ""

    # ---------------------------------------------------------------- manifest

    def unchanged(self, root: Path, options: dict[str, Any], out_dir: Path) -> dict[str, Any] | None:
        """The last build's pages and warnings, if it read exactly these inputs with these options
        and its output is as it left it; otherwise None."""
        if not self.enabled:
            return None
        manifest = self._read_json("manifest.json")
        if not manifest or manifest.get("generator") != self.fingerprint or manifest.get("options") != options:
            return None
        if manifest.get("output") != output_stamp(out_dir):
            return None
        inputs = input_snapshot(root)
        settled = manifest.get("time_ns", 0) - SETTLED_NS
        if inputs != manifest.get("inputs") or any(stamp[1] >= settled for stamp in inputs.values()):
            return None
        return {"pages": manifest["pages"], "warnings": tuple(Problem(*w) for w in manifest["warnings"])}

    def record(self, root: Path, options: dict[str, Any], out_dir: Path, inputs: dict[str, list[int]],
               pages: int, warnings: tuple[Problem, ...]) -> None:
        """Remember what a successful build read (``inputs``, taken before it started) and wrote."""
        if self.enabled:
            self._write_bytes("manifest.json", json.dumps({
                "generator": self.fingerprint, "options": options, "inputs": inputs,
                "output": output_stamp(out_dir), "time_ns": time.time_ns(), "pages": pages,
                "warnings": [list(astuple(w)) for w in warnings],
            }, sort_keys=True).encode("utf-8"))

    # ---------------------------------------------------------------- state

    def load_state(self) -> dict[str, Any] | None:
        """The Builder caches a previous build saved, or None (missing, damaged, or another generator)."""
        return self._read_pickle("state.pickle")

    def save_state(self, state: dict[str, Any]) -> None:
        if self.enabled:
            # Streamed to the file: never the whole pickle in memory at once.
            self._write("state.pickle", lambda handle: pickle.dump({**state, "generator": self.fingerprint},
                                                                   handle, protocol=pickle.HIGHEST_PROTOCOL))

    # ---------------------------------------------------------------- what was written

    def load_written(self, out_dir: Path) -> tuple[dict | None, dict | None]:
        """What the last build wrote into ``out_dir`` (digests for bytes), if the folder is still
        the one it left: the build links the files it would write unchanged from there. And
        what the site kept in ``spare/`` holds, if it is still the one ``out_dir`` held before
        that build replaced it (each folder's marker stamp says so)."""
        kept = self._read_pickle("written.pickle")
        if kept is None or kept.get("out") != str(out_dir.absolute()):
            return None, None
        files = kept.get("files") if kept.get("stamp") == output_stamp(out_dir) else None
        spare_stamp = kept.get("spare_stamp")
        spare = kept.get("spare") if spare_stamp is not None and spare_stamp == output_stamp(self.spare) else None
        return files, spare

    def save_written(self, out_dir: Path, files: dict, stamp: list[int] | None, spare: dict | None = None,
                     spare_stamp: list[int] | None = None) -> None:
        """Keep ``files`` (output.stored: digests, not bytes) as what is in ``out_dir`` while its
        marker's stamp is ``stamp`` (taken when it was written, not later by a detached saver),
        and ``spare`` as what ``spare/`` holds while its marker's is ``spare_stamp``."""
        if self.enabled:
            kept = {"generator": self.fingerprint, "out": str(out_dir.absolute()), "stamp": stamp, "files": files,
                    "spare": spare, "spare_stamp": spare_stamp}
            self._write("written.pickle", lambda handle: pickle.dump(kept, handle, protocol=pickle.HIGHEST_PROTOCOL))

    # ---------------------------------------------------------------- files

    def _read_pickle(self, name: str) -> dict[str, Any] | None:
        """A dict this generator pickled in the cache folder; None when missing, damaged, or another generator's."""
        if not self.enabled:
            return None
        try:
            found = _unpickle(self.folder / name)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        if not isinstance(found, dict) or found.get("generator") != self.fingerprint:
            return None
        return found

    def _read_json(self, name: str) -> dict | None:
        try:
            return json.loads((self.folder / name).read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def _write_bytes(self, name: str, data: bytes) -> None:
        self._write(name, lambda handle: handle.write(data))

    def _write(self, name: str, fill) -> None:
        """Replace a cache file atomically; a cache that cannot be written is not an error."""
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.")
            with os.fdopen(fd, "wb") as handle:
                fill(handle)
            os.replace(tmp, self.folder / name)
        except OSError:
            if tmp and os.path.exists(tmp):
                os.unlink(tmp)
