"""Asked where someone is from, a sentence that says no origin does not say it.

"Where was Andrew Lortie originally from?" on "Andrew Lortie, a leading theologian who led the exiled community in
London, became known for…": where he led a community is not where he came from. An origin is written with a few
words of general English: "from", "born", "native", "origin(ally)", "hails", "grew up", "-born", or the name followed
by "of" and a place ("Jean Postell of Dieppe"), or a country's name or adjective beside the one asked of ("The
Huguenots were French Protestants"). A sentence writing none of them does not say where the one asked of is from,
however well its other words match. Only a name is read ("Where was Jean de Rely from?"): a thing's origin is
written in too many ways ("Where does the money come from?" on "It is funded by the EU"). Questions asking which
country are left to countries.py.

    origin_unsaid(question, sentence) -> bool   asked where a named X is from (or was born), the sentence writes no origin
"""

from __future__ import annotations

import re

from docqa.index.answering import countries

__all__ = ["origin_unsaid"]

# "Where was X (originally) from?", "What French city was X from?", "Which town was X born in?", "Where did X come
# from?", "Where was X born?"; not "What areas did the French recruit natives from?" (what was done, not an origin)
_PLACE = r"(?:city|town|village|region|province|county|area|place|island|state|port)"
_ASKED = re.compile(
    rf"(?i)^\W*(?:where|(?:what|which)\s+(?:\w+\s+)?{_PLACE})\s+"
    r"(?:(?:is|are|was|were)\s+(?P<subject>[^?]+?)\s+(?:originally\s+)?(?:from|born(?:\s+in)?)"
    r"|(?:do|does|did)\s+(?P<comer>[^?]+?)\s+(?:originally\s+)?(?:come|hail)\s+from)"
    r"\s*\??\s*$"
)
# "born" before a name gives a birth name, not a place ("Andrew Lortie (born André Lortie)")
_SAID = re.compile(
    r"(?i)\b(?:from|born(?!\s+(?-i:[A-Z]))|birth|birthplace|natives?|origins?|originally|originat\w*|hails?|hailed|grew\s+up)\b|\w-born\b"
)


def origin_unsaid(question: str, sentence: str) -> bool:
    """Whether `question` asks where someone named is from (or was born) and `sentence` writes no origin: no
    "from", "born", "native", "origin"…, nor the one asked of followed by "of" and a name ("Where was Jean de Rely
    from?" on "A paraphrase by Jean de Rely was printed in Paris in 1487")."""
    asked = _ASKED.search(question)
    if asked is None or _SAID.search(sentence):
        return False
    last = (asked["subject"] or asked["comer"]).split()[-1]
    if not last[:1].isupper():
        return False  # a thing's origin is written too many ways ("Where does the funding come from?": "funded by")
    # "Halford Mackinder of Britain", "Jean Postell, of Dieppe": the name's place
    if re.search(rf"\b{re.escape(last)},?\s+of\s+(?:the\s+)?[A-Z]", sentence):
        return False
    return not any(countries.names_another_country(near, question) for near in _beside(last, sentence))


_NEAR = 4
"""Words either side of the one asked of where a country's adjective may say its origin ("the Swiss politician X")."""


def _beside(word: str, sentence: str) -> list[str]:
    """The text `_NEAR` words either side of each place `sentence` writes `word` (case aside)."""
    tokens = list(re.finditer(r"\S+", sentence))
    at = [i for i, token in enumerate(tokens) if re.sub(r"\W", "", token.group()).lower() == re.sub(r"\W", "", word).lower()]
    return [sentence[tokens[max(i - _NEAR, 0)].start() : tokens[min(i + _NEAR, len(tokens) - 1)].end()] for i in at]
