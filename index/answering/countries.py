"""Questions that ask for countries, and whether a text names one.

"Which countries are members of ICPerMed?" is answered only by a sentence that names a country the question does not
name already: "…over 30 European and international members, including ANR" names none, and "from France ANR…" does
not answer "Which countries other than France…?". Countries are ISO 3166's, current and historic (pycountry), written
as a name ("Germany", "United Kingdom", and common names ISO does not write: "Russia", "the U.S.") or as its adjective
("Japanese": a capitalised word sharing the name's opening, four letters at least, and ending as an adjective does;
`thesaurus.related` gives the ones that do not open so, "French", "Dutch", "Danish"). "U.S." and "United States" are
one country.

    asks_for_countries(question)         "which / what (other) countries…", "member countries", "in what nation…"
    names_another_country(text, question)  a country `text` names and `question` does not
    countries_missing(question, text)    a country `question` names and `text` does not ("Which German ministry…?",
                                         "the American Union" where the texts say "the European Union"); not one it
                                         sets aside ("besides France") or writes in another name ("New Mexico");
                                         by its name only (`by_name`: the answerer's check of the shown sentence,
                                         made unless the question asks which countries, "…border Germany?")
"""

from __future__ import annotations

import functools
import os
import re

from docqa.index.answering import thesaurus
from docqa.index.text import match_stem

__all__ = ["asks_for_countries", "countries_missing", "load", "names_another_country"]

_ASKS = re.compile(
    r"\b(?i:which|what)\s+(?:(?!(?i:is|are|was|were|do|does|did|has|have|had|can|could|will|would)\b)\w+\s+)?"
    r"(?:countr(?:y|ies)|nations?)\b(?!['’]s)|\b(?i:member|participating)\s+countries\b",
)
"""'Which countries…', 'what other countries…', 'in what nation…', 'member countries' ('which country's cars…' asks
about a country's things, and its answer may be them: left out; so is a capitalised 'Nations', a name's word: 'Which
United Nations agency…?', and 'What did countries such as Spain…?', which asks something of them)."""

_SHORT_FORMS = {
    "US": "USA", "USA": "USA", "U.S.": "USA", "U.S.A.": "USA", "America": "USA", "UK": "GBR", "U.K.": "GBR",
    "Britain": "GBR", "Great Britain": "GBR", "Holland": "NLD", "Russia": "RUS", "Ivory Coast": "CIV", "Macedonia": "MKD",
    "Cape Verde": "CPV", "Brunei": "BRN", "Vatican": "VAT", "Bosnia": "BIH", "Turkey": "TUR", "Swaziland": "SWZ",
    "East Timor": "TLS", "Soviet Union": "SUHH", "Union of Soviet Socialist Republics": "SUHH", "UAE": "ARE", "Emirates": "ARE", "England": "England", "Scotland": "Scotland", "Wales": "Wales",
}
"""Names of countries ISO 3166 does not write, and the country each names (ISO's three letters; England, Scotland and
Wales are their own)."""

_WORD = re.compile(r"[A-Z][\w.\-]*")
_ADJECTIVE_ENDING = re.compile(r"(?:an|ese|ish|i|ic)s?$")
"""How a country's adjective ends ("Japanese", "Peruvian", "Pakistani", "Icelandic"): "Congress", "Franchise" or
"Chinatown" open as a country does and name none."""


@functools.cache
def _names() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    """A pattern finding country names as written, each name (lower-cased) → its country, and each one-word name's
    stem → its country. A country is its ISO 3166 three letters (four for a historic one), so that "U.S." and "United
    States" name one."""
    import pycountry  # read only when a question asks for countries

    names = {name.lower(): key for name, key in _SHORT_FORMS.items()}
    written = set(_SHORT_FORMS)
    for country, key in (*((c, c.alpha_3) for c in pycountry.countries), *((c, c.alpha_4) for c in pycountry.historic_countries)):
        for attribute in ("name", "common_name", "official_name"):
            if value := getattr(country, attribute, None):
                name = value.split(",")[0].strip()  # "Korea, Republic of" → "Korea"
                written.add(name)
                names.setdefault(name.lower(), key)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in sorted(written, key=len, reverse=True)) + r")(?!\w)")
    return pattern, names, {match_stem(n): key for n, key in names.items() if " " not in n and "." not in n}


