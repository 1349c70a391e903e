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
    """The new text of one content file (or None: delete it), with its old text for the diff."""

    path: str
    before: str
    after: str | None


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
    text = (new_path if by_hand else old_path).read_text("utf-8")
    fixed_slug = _front_value(text, "slug")
    old_slug, new_slug = fixed_slug or old_name, fixed_slug or new_name
    old_url, new_url = FOLDERS[folder].format(old_slug), FOLDERS[folder].format(new_slug)
    plan = Plan(rename=None if by_hand else (old_rel, new_rel))
    for rel, before in _content_texts(project):
        after = _relink(rel if rel != old_rel else new_rel, before, old_rel, new_rel, old_url, new_url)
        if old_slug != new_slug:
            after = _reslug(after, folder, old_slug, new_slug)
        if rel == (new_rel if by_hand else old_rel) and old_url != new_url:
            after = _add_redirect(after, old_url)
        if after != before:
            plan.changes[rel] = Change(rel, before, after)
    if by_hand:
        plan.notes.append(f"{old_rel} was renamed to {new_rel} already; only the links are rewritten")
    ledger = project.root / LEDGER
    if ledger.is_file():
        before = ledger.read_text("utf-8")
        after = before.replace(f'article = "{old_rel}"', f'article = "{new_rel}"')
        if after != before:
            plan.changes[LEDGER] = Change(LEDGER, before, after)
    if old_url != new_url:
        plan.notes.append(f"{old_url} will redirect to {new_url} (redirect_from: in {new_rel})")
    return plan


def plan_remove(project: Project, given: str, unlink: bool) -> Plan:
    """The delete of one content file: what cites it, and with ``unlink`` those citations
    made plain text (links) or dropped (slugs in lists)."""
    rel, folder, name = content_file(project, given)
    if not (project.root / rel).exists():
        raise UsageError(f"{rel} does not exist")
    text = (project.root / rel).read_text("utf-8")
    slug = _front_value(text, "slug") or name
    url = FOLDERS[folder].format(slug)
    plan = Plan()
    for other, before in _content_texts(project):
        if other == rel:
            continue
        cites = _citations(other, before, rel, url, folder, slug)
        plan.citations += cites
        if unlink and cites:
            after = _reslug(_unlink(other, before, rel, url), folder, slug, None)
            if after != before:
                plan.changes[other] = Change(other, before, after)
    plan.changes[rel] = Change(rel, text, None)
    return plan


def apply(project: Project, plan: Plan) -> None:
    """Write the plan: each changed file replaced in one step, then the rename or delete."""
    for change in sorted(plan.changes.values(), key=lambda c: c.path):
        path = project.root / change.path
        if change.after is None:
            continue
        tmp = path.with_name(f".{path.name}.mv-tmp")
        tmp.write_text(change.after, "utf-8")
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


def _content_texts(project: Project) -> list[tuple[str, str]]:
    """Every Markdown file of content/ with its text, by path."""
    found = []
    for path in sorted(project.content.rglob("*.md")):
        if any(part.startswith(".") for part in path.relative_to(project.content).parts):
            continue
        try:
            found.append((project.rel(path), path.read_text("utf-8")))
        except (OSError, UnicodeDecodeError):
            continue  # not UTF-8: check reports it; mv leaves it alone
    return found


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
    """``text`` with links to the deleted file made plain text ("[the report](x.md)" -> "the report")."""
    link = re.compile(r"\[([^\]]*)\]\(<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)")

    def plain(m: re.Match) -> str:
        return m.group(1) if _targets(rel, m.group(2), old_rel, old_url) else m.group(0)

    return link.sub(plain, text)


def _citations(rel: str, text: str, old_rel: str, old_url: str, folder: str, slug: str) -> list[str]:
    found = []
    for n, line in enumerate(text.splitlines(), 1):
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
    for n, _ in _slug_lines(text[:end], folder):
        line = front[n - 1]
        if new is not None:
            front[n - 1] = token.sub(new, line)
        elif re.fullmatch(rf"\s*-\s+{re.escape(old)}\s*", line.rstrip("\n")):
            front[n - 1] = ""  # a list item of its own: the line goes
        else:
            front[n - 1] = re.sub(rf",\s*{re.escape(old)}(?![\w-])|(?<![\w-]){re.escape(old)}\s*,\s*|"
                                  rf"(?<=\[){re.escape(old)}(?=\])", "", line)
    return "".join(front) + text[end:]


def _front_value(text: str, key: str) -> str:
    end = _front_matter_end(text)
    m = re.search(rf"^{key}\s*:\s*['\"]?([^'\"\n#]+?)['\"]?\s*$", text[:end], re.M) if end else None
    return m.group(1).strip() if m else ""


def _add_redirect(text: str, old_url: str) -> str:
    """The front matter with ``old_url`` added to ``redirect_from:`` (made when missing)."""
    end = _front_matter_end(text)
    if not end:
        return f"---\nredirect_from:\n- {old_url}\n---\n\n{text}"
    front, rest = text[:end], text[end:]
    if re.search(rf"^\s*-\s+{re.escape(old_url)}\s*$", front, re.M):
        return text
    existing = re.search(r"^redirect_from\s*:[ \t]*\n", front, re.M)
    if existing:
        return front[:existing.end()] + f"- {old_url}\n" + front[existing.end():] + rest
    closing = front.rfind("\n---")
    return front[:closing] + f"\nredirect_from:\n- {old_url}" + front[closing:] + rest


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
