"""The ``check`` command: every problem of every stage in one run, writing nothing.

Unlike a build, which stops at the first stage that fails, check goes on with what it
could load: a file with broken front matter is reported, and the rest of the site is
still checked for references, links, alias conflicts and template errors. Drafts are
checked too.
"""

from __future__ import annotations

from .config import Project
from .content import load_site
from .errors import Problem, ProjectError, warning
from .files import template_problems
from .linking import alias_index, derive, index_problems
from .markup import convert_bodies
from .model import Site
from .pipeline import with_drafts
from .render import render_site
from .seeds import plan_import


def check(project: Project) -> list[Problem]:
    """Every problem in the project (errors and warnings), sorted by file and line."""
    project = with_drafts(project)
    plan = plan_import(project)  # new seeds are checked as the articles they would become
    problems = list(plan.problems)
    site, found = load_site(project, partial=True, extra=plan.contents())
    problems += found
    problems += index_problems(site)
    problems += undated(site)
    if unreadable := template_problems(project.root, project.templates):
        return sorted(set(problems + unreadable))  # rendering would block on them or loop
    try:
        converted = convert_bodies(site, alias_index(site), strict=False)
        problems += converted.warnings
        linked = derive(site, converted.bodies, converted.mentions, converted.passages, (), converted.feed_bodies,
                        cites=converted.cites)
        render_site(linked, project)
    except ProjectError as exc:
        problems += exc.problems
    return sorted(set(problems))


def undated(site: Site) -> list[Problem]:
    """A warning for each article without a date (unless ``date:`` is set empty on purpose)."""
    return [warning(a.source.path, 1, "no date: the article is shown as undated and listed last",
                    "add 'date: YYYY-MM-DD' if the source gives one, or 'date: null' to say it has none")
            for a in site.articles if a.date is None and "date" not in a.source.lines]
