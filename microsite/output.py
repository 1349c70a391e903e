"""Write stage: outputs to a temporary folder beside ``site/``, then swapped in at once.

A build that fails or is killed leaves the last good site exactly as it was: the new
site is complete on disk before it takes the old one's place, and on Linux the two
folders trade places in a single ``renameat2(RENAME_EXCHANGE)`` call.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import MicrositeError, UsageError
from .parallel import detached

MARKER = ".nojekyll"  # every built site has it; GitHub Pages needs it (no Jekyll run)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


# What a build wrote: path -> (bytes, size, mtime_ns) of each file as it is in out_dir.
Written = dict[str, tuple[bytes, int, int]]


def write_site(outputs: Iterable[tuple[str, bytes]], out_dir: Path, protected: Iterable[Path] = (),
               finish: Callable[[Path], None] | None = None, previous: Written | None = None) -> Written:
    """Replace ``out_dir`` with exactly ``outputs`` (plus the ``.nojekyll`` marker).

    ``finish`` runs on the complete temporary folder before it is swapped in (the
    search indexer adds its files there); if it fails, nothing is swapped.

    ``previous`` is what the last build wrote into ``out_dir``: a file whose bytes did
    not change is hard-linked from there instead of written again (when it is still
    the file that build wrote), so a small change costs little even on a large site,
    and the new folder is still complete before the swap.
    """
    out_dir = out_dir.absolute()
    check_out_dir(out_dir, protected)
    try:
        tmp = _make_temporary(out_dir)
    except OSError as exc:  # e.g. a read-only or full file system: before anything was written
        raise _write_error(out_dir, "cannot write the site", exc) from None
    written: Written = {}
    swapped = False
    try:
        made: set[Path] = {tmp}
        for rel, data in outputs:
            rel = safe_relative(rel)
            target = tmp / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if not (previous and _link_unchanged(previous.get(rel), data, out_dir / rel, target)):
                target.write_bytes(data)
            stat = target.stat()
            written[rel] = (data, stat.st_size, stat.st_mtime_ns)
        (tmp / MARKER).write_bytes(b"")
        if finish is not None:
            finish(tmp)
            _check_room(tmp)
        os.chmod(tmp, 0o755)
        swapped = _swap(tmp, out_dir)
    except OSError as exc:
        raise _write_error(out_dir, "cannot write the site", exc) from None
    finally:
        if tmp.exists() and not swapped:
            shutil.rmtree(tmp, ignore_errors=True)
    if swapped:
        _discard(tmp)  # the old site, now at tmp's path
    return written


def _make_temporary(out_dir: Path) -> Path:
    """An empty folder beside ``out_dir`` for the new site, after removing those of dead builds."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(out_dir)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-{os.getpid()}-", dir=out_dir.parent))


def _check_room(folder: Path) -> None:
    """Raise ENOSPC when the file system holding ``folder`` has not one block left.

    Pagefind (1.5) ignores write errors: on a full disk it exits 0 and leaves empty or
    truncated index files. A writer stopped by a full disk leaves it full, so if one
    more block cannot be written, the folder may be incomplete and must not go live.
    """
    probe = folder / ".room-probe"
    try:
        with open(probe, "wb", buffering=0) as handle:
            handle.write(bytes(4096))
    finally:
        probe.unlink(missing_ok=True)


# What to do about the usual reasons a site cannot be written ({parent}: where it is written).
_HINTS = {
    errno.ENOSPC: "free some space there or choose another --out; the new site is written beside "
                  "the old one before it replaces it, so both must fit at once",
    errno.EROFS: "{parent} is on a read-only file system; choose a writable folder with --out",
    errno.EACCES: "the new site is written in {parent} before it replaces the old one: "
                  "make that folder writable or choose another --out",
    errno.EFBIG: "a file is larger than this process may write; check the file size limit (ulimit -f)",
}
_HINTS[errno.EDQUOT] = _HINTS[errno.ENOSPC]
_HINTS[errno.EPERM] = _HINTS[errno.EACCES]


def _write_error(out_dir: Path, what: str, exc: OSError) -> MicrositeError:
    """``out_dir: what: reason``, with a hint on the next line for the usual reasons."""
    text = f"{out_dir}: {what}: {exc.strerror or exc}"
    hint = _HINTS.get(exc.errno)
    if hint:
        text += "\n  hint: " + hint.format(parent=out_dir.parent)
    return MicrositeError(text)


