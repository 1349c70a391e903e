"""A deterministic synthetic corpus: N articles of 600-900 words and M people and topics.

The names and aliases of the entities occur in the article texts, written the way news
texts write them (full name first, surname later, possessives), and the Markdown is
varied: emphasis, links, lists, quotes and headings. The same seed gives the same
corpus, byte for byte.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

FIRST = ("Oleg Anton Yulia Klim Pyotr Dmitry Elena Sergei Maria Ivan Olga Alexei Irina Nikolai Tatiana "
         "Mikhail Anna Pavel Svetlana Andrei Natalia Yuri Vera Boris Galina").split()
LAST = ("Volkov Sokolov Lebedev Kozlov Novikov Morozov Petrov Orlov Belov Frolov Zaitsev Pavlov Semenov "
        "Golubev Vinogradov Bogdanov Vorobyov Fedorov Mikhailov Belyaev Tarasov Komarov Kiselev "
        "Makarov Andreev Kovalev Ilyin Gusev Titov Kuzmin Kudryavtsev Baranov Kulikov Alekseev Stepanov "
        "Yakovlev Sorokin Sergeev Romanov Zakharov Borisov Korolev Gerasimov Ponomarev Grigoriev Lazarev "
        "Medvedev Ershov Nikitin Sobolev Ryabov Polyakov Tsvetkov Danilov Zhukov Zhuravlev").split()
PLACES = ("Station Cosmodrome Agency Centre Institute Programme Observatory Laboratory Module Rocket "
          "Mission Council").split()
WORDS = ("the crew launched orbit station film director actress cosmonaut mission spacecraft docking "
         "training weeks scenes camera light window agency rocket launch pad capsule return earth space "
         "race science story screen audience premiere studio budget record history flight control module "
         "engineers ground team months doctor surgeon patient scene shoot schedule experiment gravity "
         "pressure suit hatch signal reporters conference statement official minister programme country "
         "people project first second final early late long short new old large small quick slow bright "
         "and of to in on with for from by at as after before while during over under into about").split()


@dataclass(frozen=True)
class EntitySpec:
    kind: str  # "person" or "topic"
    slug: str
    name: str
    aliases: tuple[str, ...]


def entities(m: int) -> list[EntitySpec]:
    """``m`` entities: two thirds people, the rest topics, each with a second spelling.

    People are "Oleg Volkov"; the first of each surname is also "Volkov", later ones
    "Volkov, Anton". Many share a first name, as people in a real story do.
    """
    specs: list[EntitySpec] = []
    people = (2 * m) // 3
    for i in range(people):
        last, first = LAST[i % len(LAST)], FIRST[(i // len(LAST)) % len(FIRST)]
        suffix = "" if i < len(FIRST) * len(LAST) else f" {i}"
        name = f"{first} {last}{suffix}"
        alias = f"{last}{suffix}" if i < len(LAST) else f"{last}{suffix}, {first}"
        specs.append(EntitySpec("person", _slug(name), name, (alias,)))
    for i in range(m - people):
        name = f"{LAST[i % len(LAST)]} {PLACES[(i // len(LAST)) % len(PLACES)]}"
        name += f" {i // (len(LAST) * len(PLACES)) + 1}" if i >= len(LAST) * len(PLACES) else ""
        specs.append(EntitySpec("topic", _slug(name), name, (name.upper().replace(" ", "-"),)))
    return specs


def _slug(name: str) -> str:
    return "-".join("".join(c for c in w.lower() if c.isalnum()) for w in name.split())


def article_body(rng: random.Random, names: list[EntitySpec]) -> tuple[str, list[EntitySpec]]:
    """One article body of 600-900 words with varied Markdown and a few entity mentions,
    and the entities it names."""
    target = rng.randint(600, 900)
    blocks: list[str] = []
    words = 0
    mentioned = rng.sample(names, min(len(names), rng.randint(3, 8))) if names else []
    named: dict[str, EntitySpec] = {}
    while words < target:
        kind = rng.random()
        sentence_words = [rng.choice(WORDS) for _ in range(rng.randint(40, 80))]
        for spec in mentioned:
            if rng.random() < 0.5:
                named[spec.slug] = spec
                spelling = spec.name if rng.random() < 0.5 else rng.choice(spec.aliases)
                suffix = "’s" if rng.random() < 0.2 else ""
                sentence_words.insert(rng.randrange(len(sentence_words)), spelling + suffix)
        sentence_words[0] = sentence_words[0].capitalize()
        text = " ".join(sentence_words)
        text = text.replace(" camera ", " *camera* ", 1).replace(" orbit ", " **orbit** ", 1)
        text = text.replace(" agency ", " [agency](https://example.org/agency) ", 1)
        if kind < 0.08:
            blocks.append(f"## {' '.join(sentence_words[:5])}")
        elif kind < 0.16:
            blocks.append("\n".join(f"- {' '.join(sentence_words[i:i + 8])}" for i in range(0, 32, 8)))
        elif kind < 0.22:
            blocks.append(f"> {text}.")
        else:
            blocks.append(text + ".")
        words += len(sentence_words)
    return "\n\n".join(blocks) + "\n", [named[slug] for slug in sorted(named)]


@dataclass(frozen=True)
class ArticleSpec:
    number: int
    date: str
    body: str
    named: tuple[EntitySpec, ...]

    @property
    def title(self) -> str:
        return f"Synthetic article {self.number:05d} about the mission"

    @property
    def summary(self) -> str:
        return f"Article {self.number} of the synthetic benchmark corpus."


def articles(n: int, names: list[EntitySpec], seed: int = 1) -> list[ArticleSpec]:
    """``n`` articles mentioning ``names``, the same for the same arguments."""
    rng = random.Random(seed)
    made = []
    for i in range(n):
        body, named = article_body(rng, names)
        made.append(ArticleSpec(i, f"2021-10-{1 + i % 28:02d}", body, tuple(named)))
    return made


def article_files(n: int, names: list[EntitySpec], seed: int = 1) -> dict[str, str]:
    """Content files of ``n`` articles mentioning ``names``: path -> text."""
    return {f"content/articles/article-{a.number:05d}.md":
            f"---\ntitle: {a.title}\ndate: {a.date}\nsummary: {a.summary}\n---\n\n{a.body}"
            for a in articles(n, names, seed)}


def entity_files(specs: list[EntitySpec]) -> dict[str, str]:
    files = {}
    for spec in specs:
        folder, field = ("people", "role: Synthetic") if spec.kind == "person" else ("topics", "kind: synthetic")
        aliases = "".join(f"\n- {a}" for a in spec.aliases)
        files[f"content/{folder}/{spec.slug}.md"] = (
            f"---\nname: {spec.name}\naliases:{aliases}\n{field}\nsummary: A synthetic {spec.kind}.\n---\n\n"
            f"{spec.name} is part of the synthetic corpus.\n")
    return files


PYPROJECT = """\
[project]
name = "synthetic-corpus"
version = "0"

