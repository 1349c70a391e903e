"""The ``check`` command: every problem of every stage in one run, writing nothing.

It runs the very stages a build runs (``pipeline.run_stages``), with the same options,
so check and build report the same problems; a build then writes the site when none
of them is an error. A file with broken front matter is reported, and the rest of the
site is still checked for references, links, alias conflicts and template errors.
"""

from __future__ import annotations

from .config import Project
from .errors import Problem
from .pipeline import run_stages


def check(project: Project) -> list[Problem]:
    """Every problem in the project (errors and warnings), sorted by file and line."""
    return run_stages(project).problems
