"""The built site in real tools: Nu HTML checker, axe-core, Chromium, Pagefind search, Lighthouse.

Each site is built once per session (browser_support.root_site / project_site) and shared,
as is one headless Chromium. Screenshots and Lighthouse reports go to test-artifacts/ at
the repository root for people to look at. Missing tools skip these tests with a reason
that says what to install, or fail them when MICROSITE_REQUIRE_TOOLS=1 (CI).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from browser_support import (
    ARTIFACTS,
    REPO,
    SiteServer,
    axe_script,
    chromium_executable,
    lighthouse_command,
    open_page,
    require_module,
    vnu_command,
)

# The fixtures: root_site, project_site, root_server, project_server, chromium_browser.
pytest_plugins = ["browser_support"]

ARTICLE = "russian-crew-blasts-off-to-film-first-film-in-space"
PERSON = "klim-shipenko"
TOPIC = "soyuz-ms-19"

# One page of each type, by its path under the base path. "404" is an address that does not
# exist: the host answers it with the site's 404.html and status 404, as GitHub Pages does.
PAGES = {
    "home": "",
    "articles": "articles/",
    "article": f"articles/{ARTICLE}/",
    "people": "people/",
    "person": f"people/{PERSON}/",
    "topics": "topics/",
    "topic": f"topics/{TOPIC}/",
    "about": "about/",
    "sources": "sources/",
    "search": "search/",
    "404": "no-such-page/",
}

SEARCH_INPUT = "#search .pagefind-ui__search-input"
RESULT_LINK = "#search a.pagefind-ui__result-link"
SCREENSHOTS = ARTIFACTS / "screenshots"


def visit(page, server: SiteServer, name: str):
    """Open one page type and check the host answered it as expected; wait for the search UI."""
    url = server.url(PAGES[name])
    response = page.goto(url, wait_until="load")
    expected = 404 if name == "404" else 200
    assert response is not None and response.status == expected, (
        f"{name}: {url} answered {response and response.status}, expected {expected}")
    if name == "search":
        page.wait_for_selector(SEARCH_INPUT, state="visible")
    return response


def search_for(page, query: str) -> list[str]:
    """Type ``query`` into the Pagefind UI and wait for result links; their paths, in order."""
    timeout = require_module("playwright.sync_api").TimeoutError
    page.fill(SEARCH_INPUT, query)
    with contextlib.suppress(timeout):  # no results: the caller's assertion reports what the UI shows
        page.wait_for_selector(RESULT_LINK, timeout=10_000)
    return result_paths(page)


def result_paths(page) -> list[str]:
    return page.eval_on_selector_all(RESULT_LINK, "links => links.map(a => new URL(a.href).pathname)")


# --------------------------------------------------------------------------- Nu HTML checker


def _vnu_messages(args: list[str]) -> list[dict]:
    proc = subprocess.run([*vnu_command(), "--errors-only", "--format", "json", "--stdout", *args],
                          capture_output=True, text=True, timeout=300)
    try:
        return json.loads(proc.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the Nu HTML checker did not report JSON (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")


def _describe_vnu(messages: list[dict], sites: dict[str, Path]) -> str:
    lines = []
    for m in messages:
        where = m.get("url", "?").removeprefix("file:")
        for label, folder in sites.items():
            where = where.replace(str(folder), label)
        lines.append(f"{where}:{m.get('lastLine', '?')}.{m.get('firstColumn', '?')}: {m.get('type')}: "
                     f"{m.get('message')}\n    {m.get('extract', '').strip()!r}")
    return f"{len(messages)} Nu HTML checker errors:\n" + "\n".join(lines)


def test_nu_html_checker_finds_no_errors_in_any_page(root_site, project_site):
    sites = {"<root site>": root_site.path, "<project site>": project_site.path}
    messages = _vnu_messages(["--skip-non-html", *map(str, sites.values())])
    assert messages == [], _describe_vnu(messages, sites)


@pytest.fixture(scope="module")
def pictured_site(tmp_path_factory) -> Path:
    """A site with five editors' pictures (see test_pictures): infoboxes, lead and body pictures."""
    from test_pictures import picture_site

    from microsite.cli import main

    project = picture_site(tmp_path_factory.mktemp("pictured") / "p")
    assert main(["--project", str(project), "build", "--base-url", "http://127.0.0.1/"]) == 0
    return project / "site"


