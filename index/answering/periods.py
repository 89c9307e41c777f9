"""A named thing's period, written in brackets beside its name: "ANR is part of the ICPerMed Coordination and Support
Action (ICPerMed Secretariat; CSA; 2016-2020)" says over which years the Secretariat runs, though no verb says so.

An answer by the sentence's form, as an acronym's definition is (extractive.py gives it at least
BY_FORM_PROBABILITY): the question asks for a period ("Which years does the ICPerMed Secretariat run?", "For what
period was ANR part of…", "icpermed secretariat years"), and every one of its own words is written in the sentence
up to the end of a bracket holding a year range. A question naming anything the sentence does not write there ("Which
years did the PerMed CSA run?", the sentence naming "ERA PerMed" only after the bracket) is left to the model.

    asks_for_period(question) -> bool
    period_span(sentence, question) -> (start, end) | None    the year range answering it, in `sentence`
"""

from __future__ import annotations

import re

from docqa.index import text
from docqa.index.answering import followup

__all__ = ["asks_for_period", "period_span"]

_ASKS = re.compile(
    r"(?i)\b(?:which|what)\s+(?:years?|period|dates?|time\s?frame)\b"  # "Which years does…", "For what period…"
    r"|\b(?:years?|period|dates?)\W*$"  # search-box words: "icpermed secretariat years"
    r"|^\W*when\b.*\b(?:runs?|ran|covers?|covered|lasts?|lasted|spans?|spanned)\b"  # "When does the CSA run?"
)
_PERIOD_WORDS = frozenset(
    "which what when year years period periods date dates timeframe time frame run runs ran running cover covers covered "
    "covering last lasts lasted span spans spanned exactly".split()
)
"""The words that ask for the period, not what it is the period of."""
_BRACKET = re.compile(r"\(([^()]*)\)")
_RANGE = re.compile(r"\b(?:1\d{3}|20\d\d)\s*[-–—]\s*(?:1\d{3}|20\d\d|\d\d)\b")


def asks_for_period(question: str) -> bool:
    """Whether `question` asks over which years or period something runs (a follow-up's subject added in brackets
    aside: "years? (ICPerMed CSA)")."""
    return _ASKS.search(followup.without_added_subject(question)) is not None


def period_span(sentence: str, question: str) -> tuple[int, int] | None:
    """The year range of the first bracket in `sentence` that holds one and before whose end the sentence writes every
    word of `question` that is not a stop word or a word asking for a period; None if there is none."""
    wanted = {text.match_stem(w) for w in text.content_words(question) if w not in _PERIOD_WORDS}
    if not wanted:
        return None
    for bracket in _BRACKET.finditer(sentence):
        found = _RANGE.search(bracket.group(1))
        if found is None:
            continue
        written = {text.match_stem(w.lower()) for w in text.words(sentence[: bracket.end()])}
        if wanted <= written:
            return bracket.start(1) + found.start(), bracket.start(1) + found.end()
    return None
