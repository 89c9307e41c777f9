"""Initials the documents never write, read as the one name they abbreviate: "the EC" for the European Commission.

A visitor may shorten a name the documents only write in full ("Is the EC a full member?", "Why can't PM reach its
full potential?"). A word of two to five capitals that the collection does not hold is read as the name (a run of two
or more capitalised words, "of", "for", "and" within and skipped) whose capitalised words begin with those letters,
when exactly one name does. General English only: the names are the collection's own.

    read_initials(texts) -> Initials          the names by their initials, and the capitals-only words the texts write
    InitialsReader                            the same, learnt from texts handed to it one at a time
    Initials.expanded(question) -> str        "Is the EC a member?" -> "Is the European Commission a member?"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

__all__ = ["Initials", "InitialsReader", "read_initials"]

_NAME = re.compile(r"\b[A-Z][\w\-]*(?:(?:\s+(?:of|for|and|on|the))?\s+[A-Z][\w\-]*)+")
"""Two or more capitalised words, joined by spaces or one small word ("Ministry of Higher Education and Research")."""
_OPENING = re.compile(r"^(?:The|A|An|This|These|Those|Its|Their|In|On|At|For|From|Since|Among|Currently)\s+")
_INITIALS = re.compile(r"(?<![\w\-&])(?P<x>[A-Z]{2,5})(?P<own>['’]s)?(?![\w\-&])")


@dataclass(frozen=True)
class Initials:
    """A collection's names by their initials ("EC" -> ("European Commission",)) and the capitals-only words it writes."""

    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    written: frozenset[str] = frozenset()

    def expanded(self, question: str) -> str:
        """`question` with each capitals-only word the collection does not write read as the one name with those
        initials; a word no name or several names abbreviate stays as written."""

        def name(match: re.Match) -> str:
            held = self.names.get(match["x"])
            if match["x"] in self.written or not held or len(held) > 1:
                return match.group()
            return held[0] + (match["own"] or "")

        return _INITIALS.sub(name, question)


class InitialsReader:
    """Learns `Initials` from texts handed to it one at a time (`read` gives each back, so another reader of the
    same texts can take them from it: the texts are read once)."""

    def __init__(self) -> None:
        self._found: dict[str, dict[str, None]] = {}
        self._written: set[str] = set()

    def read(self, text_: str) -> str:
        """Learn the names and initials `text_` writes; `text_` itself."""
        self._written.update(m["x"] for m in _INITIALS.finditer(text_))
        for match in _NAME.finditer(text_):
            name = _OPENING.sub("", match.group())
            capitals = [word for word in name.split() if word[0].isupper()]
            if len(capitals) >= 2 and not any(word.isupper() for word in capitals):  # "ICPerMed Secretariat" is no spelt name
                self._found.setdefault("".join(word[0] for word in capitals), {})[name] = None
        return text_

    def initials(self) -> Initials:
        """What the texts read so far taught."""
        return Initials({initials: tuple(names) for initials, names in self._found.items()}, frozenset(self._written))


def read_initials(texts: Iterable[str]) -> Initials:
    """The names `texts` write (two capitalised words or more; small words skipped) by their initials, and the
    capitals-only words they write."""
    reader = InitialsReader()
    for text_ in texts:
        reader.read(text_)
    return reader.initials()
