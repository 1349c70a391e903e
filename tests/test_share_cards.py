"""Every page shares its own card: drawn at build time from the page's title and kicker,
kept between builds by content, and copied into the site."""

from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from conftest import article, copy_seed_project, make_project
from microsite.cli import main
from microsite.render import card_site_name

BASE = "https://example.github.io/first-film/"


class Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")


def meta_of(page: Path) -> dict[str, str]:
    parser = Meta()
    parser.feed(page.read_text("utf-8"))
    return parser.meta


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cards")
    copy_seed_project(root)
    assert main(["--project", str(root), "build", "--base-url", BASE]) == 0
    return root


def test_every_page_has_its_own_card_and_it_is_a_1200_by_630_jpeg(seed_site):
    site = seed_site / "site"
    pages = sorted(p for p in site.rglob("index.html") if "pagefind" not in p.parts)
    images: dict[str, Path] = {}
    for page in pages:
        meta = meta_of(page)
        image = meta["og:image"]
        assert image.startswith(BASE) and image.endswith("/card.jpg"), page
        assert meta["twitter:image"] == image and meta["og:image:type"] == "image/jpeg"
        assert meta["og:image:alt"] == meta["og:title"]
        url = "/" + page.relative_to(site).parent.as_posix() + "/"
        images[url.replace("//", "/")] = site / image[len(BASE):]
    first_pages = {url: path for url, path in images.items() if "/page/" not in url}
    # one card per page (further pages of a list share the first page's)
    assert len(set(first_pages.values())) == len(first_pages)
    for path in set(images.values()):
        with Image.open(path) as card:
            assert (card.format, card.size) == ("JPEG", (1200, 630)), path


def test_a_card_says_what_its_page_is(seed_site):
    """The card's pixels differ where its page's title does: checked on two articles' cards
    against a card drawn for each title directly."""
    from microsite import imaging
    from microsite.render import card_font

    font = card_font(seed_site / "templates")
    site = seed_site / "site"
    for slug, title in (("russian-actress-and-director-fly-to-iss",
                         "Russian actress and director fly to the ISS to shoot the first film in space"),):
        built = (site / "articles" / slug / "card.jpg").read_bytes()
        expected = imaging.share_card(title, "News report · Soyuz MS-19 launch",
                                      card_site_name("The Challenge: the first feature film shot in orbit"), font)
        assert built == expected


def test_cards_are_drawn_again_only_for_pages_whose_card_changed(tmp_path):
    files = {f"content/articles/a{i}.md": article(f"Report {i}", "Text.", date=f"2021-10-0{i}") for i in range(1, 4)}
    project = make_project(tmp_path / "p", files)
    assert main(["--project", str(project), "build"]) == 0
    folder = project / ".cache" / "microsite" / "cards"
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.jpg")}
    assert len(before) >= 3 + 6  # the articles, the home page, the indexes and search
    (project / "content/articles/a2.md").write_text(article("Report two, renamed", "Text.", date="2021-10-02"),
                                                    "utf-8")
    assert main(["--project", str(project), "build"]) == 0
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.jpg")}
    assert len(set(after) - set(before)) == 1  # only the renamed article's card is new
    assert all(after[name] == before[name] for name in set(after) & set(before))  # the others were kept
    assert len(after) == len(before)  # and its old card was forgotten
    shown = (project / "site/articles/a2/card.jpg").read_bytes()
    assert shown == (folder / (set(after) - set(before)).pop()).read_bytes()


