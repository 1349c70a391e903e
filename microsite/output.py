"""Write stage: outputs to a temporary folder beside ``site/``, then swapped in at once.

A build that fails or is killed leaves the last good site exactly as it was: the new
site is complete on disk before it takes the old one's place, and on Linux the two
folders trade places in a single ``renameat2(RENAME_EXCHANGE)`` call.

Every folder a build makes beside ``site/`` (``.site.tmp-PID-TOKEN`` for the new site,
``.site.old-PID-TOKEN`` in the two-rename fallback) has a sibling marker file,
``<folder>.microsite``, made before the folder and removed after it. The marker stays
where it is when the folders trade places, so after the exchange the old site, now at
the temporary path, is still marked. The next build removes only marked folders of
dead builds: a folder an editor keeps beside the site (``.site.backup/``) is never
touched, whatever its name, and nothing is ever added inside the published site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISDIR, S_ISREG

from .errors import MicrositeError, UsageError
from .parallel import detached

MARKER = ".nojekyll"  # every built site has it; GitHub Pages needs it (no Jekyll run)
OWN_SUFFIX = ".microsite"  # the sibling file that marks a folder beside the site as a build's own
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


# What a build wrote: path -> (bytes, size, mtime_ns) of each file as it is in out_dir. For a
# file copied from the build cache, its path there stands for its bytes: that file is named
# by its content, so the same path means the same bytes. Read back from the build cache
# (see stored), a Digest of the bytes stands for them.
Written = dict[str, tuple["bytes | Path", int, int]]


class Digest(bytes):
    """A file's BLAKE2b digest, standing for its bytes in a Written kept by the build cache:
    the next ``build`` process links the files it would write unchanged (share cards, pages a
    template change did not reach) from the last site instead of writing them again."""

    @classmethod
    def of(cls, data: bytes) -> Digest:
        return cls(hashlib.blake2b(data, digest_size=16).digest())


def same_content(before: bytes | Path, data: bytes | Path) -> bool:
    """Whether ``data`` is what ``before`` (bytes, a cache path, or a Digest) stands for."""
    if before is data:  # the render cache's very bytes, or the card folder's very path (serve)
        return True
    if isinstance(before, Digest):
        return isinstance(data, bytes) and Digest.of(data) == before
    return before == data


def stored(written: Written) -> Written:
    """``written`` as the build cache keeps it: digests instead of bytes."""
    return {rel: (data if isinstance(data, (Path, Digest)) else Digest.of(data), size, mtime)
            for rel, (data, size, mtime) in written.items()}


@dataclass(frozen=True)
class Spare:
    """Where the site a build replaces is kept for the next build to write over, and what it holds.

    Making a file or a folder costs the file system far more than rewriting one: on this
    project's ext4 test machine, 6,000 pages each in its own folder took 1.7-3.6 s to
    write into a new tree and 0.08 s to write over the same files in place (see _write_over). So the
    replaced site is not deleted but kept (in the build cache), and the next build takes
    that folder as its new one: it deletes what is no longer part of the site, leaves the
    files that already hold their bytes, and writes the others in place, before the same
    atomic swap as ever. The live site is never written to.

    ``take`` False leaves the kept site unused (it is replaced by the one this build
    replaces): for a build whose pages Pagefind reads. Pagefind (1.5) indexes pages in the
    order the file system lists them, and a folder written over lists its files in an
    order that depends on its history on some file systems (tmpfs, ext4's small folders),
    where a new one, written in sorted order, lists them the same way each time.
    """

    folder: Path
    files: Written | None = None  # what it holds, as the build that wrote it recorded (None: unknown)
    take: bool = True


def write_site(outputs: Iterable[tuple[str, bytes]], out_dir: Path, protected: Iterable[Path] = (),
               finish: Callable[[Path], None] | None = None, previous: Written | None = None,
               start: Callable[[Path], None] | None = None, spare: Spare | None = None,
               release: bool = False) -> Written:
    """Replace ``out_dir`` with exactly ``outputs`` (plus the ``.nojekyll`` marker).

    ``start`` runs on the temporary folder once its pages (``.html``) are written and before
    the other files are (the search indexer starts there, and share cards are drawn while it
    runs); ``finish`` runs on the complete folder before it is swapped in (the indexer's
    files are complete there). If either fails, nothing is swapped.

    ``previous`` is what the last build wrote into ``out_dir``: a file whose bytes did
    not change is hard-linked from there instead of written again (when it is still
    the file that build wrote), so a small change costs little even on a large site,
    and the new folder is still complete before the swap.

    With a ``spare`` folder, the new site is written over the one kept there (see Spare),
    and the site it replaces is kept there in turn.

    With ``release`` (the caller holds no other reference to the outputs), each page's bytes
    are let go once the page is on disk, before ``start``: what is returned holds digests.
    """
    out_dir = out_dir.absolute()
    check_out_dir(out_dir, protected)
    items = [(safe_relative(rel), data) for rel, data in outputs]
    outputs = ()  # (the caller's list, when it let go of it, goes now)
    try:
        tmp, taken = _make_temporary(out_dir, spare.folder if spare and spare.take else None)
    except OSError as exc:  # e.g. a read-only or full file system: before anything was written
        raise _write_error(out_dir, "cannot write the site", exc) from None
    written: Written = {}
    swapped = False
    try:
        found, made = _prune(tmp, {rel for rel, _ in items}) if taken else ({}, {""})
        kept = spare.files if spare and taken and spare.files else {}
        pages = [item for item in items if item[0].endswith(".html")] if start else items
        others = [item for item in items if not item[0].endswith(".html")] if start else []
        items = []
        for batch in (pages, others):
            for rel, data in batch:
                target = tmp / rel
                here = found.pop(rel, None)
                if here is not None and _holds(kept.get(rel), data, here):
                    written[rel] = (_kept_as(data, release), here.st_size, here.st_mtime_ns)
                    continue
                if here is not None and here.st_nlink == 1:
                    _write_over(target, data)  # the kept site's own file
                else:
                    if here is not None:  # linked from a live site by an earlier build: never written through
                        target.unlink()
                    if (folder := posixpath.dirname(rel)) not in made:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        made.add(folder)
                    if not (previous and _link_unchanged(previous.get(rel), data, out_dir / rel, target)):
                        _put(target, data)
                stat = target.stat()
                written[rel] = (_kept_as(data, release), stat.st_size, stat.st_mtime_ns)
            if start is not None and batch is pages:
                if release:
                    # Pagefind starts next and share cards are drawn by processes forked from
                    # this one: neither needs the pages in this process's memory.
                    pages.clear()
                    data = b""
                    _give_back_memory()
                start(tmp)
        (tmp / MARKER).write_bytes(b"")
        if finish is not None:
            finish(tmp)
            _check_room(tmp)
        os.chmod(tmp, 0o755)
        swapped = _swap(tmp, out_dir)
    except OSError as exc:
        raise _write_error(out_dir, "cannot write the site", exc) from None
    finally:
        if not swapped:  # failed, or moved into place by a plain rename: only the marker may be left
            _remove_own(tmp)
    # The old site, now at tmp's path (and still marked as ours).
    if swapped and not (spare and _keep(tmp, out_dir, spare.folder)):
        _discard(tmp)
    return written


def _kept_as(data: bytes | Path, release: bool) -> bytes | Path:
    """What stands for ``data`` in what a build wrote: its digest when its bytes are let go."""
    return Digest.of(data) if release and isinstance(data, bytes) else data


def _give_back_memory() -> None:
    """Return freed memory to the system: glibc keeps the freed middle of its heap otherwise,
    and the pages a build let go (100 MB at 5,000 articles) were freed there."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def _make_temporary(out_dir: Path, spare: Path | None = None) -> tuple[Path, bool]:
    """A marked folder beside ``out_dir`` for the new site, after removing those of dead builds:
    the ``spare`` folder moved there (True), or else a new, empty one (False)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(out_dir)
    while True:
        folder = _reserve(out_dir, "tmp")
        if spare is not None and _take(spare, folder):
            return folder, True
        try:
            os.mkdir(folder, 0o700)
            return folder, False
        except FileExistsError:  # someone else's folder has that name: leave it, take another
            _marker(folder).unlink(missing_ok=True)


def _take(spare: Path, folder: Path) -> bool:
    """Move the kept site at ``spare`` to ``folder`` (free, and marked as ours); False if there is
    none, or it is on another file system (it stays: a build into an --out elsewhere must not
    cost the project's own site/ its kept one)."""
    try:
        found = os.lstat(spare)
        if not S_ISDIR(found.st_mode) or found.st_dev != os.stat(folder.parent).st_dev:
            return False
        os.rename(spare, folder)
        return True
    except OSError:
        return False


def _keep(old: Path, out_dir: Path, spare: Path) -> bool:
    """Keep the replaced site ``old`` at ``spare`` for the next build (True); False: delete it instead.

    Its search index goes first, deleted in the background (the next build makes its own
    or links the live one's), as does a site kept there before (one a build did not take).
    """
    index = old / "pagefind"
    for folder in (index, spare):
        if not os.path.lexists(folder):
            continue
        if not folder.is_dir() or folder.is_symlink():  # a file or a link (put there by hand)
            try:
                folder.unlink()
            except OSError:
                return False
        elif not _throw_away(folder, out_dir):
            return False
    try:
        spare.parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, spare)
    except OSError:
        return False
    _marker(old).unlink(missing_ok=True)
    return True


def _throw_away(folder: Path, out_dir: Path) -> bool:
    """Move ``folder`` to a marked folder beside ``out_dir`` and delete it there (in the background
    when it is large); False if it cannot be moved."""
    trash = _reserve(out_dir, "tmp")
    try:
        os.rename(folder, trash)
    except OSError:
        _marker(trash).unlink(missing_ok=True)
        return False
    _discard(trash)
    return True


def _prune(folder: Path, wanted: set[str]) -> tuple[dict[str, os.stat_result], set[str]]:
    """Delete from ``folder`` (a kept site) whatever is not one of the ``wanted`` files or a folder
    holding one; the stats of the wanted files found, and the folders that stay (all paths
    relative to ``folder``, as strings: 12,000 Path objects were half of this at 5,000 articles).

    Only regular files stay: a link, a FIFO or a folder where a file is wanted goes, as does
    the ``.nojekyll`` marker (a new one tells this build's site from the kept one's)."""
    holders = {""}
    for rel in wanted:
        parent = posixpath.dirname(rel)
        while parent not in holders:
            holders.add(parent)
            parent = posixpath.dirname(parent)
    found: dict[str, os.stat_result] = {}
    folders = {""}
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as entries:
            listed = sorted(entries, key=lambda entry: entry.name)
        for entry in listed:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if rel in holders:
                    pending.append((rel + "/", entry.path))
                    folders.add(rel)
                else:
                    shutil.rmtree(entry.path)
            elif rel in wanted and entry.is_file(follow_symlinks=False):
                found[rel] = entry.stat(follow_symlinks=False)
            else:
                os.unlink(entry.path)
    return found, folders


def _holds(before: tuple[bytes | Path, int, int] | None, data: bytes | Path, stat: os.stat_result) -> bool:
    """Whether a file a build wrote, as recorded (``before``) and as found (``stat``), holds ``data``."""
    if before is None or (stat.st_size, stat.st_mtime_ns) != before[1:]:
        return False
    # A size that differs answers at once: a template change alters most pages' length (no digest).
    return (not isinstance(data, bytes) or len(data) == stat.st_size) and same_content(before[0], data)


def _reserve(out_dir: Path, kind: str) -> Path:
    """A free name ``.{out}.{kind}-PID-TOKEN`` beside ``out_dir``, its marker made (nothing else yet).

    The marker comes first: a build killed right after it leaves a stray marker, which
    the next build removes, never an unmarked folder that nobody would remove.
    """
    while True:
        folder = out_dir.with_name(f".{out_dir.name}.{kind}-{os.getpid()}-{os.urandom(4).hex()}")
        if os.path.lexists(folder):
            continue
        marker = _marker(folder)
        try:
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)  # never follows a link
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_marker_text(out_dir))
        except OSError:  # a full disk: a marker without its text would never be removed
            marker.unlink(missing_ok=True)
            raise
        return folder


