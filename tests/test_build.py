"""The built site: links, base paths, determinism, atomic output, editors' files, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, article, broken_links, copy_seed_project, make_project, run_script, snapshot
from microsite.errors import MicrositeError


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    """A copy of this repository's project (seeds, content, templates, configuration)."""
    root = tmp_path / "project"
    copy_seed_project(root)
    return root


def html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_seed_site_builds_with_five_articles_and_every_link_resolves(seed_project, cli):
    result = cli(seed_project, "build")
    assert result.status == 0, result.err
    reported = re.fullmatch(r"built (\d+) pages into site/ for http://127\.0\.0\.1:8000/ in \d+\.\d\d s\n", result.out)
    site = seed_project / "site"
    assert reported and int(reported.group(1)) == len(list(site.rglob("*.html")))
    articles = sorted(p.parent.name for p in (site / "articles").glob("*/index.html"))
    assert len(articles) == 5
    assert (site / "index.html").is_file() and (site / "404.html").is_file() and (site / ".nojekyll").is_file()
    assert broken_links(site) == []


def test_article_pages_have_titles_dates_and_no_residue(seed_project, cli):
    assert cli(seed_project, "build").status == 0
    pages = html_pages(seed_project / "site")
    for path, html in pages.items():
        text = visible_text(html)
        for residue in ("Image:", "More on the", "Highlights", "(*With information"):
            assert residue not in text, f"{residue!r} on {path}"
    articles = {p: h for p, h in pages.items() if p.startswith("articles/") and p != "articles/index.html"}
    for path, html in articles.items():
        title = re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1)
        assert 10 <= len(title) <= 90 and not title.startswith("date "), path
    dated = [p for p, h in articles.items() if '<time datetime="2021-10-05">5 October 2021</time>' in h]
    assert len(dated) == 2
    truncated = [p for p, h in articles.items() if "The source text ends here." in h]
    assert truncated == ["articles/russian-crew-blasts-off-to-film-first-film-in-space/index.html"]
    assert "from the</p>" in articles[truncated[0]]


def test_every_link_resolves_under_a_project_base_path(seed_project, cli):
    result = cli(seed_project, "build", "--base-url", "https://example.github.io/first-film/")
    assert result.status == 0, result.err
    site = seed_project / "site"
    assert broken_links(site, "/first-film/") == []
    home = (site / "index.html").read_text("utf-8")
    assert 'href="/first-film/articles/"' in home
    assert '<link rel="canonical" href="https://example.github.io/first-film/">' in home
    assert re.search(r'href="/first-film/assets/style\.[0-9a-f]{10}\.css"', home)


