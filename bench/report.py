"""The benchmark's samples and the tables printed from them.

Every figure is the median of the rounds with its range (min–max). A ratio is taken
round by round (ours / the peer in the same round, which ran minutes apart at most)
and then its median and range are printed, so a slow spell of the machine that hit
one round does not tilt the ratio.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

NAMES = {"ours": "ours", "ours-nosearch": "ours, search off", "pelican": "Pelican", "hugo": "Hugo"}
OPERATIONS = {  # operation -> its name in the tables
    "cold": "cold build",
    "footer": "template change, footer",
    "main": "template change, inside <main>",
    "noop": "no-op rebuild",
    "serve": "serve: edit, save to served",
}
METRICS = {"wall": "wall s", "cpu": "CPU s", "peak_mb": "peak MB"}
NOISY = 0.2  # a figure whose range exceeds this share of its median is listed as noisy


@dataclass
class Sample:
    """One measurement of one operation in one tool, as written to --json."""

    round: int
    tool: str
    operation: str
    wall: float
    cpu: float | None = None
    helpers_cpu: float | None = None
    until_helpers: float | None = None
    peak_mb: float | None = None
    processes: dict[str, dict] = field(default_factory=dict)  # label -> measure.ProcessShare as a dict
    stages: dict[str, float] = field(default_factory=dict)  # ours: the build's --timings
    edits: list[float] = field(default_factory=list)  # serve: each edit's save-to-served seconds
    rebuilds: list[float] = field(default_factory=list)  # serve: the server's own rebuild figures
    said: str = ""  # the last line the command printed (ours: built, or up to date)
    load: float | None = None  # the machine's 1-minute load average as the measurement began
    sampler_cpu: float | None = None  # CPU seconds the benchmark's own sampling took meanwhile


@dataclass
class Spread:
    median: float
    low: float
    high: float
    count: int

    def show(self, unit: str = "s") -> str:
        return f"{_num(self.median, unit)} ({_num(self.low, unit)}–{_num(self.high, unit)})"

    @property
    def noisy(self) -> bool:
        return self.count > 1 and self.median > 0 and (self.high - self.low) / self.median > NOISY


def spread(values: list[float]) -> Spread | None:
    return Spread(statistics.median(values), min(values), max(values), len(values)) if values else None


def _num(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value:.0f}"
    if unit == "x":
        return f"{value:.2f}"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


@dataclass
class Samples:
    """The samples of one run, looked up by tool, operation and round."""

    items: list[Sample]

    def of(self, tool: str, operation: str) -> list[Sample]:
        return [s for s in self.items if s.tool == tool and s.operation == operation]

    def values(self, tool: str, operation: str, metric: Callable[[Sample], float | None]) -> list[float]:
        return [v for s in self.of(tool, operation) if (v := metric(s)) is not None]

    def ratios(self, operation: str, peer: str, metric: Callable[[Sample], float | None],
               peer_metric: Callable[[Sample], float | None] | None = None, tool: str = "ours") -> Spread | None:
        """``tool`` / ``peer`` for ``operation``, round by round (``peer_metric`` for the peer, if not ``metric``)."""
        theirs = {s.round: (peer_metric or metric)(s) for s in self.of(peer, operation)}
        found = [value / theirs[s.round] for s in self.of(tool, operation)
                 if (value := metric(s)) is not None and theirs.get(s.round)]
        return spread(found)

    @property
    def tools(self) -> list[str]:
        return [name for name in NAMES if any(s.tool == name for s in self.items)]


def attr(name: str) -> Callable[[Sample], float | None]:
    return lambda sample: getattr(sample, name)


def less_search_wall(sample: Sample) -> float | None:
    """A cold build's wall time less its own 'search' stage (from --timings); None when the build runs
    search alongside other work (a stage such as "cards+search"), whose share cannot be told apart."""
    if "search" not in sample.stages or shared_search_stage(sample):
        return None
    return sample.wall - sample.stages["search"]


def shared_search_stage(sample: Sample) -> str:
    """The name of a stage that holds search together with other work, if any."""
    return next((name for name in sample.stages if "search" in name and name != "search"), "")


def less_search_cpu(sample: Sample) -> float | None:
    """A cold build's CPU time less what the Pagefind processes used (sampled)."""
    search = sum(share["cpu"] for label, share in sample.processes.items() if label.startswith("pagefind"))
    return sample.cpu - search if sample.cpu is not None and search else None


# --------------------------------------------------------------------------- tables


@dataclass
class Target:
    text: str
    operation: str
    peer: str | None  # None: an absolute limit in seconds
    metric: str
    limit: float

    def check(self, samples: Samples) -> tuple[str, str]:
        """The figure (ratio or seconds) and whether its median meets the target."""
        if self.peer is None:
            found = spread(samples.values("ours", self.operation, attr(self.metric)))
            return (found.show(), _yes(found.median < self.limit)) if found else ("not measured", "")
        found = samples.ratios(self.operation, self.peer, attr(self.metric))
        return (found.show("x") + " x", _yes(found.median <= self.limit)) if found else ("not measured", "")


