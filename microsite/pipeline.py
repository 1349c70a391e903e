"""The build as a sequence of stages: import, load, link, render, write (and index for search).

``Builder`` runs them and keeps each stage's results for the next build, so a build
after a small change redoes only what the change affects; ``serve`` keeps one Builder
for its whole life, ``build`` uses a fresh one. Each stage's errors arrive as one
ProjectError naming every problem, and nothing is written once any stage failed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .config import Project, load_project
from .content import LoadCache, load_site
from .errors import Problem, ProjectError
from .linking import DeriveCache, Linked, build_index, derive
from .markup import ConvertCache, convert_bodies
from .model import Site
from .output import Written, update_in_place, write_site
from .render import RenderCache, render_site
from .search import index_site
from .seeds import ImportResult, import_seeds


@dataclass(frozen=True)
class BuildResult:
    """What a build did, for the command line to report."""

    imported: ImportResult
    pages: int
    warnings: tuple[Problem, ...]
    out_dir: Path
    converted: int = 0  # Markdown bodies converted (the rest came from the last build)
    written: bool = True  # False when nothing changed and site/ was left as it was
    seconds: float = 0.0
    stages: tuple[tuple[str, float], ...] = ()  # seconds spent in each stage, in order


class Builder:
    """Builds one project into one folder, again and again, redoing only what changed.

    ``configure`` adjusts the project's configuration for every build (``serve`` sets
    its local address and drafts); ``search`` says whether the Pagefind index is made
    inside the build (``build``) or left to the caller (``serve`` indexes after the
    swap, so a reload never waits for it); ``in_place`` updates changed files one by
    one instead of swapping the whole folder (``serve``; see ``output.update_in_place``).
    """

    def __init__(self, root: Path, out_dir: Path | None = None,
                 configure: Callable[[Project], Project] = lambda project: project, search: bool = True,
                 in_place: bool = False):
        self.root = root
        self.in_place = in_place
        self.out_dir = out_dir
        self.configure = configure
        self.search = search
        self.load_cache = LoadCache()
        self.convert_cache = ConvertCache()
        self.render_cache = RenderCache()
        self.derive_cache = DeriveCache()
        self.seed_cache: dict[str, tuple[tuple[int, int, int], str]] = {}
        self.written: Written | None = None
        self.project: Project | None = None

    def build(self) -> BuildResult:
        """One build: import new seeds, then load, link, render and write atomically."""
        started = time.perf_counter()
        clock = _Clock()
        project = self.project = self.configure(load_project(self.root))
        out_dir = self.out_dir or project.site
        imported = import_seeds(project, known=self.seed_cache)
        if any(p.is_error for p in imported.problems):
            raise ProjectError(list(imported.problems))
        clock.lap("import")
        site, warnings = load_site(project, self.load_cache)
        clock.lap("load")
        linked, converted = link(site, self.convert_cache, derived=self.derive_cache)
        clock.lap("link")
        outputs = render_site(linked, project, self.render_cache)
        clock.lap("render")
        pages = sum(1 for path, _ in outputs if path.endswith(".html"))
        unchanged = self.written is not None and _same(outputs, self.written) and (out_dir / ".nojekyll").exists()
        if not unchanged and self.in_place:
            self.written = update_in_place(outputs, out_dir, self.written, protected(project))
        elif not unchanged:
            language = project.config.language
            finish = (lambda folder: index_site(folder, language)) if self.search else None
            self.written = write_site(outputs, out_dir, protected=protected(project), finish=finish,
                                      previous=self.written)
        clock.lap("write")
        return BuildResult(imported, pages, tuple(imported.problems) + tuple(warnings) + linked.warnings, out_dir,
                           converted, not unchanged, time.perf_counter() - started, tuple(clock.laps))


class _Clock:
    """Seconds between successive laps, for the build's timing report."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now


def _same(outputs: list[tuple[str, bytes]], written: Written) -> bool:
    """Whether the outputs are exactly what is in the folder already (nothing to write)."""
    return len(outputs) == len(written) and all(written.get(path, (None,))[0] == data for path, data in outputs)


def build(project: Project, out_dir: Path | None = None) -> BuildResult:
    """Build ``project`` from scratch (the ``build`` command)."""
    return Builder(project.root, out_dir, configure=lambda _: project).build()


def link(site: Site, cache: ConvertCache | None = None, check_pages: bool = True,
         derived: DeriveCache | None = None) -> tuple[Linked, int]:
    """Index the aliases, convert every body (linking names), derive backlinks.

    Returns the linked site and how many bodies were converted afresh.
    """
    warnings: list[Problem] = []
    index = build_index(site, warnings)
    converted = convert_bodies(site, index, cache, check_pages)
    linked = derive(site, converted.bodies, converted.mentions, converted.passages,
                    tuple(warnings) + converted.warnings, converted.feed_bodies, derived)
    return linked, converted.converted


def with_drafts(project: Project) -> Project:
    return replace(project, config=replace(project.config, drafts=True))


def protected(project: Project) -> list[Path]:
    """Folders a build must never replace."""
    root = project.root
    return [root, project.content, project.templates, project.seeds, root / "tests", root / "microsite"]