def _marker(folder: Path) -> Path:
    """The file that marks ``folder`` as a build's own."""
    return folder.with_name(folder.name + OWN_SUFFIX)


def _marker_text(out_dir: Path) -> bytes:
    """What a marker holds: it names the output folder, so a file that merely has the name is not ours."""
    return os.fsencode(f"microsite build folder beside {out_dir.name}; the next build removes it\n")


def _remove_own(folder: Path) -> None:
    """Delete a folder this build made, then its marker (in that order, so a crash leaves it marked)."""
    if os.path.isdir(folder) and not os.path.islink(folder):
        shutil.rmtree(folder, ignore_errors=True)
    if not os.path.lexists(folder):
        _marker(folder).unlink(missing_ok=True)


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
    """Delete a replaced site (and its marker); on a large site, in a detached process so the build ends sooner.

    The new site is already in place. If the deleting process dies, the next build
    finds the folder by its marker and removes it (see _clean_leftovers).
    """
    if folder.is_dir() and _larger_than(folder, 500):
        detached(lambda: _remove_own(folder))
    else:
        _remove_own(folder)


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
            if before is not None and same_content(before[0], data):
                written[rel] = before  # this folder is the preview's own: nobody else writes into it
                continue
            rel = safe_relative(rel)
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            os.close(fd)
            _put(Path(tmp), data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
            stat = target.stat()
            written[rel] = (data, stat.st_size, stat.st_mtime_ns)
        for rel in sorted(set(previous) - set(written), reverse=True):
            _remove(out_dir, rel)
    except OSError as exc:
        raise _write_error(out_dir, "cannot update the site", exc) from None
    return written


def _put(target: Path, data: bytes | Path) -> None:
    """Write ``data`` to ``target``; a path is a file to copy (a share card in the build cache).
    Copied, not linked: whatever is done to the built site must not reach the cache."""
    if isinstance(data, Path):
        shutil.copyfile(data, target)
    else:
        target.write_bytes(data)


def _write_over(target: Path, data: bytes | Path) -> None:
    """Write ``data`` over the file ``target`` in place, then cut it to length.

    Not truncated first: ext4 flushes a file truncated to nothing and written again when it
    is closed (its auto_da_alloc guard for editors' saves), which made 6,000 pages written
    over 0.44-0.72 s instead of 0.08 s. Nobody reads the kept site, so a half-written file
    there is never seen (a killed build's folder is deleted by the next)."""
    if isinstance(data, Path):
        data = data.read_bytes()
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(data))
    finally:
        os.close(fd)


