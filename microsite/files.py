"""Reading the project's files: regular files inside the project, and text, nothing else.

Every file the generator reads (content, seeds, templates, assets) comes through here,
so a named pipe never hangs a build, a device or socket is never opened, a symbolic
link loop or a link out of the project is a problem with its path, and a PDF renamed
``.txt`` is refused instead of published.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .errors import Problem, ProjectError, error

# A news article is a few kB and a long page perhaps 100 kB; a file of megabytes is a
# mistake (a dump, a binary), and converting it would stall every build for minutes.
MAX_FILE_BYTES = 2_000_000

# Openings of binary formats people save or rename by mistake. Each signature holds
# bytes that never start a text file (or, for the two that are printable, a shape
# no text starts with), so no article is ever refused for its first words. Libraries
# that guess file types (filetype, puremagic) were tried and refused texts such as
# "BMW ..." (a BMP image), "ID3 ..." (MP3) and "(..." (a pickle).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word, OpenDocument or EPUB file)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00asm", "a WebAssembly module"),
    (b"OggS\x00", "an Ogg audio or video file"),
    (b"fLaC\x00", "a FLAC audio file"),
    (b"ID3\x02", "an MP3 audio file"),
    (b"ID3\x03", "an MP3 audio file"),
    (b"ID3\x04", "an MP3 audio file"),
    (b"\x1aE\xdf\xa3", "a Matroska or WebM video"),
)


def binary_kind(data: bytes) -> str:
    """What binary format ``data`` is ("a PDF document"), or "" for anything that may be text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature) and _confirmed(signature, data):
            return kind
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}[data[8:12]]
    if data[4:8] == b"ftyp":
        return "an MP4 or QuickTime video (or a HEIC image)"
    return ""


def _confirmed(signature: bytes, data: bytes) -> bool:
    """Whether a signature of printable characters is followed by what its format has there."""
    if signature == b"%PDF-":
        return data[5:8].replace(b".", b"").isdigit()  # "%PDF-1.7"
    if signature == b"BZh":
        return data[3:4].isdigit() and data[4:10] == b"1AY&SY"
    if signature == b"MZ":
        return len(data) >= 64 and b"\x00" in data[2:64]
    if signature.startswith(b"GIF8"):  # then width, height and flags: binary numbers
        return any(byte < 0x20 or byte > 0x7E for byte in data[6:13])
    if signature == b"{\\rtf":
        return data[5:6] in (b"1", b"\\")
    return True


