"""Import rules, one quirk of real news texts per test, on small strings."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest

from microsite.clipping import escape_markdown, parse_date_prefix, parse_seed, title_from_lede
from microsite.errors import ProjectError
from microsite.markup import Renderer

LEDE = "A filmmaker and an actress are joining a cosmonaut on a mission to the space station."
PARA = "The crew will stay for twelve days and shoot scenes aboard the station."


def seed(text: str, name: str = "x.txt", **kw) -> object:
    return parse_seed(name, text.encode("utf-8"), **kw)


def test_date_header_with_lede_on_the_same_line():
    draft = seed(f" date 2021-10-05 {LEDE} It is the first such flight.\n\n{PARA}\n")
    assert draft.date == dt.date(2021, 10, 5)
    assert "date" not in draft.title and "2021" not in draft.title
    assert draft.body.startswith("A filmmaker and an actress")
    assert draft.summary.startswith("A filmmaker and an actress are joining")


def test_short_sentence_after_date_header_is_the_headline():
    draft = seed(f"date 2021-10-05 A Russian crew blasts off into space.\n\n{LEDE}\n\n{PARA}\n")
    assert draft.title == "A Russian crew blasts off into space"
    assert "blasts off" not in draft.body


def test_leading_blank_lines_and_spaces_are_ignored():
    draft = seed(f"\n\n   \n   Headline of the story\n\n   {LEDE}\n\n{PARA}\n")
    assert draft.title == "Headline of the story"
    assert draft.body.startswith("A filmmaker")


def test_headline_on_its_own_line():
    draft = seed(f"Russian actress and director fly to the ISS\n\n{LEDE}\n\n{PARA}\n")
    assert draft.title == "Russian actress and director fly to the ISS"
    assert draft.date is None
    assert "fly to the ISS" not in draft.body


def test_no_headline_and_no_date_gives_a_short_title_from_the_lede():
    # (a first sentence of up to 150 characters is the title whole: this one is longer)
    lede = ("A Russian actor and a film director were launched into space on Tuesday on a quest to "
            "produce the world's first feature film in the cosmos with a veteran cosmonaut at the controls, "
            "in which the Kremlin hopes to reclaim glory.")
    draft = seed(f"{lede}\n\n{PARA}\n")
    assert draft.date is None
    assert draft.title == "A Russian actor and a film director were launched into space on Tuesday"
    assert len(draft.title) <= 80


@pytest.mark.parametrize("lede, title", [
    ("The Russian team, which includes a film director and an actress, successfully left the Baikonur "
     "cosmodrome for the International Space Station on Tuesday morning to shoot the first feature film in "
     "space with a veteran cosmonaut.",
     "The Russian team successfully left the Baikonur cosmodrome"),
    ("Crew lands safely.", "Crew lands safely"),
    # nowhere to cut: whole up to 200 characters, else cut with an ellipsis
    ("a" * 60 + " " + "b" * 60 + " " + "c" * 60 + ".", "A" + "a" * 59 + " " + "b" * 60 + " " + "c" * 60),
    ("a" * 70 + " " + "b" * 70 + " " + "c" * 70 + ".", "A" + "a" * 69 + "…"),
    # a whole sentence of up to 110 characters is a title as it stands: cut, it may lose its verb
    ("Für einen Filmdreh auf der Raumstation ISS ist die russische Schauspielerin Julia Peressild ausgewählt worden.",
     "Für einen Filmdreh auf der Raumstation ISS ist die russische Schauspielerin Julia Peressild ausgewählt worden"),
])
def test_titles_from_ledes_are_short_phrases(lede, title):
    assert title_from_lede(lede) == title


def test_title_is_never_a_200_character_sentence():
    lede = " ".join(["word"] * 60) + "."
    assert len(seed(f"{lede}\n\n{PARA}\n").title) <= 81


@pytest.mark.parametrize("line, expected", [
    ("date 2021-10-05 Text", (dt.date(2021, 10, 5), "Text")),
    ("Published: 5 October 2021 Text", (dt.date(2021, 10, 5), "Text")),
    ("Oct. 5, 2021 - Text", (dt.date(2021, 10, 5), "Text")),
    ("Tuesday, October 5th, 2021", (dt.date(2021, 10, 5), "")),
    ("05.10.2021 Text", (dt.date(2021, 10, 5), "Text")),
    ("2021/10/05 09:55 Text", (dt.date(2021, 10, 5), "Text")),
    ("date 2021-13-45 Text", (None, "Text")),
    ("The crew launched", (None, None)),
])
def test_messy_date_headers(line, expected):
    assert parse_date_prefix(line) == expected


def test_invalid_date_header_warns_and_leaves_the_article_undated():
    draft = seed(f"date 2021-13-45 {LEDE}\n\n{PARA}\n")
    assert draft.date is None
    assert [w.message for w in draft.warnings] == ["the date in the header is not a valid date; the article is undated"]


def test_image_marker_and_caption_with_photo_credit():
    text = (f"{LEDE}\n\nImage:\n\nActress Yulia Peresild is one of the crew. Photo: Andrey Shelepin / GCTC\n\n\n\n"
            f"{PARA}\n")
    draft = seed(text)
    assert "Image:" not in draft.body
    assert "Caption: Actress Yulia Peresild is one of the crew.\nPhoto: Andrey Shelepin / GCTC" in draft.body
    html = Renderer().convert(draft.body)[0].replace("\n", "")
    assert ('<figure class="caption"><figcaption><span class="caption-text">Actress Yulia Peresild is one of '
            'the crew.</span><small class="caption-credit">Photo: Andrey Shelepin / GCTC</small></figcaption>'
            '</figure>') in html
    assert "Image:" not in html


def test_image_marker_with_caption_on_the_same_line():
    draft = seed(f"{LEDE}\n\nImage: Soyuz MS-19 before the flight. Photo: Roscosmos\n\n{PARA}\n")
    assert "Caption: Soyuz MS-19 before the flight.\nPhoto: Roscosmos" in draft.body


def test_caption_without_credit_is_kept():
    draft = seed(f"{LEDE}\n\nImage:\n\nThe crew waves to fans.\n\n{PARA}\n")
    assert "Caption: The crew waves to fans." in draft.body


@pytest.mark.parametrize("residue", [
    "More on the International Space Station",
    "CNN Brasil Business Highlights",
    "Read more: the crew's training",
    "Advertisement",
])
def test_navigation_and_promo_residue_is_dropped(residue):
    draft = seed(f"{LEDE}\n\n{residue}\n\n{PARA}\n")
    assert residue not in draft.body
    assert PARA in draft.body


def test_residue_patterns_from_configuration_extend_the_list():
    text = f"{LEDE}\n\nWatch the launch video on our channel\n\n{PARA}\n"
    assert "Watch the launch video" in seed(text).body
    draft = seed(text, residue_patterns=("Watch the launch video.*",))
    assert "Watch the launch video" not in draft.body


def test_real_sentences_starting_like_residue_are_kept():
    sentence = "More on this story will follow as the crew reaches the station."
    assert sentence in seed(f"{LEDE}\n\n{sentence}\n\n{PARA}\n").body


def test_attribution_line_moves_to_credit():
    draft = seed(f"{LEDE}\n\n{PARA}\n\n(*With information from Ashley Strickland, from CNN)\n")
    assert draft.credit == "With information from Ashley Strickland, from CNN"
    assert "With information" not in draft.body


def test_short_standalone_line_between_paragraphs_is_a_subheading():
    draft = seed(f"{LEDE}\n\nRoskosmos is trying to restore its reputation\n\n{PARA}\n")
    assert "\n\n## Roskosmos is trying to restore its reputation\n\n" in draft.body


def test_short_sentence_with_full_stop_is_not_a_subheading():
    draft = seed(f"{LEDE}\n\nThe crew looked relaxed.\n\n{PARA}\n")
    assert "## The crew" not in draft.body


def test_text_cut_off_mid_sentence_is_truncated():
    draft = seed(f"{LEDE}\n\nIt is up against stiff competition from the\n")
    assert draft.truncated is True
    assert seed(f"{LEDE}\n\n{PARA}\n").truncated is False
    assert seed(f"{LEDE}\n\nHe said: “Space is open to all.”\n").truncated is False


@pytest.mark.parametrize("data", [
    ("\ufeff" + f"Headline here\r\n\r\n{LEDE}\r\n\r\n{PARA}\r\n").encode("utf-8"),
    f"Headline here\r\n\r\n{LEDE}\r\n\r\n{PARA}\r\n".encode(),
    f"Headline here\n\n{LEDE}\n\n{PARA}\n".encode("utf-16"),
])
def test_utf8_with_or_without_bom_crlf_and_utf16(data):
    draft = parse_seed("x.txt", data)
    assert draft.title == "Headline here"
    assert "\r" not in draft.body and "\ufeff" not in draft.body + draft.title


def test_windows_1252_is_decoded_not_mojibake():
    text = f"Café crew’s “challenge”\n\n{LEDE} Señora Peresild.\n\n{PARA}\n"
    draft = parse_seed("x.txt", text.encode("cp1252"))
    assert draft.title == "Café crew’s “challenge”"
    assert "Señora" in draft.body
    assert [w.message for w in draft.warnings] == ["not UTF-8; decoded as Windows-1252 (Latin-1)"]


def test_broken_utf8_is_reported_with_its_line():
    data = f"Café\n\n{LEDE}\n\n".encode() + b"caf\xc3 au lait\n"
    with pytest.raises(ProjectError) as caught:
        parse_seed("x.txt", data)
    assert caught.value.problems[0].format() == (
        "seeds/x.txt:5: invalid UTF-8: byte 0xc3 at offset 97 does not belong to a UTF-8 character\n"
        "  hint: the file mixes encodings or was cut inside a character; save it as UTF-8"
    )


def test_raw_html_in_a_seed_is_text_on_the_page():
    draft = seed(f"{LEDE}\n\n<script>alert('x')</script> and <b>bold</b> claims.\n\n{PARA}\n")
    html, _ = Renderer().convert(draft.body)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt; claims." in html


@pytest.mark.parametrize("text, shown", [
    ("1969. The year of the Moon landing.", "1969. The year of the Moon landing."),
    ("# not a heading", "# not a heading"),
    ("- not a list", "- not a list"),
    ("> not a quote", "> not a quote"),
    ("a *star* and [brackets] and `ticks` and back\\slash", "a *star* and [brackets] and `ticks` and back\\slash"),
    ("Caption: a sentence that starts like a caption.", "Caption: a sentence that starts like a caption."),
])
def test_markdown_syntax_in_seed_text_shows_as_written(text, shown):
    html, _ = Renderer().convert(escape_markdown(text))
    assert unescape(html) == f"<p>{shown}</p>"


def test_front_matter_fields():
    draft = seed(f"date 2021-10-05 {LEDE}\n\n{PARA}\n\n(*With information from AFP)\n", name="000_a.txt")
    text = draft.to_markdown()
    assert text.startswith("---\ntitle: ")
    assert "\ndate: 2021-10-05\n" in text
    assert "\nseed: 000_a.txt\n" in text
    assert "\ncredit: With information from AFP\n" in text
    assert "truncated" not in text


@pytest.mark.parametrize("data, message", [
    (b"", "seeds/x.txt: seed is empty\n  hint: add the article text or remove the file"),
    (b"  \n\t\n ", "seeds/x.txt: seed is empty\n  hint: add the article text or remove the file"),
    (b"Head\n\nText\x00more", "seeds/x.txt:3: contains a NUL byte; this is not a text file\n"
                              "  hint: seeds must be plain text; remove the file or the NUL bytes"),
])
def test_unusable_seeds_are_errors(data, message):
    with pytest.raises(ProjectError) as caught:
        parse_seed("x.txt", data)
    assert caught.value.problems[0].format() == message
