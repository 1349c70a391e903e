"""Side-by-side benchmark: this generator, Pelican and Hugo on the same corpus.

    python bench/run.py                                  # N=5000 articles, M=500 people and topics, 3 rounds
    python bench/run.py --articles 300 --entities 30 --rounds 1 --only cold,noop
    python bench/run.py --tools ours,hugo --json /tmp/run.json

Operations, each in every tool that has it (see README.md for the exact commands):
cold build, template change in the footer, template change inside the article's main
part, no-op rebuild, and a one-article edit in the dev server (save to served). Every
figure is the median of ``--rounds`` runs with its range; rounds interleave the tools
(one operation in ours, Pelican, Hugo, then the next), so a noisy machine weighs on
all three alike. Wall time, CPU time (the whole process tree and our detached helpers)
and peak memory (PSS of every process) are measured; ratios are ours / Pelican and
ours / Hugo, round by round.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import tools  # noqa: E402
from measure import Measured, measure  # noqa: E402
from report import NAMES, OPERATIONS, Sample, report  # noqa: E402
from tools import Tool  # noqa: E402

ONLY = {"cold": ["cold"], "template": ["footer", "main"], "noop": ["noop"], "serve": ["serve"]}
TOOLS = ("ours", "pelican", "hugo")
TRUST_WINDOW = 2.5  # seconds: our cache re-reads files changed within 2 s of the last build; wait past that


def sample_of(round_: int, tool: str, operation: str, measured: Measured, load: float) -> Sample:
    return Sample(round_, tool, operation, measured.wall, measured.cpu, measured.helpers_cpu,
                  measured.until_helpers, measured.peak_mb,
                  {label: asdict(share) for label, share in measured.processes.items()},
                  stages(measured.output) if tool == "ours" else {},
                  said=(measured.output.strip().splitlines() or [""])[-1][:200], load=load,
                  sampler_cpu=measured.sampler_cpu)


def stages(output: str) -> dict[str, float]:
    """Seconds per stage, from ``build --timings``' line "stages: load 1.05 s, ..." (a stage may recur)."""
    found: dict[str, float] = {}
    for line in output.splitlines():
        if line.startswith("stages: "):
            for part in filter(None, line[len("stages: "):].split(", ")):
                name, value, _ = part.split()
                found[name] = found.get(name, 0.0) + float(value)
    return found


# --------------------------------------------------------------------------- running


def run_operation(tool: Tool, operation: str, round_: int, edits: int) -> Sample:
    """Measure ``operation`` once in ``tool``; leaves the tool's project as it found it."""
    time.sleep(TRUST_WINDOW)
    if operation == "serve":
        load = os.getloadavg()[0]
        served = tool.serve(edits, f"BENCH-{tool.name.upper()}-R{round_}")
        return Sample(round_, tool.name, operation, statistics.median(served.end_to_end), edits=served.end_to_end,
                      rebuilds=served.rebuilds, load=load)
    if operation in ("cold", "noop"):
        load = os.getloadavg()[0]
        return sample_of(round_, tool.name, operation, tool.cold() if operation == "cold" else tool.build(), load)
    change = tool.changes[operation]
    change.apply()
    try:
        time.sleep(TRUST_WINDOW)
        load = os.getloadavg()[0]
        measured = tool.build()
    finally:
        change.revert()
    time.sleep(TRUST_WINDOW)
    tool.build()  # back to the unchanged site, caches warm, so the next operation starts from there
    return sample_of(round_, tool.name, operation, measured, load)


FLOOR = """
import glob, sys, time
import frontmatter, markdown
bodies = [frontmatter.load(f).content for f in sorted(glob.glob(sys.argv[1] + "/content/articles/*.md"))]
md = markdown.Markdown(extensions=["tables", "fenced_code", "footnotes", "sane_lists", "toc"])
started = time.perf_counter()
for body in bodies:
    md.reset()
    md.convert(body)
print(time.perf_counter() - started)
"""


def floor(work: Path, round_: int) -> Sample:
    """The Python-Markdown floor: the same bodies, the same extensions, nothing else, one core."""
    measured = measure([sys.executable, "-c", FLOOR, str(work / "ours")])
    return Sample(round_, "floor", "convert", float(measured.output.strip().splitlines()[-1]), measured.cpu,
                  peak_mb=measured.peak_mb)


def make_tools(names: list[str], work: Path, n: int, m: int, code: str,
               operations: list[str]) -> tuple[list[Tool], list[str]]:
    """The tools asked for, in order; and why any was left out. With a cold build, ours is
    also measured with search off, right after ours in each round."""
    made, left_out = [], []
    if "ours" in names:
        made.append(tools.ours(work, n, m, code))  # also the floor's corpus
        if "cold" in operations:
            made.append(tools.ours_without_search(work, made[-1]))
    if "pelican" in names or "hugo" in names:
        pelican = tools.pelican(work, n, m)  # Hugo's articles are converted from Pelican's
        made += [pelican] if "pelican" in names else []
    if "hugo" in names:
        hugo = tools.hugo(work)
        if hugo:
            made.append(hugo)
        else:
            left_out.append("Hugo left out: no `hugo` on PATH (Debian: apt-get install hugo)")
    return made, left_out


