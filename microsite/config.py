"""Configuration: the ``[tool.microsite]`` table of ``pyproject.toml`` as a schema.

Every key is typed and documented here; unknown keys and wrong types are errors that
name the line, all reported in one run.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import Problem, ProjectError, UsageError, error

CONFIG_FILE = "pyproject.toml"
SECTION = "tool.microsite"


@dataclass(frozen=True)
class Config:
    """Site settings; command-line flags override them through ``replace``."""

    title: str = "The Challenge: the first feature film shot in orbit"
    description: str = "A microsite about the first feature film shot in orbit."
    base_url: str = "http://127.0.0.1:8000/"
    language: str = "en"
    author: str = "The microsite editors"
    # Regular expressions for navigation and promo lines dropped by import; they
    # extend the built-in list in seeds.py, they do not replace it.
    residue_patterns: tuple[str, ...] = ()
    # Seed file names that import must leave alone (an editor removed the article).
    skip_seeds: tuple[str, ...] = ()
    # Articles per page of the articles index, and mentions per page of a person or
    # topic, so no page grows without bound with the number of articles.
    page_size: int = 50
    # What search indexes: "full" (every word of every article, person, topic and page)
    # or "titles" (titles, summaries and names only: far less time and memory on a
    # site of thousands of articles; people are still found under every spelling).
    search: str = "full"
    drafts: bool = False

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``, always starting and ending with "/"."""
        return base_path_of(self.base_url)


# key -> (expected type, description for messages); tuples are lists of strings.
_SCHEMA: dict[str, tuple[type, str]] = {
    "title": (str, "a string"),
    "description": (str, "a string"),
    "base_url": (str, "an absolute http(s) URL such as \"https://user.github.io/repo/\""),
    "language": (str, "a language tag such as \"en\""),
    "author": (str, "a string"),
    "residue_patterns": (tuple, "a list of regular expressions"),
    "skip_seeds": (tuple, "a list of seed file names"),
    "page_size": (int, "a whole number of at least 5"),
    "search": (str, "\"full\" or \"titles\""),
}


@dataclass(frozen=True)
class Project:
    """Where a project's files live; every stage gets its paths from here."""

    root: Path
    config: Config = field(default_factory=Config)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def rel(self, path: Path) -> str:
        """``path`` relative to the project root, with "/" separators, for messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def base_path_of(base_url: str) -> str:
    """The path of a base URL, normalised to start and end with "/"."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def normalise_base_url(value: str) -> str | None:
    """``value`` with a trailing slash, or None when it is not an absolute http(s) URL."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if parts.query or parts.fragment:
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` with a pyproject.toml holding [tool.microsite]."""
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_FILE
        if candidate.is_file() and "[tool.microsite]" in candidate.read_text("utf-8", "replace"):
            return folder
    raise UsageError(
        f"no {CONFIG_FILE} with a [tool.microsite] table in {start} or its parents; "
        "run the command inside a microsite project or pass --project DIR"
    )


def load_project(root: Path) -> Project:
    """Read ``root/pyproject.toml`` and validate ``[tool.microsite]``."""
    path = root / CONFIG_FILE
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(error(CONFIG_FILE, 0, f"cannot read the configuration: {exc}")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise ProjectError(
            error(CONFIG_FILE, line, f"invalid TOML: {exc}", "fix the syntax; see https://toml.io")
        ) from None
    table = data.get("tool", {}).get("microsite", {})
    return Project(root=root, config=parse_config(table, _key_lines(text)))


def parse_config(table: dict[str, Any], lines: dict[str, int] | None = None) -> Config:
    """Validate a ``[tool.microsite]`` table; raise one ProjectError listing every problem."""
    lines = lines or {}
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key in sorted(table):
        line = lines.get(key, 0)
        if key not in _SCHEMA:
            problems.append(_unknown_key(key, line))
            continue
        value, problem = _check_value(key, table[key], line)
        if problem:
            problems.append(problem)
        else:
            values[key] = value
    if problems:
        raise ProjectError(problems)
    return replace(Config(), **values)


def _check_value(key: str, value: Any, line: int) -> tuple[Any, Problem | None]:
    """The validated value of one key, or the problem with it."""
    expected, described = _SCHEMA[key]
    bad = error(CONFIG_FILE, line, f"[tool.microsite] {key} must be {described}", f"got {value!r}")
    if expected is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, bad
        value = tuple(value)
    elif not isinstance(value, expected):
        return None, bad
    if key == "page_size" and (isinstance(value, bool) or value < 5):
        return None, bad
    if key == "search" and value not in ("full", "titles"):
        return None, bad
    if key == "base_url":
        normalised = normalise_base_url(value)
        return (normalised, None) if normalised else (None, bad)
    if key == "residue_patterns":
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                return None, error(
                    CONFIG_FILE, line,
                    f"[tool.microsite] residue_patterns: {pattern!r} is not a valid regular expression: {exc}",
                    "residue patterns are Python regular expressions matched against whole lines",
                )
    return value, None


def _unknown_key(key: str, line: int) -> Problem:
    """An error for a key the schema does not know, suggesting the nearest one."""
    close = difflib.get_close_matches(key, _SCHEMA, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    hint += "known keys: " + ", ".join(sorted(_SCHEMA))
    return error(CONFIG_FILE, line, f"unknown key '{key}' in [tool.microsite]", hint)


def _key_lines(text: str) -> dict[str, int]:
    """Line numbers of the keys of the [tool.microsite] table, for messages."""
    lines: dict[str, int] = {}
    inside = False
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == "[tool.microsite]"
            continue
        match = re.match(r"""\s*("[^"]+"|'[^']+'|[A-Za-z0-9_-]+)\s*=""", raw)
        if inside and match:
            lines.setdefault(match.group(1).strip("\"'"), number)
    return lines


def _toml_error_line(message: str) -> int:
    """The line number tomllib puts in its messages ("... (at line 3, column 1)")."""
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else 0
