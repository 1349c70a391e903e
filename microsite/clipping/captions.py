"""Photo captions known by their credit, credits alone on a line, and embedded social posts."""

from __future__ import annotations

import re

from ..model import long_date
from ..text import sentences
from .dates import find_date
from .markdown import _is_paragraph, _plain, escape_markdown
from .state import Unit, _Reading
from .words import _FINITE, _TERMINAL, _n_words

# "(*With information from Ashley Strickland, from CNN)" and the like: an attribution
# that belongs in the credit field, not in the article body.
_CREDIT_LINE = re.compile(
    r"^\(?\s*\*?\s*(?P<credit>(with (information|reporting|inputs) from|with reporting by|"
    r"(additional )?reporting by|written by|edited by|com informa[cç][oõ]es d[aeo]s?|"
    r"con informazioni d[ia]|con informaci[oó]n de|mit Material von|по материалам)\b.*?)\s*\)?$",
    re.IGNORECASE,
)


# "Photo" in the languages of the coverage, as a picture's label: "Fotó:", "Zdjęcie:", "Φωτ.:", "عکس:".
_PICTURE_WORD = (r"Image|Photo|Picture|Foto|Fotó|Fotos|Fotografia|Fotografie|Fotoğraf|Fot\.|Imagem|Immagine|Imagen|"
                 r"Bild|Beeld|Afbeelding|Zdjęcie|Snímek|Snímka|Kép|Kuva|Billede|Φωτογραφία|Φωτ\.|Фото|Снимка|Слика|"
                 r"Світлина|صورة|عکس|תמונה|写真|图片|사진|Ảnh")


# A caption's credit after a label: "... Photo: Andrey Shelepin / GCTC / Roscosmos".
_CAPTION_CREDIT = re.compile(
    r"^(?P<caption>.*?)[\s(]*\b(?P<label>Photos?|Photograph|Pics?|Pix|Credit|" + _PICTURE_WORD + r"|"
    r"Crédito|Credito|Crédit|Fuente|Source|Fonte|Quelle|Источник)(?:(?: credit| courtesy| di| de| von)?\s*:\s*|"
    r"(?: de couverture| de capa| di copertina)?\s+(?:courtesy(?: of)?|by|par|por|di|von)\s+(?=(?-i:[A-ZÀ-ÞА-ЯЁ]))|"
    r"\s+(?=[^.]{2,80}\b(?:vía|via)\s))(?P<credit>(?:[^()]|\([^()]*\))+?)\)?\s*$",
    re.IGNORECASE,
)


_IMAGE_MARKER = re.compile(rf"^({_PICTURE_WORD})\s*:\s*(?P<rest>.*)$", re.IGNORECASE)


# "Руска глумица Јулија Пересиљд - Sputnik Србија, 1920, 05.10.2021": a picture's caption
# stamped with its site, its width and its date, as Sputnik's sites in every language print it.
# (The stamp's tail, the picture's width and date, also marks a stamp whose caption is lost.)
STAMP_TAIL = r",\s+\d{3,4},\s+\d{1,2}\.\d{1,2}\.\d{4}"
_PICTURE_STAMP = re.compile(r"^(?P<caption>\S.{2,300}?)\s+-\s+(?P<credit>[^,\n]{2,40})" + STAMP_TAIL + "$")


# Who a photo is credited to when no label says so: agencies and picture desks, at the
# very end of a caption ("... via REUTERS", "AFP/Getty Images", "/ ZUMAPRESS.com").
_AGENCY = (r"(?i:Reuters|AFP|AP( Photo)?|EPA|ANSA|dpa|TASS|ТАСС|Sputnik|RIA Novosti|РИА Новости|"
           r"Getty Images|Shutterstock|Alamy|ZUMAPRESS\.com|Roscosmos|NASA|NASA TV|Lusa|EFE|Xinhua|Keystone|"
           # Korean desks name the agency and their own wire: "AP=연합뉴스", "로이터=뉴스1"
           r"(?:[\w/]{1,20}=)?(?:연합뉴스|뉴시스|뉴스1))")


_CAP = r"[A-ZÀ-ÞА-ЯЁ]"  # a capital letter: the words of a credit are names


_WORD = r"[\w&'’-]*(?:\.\w+)*"  # the rest of a word; a full stop only inside it ("ZUMAPRESS.com")


