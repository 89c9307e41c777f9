"""Questions that ask for another name of something, and the sentences that give one.

    asked_alias(question) -> str | None          "By what other name is the Support Action known?" -> "Support Action"
    alias_span(sentence, name) -> (start, end) | None   the other name `sentence` gives `name`, if it gives one

A sentence gives a name another when it writes it right after it: in parentheses ("the Coordination and
Support Action (ICPerMed Secretariat; CSA; 2016-2020)": the first part that opens with a capital, so not a year nor
a remark such as "see below"), or after "also known as", "also called", "a.k.a." or ", or". The name asked about is
the longest run of capitalised words the question writes before "known as" / "called" ("of", "and", "for"... may
join them; its first word only if written as a name, as "ICPerMed" is), so only names written as names are read.
The answerer asks for another name only when the question asks for no other type of answer (a number, a date…).
"""

from __future__ import annotations

import functools
import re

from docqa.index.text import question_words

__all__ = ["alias_span", "asked_alias"]

_ASKING = re.compile(
    r"\b(?:other|another|alternative|second|different)\s+(?:name|title|designation)\b|\balso\s+(?:called|known|named|referred)\b"
    r"|\b(?:known|referred\s+to|go(?:es)?\s+by)\s+(?:as|the\s+name)\b|\bnickname\b|\balias\b",
    re.IGNORECASE,
)
_LINKS = frozenset("of and for de du des la le von van the".split())
_AFTER = re.compile(
    r"\s*\((?P<inside>[^()]{1,120})\)"
    # "or" only after a comma ("the Support Action, or CSA,"): without one it joins two things ("ICPerMed or ERA PerMed")
    r"|,?\s*(?:also\s+(?:known\s+as|called|named|referred\s+to\s+as)|a\.?k\.?a\.?)\s+(?P<named>[^,;:.()]{1,80})"
    r"|,\s*or\s+(?P<ored>[^,;:.()]{1,80})",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def asked_alias(question: str) -> str | None:
    """The name whose other name `question` asks for ("What is the ICPerMed Secretariat also called?" ->
    "ICPerMed Secretariat"), else None."""
    asking = _ASKING.search(question)
    if asking is None:
        return None
    # After "known as", "called"… the question writes the other name, not the one asked about: "Who is known as the
    # Iron Lady?" asks who, "What is Warsaw known as in Carpathian?" asks of Warsaw.
    before = None if re.match(r"(?:other|another|alternative|second|different|nickname|alias)\b", asking.group(), re.IGNORECASE) else asking.start()
    tokens = list(re.finditer(r"[\w\-’']+", question))
    skip = question_words()
    runs: list[tuple[int, int]] = []
    start = end = None
    pending_link = False
    for i, token in enumerate(tokens):
        word = token.group()
        # The first word is capitalised anyway: a name there only when written as one ("ERA", "ICPerMed")
        capital = word[:1].isupper() and (i > 0 or sum(c.isupper() for c in word) >= 2) and word.lower() not in skip
        if capital:
            if start is None:
                start = token.start()
            end, pending_link = token.end(), False
        elif start is not None and word.lower() in _LINKS and not pending_link:
            pending_link = True
        else:
            if start is not None:
                runs.append((start, end))
            start, pending_link = None, False
    if start is not None:
        runs.append((start, end))
    runs = [(a, b) for a, b in runs if b - a >= 2 and (before is None or b <= before)]
    if not runs:
        return None
    first, last = max(runs, key=lambda run: run[1] - run[0])
    return re.sub(r"['’]s$", "", question[first:last])  # "ICPerMed's other name": ICPerMed


def alias_span(sentence: str, name: str) -> tuple[int, int] | None:
    """The span of the other name `sentence` writes right after `name` (case and runs of spaces aside), else None."""
    words = name.split()
    if not words:
        return None
    found = re.search(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", sentence, re.IGNORECASE)
    after = _AFTER.match(sentence, found.end()) if found else None
    if after is None:
        return None
    if after.group("inside") is not None:
        for part in re.finditer(r"[^;,]+", after.group("inside")):
            at, text = after.start("inside") + part.start(), part.group()
            if ":" in text:  # "(Polish: Warszawa)": the name follows its label
                at, text = at + text.index(":") + 1, text[text.index(":") + 1 :]
            name_there = text.strip()
            if re.sub(r"^(?:the|an?)\s+", "", name_there, flags=re.IGNORECASE)[:1].isupper():  # a name, not a year, a period nor a remark ("see below")
                at += len(text) - len(text.lstrip())
                return at, at + len(name_there)
        return None
    group = "named" if after.group("named") is not None else "ored"
    text = after.group(group).rstrip()
    return after.start(group), after.start(group) + len(text)
