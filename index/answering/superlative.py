"""Asked for the largest or smallest of something, a sentence that ranks nothing by size does not say which.

"Which town had the largest refugee church?" on "They settled in Sandwich, Faversham and Maidstone, towns in which
there used to be refugee churches": the sentence names towns with churches, not the one with the largest. A sentence
answering such a question writes a superlative of its own ("the biggest", "the most populous"), a comparison ("larger
than"), a word of rank ("the main", "the chief", "the bulk"), or numbers to compare. Only the size words are read:
other superlatives are paraphrased too freely ("the highest price" asked, "the price peaked" written).

    size_extreme_unsaid(question, sentence) -> bool   "the largest / biggest / smallest" asked, nothing ranked by size
"""

from __future__ import annotations

import re

from docqa.index import text
from docqa.index.answering import number_words, tagging

__all__ = ["size_extreme_unsaid"]

_SIZE = frozenset(("largest", "biggest", "smallest"))
# words that rank without a superlative's ending: "the main centre", "the bulk of the émigrés", "the dominant power"
_RANK = frozenset(
    """main major chief principal primary leading dominant predominant majority bulk top peak record foremost
    greatest key""".split()
)


def size_extreme_unsaid(question: str, sentence: str) -> bool:
    """Whether `question` asks for the largest, biggest or smallest of something and `sentence` ranks nothing: no
    superlative, no comparison with "than", no word of rank, not two numbers to compare ("What family had the
    largest vineyard?" on "Some of them had vineyards in France")."""
    if _SIZE.isdisjoint(re.findall(r"[a-z]+", question.lower())):
        return False
    said = text.words(sentence)
    if not _RANK.isdisjoint(said):
        return False
    tags = [t.pos for t in tagging.tag(said)]
    if any(pos in ("JJS", "RBS") for pos in tags) or (any(pos in ("JJR", "RBR") for pos in tags) and "than" in said):
        return False
    numbers = [w for w in said if (w.replace(",", "").isdecimal() and not text.YEAR_DIGITS.fullmatch(w)) or w in number_words.VALUES]
    return len(numbers) < 2
