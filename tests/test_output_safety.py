"""Output safety: every value from content, seeds and configuration is text in every output.

One project puts a hostile string into every field an editor, a seed or a deployer
controls; the built site must show that string as written (so escaping loses nothing)
and nowhere as markup: no script of its own, no event attribute, no ``javascript:``
link, no way out of the JSON-LD block, well-formed HTML and XML.
"""

from __future__ import annotations

import json
from pathlib import Path

import html5lib
import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import make_project

# Closes every context it could be put in: a script, an attribute in either quote, a
# comment, CDATA, a JSON string; and carries Jinja and Markdown syntax.
HOSTILE = ("""</script><script>alert("x")</script>' onmouseover='alert(1)" onfocus="alert(2)"""
           """<!-- ]]> {{ 7*7 }} &amp; *x*""")
# Aliases must start and end with a letter; this one is mentioned in the article.
ALIAS = """Evil "q" 'a' <b onclick=alert(8)>Alias</b> Z"""
# In YAML, a double-quoted scalar: backslashes and quotes escaped.
Y = json.dumps(HOSTILE)
# In TOML, a basic string (JSON's escapes are valid TOML for this text).
T = json.dumps(HOSTILE)

PYPROJECT = f"""\
[project]
name = "hostile"
version = "0"

[tool.microsite]
title = {T}
description = {T}
author = {T}
base_url = "https://example.org/sub/"
"""

FILES = {
    "content/articles/hostile.md": f"""\
        ---
        title: {Y}
        summary: {Y}
        credit: {Y}
        date: 2021-10-05
        people: [hostile-person]
        topics: [hostile-topic]
        ---

        Body text. Hostile Person met Hostile Topic and {ALIAS}.

        [a link](https://example.org/?q="><script>alert(3)</script>) and ![alt {HOSTILE}](x.png)

        <script>alert(5)</script> <img src=x onerror=alert(6)>
        """,
    "content/people/hostile-person.md": f"""\
        ---
        name: Hostile Person
        role: {Y}
        aliases: [{json.dumps(ALIAS)}]
        summary: {Y}
        ---

        About them: {HOSTILE}
        """,
    "content/topics/hostile-topic.md": f"""\
        ---
        name: Hostile Topic
        kind: {Y}
        summary: {Y}
        ---

        About it.
        """,
    "content/pages/about.md": f"""\
        ---
        title: {Y}
        summary: {Y}
        ---

        About page.
        """,
    "content/home.md": f"""\
        ---
        title: {Y}
        summary: {Y}
        facts:
        - label: {Y}
          value: {Y}
          sources: [hostile]
        ---

        Home.
        """,
    "content/timeline.md": f"""\
        ---
        title: {Y}
        events:
        - date: 2021-10-05
          time: {Y}
          title: {Y}
          text: {Y}
          sources: [hostile]
        ---
        """,
    "seeds/hostile-seed.txt": f"Seed headline {HOSTILE}\n\nThe crew met Hostile Person. {HOSTILE}\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from microsite.cli import main

    project = make_project(tmp_path_factory.mktemp("safety") / "p", FILES, pyproject=PYPROJECT)
    assert main(["--project", str(project), "build"]) == 0
    return project / "site"


def _text_files(site: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in suffixes and "pagefind" not in p.parts)


def test_no_output_file_carries_the_payload_as_markup(site):
    files = _text_files(site, (".html", ".xml", ".json", ".txt", ".js", ".css", ".webmanifest"))
    assert len(files) > 10
    for path in files:
        text = path.read_text("utf-8")
        # Tags are never written as tags, whatever the context (HTML, XML, inside JSON);
        # the attributes are checked on the parsed pages below, as their quotes are
        # harmless inside text and JSON strings.
        for payload in ("<script>alert", "<img src=x onerror", "<b onclick", "<!-- ]]>"):
            assert payload not in text, f"{path.relative_to(site)} carries {payload!r} unescaped"


def test_every_page_is_well_formed_html_with_only_our_scripts(site):
    pages = _text_files(site, (".html",))
    for path in pages:
        data = path.read_bytes()
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        _assert_no_unsafe_url(parser.parse(data), path)  # parse raises on the first parse error
        tree = lxml_html.fromstring(data)
        for script in tree.iter("script"):
            if script.get("src"):
                assert script.get("src").split("?")[0].endswith(".js"), path
                continue
            assert script.get("type") == "application/ld+json", f"{path}: inline script {script.text!r:.80}"
            json.loads(script.text)  # the block is whole: nothing broke out of it
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), f"{path}: event attribute {name}={value!r}"


# What the URL parser drops before it reads a scheme: C0 controls and spaces around the
# URL, tabs and newlines anywhere in it.
_URL_EDGES = "".join(map(chr, range(0x21)))


def _assert_no_unsafe_url(tree, where) -> None:
    """No href, src or action of a parsed tree (html5lib decodes attributes as browsers do)
    names a scheme that runs code once the URL parser has read it."""
    for element in tree.iter():
        for name, value in element.attrib.items():
            if name in ("href", "src", "action", "formaction"):
                url = "".join(c for c in value.strip(_URL_EDGES) if c not in "\t\n\r").lower()
                assert not url.startswith(("javascript:", "data:", "vbscript:")), f"{where}: {name}={value!r}"


