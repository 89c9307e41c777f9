"""Another member of a closed set than the question's: another weekday, month, direction, season, colour... (issue 12
item 4). A question naming one where the sentence names another, and not the question's, asks about something the
sentence does not state ("Tuesday afternoons" for "Wednesday afternoons", "gold plates" for "bronze plates").

    other_of_a_kind(question, sentence)   the sentence names another member of the question's set, and not the question's
"""

from __future__ import annotations

import functools
import re

__all__ = ["other_of_a_kind"]


# Closed sets whose members exclude one another: a question naming one where the sentence names another, and not the
# question's, asks about another day, month, direction, season, time of day, colour, metal or continent ("Tuesday
# afternoons" for "Wednesday afternoons", "gold plates" for "bronze plates"). Weekdays and months count capitalised
# only ("may", "march" are also verbs).
_KINDS = (
    frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()),
    frozenset("January February March April May June July August September October November December".split()),
    frozenset("north south east west".split()),
    frozenset("northern southern eastern western".split()),
    frozenset("northeast northwest southeast southwest north-east north-west south-east south-west".split()),
    frozenset(("a.m.", "p.m.")),
    frozenset("spring summer autumn winter".split()),  # not "fall", a verb as often
    frozenset("morning afternoon evening night midnight noon".split()),
    frozenset("red blue green yellow black white orange purple brown grey gray pink violet".split()),
    frozenset("gold silver bronze copper iron steel tin zinc aluminium aluminum platinum nickel brass".split()),
    frozenset("africa asia europe antarctica australia oceania".split()),
)
_LOWER_CASE_ONLY = frozenset().union(*_KINDS[6:10])
"""Kinds' words that count written in lower case only: a capitalised one is mostly a name's ("the Black Death", "the
Green Party", "Silver Spring") or opens a sentence."""
_KIND_WORD = re.compile(r"[A-Za-z]+(?:-[a-z]+)?")
_HALF_DAY = re.compile(r"(?i)\d\s*([ap])\.?m\b")
"""A clock time's half of the day ("5 pm", "9.30 a.m.", "5PM"): only after a number ("Am I eligible?" asks no time)."""


def other_of_a_kind(question: str, sentence: str) -> bool:
    """Whether the question names a weekday, a month, a compass direction, a half of the day (am, pm), a season, a
    time of day, a colour, a metal or a continent the sentence does not, while the sentence names another of the same
    set and none the question names ("When are meetings on Tuesday afternoons?" on "…on Wednesday afternoons"; "At 5
    am, what do MSPs decide on?" on "…at 5 pm, MSPs…"; "gold printing plates" on "…switched to bronze plates")."""
    asked, said = _kind_words(question), _kind_words(sentence)
    return any((asked & kind) - said and (said & kind) - asked and not (asked & said & kind) for kind in _KINDS)


@functools.lru_cache(maxsize=16384)
def _kind_words(text: str) -> frozenset[str]:
    """`text`'s words as _KINDS writes them: weekdays and months as written (capitalised), directions and continents
    lower-cased, seasons, times of day, colours and metals as written in lower case only, halves of the day as "a.m."
    and "p.m."."""
    found = _KIND_WORD.findall(text)
    named = {m.group(1) for m in _NAMED.finditer(text) if m.group(2) not in _KINDS[0] | _KINDS[1]}
    half_days = {f"{half.lower()}.m." for half in _HALF_DAY.findall(text)}
    lowered = {w.lower() for w in found if w.islower() or w.lower() not in _LOWER_CASE_ONLY}
    return frozenset(lowered | {w for w in found if w[:1].isupper() and w not in named} | half_days)


_NAMED = re.compile(r"\b([A-Z][a-z]+)(?=[ \t]+([A-Z][a-z]+))")
"""A weekday or month before another capitalised word is a name's ("the Sunday Times", "Good Friday Agreement")."""
