"""Markdown bodies: links (base path, content files, unsafe schemes as a browser reads them, drafts), the
sanitizer every body passes last, and nesting too deep for the parser."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import html5lib
import pytest
from markdown.treeprocessors import Treeprocessor

from conftest import article, make_project
from microsite.linking import AliasIndex, LinkContext
from microsite.markup import LinkWorld, Renderer, browser_url, url_scheme
from microsite.pictures import Picture


def convert(body: str, base_path: str = "/", urls: dict[str, str] | None = None):
    return Renderer(base_path, LinkWorld(urls or {})).convert(body, "content/articles/a.md", 5)


def test_root_relative_links_get_the_base_path():
    html, problems = convert("[all](/articles/) and [out](https://example.org/x) and [here](#top)", "/repo/")
    assert html == ('<p><a href="/repo/articles/">all</a> and <a href="https://example.org/x">out</a> and '
                    '<a href="#top">here</a></p>')
    assert problems == []


def test_links_to_content_files_become_page_urls():
    urls = {"content/people/klim-shipenko.md": "/people/klim-shipenko/"}
    html, problems = convert("See [him](../people/klim-shipenko.md#career).", "/repo/", urls)
    assert html == '<p>See <a href="/repo/people/klim-shipenko/#career">him</a>.</p>'
    assert problems == []


def test_link_to_a_missing_content_file_is_an_error_with_its_line():
    _, problems = convert("Text.\n\nSee [him](../people/nobody.md).")
    assert [p.format() for p in problems] == [
        "content/articles/a.md:7: links to '../people/nobody.md', but content/people/nobody.md does not exist\n"
        "  hint: fix the path (it is relative to this file) or remove the link"]


def test_unsafe_link_schemes_are_removed_and_reported():
    html, problems = convert("[click](javascript:alert(1)) and ![x](data:text/html,hi)")
    assert "javascript" not in html and "data:" not in html
    assert [p.message for p in problems] == [
        "link to 'javascript:alert(1)' uses the scheme 'javascript:', which could run code in a reader's browser",
        "link to 'data:text/html,hi' uses the scheme 'data:', which could run code in a reader's browser"]


def test_link_to_a_draft_becomes_text_with_a_warning(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A", "See [the draft](b.md) soon.", date="2021-10-05"),
        "content/articles/b.md": article("B", draft="true", date="2021-10-05"),
    })
    result = cli(project, "build")
    assert result.status == 0
    assert result.err == ("content/articles/a.md:6: warning: links to content/articles/b.md, which is a draft; "
                          "the link is left out until it is published\n"
                          "  hint: remove 'draft: true' there, or build with --drafts\n")
    assert "See <span>the draft</span> soon." in (project / "site/articles/a/index.html").read_text("utf-8")
    assert cli(project, "build", "--drafts").err == ""
    assert 'See <a href="/articles/b/">the draft</a> soon.' in (project / "site/articles/a/index.html").read_text()


# --------------------------------------------------------------------------- URLs as a browser reads them

# (as typed, as a browser reads it once character references and the URL parser's
# whitespace rules are applied)
ENCODED_SCHEMES = [
    ("jav&#x61;script:alert(1)", "javascript:alert(1)"),
    ("javascript&colon;alert(1)", "javascript:alert(1)"),
    ("&#106;avascript:alert(1)", "javascript:alert(1)"),
    ("&#106avascript:alert(1)", "javascript:alert(1)"),  # numeric references need no ";"
    ("&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)", "javascript:alert(1)"),
    ("java&#x09;script:alert(1)", "javascript:alert(1)"),  # tab and newline are dropped anywhere
    ("java&#10;script:alert(1)", "javascript:alert(1)"),
    ("java&Tab;script:alert(1)", "javascript:alert(1)"),
    ("java&NewLine;script:alert(1)", "javascript:alert(1)"),
    ("&#14;javascript:alert(1)", "javascript:alert(1)"),  # C0 controls and spaces are stripped around it
    ("&#32;&#32;javascript:alert(1)", "javascript:alert(1)"),
    ("JaVa&#x53;cRiPt:alert(1)", "JaVaScRiPt:alert(1)"),
    ("VB&#83;cript:MsgBox(1)", "VBScript:MsgBox(1)"),
    ("d&#97;ta:text/html,hi", "data:text/html,hi"),
]
PLAIN_SCHEMES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)", "data:text/html,hi"]
# How each kind of Markdown link carries the URL, and on which line of the snippet it is.
PLACES = {
    "link": ("[click]({url})", 0),
    "image": ("![a picture]({url})", 0),
    "reference link": ("[click][ref]\n\n[ref]: {url}", 2),
    "reference image": ("![a picture][ref]\n\n[ref]: {url}", 2),
}
DANGEROUS = ("javascript", "vbscript", "data")


def browser_urls(html: str) -> list[str]:
    """Every href and src of ``html`` as a browser reads it: attributes decoded by html5lib
    (an HTML parser of its own, not the code under test), then the URL parser's preprocessing."""
    tree = html5lib.parseFragment(html, namespaceHTMLElements=False)
    values = [v for element in tree.iter() for k, v in element.attrib.items() if k in ("href", "src")]
    return ["".join(c for c in v.strip("".join(map(chr, range(0x21)))) if c not in "\t\n\r") for v in values]


