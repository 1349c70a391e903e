"""Does linking cost grow with the number of entities? Same articles, 50 vs 5,000 entities.

    python bench/linking_scale.py [--articles 500] [--repeat 3]

Converts the same synthetic articles (which name only the first 50 entities) with an
alias index of 50 and of 5,000 entities, and of 50 entities plus one with 100,000
aliases (an editor's paste gone wrong, or an attack), and prints the time of each and
their ratio: for building and checking the index, for the whole conversion
(Python-Markdown plus linking) and for alias matching alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus import article_files, entities  # noqa: E402

from microsite.config import Config  # noqa: E402
from microsite.linking import build_index  # noqa: E402
from microsite.markup import convert_bodies  # noqa: E402
from microsite.model import Article, Entity, Site, Source  # noqa: E402


def site_with(n_articles: int, n_entities: int, extra_aliases: int = 0, variants: bool = False) -> Site:
    specs = entities(n_entities)
    bodies = article_files(n_articles, entities(50))  # the same texts whatever the index holds
    articles = tuple(
        Article(path.rsplit("/", 1)[1][:-3], f"Article {i}", text.split("---\n", 2)[2], Source(path))
        for i, (path, text) in enumerate(sorted(bodies.items())))
    made = [Entity(s.kind, s.slug, s.name, "", Source(f"content/x/{s.slug}.md"), aliases=s.aliases,
                   variants=variants) for s in specs]
    if extra_aliases:
        aliases = tuple(f"Zorkin{i:06d}" for i in range(extra_aliases))
        lines = tuple((f"aliases[{i}]", 4 + i) for i in range(extra_aliases))
        made.append(Entity("person", "many-names", "Many Names", "", Source("content/people/many-names.md",
                                                                            key_lines=lines), aliases=aliases))
    return Site(Config(), articles=articles, people=tuple(e for e in made if e.kind == "person"),
                topics=tuple(e for e in made if e.kind == "topic"))


def best_of(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", action="store_true",
                        help="every entity matches variant spellings (variants: true): the folded-key path too")
    args = parser.parse_args()
    rows = []
    for label, n_entities, extra in (("50", 50, 0), ("5000", 5000, 0), ("50+1x100k", 50, 100_000)):
        site = site_with(args.articles, n_entities, extra, args.variants)
        index_time = best_of(args.repeat, lambda site=site: build_index(site))
        index = build_index(site)
        texts = [a.body for a in site.articles]
        convert = best_of(args.repeat, lambda site=site, index=index: convert_bodies(site, index))
        match = best_of(args.repeat, lambda index=index, texts=texts: [index.find(t) for t in texts])
        mentions = sum(len(index.find(t)) for t in texts)
        rows.append((label, len(index.aliases), index_time, convert, match, mentions))
    print(f"{args.articles} articles, {sum(len(t.split()) for t in texts)} words; best of {args.repeat}"
          + ("; every entity with variants: true" if args.variants else ""))
    print(f"{'entities':>10} {'aliases':>8} {'index s':>8} {'convert s':>10} {'match s':>9} {'mentions':>9}")
    for label, aliases, index_time, convert, match, mentions in rows:
        print(f"{label:>10} {aliases:>8} {index_time:>8.3f} {convert:>10.3f} {match:>9.3f} {mentions:>9}")
    base, wide, many = rows
    print(f"ratio 5000/50: conversion with linking {wide[3] / base[3]:.3f}, "
          f"alias matching alone {wide[4] / base[4]:.3f}")
    print(f"ratio 100k aliases/50: conversion with linking {many[3] / base[3]:.3f}, "
          f"alias matching alone {many[4] / base[4]:.3f}; index {many[2]:.2f} s for {many[1]} aliases")


if __name__ == "__main__":
    main()
