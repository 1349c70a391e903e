"""Denial of service: inputs made to exhaust memory or time end quickly, within 200 MB.

Each case runs ``build.py`` in a fresh process that reports its own peak memory and that
of the processes it waited for (Pagefind), so no other test's processes count. The
timeout is a guard against hangs (a FIFO read would block forever), not a speed test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, article, make_project

LIMIT_MB = 200
# Runs the command line, then prints the peak resident memory of this process and of
# the largest process it waited for, in MB. Its own peak is read from /proc (VmHWM): the
# peak getrusage gives a process counts the memory of the process it was started from
# until its exec, here the whole test session.
PROBE = textwrap.dedent("""
    import json, re, resource, sys
    from microsite.cli import main
    status = main(sys.argv[1:])
    with open("/proc/self/status") as handle:
        own = int(re.search(r"VmHWM:\\s+(\\d+) kB", handle.read()).group(1)) / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"status": status, "self": own, "children": children}), file=sys.stderr)
""")


def run_limited(project: Path, *args: str) -> tuple[dict, str]:
    """Build ``project`` in a fresh process; (status and peak memory, what it printed on stderr)."""
    proc = subprocess.run([sys.executable, "-c", PROBE, "--project", str(project), *args],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    *lines, report = proc.stderr.rstrip("\n").split("\n")
    return json.loads(report), "\n".join(lines)


def bomb(levels: int = 9) -> str:
    """A YAML "billion laughs": each anchor repeats the previous one nine times (9**levels strings)."""
    items = ['&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij"[: levels - 1], strict=False):
        items.append(f"&{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "---\ntitle: Bomb\ndraft: [" + ", ".join(items) + "]\n---\n\nText.\n"


def test_a_yaml_bomb_is_refused_at_once(tmp_path):
    text = bomb()
    assert len(text.encode()) < 400
    project = make_project(tmp_path / "p", {"content/articles/bomb.md": text})
    report, err = run_limited(project, "build")
    assert report["status"] == 1
    assert err.startswith("content/articles/bomb.md:3: YAML anchors and aliases are not allowed in front matter")
    assert "Traceback" not in err and len(err) < 400
    assert report["self"] < LIMIT_MB


def test_an_entity_with_100000_aliases_builds_in_bounded_memory(tmp_path):
    aliases = "".join(f"- Zorkin{i:06d}\n" for i in range(100_000))
    project = make_project(tmp_path / "p", {
        "content/people/many.md": f"---\nname: Many Names\naliases:\n{aliases}---\n\nA person.\n",
        "content/articles/a.md": article("A", "Zorkin000042 met Zorkin099999 and Many Names.", date="2021-10-05"),
    })
    report, err = run_limited(project, "build", "--no-cache")
    assert report["status"] == 0, err
    assert report["self"] < LIMIT_MB and report["children"] < LIMIT_MB, report
    page = (project / "site/articles/a/index.html").read_text("utf-8")
    assert page.count('class="entity" href="/people/many/"') == 1  # the first mention is linked, under its spelling
    assert '<a class="entity" href="/people/many/">Zorkin000042</a>' in page


@pytest.mark.parametrize("where", ["content/articles/pipe.md", "seeds/pipe.txt", "templates/pipe.html"])
def test_a_fifo_never_hangs_the_build(tmp_path, where):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", "Text.", date="2021-10-05")})
    (project / where).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(project / where)
    for command in ("build", "check"):
        report, err = run_limited(project, command)
        assert report["status"] == 1
        assert err.startswith(f"{where}: is a named pipe (FIFO), not a regular file; it is not read\n")


def test_markdown_nested_a_thousand_deep_is_refused_quickly(tmp_path):
    deep = "".join("    " * i + "- level\n" for i in range(990))  # 1.96 MB of indentation, under the file limit
    project = make_project(tmp_path / "p", {"content/articles/deep.md": article("Deep", deep, date="2021-10-05")})
    report, err = run_limited(project, "check")
    assert report["status"] == 1
    assert err.startswith("content/articles/deep.md:106: Markdown nested too deeply")
    assert report["self"] < LIMIT_MB


def test_a_socket_in_content_is_a_problem_not_a_read(tmp_path):
    import socket

    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", "Text.", date="2021-10-05")})
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(project / "content/articles/sock.md"))
        report, err = run_limited(project, "build")
    finally:
        server.close()
    assert report["status"] == 1
    assert err.startswith("content/articles/sock.md: is a socket, not a regular file; it is not read\n")
