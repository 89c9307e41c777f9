"""Questions comparing two counts, and the sentence that gives both.

    asked_comparison(question) -> Comparison | None
        "Which is bigger, the number of research or supporting activities?" -> research vs supporting, the larger
        "Are there more research activities than supporting ones?"          -> research vs supporting, the larger
    compared_span(sentence, comparison) -> (start, end) | None
        in "The plan lists 22 research and 8 supporting activities.", the count the question asks for: "22 research"

A sentence answers such a question when it writes a number right before (up to two words before) a word naming each
of the two things: the comparison is then read off the sentence. The things are told apart by their own words (the
words one names and the other does not), so "research or supporting activities" compares research with supporting.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from docqa.index.answering import number_words
from docqa.index.text import content_words

__all__ = ["Comparison", "asked_comparison", "compared_span"]

_MORE = "bigger larger greater higher more most longer"
_LESS = "smaller fewer less lower least shorter"
_DEGREE = rf"(?P<degree>{'|'.join((_MORE + ' ' + _LESS).split())})"
_WHICH = re.compile(
    rf"^\W*(?:which|what)\b[^?]{{0,40}}?\b{_DEGREE}\b(?:\s+(?:numerous|[\w\-]+s))?\s*[,:]?\s*(?!\s*than\b)(?P<x>[^?,:]{{1,60}}?)\s+or\s+(?P<y>[^?,:]{{1,60}}?)\s*\??\s*$",
    re.IGNORECASE,
)
_THAN = re.compile(
    rf"^\W*(?:are|is|were|was|does|do|did|has|have|had)\b[^?]{{0,60}}?\b{_DEGREE}\s+(?P<x>[^?]{{1,60}}?)\s+than\s+(?P<y>[^?]{{1,60}}?)\s*\??\s*$",
    re.IGNORECASE,
)
# Words that name no thing of their own in "the number of research activities", "supporting ones".
_NAMING_NOTHING = frozenset("number numbers amount count ones one kind kinds type types there".split())
# A count as written: "22", "2,000", "1.5"; not part of "1.2.3" and without the comma after "In 2015, research…".
_NUMBER = rf"(?:(?<![\d.,])\d+(?:,\d{{3}})*(?:\.\d+)?|{number_words.CARDINAL})"


@dataclass(frozen=True)
class Comparison:
    """Two things a question compares by count, by the words that tell them apart, and which one it asks for."""

    first: tuple[str, ...]
    second: tuple[str, ...]
    larger: bool
    """The question asks for the larger count ("more", "bigger"); else the smaller ("fewer", "less")."""


@functools.lru_cache(maxsize=1024)
def asked_comparison(question: str) -> Comparison | None:
    """The two things `question` compares by count and the one it asks for, or None when it compares none."""
    found = _WHICH.search(question) or _THAN.search(question)
    if found is None:
        return None
    first, second = _own_words(found["x"]), _own_words(found["y"])
    shared = set(first) & set(second)
    first, second = tuple(w for w in first if w not in shared), tuple(w for w in second if w not in shared)
    if not first or not second:
        return None
    return Comparison(first, second, found["degree"].lower() in _MORE.split())


def _own_words(phrase: str) -> tuple[str, ...]:
    words = [w for w in re.findall(r"[\w\-]+", phrase.lower()) if w not in _NAMING_NOTHING]
    content = content_words(" ".join(words))
    return tuple(w for w in words if w in content)


def _count(sentence: str, words: tuple[str, ...]) -> tuple[int, int, float] | None:
    """(start, end, value) of the number written up to two words before one of `words` in `sentence`, with them."""
    for word in words:
        stem = re.escape(word[:-1] if len(word) > 4 and word.endswith("s") else word)
        found = re.search(rf"\b(?P<n>{_NUMBER})\s+(?:[\w\-]+\s+){{0,2}}?{stem}\w*", sentence, re.IGNORECASE)
        if found:
            n = found["n"].lower()
            value = float(n.replace(",", "")) if n[0].isdigit() else float(number_words.VALUES[n.lower()])
            return found.start(), found.end(), value
    return None


def compared_span(sentence: str, comparison: Comparison) -> tuple[int, int] | None:
    """Where `sentence` gives the count the question asks for (the larger or the smaller of the two), when it gives
    both and they differ; None otherwise."""
    first, second = _count(sentence, comparison.first), _count(sentence, comparison.second)
    if first is None or second is None or first[2] == second[2] or first[:2] == second[:2]:
        return None
    chosen = max(first, second, key=lambda c: c[2]) if comparison.larger else min(first, second, key=lambda c: c[2])
    return chosen[0], chosen[1]
