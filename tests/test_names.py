"""Names as coverage writes them: capitals, other scripts, inflection, transliterations, negative phrases."""

from __future__ import annotations

import re
import textwrap

import pytest

from conftest import article, make_project
from microsite.linking import AliasIndex, LinkContext
from microsite.markup import Renderer
from microsite.names import fold, keys

ALIASES = {
    "Klim Shipenko": "klim-shipenko", "Shipenko": "klim-shipenko",
    "Yulia Peresild": "yulia-peresild", "Peresild": "yulia-peresild",
    "Anton Shkaplerov": "anton-shkaplerov", "Shkaplerov": "anton-shkaplerov",
    "Oleg Novitsky": "oleg-novitsky", "Novitsky": "oleg-novitsky",
    "Roscosmos": "roscosmos", "Moscow": "moscow", "Москва": "moscow", "Baikonur": "baikonur",
    "Soyuz MS-19": "soyuz-ms-19", "Soyuz MS-18": "soyuz-ms-18", "ISS": "iss", "МКС": "iss",
    "NASA": "nasa", "Channel One": "channel-one", "Первый канал": "channel-one", "The Challenge": "the-challenge",
    "Vyzov": "the-challenge", "Вызов": "the-challenge", "United Kingdom": "united-kingdom", "UK": "united-kingdom",
}
VARIANTS = {"klim-shipenko", "yulia-peresild", "anton-shkaplerov", "oleg-novitsky"}
URLS = {slug: f"/x/{slug}/" for slug in set(ALIASES.values())}


def index(**kw) -> AliasIndex:
    owners = {slug: (slug.replace("-", " ").title(), f"content/people/{slug}.md") for slug in VARIANTS}
    return AliasIndex(ALIASES, kw.get("variants", VARIANTS), kw.get("negatives"), owners)


def found(text: str, **kw) -> list[tuple[str, str]]:
    return [(m.spelling, m.slug) for m in index(**kw).find(text)]


def render(markdown: str, **kw) -> tuple[str, list]:
    renderer = Renderer("/", None, index(**kw), URLS)
    return renderer.convert(textwrap.dedent(markdown), "content/articles/x.md", 1, LinkContext())


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="entity" href="/x/([^/]+)/">([^<]+)</a>', html)


# --------------------------------------------------------------------------- capitals


def test_a_word_in_capitals_matches_its_alias():
    assert found("MOSCOW, Oct 5 (Reuters) - BAIKONUR cosmodrome") == [("MOSCOW", "moscow"), ("BAIKONUR", "baikonur")]
    assert found("THE CHALLENGE, a film by KLIM SHIPENKO") == [("THE CHALLENGE", "the-challenge"),
                                                              ("KLIM SHIPENKO", "klim-shipenko")]


def test_names_stay_case_sensitive_otherwise():
    assert found("moscow mule, a baikonur and nasa or nASA") == []
    assert found("Moscow and MOSCOW") == [("Moscow", "moscow"), ("MOSCOW", "moscow")]


def test_an_acronym_written_as_a_word_is_its_name():
    assert found("Nasa said") == [("Nasa", "nasa")]
    assert found("Uk and Iss") == []  # three letters or fewer: too many words look like that


def test_a_name_of_several_words_in_another_case_matches():
    aliases = {"Station spatiale internationale": "iss", "Stazione Spaziale Internazionale": "iss",
               "The Challenge": "the-challenge"}
    index = AliasIndex(aliases)
    text = "la Station Spatiale Internationale; la Stazione spaziale internazionale. The challenge is big."
    assert [(m.spelling, m.slug) for m in index.find(text)] == [
        ("Station Spatiale Internationale", "iss"), ("Stazione spaziale internazionale", "iss")]
    assert index.find("la stazione spaziale internazionale") == []  # the first word as written


