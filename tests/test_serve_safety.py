"""``serve`` is safe to leave running: loopback only, never a file outside the site, and
unbroken by malformed HTTP.

Every request here goes over a raw socket with its request line written out byte for byte,
since HTTP clients normalise or refuse the very paths under test. Three ``serve`` processes
start once, side by side, for the whole module: the default configuration (base path "/"),
a project under a base path ("/blog/"), and one started with ``--host``.
"""

from __future__ import annotations

import contextlib
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from test_serve import Served, free_port

from conftest import PYPROJECT, REPO, article, make_project
from microsite.config import parse_base_url

SECRET = "SECRET-7f3a9c-never-served"
TIMEOUT = 5  # seconds for any one request; a healthy local server answers in milliseconds
PROMPT = 2  # seconds within which the home page must answer after an attack

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/net and uses 127.0.0.2")


@dataclass
class Site:
    """One running ``serve`` with the secrets planted around its site folder."""

    served: Served
    host: str
    port: int
    base: str  # the base path, "/" or "/blog/"
    secrets: dict[str, Path]  # request path (relative to the site folder) -> a file outside it


def plant(root: Path, base_url: str) -> tuple[Path, dict[str, Path]]:
    """A small project in ``root/project`` and secret files around ``root/site``; the secrets by their
    path relative to the site folder."""
    project = make_project(root / "project", {
        "content/home.md": "---\ntitle: Home\n---\n\nWelcome.\n",
        "content/articles/first.md": article("A first article", "Some text about the crew."),
    }, pyproject=PYPROJECT.replace("https://example.org/", base_url) + f"# {SECRET} in the project\n")
    (root / "secret.txt").write_text(f"{SECRET} beside the site folder\n", "utf-8")
    # A sibling whose name starts like the site's: defeats "startswith" checks of the path.
    (root / "site-private").mkdir()
    (root / "site-private" / "secret.txt").write_text(f"{SECRET} in a sibling folder\n", "utf-8")
    secrets = {"../secret.txt": root / "secret.txt", "../project/pyproject.toml": project / "pyproject.toml",
               "../site-private/secret.txt": root / "site-private" / "secret.txt"}
    return project, secrets


