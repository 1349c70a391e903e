"""Editors' pictures: files in content/, shown through Markdown or an ``image:`` field,
built into responsive WebP and fallback renditions with their size, alt text required."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from conftest import article, make_project, snapshot
from microsite.cli import main

BASE = "https://example.github.io/first-film/"
PYPROJECT = f'[tool.microsite]\ntitle = "Pictures"\nbase_url = "{BASE}"\n'


def scene(size: tuple[int, int], colour: tuple[int, int, int] = (30, 60, 140)) -> Image.Image:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill=(242, 169, 59))
    return image


def encoded(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def rotated_jpeg() -> bytes:
    """A 1200x800 JPEG whose EXIF says: turn me a quarter, I am 800x1200."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return encoded(scene((1200, 800)), "JPEG", exif=exif)


def logo() -> bytes:
    image = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((50, 50, 250, 250), fill=(242, 169, 59, 255))
    return encoded(image, "PNG")


FIVE = {
    "content/images/launch.jpg": lambda: encoded(scene((2400, 1600)), "JPEG", quality=85),
    "content/images/portrait.jpg": rotated_jpeg,
    "content/images/station.webp": lambda: encoded(scene((1700, 1000), (10, 20, 60)), "WEBP"),
    "content/images/mark.png": logo,
    "content/images/pad.gif": lambda: encoded(scene((300, 200)), "GIF"),
}


def with_image(text: str, src: str, alt: str = "What it shows", **extra: str) -> str:
    fields = f"image:\n  src: {src}\n" + (f"  alt: {alt}\n" if alt else "") + "".join(
        f"  {key}: {value}\n" for key, value in extra.items())
    return text.replace("---\n\n", fields + "---\n\n", 1)


def picture_site(root: Path, extra: dict[str, str] | None = None) -> Path:
    files: dict[str, str | bytes] = {path: make() for path, make in FIVE.items()}
    files.update({
        "content/articles/launch.md": with_image(
            article("Launch", "The rocket rose.\n\n![The pad from the north](../images/pad.gif)\n", date="2021-10-05"),
            "../images/launch.jpg", "The rocket rising", caption="Lift-off.", credit="Editors"),
        "content/people/yulia-peresild.md": with_image("---\nname: Yulia Peresild\n---\n\nThe actress.\n",
                                                       "../images/portrait.jpg", "The actress in a flight suit"),
        "content/topics/iss.md": with_image("---\nname: International Space Station\n---\n\nThe station.\n",
                                            "../images/station.webp", "The station over the Earth"),
        "content/topics/roscosmos.md": with_image("---\nname: Roscosmos\n---\n\nThe agency.\n",
                                                  "../images/mark.png", "The agency's round mark"),
        **(extra or {}),
    })
    return make_project(root, files, pyproject=PYPROJECT)


def pictures_of(page: str) -> list[dict[str, dict[str, str]]]:
    """Each <picture> of a page: the attributes of its <source> and of its <img>."""
    found = []
    for block in re.findall(r"<picture>(.*?)</picture>", page, re.S):
        tags = re.findall(r"<(source|img)\s([^>]*)>", block)
        found.append({tag: dict(re.findall(r'([\w-]+)="([^"]*)"', attrs)) for tag, attrs in tags})
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = picture_site(tmp_path_factory.mktemp("pictures") / "p")
    assert main(["--project", str(project), "build"]) == 0
    return project


PAGES = {"articles/launch/index.html": 2, "people/yulia-peresild/index.html": 1, "topics/iss/index.html": 1,
         "topics/roscosmos/index.html": 1}


def test_five_pictures_become_responsive_images_with_their_size(built):
    site = built / "site"
    seen = 0
    for page, count in PAGES.items():
        pictures = pictures_of((site / page).read_text("utf-8"))
        assert len(pictures) == count, page
        for found in pictures:
            source, img = found["source"], found["img"]
            assert source["type"] == "image/webp" and img["alt"]
            width, height = int(img["width"]), int(img["height"])
            for srcset, kind in ((source["srcset"], "WEBP"), (img["srcset"], None)):
                for url, w in re.findall(r"(\S+) (\d+)w", srcset):
                    assert url.startswith("/first-film/images/"), url
                    with Image.open(site / url[len("/first-film/"):]) as rendition:
                        assert rendition.width == int(w) and (kind is None or rendition.format == kind)
                        assert abs(rendition.height - round(height * int(w) / width)) <= 1  # aspect ratio kept
                        assert rendition.width <= width  # never enlarged
                        seen += 1
            assert (site / img["src"][len("/first-film/"):]).is_file()
    assert seen >= 5 * 2 * 2


