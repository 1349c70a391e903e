"""``check`` reports every problem of every stage in one run; ``new`` scaffolds content safely."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import frontmatter
import yaml

from conftest import REPO, make_project, snapshot
from microsite.config import load_project
from microsite.scaffold import new_file

FIXTURE = REPO / "tests" / "fixtures" / "broken"


def test_check_lists_every_problem_of_the_broken_fixture_verbatim(tmp_path, cli):
    project = tmp_path / "broken"
    shutil.copytree(FIXTURE, project)
    shutil.copytree(REPO / "templates", project / "templates")
    (project / "expected-check.txt").unlink()
    before = snapshot(project)
    result = cli(project, "check")
    assert result.status == 1
    assert result.out == ""
    assert result.err == (FIXTURE / "expected-check.txt").read_text("utf-8")
    assert snapshot(project) == before  # check writes nothing


def test_the_fixture_covers_every_kind_of_mistake():
    expected = (FIXTURE / "expected-check.txt").read_text("utf-8")
    for fragment in ("unknown front matter field", "must be true or false", "must be a list of text items",
                     "missing title", "is not a real date", "claims the URL", "which has no page",
                     "is also claimed by", "does not exist", "which is not a page of this site", "has no alt text",
                     "warning: no date", "invalid YAML", "missing name"):
        assert fragment in expected, fragment


def test_check_exits_0_with_warnings_only(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": "---\ntitle: Undated\n---\n\nText.\n"})
    result = cli(project, "check")
    assert result.status == 0
    assert result.err == ("content/articles/a.md:1: warning: no date: the article is shown as undated and listed "
                          "last\n  hint: add 'date: YYYY-MM-DD' if the source gives one, or 'date: null' to say it "
                          "has none\n")
    assert result.out == "check: 0 error(s), 1 warning(s)\n"


def test_seed_site_checks_clean(tmp_path, cli):
    result = cli(REPO, "check")
    assert (result.status, result.err, result.out) == (0, "", "check: 0 error(s), 0 warning(s)\n")


# --------------------------------------------------------------------------- new


def test_new_article_person_topic_have_valid_front_matter(tmp_path, cli):
    project = make_project(tmp_path / "p")
    assert cli(project, "new", "article", "Crew returns to Earth").out == \
        "created content/articles/crew-returns-to-earth.md\n"
    assert cli(project, "new", "person", "Oleg Novitsky").out == "created content/people/oleg-novitsky.md\n"
    assert cli(project, "new", "topic", "Soyuz MS-19").out == "created content/topics/soyuz-ms-19.md\n"
    person = frontmatter.load(project / "content/people/oleg-novitsky.md")
    assert person["name"] == "Oleg Novitsky" and person["aliases"] == ["Oleg Novitsky", "Novitsky"]
    article = frontmatter.load(project / "content/articles/crew-returns-to-earth.md")
    assert article["draft"] is True and article["title"] == "Crew returns to Earth"
    result = cli(project, "check")
    assert result.status == 0, result.err  # the new files are valid as they are


def test_new_article_takes_a_free_slug_and_never_overwrites(tmp_path):
    project = load_project(make_project(tmp_path / "p"))
    first = new_file(project, "article", "Launch day", dt.date(2021, 10, 5))
    first.write_text(first.read_text("utf-8") + "\nAn editor's words.\n", "utf-8")
    mine = first.read_bytes()
    second = new_file(project, "article", "Launch day", dt.date(2021, 10, 5))
    assert (first.name, second.name) == ("launch-day.md", "launch-day-2.md")
    assert first.read_bytes() == mine


def test_new_person_refuses_a_taken_slug(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/topics/nasa.md": "---\nname: NASA\n---\n"})
    before = (project / "content/topics/nasa.md").read_bytes()
    result = cli(project, "new", "person", "Nasa")
    assert result.status == 1
    assert result.err == ("content/topics/nasa.md: already exists; the new person would take its slug 'nasa'\n"
                          "  hint: edit that file, or choose a more specific name\n")
    assert (project / "content/topics/nasa.md").read_bytes() == before
    assert not (project / "content/people").exists()


def test_new_with_wrong_usage_exits_2(tmp_path):
    project = make_project(tmp_path / "p")
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "-C", str(project), "new", "place", "X"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "invalid choice: 'place'" in proc.stderr
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "-C", str(project), "new", "article", "!!!"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "gives no usable file name" in proc.stderr


# --------------------------------------------------------------------------- pre-commit


def test_pre_commit_hook_runs_check_on_content_changes():
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    [hook] = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "microsite-check"]
    assert hook["entry"] == "python build.py check" and hook["pass_filenames"] is False
    assert hook["language"] == "system"
    definition = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert definition[0]["id"] == "microsite-check" and definition[0]["entry"] == "microsite check"
