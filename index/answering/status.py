"""A named thing's status, written beside its name: "…will feed into the European Research Area Network for personalized
medicine (ERA PerMed), that is actually in preparation and should start end of 2017" says that ERA PerMed is being
prepared, and so that it is not running yet, though no verb says so.

An answer by the sentence's form, as an acronym's definition is (extractive.py gives it at least
BY_FORM_PROBABILITY): the question asks for a status ("What is the current status of ERA PerMed?", "Is ERA PerMed
already running?", "Had it started when this was written?"), the sentence writes a status phrase of general English
("in preparation", "under way", "ongoing", "completed"…) within a few words of a name the question asks about, and
every other word of the question is written in the sentence too. A question naming anything the sentence does not
write ("What is the status of ERA PerMed's first call?") is left to the model.

    asks_for_status(question) -> bool
    status_span(sentence, question) -> (start, end) | None    the status phrase answering it, in `sentence`
"""

from __future__ import annotations

import re

from docqa.index import text
from docqa.index.answering import followup

__all__ = ["asks_for_status", "status_span"]

_ASKS = re.compile(
    # "What is the current status of X?", "Current status of X?", "era permed status", "What stage was X at?"
    r"(?i)\bstatus\b|\b(?:what|which)\b.*\b(?:stage|phase|state\s+of\s+(?:play|progress|advancement))\b"
    r"|\b(?:what|which)\s+(?:stage|phase|state)\b"
    # "Is X already running?", "Had X started yet when this was written?", "Is X still being set up?"
    r"|^\W*(?:is|are|was|were|has|have|had)\b.*\b(?:already|yet|still)\b.*\b(?:running|operating|operational|working|active"
    r"|live|open|started|begun|launched|underway|set\s+up|in\s+place|in\s+preparation|prepared)\b"
    r"|^\W*(?:is|are|was|were|has|have|had)\b.*\b(?:running|operating|operational|working|active|started|begun|launched)\b"
    r".*\b(?:already|yet|still|now)\b"
)
_ALREADY_AT_END = re.compile(
    r"(?i)\b(?:already|yet|still)\s+(?:launch|start|begin|begun|run|operat|open|work|active|live|underway|set\s+up|in\s+place)"
    r"\w*\W*$"
)
"""A subject first, then whether it already runs: "ERA PerMed already started?" (a French "ERA PerMed est-il déjà lancé ?"
glossed), not after a question word ("Which projects have already started?" asks which)."""
_QUESTION_WORD = re.compile(r"(?i)^\W*(?:what|which|who|whom|whose|where|when|why|how)\b")
_STATUS = re.compile(
    r"(?i)\b(?:in\s+preparation|being\s+(?:prepared|set\s+up|developed|built|planned)|under\s+(?:preparation|way|development"
    r"|construction|discussion|review|negotiation|consideration)|underway|in\s+(?:progress|development|the\s+making|force|place)"
    r"|on-?going|planned|pending|not\s+yet\s+(?:started|launched|running|operational|open|in\s+place)|up\s+and\s+running"
    r"|completed|finished|concluded|postponed|cancell?ed|suspended|discontinued|abandoned|delayed|operational)\b"
)
_ASKING_WORDS = frozenset(
    "what which status stage phase state play progress advancement current currently now today yet already still actually "
    "really exactly run running operate operating operational work working active live open start started begin begun "
    "launch launched underway set up place "
    "preparation prepared time writing written page article notice news item announcement text publication moment "
    "according".split()
)
"""The words that ask for a status, or place it in the page's time, not what it is the status of."""
_NEAR = 4
"""How many words may stand between the name and its status ("(ERA PerMed), that is actually in preparation")."""


def asks_for_status(question: str) -> bool:
    """Whether `question` asks how far along something is: its status or stage, or whether it is already running (a
    follow-up's subject added in brackets aside)."""
    plain = followup.without_added_subject(question)
    return _ASKS.search(plain) is not None or (_ALREADY_AT_END.search(plain) is not None and not _QUESTION_WORD.match(plain))


def status_span(sentence: str, question: str) -> tuple[int, int] | None:
    """The first status phrase of `sentence` standing within _NEAR words of a word of `question` (not one asking for a
    status), when the sentence writes every such word; None otherwise."""
    wanted = {text.match_stem(w) for w in text.content_words(question) if w not in _ASKING_WORDS}
    if not wanted:
        return None
    tokens = [(m.start(), m.end(), text.match_stem(m.group().lower())) for m in re.finditer(r"\w+", sentence)]
    if not wanted <= {stem for _, _, stem in tokens}:
        return None
    named = [i for i, (_, _, stem) in enumerate(tokens) if stem in wanted]
    for found in _STATUS.finditer(sentence):
        first = next(i for i, (start, end, _) in enumerate(tokens) if end > found.start())
        last = max(i for i, (start, _, _) in enumerate(tokens) if start < found.end())
        if any(0 < first - i <= _NEAR + 1 or 0 < i - last <= _NEAR + 1 for i in named):
            return found.start(), found.end()
    return None
