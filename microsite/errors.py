"""One exception hierarchy for every problem an editor or deployer can fix.

Each problem knows the file and line it comes from, says what is wrong and how to
fix it; the command line prints it as ``path:line: message`` without a traceback.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass

# Messages quote what an editor wrote; a value can be megabytes (a pasted file, a YAML
# structure), so quotes are cut to about a line and a message as a whole to a few lines.
_QUOTE = reprlib.Repr()
_QUOTE.maxstring = _QUOTE.maxother = 80
_QUOTE.maxlist = _QUOTE.maxtuple = _QUOTE.maxdict = _QUOTE.maxset = 4
_QUOTE.maxlevel = 2
MAX_MESSAGE = 600


def shown(value: object) -> str:
    """``repr(value)`` cut to about 80 characters, for quoting editors' input in messages."""
    return _QUOTE.repr(value)


def quoted(text: str, limit: int = 80) -> str:
    """``text`` in single quotes, cut in the middle to about ``limit`` characters; characters that
    do not print (line breaks, controls, invisible ones) written as escapes, so a message stays
    one line and shows what is there."""
    if len(text) > limit:
        text = text[: limit // 2 - 1] + "…" + text[-(limit // 2 - 1):]
    return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text) + "'"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a project file.

    ``path`` is relative to the project root (POSIX separators) so messages read the
    same on every machine; ``line`` is 1-based, or 0 when the problem concerns the
    whole file.
    """

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        """Render as ``path:line: message`` with the hint on an indented line."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "warning: " if self.severity == "warning" else ""
        text = f"{where}: {label}{_cut(self.message)}"
        if self.hint:
            text += f"\n  hint: {_cut(self.hint)}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def _cut(text: str) -> str:
    """The last line of defence against an unbounded message: a few lines at most."""
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


class MicrositeError(Exception):
    """Base class of every error the command line reports without a traceback."""


class ProjectError(MicrositeError):
    """One or more problems in the project's files; nothing has been written."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class UsageError(MicrositeError):
    """The command was called wrongly (exit status 2)."""


def error(path: str, line: int, message: str, hint: str = "") -> Problem:
    """Shorthand for an error-severity problem."""
    return Problem(path, line, message, hint)


def warning(path: str, line: int, message: str, hint: str = "") -> Problem:
    """Shorthand for a warning-severity problem."""
    return Problem(path, line, message, hint, "warning")


def raise_errors(problems: list[Problem]) -> None:
    """Raise a ProjectError when any of the problems is an error."""
    errors = [p for p in problems if p.is_error]
    if errors:
        raise ProjectError(errors)
