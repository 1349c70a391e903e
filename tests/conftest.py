"""Shared helpers: small projects in temporary folders, a CLI runner, a link checker."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from microsite.cli import main

REPO = Path(__file__).resolve().parents[1]

PYPROJECT = """\
[project]
name = "test-site"
version = "0"

[tool.microsite]
title = "Test site"
base_url = "https://example.org/"
"""


@dataclass
class Run:
    """The outcome of one command: exit status and what it printed."""

    status: int
    out: str
    err: str


def make_project(root: Path, files: dict[str, str | bytes] | None = None, pyproject: str = PYPROJECT,
                 templates: bool = True) -> Path:
    """A project in ``root`` with the real templates and the given files (path -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, "utf-8")
    if templates:
        shutil.copytree(REPO / "templates", root / "templates")
    for rel, data in (files or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip("\n"), "utf-8")
    return root


def copy_seed_project(root: Path) -> Path:
    """A copy of this repository's project in ``root``: content/, templates/, seeds/, pyproject.toml."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("content", "templates", "seeds"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def article(title: str = "A title", body: str = "Some text.", **meta: str) -> str:
    """A content file for an article, front matter fields as given."""
    lines = [f"title: {title}"] if title is not None else []
    lines += [f"{key}: {value}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


@pytest.fixture
def cli(capsys):
    """Run the command line in-process against a project folder."""

    def run(project: Path, *args: str) -> Run:
        status = main(["--project", str(project), *args])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


def run_script(project: Path, *args: str, cwd: Path | None = None) -> Run:
    """Run ``build.py`` as a user does, in a subprocess."""
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(project), *args],
                          capture_output=True, text=True, cwd=cwd or project, timeout=120)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, for exact comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append(attrs[name])


def parse_links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Internal links and assets of every page that do not resolve to a file (or anchor).

    Every internal link must start with ``base_path``; the part after it is looked up
    in ``site`` the way a static host does (``/x/`` serves ``x/index.html``).
    """
    broken = []
    pages = {p: parse_links(p.read_text("utf-8")) for p in sorted(site.rglob("*.html"))}
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue
            where = f"{page.relative_to(site)}: {link}"
            if not parts.path:
                if parts.fragment and parts.fragment not in parsed.ids:
                    broken.append(where + " (no such anchor)")
                continue
            if not parts.path.startswith(base_path):
                broken.append(where + f" (outside base path {base_path})")
                continue
            rel = unquote(parts.path[len(base_path):])
            target = site / rel / "index.html" if rel == "" or rel.endswith("/") else site / rel
            if not target.is_file():
                broken.append(where + " (no such file)")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                broken.append(where + " (no such anchor)")
    return broken
