"""Import stage: seed texts (news articles as plain text) to Markdown content files.

``clipping.parse_seed(name, data)`` is a pure function from a file name and its bytes
to an ``ArticleDraft``; this module plans and writes: ``import_seeds`` never overwrites
a file an editor may have touched, and the ledger remembers what was imported.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .clipping import ArticleDraft, parse_seed
from .config import Project
from .content import read_seed_field
from .errors import Problem, ProjectError, UsageError, error, quoted, warning
from .files import read_project_file, refuse_binary
from .slugs import is_valid_slug, slugify, unique_slug

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
    diffs: tuple[str, ...] = ()  # --force: what replacing each file changes (unified diffs)
    backups: tuple[tuple[str, str], ...] = ()  # --force: (content file, its backup) kept before replacing it


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
    diffs = _diffs(project, plan) if plan.replace else ()
    if plan.replace and plan.files and not any(diffs):  # the file holds what the seed imports to: leave it
        return ImportResult(problems=plan.problems, diffs=diffs)
    if dry_run:
        return ImportResult(problems=plan.problems, diffs=diffs)
    backups = _backups(project, plan) if plan.replace else ()
    return replace(apply_import(project, plan), diffs=diffs, backups=backups)


def _diffs(project: Project, plan: ImportPlan) -> tuple[str, ...]:
    """What --force would change in each file it replaces, as a unified diff ("" when nothing)."""
    found = []
    for item in plan.files:
        path = project.root / item.target
        before = path.read_text("utf-8", errors="replace") if path.is_file() else ""
        found.append("".join(difflib.unified_diff(before.splitlines(keepends=True), item.text.splitlines(keepends=True),
                                                  f"{item.target} (now)", f"{item.target} (imported again)")))
    return tuple(found)


def _backups(project: Project, plan: ImportPlan) -> tuple[tuple[str, str], ...]:
    """Copy each file --force is about to replace beside it ("x.md.bak", never over another
    file), so an editor's work is one rename away however the new import turns out."""
    kept = []
    for item in plan.files:
        path = project.root / item.target
        if not path.is_file():
            continue
        backup, n = path.with_name(path.name + ".bak"), 1
        while backup.exists():
            n += 1
            backup = path.with_name(f"{path.name}.bak{n}")
        shutil.copy2(path, backup)
        kept.append((item.target, project.rel(backup)))
    return tuple(kept)


def _top_seed(rel: str) -> bool:
    """Whether a project-relative path is a seed file ("seeds/<name>.txt", not in a subfolder).
    String tests, not a pattern: serve asks this of every input file on every rebuild."""
    return rel.startswith("seeds/") and rel.endswith(".txt") and len(rel) > 10 and "/" not in rel[6:]


def plan_import(project: Project, force: str | None = None, existing: dict[str, Path] | None = None,
                listing: dict[str, tuple[int, int]] | None = None) -> ImportPlan:
    """What importing the new seeds would write; reads seeds, writes nothing.

    A seed is new when no article records it (``existing``: seed -> content file,
    looked up when not given), the ledger does not list it, and ``skip_seeds`` does
    not name it. ``listing`` (a fresh stat of the project's files) spares a look at
    the seeds folder.
    """
    if listing is not None:
        seeds = [project.root / rel for rel in sorted(rel for rel in listing if _top_seed(rel))]
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
    if force is None:
        problems += _changed_since_import(project, [present[n] for n in sorted(ledger) if n in present], ledger)
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
        except Exception as exc:  # noqa: BLE001 - a fault of the importer on one text must not hide the others
            problems.append(error(project.rel(seed), 0, f"import failed on this text ({type(exc).__name__}: "
                                  f"{quoted(str(exc))}); this is a fault of the importer, not of the text",
                                  f"add {quoted(seed.name)} to skip_seeds in pyproject.toml and write its article "
                                  "by hand; please report the text"))
            continue
        problems.extend(draft.warnings)
        known = existing.get(seed.name) or (project.root / after[seed.name].article if seed.name in after else None)
        target = known if force is not None and known else _new_path(project, draft, taken)
        files.append(NewArticle(project.rel(seed), project.rel(target), draft.to_markdown()))
        after[seed.name] = Imported(project.rel(target), hashlib.sha256(data).hexdigest())
    return ImportPlan(tuple(files), tuple(problems), after, ledger, replace=force is not None)


# (path, mtime_ns, size) -> sha256 of seeds read before: a build looks at every imported
# seed, and on a large site reading them all again for each rebuild in serve would show.
_DIGESTS: dict[tuple[str, int, int], str] = {}


def _changed_since_import(project: Project, seeds: list[Path], ledger: dict[str, Imported]) -> list[Problem]:
    """A warning for each imported seed whose text is no longer what was imported: its
    article keeps the old text until the editor imports it again."""
    problems = []
    for seed in seeds:
        recorded = ledger[seed.name]
        try:
            status = seed.stat()
        except OSError:
            continue
        key = (str(seed), status.st_mtime_ns, status.st_size)
        if key not in _DIGESTS:
            try:
                _DIGESTS[key] = hashlib.sha256(_read_bytes(project, seed)).hexdigest()
            except ProjectError:
                continue  # reported when it is imported; an unreadable seed is no change to report
        if recorded.sha256 and _DIGESTS[key] != recorded.sha256:
            problems.append(warning(project.rel(seed), 0, f"changed since it was imported into {recorded.article}, "
                                    "which still holds the text as imported",
                                    f"to import it again: python build.py import --force {project.rel(seed)} "
                                    "(it shows what changes and keeps your version as a backup; --dry-run only "
                                    "shows it)"))
    return problems


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
