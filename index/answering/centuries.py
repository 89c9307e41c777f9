"""Does the question ask of another century or decade than the sentence? Evidence for the answerer's declines.

"What fortification was built in the 18th century?" on "The Warsaw Citadel, a 19th-century fortification…": the
question dates its thing in a period the sentence does not, and so asks about something the sentence does not state.
Read only where both sides name a period of the same size (a century, a decade), and not where a year the sentence
writes falls in the asked period ("in the 19th century" on "…the 18th century, until 1810"). Generic English only:
centuries are written as ordinals ("19th", "nineteenth"), decades as a year and "s" ("1990s").

    century_swapped(question, sentence)   another century or decade asked than the sentence names (and no year in it)
"""

from __future__ import annotations

import functools
import re

from docqa.index.answering import denials

__all__ = ["century_swapped"]

_ORDINALS = {
    word: value
    for value, word in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth
        fifteenth sixteenth seventeenth eighteenth nineteenth twentieth""".split(),
        start=1,
    )
} | {"twenty-first": 21}
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + ")"
_CENTURIES = re.compile(rf"(?i)\b({_ORDINAL}(?:\s*(?:,|and|or|to|through|-|–)\s*(?:the\s+)?{_ORDINAL})*)[\s\-]+centur(?:y|ies)\b")
"""One century or several ("the 10th and 11th centuries", "the sixteenth to eighteenth century")."""
_DECADE = re.compile(r"(?<![\d'’])(1\d\d|20\d)0['’]?s\b")
_YEAR = re.compile(r"(?<![\d'’])(1\d{3}|20\d\d)\b")


def century_swapped(question: str, sentence: str) -> bool:
    """Whether `question` names a century (decade) the sentence does not, where the sentence names another century
    (decade) and writes no year in the asked one: "Who did Galileo's work correct in the 16th century?" on "…not
    corrected until the 17th century work of Galileo". Not in yes/no questions (the answer may be "no, the 17th"); a
    decade of a century's turn ("the 1800s") is often the whole century, and is left alone."""
    if denials.asks_yes_no(question):
        return False
    asked_centuries, asked_decades = _periods(question)
    if not asked_centuries and not asked_decades:
        return False
    said_centuries, said_decades = _periods(sentence)
    years = _years(sentence)
    return bool(
        (asked_centuries and said_centuries and not asked_centuries & said_centuries and not asked_centuries & _centuries_of(years))
        or (asked_decades and said_decades and not asked_decades & said_decades and not asked_decades & {y // 10 * 10 for y in years})
    )


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _periods(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """The centuries `text` names (19 for "the 19th century"; every one between the first and the last of a list or
    a span: "the 10th to 12th centuries" is 10, 11 and 12) and the decades, as their first year (1990 for "the
    1990s")."""
    centuries: set[int] = set()
    for match in _CENTURIES.finditer(text):
        values = [_ORDINALS.get(o.lower()) or int(o[:-2]) for o in re.findall(_ORDINAL, match.group(1), re.IGNORECASE)]
        centuries.update(range(min(values), max(values) + 1))
    decades = {int(d) * 10 for d in _DECADE.findall(text) if not d.endswith("0")}  # "the 1800s" may be the century
    return frozenset(centuries), frozenset(decades)


@functools.lru_cache(maxsize=16384)
def _years(text: str) -> frozenset[int]:
    """The years `text` writes, a decade's first year included ("1990s": 1990)."""
    return frozenset(int(y) for y in _YEAR.findall(text)) | frozenset(int(d) * 10 for d in _DECADE.findall(text))


def _centuries_of(years: frozenset[int]) -> set[int]:
    """The centuries the years are in, a round year in both it may be read in ("1800": the 18th and the 19th)."""
    return {y // 100 + 1 for y in years} | {(y - 1) // 100 + 1 for y in years}
