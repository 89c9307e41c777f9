"""Asked for a value of a fixed form, a sentence that writes none of that form does not say it.

"In what year was Fort Coligny built?" on "A fort, named Fort Coligny, was built to protect them…"; "How many
people live in the Alsace region?" on "Most are concentrated in Alsace…". An answer to "what year" writes a year,
to "what century" a century, to "what percentage" a share, to "how many" a count; a sentence without one cannot
hold the answer, however well its words match. General English only: the forms are digits, number words and
quantifiers ("once", "several", "none"). A sentence writing the word "year" ("the following year", "in its second
year") or "century" may say which in words, and is left alone. Asked how many, a number the question writes itself
("…founded in 1555?") or a year ("In 1564 a group of settlers…", "the 1620s") counts nothing the question asks.

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
# counting years, a question may be answered by two years written ("How many years did the war last?" on "1754–1763")
_HOW_MANY_YEARS = re.compile(r"(?i)\bhow\s+many\s+(?:\w+\s+)?(?:years|decades|centuries)\b")
# an ordinal past the first counts what came before it: "This is the call's fifth edition" says how many times it ran
_ORDINALS = frozenset(
    """second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth
    sixteenth seventeenth eighteenth nineteenth twentieth""".split()
)


# a run of digits as written: "4,000", "1.5", "1620" (and the "s" of a decade, "the 1620s")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*(?P<decade>s\b)?")
# a year (text.YEAR_DIGITS) is no count unless a plural follows ("1500 troops"); a decade ("the 1620s") never is
_PLURAL_AFTER = re.compile(r"\s+[a-z]+s\b")


def _counts_written(question: str, sentence: str) -> bool:
    """Whether `sentence` writes a number in digits that may count something: not one the question writes itself, nor
    a year unless years are counted ("How many settlers came to Fort Caroline?" on "In 1564 a group of settlers came
    to Fort Caroline" → False)."""
    asked = {found.group() for found in _DIGITS.finditer(question)}
    years_count = _HOW_MANY_YEARS.search(question) is not None
    for found in _DIGITS.finditer(sentence):
        number = found.group().removesuffix("s")
        if found.group() in asked or number in asked:
            continue
        if not years_count and text.YEAR_DIGITS.fullmatch(number) and (found["decade"] or not _PLURAL_AFTER.match(sentence, found.end())):
            continue
        return True
    return False


def unwritten(question: str, sentence: str) -> bool:
    """Whether `question` asks in what year, century or decade, what percentage or how many, and `sentence` writes
    no year, century, decade, share or count ("How many French Catholics died?" on "…the Huguenots had their own
    militia"); a number the question writes, or a year, counts nothing asked."""
    for asked, written in _ASKED:
        if asked.search(question):
            return written.search(sentence) is None
    if _HOW_MANY.search(question):
        said = text.words(sentence)
        return not _counts_written(question, sentence) and _QUANTIFIERS.isdisjoint(said) and _ORDINALS.isdisjoint(said)
    return False
