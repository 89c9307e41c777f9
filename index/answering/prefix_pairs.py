"""Does the question put the opposite prefix on the sentence's word? Evidence for the answerer's declines.

"The down turned boat skylights are located in what lobby?" on "…the upturned boat skylights of the Garden Lobby":
the question writes the sentence's word with the opposite prefix (down- for up-, post- for pre-, anti- for pro-), and
so asks about something the sentence does not state. Generic English only: the prefixes are English's paired ones,
written joined, hyphenated or apart ("pre-industrial", "preindustrial", "pre industrial").

    prefix_pair_swapped(question, sentence)   "down turned" asked, "upturned" written (and no "downturned")
"""

from __future__ import annotations

import functools

from docqa.index import text as words_
from docqa.index.answering import denials, number_words

__all__ = ["prefix_pair_swapped"]

_PAIRS = (
    ("pre", "post"), ("pro", "anti"), ("over", "under"), ("hyper", "hypo"), ("up", "down"), ("intra", "inter"),
    ("super", "sub"), ("micro", "macro"), ("mono", "poly"), ("uni", "multi"),
)
_OPPOSITE_PREFIXES = {a: b for a, b in _PAIRS} | {b: a for a, b in _PAIRS}
_OPENINGS = frozenset(prefix[:2] for prefix in _OPPOSITE_PREFIXES)
_SHORTEST_BASE = 5
"""The fewest letters of the word after the prefix: shorter ones are mostly no prefixed word ("present", "overall")."""


def prefix_pair_swapped(question: str, sentence: str) -> bool:
    """Whether `question` writes a word with a prefix of a pair (pre/post, pro/anti, over/under, up/down…) that
    `sentence` does not write, where the sentence writes the same word with the other prefix and the question does
    not ("Micro-physical considerations yield what?" on "…due to macrophysical considerations that yield…"). Not in
    yes/no questions ("Is it a post-industrial town?" may be answered "no, pre-industrial")."""
    if denials.asks_yes_no(question):
        return False
    asked, said = _prefixed_words(question), _prefixed_words(sentence)
    asked_words, said_words = {word for word, _ in asked}, {word for word, _ in said}
    return any(
        word not in said_words and (other := _OPPOSITE_PREFIXES[prefix] + word[len(prefix) :]) in said_words and other not in asked_words
        for word, prefix in asked
    )


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _prefixed_words(text: str) -> frozenset[tuple[str, str]]:
    """`text`'s words that open with a prefix of _PAIRS before _SHORTEST_BASE letters or more, each with that prefix;
    a prefix written apart is joined to the word after it ("down turned", "pre-industrial"), unless that is a small
    word or a number ("over their", "under twenty": a preposition)."""
    tokens = words_.words(text)
    stop = words_.stopwords(("en",))
    joined = [
        prefix + word
        for prefix, word in zip(tokens, tokens[1:])
        if prefix in _OPPOSITE_PREFIXES and word not in stop and word not in number_words.VALUES
    ]
    return frozenset(
        (word, prefix)
        for word in [*tokens, *joined]
        if word[:2] in _OPENINGS  # most words open as no prefix does: skip the prefixes' loop
        for prefix in _OPPOSITE_PREFIXES
        if word.startswith(prefix) and len(word) - len(prefix) >= _SHORTEST_BASE
    )
