"""Asked where someone or something is from, a sentence that says no origin does not say it.

"Where was Andrew Lortie originally from?" on "Andrew Lortie, a leading theologian who led the exiled community in
London, became known for…": where he led a community is not where he came from. An origin is written with a few
words of general English: "from", "born", "native", "origin(ally)", "hails", "grew up", "-born", or the name followed
by "of" and a place ("Jean Postell of Dieppe"). A sentence writing none of them does not say where the thing asked of
is from, however well its other words match. Questions asking which country are left to countries.py (a country's
adjective, "the Swiss politician", may say it).

    origin_unsaid(question, sentence) -> bool   asked where X is from (or was born), the sentence writes no origin
"""

from __future__ import annotations

import re

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
_SAID = re.compile(
    r"(?i)\b(?:from|born|birth|birthplace|natives?|origins?|originally|originat\w*|hails?|hailed|grew\s+up)\b|\w-born\b"
)


def origin_unsaid(question: str, sentence: str) -> bool:
    """Whether `question` asks where someone or something is from (or was born) and `sentence` writes no origin: no
    "from", "born", "native", "origin"…, nor the one asked of followed by "of" and a name ("Where was Jean de Rely
    from?" on "A paraphrase by Jean de Rely was printed in Paris in 1487")."""
    asked = _ASKED.search(question)
    if asked is None or _SAID.search(sentence):
        return False
    last = (asked["subject"] or asked["comer"]).split()[-1]
    # "Halford Mackinder of Britain", "Jean Postell, of Dieppe": the name's place
    return re.search(rf"\b{re.escape(last)},?\s+of\s+(?:the\s+)?[A-Z]", sentence) is None
