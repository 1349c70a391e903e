"""Writing a clipping's text as Markdown that reads back as the same text."""

from __future__ import annotations

import re


def _is_paragraph(block: str) -> bool:
    return not block.startswith(("## ", "Caption: ", "> ", "- "))


def _plain(markdown: str) -> str:
    """Undo ``escape_markdown`` (titles and summaries are plain text in front matter)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|])", r"\1", markdown.replace("\n", " "))


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]])")


_LINE_START = re.compile(r"^(#|>|[-+*](?=\s)|=+$|-+$|(\d+)(?=[.)]\s))")


def escape_markdown(text: str, heading: bool = False) -> str:
    """Escape what Markdown would read as syntax, so a seed's text shows as written.

    Raw HTML is also text here: the renderer shows ``<script>`` as characters, never
    as markup, and the escaping keeps that true if the file is rendered elsewhere.
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    if heading:
        return text.rstrip("#").rstrip() or text
    match = _LINE_START.match(text)
    if match and match.group(2):  # "1969. The year ..." is not an ordered list
        return f"{match.group(2)}\\{text[len(match.group(2)):]}"
    if match:
        return "\\" + text
    if text.startswith("Caption:"):  # a prose line must not become a caption block
        return "Caption&#58;" + text[len("Caption:"):]
    return text
