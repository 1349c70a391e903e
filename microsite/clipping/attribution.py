"""Whose reporting a story cites: "told AFP", "AP reported", "selon l'AFP", "сообщает ТАСС".

A report rewritten from a wire keeps the wire's attributions, so these name the agencies
(and the few broadcasters quoted the same way) a text draws on. Import writes them as the
article's ``source.based_on``; who published the text itself is for editors to say.

Only the story's prose is read: a photo credit ("Reuters via ...") says who took a
picture, not whose reporting the text retells.
"""

from __future__ import annotations

import re

# Spelling as written -> the name the site shows. Names that are also words ("AP", "EFE")
# are matched in capitals only.
_AGENCIES = {
    "AP": "AP", "Associated Press": "AP", "AFP": "AFP", "Agence France-Presse": "AFP", "France-Presse": "AFP",
    "Reuters": "Reuters", "TASS": "TASS", "Tass": "TASS", "ТАСС": "TASS", "ИТАР-ТАСС": "TASS",
    "RIA Novosti": "RIA Novosti", "РИА Новости": "RIA Novosti", "РИА «Новости»": "RIA Novosti",
    "РИА \"Новости\"": "RIA Novosti", "РИА “Новости”": "RIA Novosti", "Interfax": "Interfax", "Интерфакс": "Interfax",
    "Xinhua": "Xinhua", "新华社": "Xinhua", "Kyodo": "Kyodo", "Yonhap": "Yonhap", "EFE": "EFE", "ANSA": "ANSA",
    "dpa": "dpa", "DPA": "dpa", "Europa Press": "Europa Press", "Lusa": "Lusa", "Agência Brasil": "Agência Brasil",
    "UPI": "UPI", "Sputnik": "Sputnik", "Bloomberg": "Bloomberg", "PTI": "PTI", "IANS": "IANS", "ANI": "ANI",
    "CNN": "CNN", "BBC": "BBC",
}
_SPELLINGS = "|".join(re.escape(n) for n in sorted(_AGENCIES, key=len, reverse=True))
_NAME = rf"(?P<name>{_SPELLINGS})(?![\w-])"
_THE = r"(?:the |la |le |l['’]|a |à |à la |ao |al |der |die |dem |dell['’]|all['’]|agenzia |agência |agencia )?"

# Verbs and phrases before the agency ("told AFP") and after it ("AP reported"), per language.
_BEFORE = (
    r"told|according to|as per|per|citing|cited by|quoted by|reported by|in an interview with|speaking to|"
    r"(?:a |ont |avait )?(?:déclaré|indiqué|affirmé|confié|expliqué|raconté|précisé|dit) à|selon|rapporte|"
    r"auprès de|dijo a|declaró a|explicó a|según|disse à|disse ao|declarou à|afirmou à|segundo|de acordo com|"
    r"entrevista|entretien avec|interview with|"
    r"informou|sagte|erklärte|berichtete|meldete|laut|ha detto|ha dichiarato|secondo|riferisce|riporta|"
    r"сообщает|сообщил[аи]?|передает|передаёт|рассказал[аи]?|заявил[аи]?|пишет|по данным|по сообщению|"
    r"по информации|со ссылкой на"
)
_AFTER = (
    r"reported|reports|quoted|cited|wrote|said|says|learned|has learned|"
    r"(?:news )?agency (?:reported|said|quoted)|rapporte|a rapporté|informó|informou|berichtete|meldete|riferisce|"
    r"сообщает|сообщило|передает|передаёт"
)
_CITED = re.compile(rf"(?<![\w-])(?:{_BEFORE})\s+{_THE}{_NAME}|"
                    rf"(?<![\w-])(?P<after>{_SPELLINGS})(?:\s+news agency)?,?\s+(?:{_AFTER})(?!\w)", re.IGNORECASE)


def _canonical(spelling: str) -> str | None:
    """The shown name of an agency as matched (case-insensitively), or None for a word
    that only looks like one in capitals: "per ap" is no agency, "per AP" is."""
    if spelling in _AGENCIES:
        return _AGENCIES[spelling]
    for name, shown in _AGENCIES.items():
        if name.casefold() == spelling.casefold() and not name.isupper():
            return shown
    return None


def cited_reporting(prose: str, credit: str = "") -> tuple[str, ...]:
    """The agencies whose reporting ``prose`` (and its credit line) cites, sorted by name."""
    found = set()
    for match in _CITED.finditer(prose):
        if (name := _canonical(match.group("name") or match.group("after"))) is not None:
            found.add(name)
    for match in re.finditer(_NAME, credit):  # "With information from Ashley Strickland, from CNN"
        if (name := _canonical(match.group("name"))) is not None:
            found.add(name)
    return tuple(sorted(found, key=str.casefold))
