"""The build as a sequence of stages: import, load, render, write.

Commands (build, check, and later serve) call these; each stage's errors arrive as one
ProjectError naming every problem, and nothing is written once any stage failed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .config import Project
from .content import load_site
from .errors import Problem, ProjectError
from .linking import Linked, build_index, derive
from .markup import convert_bodies
from .model import Site
from .output import write_site
from .render import render_site
from .search import index_site
from .seeds import ImportResult, import_seeds


@dataclass(frozen=True)
class BuildResult:
    """What a build did, for the command line to report."""

    imported: ImportResult
    pages: int
    warnings: tuple[Problem, ...]
    out_dir: Path


def build(project: Project, out_dir: Path | None = None) -> BuildResult:
    """Import new seeds, then load, render and write the whole site atomically."""
    imported = import_seeds(project)
    failed = [p for p in imported.problems if p.is_error]
    if failed:
        raise ProjectError(list(imported.problems))
    site, warnings = load_site(project)
    linked = link(site)
    warnings += linked.warnings
    outputs = render_site(linked, project)
    out_dir = out_dir or project.site
    language = project.config.language
    write_site(outputs, out_dir, protected=_protected(project), finish=lambda folder: index_site(folder, language))
    pages = sum(1 for path, _ in outputs if path.endswith(".html"))
    return BuildResult(imported, pages, tuple(imported.problems) + tuple(warnings), out_dir)


def check(project: Project) -> list[Problem]:
    """Every problem in the project (errors and warnings), writing nothing."""
    problems = list(import_seeds(project, dry_run=True).problems)
    try:
        site, warnings = load_site(replace(project, config=replace(project.config, drafts=True)))
        problems.extend(warnings)
        linked = link(site)
        problems.extend(linked.warnings)
        render_site(linked, project)
    except ProjectError as exc:
        problems.extend(exc.problems)
    return sorted(set(problems))


def link(site: Site) -> Linked:
    """Index the aliases, convert every body (linking names), derive backlinks."""
    converted = convert_bodies(site, build_index(site))
    return derive(site, converted.bodies, converted.mentions, converted.passages, converted.warnings,
                  converted.feed_bodies)


def _protected(project: Project) -> list[Path]:
    """Folders a build must never replace."""
    root = project.root
    return [root, project.content, project.templates, project.seeds, root / "tests", root / "microsite"]
