"""Shared pieces of the site quality tests: built sites, a static host, Chromium, tool discovery.

Test modules import the fixtures they use from here (``from browser_support import ...``).

External tools (Chromium, Java, the npm packages in package.json) are optional on a
developer's machine: a test that needs a missing one is skipped with a reason saying what
to install. CI sets ``MICROSITE_REQUIRE_TOOLS=1``, and then a missing tool fails the test
instead, so a broken CI image cannot pass by skipping.

The test modules import helpers from here and then load it as a plugin (``pytest_plugins``)
for its fixtures, so pytest cannot rewrite its asserts; they carry their own messages, and
this marker keeps pytest from warning about it: PYTEST_DONT_REWRITE
"""

from __future__ import annotations

import gzip
import importlib
import mimetypes
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import NoReturn
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, copy_seed_project, run_script

REQUIRE_TOOLS = "MICROSITE_REQUIRE_TOOLS"
ARTIFACTS = REPO / "test-artifacts"
NODE_MODULES = REPO / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

ROOT_BASE_URL = "http://127.0.0.1/"
PROJECT_BASE_URL = "https://example.github.io/first-film/"

_NPM_HINT = "run `npm ci` in the repository folder (Node.js 20 and npm; the versions are pinned in package.json)"
_PIP_HINT = "install the test extra: `pip install -e '.[test]'`"


# --------------------------------------------------------------------------- tool discovery


def missing_tool(message: str) -> NoReturn:
    """Skip the test because a tool is missing, or fail it when CI requires every tool.

    ``message`` says what is missing and exactly how to install it.
    """
    if os.environ.get(REQUIRE_TOOLS) == "1":
        pytest.fail(f"{message} [{REQUIRE_TOOLS}=1: missing tools fail instead of skipping]", pytrace=False)
    pytest.skip(message)


def require_module(name: str) -> ModuleType:
    """Import a Python package of the test extra, or skip/fail saying how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing_tool(f"Python package {name.split('.')[0]!r} is not installed: {_PIP_HINT}")


def chromium_executable() -> str:
    """The system Chromium (never a browser downloaded by ``playwright install``)."""
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    missing_tool("Chromium is not installed (looked for /usr/bin/chromium, chromium and chromium-browser on PATH): "
                 "install it with `sudo apt-get install chromium fonts-dejavu-core` (Debian/Ubuntu)")


def vnu_command() -> list[str]:
    """``java -jar vnu.jar``: the Nu HTML checker from the vnu-jar npm package, run by the system Java."""
    java = shutil.which("java")
    if not java:
        missing_tool("java is not installed (the Nu HTML checker needs Java 17 or later): "
                     "install it with `sudo apt-get install default-jre-headless` (Debian/Ubuntu)")
    if not VNU_JAR.is_file():
        missing_tool(f"the Nu HTML checker {VNU_JAR.relative_to(REPO)} is missing: {_NPM_HINT}")
    return [java, "-jar", str(VNU_JAR)]


def axe_script() -> Path:
    """The axe-core accessibility engine, to inject into pages."""
    if not AXE_JS.is_file():
        missing_tool(f"axe-core {AXE_JS.relative_to(REPO)} is missing: {_NPM_HINT}")
    return AXE_JS


def lighthouse_command() -> list[str]:
    """The Lighthouse command line from node_modules."""
    if not LIGHTHOUSE.is_file():
        missing_tool(f"Lighthouse {LIGHTHOUSE.relative_to(REPO)} is missing: {_NPM_HINT}")
    if not shutil.which("node"):
        missing_tool("node is not installed (Lighthouse runs on Node.js 20): install Node.js 20 and npm")
    return [str(LIGHTHOUSE)]


# --------------------------------------------------------------------------- built sites


@dataclass(frozen=True)
class BuiltSite:
    """A site built from a copy of this repository's project."""

    path: Path  # the output folder
    base_url: str  # the --base-url it was built for, e.g. https://example.github.io/first-film/

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path


def build_repository_site(root: Path, base_url: str) -> BuiltSite:
    """Build this repository's site into ``root``/site from a copy of its project files.

    The copy (content/, templates/, seeds/, pyproject.toml, like tests/test_build.py's
    ``seed_project``) keeps the repository's own site/ and content/ untouched.
    """
    project = root / "project"
    copy_seed_project(project)
    out = root / "site"
    result = run_script(project, "build", "--base-url", base_url, "--out", str(out))
    assert result.status == 0, f"the build for {base_url} failed (exit {result.status}):\n{result.out}{result.err}"
    return BuiltSite(out, base_url)