def test_the_preview_draws_every_card_again_when_the_theme_font_is_replaced(tmp_path):
    """serve reuses the last build's card outputs while nothing they depend on changed; a new
    font under the same file name is such a change, and each card then equals a clean build's."""
    import shutil

    from microsite import imaging
    from microsite.pipeline import Builder, with_drafts
    from microsite.serve import scan
    other = next((f for f in imaging.FALLBACK_FONTS if f.name == "DejaVuSans-Bold.ttf" and f.is_file()), None)
    if other is None and os.environ.get("MICROSITE_REQUIRE_TOOLS") != "1":
        pytest.skip("DejaVu Sans Bold is not installed (CI, which sets MICROSITE_REQUIRE_TOOLS=1, installs it)")
    assert other is not None, "DejaVu Sans Bold is needed (.ci/run installs fonts-dejavu-core)"
    files = {f"content/articles/a{i}.md": article(f"Report {i} on the launch", "Text.", date=f"2021-10-0{i}")
             for i in range(1, 4)}
    project = make_project(tmp_path / "p", files)
    preview = tmp_path / "preview"
    builder = Builder(project, preview, configure=with_drafts, search=False, in_place=True, save_every_build=False)
    builder.build(scan(project, preview).listing)
    card = preview / "articles" / "a1" / "card.jpg"
    before = card.read_bytes()
    page = files["content/articles/a1.md"]
    (project / "content/articles/a1.md").write_text(page.replace("Text.", "More text."), "utf-8")
    builder.build(scan(project, preview).listing)  # text only: every card as it was
    assert card.read_bytes() == before
    font = project / "templates" / "assets" / "fonts" / "space-grotesk-latin-wght-normal.woff2"
    shutil.copyfile(other, font)
    builder.build(scan(project, preview).listing)
    assert card.read_bytes() != before
    assert main(["--project", str(project), "build", "--drafts", "--no-cache", "--out", str(tmp_path / "clean")]) == 0
    for path in sorted(preview.rglob("card.jpg")):
        assert path.read_bytes() == (tmp_path / "clean" / path.relative_to(preview)).read_bytes(), path


def test_a_build_without_the_cache_draws_the_same_cards(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    assert main(["--project", str(project), "build"]) == 0
    cached = (project / "site/articles/a/card.jpg").read_bytes()
    assert main(["--project", str(project), "build", "--no-cache", "--out", str(tmp_path / "fresh")]) == 0
    assert (tmp_path / "fresh/articles/a/card.jpg").read_bytes() == cached
    with Image.open(io.BytesIO(cached)) as card:
        assert card.size == (1200, 630)


def test_editing_the_built_card_never_reaches_the_cache(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    assert main(["--project", str(project), "build"]) == 0
    built = project / "site/articles/a/card.jpg"
    kept = {p.read_bytes() for p in (project / ".cache/microsite/cards").glob("*.jpg")}
    built.write_bytes(b"scribbled over")
    assert {p.read_bytes() for p in (project / ".cache/microsite/cards").glob("*.jpg")} == kept


@pytest.mark.parametrize(("title", "shown"), [
    ("The Challenge: the first feature film shot in orbit", "The Challenge"),
    ("Orbit notes", "Orbit notes"),
    ("A: b", "A: b"),
])
def test_the_cards_footer_names_the_site_briefly(title, shown):
    assert card_site_name(title) == shown


def test_a_theme_without_fonts_shares_its_one_card(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")})
    for font in (project / "templates/assets/fonts").glob("*"):
        font.unlink()
    base = (project / "templates/base.html").read_text("utf-8")
    (project / "templates/base.html").write_text(re.sub(r'<link rel="preload"[^>]*>\n', "", base), "utf-8")
    style = (project / "templates/assets/style.css").read_text("utf-8")
    (project / "templates/assets/style.css").write_text(re.sub(r"url\(fonts/[^)]*\)", "local(x)", style), "utf-8")
    assert main(["--project", str(project), "build"]) == 0
    meta = meta_of(project / "site/articles/a/index.html")
    assert "/assets/social-card." in meta["og:image"] and meta["og:image:type"] == "image/png"
    assert not list((project / "site").rglob("card.jpg"))


def test_share_cards_can_be_turned_off(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")},
                           pyproject='[tool.microsite]\ntitle = "T"\nshare_cards = false\n')
    assert main(["--project", str(project), "build"]) == 0
    meta = meta_of(project / "site/articles/a/index.html")
    assert "/assets/social-card." in meta["og:image"] and not list((project / "site").rglob("card.jpg"))


def test_share_cards_must_be_true_or_false(tmp_path, cli):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("Report", "Text.")},
                           pyproject='[tool.microsite]\ntitle = "T"\nshare_cards = "yes"\n')
    result = cli(project, "check")
    assert result.status == 1 and "[tool.microsite] share_cards must be true or false" in result.err
