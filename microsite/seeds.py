"""Import stage: seed texts (news articles as plain text) to Markdown content files.

``parse_seed(name, data)`` is a pure function from a file name and its bytes to an
``ArticleDraft``; ``import_seeds`` is the thin writer around it, which never overwrites
a file an editor may have touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .config import Project
from .content import dump_front_matter, read_seed_field
from .errors import Problem, ProjectError, UsageError, error, quoted, warning
from .files import read_project_file, refuse_binary
from .slugs import is_valid_slug, slugify, unique_slug
from .text import INVISIBLE, UNPRINTABLE, sentences

# Whole lines that are navigation or promotion left over from a web page, not article
# text. Matched case-insensitively against a full line; editors extend the list with
# [tool.microsite] residue_patterns.
DEFAULT_RESIDUE = (
    r"More (on|about|from) [^.!?]{1,80}",
    r"(\w+ ){0,5}Highlights",
    r"(Read|See|Watch|Listen) (more|also|next)\b[^.!?]{0,80}",
    r"(Related|Recommended|Most read|Trending)( (articles?|stories|news|content))?(:.{0,80})?",
    r"Advertisement|Sponsored( content)?|Ad",
    r"(Share|Tweet|Email|Print)( (this|on) \w+)*",
    r"(Subscribe|Sign up|Follow us|Click here)\b[^.]{0,80}",
    r"(Continue|Keep) reading[^.]{0,40}",
    r"Image:?|Photo:?|Video:?",
)

# "(*With information from Ashley Strickland, from CNN)" and the like: an attribution
# that belongs in the credit field, not in the article body.
_CREDIT_LINE = re.compile(
    r"^\(?\s*\*?\s*(?P<credit>(with (information|reporting) from|with reporting by|"
    r"(additional )?reporting by|written by|edited by|source:|com informa[cç][oõ]es d[aeo]s?)\b.*?)\s*\)?$",
    re.IGNORECASE,
)
# A caption's credit: "... Photo: Andrey Shelepin / GCTC / Roscosmos".
_CAPTION_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s(]*\b(?P<label>Photos?|Photograph|Image|Picture|Credit|Foto)\s*:\s*"
    r"(?P<credit>[^()]+?)\)?\s*$",
    re.IGNORECASE,
)
_IMAGE_MARKER = re.compile(r"^(Image|Photo|Picture|Foto)\s*:\s*(?P<rest>.*)$", re.IGNORECASE)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# Date forms seen at the top of news texts, each with named groups year/month/day.
_DATE_FORMS = (
    r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?\S*)?",
    r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})",
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)? " + _MONTH + r",? (?P<year>\d{4})",
    _MONTH + r" (?P<day>\d{1,2})(?:st|nd|rd|th)?,? (?P<year>\d{4})",
)
_DATE_LABEL = r"(?:(?:date|dated|published|posted|updated|publication date)\s*:?\s*)?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE_HEADER = [
    re.compile(r"^" + _DATE_LABEL + _WEEKDAY + form + r"(?:\s*[|,:–—-])?\s*(?P<rest>.*)$", re.IGNORECASE)
    for form in _DATE_FORMS
]

_TERMINAL = ".!?…\"”’»)]'"
_TITLE_MAX = 80
_SUMMARY_MAX = 300
# Words before which a long lede can be cut into a headline-sized title.
_CUT_WORDS = (
    "as", "to", "on", "in", "for", "with", "after", "before", "from", "while", "which",
    "who", "where", "amid", "during", "because", "since", "when", "by", "at", "into",
)


@dataclass(frozen=True)
class ArticleDraft:
    """What import makes of one seed, before it is written as a content file."""

    seed: str
    title: str
    body: str
    date: dt.date | None = None
    summary: str = ""
    credit: str = ""
    truncated: bool = False
    warnings: tuple[Problem, ...] = ()

    def to_markdown(self) -> str:
        """The content file: YAML front matter, then the Markdown body."""
        meta: dict[str, object] = {"title": self.title}
        if self.date:
            meta["date"] = self.date
        meta["summary"] = self.summary
        meta["seed"] = self.seed
        if self.credit:
            meta["credit"] = self.credit
        if self.truncated:
            meta["truncated"] = True
        return dump_front_matter(meta, self.body)


@dataclass
class _Blocks:
    """The paragraphs of a seed being classified, and what was learnt on the way."""

    items: list[str]
    credit: str = ""
    warnings: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- decoding


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def decode_seed(path: str, data: bytes) -> tuple[str, list[Problem]]:
    """Decode a seed's bytes to text without ever producing mojibake.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are decoded as such. A file that
    is not UTF-8 and holds no UTF-8 sequence at all is Windows-1252 (which includes
    Latin-1's letters); a file with some valid and some broken UTF-8 is reported, as
    guessing there would turn its letters into mojibake.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _check_text(path, data.decode("utf-16")), []
        except UnicodeDecodeError as exc:
            raise ProjectError(error(path, 1, f"invalid UTF-16: {exc.reason}", "save the file as UTF-8")) from None
    try:
        return _check_text(path, data.decode("utf-8-sig")), []
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
    return _check_text(path, text), [note]


def _check_text(path: str, text: str) -> str:
    """Reject texts that cannot be an article: NUL bytes (binary files) and empty files.

    The text comes back in NFC, so a name typed with combining accents is the name.
    """
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ProjectError(error(path, line, "contains a NUL byte; this is not a text file",
                                 "seeds must be plain text; remove the file or the NUL bytes"))
    if not text.strip():
        raise ProjectError(error(path, 0, "seed is empty", "add the article text or remove the file"))
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- parsing


def parse_seed(name: str, data: bytes, residue_patterns: tuple[str, ...] = ()) -> ArticleDraft:
    """Turn one seed text into an article draft. Pure: the same inputs give the same draft.

    ``name`` is the seed's file name (recorded as ``seed`` and used in messages as
    ``seeds/<name>``); ``residue_patterns`` extend ``DEFAULT_RESIDUE``.
    """
    path = f"seeds/{name}"
    text, notes = decode_seed(path, data)
    split = _split_blocks(text)
    if not split:
        raise ProjectError(error(path, 0, "seed is empty: it holds only spaces and control characters",
                                 "add the article text or remove the file"))
    blocks = _Blocks(split, warnings=notes)
    date, headline = _take_header(blocks, path)
    residue = _compile_residue(residue_patterns)
    body = _body_blocks(blocks, residue)
    paragraphs = [b for b in body if not b.startswith(("## ", "Caption: "))]
    if not paragraphs:
        raise ProjectError(error(path, 0, "no article text left after removing headers and residue",
                                 "check that the file holds the article's paragraphs"))
    lede = _plain(paragraphs[0])
    title = headline or title_from_lede(lede)
    if not title.strip():  # a lede of punctuation alone: the build would refuse an empty title
        title = _capitalise(Path(name).stem.replace("-", " ").replace("_", " ").strip()) or "Untitled"
        blocks.warnings.append(warning(path, 0, f"no headline or first sentence to take a title from; "
                                                f"titled {title!r} after the file name",
                                       "write the title into the new content file"))
    return ArticleDraft(
        seed=name,
        title=title,
        body="\n\n".join(body) + "\n",
        date=date,
        summary=summary_from_lede(lede),
        credit=blocks.credit,
        truncated=is_truncated(_plain(paragraphs[-1])),
        warnings=tuple(blocks.warnings),
    )


def _split_blocks(text: str) -> list[str]:
    """Paragraphs of normalised text: LF line ends, no blanks around lines, no empty blocks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    # Zero-width characters, soft hyphens, and the display-reordering controls that would
    # make a title read otherwise than it says (U+202E): nothing a reader should get.
    text = INVISIBLE.sub("", text)
    text = UNPRINTABLE.sub("", text)  # stray control characters of copied text; no page may carry them
    blocks = []
    for raw in re.split(r"\n\s*\n", text):
        lines = [re.sub(r" {2,}", " ", line.strip()) for line in raw.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            blocks.append(block)
    return blocks


def _take_header(blocks: _Blocks, path: str) -> tuple[dt.date | None, str]:
    """Remove a leading date header and headline from ``blocks``; return them."""
    first_line, _, others = blocks.items[0].partition("\n")
    date, rest = parse_date_prefix(first_line)
    if date is None and rest is not None:
        blocks.warnings.append(warning(path, 1, "the date in the header is not a valid date; the article is undated",
                                       "fix the date in the seed or set date: in the content file"))
    if rest is not None:
        blocks.items[0] = "\n".join(part for part in (rest, others) if part)
        if not blocks.items[0]:
            blocks.items.pop(0)
    if not blocks.items:
        raise ProjectError(error(path, 1, "seed has a date header but no text", "add the article text"))
    headline = ""
    if len(blocks.items) > 1 and _is_headline(blocks.items[0], after_date=rest is not None):
        headline = _plain_title(blocks.items.pop(0))
    return date, headline


def parse_date_prefix(line: str) -> tuple[dt.date | None, str | None]:
    """Split a leading date off a line: (date, rest of line).

    Returns (None, None) when the line does not start with a date and (None, rest)
    when it starts with something shaped like a date that is not a real one.
    """
    for pattern in _DATE_HEADER:
        match = pattern.match(line)
        if not match:
            continue
        month = match.group("month")
        number = _MONTHS.get(month.lower().rstrip("."), 0) if not month.isdigit() else int(month)
        try:
            return dt.date(int(match.group("year")), number, int(match.group("day"))), match.group("rest").strip()
        except ValueError:
            return None, match.group("rest").strip()
    return None, None


def _is_headline(block: str, after_date: bool) -> bool:
    """Whether the first block reads as a headline rather than the article's lede.

    A headline is one short line with no closing full stop; after a date header a
    single short sentence also counts (the header line of some sources holds it).
    """
    if "\n" in block:
        return False
    words = len(block.split())
    if block[-1] not in ".!?:;,…" and words <= 20 and len(block) <= 150:
        return True
    return after_date and words <= 16 and len(sentences(block)) == 1


def _body_blocks(blocks: _Blocks, residue: re.Pattern[str]) -> list[str]:
    """Classify each block (residue, caption, credit, subheading, paragraph) into Markdown."""
    out: list[str] = []
    items = blocks.items
    i = 0
    while i < len(items):
        lines = [line for line in items[i].split("\n") if not residue.fullmatch(line) or _IMAGE_MARKER.match(line)]
        block = "\n".join(lines)
        i += 1
        if not block:
            continue
        marker = _IMAGE_MARKER.match(block) if "\n" not in block else None
        if marker:
            caption = marker.group("rest")
            if not caption and i < len(items):
                caption, i = items[i], i + 1
            if caption:
                out.append(_caption_markdown(caption))
            continue
        credit = _CREDIT_LINE.match(block) if "\n" not in block else None
        if credit:
            blocks.credit = credit.group("credit").strip().rstrip(")").strip()
            continue
        if _is_subheading(block, out, i < len(items)):
            out.append("## " + escape_markdown(block, heading=True))
            continue
        out.append("\n".join(escape_markdown(line) for line in block.split("\n")))
    return out


def _is_subheading(block: str, previous: list[str], more_follow: bool) -> bool:
    """A short stand-alone line between paragraphs, without closing punctuation."""
    if "\n" in block or not previous or not more_follow:
        return False
    return (
        len(block.split()) <= 12
        and len(block) <= 90
        and block[-1] not in ".!?:;,…\"”'’)"
        and (block[0].isupper() or block[0].isdigit())
    )


def _caption_markdown(caption: str) -> str:
    """An image caption as the Markdown caption block: ``Caption:`` text, credit line."""
    caption = " ".join(caption.split("\n"))
    match = _CAPTION_CREDIT.match(caption)
    if match and match.group("caption").strip():
        text = match.group("caption").strip()
        credit = f"{match.group('label').capitalize()}: {match.group('credit').strip()}"
        return f"Caption: {escape_markdown(text)}\n{escape_markdown(credit)}"
    return f"Caption: {escape_markdown(caption)}"


def _compile_residue(extra: tuple[str, ...]) -> re.Pattern[str]:
    """One case-insensitive pattern for all residue lines, built-in and configured."""
    return re.compile("|".join(f"(?:{p})" for p in (*DEFAULT_RESIDUE, *extra)), re.IGNORECASE)


# --------------------------------------------------------------------------- titles


def title_from_lede(lede: str) -> str:
    """A headline-sized title from the first sentence of the lede.

    Non-restrictive clauses (", which ...,") go first; a sentence still too long is
    cut before a clause or preposition so the title stays a readable phrase.
    """
    sentence = sentences(lede)[0] if lede else ""
    sentence = re.sub(r",\s+(which|who|whose|where)\s[^,]+,\s*", " ", sentence)
    sentence = sentence.rstrip(".!?… ").strip()
    if len(sentence) <= _TITLE_MAX:
        return _capitalise(sentence)
    cuts = [m.start() for m in re.finditer(r"\s(?:" + "|".join(_CUT_WORDS) + r")\s|[,;:]\s|\s[–—-]\s", sentence)]
    fitting = [c for c in cuts if c <= _TITLE_MAX and len(sentence[:c].split()) >= 4]
    if fitting:
        return _capitalise(sentence[: max(fitting)].rstrip(" ,;:"))
    return _capitalise(sentence[:_TITLE_MAX].rsplit(" ", 1)[0].rstrip(" ,;:") + "…")


def summary_from_lede(lede: str) -> str:
    """The first sentences of the lede, up to about 300 characters."""
    summary = ""
    for sentence in sentences(lede):
        if summary and len(summary) + 1 + len(sentence) > _SUMMARY_MAX:
            break
        summary = f"{summary} {sentence}".strip()
    if len(summary) > _SUMMARY_MAX:
        summary = summary[:_SUMMARY_MAX].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return summary


def is_truncated(last_paragraph: str) -> bool:
    """Whether the text stops mid-sentence (no closing punctuation at its very end)."""
    return bool(last_paragraph) and last_paragraph[-1] not in _TERMINAL


def _plain_title(line: str) -> str:
    """A headline line as a title: no closing full stop, first letter capitalised."""
    return _capitalise(line.rstrip(". ").strip())


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _plain(markdown: str) -> str:
    """Undo ``escape_markdown`` (titles and summaries are plain text in front matter)."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|])", r"\1", markdown.replace("\n", " "))