def assert_no_dangerous_url(html: str) -> None:
    for url in browser_urls(html):
        assert not url.lower().startswith(tuple(f"{scheme}:" for scheme in DANGEROUS)), f"{url!r} is in {html!r}"


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize(("written", "read"), ENCODED_SCHEMES + [(url, url) for url in PLAIN_SCHEMES])
def test_a_link_is_judged_by_the_url_a_browser_reads(written, read, place):
    snippet, offset = PLACES[place]
    html, problems = convert("Some text.\n\n" + snippet.format(url=written))
    scheme = read.partition(":")[0].lower()
    reads = f" (which a browser reads as {read!r})" if read != written else ""
    assert [(p.line, p.message, p.hint) for p in problems] == [
        (7 + offset, f"link to {written!r}{reads} uses the scheme '{scheme}:', which could run code in a reader's "
         "browser", "link to an http(s) or mailto: address or to a page of the site")]
    assert_no_dangerous_url(html)
    assert "click" in html or 'alt="a picture"' in html  # the words stay, the link goes


@pytest.mark.parametrize("path", ["content/articles/a.md", "content/people/p.md", "content/home.md",
                                  "content/timeline.md"])
def test_every_body_and_inline_field_is_checked_the_same_way(path):
    # Bodies, fact values and event texts all go through Renderer.convert.
    html, problems = Renderer("/", LinkWorld({})).convert("See [it](jav&#x61;script:alert(1)).", path, 3)
    assert [p.format() for p in problems] == [
        f"{path}:3: link to 'jav&#x61;script:alert(1)' (which a browser reads as 'javascript:alert(1)') uses the "
        "scheme 'javascript:', which could run code in a reader's browser\n"
        "  hint: link to an http(s) or mailto: address or to a page of the site"]
    assert html == "<p>See <a>it</a>.</p>"


def test_references_that_a_browser_leaves_alone_are_not_a_scheme():
    # A typed tab is spaces to Markdown, a space stays in the URL, a legacy reference
    # without ";" before "=" or a letter is not decoded inside an attribute, and "&#0;"
    # (which a browser would read as U+FFFD) is shown as typed by the reference guard.
    body = ("[a](java\tscript:alert(1)) [b](<java script:alert(1)>) [c](&amp=javascript:alert(1)) "
            "[d](x&copyjavascript:alert(1)) [e](&#0;javascript:alert(1))")
    html, problems = convert(body)
    assert problems == []
    assert_no_dangerous_url(html)
    assert browser_urls(html) == ["java    script:alert(1)", "java script:alert(1)", "&amp=javascript:alert(1)",
                                  "x&copyjavascript:alert(1)", "&#0;javascript:alert(1)"]


