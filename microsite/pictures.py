"""Editors' pictures: found in ``content/``, described once, and shown as responsive images.

A picture is any JPEG, PNG, WebP or GIF file under ``content/`` (``content/images/`` is
the usual place). Load describes each (its size once upright, and whether it needs a
PNG fallback for transparency); Markdown images and ``image:`` fields that point at one
become a ``<picture>`` with WebP and fallback sources at a few widths and the picture's
own width and height (no layout shift); render makes those renditions with Pillow.

Rendition URLs carry the picture's content key (``/images/crew.3f2a9c01b7de.960.webp``),
so a changed picture gets new URLs and a browser never shows a stale one.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from .imaging import WIDTHS, ImageError, describe

MAX_PICTURE_BYTES = 40_000_000  # a large camera's JPEG is 10-25 MB
SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
# How wide a picture is shown: the text column on a wide screen, the screen on a phone.
BODY_SIZES = "(min-width: 46rem) 42rem, 100vw"
INFOBOX_SIZES = "(min-width: 60rem) 20rem, 100vw"
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}


@dataclass(frozen=True)
class Picture:
    """One picture file of the content folder, as the pages show it."""

    path: str  # "content/images/crew.jpg"
    key: str  # the first 12 hex digits of its content's sha256
    width: int  # upright (EXIF orientation applied)
    height: int
    fallback: str  # "jpeg", or "png" when some pixel is see-through

    @property
    def widths(self) -> tuple[int, ...]:
        """The widths renditions are made at: the usual ones it is wider than, and its own."""
        return tuple(sorted({w for w in WIDTHS if w < self.width} | {self.width}))

    def url(self, width: int, kind: str) -> str:
        stem = re.sub(r"[^a-z0-9-]+", "-", posixpath.splitext(posixpath.basename(self.path))[0].lower()).strip("-")
        return f"/images/{stem or 'picture'}.{self.key}.{width}.{EXTENSIONS[kind]}"

    def srcset(self, kind: str, base_path: str) -> str:
        return ", ".join(f"{base_path}{self.url(w, kind).lstrip('/')} {w}w" for w in self.widths)

    def default_width(self) -> int:
        """The rendition a browser without srcset loads: the largest at most 960 pixels."""
        return max([w for w in self.widths if w <= 960] or [min(self.widths)])


def is_picture(path: str) -> bool:
    return path.lower().endswith(SUFFIXES)


def resolve(document: str, src: str) -> str:
    """A picture's project path from its address as written in ``document`` (relative to it)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(document), src))


def attributes(picture: Picture, alt: str, sizes: str, base_path: str, lazy: bool = True
               ) -> tuple[dict[str, str], dict[str, str]]:
    """The attributes of the WebP ``<source>`` and of the fallback ``<img>``; a page's own picture,
    near its top, is not ``lazy``: it is often the largest thing the reader sees first."""
    source = {"type": "image/webp", "srcset": picture.srcset("webp", base_path), "sizes": sizes}
    image = {"src": base_path + picture.url(picture.default_width(), picture.fallback).lstrip("/"),
             "srcset": picture.srcset(picture.fallback, base_path), "sizes": sizes, "alt": alt,
             "width": str(picture.width), "height": str(picture.height), "loading": "lazy" if lazy else "eager",
             "decoding": "async"}
    return source, image


def markup(picture: Picture, alt: str, sizes: str, base_path: str) -> Markup:
    """The ``<picture>`` element of a page's own picture, for templates."""
    source, image = attributes(picture, alt, sizes, base_path, lazy=False)

    def attrs(values: dict[str, str]) -> str:
        return " ".join(f'{name}="{escape(value)}"' for name, value in values.items())

    return Markup(f"<picture><source {attrs(source)}><img {attrs(image)}></picture>")


def read_picture(root: Path, rel: str) -> bytes | str:
    """The bytes of a picture file, or why they cannot be used (a link out of the project, too large)."""
    path = os.path.join(os.path.realpath(root), rel)
    try:
        if os.path.realpath(path) != path:
            return "is a symbolic link; pictures must be files of the project"
        size = os.path.getsize(path)
        if size > MAX_PICTURE_BYTES:
            return f"is {size // 1_000_000} MB; pictures are limited to {MAX_PICTURE_BYTES // 1_000_000} MB"
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"


def describe_file(root: Path, rel: str, cached: tuple[tuple[int, int], str, Picture | str] | None
                  ) -> tuple[tuple[int, int], str, Picture | str]:
    """((mtime_ns, size), sha256, the Picture) of ``root/rel``, or why it is no picture in place
    of the Picture; ``cached`` as it is when the file's stat is the one it was made from (a
    picture is megabytes: read once, not at every rebuild of serve), or when its bytes are."""
    try:
        status = os.stat(os.path.join(root, rel))
        stamp = (status.st_mtime_ns, status.st_size)
    except OSError:
        stamp = (0, 0)
    if cached is not None and stamp != (0, 0) and cached[0] == stamp:
        return cached
    data = read_picture(root, rel)
    if isinstance(data, str):
        return stamp, "", data
    digest = hashlib.sha256(data).hexdigest()
    if cached is not None and cached[1] == digest:
        return (stamp, *cached[1:])
    try:
        width, height, fallback = describe(data)
    except ImageError as exc:
        return stamp, digest, str(exc)
    return stamp, digest, Picture(rel, digest[:12], width, height, fallback)
