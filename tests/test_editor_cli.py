"""The command line does what people type (issue 15, item 4): build's options without the
word, help with examples, new page and a draft person, refused output folders, folders
that are no microsite, .MD files, content in UTF-16 or Windows-1252, YAML errors on their line."""

from __future__ import annotations

import pytest

from conftest import article, make_project
from microsite.cli import COMMANDS, main, with_command


@pytest.mark.parametrize(("argv", "expected"), [
    ([], ["build"]),
    (["--drafts"], ["build", "--drafts"]),
    (["-C", "x", "--no-cache"], ["-C", "x", "build", "--no-cache"]),
    (["--project=x", "--out", "y"], ["--project=x", "build", "--out", "y"]),
    (["check"], ["check"]),
    (["-C", "x", "serve"], ["-C", "x", "serve"]),
    (["--help"], ["--help"]),
    (["biuld"], ["biuld"]),  # argparse refuses it with the list of commands
])
def test_a_bare_command_line_is_build(argv, expected):
    assert with_command(argv) == expected


def test_builds_options_work_without_the_word_build(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("Published", "Text."),
        "content/articles/d.md": article("Unfinished", "Text.", draft="true")})
    result = cli(project, "--drafts", "--no-cache", "--out", str(tmp_path / "out"), "--base-url",
                 "https://example.org/x/", "--timings")
    assert result.status == 0, result.err
    assert "stages:" in result.out and (tmp_path / "out/articles/d/index.html").is_file()
    assert 'href="https://example.org/x/articles/a/"' in (tmp_path / "out/articles/a/index.html").read_text("utf-8")


def test_a_mistyped_command_is_refused_with_the_list_of_commands(tmp_path, cli):
    project = make_project(tmp_path / "p")
    with pytest.raises(SystemExit) as exit_:
        main(["--project", str(project), "biuld"])
    assert exit_.value.code == 2


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_examples(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    assert "examples:" in shown and f"python build.py {command}" in shown.replace("python build.py\n", "")
    assert len(shown.split("\n\n")[1]) > 60  # a description, not just the usage line


def test_new_page_makes_a_draft_page(tmp_path, cli):
    project = make_project(tmp_path / "p")
    result = cli(project, "new", "page", "Glossary")
    assert result.status == 0 and "created content/pages/glossary.md" in result.out
    text = (project / "content/pages/glossary.md").read_text("utf-8")
    assert "title: Glossary" in text and "draft: true" in text
    assert cli(project, "check").status == 0
    assert cli(project, "new", "page", "Glossary").status == 1  # never over an existing file
    assert cli(project, "build", "--drafts").status == 0
    assert (project / "site/glossary/index.html").is_file()


@pytest.mark.parametrize(("name", "aliases"), [
    ("Mark Vande Hei", ["Mark Vande Hei", "Vande Hei"]),
    ("Dr. Megan McArthur", ["Megan McArthur", "McArthur"]),
    ("Maria de la Cruz", ["Maria de la Cruz", "de la Cruz"]),
    ("Martin Luther King Jr.", ["Martin Luther King Jr", "Martin King", "King"]),
    ("Yulia Peresild", ["Yulia Peresild", "Peresild"]),
    ("Roscosmos", ["Roscosmos"]),
])
def test_new_person_is_a_draft_with_aliases_from_the_parts_of_the_name(tmp_path, cli, name, aliases):
    import frontmatter

    project = make_project(tmp_path / "p")
    assert cli(project, "new", "person", name).status == 0
    (path,) = (project / "content/people").glob("*.md")
    page = frontmatter.loads(path.read_text("utf-8"))
    assert page["aliases"] == aliases and page["draft"] is True and page["name"] == name
    assert "- [ ] role:" in page.content and "- [ ] remove `draft: true` above" in page.content
    assert cli(project, "check").status == 0  # a draft with empty fields is no error


@pytest.mark.parametrize("inside", [".", "content/preview", "templates/x", "seeds/out"])
def test_serve_and_build_refuse_an_output_folder_of_the_projects_own(tmp_path, cli, inside):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", "Text.")})
    out = str((project / inside).resolve())
    for command in ("serve", "build"):
        result = cli(project, command, "--out", out)
        assert result.status == 2, (command, result.err)
        assert "refusing to build into" in result.err
    assert not (project / "content/preview").exists()


def test_a_folder_that_is_no_microsite_is_named_as_such(tmp_path, cli):
    other = tmp_path / "other"
    other.mkdir()
    (other / "pyproject.toml").write_text('[project]\nname = "something-else"\n', "utf-8")
    result = cli(other, "build")
    assert result.status == 2
    assert "is not a microsite: its pyproject.toml has no [tool.microsite] table" in result.err
    assert "missing" not in result.err


@pytest.mark.parametrize("name", ["Crew.MD", "notes.markdown", "x.Md"])
def test_markdown_files_with_another_ending_are_reported_not_ignored(tmp_path, cli, name):
    project = make_project(tmp_path / "p", {f"content/articles/{name}": article("A", "Text.")})
    for command in ("check", "build"):
        result = cli(project, command)
        assert result.status == 0
        stem = name.rsplit(".", 1)[0]
        assert f"content/articles/{name}: warning: is not read: content files end in '.md'" in result.err
        assert f"rename it to {stem}.md" in result.err


def test_content_in_utf16_or_windows_1252_is_read_as_seeds_are(tmp_path, cli):
    project = make_project(tmp_path / "p")
    (project / "content/articles").mkdir(parents=True, exist_ok=True)
    (project / "content/articles/wide.md").write_bytes(article("Wide", "Caf\u00e9 in orbit.").encode("utf-16"))
    (project / "content/articles/latin.md").write_bytes(article("Latin", "Caf\u00e9 on Earth.").encode("cp1252"))
    result = cli(project, "build")
    assert result.status == 0, result.err
    assert "content/articles/latin.md: warning: not UTF-8; decoded as Windows-1252" in result.err
    assert "Caf\u00e9 in orbit." in (project / "site/articles/wide/index.html").read_text("utf-8")
    assert "Caf\u00e9 on Earth." in (project / "site/articles/latin/index.html").read_text("utf-8")


def test_an_unclosed_bracket_is_reported_on_the_line_that_opens_it(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": "---\ntitle: A\npeople: [klim-shipenko, yulia-peresild\ndate: 2021-10-05\n---\n\n"
                                 "Text.\n"})
    result = cli(project, "check")
    assert result.status == 1
    assert "content/articles/a.md:3: invalid YAML in front matter: did not find expected ',' or ']'" in result.err


def completions(project, line: str) -> list[str]:
    """What the shell's tab completion offers for ``line`` (argcomplete, as bash calls it)."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    env = {**os.environ, "_ARGCOMPLETE": "1", "COMP_LINE": line, "COMP_POINT": str(len(line))}
    proc = subprocess.run(["bash", "-c", f'"{sys.executable}" "{REPO / "build.py"}" -C "{project}" 8>&1 9>/dev/null'],
                          env=env, capture_output=True, text=True, timeout=60, cwd=project)
    return sorted(word.strip() for word in proc.stdout.split("\v") if word.strip())


def test_tab_completes_commands_and_content_files(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/launch.md": article("A", "Text."),
                                            "content/people/klim.md": "---\nname: Klim\n---\n\nText.\n"})
    assert completions(project, "build.py -C x m") == ["mv"]
    assert completions(project, f"build.py -C {project} mv content/a") == ["content/articles/launch.md"]
    assert completions(project, f"build.py -C {project} rm content/p") == ["content/people/klim.md"]
