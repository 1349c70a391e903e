"""``mv`` and ``rm``: rename or delete a content file without breaking the site.

A rename moves the file, rewrites every link to it in ``content/`` (relative Markdown
links, links from the site root, the slugs that home facts, timeline events and
articles' ``people:``/``topics:``/``links:`` cite) and records the old address in the
file's ``redirect_from:``, so the build writes a redirect page there. A delete lists
what cites the file; with ``--unlink`` it turns those links into plain text and drops
the citations, then deletes it. Both work on text, line by line, so an editor's
formatting and comments stay as they were; ``--dry-run`` shows the changes as diffs.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import Project
from .errors import UsageError
from .slugs import is_valid_slug

FOLDERS = {"articles": "/articles/{}/", "people": "/people/{}/", "topics": "/topics/{}/", "pages": "/{}/"}
LEDGER = "seeds/imported.toml"

# A Markdown link's target: "](target)" or "](target "title")", and "[label]: target".
_INLINE = re.compile(r"(\]\()(<?)([^)\s>]+)(>?)(\s+(?:\"[^\"]*\"|'[^']*'))?(\))")
_REFERENCE = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(<?)(\S+?)(>?)(\s.*)?$", re.MULTILINE)
# Front matter keys whose values are slugs of articles (sources) or of people and topics.
_SLUG_KEYS = re.compile(r"^(\s*(?:-\s+)?)(sources|people|topics)(\s*:\s*)(.*)$")


@dataclass
class Change:
    """The new text of one content file (or None: delete it), with its old text for the diff.

    Texts are held with LF line ends and no byte-order mark; the file is written back as it
    was read (CRLF, BOM), so an edit changes only the lines it means to.
    """

    path: str
    before: str
    after: str | None
    crlf: bool = False
    bom: bool = False


@dataclass(frozen=True)
class Text:
    """A content file as mv and rm read it."""

    path: str
    text: str  # LF line ends, no BOM
    crlf: bool
    bom: bool
    utf8: bool  # False: read as UTF-16 or Windows-1252, which mv and rm do not write back


@dataclass
class Plan:
    """What ``mv`` or ``rm`` will do, worked out without writing anything."""

    changes: dict[str, Change] = field(default_factory=dict)
    rename: tuple[str, str] | None = None
    citations: list[str] = field(default_factory=list)  # "path:line: what cites it"
    notes: list[str] = field(default_factory=list)

    def diff(self) -> str:
        out = []
        if self.rename:
            out.append(f"rename {self.rename[0]} -> {self.rename[1]}\n")
        for change in sorted(self.changes.values(), key=lambda c: c.path):
            after = change.after.splitlines(keepends=True) if change.after is not None else []
            out.append("".join(difflib.unified_diff(change.before.splitlines(keepends=True), after,
                                                    f"{change.path} (now)", f"{change.path} (after)")))
        return "".join(out)


# Names a free page may not take: the addresses of the site's own pages and folders.
RESERVED_NAMES = frozenset({"articles", "people", "topics", "sources", "search", "assets", "pagefind", "images"})


def content_file(project: Project, given: str) -> tuple[str, str, str]:
    """(project path, folder, slug-by-name) of a content file given as a path (from the current
    folder or the project root) or as "folder/name"; refused when it is no content page."""
    path = Path(given)
    candidates = [path] if path.is_absolute() else [project.root / path, Path.cwd() / path, project.content / path]
    inside = [c for c in candidates if _inside(c, project.root)]
    chosen = next((c for c in inside if c.exists()), inside[0] if inside else candidates[0])
    try:
        rel = chosen.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{given} is not inside the project {project.root}") from None
    parts = rel.split("/")
    if len(parts) != 3 or parts[0] != "content" or parts[1] not in FOLDERS or not parts[2].endswith(".md"):
        raise UsageError(f"{given} is not a content page: give content/articles/, people/, topics/ or pages/ "
                         "and a file name ending in .md")
    return rel, parts[1], parts[2][:-3]


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def plan_move(project: Project, old: str, new: str) -> Plan:
    """The rename of ``old`` to ``new`` (or, when the file was renamed by hand already, the
    links that still point at its old name)."""
    old_rel, folder, old_name = content_file(project, old)
    if "/" not in new and "\\" not in new:  # a bare new name: beside the old file
        new = posixpath.join(posixpath.dirname(old_rel), new)
    new_rel, new_folder, new_name = content_file(project, new)
    if folder != new_folder:
        raise UsageError(f"{new} is in content/{new_folder}/, {old} in content/{folder}/: a page keeps its kind; "
                         "create a new page of the other kind instead")
    old_path, new_path = project.root / old_rel, project.root / new_rel
    by_hand = not old_path.exists() and new_path.exists()
    if not old_path.exists() and not by_hand:
        raise UsageError(f"{old_rel} does not exist")
    if old_path.exists() and new_path.exists():
        raise UsageError(f"{new_rel} exists already; mv never replaces a file")
    if not is_valid_slug(new_name):
        raise UsageError(f"{new_rel}: the new name must be lower-case letters, digits and hyphens (it is the URL)")
    text = _decoded(new_rel if by_hand else old_rel, (new_path if by_hand else old_path).read_bytes()).text
    fixed_slug = _front_value(text, "slug")
    old_slug, new_slug = fixed_slug or old_name, fixed_slug or new_name
    old_url, new_url = FOLDERS[folder].format(old_slug), FOLDERS[folder].format(new_slug)
    if folder == "pages" and new_slug in RESERVED_NAMES:
        raise UsageError(f"{new_rel}: /{new_slug}/ is the address of one of the site's own pages; choose another name")
    plan = Plan(rename=None if by_hand else (old_rel, new_rel))
    for file in _content_texts(project):
        rel, before = file.path, file.text
        after = _prose(before, lambda part, rel=rel: _relink(rel if rel != old_rel else new_rel, part, old_rel,
                                                              new_rel, old_url, new_url))
        if old_slug != new_slug:
            after = _reslug(after, folder, old_slug, new_slug)
        if rel == (new_rel if by_hand else old_rel):
            after = _set_redirects(after, add=old_url if old_url != new_url else None, drop=new_url)
        if after != before:
            plan.changes[rel] = _change(file, after)
    if by_hand:
        plan.notes.append(f"{old_rel} was renamed to {new_rel} already; only the links are rewritten")
    ledger = project.root / LEDGER
    if ledger.is_file():
        file = _decoded(LEDGER, ledger.read_bytes())
        after = file.text.replace(f'article = "{old_rel}"', f'article = "{new_rel}"')
        if after != file.text:
            plan.changes[LEDGER] = _change(file, after)
    if old_url != new_url:
        plan.notes.append(f"{old_url} will redirect to {new_url} (redirect_from: in {new_rel})")
    return plan


def plan_remove(project: Project, given: str, unlink: bool) -> Plan:
    """The delete of one content file: what cites it, and with ``unlink`` those citations
    made plain text (links) or dropped (slugs in lists)."""
    rel, folder, name = content_file(project, given)
    if not (project.root / rel).exists():
        raise UsageError(f"{rel} does not exist")
    own = _decoded(rel, (project.root / rel).read_bytes())
    slug = _front_value(own.text, "slug") or name
    url = FOLDERS[folder].format(slug)
    plan = Plan()
    for file in _content_texts(project):
        if file.path == rel:
            continue
        cites = _citations(file.path, file.text, rel, url, folder, slug)
        plan.citations += cites
        if unlink and cites:
            after = _reslug(_prose(file.text, lambda part, f=file: _unlink(f.path, part, rel, url)), folder, slug,
                            None)
            left = _citations(file.path, after, rel, url, folder, slug)
            if left:
                raise UsageError(f"{file.path} would still cite {rel} after unlinking ({left[0]}); edit it by "
                                 "hand, then run rm again. Nothing was changed")
            if after != file.text:
                plan.changes[file.path] = _change(file, after)
    plan.changes[rel] = Change(rel, own.text, None)
    return plan


def apply(project: Project, plan: Plan) -> None:
    """Write the plan: each changed file replaced in one step, then the rename or delete."""
    for change in sorted(plan.changes.values(), key=lambda c: c.path):
        path = project.root / change.path
        if change.after is None:
            continue
        tmp = path.with_name(f".{path.name}.mv-tmp")
        text = change.after.replace("\n", "\r\n") if change.crlf else change.after
        tmp.write_bytes((b"\xef\xbb\xbf" if change.bom else b"") + text.encode("utf-8"))
        os.replace(tmp, path)
    if plan.rename:
        old, new = (project.root / p for p in plan.rename)
        if new.exists():
            raise UsageError(f"{plan.rename[1]} appeared meanwhile; nothing was renamed")
        os.rename(old, new)
    for change in plan.changes.values():
        if change.after is None:
            (project.root / change.path).unlink()


# --------------------------------------------------------------------------- the text edits


def _content_texts(project: Project) -> list[Text]:
    """Every Markdown file of content/, decoded as the build decodes it, by path."""
    found = []
    for path in sorted(project.content.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(project.content).parts) or not path.is_file():
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue  # check reports what cannot be read
        found.append(_decoded(project.rel(path), data))
    return found


def _decoded(rel: str, data: bytes) -> Text:
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text, utf8 = data[3 if bom else 0:].decode("utf-8"), True
    except UnicodeDecodeError:
        from .clipping.decoding import decode_seed

        try:
            text, _ = decode_seed(rel, data, "content files")
        except Exception:  # noqa: BLE001 - a file the build cannot read either: check says why
            text = data.decode("utf-8", "replace")
        utf8 = False
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        utf8 = False
    crlf = "\r\n" in text
    return Text(rel, text.replace("\r\n", "\n"), crlf, bom, utf8)


def _change(file: Text, after: str | None) -> Change:
    if not file.utf8 and after is not None:
        raise UsageError(f"{file.path} needs a change but is not saved as UTF-8; save it as UTF-8 and run the "
                         "command again")
    return Change(file.path, file.text, after, file.crlf, file.bom)


def _targets(rel: str, target: str, old_rel: str, old_url: str) -> bool:
    """Whether a link target in file ``rel`` points at ``old_rel`` (a relative .md path) or
    at its address from the site root."""
    path = target.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return False
    if path.startswith("/"):
        return path.rstrip("/") + "/" == old_url
    if "://" in path or path.startswith("mailto:"):
        return False
    return posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) == old_rel


def _retarget(rel: str, target: str, new_rel: str, new_url: str) -> str:
    path, hash_, fragment = target.partition("#")
    if path.startswith("/"):
        return new_url + (hash_ + fragment)
    return posixpath.relpath(new_rel, posixpath.dirname(rel)) + (hash_ + fragment)


def _relink(rel: str, text: str, old_rel: str, new_rel: str, old_url: str, new_url: str) -> str:
    """``text`` with every link to the old file or address pointing at the new one."""
    def inline(m: re.Match) -> str:
        if not _targets(rel, m.group(3), old_rel, old_url):
            return m.group(0)
        return m.group(1) + m.group(2) + _retarget(rel, m.group(3), new_rel, new_url) + m.group(4) + \
            (m.group(5) or "") + m.group(6)

    def reference(m: re.Match) -> str:
        if not _targets(rel, m.group(3), old_rel, old_url):
            return m.group(0)
        return m.group(1) + m.group(2) + _retarget(rel, m.group(3), new_rel, new_url) + m.group(4) + (m.group(5) or "")

    return _REFERENCE.sub(reference, _INLINE.sub(inline, text))


def _unlink(rel: str, text: str, old_rel: str, old_url: str) -> str:
    """``text`` with links to the deleted file made plain text ("[the report](x.md)" -> "the report",
    brackets inside the text allowed), and its reference definitions gone with their uses."""
    labels = {m.group(0): re.sub(r"^ {0,3}\[([^\]]+)\]:.*", r"\1", m.group(0)).strip().casefold()
              for m in _REFERENCE.finditer(text) if _targets(rel, m.group(3), old_rel, old_url)}
    out, last = [], 0
    for m in _INLINE.finditer(text):
        if not _targets(rel, m.group(3), old_rel, old_url):
            continue
        start = _opening_bracket(text, m.start())
        if start is None or (start > 0 and text[start - 1] == "!"):
            continue  # an image, or no link text found: left as written (check reports it)
        out += [text[last:start], text[start + 1:m.start()]]
        last = m.end()
    text = "".join(out) + text[last:]
    for line, label in labels.items():
        text = text.replace(line + "\n", "").replace(line, "")
        text = re.sub(r"\[([^\]]+)\]\[" + re.escape(label) + r"\]", r"\1", text, flags=re.IGNORECASE)
        text = re.sub(r"\[(" + re.escape(label) + r")\](?:\[\])?(?![(:\[])", r"\1", text, flags=re.IGNORECASE)
    return text


def _opening_bracket(text: str, close: int) -> int | None:
    """Where the "[" that opens the link text ending at ``close`` ("](") is, brackets nested inside."""
    depth = 0
    for i in range(close - 1, max(-1, close - 2000), -1):
        if text[i] == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "[" and (i == 0 or text[i - 1] != "\\"):
            if depth == 0:
                return i
            depth -= 1
    return None


def _prose(text: str, edit: Callable[[str], str]) -> str:
    """``text`` with ``edit`` applied to everything but code: fenced blocks and `code spans` stay
    as written (a link shown as an example is no link)."""
    out, prose, fence = [], [], ""
    for line in text.splitlines(keepends=True):
        opening = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if fence:
            out.append(line)
            if line.strip().startswith(fence):
                fence = ""
        elif opening:
            out.append(_outside_spans("".join(prose), edit))
            prose, fence = [], opening.group(1)
            out.append(line)
        else:
            prose.append(line)
    out.append(_outside_spans("".join(prose), edit))
    return "".join(out)


def _outside_spans(text: str, edit: Callable[[str], str]) -> str:
    spans: list[str] = []

    def hide(m: re.Match) -> str:
        spans.append(m.group(0))
        return f"\x00{len(spans) - 1}\x00"

    edited = edit(re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", hide, text, flags=re.S))
    return re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], edited)


def _without_code(text: str) -> str:
    """``text`` with code blanked out, line for line, so citations are looked for in prose only."""
    out, fence = [], ""
    for line in text.splitlines(keepends=True):
        opening = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if fence or opening:
            if fence and line.strip().startswith(fence):
                fence = ""
            elif not fence:
                fence = opening.group(1)
            out.append("\n")
        else:
            out.append(re.sub(r"(`+)(?!`).+?(?<!`)\1(?!`)", lambda m: " " * len(m.group(0)), line))
    return "".join(out)


def _citations(rel: str, text: str, old_rel: str, old_url: str, folder: str, slug: str) -> list[str]:
    found = []
    for n, line in enumerate(_without_code(text).splitlines(), 1):
        targets = [m.group(3) for m in _INLINE.finditer(line)] + [m.group(3) for m in _REFERENCE.finditer(line)]
        if any(_targets(rel, t, old_rel, old_url) for t in targets):
            found.append(f"{rel}:{n}: links to it")
    front_end = _front_matter_end(text)
    if front_end:
        for n, line in _slug_lines(text[:front_end], folder):
            if re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", line):
                found.append(f"{rel}:{n}: cites it by its slug '{slug}'")
    return found


def _front_matter_end(text: str) -> int:
    """Where the front matter block ends (0 when there is none)."""
    m = re.match(r"---\r?\n.*?^---[ \t]*$", text, re.S | re.M)
    return m.end() if m else 0


def _slug_lines(front: str, folder: str) -> list[tuple[int, str]]:
    """The lines of a front matter that hold slugs of pages of ``folder``: articles are cited
    by ``sources:`` lists, people and topics by ``people:``, ``topics:`` and ``links:``."""
    keys = {"sources"} if folder == "articles" else {"people", "topics", "links"} if folder in ("people", "topics") \
        else set()
    lines, inside, depth = [], False, 0
    for n, line in enumerate(front.splitlines(), 1):
        key = re.match(r"^(\s*)(?:-\s+)?([\w-]+)\s*:", line)
        indent = len(line) - len(line.lstrip())
        if key and key.group(2) in keys:
            inside, depth = True, indent
            lines.append((n, line))
        elif inside and line.strip() and (indent > depth or line.lstrip().startswith("- ") and indent >= depth
                                          and not re.match(r"^\s*-\s+[\w-]+\s*:", line)):
            lines.append((n, line))
        else:
            inside = False
    return lines


def _reslug(text: str, folder: str, old: str, new: str | None) -> str:
    """``text`` with the slug ``old`` replaced by ``new`` (or dropped) where front matter cites it."""
    end = _front_matter_end(text)
    if not end:
        return text
    front = text[:end].splitlines(keepends=True)
    token = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])")
    keys: dict[int, int] = {}  # line of each list item -> line of its key, to say "[]" when none is left
    key_line = 0
    for n, _ in _slug_lines(text[:end], folder):
        line = front[n - 1]
        if re.match(r"^\s*(?:-\s+)?(sources|people|topics|links)\s*:", line):
            key_line = n
        keys[n] = key_line
        if not token.search(line):
            continue
        if new is not None:
            front[n - 1] = token.sub(new, line)
        elif re.fullmatch(rf"\s*-\s+{re.escape(old)}\s*", line.rstrip("\n")) or (
                n != keys[n] and re.fullmatch(rf"\s+[^:]+:\s*{re.escape(old)}\s*", line.rstrip("\n"))):
            front[n - 1] = ""  # a list item, or a links: entry, of its own: the line goes
        else:
            front[n - 1] = re.sub(rf",\s*{re.escape(old)}(?![\w-])|(?<![\w-]){re.escape(old)}\s*,\s*|"
                                  rf"(?<=\[){re.escape(old)}(?=\])", "", line)
    for key in set(keys.values()):  # a key whose every item went: an empty list or mapping, not nothing
        items = [n for n, k in keys.items() if k == key and n != key]
        line = front[key - 1]
        if items and all(front[n - 1] == "" for n in items) and re.search(r":\s*$", line):
            empty = "{}" if re.match(r"^\s*links\s*:", line) else "[]"
            front[key - 1] = line.rstrip("\n").rstrip() + f" {empty}\n"
    return "".join(front) + text[end:]


def _front_value(text: str, key: str) -> str:
    end = _front_matter_end(text)
    m = re.search(rf"^{key}\s*:\s*['\"]?([^'\"\n#]+?)['\"]?\s*$", text[:end], re.M) if end else None
    return m.group(1).strip() if m else ""


def _set_redirects(text: str, add: str | None, drop: str) -> str:
    """The front matter's ``redirect_from:`` with ``add`` in it and ``drop`` (the page's address
    now: renamed back, it would redirect to itself) out of it; written as one block list."""
    import yaml

    end = _front_matter_end(text)
    if not end:
        return f"---\nredirect_from:\n- {add}\n---\n\n{text}" if add else text
    lines = text[:end].splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"redirect_from\s*:", line)), None)
    current: list[str] = []
    if start is not None:
        stop = start + 1
        while stop < len(lines) - 1 and (lines[stop].startswith((" ", "\t", "-")) or not lines[stop].strip()):
            stop += 1
        try:
            value = yaml.safe_load("".join(lines[start:stop])) or {}
        except yaml.YAMLError:
            return text  # check reports the YAML; mv does not guess
        found = value.get("redirect_from") if isinstance(value, dict) else None
        current = [found] if isinstance(found, str) else [v for v in found or [] if isinstance(v, str)]
        del lines[start:stop]
    wanted = [url for url in dict.fromkeys([*current, *([add] if add else [])]) if url != drop]
    if wanted == current and start is not None:
        return text
    block = ["redirect_from:\n", *(f"- {url}\n" for url in wanted)] if wanted else []
    at = start if start is not None else len(lines) - 1
    lines[at:at] = block
    return "".join(lines) + text[end:]


def ledger_articles(project: Project) -> dict[str, str]:
    """The ledger's article paths by seed name (for the hint after a rename by hand)."""
    path = project.root / LEDGER
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return {name: entry.get("article", "") for name, entry in data.get("imported", {}).items()
            if isinstance(entry, dict)}