def _discard(folder: Path) -> None:
    """Delete a replaced site; on a large site, in a detached process so the build ends sooner.

    The new site is already in place. If the deleting process dies, the next build
    finds the folder by its name and removes it (see _clean_leftovers).
    """
    if not folder.exists():
        return
    if _larger_than(folder, 500):
        detached(lambda: shutil.rmtree(folder, ignore_errors=True))
    else:
        shutil.rmtree(folder, ignore_errors=True)


def _larger_than(folder: Path, entries: int) -> bool:
    count = 0
    for _ in folder.iterdir():
        count += 1
        if count > entries:
            return True
    for sub in ("articles", "people", "topics"):
        if (folder / sub).is_dir():
            count += sum(1 for _ in (folder / sub).iterdir())
        if count > entries:
            return True
    return False


def update_in_place(outputs: Iterable[tuple[str, bytes]], out_dir: Path, previous: Written | None,
                    protected: Iterable[Path] = ()) -> Written:
    """Bring ``out_dir`` from what the last build wrote (``previous``) to ``outputs``, file by file.

    For ``serve``: each changed file is replaced in one rename, so no reader ever sees a
    half-written page, and only changed files are touched, so a one-article edit costs
    the same on a site of five pages or five thousand. The whole-folder swap of
    ``write_site`` is used for the first build and whenever the folder is not as the
    last build left it.
    """
    out_dir = out_dir.absolute()
    if previous is None or not (out_dir / MARKER).exists():
        return write_site(outputs, out_dir, protected)
    written: Written = {}
    try:
        for rel, data in outputs:
            before = previous.get(rel)  # its keys passed safe_relative when they were written
            if before is not None and before[0] == data:
                written[rel] = before  # this folder is the preview's own: nobody else writes into it
                continue
            rel = safe_relative(rel)
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
            stat = target.stat()
            written[rel] = (data, stat.st_size, stat.st_mtime_ns)
        for rel in sorted(set(previous) - set(written), reverse=True):
            _remove(out_dir, rel)
    except OSError as exc:
        raise _write_error(out_dir, "cannot update the site", exc) from None
    return written


def _remove(out_dir: Path, rel: str) -> None:
    """Delete a file that is no longer part of the site, and the folders it leaves empty."""
    target = out_dir / rel
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _link_unchanged(before: tuple[bytes, int, int] | None, data: bytes, current: Path, target: Path) -> bool:
    """Hard-link ``current`` to ``target`` if it holds exactly ``data`` as the last build left it."""
    if before is None or before[0] != data:
        return False
    try:
        stat = current.stat()
        if (stat.st_size, stat.st_mtime_ns) != before[1:]:
            return False  # someone changed the built file since: write it afresh
        os.link(current, target)
        return True
    except OSError:
        return False


def safe_relative(rel: str) -> str:
    """``rel`` if it stays inside the output folder; anything else is a bug, not a path."""
    normal = posixpath.normpath(rel)
    if rel.startswith("/") or normal.startswith("..") or normal in (".", "") or "\x00" in rel:
        raise MicrositeError(f"refusing to write {rel!r}: it would leave the output folder")
    return normal


def check_out_dir(out_dir: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder whose replacement would destroy someone's files.

    ``protected`` folders (the project root, content/, templates/ ...) can be neither
    the output folder nor inside it.
    """
    for folder in protected:
        folder = folder.absolute()
        if out_dir == folder or out_dir in folder.parents:
            raise UsageError(f"refusing to build into {out_dir}: that would replace {folder}")
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MARKER).exists())):
        raise UsageError(
            f"refusing to replace {out_dir}: it is not a site built by this tool (no {MARKER}); "
            "remove it or choose another --out"
        )


def _swap(new: Path, current: Path) -> bool:
    """Put ``new`` at ``current``'s path; the old folder (if any) ends at ``new``'s path (True)."""
    if not current.exists():
        os.rename(new, current)
        return False
    if _exchange(new, current):
        return True
    # No atomic exchange on this system: two renames, undone on the next build if a
    # crash falls between them (see _clean_leftovers).
    old = current.with_name(f".{current.name}.old-{os.getpid()}")
    os.rename(current, old)
    os.rename(new, current)
    os.rename(old, new)
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux's renameat2; False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _clean_leftovers(out_dir: Path) -> None:
    """Remove temporary folders of builds that died; restore a site lost between renames."""
    for path in sorted(out_dir.parent.glob(f".{out_dir.name}.*-*")):
        pid = path.name.removeprefix(f".{out_dir.name}.").split("-")[1]
        if pid.isdigit() and _alive(int(pid)):
            continue
        if ".old-" in path.name and not out_dir.exists():
            os.rename(path, out_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
