"""check and build run the same stages and report the same problems (issue 15, item 3):
drafts cited by facts or linked from pages are warnings in both, and errors are the same."""

from __future__ import annotations

import pytest

from conftest import article, make_project

HOME = ("---\ntitle: Home\nfacts:\n- label: Crew\n  value: Three people\n  sources: [draft-report, published]\n"
        "---\n\nWhat happened.\n")
DRAFTS = {
    "content/home.md": HOME,
    "content/articles/published.md": article("Published", "See [the draft](draft-report.md).", date="2021-10-05"),
    "content/articles/draft-report.md": article("Draft report", "Klim Shipenko flew.", date="2021-10-05",
                                                draft="true"),
    "content/articles/undated.md": article("Undated", "No date given."),
    "content/people/klim-shipenko.md": "---\nname: Klim Shipenko\n---\n\nHe directed.[^1]\n\n"
                                      "[^1]: [Draft](../articles/draft-report.md)\n",
}
BROKEN = {
    **DRAFTS,
    "content/articles/refs.md": article("Refs", "A [missing file](gone.md) and [a page](/nowhere/).",
                                        date="2021-10-06", people="[nobody]"),
    "content/articles/yaml.md": "---\ntitle: Y\npeople: [a, b\ndate: 2021-10-05\n---\n\nText.\n",
    "content/pages/about.md": "---\ntitel: About\n---\n\nText.\n",
}


def problem_lines(stderr: str) -> list[str]:
    """The problems as printed (each with its hint), without the summary line."""
    return [line for line in stderr.splitlines() if not line.startswith("check: ")]


@pytest.mark.parametrize(("files", "status"), [(DRAFTS, 0), (BROKEN, 1)])
def test_check_and_build_report_the_same_problems(tmp_path, cli, files, status):
    project = make_project(tmp_path / "p", files)
    checked = cli(project, "check")
    built = cli(project, "build")
    assert (checked.status, built.status) == (status, status)
    assert problem_lines(checked.err) == problem_lines(built.err)
    lines = problem_lines(checked.err)
    assert any("facts: item 1 cites the article 'draft-report', which is a draft" in line for line in lines)
    assert any("links to content/articles/draft-report.md, which is a draft" in line for line in lines)
    assert any(line.startswith("content/articles/undated.md:1: warning: no date") for line in lines)
    if status:
        for expected in ("content/articles/refs.md", "content/articles/yaml.md:3:", "content/pages/about.md:2:"):
            assert any(line.startswith(expected) for line in lines), expected
        assert not (project / "site").exists()  # a build with an error writes nothing


def test_check_with_drafts_checks_them_as_build_with_drafts_builds_them(tmp_path, cli):
    project = make_project(tmp_path / "p", DRAFTS)
    checked, built = cli(project, "check", "--drafts"), cli(project, "build", "--drafts")
    assert checked.status == built.status == 0
    assert problem_lines(checked.err) == problem_lines(built.err)
    assert "which is a draft" not in checked.err
