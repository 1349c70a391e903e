"""A seed edited after its import is reported, and import --force shows what it replaces
and keeps the editor's file (issue 15, item 5)."""

from __future__ import annotations

from conftest import make_project, snapshot

SEED = "date 2021-10-05\nCrew reaches the station\n\nThe crew of three docked with the station on Tuesday.\n"


def own_files(project):
    """The project's files but the build cache (its state is saved by a process of its own)."""
    return {path: data for path, data in snapshot(project).items() if not path.startswith(".cache/")}


def imported(tmp_path, cli):
    project = make_project(tmp_path / "p", {"seeds/crew.txt": SEED})
    assert cli(project, "build").status == 0
    (article,) = (project / "content/articles").glob("*.md")
    return project, article


def test_a_seed_changed_after_its_import_is_reported_by_check_and_build(tmp_path, cli):
    project, article = imported(tmp_path, cli)
    (project / "seeds/crew.txt").write_text(SEED + "\nThey will stay twelve days.\n", "utf-8")
    expected = (f"seeds/crew.txt: warning: changed since it was imported into content/articles/{article.name}, "
                "which still holds the text as imported")
    for command in ("check", "build"):
        result = cli(project, command)
        assert result.status == 0 and expected in result.err, (command, result.err)
        assert "python build.py import --force seeds/crew.txt" in result.err
    assert "twelve days" not in article.read_text("utf-8")  # nothing of the editor's is replaced unasked


def test_import_force_dry_run_shows_the_change_and_writes_nothing(tmp_path, cli):
    project, article = imported(tmp_path, cli)
    (project / "seeds/crew.txt").write_text(SEED + "\nThey will stay twelve days.\n", "utf-8")
    before = own_files(project)
    result = cli(project, "import", "--force", "seeds/crew.txt", "--dry-run")
    assert result.status == 0
    assert f"--- content/articles/{article.name} (now)" in result.out
    assert "+They will stay twelve days." in result.out and "dry run: nothing was written" in result.out
    assert own_files(project) == before


def test_import_force_keeps_the_editors_file_as_a_backup(tmp_path, cli):
    project, article = imported(tmp_path, cli)
    edited = article.read_text("utf-8").replace("The crew of three", "The three-person crew")
    article.write_text(edited, "utf-8")
    (project / "seeds/crew.txt").write_text(SEED + "\nThey will stay twelve days.\n", "utf-8")
    result = cli(project, "import", "--force", "seeds/crew.txt")
    assert result.status == 0, result.err
    backup = article.with_name(article.name + ".bak")
    assert backup.read_text("utf-8") == edited  # the editor's words, byte for byte
    assert f"to put it back: mv content/articles/{backup.name} content/articles/{article.name}" in result.out
    assert "-The three-person crew" in result.out and "+They will stay twelve days." in result.out
    assert "twelve days" in article.read_text("utf-8")
    assert "changed since it was imported" not in cli(project, "check").err  # the ledger knows the new text
    # edited again and imported again: the first backup is kept too
    article.write_text(article.read_text("utf-8").replace("twelve days", "twelve long days"), "utf-8")
    assert cli(project, "import", "--force", "seeds/crew.txt").status == 0
    assert backup.read_text("utf-8") == edited and article.with_name(article.name + ".bak2").is_file()


def test_import_force_without_a_change_writes_nothing_and_keeps_no_backup(tmp_path, cli):
    project, article = imported(tmp_path, cli)
    before = own_files(project)
    result = cli(project, "import", "--force", "seeds/crew.txt")
    assert result.status == 0 and "no change: the file already holds what the seed imports to" in result.out
    assert own_files(project) == before
