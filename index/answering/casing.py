"""Questions whose capitals say nothing: "WHEN DOES ERA PERMED START?", "Is The European Commission A Member Of
ICPerMed?", "is germany a member of icpermed?".

The answerer reads a capital inside a question as a name: a name the sentence must write (answering/premise.py),
one a yes/no question must find, one the spelling check leaves alone. A question written all in capitals, all in
lower case or with every word capitalised says nothing about its names that way, so it is written again as the
documents and the language would write it before it is read: in two steps, so that the spelling check sees its
words in lower case between them.

    caseless      whether a question is written all in capitals, all in lower case or in Title Case
    lowered       its words in lower case, but those the documents write as names, which take the documents' form
    capitalised   then the words no one knows (not English, French, a stop word nor the documents') as names
    rejoined      a name of the documents written apart or together ("IC PerMed", "ERAPerMed") in their form
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

__all__ = ["capitalised", "caseless", "lowered", "rejoined"]

_RUN = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\S*(?:@|://|www\.)\S*|[^\W_]+(?:[._][^\W_]+)*")
"""A web or e-mail address, a word, or a word joined to digits, underscores or dots ("h2020", "3rd", "config.py")."""
_TITLE_WORDS = 3
"""A question is in Title Case when it has at least this many words and each starts with a capital."""


def caseless(question: str) -> bool:
    """Whether `question` is written all in capitals or all in lower case (two words of two letters or more) or
    in Title Case (three words or more, each starting with a capital)."""
    if not any(c.islower() for c in question) or not any(c.isupper() for c in question):
        return sum(len(run) >= 2 for run in _RUN.findall(question)) >= 2
    words = [w for w in question.split() if any(c.isalpha() for c in w)]
    return len(words) >= _TITLE_WORDS and all(next(c for c in w if c.isalpha()).isupper() for w in words)


def lowered(question: str, *, forms: Mapping[str, str]) -> str:
    """`question` (`caseless`) in lower case, but for the words the documents write as names, which are written as
    the documents write them (`forms`: lower case → form, "icpermed" → "ICPerMed"). In a Title-Case question, a
    word with a capital after its first letter ("ICPerMed", "ANR") was written so on purpose and stays."""
    all_capitals = not any(c.islower() for c in question)

    def one(run: str) -> str:
        if not all_capitals and not run[1:].islower() and len(run) > 1:
            return run
        return forms.get(run.lower(), "I" if run in ("I", "i") else run.lower())

    return _words(question, one, others=lambda token: forms.get(token.lower(), token))


def capitalised(question: str, *, known: Callable[[str], bool]) -> str:
    """`lowered`'s question with each lower-case word that is not `known` (a word of the language or of the
    documents) capitalised, as the name it most likely is, and its first letter a capital."""
    out = _words(question, lambda run: run if not run.islower() or known(run) else run.capitalize(), others=lambda token: token)
    first = _TOKEN.search(out)
    if first is None or not _RUN.fullmatch(first.group()):  # "https://…", "2nd" stay as typed
        return out
    return out[: first.start()] + out[first.start()].upper() + out[first.start() + 1 :]


_LONGEST_JOINED = 64
"""Letters of the longest word read as two names written together."""


_SPELLED_PARTS = 6
"""Words a name spelled out may take: "i c per med" (four), "e r a per med" (five)."""


def _spelled_out(question: str, words: list[re.Match], i: int, forms: Mapping[str, str]) -> tuple[str, int] | None:
    """The name of the documents (its key in `forms`) that words[i:] spell out, opening with two single letters
    apart ("s r i a"), and the index of the word after it; None if they spell none."""
    if i + 1 >= len(words) or len(words[i + 1].group()) != 1:
        return None
    joined, found = "", None
    for k in range(i, min(i + _SPELLED_PARTS, len(words))):
        if k > i and question[words[k - 1].end() : words[k].start()] != " ":
            break
        joined += words[k].group().lower()
        if k > i and joined in forms:
            found = (joined, k + 1)
    return found


def rejoined(question: str, *, forms: Mapping[str, str], known: Callable[[str], bool]) -> str:
    """`question` with a name of the documents written apart ("IC PerMed") or two written together ("ERAPerMed")
    as the documents write them ("ICPerMed", "ERA PerMed"; `forms` as for `lowered`). Only words written as names
    (a capital) that are not all `known` words (of the language or the documents) are read so: "in C" is no "Inc",
    "Model" no "MoD El"."""
    words = list(re.finditer(r"[^\W\d_]+", question))
    out, end = [], 0
    i = 0
    while i < len(words):
        this, after = words[i], words[i + 1] if i + 1 < len(words) else None
        lower = this.group().lower()
        if len(lower) == 1 and (spelled := _spelled_out(question, words, i, forms)):
            # a name spelled letter by letter, as dictation writes it: "s r i a", "i c per med"
            out += [question[end : this.start()], forms[spelled[0]]]
            end, i = words[spelled[1] - 1].end(), spelled[1]
            continue
        if after is not None and question[this.end() : after.start()] == " " and this.group()[0].isupper() and after.group()[0].isupper():
            joined = lower + after.group().lower()
            if joined in forms and not (known(lower) and known(after.group().lower())):
                out += [question[end : this.start()], forms[joined]]
                end, i = after.end(), i + 2
                continue
        # (a name is short: a word of thousands of letters is no two names, and splitting it each way cost its square)
        if lower not in forms and 6 <= len(lower) <= _LONGEST_JOINED and any(c.isupper() for c in this.group()) and not known(lower):
            split = next((k for k in range(2, len(lower) - 1) if lower[:k] in forms and lower[k:] in forms), None)
            if split is not None:
                out += [question[end : this.start()], f"{forms[lower[:split]]} {forms[lower[split:]]}"]
                end = this.end()
        i += 1
    return "".join(out) + question[end:]


def _words(question: str, word: Callable[[str], str], *, others: Callable[[str], str]) -> str:
    """`question` with each word (a run of letters) written again by `word`, and each other token (an address, a
    word joined to digits, underscores or dots: "https://www.era-permed.eu", "2nd", "config.py") by `others`."""
    return _TOKEN.sub(lambda m: word(m.group()) if _RUN.fullmatch(m.group()) else others(m.group()), question)
