"""Incremental and parallel builds give exactly what a clean, serial build gives."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

import microsite.parallel as parallel
from conftest import REPO, snapshot
from microsite.cli import main
from microsite.pipeline import Builder, with_drafts
from microsite.serve import scan

sys.path.insert(0, str(REPO / "bench"))
from corpus import write_project  # noqa: E402


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_project(tmp_path / "site", 60, 12, seed=3)


def clean_build(project: Path, out: Path) -> dict[str, bytes]:
    assert main(["--project", str(project), "build", "--no-cache", "--out", str(out)]) == 0
    return snapshot(out)


def without_search(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items() if not path.startswith("pagefind/")}


class Editor:
    """Random edits of every kind an editor makes, reproducible from a seed."""

    def __init__(self, project: Path, seed: int):
        self.project = project
        self.rng = random.Random(seed)
        self.counter = 0

    def articles(self) -> list[Path]:
        return sorted((self.project / "content" / "articles").glob("*.md"))

    def entities(self) -> list[Path]:
        return sorted([*(self.project / "content" / "people").glob("*.md"),
                       *(self.project / "content" / "topics").glob("*.md")])

    def step(self) -> str:
        self.counter += 1
        action = self.rng.choice([
            self.edit_body, self.edit_title, self.edit_date, self.add_article, self.delete_article,
            self.rename_article, self.add_alias, self.rename_entity, self.delete_entity, self.add_entity,
            self.edit_template_main, self.edit_template_chrome, self.edit_config, self.edit_css,
        ])
        return action()

    def _pick(self, paths: list[Path]) -> Path:
        return self.rng.choice(paths)

    def _replace(self, path: Path, pattern: str, replacement: str) -> None:
        text = path.read_text("utf-8")
        path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE), "utf-8")

    def edit_body(self) -> str:
        path = self._pick(self.articles())
        name = self.rng.choice(["Oleg Volkov", "Volkov", "Anton Sokolov", "Lebedev Station", "nobody at all"])
        path.write_text(path.read_text("utf-8") + f"\nEdit {self.counter} mentions {name}.\n", "utf-8")
        return f"body of {path.name}"

    def edit_title(self) -> str:
        path = self._pick(self.articles())
        self._replace(path, r"^title: .*$", f"title: Retitled by edit {self.counter}")
        return f"title of {path.name}"

    def edit_date(self) -> str:
        path = self._pick(self.articles())
        self._replace(path, r"^date: .*$", f"date: 2021-11-{1 + self.counter % 28:02d}")
        return f"date of {path.name}"

    def add_article(self) -> str:
        path = self.project / "content" / "articles" / f"added-{self.counter}.md"
        path.write_text(f"---\ntitle: Added {self.counter}\ndate: 2021-09-{1 + self.counter % 28:02d}\n---\n\n"
                        "Oleg Volkov and Lebedev Station again, with *emphasis*.\n", "utf-8")
        return f"added {path.name}"

    def delete_article(self) -> str:
        path = self._pick(self.articles())
        path.unlink()
        return f"deleted {path.name}"

    def rename_article(self) -> str:
        path = self._pick(self.articles())
        path.rename(path.with_name(f"renamed-{self.counter}.md"))
        return f"renamed {path.name}"

    def add_alias(self) -> str:
        path = self._pick(self.entities())
        self._replace(path, r"^aliases:$", f"aliases:\n- Alias{self.counter}")
        return f"alias in {path.name}"

    def rename_entity(self) -> str:
        path = self._pick(self.entities())
        self._replace(path, r"^name: (.*)$", rf"name: \1 the {self.counter}th")
        return f"name of {path.name}"

    def delete_entity(self) -> str:
        path = self._pick(self.entities())
        path.unlink()
        return f"deleted {path.name}"

    def add_entity(self) -> str:
        path = self.project / "content" / "people" / f"new-person-{self.counter}.md"
        path.write_text(f"---\nname: New Person {self.counter}\naliases:\n- Newcomer{self.counter}\n"
                        "role: Synthetic\n---\n\nNew.\n", "utf-8")
        article = self._pick(self.articles())
        article.write_text(article.read_text("utf-8") + f"\nNewcomer{self.counter} arrived.\n", "utf-8")
        return f"added {path.name}, named in {article.name}"

    def edit_template_main(self) -> str:
        path = self.project / "templates" / self.rng.choice(["article.html", "entity.html", "articles.html"])
        self._replace(path, r"{% block main %}", f"{{% block main %}}<!-- edit {self.counter} -->")
        return f"template {path.name} (inside main)"

    def edit_template_chrome(self) -> str:
        self._replace(self.project / "templates" / "base.html", r"</footer>", f"<!-- edit {self.counter} --></footer>")
        return "template base.html (footer)"

    def edit_config(self) -> str:
        path = self.project / "pyproject.toml"
        if self.rng.random() < 0.5:
            self._replace(path, r'^title = ".*"$', f'title = "Synthetic corpus {self.counter}"')
        else:
            text = path.read_text("utf-8")
            text = re.sub(r"^page_size = \d+\n", "", text, flags=re.MULTILINE)
            size = 5 + self.counter % 7
            path.write_text(text.replace("[tool.microsite]\n", f"[tool.microsite]\npage_size = {size}\n"), "utf-8")
        return "configuration"

    def edit_css(self) -> str:
        path = self.project / "templates" / "assets" / "style.css"
        path.write_text(path.read_text("utf-8") + f"\n/* edit {self.counter} */\n", "utf-8")
        return "style.css"


def test_random_edits_build_incrementally_to_exactly_a_clean_build(corpus, tmp_path):
    editor = Editor(corpus, seed=11)
    preview = Builder(corpus, tmp_path / "preview", configure=with_drafts, search=False, in_place=True,
                      save_every_build=False)
    preview.build()
    incremental = tmp_path / "incremental"
    assert main(["--project", str(corpus), "build", "--out", str(incremental)]) == 0
    for step in range(10):
        done = editor.step()
        # The build command, restarting from its cache in .cache/microsite/ every time.
        assert main(["--project", str(corpus), "build", "--out", str(incremental)]) == 0, done
        fresh = clean_build(corpus, tmp_path / f"clean-{step}")
        assert snapshot(incremental) == fresh, f"step {step}: {done}"
        # The long-lived builder of serve, in memory, updating files in place (drafts: none
        # here), given the listing of the inputs as serve's watcher gives it.
        preview.build(scan(corpus, tmp_path / "preview").listing)
        assert without_search(snapshot(tmp_path / "preview")) == without_search(fresh), f"step {step}: {done}"


def test_a_text_only_edit_patches_the_last_load_and_anything_more_loads_the_whole_site(corpus, tmp_path,
                                                                                      monkeypatch):
    """serve's load keeps the last site and puts in the articles whose text alone changed; an
    edit that changes more (front matter, a warning, another kind of file) loads everything.
    Each step equals a clean build."""
    import microsite.content as content
    whole: list[int] = []
    real = content._load_whole
    monkeypatch.setattr(content, "_load_whole", lambda *args: whole.append(1) or real(*args))
    preview = tmp_path / "preview"
    builder = Builder(corpus, preview, configure=with_drafts, search=False, in_place=True, save_every_build=False)
    builder.build(scan(corpus, preview).listing)
    articles = sorted((corpus / "content" / "articles").glob("*.md"))
    first, second = articles[3], articles[8]
    plain = corpus / "content" / "articles" / "plain.md"
    steps = [
        ("text of one article", True, lambda: first.write_text(first.read_text("utf-8") + "\nMore text.\n", "utf-8")),
        ("text of two articles", True, lambda: [a.write_text(a.read_text("utf-8") + "\nOleg Volkov again.\n", "utf-8")
                                                for a in (first, second)]),
        ("a new article", False,
         lambda: plain.write_text("---\ntitle: Plain\ndate: 2021-10-20\n---\n\nText.\n", "utf-8")),
        # Windows-1252 bytes: the file loads with a warning it did not have
        ("text in another encoding", False, lambda: plain.write_bytes(plain.read_bytes() + b"\n\x93Quoted\x94\n")),
        ("the same bytes, saved again", True, lambda: plain.write_bytes(plain.read_bytes())),
        ("front matter", False, lambda: first.write_text(first.read_text("utf-8").replace("title: ", "title: New ", 1),
                                                          "utf-8")),
        ("a person's page", False, lambda: next((corpus / "content" / "people").glob("*.md")).write_text(
            "---\nname: Someone Else\n---\n\nText.\n", "utf-8")),
        ("nothing", True, lambda: None),
    ]
    for n, (what, patched, edit) in enumerate(steps):
        edit()
        whole.clear()
        builder.build(scan(corpus, preview).listing)
        assert (not whole) == patched, what
        fresh = clean_build(corpus, tmp_path / f"clean-{n}")
        assert without_search(snapshot(preview)) == without_search(fresh), what


def test_parallel_and_serial_builds_are_identical(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    parallel_files = clean_build(corpus, tmp_path / "parallel")
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    assert clean_build(corpus, tmp_path / "serial") == parallel_files


def test_progress_bar_only_on_a_terminal(capsys):
    class Terminal:
        def __init__(self):
            self.text = ""

        def isatty(self):
            return True

        def write(self, text):
            self.text += text

        def flush(self):
            pass

    terminal = Terminal()
    bar = parallel.Progress("converting", 400, terminal)
    bar(200)
    bar.done()
    assert "converting [" in terminal.text and "200/400" in terminal.text
    quiet = parallel.Progress("converting", 400)  # stderr is not a terminal under pytest
    quiet(200)
    assert capsys.readouterr().err == ""
