"""Initials the documents never write, read as the one name they abbreviate: "the EC" for the European Commission;
and a name's head noun, "the consortium", read as the one name it heads.

A visitor may shorten a name the documents only write in full ("Is the EC a full member?", "Why can't PM reach its
full potential?"). A word of two to five capitals that the collection does not hold is read as the name (a run of two
or more capitalised words, "of", "for", "and" within and skipped) whose capitalised words begin with those letters,
when exactly one name does. A visitor may also call a name by its head noun ("What is the consortium's goal?" where
the text says "the International Consortium of Personalized Medicine (ICPerMed)… The aim of ICPerMed is…"): "the"
and a noun that heads exactly one of the collection's names (the word before its "of" / "for", else its last) is read
as that name's short form, when the text gives it one in brackets ("ICPerMed's goal"): a name so defined is one the
text goes on to call by it. A bracket holding fewer than two capitals ("(in 2019)", "(Germany)") gives no short form,
and a noun followed by a word it is followed by in one of the names ("the action plan" where the text names an
"Action Plan") is that name's, not the name it heads. General English only: the names are the collection's own.

    read_initials(texts) -> Initials          the names by their initials and by their head nouns, and the
                                              capitals-only words the texts write
    InitialsReader                            the same, learnt from texts handed to it one at a time
    Initials.expanded(question) -> str        "Is the EC a member?" -> "Is the European Commission a member?"
    Initials.named(question) -> str           "What is the consortium's goal?" -> "What is ICPerMed's goal?"
    names(text) -> list[str]                  the names of several capitalised words `text` writes, as these are read
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

__all__ = ["Initials", "InitialsReader", "names", "read_initials"]

_NAME = re.compile(r"\b[A-Z][\w\-]*(?:(?:[ \t]+(?:of|for|and|on|the))?[ \t]+[A-Z][\w\-]*)+")
"""Two or more capitalised words, joined by spaces or one small word ("Ministry of Higher Education and Research"), on
one line (a title line and the sentence under it are two names)."""
_OPENING = re.compile(r"^(?:The|A|An|This|These|Those|Its|Their|In|On|At|For|From|Since|Among|Currently)\s+")
_INITIALS = re.compile(r"(?<![\w\-&])(?P<x>[A-Z]{2,5})(?P<own>['’]s)?(?![\w\-&])")
_SHORT_FORM = re.compile(r"\s*\((?P<short>[A-Z][\w\- ]{1,20}?)\s*[;)]")
"""The short form a text gives a name in brackets right after it: "(ICPerMed)", "(ERA PerMed)", "(CSA; 2016-2020)";
a word of two capitals at least, so that "(in 2019)", "(see below)", "(Germany)" or a place, "(New York)", are no
short form."""
_SPELT_SHORT = re.compile(r"\b\w*[A-Z]\w*[A-Z]")
"""A word of two capitals at least ("ICPerMed", "ERA", "PerMed")."""
_HEAD = re.compile(r"^(?:.*?\s)?(?P<head>[A-Z][a-z]{3,})\s+(?:of|for)\s|^(?:.*\s)?(?P<last>[A-Z][a-z]{3,})$")
"""A name's head noun: the word before its "of" / "for" ("Ministry of Higher Education"), else its last word."""
_DESCRIPTION = re.compile(r"\b[Tt]he\s+(?P<head>[a-z]{4,})\b(?!\s+(?:of|for)\b)(?:\s+(?P<next>[a-z]+)\b)?")
_ASKS_NAME = re.compile(r"\b(?:acronym|abbreviat\w*|initials|short\s+(?:name|form)|full\s+(?:name|form)|stand\s+for|called|named|name\s+of)\b", re.IGNORECASE)
"""A question asking for the name itself ("What is the acronym of the consortium?"): its description stays."""


