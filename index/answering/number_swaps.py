"""Another number, or another place on a scale, than the question's (issue 12 item 4).

SQuAD 2.0's writers made questions unanswerable by changing a sentence's number ("three integers" for "two integers")
or its place on a scale ("the Second Law" for "the First Law"). Numbers are read by value however they are written
("2", "two", "twenty-two", "30,000", "twice"); the scales are generic English (ordinals, largest / smallest...).

    number_swapped(question, sentence)   "three integers" asked, "two integers" written (and not three)
    rank_swapped(question, sentence)     "the second law" asked, "the first law" written (and not the second)
"""

from __future__ import annotations

import functools
import re

from docqa.index import text as words_
from docqa.index.answering import number_words

__all__ = ["number_swapped", "rank_swapped"]


# Words that place one thing on a scale ("the second…", "the largest…"); one group's words are the same place.
_RANKS = (
    ("first earliest", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last final latest"),
    ("largest biggest", "smallest"),
    ("highest", "lowest"),
    ("oldest", "youngest newest"),
)
_RANK_OF = {word: (scale, place) for scale, places in enumerate(_RANKS) for place, group in enumerate(places) for word in group.split()}


def rank_swapped(question: str, sentence: str) -> bool:
    """Whether the question places its thing on a scale ("the second…", "the largest…") where the sentence writes
    another place on that scale and not the question's ("the first…", "the smallest…")."""
    asked = {_RANK_OF[w] for w in words_.words(question) if w in _RANK_OF}
    if not asked:
        return False
    said = {_RANK_OF[w] for w in words_.words(sentence) if w in _RANK_OF}
    return any(rank not in said and any(scale == rank[0] for scale, _ in said) for rank in asked)


def number_swapped(question: str, sentence: str) -> bool:
    """Whether the question writes a number before a word ("three integers", "the Seven-Day War", "X.75 network")
    where the sentence writes another number before that word ("two integers") and not the question's."""
    asked = _valued(question)
    if not any(isinstance(n, int) for n in asked):
        return False
    said_set, written_before = set(_valued(sentence)), _numbers_before(sentence)
    asked_set = set(asked)
    return any(
        isinstance(n, int) and n not in said_set and any(x not in asked_set for x in written_before.get(_stem(w), ()))
        for n, w in zip(asked, asked[1:])
    )


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _numbers_before(sentence: str) -> dict[str | int, frozenset[int]]:
    """Each word's stem → the numbers `sentence` writes just before it."""
    said = _valued(sentence)
    found: dict[str | int, set[int]] = {}
    for number, word in zip(said, said[1:]):
        if isinstance(number, int):
            found.setdefault(_stem(word), set()).add(number)
    return {word: frozenset(numbers) for word, numbers in found.items()}


def _stem(word: str | int) -> str | int:
    """A word's match stem ("two months" counts what "one month" does); a number as it is."""
    return words_.match_stem(word) if isinstance(word, str) else word


_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)")
"""A thousands separator ("30,000", "30 000"): dropped, so that the number reads as one."""


_TIMES_SAID = {"twice": "two times", "thrice": "three times"}
_TIMES = re.compile(r"(?i)\b(?:twice|thrice)\b")


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _valued(text: str) -> tuple[str | int, ...]:
    """`text`'s words, each run of number words or digit groups read as its value: "2", "two", "twenty-two" and "22",
    "30,000" and "thirty thousand" are the same number however the visitor or the page writes it; "twice" is two
    times."""
    out: list[str | int] = []
    total = current = None
    for word in [*words_.words(_TIMES.sub(lambda m: _TIMES_SAID[m.group().lower()], _THOUSANDS.sub("", text))), ""]:
        value = int(word) if word.isdecimal() else number_words.VALUES.get(word)
        if value is None:
            if current is not None:
                out.append(total + current)
                total = current = None
            out.append(word)
            continue
        if word.isdecimal() and current is not None:
            out.append(total + current)  # two digit runs apart ("1.5" is read "1", "5", "in 2016, 200"): two numbers
            total = current = None
        total, current = total or 0, current or 0
        if word.isdecimal() or value < 100:
            current += value
        elif value == 100:
            current = max(current, 1) * 100
        else:  # thousand, million…
            total, current = total + max(current, 1) * value, 0
    return tuple(out[:-1])