def test_escaped_and_encoded_site_links_are_read_as_the_browser_reads_them():
    urls = {"content/articles/a_b.md": "/articles/a_b/"}
    html, problems = convert("[x](&#47;articles/) [y](/articles/a\\_b/) [z](a&#95;b.md)", "/repo/", urls)
    assert problems == []
    assert html == ('<p><a href="/repo/articles/">x</a> <a href="/repo/articles/a_b/">y</a> '
                    '<a href="/repo/articles/a_b/">z</a></p>')


def test_an_obfuscated_mailto_link_stays_a_mailto_link():
    html, problems = convert("Write to <crew@example.org>.")
    assert problems == []
    assert browser_urls(html) == ["mailto:crew@example.org"]


def test_a_long_unsafe_url_is_quoted_in_part():
    written = "jav&#x61;script:" + "a" * 10_000
    _, problems = convert(f"[x]({written})")
    assert len(problems) == 1 and len(problems[0].message) < 300
    assert problems[0].message.startswith("link to 'jav&#x61;script:aaa")
    assert "which a browser reads as 'javascript:aaa" in problems[0].message


def test_browser_url_decodes_like_an_html_attribute():
    assert browser_url(" \x0e jav&#x61;script&colon;x\t") == "javascript:x"
    assert browser_url("&#x80;&#0;&#xD800;&#x110000;&#" + "9" * 5000 + ";") == "€\ufffd\ufffd\ufffd\ufffd"
    assert browser_url("&notit; &notin; &not &amp=1 &amp") == "&notit; ∉ ¬ &amp=1 &"
    assert url_scheme(browser_url("Java\x02" + str(ord("+")) + "\x03x:1")) == "java+x"


# --------------------------------------------------------------------------- the sanitizer

KITCHEN_SINK = """\
# Title

## A section

Text with *emphasis*, **strong**, `code`, a [link](https://example.org/x "Its title"), a
[site link](/articles/), [mail](mailto:crew@example.org), [phone](tel:+7-495-000), an
![image](pic.png "A title"), a line<BR>
break, Klim Shipenko, a footnote[^1], &eacute; &copy; &nbsp; and &#x1F680;.

> A quote with **strong** text.

3. three
4. four

- one
    - nested

| left | centre | right |
|:-----|:------:|------:|
| 1    | 2      | 3     |

```python
print("<b>")
```

~~~ {.js .numbered #snippet}
let x = 1;
~~~

    indented code

Caption: A caption.
Photo: A photographer

---

[TOC]

[^1]: The footnote.
""".replace("<BR>", "  ")  # two spaces at the end of a line: a line break


def test_the_sanitizer_keeps_everything_this_markdown_makes():
    world = LinkWorld({}, pictures={"content/articles/pic.png": Picture("content/articles/pic.png", "0123456789ab",
                                                                         640, 480, "png")})
    renderer = Renderer("/", world, AliasIndex({"Klim Shipenko": "klim"}), {"klim": "/people/klim/"})
    html, problems = renderer.convert(KITCHEN_SINK, "content/articles/a.md")
    renderer.md.postprocessors.deregister("sanitizer")
    unsanitized, _ = renderer.convert(KITCHEN_SINK, "content/articles/a.md")
    assert problems == []
    for needle in ('<th style="text-align: left;">', '<ol start="3">', '<code class="language-python">',
                   '<pre id="snippet" class="numbered"><code class="language-js">',
                   '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">',
                   '<a class="entity" href="/people/klim/">', '<figure class="caption">', '<div class="toc">',
                   'title="Jump back to footnote 1 in the text"', '<picture><source ', 'type="image/webp"',
                   'srcset="/images/pic.0123456789ab.480.png 480w, /images/pic.0123456789ab.640.png 640w"',
                   'width="640"', 'height="480"', 'loading="lazy"', 'title="A title"'):
        assert needle in html
    assert _dom(html) == _dom(unsanitized)  # the same document, written afresh