# --------------------------------------------------------------------------- renames by hand

_MISSING = re.compile(r"but (content/(?:articles|people|topics|pages)/[^/\s]+\.md) does not exist")


def rename_hints(project: Project, seeds: dict[str, str], problems: list) -> list:
    """``problems`` with a better hint where a link points at a file that was renamed by hand:
    the likely new name (from the import ledger, git, or a close file name) and the ``mv``
    that rewrites every link to it. ``seeds``: seed name -> the article that records it now."""
    wanted = {m.group(1) for p in problems if (m := _MISSING.search(p.message))}
    if not wanted:
        return problems
    renamed = _renamed(project, wanted, seeds)
    out = []
    for problem in problems:
        m = _MISSING.search(problem.message)
        if m and m.group(1) in renamed:
            old, new = m.group(1), renamed[m.group(1)]
            problem = replace(problem, hint=f"{old} was renamed to {new}, it seems: python build.py mv {old} {new} "
                                            "rewrites every link to it and redirects its old address")
        out.append(problem)
    return out


def _renamed(project: Project, wanted: set[str], seeds: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    # An imported article keeps its seed: where the ledger saw it and where it is now.
    for seed, article in ledger_articles(project).items():
        if article in wanted and seeds.get(seed) and seeds[seed] != article:
            found[article] = seeds[seed]
    # A rename git knows (git mv, or a staged delete and add).
    for old, new in _git_renames(project.root):
        if old in wanted and old not in found and (project.root / new).is_file():
            found[old] = new
    # Else a file of the same folder with a close name, that no other page has claimed.
    for old in sorted(wanted - set(found)):
        folder = project.root / posixpath.dirname(old)
        names = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
        close = difflib.get_close_matches(Path(old).stem, names, n=1, cutoff=0.75)
        if close:
            found[old] = f"{posixpath.dirname(old)}/{close[0]}.md"
    return found


def _git_renames(root: Path) -> list[tuple[str, str]]:
    """(old, new) of the renames ``git status`` reports (none when git or a repository is missing)."""
    import subprocess

    try:
        out = subprocess.run(["git", "-C", str(root), "status", "--porcelain=v1", "-M", "-z"], capture_output=True,
                             timeout=10, check=False).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return []
    entries, renames = out.split("\0"), []
    i = 0
    while i < len(entries):
        entry = entries[i]
        if entry[:1] == "R" and i + 1 < len(entries):  # "R  new\0old" with -z
            renames.append((entries[i + 1], entry[3:]))
            i += 2
        else:
            i += 1
    return renames
