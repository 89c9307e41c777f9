"""Answers of more than one sentence, for questions that ask for a list or a description (issue 12 item 5).

"What kinds of organisations…", "What else does … take into account?", "Describe …": one sentence
often holds only part of the answer, and the next sentences go on with it ("They also…",
"In addition, …", a sentence ending with a colon before its list). Only generic English cues are
read, no corpus words.

    asks_for_more(question)             whether the question asks for a list or a description
    continued_end(text, spans, i, ...)  where the answer starting with sentence i should end
"""

from __future__ import annotations

import re
from typing import Sequence

__all__ = ["MAX_EXTRA_SENTENCES", "asks_for_more", "continued_end"]

MAX_EXTRA_SENTENCES = 2
"""At most this many sentences are added after the answering one."""

_ASKS = re.compile(
    r"(?i)\bwhat (?:kinds?|types?|sorts?|forms?|categories) of\b|\bwhat else\b|\bwho else\b|\bbesides\b|\bapart from\b"
    r"|\bother than\b|\bin addition to\b|^\W*(?:list|name|describe|enumerate|outline|summari[sz]e)\b|\bwhat are (?:the|some)\b.*\b(?:ways|steps|elements|parts|aspects|features|activities|measures|examples)\b"
)
_CONTINUES = re.compile(
    r"(?i)^\W*(?:also|in addition|additionally|moreover|furthermore|besides|likewise|similarly|finally|other|others|another|further)\b"
    r"|^\W*(?:they|it|these|this|those|he|she|we|the latter)\b[^.;:!?]{0,60}\b(?:also|too|as well|further|furthermore)\b"
    r"|^\s*(?:[-•*–]|\d+[.)])\s"
)


def asks_for_more(question: str) -> bool:
    """Whether `question` (English) asks for a list ("what kinds of…", "what else…") or a description ("describe…")."""
    return _ASKS.search(question) is not None


def continued_end(text: str, spans: Sequence[tuple[int, int]], position: int, *, end: int | None = None) -> int:
    """The end offset of an answer that starts with sentence `position` of `text` (its `spans`, in order) and goes on
    with the next sentences while they continue it: after a sentence ending with a colon, or opening with a
    continuation cue ("They also…", "In addition…", a list item). `end`: the answer's current end (default: the
    sentence's). At most MAX_EXTRA_SENTENCES are added; a blank line (a new paragraph) stops it."""
    stop = spans[position][1] if end is None else end
    for nxt in range(position + 1, min(position + 1 + MAX_EXTRA_SENTENCES, len(spans))):
        start, finish = spans[nxt]
        if start < stop:
            continue  # already part of the answer
        gap = text[stop:start]
        if "\n\n" in gap:
            break
        previous = text[:stop].rstrip()
        sentence = text[start:finish]
        if not (previous.endswith(":") or _CONTINUES.search(sentence)):
            break
        stop = finish
    return stop