def _dom(html: str) -> str:
    """``html`` parsed and written again, so two spellings of one document compare equal."""
    return html5lib.serialize(html5lib.parseFragment(html, namespaceHTMLElements=False), omit_optional_tags=False,
                              quote_attr_values="always", alphabetical_attributes=True)


class _Rogue(Treeprocessor):
    """A processor gone wrong: it writes what none of this setup may write."""

    def run(self, root):
        link = etree.SubElement(root, "a", {"href": "javascript:alert(1)", "onclick": "alert(2)",
                                            "class": "entity evil", "style": "color: red", "id": "x"})
        link.text = "text stays"
        etree.SubElement(root, "script").text = "alert(3)"
        etree.SubElement(root, "iframe", {"src": "https://example.org/"})
        etree.SubElement(root, "img", {"src": "data:image/svg+xml,x", "alt": "a", "onerror": "alert(4)"})
        table = etree.SubElement(etree.SubElement(etree.SubElement(root, "table"), "tbody"), "tr")
        etree.SubElement(table, "td", {"style": "background: url(javascript:alert(5))"}).text = "cell"
        root.append(etree.Comment(" a comment "))


def test_the_sanitizer_drops_what_a_processor_should_never_have_written():
    renderer = Renderer("/", LinkWorld({}))
    renderer.md.treeprocessors.register(_Rogue(renderer.md), "rogue", 1)  # after every check
    html, problems = renderer.convert("Text.")
    assert problems == []
    assert html.replace("\n", "") == ('<p>Text.</p><a class="entity">text stays</a><img alt="a">'
                                      "<table><tbody><tr><td>cell</td></tr></tbody></table>")


def test_the_sanitizer_runs_last_after_the_reference_guard():
    assert [type(p).__name__ for p in Renderer().md.postprocessors][-2:] == ["ReferenceGuard", "Sanitizer"]
    html, _ = convert("Esc &#27; and &#" + "1" * 5000 + "; shown as typed, &eacute; decoded.")
    assert html.startswith("<p>Esc &amp;#27; and &amp;#111") and html.endswith("; shown as typed, é decoded.</p>")


# --------------------------------------------------------------------------- nesting

NESTED = {
    "lists": lambda n: "\n".join("    " * i + "- item" for i in range(n)),
    "loose lists": lambda n: "\n\n".join("    " * i + "- item" for i in range(n)),
    "quotes": lambda n: "\n".join(">" * i + " quote" for i in range(1, n + 1)),
    "one deep quote": lambda n: ">" * n + " quote",
    "emphasis": lambda n: "*a _b " * n + "text" + " c_ d*" * n,  # two levels each
}
TOO_DEEP = "Markdown nested too deeply (lists, quotes or emphasis more than 100 levels)"


# 500 levels of lists make Python-Markdown's parser recurse past Python's limit; quotes
# 1000 deep stop at its own guard, and the rest of the tree at MAX_NESTING. (A list
# 1000 deep is 2 MB of indentation that the parser takes some 15 s to get through.)
@pytest.mark.parametrize(("shape", "depth"), [(shape, depth) for shape in NESTED for depth in (101, 500)]
                         + [("quotes", 1000), ("one deep quote", 1000), ("emphasis", 1000)])
def test_markdown_nested_too_deeply_is_a_problem_at_its_line(shape, depth):
    renderer = Renderer("/", LinkWorld({}), AliasIndex({"item": "x", "quote": "y"}), {"x": "/x/", "y": "/y/"})
    body = "Intro.\n\n" + NESTED[shape](depth)
    html, problems = renderer.convert(body, "content/articles/a.md", 5, LinkContext(collect=True))
    # The line of the 101st level: lists and quotes open one a line, the rest is on one line.
    line = 5 + 2 + (100 * (2 if shape == "loose lists" else 1) if shape in ("lists", "loose lists", "quotes") else 0)
    assert [p.format() for p in problems] == [
        f"content/articles/a.md:{line}: {TOO_DEEP}\n  hint: nest fewer lists or quotes inside each other"]
    assert html == ""
    assert renderer.convert("- a\n    - b")[0] == "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"  # still sound