def run(tool_list: list[Tool], operations: list[str], rounds: int, edits: int, work: Path) -> list[Sample]:
    samples: list[Sample] = []
    failed: set[tuple[str, str]] = set()
    if "cold" not in operations:  # the other operations start from a built site with warm caches
        for tool in tool_list:
            tool.build()
    for round_ in range(1, rounds + 1):
        print(f"round {round_} of {rounds}", flush=True)
        for operation in operations:
            for tool in tool_list:
                if (tool.name, operation) in failed or operation not in tool.operations:
                    continue
                try:
                    sample = run_operation(tool, operation, round_, edits)
                except (SystemExit, Exception) as exc:  # one tool's failure must not lose the others' figures
                    failed.add((tool.name, operation))
                    why = f"{type(exc).__name__}: {exc}"
                    tool.notes.append(f"{NAMES[tool.name]}, {OPERATIONS[operation]}: failed in round {round_}, "
                                      f"left out from then on ({why[:500]})")
                    print(f"  {tool.name}: {OPERATIONS[operation]}: FAILED ({why[:300]})", flush=True)
                    continue
                samples.append(sample)
                print(f"  {tool.name:8} {OPERATIONS[operation]:40} {_brief(sample)}", flush=True)
        if "ours" in [tool.name for tool in tool_list] and "cold" in operations:
            samples.append(floor(work, round_))
            print(f"  Python-Markdown floor: {samples[-1].wall:.2f} s", flush=True)
    return samples


def _brief(sample: Sample) -> str:
    if sample.cpu is None:
        return f"wall {sample.wall:.3f} s (median of {len(sample.edits)} edits)"
    return (f"wall {sample.wall:.2f} s, CPU {sample.cpu:.2f} s, peak {sample.peak_mb:.0f} MB"
            + (f", last helper ended at {sample.until_helpers:.2f} s" if sample.tool == "ours" else ""))


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--entities", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="runs of every operation (default 3)")
    parser.add_argument("--edits", type=int, default=5, help="edits per dev-server session (default 5)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of ours,pelican,hugo")
    parser.add_argument("--only", default=",".join(ONLY), help="comma-separated subset of cold,template,noop,serve")
    parser.add_argument("--work", type=Path, default=HERE / ".work", help="scratch folder (kept for inspection)")
    parser.add_argument("--json", type=Path, help="write every raw sample here")
    parser.add_argument("--code", default="worktree",
                        help="our generator to measure: 'worktree' (a copy of the checkout as it is at the start, "
                             "the default) or a git revision such as HEAD; either is frozen in WORK/code")
    parser.add_argument("--report", type=Path, metavar="JSON", help="measure nothing: print the tables of a "
                        "run saved with --json")
    args = parser.parse_args()
    if args.report:
        reprint(args.report)
        return
    names = _subset(args.tools, TOOLS, "--tools")
    operations = [op for key in _subset(args.only, tuple(ONLY), "--only") for op in ONLY[key]]
    work = args.work.absolute()
    work.mkdir(parents=True, exist_ok=True)
    cores = len(os.sched_getaffinity(0))
    print(f"corpus: {args.articles} articles, {args.entities} people and topics, in {work}", flush=True)
    tool_list, left_out = make_tools(names, work, args.articles, args.entities, args.code, operations)
    samples = run(tool_list, operations, args.rounds, args.edits, work)
    meta = {"articles": args.articles, "entities": args.entities, "rounds": args.rounds, "edits": args.edits,
            "cores": cores, "machine": platform.platform(), "python": platform.python_version(),
            "versions": {tool.name: tool.version for tool in tool_list},
            "notes": left_out + [note for tool in tool_list for note in tool.notes],
            "when": time.strftime("%Y-%m-%d %H:%M:%S")}
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "samples": [asdict(s) for s in samples]}, indent=1), "utf-8")
    report(meta, samples, operations)


def reprint(path: Path) -> None:
    """The tables of an earlier run, from its --json file."""
    saved = json.loads(path.read_text("utf-8"))
    samples = [Sample(**sample) for sample in saved["samples"]]
    present = {sample.operation for sample in samples}
    report(saved["meta"], samples, [op for op in OPERATIONS if op in present])


def _subset(value: str, allowed: tuple[str, ...], flag: str) -> list[str]:
    chosen = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in allowed]
    if unknown or not chosen:
        raise SystemExit(f"{flag}: choose from {', '.join(allowed)} (got {value!r})")
    return [name for name in allowed if name in chosen]


if __name__ == "__main__":
    main()
