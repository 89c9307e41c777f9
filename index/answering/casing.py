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
"""

from __future__ import annotations

import re
from typing import Callable, Mapping

__all__ = ["capitalised", "caseless", "lowered"]

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


def _words(question: str, word: Callable[[str], str], *, others: Callable[[str], str]) -> str:
    """`question` with each word (a run of letters) written again by `word`, and each other token (an address, a
    word joined to digits, underscores or dots: "https://www.era-permed.eu", "2nd", "config.py") by `others`."""
    return _TOKEN.sub(lambda m: word(m.group()) if _RUN.fullmatch(m.group()) else others(m.group()), question)