# --------------------------------------------------------------------------- escaping

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


# --------------------------------------------------------------------------- writing


LEDGER = "seeds/imported.toml"
_LEDGER_HEAD = """\
# The seeds that import has turned into articles. Commit this file with them.
# Import never imports a seed listed here again, so an article deleted on purpose
# stays deleted. To import one again: python build.py import --force seeds/<name>

[imported]
"""


@dataclass(frozen=True)
class Imported:
    """What the ledger records of one imported seed: its article, and the seed's hash then."""

    article: str  # project-relative path of the content file
    sha256: str


@dataclass(frozen=True)
class NewArticle:
    """A content file import is about to write."""

    seed: str  # project-relative path of the seed
    target: str  # project-relative path of the content file
    text: str


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, worked out without writing anything.

    ``ledger`` is the ledger as it should be afterwards: with the seeds imported now,
    and with seeds an article records (``seed:``) that the ledger did not list yet.
    """

    files: tuple[NewArticle, ...] = ()
    problems: tuple[Problem, ...] = ()
    ledger: dict[str, Imported] = field(default_factory=dict)
    ledger_before: dict[str, Imported] = field(default_factory=dict)
    replace: bool = False  # --force: the one file may be replaced

    def contents(self) -> dict[str, bytes]:
        """The new content files, for loading them before they exist on disk."""
        return {f.target: f.text.encode("utf-8") for f in self.files}


@dataclass(frozen=True)
class ImportResult:
    """What an import run did: files written (seed, content path) and problems seen."""

    written: tuple[tuple[str, str], ...] = ()
    problems: tuple[Problem, ...] = ()
    recorded: tuple[str, ...] = ()  # seeds newly listed in the ledger without an import now
    ledger_before: bytes | None = None  # the ledger's bytes before, to put back on undo
    ledger_written: bool = False


def imported_seeds(project: Project) -> dict[str, Path]:
    """Map seed file name -> content file that came from it, by the ``seed`` field."""
    found: dict[str, Path] = {}
    folder = project.content / "articles"
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        seed = read_seed_field(project.root, path)
        if seed and seed not in found:
            found[seed] = path
    return found


def import_seeds(project: Project, force: str | None = None, dry_run: bool = False,
                 existing: dict[str, Path] | None = None,
                 listing: dict[str, tuple[int, int]] | None = None) -> ImportResult:
    """Import every new seed (or, with ``force``, that one seed): the ``import`` command.

    Errors in one seed do not stop the others: they are returned as problems, and the
    good seeds are imported (a build, by contrast, writes nothing when any seed fails).
    ``dry_run`` writes nothing at all.
    """
    plan = plan_import(project, force, existing, listing)
    if dry_run:
        return ImportResult(problems=plan.problems)
    return apply_import(project, plan)


def plan_import(project: Project, force: str | None = None, existing: dict[str, Path] | None = None,
                listing: dict[str, tuple[int, int]] | None = None) -> ImportPlan:
    """What importing the new seeds would write; reads seeds, writes nothing.

    A seed is new when no article records it (``existing``: seed -> content file,
    looked up when not given), the ledger does not list it, and ``skip_seeds`` does
    not name it. ``listing`` (a fresh stat of the project's files) spares a look at
    the seeds folder.
    """
    if listing is not None:
        seeds = [project.root / rel for rel in sorted(listing) if re.fullmatch(r"seeds/[^/]+\.txt", rel)]
    else:
        seeds = sorted(project.seeds.glob("*.txt")) if project.seeds.is_dir() else []
    ledger = read_ledger(project)
    if existing is None:
        existing = imported_seeds(project)
    present = {seed.name: seed for seed in seeds}
    after = dict(ledger)
    problems: list[Problem] = []
    for name, article in sorted(existing.items()):  # imported before the ledger existed, or by hand
        if name not in after and name in present:
            after[name] = _record(project, present[name], article, problems)
    if force is not None:
        seeds = [_find_seed(project, force, seeds)]
    elif all(s.name in after or s.name in project.config.skip_seeds for s in seeds):
        return ImportPlan(problems=tuple(problems), ledger=after, ledger_before=ledger)
    taken = _taken_slugs(project)
    files: list[NewArticle] = []
    for seed in seeds:
        if force is None and (seed.name in after or seed.name in project.config.skip_seeds):
            continue
        try:
            data = _read_bytes(project, seed)
            draft = parse_seed(seed.name, data, project.config.residue_patterns)
        except ProjectError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(draft.warnings)
        known = existing.get(seed.name) or (project.root / after[seed.name].article if seed.name in after else None)
        target = known if force is not None and known else _new_path(project, draft, taken)
        files.append(NewArticle(project.rel(seed), project.rel(target), draft.to_markdown()))
        after[seed.name] = Imported(project.rel(target), hashlib.sha256(data).hexdigest())
    return ImportPlan(tuple(files), tuple(problems), after, ledger, replace=force is not None)


def _record(project: Project, seed: Path, article: Path, problems: list[Problem]) -> Imported:
    """A ledger entry for a seed imported before: its article, and its hash as it is now."""
    try:
        digest = hashlib.sha256(_read_bytes(project, seed)).hexdigest()
    except ProjectError as exc:
        problems.extend(exc.problems)
        digest = ""
    return Imported(project.rel(article), digest)


def apply_import(project: Project, plan: ImportPlan) -> ImportResult:
    """Write what ``plan`` says: the new content files (never over an existing file, unless
    ``--force``), then the ledger. All or nothing: on a failure, what was written is removed
    again and one ProjectError says why."""
    created: list[NewArticle] = []
    try:
        for item in plan.files:
            _write(project.root / item.target, item.text, replace=plan.replace)
            created.append(item)
        before, wrote = _write_ledger(project, plan)
    except (OSError, ProjectError) as exc:
        for item in created if not plan.replace else ():
            (project.root / item.target).unlink(missing_ok=True)
        raise _import_failed(project, plan, created, exc) from None
    recorded = tuple(f"seeds/{name}" for name in sorted(set(plan.ledger) - set(plan.ledger_before))
                     if all(item.seed != f"seeds/{name}" for item in plan.files))
    return ImportResult(tuple((item.seed, item.target) for item in plan.files), plan.problems, recorded,
                        before, wrote)


def undo_import(project: Project, result: ImportResult) -> None:
    """Take back an import whose build failed afterwards: its new files, and the ledger's change."""
    for _, target in result.written:
        (project.root / target).unlink(missing_ok=True)
    if result.ledger_written:
        path = project.root / LEDGER
        if result.ledger_before is None:
            path.unlink(missing_ok=True)
        else:
            _replace_bytes(path, result.ledger_before)


def _import_failed(project: Project, plan: ImportPlan, created: list[NewArticle], exc: Exception) -> ProjectError:
    if isinstance(exc, ProjectError):
        return exc
    if isinstance(exc, FileExistsError):  # created by someone else since we looked: theirs wins
        item = plan.files[len(created)]
        return ProjectError(error(item.target, 0, "appeared while importing; import did not overwrite it",
                                  f"run the import again to give {item.seed} another file name"))
    where = plan.files[len(created)].target if len(created) < len(plan.files) else LEDGER
    return ProjectError(error(where, 0, f"cannot write: {getattr(exc, 'strerror', None) or exc}",
                              "check that content/articles/ and seeds/ are writable"))


# --------------------------------------------------------------------------- the ledger


# The last ledger read, by path and stat: with thousands of seeds it is a large file, and
# serve plans an import on every rebuild.
_LEDGERS: dict[Path, tuple[tuple[int, int, int], dict[str, Imported]]] = {}


def read_ledger(project: Project) -> dict[str, Imported]:
    """``seeds/imported.toml``: seed file name -> what import made of it (empty when missing)."""
    path = project.root / LEDGER
    try:
        status = path.stat()
    except OSError:
        status = None
    stamp = (status.st_ino, status.st_mtime_ns, status.st_size) if status else None
    cached = _LEDGERS.get(path)
    if stamp and cached and cached[0] == stamp:
        return dict(cached[1])
    try:
        data = read_project_file(project.root, path, LEDGER, "the import ledger", "remove entries you do not need")
    except ProjectError:
        if not path.exists() and not path.is_symlink():
            return {}
        raise
    ledger = _parse_ledger(data)
    if stamp:
        _LEDGERS[path] = (stamp, ledger)
    return dict(ledger)


def _parse_ledger(data: bytes) -> dict[str, Imported]:
    """The entries of the ledger's ``[imported]`` table."""
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        match = re.search(r"at line (\d+)", str(exc))
        raise ProjectError(error(LEDGER, int(match.group(1)) if match else 0, f"invalid TOML: {exc}",
                                 "restore it from version control, or delete it (import then lists the "
                                 "seeds that articles record again)")) from None
    entries = table.get("imported", {})
    if not isinstance(entries, dict):
        raise ProjectError(error(LEDGER, 0, "'imported' must be a table of seeds",
                                 "restore the file from version control"))
    ledger: dict[str, Imported] = {}
    for name, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("article"), str):
            raise ProjectError(error(LEDGER, 0, f"entry {quoted(name)} must be "
                                                "{ article = \"content/articles/<name>.md\", sha256 = \"...\" }",
                                     "restore the file from version control"))
        ledger[name] = Imported(entry["article"], str(entry.get("sha256", "")))
    return ledger


