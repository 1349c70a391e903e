"""The ``new`` command: a new content file with valid front matter, never over another."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from nameparser import HumanName

from .config import Project
from .content import dump_front_matter
from .errors import ProjectError, UsageError, error
from .slugs import is_valid_slug, slugify, unique_slug

KIND_FOLDERS = {"article": "articles", "person": "people", "topic": "topics", "page": "pages"}


def new_file(project: Project, kind: str, title: str, today: dt.date | None = None) -> Path:
    """Create ``content/<folder>/<slug>.md`` for a new article, page, person or topic, as a draft; return its path.

    Articles get a free slug (two outlets may share a headline); a person or topic whose
    slug is taken is refused, since people and topics share slugs and that page exists.
    """
    title = " ".join(title.split())
    slug = slugify(title)
    if not title or not is_valid_slug(slug):
        raise UsageError(f"{title!r} gives no usable file name; use letters or digits in the title")
    folder = project.content / KIND_FOLDERS[kind]
    if kind == "article":
        slug = unique_slug(slug, {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set())
    elif kind == "page":
        if (existing := folder / f"{slug}.md").exists():
            raise ProjectError(error(project.rel(existing), 0, f"already exists; the new page would take its slug "
                                     f"'{slug}'", "edit that file, or choose another title"))
    else:
        for other in ("people", "topics"):
            existing = project.content / other / f"{slug}.md"
            if existing.exists():
                raise ProjectError(error(project.rel(existing), 0, f"already exists; the new {kind} would take "
                                         f"its slug '{slug}'", "edit that file, or choose a more specific name"))
    path = folder / f"{slug}.md"
    _create(path, project.rel(path), front_matter(kind, title, today or dt.date.today()))
    return path


def draft_entity(project: Project, kind: str, name: str, aliases: tuple[str, ...],
                 sentences: tuple[tuple[str, str], ...]) -> Path:
    """A draft person or topic page for a suggested name: its spellings as aliases, and
    the sentences that name it, each citing its article, as a starting point."""
    slug = slugify(name)
    if not is_valid_slug(slug):
        raise UsageError(f"{name!r} gives no usable file name; use letters or digits in the name")
    for other in ("people", "topics"):
        existing = project.content / other / f"{slug}.md"
        if existing.exists():
            raise ProjectError(error(project.rel(existing), 0, f"already exists; the page for {name!r} would take "
                                     f"its slug '{slug}'", "add the spellings to that file's aliases instead"))
    group = {"person": "role", "topic": "kind"}[kind]
    meta = {"name": name, "aliases": list(dict.fromkeys((name, *aliases))), group: "", "summary": "", "draft": True}
    lines = [f"What the articles say about {name}, to rewrite in your own words with footnotes citing them; "
             "then fill in the fields above and remove 'draft: true'.", ""]
    for path, sentence in sentences:
        article = path.rsplit("/", 1)[-1]
        lines.append(f"- “{sentence}” ([source](../articles/{article}))")
    path = project.content / KIND_FOLDERS[kind] / f"{slug}.md"
    _create(path, project.rel(path), dump_front_matter(meta, "\n".join(lines)))
    return path


def front_matter(kind: str, title: str, today: dt.date) -> str:
    """The starting text of a new file: a draft, with every field an editor is expected to fill in."""
    if kind == "article":
        meta = {"title": title, "date": today, "summary": "", "draft": True}
        body = "Write the article here. Names of people and topics are linked when the site is built."
    elif kind == "page":
        meta = {"title": title, "summary": "", "draft": True}
        body = ("Write the page here. To list it in the site's navigation, add 'menu: 2' (its position) above; "
                "remove 'draft: true' to publish it.")
    else:
        group = {"person": "role", "topic": "kind"}[kind]
        aliases = person_aliases(title) if kind == "person" else [title]
        meta = {"name": title, "aliases": aliases, group: "", "summary": "", "draft": True}
        body = _checklist(kind, title)
    return dump_front_matter(meta, body)


def person_aliases(name: str) -> list[str]:
    """How reports are likely to write a person: the whole name (without a title such as
    "Dr."), first and last name alone, and the last name with its particles ("Vande Hei",
    "de la Cruz") as a name parser (nameparser) reads them."""
    parsed = HumanName(name)
    if not parsed.last or not parsed.first:
        return [name]
    whole = " ".join(part for part in (parsed.first, parsed.middle, parsed.last, parsed.suffix) if part)
    short = f"{parsed.first} {parsed.last}"
    # An alias starts and ends with a letter or digit: "Jr." is matched as "Jr" (then ".").
    return list(dict.fromkeys(alias.strip(".,;: ") for alias in (whole, short, parsed.last)))


def _checklist(kind: str, name: str) -> str:
    group = ("role: their part in the story, which groups the people index (\"Crew of Soyuz MS-19\")"
             if kind == "person" else "kind: what it is, which groups the topics index (organisation, place, craft, "
             "film, event)")
    return "\n".join([
        f"Before {name}'s page is published:",
        "",
        f"- [ ] {group}",
        "- [ ] summary: one sentence for lists, search results and previews",
        "- [ ] aliases: every spelling the reports use (`python build.py suggest` lists the ones it finds)",
        "- [ ] this text: what the reports say, each fact with a footnote citing its article, e.g. `[^1]` and "
        "`[^1]: [Title](../articles/the-article.md)`",
        "- [ ] remove `draft: true` above",
    ])


def _create(path: Path, rel: str, text: str) -> None:
    """Write a new file; fail rather than replace one (even one created a moment ago)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ProjectError(error(rel, 0, "already exists; new never overwrites a file",
                                 "choose another title")) from None
    except OSError as exc:
        raise ProjectError(error(rel, 0, f"cannot create: {os.strerror(exc.errno or 0)}")) from None
