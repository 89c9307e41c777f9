"""Questions that ask for countries, and whether a text names one.

"Which countries are members of ICPerMed?" is answered only by a sentence that names a country the question does not
name already: "…over 30 European and international members, including ANR" names none, and "from France ANR…" does
not answer "Which countries other than France…?". Countries are ISO 3166's, current and historic (pycountry), written
as a name ("Germany", "United Kingdom") or as its adjective ("Japanese": a capitalised word opening with the name's
first four letters; `language.related` gives the ones that do not, "French", "Dutch", "Swiss").

    asks_for_countries(question)         "which / what (other) countries…", "member countries", "in what nation…"
    names_another_country(text, question)  a country `text` names and `question` does not
"""

from __future__ import annotations

import functools
import re

from docqa.index.answering import language
from docqa.index.text import match_stem

__all__ = ["asks_for_countries", "names_another_country"]

_ASKS = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+)?(?:countr(?:y|ies)|nations?)\b(?!['’]s)|\b(?:member|participating)\s+countries\b",
    re.IGNORECASE,
)
"""'Which countries…', 'what other countries…', 'in what nation…', 'member countries' ('which country's cars…' asks
about a country's things, and its answer may be them: left out)."""

_SHORT_FORMS = ("US", "USA", "U.S.", "UK", "U.K.", "Britain", "England", "Scotland", "Wales", "America", "Holland")
"""Names of countries ISO 3166 does not write."""

_WORD = re.compile(r"[A-Z][\w.\-]*")


@functools.cache
def _names() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern finding country names as written, and each one-word name's stem → its key (the name, lower-cased)."""
    import pycountry  # read only when a question asks for countries

    names = set(_SHORT_FORMS)
    for country in (*pycountry.countries, *pycountry.historic_countries):
        for attribute in ("name", "common_name", "official_name"):
            if value := getattr(country, attribute, None):
                names.add(value.split(",")[0].strip())  # "Korea, Republic of" → "Korea"
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)")
    return pattern, {match_stem(n.lower()): n.lower() for n in names if " " not in n}


def _adjective_of(word: str, stems: dict[str, str]) -> str | None:
    """The country whose adjective `word` (capitalised) is: "German" → germany (`language.related`), "Japanese" →
    japan, "Portuguese" → portugal (the name's first four letters)."""
    for related in language.related(match_stem(word.lower())):
        if related in stems:
            return stems[related]
    opening = word[:4].lower()
    return next((key for key in stems.values() if len(word) > 4 and key[:4] == opening), None)


def _countries_named(text: str) -> set[str]:
    """The countries `text` names, by name or by adjective, each as its name lower-cased."""
    pattern, stems = _names()
    found = {m.group().lower() for m in pattern.finditer(text)}
    for word in _WORD.findall(text):
        if word.lower() not in found and (country := _adjective_of(word, stems)) is not None:
            found.add(country)
    return found


def asks_for_countries(question: str) -> bool:
    """Whether `question` asks which countries (or nations) do something."""
    return _ASKS.search(question) is not None


def names_another_country(text: str, question: str) -> bool:
    """Whether `text` names a country (or its adjective) that `question` does not name."""
    return bool(_countries_named(text) - _countries_named(question))