def start(root: Path, base_url: str, *args: str) -> tuple[subprocess.Popen, Site, threading.Event]:
    """``serve`` on a fresh project (as the ``served`` fixture of test_serve.py starts it), not waited for."""
    project, secrets = plant(root, base_url)
    host = args[args.index("--host") + 1] if "--host" in args else "127.0.0.1"
    port = free_port()
    out = root / "site"
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "-C", str(project), "serve", "--port", str(port), "--out", str(out),
         *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = urlsplit(parse_base_url(base_url)).path  # as serve has it: %-encoded
    site = Site(Served(project, f"http://{host}:{port}{base}", out, process), host, port, base, secrets)
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            site.served.lines.append(line.rstrip("\n"))
            if line.startswith("serving http://"):
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    return process, site, ready


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The three servers, by name: "root" (defaults), "blog" (base path /blog/), "host" (--host 127.0.0.2)."""
    tmp = tmp_path_factory.mktemp("serve-safety")
    started = {"root": start(tmp / "root", "https://example.org/"),
               "blog": start(tmp / "blog", "https://example.org/blog/"),
               "host": start(tmp / "host", "https://example.org/", "--host", "127.0.0.2")}
    try:
        for name, (_process, site, ready) in started.items():
            assert ready.wait(60), f"serve ({name}) did not start:\n" + "\n".join(site.served.lines)
        yield {name: site for name, (_process, site, _ready) in started.items()}
    finally:
        for process, _site, _ready in started.values():
            process.terminate()
        for process, _site, _ready in started.values():
            process.wait(10)


# --------------------------------------------------------------------------- raw HTTP


@dataclass
class Response:
    status: int | None  # None: the server closed the connection without an answer
    headers: dict[str, str]
    raw: bytes


def exchange(site: Site, data: bytes, timeout: float = TIMEOUT) -> Response:
    """Send ``data`` as is, read until the server closes; the response as parsed (loosely)."""
    with socket.create_connection((site.host, site.port), timeout=timeout) as sock:
        # The server may close early on purpose (an oversized request): read what it said, if anything.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)
        chunks = []
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                chunks.append(chunk)
    return parse(b"".join(chunks))


def parse(raw: bytes) -> Response:
    head, _, _body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not raw or not lines[0].startswith("HTTP/1."):
        return Response(None, {}, raw)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(int(lines[0].split()[1]), headers, raw)


def request(site: Site, target: str, method: str = "GET") -> Response:
    """``target`` written into the request line exactly as given."""
    line = f"{method} {target} HTTP/1.1\r\nHost: {site.host}:{site.port}\r\nConnection: close\r\n\r\n"
    return exchange(site, line.encode("latin-1"))


def home_answers_promptly(site: Site) -> None:
    """The home page still works: 200 within ``PROMPT`` seconds, and the process lives."""
    started = time.monotonic()
    with urllib.request.urlopen(site.served.url, timeout=PROMPT) as response:
        assert response.status == 200
        assert b"Welcome." in response.read()
    assert time.monotonic() - started < PROMPT
    assert site.served.process.poll() is None, "\n".join(site.served.lines)


# --------------------------------------------------------------------------- 1. loopback only


def listeners(port: int) -> list[tuple[str, str]]:
    """(file, local address in hex) of every socket listening on ``port``, from /proc/net."""
    found = []
    for name in ("tcp", "tcp6"):
        table = Path("/proc/net") / name
        if not table.exists():
            continue
        for row in table.read_text().splitlines()[1:]:
            fields = row.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":  # 0A: LISTEN
                found.append((name, address))
    return found


def outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), or None without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: only the routing table is consulted
        except OSError:
            return None
        address = sock.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_serve_listens_on_loopback_only_by_default(sites):
    site = sites["root"]
    assert listeners(site.port) == [("tcp", "0100007F")]  # 127.0.0.1, and no IPv6 socket at all
    address = outward_address()
    if address is not None:  # reachable from the network? It must not be.
        with pytest.raises(ConnectionRefusedError), socket.create_connection((address, site.port), timeout=TIMEOUT):
            pass
    home_answers_promptly(site)


def test_host_option_chooses_the_address(sites):
    site = sites["host"]
    assert site.served.serving_line().startswith("serving http://127.0.0.2:")
    assert listeners(site.port) == [("tcp", "0200007F")]  # 127.0.0.2 only
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", site.port), timeout=TIMEOUT):
        pass
    home_answers_promptly(site)


# --------------------------------------------------------------------------- 2. nothing outside the site


# Ways to write "../" in a request path: plain, %-encoded in every case mix, half-encoded,
# double-encoded, with backslashes (Windows separators), overlong and look-alike UTF-8, NUL.
PARENT = ["../", "..%2f", "..%2F", "%2e%2e/", "%2E%2E/", "%2e%2e%2f", "%2E%2E%2F", ".%2e/", "%2e./", "..%252f",
          "%252e%252e%252f", "%252E%252E%252F", "..%5c", "..%5C", "%2e%2e%5c", "..\\", "..%c0%af", "..%ef%bc%8f",
          "..;/", "..%00/", ".%00./", "./../", ".//../", "..//", "...//"]


def escapes(site: Site) -> list[str]:
    """Request targets that would reach a secret if the server followed them naively."""
    targets = []
    for parent in PARENT:
        for prefix in (site.base, site.base + "articles/", site.base + "pagefind/", "/"):
            depth = max(1, prefix.count("/") - site.base.count("/") + 1)  # from there up to beside the site
            targets += [prefix + parent * depth + rel.removeprefix("../") for rel in site.secrets]
            # Far above the root, then down an absolute path: reaches its file from anywhere.
            for path in (site.secrets["../secret.txt"], Path("/etc/passwd")):
                targets.append(prefix + parent * 30 + str(path).lstrip("/"))
    return list(dict.fromkeys(targets))


def absolute_targets(site: Site) -> list[str]:
    """Absolute file paths and URLs in every form a request line can carry them."""
    secret = str(site.secrets["../secret.txt"])
    encoded = secret.replace("/", "%2f")
    targets = []
    for path in (secret, "/etc/passwd"):
        targets += ["/" + path, site.base + path, site.base + "/" + path, site.base + path.replace("/", "%2f"),
                    site.base + path.replace("/", "%5c"), site.base + "%2f" + path.lstrip("/"),
                    "file://" + path, "file:" + path, path.replace("/", "\\")]
    targets += [site.base + encoded, "/" + encoded, f"http://{site.host}:{site.port}{site.base}../secret.txt",
                f"http://{site.host}:{site.port}{site.base}{secret}", "http://example.org/etc/passwd",
                f"//{site.host}:{site.port}{secret}", "*", site.base + "#/../secret.txt"]
    return targets


def odd_targets(site: Site) -> list[str]:
    """NUL bytes, and paths longer than a file name, than PATH_MAX, or simply very long."""
    base = site.base
    return [base + "%00", base + "index.html%00", base + "index.html%00.txt", base + "%00/../secret.txt",
            base + "articles%00/", base + "a" * 256, base + "a" * 300 + "/index.html", base + "a/" * 3000,
            base + "articles/" * 600, base + "../" * 5000 + "etc/passwd", base + "%2e%2e%2f" * 3000 + "etc/passwd",
            base + "%ff%fe", base + "%", base + "%zz", base + "%2", base + "%c0%ae%c0%ae/secret.txt",
            base + "~", base + "~/.bashrc", base + ".", base + "..", base + "%2e%2e", base + "%2e",
            base + "articles/..", base + "articles/%2e%2e", base + "pagefind", base + "pagefind/..",
            base + "__microsite__/../../secret.txt", "/__microsite__/status/../../secret.txt",
            "/livereload.js/../secret.txt", "/livereload.js/..%2f..%2fsecret.txt", "/forcereload/../secret.txt"]


def assert_stays_inside(site: Site, target: str, method: str = "GET", hops: int = 3, followed: bool = False) -> None:
    """The answer to ``target``: 400 or 404, or a redirect to a path under the base path on this
    server, whose own answer (a page of the site, or up to ``hops`` redirects more) is free of secrets too."""
    response = request(site, target, method)
    why = f"{method} {target[:200]!r} -> {response.raw[:300]!r}"
    assert SECRET.encode() not in response.raw, why
    assert b"root:x:0:0" not in response.raw, why
    if response.status in (301, 302, 303, 307, 308):
        location = urljoin(f"http://{site.host}:{site.port}/", response.headers["location"])
        parts = urlsplit(location)
        assert (parts.scheme, parts.netloc) == ("http", f"{site.host}:{site.port}"), f"redirect leaves: {why}"
        assert parts.path.startswith(site.base), f"redirect leaves the base path: {why}"
        assert hops > 0, f"redirect loop: {why}"
        return assert_stays_inside(site, location.split(parts.netloc, 1)[1], method, hops - 1, followed=True)
    assert response.status in ((200, 400, 404) if followed else (400, 404)), why


@pytest.mark.parametrize("name", ["root", "blog"])
def test_the_secrets_are_real_and_the_site_is_served(sites, name):
    """The harness itself: each secret exists where the escapes point, and the site answers."""
    site = sites[name]
    for rel, path in site.secrets.items():
        assert (site.served.out / rel).resolve() == path.resolve() and SECRET in path.read_text("utf-8")
    assert request(site, site.base).status == 200
    assert request(site, site.base + "articles/first/").status == 200
    assert request(site, site.base + "no-such-page/").status == 404


@pytest.mark.parametrize("name", ["root", "blog"])
@pytest.mark.parametrize("kind", ["escapes", "absolute_targets", "odd_targets"])
def test_no_request_path_reaches_a_file_outside_the_site(sites, name, kind):
    site = sites[name]
    for target in globals()[kind](site):
        for method in ("GET", "HEAD"):
            assert_stays_inside(site, target, method)
    home_answers_promptly(site)


@pytest.mark.parametrize("name", ["root", "blog"])
def test_redirects_to_folders_stay_on_the_site(sites, name):
    """``/x`` of a folder redirects to ``/x/``; however the path was written, never to another host."""
    site = sites[name]
    for target in (site.base + "articles", site.base + "/articles", "//articles", "///articles", "/\\articles",
                   site.base + "articles/..%2farticles", "//127.0.0.2/articles", site.base + "%2farticles",
                   site.base + "%2f%2farticles", site.base + ".//articles", site.base + "./articles"):
        response = request(site, target)
        if response.status is not None and 300 <= response.status < 400:
            assert_stays_inside(site, target)
        else:
            assert response.status in (400, 404), (target, response.raw[:300])
    assert request(site, site.base + "articles").headers["location"] == site.base + "articles/"
    # The address is made from the decoded path, so it is encoded again.
    folder = site.served.out / "a b ü"
    folder.mkdir()
    (folder / "index.html").write_text("<p>Odd folder.</p>", "utf-8")
    try:
        location = request(site, site.base + "a%20b%20%C3%BC").headers["location"]
        assert location == site.base + "a%20b%20%C3%BC/"
        assert b"Odd folder." in request(site, location).raw
    finally:
        shutil.rmtree(folder)


def test_symbolic_links_out_of_the_site_are_not_followed(sites):
    site = sites["blog"]
    out, root = site.served.out, site.served.out.parent
    links = {
        "leak.txt": root / "secret.txt",  # absolute
        "leak-relative.txt": Path("../secret.txt"),
        "leak-sibling.txt": Path("../site-private/secret.txt"),
        "leak-folder": root / "project",
        "articles/up": Path("../.."),
        "loop": Path("loop"),  # a link to itself: resolving it fails
        "passwd": Path("/etc/passwd"),
    }
    for name, to in links.items():
        (out / name).symlink_to(to)
    # A real folder of the site whose index.html leads out: "/evil/" must not serve it either.
    (out / "evil").mkdir()
    (out / "evil" / "index.html").symlink_to(root / "secret.txt")
    (out / "alias.html").symlink_to("index.html")  # inside the site: fine to serve
    try:
        for target in ("leak.txt", "leak-relative.txt", "leak-sibling.txt", "leak-folder/pyproject.toml",
                       "leak-folder/", "leak-folder", "articles/up/secret.txt", "articles/up/site-private/secret.txt",
                       "loop", "loop/", "loop/x", "passwd", "evil/", "evil", "evil/index.html"):
            for method in ("GET", "HEAD"):
                assert_stays_inside(site, site.base + target, method)
        alias = request(site, site.base + "alias.html")
        assert alias.status == 200 and b"Welcome." in alias.raw
    finally:
        for name in [*links, "alias.html", "evil/index.html"]:
            (out / name).unlink()
        (out / "evil").rmdir()
    home_answers_promptly(site)


# Base paths with characters that mean something in a regular expression (tornado's routes
# are ones), and one that is %-encoded: each serves its pages and redirects to itself.
ODD_BASES = {"plus": ("https://example.org/first+film/", "/first+film/"),
             "parentheses": ("https://example.org/c(x)[1]$/", "/c(x)%5B1%5D$/"),
             "encoded": ("https://example.org/caf%c3%a9%202021/", "/caf%C3%A9%202021/"),
             "non-ascii": ("https://example.org/café/", "/caf%C3%A9/")}


def test_base_paths_with_special_characters_are_served(tmp_path):
    started = {name: start(tmp_path / name, base_url) for name, (base_url, _base) in ODD_BASES.items()}
    try:
        for name, (_process, site, ready) in started.items():
            assert ready.wait(60), f"serve ({name}) did not start:\n" + "\n".join(site.served.lines)
            base = ODD_BASES[name][1]
            assert site.base == base
            assert site.served.serving_line().startswith(f"serving http://127.0.0.1:{site.port}{base} ")
            home = request(site, base)
            assert home.status == 200 and b"Welcome." in home.raw, (name, home.raw[:300])
            link = f'href="{base}articles/first/"'.encode()
            assert link in home.raw, (name, home.raw)
            page = request(site, base + "articles/first/")
            assert page.status == 200 and b"Some text about the crew." in page.raw, name
            assert request(site, base + "articles/first").headers["location"] == base + "articles/first/"
            for target in ("/", base.rstrip("/")):
                assert request(site, target).headers["location"] == base, (name, target)
            assert request(site, base + "no-such-page/").status == 404
            assert request(site, "/no-such-base/").status == 404
            for target in escapes(site)[:40] + absolute_targets(site):
                assert_stays_inside(site, target)
            assert "Traceback" not in "\n".join(site.served.lines)
    finally:
        for process, _site, _ready in started.values():
            process.terminate()
        for process, _site, _ready in started.values():
            process.wait(10)


# --------------------------------------------------------------------------- 3. malformed HTTP


_noise = random.Random(1)
MALFORMED = {
    "garbage bytes": _noise.randbytes(4096),
    "garbage line": b"\x00\x01\x02\xff\xfe hello \r\n\r\n",
    "tls client hello": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + _noise.randbytes(500),
    "http2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "no version": b"GET /\r\n\r\n",
    "only a method": b"GET\r\n\r\n",
    "empty lines": b"\r\n" * 1000,
    "unknown version": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    "invalid method": b"BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "method with nul": b"G\x00T / HTTP/1.1\r\nHost: x\r\n\r\n",
    "nul in the path": b"GET /index.html\x00.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "100 kB request line": b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "100 kB header": b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100_000 + b"\r\n\r\n",
    "10000 headers": b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 10_000 + b"\r\n",
    "header without colon": b"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\nConnection: close\r\n\r\n",
    "header name with space": b"GET / HTTP/1.1\r\nHost: x\r\nBad Name: y\r\nConnection: close\r\n\r\n",
    "bare LF and CR": b"GET / HTTP/1.1\nHost: x\rX: y\n\n",
    "closed in the request line": b"GE",
    "closed in the headers": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: ab",
    "huge Content-Length, no body": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\n",
    "50 MB Content-Length, 5 bytes": b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\nhello",
    "negative Content-Length": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "non-numeric Content-Length": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n",
    "two Content-Lengths": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "Content-Length and chunked": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                                  b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "bad chunk size": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    "unknown Transfer-Encoding": b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc",
    "websocket without key": b"GET /livereload HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                             b"Connection: Upgrade\r\n\r\n",
    "invalid UTF-8 in the path": b"GET /%ff%fe/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "pipelined garbage after a request": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + b"\xff" * 1000 + b"\r\n\r\n",
}


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_requests_do_not_break_the_server(sites, payload):
    site = sites["root"]
    # Held open (the server may still be waiting for more): others are served meanwhile.
    with socket.create_connection((site.host, site.port), timeout=TIMEOUT) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the server gave up on it early: fine
            sock.sendall(payload)
        home_answers_promptly(site)
        sock.settimeout(0.1)
        try:
            answer = parse(sock.recv(65536))
        except (TimeoutError, ConnectionResetError):
            answer = Response(None, {}, b"")
    # Whatever it answered (if it did), the server never failed on it.
    assert answer.status is None or answer.status < 500, answer.raw[:300]
    # Then closed by the client, mid-request for some: the server carries on.
    home_answers_promptly(site)


def test_a_request_is_answered_while_many_connections_hang(sites):
    """Half-sent requests hold no worker: tornado serves the next request meanwhile."""
    site = sites["root"]
    hanging = []
    try:
        for _ in range(50):
            sock = socket.create_connection((site.host, site.port), timeout=TIMEOUT)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
            hanging.append(sock)
        home_answers_promptly(site)
    finally:
        for sock in hanging:
            sock.close()
    home_answers_promptly(site)


def test_server_output_shows_no_crash(sites):
    """After everything above (this runs last), no traceback went to the editor's terminal."""
    for name, site in sites.items():
        text = "\n".join(site.served.lines)
        assert "Traceback" not in text, f"{name}:\n{text}"
        assert not [line for line in site.served.lines if re.match(r"5\d\d [A-Z]+ /", line)], f"{name}:\n{text}"
