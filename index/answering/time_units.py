"""Does the question count in another time unit than the sentence? Evidence for the answerer's declines.

SQuAD 2.0's writers also made questions unanswerable by changing a time unit: "What takes between two and three weeks
to develop?" on "…takes between two and three days to develop", "The outcome of what is known in hours?" on "…is
known in seconds". Read so only where both sides quantify their unit the same way (the same number, or a word such as
"in", "many", "a"): another number in another unit may be the same span ("36 months" answers "how many years", "for
3 years" says "36 months"), and is left alone. Generic English only: the units are the calendar's and the clock's.

    unit_swapped(question, sentence)   "two and three weeks" asked, "two and three days" written (and no week)
"""

from __future__ import annotations

import functools

from docqa.index import text as words_
from docqa.index.answering import denials, number_words

__all__ = ["unit_swapped"]

_UNIT_OF = {
    form: unit
    for unit in "second minute hour day week fortnight month year decade century".split()
    for form in (unit, "centuries" if unit == "century" else unit + "s")
}
_QUANTIFIERS = frozenset("a an few several many some per every each within in for couple".split())
"""Words that quantify a unit without a number ("in seconds", "many decades", "a year")."""
_QUANTIFIED = "q"
"""The quantity of a unit quantified by one of _QUANTIFIERS: any of them is the same quantity here."""


def unit_swapped(question: str, sentence: str) -> bool:
    """Whether `question` quantifies a time unit `sentence` never writes, where the sentence quantifies another unit,
    one the question does not write, the same way: by the same number, or both by a word ("The outcome of what is
    known in hours?" on "…the outcome of each division is known in seconds"). Not in yes/no questions (the answer
    may be "no, three days"), nor for "how many years", which asks a count any unit may give: "How many years does the
    project run?" on "The project runs for 36 months" is answered."""
    if denials.asks_yes_no(question):
        return False
    asked, asked_units = _units(question)
    if not asked:
        return False
    said, said_units = _units(sentence)
    return any(
        unit not in said_units and any(other not in asked_units and how == quantity for other, how in said)
        for unit, quantity in asked
    )


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _units(text: str) -> tuple[frozenset[tuple[str, str]], frozenset[str]]:
    """The time units `text` quantifies, each with its quantity (a number's value as digits, else _QUANTIFIED), and
    every time unit it writes."""
    tokens = words_.words(text)
    quantified: set[tuple[str, str]] = set()
    for i, word in enumerate(tokens):
        if word not in _UNIT_OF or i == 0:
            continue
        before = tokens[i - 1]
        if before.isdecimal() or before in number_words.VALUES:
            quantified.add((_UNIT_OF[word], str(number_words.VALUES.get(before, before))))
        elif before in _QUANTIFIERS and not (before == "many" and i > 1 and tokens[i - 2] == "how"):
            quantified.add((_UNIT_OF[word], _QUANTIFIED))
    return frozenset(quantified), frozenset(_UNIT_OF[w] for w in tokens if w in _UNIT_OF)