@pytest.mark.parametrize("text, expected", [
    ("Foto: Sputnik Srbija", [("Sputnik", "sputnik")]),  # a topic: its not: list says (see below)
    ("the Yuri Gagarin Cosmonaut Training Center", []),  # something named after a person
    ("Gagarin Street", []),
    ("Schipenkos Film", [("Schipenkos", "klim-shipenko")]),  # a case ending closes the name
    ("NASA Administrator Bill Nelson", [("NASA", "nasa")]),  # a title after an organisation
    ("Moscow On Tuesday", [("Moscow", "moscow")]),
    ("Shipenko Klim Shipenko", [("Shipenko", "klim-shipenko"), ("Klim Shipenko", "klim-shipenko")]),
])
def test_a_name_that_runs_on_into_a_longer_one_is_not_the_entity(text, expected):
    aliases = {**ALIASES, "Sputnik": "sputnik", "Yuri Gagarin": "yuri-gagarin", "Gagarin": "yuri-gagarin"}
    index = AliasIndex(aliases, variants={"klim-shipenko"}, people={"yuri-gagarin", "klim-shipenko"})
    assert [(m.spelling, m.slug) for m in index.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("了NASA和SpaceX", ["NASA"]),  # Latin written against Chinese characters
    ("在国际空间站上，尤利娅·佩雷西尔德说", ["国际空间站", "尤利娅·佩雷西尔德"]),
    ("율리야 페레실드는 말했다", ["율리야 페레실드"]),  # a Korean particle after the name
    ("قالت وناسا", ["ناسا"]),  # an Arabic prefix before it
    ("ユリア・ペレシルドさん", ["ユリア・ペレシルド"]),
])
def test_scripts_that_glue_words_together(text, expected):
    index = AliasIndex({"NASA": "nasa", "国际空间站": "iss", "尤利娅·佩雷西尔德": "yp", "율리야 페레실드": "yp",
                        "ناسا": "nasa", "ユリア・ペレシルド": "yp"})
    assert [m.spelling for m in index.find(text)] == expected
    assert AliasIndex({"ناسا": "nasa"}).find("ناساتي") == []  # an Arabic word that only begins so


# --------------------------------------------------------------------------- other scripts


@pytest.mark.parametrize("text, expected", [
    ("Юлия Пересильд и Клим Шипенко", [("Юлия Пересильд", "yulia-peresild"), ("Клим Шипенко", "klim-shipenko")]),
    ("командир Антон Шкаплеров", [("Антон Шкаплеров", "anton-shkaplerov")]),
    ("Σιπένκο", [("Σιπένκο", "klim-shipenko")]),
    ("Союз МС-19", [("Союз МС-19", "soyuz-ms-19")]),
])
def test_another_script_links_to_the_alias_it_transliterates_to(text, expected):
    assert found(text, variants=set()) == expected


@pytest.mark.parametrize("text, expected", [
    ("пресс-служба Роскосмоса", "Роскосмоса"),  # genitive
    ("вместе с Роскосмосом", "Роскосмосом"),  # instrumental
    ("с космодрома Байконур", "Байконур"),
    ("на Байконуре", "Байконуре"),  # prepositional
    ("экипаж Шкаплерова", "Шкаплерова"),  # genitive of a surname
    ("роль Юлии Пересильд", "Юлии Пересильд"),  # first name inflected, surname not
    ("Олега Новицкого", "Олега Новицкого"),  # an adjectival surname, and the first name
    ("в Москве", "Москве"),  # the inflected form of a Cyrillic alias
    ("эфир Первого канала", "Первого канала"),  # two words, both inflected
    ("фильма «Вызова»", "Вызова"),
])
def test_inflected_russian_forms_match_through_their_lemma(text, expected):
    assert [spelling for spelling, _ in found(text, variants=set())] == [expected]


def test_designations_keep_their_numbers():
    assert found("Союз МС-18 и Союз МС-19") == [("Союз МС-18", "soyuz-ms-18"), ("Союз МС-19", "soyuz-ms-19")]
    assert fold("MS-18") != fold("MS-19")


def test_short_aliases_do_not_fold_onto_common_words():
    """'ISS' would fold to 'is': Cyrillic 'Из' (from) is no space station; 'МКС' is, as listed."""
    assert found("Из МКС") == [("МКС", "iss")]


def test_a_lower_case_word_in_another_script_is_no_name():
    """'вызов' is the common noun 'a challenge'; only the capitalised title is the film."""
    assert found("это вызов для всех", variants=set()) == []


# --------------------------------------------------------------------------- variants


@pytest.mark.parametrize("spelling", ["Schipenko", "Šipenko", "Chipenko"])
def test_variant_spellings_link_when_the_entity_opts_in(spelling):
    assert found(f"Regisseur {spelling} sagte") == [(spelling, "klim-shipenko")]
    assert found(f"Regisseur {spelling} sagte", variants=set()) == []


@pytest.mark.parametrize("variant, alias", [
    ("Schkaplerow", "Shkaplerov"), ("Chkaplerov", "Shkaplerov"), ("Novizkij", "Novitsky"),
    ("Novitskiy", "Novitsky"), ("Nowizki", "Novitsky"), ("Peressild", "Peresild"),
    ("Julija Peressild", "Yulia Peresild"),
])
def test_fold_joins_the_usual_transliteration_differences(variant, alias):
    assert fold(variant.split()[-1]) == fold(alias.split()[-1])
    assert found(variant)[0][0] == variant