@pytest.fixture(scope="session")
def root_site(tmp_path_factory) -> BuiltSite:
    """This repository's site built once per session for the domain root (http://127.0.0.1/)."""
    return build_repository_site(tmp_path_factory.mktemp("root-site"), ROOT_BASE_URL)


@pytest.fixture(scope="session")
def project_site(tmp_path_factory) -> BuiltSite:
    """This repository's site built once per session for a GitHub Pages project path (/first-film/)."""
    return build_repository_site(tmp_path_factory.mktemp("project-site"), PROJECT_BASE_URL)


# --------------------------------------------------------------------------- a static host


_TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "application/atom+xml",
               "image/svg+xml")


class _Handler(BaseHTTPRequestHandler):
    """Serves a built site the way GitHub Pages does, under the server's base path."""

    protocol_version = "HTTP/1.1"
    server: _SiteHTTPServer

    def log_message(self, format, *args):
        pass  # quiet: the tests report what matters

    def do_GET(self):
        self._serve(send_body=True)

    def do_HEAD(self):
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        site, base = self.server.site, self.server.base_path
        path = unquote(urlsplit(self.path).path)
        if path + "/" == base:
            return self._redirect(base)
        if not path.startswith(base):
            return self._send(404, b"404: outside the site's base path\n", "text/plain; charset=utf-8", send_body)
        rel = path[len(base):]
        target = (site / rel).resolve()
        if target != site and site not in target.parents:
            target = None  # ../ tricks
        elif target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            target = target / "index.html"
        if target is not None and target.is_file():
            return self._send(200, target.read_bytes(), self._content_type(target), send_body)
        not_found = site / "404.html"
        if not_found.is_file():
            return self._send(404, not_found.read_bytes(), "text/html; charset=utf-8", send_body)
        return self._send(404, b"404: not found\n", "text/plain; charset=utf-8", send_body)

    @staticmethod
    def _content_type(path: Path) -> str:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
            kind += "; charset=utf-8"
        return kind

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        if content_type.startswith(_TEXT_TYPES):
            self.send_header("Vary", "Accept-Encoding")
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, mtime=0)
                self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _SiteHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # browsers keep connections open; do not wait for them on close

    def __init__(self, site: Path, base_path: str):
        self.site = site.resolve()
        self.base_path = base_path
        super().__init__(("127.0.0.1", 0), _Handler)


class SiteServer:
    """A built site on http://127.0.0.1:<free port>/<base path>, served from a background thread.

    Like GitHub Pages: ``/x/`` serves ``x/index.html``, ``/x`` redirects to ``/x/`` when ``x``
    is a folder, unknown paths get the site's 404.html with status 404, and paths outside
    the base path get a plain 404.
    """

    def __init__(self, site: Path, base_path: str = "/"):
        assert base_path.startswith("/") and base_path.endswith("/"), base_path
        self._httpd = _SiteHTTPServer(site, base_path)
        self.base_path = base_path
        self.origin = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"site-server{base_path}",
                                        daemon=True)

    def url(self, path: str = "") -> str:
        """The address of ``path`` (relative to the base path, e.g. ``people/``)."""
        return self.origin + self.base_path + path.lstrip("/")

    def __enter__(self) -> SiteServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def root_server(root_site) -> Iterator[SiteServer]:
    """The root-path build, served at http://127.0.0.1:<port>/."""
    with SiteServer(root_site.path, root_site.base_path) as server:
        yield server


@pytest.fixture(scope="session")
def project_server(project_site) -> Iterator[SiteServer]:
    """The project-path build, served at http://127.0.0.1:<port>/first-film/."""
    with SiteServer(project_site.path, project_site.base_path) as server:
        yield server


# --------------------------------------------------------------------------- Chromium


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless system Chromium driven by Playwright for the whole session."""
    executable = chromium_executable()
    sync_api = require_module("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What went wrong while a page was open: console errors, uncaught exceptions, failed requests."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)


@contextmanager
def open_page(browser, **context_options) -> Iterator[tuple[object, PageLog]]:
    """A fresh browser context and page (options as for ``browser.new_context``) and its log."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log = PageLog()

    def on_console(message):
        if message.type == "error":
            log.console_errors.append(f"{message.text} (at {message.location.get('url') or '?'})")

    def on_response(response):
        if response.status >= 400:
            log.failed_requests.append(f"{response.status} {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.console_errors.append(f"uncaught exception: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", lambda request: log.failed_requests.append(
        f"failed ({request.failure}) {request.method} {request.url}"))
    try:
        yield page, log
    finally:
        context.close()