@dataclass(frozen=True)
class Initials:
    """A collection's names by their initials ("EC" -> ("European Commission",)) and the capitals-only words it writes."""

    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    written: frozenset[str] = frozenset()
    heads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """A head noun in lower case ("consortium") → the names it heads, each by its short form if the texts give one
    (only heads of a name given a short form are kept: "the plan" and "the engine" stay as they are)."""
    short_forms: Mapping[str, str] = field(default_factory=dict)
    """A name the texts give a short form in brackets → that form ("International Consortium of Personalized Medicine"
    → "ICPerMed")."""
    pairs: frozenset[str] = frozenset()
    """Two words in a row of a name, in lower case ("action plan" of "the Action Plan"): "the action plan" is that
    name, not the one "action" heads."""

    def expanded(self, question: str) -> str:
        """`question` with each capitals-only word the collection does not write read as the one name with those
        initials; a word no name or several names abbreviate stays as written."""

        def name(match: re.Match) -> str:
            held = self.names.get(match["x"])
            if match["x"] in self.written or not held or len(held) > 1:
                return match.group()
            return held[0] + (match["own"] or "")

        return _INITIALS.sub(name, question)

    def named(self, question: str) -> str:
        """`question` with "the" and a noun heading exactly one of the collection's names read as that name ("the
        consortium" → "ICPerMed"); unchanged when it asks for a name itself ("What is the consortium's acronym?")."""
        if _ASKS_NAME.search(question):
            return question

        def name(match: re.Match) -> str:
            held = self.heads.get(match["head"])
            if not held or len(held) > 1 or f"{match['head']} {match['next']}" in self.pairs:
                return match.group()  # "the action plan" where the texts name an Action Plan: not the action
            return held[0] + match.group()[match.end("head") - match.start() :]

        return _DESCRIPTION.sub(name, question)


def names(text: str) -> list[str]:
    """The names of two or more capitalised words `text` writes, each on one line, a sentence's opening word left out
    ("The Northern Science Foundation (NSF) funds…" → "Northern Science Foundation"): as the short forms are keyed."""
    return [_OPENING.sub("", match.group()) for match in _NAME.finditer(text)]


class InitialsReader:
    """Learns `Initials` from texts handed to it one at a time (`read` gives each back, so another reader of the
    same texts can take them from it: the texts are read once)."""

    def __init__(self) -> None:
        self._found: dict[str, dict[str, None]] = {}
        self._written: set[str] = set()
        self._heads: dict[str, dict[str, None]] = {}
        self._short: dict[str, str] = {}
        self._pairs: set[str] = set()

    def read(self, text_: str) -> str:
        """Learn the names and initials `text_` writes; `text_` itself."""
        self._written.update(m["x"] for m in _INITIALS.finditer(text_))
        for match in _NAME.finditer(text_):
            name = _OPENING.sub("", match.group())  # names(text_), with the match's end for the short form after it
            words = name.lower().split()
            self._pairs.update(f"{a} {b}" for a, b in zip(words, words[1:]))
            capitals = [word for word in name.split() if word[0].isupper()]
            if len(capitals) >= 2 and not any(word.isupper() for word in capitals):  # "ICPerMed Secretariat" is no spelt name
                self._found.setdefault("".join(word[0] for word in capitals), {})[name] = None
            if (head := _HEAD.match(name)) is not None:
                self._heads.setdefault((head["head"] or head["last"]).lower(), {})[name] = None
                if (short := _SHORT_FORM.match(text_, match.end())) is not None and _SPELT_SHORT.search(short["short"]):
                    self._short.setdefault(name, short["short"].strip())
        return text_

    def initials(self) -> Initials:
        """What the texts read so far taught."""
        heads = {
            head: tuple(dict.fromkeys(self._short.get(n, n) for n in names))
            for head, names in self._heads.items()
            if any(n in self._short for n in names)
        }
        found = {initials: tuple(names) for initials, names in self._found.items()}
        return Initials(found, frozenset(self._written), heads, dict(self._short), frozenset(self._pairs))


def read_initials(texts: Iterable[str]) -> Initials:
    """The names `texts` write (two capitalised words or more; small words skipped) by their initials, and the
    capitals-only words they write."""
    reader = InitialsReader()
    for text_ in texts:
        reader.read(text_)
    return reader.initials()
