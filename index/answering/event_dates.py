"""Asked when something ended, a sentence that writes no ending dates another event.

SQuAD 2.0's writers made "when" questions unanswerable by asking of an event the sentence does not date, keeping the
words of one it does: "When did England formally end war on France?" on "…on May 18, 1756, England formally declared
war on France"; "When did the Il-khanate stop experimenting with paper money?" on "The Il-khanate government issued
paper money in 1294, but…"; "When did Li Tan reject a revolt?" on "Li Tan … instigated a revolt … in 1262". The date
the sentence writes is the start of the thing (or another step of it), not its end. An ending is written with few
words of general English: "end", "stop", "cease", "close", "abolish", "destroy", "collapse", "dissolve", "revoke",
"reject" and their forms, or "out", "down", "over", "lost", "fell", "defeat", "no longer", "last"…; a span ("until",
"1562 to 1598", "1754–1763") dates an end too. A sentence writing none of them does not say when the thing ended,
however well its other words match. Where the question asks of a completion ("When was the bridge finished?") a date
of building may be its answer, so only endings and refusals are read.

The same holds the other way: asked when something began, a sentence writing only its end ("The warfare was
definitively quelled in 1598…") dates the end.

    end_unsaid(question, sentence) -> bool   asked when something ended, was stopped or rejected; the sentence
                                             writes no ending and no span
    phase_unsaid(question, sentence) -> bool end_unsaid, or asked when something began and the sentence writes an
                                             ending, no beginning and no span
"""

from __future__ import annotations

import functools
import re

from docqa.index import text as words_
from docqa.index.answering import antonyms

__all__ = ["end_unsaid", "phase_unsaid"]

_WHEN = re.compile(
    r"(?i)^\W*(?:when|(?:in|by|during)?\s*(?:what|which)\s+(?:year|decade|century|date|month|day))\b"
)
"""A question asking when: "When…", "In what year…", "On which date…"."""


def _forms(verbs: str, others: str = "") -> frozenset[str]:
    """The forms of each verb of `verbs` (antonyms.verb_forms) and the words of `others` as written."""
    return frozenset(form for verb in verbs.split() for form in antonyms.verb_forms(verb)) | frozenset(others.split())


_ASKED_ENDS = _forms(
    "end stop cease close abolish destroy collapse dissolve terminate revoke repeal disband demolish discontinue "
    "dismantle reject abandon quell"
)
"""A question's words asking when something ended (or was refused): "When did the war end?", "…stop experimenting"."""
_SAID_ENDS = _ASKED_ENDS | _forms(
    "finish complete conclude expire fail lose fall overthrow withdraw replace suppress crush oust depose dismiss "
    "remove expel kill die shut defeat ruin retire resign attack bomb burn raze sack storm capture conquer seize "
    "invade occupy annex",
    """end ending closure closing abolition destruction dissolution termination revocation repeal rejection
    abandonment demolition completion conclusion expiry expiration failure loss fall death dead extinct extinction
    defeat ruin collapse withdrawal removal attack conquest capture seizure invasion occupation annexation out down over off longer last final finally deadline due until till through
    since""",
)
"""A sentence's words writing an ending (or a refusal): the asked words, other verbs of ending and their nouns, the
particles of phrasal verbs of ending ("pulled out", "voted down", "called off", "was over"), "no longer", "last"."""
_SPAN = re.compile(r"\d\s*(?:[–—‒-]|\bto\b|\band\b)\s*\d")
"""Two numbers joined as a span ("1562 to 1598", "1754–1763", "between 1702 and 1709"): its second dates an end."""


@functools.lru_cache(maxsize=16384)  # the same sentences come back question after question
def _words(text: str) -> frozenset[str]:
    """The lower-cased, folded words of `text`."""
    return frozenset(words_.words(text.lower()))


def end_unsaid(question: str, sentence: str) -> bool:
    """Whether `question` asks when something ended, was stopped or was rejected, and `sentence` writes no ending
    (no word of one, no span of dates): its date is another event's ("When did England formally end war on France?"
    on "…on May 18, 1756, England formally declared war on France…")."""
    if not _WHEN.match(question) or _ASKED_ENDS.isdisjoint(_words(question)):
        return False
    return _SAID_ENDS.isdisjoint(_words(sentence)) and not _SPAN.search(sentence)


_ASKED_STARTS = _forms("begin start commence found establish create launch open introduce invent inaugurate initiate originate form")
"""A question's words asking when something began: "When did the war start?", "…was the company founded?"."""
_SAID_STARTS = _ASKED_STARTS | _forms(
    "set",
    """beginning start foundation establishment creation launch opening introduction invention inauguration outbreak
    origin origins formation since from first new""",
)
"""A sentence's words writing a beginning ("set up", "since", "from", "first", "new")."""
_PLAIN_ENDS = _ASKED_ENDS | _forms(
    "finish complete conclude expire",
    "abolition destruction dissolution termination revocation rejection abandonment demolition completion conclusion expiry",
)
"""A sentence's words plainly writing an ending."""


def phase_unsaid(question: str, sentence: str) -> bool:
    """Whether the sentence dates another phase of the event asked of: `end_unsaid`, or `question` asks when
    something began and `sentence` writes an ending, no beginning and no span ("In what year did the warfare start?"
    on "The warfare was definitively quelled in 1598…")."""
    if end_unsaid(question, sentence):
        return True
    if not _WHEN.match(question):
        return False
    asked = _words(question)
    if _ASKED_STARTS.isdisjoint(asked) or not _ASKED_ENDS.isdisjoint(asked):
        return False
    said = _words(sentence)
    return _SAID_STARTS.isdisjoint(said) and not _PLAIN_ENDS.isdisjoint(said) and not _SPAN.search(sentence)
