"""Slugs: the lower-case ASCII, hyphenated names that become public URLs."""

from __future__ import annotations

import re

from anyascii import anyascii

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Apostrophes inside words vanish rather than split them: "world's" -> "worlds".
_APOSTROPHES = re.compile(r"(?<=\w)['’‘`](?=\w)")

# Names that Windows cannot create as files, whatever the extension; a slug that
# equals one would break a checkout of the built site there.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)

MAX_SLUG_WORDS = 8
MAX_SLUG_LENGTH = 60
# Words a slug cut short should not end on ("...-joining-a" reads as a mistake).
_TRAILING_STOP_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"]
)


def slugify(text: str, max_words: int = MAX_SLUG_WORDS) -> str:
    """Turn any text into a URL slug: transliterated, lower case, hyphenated.

    Long texts are cut at a word boundary so URLs stay readable. Returns "" when
    nothing usable is left (the caller decides what that means).
    """
    ascii_text = _APOSTROPHES.sub("", anyascii(text)).lower()
    words = [w for w in _NON_ALNUM.split(ascii_text) if w][:max_words]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH and slug:
            break
        slug = candidate
    slug = slug[:MAX_SLUG_LENGTH].strip("-")
    while "-" in slug and slug.rsplit("-", 1)[1] in _TRAILING_STOP_WORDS:
        slug = slug.rsplit("-", 1)[0]
    return slug


def is_reserved(slug: str) -> bool:
    """True for the device names Windows reserves (CON, NUL, COM1 ...), in any case."""
    return slug.lower() in _RESERVED


def slug_problem(slug: str) -> str:
    """Why ``slug`` cannot be a URL segment, in words an editor can act on ("" when it can)."""
    if is_reserved(slug):
        return f"must not be {slug!r}: {RESERVED_WHY}"
    if not is_valid_slug(slug):
        return f"must be lower-case letters, digits and hyphens, such as 'my-page', not {slug!r}"
    return ""


RESERVED_WHY = ("Windows reserves that name for a device (as CON, PRN, AUX, NUL, COM1-9, LPT1-9), "
                "so the built site could not be checked out or unpacked there")


def is_valid_slug(slug: str) -> bool:
    """True when ``slug`` is safe to use as one path segment of a public URL."""
    return (
        bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug))
        and slug not in _RESERVED
    )


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is not in ``taken``."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