def test_a_variant_match_is_a_warning_naming_the_line_and_the_fix():
    html, problems = render("Erste Zeile.\n\nDer Regisseur Klim Schipenko und Schipenko.\n")
    assert links(html) == [("klim-shipenko", "Klim Schipenko")]
    assert len(problems) == 2  # two spellings, each reported once
    first = problems[0]
    assert (first.path, first.line, first.severity) == ("content/articles/x.md", 3, "warning")
    assert "'Klim Schipenko' is linked to Klim Shipenko as a variant spelling" in first.message
    assert "add it to 'aliases:' in content/people/klim-shipenko.md" in first.hint


def test_a_spelling_listed_as_an_alias_is_no_warning():
    _, problems = render("Klim Shipenko and Shipenko.")
    assert problems == []


def test_transliterated_scripts_are_not_warnings():
    _, problems = render("Клим Шипенко прилетел.")
    assert problems == []


def test_an_override_switches_a_variant_off_for_one_article():
    renderer = Renderer("/", None, index(), URLS)
    html, problems = renderer.convert("Schipenko sagte.", "content/articles/x.md", 1,
                                      LinkContext(overrides={"Schipenko": None}))
    assert links(html) == [] and problems == []


def test_a_czech_or_slovak_womans_surname_is_a_variant():
    people = AliasIndex(ALIASES, VARIANTS, None, None, people=VARIANTS)
    assert [m.spelling for m in people.find("herečka Julija Peresildová a režisér Klim Šipenko", None, "sk")] == [
        "Julija Peresildová", "Klim Šipenko"]


def test_two_letters_swapped_in_a_surname_after_its_first_name_are_a_variant():
    people = AliasIndex(ALIASES, VARIANTS, None, None, people=VARIANTS)
    assert [(m.spelling, m.slug, m.variant) for m in people.find("with Yulia Pereslid and Klim Shipneko")] == [
        ("Yulia Pereslid", "yulia-peresild", True), ("Klim Shipneko", "klim-shipenko", True)]
    assert people.find("with Pereslid alone") == []  # no first name to vouch for it
    assert index().find("with Yulia Pereslid") == []  # only a person's name is matched so


def test_different_names_do_not_fold_together():
    for one, other in [("Shipenko", "Shepenko"), ("Dubrov", "Dudin"), ("Novitsky", "Novikov"),
                       ("Peresild", "Peresvet"), ("Soyuz", "Sojuzmultfilm")]:
        assert fold(one) != fold(other)


# --------------------------------------------------------------------------- negative contexts


@pytest.mark.parametrize("text", ["at 11:55 Moscow time", "12:55 (Moscow Standard Time)", "9.55am UK time",
                                  "à 11 h 55, heure de Moscou", "la 11:55, ora Moscovei", "à 14h28 Time Moscou",
                                  "à 13h34 Temps de Moscou"])
def test_a_place_in_a_time_zone_is_not_the_place(text):
    aliases = {**ALIASES, "Moscou": "moscow", "Moscovei": "moscow"}
    assert AliasIndex(aliases).find(text) == []


def test_the_place_itself_still_links():
    assert found("flew from Moscow to the UK") == [("Moscow", "moscow"), ("UK", "united-kingdom")]


def test_phrases_listed_under_not_are_not_the_entity():
    negatives = {"moscow": ("Moscow State University", "Moscow Mule")}
    assert found("students of Moscow State University drank a moscow mule", negatives=negatives) == []
    assert found("She studied at Moscow State University in Moscow.", negatives=negatives) == [("Moscow", "moscow")]
    assert found("MOSCOW STATE UNIVERSITY", negatives=negatives) == []


def test_keys_of_a_russian_word_include_its_dictionary_form():
    assert "roskosmos" in keys("Роскосмоса")
    assert keys("Shipenko") == ("sipenko",)


# --------------------------------------------------------------------------- from front matter to the page


def test_front_matter_variants_and_not_reach_the_site(tmp_path, cli):
    project = make_project(tmp_path, {
        "content/people/klim-shipenko.md":
            "---\nname: Klim Shipenko\naliases: [Shipenko]\nvariants: true\n---\n\nDirector.\n",
        "content/topics/moscow.md": "---\nname: Moscow\nnot: [Moscow Mule]\n---\n\nA city.\n",
        "content/articles/a.md": article("A", "MOSCOW, Oct 5 - Schipenko ordered a Moscow Mule.", date="2021-10-05"),
    })
    run = cli(project, "build")
    assert run.status == 0, run.err
    html = (project / "site/articles/a/index.html").read_text()
    assert '<a class="entity" href="/topics/moscow/">MOSCOW</a>' in html
    assert '<a class="entity" href="/people/klim-shipenko/">Schipenko</a>' in html
    assert "a Moscow Mule" in html
    assert "content/articles/a.md:" in run.err and "'Schipenko' is linked to Klim Shipenko" in run.err
    check = cli(project, "check")
    assert "'Schipenko' is linked to Klim Shipenko" in check.out + check.err


