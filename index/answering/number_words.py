"""English number words: one table for every rule that reads a count written in words.

    VALUES          "eight" -> 8, "twenty" -> 20, "thousand" -> 1000 (one word each, no plurals)
    CARDINAL        a regular expression alternation of those words ("one|two|…")
    COUNT_WORD      the same and the plural scales ("hundreds", "millions", "dozens"): a count, maybe a vague one
    COUNT_WORDS     COUNT_WORD's words as a set
"""

from __future__ import annotations

__all__ = ["CARDINAL", "COUNT_WORD", "COUNT_WORDS", "VALUES"]

_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}

VALUES: dict[str, int] = (
    {word: value for value, word in enumerate(_UNITS.split(), start=1)}
    | {word: value for value, word in zip(range(20, 100, 10), _TENS.split())}
    | _SCALES
)
COUNT_WORDS: frozenset[str] = frozenset(VALUES) | {f"{scale}s" for scale in _SCALES} | {"dozen", "dozens"}


def _alternation(words) -> str:
    # longest first, so that "seventeen" is not read as "seven" followed by "teen"
    return "(?:" + "|".join(sorted(words, key=lambda w: (-len(w), w))) + ")"


CARDINAL = _alternation(VALUES)
COUNT_WORD = _alternation(COUNT_WORDS)
