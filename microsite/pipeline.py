"""The build as a sequence of stages: import, load, link, render, write (and index for search).

``Builder`` runs them and keeps each stage's results for the next build, so a build
after a small change redoes only what the change affects; ``serve`` keeps one Builder
for its whole life, ``build`` uses a fresh one. Each stage's errors arrive as one
ProjectError naming every problem, and nothing is written once any stage failed.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import SPARE, BuildCache, build_options, input_snapshot, output_stamp
from .config import Project, load_project
from .content import LoadCache, load_site
from .errors import Problem, ProjectError, warning
from .files import template_problems
from .linking import DeriveCache, Linked, alias_index, build_index, derive, index_problems
from .markup import ConvertCache, convert_bodies
from .model import Site
from .moves import rename_hints
from .output import Spare, Written, same_content, stored, update_in_place, write_site
from .parallel import detached
from .render import Output, RenderCache, render_site
from .search import copy_index, search_key, start_index, stop_index, wait_index
from .seeds import ImportPlan, ImportResult, apply_import, plan_import, undo_import


class Superseded(Exception):
    """A build dropped before it wrote anything: its input files changed while it ran
    (``serve`` starts the next one at once)."""


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
                 in_place: bool = False, persist: bool = True, save_every_build: bool = True,
                 keep_pages: bool = True):
        self.root = root
        # False: one build, then the process ends (the build command). The pages' bytes are
        # let go once on disk, not kept for a next build to compare with.
        self.keep_pages = keep_pages
        self.in_place = in_place
        self.persist = persist
        self.save_every_build = save_every_build  # serve saves once, not after each of its rebuilds
        self.restored = False  # whether the caches of an earlier process were loaded
        self.built_once = False
        self.out_dir = out_dir
        self.configure = configure
        self.search = search
        self.load_cache = LoadCache()
        self.convert_cache = ConvertCache()
        self.render_cache = RenderCache()
        self.derive_cache = DeriveCache()
        self.saved: tuple | None = None  # the caches' change counters when last loaded or saved
        self.written: Written | None = None
        self.spare_files: Written | None = None  # what the replaced site kept in the build cache holds (see Spare)
        self.project: Project | None = None
        self.search_key = ""  # what the search index in the output folder was made from
        self.search_stamp: tuple[int, int, int] | None = None  # which index that is (see _index_stamp)

    def build(self, listing: dict[str, tuple[int, int]] | None = None,
              proceed: Callable[[], bool] | None = None) -> BuildResult:
        """One build: import new seeds, then load, link, render and write atomically.

        With ``persist``, the first build of a Builder starts from the caches of the last
        one (``.cache/microsite/``), and returns at once when nothing changed since.
        ``listing`` is a fresh stat of the input files, when the caller has one (serve).
        ``proceed`` is asked once the pages are made, before anything is imported or
        written: False raises ``Superseded`` (serve: the files changed meanwhile).
        """
        started = time.perf_counter()
        project = self.configure(load_project(self.root))
        if self.project is not None and project.config == self.project.config:
            # The last build's very object: every page's inputs hold it, and 6,000 of them
            # compared field by field were 3 ms of every rebuild in serve.
            project = replace(project, config=self.project.config)
        self.project = project
        out_dir = self.out_dir or project.site
        options = build_options(project, out_dir, self.search, self.in_place)
        disk = BuildCache(project, self.persist)
        # Share cards and pictures are kept as files there, named by their content (see render._draw_cards).
        self.render_cache.files_dir = disk.folder if self.persist else None
        clock = _Clock()
        if self.persist and not self.restored:
            up_to_date = self._restore(disk, options, out_dir)
            if up_to_date is not None:
                return replace(up_to_date, seconds=time.perf_counter() - started)
            clock.lap("restore")
        first = not self.built_once
        recording = self.persist and (self.save_every_build or first)
        inputs = input_snapshot(self.root) if recording else {}
        result = self._build(project, out_dir, clock, started, listing, proceed)
        self.built_once = True
        if recording:
            if self._dirty():
                state = self._state()
                detached(lambda: disk.save_state(state))
            disk.record(self.root, options, out_dir, inputs, result.pages, result.warnings)
            if result.written and self.written is not None:
                written, stamp, spare = self.written, output_stamp(out_dir), self.spare_files
                spare_stamp = output_stamp(disk.spare) if spare is not None else None
                detached(lambda: disk.save_written(out_dir, stored(written), stamp,
                                                   stored(spare) if spare is not None else None, spare_stamp))
            clock.lap("save")
            result = replace(result, seconds=time.perf_counter() - started, stages=tuple(clock.laps))
        return result

    def _dirty(self) -> bool:
        """Whether the caches changed since they were loaded or saved (else saving is wasted time)."""
        fingerprint = self._fingerprint()
        dirty = fingerprint != self.saved
        self.saved = fingerprint
        return dirty

    def _fingerprint(self) -> tuple:
        return (self.load_cache.changes, self.convert_cache.changes,
                self.derive_cache.changes, self.search_key, self.search_stamp)

    def _restore(self, disk: BuildCache, options: dict, out_dir: Path) -> BuildResult | None:
        """Load an earlier build's caches; a BuildResult when that build is still up to date."""
        self.restored = True
        previous = disk.unchanged(self.root, options, out_dir)
        if previous is not None:
            return BuildResult(ImportResult(), previous["pages"], previous["warnings"], out_dir, 0, False)
        self.written, self.spare_files = disk.load_written(out_dir)
        state = disk.load_state()
        if state:
            self.load_cache = state["load"]
            self.convert_cache, self.derive_cache = state["convert"], state["derive"]
            self.search_key, self.search_stamp = state["search_key"], state.get("search_stamp")
            self.saved = self._fingerprint()
        return None

    def _state(self) -> dict:
        return {"load": self.load_cache, "convert": self.convert_cache,
                "derive": self.derive_cache, "search_key": self.search_key, "search_stamp": self.search_stamp}

    def _build(self, project: Project, out_dir: Path, clock: _Clock, started: float,
               listing: dict[str, tuple[int, int]] | None, proceed: Callable[[], bool] | None) -> BuildResult:
        staged = run_stages(project, self.load_cache, self.convert_cache, self.derive_cache, self.render_cache,
                            listing, self._imported, clock)
        # Before its problems too: a file read half-written reports what its next piece mends.
        if proceed is not None and not proceed():
            raise Superseded()
        if staged.outputs is None or any(p.is_error for p in staged.problems):
            raise ProjectError(staged.problems)
        plan, outputs, converted, warnings = staged.plan, staged.outputs, staged.converted, staged.problems
        pages = sum(1 for path, _ in outputs if path.endswith(".html"))
        unchanged = self.written is not None and _same(outputs, self.written) and (out_dir / ".nojekyll").exists()
        imported = apply_import(project, plan)
        # (Only for a build that writes: its key reads every page.)
        indexing = _Indexing(self, project, outputs, out_dir, clock, staged.later) \
            if self.search and project.config.has_search and not unchanged and not self.in_place else None
        try:
            if not unchanged and self.in_place:
                _run(staged.later)
                self.written = update_in_place(outputs, out_dir, self.written, protected(project))
            elif not unchanged:
                later = staged.later
                start = indexing.start if indexing else lambda folder: _run(later)
                previous, replaced = self.written, output_stamp(out_dir)
                # Pagefind reads only new folders (see Spare.take): the kept site is taken when the index is reused.
                spare = Spare(self.render_cache.files_dir / SPARE, self.spare_files,
                              take=indexing is None or indexing.reuses) \
                    if self.render_cache.files_dir is not None else None
                self.spare_files = None  # taken by this build, or the kept one is no longer known
                handed = [outputs]
                if not self.keep_pages:  # write_site holds the only reference to the pages (see release)
                    self.render_cache.pages = {}
                    outputs = staged = None
                self.written = write_site(handed.pop(), out_dir, protected=protected(project), start=start,
                                          finish=indexing.finish if indexing else None, previous=previous,
                                          spare=spare, release=not self.keep_pages)
                if spare is not None and replaced is not None and output_stamp(spare.folder) == replaced:
                    self.spare_files = previous  # the site it replaced, kept: what the last build wrote
        except BaseException:
            if indexing:
                indexing.stop()
            undo_import(project, imported)  # the site was not written: neither are its new articles
            raise
        clock.lap("write")
        return BuildResult(imported, pages, tuple(warnings), out_dir,
                           converted, not unchanged, time.perf_counter() - started, tuple(clock.laps))

    def _imported(self, project: Project) -> dict[str, Path]:
        """Seed file name -> the content file that came from it, from what load read."""
        found: dict[str, Path] = {}
        for rel, (_, _, loaded) in sorted(self.load_cache.entries.items()):
            if loaded.kind == "article" and loaded.seed:
                found.setdefault(loaded.seed, project.root / rel)
        return found


