"""Links in Markdown bodies: base path, links between content files, unsafe schemes, drafts."""

from __future__ import annotations

from conftest import article, make_project
from microsite.markup import LinkWorld, Renderer


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
        "content/articles/a.md": article("A", "See [the draft](b.md) soon."),
        "content/articles/b.md": article("B", draft="true"),
    })
    result = cli(project, "build")
    assert result.status == 0
    assert result.err == ("content/articles/a.md:5: warning: links to content/articles/b.md, which is a draft; "
                          "the link is left out until it is published\n"
                          "  hint: remove 'draft: true' there, or build with --drafts\n")
    assert "See <span>the draft</span> soon." in (project / "site/articles/a/index.html").read_text("utf-8")
    assert cli(project, "build", "--drafts").err == ""
    assert 'See <a href="/articles/b/">the draft</a> soon.' in (project / "site/articles/a/index.html").read_text()
