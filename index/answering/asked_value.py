"""Asked for a value of a fixed form, a sentence that writes none of that form does not say it.

"In what year was Fort Coligny built?" on "A fort, named Fort Coligny, was built to protect them…"; "How many
people live in the Alsace region?" on "Most are concentrated in Alsace…". An answer to "what year" writes a year,
to "what century" a century, to "what percentage" a share, to "how many" a count; a sentence without one cannot
hold the answer, however well its words match. General English only: the forms are digits, number words and
quantifiers ("once", "several", "none"). A sentence writing the word "year" ("the following year", "in its second
year") or "century" may say which in words, and is left alone.

    unwritten(question, sentence) -> bool   asked a year, century, decade, percentage or count; the sentence writes none
"""

from __future__ import annotations

import re

from docqa.index import text
from docqa.index.answering import number_words

__all__ = ["unwritten"]

_QUANTIFIERS = number_words.COUNT_WORDS | frozenset(
    """once twice thrice several few many multiple numerous couple pair handful no none nobody single both all every
    unlimited half quarter majority minority""".split()
)
_ASKED = (
    # (what the question asks, what a sentence writing that value holds)
    (re.compile(r"(?i)\b(?:what|which)\s+year\b"), re.compile(r"\d{3,4}|'\d\d\b|(?i:\byear\b)")),
    (re.compile(r"(?i)\b(?:what|which)\s+century\b"), re.compile(r"(?i)\d|\bcentur")),
    # a decade in words: "in the nineties", "the roaring twenties"
    (
        re.compile(r"(?i)\b(?:what|which)\s+decade\b"),
        re.compile(r"(?i)\d|\bdecade|\b(?:twen|thir|for|fif|six|seven|eigh|nine)ties\b"),
    ),
    # a share in words: "a half", "one in five", "nine out of ten", "all", "the full costs", "none"
    (
        re.compile(r"(?i)\bwhat\s+percent(?:age)?\b"),
        re.compile(
            rf"(?i)\d|%|\bper\s*cent|\b(?:half|third|quarter|fifth|tenth)|\b{number_words.CARDINAL}\s+(?:in|out\s+of)\s+"
            r"|\b(?:all|none|full|entire)\b"
        ),
    ),
)
_HOW_MANY = re.compile(r"(?i)\bhow\s+many\b")
# an ordinal past the first counts what came before it: "This is the call's fifth edition" says how many times it ran
_ORDINALS = frozenset(
    """second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth
    sixteenth seventeenth eighteenth nineteenth twentieth""".split()
)


def unwritten(question: str, sentence: str) -> bool:
    """Whether `question` asks in what year, century or decade, what percentage or how many, and `sentence` writes
    no year, century, decade, share or count ("How many French Catholics died?" on "…the Huguenots had their own
    militia")."""
    for asked, written in _ASKED:
        if asked.search(question):
            return written.search(sentence) is None
    if _HOW_MANY.search(question):
        said = text.words(sentence)
        return not re.search(r"\d", sentence) and _QUANTIFIERS.isdisjoint(said) and _ORDINALS.isdisjoint(said)
    return False