class _Indexing:
    """The search stage, around the write stage's last steps: Pagefind starts as soon as the
    pages are on disk, and the share cards the build cache lacks are drawn while it runs (it
    leaves most of a second core idle); the folder is swapped in once it is done. The last
    index is reused instead when nothing Pagefind reads changed."""

    def __init__(self, builder: Builder, project: Project, outputs: list[Output], out_dir: Path, clock: _Clock,
                 later: tuple[Callable[[], None], ...]):
        self.builder, self.out_dir, self.clock, self.later = builder, out_dir, clock, later
        self.key = search_key(outputs)
        # The key says what the last build indexed, the stamp that the index in out_dir is
        # that one: not one made by a build into another --out, with --no-cache, or elsewhere.
        self.reuses = self.key == builder.search_key and _index_stamp(out_dir) == builder.search_stamp
        self.language = project.config.language
        self.running: subprocess.Popen | None = None

    def start(self, folder: Path) -> None:
        self.clock.lap("write")
        if not (self.reuses and copy_index(self.out_dir, folder)):
            self.running = start_index(folder, self.language)
        _run(self.later)
        self.clock.lap("cards+search")

    def finish(self, folder: Path) -> None:
        self.clock.lap("write")
        if self.running is not None:
            running, self.running = self.running, None
            wait_index(running)
        self.builder.search_key, self.builder.search_stamp = self.key, _index_stamp(folder)
        self.clock.lap("search")

    def stop(self) -> None:
        """The build failed: end Pagefind if it still runs (its folder is being removed)."""
        if self.running is not None:
            stop_index(self.running)
            self.running = None