@functools.cache
def _by_opening() -> dict[str, list[tuple[str, str]]]:
    """Each one-word name's first four letters → the names (lower-cased) and their countries."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name, key in _names()[1].items():
        if " " not in name and "." not in name:
            out.setdefault(name[:4], []).append((name, key))
    return out


@functools.lru_cache(maxsize=8192)
def _adjective_of(word: str) -> str | None:
    """The country whose name or adjective `word` (capitalised) is: "FRANCE" → France, "Dutch" → the Netherlands
    (`thesaurus.related`: an adjective not opening as the name does), "Japanese" → Japan, "Austrian" → Austria, not
    Australia (the one-word name sharing the longest opening, four letters at least, then at most five letters
    ending as an adjective does; "Roman" is no more than Romania's opening, "Indiana" ends as no adjective)."""
    _, names, stems = _names()
    lower = word.lower()
    if (country := names.get(lower)) is not None:
        return country
    own = match_stem(lower)
    for related in thesaurus.related(own):
        if related != own and related in stems:
            return stems[related]
    if not _ADJECTIVE_ENDING.search(lower):
        return None
    best, longest = None, 3
    for name, key in _by_opening().get(lower[:4], ()):
        shared = len(os.path.commonprefix((lower, name)))
        # "German" is Germany less its "y" ("Roman" is Romania less "ia": no adjective of it)
        if shared > longest and (0 < len(lower) - shared <= 5 or name == lower + "y"):
            best, longest = key, shared
    return best


def country_of(word: str) -> str | None:
    """The country (ISO 3166 three letters) `word` names by its name, short form or adjective ("UK", "British" →
    GBR), or None."""
    return _adjective_of(word)


def _by_adjective(text: str, matches: list[re.Match[str]]) -> set[str]:
    """The countries `text` names by a word outside the names `matches` found (an adjective: "Japanese"; "German" in
    "German Democratic Republic" is that name's word, and "German poet" beside it names Germany)."""
    found, k = set(), 0
    for word in _WORD.finditer(text):  # the words and the names, both in order: one pass over each
        while k < len(matches) and matches[k].end() <= word.start():
            k += 1
        if k < len(matches) and matches[k].start() <= word.start():
            continue  # a word of a name
        if (country := _adjective_of(word.group())) is not None:
            found.add(country)
    return found


def _countries_named(text: str) -> set[str]:
    """The countries `text` names, by name or by adjective ("the Soviets", "a Soviet satellite" name the Soviet Union,
    though "Soviet" opens as no name of it does: only where it is written, not asked, lest "Which Soviet leader…?"
    ask a country). A text naming the Soviet Union names Russia too, not the other way round."""
    pattern, names, _ = _names()
    matches = list(pattern.finditer(text))
    found = {names[m.group().lower()] for m in matches} | _by_adjective(text, matches)
    if "SUHH" in found or _SOVIET.search(text):
        found |= {"SUHH", "RUS"}  # what the Soviet Union did, Russia did: it is asked so ("Who along with Russia…?")
    return found


_SOVIET = re.compile(r"\bSoviets?\b")


def load() -> None:
    """Read pycountry's names now (~0.1 s) rather than at the first question."""
    _names()


def asks_for_countries(question: str) -> bool:
    """Whether `question` asks which countries (or nations) do something ("How many people live in the member
    countries?" asks a count of people: countries after a preposition are where, not what, is asked)."""
    match = _ASKS.search(question)
    before = question[: match.start()] if match else ""
    return match is not None and not (
        match.group().lower().startswith(("member", "participating")) and _WHERE.search(before) and not _WHICH_OF.search(before)
    )


_WHERE = re.compile(r"\b(?i:in|of|across|among|to|from|for|between|within|throughout|by)\s+(?:(?i:the|all|its|their|our)\s+)?$")
# "Which / How many of the member countries…?": the countries are asked after all
_WHICH_OF = re.compile(r"\b(?i:which|what|how\s+many)\s+of\s+(?:(?i:the|all|its|their|our)\s+)?$")


_SET_ASIDE = re.compile(
    r"\b(?i:besides|other\s+than|apart\s+from|aside\s+from|except(?:\s+for)?|excluding|not\s+(?:counting|including))"
    r"\s+(?:the\s+)?[A-Z][\w.\-]*(?:(?:\s*,\s*|\s+(?:and|or|nor)\s+|[ \t]+)(?:the\s+)?[A-Z][\w.\-]*)*"
)
"""Countries a question sets aside ("Besides France, which…?", "…other than Spain and Italy?"), the capitalised words
after the word setting them aside: not asked of."""
_CAPITALISED_AFTER = re.compile(
    r"[ \t]+(?:[A-Z]|(?:rivers?|basin|delta|valley|mountains|range|sea|gulf|bay|straits?|desert|lake|islands?|peninsula)\b)"
)
"""A capitalised word after a country's name, or a word for a place of nature: the name is that thing's ("Mexico
City", "the Congo river", "the Jordan valley")."""


def _joined_to_name(question: str, match: re.Match[str]) -> bool:
    """Whether the name `match` found is joined by a space to a capitalised word, the question's opening one apart
    ("New Mexico", "Mexico City"; not "Did France sign?"), or names a river, valley, sea... ("the Congo river")."""
    if _CAPITALISED_AFTER.match(question, match.end()):
        return True
    before = question[max(0, match.start() - 100) : match.start()]
    words = before.split()
    return (
        before[-1:] in (" ", "\t")
        and bool(words)
        and words[-1][0].isupper()
        and (len(words) > 1 or match.start() > 100)
    )


@functools.lru_cache(maxsize=1024)  # asked of the same question by both checks of one answer
def _asked(question: str, *, by_name: bool) -> frozenset[str]:
    """The countries `question` asks of: named (or, unless `by_name`, by adjective), not set aside ("besides France"),
    and not a word of another name ("New Mexico", "Mexico City", "Michael Jordan": a capitalised word joined to it,
    the question's opening word apart: "Did France sign?")."""
    pattern, names, _ = _names()
    aside = [m.span() for m in _SET_ASIDE.finditer(question)]
    for start, end in aside:  # what is set aside is not read at all
        question = question[:start] + " " * (end - start) + question[end:]
    matches = list(pattern.finditer(question))
    asked = {names[m.group().lower()] for m in matches if not _joined_to_name(question, m)}
    return frozenset(asked if by_name else asked | _by_adjective(question, matches))


def countries_missing(question: str, text: str, *, by_name: bool = False) -> bool:
    """Whether `question` names a country (or its adjective; only by its name if `by_name`) that `text` does not name
    in any form; a country the question sets aside ("besides France") or writes as a word of another name ("New
    Mexico", "Mexico City") is not asked of."""
    asked = _asked(question, by_name=by_name)
    return bool(asked and asked - _countries_named(text))


def names_another_country(text: str, question: str) -> bool:
    """Whether `text` names a country (or its adjective) that `question` does not name."""
    return bool(_countries_named(text) - _countries_named(question))