def test_the_turned_portrait_is_upright_and_the_logo_keeps_its_transparency(built):
    site = built / "site"
    (portrait,) = pictures_of((site / "people/yulia-peresild/index.html").read_text("utf-8"))
    assert (portrait["img"]["width"], portrait["img"]["height"]) == ("800", "1200")
    (mark,) = pictures_of((site / "topics/roscosmos/index.html").read_text("utf-8"))
    assert mark["img"]["src"].endswith(".png")  # a see-through picture falls back to PNG, not JPEG
    assert pictures_of((site / "articles/launch/index.html").read_text("utf-8"))[0]["img"]["src"].endswith(".jpg")


def test_a_pages_own_picture_has_its_caption_and_loads_first(built):
    page = (built / "site/articles/launch/index.html").read_text("utf-8")
    lead = re.search(r'<figure class="lead-picture">(.*?)</figure>', page, re.S).group(1)
    assert 'loading="eager"' in lead and "<figcaption>Lift-off. <small class=\"caption-credit\">Editors</small>" in lead
    body = page[page.index('<div class="body prose"'):]
    assert 'loading="lazy"' in body.split("</picture>")[0]  # a picture in the text loads when it is near
    person = (built / "site/people/yulia-peresild/index.html").read_text("utf-8")
    assert '<figure class="infobox"><picture>' in person


def test_renditions_are_made_again_only_for_a_changed_picture(tmp_path):
    project = picture_site(tmp_path / "p")
    assert main(["--project", str(project), "build"]) == 0
    folder = project / ".cache/microsite/pictures"
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    (project / "content/images/pad.gif").write_bytes(encoded(scene((300, 200), (90, 20, 20)), "GIF"))
    assert main(["--project", str(project), "build"]) == 0
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    changed = set(after) - set(before)
    assert changed and all(name.startswith(next(iter(changed)).split(".")[0]) for name in changed)
    assert all(after[name] == before[name] for name in set(after) & set(before))
    assert len(after) == len(before)  # the old pad's renditions are gone from the cache
    page = (project / "site/articles/launch/index.html").read_text("utf-8")
    assert all(f"images/pad.{name.split('.')[0]}" in page for name in changed)


def test_the_same_pictures_build_to_the_same_bytes(tmp_path):
    project = picture_site(tmp_path / "p")
    for out in ("a", "b"):
        assert main(["--project", str(project), "build", "--no-cache", "--out", str(tmp_path / out)]) == 0
    first, second = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert first == second and any(path.startswith("images/") for path in first)


@pytest.mark.parametrize(("field", "line", "message"), [
    ("image:\n  src: ../images/launch.jpg\n", 4, "'image' needs 'alt': say what the picture shows"),
    ("image:\n  src: ../images/nowhere.jpg\n  alt: A picture\n", 4,
     "'image' field 'src' points at content/images/nowhere.jpg, which is not a picture in content/"),
    ("image:\n  src: https://example.org/a.jpg\n  alt: A picture\n", 4,
     "'image' field 'src' must be a JPEG, PNG, WebP or GIF file in content/"),
    ("image:\n  src: ../images/launch.jpg\n  alt: A picture\n  size: big\n", 6, "'image' has an unknown field 'size'"),
    ("image: launch.jpg\n", 3, "'image' must be a mapping with src and alt"),
])
def test_a_bad_image_field_is_an_error_on_its_line(tmp_path, cli, field, line, message):
    project = picture_site(tmp_path / "p", {
        "content/articles/bad.md": article("Bad", "Text.").replace("---\n\n", field + "---\n\n", 1)})
    result = cli(project, "check")
    assert result.status == 1
    assert f"content/articles/bad.md:{line}: {message}" in result.err, result.err


def test_a_picture_in_the_text_needs_alt_text_and_an_existing_file(tmp_path, cli):
    project = picture_site(tmp_path / "p", {
        "content/articles/bad.md": article("Bad", "One.\n\n![](../images/launch.jpg)\n\n"
                                                  "![Gone](../images/gone.png)\n")})
    result = cli(project, "check")
    assert result.status == 1
    assert "image '../images/launch.jpg' has no alt text" in result.err
    assert "shows the picture '../images/gone.png', but content/images/gone.png is not a picture file" in result.err


def test_a_file_that_is_no_picture_is_named_and_the_last_site_stays(tmp_path, cli):
    project = picture_site(tmp_path / "p")
    assert cli(project, "build").status == 0
    before = snapshot(project / "site")
    (project / "content/images/broken.jpg").write_bytes(b"\xff\xd8\xff this is no JPEG")
    result = cli(project, "build")
    assert result.status == 1
    assert "content/images/broken.jpg" in result.err and "not an image Pillow can read" in result.err
    assert "Traceback" not in result.err
    assert snapshot(project / "site") == before


def test_a_site_without_pictures_has_no_picture_markup_and_no_images_folder(tmp_path):
    project = make_project(tmp_path / "p", {"content/articles/a.md": article("A", "Text.")})
    assert main(["--project", str(project), "build"]) == 0
    site = project / "site"
    assert not (site / "images").exists()
    assert "<picture>" not in (site / "articles/a/index.html").read_text("utf-8")