def test_nu_html_checker_finds_no_errors_in_pages_with_pictures(pictured_site):
    messages = _vnu_messages(["--skip-non-html", str(pictured_site)])
    assert messages == [], _describe_vnu(messages, {"<pictured site>": pictured_site})


def test_nu_css_checker_finds_no_errors_in_the_stylesheets(root_site):
    stylesheets = sorted((root_site.path / "assets").glob("*.css"))
    assert stylesheets, "no stylesheet in site/assets/"
    messages = _vnu_messages(["--css", *map(str, stylesheets)])
    assert messages == [], _describe_vnu(messages, {"<root site>": root_site.path})


# --------------------------------------------------------------------------- axe-core

# WCAG 2.0 to 2.2, levels A and AA, and axe's best practices: 2.2 AA adds target size,
# which axe's default run leaves out.
AXE_RUN = """async () => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: [
    'wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
  }));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_accessibility_violations(chromium_browser, root_server, name, scheme):
    script = axe_script()
    with open_page(chromium_browser, color_scheme=scheme) as (page, _log):
        visit(page, root_server, name)
        page.add_script_tag(path=str(script))
        violations = page.evaluate(AXE_RUN)
    _no_violations(violations, f"{name} ({PAGES[name] or '/'})", scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["people/yulia-peresild/", "topics/roscosmos/", "articles/launch/"])
def test_axe_finds_no_violations_on_pages_with_pictures(chromium_browser, pictured_site, path, scheme):
    script = axe_script()
    with SiteServer(pictured_site) as server, open_page(chromium_browser, color_scheme=scheme) as (page, _log):
        response = page.goto(server.url(path), wait_until="load")
        assert response is not None and response.status == 200
        assert page.locator("picture img").count() >= 1
        page.add_script_tag(path=str(script))
        violations = page.evaluate(AXE_RUN)
    _no_violations(violations, path, scheme)


def _no_violations(violations: list[dict], where: str, scheme: str) -> None:
    report = []
    for v in violations:
        report.append(f"{v['id']} ({v['impact']}): {v['help']}")
        report += [f"    {n['target']}: {n['summary']}".replace("\n", "\n      ") for n in v["nodes"]]
    assert violations == [], f"axe on {where} in {scheme} mode:\n" + "\n".join(report)


@pytest.mark.parametrize("name", ["home", "article", "person"])
def test_printing_from_a_dark_screen_keeps_text_readable(chromium_browser, root_server, name):
    """Printed labels and dates were amber on white (1.76:1) when the system was dark."""
    script = axe_script()
    with open_page(chromium_browser, color_scheme="dark") as (page, _log):
        page.emulate_media(media="print", color_scheme="dark")
        visit(page, root_server, name)
        page.add_script_tag(path=str(script))
        violations = page.evaluate("""async () => (await axe.run(document, {runOnly: ['color-contrast']}))
            .violations.flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary))""")
    assert violations == [], f"printing {name} from a dark screen:\n" + "\n".join(violations)


def test_the_search_page_without_javascript_offers_the_indexes_and_no_empty_box(chromium_browser, root_server):
    with open_page(chromium_browser, java_script_enabled=False) as (page, _log):
        response = page.goto(root_server.url(PAGES["search"]), wait_until="load")
        assert response is not None and response.status == 200
        assert not page.is_visible("#search-label") and not page.is_visible("#search")
        text = page.inner_text("main")
        assert "Search needs JavaScript" in text and "all articles" in text


def test_a_caption_without_its_photo_reads_as_a_text_caption(chromium_browser, root_server):
    """It was a beige box with a broken-image icon; now a labelled text caption, no image box."""
    with open_page(chromium_browser) as (page, _log):
        page.goto(root_server.url("articles/filmmaker-and-actress-join-cosmonaut-for-first-film-in-orbit/"))
        label, border, background = page.evaluate("""() => {
            const figure = document.querySelector('figure.caption');
            const before = getComputedStyle(figure, '::before');
            return [before.content, before.borderTopStyle, before.backgroundImage];
        }""")
    assert label == '"Photo in the original report"' and border == "none" and background == "none"


# --------------------------------------------------------------------------- layout

PHONE = {"is_mobile": True, "has_touch": True}
SCREEN_SIZES = {"375x812": {"width": 375, "height": 812}, "1280x800": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SCREEN_SIZES)
@pytest.mark.parametrize("name", ["home", "article", "person", "topic", "sources", "search"])
def test_screenshots_for_people_to_look_at(chromium_browser, root_server, name, size, scheme):
    viewport = SCREEN_SIZES[size]
    options = {"viewport": viewport, "color_scheme": scheme, **(PHONE if viewport["width"] < 600 else {})}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}-{size}-{scheme}.png"
    with open_page(chromium_browser, **options) as (page, _log):
        visit(page, root_server, name)
        if name == "search":
            search_for(page, "Shipenko")  # the results are what is worth looking at
        page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 0


# The leaves that stick out to the right, to say what makes a page scroll sideways.
OVERFLOWING = r"""width => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 0.5)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 0.5))
  .slice(0, 8)
  .map(e => {
    const name = typeof e.className === 'string' ? e.className.trim() : '';
    const classes = name ? '.' + name.split(/\s+/).join('.') : '';
    const right = Math.round(e.getBoundingClientRect().right);
    const text = (e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    return `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${classes} (right edge ${right} px) "${text}"`;
  })"""


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("name", PAGES)
def test_nothing_scrolls_sideways_on_a_phone(chromium_browser, root_server, name, width):
    with open_page(chromium_browser, viewport={"width": width, "height": 740}, **PHONE) as (page, _log):
        visit(page, root_server, name)
        if name == "search":
            search_for(page, "Shipenko")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        culprits = page.evaluate(OVERFLOWING, width) if scroll_width > width else []
    assert scroll_width <= width, (
        f"{name} ({PAGES[name] or '/'}) is {scroll_width} px wide on a {width} px screen; sticking out:\n  "
        + "\n  ".join(culprits))


# --------------------------------------------------------------------------- console and requests


@pytest.mark.parametrize("which", ["root", "project"])
@pytest.mark.parametrize("name", PAGES)
def test_pages_load_without_console_errors_or_failed_requests(request, chromium_browser, name, which):
    server = request.getfixturevalue(f"{which}_server")
    with open_page(chromium_browser) as (page, log):
        response = visit(page, server, name)
        page.wait_for_load_state("networkidle")
        body = response.body()
    errors, failed = log.console_errors, log.failed_requests
    if name == "404":
        site = request.getfixturevalue(f"{which}_site").path
        assert body == (site / "404.html").read_bytes(), "the host did not answer an unknown path with 404.html"
        # The page's own 404 status is the point of this page; nothing else may fail.
        failed = [f for f in failed if f != f"404 GET {response.url}"]
        errors = [e for e in errors if e != "Failed to load resource: the server responded with a status of 404 "
                                            f"(Not Found) (at {response.url})"]
    assert errors == [], f"console errors on {name} ({response.url}):\n  " + "\n  ".join(errors)
    assert failed == [], f"failed requests on {name} ({response.url}):\n  " + "\n  ".join(failed)


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("query", ["Chipenko", "Shipenko"])
def test_search_finds_the_director_under_a_project_base_path(chromium_browser, project_server, query):
    target = f"{project_server.base_path}people/{PERSON}/"
    timeout = require_module("playwright.sync_api").TimeoutError
    with open_page(chromium_browser) as (page, log):
        visit(page, project_server, "search")
        search_for(page, query)
        with contextlib.suppress(timeout):  # results render one by one: give the person's a moment
            page.wait_for_function(
                "target => [...document.querySelectorAll('a.pagefind-ui__result-link')]"
                ".some(a => new URL(a.href).pathname === target)", arg=target, timeout=5_000)
        paths = result_paths(page)
        shown = page.inner_text("#search")
    assert target in paths, f"searching {query!r}: no result links to {target}; links: {paths}; the UI shows:\n{shown}"
    assert log.console_errors == [], "console errors while searching:\n  " + "\n  ".join(log.console_errors)
    assert log.failed_requests == [], "failed requests while searching:\n  " + "\n  ".join(log.failed_requests)


# --------------------------------------------------------------------------- Lighthouse

LIGHTHOUSE_PAGES = {"home": "", "article": f"articles/{ARTICLE}/"}
THRESHOLDS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
LIGHTHOUSE_SUMMARY = ARTIFACTS / "lighthouse.txt"


@pytest.fixture(scope="module")
def lighthouse_results() -> dict[str, str]:
    """Summary lines by page, rewritten to test-artifacts/lighthouse.txt after each run."""
    return {}


def run_lighthouse(url: str, report: Path, form: str = "mobile") -> dict:
    command = lighthouse_command()
    env = {**os.environ, "CHROME_PATH": chromium_executable()}
    preset = ["--preset=desktop"] if form == "desktop" else []  # mobile is Lighthouse's default
    proc = subprocess.run(
        [*command, url, "--output=json", f"--output-path={report}", "--quiet", *preset,
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env=env, capture_output=True, text=True, timeout=240, cwd=REPO)
    assert proc.returncode == 0 and report.is_file(), (
        f"Lighthouse failed on {url} (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    result = json.loads(report.read_text("utf-8"))
    assert not result.get("runtimeError"), f"Lighthouse runtime error on {url}: {result['runtimeError']}"
    return result


def scores(result: dict) -> dict[str, int]:
    return {key: round((result["categories"][key]["score"] or 0) * 100) for key in THRESHOLDS}


def shortfalls(result: dict, category: str) -> list[str]:
    """The weighted audits that cost ``category`` points."""
    audits = result["audits"]
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            value = f" = {audit['displayValue']}" if audit.get("displayValue") else ""
            lines.append(f"{ref['id']} (score {audit['score']}){value}: {audit['title']}")
    return lines


@pytest.mark.parametrize("form", ["mobile", "desktop"])
@pytest.mark.parametrize("page", LIGHTHOUSE_PAGES)
def test_lighthouse_scores(root_server, lighthouse_results, page, form):
    url = root_server.url(LIGHTHOUSE_PAGES[page])
    name = f"{page}-{form}"
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / f"lighthouse-{name}.json"
    first = run_lighthouse(url, report, form)
    got = scores(first)
    best = first
    # Performance is timed on a shared CI machine and can dip on a busy moment: re-run up to
    # twice more and keep the best performance score. The other categories are deterministic
    # and come from the first run; the thresholds never change.
    for attempt in range(2, 4):
        if got["performance"] >= THRESHOLDS["performance"]:
            break
        retry = run_lighthouse(url, ARTIFACTS / f"lighthouse-{name}-run{attempt}.json", form)
        if scores(retry)["performance"] > got["performance"]:
            got["performance"], best = scores(retry)["performance"], retry
    lighthouse_results[name] = f"{name:15} " + "  ".join(f"{key} {got[key]}" for key in THRESHOLDS) + f"  {url}"
    summary = "\n".join(lighthouse_results[key] for key in sorted(lighthouse_results)) + "\n"
    LIGHTHOUSE_SUMMARY.write_text(summary, "utf-8")
    print(f"\nLighthouse {first['lighthouseVersion']}:\n{summary}")
    problems = []
    for key, threshold in THRESHOLDS.items():
        if got[key] < threshold:
            details = shortfalls(best if key == "performance" else first, key)
            problems.append(f"{key} {got[key]} < {threshold}:\n    " + "\n    ".join(details))
    assert problems == [], f"Lighthouse on {name} ({url}):\n  " + "\n  ".join(problems)