[tool.microsite]
title = "Synthetic corpus"
base_url = "https://example.org/"
"""


PELICANCONF = """\
AUTHOR = "Benchmark"
SITENAME = "Synthetic corpus"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 50
FEED_ALL_ATOM = "feeds/all.atom.xml"
TAG_FEED_ATOM = "feeds/tag.{slug}.atom.xml"
LOAD_CONTENT_CACHE = False
"""


def write_pelican_project(root: Path, n: int, m: int, seed: int = 1, mentioned: int | None = None) -> Path:
    """The same articles for Pelican: Markdown with metadata; each named entity is a tag."""
    specs = entities(m)
    named = specs[: mentioned if mentioned is not None else m]
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(PELICANCONF, "utf-8")
    for a in articles(n, named, seed):
        tags = ", ".join(spec.name for spec in a.named)
        header = (f"Title: {a.title}\nDate: {a.date}\nSlug: article-{a.number:05d}\nTags: {tags}\n"
                  f"Summary: {a.summary}\n\n")
        (root / "content" / f"article-{a.number:05d}.md").write_text(header + a.body, "utf-8")
    return root


def write_project(root: Path, n: int, m: int, seed: int = 1, mentioned: int | None = None,
                  templates: Path = REPO / "templates") -> Path:
    """A project folder with ``n`` articles and ``m`` entities (the first ``mentioned`` named in texts),
    and a copy of ``templates``."""
    specs = entities(m)
    named = specs[: mentioned if mentioned is not None else m]
    if root.exists():
        shutil.rmtree(root)
    (root / "content").mkdir(parents=True)
    shutil.copytree(templates, root / "templates")
    (root / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    for rel, text in {**article_files(n, named, seed), **entity_files(specs)}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root
