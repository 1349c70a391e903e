"""Configuration: the ``[tool.microsite]`` table of ``pyproject.toml`` as a schema.

Every key is typed and documented here; unknown keys and wrong types are errors that
name the line, all reported in one run.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import string
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes, urlsplit

from .errors import Problem, ProjectError, UsageError, error, quoted, shown
from .text import first_bidi_control, first_unprintable

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
    # extend the built-in list in clipping/residue.py, they do not replace it.
    residue_patterns: tuple[str, ...] = ()
    # Seed file names that import must leave alone (an editor removed the article).
    skip_seeds: tuple[str, ...] = ()
    # Articles per page of the articles index, and mentions per page of a person or
    # topic, so no page grows without bound with the number of articles.
    page_size: int = 50
    # What search indexes: "full" (every word of every article, person, topic and page)
    # or "titles" (titles, summaries and names only: far less time and memory on a
    # site of thousands of articles; people are still found under every spelling), or
    # "off" (no index, no search page, no link to one: the cheapest build, for a site
    # whose lists and cross-links are enough).
    search: str = "full"
    # A share card drawn for every page (true), or the theme's one card for all (false):
    # drawing takes about 5 ms of CPU a page on a cold build, kept in the build cache after.
    share_cards: bool = True
    drafts: bool = False

    @property
    def has_search(self) -> bool:
        """Whether the site has a search index and a search page (``search`` is not "off")."""
        return self.search != "off"

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
    "search": (str, "\"full\", \"titles\" or \"off\""),
    "share_cards": (bool, "true or false"),
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


@lru_cache(maxsize=64)  # asked for by every page of every build: 36 µs a call, 0.2 s of an edit at 5,000 articles
def base_path_of(base_url: str) -> str:
    """The path of a base URL, normalised to start and end with "/"."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class BaseUrlError(ValueError):
    """Why a value cannot be the base URL: a phrase that follows its name ("--base-url 'x' ...")."""


EXAMPLE_URL = "https://user.github.io/repo/"
# Characters a path segment may hold as they are (RFC 3986 pchar); any other is %-encoded.
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SEGMENT = re.compile(r"%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@]")
_LABEL = re.compile(r"[a-z0-9_-]+")  # one label of a host name, once in ASCII (IDNA)


def parse_base_url(value: str) -> str:
    """``value`` as the base URL every link is made from, or BaseUrlError saying what is wrong.

    The result is ``scheme://host[:port]/path/``: the scheme and host in lower case, an
    internationalised host in its ASCII (IDNA) form, the path %-encoded and ending in
    "/". It prefixes every href, canonical link and feed entry, so anything that would
    change what those mean is refused rather than guessed at.
    """
    if not value:
        raise BaseUrlError("is empty")
    scheme = re.match(r"\s*(https?)://", value, re.IGNORECASE)
    if not scheme:
        raise BaseUrlError("is not an absolute http(s) URL: it must start with http:// or https://, "
                           f"as in {EXAMPLE_URL}")
    _check_characters(value)  # a space before the scheme too: past this, scheme.end() is where it ends
    extra = re.search(r"\?[^#]*|#.*", value)  # whichever comes first: a query, or a fragment
    if extra:
        what = "a query" if extra.group().startswith("?") else "a fragment"
        raise BaseUrlError(f"has {what} ({shown(extra.group())}); a base URL ends with its path, "
                           f"as in {EXAMPLE_URL}")
    authority, slash, path = value[scheme.end():].partition("/")
    if "@" in authority:
        raise BaseUrlError("contains a user name or password (before '@'); they would be published in "
                           "every canonical link and feed entry")
    host, port = _host_and_port(authority)
    return f"{scheme.group(1).lower()}://{host}{':' + port if port else ''}{_normal_path(slash + path)}"


