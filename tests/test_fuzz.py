"""Fuzzing with hypothesis: random seeds, Markdown, aliases and front matter.

The only outcomes allowed are success or a project error (``ProjectError``, or problems
returned with file and line); every HTML produced is well-formed (html5lib, strict) and
its links are balanced: every ``<a>`` is closed and none is inside another.

In CI (the default profile) each test runs a fixed, reproducible set of examples, a few
thousand in all, in well under a minute. A longer random run:

    HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import string
from pathlib import Path

import html5lib
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from conftest import make_project
from microsite.clipping import parse_seed
from microsite.config import load_project
from microsite.content import load_file
from microsite.errors import ProjectError
from microsite.linking import _ALIAS_SHAPE, AliasIndex, LinkContext
from microsite.markup import Renderer
from microsite.text import UNPRINTABLE

settings.register_profile("ci", max_examples=1000, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=50_000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# --------------------------------------------------------------------------- checks


def assert_well_formed(html: str) -> None:
    """html5lib in strict mode raises on the first parse error; then the links."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(html)
    assert html.count("<a ") + html.count("<a>") == html.count("</a>"), html
    if html.strip():
        for fragment in lxml_html.fragments_fromstring(html):
            if isinstance(fragment, str):
                continue
            for link in fragment.iter("a"):
                assert not list(link.iterancestors("a")), f"a link inside a link: {html}"


# --------------------------------------------------------------------------- strategies

WORDS = ["Shipenko", "Chipenko", "Klim", "Peresild", "Yulia", "Soyuz", "MS-19", "Roscosmos", "Roskosmos",
         "ISS", "the", "crew", "film", "orbit", "Novitsky", "Novitskiy", "O'Brien", "Baikonur"]
SYNTAX = ["*", "**", "_", "__", "`", "```", "[", "]", "(", ")", "](", "![", "#", "## ", "> ", "- ", "1. ",
          "\n", "\n\n", "    ", "|", "---", "<", ">", "&", "&amp;", "\"", "'", "\\", "[^1]", "[^1]: ",
          "http://example.org/", "../people/x.md", "#top", "<b>", "</b>", "<!--", "-->", "{{", "}}", ":", "~~~",
          "Caption: ", "—", "é", "\u00a0", "\t", "\r\n", "&#27;", "&#x80;", "&#0;", "&#xD800;", "&#1114112;",
          "&nbsp;", "&bogus;"]
tokens = st.one_of(st.sampled_from(WORDS), st.sampled_from(SYNTAX), st.text(max_size=6), st.just(" "))
# Content files with control characters are refused when read (see the bad-input corpus),
# so no body that reaches the converter has one.
markdown_text = (st.lists(tokens, max_size=60).map(" ".join) | st.lists(tokens, max_size=60).map("".join)).map(
    lambda text: UNPRINTABLE.sub("", text))

alias = st.lists(st.sampled_from(WORDS + ["Klim Shipenko", "Soyuz MS-19", "the crew", "O'Brien's"]) | st.text(
    alphabet=string.ascii_letters + "-' .", min_size=1, max_size=12), min_size=1, max_size=3).map(" ".join)
aliases = st.dictionaries(alias.filter(_ALIAS_SHAPE.fullmatch), st.sampled_from(["a", "b", "c"]), max_size=8)

SEED_LINES = ["Launch day", "5 October 2021 - The crew launched.", "October 5, 2021", "MOSCOW, Oct 5 (Reuters) -",
              "[image]", "Caption: The crew. Photo: Roscosmos", "Advertisement", "Read more:", "By A. Reporter",
              "Shipenko and Peresild flew.", "2021-13-45", "", "   ", "\t", "Share this article", "## Heading",
              "*emphasis*", "<script>alert(1)</script>", "{{ 7*7 }}", "---", "title: x"]
seed_text = st.lists(st.sampled_from(SEED_LINES) | st.text(max_size=40), max_size=25).map("\n".join)
seed_bytes = seed_text.map(lambda t: t.encode("utf-8")) | st.binary(max_size=300) | seed_text.map(
    lambda t: t.encode("cp1252", "ignore"))

FIELDS = ["title", "date", "summary", "people", "topics", "links", "slug", "draft", "credit", "seed",
          "truncated", "name", "aliases", "role", "kind", "tags", "menu"]
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                   st.dates().map(str), st.sampled_from(["2021-13-45", "../../etc/passwd", "CON", "", "<b>x</b>"]))
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=8), inner, max_size=3), max_leaves=8)
front_matter = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), value, max_size=6)
raw_front = st.lists(st.sampled_from(["title: x", "date: 2021-10-05", "- a", "  - b", "{", "}", "[", ": :",
                                      "people: [a, b", "? x", "&a x", "*a", "!!python/object:os.system x",
                                      "title: !!binary aGk=", "---", "..."]) | st.text(max_size=20),
                     max_size=8).map("\n".join)


@st.composite
def content_file(draw) -> str:
    if draw(st.booleans()):
        head = yaml.safe_dump(draw(front_matter), allow_unicode=True, sort_keys=True)
    else:
        head = draw(raw_front)
    return f"---\n{head}\n---\n\n{draw(markdown_text)}\n"


# --------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def project_root(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("fuzz") / "p", templates=False)


@given(data=seed_bytes)
def test_any_seed_imports_to_a_valid_article_or_is_a_project_error(data, project_root):
    project = load_project(project_root)
    try:
        draft = parse_seed("fuzz.txt", data)
    except ProjectError as exc:
        assert exc.problems and all(p.path == "seeds/fuzz.txt" for p in exc.problems)
        return
    text = draft.to_markdown()
    # What import writes, the build accepts: no errors (warnings are fine).
    loaded = load_file(project, project.content / "articles" / "fuzz.md", "article", text.encode("utf-8"))
    assert not [p for p in loaded.problems if p.is_error], (data, text, loaded.problems)
    html, problems = RENDERER.convert(loaded.item.body, "content/articles/fuzz.md", 5)
    assert not [p for p in problems if p.is_error], (text, problems)
    assert_well_formed(html)


@given(body=markdown_text, spellings=aliases)
def test_any_markdown_with_any_aliases_links_into_well_formed_html(body, spellings):
    renderer = Renderer("/sub/", None, AliasIndex(spellings), {"a": "/sub/people/a/", "b": "/sub/topics/b/",
                                                              "c": "/sub/people/c/"})
    html, problems = renderer.convert(body, "content/articles/x.md", 5, LinkContext())
    for problem in problems:
        assert problem.path == "content/articles/x.md" and problem.line >= 5
    assert_well_formed(html)


@given(text=content_file(), kind=st.sampled_from(["article", "person", "topic", "page"]))
def test_any_front_matter_loads_or_is_a_problem_with_a_line(text, kind, project_root):
    project = load_project(project_root)
    folder = {"article": "articles", "person": "people", "topic": "topics", "page": "pages"}[kind]
    loaded = load_file(project, project.content / folder / "fuzz.md", kind, text.encode("utf-8"))
    for problem in loaded.problems:
        assert problem.path == f"content/{folder}/fuzz.md" and problem.message
    if loaded.item is None:
        assert [p for p in loaded.problems if p.is_error], text


RENDERER = Renderer("/sub/")
