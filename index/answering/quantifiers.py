"""Does the sentence quantify, or count, what the question asks about otherwise? Declines for the confidence.

SQuAD 2.0's writers made questions unanswerable by changing a quantifier of a sentence's noun: "all parts of a plant"
asked where the sentence says "a part of a plant", "only particular members" where it says "any member", "few signs"
where it says "numerous signs"; or how often something happens: "infects the body once" asked where the sentence
says "more than once". A question doing so asks about a case the sentence does not state. Generic English only: the
quantifiers are a closed class, and the noun quantified is the question's own word, found quantified in the sentence.

    quantifier_swapped(question, sentence)   "all parts" asked, "a part" written (and not all); "few" for "numerous",
                                             "rarely" for "normally"…; and times_swapped
    times_swapped(question, sentence)        "once" asked, "more than once / twice / repeatedly" written (and back)
"""

from __future__ import annotations

import functools
import re

from docqa.index import text as words_

__all__ = ["quantifier_swapped", "times_swapped"]


# The quantifiers, each in its class. A question's "a", "an", "the" quantify nothing ("What does a T cell extend?" asks
# of T cells in general); a sentence's "one", "single" say one thing, which "all" or "every" asked is not, and so do
# "a", "an" before a word naming a part ("a part of a plant"): elsewhere they are as generic ("An applicant must
# submit a budget" says what all applicants must). A question's "any" asks whether there is one ("Which towns have any
# refugee church?"): only "no", "none" deny it; a sentence's "any" says all ("questions to any member").
_ALL, _ANY, _NONE, _FEW, _MANY, _ONE, _ONLY, _SOME = "all", "any", "none", "few", "many", "one", "only", "some"
_CLASS = {
    "all": _ALL, "every": _ALL, "each": _ALL,
    "no": _NONE, "none": _NONE, "neither": _NONE,
    "few": _FEW,
    "many": _MANY, "numerous": _MANY, "most": _MANY,
    "only": _ONLY,
    "some": _SOME,
    # how often, read as how many of the times: "always" all, "rarely" few, "usually" most, "sometimes" some
    "always": _ALL, "invariably": _ALL, "never": _NONE, "rarely": _FEW, "seldom": _FEW,
    "usually": _MANY, "normally": _MANY, "generally": _MANY, "typically": _MANY, "commonly": _MANY, "often": _MANY,
    "frequently": _MANY, "mostly": _MANY, "sometimes": _SOME, "occasionally": _SOME,
}
_ASKED_CLASS = {**_CLASS, "any": _ANY}
_SAID_CLASS = {**_CLASS, "any": _ALL, "one": _ONE, "single": _ONE, "several": _MANY, "multiple": _MANY}
_A = frozenset(("a", "an"))
_PARTS = frozenset("part parts portion portions fraction section sections segment segments subset piece pieces share minority".split())
"""Words naming a part of a whole: after a sentence's "a", "an" (an adjective between at most), one part, not the
whole ("a part of a plant", "a small fraction of the votes")."""
# (asked, said) classes that exclude one another: "all parts" is not "a part", "few signs" not "numerous signs", "only
# particular members" not "any member", "no power" not "all the power". ("many" and "some", "each" and "any", "all"
# and "some" are used loosely for one another, and "all members" asked of "only members" written is no contrary.)
_EXCLUDING = {
    _ALL: frozenset((_NONE, _ONE, _FEW)),
    _ANY: frozenset((_NONE,)),
    _NONE: frozenset((_ALL, _MANY, _ONE, _SOME)),
    _FEW: frozenset((_ALL, _MANY)),
    _MANY: frozenset((_NONE, _FEW)),
    _ONLY: frozenset((_ALL,)),
    _SOME: frozenset((_NONE,)),
}
_LINKS = frozenset(("of", "the", "these", "those", "its", "their", "his", "her"))
"""Words between a quantifier and its noun ("all of the parts", "none of their members")."""
_NOT_QUANTIFYING = frozenset("how at the a not than and or its their his her our your more less as".split())
"""A word before a quantifier that makes it quantify nothing: "how many" (asks), "at most", "the most", "at their
most prolific", "a few" (some), "not only", "more than one", "at all", "more often than", "as often as"."""
_NEGATIONS = frozenset("not no never without nor t".split())  # "t": "isn't" is read "isn", "t"
"""Before a sentence's "one", "a part" (three words at most), a negation says none: "not a single member"."""
QUANTIFIED_WORDS = 2
"""How many words after a quantifier (and "of the") it quantifies, up to a stop word ("only particular members")."""