def test_the_hostile_text_is_shown_as_written(site):
    page = lxml_html.fromstring((site / "articles" / "hostile" / "index.html").read_bytes())
    assert page.findtext(".//h1").strip() == HOSTILE
    assert HOSTILE in page.findtext(".//title")
    blocks = [json.loads(s.text) for s in page.iter("script") if s.get("type") == "application/ld+json"]
    assert HOSTILE in _strings(blocks)  # the headline, intact after a JSON round trip
    metas = {m.get("property") or m.get("name"): m.get("content") for m in page.iter("meta")}
    assert metas.get("description") == HOSTILE or HOSTILE in (metas.get("og:description") or "")
    body = page.text_content()
    assert "<script>alert(5)</script>" in body  # raw HTML in Markdown is text
    assert "{{ 7*7 }}" in body


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in _strings(item)]


def test_feeds_and_sitemap_are_well_formed_xml_with_the_text_intact(site):
    strict = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    for path in _text_files(site, (".xml",)):
        etree.fromstring(path.read_bytes(), strict)
    feed = etree.fromstring((site / "feed.xml").read_bytes(), strict)
    texts = [element.text or "" for element in feed.iter()]
    assert HOSTILE in texts, "the article's title is not in the feed as written"
    # An entry's content is HTML as escaped text: as a reader renders it, it is as safe as the page.
    contents = list(feed.iter("{http://www.w3.org/2005/Atom}content"))
    assert contents and all(content.get("type") == "html" and len(content) == 0 for content in contents)
    shown = []
    for content in contents:
        fragment = html5lib.parseFragment(content.text, namespaceHTMLElements=False)
        _assert_no_unsafe_url(fragment, "feed.xml")
        assert [e.tag for e in fragment.iter() if e.tag == "script" or "onerror" in e.attrib] == []
        shown.append("".join(fragment.itertext()))
    assert any("<script>alert(5)</script>" in text for text in shown)  # raw HTML stays text there too


def test_a_hostile_url_stays_inside_its_attribute(site):
    page = lxml_html.fromstring((site / "articles" / "hostile" / "index.html").read_bytes())
    # Markdown reads the '"' as the start of the link's title; both stay attributes.
    links = [dict(a.attrib) for a in page.iter("a") if a.text == "a link"]
    assert links == [{"href": "https://example.org/?q=",
                      "title": '><script>alert(3)</script>) and ![alt </script><script>alert("x'}]


# --------------------------------------------------------------------------- links a browser would run

UNSAFE_EVERYWHERE = {
    "content/articles/links.md": """\
        ---
        title: Links
        date: 2021-10-05
        ---

        A [link](jav&#x61;script:alert(1)) and ![an image](&#14;d&#97;ta:text/html,hi).

        [ref]: vb&#115;cript:alert(2)

        A [reference][ref].
        """,
    "content/people/a-person.md": """\
        ---
        name: A Person
        ---

        About [them](java&Tab;script:alert(3)).
        """,
    "content/home.md": """\
        ---
        title: Home
        facts:
        - label: Launch
          value: "[on time](&#106;avascript:alert(4))"
          sources: [links]
        ---

        Home.
        """,
    "content/timeline.md": """\
        ---
        title: Timeline
        events:
        - date: 2021-10-05
          title: Lift-off
          text: "Soyuz [launches](javascript&colon;alert(5))."
          sources: [links]
        ---
        """,
}


def test_encoded_unsafe_links_are_errors_in_every_field_and_nothing_is_written(tmp_path, cli):
    project = make_project(tmp_path / "p", UNSAFE_EVERYWHERE)
    result = cli(project, "build")
    # A fact or event points at its item's first line (the Markdown is one field of it).
    unsafe = "uses the scheme '{}:', which could run code in a reader's browser\n" \
             "  hint: link to an http(s) or mailto: address or to a page of the site\n"
    assert (result.status, result.err) == (1, (
        "content/articles/links.md:6: link to '&#14;d&#97;ta:text/html,hi' (which a browser reads as "
        "'data:text/html,hi') " + unsafe.format("data")
        + "content/articles/links.md:6: link to 'jav&#x61;script:alert(1)' (which a browser reads as "
        "'javascript:alert(1)') " + unsafe.format("javascript")
        + "content/articles/links.md:8: link to 'vb&#115;cript:alert(2)' (which a browser reads as "
        "'vbscript:alert(2)') " + unsafe.format("vbscript")
        + "content/home.md:4: link to '&#106;avascript:alert(4)' (which a browser reads as "
        "'javascript:alert(4)') " + unsafe.format("javascript")
        + "content/people/a-person.md:5: link to 'java&Tab;script:alert(3)' (which a browser reads as "
        "'javascript:alert(3)') " + unsafe.format("javascript")
        + "content/timeline.md:4: link to 'javascript&colon;alert(5)' (which a browser reads as "
        "'javascript:alert(5)') " + unsafe.format("javascript")))
    assert not (project / "site").exists()