def test_front_matter_variants_must_be_true_or_false(tmp_path, cli):
    project = make_project(tmp_path, {
        "content/people/klim-shipenko.md": "---\nname: Klim Shipenko\nvariants: yes please\n---\n\nDirector.\n",
    })
    run = cli(project, "build")
    assert run.status == 1
    assert "content/people/klim-shipenko.md:3" in run.err and "variants" in run.err


def test_adding_a_latin_alias_relinks_an_article_that_names_it_only_in_cyrillic(tmp_path, cli):
    """The build cache must see that a new alias reaches a text through its transliteration."""
    project = make_project(tmp_path, {
        "content/articles/a.md": article("A", "Клим Шипенко снимает фильм.", date="2021-10-05"),
    })
    assert cli(project, "build").status == 0
    assert 'class="entity"' not in (project / "site/articles/a/index.html").read_text()
    (project / "content/people").mkdir(exist_ok=True)
    (project / "content/people/klim-shipenko.md").write_text("---\nname: Klim Shipenko\n---\n\nDirector.\n")
    assert cli(project, "build").status == 0
    assert '<a class="entity" href="/people/klim-shipenko/">Клим Шипенко</a>' in \
        (project / "site/articles/a/index.html").read_text()


# --------------------------------------------------------------------------- case endings


@pytest.mark.parametrize("text, expected", [
    ("z Tomem Cruisem", "Tomem Cruisem"),  # Polish instrumental
    ("Klima Šipenka", "Klima Šipenka"),  # Croatian genitive: the ending takes the last vowel's place
    ("Julia Peresildist", "Julia Peresildist"),  # Estonian elative
    ("Elon Muskin yhtiö", "Elon Muskin"),  # Finnish genitive
    ("Elon Musk-ekin batera", "Elon Musk"),  # Basque: a case ending after a hyphen ends the name
])
def test_a_persons_name_with_a_case_ending_is_a_variant(text, expected):
    aliases = {"Tom Cruise": "tom-cruise", "Klim Shipenko": "klim-shipenko", "Julia Peresild": "yulia-peresild",
               "Elon Musk": "elon-musk"}
    people = set(aliases.values())
    index = AliasIndex(aliases, variants=people, people=people)
    assert [m.spelling for m in index.find(text)] == [expected]


@pytest.mark.parametrize("text", ["Ruska glumica", "Ruský režisér", "Stația Spațială Americană", "the Russian crew",
                                  "American actor", "Shipenkov", "the Soyuz-FG rocket"])
def test_adjectives_and_compounds_are_not_the_name(text):
    index = AliasIndex({"Rusko": "russia", "Rusija": "russia", "Russia": "russia", "America": "united-states",
                        "Shipenko": "klim-shipenko", "Soyuz": "soyuz"},
                       variants={"russia", "united-states", "klim-shipenko"}, people={"klim-shipenko"})
    assert index.find(text) == []


@pytest.mark.parametrize("text, spelling", [("a Shipenko-led crew", "Shipenko"), ("the Russia-leased base", "Russia"),
                                            ("ein US-amerikanisches Projekt", "US"), ("Kremlin-friendly", "Kremlin"),
                                            ("the Russia-U.S. talks", "Russia")])
def test_a_name_that_a_hyphenated_word_makes_an_adjective_of_still_names_it(text, spelling):
    """Readers and the editors who marked real coverage count these as mentions."""
    index = AliasIndex({"Shipenko": "klim-shipenko", "Russia": "russia", "US": "united-states", "Kremlin": "kremlin"})
    assert [m.spelling for m in index.find(text)] == [spelling]


def test_an_alias_may_end_with_a_vowel_sign():
    """Devanagari writes the last vowel of नासा as a sign, which is no letter to Python."""
    project_alias = AliasIndex({"नासा": "nasa"})
    assert [m.spelling for m in project_alias.find("नासा ने कहा")] == ["नासा"]


