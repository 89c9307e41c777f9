"""Answers of more than one sentence, for questions that ask for a list or a description (issue 12 item 5).

"What kinds of organisations…", "What else does … take into account?", "Describe …": one sentence
often holds only part of the answer, and the next sentences go on with it ("They also…",
"In addition, …", a sentence ending with a colon before its list). Only generic English cues are
read, no corpus words.

    asks_for_more(question)             whether the question asks for a list or a description
    leads_into_list(text, end)          whether the sentence ending at `end` opens a list with a colon
    continued_end(text, spans, i, ...)  where the answer starting with sentence i should end
"""

from __future__ import annotations

import re
from typing import Sequence

__all__ = ["MAX_EXTRA_SENTENCES", "MAX_LIST_ITEMS", "asks_for_more", "continued_end", "leads_into_list"]

MAX_EXTRA_SENTENCES = 2
"""At most this many sentences are added after the answering one (list items aside: MAX_LIST_ITEMS)."""
MAX_LIST_ITEMS = 8
"""At most this many items of a list are added after the sentence that leads into it with a colon."""

_ASKS = re.compile(
    r"(?i)\bwhat (?:kinds?|types?|sorts?|forms?|categories) of\b|\bwhat else\b|\bwho else\b|\bbesides\b|\bapart from\b"
    r"|\bother than\b|\bin addition to\b|^\W*(?:list|name|describe|enumerate|outline|summari[sz]e)\b|\bwhat are (?:the|some)\b.*\b(?:ways|steps|elements|parts|aspects|features|activities|measures|examples)\b"
)
_CONTINUES = re.compile(
    r"(?i)^\W*(?:also|in addition|additionally|moreover|furthermore|besides|likewise|similarly|finally|other|others|another|further)\b"
    r"|^\W*(?:they|it|these|this|those|he|she|we|the latter)\b[^.;:!?]{0,60}\b(?:also|too|as well|further|furthermore)\b"
    r"|^\s*(?:[-•*–]|\d+[.)])\s"
)
_ITEM = re.compile(r"^\s*(?:[-•*–]|\d+[.)])\s")
"""A list item's opening: a bullet or a number."""


def leads_into_list(text: str, end: int) -> bool:
    """Whether the sentence of `text` ending at `end` closes with a colon and a list follows it (bullets or numbers)."""
    return text[:end].rstrip().endswith(":") and _ITEM.match(text[end:].lstrip("\n")) is not None


def asks_for_more(question: str) -> bool:
    """Whether `question` (English) asks for a list ("what kinds of…", "what else…") or a description ("describe…")."""
    return _ASKS.search(question) is not None


def continued_end(text: str, spans: Sequence[tuple[int, int]], position: int, *, end: int | None = None) -> int:
    """The end offset of an answer that starts with sentence `position` of `text` (its `spans`, in order) and goes on
    with the next sentences while they continue it: after a sentence ending with a colon, or opening with a
    continuation cue ("They also…", "In addition…", a list item). `end`: the answer's current end (default: the
    sentence's). At most MAX_EXTRA_SENTENCES sentences are added, and MAX_LIST_ITEMS items of a list a colon leads into
    (blank lines may stand between them); a blank line (a new paragraph) otherwise stops it."""
    stop = spans[position][1] if end is None else end
    added = items = 0
    in_list = False  # after a colon, the list's items may stand on lines of their own, blank lines between
    for start, finish in spans[position + 1 :]:
        if start < stop:
            continue  # already part of the answer
        previous = text[:stop].rstrip()
        sentence = text[start:finish]
        item = _ITEM.match(sentence) is not None
        if in_list and not item and "\n" not in text[stop:start]:
            stop = finish  # an item's next sentence, on its line ("1. Register. It takes a day."): the item goes on
            continue
        in_list = item and (previous.endswith(":") or in_list)
        if "\n\n" in text[stop:start] and not in_list:
            break
        if in_list:
            if items == MAX_LIST_ITEMS:
                break
            items += 1
        elif previous.endswith(":") or _CONTINUES.search(sentence):
            if added == MAX_EXTRA_SENTENCES:
                break
            added += 1
        else:
            break
        stop = finish
    return stop