@functools.lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(words_.words(text))


def _quantified(tokens: tuple[str, ...], said: bool):
    """(class, stem) for each word quantified in `tokens` (a sentence's if `said`, else a question's): the class of
    its quantifier, and the stems of the QUANTIFIED_WORDS words after it, past "of the" ("all of the parts": all,
    part), up to a stop word."""
    classes = _SAID_CLASS if said else _ASKED_CLASS
    skip = words_.stopwords(("en",))
    for i, word in enumerate(tokens):
        if said and word in _A and not _PARTS.isdisjoint(tokens[i + 1 : i + 3]):
            cls = _ONE
        else:
            cls = classes.get(word)
        if cls is None or (i and tokens[i - 1] in _NOT_QUANTIFYING):
            continue
        if said and cls == _ONE and not _NEGATIONS.isdisjoint(tokens[max(0, i - 3) : i]):
            cls = _NONE
        j = i + 1
        while j < len(tokens) and tokens[j] in _LINKS:
            j += 1
        for quantified in tokens[j : j + QUANTIFIED_WORDS]:
            if quantified in skip:
                break
            yield cls, words_.match_stem(quantified)


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _said_quantified(sentence: str) -> dict[str, frozenset[str]]:
    """The stems of the words `sentence` quantifies, each with the classes of its quantifiers there."""
    said: dict[str, set[str]] = {}
    for cls, stem in _quantified(_tokens(sentence), said=True):
        said.setdefault(stem, set()).add(cls)
    return {stem: frozenset(classes) for stem, classes in said.items()}


def quantifier_swapped(question: str, sentence: str) -> bool:
    """Whether the question quantifies a word ("all parts", "few signs", "only particular members", "rarely found")
    that the sentence quantifies otherwise, by an excluding quantifier only ("a part", "numerous signs", "any member",
    "normally found"); or counts "once" where the sentence says "more than once", or back (times_swapped). "What
    happens when all parts of a plant become infected?" on "When a part of a plant becomes infected…"."""
    if times_swapped(question, sentence):
        return True
    q = _tokens(question)
    if not any(w in _ASKED_CLASS for w in q):
        return False
    said = _said_quantified(sentence)
    if not said:
        return False
    for cls, stem in _quantified(q, said=False):
        classes = said.get(stem)
        if classes and classes <= _EXCLUDING[cls]:
            return True
    return False


# How often: "once" as a count (at the end, or before "a year", "in", "per", "every"), and the words that say more
# than once. "Once a pathogen has been engulfed…" is a conjunction, "at once", "once again", "once more" no count.
_ONCE = re.compile(
    r"(?i)(?<=\w\s)(?<!\bat\s)(?<!\bthan\s)(?<!\bleast\s)\bonce\b"
    r"(?=\s*(?:[?.!,;]|$|a\s+(?:year|day|week|month|decade|century|lifetime)\b|per\b|every\b))"
)
_MORE_THAN_ONCE = re.compile(
    r"(?i)\bmore\s+than\s+once\b|\btwice\b|\bthrice\b|\brepeatedly\b|\bagain\s+and\s+again\b"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|several|many|multiple|numerous|\d+)\s+times\b(?!\s+(?:as|more|less|larger|smaller|greater|higher|lower|bigger)\b)"
)


def times_swapped(question: str, sentence: str) -> bool:
    """Whether the question counts "once" where the sentence says "more than once", "twice", "repeatedly" (and no
    "once" as a count), or the other way round ("What is used to eliminate a pathogen that infects the body once?" on
    "Should a pathogen infect the body more than once, these specific memory cells are used…")."""
    asked_once = _ONCE.search(question) is not None
    asked_more = _MORE_THAN_ONCE.search(question) is not None
    if asked_once == asked_more:
        return False
    said_once = _ONCE.search(sentence) is not None
    said_more = _MORE_THAN_ONCE.search(sentence) is not None
    return (said_more and not said_once) if asked_once else (said_once and not said_more)