def _write_ledger(project: Project, plan: ImportPlan) -> tuple[bytes | None, bool]:
    """Write the plan's ledger when it differs from the one on disk; (bytes before, whether written)."""
    if plan.ledger == plan.ledger_before:
        return None, False
    path = project.root / LEDGER
    try:
        before = path.read_bytes()
    except FileNotFoundError:
        before = None
    lines = [f"{_toml_string(name)} = {{ article = {_toml_string(entry.article)}, "
             f"sha256 = {_toml_string(entry.sha256)} }}\n" for name, entry in sorted(plan.ledger.items())]
    _replace_bytes(path, (_LEDGER_HEAD + "".join(lines)).encode("utf-8"))
    return before, True


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = "".join(c if c not in '"\\' and (c == "\t" or ord(c) >= 0x20) and c != "\x7f"
                      else f"\\u{ord(c):04X}" for c in text)
    return f'"{escaped}"'


def _replace_bytes(path: Path, data: bytes) -> None:
    """Write ``path`` atomically (a temporary file, then one rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _find_seed(project: Project, name: str, seeds: list[Path]) -> Path:
    """The seed a ``--force`` argument names, by file name or path."""
    wanted = Path(name).name
    for seed in seeds:
        if seed.name == wanted:
            return seed
    known = ", ".join(s.name for s in seeds) or "none"
    raise UsageError(f"no seed named {wanted!r} in {project.rel(project.seeds)}/ (seeds: {known})")


def _read_bytes(project: Project, seed: Path) -> bytes:
    """A seed's bytes: a regular text file inside the project (a link to /etc/passwd must not
    become a public page, a FIFO must not hang the build, a PDF is not an article)."""
    rel = project.rel(seed)
    data = read_project_file(project.root, seed, rel, "a seed",
                             "a news article is a few kB of text: check that this is the right file, or split it")
    refuse_binary(rel, data, "seeds")
    return data


def _taken_slugs(project: Project) -> set[str]:
    folder = project.content / "articles"
    return {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()


def _new_path(project: Project, draft: ArticleDraft, taken: set[str]) -> Path:
    """A file name for a new article: the title's slug, made unique."""
    base = slugify(draft.title)
    if not is_valid_slug(base):
        base = slugify(f"article {Path(draft.seed).stem}") or "article"
    slug = unique_slug(base, taken)
    taken.add(slug)
    return project.content / "articles" / f"{slug}.md"


def _write(target: Path, text: str, replace: bool) -> None:
    """Write ``text`` to ``target`` atomically; unless ``replace``, never over an existing file.

    The text goes to a temporary file first; ``os.link`` then gives it its name and
    fails if that name exists, so even a file created a moment ago is never clobbered.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if replace:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