@pytest.mark.parametrize("text, language, expected", [
    ("w Rosji i Kazachstanie", "pl", ["Rosji", "Kazachstanie"]),  # Polish genitive, locative
    ("Venäjän avaruusjärjestö", "fi", ["Venäjän"]),  # Finnish genitive
    ("rosyjski film", "pl", []),  # an adjective has its own dictionary form
    ("w Rosji", "en", []),  # no dictionary forms without the text's language
    ("u Kazahstanu", "hr", ["Kazahstanu"]),  # Croatian: simplemma's Serbo-Croatian dictionary
])
def test_a_place_in_a_case_of_the_texts_language_matches_through_its_dictionary_form(text, language, expected):
    index = AliasIndex({"Rosja": "russia", "Kazachstan": "kazakhstan", "Venäjä": "russia", "Kazahstan": "kazakhstan"})
    assert [m.spelling for m in index.find(text, None, language)] == expected


def test_the_articles_language_reaches_the_linker(tmp_path, cli):
    project = make_project(tmp_path, {
        "content/topics/russia.md": "---\nname: Russia\naliases: [Rosja]\n---\n\nA country.\n",
        "content/articles/a.md": article("A", "Film nakręcono w Rosji.", date="2021-10-05", language="pl"),
    })
    assert cli(project, "build").status == 0
    assert '<a class="entity" href="/topics/russia/">Rosji</a>' in (project / "site/articles/a/index.html").read_text()


@pytest.mark.parametrize("alias, language", [("Σιπένκο", "el"), ("페레실드", "ko"), ("国際宇宙ステーション", "ja"),
                                             ("国际空间站", ""), ("Роскосмос", ""), ("روسيا", ""), ("Moskau", "")])
def test_a_spelling_shown_alone_carries_the_language_its_letters_can_only_be(alias, language):
    from microsite.render import script_language

    assert script_language(alias) == language


def test_entity_pages_mark_the_language_of_spellings_in_other_scripts(tmp_path, cli):
    project = make_project(tmp_path, {
        "content/people/klim-shipenko.md":
            "---\nname: Klim Shipenko\naliases: [Σιπένκο, Клим Шипенко]\n---\n\nDirector.\n",
    })
    assert cli(project, "build").status == 0
    page = (project / "site/people/klim-shipenko/index.html").read_text()
    assert '<em class="alias" dir="auto" lang="el">Σιπένκο</em>' in page
    assert '<em class="alias" dir="auto">Клим Шипенко</em>' in page  # Cyrillic: several languages, none claimed
    # dir="auto" isolates each spelling, so an Arabic one does not reorder the list around it


@pytest.mark.parametrize("text, expected", [
    ("莫斯科时间11时55分", []),  # Moscow time, in Chinese
    ("모스크바 시간으로", []),
    ("在莫斯科举行", ["莫斯科"]),
    ("Russia-United States relations", ["Russia", "United States"]),  # two names joined
    ("an ex-Soviet state", []),
])
def test_time_zones_in_glued_scripts_and_names_joined_by_a_hyphen(text, expected):
    index = AliasIndex({"Russia": "russia", "United States": "united-states", "莫斯科": "moscow", "모스크바": "moscow",
                        "Soviet": "soviet-union"})
    assert [m.spelling for m in index.find(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("provizoriu „Provocarea”, va", ["Provocarea"]),
    ("영화 ‘도전’(가제)의", ["도전"]),
    ("电影《挑战》已经", ["挑战"]),
    ('il film "La sfida" è', ["La sfida"]),
    ("una sfida enorme", []),  # the word itself, unquoted, is no title
    ("电影的挑战很大", []),
])
def test_a_title_links_only_between_quotation_marks(text, expected):
    index = AliasIndex({"Vyzov": "the-challenge"},
                       titles={"Provocarea": "the-challenge", "도전": "the-challenge", "挑战": "the-challenge",
                               "La sfida": "the-challenge"})
    assert [m.spelling for m in index.find(text)] == expected


def test_front_matter_titles_reach_the_site_and_conflicts_are_errors(tmp_path, cli):
    project = make_project(tmp_path, {
        "content/topics/the-challenge.md": "---\nname: The Challenge\ntitles: [La sfida]\n---\n\nA film.\n",
        "content/articles/a.md": article("A", 'Il film "La sfida" e la sfida dello spazio.', date="2021-10-05",
                                         language="it"),
    })
    assert cli(project, "build").status == 0
    html = (project / "site/articles/a/index.html").read_text()
    assert '"<a class="entity" href="/topics/the-challenge/">La sfida</a>"' in html.replace("&quot;", '"')
    (project / "content/topics/a-sfida-film.md").write_text("---\nname: Sfida Film\ntitles: [la sfida]\n---\n\nX.\n")
    run = cli(project, "build")
    assert run.status == 1 and "title 'La sfida' is also claimed by content/topics/a-sfida-film.md" in run.err