def test_two_builds_are_byte_identical(seed_project, tmp_path, cli):
    assert cli(seed_project, "build", "--out", str(tmp_path / "one")).status == 0
    assert cli(seed_project, "build", "--out", str(tmp_path / "two")).status == 0
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_build_output_does_not_depend_on_the_clock_or_hash_seed(seed_project, tmp_path):
    import os
    import subprocess
    import sys

    outputs = []
    for seed, epoch in (("1", "0"), ("2", "1700000000")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": epoch}
        out = tmp_path / f"site-{seed}"
        proc = subprocess.run([sys.executable, str(REPO / "build.py"), "--project", str(seed_project),
                               "build", "--out", str(out)], env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        outputs.append(snapshot(out))
    assert outputs[0] == outputs[1]


def test_failed_build_leaves_the_last_good_site_exactly_as_it_was(seed_project, cli):
    assert cli(seed_project, "build").status == 0
    before = snapshot(seed_project / "site")
    broken = seed_project / "content" / "articles" / "broken.md"
    broken.write_text("---\ntitle: Broken\ndate: [2021\n---\n\nText.\n", "utf-8")
    result = cli(seed_project, "build")
    assert result.status == 1
    assert result.err == (
        "content/articles/broken.md:3: invalid YAML in front matter: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts here)\n"
        "  hint: check the indentation and quote values that contain ': ' or start with a symbol\n")
    assert snapshot(seed_project / "site") == before
    leftovers = [p.name for p in seed_project.iterdir() if p.name.startswith(".site")]
    assert leftovers == []


def test_build_replaces_the_site_so_removed_pages_disappear(seed_project, cli):
    assert cli(seed_project, "build").status == 0
    victim = next((seed_project / "content" / "articles").glob("russian-team*.md"))
    text = victim.read_text("utf-8").replace("title:", "draft: true\ntitle:", 1)
    victim.write_text(text, "utf-8")
    assert cli(seed_project, "build").status == 0
    assert not (seed_project / "site" / "articles" / victim.stem).exists()
    assert victim.stem not in (seed_project / "site" / "articles" / "index.html").read_text("utf-8")


def test_build_refuses_to_replace_a_folder_it_did_not_build(seed_project, cli):
    precious = seed_project / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine", "utf-8")
    result = cli(seed_project, "build", "--out", str(precious))
    assert result.status == 2
    assert "refusing to replace" in result.err and "not a site built by this tool" in result.err
    assert (precious / "notes.txt").read_text("utf-8") == "mine"
    result = cli(seed_project, "build", "--out", str(seed_project))
    assert result.status == 2 and "that would replace" in result.err


# --------------------------------------------------------------------------- editors own content/


def test_import_never_overwrites_and_knows_renamed_files_by_their_seed_field(seed_project, cli):
    articles = seed_project / "content" / "articles"
    before = snapshot(articles)
    first = sorted(articles.glob("*.md"))[0]
    renamed = articles / "renamed-by-an-editor.md"
    first.rename(renamed)
    text = renamed.read_text("utf-8")
    renamed.write_text(re.sub(r"^title: .*$", "title: An editor's own title", text, count=1, flags=re.M), "utf-8")
    result = cli(seed_project, "import")
    assert result.status == 0
    assert result.out == "nothing to import: every seed is imported already (see seeds/imported.toml)\n"
    assert sorted(p.name for p in articles.glob("*.md")) == sorted(
        [n for n in before if n != first.name] + ["renamed-by-an-editor.md"])
    assert "title: An editor's own title" in renamed.read_text("utf-8")


def test_import_writes_new_seeds_beside_existing_files_without_touching_them(tmp_path, cli):
    text = "Crew launches\n\nThe crew launched to the station on time today.\n"
    project = make_project(tmp_path / "p", {
        "seeds/one.txt": text,
        "content/articles/crew-launches.md": article("Someone else's article about the crew"),
    })
    existing = (project / "content/articles/crew-launches.md").read_bytes()
    result = cli(project, "import")
    assert result.status == 0
    assert result.out == "imported seeds/one.txt -> content/articles/crew-launches-2.md\n"
    assert (project / "content/articles/crew-launches.md").read_bytes() == existing


def test_import_force_regenerates_one_file_in_place(seed_project, cli):
    articles = seed_project / "content" / "articles"
    target = next(p for p in articles.glob("*.md") if "seed: 003_" in p.read_text("utf-8"))
    others = {p.name: p.read_bytes() for p in articles.glob("*.md") if p != target}
    edited = target.read_bytes()
    result = cli(seed_project, "import", "--force", "seeds/003_d6db8baa69644283.txt")
    assert result.status == 0
    assert result.out.startswith(f"--- content/articles/{target.name} (now)\n")  # what it replaces, as a diff
    assert f"imported seeds/003_d6db8baa69644283.txt -> content/articles/{target.name}\n" in result.out
    assert target.with_name(target.name + ".bak").read_bytes() == edited  # the editor's file, kept
    assert target.read_text("utf-8") == (REPO / "tests/golden/003_d6db8baa69644283.md").read_text("utf-8")
    assert {p.name: p.read_bytes() for p in articles.glob("*.md") if p != target} == others


def test_an_article_deleted_by_an_editor_is_not_imported_again(tmp_path, cli):
    project = make_project(tmp_path / "p", {"seeds/one.txt": "Crew lands\n\nThe crew landed in Kazakhstan.\n"})
    first = cli(project, "build")
    assert first.out.startswith("imported seeds/one.txt -> content/articles/crew-lands.md\n")
    ledger = (project / "seeds/imported.toml").read_bytes()
    (project / "content/articles/crew-lands.md").unlink()
    result = cli(project, "build")
    assert result.status == 0, result.err
    assert "imported" not in result.out and not (project / "content/articles/crew-lands.md").exists()
    assert (project / "seeds/imported.toml").read_bytes() == ledger
    assert "nothing to import" in cli(project, "import").out
    again = cli(project, "import", "--force", "seeds/one.txt")
    assert again.out.endswith("imported seeds/one.txt -> content/articles/crew-lands.md\n")
    assert "+title: Crew lands" in again.out and not list((project / "content/articles").glob("*.bak"))


def test_a_project_without_a_ledger_records_the_seeds_its_articles_came_from(seed_project, cli):
    ledger = seed_project / "seeds/imported.toml"
    committed = ledger.read_bytes()
    ledger.unlink()
    result = cli(seed_project, "build")
    assert result.status == 0, result.err
    assert result.out.count("recorded seeds/") == 5 and "imported seeds/" not in result.out
    assert ledger.read_bytes() == committed  # the same file as the one in this repository
    assert "recorded" not in cli(seed_project, "build").out


def test_a_failed_build_imports_nothing(seed_project, cli):
    articles = seed_project / "content/articles"
    before, ledger = snapshot(articles), (seed_project / "seeds/imported.toml").read_bytes()
    (seed_project / "seeds/new.txt").write_text("Crew lands\n\nThe crew landed in Kazakhstan.\n", "utf-8")
    (seed_project / "content/pages/broken.md").write_text("---\ntitle: [\n---\n", "utf-8")
    result = cli(seed_project, "build")
    assert result.status == 1 and result.out == ""
    assert snapshot(articles) == before and (seed_project / "seeds/imported.toml").read_bytes() == ledger
    (seed_project / "content/pages/broken.md").unlink()
    result = cli(seed_project, "build")
    assert result.status == 0 and result.out.startswith("imported seeds/new.txt -> content/articles/crew-lands.md\n")
    ledger = (seed_project / "seeds/imported.toml").read_text("utf-8")
    assert '"new.txt" = { article = "content/articles/crew-lands.md"' in ledger


def test_a_site_that_cannot_be_written_takes_its_imported_articles_back(seed_project, cli, monkeypatch):
    import microsite.pipeline

    def full_disk(*args, **kwargs):
        raise MicrositeError("site: cannot write the site: No space left on device")

    articles = seed_project / "content/articles"
    before, ledger = snapshot(articles), (seed_project / "seeds/imported.toml").read_bytes()
    (seed_project / "seeds/new.txt").write_text("Crew lands\n\nThe crew landed in Kazakhstan.\n", "utf-8")
    monkeypatch.setattr(microsite.pipeline, "write_site", full_disk)
    result = cli(seed_project, "build")
    assert result.status == 1 and "No space left on device" in result.err
    assert snapshot(articles) == before and (seed_project / "seeds/imported.toml").read_bytes() == ledger


def test_a_broken_ledger_is_an_error_with_its_line(seed_project, cli):
    (seed_project / "seeds/imported.toml").write_text("[imported]\n\"a.txt\" = {\n", "utf-8")
    result = cli(seed_project, "build")
    assert result.status == 1
    assert result.err.startswith("seeds/imported.toml:2: invalid TOML: ")


def test_import_force_of_an_unknown_seed_is_a_usage_error(seed_project, cli):
    result = cli(seed_project, "import", "--force", "nope.txt")
    assert result.status == 2
    assert "no seed named 'nope.txt' in seeds/" in result.err


def test_empty_seed_is_an_error_and_the_other_seeds_still_import(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "seeds/a-empty.txt": "",
        "seeds/b-good.txt": "Crew launches\n\nThe crew launched to the station on time today.\n",
    })
    result = cli(project, "import")
    assert result.status == 1
    assert result.out == "imported seeds/b-good.txt -> content/articles/crew-launches.md\n"
    assert result.err == "seeds/a-empty.txt: seed is empty\n  hint: add the article text or remove the file\n"


def test_unreadable_seed_is_an_error_naming_the_file(tmp_path, cli):
    import os

    if os.geteuid() == 0:  # root reads every file; make the "file" unreadable another way
        project = make_project(tmp_path / "p", {"seeds/b-good.txt": "Crew launches\n\nThe crew launched.\n"})
        (project / "seeds" / "a-bad.txt").mkdir()  # a folder named like a seed cannot be read
    else:
        project = make_project(tmp_path / "p", {"seeds/a-bad.txt": "x", "seeds/b-good.txt": "Crew\n\nText.\n"})
        (project / "seeds" / "a-bad.txt").chmod(0)
    result = cli(project, "import")
    assert result.status == 1
    assert result.err.startswith(("seeds/a-bad.txt: cannot read: ", "seeds/a-bad.txt: is a folder, not a regular file"))
    assert result.out.startswith("imported seeds/b-good.txt -> ")  # the import command imports the good ones


# --------------------------------------------------------------------------- exact error texts


def test_broken_yaml_front_matter(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/bad.md": "---\ntitle: Fine\nsummary: this: is: not: yaml\n---\n\nText.\n"})
    result = cli(project, "build")
    assert result.status == 1
    assert result.err == (
        "content/articles/bad.md:3: invalid YAML in front matter: mapping values are not allowed in this context\n"
        "  hint: check the indentation and quote values that contain ': ' or start with a symbol\n")
    assert not (project / "site").exists()


def test_missing_title(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/untitled.md": "---\nsummary: No title\n---\n\nText.\n"})
    result = cli(project, "build")
    assert result.status == 1
    assert result.err == (
        "content/articles/untitled.md:1: missing title: every article needs a non-empty 'title'\n"
        "  hint: add a line 'title: ...' to the front matter\n")


def test_invalid_date(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/when.md": article("When", date="2021-13-45")})
    result = cli(project, "build")
    assert result.status == 1
    assert result.err == (
        "content/articles/when.md:3: 'date' is not a real date ('2021-13-45': month must be in 1..12)\n")


def test_two_files_claiming_one_url(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/launch.md": article("Launch", date="2021-10-05"),
        "content/articles/other.md": article("Other", slug="launch", date="2021-10-05"),
        "content/pages/articles.md": article("Articles page"),
    })
    result = cli(project, "build")
    assert result.status == 1
    assert result.err == (
        "content/articles/other.md:3: claims the URL /articles/launch/, which content/articles/launch.md already uses\n"
        "  hint: rename the file or set a different 'slug:' in its front matter\n"
        "content/pages/articles.md:1: claims the URL /articles/, which the articles index already uses\n"
        "  hint: rename the file or set a different 'slug:' in its front matter\n")


def test_every_problem_is_reported_in_one_run(tmp_path, cli):
    project = make_project(tmp_path / "p", {
        "content/articles/a.md": article("A", titel="typo"),
        "content/articles/b.md": article("B", date="yesterday", draft="maybe"),
    })
    result = cli(project, "check")
    assert result.status == 1
    assert result.err == (
        "content/articles/a.md:3: unknown front matter field 'titel'\n"
        "  hint: did you mean 'title'? known fields: agency, credit, date, dateline, draft, image, kicker, label, "
        "language, links, people, redirect_from, seed, slug, source, summary, title, topics, truncated\n"
        "content/articles/b.md:3: 'date' must be a date written YYYY-MM-DD (or YYYY-MM when only the month is "
        "known), not 'yesterday'\n"
        "content/articles/b.md:4: 'draft' must be true or false, not 'maybe'\n"
        "check: 3 error(s), 0 warning(s)\n")


def test_errors_print_no_traceback_from_the_real_script(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/bad.md": "---\ntitle: [unclosed\n---\n"})
    result = run_script(project, "build")
    assert result.status == 1
    assert "Traceback" not in result.err
    assert result.err.startswith("content/articles/bad.md:")


def test_no_command_builds_like_build(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A")})
    result = run_script(project)  # the README's quick start: python build.py
    assert result.status == 0, result.err
    assert result.out.startswith("built ") and (project / "site" / "articles" / "a" / "index.html").is_file()


def test_wrong_usage_exits_2(tmp_path):
    project = make_project(tmp_path / "p")
    assert run_script(project, "frobnicate").status == 2
    result = run_script(project, "build", "--base-url", "not a url")
    assert result.status == 2
    assert "--base-url 'not a url' is not an absolute http(s) URL" in result.err


def test_unknown_configuration_key_is_an_error_with_its_line(tmp_path, cli):
    pyproject = '[tool.microsite]\ntitle = "T"\nbase_urll = "https://x.org/"\n'
    project = make_project(tmp_path / "p", pyproject=pyproject)
    result = cli(project, "build")
    assert result.status == 1
    assert result.err == (
        "pyproject.toml:3: unknown key 'base_urll' in [tool.microsite]\n"
        "  hint: did you mean 'base_url'? known keys: author, base_url, description, language, page_size, "
        "residue_patterns, search, share_cards, skip_seeds, title\n")


def test_check_writes_nothing(seed_project, cli):
    (seed_project / "seeds" / "new.txt").write_text("New headline\n\nNew text here.\n", "utf-8")
    before = snapshot(seed_project)
    result = cli(seed_project, "check")
    assert result.status == 0, result.err
    assert snapshot(seed_project) == before


def test_template_error_names_the_template_and_line(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", date="2021-10-05")})
    (project / "templates" / "404.html").write_text('{% extends "base.html" %}\n{% block main %}\n{{ nope }}\n'
                                                    '{% endblock %}\n', "utf-8")
    result = cli(project, "build")
    assert result.status == 1
    assert result.err.startswith("templates/404.html:3: template error: 'nope' is undefined\n")
    (project / "templates" / "404.html").write_text("{% block main %}\n{% if %}\n", "utf-8")
    result = cli(project, "build")
    assert result.err.startswith("templates/404.html:2: template syntax error: ")


def test_every_link_resolves_under_a_base_path_that_needs_encoding(seed_project, cli):
    """Non-ASCII in the base path is %-encoded once, in base_url, so every href carries it encoded."""
    result = cli(seed_project, "build", "--base-url", "https://example.github.io/première+film")
    assert result.status == 0, result.err
    assert " for https://example.github.io/premi%C3%A8re+film/ in " in result.out
    site = seed_project / "site"
    assert broken_links(site, "/premi%C3%A8re+film/") == []
    home = (site / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.github.io/premi%C3%A8re+film/">' in home
    assert 'href="/premi%C3%A8re+film/articles/"' in home


def test_a_fault_of_the_importer_on_one_text_is_an_error_naming_it_not_a_traceback(tmp_path, cli, monkeypatch):
    import microsite.seeds

    real = microsite.seeds.parse_seed

    def faulty(name, data, residue_patterns=()):
        if name == "bad.txt":
            raise ValueError("Unknown language(s): 'xx'")
        return real(name, data, residue_patterns)

    monkeypatch.setattr(microsite.seeds, "parse_seed", faulty)
    project = make_project(tmp_path / "p", {"seeds/bad.txt": "Crew lands\n\nThe crew landed in Kazakhstan.\n",
                                            "seeds/good.txt": "Crew launches\n\nThe crew launched on time today.\n"})
    result = cli(project, "build")
    assert result.status == 1
    assert "Traceback" not in result.err
    assert "seeds/bad.txt: import failed on this text (ValueError: " in result.err
    assert "skip_seeds" in result.err
    assert not (project / "content").exists() or not list((project / "content").rglob("*.md"))