_TRAILING_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s*(?:[(\[/]\s*|©\s*|Copyright\s+)?(?P<credit>(?:(?:" + _CAP + _WORD + r" ){0,4}(?:via|by) )?"
    r"(?:" + _CAP + _WORD + r" ){0,3}" + _AGENCY + r"(?:\s*/\s*[\w.&'’ -]{2,40})*|"
    r"(?:" + _CAP + _WORD + r" ){0,3}" + _CAP + _WORD + r"(?:\s*/\s*[\w.&'’ -]{2,40}){1,5}|"
    r"/\s*" + _CAP + r"[\w.&'’ -]{1,40})\s*[)\]]?\s*$"
)


_SHORT_TRAILING_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s+(?P<credit>" + _CAP + _WORD + r" " + _CAP + _WORD + r"\s*/\s*[\w.&'’ -]{2,40})$")


# "... after the landing. Twitter@novitskiy_iss": a picture taken from someone's account.
_SOCIAL_CREDIT = re.compile(r"^(?P<caption>.{10,}?[.!?”\"])\s*(?P<credit>(?:Twitter|Instagram|Facebook|Telegram)"
                            r"\s*[:/]?\s*@\w{1,30}|@\w{1,30}\s*/\s*(?:Twitter|Instagram|Facebook|Telegram))$")


# "ANSA/EPA | The crew at Baikonur": a picture desk's tag before a caption.
_LEADING_CREDIT = re.compile(r"^(?P<credit>[A-Z][\w.&-]*(?:\s*/\s*[A-Z][\w.&-]*)+)\s*\|\s*(?P<caption>.+)$")


# "Foto: Roskosmos/dpa | Bergungskräfte helfen ...": the credit first, then the caption.
_LABELLED_LEAD = re.compile(
    r"^(?P<credit>(?:Photo|Foto|Фото|Image|Bild|Imagem)\s*:\s*[^|]{2,60}?)\s*\|\s*(?P<caption>.+)$", re.IGNORECASE)


# An embedded post's attribution: "— Roscosmos (@roscosmos) October 5, 2021".
_POST_BY = re.compile(r"^[—–-]{1,2}\s*(?P<author>[^()\n]{1,80}?)\s*\((?P<handle>@\w{1,30})\)\s*(?P<date>.*)$")


# The same without a handle, as a translated copy prints it under the post's link: "– roscosmo
# 17 ottobre 2021", "— Crew news October 17, 2021" (a date in any language, by its shape).
_POST_BY_NAME = re.compile(r"^[—–]\s*(?P<author>[^()\n\d@—–]{2,40}?)(?P<handle>)\s+"
                           r"(?P<date>\d{1,2}\.?\s+[^\W\d_]{3,12}\.?\s+\d{4}|[^\W\d_]{3,12}\.?\s+\d{1,2},\s+\d{4})$")


_POST_LINK = re.compile(r"(?:\s+(?:More|Read more)…)?\s*(?:pic\.twitter\.com/\S+|https?://t\.co/\S+)")


_BULLET = re.compile(r"^[•·▪●◦‣*–-]\s+(?P<text>\S.*)$")


# "Photo" in the tag Korean and Japanese papers put before a caption: "[사진=뉴시스]", never a dateline.
PICTURE_TAG = r"사진|写真|Photo|Foto|Фото"


def caption_of(text: str) -> tuple[str, str] | None:
    """(caption, credit) when a unit is a photo caption, else None.

    A caption ends in its credit ("Photo: NASA TV", "(Image credit: Roscosmos via
    Twitter)", "... via REUTERS", "AFP/Getty Images", "/ ZUMAPRESS.com": a credit names
    who took or supplied the picture and ends the unit with no full stop after it), or
    says what the picture shows ("Pictured from left are ...", "Nella foto ..."); the
    credit is "" when the text gives none.
    """
    if _CAPTION_OPENER.match(text) and re.search(r"\((?:[^()]*\bPhotos?\b|[^()]*/AP\b)[^()]*\)$", text):
        # AP's file pictures: "FILE - In this 2018 file photo, ... (Name/Pool Photo via AP, File)",
        # however long their caption
        return text[:text.rindex("(")].strip(), text[text.rindex("(") + 1:-1].strip()
    if _n_words(text) > 80:
        return None
    if stamped := _PICTURE_STAMP.match(text):
        return stamped.group("caption"), stamped.group("credit")
    if tagged := re.match(rf"^\[(?:{PICTURE_TAG})\s*=\s*(?P<credit>[^\]\n]{{1,40}})\]\s*(?P<caption>\S.*)$", text):
        return tagged.group("caption"), tagged.group("credit")  # "[사진=뉴시스]...": a Korean caption, its credit first
    if text.startswith("▲"):  # Korean papers mark a caption so, its credit after it: "... 바이코누르/로이터연합뉴스"
        marked = text[1:].strip()
        credited = re.match(r"^(?P<caption>.+?[.。!?])\s+(?P<credit>[^\s/]{2,20}(?:/[^\s/]{2,20})+)$", marked)
        return (credited.group("caption"), credited.group("credit")) if credited else _credited_caption(marked) \
            or (marked, "")
    if found := _credited_caption(text):
        return found
    if _CAPTION_OPENER.match(text) and _n_words(text) >= 5:
        return text, ""
    if (_LEFT_TO_RIGHT.search(text) or len(_POSITION.findall(text)) >= 2) and _n_words(text) <= 60 \
            and len(sentences(text)) <= 3 \
            and not re.search(r"[“\"«„][^”\"»“]{15,}[”\"»“]", text):
        return text, ""  # "... From left to right: ...", "(왼쪽부터)": who stands where in a picture
    return None


# Where a caption says who stands where: no story sentence needs it.
_LEFT_TO_RIGHT = re.compile(
    r"\b(?:[Ff]rom left to right\s*[:,]|[Ff]rom left\s*:|[Ll]eft to right\s*:)|\((?:L-R|l-r|from left|left to right)\)|"
    r"\((?:de izquierda a derecha|da sinistra(?: a destra)?|von links(?: nach rechts)?|слева направо|"
    r"da esquerda para a direita|de gauche à droite|od lewej|zleva|balról jobbra|soldan sağa)\)|"
    r"\((?:왼쪽부터|左から|左起)\)|"
    # or opening the caption, without brackets: "Balról jobbra Pereszild, Skaplerov és Sipenko."
    r"^(?:Balról jobbra|Von links nach rechts|De izquierda a derecha|Da sinistra a destra|Слева направо|"
    r"De gauche à droite|Da esquerda para a direita|Od lewej|Zleva doprava|Soldan sağa|Van links naar rechts)\b[:,]?\s")


# Where each person stands, after their name: "Peresild (left), Shkaplerov (centre) and ...",
# "페레실드(왼쪽), 슈카플레로프(가운데)". Two of them say a picture is described.
_POSITION = re.compile(r"\s?\((?:left|right|center|centre|L|R|C|izquierda|derecha|centro|sinistra|destra|links|rechts|"
                       r"Mitte|gauche|droite|esquerda|direita|слева|справа|в центре|왼쪽|오른쪽|가운데|左|右|中)\)")


# How captions open, in the languages of the coverage: no story sentence starts so.
_CAPTION_OPENER = re.compile(
    r"^(?:FILE\s*[-–—]\s*)?(?:Pictured(?::| (?:from )?(?:left|right|above|below|here|are|is)\b)|"
    # (AP dates its file pictures: "FILE - In this Feb. 28, 2018 file photo, ...")
    r"(?:In|On) (?:the|this) (?:(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?|\d{1,4},?) ){0,3}"
    r"(?:handout |file |undated )?(?:photo|picture|image)\b|"
    r"This (?:handout |file )?(?:photo|photograph|picture|image) (?:shows|taken|released)\b|"
    r"Nella foto\b|In foto\b|Na (?:foto|imagem)\b|En la (?:foto|imagen|fotografía)\b|На (?:фото|снимке)\b|"
    r"Im Bild\b|Auf dem Bild\b|Sur (?:la|cette) photo\b|▲|"
    # a still or a screenshot from a film or its trailer: "Скрин с трейлера к фильму", "A still from ..."
    r"(?:A )?(?:still|screenshot|screen grab) (?:from|of)\b|Скрин(?:шот)? (?:с|из)\b|Кадр (?:из|с)\b|"
    r"Szene aus\b|Standbild aus\b|Capture d['’]écran\b|Captura de pantalla\b|Fotograma (?:de|del)\b|"
    r"Fotogramma (?:di|del|dal)\b)", re.IGNORECASE)  # ("▲": how Korean papers mark one)


def _credited_caption(text: str) -> tuple[str, str] | None:
    match = _CAPTION_CREDIT.match(text)
    if match and re.fullmatch(_AGENCY, match.group("caption").strip(" ([-–—|:")):
        return None  # "TASS – Photo by X": an agency is no caption; the line is a credit alone
    # ("Источник фото: ..." is a credit's label, "source of the photo", and no caption)
    if match and match.group("caption").strip(" ([-–—|").casefold() not in ("", "image", "photo", "picture", "video") \
            and not re.fullmatch(SOURCE_WORDS, match.group("caption").strip(" ([-–—|"), re.IGNORECASE) \
            and _n_words(match.group("credit")) <= 10:
        return match.group("caption").strip(" ([-–—|"), _credit(match.group("label"), match.group("credit"))
    lead = _LEADING_CREDIT.match(text) or _LABELLED_LEAD.match(text)
    if lead and _n_words(lead.group("caption")) >= 3:
        return lead.group("caption").strip(), lead.group("credit").strip()
    if social := _SOCIAL_CREDIT.match(text):
        return social.group("caption").strip(), social.group("credit").strip()
    if text[-1:] in ".!?…:;,。！？":
        return None
    if (dash := re.match(r"^(?P<caption>.{3,200}?) (?P<bar>[-–—|]) (?P<credit>[^-–—|]{2,60})$", text)) \
            and (_only_credit(dash.group("credit")) or dash.group("bar") == "|" and re.fullmatch(
                r"[A-ZÀ-ÞА-ЯЁ0-9][A-ZÀ-ÞА-ЯЁ0-9 .&-]{2,30}", dash.group("credit"))) \
            and not dash.group("credit")[:1].islower() and _n_words(dash.group("caption")) >= 2:
        return dash.group("caption").strip(), dash.group("credit").strip()  # "Yulia Peresild - ROSCOSMOS"
    match = _TRAILING_CREDIT.match(text)
    if match and _n_words(match.group("caption")) < 3:
        # "Roscosmos CEO Dmitry Rogozin Sergei Savostyanov/TASS": the credit is a name of two
        # words and its desk, not every capitalised word before the slash
        match = _SHORT_TRAILING_CREDIT.match(text) or match
    if match and _n_words(match.group("caption")) >= 3:
        credit = match.group("credit").strip(" /()[]")
        caption = match.group("caption").strip(" ([-–—|/")
        # A sentence that merely ends with an agency's name ("... said Roscosmos") has no
        # full stop before the credit and runs on: a caption's text ends or breaks there.
        before = match.group("caption").rstrip()
        if before[-1:] in ".!?”\")" or text[len(before):].lstrip()[:1] in "([/©" or "/" in credit \
                or text[len(before):].lstrip().startswith("Copyright ") \
                or re.match(r"(?:[\w.'’-]+ ){0,4}(?:via|by) ", credit):
            return caption, credit
    return None


def _credit(label: str, credit: str) -> str:
    label = label.capitalize() if label.isascii() else label
    credit = credit.strip()
    if not re.search(r"\b[A-ZА-Я]\.$", credit):  # "Ю. А. Гагарина." loses its full stop; "Ю. А." keeps it
        credit = credit.rstrip(".")
    return f"{label}: {credit}"


def _describes_picture(text: str) -> bool:
    """Whether a line among the paragraphs is a picture's description, its credit lost:
    a long phrase with no closing stop whose verb is a participle and never a finite
    verb ("A woman wearing a blue flight suit surrounded by screens"). English only: it
    needs to know the language's auxiliaries."""
    words = text.split()
    if not 8 <= len(words) <= 45 or text[-1] in _TERMINAL or ":" in text or _FINITE.search(text):
        return False
    return any(w.endswith("ing") and w[:1].islower() for w in words[1:6])


_CREDIT_ALONE = re.compile(r"^[(\[](?P<credit>(?:[^()\[\]]|\([^()\[\]]*\)){2,80})[)\]]$")  # "(Bild: X (Screenshot))"


def _credit_follows(units: list[Unit], i: int) -> bool:
    """Whether unit ``i`` is a caption whose credit is the next line on its own:
    "(Andrey Shelepin/GCTC/Roscosmos via Reuters)", "EPA", "© vyzov.roscosmos.ru", "Фото: Роскосмос"."""
    text = units[i].text
    # A caption is a sentence or two; a paragraph of the story above a lone credit is not one.
    if i + 1 >= len(units) or not 3 <= _n_words(text) <= 40 or len(sentences(text)) > 2 or credit_alone(text):
        return False
    credit = units[i + 1].text
    if _BARE_CREDIT.fullmatch(credit):  # too weak a sign to make the paragraph above a caption
        return False
    if re.search(r"[“\"«„][^”\"»“]{20,}[”\"»“]", text):
        return False  # a quotation: someone speaks in the story; a caption says what a picture shows
    if re.fullmatch(r"[^()\[\]:©]*/[^()\[\]:©]*", credit) and len(sentences(text)) > 1:
        return False  # "Ekaterina Tchesnokova / Sputnik" under two sentences: a lost picture's credit
    words = text.split()
    if text[-1] not in _TERMINAL and sum(w[:1].isupper() for w in words) >= 0.6 * len(words):
        return False  # "Rules Published for Lead Role", then "Credit: Roscosmos": a headline in title case
    if i + 2 < len(units) and _CAPTION_OPENER.match(units[i + 2].text):
        return False  # "Photo: TASR / AP", then "Pictured from left are ...": the credit opens that caption
    return credit_alone(credit) is not None or _dated_credit(credit)[1] is not None


_BARE_CREDIT = re.compile(r"(?:Foto|Photo|Фото)\s+(?P<rest>[A-ZÀ-ÞА-ЯЁ][\w.’'-]*(?:\s+[\w.’'-]+)?)")


def _dated_credit(text: str) -> tuple[str, str | None]:
    """("Oct. 5, 2021", "NASA TV") for a line that dates a picture and credits it
    ("Oct. 5, 2021. (Image credit: NASA TV)"); ("", None) for any other line."""
    when, start, end = find_date(text[:40], "en", need_year=True)
    if when is None or start != 0:
        return "", None
    credit = credit_alone(text[end:].lstrip(" .,;:–—-"))
    return (text[:end].strip(), credit) if credit else ("", None)


# "Source" in the languages of the coverage, as the label of a credit: "Πηγή: ΑΠΕ-ΜΠΕ", "Źródło: PAP".
SOURCE_WORDS = (r"sources?|fuente|fonte|quelle|источник|πηγή|πηγές|źródło|zdroj|forrás|kaynak|izvor|извор|джерело|"
                r"източник|sumber|nguồn|المصدر|منبع|מקור|bron|källa|kilde|lähde|sursa|sursă|font|allikas|avots|"
                r"šaltinis|mənbə|дереккөз|出典|出处|来源|來源|출처|स्रोत|ที่มา")


# A credit line under its label, which may name what it credits: "Źródło zdjęć: © Materiały
# prasowe" (the source of the pictures), "Izvor fotografije: ...".
_SOURCE_LABEL = re.compile(r"^(?:(?:Image|Photo|Picture|Video)\s+)?(?:Credits?|" + SOURCE_WORDS + r")"
                           r"(?:\s+[^\W\d_]{3,12})?\s*:\s*(?:(?:Photo|Foto|Фото)\s*:\s*)?©?\s*(?P<rest>.*)$",
                           re.IGNORECASE)


def credit_alone(text: str) -> str | None:
    """The credit of a line that holds nothing but a picture's credit, else None."""
    text = _BULLET.sub(r"\g<text>", text).strip()
    if _CREDIT_LINE.match(text) or text[:1] == "*":
        return None
    if alone := _CREDIT_ALONE.match(text):  # "(Photo: rogozin_do / Telegram)"
        inner = re.sub(r"^(?:(?:Image|Photo|Video|Picture)\s+)?credits?\s*:\s*", "Photo: ",
                       alone.group("credit").strip(), flags=re.IGNORECASE)  # "(Image credit: NASA TV)"
        labelled = _IMAGE_MARKER.match(inner)
        credit = labelled.group("rest").strip() if labelled else inner
        if labelled or re.search(r"/|\b(via|by|Photo|Foto|Credit|courtesy)\b|" + _AGENCY, inner):
            return credit
        return None
    # ("via TASS" alone: a name or a desk, never a phrase in lower case)
    if via := re.fullmatch(r"(?:(?:Image|Photo|Picture|Video) (?:via|by|courtesy(?: of)?)|"
                           r"via(?= [A-ZА-ЯЁ]\S*(?: \S+){0,4}$)) (?P<rest>[^.!?]{2,60})", text):
        return via.group("rest").strip()  # "Image via GCTC / SpaceNews"
    if text.startswith("©"):  # "© Roscosmos Press Office/TASS"
        return text[1:].strip() if 0 < _n_words(text[1:]) <= 6 else None
    labelled = _IMAGE_MARKER.match(text) or _SOURCE_LABEL.match(text.rstrip("."))
    if labelled and 0 < _n_words(labelled.group("rest")) <= 6 and labelled.group("rest")[-1:] not in ".!?。！？":
        return labelled.group("rest").strip()  # "Фото: Роскосмос", "Credit: GK Roskosmos"
    if desks := re.fullmatch(r"[^\W\d_]{3,15}:\s*(?P<rest>" + _CAP + r"[\w.&' -]{1,30}(?:\s*/\s*" + _CAP
                             + r"[\w.&' -]{1,30}){1,5})", text):
        return desks.group("rest").strip()  # "Nyitókép: MTI/AP/Roszkozmosz/Andrey Shelepin": any label, desks
    if re.fullmatch(_AGENCY + r"(?:\s*/\s*" + _AGENCY + r")*", text):  # "EPA", "Reuters/AP"
        return text
    if dashed := re.fullmatch(r"(?:[^\W\d_]+\s+)?(?:FOTO|Foto|Photo|PHOTO|Фото|ФОТО|Bild|Imagem|Immagine)\s*[-–—|]\s*"
                              r"(?P<rest>[^.!?]{2,60})", text):
        return dashed.group("rest").strip()  # "Ilustrační FOTO - Pixabay": a stock picture's credit
    if bare := _BARE_CREDIT.fullmatch(text):
        return bare.group("rest")  # "Foto Arhiva": a label and a name, no colon
    if re.fullmatch(r"(?:" + _CAP + r"[\w.'’-]+(?: " + _CAP + r"[\w.'’-]+){0,2}\s*)?/\s*" + _AGENCY, text):
        return text.lstrip("/ ")  # "Ramil Sitdikov / Sputnik", "/ TASS": a photographer and the desk
    found = _CAPTION_CREDIT.match(text)
    if found and re.fullmatch(_AGENCY + r"\s*[-–—|:]?", found.group("caption").strip()):
        return found.group("credit").strip()  # "TASS – Photo de couverture par X / Wikimedia Commons"
    return None


def _only_credit(text: str) -> bool:
    """Whether the words after "Photo:" are a credit alone: a few names, with a slash or an agency."""
    return 0 < _n_words(text) <= 8 and text[-1:] not in ".!?。！？" and not re.search(r"[.!?:]\s", text) and \
        bool(re.search(r"/|\b(?:via|by)\b|" + _AGENCY + r"\s*$", text))


# "(Xinhua)", "(ANSA)", "(dpa/jW)" at the end of the story's last paragraph: who filed it.
_AGENCY_TAG = re.compile(r"(?<=[.!?”\"»])\s*\((?P<agency>[A-Z][\w.-]{1,15}(?:/[\w.-]{1,10})?|"
                         r"(?-i:ats|afp|apa|sda|dpa|ansa|efe|lusa|kna|ap|awp)(?:/[a-z]{1,10})?)\)\s*$")  # or "(ats)"


# The same in Japanese, with the place: "...と語った。（モスクワAFP時事）"
# (or the paper's own correspondent after an equals sign: "(ロサンゼルス=千歳香奈子通信員)")
_JAPANESE_TAG = re.compile(r"(?<=[。」])\s*[（(](?P<place>[^（）()\d=＝]{1,10}?)[=＝]?"
                           r"(?:(?P<agency>AFP時事|EPA時事|時事|共同|ロイター)|(?P<writer>[^（）()\d=＝]{2,12}(?:通信員|特派員|記者)))"
                           r"[)）]\s*$")


def _take_agency_tag(text: str, reading: _Reading, last: bool) -> str:
    if last and (japanese := _JAPANESE_TAG.search(text)):
        if japanese.group("agency"):
            reading.agency = reading.agency or japanese.group("agency")
            reading.dateline = reading.dateline or japanese.group("place")
        else:  # the writer's post, not where the story was filed
            reading.credit = reading.credit or japanese.group("writer")
        return text[:japanese.start()].rstrip()
    match = _AGENCY_TAG.search(text) if last else None
    if match is None:
        return text
    agency = match.group("agency").split("/")[0]
    reading.agency = reading.agency or (agency.upper() if agency.islower() else agency)
    return text[:match.start()].rstrip()


# An embedded post's attribution at the end of its text: "... pic.twitter.com/x — ROSCOSMOS
# (@roscosmos) October 17, 2021".
_POST_TAIL = re.compile(r"(?:\s|(?<=pic\.twitter\.com/\w{10}))[—–]\s*(?P<author>[^()\n—–]{1,80}?)\s*"
                        r"\((?P<handle>@\w{1,30})\)\s*(?P<date>[^()@]{0,40})$")


def _split_post(text: str) -> tuple[str, re.Match[str] | None]:
    """(post text without its picture link, attribution) of a unit holding an embedded
    post; the text is "" when the unit is the attribution alone."""
    attribution = _POST_BY.match(text) or _POST_TAIL.search(text)
    body = text if attribution is None or attribution.re is _POST_BY else text[:attribution.start()]
    if attribution is not None and attribution.re is _POST_BY:
        body = ""
    return _POST_LINK.sub("", body).strip(), attribution


def _post_markdown(out: list[str], text: str, attribution: re.Match[str], reading: _Reading) -> str:
    """An embedded post as a quotation: the post's text (in the unit, or the paragraph
    before its attribution), then who posted it and when. Picture links are dropped."""
    if not text and out and _is_paragraph(out[-1]) and len(out[-1]) <= 600:
        text = _plain(out.pop())
    # A post of several paragraphs: the ones above its last that read as a post's (a hashtag,
    # a mention, an exclamation, another script than the story's) belong to it.
    parts = [text] if text else []
    while out and _is_paragraph(out[-1]) and _n_words(out[-1]) <= 50 and _post_like(_plain(out[-1]), reading):
        parts.insert(0, _plain(out.pop()))
    text = "\n\n".join(parts)
    author = attribution.group("author").strip()
    date, _, _ = find_date(attribution.group("date"), reading.language)
    when = long_date(date) if date else attribution.group("date").strip()
    handle = f" ({attribution.group('handle')})" if attribution.group("handle") else ""
    line = f"— {escape_markdown(author)}{handle}" + (f", {when}" if when else "")
    quoted = [f"> {escape_markdown(t)}" if t else ">" for t in text.split("\n")] + [">"] if text else []
    return "\n".join([*quoted, f"> {line}"])


def _post_like(text: str, reading: _Reading) -> bool:
    """Whether a short paragraph reads as part of a social media post rather than the story."""
    if re.search(r"(?:^|\s)[#@]\w|!\s*$", text):
        return True
    cyrillic = sum(1 for c in text if "\u0400" <= c <= "\u04ff")
    foreign = cyrillic > len(text) / 3 if reading.language != "ru" else cyrillic < len(text) / 10
    return foreign


def _caption_markdown(caption: str, language: str = "en") -> str:
    """A caption after an ``Image:`` marker as the Markdown caption block."""
    caption = " ".join(caption.split("\n"))
    found = caption_of(caption)
    if found:
        return _caption_block(*found, language)
    return f"Caption: {escape_markdown(caption)}"


_PHOTO_LABEL = {"en": "Photo", "fr": "Photo", "ru": "Фото", "uk": "Фото", "bg": "Фото", "be": "Фото", "ko": "사진",
                "ja": "写真", "zh": "图片", "ar": "صورة", "fa": "عکس", "el": "Φωτογραφία", "he": "צילום"}


def _caption_block(caption: str, credit: str, language: str = "en") -> str:
    """``Caption:`` text, then the credit line (labelled "Photo:" in the text's language when
    the text had no label)."""
    if not credit:
        return f"Caption: {escape_markdown(caption)}"
    if not re.match(r"^[^\W\d_]+\s*:", credit):
        credit = f"{_PHOTO_LABEL.get(language, 'Foto')}: {credit}"
    return f"Caption: {escape_markdown(caption)}\n{escape_markdown(credit)}"
