"""Does the question ask of a part where the sentence says the whole? Evidence for the answerer's declines.

"What is submitted to only part of Parliament for a full debate?" on "…is then submitted to the whole Parliament for
a full debate": the question changes the whole into a part, and asks about something the sentence does not state.
Generic English only: "part of" against "whole", "entire", "full", "all (of)" and "as a whole".

    part_for_whole(question, sentence)   "part of Parliament" asked, "the whole Parliament" written (and no part)
"""

from __future__ import annotations

import functools

from docqa.index import text as words_

__all__ = ["part_for_whole"]

_WHOLE = frozenset(("whole", "entire", "full", "all"))
_BEFORE_NOUN = frozenset("of the a an its their his her this that".split())
_PARTS_BEFORE = frozenset(("only", "a", "one", "some", "small", "large", "major", "minor"))
"""Words between a verb and "part of" that leave the verb's own phrase open ("take only a small part of")."""
_NO_PART_OF = frozenset("take takes took taking taken as what which".split())
"""Words before "part of" that set no part against a whole: "take part of", "as part of" (within), and "what part
of the costs" asks which part (the answer may be all of them)."""


def part_for_whole(question: str, sentence: str) -> bool:
    """Whether `question` asks of a part of something ("only part of Parliament", "a small part of the country")
    that `sentence` writes as a whole ("the whole Parliament", "the entire country", "the country as a whole") and
    writes no part of. "Take part", "as part of" and "what part of" set no part against a whole: "What part of the
    costs is covered?" on "The grant covers the full costs" is answered."""
    tokens = words_.words(question)
    asked = {
        words_.match_stem(noun)
        for i, word in enumerate(tokens[:-1])
        if word == "part" and tokens[i + 1] == "of" and (noun := _noun_after(tokens, i + 1)) and not _in_a_phrase(tokens, i)
    }
    return bool(asked) and not asked.isdisjoint(_wholes(sentence))


def _in_a_phrase(tokens: list[str], at: int) -> bool:
    """Whether the "part" at `at` follows a word of _NO_PART_OF (the words of _PARTS_BEFORE skipped)."""
    i = at - 1
    while i >= 0 and tokens[i] in _PARTS_BEFORE:
        i -= 1
    return i >= 0 and tokens[i] in _NO_PART_OF


def _noun_after(tokens: list[str] | tuple[str, ...], at: int) -> str:
    """The first word after `at` that is no determiner or "of" ("of the whole Parliament" → "whole"), or ""."""
    rest = [w for w in tokens[at + 1 : at + 4] if w not in _BEFORE_NOUN]
    return rest[0] if rest else ""


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _wholes(sentence: str) -> frozenset[str]:
    """The stems of what `sentence` writes as a whole ("the whole Parliament", "all of the members", "the country
    as a whole"); none when it writes a part ("part", "parts") as well."""
    tokens = words_.words(sentence)
    if "part" in tokens or "parts" in tokens:
        return frozenset()
    wholes = {_noun_after(tokens, i) for i, word in enumerate(tokens) if word in _WHOLE}
    wholes |= {tokens[i - 1] for i in range(1, len(tokens) - 2) if tokens[i : i + 3] == ["as", "a", "whole"]}
    return frozenset(words_.match_stem(w) for w in wholes if w)