def _remove(out_dir: Path, rel: str) -> None:
    """Delete a file that is no longer part of the site, and the folders it leaves empty."""
    target = out_dir / rel
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _link_unchanged(before: tuple[bytes, int, int] | None, data: bytes, current: Path, target: Path) -> bool:
    """Hard-link ``current`` to ``target`` if it holds exactly ``data`` as the last build left it
    (changed by someone since, it is written afresh)."""
    if before is None:
        return False
    try:
        if not _holds(before, data, current.stat()):
            return False
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
    folders = [folder.absolute() for folder in protected]
    # The project root holds the others, and site/ rightly sits in it; inside content/,
    # templates/ or seeds/ a site would be read back as input (and serve rebuild forever).
    holders = {f for f in folders if any(f in g.parents for g in folders)}
    for folder in folders:
        if out_dir == folder or out_dir in folder.parents:
            raise UsageError(f"refusing to build into {out_dir}: that would replace {folder}")
        if folder in out_dir.parents and folder not in holders:
            raise UsageError(f"refusing to build into {out_dir}: it is inside {folder}, whose files are the "
                             "project's own; choose an --out outside it")
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
    # No atomic exchange on this system: two renames. A crash between them leaves the old
    # site in a marked folder, which the next build puts back (see _clean_leftovers).
    old = _reserve(current, "old")
    os.rename(current, old)
    try:
        os.rename(new, current)
    except OSError:
        os.rename(old, current)  # the old site back in place before the error is reported
        _marker(old).unlink(missing_ok=True)
        raise
    os.rename(old, new)  # the old site now at new's path, under new's marker
    _marker(old).unlink(missing_ok=True)
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
    """Remove the folders of builds that died; restore a site lost between two renames.

    Only a folder with its marker (see _reserve) is a build's; anything else beside the
    site is someone's and stays, whatever its name.
    """
    own = re.compile(re.escape(f".{out_dir.name}.") + r"(tmp|old)-(\d+)-[0-9a-f]+" + re.escape(OWN_SUFFIX))
    try:
        names = sorted(os.listdir(out_dir.parent))
    except OSError:
        return  # the write that follows reports why the folder cannot be used
    for name in names:
        match = own.fullmatch(name)
        if not match or _alive(int(match.group(2))):
            continue
        marker = _is_marker(out_dir.parent / name, out_dir)
        if marker == "begun":  # killed while writing it: the folder was never made
            (out_dir.parent / name).unlink(missing_ok=True)
        if marker != "whole":
            continue
        folder = out_dir.parent / name.removesuffix(OWN_SUFFIX)
        if match.group(1) == "old" and not out_dir.exists() and folder.is_dir() and not folder.is_symlink():
            os.rename(folder, out_dir)  # killed between the renames of _swap: the old site goes back
        _remove_own(folder)


def _is_marker(path: Path, out_dir: Path) -> str:
    """Whether ``path`` is a marker a build wrote for ``out_dir``: "whole" (a small regular file
    with our text), "begun" (the start of that text, or nothing yet: the build was killed
    between making the file and writing it, before it made the folder), or ""."""
    expected = _marker_text(out_dir)
    try:
        # Never through a link, and without waiting: opening a FIFO for reading would block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return ""
    try:
        info = os.fstat(fd)  # a folder or a FIFO opens too: only a regular file can be a marker
        if not S_ISREG(info.st_mode) or info.st_size > len(expected):
            return ""
        text = os.read(fd, len(expected) + 1)
        return "whole" if text == expected else "begun" if expected.startswith(text) else ""
    except OSError:
        return ""
    finally:
        os.close(fd)


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