def _yes(met: bool) -> str:
    return "yes" if met else "NO"


TARGETS = [
    Target("cold build wall <= 0.5 x Pelican's", "cold", "pelican", "wall", 0.5),
    Target("cold build CPU <= 0.8 x Pelican's (search included)", "cold", "pelican", "cpu", 0.8),
    Target("template change inside <main> <= 0.5 x Hugo's full rebuild", "main", "hugo", "wall", 0.5),
    Target("footer template change <= 0.3 x Hugo's full rebuild", "footer", "hugo", "wall", 0.3),
    Target("serve edit, save to served <= 0.5 x hugo server's", "serve", "hugo", "wall", 0.5),
    Target("peak memory, all processes, cold build <= Hugo's", "cold", "hugo", "peak_mb", 1.0),
    Target("peak memory, all processes, cold build <= 4 x Pelican's", "cold", "pelican", "peak_mb", 4.0),
    Target("no-op rebuild < 0.3 s", "noop", None, "wall", 0.3),
]


def _table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def _unit(metric: str) -> str:
    return "MB" if metric == "peak_mb" else "s"


def _shown(found: Spread | None, unit: str = "s") -> str:
    return found.show(unit) if found else "-"


def figures_table(samples: Samples, operations: list[str]) -> list[str]:
    """Every operation in every tool; returns the figures that came out noisy."""
    rows, noisy = [], []
    for operation in operations:
        for tool in samples.tools:
            if not samples.of(tool, operation):
                continue
            cells = {name: spread(samples.values(tool, operation, attr(name)))
                     for name in ("wall", "cpu", "until_helpers", "peak_mb")}
            noisy += [f"{NAMES[tool]}, {OPERATIONS[operation]}, {name}: {found.show(_unit(name))}"
                      for name, found in cells.items()
                      if found and found.noisy and (tool.startswith("ours") or name != "until_helpers")]
            rows.append([OPERATIONS[operation], NAMES[tool], _shown(cells["wall"]), _shown(cells["cpu"]),
                         _shown(cells["until_helpers"]) if tool.startswith("ours") else "(no helpers)",
                         _shown(cells["peak_mb"], "MB")])
            if tool == "ours" and operation == "cold":
                rows.append(["cold build, search left out", "ours",
                             _shown(spread(samples.values(tool, operation, less_search_wall))),
                             _shown(spread(samples.values(tool, operation, less_search_cpu))), "", ""])
    _table(["operation", "tool", "wall s", "CPU s", "until last helper s", "peak MB"], rows)
    return noisy


def ratio_table(samples: Samples, operations: list[str]) -> None:
    peers = [tool for tool in ("pelican", "hugo") if tool in samples.tools]
    rows = []
    for operation in operations:
        for metric, title in METRICS.items():
            cells = [samples.ratios(operation, peer, attr(metric)) for peer in peers]
            if any(cells):
                rows.append([OPERATIONS[operation], title.split()[0]] + [_shown(cell, "x") for cell in cells])
    if "cold" in operations:  # ours without its search index, against the peers as they are
        for title, metric, theirs in (("wall", less_search_wall, attr("wall")), ("CPU", less_search_cpu, attr("cpu"))):
            cells = [samples.ratios("cold", peer, metric, theirs) for peer in peers]
            rows.append(["cold build, ours without search (estimated)", title] + [_shown(cell, "x") for cell in cells])
        for metric, title in METRICS.items():  # measured: the same corpus built with search = "off"
            cells = [samples.ratios("cold", peer, attr(metric), tool="ours-nosearch") for peer in peers]
            if any(cells):
                rows.append(["cold build, ours with search off", title.split()[0]]
                            + [_shown(cell, "x") for cell in cells])
    if rows and peers:
        _table(["operation", "metric"] + [f"ours / {NAMES[peer]}" for peer in peers], rows)


def process_table(samples: Samples, operation: str = "cold") -> None:
    """Peak memory and CPU of each kind of process, e.g. the main build process, its workers, Pagefind."""
    rows = []
    for tool in samples.tools:
        labels = sorted({label for s in samples.of(tool, operation) for label in s.processes})
        for label in labels:
            shares = [s.processes[label] for s in samples.of(tool, operation) if label in s.processes]
            memory = spread([share["memory_mb"] for share in shares])
            cpu = spread([share["cpu"] for share in shares])
            rows.append([NAMES[tool], label, str(max(share["count"] for share in shares)), _shown(memory, "MB"),
                         _shown(cpu)])
    if rows:
        _table(["tool", "process", "most at once", "peak MB (all of them)", "CPU s (sampled)"], rows)


