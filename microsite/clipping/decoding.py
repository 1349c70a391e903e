"""A seed's bytes to text: encodings, unprintable characters, mojibake repaired with ftfy."""

from __future__ import annotations

import re
import unicodedata

from ..errors import Problem, ProjectError, error, warning

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def decode_seed(path: str, data: bytes, what: str = "seeds") -> tuple[str, list[Problem]]:
    """Decode a seed's bytes to text without ever producing mojibake.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are decoded as such. A file that
    is not UTF-8 and holds no UTF-8 sequence at all is Windows-1252 (which includes
    Latin-1's letters); a file with some valid and some broken UTF-8 is reported, as
    guessing there would turn its letters into mojibake.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(path, data.decode("utf-16"), what), []
        except UnicodeDecodeError as exc:
            raise ProjectError(error(path, 1, f"invalid UTF-16: {exc.reason}", "save the file as UTF-8")) from None
    try:
        return _check_text(path, data.decode("utf-8-sig"), what), []
    except UnicodeDecodeError as exc:
        if _UTF8_MULTIBYTE.search(data):
            line = data[: exc.start].count(b"\n") + 1
            raise ProjectError(error(
                path, line,
                f"invalid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} "
                "does not belong to a UTF-8 character",
                "the file mixes encodings or was cut inside a character; save it as UTF-8",
            )) from None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProjectError(error(
            path, line,
            f"cannot decode: byte 0x{data[exc.start]:02x} at offset {exc.start} is neither UTF-8 nor Windows-1252",
            "save the file as UTF-8",
        )) from None
    note = warning(path, 0, "not UTF-8; decoded as Windows-1252 (Latin-1)", "save the file as UTF-8 to silence this")
    return _check_text(path, text, what), [note]


def _check_text(path: str, text: str, what: str = "seeds") -> str:
    """Reject texts that cannot be an article: NUL bytes (binary files) and empty files.

    The text comes back in NFC, so a name typed with combining accents is the name.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProjectError(error(path, line, "contains a NUL byte; this is not a text file",
                                 f"{what} must be plain text; remove the file or the NUL bytes"))
    if not text.strip() and what == "seeds":
        raise ProjectError(error(path, 0, "seed is empty", "add the article text or remove the file"))
    return unicodedata.normalize("NFC", text)


def repair_mojibake(path: str, text: str) -> tuple[str, list[Problem]]:
    """Undo text that was decoded twice ("cafÃ©", "itâ€™s", "Ð Ð¾Ñ\x81"), with ftfy.

    Only the encoding is repaired (quotes, ligatures and widths stay as written), line by
    line, and each repair is a warning: a copied page may mean a character another way.
    """
    import ftfy  # imported here: only an import of a new seed needs it

    config = ftfy.TextFixerConfig(unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
                                  fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                                  fix_surrogates=False, remove_control_chars=False, fix_c1_controls=False,
                                  normalization=None,
                                  explain=False)
    lines = text.split("\n")
    # Text decoded twice always shows a printable letter of the first decoding (the lead
    # byte: Ã, Ð, Π ...); a line whose only non-ASCII characters are controls is no
    # mojibake, and ftfy would read a lone U+0085 as Windows-1252's "…".
    fixed = [ftfy.fix_text(line, config) if _PRINTABLE_NON_ASCII.search(line) else line for line in lines]
    changed = [i for i, (a, b) in enumerate(zip(lines, fixed, strict=True)) if a != b]
    if not changed:
        return text, []
    first = changed[0]
    before, after = _first_difference(lines[first], fixed[first])
    note = warning(path, first + 1,
                   f"repaired text that was decoded twice on {len(changed)} line(s), e.g. {before!r} → {after!r}",
                   "check the repaired lines in the new content file; save seeds as UTF-8 from the start")
    return unicodedata.normalize("NFC", "\n".join(fixed)), [note]


_PRINTABLE_NON_ASCII = re.compile(r"[^\x00-\x9f]")


def _first_difference(a: str, b: str) -> tuple[str, str]:
    """The first stretch where two versions of a line differ, a few characters either side."""
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
    tail = 0
    while tail < min(len(a), len(b)) - start and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return a[max(0, start - 3): len(a) - tail + 3][:40], b[max(0, start - 3): len(b) - tail + 3][:40]