@pytest.mark.parametrize("shape", ["lists", "quotes", "one deep quote"])
def test_a_hundred_levels_are_fine(shape):
    html, problems = convert(NESTED[shape](100))
    assert problems == [] and html.count("<li>" if "list" in shape else "<blockquote>") == 100


# --------------------------------------------------------------------------- inputs that would parse for minutes

# Each of these made Python-Markdown's parser take time in the square of its size
# (measured at 10,000 repetitions before the limits: 5 to 58 s each); they are refused
# before parsing, on the line where their paragraph starts.
COSTLY = [
    ("unclosed brackets", "[" * 5000 + "x", "more than 200 unclosed '[' or '](' in one paragraph"),
    ("nested links", "[" * 3000 + "x" + "](u)" * 3000, "more than 200 unclosed '[' or '](' in one paragraph"),
    ("unclosed link targets", "[a](" * 3000, "more than 200 unclosed '[' or '](' in one paragraph"),
    ("footnote openers", "[^" * 3000, "more than 200 unclosed '[' or '](' in one paragraph"),
    ("images after an unclosed fence", "```\n" + "![" * 3000, "more than 200 unclosed '[' or '](' in one paragraph"),
    ("escaped backticks", "\\``" * 3000, "more than 400 runs of '`' in one paragraph"),
    ("reference definitions", "[a]: \n" * 3000,
     "a paragraph of more than 2000 lines (put blank lines between its parts)"),
    ("character references", "&#1;" * 6000,
     "more than 5,000 characters that start inline Markdown in one paragraph (put blank lines between its parts)"),
]


@pytest.mark.parametrize("body, message", [(body, message) for _, body, message in COSTLY],
                         ids=[name for name, _, _ in COSTLY])
def test_markdown_that_would_parse_for_minutes_is_refused_at_its_paragraph(body, message):
    renderer = Renderer()
    html, problems = renderer.convert("A first paragraph.\n\n" + body + "\n\nA last one.\n", "content/articles/a.md", 5)
    assert [(p.line, p.message) for p in problems] == [(7, "Markdown too costly to convert: " + message)]
    assert html == ""


def test_long_ordinary_text_is_not_refused():
    paragraph = "The crew filmed another scene on the station, [as planned](https://example.org/) by `Roscosmos`. "
    body = "\n\n".join([paragraph * 150] * 60)  # 60 paragraphs of 15 kB, close to the file limit of 2 MB
    html, problems = Renderer().convert(body, "content/articles/a.md")
    assert problems == [] and html.count("<p>") == 60
    line = "word " * 200_000  # one line of 1 MB, as a seed may have
    html, problems = Renderer().convert(line, "content/articles/a.md")
    assert problems == [] and html.startswith("<p>word word")


def test_a_page_of_inline_markup_alone_is_refused():
    body = "\n\n".join(["*a* " * 2500] * 30)  # 75,000 emphases: about 5 s of Python-Markdown
    html, problems = Renderer().convert(body, "content/pages/a.md", 5)
    assert [(p.line, p.message) for p in problems] == [
        (5, "Markdown too costly to convert: 150,000 characters that start inline Markdown (at most 100,000 a page)")]


def test_footnotes_have_a_heading_and_references_side_by_side_are_kept_apart():
    """WCAG 2.2: a list a reader can find by its heading; "¹,²" read as two numbers, not as 12."""
    html, problems = convert("Said twice.[^1][^2] Once more.[^1]\n\n[^1]: One.\n[^2]: Two.\n")
    assert problems == []
    assert '<h2 class="footnotes-title" id="sources-cited">Sources cited</h2>' in html and "<hr" not in html
    first, second = html.index('href="#fn:1"'), html.index('href="#fn:2"')
    assert '<span class="fn-sep">,</span>' in html[first:second]
    assert html.count('class="fn-sep"') == 1  # "Once more.[^1]" stands alone