def _run(jobs: tuple[Callable[[], None], ...]) -> None:
    for job in jobs:
        job()


def _index_stamp(site: Path) -> tuple[int, int, int] | None:
    """The identity of the search index in ``site``; copy_index hard-links it, so reuse keeps it."""
    try:
        stat = (site / "pagefind" / "pagefind-entry.json").stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


class _Clock:
    """Seconds between successive laps, for the build's timing report."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps.append((name, now - self.last))
        self.last = now


@dataclass(frozen=True)
class Staged:
    """What the stages before writing made of a project: every problem found, and the
    outputs when rendering got that far (None when an error stopped it)."""

    site: Site
    plan: ImportPlan
    outputs: list[Output] | None
    converted: int
    problems: list[Problem]  # errors and warnings, sorted by file and line
    later: tuple[Callable[[], None], ...] = ()  # jobs to run before the outputs are written (share cards)


def run_stages(project: Project, load_cache: LoadCache | None = None, convert_cache: ConvertCache | None = None,
               derive_cache: DeriveCache | None = None, render_cache: RenderCache | None = None,
               listing: dict[str, tuple[int, int]] | None = None,
               imported: Callable[[Project], dict[str, Path]] | None = None, clock: _Clock | None = None) -> Staged:
    """Import (in memory), load, link and render, going on past every problem that does not
    stop a later stage, so that one run finds them all. ``build`` writes the outputs when
    no problem is an error; ``check`` only reports: both report the same list.

    A file that does not load is left out (its problems are reported, and links to it are
    not reported again); templates that cannot be read stop the run before rendering.
    """
    lap = clock.lap if clock is not None else (lambda name: None)
    load_cache = load_cache if load_cache is not None else LoadCache()
    # Load first: the loaded articles tell which seeds are imported already, so the
    # import needs no pass of its own over the articles folder.
    site, problems = load_site(project, load_cache, partial=True, listing=listing)
    lap("load")
    # New seeds are imported in memory first: their articles are built with the rest,
    # and written only once the whole build has succeeded (a failed build writes nothing).
    plan = plan_import(project, existing=imported(project) if imported else None, listing=listing)
    if plan.files:
        site, problems = load_site(project, load_cache, partial=True, listing=listing, extra=plan.contents())
    lap("import")
    found = [*plan.problems, *problems, *undated(site)]
    if unreadable := template_problems(project.root, project.templates):
        return Staged(site, plan, None, 0, sorted(set(found + unreadable)))  # rendering would block or loop
    found += index_problems(site)
    converted = convert_bodies(site, alias_index(site), convert_cache, strict=False)
    found += converted.warnings
    linked = derive(site, converted.bodies, converted.mentions, converted.passages, (), converted.feed_bodies,
                    derive_cache, converted.cites)
    lap("link")
    # Pictures are drawn only for a build that will be written: never for check, nor into
    # the build cache of a build that has failed already.
    images = render_cache is not None and not any(p.is_error for p in found)
    later: list[Callable[[], None]] = []
    try:
        outputs: list[Output] | None = render_site(linked, project, render_cache, images, later)
    except ProjectError as exc:
        found += exc.problems
        outputs = None
    lap("render")
    seeds = {a.seed: a.source.path for a in site.articles if a.seed}
    return Staged(site, plan, outputs, converted.converted, sorted(set(rename_hints(project, seeds, found))),
                  tuple(later))


def undated(site: Site) -> list[Problem]:
    """A warning for each article without a date (unless ``date:`` is set empty on purpose)."""
    return [warning(a.source.path, 1, "no date: the article is shown as undated and listed last",
                    "add 'date: YYYY-MM-DD' if the source gives one, or 'date: null' to say it has none")
            for a in site.articles if a.date is None and "date" not in a.source.lines]


def _same(outputs: list[tuple[str, bytes]], written: Written) -> bool:
    """Whether the outputs are exactly what is in the folder already (nothing to write)."""
    return len(outputs) == len(written) and all(
        path in written and same_content(written[path][0], data) for path, data in outputs)


def build(project: Project, out_dir: Path | None = None, use_cache: bool = True) -> BuildResult:
    """Build ``project`` (the ``build`` command), from the build cache unless ``use_cache`` is off."""
    return Builder(project.root, out_dir, configure=lambda _: project, persist=use_cache, keep_pages=False).build()


def link(site: Site, cache: ConvertCache | None = None, check_pages: bool = True,
         derived: DeriveCache | None = None, passages: bool = False) -> tuple[Linked, int]:
    """Index the aliases, convert every body (linking names), derive backlinks.

    Returns the linked site and how many bodies were converted afresh.
    """
    warnings: list[Problem] = []
    index = build_index(site, warnings)
    converted = convert_bodies(site, index, cache, check_pages, passages=passages)
    linked = derive(site, converted.bodies, converted.mentions, converted.passages,
                    tuple(warnings) + converted.warnings, converted.feed_bodies, derived, converted.cites)
    return linked, converted.converted


def with_drafts(project: Project) -> Project:
    return replace(project, config=replace(project.config, drafts=True))


def protected(project: Project) -> list[Path]:
    """Folders a build must never replace."""
    root = project.root
    return [root, project.content, project.templates, project.seeds, root / "tests", root / "microsite"]