def _kind_of_mode(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def not_regular(rel: str, what: str) -> ProjectError:
    return ProjectError(error(rel, 0, f"is {what}, not a regular file; it is not read",
                              "remove it, or put the file itself in its place"))


def link_problem(root: Path, path: Path, rel: str) -> Problem | None:
    """The problem with a symbolic link: a loop, a dangling link, or one leading out of the project."""
    try:
        if not path.is_symlink():
            return None
    except OSError:
        return None
    try:
        target = path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 reports a loop this way
        return _loop(rel)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return _loop(rel)
        return error(rel, 0, "is a symbolic link to something that does not exist",
                     "remove the link, or point it at a file inside the project")
    if not is_inside(str(target), os.path.realpath(root)):
        what = "folder" if target.is_dir() else "file"
        return error(rel, 0, f"is a symbolic link to a {what} outside the project; it is not followed",
                     f"copy the {what} into the project instead of linking to it")
    return None


def _loop(rel: str) -> Problem:
    return error(rel, 0, "is a symbolic link loop (it leads back to itself)",
                 "remove the link, or point it at a real file")


def read_project_file(root: Path, path: Path, rel: str, what: str, hint: str) -> bytes:
    """The bytes of a regular file inside the project, at most MAX_FILE_BYTES.

    ``what`` names the kind of file in messages ("a content file", "a seed"); ``hint``
    says what to do with one that is too large. Opening never blocks (a FIFO is
    refused by its type, not waited on), and the type is read from the open file, so
    it cannot be swapped between the check and the read.
    """
    if problem := link_problem(root, path, rel):
        raise ProjectError(problem)
    if not is_inside(os.path.realpath(path), os.path.realpath(root)):  # a linked folder on the way
        raise ProjectError(error(rel, 0, "is in a linked folder outside the project; it is not read",
                                 "copy the folder into the project instead of linking to it"))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _open_error(rel, exc) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise not_regular(rel, _kind_of_mode(mode))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise too_large(rel, max(len(data), _size(path)), what, hint)
    return data


def too_large(rel: str, size: int, what: str, hint: str) -> ProjectError:
    """The error for a file over MAX_FILE_BYTES; ``what`` names its kind ("a seed")."""
    return ProjectError(error(rel, 0, f"is {size / 1e6:.1f} MB; {what} may be at most "
                                      f"{MAX_FILE_BYTES / 1e6:.0f} MB", hint))


def read_plain(real_root: str, rel: str) -> bytes | None:
    """The bytes of ``real_root/rel`` when it is a regular file of at most MAX_FILE_BYTES with no
    symbolic link on its way (the common case, cheap to check); None otherwise, and then
    ``read_project_file`` gives the reason. ``real_root`` is the project root's real path.
    """
    path = os.path.join(real_root, rel)
    try:
        if os.path.realpath(path) != path:
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return data if len(data) <= MAX_FILE_BYTES else None


def is_inside(real: str, real_root: str) -> bool:
    """Whether the real path ``real`` is ``real_root`` or below it (both with links resolved)."""
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def refuse_binary(rel: str, data: bytes, what: str) -> None:
    """Raise a ProjectError when ``data`` opens like a binary format."""
    kind = binary_kind(data)
    if kind:
        raise ProjectError(error(rel, 0, f"is {kind}, not a text file",
                                 f"{what} must be plain text: copy the text out of it into a UTF-8 text file"))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _open_error(rel: str, exc: OSError) -> ProjectError:
    if exc.errno == errno.ELOOP:
        return ProjectError(_loop(rel))
    if exc.errno == errno.ENXIO:  # a socket
        return not_regular(rel, "a socket")
    return ProjectError(error(rel, 0, f"cannot read: {exc.strerror or exc}", "check the file's permissions"))


def regular_files(root: Path, folder: Path, problems: list[Problem], skip_hidden: bool = True) -> list[Path]:
    """Every regular file under ``folder``, sorted; anything else that would be read is a problem.

    Symbolic links to files inside the project count as files; links to folders are not
    followed (one leading out of the project, or nowhere, is reported). Hidden files and
    folders are skipped when ``skip_hidden``.
    """
    found: list[Path] = []
    for current, dirs, files in os.walk(folder, onerror=None):
        dirs[:] = sorted(d for d in dirs if not (skip_hidden and d.startswith(".")))
        for name in list(dirs):
            path = Path(current, name)
            if problem := link_problem(root, path, _rel(root, path)):
                problems.append(problem)
        for name in sorted(files):
            if skip_hidden and name.startswith("."):
                continue
            path = Path(current, name)
            rel = _rel(root, path)
            if problem := link_problem(root, path, rel):
                problems.append(problem)
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:
                problems.extend(_open_error(rel, exc).problems)
                continue
            if stat.S_ISREG(mode):
                found.append(path)
            elif not stat.S_ISDIR(mode):
                problems.extend(not_regular(rel, _kind_of_mode(mode)).problems)
    return sorted(found)


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def template_problems(root: Path, templates: Path) -> list[Problem]:
    """What in the templates folder cannot be read: FIFOs, devices, link loops, links out.

    Jinja and the asset step list every file there, hidden ones included, and would
    block on a FIFO or follow a loop; they only run once this list is empty.
    """
    problems: list[Problem] = []
    if templates.is_dir():
        regular_files(root, templates, problems, skip_hidden=False)
    return problems
