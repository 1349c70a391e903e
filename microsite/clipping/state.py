"""The data of import: a seed's units, what has been learnt of it, and the draft it becomes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..content import dump_front_matter
from ..errors import Problem
from ..model import Month


@dataclass(frozen=True)
class ArticleDraft:
    """What import makes of one seed, before it is written as a content file."""

    seed: str
    title: str
    body: str
    date: dt.date | None = None
    summary: str = ""
    credit: str = ""
    truncated: bool = False
    language: str = ""
    dateline: str = ""
    agency: str = ""
    based_on: tuple[str, ...] = ()  # agencies whose reporting the text cites ("told AFP")
    warnings: tuple[Problem, ...] = ()

    def to_markdown(self) -> str:
        """The content file: YAML front matter, then the Markdown body."""
        meta: dict[str, object] = {"title": self.title}
        if self.date:
            # A Month is written "2023-04"; YAML reads it back as text, which load accepts.
            meta["date"] = self.date.isoformat() if isinstance(self.date, Month) else self.date
        if self.dateline:
            meta["dateline"] = self.dateline
        if self.agency:
            meta["agency"] = self.agency
        if self.language:
            meta["language"] = self.language
        meta["summary"] = self.summary
        meta["seed"] = self.seed
        if self.credit:
            meta["credit"] = self.credit
        if self.truncated:
            meta["truncated"] = True
        if self.based_on:
            meta["source"] = {"based_on": list(self.based_on)}
        return dump_front_matter(meta, self.body)


@dataclass(frozen=True)
class Unit:
    """One paragraph or stand-alone line of a seed, with the line it starts on."""

    text: str
    line: int


@dataclass
class _Reading:
    """What has been learnt of a seed so far."""

    path: str
    text: str = ""  # the whole text, to tell the site's own name by its repetition
    language: str = "en"
    date: dt.date | None = None
    dateline: str = ""
    agency: str = ""
    credit: str = ""
    deck: str = ""
    title: str = ""
    captions: set[str] = field(default_factory=set)  # folded texts the header knows to be captions
    lede_as_written: str = ""  # the first unit before its dateline went: a page may print the story twice
    warnings: list[Problem] = field(default_factory=list)