def shown_url(value: str) -> str:
    """``value`` quoted for a message, without the password it may hold."""
    return shown(re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", r"\1***@", value))


def _check_characters(value: str) -> None:
    """Refuse characters that have no place in a URL as written: a URL with them is a typo or a trap."""
    for number, char in enumerate(value, start=1):
        code = f"U+{ord(char):04X}"
        category = unicodedata.category(char)
        if category == "Cc":  # tabs and line ends included
            raise BaseUrlError(f"contains a control character ({code}) at character {number}")
        if char == " ":
            raise BaseUrlError(f"contains a space at character {number}")
        if char.isspace():
            raise BaseUrlError(f"contains a space character ({code}) at character {number}")
        if category == "Cf":  # zero-width and bidi characters: invisible, so never what was meant
            raise BaseUrlError(f"contains an invisible formatting character ({code}) at character {number}")
        if char == "\\":  # browsers read it as "/", other tools do not
            raise BaseUrlError(f"contains a backslash at character {number}; URLs use '/'")


def _host_and_port(authority: str) -> tuple[str, str]:
    """The host (lower case, ASCII) and port ("" for none) of ``host[:port]``, checked."""
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            raise BaseUrlError(f"has a malformed IPv6 host {shown(authority)}: it has no closing ']'")
        inner, rest = authority[1:close], authority[close + 1:]
        try:
            ipaddress.IPv6Address(inner)
        except ValueError:
            raise BaseUrlError(f"has a malformed IPv6 host {shown(authority[:close + 1])}: "
                               f"{shown(inner)} is not an IPv6 address") from None
        if rest and not rest.startswith(":"):
            raise BaseUrlError(f"has a malformed host {shown(authority)}: only ':port' may follow ']'")
        host, port = f"[{inner.lower()}]", rest[1:]
    else:
        if "[" in authority or "]" in authority or authority.count(":") > 1:
            raise BaseUrlError(f"has a malformed host {shown(authority)}: an IPv6 address is written in brackets, "
                               "as in http://[::1]:8000/")
        name, _, port = authority.partition(":")
        host = _host_name(name)
    if port and not re.fullmatch(r"[0-9]+", port):
        raise BaseUrlError(f"has a port that is not a number ({shown(port)})")
    if port and not 1 <= int(port) <= 65535:
        raise BaseUrlError(f"has port {int(port)}, which is not in 1..65535")
    return host, str(int(port)) if port else ""


def _host_name(name: str) -> str:
    """A host name in lower-case ASCII (an internationalised one in its IDNA form), checked."""
    if not name:
        raise BaseUrlError("has no host")
    try:
        ascii_name = name.lower() if name.isascii() else name.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:  # the codec's own reason is the cause of the error it raises
        raise BaseUrlError(f"has an invalid host name {shown(name)} ({exc.__cause__ or exc})") from None
    labels = ascii_name.removesuffix(".").split(".")  # "example.org." (fully qualified) is fine
    if not all(_LABEL.fullmatch(label) and len(label) <= 63 for label in labels):
        raise BaseUrlError(f"has an invalid host name {shown(name)}: a host name is words of letters, digits "
                           "and '-' (at most 63 characters each) joined by '.'")
    return ascii_name


def _normal_path(path: str) -> str:
    """``path`` %-encoded where needed and ending in "/"; no empty, "." or ".." segment."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", path):
        raise BaseUrlError("has a '%' that does not start a %XX escape in its path")
    segments = (path or "/").split("/")[1:]
    if segments[-1]:
        segments.append("")  # the trailing "/": the base path prefixes relative site paths
    for segment in segments[:-1]:
        if not segment:
            # "https://host//x/" would give links such as "//x/articles/": another host.
            raise BaseUrlError("has an empty segment ('//') in its path")
        decoded = unquote_to_bytes(segment)
        if decoded in (b".", b".."):
            written = "" if segment == decoded.decode() else f", written {shown(segment)}"
            raise BaseUrlError(f"has a {shown(decoded.decode())} segment in its path{written}")
    return "/" + "/".join(_SEGMENT.sub(_encoded, segment) for segment in segments)


def _encoded(match: re.Match[str]) -> str:
    """One character or escape of a path segment, in its normal form (RFC 3986, 6.2.2)."""
    text = match.group()
    if text.startswith("%"):
        char = chr(int(text[1:], 16))
        return char if char in _UNRESERVED else text.upper()
    return quote(text, safe="")


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
    bad = error(CONFIG_FILE, line, f"[tool.microsite] {key} must be {described}", f"got {shown(value)}")
    if expected is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, bad
        value = tuple(value)
    elif not isinstance(value, expected):
        return None, bad
    if key in ("title", "description", "author") and (why := _unshowable(value)):
        return None, error(CONFIG_FILE, line, f"[tool.microsite] {key} contains {why}", "delete it")
    if key == "page_size" and (isinstance(value, bool) or value < 5):
        return None, bad
    if key == "search" and value not in ("full", "titles", "off"):
        return None, bad
    if key == "base_url":
        try:
            return parse_base_url(value), None
        except BaseUrlError as exc:
            return None, error(CONFIG_FILE, line, f"[tool.microsite] {key} {exc}", f"got {shown_url(value)}")
    if key == "residue_patterns":
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                return None, error(
                    CONFIG_FILE, line,
                    f"[tool.microsite] residue_patterns: {shown(pattern)} is not a valid regular expression: {exc}",
                    "residue patterns are Python regular expressions matched against whole lines",
                )
    return value, None


def _unshowable(text: str) -> str:
    """Why ``text`` cannot be shown on every page and in the feed as it is: a control character
    (which no feed may carry) or a bidirectional control (which reorders the text around it)."""
    if found := first_unprintable(text):
        return f"the control character {found[1]}, which no web page or feed may carry"
    if bidi := first_bidi_control(text):
        return f"{bidi}, an invisible control that reorders how the text around it is shown"
    return ""


def _unknown_key(key: str, line: int) -> Problem:
    """An error for a key the schema does not know, suggesting the nearest one."""
    close = difflib.get_close_matches(key, _SCHEMA, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    hint += "known keys: " + ", ".join(sorted(_SCHEMA))
    return error(CONFIG_FILE, line, f"unknown key {quoted(key)} in [tool.microsite]", hint)


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