def floor_lines(samples: Samples, cores: int) -> None:
    floor = spread([s.wall for s in samples.items if s.tool == "floor"])
    if not floor:
        return
    per_core = floor.median / cores
    print(f"Python-Markdown floor (same bodies, same extensions, one core): {floor.show()} s; "
          f"floor / {cores} cores = {_num(per_core, 's')} s")
    cold = spread(samples.values("ours", "cold", attr("wall")))
    if cold:
        print(f"ours cold build / (floor / cores) = {cold.median / per_core:.2f}")
    link = spread(samples.values("ours", "cold", lambda s: s.stages.get("link")))
    if link:
        print(f"conversion with linking / floor = {link.median / floor.median:.2f} "
              f"(the cold build's 'link' stage, {link.show()} s, on {cores} cores, against the floor on one); "
              f"/ (floor / cores) = {link.median / per_core:.2f}")


def stage_line(samples: Samples) -> None:
    names = [name for s in samples.of("ours", "cold") for name in s.stages]
    medians = {name: statistics.median(s.stages.get(name, 0.0) for s in samples.of("ours", "cold"))
               for name in dict.fromkeys(names)}
    if medians:
        print("ours, cold build, stages (median s, from --timings): "
              + ", ".join(f"{name} {seconds:.2f}" for name, seconds in medians.items()))


def serve_lines(samples: Samples) -> None:
    for tool in samples.tools:
        edits = [edit for s in samples.of(tool, "serve") for edit in s.edits]
        rebuilds = [seconds for s in samples.of(tool, "serve") for seconds in s.rebuilds]
        if edits:
            print(f"{NAMES[tool]}, serve: {len(edits)} edits in all, each save to served: median "
                  f"{statistics.median(edits):.3f} s, min {min(edits):.3f} s, max {max(edits):.3f} s"
                  + (f"; the server's own rebuild figure: median {statistics.median(rebuilds):.3f} s, "
                     f"max {max(rebuilds):.3f} s ({len(rebuilds)} reported)" if rebuilds else ""))


def report(meta: dict, items: list[Sample], operations: list[str]) -> None:
    samples = Samples(items)
    print(f"\n{meta['articles']} articles, {meta['entities']} people and topics; {meta['cores']} cores; "
          f"{meta['rounds']} rounds; {meta['machine']}")
    print("versions: " + "; ".join(f"{NAMES[tool]}: {version}" for tool, version in meta["versions"].items()))
    print(f"\nFigures: median (min–max) of {meta['rounds']} rounds. CPU = user + system of every process, "
          "children and detached helpers included.\n")
    noisy = figures_table(samples, operations)
    if {"ours", "pelican"} <= set(samples.tools) or {"ours", "hugo"} <= set(samples.tools):
        print("\nRatios: ours / peer, taken round by round; median (min–max).\n")
        ratio_table(samples, operations)
    targets = [[t.text, *t.check(samples)] for t in TARGETS
               if t.operation in operations and "ours" in samples.tools and t.peer in (None, *samples.tools)]
    if targets:
        print("\nTargets (the median of the round-by-round ratios, or of the seconds, against the target):\n")
        _table(["target", "figure", "met"], targets)
    shared = {shared_search_stage(s) for s in samples.of("ours", "cold")} - {""}
    if shared and not samples.of("ours-nosearch", "cold"):
        print(f"\nThe build runs search alongside other work (stage {', '.join(sorted(shared))}): the wall time "
              "without search cannot be taken from --timings, only the CPU time of the Pagefind processes; "
              "measuring it needs a setting that turns search off.")
    if "cold" in operations:
        print("\nPeak memory and CPU by process, cold build (median (min–max) of the rounds):\n")
        process_table(samples)
        print()
        stage_line(samples)
        floor_lines(samples, meta["cores"])
    serve_lines(samples)
    sampling = [100 * s.sampler_cpu / s.wall for s in items if s.sampler_cpu is not None and s.wall > 1]
    if sampling:
        print(f"\nthe sampler's own CPU while a command ran (commands over 1 s): median "
              f"{statistics.median(sampling):.1f} %, max {max(sampling):.1f} % of one core")
    loads = [s.load for s in items if s.load is not None]
    if loads:
        print(f"\nload average (1 min) as each measurement began: median {statistics.median(loads):.2f}, "
              f"min {min(loads):.2f}, max {max(loads):.2f}, on {meta['cores']} cores (other work on the machine "
              "shows here)")
    if noisy:
        print(f"\nnoisy figures (range over {int(NOISY * 100)} % of the median):")
        for line in noisy:
            print(f"  {line}")
    for note in meta["notes"]:
        print(f"note: {note}")
